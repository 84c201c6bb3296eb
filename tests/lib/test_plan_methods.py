"""The ministry's methods in a plan, on the hand-worked river network (tests/lib/options_toy.py).

Each situation is built so that one method is the right answer, worked out by hand:

* 単純撤去: A's detour (w0-w1-e1-e0, 600 m) is accepted as it is
  (``require_detour_upgrade`` off) and no kept bridge within 200 m carries it.
* 集約: the same removal, but bridges 1000 m apart count as nearby: A's detour runs over B
  (300 m away), which gains A's 5 vehicles/day.  B is 4 m wide against A's 6 m: widening
  (6 - 4) m x 200 m x 400,000 yen/m2 = 160,000,000 yen; B is rated III: repair
  150,000 yen/m2 x 800 m2 = 120,000,000 yen (already in its keep cost).
* 撤去＋迂回路整備: the detour has 600 m of substandard road (w0-w1 300 m of class
  'other' without a width, e0-e1 300 m at 4 m < 5.5 m): improvement 600 m x 200,000 yen/m
  = 120,000,000 yen, so the removal saves 120,000,000 yen less than a simple one.
  Or the detour runs over B rated IV: its urgent repair is named as the precondition.
* ダウンサイジング: A is on a school route and walkers would go round by B, 600 m > the
  school-route limit 500 m; B is on an emergency route (not removable), C's detour is too
  long, D isolates the island.
"""
from __future__ import annotations

import pandas as pd
import pytest

from gunmane_geo.options import find_consolidation_sets, generate_options, make_plan
from gunmane_geo.settings import Settings

from options_toy import toy_bridges, toy_network


def settings(require_upgrade=False, gap=200.0, **guards):
    s = Settings()
    s.costs.base_year = 2025
    s.plan.require_detour_upgrade = require_upgrade
    s.guards.consolidation_max_gap_m = gap
    for k, v in guards.items():
        setattr(s.guards, k, v)
    return s


def run(s, bridges=None):
    bridges = toy_bridges() if bridges is None else bridges
    net = toy_network(bridges)
    opts = generate_options(net, None, bridges, settings=s)
    sets = find_consolidation_sets(net, None, bridges, settings=s)
    plan, _ = make_plan(net, opts, sets, settings=s)
    return opts.set_index(["bridge_id", "option"]), plan.set_index("bridge_id")


def says_why_each_method(row):
    """A planned row's reason names keep and all four methods, in Japanese and English."""
    for word in ("維持：", "集約", "ダウンサイジング", "単純撤去", "撤去＋迂回路整備"):
        assert word in row["reason_ja"], (word, row["reason_ja"])
    for word in ("keep: ", "consolidation", "downsizing", "simple removal",
                 "removal + detour improvement"):
        assert word in row["reason_en"], (word, row["reason_en"])


def test_simple_removal_when_the_detour_is_fine_and_no_bridge_nearby():
    _, plan = run(settings())
    a = plan.loc["A"]
    assert a["method"] == "remove" and a["method_ja"] == "単純撤去"
    assert a["detour_in_plan_m"] == pytest.approx(600.0)
    assert a["reason_ja"].startswith("手順1：単純撤去：迂回 600 m、迂回路は基準を満たす")
    assert "集約：200 m 以内に交通を受ける残す橋がない" in a["reason_ja"]
    assert "downsizing: walkers' detour acceptable" in a["reason_en"]
    says_why_each_method(a)
    assert plan.attrs["summary"]["n_remove"] == 1
    assert plan.loc[["B", "C", "D"], "method"].eq("keep").all()


def test_consolidation_into_the_kept_bridge_that_takes_the_traffic():
    # B (4 m) cannot be removed (emergency route): A's traffic moves onto it, and B must be
    # widened to A's 6 m: (6 - 4) m x 200 m x 400,000 yen/m2 = 160,000,000 yen, charged
    # to the plan
    b = toy_bridges(emergency_route={"B"})
    b.loc[b["bridge_id"] == "B", ["width_m", "deck_area_m2"]] = [4.0, 800.0]
    opts, plan = run(settings(gap=1000.0), b)
    a = plan.loc["A"]
    assert a["status"] == "planned" and a["method"] == "consolidate"
    assert a["receiving_bridge_id"] == "B" and a["receiving_bridge_name"] == "B橋"
    assert a["gap_m"] == pytest.approx(300.0)
    assert a["added_aadt_on_receiving"] == pytest.approx(5.0)
    assert a["receiving_widening_yen"] == 160_000_000
    assert a["receiving_repair_yen"] == 120_000_000
    assert "B（B橋） へ集約（距離 300 m、同橋の交通 +5 台/日" in a["reason_ja"]
    assert "拡幅 1.60億円（幅員 4.0 m → 6.0 m、計画の削減額から差し引き済み）" in a["reason_ja"]
    assert "consolidation into B (B橋) (300 m away, +5 vehicles/day on it; widening" in a["reason_en"]
    assert plan.loc["B", "receives_from"] == "A"
    assert "+5 vehicles/day" in plan.loc["B", "reason_en"]
    assert "widened from 4.0 m to 6.0 m" in plan.loc["B", "reason_en"]
    says_why_each_method(a)
    s = plan.attrs["summary"]
    assert s["n_consolidate"] == 1 and s["receiving_widening_yen"] == 160_000_000
    # the saving is net of the widening, and the rows add up to it
    gross = int(opts.loc[("A", "remove"), "cost_avoided_yen"])
    assert s["cost_avoided_yen"] == gross - 160_000_000
    assert plan.loc["B", "cost_avoided_yen"] == -160_000_000
    assert plan.loc["B", "lcc_yen"] == opts.loc[("B", "keep"), "lcc_yen"] + 160_000_000
    assert int(plan["cost_avoided_yen"].sum()) == s["cost_avoided_yen"]
    assert int(plan["lcc_yen"].sum()) == s["plan_lcc_yen"]


def test_the_greedy_choice_sees_the_widening():
    # A and B are the same but B is 4 m wide.  Removing A saves more gross, but its traffic
    # would need B widened (160,000,000 yen); removing B needs no widening (A is 6 m) and
    # saves more net, so the plan removes B.  Both together: A's detour would be 6000 m,
    # over the 3000 m limit.
    b = toy_bridges()
    b.loc[b["bridge_id"] == "B", ["width_m", "deck_area_m2"]] = [4.0, 800.0]
    opts, plan = run(settings(gap=1000.0), b)
    gross_a = int(opts.loc[("A", "remove"), "cost_avoided_yen"])
    gross_b = int(opts.loc[("B", "remove"), "cost_avoided_yen"])
    assert gross_a > gross_b > gross_a - 160_000_000     # the case this test is about
    assert plan.loc["B", "status"] == "planned" and plan.loc["B", "method"] == "consolidate"
    assert plan.loc["B", "receiving_bridge_id"] == "A"
    assert plan.loc["B", "receiving_widening_yen"] == 0
    assert plan.loc["A", "status"] == "refused_in_plan"
    assert plan.attrs["summary"]["cost_avoided_yen"] == gross_b
    assert plan.attrs["summary"]["receiving_widening_yen"] == 0


def test_removal_carries_the_improvement_of_a_substandard_detour():
    opts, plan = run(settings(require_upgrade=True))
    a = plan.loc["A"]
    assert a["plan_option"] == "remove_upgrade_detour" and a["method"] == "remove_upgrade_detour"
    assert a["detour_upgrade_m"] == pytest.approx(600.0)
    simple = opts.loc[("A", "remove"), "cost_avoided_yen"]
    assert a["cost_avoided_yen"] == simple - 600 * 200_000
    assert "迂回路の狭い区間 600 m を改良（1.20億円、削減額から差し引き済み）" in a["reason_ja"]
    assert "simple removal: the detour has 600 m of substandard road" in a["reason_en"]
    says_why_each_method(a)
    assert plan.attrs["summary"]["n_remove_upgrade_detour"] == 1
    assert plan.attrs["summary"]["n_remove"] == 0


def test_a_rated_iv_bridge_on_the_detour_makes_it_substandard():
    b = toy_bridges(emergency_route={"B"})
    b.loc[b["bridge_id"] == "B", "rating"] = 4
    _, plan = run(settings(), b)
    a = plan.loc["A"]
    assert a["plan_option"] == "remove" and a["method"] == "remove_upgrade_detour"
    assert a["detour_iv_bridges"] == "B"
    says_why_each_method(a)
    assert "判定区分IVの橋 B の緊急修繕を先行" in a["reason_ja"]


def test_downsizing_when_walkers_on_a_school_route_need_the_crossing():
    opts, plan = run(settings(), toy_bridges(school_route={"A"}, emergency_route={"B"}))
    assert opts.loc[("A", "remove"), "walk_detour_m"] == pytest.approx(600.0)
    assert "walk_detour" in opts.loc[("A", "remove"), "excluded_by"]
    assert bool(opts.loc[("A", "downsize"), "eligible"])
    a = plan.loc["A"]
    assert a["method"] == "downsize" and bool(a["walkers_need"])
    assert "撤去すると徒歩の迂回 600 m（通学路）のため歩行者・自転車橋として残す" in a["reason_ja"]
    assert "simple removal: walkers need the crossing" in a["reason_en"]
    says_why_each_method(a)
    assert plan.attrs["summary"]["n_downsize"] == 1


def test_the_school_route_limit_is_a_setting():
    # 600 m is under a 700 m school-route limit: the simple removal stays possible
    opts, plan = run(settings(max_school_walk_detour_m=700.0),
                     toy_bridges(school_route={"A"}, emergency_route={"B"}))
    assert bool(opts.loc[("A", "remove"), "eligible"])
    assert plan.loc["A", "method"] == "remove"


def test_a_detour_as_wide_as_the_bridge_is_not_substandard():
    # A 4 m wide: e0-e1 (4 m) carries its traffic no worse, only w0-w1 (class 'other',
    # width unknown) is substandard: 300 m x 200,000 yen/m
    b = toy_bridges()
    b.loc[b["bridge_id"] == "A", ["width_m", "deck_area_m2"]] = [4.0, 800.0]
    opts, plan = run(settings(require_upgrade=True), b)
    assert opts.loc[("A", "remove_upgrade_detour"), "upgrade_length_m"] == pytest.approx(300.0)
    assert opts.loc[("B", "remove_upgrade_detour"), "upgrade_length_m"] == pytest.approx(600.0)
    assert opts.loc[("A", "remove_upgrade_detour"), "detour_upgrade_yen"] == 300 * 200_000


def test_a_consolidation_set_does_not_take_a_crossing_walkers_need():
    # with 1000 m gaps {A, B} is a consolidation set (keep B, remove A): removing A outright
    # would save more than downsizing it, but walkers on A's school route would go round
    # 600 m (> 500 m), so A is downsized, not consolidated away
    opts, plan = run(settings(gap=1000.0), toy_bridges(school_route={"A"}, emergency_route={"B"}))
    assert opts.loc[("A", "remove"), "cost_avoided_yen"] > opts.loc[("A", "downsize"), "cost_avoided_yen"]
    a = plan.loc["A"]
    assert a["plan_option"] == "downsize" and a["method"] == "downsize"
    assert pd.isna(a["set_id"])
    assert "集約：歩行者の渡りが失われる" in a["reason_ja"]
    says_why_each_method(a)
