"""国土数値情報 N10 緊急輸送道路 onto the roads and bridges as the emergency-route flag
(issue 12)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo import schema
from gunmane_geo.cli import main
from gunmane_geo.io import LoadReport, load_region, read_layer

CRS = "EPSG:6673"      # metres


def n10(tmp_path, tier_values=("第1次", "第2次"), extra=None, name="N10-15_99.shp"):
    data = {"N10_001": ["99", "99"], "N10_002": list(tier_values), "N10_003": ["国道1号", "県道2号"]}
    data.update(extra or {})
    gdf = gpd.GeoDataFrame(data, geometry=[LineString([(0, 5), (1000, 5)]),
                                           LineString([(0, 500), (1000, 500)])], crs=CRS)
    gdf.to_file(tmp_path / name, encoding="cp932")
    return tmp_path / name


@pytest.mark.parametrize("text, tier", [("第1次", 1), ("2次", 2), ("三次", 3), ("3", 3), ("1.0", 1),
                                        ("", None)])
def test_parse_emergency_tier(text, tier):
    assert schema.parse_emergency_tier(text) == tier


def test_parse_emergency_tier_refuses_others():
    with pytest.raises(ValueError):
        schema.parse_emergency_tier("4次")


def test_n10_layer_tier_from_its_values(tmp_path):
    report = LoadReport()
    routes = read_layer(n10(tmp_path), "emergency_routes", report=report)
    assert routes["emergency_tier"].tolist() == [1, 2]
    df = report.to_frame()
    assert "国土数値情報 緊急輸送道路 (N10) 形式 (Shapefile)" in \
        df.query("field == 'layout'")["message"].iloc[0]
    assert "N10_002" in df.query("field == 'emergency_tier'")["message"].iloc[0]


def test_n10_tier_that_cannot_be_told_is_a_warning_with_the_fix(tmp_path):
    path = n10(tmp_path, tier_values=("1", "2"), extra={"N10_004": ["1", "3"]})
    report = LoadReport()
    routes = read_layer(path, "emergency_routes", report=report)
    assert "emergency_tier" not in routes.columns or routes["emergency_tier"].isna().all()
    msg = report.to_frame().query("field == 'emergency_tier'")["message"].iloc[0]
    assert "N10_002, N10_004" in msg and "field_map" in msg
    routes = read_layer(path, "emergency_routes", field_map={"N10_004": "emergency_tier"})
    assert routes["emergency_tier"].tolist() == [1, 3]


def test_load_region_marks_roads_and_bridges(tmp_path):
    path = n10(tmp_path)
    roads = gpd.GeoDataFrame(
        {"road_id": ["along", "cross", "other", "far"]},
        geometry=[LineString([(100, 0), (900, 0)]),          # 5 m from route 1: on it
                  LineString([(500, -300), (500, 300)]),     # crosses it: mostly off
                  LineString([(0, 490), (1000, 490)]),       # along route 2 (第2次)
                  LineString([(0, 200), (1000, 200)])], crs=CRS)
    roads.to_file(tmp_path / "roads.gpkg")
    bridges = gpd.GeoDataFrame({"橋梁ID": ["B1", "B2"]}, geometry=[Point(300, 2), Point(300, 200)],
                               crs=CRS)
    bridges.to_file(tmp_path / "bridges.gpkg")
    region = load_region({"roads": tmp_path / "roads.gpkg", "bridges": tmp_path / "bridges.gpkg",
                          "emergency_routes": path})
    r = region.roads.set_index("road_id")
    assert r["emergency_route"].tolist() == [True, False, True, False]
    assert r["emergency_tier"].tolist() == [1, pd.NA, 2, pd.NA]
    b = region.bridges.set_index("bridge_id")
    assert b["emergency_route"].tolist() == [True, False]
    assert b.loc["B1", "emergency_tier"] == 1
    df = region.report.to_frame()
    note = df[(df["layer"] == "roads") & (df["field"] == "emergency_route")]["message"].iloc[0]
    assert "2 of 4 roads" in note and "第1次 1, 第2次 1" in note
    assert len(region.emergency_routes) == 2


def test_validate_guesses_n10_by_name(tmp_path, capsys):
    path = n10(tmp_path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(emergency_routes)" in out and "N10" in out
