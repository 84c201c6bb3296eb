"""``gunmane groups``, ``gunmane packages`` and ``gunmane road-pairs``.

Each reads its layers (through ``gunmane_geo.io`` when the loaders are present,
else plain GeoPandas with canonical column names), reprojects them to one metric
CRS, runs the grouping function and writes the layers to a GeoPackage.
"""
from __future__ import annotations

import inspect
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


def _read(path, kind: str, report: LoadReport):
    """One layer with canonical columns: the project loaders when present, else GeoPandas."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{kind} file not found: {path}")
    try:
        from .. import io as gio
        reader = getattr(gio, "read_layer", None) or getattr(gio, f"read_{kind}", None)
    except ImportError:  # pragma: no cover
        reader = None
    if reader is not None:
        params = inspect.signature(reader).parameters
        kwargs = {}
        if "report" in params:
            kwargs["report"] = report
        if "kind" in params and getattr(reader, "__name__", "") == "read_layer":
            kwargs["kind"] = kind
        result = reader(path, **kwargs)
        return result[0] if isinstance(result, tuple) else result
    if path.suffix.lower() == ".csv":
        for enc in ("utf-8-sig", "cp932"):
            try:
                df = pd.read_csv(path, encoding=enc, dtype={"municipality_code": str})
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError("cannot decode the CSV as UTF-8 or CP932 (Shift_JIS)", source=str(path))
        lon = next((c for c in ("lon", "longitude", "経度") if c in df.columns), None)
        lat = next((c for c in ("lat", "latitude", "緯度") if c in df.columns), None)
        if lon and lat:
            return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df[lon], df[lat]), crs="EPSG:6668")
        return df
    return gpd.read_file(path)


def _to_metric(frames: dict, crs_arg, report) -> dict:
    geo = {k: v for k, v in frames.items() if isinstance(v, gpd.GeoDataFrame)}
    for k, v in geo.items():
        if v.crs is None:
            raise InputError("layer has no CRS: define it (e.g. EPSG:6668 for JGD2011 lon/lat)", source=k)
    if crs_arg:
        from ..crs import check_target_crs
        target = check_target_crs(crs_arg, source="--crs")
    else:
        projected = [v.crs for v in geo.values() if v.crs.is_projected]
        if projected and all(c == projected[0] for c in projected):
            target = projected[0]
        else:
            from ..crs import choose_metric_crs
            codes = None
            m = frames.get("municipalities")
            if m is not None and "municipality_code" in m.columns:
                codes = m["municipality_code"].astype(str).tolist()
            target = choose_metric_crs(list(geo.values()), codes)
    out = dict(frames)
    for k, v in geo.items():
        if v.crs != target:
            out[k] = v.to_crs(target)
    return out


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
    frames = {"municipalities": _read(args.municipalities, "municipalities", report)}
    for kind, path in (("bridges", args.bridges), ("staff", args.staff), ("roads", args.roads),
                       ("facilities", args.facilities)):
        if path:
            frames[kind] = _read(path, kind, report)
    frames = _to_metric(frames, args.crs, report)
    adjacency = municipal_adjacency(frames["municipalities"], roads=frames.get("roads"),
                                    settings=settings, report=report)
    groups, members = municipal_groups(
        frames["municipalities"], bridges=frames.get("bridges"), staff=frames.get("staff"),
        roads=frames.get("roads"), offices=frames.get("facilities"), settings=settings,
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
    frames = {}
    for kind, path in (("bridges", args.bridges), ("other_assets", args.other_assets),
                       ("roads", args.roads)):
        if path:
            frames[kind] = _read(path, kind, report)
    frames = _to_metric(frames, args.crs, report)
    assets = combine_assets(frames.get("bridges"), frames.get("other_assets"), settings, report)
    if args.multi_sector:
        out, areas = multi_sector_areas(assets, municipality_code=args.municipality, n_areas=args.n_areas,
                                        roads=frames.get("roads"), settings=settings, report=report)
        layers = {"multi_sector_areas": areas, "area_assets": out}
        table = areas.drop(columns="geometry")
    else:
        out, packages = asset_packages(assets, roads=frames.get("roads"), settings=settings,
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
    frames = {"roads": _read(args.roads, "roads", report)}
    if args.bridges:
        frames["bridges"] = _read(args.bridges, "bridges", report)
    frames = _to_metric(frames, args.crs, report)
    pairs = road_pairs(frames["roads"], bridges=frames.get("bridges"), settings=settings, report=report)
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
