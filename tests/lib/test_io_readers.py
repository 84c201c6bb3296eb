"""Readers on hand-made inputs (tests/data/README.md lists every row and its expected fate)."""
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gunmane_geo.errors import InputError
from gunmane_geo.io import (LoadReport, load_region, load_run_config, read_bridges, read_layer,
                            read_municipalities, read_roads, write_csv, write_layers)

DATA = Path(__file__).resolve().parents[1] / "data"
BROKEN = DATA / "bridges_broken_cp932.csv"


@pytest.fixture(scope="module")
def broken():
    report = LoadReport()
    bridges = read_bridges(BROKEN, report=report)
    return bridges.set_index("bridge_id", drop=False), report


def test_broken_inventory_nothing_lost(broken):
    bridges, report = broken
    n_rows = len(BROKEN.read_bytes().decode("cp932").strip().splitlines()) - 1
    skipped = report.skipped("bridges")
    assert n_rows == 13
    assert len(bridges) + len(skipped) == n_rows
    assert sorted(skipped["row"].tolist()) == [3, 4, 9, 12]
    assert sorted(bridges.index) == ["B001", "B002", "B005", "B006", "B007", "B008", "B010",
                                     "B011", "B013"]
    summary = report.summary().iloc[0]
    assert (summary["read"], summary["kept"], summary["skipped"]) == (13, 9, 4)


def test_broken_inventory_reasons(broken):
    _, report = broken
    df = report.to_frame().set_index("row")
    assert "duplicate bridge_id 'B002'" in df.loc[3, "message"]
    assert "bridge_id is empty" in df.loc[4, "message"]
    assert "empty" in df.loc[9, "message"] and df.loc[9, "severity"] == "error"
    assert "outside Japan" in df.loc[12, "message"]
    nulled = report.to_frame().query("action == 'nulled'").set_index("feature_id")["field"]
    assert nulled.to_dict() == {"B005": "length_m", "B006": "built_year", "B007": "rating",
                                "B010": "built_year"}


def test_broken_inventory_values(broken):
    b, _ = broken
    assert b.loc["B001", ["built_year", "rating", "last_inspection_year"]].tolist() == [1970, 2, 2019]
    assert b.loc["B001", "deck_area_m2"] == pytest.approx(12.5 * 6.0)
    assert bool(b.loc["B001", "emergency_route"]) is True
    assert b.loc["B002", ["built_year", "rating", "last_inspection_year"]].tolist() == [1975, 3, 2021]
    assert bool(b.loc["B002", "emergency_route"]) is False
    assert b.loc["B002", "road_class"] == "prefectural" and b.loc["B002", "manager"] == "prefecture"
    assert np.isnan(b.loc["B005", "length_m"]) and np.isnan(b.loc["B005", "deck_area_m2"])
    assert b.loc["B005", "built_year"] == 1990
    assert pd.isna(b.loc["B006", "built_year"]) and pd.isna(b.loc["B007", "rating"])
    assert pd.isna(b.loc["B010", "built_year"])
    assert b.loc["B011", ["length_m", "built_year", "rating"]].tolist() == [12.5, 1970, 3]
    assert b.loc["B011", "road_class"] == "national" and bool(b.loc["B011", "emergency_route"])
    assert b.loc["B013", ["built_year", "rating"]].tolist() == [1989, 4]
    assert b.loc["B013", "road_class"] == "prefectural"
    # swapped 緯度/経度 came back in the right order; CSV lat/lon are JGD2011
    assert b.loc["B008", "geometry"].equals(shapely.Point(133.97, 34.77))
    assert b.crs.to_epsg() == 6668


def test_reproject_on_read():
    b = read_bridges(BROKEN, crs="EPSG:6673")
    assert b.crs.to_epsg() == 6673
    # 133.9E 34.7N in zone V (origin 134 20'E 36N): easting about
    # -0.4333 deg * 111.3 km * cos(34.7) = -39.7 km, northing -1.3 deg * 110.9 km = -144.2 km
    x, y = b.geometry.iloc[0].x, b.geometry.iloc[0].y
    assert -40500 < x < -39000 and -145000 < y < -143500


def test_field_map_overrides_aliases(tmp_path):
    src = tmp_path / "inv.csv"
    src.write_text("番号,延長,記号,緯度,経度\nA,10,X,34.7,133.9\nB,20,Y,34.8,134.0\n",
                   encoding="utf-8")
    # 延長 would map to length_m; the user says it is the width, and 番号 is the id
    b = read_bridges(src, field_map={"番号": "bridge_id", "延長": "width_m"})
    assert b["bridge_id"].tolist() == ["A", "B"] and b["width_m"].tolist() == [10.0, 20.0]
    assert "length_m" not in b.columns and b["記号"].tolist() == ["X", "Y"]
    with pytest.raises(InputError, match="not in the file"):
        read_bridges(src, field_map={"nothing": "bridge_id"})
    # 番号 is no known id name: without a field_map the rows get ids from their row number
    assert read_bridges(src)["bridge_id"].tolist() == ["row-00001", "row-00002"]


def test_utf8_bom_and_xy_csv():
    b = read_bridges(DATA / "bridges_utf8_bom.csv")
    assert b["bridge_id"].tolist() == ["U1", "U2"] and b["built_year"].tolist() == [1970, 1998]
    assert b["rating"].tolist() == [1, 4]
    with pytest.raises(InputError, match="need their CRS"):
        read_bridges(DATA / "bridges_xy.csv")
    xy = read_bridges(DATA / "bridges_xy.csv", source_crs="EPSG:6673")
    assert xy.crs.to_epsg() == 6673
    assert xy.geometry.iloc[0].equals(shapely.Point(-5000.5, -33000.25))


def test_n03_municipalities():
    report = LoadReport()
    m = read_municipalities(DATA / "n03_sample.geojson", report=report).set_index(
        "municipality_code")
    assert sorted(m.index) == ["99101", "99201", "99202"]
    assert m.loc["99101", "municipality_name"] == "丙市北区"
    assert m.loc["99201", "kind"] == "city" and m.loc["99202", "kind"] == "town"
    assert (m.geometry.geom_type == "MultiPolygon").all()
    assert len(m.loc["99201", "geometry"].geoms) == 2
    assert m.loc["99201", "geometry"].area == pytest.approx(0.05 ** 2 + 0.01 ** 2)
    # the bow-tie is two triangles of 0.02 x 0.01 / 2 each
    assert m.loc["99202", "geometry"].is_valid
    assert m.loc["99202", "geometry"].area == pytest.approx(0.0002)
    skipped = report.skipped("municipalities")
    assert skipped["row"].tolist() == [4] and "所属未定地" in skipped["message"].iloc[0]
    repaired = report.to_frame().query("action == 'repaired'")
    assert repaired["row"].tolist() == [3]


def test_road_geometry_cases():
    report = LoadReport()
    r = read_roads(DATA / "roads_cases.gpkg", report=report).set_index("road_id")
    assert sorted(r.index) == ["a", "b.1", "b.2", "c"]
    assert r.loc["a", "geometry"].length == pytest.approx(200.0)
    assert r.loc["a", "geometry"].geom_type == "LineString"
    assert r.loc["b.1", "geometry"].length == r.loc["b.2", "geometry"].length == 100.0
    assert not r.geometry.has_z.any()
    assert r["road_class"].to_dict() == {"a": "municipal", "b.1": "prefectural",
                                         "b.2": "prefectural", "c": "national"}
    assert sorted(report.skipped("roads")["row"]) == [4, 5]
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"], s["skipped"], s["features"]) == (5, 3, 2, 4)


def test_no_crs_empty_and_missing_files(tmp_path):
    with pytest.raises(InputError) as exc:
        read_roads(DATA / "roads_nocrs.shp")
    assert "roads_nocrs.shp" in str(exc.value) and "source_crs" in str(exc.value)
    r = read_roads(DATA / "roads_nocrs.shp", source_crs="EPSG:6673")
    assert r.crs.to_epsg() == 6673 and len(r) == 1
    with pytest.raises(InputError, match="no features"):
        read_bridges(DATA / "bridges_empty.gpkg")
    with pytest.raises(InputError, match="file not found"):
        read_bridges(tmp_path / "nope.csv")
    (tmp_path / "bad.csv").write_bytes("橋梁ID,緯度\n".encode("utf-16"))
    with pytest.raises(InputError):
        read_bridges(tmp_path / "bad.csv")
    with pytest.raises(InputError, match="unknown layer kind"):
        read_layer(BROKEN, "bridge")


def test_multilayer_gpkg_needs_layer(tmp_path):
    gdf = gpd.GeoDataFrame({"bridge_id": ["a"]}, geometry=[shapely.Point(0, 0)], crs=6673)
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(gdf, path, layer="x1")
    pyogrio.write_dataframe(gdf, path, layer="x2")
    with pytest.raises(InputError, match="2 layers"):
        read_bridges(path)
    assert len(read_bridges(path, layer="x2")) == 1
    with pytest.raises(InputError, match="layer 'x3' not found"):
        read_bridges(path, layer="x3")


def test_writers_roundtrip(tmp_path):
    report = LoadReport()
    b = read_bridges(BROKEN, report=report, crs="EPSG:6673")
    staff = pd.DataFrame({"municipality_code": ["99201"], "technical_staff": [3]})
    from gunmane_geo.settings import Settings
    path = write_layers(tmp_path / "out" / "x.gpkg", {"bridges": b, "staff": staff},
                        settings=Settings(), report=report)
    layers = dict(pyogrio.list_layers(path))
    assert layers["bridges"] == "Point" and layers["staff"] is None
    assert {"load_report", "load_summary", "run_settings"} <= set(layers)
    back = gpd.read_file(path, layer="bridges")
    assert back.crs.to_epsg() == 6673 and len(back) == 9
    assert back.set_index("bridge_id").loc["B011", "built_year"] == 1970
    rep = gpd.read_file(path, layer="load_report")
    assert len(rep) == len(report)
    settings = gpd.read_file(path, layer="run_settings")
    assert settings.query("section == 'io' and key == 'min_built_year'")["value"].item() == "1850"
    csv = write_csv(b, tmp_path / "b.csv")
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    again = pd.read_csv(csv, encoding="utf-8-sig")
    assert {"x", "y"} <= set(again.columns) and again["name"].iloc[0] == "一の橋"


def _toml(tmp_path, body):
    for name in ("bridges_broken_cp932.csv", "n03_sample.geojson"):
        shutil.copy(DATA / name, tmp_path / name)
    path = tmp_path / "run.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_load_run_config_and_region(tmp_path):
    path = _toml(tmp_path, """
[inputs]
bridges = "bridges_broken_cp932.csv"
municipalities = { path = "n03_sample.geojson" }

[io]
min_built_year = 1900
""")
    inputs, settings = load_run_config(path)
    assert inputs["bridges"]["path"] == tmp_path / "bridges_broken_cp932.csv"
    assert settings.io.min_built_year == 1900
    seen = []
    region = load_region(inputs, settings, progress=lambda f, m: seen.append(f))
    # codes 99xxx are no prefecture: the zone comes from the location (岡山, zone V)
    assert region.crs == "EPSG:6673"
    assert region.bridges.crs.to_epsg() == 6673 and region.municipalities.crs.to_epsg() == 6673
    assert len(region.bridges) == 9 and len(region.municipalities) == 3
    assert seen[-1] == 1.0 and seen == sorted(seen)
    # bridge codes are filled from the municipality polygons where the bridges lie:
    # none of the broken inventory's points lies inside the sample polygons
    # (they are north-east of them), so each is reported
    warn = region.report.to_frame().query("layer == 'bridges' and field == 'municipality_code'")
    assert len(warn) == 9


def test_load_run_config_errors(tmp_path):
    bad = _toml(tmp_path, "[inputs]\nbridge = \"x.csv\"\n")
    with pytest.raises(InputError, match="unknown layer kind 'bridge'"):
        load_run_config(bad)
    bad.write_text("[inputs]\nbridges = \"x.csv\"\n[io]\nmin_year = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'min_year'"):
        load_run_config(bad)
    bad.write_text("[io]\nmin_built_year = 1900\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no \[inputs\] table"):
        load_run_config(bad)


def test_target_crs_setting(tmp_path):
    from gunmane_geo.settings import Settings
    s = Settings()
    s.io.target_crs = "EPSG:6674"
    region = load_region({"bridges": BROKEN}, s)
    assert region.crs == "EPSG:6674" and region.bridges.crs.to_epsg() == 6674


def test_cli_validate_and_load(tmp_path, capsys):
    from gunmane_geo.cli import main
    rc = main(["validate", str(BROKEN), str(DATA / "n03_sample.geojson")])
    out = capsys.readouterr().out
    assert rc == 1                                           # the broken rows are errors
    assert "duplicate bridge_id 'B002'" in out and "summary per layer" in out
    rc = main(["validate", str(DATA / "n03_sample.geojson")])
    assert rc == 0                                           # warnings only
    path = _toml(tmp_path, "[inputs]\nbridges = \"bridges_broken_cp932.csv\"\n"
                           "municipalities = \"n03_sample.geojson\"\n")
    rc = main(["load", "--config", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert rc == 0
    layers = dict(pyogrio.list_layers(tmp_path / "out" / "loaded.gpkg"))
    assert {"bridges", "municipalities", "load_report", "run_settings", "sources"} <= set(layers)
    report = pd.read_csv(tmp_path / "out" / "load_report.csv", encoding="utf-8-sig")
    assert sorted(report.query("action == 'skipped' and layer == 'bridges'")["row"]) == [3, 4, 9, 12]


@pytest.mark.parametrize("name, cp932", [("bridges_shp_cp932.shp", True),
                                         ("bridges_shp_utf8.shp", False),
                                         ("bridges.fgb", False)])
def test_shapefile_encodings_and_flatgeobuf(name, cp932):
    # both Shapefiles have no .cpg and no code page byte: the reader tells them apart;
    # the UTF-8 one has 判定区分 cut to 判定区 at the 10-byte DBF limit
    report = LoadReport()
    b = read_bridges(DATA / name, report=report).set_index("bridge_id").sort_index()
    assert b["name"].tolist() == ["一の橋", "二の橋"] and b["rating"].tolist() == [3, 1]
    assert b.crs.to_epsg() == 6673
    notes = " ".join(report.to_frame()["message"])
    assert ("read as CP932" in notes) is cp932


def test_population_mesh_csv_and_raster(tmp_path):
    from gunmane_geo.io import read_population
    from gunmane_geo.io.region import PopulationRaster
    src = tmp_path / "mesh.csv"
    # e-Stat style: KEY_CODE + T001101001 (人口総数); the 3rd code is malformed, the 4th
    # population is negative
    src.write_text('KEY_CODE,T001101001\n533945471,120\n533945472,"1,234"\n5339454,7\n'
                   "533945474,-3\n", encoding="utf-8")
    report = LoadReport()
    pop = read_population(src, report=report)
    assert pop["population"].tolist() == [120.0, 1234.0]
    assert pop.crs.to_epsg() == 6668
    # half mesh 1 = south-west, 2 = south-east quarter of 1 km mesh 53394547
    assert pop.geometry.iloc[0].bounds == pytest.approx(
        (139.7125, 35.7, 139.7125 + 22.5 / 3600, 35.7 + 15 / 3600))
    assert pop.geometry.iloc[1].bounds[0] == pytest.approx(139.7125 + 22.5 / 3600)
    assert sorted(report.skipped("population")["row"]) == [3, 4]
    import rasterio
    from rasterio.transform import from_origin
    tif = tmp_path / "pop.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
                       crs="EPSG:6673", transform=from_origin(0, 500, 250, 250)) as dst:
        dst.write(np.ones((1, 2, 2), dtype="float32"))
    raster = read_population(tif)
    assert isinstance(raster, PopulationRaster) and raster.crs == "EPSG:6673"


def test_progress_cancel():
    from gunmane_geo.errors import Cancelled
    with pytest.raises(Cancelled):
        load_region({"bridges": BROKEN}, progress=lambda f, m: True)
