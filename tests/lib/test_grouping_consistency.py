"""One deck-area rule and one CRS policy across grouping, packages, indicators and costs.

Deck area (``gunmane_geo.schema.deck_area_m2``): the given ``deck_area_m2``, else
``length_m * width_m``, else unknown.  CRS: layers in another CRS than the analysis CRS
(the municipalities', the assets', the roads') are reprojected with a note in the report;
a layer without a CRS is an ``InputError`` naming it.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from gunmane_geo.errors import InputError
from gunmane_geo.grouping import (asset_packages, combine_assets, municipal_adjacency,
                                  municipal_groups, road_pairs)
from gunmane_geo.indicators import municipality_indicators
from gunmane_geo.io.load_report import LoadReport
from gunmane_geo.options.costs import bridge_facts
from gunmane_geo.schema import deck_area_m2
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"


# --- deck area ----------------------------------------------------------------------
def _two_municipalities():
    return gpd.GeoDataFrame({"municipality_code": ["99101", "99102"], "municipality_name": ["甲町", "乙村"]},
                            geometry=[box(0, 0, 1_000, 1_000), box(1_000, 0, 2_000, 1_000)], crs=CRS)


def _mixed_bridges():
    """Six bridges: area given (and L x W disagreeing), only L and W, nothing, ...

    By hand: 甲町 (99101) b1 100 (given wins over 10 x 5) + b2 20 x 4 = 80 + b3 unknown
    = 180 m2; 乙村 (99102) b4 12.5 x 6 = 75 + b5 40 (given) + b6 unknown (no width) = 115 m2.
    """
    return gpd.GeoDataFrame({
        "bridge_id": ["b1", "b2", "b3", "b4", "b5", "b6"],
        "deck_area_m2": [100.0, None, None, np.nan, 40.0, None],
        "length_m": [10.0, 20.0, None, 12.5, None, 30.0],
        "width_m": [5.0, 4.0, None, 6.0, None, None],
    }, geometry=[Point(100, 100), Point(200, 200), Point(300, 300),
                 Point(1_100, 100), Point(1_200, 200), Point(1_300, 300)], crs=CRS)


def test_deck_area_rule():
    area = deck_area_m2(_mixed_bridges())
    np.testing.assert_array_equal(area, [100.0, 80.0, np.nan, 75.0, 40.0, np.nan])
    # no deck_area_m2 column at all; numeric text counts; other text is unknown
    frame = pd.DataFrame({"length_m": ["20", "x", 3.0], "width_m": [4.0, 5.0, 2.0]})
    np.testing.assert_array_equal(deck_area_m2(frame), [80.0, np.nan, 6.0])


def test_same_deck_area_in_groups_packages_indicators_and_costs():
    munis, bridges = _two_municipalities(), _mixed_bridges()
    s = Settings()
    s.grouping.max_members = 1           # each municipality its own group
    s.grouping.min_staff = 0
    groups, _ = municipal_groups(munis, bridges=bridges, settings=s)
    best = groups[groups["candidate"] == 1].set_index("member_codes")
    assert best.loc["99101", "deck_area_m2"] == pytest.approx(180.0)
    assert best.loc["99102", "deck_area_m2"] == pytest.approx(115.0)

    ind = municipality_indicators(munis, bridges, settings=Settings()).set_index("unit_id")
    assert ind.loc["99101", "deck_area_m2"] == pytest.approx(180.0)
    assert ind.loc["99102", "deck_area_m2"] == pytest.approx(115.0)

    # hours = 6 bridges x 16 h + 0.02 h/m2 x 295 m2 = 101.9 h
    for assets in (bridges, combine_assets(bridges, settings=s)):
        _, packages = asset_packages(assets, settings=s, n_packages=1)
        assert packages["deck_area_m2"].iloc[0] == pytest.approx(295.0)
        assert packages["inspection_hours"].iloc[0] == pytest.approx(6 * 16 + 0.02 * 295)

    known = bridges[bridges["bridge_id"].isin(["b1", "b2", "b4", "b5"])]
    facts = bridge_facts(known, s)
    assert {b: f.deck_area_m2 for b, f in facts.items()} == {"b1": 100.0, "b2": 80.0, "b4": 75.0,
                                                            "b5": 40.0}
    with pytest.raises(InputError, match="b3 has no deck area"):
        bridge_facts(bridges, s)


# --- CRS policy ---------------------------------------------------------------------
SIZE = 10_000.0


def _region():
    """2 x 3 squares of 10 km (codes 99rc1), bridges, staff, offices and a road grid."""
    geoms, codes = [], []
    for r in range(2):
        for c in range(3):
            geoms.append(box(c * SIZE, r * SIZE, (c + 1) * SIZE, (r + 1) * SIZE))
            codes.append(f"99{r}{c}1")
    munis = gpd.GeoDataFrame({"municipality_code": codes, "municipality_name": [f"町{c}" for c in codes]},
                             geometry=geoms, crs=CRS)
    rng = np.random.default_rng(3)
    n = 60
    bridges = gpd.GeoDataFrame({
        "bridge_id": [f"B{i:02d}" for i in range(n)],
        "deck_area_m2": rng.uniform(20, 500, n).round(1),
        "rating": rng.integers(1, 5, n), "built_year": rng.integers(1950, 2015, n),
    }, geometry=[Point(x, y) for x, y in rng.uniform(300, 19_700, (n, 2)) * [1.5, 1]], crs=CRS)
    staff = pd.DataFrame({"municipality_code": codes, "technical_staff": [6, 1, 2, 3, 4, 2]})
    offices = gpd.GeoDataFrame({"facility_type": "office", "municipality_code": codes},
                               geometry=[Point(c * SIZE + 5_300, r * SIZE + 5_700)
                                         for r in range(2) for c in range(3)], crs=CRS)
    # a road grid joining the squares' centres, noded at every crossing
    xs, ys = (5_000, 15_000, 25_000), (5_000, 15_000)
    lines = [LineString([(x0, y), (x1, y)]) for y in ys for x0, x1 in zip(xs, xs[1:])] + \
        [LineString([(x, ys[0]), (x, ys[1])]) for x in xs]
    roads = gpd.GeoDataFrame({"road_class": ["municipal"] * len(lines)}, geometry=lines, crs=CRS)
    return munis, bridges, staff, offices, roads


def _notes(report, layer):
    df = report.to_frame()
    return df[(df["layer"] == layer) & df["message"].str.contains("reprojected from EPSG:4326 to EPSG:6673")]


def test_layers_in_lonlat_give_the_same_groups_and_a_note():
    munis, bridges, staff, offices, roads = _region()
    s = Settings()
    s.grouping.min_staff = 5
    s.grouping.max_members = 3
    ref_groups, ref_members = municipal_groups(munis, bridges=bridges, staff=staff, roads=roads,
                                               offices=offices, settings=s)
    report = LoadReport()
    groups, members = municipal_groups(munis, bridges=bridges.to_crs(4326), staff=staff,
                                       roads=roads.to_crs(4326), offices=offices.to_crs(4326),
                                       settings=s, report=report)
    assert groups.crs == CRS
    cols = [c for c in groups.columns if c != "geometry"]
    pd.testing.assert_frame_equal(groups[cols], ref_groups[cols], rtol=1e-9)
    pd.testing.assert_frame_equal(members.drop(columns="geometry"), ref_members.drop(columns="geometry"))
    assert ref_groups["bridges"].sum() > 0 and ref_groups["travel_source"].iloc[0] == "roads"
    for layer in ("bridges", "offices", "roads"):
        note = _notes(report, layer)
        assert len(note) == 1 and note["severity"].iloc[0] == "info", layer
    # the adjacency alone reprojects the roads too
    report = LoadReport()
    adj = municipal_adjacency(munis, roads=roads.to_crs(4326), report=report)
    pd.testing.assert_frame_equal(adj, municipal_adjacency(munis, roads=roads))
    assert len(_notes(report, "roads")) == 1


def test_packages_and_road_pairs_reproject_too():
    munis, bridges, _, _, roads = _region()
    s = Settings()
    other = gpd.GeoDataFrame({"asset_id": ["P1", "P2"], "sector": ["park", "park"]},
                             geometry=[Point(2_000, 3_000), Point(22_000, 11_000)], crs=CRS)
    ref_assets = combine_assets(bridges, other, settings=s)
    report = LoadReport()
    assets = combine_assets(bridges, other.to_crs(4326), settings=s, report=report)
    assert len(_notes(report, "other_assets")) == 1
    assert np.allclose(assets.geometry.x, ref_assets.geometry.x, atol=1e-6)
    assert np.allclose(assets.geometry.y, ref_assets.geometry.y, atol=1e-6)

    ref_out, ref_pk = asset_packages(ref_assets, roads=roads, settings=s, n_packages=2)
    report = LoadReport()
    out, pk = asset_packages(ref_assets, roads=roads.to_crs(4326), settings=s, n_packages=2, report=report)
    assert len(_notes(report, "roads")) == 1
    assert out["package_id"].tolist() == ref_out["package_id"].tolist()
    np.testing.assert_allclose(pk["mean_travel_min"], ref_pk["mean_travel_min"], rtol=1e-9)

    pair_roads = gpd.GeoDataFrame({"road_class": ["prefectural", "municipal"]}, geometry=[
        LineString([(0, 0), (3_000, 0)]), LineString([(200, 0), (300, 150), (2_000, 150), (2_100, 0)])],
        crs=CRS)
    near = gpd.GeoDataFrame({"bridge_id": ["N1", "F1"]}, geometry=[Point(1_500, 160), Point(1_500, 400)],
                            crs=CRS)
    report = LoadReport()
    pairs = road_pairs(pair_roads, bridges=near.to_crs(4326), report=report)
    assert pairs["bridge_ids"].tolist() == ["N1"]
    assert len(_notes(report, "bridges")) == 1


def _no_crs(frame):
    return frame.set_crs(None, allow_override=True)


@pytest.mark.parametrize("layer", ["bridges", "offices", "roads"])
def test_layer_without_crs_is_an_input_error(layer):
    munis, bridges, staff, offices, roads = _region()
    layers = {"bridges": bridges, "offices": offices, "roads": roads}
    layers[layer] = _no_crs(layers[layer])
    with pytest.raises(InputError, match=rf"^{layer}: the layer has no coordinate reference system.*fix"):
        municipal_groups(munis, staff=staff, **layers)


def test_no_crs_in_packages_and_road_pairs_and_geographic_analysis_crs():
    munis, bridges, _, _, roads = _region()
    other = gpd.GeoDataFrame({"asset_id": ["P1"]}, geometry=[Point(2_000, 2_000)], crs=CRS)
    with pytest.raises(InputError, match="^other_assets: the layer has no coordinate reference system"):
        combine_assets(bridges, _no_crs(other))
    with pytest.raises(InputError, match="^roads: the layer has no coordinate reference system"):
        asset_packages(combine_assets(bridges), roads=_no_crs(roads))
    with pytest.raises(InputError, match="^bridges: the layer has no coordinate reference system"):
        road_pairs(roads.assign(road_class=["prefectural", "municipal"] * 2 + ["municipal"] * 3),
                   bridges=_no_crs(bridges))
    # the layer that sets the analysis CRS must be projected (distances in metres)
    with pytest.raises(InputError, match="^municipalities: layer CRS EPSG:4326 is geographic"):
        municipal_groups(munis.to_crs(4326), bridges=bridges)
    with pytest.raises(InputError, match="^assets: layer CRS EPSG:4326 is geographic"):
        asset_packages(combine_assets(bridges).to_crs(4326))


def test_network_in_another_crs_is_an_input_error():
    from gunmane_geo.network import build_network
    munis, bridges, _, _, roads = _region()
    network = build_network(roads)
    with pytest.raises(InputError, match="^network: the network is in EPSG:6673, the municipalities in "
                                         "EPSG:6674"):
        municipal_groups(munis.to_crs(6674), bridges=bridges, network=network)
    with pytest.raises(InputError, match="^network: the network is in EPSG:6673, the assets in EPSG:6674"):
        asset_packages(combine_assets(bridges).to_crs(6674), network=network)
