"""Options per bridge: keep, 単純撤去, 撤去＋迂回路整備, ダウンサイジング."""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputError, report_progress
from ..settings import Settings
from .costs import (COMPONENTS, ILLUSTRATIVE_NOTE, OPTION_LABELS_EN, OPTION_LABELS_JA, OPTIONS,
                    base_year, bridge_facts, option_costs, user_cost)
from .guards import check_guards
from .scenario import RoadGraph
from .text import option_reason

#: criticality column names accepted for the facility count cut off (first found wins)
FACILITY_COLUMNS = ("isolated_facilities", "facilities_cut_off", "n_facilities_cut_off",
                    "isolated_facility_count", "facilities_isolated")

BRIDGE_OPTION_COLUMNS = [
    "bridge_id", "name", "option", "option_ja", "option_en", "rating", "deck_area_m2", "aadt",
    "detour_m", "detour_min", "isolated_population", "isolated_facilities", "upgrade_length_m",
    "initial_cost_yen", *COMPONENTS, "lcc_yen", "keep_lcc_yen", "cost_avoided_yen",
    "user_cost_per_year_yen", "user_cost_yen", "net_present_benefit_yen",
    "emergency_route", "bus_route", "school_route", "guards_hit", "excluded_by", "guards_waived",
    "flags", "eligible", "rank", "recommended", "reason_ja", "reason_en", "assumptions", "note",
]


def _flag(row, name) -> bool:
    value = row.get(name) if hasattr(row, "get") else None
    if value is None or value is pd.NA:
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "○", "有", "あり", "該当")
    try:
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def single_measures(criticality: pd.DataFrame | None, graph: RoadGraph | None,
                    bridge_ids) -> dict[str, dict]:
    """Detour and isolation of removing each bridge alone.

    Read from the criticality table where given (``detour_m``, ``detour_min``,
    ``isolated_population``, a facility count column), else computed on the graph.
    Bridges in neither are absent from the result.
    """
    out: dict[str, dict] = {}
    if criticality is not None:
        if "bridge_id" not in criticality.columns:
            raise InputError("criticality table has no bridge_id column", source="criticality")
        fac_col = next((c for c in FACILITY_COLUMNS if c in criticality.columns), None)
        for _, row in criticality.iterrows():
            if "matched" in criticality.columns and not bool(row.get("matched")):
                continue    # not on the network: the options say "no_network"
            detour = _float(row.get("detour_m"), math.inf)
            out[str(row["bridge_id"])] = {
                "detour_m": detour,
                "detour_min": _float(row.get("detour_min"), math.inf if not math.isfinite(detour) else 0.0),
                "isolated_population": _float(row.get("isolated_population"), 0.0),
                "isolated_facilities": int(_float(row.get(fac_col), 0.0)) if fac_col else 0,
            }
    elif graph is not None:
        for bid in bridge_ids:
            if bid in graph.bridge_edges:
                eff = graph.evaluate([bid])
                out[bid] = {"detour_m": eff.detour_m[bid], "detour_min": eff.detour_min[bid],
                            "isolated_population": eff.isolated_population,
                            "isolated_facilities": eff.isolated_facilities}
    return out


def _float(value, default):
    if value is None or value is pd.NA:
        return default
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(value) else value


def detour_upgrade(graph: RoadGraph, bridge_id: str, settings=None) -> dict:
    """Sections of a bridge's detour to upgrade, and the detour time after upgrading.

    A section (edge) of today's alternative route is upgraded when its width is
    below ``[costs] detour_min_width_m``, or, width unknown, its road class is in
    ``detour_upgrade_road_classes``.  The removed bridge's own edges are never on
    its detour.

    Returns
    -------
    dict
        ``edges`` (edge positions), ``upgrade_length_m``, ``time_saved_min``
        (detour time before minus after, at ``upgraded_speed_kmh``).
    """
    costs = (settings or Settings()).costs
    eff = graph.evaluate([bridge_id], isolation=False)
    path = eff.path_edges.get(bridge_id, [])
    classes = {str(c) for c in costs.detour_upgrade_road_classes}
    chosen = []
    for e in path:
        w = graph.width_m[e]
        if (not np.isnan(w) and w < costs.detour_min_width_m) or \
                (np.isnan(w) and str(graph.road_class[e]) in classes):
            chosen.append(int(e))
    length = float(graph.length_m[chosen].sum()) if chosen else 0.0
    saved = 0.0
    if chosen:
        after = graph.evaluate([bridge_id], upgraded_edges=chosen,
                               upgraded_speed_kmh=costs.upgraded_speed_kmh, isolation=False)
        saved = max(0.0, eff.detour_min[bridge_id] - after.detour_min[bridge_id])
    return {"edges": chosen, "upgrade_length_m": length, "time_saved_min": saved}


def generate_options(bridges: gpd.GeoDataFrame, criticality: pd.DataFrame | None = None,
                     network=None, settings: Settings | None = None,
                     progress=None) -> gpd.GeoDataFrame:
    """Every option for every bridge, costed, guarded and explained.

    Parameters
    ----------
    bridges : GeoDataFrame
        Canonical bridge inventory in the region's metric CRS.
    criticality : DataFrame, optional
        ``gunmane_geo.criticality.bridge_criticality`` output (single-bridge
        ``detour_m``, ``detour_min``, ``isolated_population``, facilities cut off).
        When None, the same measures are computed on ``network``.
    network : Network or RoadGraph, optional
        Needed for 撤去＋迂回路整備 (the detour's sections) and when ``criticality`` is None.
    settings : Settings, optional
    progress : callable, optional
        ``progress(fraction, message) -> bool``; True cancels.

    Returns
    -------
    GeoDataFrame
        ``bridge_options``: one row per bridge and option (``OPTIONS``), columns
        ``BRIDGE_OPTION_COLUMNS`` plus the bridge geometry.  Money in integer yen
        (present value over ``horizon_years``), distances in m, times in min.
        A removal-type option is ``eligible`` when no guard excludes it, the
        bridge is on the network and it saves agency cost.  ``rank`` orders eligible
        removal-type options by ``net_present_benefit_yen`` = ``cost_avoided_yen``
        - ``user_cost_yen``; ``recommended`` marks the best option per bridge
        (keep unless an eligible option has a positive net benefit).
    """
    settings = settings or Settings()
    costs = settings.costs
    if bridges is None or len(bridges) == 0:
        raise InputError("no bridges to evaluate: the bridge layer is empty", source="bridges")
    ids = bridges["bridge_id"].astype(str)
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise InputError(f"bridge_id values are not unique: {', '.join(dup[:5])}; "
                         f"give every bridge its own id", source="bridges", field="bridge_id")
    graph = RoadGraph.from_network(network) if network is not None else None
    facts = bridge_facts(bridges, settings)
    measures = single_measures(criticality, graph, list(ids))
    H = int(costs.horizon_years)
    by = base_year(costs)
    rows = []
    n = len(bridges)
    for i, (_, brow) in enumerate(bridges.iterrows()):
        bid = str(brow["bridge_id"])
        report_progress(progress, i / n, f"options {bid}")
        f = facts[bid]
        keep = option_costs(f, "keep", settings)
        m = measures.get(bid)
        flags = {k: _flag(brow, k) for k in ("emergency_route", "bus_route", "school_route")}
        upgrade = None
        for option in OPTIONS:
            upgrade_len = 0.0
            detour_m = detour_min = math.nan
            iso_pop, iso_fac = 0.0, 0
            guard = {"hit": [], "excluded_by": [], "waived": [], "flags": []}
            extra_excl = []
            if option != "keep":
                if m is None:
                    extra_excl.append("no_network")
                else:
                    detour_m, detour_min = m["detour_m"], m["detour_min"]
                    iso_pop, iso_fac = m["isolated_population"], m["isolated_facilities"]
                    guard = check_guards(bid, isolated_population=iso_pop, isolated_facilities=iso_fac,
                                         detour_m=detour_m, settings=settings, **flags)
                if option == "remove_upgrade_detour":
                    if graph is None or bid not in graph.bridge_edges:
                        if "no_network" not in extra_excl:
                            extra_excl.append("no_network")
                    else:
                        upgrade = detour_upgrade(graph, bid, settings)
                        upgrade_len = upgrade["upgrade_length_m"]
                        if upgrade_len <= 0:
                            extra_excl.append("no_upgrade")
                        elif math.isfinite(detour_min):
                            detour_min = max(0.0, detour_min - upgrade["time_saved_min"])
            c = keep if option == "keep" else option_costs(f, option, settings,
                                                           upgrade_length_m=upgrade_len)
            avoided = keep["lcc_yen"] - c["lcc_yen"]
            if option == "keep":
                per_year, pv = 0, 0
            elif m is None:
                per_year = pv = None
            else:
                per_year, pv = user_cost(f.aadt, detour_m, detour_min, settings)
                if pv < 0:
                    per_year = pv = None
            npb = None if pv is None else avoided - pv
            if option != "keep" and avoided <= 0 and not extra_excl:
                extra_excl.append("no_saving")
            excluded_by = guard["excluded_by"] + extra_excl
            ja, en = option_reason(
                option=option, detour_m=detour_m, isolated_population=iso_pop,
                isolated_facilities=iso_fac, cost_avoided_yen=avoided, user_cost_yen=pv,
                horizon_years=H, excluded_by=excluded_by, flags=guard["flags"],
                waived=guard["waived"], keep_lcc_yen=keep["lcc_yen"],
                renewal_year=(by + keep["renewal_year"]) if keep["renewal_year"] >= 0 else None)
            rows.append({
                "bridge_id": bid, "name": brow.get("name"), "option": option,
                "option_ja": OPTION_LABELS_JA[option], "option_en": OPTION_LABELS_EN[option],
                "rating": f.rating, "deck_area_m2": f.deck_area_m2, "aadt": f.aadt,
                "detour_m": detour_m, "detour_min": detour_min,
                "isolated_population": iso_pop, "isolated_facilities": iso_fac,
                "upgrade_length_m": upgrade_len, "initial_cost_yen": c["initial_cost_yen"],
                **{k: c[k] for k in COMPONENTS}, "lcc_yen": c["lcc_yen"],
                "keep_lcc_yen": keep["lcc_yen"], "cost_avoided_yen": avoided,
                "user_cost_per_year_yen": per_year, "user_cost_yen": pv,
                "net_present_benefit_yen": npb, **flags,
                "guards_hit": ";".join(guard["hit"]), "excluded_by": ";".join(excluded_by),
                "guards_waived": ";".join(guard["waived"]), "flags": ";".join(guard["flags"]),
                "eligible": option == "keep" or not excluded_by,
                "reason_ja": ja, "reason_en": en, "assumptions": f.assumptions,
                "note": ILLUSTRATIVE_NOTE, "geometry": brow.geometry,
            })
    report_progress(progress, 1.0, "options done")
    out = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=bridges.crs)
    for col in ("user_cost_per_year_yen", "user_cost_yen", "net_present_benefit_yen"):
        out[col] = out[col].astype("Int64")
    for col in ("initial_cost_yen", *COMPONENTS, "lcc_yen", "keep_lcc_yen", "cost_avoided_yen"):
        out[col] = out[col].astype("int64")
    cand = out[(out["option"] != "keep") & out["eligible"] & out["net_present_benefit_yen"].notna()]
    order = cand.sort_values(["net_present_benefit_yen", "bridge_id"], ascending=[False, True]).index
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out.loc[order, "rank"] = np.arange(1, len(order) + 1)
    out["recommended"] = False
    for bid, grp in out.groupby("bridge_id", sort=False):
        good = grp[(grp["option"] != "keep") & grp["eligible"]
                   & (grp["net_present_benefit_yen"].fillna(0) > 0)]
        best = good["net_present_benefit_yen"].astype("int64").idxmax() if len(good) else \
            grp.index[grp["option"] == "keep"][0]
        out.loc[best, "recommended"] = True
    return out[[*BRIDGE_OPTION_COLUMNS, "geometry"]]
