"""Plans on the hand-worked river network (tests/lib/options_toy.py)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from gunmane_geo.errors import Cancelled, InputError
from gunmane_geo.options import find_consolidation_sets, generate_options, make_plan, user_cost
from gunmane_geo.settings import Settings

from options_toy import toy_bridges, toy_network


def settings(**guards):
    s = Settings()
    s.costs.base_year = 2025
    # these tests are about the greedy and its measures: the toy's detours have narrow
    # sections, which would make every removal 撤去＋迂回路整備 (tests/lib/test_plan_methods.py)
    s.plan.require_detour_upgrade = False
    for k, v in guards.items():
        setattr(s.guards, k, v)
    return s


def run(s, bridges=None, **kw):
    net, bridges = toy_network(), (toy_bridges() if bridges is None else bridges)
    opts = generate_options(net, None, bridges, settings=s)
    sets = find_consolidation_sets(net, None, bridges, settings=s)
    plan, curve = make_plan(net, opts, sets, settings=s, **kw)
    return opts, sets, plan.set_index("bridge_id"), curve


def test_plan_removes_one_of_two_parallel_bridges_not_both():
    opts, _, plan, curve = run(settings())
    removed = plan[plan["plan_option"] != "keep"].index.tolist()
    assert removed == ["A"]                       # A and B tie; A comes first by id
    assert plan.loc["A", "plan_option"] == "remove" and plan.loc["A", "step"] == 1
    assert plan.loc["A", "detour_in_plan_m"] == pytest.approx(600.0)
    # B alone would be fine, but with A gone A's traffic would go round by C: 6000 m > 3000 m
    assert plan.loc["B", "status"] == "refused_in_plan"
    assert plan.loc["B", "reason_en"] == ("keep: together with the removal of A the detour would "
                                          "exceed the 3,000 m limit (A 6,000 m, B 5,400 m); "
                                          "carries the traffic of A (+5 vehicles/day)")
    # C: 5400 m detour on its own; D: the island's only bridge
    assert plan.loc["C", "status"] == "not_eligible" and plan.loc["D", "status"] == "not_eligible"
    assert plan.loc["D", "plan_option"] == "keep"
    assert len(plan) == 4 and len(curve) == 1 and curve["in_plan"].all()
    a = opts[(opts["bridge_id"] == "A") & (opts["option"] == "remove")].iloc[0]
    assert curve.loc[0, "cum_cost_avoided_yen"] == a["cost_avoided_yen"]
    assert curve.loc[0, "cum_user_cost_yen"] == a["user_cost_yen"]


def test_both_removed_when_the_detour_after_both_is_acceptable():
    # walkers' limit raised too: with both gone walkers would also go round 6000 m, which
    # the default 1000 m refuses (tests/lib/test_plan_walkers.py); this test is about vehicles
    s = settings(max_detour_m=10_000.0, max_walk_detour_m=10_000.0)
    # C on an emergency route: without it, removing C after A would be the better 2nd step
    opts, _, plan, curve = run(s, toy_bridges(emergency_route={"C"}))
    assert sorted(plan[plan["status"] == "planned"].index) == ["A", "B"]
    # the effect of the pair is measured as a pair: A 6000 m, B 5400 m (not 600 + 600)
    assert plan.loc["A", "detour_in_plan_m"] == pytest.approx(6000.0)
    assert plan.loc["B", "detour_in_plan_m"] == pytest.approx(5400.0)
    assert plan.loc["C", "status"] == "not_eligible"
    assert plan.loc["D", "plan_option"] == "keep"
    # cumulative road-user cost = the pair's cost computed independently
    pv_a = user_cost(5.0, 6000.0, 12.0, s)[1]
    pv_b = user_cost(5.0, 5400.0, 10.8, s)[1]
    assert abs(curve["cum_user_cost_yen"].iloc[-1] - (pv_a + pv_b)) <= 2   # per-bridge rounding
    assert curve["n_bridges_removed"].tolist() == [1, 2]
    assert curve["added_vehicle_km_per_day"].iloc[-1] == pytest.approx(5 * 6.0 + 5 * 5.4)
    saved = opts[(opts["option"] == "remove") & opts["bridge_id"].isin(["A", "B"])]["cost_avoided_yen"].sum()
    assert curve["cum_cost_avoided_yen"].iloc[-1] == saved


def test_greedy_recomputes_interaction_and_isolation_in_the_plan():
    # all guards but isolation relaxed: after A, removing C (5400 m, its route untouched
    # by A) costs road users less than B (which would send A's traffic round by C too);
    # then B would cut the west bank off entirely: refused for isolation
    _, _, plan, curve = run(settings(max_detour_m=10_000.0, max_walk_detour_m=10_000.0))
    assert curve["bridge_ids"].tolist() == ["A", "C"]
    assert plan.loc["C", "detour_in_plan_m"] == pytest.approx(5400.0)
    assert plan.loc["B", "status"] == "refused_in_plan"
    assert "cut people or facilities off" in plan.loc["B", "reason_en"]


def test_island_bridge_never_removed_even_under_a_hard_target():
    _, _, plan, _ = run(settings(max_detour_m=1e9), target_saving_share=0.9)
    assert plan.loc["D", "plan_option"] == "keep"


def test_target_and_budget():
    s = settings()
    opts, sets, plan, curve = run(s, target_saving_share=0.10)
    net = toy_network()
    p2, c2 = make_plan(net, opts, sets, settings=s, target_saving_share=0.10)
    summary = p2.attrs["summary"]
    baseline = int(opts[opts["option"] == "keep"]["lcc_yen"].sum())
    assert summary["baseline_lcc_yen"] == baseline
    assert summary["target_reached"] and summary["n_steps"] == 1
    assert summary["cost_avoided_yen"] >= 0.10 * baseline
    # 50 % cannot be reached: only one of A/B may go
    p3, _ = make_plan(net, opts, sets, settings=s, target_saving_share=0.5)
    assert not p3.attrs["summary"]["target_reached"]
    assert (p3["plan_option"] != "keep").sum() == 1
    # a budget equal to the baseline needs no saving: nothing removed
    p4, _ = make_plan(net, opts, sets, settings=s, budget_yen=baseline)
    assert (p4["plan_option"] == "keep").all() and p4.attrs["summary"]["target_reached"]
    # a budget a little below the baseline needs one removal
    p5, _ = make_plan(net, opts, sets, settings=s, budget_yen=baseline - 1)
    assert (p5["plan_option"] != "keep").sum() == 1
    with pytest.raises(InputError, match="between 0 and 1"):
        make_plan(net, opts, sets, settings=s, target_saving_share=20)


def test_consolidation_hub_in_plan():
    # make single removals unattractive to compare: only the set remains a candidate
    s = settings()
    net, bridges = toy_network(), toy_bridges()
    opts = generate_options(net, None, bridges, settings=s)
    sets = find_consolidation_sets(net, None, bridges, settings=s)
    opts.loc[opts["option"] != "keep", "eligible"] = False
    plan, curve = make_plan(net, opts, sets, settings=s)
    plan = plan.set_index("bridge_id")
    assert plan.loc["A", "status"] == "kept_hub" and plan.loc["A", "set_id"] == "S0001"
    assert plan.loc["B", "plan_option"] == "remove" and plan.loc["B", "set_id"] == "S0001"
    assert curve.loc[0, "option"] == "consolidate"


def test_progress_cancel():
    s = settings()
    net, bridges = toy_network(), toy_bridges()
    opts = generate_options(net, None, bridges, settings=s)
    with pytest.raises(Cancelled):
        make_plan(net, opts, None, settings=s, progress=lambda f, m: True)


def test_a_national_bridge_is_never_planned_for_removal():
    """manager = national (区分 国 in the inspection database): guard national_bridge."""
    bridges = toy_bridges()
    bridges["manager"] = ["national" if b == "A" else "municipality" for b in bridges["bridge_id"]]
    opts, sets, plan, _ = run(settings(), bridges)
    a = opts[opts["bridge_id"] == "A"].set_index("option")
    assert "national_bridge" in a.loc["remove", "excluded_by"]
    assert plan.loc["A", "plan_option"] == "keep"
    assert plan.loc["B", "plan_option"] == "remove"          # the municipal twin instead
    if len(sets):
        removing_a = sets[sets["removed_bridge_ids"].astype(str).str.contains("A")]
        assert all("national_bridge" in str(x) for x in removing_a["excluded_by"])
    s = settings(forbid_national_bridge=False)
    _, _, plan, _ = run(s, bridges)
    assert plan.loc["A", "plan_option"] == "remove"


def test_a_footbridge_of_the_inventory_is_not_downsized():
    """footbridge (種類 横断歩道橋) already is for pedestrians: no downsizing option."""
    bridges = toy_bridges(footbridge={"A"})
    opts, _, _, _ = run(settings(), bridges)
    down = opts[opts["option"] == "downsize"].set_index("bridge_id")["excluded_by"]
    assert "already_pedestrian" in down["A"] and "already_pedestrian" not in down["B"]
