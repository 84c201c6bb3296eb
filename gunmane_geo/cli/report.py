"""``gunmane report``: the whole run (load -> ... -> effect estimate) and its report."""
from __future__ import annotations

import sys

from ._common import add_run_arguments, progress_printer, warn_skipped
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
