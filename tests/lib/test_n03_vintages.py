"""国土数値情報 N03 行政区域 as it comes in each vintage (issue 12): CP932 Shapefiles
without .cpg before 2024 and UTF-8 after, JGD2000 (EPSG:4612) .prj before 2016 and
JGD2011 (EPSG:6668) after, 所属未定地 rows without a code, the 政令指定都市's wards (the
ward in N03_004, or in N03_005 where a vintage has that column).  Every row is kept or
reported."""
from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from gunmane_geo.io import LoadReport, load_region, read_municipalities


def squares(n):
    return [shapely.box(135.0 + 0.1 * i, 35.0, 135.1 + 0.1 * i, 35.1) for i in range(n)]


# N03_001 都道府県名, N03_002 支庁・振興局名, N03_003 郡・政令都市名, N03_004 市区町村名,
# N03_007 行政区域コード; a 政令市 ward, a town in a 郡, the city split in two polygons
# (an island), and 所属未定地 (no code)
OLD_ROWS = [("架空県", None, "架空市", "中央区", "99101"),
            ("架空県", None, "架空市", "北区", "99102"),
            ("架空県", None, "山郡", "山町", "99341"),
            ("架空県", None, "山郡", "山町", "99341"),
            ("架空県", None, None, "所属未定地", None)]


def write_n03(path, rows, encoding, crs, cpg, ward_column=False):
    cols = list(zip(*rows))
    data = {"N03_001": cols[0], "N03_002": cols[1], "N03_003": cols[2], "N03_004": cols[3]}
    if ward_column:
        data["N03_005"] = cols[5]
    data["N03_007"] = cols[4]
    gdf = gpd.GeoDataFrame(data, geometry=squares(len(rows)), crs=crs)
    gdf.to_file(path, encoding=encoding)
    for f in path.parent.glob(path.stem + ".[cC][pP][gG]"):
        f.unlink()
    if cpg:
        path.with_suffix(".cpg").write_text(cpg)
    # the DBF header's language driver byte 0 (no code page), as the KSJ files have it
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0
    dbf.write_bytes(bytes(data))


def check_old_rows(m, report, source):
    assert m["municipality_code"].tolist() == ["99101", "99102", "99341"]
    assert m["municipality_name"].tolist() == ["架空市中央区", "架空市北区", "山町"]
    assert m["prefecture_name"].tolist() == ["架空県"] * 3
    assert m.geometry.iloc[2].geom_type == "MultiPolygon"        # two polygons dissolved
    df = report.to_frame()
    skipped = df[(df["action"] == "skipped") & (df["layer"] == "municipalities")]
    assert skipped["row"].tolist() == [5]
    assert "所属未定地" in skipped["message"].iloc[0]
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"], s["skipped"]) == (5, 4, 1)


def test_n03_2015_cp932_without_cpg_jgd2000(tmp_path):
    path = tmp_path / "N03-150101_99.shp"
    write_n03(path, OLD_ROWS, "cp932", "EPSG:4612", cpg=None)
    report = LoadReport()
    m = read_municipalities(path, report=report)
    assert m.crs.to_epsg() == 4612                                 # JGD2000 kept as given
    check_old_rows(m, report, path)
    notes = report.to_frame()["message"]
    assert notes.str.contains("read as CP932").any()


def test_n03_2020_cp932_jgd2011_with_cpg(tmp_path):
    path = tmp_path / "N03-20200101_99.shp"
    write_n03(path, OLD_ROWS, "cp932", "EPSG:6668", cpg="SHIFT_JIS")
    report = LoadReport()
    m = read_municipalities(path, report=report)
    assert m.crs.to_epsg() == 6668
    check_old_rows(m, report, path)


@pytest.mark.parametrize("cpg", ["UTF-8", None])
def test_n03_2024_utf8_with_the_ward_in_n03_005(tmp_path, cpg):
    # a vintage with N03_005: the 政令市 in N03_004 and its ward in N03_005
    rows = [("架空県", None, None, "架空市", "99101", "中央区"),
            ("架空県", None, None, "架空市", "99102", "北区"),
            ("架空県", None, "山郡", "山町", "99341", None),
            ("架空県", None, None, "所属未定地", None, None)]
    path = tmp_path / "N03-20240101_99.shp"
    write_n03(path, rows, "utf-8", "EPSG:6668", cpg=cpg, ward_column=True)
    report = LoadReport()
    m = read_municipalities(path, report=report)
    assert m["municipality_name"].tolist() == ["架空市中央区", "架空市北区", "山町"]
    assert m["municipality_code"].tolist() == ["99101", "99102", "99341"]
    df = report.to_frame()
    assert not df["message"].str.contains("CP932").any()
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"], s["skipped"]) == (4, 3, 1)


def test_jgd2000_and_jgd2011_layers_meet_in_one_region(tmp_path):
    # an old N03 (JGD2000) with newer bridges (JGD2011): one metric CRS, the bridge in its town
    path = tmp_path / "N03-150101_99.shp"
    write_n03(path, OLD_ROWS, "cp932", "EPSG:4612", cpg=None)
    bridges = gpd.GeoDataFrame({"bridge_id": ["b1"], "name": ["山橋"]},
                               geometry=[shapely.Point(135.25, 35.05)], crs="EPSG:6668")
    bridges.to_file(tmp_path / "bridges.geojson")
    region = load_region({"municipalities": path, "bridges": tmp_path / "bridges.geojson"})
    assert region.municipalities.crs == region.bridges.crs
    assert region.bridges["municipality_code"].tolist() == ["99341"]


def test_n03_without_prj_names_the_ksj_datums(tmp_path):
    from gunmane_geo.errors import InputError
    path = tmp_path / "N03-090320_99.shp"
    write_n03(path, OLD_ROWS[:1], "cp932", "EPSG:4612", cpg=None)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match="国土数値情報 N03.*EPSG:4612.*EPSG:6668"):
        read_municipalities(path)
    m = read_municipalities(path, source_crs="EPSG:4612")      # the fix the message names
    assert m.crs.to_epsg() == 4612 and m["municipality_name"].tolist() == ["架空市中央区"]
