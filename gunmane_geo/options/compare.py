"""Scenarios side by side: the plan at several saving targets or budgets.

Each level is a full ``make_plan`` (same greedy, same guards, its own prefix), so the
rows are exactly the plans a user would get with ``--target-saving-pct X`` or
``--budget-yen Y``.  Level 0 % is the baseline: every bridge kept.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from ..errors import InputError, report_progress
from ..network.graph import Network
from ..progress import Progress, sub_progress
from ..settings import Settings
from .plan import make_plan

METHODS = ("consolidate", "remove", "remove_upgrade_detour", "downsize")
COMPARE_COLUMNS = [
    "level", "label_ja", "label_en", "target_saving_pct", "budget_yen", "target_reached",
    "n_bridges_removed", *(f"n_{m}" for m in METHODS), "cost_avoided_yen", "saving_share",
    "user_cost_yen", "added_vehicle_km_per_day", "max_detour_m", "people_longer_trips",
    "isolated_population",
]


def parse_levels(text: str, *, what: str = "--compare") -> list[float]:
    """``"0,5,10,20"`` -> ``[0.0, 5.0, 10.0, 20.0]`` (a clear error naming the bad item)."""
    out = []
    for item in str(text).replace("、", ",").split(","):
        item = item.strip().replace("_", "")
        if not item:
            continue
        try:
            out.append(float(item))
        except ValueError:
            raise InputError(f"{what}: '{item}' is not a number; give a comma-separated list "
                             "such as 0,5,10,20", source=what) from None
    if not out:
        raise InputError(f"{what}: no levels given; e.g. 0,5,10,20", source=what)
    return out


def compare_levels_of(targets_pct: list | None = None,
                      budgets_yen: list | None = None) -> list[tuple[str, float]]:
    """``[("target", pct), ...]`` or ``[("budget", yen), ...]``, each level checked."""
    if (targets_pct is None) == (budgets_yen is None):
        raise InputError("compare: give either saving targets (%) or budgets (yen), not both "
                         "and not neither", source="compare")
    levels = [("target", float(x)) for x in targets_pct] if targets_pct is not None else \
        [("budget", float(x)) for x in budgets_yen]
    for kind, value in levels:
        if kind == "target" and not 0.0 <= value < 100.0:
            raise InputError(f"compare: saving target {value:g} % is outside 0..100 "
                             "(e.g. 0,5,10,20)", source="compare")
        if kind == "budget" and value < 0:
            raise InputError(f"compare: budget {value:,.0f} yen is negative", source="compare")
    return levels


def compare_level(network: Network, bridge_options: gpd.GeoDataFrame,
                  consolidation_sets: gpd.GeoDataFrame | None, kind: str, value: float, *,
                  settings: Settings | None = None, progress: Progress | None = None) -> dict:
    """One row of ``compare_plans``: the plan at one saving target (``kind="target"``,
    ``value`` in %) or budget (``kind="budget"``, ``value`` in yen).

    A function of its arguments only, so that a Dask worker can run it on a copy of the
    network and options (``compare_plans(..., client=)``).
    """
    from ..criticality import removal_scenario
    settings = settings or Settings()
    label_ja = f"削減目標 {value:g}%" if kind == "target" else f"予算 {value / 1e8:,.1f}億円"
    label_en = f"saving target {value:g} %" if kind == "target" else \
        f"budget ¥{value / 1e6:,.0f} million"
    row = {"level": value, "label_ja": label_ja, "label_en": label_en,
           "target_saving_pct": value if kind == "target" else None,
           "budget_yen": value if kind == "budget" else None}
    if kind == "target" and value == 0.0:
        return {**row, "target_reached": True, "n_bridges_removed": 0,
                **{f"n_{m}": 0 for m in METHODS}, "cost_avoided_yen": 0,
                "saving_share": 0.0, "user_cost_yen": 0, "added_vehicle_km_per_day": 0.0,
                "max_detour_m": 0.0, "people_longer_trips": 0.0,
                "isolated_population": 0.0}
    plan, curve = make_plan(network, bridge_options, consolidation_sets, settings=settings,
                            target_saving_share=value / 100.0 if kind == "target" else None,
                            budget_yen=value if kind == "budget" else None, progress=progress)
    s = plan.attrs["summary"]
    inplan = curve[curve["in_plan"]]
    removed = plan.loc[plan["status"] == "planned", "bridge_id"].astype(str).tolist()
    people = 0.0
    if removed:
        sc = removal_scenario(network, removed, settings=settings, geometry=False)
        people = float(sc.summary["population_with_longer_trips"])
    return {**row, "target_reached": bool(s["target_reached"]),
            "n_bridges_removed": int(s["n_bridges_removed"]),
            **{f"n_{m}": int(s[f"n_{m}"]) for m in METHODS},
            "cost_avoided_yen": int(s["cost_avoided_yen"]),
            "saving_share": float(s["saving_share"]),
            "user_cost_yen": int(s["user_cost_yen"]),
            "added_vehicle_km_per_day": (float(inplan["added_vehicle_km_per_day"].iloc[-1])
                                         if len(inplan) else 0.0),
            "max_detour_m": float(inplan["max_detour_m"].iloc[-1]) if len(inplan) else 0.0,
            "people_longer_trips": people,
            "isolated_population": float(s["isolated_population"] or 0.0)}


def compare_plans(network: Network, bridge_options: gpd.GeoDataFrame,
                  consolidation_sets: gpd.GeoDataFrame | None, *,
                  targets_pct: list | None = None, budgets_yen: list | None = None,
                  settings: Settings | None = None, client=None,
                  progress: Progress | None = None) -> pd.DataFrame:
    """One row per level: what the plan removes, by method, and what it costs road users.

    Parameters
    ----------
    network : Network
        With bridges attached (the network the options were generated on).
    bridge_options, consolidation_sets : GeoDataFrame
        From ``generate_options`` and ``find_consolidation_sets``.
    targets_pct : list of float, optional
        Saving targets in % of the baseline life-cycle cost (0 <= x < 100); 0 = keep all.
    budgets_yen : list of float, optional
        Life-cycle budgets (present value, yen) instead of targets.
    settings : Settings, optional
    client : distributed.Client, optional
        Run the levels as Dask tasks on this client (``gunmane_geo.distributed.open_client``):
        the network, options and sets are sent to every worker once (computing them is
        what costs; sending them is cheap, docs/options.md "Scenario sweeps on Dask") and
        each level is one ``compare_level`` task.  Same table as without a client.
    progress : callable, optional

    Returns
    -------
    DataFrame
        ``COMPARE_COLUMNS``: bridges losing vehicle traffic by method (counts),
        ``cost_avoided_yen`` (PV over the horizon, yen), ``added_vehicle_km_per_day``
        (AADT x detour with the whole plan, vehicle-km/day), ``max_detour_m`` (m),
        ``people_longer_trips`` (persons whose trip to the nearest facility of some
        type gets longer, ``removal_scenario``'s ``population_with_longer_trips``).
    """
    settings = settings or Settings()
    levels = compare_levels_of(targets_pct, budgets_yen)
    if client is not None:
        return pd.DataFrame(_levels_on_dask(client, network, bridge_options, consolidation_sets,
                                            levels, settings, progress),
                            columns=COMPARE_COLUMNS)
    rows = []
    for i, (kind, value) in enumerate(levels):
        sub = sub_progress(progress, i / len(levels), (i + 1) / len(levels))
        rows.append(compare_level(network, bridge_options, consolidation_sets, kind, value,
                                  settings=settings, progress=sub))
        report_progress(progress, (i + 1) / len(levels), f"compare {rows[-1]['label_en']}")
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def _levels_on_dask(client, network, bridge_options, consolidation_sets, levels, settings,
                    progress) -> list[dict]:
    """The rows of ``levels`` as Dask tasks, in the order of ``levels``."""
    from distributed import as_completed
    # one copy of the inputs per worker, sent once (not once per task)
    shared = client.scatter([network, bridge_options, consolidation_sets, settings],
                            broadcast=True)
    futures = {client.submit(compare_level, shared[0], shared[1], shared[2], kind, value,
                             settings=shared[3], pure=False,
                             key=f"gunmane-compare-{kind}-{value:g}-{i}"): i
               for i, (kind, value) in enumerate(levels)}
    rows: list = [None] * len(levels)
    for done, fut in enumerate(as_completed(list(futures)), start=1):
        i = futures[fut]
        rows[i] = fut.result()
        report_progress(progress, done / len(levels),
                        f"compare {rows[i]['label_en']} done ({done}/{len(levels)})")
    return rows
