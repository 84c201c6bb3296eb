"""Benchmark: gunmane_geo's bridge criticality vs RA2CE's single-link redundancy and an
independent networkx reference, on one generated network.

The network comes from ``benchmarks/_topology.py``: its topology (junctions, links,
bridges, valleys) is decided before any geometry is written.  Three sides:

* gunmane   ``build_network`` + ``attach_bridges`` (inventory points) +
            ``attach_population`` + ``bridge_criticality`` on the road lines;
* RA2CE     (Deltares, pip package ``ra2ce``) in its OWN virtual environment
            (``benchmarks/.ra2ce-venv``, made here on first use with ``python3 -m venv``
            and ``pip install ra2ce``; nothing is added to gunmane_geo's dependencies).
            A runner script written next to the data builds RA2CE's network from a
            vector file of the motor links with RA2CE's own ``VectorNetworkWrapper``
            (its graph, then its osmnx-based simplification, which merges degree-2
            nodes: RA2CE's "link") and runs RA2CE's ``SingleLinkRedundancy`` analysis
            (weighing = length): for every link, alt_length and diff_length = alt -
            length.  The bridge's link is found through the complex-edge ids RA2CE
            keeps on each simplified link;
* reference plain networkx straight from the abstract topology
            (``tests/lib/_independent.py``: the same link rule written on its own).

Prints, per pair of sides, how many bridges were compared, the share whose detour
agrees within 1 % (and 0.5 m), the largest absolute difference, whether isolation
agrees, and the time of each side.

    python benchmarks/bench_vs_ra2ce.py                    # ~273k edges, ~5k bridges
    python benchmarks/bench_vs_ra2ce.py --edges 20000      # quick
    python benchmarks/bench_vs_ra2ce.py --no-ra2ce         # gunmane vs reference only

RA2CE's analysis removes EVERY link of its graph in turn (not only bridges), with a
networkx ``has_path`` + ``single_source_dijkstra`` per link; its time is reported as it
is, with the network build and the analysis apart.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "lib"))

import _topology as T  # noqa: E402

DEFAULT_VENV = HERE / ".ra2ce-venv"

RUNNER = r'''
"""Runs RA2CE (its own venv): vector network -> RA2CE graph -> single link redundancy."""
import json, sys, time, logging
from pathlib import Path
logging.disable(logging.WARNING)
src, work, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
import geopandas as gpd
import pandas as pd
from ra2ce.network.network_config_data.network_config_data import (
    NetworkConfigData, NetworkSection)
from ra2ce.network.network_config_data.enums.source_enum import SourceEnum
from ra2ce.network.network_wrappers.vector_network_wrapper import VectorNetworkWrapper
from ra2ce.network.graph_files.graph_file import GraphFile
from ra2ce.analysis.analysis_config_data.analysis_config_data import AnalysisSectionLosses
from ra2ce.analysis.analysis_config_data.enums.analysis_losses_enum import AnalysisLossesEnum
from ra2ce.analysis.analysis_config_data.enums.weighing_enum import WeighingEnum
from ra2ce.analysis.analysis_input_wrapper import AnalysisInputWrapper
from ra2ce.analysis.losses.single_link_redundancy import SingleLinkRedundancy
import ra2ce
t0 = time.perf_counter()
static = work / "static"
(static / "output_graph").mkdir(parents=True, exist_ok=True)
cfg = NetworkConfigData(root_path=work, static_path=static, crs=gpd.read_file(src, rows=1).crs)
cfg.network = NetworkSection(source=SourceEnum.SHAPEFILE, primary_file=src, file_id="edge_name",
                             link_type_column="highway", directed=False)
graph, _edges = VectorNetworkWrapper(cfg).get_network()
t1 = time.perf_counter()
gf = GraphFile(name="base_graph.p")
gf.graph = graph
analysis = AnalysisSectionLosses(name="slr", analysis=AnalysisLossesEnum.SINGLE_LINK_REDUNDANCY,
                                 weighing=WeighingEnum.LENGTH)
inp = AnalysisInputWrapper(analysis=analysis, graph_file=gf, graph_file_hazard=None,
                           input_path=work, static_path=static, output_path=work / "output",
                           hazard_names=None, origins_destinations=None, file_id="edge_name")
res = SingleLinkRedundancy(inp).execute()
t2 = time.perf_counter()
gdf = res.results_collection[0].analysis_result
ids = gdf["edge_name"].apply(lambda v: json.dumps(v if isinstance(v, list) else [v]))
table = pd.DataFrame({"link_ids": ids, "length": gdf["length"], "alt_length": gdf["alt_length"],
                      "diff_length": gdf["diff_length"], "detour": gdf["detour"]})
table.to_csv(out, index=False)
print(json.dumps({"ra2ce_version": getattr(ra2ce, "__version__", "?"),
                  "graph_nodes": graph.number_of_nodes(), "graph_edges": graph.number_of_edges(),
                  "build_s": t1 - t0, "analysis_s": t2 - t1}))
'''


def ensure_venv(venv: Path) -> Path:
    """The RA2CE venv's python, created (python3 -m venv, pip install ra2ce) if absent."""
    py = venv / "bin" / "python"
    if py.exists():
        ok = subprocess.run([str(py), "-c", "import ra2ce"], capture_output=True)
        if ok.returncode == 0:
            return py
    print(f"creating {venv} and installing ra2ce (minutes) ...", file=sys.stderr)
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "ra2ce"], check=True)
    return py


def run_ra2ce(topo, work: Path, venv: Path, timeout: float):
    py = ensure_venv(venv)
    # (RA2CE's vector reader passes its own link_id= keyword: the id column needs
    # another name)
    lines = T.ra2ce_lines(topo).rename(columns={"link_id": "edge_name"})
    src = work / "ra2ce_links.gpkg"
    lines.to_file(src, engine="pyogrio")
    runner = work / "ra2ce_runner.py"
    runner.write_text(RUNNER)
    out = work / "ra2ce_slr.csv"
    t = time.perf_counter()
    p = subprocess.run([str(py), str(runner), str(src), str(work), str(out)],
                       capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"RA2CE runner failed:\n{p.stderr[-3000:]}")
    meta = json.loads(p.stdout.strip().splitlines()[-1])
    meta["wall_s"] = wall
    table = pd.read_csv(out)
    # bridge id of each simplified RA2CE link through the ids of its complex edges
    piece = dict(zip(lines["edge_name"], lines["bridge_id"]))
    rows = []
    for ids, L, alt, diff, det in zip(table.link_ids, table.length, table.alt_length,
                                      table.diff_length, table.detour):
        for i in json.loads(ids):
            b = piece.get(i)
            if isinstance(b, str):
                rows.append((b, L, alt, diff, det == 0))
    res = pd.DataFrame(rows, columns=["bridge_id", "link_length_m", "alt_route_m", "detour_m",
                                      "isolates"]).drop_duplicates("bridge_id")
    return res.set_index("bridge_id"), meta


def run_gunmane(frames):
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.network import attach_bridges, attach_population, build_network
    from gunmane_geo.settings import Settings

    t = time.perf_counter()
    net = build_network(frames["roads"], Settings())
    net, _ = attach_bridges(net, frames["bridges"])
    net = attach_population(net, frames["population"])
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    crit = bridge_criticality(net, weights=("length_m",))
    t_crit = time.perf_counter() - t
    return crit.set_index("bridge_id"), {"build_s": t_build, "criticality_s": t_crit,
                                          "edges": net.n_edges, "nodes": net.n_nodes}


def run_reference(topo):
    import _independent as R
    t = time.perf_counter()
    ref = R.topology_reference(topo, T.SPEED_KMH)
    return ref, {"s": time.perf_counter() - t}


def agreement(name, a, b, motor_ids):
    """Bridges of motor roads present in both: detour share within 1 % / 0.5 m, max abs
    diff, isolation agreement."""
    ids = [i for i in motor_ids if i in a.index and i in b.index]
    ia = np.array([v is True or v == 1 for v in a.loc[ids, "isolates"]], bool)
    ib = np.array([v is True or v == 1 for v in b.loc[ids, "isolates"]], bool)
    both = ~ia & ~ib
    da = pd.to_numeric(a.loc[ids, "detour_m"]).to_numpy(float)[both]
    db = pd.to_numeric(b.loc[ids, "detour_m"]).to_numpy(float)[both]
    diff = np.abs(da - db)
    within = diff <= 0.5 + 0.01 * np.abs(db)
    return {"pair": name, "bridges": len(ids), "isolating_a": int(ia.sum()),
            "isolating_b": int(ib.sum()), "isolation_agrees": float((ia == ib).mean()) if len(ids) else np.nan,
            "detours_compared": int(both.sum()),
            "within_1pct": float(within.mean()) if both.any() else np.nan,
            "max_abs_diff_m": float(diff.max()) if both.any() else np.nan}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edges", type=int, default=282_000, help="target grid links before the "
                    "random drops (default 282000: about 273k gunmane network edges)")
    ap.add_argument("--bridges", type=int, default=None, help="target motor river bridges "
                    "(default: edges / 55, about 5000 at the default size)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-ra2ce", action="store_true", help="skip RA2CE")
    ap.add_argument("--venv", type=Path, default=Path(os.environ.get("RA2CE_VENV", DEFAULT_VENV)),
                    help="RA2CE's virtual environment (default benchmarks/.ra2ce-venv or "
                         "$RA2CE_VENV)")
    ap.add_argument("--ra2ce-timeout", type=float, default=6 * 3600)
    ap.add_argument("--work", type=Path, default=None, help="folder for RA2CE's files "
                    "(default: a temporary folder)")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    topo = T.generate(args.edges, args.bridges, seed=args.seed)
    frames = T.to_frames(topo)
    print(f"network: {topo.info}  ({time.perf_counter() - t:.1f} s to generate)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    motor = topo.links[topo.links.bridge_id.notna() & topo.links.motor].bridge_id.tolist()

    ref, tr = run_reference(topo)
    print(f"reference (networkx): {tr['s']:.1f} s")
    crit, tg = run_gunmane(frames)
    print(f"gunmane: build {tg['build_s']:.1f} s, bridge_criticality {tg['criticality_s']:.1f} s "
          f"({tg['edges']} edges, {tg['nodes']} nodes)")
    rows = [agreement("gunmane vs reference", crit, ref, motor)]
    times = {"reference_s": tr["s"], "gunmane_criticality_s": tg["criticality_s"],
             "gunmane_build_s": tg["build_s"]}
    if not args.no_ra2ce:
        tmp = None
        if args.work is None:
            tmp = tempfile.TemporaryDirectory(prefix="ra2ce_bench_")
            work = Path(tmp.name)
        else:
            work = args.work
            work.mkdir(parents=True, exist_ok=True)
        try:
            ra, meta = run_ra2ce(topo, work, args.venv, args.ra2ce_timeout)
            print(f"RA2CE {meta['ra2ce_version']}: graph {meta['graph_nodes']} nodes, "
                  f"{meta['graph_edges']} links; build {meta['build_s']:.1f} s, single link "
                  f"redundancy {meta['analysis_s']:.1f} s (all links)")
            rows.append(agreement("gunmane vs RA2CE", crit, ra, motor))
            rows.append(agreement("reference vs RA2CE", ref, ra, motor))
            times.update(ra2ce_build_s=meta["build_s"], ra2ce_analysis_s=meta["analysis_s"])
        except Exception as exc:     # report and keep the reference comparison
            print(f"RA2CE did not run: {exc}", file=sys.stderr)
        finally:
            if tmp is not None:
                tmp.cleanup()
    print()
    print(pd.DataFrame(rows).to_string(index=False))
    print()
    print("times (s): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
