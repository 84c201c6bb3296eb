"""`gunmane options` / `gunmane plan` end to end on the hand-worked river, through the real
loaders and network builder; outputs: GeoPackage layers with geometry and BOM CSVs."""
from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.cli import main

from options_toy import CRS, NODES, POP, ROADS, toy_bridges


@pytest.fixture()
def toy_files(tmp_path):
    rows = []
    for i, (a, b, bid, cls, w) in enumerate(ROADS, start=1):
        rows.append({"road_id": f"R{i}", "road_class": cls, "width_m": w,
                     "is_bridge": bid is not None, "bridge_id": bid,
                     "geometry": LineString([NODES[a], NODES[b]])})
    roads = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    roads.to_file(tmp_path / "roads.gpkg", driver="GPKG")
    bridges = toy_bridges(emergency_route={"C"})
    bridges["geometry"] = bridges.geometry.interpolate(0.5, normalized=True)   # inventory points
    bridges.to_file(tmp_path / "bridges.gpkg", driver="GPKG")
    pop = gpd.GeoDataFrame({"population": [float(v) for v in POP.values()]},
                           geometry=[Point(NODES[n]) for n in POP], crs=CRS)
    pop.to_file(tmp_path / "population.gpkg", driver="GPKG")
    fac = gpd.GeoDataFrame({"facility_id": ["F1"], "name": ["島の学校"], "facility_type": ["school"]},
                           geometry=[Point(NODES["i0"])], crs=CRS)
    fac.to_file(tmp_path / "facilities.gpkg", driver="GPKG")
    (tmp_path / "run.toml").write_text("[costs]\nbase_year = 2025\n", encoding="utf-8")
    return tmp_path


def test_plan_command_writes_layers_and_bom_csv(toy_files):
    d = toy_files
    out = d / "out" / "plan.gpkg"
    rc = main(["plan", "--roads", str(d / "roads.gpkg"), "--bridges", str(d / "bridges.gpkg"),
               "--population", str(d / "population.gpkg"), "--facilities", str(d / "facilities.gpkg"),
               "--config", str(d / "run.toml"), "--out", str(out), "--csv", str(d / "csv"),
               "--target-saving-pct", "10", "--quiet"])
    assert rc == 0
    layers = set(pyogrio.list_layers(out)[:, 0])
    assert {"bridge_options", "consolidation_sets", "plan", "cost_curve", "plan_summary",
            "run_settings", "load_report"} <= layers
    opts = gpd.read_file(out, layer="bridge_options")
    assert len(opts) == 16 and opts.geometry.notna().all() and opts.crs.to_epsg() == 6673
    plan = gpd.read_file(out, layer="plan").set_index("bridge_id")
    assert plan.loc["D", "plan_option"] == "keep"          # the island keeps its bridge
    assert (plan["plan_option"] != "keep").sum() == 1      # one of the parallel pair
    assert plan.loc["A", "detour_in_plan_m"] == pytest.approx(600.0, abs=1.0)
    d_opts = opts[(opts["bridge_id"] == "D") & (opts["option"] == "remove")].iloc[0]
    assert d_opts["isolated_population"] == pytest.approx(50.0)
    assert d_opts["isolated_facilities"] == 1
    raw = (d / "csv" / "bridge_options.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                 # UTF-8 BOM for Excel
    assert "単純撤去".encode("utf-8") in raw
    settings = gpd.read_file(out, layer="run_settings")
    row = settings[(settings["section"] == "costs") & (settings["key"] == "base_year")]
    assert row["value"].iloc[0] == "2025"
    assert settings["note"].str.contains("ILLUSTRATIVE").all()


def test_options_command_needs_roads(toy_files, capsys):
    rc = main(["options", "--bridges", str(toy_files / "bridges.gpkg"), "--out",
               str(toy_files / "o.gpkg"), "--quiet"])
    assert rc == 1
    assert "--roads" in capsys.readouterr().err


def test_set_measures_agree_with_criticality_on_single_bridges(toy_files):
    """The options' set evaluator gives the criticality module's single-bridge answers."""
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.options import SetEvaluator
    from gunmane_geo.pipeline import network_from_region as build_region_network
    from gunmane_geo.io.region import Region

    d = toy_files
    roads = gpd.read_file(d / "roads.gpkg")
    bridges = gpd.read_file(d / "bridges.gpkg")
    pop = gpd.read_file(d / "population.gpkg")
    fac = gpd.read_file(d / "facilities.gpkg")
    region = Region(crs=CRS, roads=roads, bridges=bridges, population=pop, facilities=fac)
    from gunmane_geo.settings import Settings
    net = build_region_network(region, Settings())
    crit = bridge_criticality(net).set_index("bridge_id")
    g = SetEvaluator.of(net)
    for bid in "ABCD":
        eff = g.evaluate([bid])
        if crit.loc[bid, "isolates"]:
            assert eff.isolated_population == pytest.approx(crit.loc[bid, "isolated_population"])
            assert eff.isolated_facilities == crit.loc[bid, "isolated_facilities"]
        else:
            assert eff.detour_m[bid] == pytest.approx(crit.loc[bid, "detour_m"], abs=0.01)
            assert eff.detour_min[bid] == pytest.approx(crit.loc[bid, "detour_min"], abs=1e-3)
            assert eff.isolated_population == 0
    assert crit.loc["D", "isolates"] and crit.loc["D", "isolated_population"] == pytest.approx(50.0)


def test_detour_upgrade_through_the_real_network_uses_road_widths(toy_files):
    """Widths come from the road lines through build_network: A's detour has 600 m to upgrade."""
    from gunmane_geo.options import generate_options
    from gunmane_geo.pipeline import network_from_region as build_region_network
    from gunmane_geo.io.region import Region
    from gunmane_geo.settings import Settings

    d = toy_files
    region = Region(crs=CRS, roads=gpd.read_file(d / "roads.gpkg"),
                    bridges=gpd.read_file(d / "bridges.gpkg"))
    s = Settings()
    s.costs.base_year = 2025
    net = build_region_network(region, s)
    assert "width_m" in net.edges.columns
    opts = generate_options(net, None, region.bridges, settings=s) \
        .set_index(["bridge_id", "option"])
    assert opts.loc[("A", "remove_upgrade_detour"), "upgrade_length_m"] == pytest.approx(600.0, abs=1.0)


def test_plan_target_from_config_section(tmp_path, capsys):
    """[plan] target_saving_pct in the config drives the plan; a bad value is refused clearly."""
    from gunmane_geo.cli import main
    from gunmane_geo.settings import Settings

    settings = Settings.from_dict({"plan": {"target_saving_pct": 5.0}})
    assert settings.plan.target_saving_pct == 5.0 and settings.plan.budget_yen is None
    bad = tmp_path / "bad.toml"
    bad.write_text("[plan]\ntarget_saving_pct = 150.0\n", encoding="utf-8")
    assert main(["plan", "--roads", "r.gpkg", "--bridges", "b.gpkg", "--config", str(bad),
                 "--out", str(tmp_path / "o.gpkg"), "--quiet"]) == 1
    err = capsys.readouterr().err        # refused when the settings are read (docs/errors.md)
    assert "[plan] target_saving_pct = 150.0" in err and "percent from 0 to 100" in err


def test_plan_on_the_sample_is_the_same_whatever_the_hash_seed(tmp_path):
    """The same config gives the same outputs: the plan's sums do not follow set order
    (a Python set's order changes with PYTHONHASHSEED; the cost curve once differed in the
    last digits of total_detour_m between runs)."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "gunmane_geo.cli", "plan", "--config",
                        str(root / "sample_layers" / "run.toml"), "--target-saving-pct", "10",
                        "--out", str(out / "plan.gpkg"), "--csv", str(out), "--quiet"],
                       check=True, env=env, cwd=root, capture_output=True)
        outputs.append({name: (out / name).read_bytes()
                        for name in ("cost_curve.csv", "plan.csv", "plan_summary.csv")})
    assert outputs[0]["cost_curve.csv"].count(b"\n") > 10      # a real curve, not an empty table
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name
