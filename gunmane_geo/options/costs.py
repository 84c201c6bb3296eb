"""The life-cycle cost model: present values of each option's agency and user costs.

All money is in yen.  Years are counted ``t = 0`` (the base year, "now") up to
``horizon_years - 1``; a cost that falls in year ``t`` is discounted by
``(1 + discount_rate) ** -t``.  The residual value of the structure standing at
the end of the horizon is credited at ``t = horizon_years``.  Every component is
rounded to the nearest yen (half to even) on its own, and totals are sums of the
rounded components, so a table always adds up.  The defaults are ILLUSTRATIVE
(see ``docs/options.md``).
"""
from __future__ import annotations

import functools

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import deck_area_m2
from ..settings import CostSettings, Settings, calendar_year

ILLUSTRATIVE_NOTE = (
    "費用の既定値は例示（ILLUSTRATIVE）であり公式の単価ではありません。判断に使う前に自団体の単価に置き換えてください。"
    " / Default cost values are ILLUSTRATIVE, not official unit costs: replace them with your own "
    "before using results for decisions.")

#: option codes, in the order they appear in outputs
OPTIONS = ("keep", "remove", "remove_upgrade_detour", "downsize")
OPTION_LABELS_JA = {
    "keep": "維持（修繕・更新）",
    "remove": "単純撤去",
    "remove_upgrade_detour": "撤去＋迂回路整備",
    "downsize": "ダウンサイジング",
    "consolidate": "複数橋梁の集約",
}
OPTION_LABELS_EN = {
    "keep": "keep (repair and renew)",
    "remove": "simple removal",
    "remove_upgrade_detour": "removal + detour upgrade",
    "downsize": "downsize to pedestrian/bicycle bridge",
    "consolidate": "consolidation of several bridges",
}

COMPONENTS = ("repair_yen", "renewal_yen", "removal_yen", "new_deck_yen", "detour_upgrade_yen",
              "inspection_yen", "upkeep_yen", "residual_value_yen")


def base_year(settings: Settings | CostSettings | None = None) -> int:
    """The year counted as ``t = 0``: ``Settings.reference_year("costs")`` (``costs.base_year``,
    else the run's reference year); given the ``[costs]`` section alone, its ``base_year``
    else the current calendar year."""
    if isinstance(settings, Settings):
        return settings.reference_year("costs")
    costs = _costs(settings)
    return int(costs.base_year) if costs.base_year is not None else calendar_year()


def _costs(settings) -> CostSettings:
    if settings is None:
        return Settings().costs
    if isinstance(settings, CostSettings):
        return settings
    return settings.costs


def discount_factor(t: float, rate: float) -> float:
    """Present-value factor ``(1 + rate) ** -t`` for a cost in year ``t``."""
    return (1.0 + rate) ** (-t)


@functools.lru_cache(maxsize=64)
def annuity_factor(horizon_years: int, rate: float) -> float:
    """Sum of discount factors of a yearly cost paid in years ``0 .. horizon_years - 1``."""
    return float(sum(discount_factor(t, rate) for t in range(int(horizon_years))))


@dataclass
class BridgeFacts:
    """The inventory facts the cost model reads, after filling gaps (see ``assumptions``)."""
    bridge_id: str
    deck_area_m2: float
    length_m: float
    width_m: float
    built_year: int
    rating: int
    last_inspection_year: int | None
    aadt: float
    assumptions: str


def bridge_facts(bridges: pd.DataFrame, settings=None) -> dict[str, BridgeFacts]:
    """Read cost-relevant fields per bridge, filling gaps with documented assumptions.

    Parameters
    ----------
    bridges : DataFrame
        Canonical bridge inventory (``gunmane_geo.schema.BRIDGE_FIELDS``); needs
        ``bridge_id`` and either ``deck_area_m2`` or ``length_m`` and ``width_m``.
    settings : Settings or CostSettings, optional

    Returns
    -------
    dict
        bridge_id -> ``BridgeFacts``.  A missing rating, built year or AADT is
        replaced by ``assumed_*`` settings and named in ``assumptions``.

    Raises
    ------
    InputError
        When a bridge has no usable deck area (names the row and the fix).
    """
    costs = _costs(settings)
    if "bridge_id" not in bridges.columns:
        raise InputError("bridge layer has no 'bridge_id' column; map your ID column "
                         "(橋梁ID / 施設ID) to bridge_id", source="bridges")
    by = base_year(costs)
    facts: dict[str, BridgeFacts] = {}
    cols = [c for c in bridges.columns if c != getattr(bridges, "_geometry_column_name", None)]
    areas = deck_area_m2(bridges)
    for pos, row in enumerate(pd.DataFrame(bridges[cols]).to_dict("records"), start=1):
        bid = str(row["bridge_id"])
        notes = []
        length = _num(row.get("length_m"))
        width = _num(row.get("width_m"))
        area = _num(areas[pos - 1])
        if area is None or area <= 0:
            raise InputError(
                f"bridge {bid} has no deck area: give deck_area_m2 (橋面積) or length_m (橋長) "
                f"and width_m (幅員)", source="bridges", row=pos, field="deck_area_m2")
        if length is None or length <= 0:
            length = math.sqrt(area) if width is None or width <= 0 else area / width
            notes.append(f"length_m derived from deck area: {length:.1f} m")
        if width is None or width <= 0:
            width = area / length
        rating = _num(row.get("rating"))
        if rating is None or int(rating) not in (1, 2, 3, 4):
            rating = costs.assumed_rating_when_missing
            notes.append(f"rating missing, assumed {int(rating)}")
        built = _num(row.get("built_year"))
        if built is None:
            built = costs.assumed_built_year_when_missing
            notes.append(f"built_year missing, assumed {int(built)}")
        if built > by:
            built = by
            notes.append(f"built_year after base year {by}, taken as {by}")
        insp = _num(row.get("last_inspection_year"))
        aadt = _num(row.get("aadt"))
        if aadt is None or aadt < 0:
            aadt = costs.assumed_aadt_when_missing
            notes.append(f"aadt missing, assumed {aadt:g} vehicles/day")
        facts[bid] = BridgeFacts(bid, float(area), float(length), float(width), int(built),
                                 int(rating), None if insp is None else int(insp), float(aadt),
                                 "; ".join(notes))
    return facts


def _num(value):
    if value is None or value is pd.NA:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _repair_cost_per_m2(costs: CostSettings, rating: int) -> float:
    table = {str(k): float(v) for k, v in costs.repair_cost_per_m2_by_rating.items()}
    key = str(int(rating))
    if key not in table:
        raise InputError(f"[costs] repair_cost_per_m2_by_rating has no value for rating {key}; "
                         f"give all of \"1\", \"2\", \"3\", \"4\"", source="settings")
    return table[key]


def _inspection_years(costs: CostSettings, by: int, last_inspection_year: int | None) -> list[int]:
    interval = int(costs.inspection_interval_years)
    first = 0 if last_inspection_year is None else max(0, last_inspection_year + interval - by)
    return list(range(first, int(costs.horizon_years), max(1, interval)))


def _structure_costs(costs: CostSettings, area_m2: float, rebuild_cost_per_m2: float,
                     first_renewal_year: int) -> tuple[float, float]:
    """PV of renewals within the horizon, and the residual value credit (<= 0).

    The structure is renewed at ``first_renewal_year`` (year index from the base
    year) and then every design life.
    """
    H, r, L = int(costs.horizon_years), float(costs.discount_rate), int(costs.design_life_years)
    renewal = 0.0
    t = first_renewal_year
    while t < H:
        renewal += rebuild_cost_per_m2 * area_m2 * discount_factor(t, r)
        t += L
    residual = 0.0
    if costs.count_residual_value:
        # t is now the first renewal due at or after H: the standing structure's
        # remaining life at H is t - H years out of L
        remaining = max(0, t - H)
        residual = -rebuild_cost_per_m2 * area_m2 * min(1.0, remaining / L) * discount_factor(H, r)
    return renewal, residual


def option_costs(facts: BridgeFacts, option: str, settings=None, *,
                 upgrade_length_m: float = 0.0) -> dict[str, int]:
    """Present-value agency cost components of one option for one bridge.

    Parameters
    ----------
    facts : BridgeFacts
        From ``bridge_facts``.
    option : str
        One of ``OPTIONS``.
    settings : Settings or CostSettings, optional
    upgrade_length_m : float
        Length (m) of detour sections upgraded (``remove_upgrade_detour`` only).

    Returns
    -------
    dict
        Components in integer yen (``COMPONENTS``), ``lcc_yen`` (their sum),
        ``initial_cost_yen`` (works in year 0) and ``renewal_year`` (year index of the
        first renewal, or -1 when there is none within the horizon).
    """
    costs = _costs(settings)
    by = base_year(costs)
    H, r = int(costs.horizon_years), float(costs.discount_rate)
    if H <= 0:
        raise InputError("[costs] horizon_years must be at least 1", source="settings")
    if costs.design_life_years <= 0:
        raise InputError("[costs] design_life_years must be at least 1", source="settings")
    c = dict.fromkeys(COMPONENTS, 0.0)
    renewal_year = -1
    area = facts.deck_area_m2
    yearly = annuity_factor(H, r)
    inspections = sum(discount_factor(t, r) for t in _inspection_years(costs, by, facts.last_inspection_year))
    if option == "keep":
        c["repair_yen"] = _repair_cost_per_m2(costs, facts.rating) * area
        built_t = facts.built_year - by
        first = max(built_t + int(costs.design_life_years), int(costs.min_remaining_life_years))
        c["renewal_yen"], c["residual_value_yen"] = _structure_costs(
            costs, area, costs.renewal_cost_per_m2, first)
        renewal_year = first if first < H else -1
        c["inspection_yen"] = costs.inspection_cost_per_bridge * inspections
        c["upkeep_yen"] = (costs.upkeep_cost_per_bridge_per_year
                           + costs.upkeep_cost_per_m2_per_year * area) * yearly
        initial = c["repair_yen"]
    elif option in ("remove", "remove_upgrade_detour"):
        c["removal_yen"] = costs.removal_cost_per_m2 * area
        if option == "remove_upgrade_detour":
            c["detour_upgrade_yen"] = costs.detour_upgrade_cost_per_m * float(upgrade_length_m)
        initial = c["removal_yen"] + c["detour_upgrade_yen"]
    elif option == "downsize":
        new_area = pedestrian_deck_area_m2(facts, costs)
        c["removal_yen"] = costs.removal_cost_per_m2 * area
        c["new_deck_yen"] = costs.downsizing_cost_per_m2 * new_area
        c["renewal_yen"], c["residual_value_yen"] = _structure_costs(
            costs, new_area, costs.downsizing_cost_per_m2, int(costs.design_life_years))
        renewal_year = int(costs.design_life_years) if costs.design_life_years < H else -1
        c["inspection_yen"] = costs.inspection_cost_per_bridge * inspections
        c["upkeep_yen"] = (costs.upkeep_cost_per_bridge_per_year
                           + costs.upkeep_cost_per_m2_per_year * new_area) * yearly
        initial = c["removal_yen"] + c["new_deck_yen"]
    else:
        raise ValueError(f"unknown option {option!r}; one of {', '.join(OPTIONS)}")
    out = {k: int(round(v)) for k, v in c.items()}
    out["lcc_yen"] = int(sum(out[k] for k in COMPONENTS))
    out["initial_cost_yen"] = int(round(initial))
    out["renewal_year"] = int(renewal_year)
    return out


def pedestrian_deck_area_m2(facts: BridgeFacts, settings=None) -> float:
    """Deck area (m2) of the pedestrian/bicycle bridge that replaces a downsized bridge."""
    costs = _costs(settings)
    return facts.length_m * min(float(costs.pedestrian_width_m), facts.width_m)


def user_cost(aadt: float, detour_m: float, detour_min: float, settings=None) -> tuple[int, int]:
    """Extra road-user cost of a detour, per year and as present value (integer yen).

    ``aadt`` vehicles/day each drive ``detour_m`` metres and ``detour_min`` minutes
    more; valued at ``value_per_vehicle_km_yen`` and ``value_per_vehicle_hour_yen``
    over ``days_per_year`` days, paid in years ``0 .. horizon_years - 1``.
    Returns ``(per_year_yen, present_value_yen)``; an infinite detour (no
    alternative route) gives ``-1, -1``: it has no finite price.
    """
    costs = _costs(settings)
    if not (np.isfinite(detour_m) and np.isfinite(detour_min)):
        return -1, -1
    per_day = aadt * (max(detour_m, 0.0) / 1000.0 * costs.value_per_vehicle_km_yen
                      + max(detour_min, 0.0) / 60.0 * costs.value_per_vehicle_hour_yen)
    per_year = per_day * costs.days_per_year
    pv = per_year * annuity_factor(int(costs.horizon_years), float(costs.discount_rate))
    return int(round(per_year)), int(round(pv))


def life_cycle_costs(bridges: pd.DataFrame, settings=None) -> pd.DataFrame:
    """Baseline (keep) life-cycle cost of every bridge, by component.

    Parameters
    ----------
    bridges : DataFrame or GeoDataFrame
        Canonical bridge inventory.
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per bridge: ``bridge_id``, the ``COMPONENTS`` (yen, present value),
        ``lcc_yen``, ``initial_cost_yen``, ``renewal_year`` (calendar year or <NA>),
        ``assumptions``.
    """
    costs = _costs(settings)
    by = base_year(costs)
    rows = []
    for bid, f in bridge_facts(bridges, settings).items():
        c = option_costs(f, "keep", settings)
        rows.append({"bridge_id": bid, **{k: c[k] for k in COMPONENTS}, "lcc_yen": c["lcc_yen"],
                     "initial_cost_yen": c["initial_cost_yen"],
                     "renewal_year": (by + c["renewal_year"]) if c["renewal_year"] >= 0 else pd.NA,
                     "assumptions": f.assumptions})
    df = pd.DataFrame(rows, columns=["bridge_id", *COMPONENTS, "lcc_yen", "initial_cost_yen",
                                     "renewal_year", "assumptions"])
    df["renewal_year"] = df["renewal_year"].astype("Int64")
    for k in (*COMPONENTS, "lcc_yen", "initial_cost_yen"):
        df[k] = df[k].astype("int64")
    return df
