"""``gunmane criticality`` and ``gunmane scenario``: bridge criticality on the road network.

    gunmane criticality --roads R --bridges B [--population P] [--facilities F] --out OUT.gpkg
    gunmane scenario    --roads R --bridges B --remove ID,ID [...] --out OUT.gpkg

With an OSM PBF as --roads and no --bridges, the OSM bridge ways are scored.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import Cancelled, InputError
from ..settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LAYER_FLAGS = ("roads", "bridges", "population", "facilities", "rivers")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "criticality", help="criticality of every bridge (detour, isolation, vehicle-km, rank)",
        description="Remove each bridge on its own and measure the detour between its two "
                    "ends, who is cut off (nodes, population, facilities) and the vehicle-km "
                    "added; writes the layer bridge_criticality and the load report.")
    _common(p)
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
    p.add_argument("--roads", help="road lines (Shapefile/GeoPackage/GeoJSON) or an OSM PBF")
    p.add_argument("--bridges", help="bridge inventory (points/lines, or CSV with 緯度/経度); "
                                     "omit with an OSM PBF to score its bridge ways")
    p.add_argument("--population", help="population: raster (persons per cell) or "
                                        "polygons/points with a population column")
    p.add_argument("--facilities", help="facilities (hospital, school, office, fire_station)")
    p.add_argument("--rivers", help="river lines/polygons (help matching bridges to roads)")
    p.add_argument("--config", help="settings TOML ([network], [criticality], ...) or a run.toml "
                                    "with [inputs]; layers on the command line win")
    p.add_argument("--out", required=True, help="output GeoPackage (.gpkg)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def _inputs_and_settings(args):
    inputs, settings = {}, Settings()
    if args.config:
        path = Path(args.config)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise InputError("configuration file not found", source=path) from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML: {exc}", source=path) from None
        if "inputs" in data:
            from ..io.loader import load_run_config
            inputs, settings = load_run_config(path)
        else:
            settings = Settings.from_toml(path)
    for kind in LAYER_FLAGS:
        if getattr(args, kind, None):
            inputs[kind] = getattr(args, kind)
    if "roads" not in inputs:
        raise InputError("no roads given: add --roads PATH (or [inputs] roads = \"...\" in "
                         "the --config file)", source="command line")
    if not str(args.out).lower().endswith(".gpkg"):
        raise InputError("--out must be a GeoPackage file name ending in .gpkg",
                         source="command line")
    return inputs, settings


class _Bar:
    """A tqdm progress bar as a ``progress(fraction, message)`` callback."""

    def __init__(self, quiet: bool, desc: str):
        self.bar = None
        if not quiet:
            from tqdm import tqdm
            self.bar = tqdm(total=1000, desc=desc, unit="‰", file=sys.stderr,
                            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} {postfix}")

    def __call__(self, fraction, message=""):
        if self.bar is not None:
            n = int(fraction * 1000)
            if n > self.bar.n:
                self.bar.update(n - self.bar.n)
            self.bar.set_postfix_str(message[:60], refresh=False)
        return False

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _load(args, bar):
    from ..io.loader import load_region
    from ..network import network_from_region
    inputs, settings = _inputs_and_settings(args)
    region = load_region(inputs, settings,
                         progress=lambda f, m="": bar(0.2 * f, m))
    net = network_from_region(region, settings, progress=lambda f, m="": bar(0.2 + 0.3 * f, m))
    return region, net, settings


def run_criticality(args) -> int:
    from ..criticality import bridge_criticality
    from ..io.writers import write_layers
    bar = _Bar(args.quiet, "criticality")
    t0 = time.perf_counter()
    try:
        region, net, settings = _load(args, bar)
        table = bridge_criticality(net, settings, progress=lambda f, m="": bar(0.5 + 0.5 * f, m))
    except (KeyboardInterrupt, Cancelled):
        bar.close()
        print("gunmane criticality: interrupted; nothing written", file=sys.stderr)
        return 130
    bar.close()
    write_layers(args.out, {"bridge_criticality": table}, settings=settings,
                 report=region.report)
    if not args.quiet:
        m = table["matched"].astype(bool)
        iso = table["isolates"].fillna(False).astype(bool)
        print(f"{len(table)} bridges ({int(m.sum())} on the network, {int((~m).sum())} unmatched); "
              f"{int(iso.sum())} cut the network off; {time.perf_counter() - t0:.1f} s -> "
              f"{args.out} (layer bridge_criticality)", file=sys.stderr)
    return 0


def run_scenario(args) -> int:
    import geopandas as gpd
    from ..criticality import removal_scenario
    from ..io.writers import write_layers
    ids = [b.strip() for b in str(args.remove).split(",") if b.strip()]
    if not ids:
        raise InputError("--remove needs at least one bridge_id", source="command line")
    bar = _Bar(args.quiet, "scenario")
    try:
        region, net, settings = _load(args, bar)
        res = removal_scenario(net, ids, settings=settings, geometry=not args.no_trip_lines,
                               progress=lambda f, m="": bar(0.5 + 0.5 * f, m))
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
                 settings=settings, report=region.report)
    if not args.quiet:
        s = res.summary
        print(f"removed {len(ids) - len(s['unmatched'])} bridges: "
              f"{s['isolated_population']:.0f} persons and {s['isolated_facilities']} facilities "
              f"cut off, {s['vehicle_km_per_day']:.0f} vehicle-km/day added, "
              f"{s['trips_longer']} trips longer -> {args.out}", file=sys.stderr)
    return 0
