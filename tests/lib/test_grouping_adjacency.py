"""Adjacency from real-looking boundaries: gaps, overlaps, islands, road and bridge links."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from gunmane_geo.errors import InputError
from gunmane_geo.grouping import municipal_adjacency
from gunmane_geo.io.load_report import LoadReport
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"


def _row_of_squares(gap_m=5.0, n=3, size=10_000.0):
    """n squares in a row, ``gap_m`` apart (a few metres, like digitising gaps)."""
    geoms = [box(i * (size + gap_m), 0, i * (size + gap_m) + size, size) for i in range(n)]
    codes = [f"9920{i + 1}" for i in range(n)]
    return gpd.GeoDataFrame({"municipality_code": codes, "municipality_name": [f"M{i}" for i in range(n)]},
                            geometry=geoms, crs=CRS)


def _pairs(adj):
    return {(a, b): r for a, b, r in zip(adj["code_a"], adj["code_b"], adj["reason"])}


def test_gap_of_a_few_metres_is_tolerated_and_only_true_neighbours_pair():
    m = _row_of_squares(gap_m=5.0)
    adj = municipal_adjacency(m, tolerance_m=50)
    # squares 1-2 and 2-3 are 5 m apart; 1-3 are 10 km apart
    assert _pairs(adj) == {("99201", "99202"): "boundary", ("99202", "99203"): "boundary"}
    assert adj["distance_m"].tolist() == pytest.approx([5.0, 5.0])
    assert adj.attrs["isolated"] == []


def test_tolerance_below_the_gap_separates():
    m = _row_of_squares(gap_m=5.0)
    report = LoadReport()
    adj = municipal_adjacency(m, tolerance_m=1.0, report=report)
    assert adj.empty
    assert sorted(adj.attrs["isolated"]) == ["99201", "99202", "99203"]
    assert (report.to_frame()["feature_id"].tolist()) == ["99201", "99202", "99203"]


def test_overlaps_and_slivers_touch():
    m = _row_of_squares(gap_m=-3.0)      # 3 m overlap
    adj = municipal_adjacency(m, tolerance_m=0.0)
    assert set(_pairs(adj)) == {("99201", "99202"), ("99202", "99203")}
    assert (adj["distance_m"] == 0).all()


def test_island_joined_by_bridge_or_reported():
    m = _row_of_squares(gap_m=5.0, n=2)
    island = gpd.GeoDataFrame({"municipality_code": ["99301"], "municipality_name": ["島村"]},
                              geometry=[box(22_000, 4_000, 25_000, 6_000)], crs=CRS)
    m = gpd.GeoDataFrame(pd_concat([m, island]), crs=CRS)
    # mainland road to the shore, then a bridge over 2 km of sea ending on the island
    roads = gpd.GeoDataFrame({"is_bridge": [False, True, False]}, geometry=[
        LineString([(15_000, 5_000), (20_005, 5_000)]),
        LineString([(20_005, 5_000), (22_000, 5_000)]),
        LineString([(22_000, 5_000), (24_000, 5_000)])], crs=CRS)
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50)
    assert _pairs(adj)[("99202", "99301")] == "bridge"
    assert adj.set_index(["code_a", "code_b"]).loc[("99202", "99301"), "link_m"] == pytest.approx(1995.0)
    assert adj.attrs["isolated"] == []
    # without roads the island has no neighbour and is reported
    report = LoadReport()
    adj2 = municipal_adjacency(m, tolerance_m=50, report=report)
    assert adj2.attrs["isolated"] == ["99301"]
    assert "島村 (99301) has no neighbour" in report.to_frame()["message"].iloc[0]


def test_ferry_does_not_join():
    m = _row_of_squares(gap_m=5.0, n=1)
    island = gpd.GeoDataFrame({"municipality_code": ["99301"], "municipality_name": ["島村"]},
                              geometry=[box(12_000, 4_000, 15_000, 6_000)], crs=CRS)
    m = gpd.GeoDataFrame(pd_concat([m, island]), crs=CRS)
    roads = gpd.GeoDataFrame({"road_class": ["ferry"]},
                             geometry=[LineString([(9_000, 5_000), (13_000, 5_000)])], crs=CRS)
    adj = municipal_adjacency(m, roads=roads)
    assert adj.empty and adj.attrs["isolated"] == ["99201", "99301"]


def test_long_road_joins_consecutive_municipalities_only():
    # three squares 1 km apart (not touching); one road runs through all three
    m = _row_of_squares(gap_m=1_000.0)
    roads = gpd.GeoDataFrame({"road_class": ["prefectural"]},
                             geometry=[LineString([(5_000, 5_000), (27_000, 5_000)])], crs=CRS)
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50)
    assert _pairs(adj) == {("99201", "99202"): "road", ("99202", "99203"): "road"}
    assert adj["link_m"].tolist() == pytest.approx([1_000.0, 1_000.0])


def test_roads_meeting_in_the_gap_join():
    m = _row_of_squares(gap_m=1_000.0, n=2)
    # two lines, one in each municipality, meeting at a node in the 1 km gap
    roads = gpd.GeoDataFrame(geometry=[LineString([(5_000, 5_000), (10_500, 5_000)]),
                                       LineString([(10_500, 5_000), (16_000, 5_000)])], crs=CRS)
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50)
    assert _pairs(adj) == {("99201", "99202"): "road"}


def test_n03_rows_dissolved_and_uncoded_rows_reported():
    m = _row_of_squares(gap_m=5.0, n=2)
    extra = gpd.GeoDataFrame({"municipality_code": ["99202", None], "municipality_name": ["M1", "所属未定地"]},
                             geometry=[box(30_000, 0, 31_000, 1_000), box(50_000, 0, 51_000, 1_000)], crs=CRS)
    m = gpd.GeoDataFrame(pd_concat([m, extra]), crs=CRS)
    report = LoadReport()
    adj = municipal_adjacency(m, report=report)
    assert set(_pairs(adj)) == {("99201", "99202")}
    skipped = report.skipped("municipalities")
    assert len(skipped) == 1 and skipped["row"].iloc[0] == 4


def test_geographic_crs_is_a_clear_error():
    m = _row_of_squares().set_crs("EPSG:6668", allow_override=True)
    with pytest.raises(InputError, match="geographic"):
        municipal_adjacency(m)


def _max_link(metres):
    s = Settings()
    s.grouping.adjacency_max_link_m = metres
    return s


def _detour_roads(split: bool, bridge_in_middle: bool = False):
    """A road leaving 99201 southwards, running 20 010 m outside the area (y = -2 km) and
    entering 99203: 2 000 + 20 010 + 2 000 = 24 010 m outside every polygon."""
    path = [(5_000, 5_000), (5_000, -2_000), (25_010, -2_000), (25_010, 5_000)]
    if not split:
        return gpd.GeoDataFrame({"is_bridge": [False]}, geometry=[LineString(path)], crs=CRS)
    lines = [LineString(path[:2]), LineString([path[1], (15_000, -2_000)]),
             LineString([(15_000, -2_000), path[2]]), LineString(path[2:])]
    return gpd.GeoDataFrame({"is_bridge": [False, bridge_in_middle, False, False]}, geometry=lines,
                            crs=CRS)


@pytest.mark.parametrize("split", [True, False])
def test_road_link_outside_the_area_is_bounded_by_max_link(split):
    # 99201 and 99203 are 10 km apart (99202 between them); a road layer reaching beyond
    # the area joins them through 24 010 m of road outside every polygon
    m = _row_of_squares(gap_m=5.0)
    roads = _detour_roads(split)
    boundary_only = {("99201", "99202"): "boundary", ("99202", "99203"): "boundary"}
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50)          # default 10 km
    assert _pairs(adj) == boundary_only
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50, settings=_max_link(24_000.0))
    assert _pairs(adj) == boundary_only
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50, settings=_max_link(30_000.0))
    assert _pairs(adj) == {**boundary_only, ("99201", "99203"): "road"}
    assert adj.set_index(["code_a", "code_b"]).loc[("99201", "99203"), "link_m"] == pytest.approx(24_010.0)
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50, settings=_max_link(float("inf")))
    assert ("99201", "99203") in _pairs(adj)


def test_chain_link_is_the_shortest_chain_and_names_a_bridge_on_it():
    m = _row_of_squares(gap_m=5.0)
    roads = _detour_roads(split=True, bridge_in_middle=True)
    # a long loop of road far outside, joined to the chain: it must not count in link_m
    loop = gpd.GeoDataFrame({"is_bridge": [False]}, geometry=[
        LineString([(15_000, -2_000), (15_000, -40_000), (60_000, -40_000)])], crs=CRS)
    roads = gpd.GeoDataFrame(pd_concat([roads, loop]), crs=CRS)
    adj = municipal_adjacency(m, roads=roads, tolerance_m=50, settings=_max_link(30_000.0))
    assert _pairs(adj)[("99201", "99203")] == "bridge"
    assert adj.set_index(["code_a", "code_b"]).loc[("99201", "99203"), "link_m"] == pytest.approx(24_010.0)


def test_max_link_must_be_positive():
    m = _row_of_squares(gap_m=5.0)
    with pytest.raises(InputError, match="adjacency_max_link_m must be > 0"):
        municipal_adjacency(m, roads=_detour_roads(True), settings=_max_link(0.0))


def pd_concat(frames):
    import pandas as pd
    return pd.concat(frames, ignore_index=True)
