"""国土数値情報 P04 医療機関 and P29 学校 as facilities with their types (issue 12)."""
from __future__ import annotations

import geopandas as gpd
import pytest

from gunmane_geo.io import LoadReport, read_layer


def points(n):
    return gpd.points_from_xy([135.0 + 0.01 * i for i in range(n)], [35.0] * n)


def test_p04_medical_facilities(tmp_path):
    gdf = gpd.GeoDataFrame({"P04_001": [1, 2, 3, 9], "P04_002": ["架空病院", "山診療所", "歯科", "謎"],
                            "P04_003": ["架空市1", "山村2", "架空市3", "架空市4"]},
                           geometry=points(4), crs="EPSG:4612")
    gdf.to_file(tmp_path / "P04-20_99.shp", encoding="cp932")
    report = LoadReport()
    fac = read_layer(tmp_path / "P04-20_99.shp", "facilities", report=report)
    assert list(fac["facility_type"]) == ["hospital"] * 4
    assert list(fac["facility_subtype"]) == ["病院", "診療所", "歯科診療所", "9"]
    assert list(fac["name"]) == ["架空病院", "山診療所", "歯科", "謎"]
    assert "P04_003" in fac.columns
    df = report.to_frame()
    assert "国土数値情報 医療機関 (P04) 形式" in df.query("field == 'layout'")["message"].iloc[0]
    assert df["message"].str.contains("'9' is not a known code").any()
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"]) == (4, 4)


@pytest.mark.parametrize("version", ["2.0", "1.1"])
def test_p29_schools(tmp_path, version):
    names = ["第一小学校", "中学校", "幼稚園", "休校の小学校"]
    codes = ["16001", "16002", "16011", "16001"]
    if version == "2.0":
        data = {"P29_001": ["99201", "99201", "99202", "1100"], "P29_002": ["A", "B", "C", "D"],
                "P29_003": codes, "P29_004": names, "P29_005": ["所在地"] * 4,
                "P29_006": ["3"] * 4, "P29_007": ["1", "1", "1", "2"]}
    else:
        data = {"P29_001": ["99201"] * 4, "P29_002": ["16"] * 4, "P29_003": ["16010"] * 4,
                "P29_004": codes, "P29_005": names}
    gdf = gpd.GeoDataFrame(data, geometry=points(4), crs="EPSG:6668")
    gdf.to_file(tmp_path / "P29.geojson", driver="GeoJSON")
    report = LoadReport()
    fac = read_layer(tmp_path / "P29.geojson", "facilities", report=report)
    assert list(fac["facility_type"]) == ["school"] * 4
    assert list(fac["facility_subtype"]) == ["小学校", "中学校", "幼稚園", "小学校"]
    assert list(fac["name"]) == names
    df = report.to_frame()
    assert "国土数値情報 学校 (P29) 形式" in df.query("field == 'layout'")["message"].iloc[0]
    if version == "2.0":
        assert fac["municipality_code"].tolist() == ["99201", "99201", "99202", "01100"]
        closed = df[df["field"] == "P29_007"]["message"].iloc[0]
        assert "休校中" in closed and "rows 4" in closed
    else:
        assert df["message"].str.contains("第1.1版").any()


def test_validate_guesses_the_kind_from_ksj_columns(tmp_path, capsys):
    from gunmane_geo.cli import main
    gdf = gpd.GeoDataFrame({"P04_001": [1], "P04_002": ["架空病院"]}, geometry=points(1),
                           crs="EPSG:4612")
    gdf.to_file(tmp_path / "P04-20_99.shp", encoding="cp932")
    assert main(["validate", str(tmp_path / "P04-20_99.shp")]) == 0
    out = capsys.readouterr().out
    assert "(facilities)" in out and "国土数値情報 医療機関 (P04) 形式 (Shapefile)" in out
