"""``gunmane criticality`` and ``gunmane scenario``: bridge criticality on the road network.

    gunmane criticality --roads R --bridges B [--population P] [--facilities F] --out OUT.gpkg
    gunmane scenario    --roads R --bridges B --remove ID,ID [...] --out OUT.gpkg

With an OSM PBF as --roads and no --bridges, the OSM bridge ways are scored.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from ..bulk import few_collections
from ..errors import Cancelled, InputError
from ._common import (ProgressBar, add_dask_arguments, add_layer_arguments,
                      inputs_and_settings, require_gpkg, warn_skipped)
from ._inputs import warn_inputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "criticality", help="criticality of every bridge (detour, isolation, vehicle-km, rank)",
        description="Remove each bridge on its own and measure the detour between its two "
                    "ends, who is cut off (nodes, population, facilities) and the vehicle-km "
                    "added; writes the layer bridge_criticality and the load report.")
    _common(p)
    p.add_argument("--partition", choices=("grid", "prefecture"),
                   help="run the route searches part by part on Dask (needs "
                        "'pip install gunmane-geo[dask]'): grid cells "
                        "([criticality] partition_cell_m) or prefectures (--municipalities); "
                        "each part has a halo ([criticality] partition_halo_m), routes not "
                        "certified inside it are recomputed on the whole network; same "
                        "results as the plain run")
    add_dask_arguments(p, "--partition")
    p.set_defaults(func=run_criticality)
    q = subparsers.add_parser(
        "scenario", help="remove a set of bridges at once and measure the effect",
        description="Remove several bridges together (their effects do not add up) and "
                    "write scenario_summary, scenario_bridges, scenario_trips (trips between "
                    "settlements and facilities that get longer) and isolated_nodes.")
    _common(q)
    q.add_argument("--remove", required=True,
                   help="comma-separated bridge_ids to remove together, e.g. B001,B007")
    q.add_argument("--no-trip-lines", action="store_true",
                   help="do not build the route geometry of the longer trips")
    q.set_defaults(func=run_scenario)


def _common(p):
    add_layer_arguments(p, help_overrides={
        "roads": "road lines (Shapefile/GeoPackage/GeoJSON) or an OSM PBF",
        "bridges": "bridge inventory (points/lines, or CSV with 緯度/経度); "
                   "omit with an OSM PBF to score its bridge ways"})
    p.add_argument("--out", required=True, help="output GeoPackage (.gpkg)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def _load(args, bar):
    from ..io.loader import load_region
    from ..pipeline import network_from_region
    inputs, settings = inputs_and_settings(args)
    args.protected = require_gpkg(args.out, inputs)
    region = load_region(inputs, settings, progress=bar.part(0.0, 0.2))
    # the road lines live on in the network's edges: the loaded copy is handed over and
    # freed while the network is built (about a third of the peak memory on millions of
    # lines); the command needs only the report after this
    net = network_from_region(region, settings, progress=bar.part(0.2, 0.3),
                              release_roads=True)
    return region, net, settings


def run_criticality(args) -> int:
    from ..criticality import bridge_criticality
    from ..io.writers import write_layers
    partition = getattr(args, "partition", None)
    if partition is None and (getattr(args, "workers", None) or getattr(args, "scheduler", None)):
        raise InputError("--workers and --scheduler go with --partition grid|prefecture",
                         source="command line")
    if partition is not None:
        from ..distributed import require_dask
        require_dask()                      # before reading anything: say how to install it
    bar = ProgressBar(args.quiet, "criticality")
    t0 = time.perf_counter()
    parts_dir = Path(str(args.out) + ".parts")
    client = None
    if partition is not None:
        # the workers start while the layers are read
        from ..distributed import open_client
        client = open_client(workers=args.workers, scheduler=args.scheduler)
    try:
        with few_collections():
            region, net, settings = _load(args, bar)
        if partition is None:
            with few_collections():
                table = bridge_criticality(net, settings=settings, progress=bar.part(0.5, 0.5))
        else:
            from ..criticality.partition import partitioned_criticality
            table = partitioned_criticality(
                net, partition=partition, settings=settings, client=client,
                municipalities=region.municipalities, checkpoint_dir=parts_dir,
                progress=bar.part(0.5, 0.5))
    except (KeyboardInterrupt, Cancelled):
        bar.close()
        print("gunmane criticality: interrupted; nothing written"
              + (f" (finished parts kept in {parts_dir} for a rerun)"
                 if partition is not None and parts_dir.exists() else ""), file=sys.stderr)
        return 130
    finally:
        if client is not None:
            from ..distributed import close_client
            close_client(client)
    bar.close()
    stats = table.attrs.pop("partition", None)
    table.attrs.pop("partition_seconds", None)
    write_layers(args.out, {"bridge_criticality": table}, settings=settings,
                 report=region.report, protected=args.protected)
    if partition is not None:
        shutil.rmtree(parts_dir, ignore_errors=True)   # written: the part results are done
    warn_skipped(region.report, "criticality", args.out)
    warn_inputs(region.report, "criticality", args.out)
    if stats and not args.quiet:
        import pandas as pd
        st = pd.DataFrame(stats)
        peak = st.groupby("worker_pid")["worker_peak_bytes"].max() / 2**20
        print(f"partition {partition}: {st['part'].nunique()} parts, "
              f"{int(st['recomputed'].sum())} of {int(st['bridges'].sum())} route searches "
              "not certified inside their part and recomputed on the whole network"
              + (f", {int(st['reused'].sum())} part results reused from an earlier run"
                 if st["reused"].any() else "")
              + (f"; worker peak memory {', '.join(f'{m:,.0f}' for m in peak)} MiB"
                 if len(peak) else ""), file=sys.stderr)
    if not args.quiet:
        m = table["matched"].astype(bool)
        iso = table["isolates"].fillna(False).astype(bool)
        amb = table["ambiguous_match"].fillna(False).astype(bool) \
            if "ambiguous_match" in table.columns else m & False
        ped = table["pedestrian_only"].fillna(False).astype(bool)
        det = table["detour_m"].dropna()
        print(f"{len(table)} bridges ({int(m.sum())} on the network, {int((~m).sum())} unmatched"
              + (f", {int(amb.sum())} matched ambiguously: see ambiguous_match" if amb.any() else "")
              + f"); {int(iso.sum())} cut the network off"
              + (f"; median through-traffic detour {det.median():,.0f} m" if len(det) else "")
              + (f"; {int(ped.sum())} footbridges (walking measures only)" if ped.any() else "")
              + f"; {time.perf_counter() - t0:.1f} s -> {args.out} (layer bridge_criticality)",
              file=sys.stderr)
    return 0


def run_scenario(args) -> int:
    import geopandas as gpd
    from ..criticality import removal_scenario
    from ..io.writers import write_layers
    ids = [b.strip() for b in str(args.remove).split(",") if b.strip()]
    if not ids:
        raise InputError("--remove needs at least one bridge_id", source="command line")
    bar = ProgressBar(args.quiet, "scenario")
    try:
        with few_collections():
            region, net, settings = _load(args, bar)
        _check_ids(ids, net, region)
        res = removal_scenario(net, ids, settings=settings, geometry=not args.no_trip_lines,
                               progress=bar.part(0.5, 0.5))
    except (KeyboardInterrupt, Cancelled):
        bar.close()
        print("gunmane scenario: interrupted; nothing written", file=sys.stderr)
        return 130
    bar.close()
    iso = net.nodes.iloc[res.isolated_node_ids][["node_id", "population", "n_facilities",
                                                 "geometry"]]
    write_layers(args.out, {"scenario_summary": res.summary_frame(),
                            "scenario_bridges": res.bridges,
                            "scenario_trips": res.trips,
                            "isolated_nodes": gpd.GeoDataFrame(iso, crs=net.crs)},
                 settings=settings, report=region.report, protected=args.protected)
    warn_skipped(region.report, "scenario", args.out)
    warn_inputs(region.report, "scenario", args.out)
    if not args.quiet:
        s = res.summary
        print(f"removed {len(ids) - len(s['unmatched'])} bridges: "
              f"{s['isolated_population']:.0f} persons and {s['isolated_facilities']} facilities "
              f"cut off, {s['vehicle_km_per_day']:.0f} vehicle-km/day added, "
              f"{s['trips_longer']} trips longer -> {args.out}", file=sys.stderr)
    return 0


def _check_ids(ids, net, region) -> None:
    """Every --remove id must be a bridge of the run (named with the bridge file)."""
    known = set(net.bridges["bridge_id"].astype(str)) if net.bridges is not None else set()
    unknown = [b for b in ids if b not in known]
    if unknown:
        source = region.sources.get("bridges") or region.sources.get("roads", "bridges")
        examples = ", ".join(sorted(known)[:3])
        raise InputError(f"--remove: unknown bridge_id(s) {', '.join(unknown[:10])}: not among "
                         f"the {len(known)} bridges loaded from this file (ids such as "
                         f"{examples}); fix: use ids of its bridge_id column",
                         source=source, field="bridge_id")
