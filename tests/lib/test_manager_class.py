"""Manager class everywhere (issue 12), on hand-worked fixtures: municipal bridges count for
their managing municipality, the prefecture's and the state's apart; prefectural bridges
feed the road pairs (垂直連携); the report says national bridges are never planned."""
from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point

from gunmane_geo.grouping.adjacency import prepare_municipalities
from gunmane_geo.grouping.attributes import municipality_attributes
from gunmane_geo.grouping.road_pairs import road_pairs
from gunmane_geo.indicators import municipality_indicators

CRS = "EPSG:6677"


def municipalities():
    # A = 99201 (x 0..1000), B = 99202 (x 1000..2000)
    return gpd.GeoDataFrame({"municipality_code": ["99201", "99202"],
                             "municipality_name": ["甲町", "乙村"]},
                            geometry=[shapely.box(0, 0, 1000, 1000),
                                      shapely.box(1000, 0, 2000, 1000)], crs=CRS)


def bridges():
    rows = [("b1", "municipality", "99201", (100, 500)),    # A's, stands in A
            ("b2", "municipality", "99202", (900, 500)),    # B manages it, stands in A
            ("b3", "prefecture", None, (1500, 500)),         # the prefecture's, in B
            ("b4", "national", None, (200, 200)),            # the state's, in A
            ("b5", None, None, (1800, 800))]                 # no manager given: municipal, B
    return gpd.GeoDataFrame({"bridge_id": [r[0] for r in rows], "manager": [r[1] for r in rows],
                             "manager_code": [r[2] for r in rows],
                             "length_m": [10.0] * 5, "width_m": [5.0] * 5},
                            geometry=[Point(r[3]) for r in rows], crs=CRS)


def test_indicators_count_by_manager():
    ind = municipality_indicators(municipalities(), bridges()).set_index("unit_id")
    assert ind.loc["99201", "n_bridges"] == 1             # b1 (b2 is B's)
    assert ind.loc["99202", "n_bridges"] == 2             # b2, b5
    assert ind.loc["99201", "deck_area_m2"] == 50.0
    assert ind.loc["99202", "deck_area_m2"] == 100.0
    assert ind.loc["99201", "n_bridges_national"] == 1 and ind.loc["99202", "n_bridges_national"] == 0
    assert ind.loc["99202", "n_bridges_prefecture"] == 1 and ind.loc["99201", "n_bridges_prefecture"] == 0
    assert ind["n_bridges_other_manager"].tolist() == [1, 1]
    # every bridge counted once
    assert int(ind["n_bridges"].sum() + ind["n_bridges_other_manager"].sum()) == 5


def test_grouping_attributes_count_municipal_bridges_by_manager():
    munis = prepare_municipalities(municipalities())
    a = municipality_attributes(munis, bridges())
    assert a.loc["99201", "bridges"] == 1 and a.loc["99202", "bridges"] == 2
    assert a.loc["99202", "pref_bridges"] == 1 and a.loc["99201", "pref_bridges"] == 0
    assert a.loc["99201", "national_bridges"] == 1


def test_a_manager_code_outside_the_run_keeps_the_location():
    b = bridges()
    b.loc[b["bridge_id"] == "b2", "manager_code"] = "98765"      # not a municipality here
    ind = municipality_indicators(municipalities(), b).set_index("unit_id")
    assert ind.loc["99201", "n_bridges"] == 2 and ind.loc["99202", "n_bridges"] == 1


def test_road_pairs_count_each_managers_bridges_on_its_road():
    roads = gpd.GeoDataFrame(
        {"road_id": ["p", "m"], "road_class": ["prefectural", "municipal"],
         "route_name": ["県道1号", "市道A線"]},
        geometry=[LineString([(0, 0), (2000, 0)]), LineString([(200, 20), (1800, 20)])], crs=CRS)
    rows = [("m1", "municipality", (1000, 20)),    # on the municipal stretch
            ("p1", "prefecture", (1000, 0)),       # the prefecture's, 20 m from the muni road
            ("p3", "prefecture", (500, 0)),        # the prefecture's, alongside
            ("p2", "prefecture", (1900, 0)),       # beyond the stretch's end (x 1800)
            ("n1", "national", (1500, 0))]         # the state's: neither
    br = gpd.GeoDataFrame({"bridge_id": [r[0] for r in rows], "manager": [r[1] for r in rows]},
                          geometry=[Point(r[2]) for r in rows], crs=CRS)
    pairs = road_pairs(roads, bridges=br)
    assert len(pairs) == 1
    p = pairs.iloc[0]
    assert p["bridges_on_muni"] == 1 and p["bridge_ids"] == "m1"
    assert p["pref_bridges_alongside"] == 2
    assert sorted(p["pref_bridge_ids"].split(";")) == ["p1", "p3"]


def test_report_says_national_bridges_are_never_planned():
    from gunmane_geo.report.summary import summary_lines_of
    f = {"horizon": 50, "n_bridges": 3, "n_municipalities": 2, "old_now": 0.5,
         "n_rating_34": 1, "age_threshold": 50, "n_prefecture": 1, "n_national": 1}
    ja = dict(summary_lines_of(f, "ja"))["地域の橋梁"]
    assert "都道府県管理1橋・国管理1橋（集計は別掲）。国管理の橋梁は撤去・集約計画の対象外。" in ja
    en = dict(summary_lines_of(f, "en"))["The region's bridges"]
    assert "national bridges are never planned for removal" in en
