"""Inputs a user can trust (issue 16, input side): what is skipped, repaired or warned.

* non-finite coordinates (NaN, inf) are bad geometry: skipped and reported, never a
  GEOSException;
* X座標/Y座標 follow the survey convention (X northing, Y easting); 緯度/経度 columns that
  are exchanged are swapped back; bridges outside every municipality or far from every
  road give a console warning naming the likely cause;
* what changes results without failing (missing staff rows, nulled values, bridges far
  from roads) is summarised on the console;
* smaller ones: --budget-yen inf, decimal commas, run.toml with BOM / CP932,
  target_saving_pct out of range, read = kept + skipped in the layer summary.
The rules are written down in docs/errors.md ("Inputs: what is skipped, repaired, warned")
and docs/loading.md.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from gunmane_geo import schema
from gunmane_geo.cli import main
from gunmane_geo.errors import InputError
from gunmane_geo.io.load_report import LoadReport
from gunmane_geo.io.loader import load_region, load_run_config
from gunmane_geo.io.readers import read_layer
from gunmane_geo.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_layers"
BBOX = box(-50_000, -156_000, -42_000, -148_000)      # EPSG:6673, centre of 湊川市
CRS = "EPSG:6673"

RUN_TOML = """[inputs]
municipalities = "municipalities.gpkg"
roads = "roads.gpkg"
bridges = "bridges.gpkg"
staff = "staff.csv"

[costs]
base_year = 2026
"""


def run(argv, capsys):
    """``main(argv)`` in-process; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:
        rc = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert "unexpected error" not in err, err
    assert "GEOSException" not in err + out
    return rc, out, err


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """Sample municipalities and staff, roads and bridges clipped to 8 km x 8 km."""
    d = tmp_path_factory.mktemp("safe_tiny")
    roads = gpd.read_file(SAMPLE / "roads.gpkg", bbox=BBOX.bounds)
    roads = roads[roads.within(BBOX)]
    bridges = gpd.read_file(SAMPLE / "bridges.gpkg", bbox=BBOX.bounds)
    bridges = bridges[bridges.within(BBOX) & bridges["bridge_id"].isin(roads["bridge_id"])]
    roads.to_file(d / "roads.gpkg")
    bridges.to_file(d / "bridges.gpkg")
    for name in ("municipalities.gpkg", "staff.csv"):
        shutil.copy(SAMPLE / name, d / name)
    (d / "run.toml").write_text(RUN_TOML, encoding="utf-8")
    return d


def variant(tiny: Path, tmp_path: Path, files=None, toml=None) -> Path:
    d = tmp_path / "v"
    shutil.copytree(tiny, d)
    for name, obj in (files or {}).items():
        if isinstance(obj, str):
            (d / name).write_text(obj, encoding="utf-8")
        elif isinstance(obj, bytes):
            (d / name).write_bytes(obj)
        elif isinstance(obj, gpd.GeoDataFrame):
            obj.to_file(d / name)
        else:
            obj.to_csv(d / name, index=False)
    if toml is not None:
        (d / "run.toml").write_text(toml, encoding="utf-8")
    return d


def warning_lines(err: str, command: str) -> list[str]:
    """``gunmane CMD: warning: ...`` and ``gunmane CMD: WARNING: ...`` (likely wrong input)."""
    return [ln for ln in err.splitlines()
            if ln.startswith((f"gunmane {command}: warning: ", f"gunmane {command}: WARNING: "))]


# --------------------------------------------------------------------------- 1. non-finite
def _rows(report, layer=None, action=None):
    df = report.to_frame()
    if layer is not None:
        df = df[df["layer"] == layer]
    if action is not None:
        df = df[df["action"] == action]
    return df


def _nonfinite_files(d: Path) -> dict:
    b = gpd.GeoDataFrame({"bridge_id": ["B1", "B2", "B3"], "name": ["a", "b", "c"]},
                         geometry=[shapely.Point(-45000, -150000), shapely.Point(np.inf, 0),
                                   shapely.Point(-45010, -150010)], crs=CRS)
    with np.errstate(invalid="ignore"):
        r = gpd.GeoDataFrame({"road_id": ["R1", "R2"]}, geometry=[
            shapely.LineString([(0, 0), (10, 10)]),
            shapely.LineString([(0, 0), (np.nan, 5), (10, 0)])], crs=CRS)
        m = gpd.GeoDataFrame({"municipality_code": ["99201", "99202"],
                              "municipality_name": ["湊川市", "東浦市"]}, geometry=[
            shapely.box(0, 0, 10, 10),
            shapely.Polygon([(20, 0), (30, 0), (np.nan, 10), (20, 10)])], crs=CRS)
    paths = {"bridges": d / "nf_bridges.gpkg", "roads": d / "nf_roads.gpkg",
             "municipalities": d / "nf_municipalities.gpkg"}
    b.to_file(paths["bridges"])
    r.to_file(paths["roads"])
    m.to_file(paths["municipalities"])
    return paths


@pytest.mark.parametrize("kind,row,fid", [("bridges", 2, "B2"), ("roads", 2, "R2"),
                                          ("municipalities", 2, "99202")])
def test_nonfinite_coordinates_are_skipped_and_reported(kind, row, fid, tmp_path):
    path = _nonfinite_files(tmp_path)[kind]
    report = LoadReport()
    out = read_layer(path, kind, report=report)
    assert len(out) == (2 if kind == "bridges" else 1)
    coords = shapely.get_coordinates(out.geometry.values)
    assert np.isfinite(coords).all()
    skipped = _rows(report, kind, "skipped")
    assert len(skipped) == 1, report.to_frame()
    r = skipped.iloc[0]
    assert r["row"] == row and r["feature_id"] == fid and r["severity"] == "error"
    assert "not finite" in r["message"] and "fix" in r["message"]
    summary = report.summary().iloc[0]
    assert summary["read"] == summary["kept"] + summary["skipped"]


def test_nonfinite_x_y_in_a_csv_are_skipped(tmp_path):
    p = tmp_path / "bridges.csv"
    p.write_text("bridge_id,x,y\nB1,-45000,-150000\nB2,inf,-150000\nB3,nan,1\n", encoding="utf-8")
    report = LoadReport()
    out = read_layer(p, "bridges", report=report, source_crs=CRS)
    assert list(out["bridge_id"]) == ["B1"]
    assert set(_rows(report, "bridges", "skipped")["row"]) == {2, 3}


def test_validate_reports_nonfinite_coordinates(tmp_path, capsys):
    paths = _nonfinite_files(tmp_path)
    for kind, path in paths.items():
        rc, out, err = run(["validate", path, "--kind", kind], capsys)
        assert rc == 1           # an error row: the feature is not loaded
        assert "not finite" in out and "row 2" in out


def test_load_runs_on_with_a_nonfinite_bridge(tiny, tmp_path, capsys):
    b = gpd.read_file(tiny / "bridges.gpkg")
    b.loc[b.index[1], "geometry"] = shapely.Point(np.inf, 0)
    b.loc[b.index[2], "geometry"] = shapely.Point(-45000, np.inf)
    d = variant(tiny, tmp_path, {"bridges.gpkg": b})
    rc, _, err = run(["load", "--config", d / "run.toml", "--out", tmp_path / "o", "--quiet"],
                     capsys)
    assert rc == 0
    assert "2 input feature(s) left out" in err and "not finite" in err


# --------------------------------------------------------------------------- 2. X/Y survey
def _survey_csv(b: gpd.GeoDataFrame, xcol="X座標", ycol="Y座標", gis_order=False) -> pd.DataFrame:
    """Bridges as a ledger: X座標 = northing, Y座標 = easting (or the GIS way round)."""
    east, north = b.geometry.x.round(3), b.geometry.y.round(3)
    df = pd.DataFrame({"橋梁ID": b["bridge_id"], "橋梁名": b["name"]})
    df[xcol], df[ycol] = (east, north) if gis_order else (north, east)
    return df


@pytest.mark.parametrize("xcol,ycol", [("X座標", "Y座標"), ("Ｘ座標", "Ｙ座標"),
                                       ("X座標(m)", "Y座標(m)"), ("X座標（ｍ）", "Y座標（ｍ）")])
def test_survey_x_is_northing(tiny, tmp_path, xcol, ycol):
    b = gpd.read_file(tiny / "bridges.gpkg")
    p = tmp_path / "bridges.csv"
    _survey_csv(b, xcol, ycol).to_csv(p, index=False)
    report = LoadReport()
    out = read_layer(p, "bridges", report=report, source_crs=CRS)
    assert np.allclose(out.geometry.x, b.geometry.x, atol=0.01)
    assert np.allclose(out.geometry.y, b.geometry.y, atol=0.01)
    notes = report.to_frame()["message"]
    assert notes.str.contains("survey convention").any() and notes.str.contains("northing").any()


def test_plain_x_y_keep_the_gis_convention(tiny, tmp_path):
    b = gpd.read_file(tiny / "bridges.gpkg")
    p = tmp_path / "bridges.csv"
    _survey_csv(b, "x", "y", gis_order=True).to_csv(p, index=False)
    out = read_layer(p, "bridges", source_crs=CRS)
    assert np.allclose(out.geometry.x, b.geometry.x, atol=0.01)


def test_x_zahyo_labelled_as_degrees_is_lon_lat(tmp_path):
    p = tmp_path / "bridges.csv"
    p.write_text("bridge_id,X座標(経度),Y座標(緯度)\nB1,139.5,35.5\n", encoding="utf-8")
    out = read_layer(p, "bridges")
    assert out.geometry.x.iloc[0] == pytest.approx(139.5)


def test_swapped_lat_lon_columns_are_swapped_back(tmp_path):
    p = tmp_path / "bridges.csv"
    # the 緯度 column holds longitudes and the 経度 column latitudes
    p.write_text("bridge_id,緯度,経度\nB1,139.5,35.5\nB2,139.6,35.6\nB3,139.7,35.7\n",
                 encoding="utf-8")
    for source_crs in (None, "EPSG:6668"):
        report = LoadReport()
        out = read_layer(p, "bridges", report=report, source_crs=source_crs)
        assert np.allclose(out.geometry.x, [139.5, 139.6, 139.7])
        layer_rows = report.to_frame()
        layer_rows = layer_rows[layer_rows["row"].isna() & (layer_rows["severity"] == "warning")]
        assert layer_rows["message"].str.contains("exchanged").any(), report.to_frame()


def test_bridges_in_gis_order_under_survey_names_warn_on_the_console(tiny, tmp_path, capsys):
    b = gpd.read_file(tiny / "bridges.gpkg")
    d = variant(tiny, tmp_path, {"bridges.csv": _survey_csv(b, gis_order=True)},
                toml=RUN_TOML.replace('bridges = "bridges.gpkg"',
                                      'bridges = {path = "bridges.csv", source_crs = "EPSG:6673"}'))
    rc, _, err = run(["load", "--config", d / "run.toml", "--out", tmp_path / "o", "--quiet"],
                     capsys)
    assert rc == 0
    lines = warning_lines(err, "load")
    outside = [ln for ln in lines if "outside every municipality" in ln]
    assert outside, err
    assert f"{len(b)} of {len(b)} bridges" in outside[0] and "bridges.csv" in outside[0]
    assert "X/Y" in outside[0] and "CRS" in outside[0]
    far = [ln for ln in lines if "from every road" in ln]
    assert far and f"{len(b)} of {len(b)} bridges" in far[0]


def test_a_share_of_bridges_far_from_roads_warns(tiny, tmp_path, capsys):
    b = gpd.read_file(tiny / "bridges.gpkg")
    n = max(3, len(b) // 5)                          # 20 %: beyond the 10 % share
    b.loc[b.index[:n], "geometry"] = b.geometry.iloc[:n].translate(0, -9_000)
    d = variant(tiny, tmp_path, {"bridges.gpkg": b})
    region = load_region(*_inputs(d))
    alerts = [a["message"] for a in region.report.console if a["kind"] == "far_from_roads"]
    assert alerts and f"{n} of {len(b)} bridges" in alerts[0]
    rc, _, err = run(["load", "--config", d / "run.toml", "--out", tmp_path / "o", "--quiet"],
                     capsys)
    assert any("from every road" in ln and "WARNING" in ln for ln in warning_lines(err, "load"))


def _inputs(d: Path):
    inputs, settings = load_run_config(d / "run.toml")
    return inputs, settings


# --------------------------------------------------------------------------- 3. summaries
def test_missing_staff_and_nulled_ratings_are_summarised(tiny, tmp_path, capsys):
    staff = pd.read_csv(tiny / "staff.csv", dtype=str)
    staff = staff[staff["municipality_code"] != "99202"]
    b = gpd.read_file(tiny / "bridges.gpkg")
    b["rating"] = b["rating"].astype(str)
    b.loc[b.index[:2], "rating"] = "5"
    d = variant(tiny, tmp_path, {"staff.csv": staff, "bridges.gpkg": b})
    rc, _, err = run(["load", "--config", d / "run.toml", "--out", tmp_path / "o", "--quiet"],
                     capsys)
    assert rc == 0
    lines = warning_lines(err, "load")
    staff_lines = [ln for ln in lines if "staff table" in ln]
    assert len(staff_lines) == 1 and "99202" in staff_lines[0] and "0" in staff_lines[0]
    nulled = [ln for ln in lines if "set to missing" in ln]
    assert len(nulled) == 1 and "rating 2" in nulled[0] and "'5'" in nulled[0]


def test_far_bridge_summary_line(tiny, tmp_path, capsys):
    b = gpd.read_file(tiny / "bridges.gpkg")
    b.loc[b.index[0], "geometry"] = shapely.Point(-46_000, -160_000)   # 4 km south of the roads
    d = variant(tiny, tmp_path, {"bridges.gpkg": b})
    rc, _, err = run(["load", "--config", d / "run.toml", "--out", tmp_path / "o", "--quiet"],
                     capsys)
    far = [ln for ln in warning_lines(err, "load") if "from every road" in ln]
    assert len(far) == 1 and f"1 of {len(b)} bridges" in far[0]
    assert "WARNING" not in far[0]          # one bridge: a summary, not the share warning


# --------------------------------------------------------------------------- 4. smaller ones
@pytest.mark.parametrize("value", ["inf", "nan", "-1", "Infinity"])
def test_plan_budget_must_be_a_finite_amount(tiny, tmp_path, capsys, value):
    rc, _, err = run(["plan", "--config", tiny / "run.toml", "--out", tmp_path / "p.gpkg",
                      "--quiet", f"--budget-yen={value}"], capsys)
    assert rc == 1
    line = [ln for ln in err.splitlines() if ln.startswith("gunmane plan: error: ")]
    assert len(line) == 1 and "--budget-yen" in line[0] and "fix" in line[0]
    assert not (tmp_path / "p.gpkg").exists()


def test_decimal_comma_is_not_a_thousands_comma():
    assert schema.parse_number("1,234") == 1234.0
    assert schema.parse_number("12,345,678") == 12345678.0
    assert schema.parse_number("1,234.5") == 1234.5
    for text in ("5,6", "12,35", "５，６", "1,2345", "12,34,567"):
        with pytest.raises(ValueError, match="comma"):
            schema.parse_number(text)
    for value in ("inf", "-inf", "Infinity", float("inf")):
        with pytest.raises(ValueError, match="finite"):
            schema.parse_number(value)
    assert schema.parse_number("nan") is None          # a missing-value marker


def test_decimal_comma_in_a_length_column_is_nulled_with_a_warning(tmp_path):
    p = tmp_path / "bridges.csv"
    p.write_text('bridge_id,緯度,経度,橋長,幅員\nB1,35.5,139.5,"5,6","1,234"\n'
                 'B2,35.6,139.6,12,"4,5"\n', encoding="utf-8")
    report = LoadReport()
    out = read_layer(p, "bridges", report=report)
    assert np.isnan(out["length_m"].iloc[0]) and np.isnan(out["width_m"].iloc[1])
    assert out["length_m"].iloc[1] == 12
    nulled = _rows(report, "bridges", "nulled")
    assert set(zip(nulled["row"], nulled["field"])) >= {(1, "length_m"), (2, "width_m")}
    comma = nulled[nulled["message"].str.contains("decimal comma")]
    assert set(zip(comma["row"], comma["field"])) == {(1, "length_m"), (2, "width_m")}
    # 1,234 m wide is read as 1234 (then refused by the plausibility range), not as 1.234
    assert nulled["message"].str.contains("width_m 1234.0 is impossible").any()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_run_toml_with_bom_or_cp932_is_read(tiny, tmp_path, encoding, capsys):
    d = variant(tiny, tmp_path)
    text = RUN_TOML + '\n[maps]\nregion_name = "架空県 サンプル地域"\n'
    (d / "run.toml").write_bytes(text.encode(encoding))
    inputs, settings = load_run_config(d / "run.toml")
    assert settings.maps.region_name == "架空県 サンプル地域"
    assert set(inputs) == {"municipalities", "roads", "bridges", "staff"}
    (d / "settings.toml").write_bytes(text.split("\n\n", 1)[1].encode(encoding))
    assert Settings.from_toml(d / "settings.toml").maps.region_name == "架空県 サンプル地域"
    # the commands that read --config themselves (run.toml or a settings file)
    rc, _, err = run(["groups", "--config", d / "settings.toml", "--municipalities",
                      d / "municipalities.gpkg", "--staff", d / "staff.csv", "--out",
                      tmp_path / "g.gpkg", "--quiet"], capsys)
    assert rc == 0, err
    if encoding == "cp932":
        region = load_region(inputs, settings)
        notes = region.report.to_frame()
        assert notes["message"].str.contains("CP932").any()


def test_run_toml_in_another_encoding_names_the_file(tmp_path):
    p = tmp_path / "run.toml"
    p.write_bytes('[maps]\nregion_name = "架空県"\n'.encode("utf-16"))
    with pytest.raises(InputError, match="run.toml") as exc:
        load_run_config(p)
    assert "UTF-8" in str(exc.value)


@pytest.mark.parametrize("value", ["150", "-5", "100", "inf", "nan"])
def test_target_saving_pct_is_checked_when_the_settings_are_read(tiny, tmp_path, value):
    d = variant(tiny, tmp_path, toml=RUN_TOML + f"\n[plan]\ntarget_saving_pct = {value}\n")
    with pytest.raises(InputError) as exc:
        load_run_config(d / "run.toml")
    text = str(exc.value)
    assert "target_saving_pct" in text and "run.toml" in text
    assert "percent" in text and "0" in text and "100" in text and "e.g. 20" in text


def test_budget_yen_in_settings_must_be_finite(tiny, tmp_path):
    d = variant(tiny, tmp_path, toml=RUN_TOML + "\n[plan]\nbudget_yen = inf\n")
    with pytest.raises(InputError, match="budget_yen"):
        load_run_config(d / "run.toml")


def test_layer_summary_adds_up_after_the_network_drops_a_road(tmp_path):
    """read = kept + skipped also when a road is skipped after reading (network build)."""
    from gunmane_geo.pipeline import network_from_region
    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (200, 0)]),
             shapely.LineString([(200, 0), (200.3, 0.2)]),          # collapses when snapped
             shapely.MultiLineString([[(0, 50), (100, 50)], [(300, 50), (400, 50)]])]
    roads = gpd.GeoDataFrame({"road_id": ["a", "b", "c", "d"]}, geometry=lines, crs=CRS)
    roads.to_file(tmp_path / "roads.gpkg")
    region = load_region({"roads": tmp_path / "roads.gpkg"}, Settings())
    network_from_region(region, Settings())
    df = region.report.to_frame()
    assert (df["action"] == "skipped").any(), df     # the network build dropped road c
    s = region.report.summary()
    s = s[s["layer"] == "roads"].iloc[0]
    assert s["read"] == 4 and s["read"] == s["kept"] + s["skipped"], s
