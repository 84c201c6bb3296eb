"""``gunmane groups``, ``gunmane packages`` and ``gunmane road-pairs``.

Each reads its layers with ``gunmane_geo.io.load_region`` (canonical columns, one
metric CRS), runs the grouping function and writes the layers to a GeoPackage,
with the load/grouping report and the [grouping] settings as tables.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ..errors import InputError
from ..settings import Settings
from ._common import inputs_and_settings, require_gpkg, warn_skipped
from ._inputs import warn_inputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "groups", help="municipal groups (広域連携): the best few contiguous partitions",
        description="Group neighbouring municipalities under a floor (staff, bridges) and a ceiling "
                    "(members, travel minutes between offices); writes groups, group_members, "
                    "adjacency and grouping_report layers.")
    p.add_argument("--municipalities", help="municipality polygons (N03 or code+name)")
    p.add_argument("--bridges", help="bridge inventory (points or CSV with 緯度/経度)")
    p.add_argument("--staff", help="technical staff table (municipality_code, technical_staff)")
    p.add_argument("--roads", help="road lines (adjacency across boundaries, travel times)")
    p.add_argument("--facilities", help="facilities; facility_type='office' rows are the offices")
    p.add_argument("--vertical", action="store_true", help="prefecture as a partner of every group")
    p.add_argument("--candidates", type=int, help="number of candidate partitions (default 3)")
    p.add_argument("--method", choices=["auto", "exact", "heuristic"], default="auto")
    _common(p)
    p.set_defaults(func=run_groups)

    q = subparsers.add_parser(
        "packages", help="asset packages (contract areas) or multi-sector areas (多分野連携)",
        description="Cluster bridges and other assets into packages compact by road travel time and "
                    "balanced by inspection hours; with --multi-sector, split each municipality's "
                    "assets into a few contract areas.")
    q.add_argument("--bridges", help="bridge inventory")
    q.add_argument("--other-assets", help="other sectors' assets (sector, inspection_hours)")
    q.add_argument("--roads", help="road lines for travel times")
    q.add_argument("--n-packages", type=int, help="number of packages (default from the size range)")
    q.add_argument("--multi-sector", action="store_true", help="contract areas per municipality")
    q.add_argument("--municipality", help="with --multi-sector: only this municipality code")
    q.add_argument("--n-areas", type=int, help="with --multi-sector: areas per municipality (default 2)")
    _common(q)
    q.set_defaults(func=run_packages)

    r = subparsers.add_parser(
        "road-pairs", help="prefectural/municipal road pairs serving the same function (垂直連携)",
        description="List municipal road stretches running parallel to a prefectural road and "
                    "joining the same places, for joint review.")
    r.add_argument("--roads", help="road lines with road_class")
    r.add_argument("--bridges", help="bridge inventory (counts bridges on the municipal stretch)")
    _common(r)
    r.set_defaults(func=run_road_pairs)


def _common(p):
    p.add_argument("--config", help="run.toml or settings TOML ([grouping], [io], ...); "
                                    "layers on the command line win over its [inputs]")
    p.add_argument("--settings", dest="config", help=argparse.SUPPRESS)  # the older name
    p.add_argument("--crs", help="target metric CRS, e.g. EPSG:6673 (default: chosen from the data)")
    p.add_argument("--out", required=True, help="output GeoPackage (.gpkg)")
    p.add_argument("--quiet", action="store_true")


# ---------------------------------------------------------------------------
def _load(args, kinds: tuple, required: tuple = ()):
    """Inputs from ``--config`` and the layer flags, read with ``gunmane_geo.io.load_region``
    (canonical columns, one metric CRS: ``--crs``, else ``[io] target_crs``, else chosen
    from the data).  Returns ``(region, settings)``."""
    from ..io import load_region
    from ..io.sources import check_exists
    inputs, settings = inputs_and_settings(args, kinds=kinds, required=required)
    inputs = {k: v for k, v in inputs.items() if k in kinds and v}
    args.protected = require_gpkg(args.out, inputs)
    if getattr(args, "crs", None):
        from ..crs import check_target_crs
        settings.io.target_crs = check_target_crs(args.crs, source="--crs")
    for path in inputs.values():
        if isinstance(path, (str, Path)):
            check_exists(path)
    return load_region(inputs, settings=settings), settings


def _write(args, layers: dict, region, settings: Settings) -> None:
    """The layers plus ``load_report`` (loading and grouping notes) and ``run_settings``."""
    from ..io import write_layers
    write_layers(args.out, layers, settings=settings, report=region.report,
                 protected=args.protected)
    warn_skipped(region.report, args.command, args.out)
    warn_inputs(region.report, args.command, args.out)
    if not args.quiet:
        print(f"wrote {args.out}: layers {', '.join(list(layers) + ['load_report', 'run_settings'])}")


def _adjacency_lines(adjacency: pd.DataFrame, members: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    one = members[members["candidate"] == members["candidate"].min()].set_index("municipality_code")
    pts = {c: g.representative_point() for c, g in one.geometry.items()}
    geoms = [shapely.LineString([pts[a], pts[b]]) if a in pts and b in pts else None
             for a, b in zip(adjacency["code_a"], adjacency["code_b"])]
    return gpd.GeoDataFrame(adjacency.reset_index(drop=True), geometry=geoms, crs=members.crs)


# ---------------------------------------------------------------------------
def run_groups(args) -> int:
    from ..grouping import municipal_adjacency, municipal_groups
    if args.candidates is not None and args.candidates < 1:
        raise InputError("--candidates must be >= 1", source="--candidates")
    region, settings = _load(args, ("municipalities", "bridges", "staff", "roads", "facilities"),
                             required=("municipalities",))
    if args.candidates is not None:
        settings.grouping.n_candidates = args.candidates
    report = region.report
    adjacency = municipal_adjacency(region.municipalities, roads=region.roads,
                                    settings=settings, report=report)
    groups, members = municipal_groups(
        region.municipalities, bridges=region.bridges, staff=region.staff,
        roads=region.roads, offices=region.facilities, settings=settings,
        adjacency=adjacency, vertical=args.vertical, method=args.method, report=report,
        progress=None if args.quiet else _progress)
    candidates = pd.DataFrame(groups.attrs["candidates"])
    _write(args, {"groups": groups, "group_members": members,
                  "adjacency": _adjacency_lines(adjacency, members),
                  "candidates": candidates}, region, settings)
    if not args.quiet:
        print(candidates.to_string(index=False))
    return 0


def run_packages(args) -> int:
    from ..grouping import asset_packages, combine_assets, multi_sector_areas
    region, settings = _load(args, ("bridges", "other_assets", "roads"))
    if region.bridges is None and region.other_assets is None:
        raise InputError("no assets given: add --bridges and/or --other-assets (or [inputs] in "
                         "the --config file)", source="command line")
    report = region.report
    assets = combine_assets(region.bridges, region.other_assets, settings, report)
    if args.multi_sector:
        out, areas = multi_sector_areas(assets, municipality_code=args.municipality, n_areas=args.n_areas,
                                        roads=region.roads, settings=settings, report=report)
        layers = {"multi_sector_areas": areas, "area_assets": out}
        table = areas.drop(columns="geometry")
    else:
        out, packages = asset_packages(assets, roads=region.roads, settings=settings,
                                       n_packages=args.n_packages, report=report,
                                       progress=None if args.quiet else _progress)
        layers = {"asset_packages": packages, "package_assets": out}
        table = packages.drop(columns="geometry")
    _write(args, layers, region, settings)
    if not args.quiet:
        print(table.to_string(index=False))
    return 0


def run_road_pairs(args) -> int:
    from ..grouping import road_pairs
    region, settings = _load(args, ("roads", "bridges"), required=("roads",))
    pairs = road_pairs(region.roads, bridges=region.bridges, settings=settings, report=region.report)
    _write(args, {"road_pairs": pairs}, region, settings)
    if not args.quiet:
        print(f"{len(pairs)} road pairs")
        if len(pairs):
            print(pairs.drop(columns="geometry").head(20).to_string(index=False))
    return 0


def _progress(fraction: float, message: str) -> None:
    sys.stderr.write(f"\r{fraction:4.0%} {message[:60]:<60}")
    if fraction >= 1.0:
        sys.stderr.write("\n")
    sys.stderr.flush()
