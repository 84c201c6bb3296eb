"""The national road-structure inspection database (全国道路施設点検データベース) as it comes:
its bridge export (TSV or CSV, CP932 or UTF-8) and its API's JSON, read into the canonical
bridges; every row kept or reported (issue 12)."""
from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from gunmane_geo import schema
from gunmane_geo.cli import main
from gunmane_geo.io import LoadReport, load_region, read_layer
from gunmane_geo.io.layouts import INSPECTION_DB_COLUMNS

HEADER = list(INSPECTION_DB_COLUMNS)
# the odd values of real exports: an empty 架設年度, 判定区分 written 1.0 / 5.0 / 0 / blank,
# 点検実施年度 as 2016年度, a 横断歩道橋, 措置状況 blank, a prefectural and a national bridge
ROWS = [
    ["1001", "道路橋", "中央橋", "ちゅうおうばし", "市道1号線", "市区町村", "架空市", "架空市建設課",
     "架空県", "架空市", "35.0100", "135.0100", "1970", "25.3", "8.5", "2016年度", "1.0", "措置不要"],
    ["1002", "横断歩道橋", "駅前歩道橋", "えきまえほどうきょう", "国道9号", "国", "近畿地方整備局",
     "架空国道事務所", "架空県", "架空市", "35.0200", "135.0200", "", "40", "3", "2017年度", "2.0",
     "措置着手済み"],
    ["1003", "道路橋", "川橋", "かわはし", "県道1号", "都道府県", "架空県", "架空土木事務所", "架空県",
     "山村", "35.0300", "135.0300", "1965", "120", "12", "2018年度", "5.0", ""],
    ["1004", "道路橋", "山橋", "やまはし", "村道2号", "市区町村", "山村", "", "架空県", "山村",
     "35.0400", "135.0400", "1980", "10", "4", "2019年度", "3.0", "措置完了済み"],
    ["1005", "道路橋", "谷橋", "たにはし", "村道3号", "市区町村", "山村", "", "架空県", "山村",
     "35.0410", "135.0410", "1988", "8", "4", "2019年度", "0", "措置未着手"],
    ["1006", "道路橋", "無名橋", "", "村道4号", "市区町村", "山村", "", "架空県", "山村",
     "35.0420", "135.0420", "1990", "6", "3.5", "2020年度", "", ""],
]


def write_export(path, rows=ROWS, sep="\t", encoding="cp932"):
    text = "\n".join(sep.join(r) for r in [HEADER] + rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def check_bridges(bridges, report, source, kept=("フリガナ", "管理事務所名", "都道府県名", "市町村名")):
    assert list(bridges["bridge_id"]) == [r[0] for r in ROWS]          # every row kept
    assert list(bridges["manager"]) == ["municipality", "national", "prefecture",
                                        "municipality", "municipality", "municipality"]
    assert list(bridges["manager_name"]) == [r[6] for r in ROWS]
    assert list(bridges["structure_kind"]) == ["road_bridge", "pedestrian_bridge"] + \
        ["road_bridge"] * 4
    assert list(bridges["footbridge"]) == [False, True, False, False, False, False]
    assert list(bridges["measure_status"]) == ["not_needed", "started", None, "completed",
                                               "not_started", None]
    assert bridges["rating"].tolist() == [1, 2, pd.NA, 3, pd.NA, pd.NA]
    assert bridges["last_inspection_year"].tolist() == [2016, 2017, 2018, 2019, 2019, 2020]
    assert bridges["built_year"].tolist() == [1970, pd.NA, 1965, 1980, 1988, 1990]
    assert bridges["length_m"].tolist() == [25.3, 40, 120, 10, 8, 6]
    # every other column is kept as it is
    for col in kept:
        assert col in bridges.columns
    assert bridges[kept[-1]].iloc[1] == ROWS[1][HEADER.index(kept[-1])]
    df = report.to_frame()
    df = df[df["source"] == str(source)]
    nulled = df[(df["action"] == "nulled") & (df["field"] == "rating")]
    assert sorted(nulled["row"].tolist()) == [3, 5]
    five = nulled[nulled["row"] == 3]["message"].iloc[0]
    assert "判定区分 5" in five and "not surveyed" in five and "5.0" in five
    assert "判定区分 0" in nulled[nulled["row"] == 5]["message"].iloc[0]
    summary = report.summary()
    row = summary[summary["source"] == str(source)].iloc[0]
    assert (row["read"], row["kept"], row["skipped"]) == (6, 6, 0)


def test_tsv_cp932_export(tmp_path):
    path = write_export(tmp_path / "点検DB.tsv")
    report = LoadReport()
    bridges = read_layer(path, "bridges", report=report)
    check_bridges(bridges, report, path)
    layout = report.to_frame().query("field == 'layout'")["message"].tolist()
    assert layout and "全国道路施設点検データベース形式 (TSV, CP932)" in layout[0]
    assert bridges.crs.to_epsg() == 6668


def test_csv_utf8_export(tmp_path):
    path = write_export(tmp_path / "bridges.csv", sep=",", encoding="utf-8")
    report = LoadReport()
    bridges = read_layer(path, "bridges", report=report)
    check_bridges(bridges, report, path)
    layout = report.to_frame().query("field == 'layout'")["message"].tolist()
    assert "全国道路施設点検データベース形式 (CSV, UTF-8)" in layout[0]


def test_tab_separated_text_with_csv_name(tmp_path):
    path = write_export(tmp_path / "export.csv", sep="\t", encoding="cp932")
    report = LoadReport()
    read_layer(path, "bridges", report=report)
    assert "(TSV, CP932)" in report.to_frame().query("field == 'layout'")["message"].iloc[0]


def test_user_field_map_wins_over_the_layout(tmp_path):
    path = write_export(tmp_path / "点検DB.tsv")
    bridges = read_layer(path, "bridges", field_map={"フリガナ": "name"})
    assert bridges["name"].iloc[0] == "ちゅうおうばし"
    assert "橋名" in bridges.columns                  # the layout's name column is kept


def test_a_rating_five_in_another_inventory_is_still_an_error_value(tmp_path):
    path = tmp_path / "bridges.csv"
    path.write_text("橋梁ID,判定区分,緯度,経度\nB1,5,35.0,135.0\n", encoding="utf-8")
    report = LoadReport()
    bridges = read_layer(path, "bridges", report=report)
    assert bridges["rating"].isna().all()
    row = report.to_frame().query("field == 'rating'").iloc[0]
    assert row["severity"] == "warning" and "not a rating" in row["message"]


def test_validate_names_the_layout(tmp_path, capsys):
    path = write_export(tmp_path / "点検DB.tsv")
    rc = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "全国道路施設点検データベース形式 (TSV, CP932)" in out
    assert "判定区分 5" in out and "not surveyed" in out      # the code is explained
    assert "bridges" in out and "     6      6       0" in out


# --- the API's JSON -------------------------------------------------------------------
def api_record(row, code="99201"):
    (bid, kind, name, kana, route, kubun, manager, office, pref, city, lat, lon, built, length,
     width, year, rating, measure) = row
    return {
        "id": bid,
        "syogen": {
            "shisetsu": {"meisyou": name, "furigana": kana, "syurui": kind},
            "rosen": {"meisyou": route},
            "kanrisya": {"kubun": kubun, "meisyou": manager},
            "gyousei_kuiki": {"shikuchouson_code": code, "todoufuken_mei": pref},
            "ichi": {"ido": float(lat), "keido": float(lon)},
            "kasetsu_nendo": int(built) if built else None,
            "kyouchou": float(length), "fukuin": float(width),
            "kouzou": {"keishiki": "RC床版橋"},
        },
        "tenken": {"nendo": year, "kiroku": {"hantei_kubun": float(rating) if rating else None},
                   "syuzen": {"sochi_joukyou": measure or None}},
    }


@pytest.mark.parametrize("wrap", ["list", "data"])
def test_api_json_gives_the_same_bridges(tmp_path, wrap):
    records = [api_record(r) for r in ROWS]
    data = records if wrap == "list" else {"count": len(records), "data": records}
    path = tmp_path / "api.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = LoadReport()
    bridges = read_layer(path, "bridges", report=report)
    check_bridges(bridges, report, path, kept=("フリガナ", "都道府県名"))
    assert list(bridges["municipality_code"]) == ["99201"] * 6
    assert bridges["syogen.kouzou.keishiki"].iloc[0] == "RC床版橋"   # unmapped keys kept
    layout = report.to_frame().query("field == 'layout'")["message"].iloc[0]
    assert "全国道路施設点検データベース形式 (JSON, UTF-8)" in layout


def test_validate_recognises_api_json_whatever_its_name(tmp_path, capsys):
    path = tmp_path / "xroad_api.json"                      # 'road' in the name
    path.write_text(json.dumps({"data": [api_record(r) for r in ROWS]}, ensure_ascii=False),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(bridges)" in out and "全国道路施設点検データベース形式 (JSON, UTF-8)" in out
    from gunmane_geo.errors import InputError
    with pytest.raises(InputError, match="as bridges"):
        read_layer(path, "roads")


def test_api_json_without_records_is_an_error_naming_the_file(tmp_path):
    from gunmane_geo.errors import InputError
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"syogen": "none", "tenken": []}), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_layer(path, "bridges")
    assert "api.json" in str(exc.value) and "syogen.shisetsu.meisyou" in str(exc.value)


def test_geojson_bridges_are_not_taken_for_api_json(tmp_path):
    gdf = gpd.GeoDataFrame({"橋梁ID": ["B1"]}, geometry=gpd.points_from_xy([135.0], [35.0]),
                           crs="EPSG:4326")
    path = tmp_path / "bridges.json"
    gdf.to_file(path, driver="GeoJSON")
    assert list(read_layer(path, "bridges")["bridge_id"]) == ["B1"]


# --- manager_code through the municipalities layer ---------------------------------------
def test_load_region_finds_the_managing_municipality(tmp_path):
    rows = [list(r) for r in ROWS]
    rows.append(["1007", "道路橋", "隣橋", "", "市道9号", "市区町村", "府中市", "", "架空県", "架空市",
                 "35.0150", "135.0150", "1990", "6", "3", "2020年度", "2.0", ""])
    rows.append(["1008", "道路橋", "遠橋", "", "市道8号", "市区町村", "遠い市", "", "架空県", "架空市",
                 "35.0160", "135.0160", "1990", "6", "3", "2020年度", "2.0", ""])
    path = write_export(tmp_path / "点検DB.tsv", rows=rows)
    munis = gpd.GeoDataFrame(
        {"N03_001": ["架空県", "架空県", "架空県", "別県"], "N03_004": ["架空市", "山村", "府中市", "府中市"],
         "N03_007": ["99201", "99301", "99202", "98202"]},
        geometry=[box(135.0, 35.0, 135.025, 35.05), box(135.025, 35.0, 135.05, 35.05),
                  box(135.05, 35.0, 135.06, 35.05), box(136.0, 35.0, 136.1, 35.05)],
        crs="EPSG:6668")
    munis.to_file(tmp_path / "n03.gpkg")
    region = load_region({"bridges": path, "municipalities": tmp_path / "n03.gpkg"})
    b = region.bridges.set_index("bridge_id")
    assert b.loc["1001", "manager_code"] == "99201"
    assert b.loc["1004", "manager_code"] == "99301"
    assert b.loc["1007", "manager_code"] == "99202"      # 府中市 of the bridge's prefecture
    assert b.loc["1002", "manager_code"] is None          # national: no municipality
    assert b.loc["1008", "manager_code"] is None
    df = region.report.to_frame()
    note = df[(df["field"] == "manager_code") & df["message"].str.contains("遠い市")]
    assert len(note) == 1 and "rows 8" in note["message"].iloc[0]
    filled = df[(df["field"] == "manager_code") & (df["action"] == "filled")]
    assert "for 5 bridges" in filled["message"].iloc[0]


# --- parsers ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind", [
    ("道路橋", "road_bridge"), ("横断歩道橋", "pedestrian_bridge"), ("歩道橋", "pedestrian_bridge"),
    ("人道橋", "pedestrian_bridge"), ("トンネル", "トンネル"), ("", None)])
def test_parse_structure_kind(text, kind):
    assert schema.parse_structure_kind(text) == kind


@pytest.mark.parametrize("text, status", [
    ("措置不要", "not_needed"), ("措置着手済み", "started"), ("措置完了済み", "completed"),
    ("未着手", "not_started"), ("措置未着手", "not_started"), ("経過観察", "経過観察"),
    ("-", None)])
def test_parse_measure_status(text, status):
    assert schema.parse_measure_status(text) == status
