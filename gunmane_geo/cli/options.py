"""``gunmane options`` and ``gunmane plan``: consolidation/removal options and plans."""
from __future__ import annotations

import sys

from ..errors import Cancelled, InputError
from ._common import (ProgressBar, add_dask_arguments, add_layer_arguments,
                      inputs_and_settings, require_gpkg, warn_skipped)
from ._inputs import warn_inputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "options", help="options per bridge (keep, 単純撤去, 撤去＋迂回路整備, ダウンサイジング) and 集約 sets",
        description="Cost, guard and explain every option for every bridge and the candidate "
                    "consolidation sets; writes bridge_options and consolidation_sets layers "
                    "(costs are ILLUSTRATIVE defaults unless your --config sets [costs]).")
    _common(p)
    p.set_defaults(func=run_options_command, with_plan=False)
    q = subparsers.add_parser(
        "plan", help="a consolidation/removal plan under a budget or saving target, and its cost curve",
        description="Choose options across bridges respecting the guards, re-measuring the whole set "
                    "of removals on the network at each step; writes the options layers plus plan, "
                    "cost_curve and plan_summary.")
    _common(q)
    q.add_argument("--budget-yen", type=float,
                   help="life-cycle cost (present value, yen) the bridge stock may use over the horizon")
    q.add_argument("--target-saving-pct", type=float,
                   help="cut the baseline life-cycle cost by this percentage, e.g. 20")
    q.add_argument("--compare", metavar="PCTS",
                   help="also plan at these saving targets (%%) side by side, e.g. 0,5,10,20: "
                        "table plan_compare and the chart <out>_compare.pdf/png")
    q.add_argument("--compare-budgets", metavar="YEN",
                   help="the same for budgets (life-cycle cost, yen), e.g. 4.0e10,3.8e10")
    add_dask_arguments(q, "--compare/--compare-budgets")     # the levels as Dask tasks
    q.set_defaults(func=run_options_command, with_plan=True)


def _common(p):
    add_layer_arguments(p)
    p.add_argument("--out", required=True, help="output GeoPackage (.gpkg)")
    p.add_argument("--csv", help="also write each layer as CSV (UTF-8 with BOM) into this folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def compare_levels(pcts, budgets, settings):
    """``("target", [..])``, ``("budget", [..])`` or None from the flags or ``[plan]``."""
    from ..options import parse_levels
    if pcts and budgets:
        raise InputError("give --compare (saving targets in %) or --compare-budgets (yen), "
                         "not both", source="command line")
    if pcts:
        return "target", parse_levels(pcts, what="--compare")
    if budgets:
        return "budget", parse_levels(budgets, what="--compare-budgets")
    if settings.plan.compare and settings.plan.compare_budgets:
        raise InputError("[plan] compare and compare_budgets are both set: keep one",
                         source="settings")
    if settings.plan.compare:
        return "target", [float(x) for x in settings.plan.compare]
    if settings.plan.compare_budgets:
        return "budget", [float(x) for x in settings.plan.compare_budgets]
    return None


def run_options_command(args) -> int:
    from ..io.loader import load_region
    from ..options.output import write_outputs
    from ..pipeline import run_options

    with_plan = bool(args.with_plan)
    inputs, settings = inputs_and_settings(args, required=("roads", "bridges"))
    protected = require_gpkg(args.out, inputs)
    # the plan's aim: command-line flags win over [plan] in the config
    target_pct = getattr(args, "target_saving_pct", None)
    if target_pct is None:
        target_pct = settings.plan.target_saving_pct
    budget_yen = getattr(args, "budget_yen", None)
    if budget_yen is None:
        budget_yen = settings.plan.budget_yen
    share = None
    if with_plan and target_pct is not None:
        if not 0 < target_pct < 100:
            raise InputError("the saving target must be between 0 and 100 %, e.g. 20 "
                             "(--target-saving-pct or [plan] target_saving_pct)",
                             source="command line")
        share = target_pct / 100.0
    if with_plan and budget_yen is not None and not 0 <= budget_yen < float("inf"):
        raise InputError(f"--budget-yen must be a finite amount of 0 yen or more (got "
                         f"{budget_yen:g}); fix: give the budget in yen, e.g. --budget-yen "
                         "5000000000, or leave it out (also [plan] budget_yen)",
                         source="command line")
    compare = None
    if with_plan:
        compare = compare_levels(getattr(args, "compare", None),
                                 getattr(args, "compare_budgets", None), settings)
    on_dask = getattr(args, "workers", None) is not None or bool(getattr(args, "scheduler", None))
    if on_dask:
        from ..distributed import check_dask_options, require_dask
        if compare is None:
            check_dask_options(args, needs="--compare or --compare-budgets (or [plan] compare)")
        require_dask("--workers/--scheduler")     # before reading anything: how to install it
    bar = ProgressBar(args.quiet, "plan" if with_plan else "options")
    client = None
    try:
        if on_dask:
            # the workers start while the layers are read
            from ..distributed import open_client
            client = open_client(workers=args.workers, scheduler=args.scheduler,
                                 option="--workers/--scheduler")
        region = load_region(inputs, settings, progress=bar.part(0.0, 0.2))
        layers = run_options(region, settings, plan=with_plan,
                             budget_yen=budget_yen if with_plan else None,
                             target_saving_share=share, compare=compare, client=client,
                             progress=bar.part(0.2, 0.8))
    except (KeyboardInterrupt, Cancelled):
        bar.close()
        print(f"gunmane {args.command}: interrupted; nothing written", file=sys.stderr)
        return 130
    finally:
        if client is not None:
            from ..distributed import close_client
            close_client(client)
    bar.close()
    written = write_outputs(layers, args.out, args.csv, settings=settings, report=region.report,
                            protected=protected)
    if layers.get("plan_compare") is not None:
        from pathlib import Path

        from ..maps import chart_scenarios
        out = Path(args.out)
        written += chart_scenarios(layers["plan_compare"], settings=settings).save(
            out.with_name(out.stem + "_compare"))
    warn_skipped(region.report, args.command, args.out)
    warn_inputs(region.report, args.command, args.out)
    if not args.quiet:
        opts = layers["bridge_options"]
        n_b = opts["bridge_id"].nunique()
        n_rec = int((opts["recommended"] & (opts["option"] != "keep")).sum())
        print(f"{n_b} bridges, {n_rec} with a recommended removal-type option; "
              f"{layers['consolidation_sets']['set_id'].nunique()} consolidation sets", file=sys.stderr)
        if with_plan:
            s = layers["plan"].attrs["summary"]
            print(f"plan: {s['n_bridges_removed']} bridges lose vehicle traffic, life-cycle cost "
                  f"{s['baseline_lcc_yen']:,} -> {s['plan_lcc_yen']:,} yen "
                  f"({s['saving_share']:.1%} saved); target reached: {s['target_reached']}; "
                  f"by method: consolidation {s['n_consolidate']}, simple removal {s['n_remove']}, "
                  f"removal + detour improvement {s['n_remove_upgrade_detour']}, "
                  f"downsizing {s['n_downsize']}", file=sys.stderr)
        cmp = layers.get("plan_compare")
        if cmp is not None:
            for r in cmp.itertuples():
                print(f"  {r.label_en}: {r.n_bridges_removed} bridges (consolidation "
                      f"{r.n_consolidate}, simple removal {r.n_remove}, removal + detour "
                      f"improvement {r.n_remove_upgrade_detour}, downsizing {r.n_downsize}), "
                      f"{r.cost_avoided_yen:,} yen avoided, +{r.added_vehicle_km_per_day:,.0f} "
                      f"vehicle-km/day, {r.people_longer_trips:,.0f} people with longer trips",
                      file=sys.stderr)
        print("costs are ILLUSTRATIVE defaults unless your config sets [costs]; wrote "
              + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0
