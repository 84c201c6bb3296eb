"""国土数値情報 P02 公共施設 as facilities, W05 河川 as rivers, and several facility files
in one run (issue 12).  Fixtures are written in the exact KSJ column layouts."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gunmane_geo.errors import InputError
from gunmane_geo.io import LoadReport, load_region, load_run_config, read_layer


def points(n, lon=135.0, lat=35.0):
    return gpd.points_from_xy([lon + 0.001 * i for i in range(n)], [lat] * n)


def p02_frame():
    # P02_001 行政区域コード, P02_002 大分類, P02_003 小分類, P02_004 名称, P02_005 所在地
    rows = [("99201", "12", "12002", "架空市役所"),          # office 市役所
            ("99202", "12", "12004", "山村役場"),            # office 町村役場
            ("99201", "12", "12001", "架空県庁"),            # prefectural_office
            ("99201", "12", "12005", "架空県土木事務所"),      # prefectural_office
            ("99201", "12", "", "架空市北支所"),              # office, branch (by its name)
            ("99201", "15", "15002", "架空消防署"),           # fire_station
            ("99201", "16", "16001", "架空小学校"),           # school
            ("99201", "17", "", "架空病院"),                 # hospital
            ("99201", "14", "14002", "架空警察署"),           # police
            ("99201", "", "18004", "架空簡易郵便局"),          # 大分類 from the 小分類 -> 18
            ("1100", "77", "77001", "謎の施設")]              # unknown 大分類 -> other
    cols = list(zip(*rows))
    return gpd.GeoDataFrame({"P02_001": cols[0], "P02_002": cols[1], "P02_003": cols[2],
                             "P02_004": cols[3], "P02_005": ["所在地"] * len(rows)},
                            geometry=points(len(rows)), crs="EPSG:4612")


def test_p02_public_facilities_cp932_shapefile(tmp_path):
    p02_frame().to_file(tmp_path / "P02-06_99.shp", encoding="cp932")   # no .cpg written? see below
    for cpg in tmp_path.glob("*.cpg"):
        cpg.unlink()                                  # as KSJ ships it: CP932 without .cpg
    report = LoadReport()
    fac = read_layer(tmp_path / "P02-06_99.shp", "facilities", report=report)
    assert fac["facility_type"].tolist() == [
        "office", "office", "prefectural_office", "prefectural_office", "office",
        "fire_station", "school", "hospital", "police", "post_office", "other"]
    assert fac["facility_subtype"].tolist() == [
        "区役所 (東京都)・市役所", "町村役場", "都道府県庁", "都道府県の出先機関", "支所・出張所",
        "消防署 15002", "小学校", "病院", "警察機関 14002", "簡易郵便局", "公共施設大分類 77 77001"]
    assert fac["name"].tolist()[0] == "架空市役所"
    assert fac["municipality_code"].tolist()[:2] == ["99201", "99202"]
    assert fac["municipality_code"].tolist()[-1] == "01100"           # leading zero restored
    assert "P02_005" in fac.columns
    df = report.to_frame()
    assert "国土数値情報 公共施設 (P02) 形式 (Shapefile)" in df.query("field == 'layout'")["message"].iloc[0]
    assert df["message"].str.contains("'77' is not a known code").any()
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"]) == (11, 11)


def test_grouping_prefers_the_main_office_over_a_branch(tmp_path):
    from gunmane_geo.grouping.groups import office_points
    munis = gpd.GeoDataFrame({"municipality_code": ["99201"]},
                             geometry=[shapely.box(0, 0, 1000, 1000)], crs="EPSG:6677")
    munis = munis.set_index("municipality_code", drop=False)
    offices = gpd.GeoDataFrame(
        {"facility_type": ["office", "office"], "facility_subtype": ["支所・出張所", "町村役場"],
         "municipality_code": ["99201", "99201"]},
        geometry=[shapely.Point(100, 100), shapely.Point(800, 900)], crs="EPSG:6677")
    xy = office_points(munis, offices)
    assert xy.tolist() == [[800.0, 900.0]]


def test_w05_rivers_with_their_class(tmp_path):
    lines = [shapely.LineString([(135.0, 35.0 + 0.01 * i), (135.01, 35.0 + 0.01 * i)])
             for i in range(4)]
    gdf = gpd.GeoDataFrame({"W05_001": ["850301"] * 3 + ["990000"],
                            "W05_002": ["8503010001", "8503010001", "8503010002", "9900000000"],
                            "W05_003": ["1", "2", "7", "9"],
                            "W05_004": ["架空川", "架空川", "架空湖", None],
                            "W05_005": ["4"] * 4, "W05_006": ["true"] * 4},
                           geometry=lines, crs="EPSG:4612")
    gdf.to_file(tmp_path / "W05-08_99-g_Stream.shp", encoding="cp932")
    report = LoadReport()
    rivers = read_layer(tmp_path / "W05-08_99-g_Stream.shp", "rivers", report=report)
    assert rivers["river_class"].tolist() == ["一級直轄区間", "一級指定区間", "二級河川区間 (湖沼)", "9"]
    assert rivers["name"].tolist()[:3] == ["架空川", "架空川", "架空湖"]
    assert rivers["name"].isna().tolist()[3]
    # several reaches of one river keep one 河川コード, renamed for unique ids
    assert rivers["river_id"].tolist() == ["8503010001", "8503010001#2", "8503010002", "9900000000"]
    df = report.to_frame()
    assert "国土数値情報 河川 (W05) 形式" in df.query("field == 'layout'")["message"].iloc[0]
    assert df["message"].str.contains("W05_003 '9' is not a known 区間種別").any()
    assert len(rivers) == 4


def test_w05_river_nodes_are_refused_with_a_fix(tmp_path):
    gdf = gpd.GeoDataFrame({"W05_000": ["gb03_1"], "W05_011": ["12.5"]}, geometry=points(1),
                           crs="EPSG:4612")
    gdf.to_file(tmp_path / "W05-08_99-g_RiverNode.shp", encoding="cp932")
    with pytest.raises(InputError, match="河川節点.*Stream"):
        read_layer(tmp_path / "W05-08_99-g_RiverNode.shp", "rivers")


def test_validate_names_each_ksj_layout(tmp_path, capsys):
    from gunmane_geo.cli import main
    p02_frame().iloc[:2].to_file(tmp_path / "P02-06_99.shp", encoding="cp932")
    gpd.GeoDataFrame({"W05_001": ["850301"], "W05_002": ["8503010001"], "W05_003": ["3"],
                      "W05_004": ["架空川"]},
                     geometry=[shapely.LineString([(135, 35), (135.01, 35)])],
                     crs="EPSG:4612").to_file(tmp_path / "W05-08_99-g_Stream.shp",
                                              encoding="cp932")
    assert main(["validate", str(tmp_path / "P02-06_99.shp"),
                 str(tmp_path / "W05-08_99-g_Stream.shp")]) == 0
    out = capsys.readouterr().out
    assert "(facilities)" in out and "国土数値情報 公共施設 (P02) 形式 (Shapefile)" in out
    assert "(rivers)" in out and "国土数値情報 河川 (W05) 形式 (Shapefile)" in out


def _region_files(tmp_path):
    gpd.GeoDataFrame({"P04_001": [1, 2], "P04_002": ["架空病院", "山診療所"]},
                     geometry=points(2, 139.0, 36.0), crs="EPSG:4612").to_file(
        tmp_path / "P04.shp", encoding="cp932")
    gpd.GeoDataFrame({"P29_001": ["09201"], "P29_002": ["A"], "P29_003": ["16001"],
                      "P29_004": ["架空小学校"]}, geometry=points(1, 139.002, 36.0),
                     crs="EPSG:6668").to_file(tmp_path / "P29.geojson")
    gpd.GeoDataFrame({"P02_001": ["09201"] * 2, "P02_002": ["12", "15"],
                      "P02_003": ["12004", "15002"], "P02_004": ["架空町役場", "架空消防署"]},
                     geometry=points(2, 139.004, 36.0), crs="EPSG:6668").to_file(
        tmp_path / "P02.geojson")
    gpd.GeoDataFrame({"road_id": ["r1"], "road_class": ["municipal"]},
                     geometry=[shapely.LineString([(139.0, 36.0), (139.01, 36.0)])],
                     crs="EPSG:6668").to_file(tmp_path / "roads.geojson")


def test_several_facility_files_in_run_toml(tmp_path):
    _region_files(tmp_path)
    (tmp_path / "run.toml").write_text(
        '[inputs]\nroads = "roads.geojson"\n'
        'facilities = ["P04.shp", "P29.geojson", {path = "P02.geojson"}]\n', encoding="utf-8")
    inputs, settings = load_run_config(tmp_path / "run.toml")
    region = load_region(inputs, settings)
    fac = region.facilities
    assert fac["facility_type"].tolist() == ["hospital", "hospital", "school", "office",
                                             "fire_station"]
    assert fac["source_file"].tolist() == ["P04.shp", "P04.shp", "P29.geojson", "P02.geojson",
                                           "P02.geojson"]
    assert fac["source_row"].tolist() == [1, 2, 1, 1, 2]
    assert fac["facility_id"].is_unique                        # f1 of each file renamed
    assert fac["facility_id"].tolist() == ["f1", "f2", "P29:f1", "P02:f1", "P02:f2"]
    assert region.sources["facilities"].count(";") == 2
    layouts = region.report.to_frame().query("field == 'layout'")["message"].tolist()
    assert any("(P04)" in m for m in layouts) and any("(P29)" in m for m in layouts) \
        and any("(P02)" in m for m in layouts)
    assert np.isfinite(shapely.get_coordinates(fac.geometry.values)).all()


def test_several_facility_files_from_python(tmp_path):
    _region_files(tmp_path)
    region = load_region({"roads": tmp_path / "roads.geojson",
                          "facilities": [tmp_path / "P04.shp", str(tmp_path / "P02.geojson")]})
    assert len(region.facilities) == 4
    assert set(region.facilities["facility_type"]) == {"hospital", "office", "fire_station"}


def test_only_some_kinds_may_be_several_files(tmp_path):
    _region_files(tmp_path)
    with pytest.raises(InputError, match="only facilities"):
        load_region({"roads": [tmp_path / "roads.geojson", tmp_path / "roads.geojson"]})
