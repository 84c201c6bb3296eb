"""Consolidation and removal options, the life-cycle cost model, ranking and plans.

Public API::

    life_cycle_costs(bridges, settings) -> DataFrame
    generate_options(network, criticality, bridges, *, settings=None, progress=None)
        -> GeoDataFrame (bridge_options)
    find_consolidation_sets(network, criticality, bridges, *, settings=None, progress=None)
        -> GeoDataFrame
    make_plan(network, bridge_options, consolidation_sets, *, settings=None, budget_yen=None,
              target_saving_share=None, progress=None) -> (plan GeoDataFrame, cost_curve)
    detour_routes(plan, network) -> GeoDataFrame  (route of each planned removal's detour)
    compare_plans(network, bridge_options, consolidation_sets, *, targets_pct=None,
                  budgets_yen=None, settings=None, progress=None) -> DataFrame (one row per level)

Money is in integer yen (present value), distances in metres, times in minutes;
all defaults are ILLUSTRATIVE (docs/options.md).
"""
from .compare import COMPARE_COLUMNS, compare_plans, parse_levels
from .consolidation import find_consolidation_sets
from .costs import (ILLUSTRATIVE_NOTE, OPTIONS, annuity_factor, life_cycle_costs, option_costs,
                    user_cost)
from .generate import generate_options
from .output import run_settings_table, write_outputs
from .plan import make_plan
from .routes import detour_routes
from .scenario import SetEffect, SetEvaluator

__all__ = [
    "life_cycle_costs", "generate_options", "find_consolidation_sets", "make_plan", "detour_routes",
    "option_costs", "user_cost", "annuity_factor", "run_settings_table", "write_outputs",
    "SetEvaluator", "SetEffect", "OPTIONS", "ILLUSTRATIVE_NOTE", "compare_plans", "parse_levels",
    "COMPARE_COLUMNS",
]
