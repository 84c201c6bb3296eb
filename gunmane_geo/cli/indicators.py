"""``gunmane indicators`` (見える化) and ``gunmane effect`` (導入効果試算)."""
from __future__ import annotations

import sys
from pathlib import Path

from ._common import add_run_arguments, require_stages, run_stages, warn_skipped
from ._inputs import warn_inputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "indicators", help="見える化: bridges, deck area, ageing, ratings, staff, overdue inspections",
        description="Indicators per municipality and per group (groups from a group_members table "
                    "or computed with --groups); writes DIR/indicators.gpkg and "
                    "DIR/indicators.csv (UTF-8 BOM, Japanese and English headers).")
    _common(p)
    p.set_defaults(func=run_indicators)
    q = subparsers.add_parser(
        "effect", help="導入効果試算: direct staff cost + outsourcing, before and after",
        description="Effect estimate per municipality and group; inputs from --inputs (CSV: "
                    "団体コード, 現状の直営対応時間, 導入後の直営対応時間, 現状の委託金額, "
                    "導入後の委託金額, 人件費単価) or ILLUSTRATIVE defaults of [effect]; writes "
                    "DIR/effect.csv, DIR/effect_assumptions.csv, DIR/effect.gpkg and the chart.")
    _common(q)
    q.add_argument("--inputs", help="CSV of effect inputs (overrides [effect] inputs_table)")
    q.set_defaults(func=run_effect)


def _common(p):
    add_run_arguments(p)
    p.add_argument("--groups", action="store_true",
                   help="also compute municipal groups (gunmane_geo.grouping) and report per group")


def run_indicators(args) -> int:
    from ..indicators import bilingual
    from ..io import write_csv, write_layers
    res = _run(args, ["indicators"])
    out = Path(args.out)
    ind = res.layers["indicators"]
    write_layers(out / "indicators.gpkg", {"indicators": ind,
                                           "asset_type_counts": res.layers["asset_type_counts"],
                                           "skipped_features": res.layers.get("skipped_features")},
                 settings=res.settings, report=res.region.report)
    write_csv(bilingual(ind, res.settings), out / "indicators.csv")
    warn_skipped(res.region.report, "indicators", out / "indicators.gpkg")
    warn_inputs(res.region.report, "indicators", out / "indicators.gpkg")
    if not args.quiet:
        print(f"{(ind['level'] == 'municipality').sum()} municipalities, "
              f"{(ind['level'] == 'group').sum()} groups; wrote {out}/indicators.gpkg and "
              "indicators.csv", file=sys.stderr)
    return 0


def run_effect(args) -> int:
    from ..effect import EFFECT_LABELS
    from ..indicators import bilingual
    from ..io import write_csv, write_layers
    from ..maps import chart_effect
    res = _run(args, ["effect"], inputs=args.inputs)
    out = Path(args.out)
    eff = res.layers["effect"]
    write_layers(out / "effect.gpkg", {"effect": eff,
                                       "effect_assumptions": res.layers["effect_assumptions"]},
                 settings=res.settings, report=res.region.report)
    write_csv(bilingual(eff, labels=EFFECT_LABELS), out / "effect.csv")
    write_csv(res.layers["effect_assumptions"], out / "effect_assumptions.csv")
    chart_effect(eff, settings=res.settings).save(out / "effect_chart")
    warn_skipped(res.region.report, "effect", out / "effect.gpkg")
    warn_inputs(res.region.report, "effect", out / "effect.gpkg")
    if not args.quiet:
        g = eff[eff["level"] == "group"]
        print(f"groups: total cost {g['total_cost_before_yen'].sum():,.0f} -> "
              f"{g['total_cost_after_yen'].sum():,.0f} yen/yr"
              + (" (ILLUSTRATIVE defaults used)" if eff["uses_illustrative_defaults"].any() else "")
              + f"; wrote {out}/effect.csv, effect_assumptions.csv, effect.gpkg, effect_chart.pdf/png",
              file=sys.stderr)
    return 0


def _run(args, stages, inputs=None):
    """Run ``stages`` (and grouping with ``--groups``); every one of them must run."""
    wanted = list(stages) + (["grouping"] if args.groups else [])
    res = run_stages(args, wanted, effect_inputs=inputs)
    require_stages(res, wanted)
    return res
