"""国土数値情報 将来推計人口メッシュ (500 m / 1 km, MESH_ID or KEY_CODE, SHICODE, PTN_2020 ..
PTN_2070) read as population now and in the target year (issue 12)."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from gunmane_geo.errors import InputError
from gunmane_geo.io import LoadReport, load_run_config, read_layer
from gunmane_geo.io.sources import mesh_polygon
from gunmane_geo.settings import Settings

YEARS = list(range(2020, 2075, 5))
HEADER = ["MESH_ID", "SHICODE"] + [f"PTN_{y}" for y in YEARS]
ROWS = [
    ["523946211", "99201"] + [str(v) for v in (120.5, 110, 100, 90, 80, 70, 60.25, 50, 40, 30, 20)],
    ["523946212", "99201"] + ["0"] * 11,                     # an empty valley: 0, kept
    ["523946213", "99202"] + ["55", "50", "45", "40", "35", "30", "x", "20", "15", "10", "5"],
    ["5239462", "99202"] + ["10"] * 11,                      # not a mesh code: reported
]


def write_csv(path, header=HEADER, rows=ROWS):
    path.write_text("\n".join(",".join(r) for r in [header] + rows) + "\n", encoding="utf-8")
    return path


def test_mesh_csv_population_now_and_2050(tmp_path):
    path = write_csv(tmp_path / "mesh500_future.csv")
    report = LoadReport()
    pop = read_layer(path, "population", report=report)
    assert list(pop["source_row"]) == [1, 2, 3]
    assert pop["population"].tolist() == [120.5, 0.0, 55.0]
    assert pop["population_2050"].tolist()[:2] == [60.25, 0.0]
    assert np.isnan(pop["population_2050"].iloc[2])
    assert "PTN_2070" in pop.columns and "SHICODE" in pop.columns      # the rest is kept
    df = report.to_frame()
    assert "国土数値情報 将来推計人口メッシュ形式 (CSV, UTF-8)" in \
        df.query("field == 'layout'")["message"].iloc[0]
    bad = df[(df["row"] == 3) & (df["action"] == "nulled")]
    assert bad["field"].iloc[0] == "population_2050" and "'x'" in bad["message"].iloc[0]
    assert (df[df["row"] == 4]["action"] == "skipped").all()
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"], s["skipped"]) == (4, 3, 1)
    # the cell of 523946211 is the JIS X 0410 half mesh
    assert pop.geometry.iloc[0].equals(mesh_polygon("523946211"))


def test_key_code_and_a_year_between_columns(tmp_path):
    header = ["KEY_CODE"] + HEADER[1:]
    path = write_csv(tmp_path / "pop.csv", header=header, rows=ROWS[:1])
    settings = Settings.from_dict({"io": {"population_target_year": 2048}})
    report = LoadReport()
    pop = read_layer(path, "population", report=report, settings=settings)
    # 2045: 70, 2050: 60.25 -> 2048 = 70 + (60.25 - 70) * 3 / 5
    assert pop["population_2048"].iloc[0] == pytest.approx(64.15)
    note = report.to_frame().query("field == 'population_2048'")["message"].iloc[0]
    assert "interpolated linearly between PTN_2045 and PTN_2050" in note


def test_target_year_outside_the_mesh_is_an_error_with_the_fix(tmp_path):
    path = write_csv(tmp_path / "pop.csv")
    settings = Settings.from_dict({"io": {"population_target_year": 2080}})
    with pytest.raises(InputError) as exc:
        read_layer(path, "population", settings=settings)
    text = str(exc.value)
    assert "pop.csv" in text and "2020..2070" in text and "population_target_year" in text


def test_shapefile_mesh_polygons(tmp_path):
    cells = ["523946211", "523946212"]
    gdf = gpd.GeoDataFrame(
        {"MESH_ID": cells, "SHICODE": ["99201", "99201"],
         **{f"PTN_{y}": [100.0 - (y - 2020), 5.0] for y in YEARS}},
        geometry=[mesh_polygon(c) for c in cells], crs="EPSG:6668")
    gdf.to_file(tmp_path / "mesh.shp", encoding="cp932")
    report = LoadReport()
    pop = read_layer(tmp_path / "mesh.shp", "population", report=report)
    assert pop["population"].tolist() == [100.0, 5.0]
    assert pop["population_2050"].tolist() == [70.0, 5.0]
    assert "将来推計人口メッシュ形式 (Shapefile)" in report.to_frame().query("field == 'layout'")["message"].iloc[0]


def test_run_toml_sets_the_target_year(tmp_path):
    write_csv(tmp_path / "mesh.csv")
    (tmp_path / "run.toml").write_text('[inputs]\npopulation = "mesh.csv"\n\n[io]\n'
                                       "population_target_year = 2040\n", encoding="utf-8")
    inputs, settings = load_run_config(tmp_path / "run.toml")
    pop = read_layer(inputs["population"]["path"], "population", settings=settings)
    assert pop["population_2040"].tolist() == [80.0, 0.0, 35.0]
