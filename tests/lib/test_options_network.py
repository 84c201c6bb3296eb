"""Options on the hand-worked river network: set scenarios, guards, detour upgrades, sets."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from gunmane_geo.options import SetEvaluator, find_consolidation_sets, generate_options
from gunmane_geo.settings import Settings

from options_toy import toy_bridges, toy_network


def settings(**guards):
    s = Settings()
    s.costs.base_year = 2025
    for k, v in guards.items():
        setattr(s.guards, k, v)
    return s


def test_set_scenario_is_a_set_not_a_sum():
    g = SetEvaluator.of(toy_network())
    a = g.evaluate(["A"])
    assert a.detour_m["A"] == pytest.approx(600.0) and a.detour_min["A"] == pytest.approx(1.2)
    assert a.isolated_population == 0
    assert g.evaluate(["C"]).detour_m["C"] == pytest.approx(5400.0)
    ab = g.evaluate(["A", "B"])
    assert ab.detour_m["A"] == pytest.approx(6000.0)     # not 600 + 600
    assert ab.detour_m["B"] == pytest.approx(5400.0)
    d = g.evaluate(["D"])
    assert math.isinf(d.detour_m["D"])
    assert d.isolated_population == 50 and d.isolated_facilities == 1 and d.isolated_nodes == 1
    # A, B and C all gone: the west bank (w0, w1, w2 and the spur ends ww, wn; 240 people)
    # is cut from the east (300 people)
    abc = g.evaluate(["A", "B", "C"])
    assert abc.isolated_nodes == 5 and abc.isolated_population == 100 + 80 + 60


def test_island_bridge_is_never_eligible_for_removal():
    opts = generate_options(toy_network(), None, toy_bridges(), settings=settings())
    d = opts[opts["bridge_id"] == "D"].set_index("option")
    for option in ("remove", "remove_upgrade_detour", "downsize"):
        assert not d.loc[option, "eligible"]
        assert "isolation" in d.loc[option, "excluded_by"].split(";")
        assert "孤立" in d.loc[option, "reason_ja"]
    assert d.loc["keep", "recommended"]
    assert d["user_cost_yen"].isna().sum() == 3      # no alternative route: no finite user cost


def test_guards_exclude_and_user_can_override():
    bridges = toy_bridges(emergency_route={"A"}, bus_route={"B"})
    opts = generate_options(toy_network(), None, bridges, settings=settings()) \
        .set_index(["bridge_id", "option"])
    assert not opts.loc[("A", "remove"), "eligible"]
    assert opts.loc[("A", "remove"), "excluded_by"] == "emergency_route"
    assert "緊急輸送道路" in opts.loc[("A", "remove"), "reason_ja"]
    # bus route: flagged, not excluded
    assert opts.loc[("B", "remove"), "eligible"] and opts.loc[("B", "remove"), "flags"] == "bus_route"
    assert "バス路線（要調整）" in opts.loc[("B", "remove"), "reason_ja"]
    # C: detour 5400 m > 3000 m, and walkers too would go 5400 m round (> 1000 m); a
    # footbridge keeps the crossing for them, so downsizing hits only the vehicle guard
    assert opts.loc[("C", "remove"), "excluded_by"] == "max_detour;walk_detour"
    assert opts.loc[("C", "remove"), "walk_detour_m"] == pytest.approx(5400.0)
    assert opts.loc[("C", "downsize"), "excluded_by"] == "max_detour"
    assert opts.loc[("C", "downsize"), "walk_detour_m"] == 0.0
    assert "歩行者の迂回が長すぎる" in opts.loc[("C", "remove"), "reason_ja"]
    s = settings(overrides={"A": ["emergency_route"]}, max_detour_m=6000.0,
                 max_walk_detour_m=6000.0)
    opts2 = generate_options(toy_network(), None, bridges, settings=s) \
        .set_index(["bridge_id", "option"])
    assert opts2.loc[("A", "remove"), "eligible"]
    assert opts2.loc[("A", "remove"), "guards_waived"] == "emergency_route"
    assert opts2.loc[("C", "remove"), "eligible"]
    s3 = settings(forbid_isolation=False, max_detour_m=math.inf, max_walk_detour_m=math.inf)
    opts3 = generate_options(toy_network(), None, bridges, settings=s3) \
        .set_index(["bridge_id", "option"])
    # isolation guard off: D's removal is allowed but has no finite user cost (never ranked)
    assert opts3.loc[("D", "remove"), "eligible"]
    assert opts3.loc[("D", "remove"), "rank"] is pd_na()


def pd_na():
    import pandas as pd
    return pd.NA


def test_detour_upgrade_sections_and_time():
    s = settings()
    opts = generate_options(toy_network(), None, toy_bridges(), settings=s) \
        .set_index(["bridge_id", "option"])
    row = opts.loc[("A", "remove_upgrade_detour")]
    # A's detour w0-w1 (class 'other', width unknown) and e0-e1 (4 m < 5.5 m): 600 m upgraded
    assert row["upgrade_length_m"] == pytest.approx(600.0)
    assert row["detour_upgrade_yen"] == 600 * 200_000
    # 600 m from 30 to 40 km/h: 1.2 - 0.9 = 0.3 min saved; detour time 1.2 -> 0.9 min
    assert row["detour_min"] == pytest.approx(0.9)
    assert row["removal_yen"] == 1200 * 150_000
    # C's detour w2-w1-e1-e2 has no narrow section: nothing to upgrade, said so
    c = opts.loc[("C", "remove_upgrade_detour")]
    assert c["upgrade_length_m"] == 0 and "no_upgrade" in c["excluded_by"]


def test_every_bridge_and_option_is_in_the_output():
    opts = generate_options(toy_network(), None, toy_bridges(), settings=settings())
    assert len(opts) == 4 * 4
    assert set(opts["bridge_id"]) == {"A", "B", "C", "D"}
    assert (opts.groupby("bridge_id")["recommended"].sum() == 1).all()
    # recommended = the eligible removal-type option with the largest positive net benefit,
    # else keep (computed plainly, bridge by bridge)
    for bid in "ABCD":
        rows = opts[opts["bridge_id"] == bid]
        good = [(int(r.net_present_benefit_yen), r.option) for r in rows.itertuples()
                if r.option != "keep" and r.eligible and not pd.isna(r.net_present_benefit_yen)
                and r.net_present_benefit_yen > 0]
        want = max(good)[1] if good else "keep"
        assert rows.loc[rows["recommended"], "option"].item() == want
    assert opts.loc[opts["recommended"], "option"].ne("keep").sum() >= 1
    assert opts.crs.to_epsg() == 6673 and opts.geometry.notna().all()


def test_consolidation_sets_come_from_the_network():
    net, bridges = toy_network(), toy_bridges()
    sets = find_consolidation_sets(net, None, bridges, settings=settings())
    # only A-B: B carries A's detour and they are 300 m apart; C is 2700 m from B, D has no detour
    assert sorted(sets["bridge_ids"].unique()) == ["A;B"]
    assert set(sets["kept_bridge_id"]) == {"A", "B"}
    keep_a = sets.set_index("kept_bridge_id").loc["A"]
    assert keep_a["removed_bridge_ids"] == "B" and keep_a["detours_m"] == "B:600"
    assert keep_a["eligible"]
    # with a larger gap B-C links too, and the triple is measured as a set
    wide = find_consolidation_sets(net, None, bridges,
                                   settings=settings(consolidation_max_gap_m=5000.0,
                                                     max_detour_m=10000.0))
    assert sorted(wide["bridge_ids"].unique()) == ["A;B", "A;B;C", "B;C"]
    trio = wide[wide["bridge_ids"] == "A;B;C"].set_index("kept_bridge_id")
    assert trio.loc["B", "detours_m"] == "A:600;C:5400"
    assert trio.loc["C", "detours_m"] == "A:6000;B:5400"
    assert trio.loc["C", "max_detour_m"] == pytest.approx(6000.0)
    # keeping A while removing B and C pushes C's traffic to 5400 m: 3 km rule excludes it by default
    narrow = find_consolidation_sets(net, None, bridges,
                                     settings=settings(consolidation_max_gap_m=5000.0))
    t2 = narrow[narrow["bridge_ids"] == "A;B;C"].set_index("kept_bridge_id")
    assert "max_detour" in t2.loc["A", "excluded_by"]
    assert wide.groupby("set_id")["best_in_set"].sum().le(1).all()
