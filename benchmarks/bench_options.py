#!/usr/bin/env python
"""Time the options chain on the sample region: network, criticality, options, sets, plans.

Usage: python benchmarks/bench_options.py [path/to/run.toml]   (default sample_layers/run.toml)
Prints one JSON line per phase (seconds, sizes) for docs/benchmarks.md.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from gunmane_geo.io.loader import load_region, load_run_config
from gunmane_geo.options import find_consolidation_sets, generate_options, make_plan
from gunmane_geo.options.pipeline import build_region_network, single_criticality


def main(run_toml: str) -> None:
    t = time.perf_counter()

    def lap(phase, **info):
        nonlocal t
        now = time.perf_counter()
        print(json.dumps({"phase": phase, "seconds": round(now - t, 2), **info}, ensure_ascii=False))
        t = now

    inputs, settings = load_run_config(run_toml)
    region = load_region(inputs, settings)
    lap("load", bridges=len(region.bridges), roads=len(region.roads))
    net = build_region_network(region, settings)
    lap("network", nodes=net.n_nodes, edges=net.n_edges)
    crit = single_criticality(net, settings)
    lap("criticality")
    opts = generate_options(region.bridges, crit, net, settings)
    lap("generate_options", rows=len(opts), eligible=int((opts["eligible"] & (opts["option"] != "keep")).sum()))
    sets = find_consolidation_sets(net, crit, region.bridges, settings)
    lap("find_consolidation_sets", sets=int(sets["set_id"].nunique()), rows=len(sets))
    plan, curve = make_plan(opts, sets, net, settings)
    lap("make_plan (no target)", steps=len(curve), in_plan=int(curve["in_plan"].sum()))
    plan, curve = make_plan(opts, sets, net, settings, target_saving_share=0.10)
    s = plan.attrs["summary"]
    lap("make_plan (10 % target)", steps=len(curve), in_plan=s["n_steps"],
        removed=s["n_bridges_removed"], saving_share=round(s["saving_share"], 4),
        reached=s["target_reached"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[1] / "sample_layers" / "run.toml"))
