"""Benchmark: bridge criticality, engine vs the plain networkx way, on synthetic regions.

For each size a synthetic region (street grid, rivers, bridges, dead-end valleys and
islands; ``benchmarks/_synthetic.py``) is built into a ``Network``; then

* engine   = ``bridge_criticality(net, weights=("length_m",))``: one Tarjan pass for
  isolation of all bridges + a compiled bidirectional Dijkstra per non-isolating bridge;
* engine+t = the same with both length and time routes (what the CLI computes);
* baseline = ``reference_criticality(net)``: per bridge remove the edge from a networkx
  MultiGraph, ``nx.dijkstra_path_length(u, v)``, put it back; components on failure.

Both run on the same graph; every bridge's alt_route_m, isolates, isolated_nodes and
isolated_population must agree.  Prints time, bridges per second and peak memory: the engine's peak allocation
(tracemalloc, measured in a separate untimed run, includes its CSR arrays) and the
baseline's networkx graph plus the growth of resident memory during its searches.

    python benchmarks/bench_criticality.py                 # 5k .. 300k edges
    python benchmarks/bench_criticality.py --sizes 5000:80 20000:330
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _synthetic import synthetic_region  # noqa: E402

from gunmane_geo.criticality import bridge_criticality, reference_criticality  # noqa: E402
from gunmane_geo.network import (HAVE_NUMBA, attach_bridges, attach_facilities,  # noqa: E402
                                 attach_population, build_network)

# targets are before the 8 % random drop: the largest gives just over 300,000 network edges
DEFAULT_SIZES = [(5_000, 80), (20_000, 330), (80_000, 1_330), (330_000, 5_400)]


class PeakRSS:
    """Peak resident memory above the level at entry, sampled every 2 ms (MiB)."""

    def __init__(self):
        import psutil
        self.proc = psutil.Process()

    def __enter__(self):
        self.base = self.proc.memory_info().rss
        self.peak = self.base
        self.stop = False
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()
        return self

    def _run(self):
        while not self.stop:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.002)

    def __exit__(self, *exc):
        self.stop = True
        self.t.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)
        self.mib = (self.peak - self.base) / 2**20


def timed(fn):
    with PeakRSS() as mem:
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
    return out, dt, mem.mib


def traced_peak_mib(fn):
    """Peak Python/numpy allocation of ``fn()`` in MiB (tracemalloc; run untimed)."""
    import tracemalloc
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def make_network(n_edges, n_bridges, seed=0):
    r = synthetic_region(n_edges, n_bridges, seed=seed)
    net = build_network(r["roads"])
    net, _ = attach_bridges(net, r["bridges"])
    net = attach_population(net, r["population"])
    return attach_facilities(net, r["facilities"])


def check_agreement(engine, ref):
    e = engine.set_index("bridge_id").loc[ref["bridge_id"]]
    a = e["alt_route_m"].to_numpy(float)
    b = ref["alt_route"].to_numpy(float)
    same_alt = np.allclose(a, b, rtol=1e-9, atol=1e-6, equal_nan=True)
    same_iso = (e["isolates"].astype(bool).to_numpy() == ref["isolates"].to_numpy()).all()
    same_nodes = (e["isolated_nodes"].astype(int).to_numpy() == ref["isolated_nodes"].to_numpy()).all()
    same_pop = np.allclose(e["isolated_population"].astype(float), ref["isolated_population"])
    return bool(same_alt and same_iso and same_nodes and same_pop)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="*", help="EDGES:BRIDGES targets (default: 5k..330k, over 300k edges after the drop)")
    ap.add_argument("--no-baseline-above", type=int, default=None,
                    help="skip the networkx baseline above this many edges")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    sizes = ([tuple(int(x) for x in s.split(":")) for s in args.sizes] if args.sizes
             else DEFAULT_SIZES)
    try:
        import psutil
        mem_gib = psutil.virtual_memory().total / 2**30
    except ImportError:  # pragma: no cover
        sys.exit("the benchmark needs psutil (pip install psutil)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{mem_gib:.0f} GiB; python {platform.python_version()}; numba: {HAVE_NUMBA}")
    # warm up (numba compiles once, then loads its cache)
    _, warm, _ = timed(lambda: bridge_criticality(make_network(400, 8)))
    print(f"warm-up (compile or load numba cache): {warm:.2f} s\n")
    head = (f"{'edges':>8} {'nodes':>8} {'bridges':>7} {'isol':>4} | {'build s':>7} | "
            f"{'engine s':>8} {'br/s':>9} {'MiB':>6} | {'eng+t s':>7} | "
            f"{'nx s':>8} {'br/s':>7} {'MiB':>6} | {'speed-up':>8} {'agree':>5}")
    print(head)
    print("-" * len(head))
    rows = []
    for n_edges, n_bridges in sizes:
        net, t_build, _ = timed(lambda: make_network(n_edges, n_bridges, args.seed))
        nb = int(net.bridges["matched"].sum())
        net._cache.clear()
        eng, t_eng, _ = timed(lambda: bridge_criticality(net, weights=("length_m",)))
        net._cache.clear()
        m_eng = traced_peak_mib(lambda: bridge_criticality(net, weights=("length_m",)))
        net._cache.clear()
        _, t_full, _ = timed(lambda: bridge_criticality(net))
        n_iso = int(eng["isolates"].astype(bool).sum())
        if args.no_baseline_above is None or n_edges <= args.no_baseline_above:
            g, t_graph, m_graph = timed(lambda: net.to_networkx(directed=False, mode="motor"))
            ref, t_ref, m_ref = timed(lambda: reference_criticality(net, graph=g))
            m_ref += m_graph            # the networkx graph is the baseline's memory
            del g
            agree = check_agreement(eng, ref)
            speed = t_ref / t_eng
        else:
            t_ref = m_ref = speed = float("nan")
            agree = None
        row = dict(edges=net.n_edges, nodes=net.n_nodes, bridges=nb, isolating=n_iso,
                   build_s=t_build, engine_s=t_eng, engine_bps=nb / t_eng, engine_mib=m_eng,
                   engine_time_too_s=t_full, nx_s=t_ref, nx_bps=nb / t_ref, nx_mib=m_ref,
                   speedup=speed, agree=agree)
        rows.append(row)
        print(f"{row['edges']:>8} {row['nodes']:>8} {nb:>7} {n_iso:>4} | {t_build:>7.2f} | "
              f"{t_eng:>8.3f} {row['engine_bps']:>9.0f} {m_eng:>6.0f} | {t_full:>7.3f} | "
              f"{t_ref:>8.2f} {row['nx_bps']:>7.0f} {m_ref:>6.0f} | {speed:>7.0f}x "
              f"{str(agree):>5}", flush=True)
    if any(r["agree"] is False for r in rows):
        print("DISAGREEMENT between engine and baseline", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
