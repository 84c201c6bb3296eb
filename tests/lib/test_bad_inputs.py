"""Bad input on every ``gunmane`` command: one readable message, the right exit code, no traceback.

Each case breaks one thing in a tiny copy of the sample region (central 湊川市, about 500
road segments and 50 bridges) and runs ``gunmane_geo.cli.main`` in-process.  An error
case must exit 1 (2 for argparse usage errors) with one ``gunmane <command>: error: ...``
line on stderr naming the file (and row/field where it applies) and the fix; a case that
the policy accepts (a bad row is skipped and reported, a geographic CRS is reprojected,
a missing output folder is created) must exit 0 and say on stderr what was skipped.
The policy is written down in docs/errors.md.
"""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from gunmane_geo.cli import main
from gunmane_geo.errors import InputError
from gunmane_geo.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_layers"
BBOX = box(-50_000, -156_000, -42_000, -148_000)      # EPSG:6673, centre of 湊川市

RUN_TOML = """[inputs]
municipalities = "municipalities.gpkg"
roads = "roads.gpkg"
bridges = "bridges.gpkg"
facilities = "facilities.gpkg"
staff = "staff.csv"
other_assets = "other_assets.gpkg"

[costs]
base_year = 2026
[grouping]
reference_year = 2026
[effect]
reference_year = 2026
[maps]
date = "2026-04-01"
dpi = 30
formats = ["png"]
"""
SETTINGS_TOML = RUN_TOML.split("\n\n", 1)[1]      # the same file without [inputs]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """The sample region clipped to 8 km x 8 km (roads, bridges, assets), all
    municipalities, all facilities and the staff table."""
    d = tmp_path_factory.mktemp("tiny")
    roads = gpd.read_file(SAMPLE / "roads.gpkg", bbox=BBOX.bounds)
    roads = roads[roads.within(BBOX)]
    bridges = gpd.read_file(SAMPLE / "bridges.gpkg", bbox=BBOX.bounds)
    bridges = bridges[bridges.within(BBOX) & bridges["bridge_id"].isin(roads["bridge_id"])]
    other = gpd.read_file(SAMPLE / "other_assets.gpkg")
    roads.to_file(d / "roads.gpkg")
    bridges.to_file(d / "bridges.gpkg")
    other[other.within(BBOX)].to_file(d / "other_assets.gpkg")
    for name in ("municipalities.gpkg", "facilities.gpkg", "staff.csv"):
        shutil.copy(SAMPLE / name, d / name)
    (d / "run.toml").write_text(RUN_TOML, encoding="utf-8")
    (d / "settings.toml").write_text(SETTINGS_TOML, encoding="utf-8")
    assert 300 < len(roads) < 1000 and 20 < len(bridges) < 100
    return d


def _variant(tiny: Path, root: Path, name: str, files=None, toml_extra="", replace=None) -> Path:
    """A copy of ``tiny`` with some files replaced (bytes/str written as is, frames
    written as GeoPackage/CSV by suffix) and run.toml/settings.toml edited."""
    d = root / name
    shutil.copytree(tiny, d)
    for fname, obj in (files or {}).items():
        p = d / fname
        if p.exists():
            p.unlink()
        if isinstance(obj, str):
            obj = obj.encode()
        if isinstance(obj, bytes):
            p.write_bytes(obj)
        elif isinstance(obj, gpd.GeoDataFrame):
            with warnings.catch_warnings():        # the no-CRS copy is meant to lack one
                warnings.filterwarnings("ignore", message="'crs' was not provided")
                obj.to_file(p)
        else:
            obj.to_csv(p, index=False)
    text = RUN_TOML
    for a, b in (replace or {}).items():
        assert a in text
        text = text.replace(a, b)
    (d / "run.toml").write_text(text + toml_extra, encoding="utf-8")
    (d / "settings.toml").write_text(text.split("\n\n", 1)[1] + toml_extra, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def variants(tiny, tmp_path_factory) -> dict:
    """One folder per kind of broken input."""
    root = tmp_path_factory.mktemp("broken")
    b = gpd.read_file(tiny / "bridges.gpkg")
    r = gpd.read_file(tiny / "roads.gpkg")
    m = gpd.read_file(tiny / "municipalities.gpkg")
    staff = pd.read_csv(tiny / "staff.csv", dtype=str)
    far = b.copy()                   # 40 km north of every road, ids not linked from roads
    far["geometry"] = far.geometry.translate(0, 40_000)
    far["bridge_id"] = "X" + far["bridge_id"]
    text_staff = staff.copy()
    text_staff.loc[2, "technical_staff"] = "五人"          # row 3 of the CSV, code 99341
    v = {
        "ok": tiny,
        "missing": _variant(tiny, root, "missing",
                            replace={'bridges = "bridges.gpkg"': 'bridges = "nope.gpkg"'}),
        "not_gis": _variant(tiny, root, "not_gis", files={"bridges.gpkg": "not a geopackage\n"}),
        "no_crs": _variant(tiny, root, "no_crs",
                           files={"bridges.gpkg": b.set_crs(None, allow_override=True)}),
        "geographic": _variant(tiny, root, "geographic",
                               files={"bridges.gpkg": b.to_crs(4326), "roads.gpkg": r.to_crs(6668)}),
        "empty": _variant(tiny, root, "empty", files={"bridges.gpkg": b.iloc[:0]}),
        "no_field": _variant(tiny, root, "no_field",
                             files={"bridges.gpkg": b.drop(columns=["bridge_id"])}),
        "no_code": _variant(tiny, root, "no_code",
                            files={"municipalities.gpkg": m.drop(columns=["municipality_code"])}),
        "outside": _variant(tiny, root, "outside", files={"bridges.gpkg": far}),
        "staff_text": _variant(tiny, root, "staff_text", files={"staff.csv": text_staff}),
        "unknown_key": _variant(tiny, root, "unknown_key", toml_extra="\n[network]\nfoo = 1\n"),
        "bad_type": _variant(tiny, root, "bad_type",
                             toml_extra='\n[network]\ndefault_speed_kmh = "fast"\n'),
        "bad_toml": _variant(tiny, root, "bad_toml", toml_extra="\n[costs\n"),
        "folder_path": _variant(tiny, root, "folder_path",
                                replace={'bridges = "bridges.gpkg"': 'bridges = "."'}),
        "bad_raster": _variant(tiny, root, "bad_raster", files={"pop.tif": "not a raster"},
                               replace={"[inputs]\n": '[inputs]\npopulation = "pop.tif"\n'}),
        "bad_pbf": _variant(tiny, root, "bad_pbf", files={"roads.osm.pbf": b"\x00garbage" * 40},
                            replace={'roads = "roads.gpkg"': 'roads = "roads.osm.pbf"'}),
    }
    v["_root"] = root
    return v


def run(argv, capsys):
    """``main(argv)`` in-process; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:          # argparse usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert "unexpected error" not in err, err
    return rc, out, err


def error_line(err: str, command: str) -> str:
    """The one error line of a failed command (progress/warnings may precede it)."""
    lines = [ln for ln in err.splitlines() if ln.startswith(f"gunmane {command}: error: ")]
    assert len(lines) == 1, err
    return lines[0]


# --------------------------------------------------------------------------- config commands
def config_argv(command: str, d: Path, out: Path):
    """The argv of a command that reads run.toml (``--config``)."""
    c = d / "run.toml"
    return {
        "load": ["load", "--config", c, "--out", out / "load", "--quiet"],
        "criticality": ["criticality", "--config", c, "--out", out / "c.gpkg", "--quiet"],
        "scenario": ["scenario", "--config", c, "--out", out / "s.gpkg", "--quiet",
                     "--remove", "B99201-0160"],
        "options": ["options", "--config", c, "--out", out / "o.gpkg", "--quiet"],
        "plan": ["plan", "--config", c, "--out", out / "p.gpkg", "--quiet"],
        "indicators": ["indicators", "--config", c, "--out", out / "ind", "--quiet"],
        "effect": ["effect", "--config", c, "--out", out / "eff", "--quiet"],
        "map": ["map", "ageing", "--config", c, "--out", out / "map", "--quiet"],
        "report": ["report", "--config", c, "--out", out / "rep", "--quiet",
                   "--stages", "indicators"],
    }[command]


CONFIG_COMMANDS = ["load", "criticality", "scenario", "options", "plan", "indicators", "effect",
                   "map", "report"]
NETWORK_COMMANDS = ["criticality", "scenario", "options", "plan"]

# variant -> words the one error line must hold (file, what is wrong, the fix)
CONFIG_ERRORS = {
    "missing": ["nope.gpkg", "file not found", "check the path"],
    "not_gis": ["bridges.gpkg", "cannot be opened as a vector file", "fix:"],
    "no_crs": ["bridges.gpkg", "no coordinate reference system", "source_crs"],
    "empty": ["bridges.gpkg", "has no features", "check that you chose the right file"],
    "no_code": ["municipalities.gpkg", "municipality_code", "Rename the column"],
    "unknown_key": ["run.toml", "unknown key 'foo' in [network]", "known keys"],
    "bad_type": ["run.toml", "[network] default_speed_kmh must be a table", "e.g."],
    "bad_toml": ["run.toml", "not valid TOML", "line"],
    "folder_path": ["folder_path", "is a folder, not a file", "name the file"],
    "bad_raster": ["pop.tif", "cannot open the raster", "fix:"],
    "bad_pbf": ["roads.osm.pbf", "cannot read as OSM PBF", "fix:"],
}


@pytest.mark.parametrize("variant", sorted(CONFIG_ERRORS))
@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_config_command_refuses_broken_input(command, variant, variants, tmp_path, capsys):
    rc, _, err = run(config_argv(command, variants[variant], tmp_path), capsys)
    assert rc == 1
    line = error_line(err, command if command != "map" else "map")
    for word in CONFIG_ERRORS[variant]:
        assert word in line, (word, line)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "nothing written on an error"


@pytest.mark.parametrize("command", NETWORK_COMMANDS)
def test_bridges_all_outside_the_roads(command, variants, tmp_path, capsys):
    rc, _, err = run(config_argv(command, variants["outside"], tmp_path), capsys)
    assert rc == 1
    line = error_line(err, command)
    # the nearest bridge is ~40 km from its road: distance, file and fix are named
    assert "bridges.gpkg" in line and "none of the" in line and "lies within 30 m of a road" in line
    assert "km" not in line and " m away" in line and "CRS" in line


def test_report_with_all_bridges_outside_says_why_the_stages_did_not_run(variants, tmp_path,
                                                                         capsys):
    rc, _, err = run(["report", "--config", variants["outside"] / "run.toml", "--out", tmp_path,
                      "--quiet", "--stages", "criticality"], capsys)
    assert rc == 1
    assert "network (failed: " in err and "none of the" in err and "bridges.gpkg" in err
    stages = pd.read_csv(tmp_path / "tables" / "stages.csv", encoding="utf-8-sig")
    st = stages.set_index("stage")["status"]
    assert st["network"] == "failed" and st["criticality"] == "skipped"


def test_scenario_unknown_bridge_id(variants, tmp_path, capsys):
    argv = config_argv("scenario", variants["ok"], tmp_path)
    argv[argv.index("--remove") + 1] = "B99201-0160,NOPE7"
    rc, _, err = run(argv, capsys)
    assert rc == 1
    line = error_line(err, "scenario")
    assert "unknown bridge_id(s) NOPE7: not among the" in line       # only the unknown one
    assert "bridges.gpkg" in line and "bridge_id" in line and "ids such as" in line
    assert not (tmp_path / "s.gpkg").exists()


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_staff_text_row_is_skipped_and_said_on_stderr(command, variants, tmp_path, capsys):
    """A text value in technical_staff: the row is skipped (policy: docs/errors.md), the
    run goes on (exit 0) and stderr names file, row and reason even with --quiet.  The
    output goes to a folder that does not exist yet: it is created."""
    out = tmp_path / "does" / "not" / "exist"
    rc, _, err = run(config_argv(command, variants["staff_text"], out), capsys)
    assert rc == 0, err
    assert [p for p in out.rglob("*") if p.is_file()]
    warn = [ln for ln in err.splitlines() if ln.startswith(f"gunmane {command}: warning: ")]
    # the skipped row, and its municipality now counted as 0 staff (docs/errors.md)
    assert len(warn) == 2, err
    assert "1 input feature(s) left out of the analysis" in warn[0]
    assert "staff.csv row 3 (99341)" in warn[0] and "technical_staff" in warn[0]
    assert "no row in the staff table" in warn[1] and "99341" in warn[1]


def test_staff_text_row_is_in_the_load_report(variants, tmp_path, capsys):
    rc, _, _ = run(config_argv("load", variants["staff_text"], tmp_path), capsys)
    assert rc == 0
    rep = pd.read_csv(tmp_path / "load" / "load_report.csv", encoding="utf-8-sig",
                      dtype={"feature_id": str})
    rows = rep[(rep["layer"] == "staff") & (rep["feature_id"] == "99341")]
    assert set(rows["action"]) == {"nulled", "skipped"}
    assert (rows["row"] == 3).all() and rows["message"].str.contains("五人").any()
    staff = pyogrio.read_dataframe(tmp_path / "load" / "loaded.gpkg", layer="staff")
    assert len(staff) == 8 and "99341" not in set(staff["municipality_code"])


@pytest.mark.parametrize("command", ["load", "criticality", "plan", "indicators"])
def test_geographic_crs_is_reprojected(command, variants, tmp_path, capsys):
    """Bridges in EPSG:4326 and roads in EPSG:6668 give the same result as the projected
    copy: the run reprojects to one plane rectangular zone."""
    rc, _, err = run(config_argv(command, variants["geographic"], tmp_path / "geo"), capsys)
    assert rc == 0, err
    rc, _, err = run(config_argv(command, variants["ok"], tmp_path / "ok"), capsys)
    assert rc == 0, err
    if command == "criticality":
        geo = gpd.read_file(tmp_path / "geo" / "c.gpkg", layer="bridge_criticality")
        ok = gpd.read_file(tmp_path / "ok" / "c.gpkg", layer="bridge_criticality")
        assert geo.crs.is_projected and geo.crs == ok.crs
        geo, ok = geo.set_index("bridge_id").sort_index(), ok.set_index("bridge_id").sort_index()
        assert list(geo.index) == list(ok.index) and geo["matched"].all()
        assert (geo["detour_m"] - ok["detour_m"]).abs().max() < 1.0


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_output_below_a_file_is_refused_before_any_work(command, variants, tmp_path, capsys):
    blocker = tmp_path / "a_file.txt"
    blocker.write_text("x")
    rc, _, err = run(config_argv(command, variants["ok"], blocker), capsys)
    assert rc == 1
    line = error_line(err, command)
    assert "a_file.txt" in line and "is a file, not a folder" in line and "choose another" in line


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_missing_required_argument_is_a_usage_error(command, variants, tmp_path, capsys):
    argv = config_argv(command, variants["ok"], tmp_path)
    i = argv.index("--out")
    del argv[i:i + 2]
    rc, _, err = run(argv, capsys)
    assert rc == 2 and "usage: gunmane" in err and "--out" in err


# --------------------------------------------------------------------------- command-specific
def test_missing_config_file(tmp_path, capsys):
    rc, _, err = run(["report", "--config", tmp_path / "nope.toml", "--out", tmp_path / "o"],
                     capsys)
    assert rc == 1
    line = error_line(err, "report")
    assert "nope.toml" in line and "not found" in line and "--config" in line


def test_report_unknown_stage(variants, tmp_path, capsys):
    rc, _, err = run(["report", "--config", variants["ok"] / "run.toml", "--out", tmp_path,
                      "--stages", "indicatorz"], capsys)
    assert rc == 1
    line = error_line(err, "report")
    assert "indicatorz" in line and "stages are: network criticality" in line


def test_plan_negative_budget_and_bad_target(variants, tmp_path, capsys):
    base = config_argv("plan", variants["ok"], tmp_path)
    rc, _, err = run(base + ["--budget-yen", "-5"], capsys)
    assert rc == 1 and "--budget-yen" in error_line(err, "plan")
    rc, _, err = run(base + ["--target-saving-pct", "150"], capsys)
    assert rc == 1 and "--target-saving-pct" in error_line(err, "plan")
    assert not (tmp_path / "p.gpkg").exists()


def test_output_gpkg_name_is_checked(variants, tmp_path, capsys):
    rc, _, err = run(["criticality", "--config", variants["ok"] / "run.toml",
                      "--out", tmp_path / "c.shp", "--quiet"], capsys)
    assert rc == 1 and ".gpkg" in error_line(err, "criticality")


def test_effect_inputs_without_effect_columns(variants, tmp_path, capsys):
    rc, _, err = run(["effect", "--config", variants["ok"] / "run.toml", "--out", tmp_path,
                      "--inputs", variants["ok"] / "staff.csv", "--quiet"], capsys)
    assert rc == 1
    line = error_line(err, "effect")
    assert "staff.csv" in line and "none of the effect input columns" in line
    assert "現状の直営対応時間" in line and "technical_staff" in line      # expected and found


def test_effect_inputs_missing_file(variants, tmp_path, capsys):
    rc, _, err = run(["effect", "--config", variants["ok"] / "run.toml", "--out", tmp_path,
                      "--inputs", tmp_path / "nope.csv", "--quiet"], capsys)
    assert rc == 1 and "nope.csv" in error_line(err, "effect")


# validate: problems are rows of the printed report, exit code 1
VALIDATE_CASES = {
    "missing": ("nope.gpkg", "file not found"),
    "not_gis": ("bridges.gpkg", "cannot be opened as a vector file"),
    "no_crs": ("bridges.gpkg", "no coordinate reference system"),
    "empty": ("bridges.gpkg", "has no features"),
    "staff_text": ("staff.csv", "'五人' is not a number"),
}


@pytest.mark.parametrize("variant", sorted(VALIDATE_CASES))
def test_validate_reports_the_problem(variant, variants, capsys):
    fname, words = VALIDATE_CASES[variant]
    rc, out, err = run(["validate", variants[variant] / fname], capsys)
    assert rc == 1
    assert fname in out and words in out
    assert "error(s)" in err


def test_validate_report_path_below_a_file(variants, tmp_path, capsys):
    rc, _, err = run(["validate", variants["ok"] / "staff.csv", "--report",
                      variants["ok"] / "staff.csv" / "r.csv"], capsys)
    assert rc == 1 and "is a file, not a folder" in error_line(err, "validate")


# groups / packages / road-pairs take their layers as flags and a settings-only TOML
def layer_argv(command: str, d: Path, out: Path, settings: Path | None = None):
    s = ["--settings", settings or d / "settings.toml"]
    return {
        "groups": ["groups", "--municipalities", d / "municipalities.gpkg", "--staff",
                   d / "staff.csv", "--bridges", d / "bridges.gpkg", *s, "--out",
                   out / "g.gpkg", "--quiet", "--candidates", "1"],
        "packages": ["packages", "--bridges", d / "bridges.gpkg", "--roads", d / "roads.gpkg",
                     *s, "--out", out / "pk.gpkg", "--quiet"],
        "road-pairs": ["road-pairs", "--roads", d / "roads.gpkg", "--bridges",
                       d / "bridges.gpkg", *s, "--out", out / "rp.gpkg", "--quiet"],
    }[command]


LAYER_COMMANDS = ["groups", "packages", "road-pairs"]
LAYER_ERRORS = {
    "not_gis": ["bridges.gpkg", "cannot be opened as a vector file"],
    "no_crs": ["bridges.gpkg", "no coordinate reference system"],
    "empty": ["bridges.gpkg", "has no features"],
    "unknown_key": ["settings.toml", "unknown key 'foo' in [network]"],
    "bad_type": ["settings.toml", "default_speed_kmh must be a table"],
}


@pytest.mark.parametrize("variant", sorted(LAYER_ERRORS))
@pytest.mark.parametrize("command", LAYER_COMMANDS)
def test_layer_command_refuses_broken_input(command, variant, variants, tmp_path, capsys):
    rc, _, err = run(layer_argv(command, variants[variant], tmp_path), capsys)
    assert rc == 1
    line = error_line(err, command)
    for word in LAYER_ERRORS[variant]:
        assert word in line, (word, line)


@pytest.mark.parametrize("command", LAYER_COMMANDS)
def test_layer_command_missing_file_and_output_below_a_file(command, variants, tmp_path,
                                                            capsys):
    argv = layer_argv(command, variants["ok"], tmp_path)
    argv[argv.index(next(a for a in argv if str(a).endswith("bridges.gpkg")
                         or str(a).endswith("roads.gpkg")))] = tmp_path / "nope.gpkg"
    rc, _, err = run(argv, capsys)
    assert rc == 1 and "nope.gpkg" in error_line(err, command)
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("x")
    rc, _, err = run(layer_argv(command, variants["ok"], blocker), capsys)
    assert rc == 1 and "is a file, not a folder" in error_line(err, command)


def test_run_toml_is_accepted_by_the_grouping_commands(variants, tmp_path, capsys):
    """A whole run.toml works as --config (or the older --settings) of groups/packages/road-pairs:
    its settings apply and the layers given on the command line win over its [inputs]."""
    rc, _, err = run(layer_argv("road-pairs", variants["ok"], tmp_path,
                                settings=variants["ok"] / "run.toml"), capsys)
    assert rc == 0, err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- library level
@pytest.mark.parametrize("data, words", [
    ({"network": {"default_speed_kmh": "fast"}}, "must be a table"),
    ({"network": {"default_speed_kmh": {"national": "x"}}}, "value of 'national' must be a number"),
    ({"maps": {"formats": "pdf"}}, "must be a list"),
    ({"maps": {"paper": 3}}, "must be text in quotes"),
    ({"costs": {"base_year": "2020"}}, "must be a number"),
    ({"plan": {"budget_yen": "many"}}, "must be a number"),
    ({"guards": {"forbid_isolation": "yes"}}, "must be true or false"),
    ({"inputs": {"roads": "r.gpkg"}}, "belongs in a run file"),
])
def test_settings_value_types_are_checked(data, words):
    with pytest.raises(ValueError, match="^f.toml: ") as exc:
        Settings.from_dict(data, source="f.toml")
    assert words in str(exc.value)


def test_settings_accept_good_values():
    s = Settings.from_dict({"plan": {"budget_yen": 5}, "costs": {"base_year": 2020},
                            "network": {"default_speed_kmh": {"national": 60}}})
    assert s.plan.budget_yen == 5.0 and isinstance(s.plan.budget_yen, float)
    assert s.costs.base_year == 2020
    assert s.network.default_speed_kmh == {"national": 60.0, "prefectural": 40.0,
                                           "municipal": 30.0, "other": 20.0}


def test_require_some_matched():
    from gunmane_geo.network.bridges import require_some_matched
    table = pd.DataFrame({"bridge_id": ["A", "B"], "matched": [False, False],
                          "nearest_edge_m": [1234.4, 87.0]})
    with pytest.raises(InputError, match=r"b\.gpkg, field 'geometry': none of the 2 bridges "
                                         r"lies within 30 m of a road \(the nearest is 87 m away\)"):
        require_some_matched(table, source="b.gpkg")
    table.loc[1, "matched"] = True
    require_some_matched(table, source="b.gpkg")          # one matched is enough


# --------------------------------------------------------------------------- more file kinds
def _broken_bridge_files(tiny: Path, d: Path) -> dict:
    """name -> path of a broken bridge file (formats other than GeoPackage)."""
    b = gpd.read_file(tiny / "bridges.gpkg")[["bridge_id", "geometry"]]
    for stem, drop in (("no_dbf", ".dbf"), ("no_shx", ".shx")):
        b.to_file(d / f"{stem}.shp")
        (d / f"{stem}{drop}").unlink()
    (d / "cut.geojson").write_text('{"type": "FeatureCollection", "features": [')
    (d / "empty.csv").write_text("")
    (d / "header_only.csv").write_text("bridge_id,緯度,経度\n")
    (d / "no_coords.csv").write_text("bridge_id,name\nB1,一号橋\n")
    (d / "bridges.xlsx").write_bytes(b"PK\x03\x04")
    names = ["no_dbf.shp", "no_shx.shp", "cut.geojson", "empty.csv", "header_only.csv",
             "no_coords.csv", "bridges.xlsx"]
    return {Path(n).stem: d / n for n in names}


BRIDGE_FILE_ERRORS = {
    "no_dbf": ["no_dbf.shp", "Shapefile is incomplete", ".dbf", "copy all files"],
    "no_shx": ["no_shx.shp", "Shapefile is incomplete", ".shx", "copy all files"],
    "cut": ["cut.geojson", "cannot be opened as a vector file", "Unterminated", "fix:"],
    "empty": ["empty.csv", "the CSV file is empty", "header row"],
    "header_only": ["header_only.csv", "has no features"],
    "no_coords": ["no_coords.csv", "needs coordinates", "緯度/経度"],
    "bridges": ["bridges.xlsx", "unknown file type '.xlsx'", "GeoPackage (.gpkg)"],
}


@pytest.mark.parametrize("case", sorted(BRIDGE_FILE_ERRORS))
def test_broken_bridge_file_on_the_command_line(case, tiny, tmp_path, capsys):
    files = _broken_bridge_files(tiny, tmp_path)
    rc, _, err = run(["criticality", "--roads", tiny / "roads.gpkg", "--bridges", files[case],
                      "--out", tmp_path / "out" / "c.gpkg", "--quiet"], capsys)
    assert rc == 1
    line = error_line(err, "criticality")
    for word in BRIDGE_FILE_ERRORS[case]:
        assert word in line, (word, line)
    assert not (tmp_path / "out").exists()


RUN_TOML_ERRORS = {
    "layer": ('bridges = { path = "bridges.gpkg", layer = "nope" }',
              ["bridges.gpkg", "layer 'nope' not found", "layers are: bridges"]),
    "field_map": ('bridges = { path = "bridges.gpkg", field_map = { "name" = "nonsense" } }',
                  ["bridges.gpkg", "'nonsense', which is not a field of bridges", "fields are"]),
    "input_key": ('bridges = { path = "bridges.gpkg", colour = "red" }',
                  ["run.toml", "[inputs.bridges] unknown key(s) colour", "known keys: path"]),
    "kind": ('bridgez = "bridges.gpkg"', ["run.toml", "unknown layer kind 'bridgez'"]),
}
SETTING_ERRORS = {
    "detour": ("[guards]\nmax_detour_m = -5", "[guards] max_detour_m = -5.0: must be 0 or more"),
    "geographic_target": ("[io]\ntarget_crs = \"EPSG:4326\"", "not a projected CRS in metres"),
    "weight": ("[criticality]\nweight = \"speed\"", "use one of \"length_m\", \"time_min\""),
    "speed": ("[network]\ndefault_speed_kmh = { national = -30 }",
              "default_speed_kmh.national = -30.0: must be 0 or more"),
}


@pytest.mark.parametrize("case", sorted(RUN_TOML_ERRORS))
def test_run_toml_input_errors(case, tiny, tmp_path, capsys):
    line_, words = RUN_TOML_ERRORS[case]
    d = _variant(tiny, tmp_path, "v", replace={'bridges = "bridges.gpkg"': line_})
    rc, _, err = run(config_argv("plan", d, tmp_path / "out"), capsys)
    assert rc == 1
    line = error_line(err, "plan")
    for word in words:
        assert word in line, (word, line)


@pytest.mark.parametrize("case", sorted(SETTING_ERRORS))
def test_run_toml_setting_errors(case, tiny, tmp_path, capsys):
    extra, words = SETTING_ERRORS[case]
    d = _variant(tiny, tmp_path, "v", toml_extra="\n" + extra + "\n")
    rc, _, err = run(config_argv("plan", d, tmp_path / "out"), capsys)
    assert rc == 1
    line = error_line(err, "plan")
    assert words in line and ("run.toml" in line or "target_crs" in line), line


def test_discount_rate_below_minus_one(tiny, tmp_path, capsys):
    d = _variant(tiny, tmp_path, "v", replace={"base_year = 2026": "base_year = 2026\n"
                                                                  "discount_rate = -1.5"})
    rc, _, err = run(config_argv("plan", d, tmp_path / "out"), capsys)
    assert rc == 1
    assert "[costs] discount_rate = -1.5: must be more than -1" in error_line(err, "plan")


def test_library_entry_points_refuse_wrong_objects(tiny):
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.network import build_network
    roads = gpd.read_file(tiny / "roads.gpkg")
    with pytest.raises(InputError, match="^roads: no road lines"):
        build_network(roads.iloc[:0])
    with pytest.raises(InputError, match="geographic CRS EPSG:4326"):
        build_network(roads.to_crs(4326))
    with pytest.raises(InputError, match="expected a gunmane_geo.network.Network, got GeoDataFrame"):
        bridge_criticality(roads)


def test_bridges_without_an_id_column_get_row_ids(variants, capsys):
    """Most municipal lists have a name and a row number, not an id (issue 11): the bridges
    are kept with ids row-NNNNN from their row, and the load report says so."""
    from gunmane_geo.io import LoadReport, read_bridges
    report = LoadReport()
    b = read_bridges(variants["no_field"] / "bridges.gpkg", report=report)
    assert list(b["bridge_id"][:3]) == ["row-00001", "row-00002", "row-00003"]
    assert b["bridge_id"].is_unique
    notes = [r["message"] for r in report.rows if r["field"] == "bridge_id"]
    assert any("row-NNNNN" in m for m in notes)
