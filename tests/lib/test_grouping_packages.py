"""Asset packages (by road travel time, balanced), multi-sector areas, road pairs."""
from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.errors import InputError
from gunmane_geo.grouping import (asset_packages, balanced_assign, combine_assets, multi_sector_areas,
                                  road_pairs)
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"


def _two_banks(n_side=30, seed=0):
    """Assets on both banks of a river (x = 0..1 km and x = 1.4..2.4 km, y = 0..10 km).

    Each bank has a road along it; the only crossing is a bridge at y = 0.  By straight
    line the banks are 1.4 km apart; by road the far ends are 20 km apart.
    """
    rng = np.random.default_rng(seed)
    left = [Point(x, y) for x, y in zip(rng.uniform(0, 1_000, n_side), rng.uniform(0, 10_000, n_side))]
    right = [Point(x, y) for x, y in zip(rng.uniform(1_400, 2_400, n_side), rng.uniform(0, 10_000, n_side))]
    assets = gpd.GeoDataFrame({"bridge_id": [f"L{i}" for i in range(n_side)] + [f"R{i}" for i in range(n_side)],
                               "deck_area_m2": 100.0}, geometry=left + right, crs=CRS)
    roads = gpd.GeoDataFrame({"road_class": ["municipal"] * 3, "is_bridge": [False, False, True]}, geometry=[
        LineString([(500, 0), (500, 10_000)]), LineString([(1_900, 0), (1_900, 10_000)]),
        LineString([(500, 0), (1_900, 0)])], crs=CRS)
    return assets, roads


def _settings(**kw):
    s = Settings()
    for k, v in kw.items():
        setattr(s.grouping, k, v)
    return s


def test_packages_follow_roads_not_straight_lines():
    assets, roads = _two_banks()
    s = _settings(package_min_assets=20, package_max_assets=40)
    out, packages = asset_packages(combine_assets(assets, settings=s), roads=roads, settings=s, n_packages=2)
    assert packages["travel_source"].iloc[0] == "roads"

    def banks_far_from_bridge(frame):
        far = frame[frame.geometry.y > 3_000]      # by road > 6 km from the other bank
        return sorted(sorted({i[0] for i in ids}) for _, ids in far.groupby("package_id")["asset_id"])

    # by road: away from the bridge, each package keeps to one bank
    assert banks_far_from_bridge(out) == [["L"], ["R"]]
    # by straight line the same assets split north/south, each package spanning both banks
    out2, _ = asset_packages(combine_assets(assets, settings=s), settings=s, n_packages=2)
    assert banks_far_from_bridge(out2) != [["L"], ["R"]]
    # and the road packages are the shorter by road (travel from each package's seed)
    from gunmane_geo.grouping import road_graph, travel_matrix
    g = road_graph(roads, s)

    def road_total(frame):
        total = 0.0
        for _, sub in frame.groupby("package_id"):
            xy = np.column_stack([sub.geometry.x, sub.geometry.y])
            t = travel_matrix(xy, g, s)
            total += t.sum(axis=1).min()           # best member as the base
        return total
    assert road_total(out) < 0.8 * road_total(out2)


def test_every_asset_once_sizes_and_balance():
    rng = np.random.default_rng(1)
    n = 300
    assets = gpd.GeoDataFrame({"asset_id": [f"A{i}" for i in range(n)], "sector": "bridge",
                               "inspection_hours": rng.uniform(10, 30, n)},
                              geometry=[Point(x, y) for x, y in rng.uniform(0, 20_000, (n, 2))], crs=CRS)
    s = _settings(package_min_assets=50, package_max_assets=120, package_balance_tolerance=0.1)
    out, packages = asset_packages(assets, settings=s)
    assert sorted(out["asset_id"]) == sorted(assets["asset_id"]) and out["package_id"].notna().all()
    assert len(packages) == round(n / 85)          # sizes nearest the middle of 50..120
    assert packages["assets"].sum() == n
    assert packages["assets"].between(50, 120).all() and packages["size_ok"].all()
    mean = assets["inspection_hours"].sum() / len(packages)
    assert (abs(packages["inspection_hours"] - mean) <= 0.1 * mean + 1e-6).all()
    assert packages["balance_ok"].all()


def test_balanced_assign_matches_brute_force():
    rng = np.random.default_rng(2)
    t = rng.uniform(0, 30, (8, 2))
    w = np.ones(8)
    lab = balanced_assign(t, w, count_min=4, count_max=4, w_min=0, w_max=1e9)
    best = min(sum(t[i, 0] for i in c) + sum(t[i, 1] for i in range(8) if i not in c)
               for c in itertools.combinations(range(8), 4))
    assert np.bincount(lab, minlength=2).tolist() == [4, 4]
    assert t[np.arange(8), lab].sum() == pytest.approx(best)


def test_multi_sector_areas_west_and_east():
    rng = np.random.default_rng(3)
    sectors = ["road", "river", "park", "sewer"]
    n = 80
    xs = np.r_[rng.uniform(0, 3_000, n // 2), rng.uniform(7_000, 10_000, n // 2)]
    other = gpd.GeoDataFrame({"asset_id": [f"O{i}" for i in range(n)], "sector": [sectors[i % 4] for i in range(n)],
                              "municipality_code": "99201", "inspection_hours": 10.0},
                             geometry=[Point(x, y) for x, y in zip(xs, rng.uniform(0, 4_000, n))], crs=CRS)
    assets = combine_assets(other_assets=other)
    out, areas = multi_sector_areas(assets, municipality_code="99201", n_areas=2)
    assert sorted(areas["area_name"]) == ["東", "西"]
    west = out[out.geometry.x < 5_000]["area_name"].unique().tolist()
    assert west == ["西"]
    assert (areas[[f"n_{s}" for s in sectors]].sum(axis=1) == areas["assets"]).all()
    assert areas["assets"].sum() == n
    with pytest.raises(InputError, match="no asset has municipality_code 99999"):
        multi_sector_areas(assets, municipality_code="99999")


def test_road_pairs_parallel_and_joining_only():
    roads = gpd.GeoDataFrame({
        "road_id": ["P1", "P2", "M1", "M2", "M3", "M4"],
        "road_class": ["prefectural", "prefectural", "municipal", "municipal", "municipal", "municipal"],
        "route_name": ["県道1号", "県道1号", "市道A", "市道A", "市道B", "市道C"]}, geometry=[
        LineString([(0, 0), (1_000, 0)]), LineString([(1_000, 0), (3_000, 0)]),
        # 市道A: leaves the prefectural road at x=200, runs 150 m beside it, rejoins at x=2100
        LineString([(200, 0), (300, 150), (1_000, 150)]), LineString([(1_000, 150), (2_000, 150), (2_100, 0)]),
        LineString([(500, 0), (500, 2_000)]),       # 市道B: crosses away, not parallel
        LineString([(0, 800), (3_000, 800)])],      # 市道C: parallel but 800 m away
        crs=CRS)
    bridges = gpd.GeoDataFrame({"bridge_id": ["B1", "B2"]}, geometry=[Point(1_500, 150), Point(500, 1_000)],
                               crs=CRS)
    pairs = road_pairs(roads, bridges=bridges)
    assert pairs["muni_route"].tolist() == ["市道A"]
    row = pairs.iloc[0]
    assert row["pref_route"] == "県道1号" and row["muni_road_ids"] == "M1;M2"
    length = np.hypot(100, 150) + 700 + 1_000 + np.hypot(100, 150)
    assert row["muni_length_m"] == pytest.approx(length)
    assert row["bridge_ids"] == "B1" and row["end_distance_m"] == pytest.approx(0.0)
    assert row["max_distance_m"] == pytest.approx(150.0)
    # a stricter parallel distance drops it
    s = _settings(road_pair_parallel_m=100.0)
    assert road_pairs(roads, settings=s).empty
