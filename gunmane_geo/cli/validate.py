"""``gunmane validate PATH... [--kind K]``: read files, print the load report."""
from __future__ import annotations

import sys

import pandas as pd

from .. import schema
from ..errors import GunmaneError
from ..io.load_report import LoadReport


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "validate", help="check input files and print what would be skipped or repaired",
        description="Read each file as a layer of KIND (guessed from the file name or columns "
                    "when not given), print every skipped/repaired/converted feature and a "
                    "summary per layer. Exit code 1 when there are errors.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files (gpkg, shp, geojson, "
                   "fgb, csv, osm.pbf, tif)")
    p.add_argument("--kind", choices=schema.LAYER_KINDS,
                   help="layer kind of every PATH (default: guessed per file)")
    p.add_argument("--layer", help="layer name inside a multi-layer file")
    p.add_argument("--source-crs", help="CRS of files that have none (x/y CSV, Shapefile "
                   "without .prj), e.g. EPSG:6673")
    p.add_argument("--report", metavar="CSV", help="also write the report to this CSV "
                   "(UTF-8 with BOM)")
    p.add_argument("--all", action="store_true", help="print info rows too (default: errors "
                   "and warnings only)")
    p.set_defaults(func=run_validate)


def _guess(path, layer):
    from ..io.sources import check_exists, file_format, guess_kind, read_csv_table
    from ..io.layouts import is_inspection_json
    check_exists(path)
    if is_inspection_json(path):          # the inspection database's API data: bridges
        return "bridges"
    kind = guess_kind(path)
    if kind is not None:
        return kind
    fmt = file_format(path)
    columns = None
    if fmt == "csv":
        columns = list(read_csv_table(path)[0].columns)
    elif fmt == "vector":
        import pyogrio
        from ..io.sources import choose_layer
        info = pyogrio.read_info(path, layer=choose_layer(path, "", layer))
        columns = list(info["fields"])
    return guess_kind(path, columns)


def validate_paths(paths, kind=None, layer=None, source_crs=None, settings=None):
    """Read every path; returns the LoadReport (read errors become error rows)."""
    from ..io.readers import read_layer, read_population, read_roads
    report = LoadReport()
    for path in paths:
        k = kind
        try:
            k = kind or _guess(path, layer)
            if k is None:
                report.add(path, "?", "cannot tell the layer kind from the file name or "
                           "columns: give --kind", severity="error", action="skipped")
                continue
            if k == "population":
                read_population(path, layer=layer, report=report, source_crs=source_crs,
                                settings=settings)
            elif k == "roads":
                read_roads(path, layer=layer, report=report, source_crs=source_crs,
                           settings=settings)
            else:
                read_layer(path, k, layer=layer, report=report, source_crs=source_crs,
                           settings=settings)
        except (GunmaneError, FileNotFoundError) as exc:
            report.add(path, k or "?", str(exc), severity="error", action="skipped")
    return report


def format_report(report: LoadReport, show_info=False) -> str:
    """The report as readable text: the problem rows grouped per file, then one summary
    line per layer (features read, kept, skipped, repaired, values nulled)."""
    df = report.to_frame()
    if not show_info:
        # info rows are shown with --all, except the recognised layout of a file and the
        # values set to missing on purpose (判定区分 5 = not surveyed ...)
        df = df[(df["severity"] != "info") | (df["field"] == "layout")
                | (df["action"] == "nulled")]
    lines = []
    if not ((df["severity"] != "info") | (df["action"] == "nulled")).any():
        lines.append("no problems found")
    for (source, layer), grp in df.groupby(["source", "layer"], sort=False):
        lines.append(f"== {source} ({layer}) ==")
        for r in grp.sort_values("row", na_position="first", kind="stable").itertuples():
            where = f"row {r.row}" if pd.notna(r.row) else ""
            fid = r.feature_id if isinstance(r.feature_id, str) else ""
            field = f"{r.field}: " if isinstance(r.field, str) else ""
            lines.append(f"  {r.severity:<7} {r.action:<9} {where:<9} {fid:<12} {field}{r.message}")
    summary = report.summary()
    if len(summary):
        lines.append("")
        lines.append("summary per layer:")
        lines.append(f"  {'layer':<15} {'read':>6} {'kept':>6} {'skipped':>7} {'repaired':>8} "
                     f"{'nulled':>6} {'errors':>6} {'warnings':>8} {'features':>8}  source")
        for r in summary.itertuples():
            lines.append(f"  {r.layer:<15} {r.read:>6} {r.kept:>6} {r.skipped:>7} {r.repaired:>8} "
                         f"{r.nulled:>6} {r.errors:>6} {r.warnings:>8} {r.features:>8}  {r.source}")
    return "\n".join(lines)


def run_validate(args) -> int:
    report = validate_paths(args.paths, args.kind, args.layer, args.source_crs)
    print(format_report(report, show_info=args.all))
    if args.report:
        from ..io.writers import write_csv
        write_csv(report.to_frame(), args.report)
    if report.has_errors:
        n = sum(1 for r in report.rows if r["severity"] == "error")
        print(f"\n{n} error(s): the rows above marked 'error' were not loaded", file=sys.stderr)
        return 1
    return 0
