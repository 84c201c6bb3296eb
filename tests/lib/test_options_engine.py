"""The options and plans measure sets on the network engine, and agree with plain networkx.

A synthetic street grid with rivers, bridges, dead-end valleys and islands
(benchmarks/_synthetic.py) with random speeds (so fastest != shortest) and widths
(so detours have narrow sections to upgrade).  The reference is a plain
computation: networkx, remove the set's edges, Dijkstra between the junctions that bound
each removed bridge's road link by length and by time (minus the link's own), connected
components for who is cut off.
"""
from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest

from gunmane_geo.criticality import bridge_criticality, removal_scenario
from gunmane_geo.network import attach_bridges, attach_facilities, attach_population, build_network
from gunmane_geo.options import (SetEvaluator, find_consolidation_sets, generate_options,
                                 make_plan, user_cost)
from gunmane_geo.options.generate import detour_upgrades
from gunmane_geo.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def region():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _synthetic import synthetic_region
    finally:
        sys.path.pop(0)
    r = synthetic_region(1800, 40, seed=11)
    rng = np.random.default_rng(4)
    roads = r["roads"].copy()
    roads["speed_kmh"] = rng.choice([20.0, 30.0, 50.0], len(roads))
    roads["width_m"] = rng.choice([4.0, 6.0, np.nan], len(roads))
    net = build_network(roads)
    net, _ = attach_bridges(net, r["bridges"])
    net = attach_facilities(attach_population(net, r["population"]), r["facilities"])
    bridges = r["bridges"].copy()
    bridges["width_m"] = 7.0
    bridges["built_year"] = 1965
    bridges["rating"] = 3
    return net, bridges


def settings(**guards):
    s = Settings()
    s.costs.base_year = 2025
    for k, v in guards.items():
        setattr(s.guards, k, v)
    return s


def _walk(g, x, prev, weight):
    """networkx: from ``x`` (entered by edge key ``prev``) on along nodes of degree 2 to the
    junction that bounds the road link; returns (junction, cost walked)."""
    cost = 0.0
    while g.degree(x) == 2:
        (y, key, d), = [(y, k, d) for _, y, k, d in g.edges(x, keys=True, data=True)
                        if k != prev]
        cost += d[weight]
        x, prev = y, key
    return x, cost


def plain_set_effect(net, bridge_ids, times=None):
    """networkx: detours (m, min) of each removed bridge and the cut-off population.

    A detour is the shortest route between the junctions that bound the bridge's road link
    (nodes of degree other than 2), without the set, minus the link's own length/time."""
    u, v = net.uv()
    g = net.to_networkx()
    if times is not None:
        for a, b, k, d in g.edges(keys=True, data=True):
            d["time_min"] = times[k]
    full = g.copy()
    ev = SetEvaluator.of(net)
    edges = {ev.bridge_edge[b] for b in bridge_ids}
    g.remove_edges_from([(u[e], v[e], e) for e in edges])
    det_m, det_min = {}, {}
    for b in bridge_ids:
        e = ev.bridge_edge[b]
        for w, out in (("length_m", det_m), ("time_min", det_min)):
            a, ca = _walk(full, u[e], e, w)
            c, cc = _walk(full, v[e], e, w)
            link = ca + cc + full.edges[u[e], v[e], e][w]
            try:
                out[b] = max(0.0, nx.dijkstra_path_length(g, a, c, weight=w) - link)
            except nx.NetworkXNoPath:
                out[b] = np.inf
    pop = net.nodes["population"].to_numpy(float)
    comp = net.nodes["component"].to_numpy()
    cut = 0.0
    for c in {comp[u[e]] for e in edges}:
        sub = g.subgraph(np.flatnonzero(comp == c).tolist())
        pieces = [sorted(p) for p in nx.connected_components(sub)]
        if len(pieces) > 1:
            main = max(pieces, key=lambda p: (pop[p].sum(), len(p), -p[0]))
            cut += sum(pop[p].sum() for p in pieces if p is not main)
    return det_m, det_min, cut


def test_set_effects_agree_with_networkx_and_removal_scenario(region):
    net, _ = region
    ev = SetEvaluator.of(net)
    crit = bridge_criticality(net).set_index("bridge_id")
    isolating = crit.index[crit["isolates"].astype(bool)].tolist()
    assert len(isolating) >= 2
    ids = sorted(ev.bridge_edge)
    rng = np.random.default_rng(0)
    sets = [list(rng.choice(ids, size=k, replace=False)) for k in (1, 2, 2, 3, 3, 4, 5, 6)]
    sets += [[isolating[0]], [isolating[0], ids[3]], [isolating[1], ids[5], ids[9]]]
    n_iso = 0
    for s in sets:
        eff = ev.evaluate(s)
        ref_m, ref_min, ref_cut = plain_set_effect(net, s)
        for b in s:
            assert eff.detour_m[b] == pytest.approx(ref_m[b], rel=1e-9)
            assert eff.detour_min[b] == pytest.approx(ref_min[b], rel=1e-9)
        assert eff.isolated_population == pytest.approx(ref_cut)
        n_iso += ref_cut > 0
        # the same numbers as the criticality module's set scenario
        sc = removal_scenario(net, s, geometry=False)
        bt = sc.bridges.set_index("bridge_id")
        for b in s:
            assert eff.detour_m[b] == pytest.approx(np.nan_to_num(bt.loc[b, "detour_m"], nan=np.inf))
            assert eff.detour_min[b] == pytest.approx(np.nan_to_num(bt.loc[b, "detour_min"], nan=np.inf))
        assert eff.isolated_population == pytest.approx(sc.summary["isolated_population"])
        assert eff.isolated_facilities == sc.summary["isolated_facilities"]
    assert n_iso >= 3
    # a set of one bridge is exactly the criticality table's row
    for b in ids[:10]:
        eff = ev.evaluate([b])
        if not crit.loc[b, "isolates"]:
            assert eff.detour_m[b] == crit.loc[b, "detour_m"]
            assert eff.detour_min[b] == crit.loc[b, "detour_min"]


def test_consolidation_rows_are_measured_as_sets(region):
    net, bridges = region
    s = settings(consolidation_max_gap_m=800.0, max_detour_m=5000.0)
    sets = find_consolidation_sets(net, None, bridges, settings=s)
    assert sets["set_id"].nunique() >= 10 and (sets["n_bridges"] == 3).any()
    sample = sets.iloc[:: max(1, len(sets) // 12)]
    for row in sample.itertuples():
        removed = row.removed_bridge_ids.split(";")
        ref_m, _, ref_cut = plain_set_effect(net, removed)
        assert row.detours_m == ";".join(f"{b}:{ref_m[b]:.0f}" for b in removed)
        assert row.max_detour_m == pytest.approx(max(ref_m.values()), rel=1e-9)
        assert row.isolated_population == pytest.approx(ref_cut)


def test_incremental_plan_equals_remeasuring_every_step(region):
    """The plan re-searches only routes a step can change; every step's totals must equal
    a from-scratch networkx measure of the whole set (with the upgraded sections)."""
    net, bridges = region
    s = settings(max_detour_m=1e9, consolidation_max_gap_m=800.0)
    opts = generate_options(net, None, bridges, settings=s)
    sets = find_consolidation_sets(net, None, bridges, settings=s)
    plan, curve = make_plan(net, opts, sets, settings=s)
    assert len(curve) >= 10
    assert "remove_upgrade_detour" in set(curve["option"])      # the upgrade branch is used
    assert plan["status"].eq("refused_in_plan").any()
    aadt = dict(zip(opts.loc[opts.option == "keep", "bridge_id"], opts.loc[opts.option == "keep", "aadt"]))
    ev = SetEvaluator.of(net)
    upgrades = detour_upgrades(net, sorted(ev.bridge_edge), s)
    removed, upgraded = [], set()
    for row in curve.itertuples():
        removed += row.bridge_ids.split(";")
        if row.option == "remove_upgrade_detour":
            upgraded |= set(upgrades[row.bridge_ids]["edges"])
        times = ev.times(sorted(upgraded), s.costs.upgraded_speed_kmh)
        ref_m, ref_min, ref_cut = plain_set_effect(net, removed, times)
        assert ref_cut == 0 and all(np.isfinite(list(ref_m.values())))
        assert row.n_bridges_removed == len(removed)
        assert row.total_detour_m == pytest.approx(sum(ref_m.values()), rel=1e-9)
        assert row.max_detour_m == pytest.approx(max(ref_m.values()), rel=1e-9)
        assert row.added_vehicle_km_per_day == pytest.approx(
            sum(aadt[b] * ref_m[b] / 1000.0 for b in removed), rel=1e-9)
        ref_uc = sum(user_cost(aadt[b], ref_m[b], ref_min[b], s)[1] for b in removed)
        assert abs(row.cum_user_cost_yen - ref_uc) <= len(removed)     # per-bridge rounding
    planned = plan.set_index("bridge_id")
    in_plan = curve[curve["in_plan"]]
    final = [b for ids in in_plan["bridge_ids"] for b in ids.split(";")]
    up = set()
    for row in in_plan.itertuples():
        if row.option == "remove_upgrade_detour":
            up |= set(upgrades[row.bridge_ids]["edges"])
    ref_m, ref_min, _ = plain_set_effect(net, final, ev.times(sorted(up), s.costs.upgraded_speed_kmh))
    for b in final:
        assert planned.loc[b, "detour_in_plan_m"] == pytest.approx(ref_m[b], rel=1e-9)
        assert planned.loc[b, "detour_in_plan_min"] == pytest.approx(ref_min[b], rel=1e-9)


def test_options_need_a_network_with_bridges(region):
    from gunmane_geo.errors import InputError
    net, bridges = region
    with pytest.raises(InputError, match="Network"):
        SetEvaluator.of(gpd.GeoDataFrame())
    with pytest.raises(InputError, match="attach_bridges"):
        generate_options(net.replace(bridges=None), None, bridges, settings=settings())
