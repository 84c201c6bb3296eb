"""Walkers in the plan: the outright removals' walking detours measured as a set.

A river worked by hand.  West bank x = 0, east bank x = 100 (metres, EPSG:6673); four
road crossings 100 m long, 400 m apart, and bank roads between them (400 m each):

    wn (0,1500)          en (100,1500)        dead-end spurs (no people): they make
     |                    |                   w0, e0, w3, e3 junctions, so every
    w3 (0,1200) ==R== e3 (100,1200)           bridge's road link is the bridge alone
     |                    |
    w2 (0, 800) ==K== e2 (100, 800)           K: emergency route, never removed
     |                    |
    w1 (0, 400) ==Q== e1 (100, 400)
     |                    |
    w0 (0,   0) ==P== e0 (100,   0)
     |                    |
    ws (0,-300)          es (100,-300)

Everyone walks and drives on every road (municipal, 6 m wide, so no detour section is
substandard).  The limits are the defaults: vehicles 3,000 m, walkers 1,000 m.

By hand (a detour = the route between the bridge's two ends without it, minus its own
100 m; walkers and vehicles alike here):

* P alone: w0-w1-Q-e1-e0 = 400 + 100 + 400 = 900 -> 800 m.  Q alone: 800 m (by P or by K).
  R alone: w3-w2-K-e2-e3 -> 800 m.  Each is under both limits, so each alone may go.
* P and Q together: P's way is w0-w1-w2-K-e2-e1-e0 = 1,700 -> 1,600 m (Q's stays 800 m by
  K).  Vehicles: 1,600 m < 3,000 m, accepted, which is all the plan looked at before.
  Walkers: 1,600 m > 1,000 m: the second of the two may not be removed outright.
* P and R together (1,200 m apart, Q and K kept): P goes round by Q, R by K, neither
  route runs over the other: 800 m each, both removed.
* The greedy: P and Q save the same, P first by id.  After P, Q's outright removal is
  refused (P's walkers would go round 1,600 m); Q's downsizing keeps its crossing for
  walkers and vehicles go round 800 m by K, so Q is downsized.  When downsizing saves
  nothing (a costly new deck) Q is kept, refused with the walkers' reason.
* A footway crossing F at y = 200 (walkers only, not an inventory bridge; it splits the
  bank roads at wf (0,200) and ef (100,200)): walkers from P go w0-wf-F-ef-e0 = 200 + 100
  + 200 = 500 -> 400 m, and from Q w1-wf-F-ef-e1 -> 400 m, with both gone too, so the plan
  removes both although vehicles go round 1,600 m.
"""
from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.network import attach_bridges, attach_population, build_network
from gunmane_geo.options import find_consolidation_sets, generate_options, make_plan
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"
NODES = {"w0": (0, 0), "w1": (0, 400), "w2": (0, 800), "w3": (0, 1200),
         "e0": (100, 0), "e1": (100, 400), "e2": (100, 800), "e3": (100, 1200),
         "ws": (0, -300), "es": (100, -300), "wn": (0, 1500), "en": (100, 1500),
         "wf": (0, 200), "ef": (100, 200)}
BRIDGES = {"P": ("w0", "e0"), "Q": ("w1", "e1"), "K": ("w2", "e2"), "R": ("w3", "e3")}


def roads(footway: bool = False):
    west = ["ws", "w0", "wf", "w1", "w2", "w3", "wn"] if footway else \
        ["ws", "w0", "w1", "w2", "w3", "wn"]
    east = [n.replace("w", "e") for n in west]
    rows = []
    for bank in (west, east):
        for a, b in zip(bank, bank[1:]):
            rows.append((a, b, None, "municipal"))
    rows += [(a, b, bid, "municipal") for bid, (a, b) in BRIDGES.items()]
    if footway:
        rows.append(("wf", "ef", None, "footway"))
    return gpd.GeoDataFrame(
        [{"road_id": f"R{i}", "road_class": cls, "width_m": 6.0, "speed_kmh": 30.0,
          "is_bridge": bid is not None, "bridge_id": bid,
          "geometry": LineString([NODES[a], NODES[b]])}
         for i, (a, b, bid, cls) in enumerate(rows, start=1)], geometry="geometry", crs=CRS)


def bridges(emergency=(), school=()):
    return gpd.GeoDataFrame(
        [{"bridge_id": bid, "name": f"{bid}橋", "length_m": 100.0, "width_m": 6.0,
          "deck_area_m2": 600.0, "built_year": 1960, "rating": 3, "last_inspection_year": 2022,
          "aadt": 5.0, "emergency_route": bid in emergency, "bus_route": False,
          "school_route": bid in school, "geometry": LineString([NODES[a], NODES[b]])}
         for bid, (a, b) in BRIDGES.items()], geometry="geometry", crs=CRS)


def settings(no_downsizing=False, **guards):
    s = Settings()
    s.costs.base_year = 2025
    if no_downsizing:       # a new deck dearer than keeping: downsizing saves nothing
        s.costs.downsizing_cost_per_m2 = 10_000_000.0
    s.guards.consolidation_max_gap_m = 200.0     # no consolidation sets: 400 m apart
    for k, v in guards.items():
        setattr(s.guards, k, v)
    return s


def run(s, inventory, footway=False, motorway=()):
    r = roads(footway)
    r.loc[r["bridge_id"].isin(list(motorway)), "road_class"] = "motorway"
    net = build_network(r)
    net, _ = attach_bridges(net, inventory)
    people = [n for n in NODES if n[1:].isdigit()]
    net = attach_population(net, gpd.GeoDataFrame(
        {"population": [50.0] * len(people)}, geometry=[Point(NODES[n]) for n in people], crs=CRS))
    opts = generate_options(net, None, inventory, settings=s)
    sets = find_consolidation_sets(net, None, inventory, settings=s)
    plan, curve = make_plan(net, opts, sets, settings=s)
    return opts.set_index(["bridge_id", "option"]), plan.set_index("bridge_id"), curve


OUTRIGHT = ("remove", "remove_upgrade_detour")


def outright(plan) -> list:
    """The bridges the plan removes outright."""
    return sorted(plan.index[plan["plan_option"].isin(OUTRIGHT) & plan["status"].eq("planned")])


def test_each_alone_is_fine_for_walkers():
    opts, _, _ = run(settings(), bridges(emergency={"K", "R"}))
    for b in ("P", "Q"):
        assert opts.loc[(b, "remove"), "walk_detour_m"] == pytest.approx(800.0)
        assert opts.loc[(b, "remove"), "detour_m"] == pytest.approx(800.0)
        assert bool(opts.loc[(b, "remove"), "eligible"])


def test_two_nearby_removals_walkers_use_are_not_both_taken():
    # before the walkers' set rule the plan removed P and Q outright (vehicles 1,600 m
    # < 3,000 m) and P's walkers went round 1,600 m against the 1,000 m limit
    _, plan, curve = run(settings(), bridges(emergency={"K", "R"}))
    assert outright(plan) == ["P"]
    assert plan.loc["P", "walk_detour_in_plan_m"] == pytest.approx(800.0)
    q = plan.loc["Q"]
    assert q["plan_option"] == "downsize" and q["method"] == "downsize" and bool(q["walkers_need"])
    assert pd.isna(q["walk_detour_in_plan_m"])          # walkers keep Q
    # vehicles lose both: P's traffic goes round by K
    assert plan.loc["P", "detour_in_plan_m"] == pytest.approx(1600.0)
    assert q["detour_in_plan_m"] == pytest.approx(800.0)
    assert ("removed together with P it would leave walkers at P a detour of 1.6 km "
            "(limit 1.0 km), so a footbridge stays") in q["reason_en"]
    assert "先に撤去する P と合わせて撤去すると P の徒歩の迂回が 1.6 km（上限 1.0 km）となるため" \
        in q["reason_ja"]
    assert "simple removal: walkers need the crossing" in q["reason_en"]
    assert curve["option"].tolist() == ["remove", "downsize"]


def test_refused_and_kept_when_downsizing_saves_nothing():
    _, plan, curve = run(settings(no_downsizing=True), bridges(emergency={"K", "R"}))
    assert outright(plan) == ["P"]
    q = plan.loc["Q"]
    assert q["plan_option"] == "keep" and q["status"] == "refused_in_plan"
    assert q["reason_en"].startswith("keep: together with the removal of P walkers would lose "
                                     "too much: P 1,600 m, limit 1,000 m")
    assert q["reason_ja"].startswith("維持：先に撤去する P と合わせると歩行者の迂回が上限を超える"
                                     "（P 1,600 m（上限 1,000 m））")
    assert len(curve) == 1


def test_the_school_route_limit_applies_with_the_set():
    # limits raised to 2,000 m, 1,200 m on a school route.  Q on the school route: after
    # P, Q's own walkers go round 800 m by K (< 1,200 m) and P's 1,600 m (< 2,000 m), so
    # both go outright
    s = settings(no_downsizing=True, max_walk_detour_m=2000.0, max_school_walk_detour_m=1200.0)
    _, plan, _ = run(s, bridges(emergency={"K", "R"}, school={"Q"}))
    assert outright(plan) == ["P", "Q"]
    # P on the school route instead: after Q, P's walkers would go round 1,600 m > 1,200 m
    _, plan, _ = run(s, bridges(emergency={"K", "R"}, school={"P"}))
    assert outright(plan) == ["P"]
    assert plan.loc["Q", "status"] == "refused_in_plan"
    assert "P 1,600 m, school-route limit 1,200 m" in plan.loc["Q", "reason_en"]
    assert "P 1,600 m（通学路の上限 1,200 m）" in plan.loc["Q", "reason_ja"]


def test_a_waived_walk_guard_lets_both_go():
    # the user accepts P's walkers' detour ([guards] overrides): both removed outright
    s = settings(overrides={"P": ["walk_detour"]})
    _, plan, _ = run(s, bridges(emergency={"K", "R"}))
    assert outright(plan) == ["P", "Q"]
    assert plan.loc["P", "walk_detour_in_plan_m"] == pytest.approx(1600.0)
    assert plan.loc["Q", "walk_detour_in_plan_m"] == pytest.approx(800.0)


def test_two_removals_far_apart_are_both_taken():
    _, plan, curve = run(settings(), bridges(emergency={"K", "Q"}))
    assert outright(plan) == ["P", "R"]
    assert plan.loc["P", "walk_detour_in_plan_m"] == pytest.approx(800.0)
    assert plan.loc["R", "walk_detour_in_plan_m"] == pytest.approx(800.0)
    assert plan.loc["P", "detour_in_plan_m"] == pytest.approx(800.0)
    assert plan.loc["R", "detour_in_plan_m"] == pytest.approx(800.0)
    assert plan.loc[["K", "Q"], "walk_detour_in_plan_m"].eq(0.0).all()
    assert curve["option"].tolist() == ["remove", "remove"]


def test_a_footway_between_them_keeps_walkers_close():
    # walkers are measured on the walking graph: F (footway) gives them 400 m each even
    # with both road bridges gone, while vehicles go round by K (P 1,600 m)
    opts, plan, _ = run(settings(), bridges(emergency={"K", "R"}), footway=True)
    assert opts.loc[("P", "remove"), "walk_detour_m"] == pytest.approx(400.0)
    assert opts.loc[("P", "remove"), "detour_m"] == pytest.approx(800.0)
    assert outright(plan) == ["P", "Q"]
    assert plan.loc["P", "walk_detour_in_plan_m"] == pytest.approx(400.0)
    assert plan.loc["Q", "walk_detour_in_plan_m"] == pytest.approx(400.0)
    assert plan.loc["P", "detour_in_plan_m"] == pytest.approx(1600.0)
    assert plan.loc["Q", "detour_in_plan_m"] == pytest.approx(800.0)


def test_cut_off_on_foot_by_the_set():
    # K and R carry a motorway (no walkers): each of P and Q alone leaves walkers the
    # other (800 m); both together leave them no way across: Q refused.  Vehicles: P
    # goes round by K, 1,600 m.  The motorway bridges are never measured on foot.
    s = settings(no_downsizing=True)
    opts, plan, _ = run(s, bridges(emergency={"K", "R"}), motorway={"K", "R"})
    assert opts.loc[("P", "remove"), "walk_detour_m"] == pytest.approx(800.0)
    assert outright(plan) == ["P"]
    q = plan.loc["Q"]
    assert q["status"] == "refused_in_plan"
    assert q["reason_en"].startswith("keep: together with the removal of P walkers would lose "
                                     "too much: P cut off on foot; Q cut off on foot")
    assert "徒歩で孤立が生じる（P 徒歩では孤立、Q 徒歩では孤立）" in q["reason_ja"]
    # a downsizing of Q is possible again when it saves: walkers keep Q
    _, plan, _ = run(settings(), bridges(emergency={"K", "R"}), motorway={"K", "R"})
    assert plan.loc["Q", "method"] == "downsize"
    assert "walkers at P no way across; walkers at Q no way across" in plan.loc["Q", "reason_en"]


def test_a_motorway_bridge_removal_leaves_walkers_alone():
    # Q carries a motorway: walkers never used it.  P's walkers go round by K
    # (w0-w1-w2-K-e2-e1-e0: 1,600 m > 1,000 m), so P's outright removal is excluded
    # alone; Q has no walkers' detour at all, and removing Q changes nothing on foot
    opts, plan, _ = run(settings(), bridges(emergency={"K", "R"}), motorway={"Q"})
    assert opts.loc[("P", "remove"), "walk_detour_m"] == pytest.approx(1600.0)
    assert "walk_detour" in opts.loc[("P", "remove"), "excluded_by"]
    assert "Q" in outright(plan)
    assert math.isnan(plan.loc["Q", "walk_detour_in_plan_m"])
