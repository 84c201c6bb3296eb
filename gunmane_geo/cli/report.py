"""``gunmane report``: the whole run (load -> ... -> effect estimate) and its report."""
from __future__ import annotations

import sys

from ._common import add_dask_arguments, add_run_arguments, progress_printer, warn_skipped
from ._inputs import warn_inputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="run every stage and write results.gpkg, maps, tables and the report (ja/en)",
        description="Load the layers of run.toml, build the network, measure criticality, make "
                    "options and a plan, group municipalities, compute the indicators (見える化) "
                    "and the effect estimate (導入効果試算), and write DIR/results.gpkg, DIR/maps, "
                    "DIR/tables and DIR/report_{ja,en}.{html,pdf}.")
    add_run_arguments(p, quiet_help="no progress messages")
    p.add_argument("--dpi", type=int, help="PNG resolution (default [maps] dpi)")
    p.add_argument("--stages", nargs="+", metavar="STAGE",
                   help="run only these analysis stages (network criticality options plan "
                        "grouping indicators effect) and what they need")
    p.add_argument("--regions-by", metavar="prefecture|municipality|COLUMN",
                   help="one report per region into DIR/<region>/, run as Dask tasks (needs "
                        "'pip install gunmane-geo[dask]'), and one summary table "
                        "DIR/regions_summary.csv: split the municipalities layer by prefecture "
                        "(N03_001, else the code), by municipality, or by any of its columns; "
                        "a rerun reuses the finished regions")
    add_dask_arguments(p, "--regions-by", scheduler_note="; the workers must see the input files")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import InputError
    from ..pipeline import STAGES
    from ..report import run_report
    analysis = [s for s in STAGES if s not in ("load", "maps", "report")]
    unknown = [s for s in (args.stages or []) if s not in analysis]
    if unknown:
        raise InputError(f"--stages: unknown stage(s) {', '.join(unknown)}; stages are: "
                         f"{' '.join(analysis)}", source="command line")
    if getattr(args, "regions_by", None):
        return run_regions(args)
    from ..distributed import check_dask_options
    check_dask_options(args, needs="--regions-by")
    res = run_report(args.config, args.out, progress=progress_printer(args.quiet), dpi=args.dpi,
                     stages=args.stages)
    bad = [s for s in res.stages.values() if s.status == "failed"]
    warn_skipped(res.region.report, "report", f"{args.out}/results.gpkg")
    warn_inputs(res.region.report, "report", f"{args.out}/results.gpkg")
    if not args.quiet:
        for s in res.stages.values():
            print(f"  {s.name:12s} {s.status:8s} {s.message}", file=sys.stderr)
        print(f"wrote {args.out}/results.gpkg, maps/, tables/, report_ja/en.html/pdf", file=sys.stderr)
    if bad:
        print("gunmane report: some stages did not run: "
              + "; ".join(f"{s.name} ({s.status}: {s.message})" for s in bad), file=sys.stderr)
        return 1
    return 0


def run_regions(args) -> int:
    """``gunmane report --regions-by ...``: the regions as Dask tasks and their summary."""
    from ..distributed import require_dask
    from ..report.regions import report_regions
    require_dask("--regions-by")            # before reading anything: say how to install it
    table = report_regions(args.config, args.out, args.regions_by, workers=args.workers,
                           scheduler=args.scheduler, stages=args.stages, dpi=args.dpi,
                           progress=progress_printer(args.quiet))
    report = table.attrs.get("load_report")
    warn_skipped(report, "report", f"{args.out}/load_report.csv")
    warn_inputs(report, "report", f"{args.out}/load_report.csv")
    failed = table[table["status"] != "ok"]
    stage_failed = table[(table["status"] == "ok")
                         & table["stages_failed"].fillna("").astype(str).ne("")]
    if not args.quiet:
        print(summary_text(table), file=sys.stderr)
        print(f"wrote {args.out}/<region>/ (one report each) and {args.out}/regions_summary.csv",
              file=sys.stderr)
    for r in failed.itertuples():
        print(f"gunmane report: region {r.region} failed: {r.message} (the other regions are "
              "written; rerun the same command to retry it, finished regions are reused)",
              file=sys.stderr)
    for r in stage_failed.itertuples():
        print(f"gunmane report: region {r.region}: some stages did not run: {r.message}",
              file=sys.stderr)
    return 1 if len(failed) or len(stage_failed) else 0


def summary_text(table) -> str:
    """The summary table of ``--regions-by`` as aligned text lines (English headers)."""
    import pandas as pd

    def num(x, fmt):
        return "-" if x is None or (isinstance(x, float) and pd.isna(x)) else format(x, fmt)

    head = (f"{'region':14s} {'status':7s} {'bridges':>8s} {'50y+':>6s} {'removed':>8s} "
            f"{'cost avoided (yen)':>20s} {'longest detour':>15s} {'people longer':>14s}")
    lines = [head]
    for r in table.itertuples():
        lines.append(f"{str(r.region)[:14]:14s} {r.status + ('*' if r.reused else ''):7s} "
                     f"{num(r.n_bridges, ',.0f'):>8s} "
                     f"{num(None if pd.isna(r.share_old_now) else 100 * r.share_old_now, '.1f'):>5s}% "
                     f"{num(r.n_plan_removals, ',.0f'):>8s} {num(r.plan_cost_avoided_yen, ',.0f'):>20s} "
                     f"{num(r.longest_detour_m, ',.0f'):>13s} m {num(r.people_longer_trips, ',.0f'):>14s}")
    if table["reused"].fillna(False).astype(bool).any():
        lines.append("* reused from an earlier run")
    return "\n".join(lines)
