"""Scenario sweeps on Dask (a LocalCluster of 2 workers): ``gunmane plan --compare ...
--workers`` gives the same table as the plain run, and ``gunmane report --regions-by
prefecture`` writes one report per region whose summary row equals that region's own
report outputs and a plain ``gunmane report`` of the region's data alone.

The regions: two made-up prefectures, each the hand-worked river of options_toy.py
(west bank municipality and east bank municipality), the second 100 km east of the
first, far beyond ``[criticality] region_halo_m`` (20 km), so each region's data is
exactly its own files.  茨城県 (08): bridges A-D built 1960; 栃木県 (09): bridges E-H
built 1990, otherwise the same.

By hand for 茨城県 (test_plan_compare.py; base year 2025, detours up to 10 km, C on an
emergency route, no detour improvement required), plan at 10 %: A alone is removed,
475,374,578 yen avoided, its detour 600 m, 100 people with longer trips; 4 municipal
bridges, all 66 years old in 2026 (share over 50 years 100 %).  栃木県: 4 bridges, 36
years old (0 %).
"""
from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.affinity import translate
from shapely.geometry import LineString, Point, box

from gunmane_geo.cli import main
from gunmane_geo.errors import InputError
from gunmane_geo.options import compare_plans

from options_toy import CRS, NODES, POP, ROADS, toy_bridges
from test_plan_compare import inputs
from test_plan_cli import toy_files  # noqa: F401  (fixture)

distributed = pytest.importorskip("distributed", reason="pip install 'gunmane-geo[dask]'")

pytestmark = pytest.mark.timeout(600)

DX = 100_000.0                       # the second prefecture lies 100 km east
PREFS = {"08": ("茨城県", 0.0, "ABCD", 1960), "09": ("栃木県", DX, "EFGH", 1990)}
SETTINGS_TOML = """
[io]
target_crs = "EPSG:6673"
[costs]
base_year = 2025
[guards]
max_detour_m = 10000.0
consolidation_max_gap_m = 200.0
[plan]
target_saving_pct = 10.0
require_detour_upgrade = false
compare = [0.0, 10.0]
[effect]
reference_year = 2026
[maps]
dpi = 20
date = "2026-01-15"
"""
STAGES = ["criticality", "options", "plan", "indicators"]


@pytest.fixture(scope="module")
def client():
    from gunmane_geo.distributed import close_client, open_client
    c = open_client(workers=2)
    yield c
    close_client(c)


def test_compare_levels_on_dask_equal_the_plain_table(client):
    net, opts, sets, s = inputs()
    plain = compare_plans(net, opts, sets, targets_pct=[0, 10, 40], settings=s)
    on_dask = compare_plans(net, opts, sets, targets_pct=[0, 10, 40], settings=s, client=client)
    pd.testing.assert_frame_equal(plain, on_dask)
    assert on_dask["n_bridges_removed"].tolist() == [0, 1, 2]          # worked by hand
    assert on_dask["cost_avoided_yen"].tolist() == [0, 475_374_578, 950_749_156]
    base = 2_621_498_312
    budgets = [base, base - 400_000_000]
    pd.testing.assert_frame_equal(
        compare_plans(net, opts, sets, budgets_yen=budgets, settings=s),
        compare_plans(net, opts, sets, budgets_yen=budgets, settings=s, client=client))
    with pytest.raises(InputError, match="outside 0..100"):             # checked before any task
        compare_plans(net, opts, sets, targets_pct=[10, 100], settings=s, client=client)


def test_plan_command_compare_on_two_workers(toy_files, capsys):  # noqa: F811
    d = toy_files
    (d / "run.toml").write_text("[costs]\nbase_year = 2025\n[guards]\nmax_detour_m = 10000.0\n"
                                "max_walk_detour_m = 10000.0\n"   # as test_plan_compare
                                "consolidation_max_gap_m = 200.0\n", encoding="utf-8")
    layers = ["--roads", str(d / "roads.gpkg"), "--bridges", str(d / "bridges.gpkg"),
              "--population", str(d / "population.gpkg"), "--facilities",
              str(d / "facilities.gpkg"), "--config", str(d / "run.toml"), "--quiet"]
    assert main(["plan", *layers, "--out", str(d / "plain.gpkg"), "--compare", "0,10,40"]) == 0
    assert main(["plan", *layers, "--out", str(d / "dask.gpkg"), "--compare", "0,10,40",
                 "--workers", "2"]) == 0
    plain = pyogrio.read_dataframe(d / "plain.gpkg", layer="plan_compare")
    on_dask = pyogrio.read_dataframe(d / "dask.gpkg", layer="plan_compare")
    pd.testing.assert_frame_equal(plain, on_dask)
    assert on_dask["n_bridges_removed"].tolist() == [0, 1, 2]
    capsys.readouterr()
    assert main(["plan", *layers, "--out", str(d / "x.gpkg"), "--workers", "2"]) == 1
    assert "--workers and --scheduler go with --compare" in capsys.readouterr().err


def test_without_dask_the_options_say_how_to_install(tmp_path):
    for argv in (["report", "--config", "run.toml", "--out", "o", "--regions-by", "prefecture"],
                 ["plan", "--roads", "r.gpkg", "--bridges", "b.gpkg", "--out", "o.gpkg",
                  "--compare", "0,5", "--workers", "2"]):
        code = ("import sys; sys.modules['distributed'] = None\n"
                "from gunmane_geo.cli import main\n"
                f"sys.exit(main({argv!r}))")
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=tmp_path, timeout=120)
        assert res.returncode != 0
        assert "pip install 'gunmane-geo[dask]'" in res.stderr, res.stderr
        assert argv[-2] in res.stderr or "--regions-by" in res.stderr


# --------------------------------------------------------------------------- regions
def _prefecture_layers(code):
    """Roads, bridges, population, facilities and municipalities of one prefecture."""
    name, dx, ids, built = PREFS[code]
    ident = dict(zip("ABCD", ids))
    roads, i = [], 0
    for a, b, bid, cls, w in ROADS:
        i += 1
        roads.append({"road_id": f"{code}R{i}", "road_class": cls, "width_m": w,
                      "is_bridge": bid is not None, "bridge_id": ident.get(bid),
                      "geometry": translate(LineString([NODES[a], NODES[b]]), dx)})
    roads = gpd.GeoDataFrame(roads, geometry="geometry", crs=CRS)
    br = toy_bridges(emergency_route={"C"})
    br["bridge_id"] = br["bridge_id"].map(ident)
    br["name"] = br["bridge_id"] + "橋"
    br["built_year"] = built
    br["geometry"] = [translate(g.interpolate(0.5, normalized=True), dx) for g in br.geometry]
    pop = gpd.GeoDataFrame({"population": [float(v) for v in POP.values()]},
                           geometry=[Point(NODES[n][0] + dx, NODES[n][1]) for n in POP], crs=CRS)
    fac = gpd.GeoDataFrame({"facility_id": [f"{code}F1"], "name": ["島の学校"],
                            "facility_type": ["school"]},
                           geometry=[Point(NODES["i0"][0] + dx, NODES["i0"][1])], crs=CRS)
    munis = gpd.GeoDataFrame(
        {"municipality_code": [f"{code}201", f"{code}202"],
         "municipality_name": [f"{name[:2]}西市", f"{name[:2]}東町"],
         "prefecture_name": [name, name]},
        geometry=[box(dx - 1000, -1000, dx + 100, 4000), box(dx + 100, -1000, dx + 1000, 4000)],
        crs=CRS)
    return {"roads": roads, "bridges": br, "population": pop, "facilities": fac,
            "municipalities": munis}


def _write_config(folder, layers, extra=""):
    folder.mkdir(parents=True, exist_ok=True)
    for kind, frame in layers.items():
        frame.to_file(folder / f"{kind}.gpkg", driver="GPKG")
    text = "[inputs]\n" + "".join(f'{k} = "{k}.gpkg"\n' for k in layers) + SETTINGS_TOML + extra
    (folder / "run.toml").write_text(text, encoding="utf-8")
    return folder / "run.toml"


@pytest.fixture(scope="module")
def regions(tmp_path_factory):
    """Both prefectures in one set of files, and each alone; the sweep run once."""
    tmp = tmp_path_factory.mktemp("regions")
    per = {code: _prefecture_layers(code) for code in PREFS}
    both = {k: pd.concat([per[c][k] for c in PREFS], ignore_index=True) for k in per["08"]}
    both = {k: gpd.GeoDataFrame(v, geometry="geometry", crs=CRS) for k, v in both.items()}
    cfg = _write_config(tmp / "both", both)
    alone = {c: _write_config(tmp / f"alone{c}", per[c],
                              extra=f'region_name = "{PREFS[c][0]}"\n') for c in PREFS}
    out = tmp / "sweep"
    rc = main(["report", "--config", str(cfg), "--out", str(out), "--regions-by", "prefecture",
               "--workers", "2", "--quiet", "--stages", *STAGES])
    return rc, out, cfg, alone


def _table(folder, name):
    return pd.read_csv(folder / "tables" / f"{name}.csv", encoding="utf-8-sig")


def test_one_report_per_prefecture_and_a_summary(regions):
    rc, out, _, _ = regions
    assert rc == 0
    summary = pd.read_csv(out / "regions_summary.csv", encoding="utf-8-sig")
    assert summary["region"].tolist() == ["茨城県", "栃木県"]
    assert summary["status"].tolist() == ["ok", "ok"]
    for folder in summary["folder"]:
        assert (out / folder / "report_ja.pdf").stat().st_size > 0
        assert (out / folder / "results.gpkg").stat().st_size > 0
    # every input bridge and municipality is in exactly one region
    assign = pd.read_csv(out / "regions_assignment.csv", encoding="utf-8-sig")
    b = assign[assign["layer"] == "bridges"].set_index("feature_id")["region"]
    assert b.to_dict() == {**{x: "茨城県" for x in "ABCD"}, **{x: "栃木県" for x in "EFGH"}}
    s = summary.set_index("region")
    # worked by hand (module docstring)
    assert s.loc["茨城県", "n_bridges"] == 4 and s.loc["栃木県", "n_bridges"] == 4
    assert s.loc["茨城県", "share_old_now"] == pytest.approx(1.0)
    assert s.loc["栃木県", "share_old_now"] == pytest.approx(0.0)
    assert s.loc["茨城県", "n_plan_removals"] == 1
    assert s.loc["茨城県", "plan_cost_avoided_yen"] == pytest.approx(475_374_578)
    assert s.loc["茨城県", "longest_detour_m"] == pytest.approx(600.0, abs=1.0)
    assert s.loc["茨城県", "longest_detour_bridge"].startswith("A")
    assert s.loc["茨城県", "people_longer_trips"] == pytest.approx(100.0)


def test_summary_equals_each_regions_own_report(regions):
    """Every figure of the summary read back from the region's own tables."""
    _, out, _, _ = regions
    summary = pd.read_csv(out / "regions_summary.csv", encoding="utf-8-sig")
    for r in summary.itertuples():
        folder = out / r.folder
        ind = _table(folder, "indicators")
        col = "n_bridges" if "n_bridges" in ind.columns else \
            next(c for c in ind.columns if c.endswith("(n_bridges)"))
        level = next(c for c in ind.columns if c == "level" or c.endswith("(level)"))
        m = ind[ind[level] == "municipality"]
        assert r.n_bridges == m[col].sum()
        known = m[next(c for c in ind.columns if c.endswith("(n_built_year_known)"))].sum()
        old = m[next(c for c in ind.columns if c.endswith("(n_age50_now)"))].sum()
        assert r.share_old_now == pytest.approx(old / known)
        plan = _table(folder, "plan")
        planned = plan[plan["status"] == "planned"]
        ps = _table(folder, "plan_summary").iloc[0]
        assert r.n_plan_removals == len(planned) == ps["n_bridges_removed"]
        assert r.plan_cost_avoided_yen == pytest.approx(ps["cost_avoided_yen"])
        assert r.people_longer_trips == pytest.approx(ps["people_longer_trips"])
        if len(planned):
            assert r.longest_detour_m == pytest.approx(planned["detour_in_plan_m"].max())
        rec = json.loads((folder / "region.json").read_text(encoding="utf-8"))
        assert rec["row"]["n_bridges"] == r.n_bridges


def test_each_region_equals_a_plain_report_of_its_data_alone(regions, tmp_path):
    """The Dask run of a region gives the same tables as ``gunmane report`` (no Dask) on
    that prefecture's files alone."""
    _, out, _, alone = regions
    summary = pd.read_csv(out / "regions_summary.csv", encoding="utf-8-sig")
    for code, cfg in alone.items():
        name = PREFS[code][0]
        plain = tmp_path / f"plain{code}"
        assert main(["report", "--config", str(cfg), "--out", str(plain), "--quiet",
                     "--stages", *STAGES]) == 0
        folder = out / summary.set_index("region").loc[name, "folder"]
        for table in ("bridge_criticality", "bridge_options", "plan", "plan_summary",
                      "plan_compare", "indicators", "cost_curve"):
            a, b = _table(folder, table), _table(plain, table)
            # the row of the input file differs (both prefectures are in one file there)
            a, b = (t.drop(columns=[c for c in t.columns if c == "source_row"]) for t in (a, b))
            pd.testing.assert_frame_equal(a, b, obj=f"{name} {table}")


def test_failed_region_is_reported_and_a_rerun_reuses_the_others(regions, tmp_path, capsys):
    _, _, cfg, _ = regions
    out = tmp_path / "sweep"
    blocked = out / "栃木県"
    blocked.mkdir(parents=True)
    (out / "regions.json").write_text("{}", encoding="utf-8")      # an earlier sweep's folder
    (blocked / "notes.txt").write_text("not a report", encoding="utf-8")
    argv = ["report", "--config", str(cfg), "--out", str(out), "--regions-by", "prefecture",
            "--workers", "2", "--stages", *STAGES]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "region 栃木県 failed" in err and "files that gunmane did not write" in err
    first = pd.read_csv(out / "regions_summary.csv", encoding="utf-8-sig").set_index("region")
    assert first["status"].to_dict() == {"茨城県": "ok", "栃木県": "failed"}
    assert (out / "茨城県" / "report_en.pdf").is_file()
    assert (blocked / "notes.txt").is_file()                        # left as it was
    (blocked / "notes.txt").unlink()
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "1 of 2 regions reused from an earlier run" in err
    second = pd.read_csv(out / "regions_summary.csv", encoding="utf-8-sig").set_index("region")
    assert second["status"].to_dict() == {"茨城県": "ok", "栃木県": "ok"}
    assert second["reused"].to_dict() == {"茨城県": True, "栃木県": False}
    assert second.loc["茨城県", "n_plan_removals"] == first.loc["茨城県", "n_plan_removals"]


def test_region_column_errors_name_the_fix(tmp_path):
    from gunmane_geo.report.regions import folder_names, region_labels
    m = _prefecture_layers("08")["municipalities"]
    assert region_labels(m, "municipality").tolist() == ["茨城西市", "茨城東町"]
    m2 = m.drop(columns="prefecture_name")
    assert region_labels(m2, "prefecture").tolist() == ["茨城県", "茨城県"]    # from the code
    m2["block"] = ["north", None]
    with pytest.raises(InputError, match=r"1 municipalities have no region \(rows 2\)"):
        region_labels(m2, "block")
    with pytest.raises(InputError, match="no such column"):
        region_labels(m2, "nothing")
    assert folder_names(["a/b", "a b", "regions.json"]) == {"a/b": "a_b", "a b": "a_b_2",
                                                            "regions.json": "regions.json_2"}
    out = tmp_path / "full"
    out.mkdir()
    (out / "mine.txt").write_text("x")
    from gunmane_geo.report.regions import check_sweep_folder
    with pytest.raises(InputError, match="choose a new --out folder"):
        check_sweep_folder(out)


def test_workers_without_regions_by_are_refused(tmp_path, capsys):
    assert main(["report", "--config", str(tmp_path / "run.toml"), "--out", str(tmp_path / "o"),
                 "--workers", "2"]) == 1
    assert "--workers and --scheduler go with --regions-by" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [0, -1])
def test_workers_below_one_are_refused_not_read_as_all_cores(workers):
    from gunmane_geo.distributed import open_client
    with pytest.raises(InputError, match="--workers must be 1 or more"):
        open_client(workers=workers)
