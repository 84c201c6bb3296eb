"""``gunmane map``: one council map (or all of them) as A3/A4 landscape PDF and PNG."""
from __future__ import annotations

import sys
from pathlib import Path

from ._common import add_run_arguments, require_stages, run_stages, warn_skipped
from ._inputs import warn_inputs

KINDS = {
    "groups": ("grouping",),
    "criticality": ("criticality",),
    "options": ("options",),
    "plan": ("plan",),
    "ageing": ("indicators",),
    "effect": ("effect", "grouping"),
}
PAGE_NAME = {"groups": "groups", "criticality": "bridges_criticality", "options": "bridges_option",
             "plan": "plan", "ageing": "ageing", "effect": "effect"}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "map", help="council maps: groups, criticality, options, plan (+ close-ups), ageing, effect (PDF+PNG)",
        description="Run the stages a map needs on the layers of run.toml and write the map as "
                    "A3 or A4 landscape PDF and PNG with a Japanese title, legend, scale bar, "
                    "north arrow, date, sources and CRS.")
    p.add_argument("kind", choices=[*KINDS, "all"], help="which map")
    add_run_arguments(p)
    p.add_argument("--paper", choices=["A3", "A4"], help="paper size (default [maps] paper)")
    p.add_argument("--dpi", type=int, help="PNG resolution (default [maps] dpi)")
    p.add_argument("--format", nargs="+", choices=["pdf", "png", "svg"], dest="formats",
                   help="file formats (default [maps] formats)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..report import build_maps
    kinds = list(KINDS) if args.kind == "all" else [args.kind]
    stages = sorted({s for k in kinds for s in KINDS[k]})
    res = run_stages(args, stages)
    for k in kinds:         # the first stage of a kind makes its map; the others add to it
        require_stages(res, KINDS[k][:1], what=f"map {k}: ")
    if args.paper:
        res.settings.maps.paper = args.paper
    pages = build_maps(res)
    out = Path(args.out)
    written = []
    for k in kinds:
        names = [PAGE_NAME[k]]
        if k == "plan":     # the close-up pages go with the plan map
            names += sorted((n for n in pages if n.startswith("plan_details_")),
                            key=lambda n: int(n.rsplit("_", 1)[1]))
        for name in names:
            written += pages[name][0].save(out / f"{name}_{res.settings.maps.paper}",
                                           formats=args.formats, dpi=args.dpi)
    warn_skipped(res.region.report, "map")
    warn_inputs(res.region.report, "map")
    if not args.quiet:
        print("wrote " + ", ".join(str(w) for w in written), file=sys.stderr)
    return 0
