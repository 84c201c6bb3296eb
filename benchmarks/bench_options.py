#!/usr/bin/env python
"""Time the options chain on the sample region, and compare it with a plain networkx baseline.

Usage::

    python benchmarks/bench_options.py [run.toml] [--baseline-rows N] [--baseline-steps K]

(default ``sample_layers/run.toml``, N = 300, K = 6).  Prints one JSON line per phase
(seconds, sizes) for docs/benchmarks.md, then, in the same run:

* **baseline set scenarios**: N consolidation rows (evenly spread) measured the plain way:
  networkx MultiGraph, remove the set's bridge edges, ``nx.dijkstra_path_length`` between
  each removed bridge's two ends by length and by time, connected components when a route
  is gone, put the edges back.  The engine's batched ``set_effects`` measures the same
  rows; every detour (m, min) and the cut-off population must agree.
* **baseline plan replay**: K steps of the 10 % plan's greedy curve re-measured from
  scratch with networkx (the whole set of removals so far, with the upgraded detour
  sections timed at ``upgraded_speed_kmh``); the curve's ``total_detour_m``,
  ``max_detour_m`` and cumulative road-user cost must agree.  The greedy's set
  evaluations and the bridges in the evaluated sets are counted; the time a plain greedy
  re-measuring every evaluated set from scratch would take is estimated as that count x
  the baseline's measured time per re-measured bridge (labelled an estimate).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from gunmane_geo.io.loader import load_region, load_run_config  # noqa: E402
from gunmane_geo.options import (SetEvaluator, find_consolidation_sets,  # noqa: E402
                                 generate_options, make_plan, user_cost)
from gunmane_geo.options import plan as plan_mod  # noqa: E402
from gunmane_geo.options.consolidation import set_effects  # noqa: E402
from gunmane_geo.options.generate import detour_upgrades  # noqa: E402
from gunmane_geo.criticality import bridge_criticality as single_criticality  # noqa: E402
from gunmane_geo.pipeline import network_from_region as build_region_network  # noqa: E402


class PlainSets:
    """The plain way: networkx, remove the set, Dijkstra per removed bridge, components."""

    def __init__(self, net):
        self.net = net
        self.g = net.to_networkx(directed=False)
        self.u, self.v = net.uv()
        self.L, self.T = net.weight("length_m"), net.weight("time_min")
        self.pop = net.nodes["population"].to_numpy(float)
        self.comp = net.nodes["component"].to_numpy()
        self.edge = SetEvaluator.of(net).bridge_edge

    def evaluate(self, bridge_ids, times=None):
        g, u, v = self.g, self.u, self.v
        edges = sorted({self.edge[b] for b in bridge_ids})
        saved = [(u[e], v[e], e, g.edges[u[e], v[e], e]) for e in edges]
        g.remove_edges_from([(a, b, k) for a, b, k, _ in saved])
        tw = "time_min" if times is None else (lambda a, b, d: min(times[k] for k in d))
        det_m, det_min = {}, {}
        try:
            for b in bridge_ids:
                e = self.edge[b]
                try:
                    det_m[b] = max(0.0, nx.dijkstra_path_length(g, u[e], v[e], weight="length_m")
                                   - self.L[e])
                    det_min[b] = max(0.0, nx.dijkstra_path_length(g, u[e], v[e], weight=tw)
                                     - self.T[e])
                except nx.NetworkXNoPath:
                    det_m[b] = det_min[b] = np.inf
            cut = 0.0
            if not all(np.isfinite(list(det_m.values()))):
                for c in {self.comp[u[e]] for e in edges}:
                    sub = g.subgraph(np.flatnonzero(self.comp == c).tolist())
                    pieces = [sorted(p) for p in nx.connected_components(sub)]
                    main = max(pieces, key=lambda p: (self.pop[p].sum(), len(p), -p[0]))
                    cut += sum(self.pop[p].sum() for p in pieces if p is not main)
        finally:
            g.add_edges_from(saved)
        return det_m, det_min, cut


def machine() -> dict:
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            mem = round(int(fh.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import numba
    return {"phase": "machine", "cpus": os.cpu_count(), "cpu": cpu, "memory_gib": mem,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "numpy": np.__version__,
            "numba": numba.__version__, "networkx": nx.__version__}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_toml", nargs="?",
                    default=str(Path(__file__).resolve().parents[1] / "sample_layers" / "run.toml"))
    ap.add_argument("--baseline-rows", type=int, default=300)
    ap.add_argument("--baseline-steps", type=int, default=6)
    args = ap.parse_args(argv)
    print(json.dumps(machine(), ensure_ascii=False))
    t = time.perf_counter()
    t_total = t

    def lap(phase, **info):
        nonlocal t
        now = time.perf_counter()
        print(json.dumps({"phase": phase, "seconds": round(now - t, 3), **info},
                         ensure_ascii=False), flush=True)
        t = now
        return now

    inputs, settings = load_run_config(args.run_toml)
    region = load_region(inputs, settings)
    lap("load", bridges=len(region.bridges), roads=len(region.roads))
    start = time.perf_counter()
    net = build_region_network(region, settings)
    lap("network", nodes=net.n_nodes, edges=net.n_edges)
    crit = single_criticality(net, settings)
    lap("criticality")
    opts = generate_options(net, crit, region.bridges, settings=settings)
    lap("generate_options", rows=len(opts),
        eligible=int((opts["eligible"] & (opts["option"] != "keep")).sum()))
    sets = find_consolidation_sets(net, crit, region.bridges, settings=settings)
    lap("find_consolidation_sets", sets=int(sets["set_id"].nunique()), rows=len(sets))
    plan, curve = make_plan(net, opts, sets, settings=settings)
    lap("make_plan (no target)", steps=len(curve), in_plan=int(curve["in_plan"].sum()))
    n_eval = n_set_bridges = 0
    real_evaluate = plan_mod._evaluate

    def counting(ev, state, index, cand, *a, **k):
        nonlocal n_eval, n_set_bridges
        n_eval += 1
        n_set_bridges += len(state.removed) + len(cand.removed)
        return real_evaluate(ev, state, index, cand, *a, **k)

    plan_mod._evaluate = counting
    try:
        plan, curve = make_plan(net, opts, sets, settings=settings, target_saving_share=0.10)
    finally:
        plan_mod._evaluate = real_evaluate
    s = plan.attrs["summary"]
    t_plan = time.perf_counter() - t
    now = lap("make_plan (10 % target)", steps=len(curve), in_plan=s["n_steps"],
              removed=s["n_bridges_removed"], saving_share=round(s["saving_share"], 4),
              reached=s["target_reached"], set_evaluations=n_eval)
    print(json.dumps({"phase": "options total (network .. both plans)",
                      "seconds": round(now - start, 3)}))

    # --- baseline: set scenarios ----------------------------------------------------------
    plain = PlainSets(net)
    lap("baseline: networkx graph built")
    k = max(1, len(sets) // max(1, args.baseline_rows))
    rows = sets.iloc[::k].head(args.baseline_rows)
    removed_sets = [r.split(";") for r in rows["removed_bridge_ids"]]
    t0 = time.perf_counter()
    eng = set_effects(net, removed_sets)
    t_eng = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = [plain.evaluate(r) for r in removed_sets]
    t_ref = time.perf_counter() - t0
    dm = max(abs(e["detour_m"][b] - r[0][b]) for e, r, rs in zip(eng, ref, removed_sets)
             for b in rs if np.isfinite(r[0][b]))
    dmin = max(abs(e["detour_min"][b] - r[1][b]) for e, r, rs in zip(eng, ref, removed_sets)
               for b in rs if np.isfinite(r[1][b]))
    same_inf = all(np.isfinite(e["detour_m"][b]) == np.isfinite(r[0][b])
                   for e, r, rs in zip(eng, ref, removed_sets) for b in rs)
    same_cut = all(abs(e["isolated_population"] - r[2]) < 1e-6 for e, r in zip(eng, ref))
    agree = dm < 1e-6 and dmin < 1e-9 and same_inf and same_cut
    print(json.dumps({"phase": "baseline set scenarios", "rows": len(rows),
                      "engine_ms_per_set": round(1000 * t_eng / len(rows), 3),
                      "networkx_ms_per_set": round(1000 * t_ref / len(rows), 2),
                      "speed_up": round(t_ref / max(t_eng, 1e-9), 1),
                      "networkx_s_for_all_rows_est": round(t_ref / len(rows) * len(sets), 1),
                      "max_abs_diff_m": dm, "max_abs_diff_min": dmin, "agree": bool(agree)}))
    t = time.perf_counter()

    # --- baseline: plan replay -------------------------------------------------------------
    aadt = dict(zip(opts.loc[opts.option == "keep", "bridge_id"].astype(str),
                    opts.loc[opts.option == "keep", "aadt"].astype(float)))
    ups = detour_upgrades(net, curve.loc[curve.option == "remove_upgrade_detour",
                                         "bridge_ids"].tolist(), settings)
    n_plan = int(curve["in_plan"].sum())
    picks = sorted({int(i) for i in np.linspace(0, len(curve) - 1, args.baseline_steps)}
                   | ({n_plan - 1} if n_plan else set()))
    ev = SetEvaluator.of(net)
    removed, upgraded, agree, t_ref, n_br = [], set(), True, 0.0, 0
    for i, row in enumerate(curve.itertuples()):
        removed += row.bridge_ids.split(";")
        if row.option == "remove_upgrade_detour":
            upgraded |= set(ups[row.bridge_ids]["edges"])
        if i not in picks:
            continue
        times = ev.times(sorted(upgraded), settings.costs.upgraded_speed_kmh) if upgraded else None
        t0 = time.perf_counter()
        det_m, det_min, cut = plain.evaluate(removed, times)
        t_ref += time.perf_counter() - t0
        n_br += len(removed)
        uc = sum(user_cost(aadt[b], det_m[b], det_min[b], settings)[1] for b in removed)
        agree &= (abs(row.total_detour_m - sum(det_m.values())) < 1e-6 * max(1, len(removed))
                  and abs(row.max_detour_m - max(det_m.values())) < 1e-6
                  and abs(row.cum_user_cost_yen - uc) <= len(removed) and cut == 0)
    per_bridge = t_ref / max(1, n_br)
    print(json.dumps({"phase": "baseline plan replay", "steps_checked": len(picks),
                      "bridges_remeasured": n_br, "networkx_s": round(t_ref, 2),
                      "networkx_ms_per_removed_bridge": round(1000 * t_ref / max(1, n_br), 2),
                      "greedy_set_evaluations": n_eval,
                      "greedy_bridges_in_evaluated_sets": n_set_bridges,
                      "engine_plan_s": round(t_plan, 3),
                      "networkx_greedy_s_est": round(n_set_bridges * per_bridge, 1),
                      "agree": bool(agree)}))
    print(json.dumps({"phase": "bench total", "seconds": round(time.perf_counter() - t_total, 2)}))


if __name__ == "__main__":
    main()
