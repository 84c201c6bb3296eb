"""``gunmane groups``, ``gunmane packages`` and ``gunmane road-pairs``.

Each reads its layers with ``gunmane_geo.io.load_region`` (canonical columns, one
metric CRS), runs the grouping function and writes the layers to a GeoPackage,
with the load/grouping report and the [grouping] settings as tables.
"""
from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..io.load_report import LoadReport
from ..settings import Settings


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "groups", help="municipal groups (広域連携): the best few contiguous partitions",
        description="Group neighbouring municipalities under a floor (staff, bridges) and a ceiling "
                    "(members, travel minutes between offices); writes groups, group_members, "
                    "adjacency and grouping_report layers.")
    p.add_argument("--municipalities", required=True, help="municipality polygons (N03 or code+name)")
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
    r.add_argument("--roads", required=True, help="road lines with road_class")
    r.add_argument("--bridges", help="bridge inventory (counts bridges on the municipal stretch)")
    _common(r)
    r.set_defaults(func=run_road_pairs)


def _common(p):
    p.add_argument("--settings", help="settings TOML (e.g. a [grouping] table)")
    p.add_argument("--crs", help="target metric CRS, e.g. EPSG:6673 (default: chosen from the data)")
    p.add_argument("--out", required=True, help="output GeoPackage (.gpkg)")
    p.add_argument("--quiet", action="store_true")


# ---------------------------------------------------------------------------
def _settings(args) -> Settings:
    return Settings.from_toml(args.settings) if getattr(args, "settings", None) else Settings()


def _load(args, inputs: dict, settings: Settings, report: LoadReport):
    """Read the named layers with ``gunmane_geo.io.load_region`` (canonical columns, one
    metric CRS: ``--crs``, else ``[io] target_crs``, else chosen from the data)."""
    from ..io import load_region
    if getattr(args, "crs", None):
        from ..crs import check_target_crs
        settings.io.target_crs = check_target_crs(args.crs, source="--crs")
    inputs = {k: v for k, v in inputs.items() if v}
    for kind, path in inputs.items():
        if not Path(path).exists():
            raise FileNotFoundError(f"{kind} file not found: {path}")
    return load_region(inputs, settings=settings, report=report)


def _write(out_path, layers: dict, report: LoadReport, settings: Settings, quiet: bool) -> None:
    import pyogrio
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".gpkg":
        raise InputError("--out must be a GeoPackage path ending in .gpkg", source=str(out_path))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.exists():
        out_path.unlink()
    for name, frame in layers.items():
        if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
            frame = frame.copy()
            frame.attrs = {}
            frame.to_file(out_path, layer=name, driver="GPKG")
        else:
            pyogrio.write_dataframe(pd.DataFrame(frame), out_path, layer=name, driver="GPKG")
    rep = report.to_frame()
    rep["row"] = rep["row"].astype("float")
    pyogrio.write_dataframe(rep.astype({c: "object" for c in rep.columns if c != "row"}),
                            out_path, layer="grouping_report", driver="GPKG")
    settings_rows = pd.DataFrame(
        [{"key": k, "value": str(v)} for k, v in settings.to_dict()["grouping"].items()])
    pyogrio.write_dataframe(settings_rows, out_path, layer="grouping_settings", driver="GPKG")
    if not quiet:
        print(f"wrote {out_path}: layers {', '.join(list(layers) + ['grouping_report', 'grouping_settings'])}")


def _adjacency_lines(adjacency: pd.DataFrame, members: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    one = members[members["candidate"] == members["candidate"].min()].set_index("municipality_code")
    pts = {c: g.representative_point() for c, g in one.geometry.items()}
    geoms = [shapely.LineString([pts[a], pts[b]]) if a in pts and b in pts else None
             for a, b in zip(adjacency["code_a"], adjacency["code_b"])]
    return gpd.GeoDataFrame(adjacency.reset_index(drop=True), geometry=geoms, crs=members.crs)


# ---------------------------------------------------------------------------
def run_groups(args) -> int:
    from ..grouping import municipal_adjacency, municipal_groups
    settings = _settings(args)
    if args.candidates is not None:
        if args.candidates < 1:
            raise InputError("--candidates must be >= 1", source="--candidates")
        settings.grouping.n_candidates = args.candidates
    report = LoadReport()
    region = _load(args, {"municipalities": args.municipalities, "bridges": args.bridges,
                          "staff": args.staff, "roads": args.roads, "facilities": args.facilities},
                   settings, report)
    adjacency = municipal_adjacency(region.municipalities, roads=region.roads,
                                    settings=settings, report=report)
    groups, members = municipal_groups(
        region.municipalities, bridges=region.bridges, staff=region.staff,
        roads=region.roads, offices=region.facilities, settings=settings,
        adjacency=adjacency, vertical=args.vertical, method=args.method, report=report,
        progress=None if args.quiet else _progress)
    candidates = pd.DataFrame(groups.attrs["candidates"])
    _write(args.out, {"groups": groups, "group_members": members,
                      "adjacency": _adjacency_lines(adjacency, members),
                      "candidates": candidates}, report, settings, args.quiet)
    if not args.quiet:
        print(candidates.to_string(index=False))
    return 0


def run_packages(args) -> int:
    from ..grouping import asset_packages, combine_assets, multi_sector_areas
    settings = _settings(args)
    report = LoadReport()
    if not args.bridges and not args.other_assets:
        raise InputError("give --bridges and/or --other-assets", source="gunmane packages")
    region = _load(args, {"bridges": args.bridges, "other_assets": args.other_assets,
                          "roads": args.roads}, settings, report)
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
    _write(args.out, layers, report, settings, args.quiet)
    if not args.quiet:
        print(table.to_string(index=False))
    return 0


def run_road_pairs(args) -> int:
    from ..grouping import road_pairs
    settings = _settings(args)
    report = LoadReport()
    region = _load(args, {"roads": args.roads, "bridges": args.bridges}, settings, report)
    pairs = road_pairs(region.roads, bridges=region.bridges, settings=settings, report=report)
    _write(args.out, {"road_pairs": pairs}, report, settings, args.quiet)
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
