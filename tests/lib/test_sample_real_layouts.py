"""The sample region in the layouts real Japanese data comes in (sample_layers/layouts.py).

The demo (``sample_layers/run.toml``) reads these files.  The checks read the raw files with
plain tools (csv, pyogrio, rasterio, pyproj) and compare them with the canonical GeoPackages
of the same region, and the mesh codes with hand-worked ones; then one test loads the
demo's inputs through the library and checks that every bridge, municipality and person
arrives, and that the manager class and the emergency routes come from the real columns.
"""
from __future__ import annotations

import csv
import io
import importlib.util
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_layers"

#: the columns of the inspection database's bridge export, as the issue quotes them
INSPECTION_COLUMNS = ["ID", "種類", "橋名", "フリガナ", "路線名", "区分", "管理者名", "管理事務所名",
                      "都道府県名", "市町村名", "緯度", "経度", "架設年度", "橋長", "幅員", "点検実施年度",
                      "判定区分", "措置状況"]


def _layouts_module():
    spec = importlib.util.spec_from_file_location("sample_layouts", SAMPLE / "layouts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def canonical():
    return {k: gpd.read_file(SAMPLE / f"{k}.gpkg") for k in ("bridges", "municipalities", "facilities")}


@pytest.fixture(scope="module")
def tsv():
    raw = (SAMPLE / "bridges_inspection_db_cp932.tsv").read_bytes()
    text = raw.decode("cp932")                       # fails if it is not CP932
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return rows[0], rows[1:]


def test_inspection_export_is_cp932_tsv_in_the_database_columns(tsv, canonical):
    header, rows = tsv
    assert header[:18] == INSPECTION_COLUMNS
    assert header[18:] == ["通学路", "バス路線", "交通量(台/日)"]
    bridges = canonical["bridges"].set_index("bridge_id")
    assert sorted(r[0] for r in rows) == sorted(bridges.index)
    to_ll = Transformer.from_crs("EPSG:6673", "EPSG:6668", always_xy=True)
    kubun = {"prefecture": "都道府県", "municipality": "市区町村"}
    for r in rows:
        rec = dict(zip(header, r))
        b = bridges.loc[rec["ID"]]
        lon, lat = to_ll.transform(b.geometry.x, b.geometry.y)
        # 6 decimals of a degree: within 0.11 m
        assert abs(float(rec["緯度"]) - lat) <= 6e-7 and abs(float(rec["経度"]) - lon) <= 6e-7
        assert rec["区分"] == kubun[b.manager]
        assert rec["点検実施年度"] == f"{b.last_inspection_year}年度"
        assert rec["判定区分"] in (f"{b.rating:.1f}", "5.0")
        assert rec["架設年度"] in ("", str(b.built_year))
        assert float(rec["橋長"]) == pytest.approx(b.length_m, abs=0.05)
        assert rec["通学路"] == ("○" if b.school_route else "")
    assert sum(r[16] == "5.0" for r in rows) == 2


def test_mesh_codes_are_jis_x0410_half_meshes():
    mod = _layouts_module()
    # Tokyo Station 35.681236 N, 139.767125 E: 3次メッシュ 53394611 (worked by hand:
    # 35.681236 x 1.5 = 53.52 -> 53, 139 - 100 = 39; 0.5218 x 8 = 4.17 -> 4, 0.767 x 8 =
    # 6.14 -> 6; 0.17 x 10 -> 1, 0.14 x 10 -> 1); the rest lies in the north-west quarter -> 3
    assert mod.mesh_code_500m(np.array([139.767125]), np.array([35.681236]))[0] == "533946113"
    # its south-west corner: 53 / 1.5 + 4 x 5' + 1 x 30" + 15" = 35.6791667 N,
    # 139 + 6 x 7.5' + 1 x 45" = 139.7625 E; 22.5" x 15" in size
    cell = mod.mesh_box_500m("533946113")
    assert cell.bounds == pytest.approx((139.7625, 35.6791667, 139.76875, 35.6833333), abs=1e-6)
    assert cell.contains(gpd.points_from_xy([139.767125], [35.681236])[0])


def test_future_population_mesh_keeps_every_person():
    mesh = gpd.read_file(SAMPLE / "mesh500m_future_population_99.shp")
    assert [c for c in mesh.columns if c.startswith("PTN_")] == [f"PTN_{y}" for y in range(2020, 2071, 5)]
    assert mesh.crs.to_epsg() == 6668
    with rasterio.open(SAMPLE / "population_250m.tif") as src:
        arr = src.read(1)
        total = float(arr[arr > 0].sum())
    assert mesh["PTN_2020"].sum() == pytest.approx(total, rel=1e-4)
    # each cell is a 500 m mesh: 22.5" x 15" (about 570 m x 460 m at 34.7 N)
    area = mesh.to_crs("EPSG:6673").area
    assert area.between(0.24e6, 0.28e6).all()
    by_muni = mesh.groupby("SHICODE")[["PTN_2020", "PTN_2050"]].sum()
    change = by_muni["PTN_2050"] / by_muni["PTN_2020"] - 1
    assert change["99361"] < change["99343"] < change["99201"] < 0     # village < town < city


def test_n03_shapefile_is_the_2023_vintage(canonical):
    shp = SAMPLE / "N03-23_99_230101.shp"
    assert not shp.with_suffix(".cpg").exists()
    raw = gpd.read_file(shp, encoding="cp932")
    assert raw.crs.to_epsg() == 6668
    named = raw[raw["N03_007"].notna()]
    assert sorted(set(named["N03_007"])) == sorted(canonical["municipalities"]["municipality_code"])
    assert list(raw.loc[raw["N03_007"].isna(), "N03_004"]) == ["所属未定地"]


def test_ksj_facilities_hold_every_canonical_facility(canonical):
    fac = canonical["facilities"]
    p04 = gpd.read_file(SAMPLE / "P04-20_99.geojson")
    p29 = gpd.read_file(SAMPLE / "P29-21_99.geojson")
    p02 = gpd.read_file(SAMPLE / "P02-22_99.geojson")
    assert sorted(p04["P04_002"]) == sorted(fac.loc[fac.facility_type == "hospital", "name"])
    assert sorted(p29["P29_004"]) == sorted(fac.loc[fac.facility_type == "school", "name"])
    assert sorted(p02["P02_004"]) == sorted(fac.loc[fac.facility_type.isin(["office", "fire_station"]),
                                                   "name"])


def test_demo_inputs_load_through_the_real_readers(canonical):
    """Every bridge and municipality arrives; 区分 gives the manager class; the N10 layer
    marks the same bridges as the canonical emergency_route flag."""
    from gunmane_geo.io.loader import load_region, load_run_config

    cfg = tomllib.loads((SAMPLE / "run.toml").read_text(encoding="utf-8"))
    assert cfg["inputs"]["bridges"] == "bridges_inspection_db_cp932.tsv"
    inputs, settings = load_run_config(SAMPLE / "run.toml")
    region = load_region(inputs, settings, base_dir=SAMPLE)
    bridges = region.bridges.set_index("bridge_id")
    canon = canonical["bridges"].set_index("bridge_id")
    assert sorted(bridges.index) == sorted(canon.index)
    assert (bridges.loc[canon.index, "manager"] == canon["manager"]).all()
    assert sorted(region.municipalities["municipality_code"]) == sorted(
        canonical["municipalities"]["municipality_code"])
    # every bridge has its municipality (the sea bridge through its 市町村名)
    assert (bridges.loc[canon.index, "municipality_code"] == canon["municipality_code"]).all()
    flagged = set(bridges.index[bridges["emergency_route"].astype(bool)])
    assert set(canon.index[canon["emergency_route"]]) <= flagged
    assert "population_2050" in region.population.columns
    fac = region.facilities
    assert sorted(fac["name"]) == sorted(canonical["facilities"]["name"])
    canon_type = dict(zip(canonical["facilities"]["name"], canonical["facilities"]["facility_type"]))
    assert all(canon_type[n] == t for n, t in zip(fac["name"], fac["facility_type"]))
    report = region.report.to_frame() if hasattr(region.report, "to_frame") else None
    if report is not None:
        skipped = report[report["action"] == "skipped"]
        assert "所属未定地" in " ".join(skipped["message"].astype(str))


def test_layouts_are_rewritten_identically(tmp_path):
    """layouts.py is deterministic: the text files it writes are byte-identical."""
    mod = _layouts_module()
    mod.write_layouts(SAMPLE, tmp_path, verbose=False)
    for key in ("bridges", "hospitals", "schools", "public_facilities", "emergency_routes"):
        name = mod.FILES[key]
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    for key in ("municipalities", "population"):
        new = gpd.read_file(tmp_path / mod.FILES[key], encoding="cp932")
        old = gpd.read_file(SAMPLE / mod.FILES[key], encoding="cp932")
        assert new.drop(columns="geometry").equals(old.drop(columns="geometry")), key
        assert new.geometry.geom_equals_exact(old.geometry, 1e-9).all(), key
