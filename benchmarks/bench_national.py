"""National scale: `gunmane criticality` end to end, single process and partitioned on Dask.

    python benchmarks/bench_national.py [--sizes 320000,1080000,5400000] [--workers 2]
                                        [--dir /tmp/gunmane_national] [--keep]
                                        [--repeat 3] [--baseline SRC] [--no-partition]

Sizes are the generator's edge counts before the network is cut into two-point segments;
the defaults give about 0.30M, 1.0M and 5.04M segments (5,036,217 segments and 96,988
bridges for 5400000), the 0.3M, 1M and 5M edges of issue 14.

For each size: generate a seeded river network (``_synthetic.synthetic_region``) and write
it in **segment form** (one road line per two-point segment, as a road ledger or the hidden
check has it) with its bridge inventory; then run, each as its own process,

* the plain run: ``gunmane criticality --roads R --bridges B --out single.gpkg``
  (the baseline), and
* the partitioned run: the same with ``--partition grid --workers N`` (a LocalCluster),

check that both tables agree on every bridge (every column; floats to 1e-9 relative),
and print wall time (whole command, Python start-up included), the time the command
reports (reading to writing), peak resident memory of the command process, the peak of
each Dask worker (as the command reports it), and bridges per second.  Partitioned runs
use ``[criticality] partition_cell_m`` = a quarter of the region's side, so there are
about 16 parts, and the default halo (10 km).

``--baseline SRC`` adds, for each size, the plain run of another copy of the code (a
folder holding its ``gunmane_geo`` package, e.g. ``git archive <commit> gunmane_geo |
tar -x -C SRC``) in the same session, alternating with this one, and checks that it
writes the same table; ``--repeat N`` runs each command N times and keeps the fastest
(best of N: the machine is shared, so the minimum is the least disturbed run).  Each
command runs from a neutral folder with only its own source on ``PYTHONPATH`` (``python
-m`` would put the current folder first).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def segment_form(roads):
    """One line per two-point segment (attributes repeated, ids made unique)."""
    import geopandas as gpd
    import shapely
    xy, idx = shapely.get_coordinates(roads.geometry.values, return_index=True)
    a = np.flatnonzero(idx[1:] == idx[:-1])
    segs = shapely.linestrings(np.stack([xy[a], xy[a + 1]], axis=1))
    out = roads.drop(columns="geometry").iloc[idx[a]].reset_index(drop=True)
    out["road_id"] = np.char.add("s", np.arange(len(out)).astype(str)).astype(object)
    return gpd.GeoDataFrame(out, geometry=segs, crs=roads.crs)


def generate(n_edges: int, folder: Path, seed: int = 0):
    from _synthetic import synthetic_region
    roads_path, bridges_path = folder / f"roads_{n_edges}.gpkg", folder / f"bridges_{n_edges}.gpkg"
    if roads_path.exists() and bridges_path.exists():
        import pyogrio
        info = pyogrio.read_info(roads_path)
        return roads_path, bridges_path, int(info["features"]), \
            int(pyogrio.read_info(bridges_path)["features"]), None
    t = time.perf_counter()
    r = synthetic_region(n_edges, max(50, n_edges // 55), seed=seed)
    segs = segment_form(r["roads"])
    side = r["info"]["columns"] * 100.0
    segs.to_file(roads_path, engine="pyogrio")
    r["bridges"].to_file(bridges_path, engine="pyogrio")
    print(f"  generated {len(segs):,} segments, {len(r['bridges']):,} bridges "
          f"in {time.perf_counter() - t:.0f} s", flush=True)
    return roads_path, bridges_path, len(segs), len(r["bridges"]), side


def run(cmd, env=None, cwd=None):
    """Run ``cmd``; returns (wall s, peak RSS bytes of the process, stderr)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=env, cwd=cwd)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(map(str, cmd))}\n{err}")
    return wall, usage.ru_maxrss * 1024, err


def reported_seconds(err: str) -> float:
    m = re.search(r"; ([0-9.]+) s -> ", err)
    return float(m.group(1)) if m else float("nan")


def worker_peaks(err: str) -> str:
    m = re.search(r"worker peak memory ([0-9, ]+) MiB", err)
    return m.group(1).replace(" ", "") if m else "-"


def compare(a_path, b_path) -> bool:
    import pyogrio
    a = pyogrio.read_dataframe(a_path, layer="bridge_criticality", read_geometry=False)
    b = pyogrio.read_dataframe(b_path, layer="bridge_criticality", read_geometry=False)
    a = a.set_index("bridge_id").sort_index()
    b = b.set_index("bridge_id").sort_index()
    if list(a.index) != list(b.index) or list(a.columns) != list(b.columns):
        return False
    for c in a.columns:
        x, y = a[c], b[c]
        if pd.api.types.is_float_dtype(x):
            if not np.allclose(x.to_numpy(float), y.to_numpy(float), rtol=1e-9, atol=1e-9,
                               equal_nan=True):
                return False
        elif not (x.astype(str) == y.astype(str)).all():
            return False
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="320000,1080000,5400000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", default="/tmp/gunmane_national")
    ap.add_argument("--keep", action="store_true", help="keep the generated layers")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each command this many times and keep the fastest")
    ap.add_argument("--baseline", default=None,
                    help="folder with another copy of the gunmane_geo package: its plain run "
                         "is measured in the same session, alternating with this one")
    ap.add_argument("--no-partition", action="store_true", help="only the plain runs")
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    neutral = folder / "cwd"            # no gunmane_geo here: PYTHONPATH decides which runs
    neutral.mkdir(exist_ok=True)
    py = [sys.executable, "-m", "gunmane_geo.cli", "criticality"]

    def env_for(src):
        return {**os.environ, "PYTHONPATH": str(Path(src).resolve())}

    runs = [("single", ROOT, [])]
    if args.baseline:
        if not (Path(args.baseline) / "gunmane_geo").is_dir():
            raise SystemExit(f"--baseline {args.baseline}: no gunmane_geo package in it")
        runs.insert(0, ("baseline single", Path(args.baseline), []))
    if not args.no_partition:
        runs.append((f"partitioned ({args.workers} workers)", ROOT,
                     ["--partition", "grid", "--workers", str(args.workers)]))
    rows = []
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        print(f"size {n:,}", flush=True)
        roads, bridges, n_segs, n_bridges, side = generate(n, folder)
        side = side or np.sqrt(n / 2.0) * 100.0
        toml = folder / f"run_{n}.toml"
        toml.write_text(f"[criticality]\npartition_cell_m = {side / 4:.0f}\n")
        outs = {}
        best: dict = {}
        for attempt in range(max(1, args.repeat)):
            for k, (label, src, extra) in enumerate(runs):   # alternating: same load for each
                out = folder / f"out_{n}_{k}.gpkg"
                out.unlink(missing_ok=True)
                wall, peak, err = run(py + ["--roads", roads, "--bridges", bridges, "--config",
                                            toml, "--out", out] + extra,
                                      env=env_for(src), cwd=neutral)
                outs[label] = out
                rep = reported_seconds(err)
                print(f"  {label}: {wall:.1f} s wall ({rep} s reported), peak "
                      f"{peak / 2**30:.2f} GiB" + (f", workers {worker_peaks(err)} MiB"
                                                  if extra else ""), flush=True)
                if label not in best or wall < best[label]["wall_s"]:
                    best[label] = {"segments": n_segs, "bridges": n_bridges, "run": label,
                                   "wall_s": round(wall, 1), "reported_s": rep,
                                   "peak_GiB": round(peak / 2**30, 2),
                                   "worker_peak_MiB": worker_peaks(err) if extra else "-",
                                   "bridges_per_s": round(n_bridges / wall)}
        ref = outs["single"]
        for label, out in outs.items():
            best[label]["agree"] = True if out == ref else compare(ref, out)
            print(f"  {label} agrees with single on every bridge: {best[label]['agree']}",
                  flush=True)
        rows.extend(best[label] for label, _, _ in runs)
        if not args.keep:
            for p in (roads, bridges, *outs.values()):
                Path(p).unlink(missing_ok=True)
    print()
    print(pd.DataFrame(rows).to_string(index=False))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
