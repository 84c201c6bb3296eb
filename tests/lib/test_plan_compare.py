"""Scenarios side by side (``compare_plans``, ``gunmane plan --compare``) on the hand-worked
river (tests/lib/options_toy.py).

By hand, with C on an emergency route and detours up to 10 km allowed (for walkers too:
with the default 1,000 m the plan would not take A and B both, tests/lib/test_plan_walkers.py):
the baseline is
2,621,498,312 yen (four keep life-cycle costs); each of A and B saves 475,374,578 yen
removed, D cuts the island off.
* 0 %: nothing removed.
* 10 % (262,149,832 yen): A alone (simple removal; the kept B is 300 m away, beyond the
  200 m counted as nearby): +5 x 0.6 = 3 vehicle-km/day; the school at i0 is the only
  facility: from w0 (100 people) it was 400 m over A, now 1,000 m over B; w1 (80) has
  700 m either way: 100 people with longer trips.
* 40 % (1,048,599,325 yen): A and B are all there is (950,749,156 yen): not reached;
  A 6,000 m and B 5,400 m round by C: 5 x 6 + 5 x 5.4 = 57 vehicle-km/day; w0 and w1
  now go round by C (w2, 60 people, went by C already): 180 people.
"""
from __future__ import annotations

import pyogrio
import pytest

from gunmane_geo.cli import main
from gunmane_geo.errors import InputError
from gunmane_geo.options import (compare_plans, find_consolidation_sets, generate_options,
                                 parse_levels)

from options_toy import toy_bridges, toy_network
from test_plan_cli import toy_files  # noqa: F401  (fixture)
from test_plan_methods import settings


def inputs():
    s = settings(max_detour_m=10_000.0, max_walk_detour_m=10_000.0)
    b = toy_bridges(emergency_route={"C"})
    net = toy_network(b)
    return net, generate_options(net, None, b, settings=s), find_consolidation_sets(
        net, None, b, settings=s), s


def test_levels_side_by_side_worked_by_hand():
    net, opts, sets, s = inputs()
    assert int(opts.loc[opts["option"] == "keep", "lcc_yen"].sum()) == 2_621_498_312
    c = compare_plans(net, opts, sets, targets_pct=[0, 10, 40], settings=s).set_index("level")
    assert c["n_bridges_removed"].tolist() == [0, 1, 2]
    assert c["n_remove"].tolist() == [0, 1, 2] and c["n_consolidate"].sum() == 0
    assert c["cost_avoided_yen"].tolist() == [0, 475_374_578, 950_749_156]
    assert c["target_reached"].tolist() == [True, True, False]
    assert c["added_vehicle_km_per_day"].tolist() == pytest.approx([0.0, 3.0, 57.0])
    assert c["max_detour_m"].tolist() == pytest.approx([0.0, 600.0, 6000.0])
    assert c["people_longer_trips"].tolist() == pytest.approx([0.0, 100.0, 180.0])
    assert c.loc[10.0, "label_ja"] == "削減目標 10%"


def test_budgets_side_by_side():
    net, opts, sets, s = inputs()
    base = 2_621_498_312
    c = compare_plans(net, opts, sets, budgets_yen=[base, base - 400_000_000], settings=s)
    assert c["n_bridges_removed"].tolist() == [0, 1]
    assert c["label_en"].iloc[1] == "budget ¥2,221 million"


def test_bad_levels_are_named():
    with pytest.raises(InputError, match="'x' is not a number"):
        parse_levels("0,x,10")
    net, opts, sets, s = inputs()
    with pytest.raises(InputError, match="outside 0..100"):
        compare_plans(net, opts, sets, targets_pct=[100], settings=s)
    with pytest.raises(InputError, match="not both"):
        compare_plans(net, opts, sets, targets_pct=[5], budgets_yen=[1.0], settings=s)


def test_plan_command_compare_writes_table_and_chart(toy_files, capsys):  # noqa: F811
    d = toy_files
    (d / "run.toml").write_text("[costs]\nbase_year = 2025\n[guards]\nmax_detour_m = 10000.0\n"
                                "max_walk_detour_m = 10000.0\n"
                                "consolidation_max_gap_m = 200.0\n", encoding="utf-8")
    out = d / "out" / "plan.gpkg"
    rc = main(["plan", "--roads", str(d / "roads.gpkg"), "--bridges", str(d / "bridges.gpkg"),
               "--population", str(d / "population.gpkg"), "--facilities", str(d / "facilities.gpkg"),
               "--config", str(d / "run.toml"), "--out", str(out), "--target-saving-pct", "10",
               "--compare", "0,10,40"])
    assert rc == 0
    assert "plan_compare" in set(pyogrio.list_layers(out)[:, 0])
    c = pyogrio.read_dataframe(out, layer="plan_compare")
    assert c["n_bridges_removed"].tolist() == [0, 1, 2]
    assert (d / "out" / "plan_compare.pdf").stat().st_size > 0
    assert (d / "out" / "plan_compare.png").stat().st_size > 0
    err = capsys.readouterr().err
    # the command uses the default require_detour_upgrade: both detours have 600 m of
    # substandard road, so both removals carry it: 950,749,156 - 2 x 120,000,000 yen
    assert ("saving target 40 %: 2 bridges (consolidation 0, simple removal 0, removal + "
            "detour improvement 2, downsizing 0), 710,749,156 yen avoided, +57 vehicle-km/day, "
            "180 people with longer trips") in err
    rc = main(["plan", "--roads", str(d / "roads.gpkg"), "--bridges", str(d / "bridges.gpkg"),
               "--out", str(d / "o2.gpkg"), "--compare", "5", "--compare-budgets", "1e9"])
    assert rc == 1 and "not both" in capsys.readouterr().err
