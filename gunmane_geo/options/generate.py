"""Options per bridge: keep, 単純撤去, 撤去＋迂回路整備, ダウンサイジング."""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputError, report_progress
from ..network.graph import Network
from ..progress import Progress
from ..settings import Settings
from .costs import (COMPONENTS, ILLUSTRATIVE_NOTE, OPTION_LABELS_EN, OPTION_LABELS_JA, OPTIONS,
                    base_year, bridge_facts, option_costs, user_cost)
from .guards import check_guards
from .scenario import SetEvaluator
from ..wording import option_reason

#: criticality column names accepted for the facility count cut off (first found wins)
FACILITY_COLUMNS = ("isolated_facilities", "facilities_cut_off", "n_facilities_cut_off",
                    "isolated_facility_count", "facilities_isolated")

BRIDGE_OPTION_COLUMNS = [
    "bridge_id", "name", "option", "option_ja", "option_en", "rating", "deck_area_m2", "aadt",
    "detour_m", "detour_min", "walk_detour_m", "isolated_population", "isolated_facilities",
    "upgrade_length_m",
    "initial_cost_yen", *COMPONENTS, "lcc_yen", "keep_lcc_yen", "cost_avoided_yen",
    "user_cost_per_year_yen", "user_cost_yen", "net_present_benefit_yen",
    "emergency_route", "bus_route", "school_route", "guards_hit", "excluded_by", "guards_waived",
    "flags", "eligible", "rank", "recommended", "reason_ja", "reason_en", "assumptions", "note",
]


def flag_value(row, name) -> bool:
    value = row.get(name) if hasattr(row, "get") else None
    if value is None or value is pd.NA:
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "○", "有", "あり", "該当")
    try:
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def manager_of(row) -> str | None:
    """The manager class of an inventory row (``national`` / ``prefecture`` /
    ``municipality``), or None."""
    value = row.get("manager") if hasattr(row, "get") else None
    return value if isinstance(value, str) else None


def single_measures(criticality: pd.DataFrame | None, network=None) -> dict[str, dict]:
    """Detour and isolation of removing each bridge alone.

    Read from the criticality table (``detour_m``, ``detour_min``,
    ``isolated_population``, a facility count column); when it is None it is
    computed on ``network`` with ``gunmane_geo.criticality.bridge_criticality`` (the
    same engine as every set measure).  Unmatched bridges are absent from the result.
    """
    out: dict[str, dict] = {}
    if criticality is None:
        if network is None:
            return out
        from ..criticality import bridge_criticality
        criticality = bridge_criticality(SetEvaluator.of(network).network)
    if "bridge_id" not in criticality.columns:
        raise InputError("criticality table has no bridge_id column", source="criticality")
    fac_col = next((c for c in FACILITY_COLUMNS if c in criticality.columns), None)
    matched = (criticality["matched"].fillna(False).astype(bool).to_numpy()
               if "matched" in criticality.columns else np.ones(len(criticality), bool))
    ids = criticality["bridge_id"].astype(str).to_numpy()
    det = _floats(criticality, "detour_m", math.inf)
    dmin = _floats(criticality, "detour_min", math.nan)
    walk = _floats(criticality, "walk_detour_m", math.nan)
    if "isolates_on_foot" in criticality.columns:
        walk[criticality["isolates_on_foot"].fillna(False).astype(bool).to_numpy()] = math.inf
    ped = (criticality["pedestrian_only"].fillna(False).astype(bool).to_numpy()
           if "pedestrian_only" in criticality.columns else np.zeros(len(ids), bool))
    pop = _floats(criticality, "isolated_population", 0.0)
    fac = _floats(criticality, fac_col, 0.0) if fac_col else np.zeros(len(ids))
    for i in np.flatnonzero(matched):   # not on the network: the options say "no_network"
        d = det[i]
        m = dmin[i] if not math.isnan(dmin[i]) else (math.inf if not math.isfinite(d) else 0.0)
        if ped[i]:      # a footbridge: no vehicle uses it, so no vehicle detour
            d, m, pop[i], fac[i] = 0.0, 0.0, 0.0, 0.0
        out[ids[i]] = {"detour_m": d, "detour_min": m, "isolated_population": pop[i],
                       "isolated_facilities": int(fac[i]), "walk_detour_m": walk[i],
                       "pedestrian_only": bool(ped[i])}
    return out


def _floats(frame, col, default) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), default, float)
    v = pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
    return np.where(np.isnan(v), default, v)


def detour_upgrades(network, bridge_ids, settings=None) -> dict[str, dict]:
    """Sections of each bridge's detour to upgrade, and the detour time after upgrading.

    A section (edge) of today's shortest alternative route (by length, the bridge
    alone removed) is substandard, and upgraded, when its ``width_m`` (m) is below both
    ``[costs] detour_min_width_m`` and the bridge's own width (a road as wide as the
    bridge carries its traffic no worse), or, width unknown, its road class is in
    ``detour_upgrade_road_classes``.  The time saved is the fastest detour's time
    (minutes) before minus after timing the chosen sections at
    ``upgraded_speed_kmh`` (where faster).

    Parameters
    ----------
    network : Network
        With bridges attached.
    bridge_ids : iterable of str
        Bridges to look at; those not on the network are absent from the result.

    Returns
    -------
    dict
        ``bridge_id -> {"edges": [edge ids], "upgrade_length_m", "time_saved_min"}``;
        a bridge without an alternative route has no sections.
    """
    costs = (settings or Settings()).costs
    ev = SetEvaluator.of(network)
    ids = [str(b) for b in bridge_ids if str(b) in ev.bridge_edge]
    _, _, paths = ev.routes(ids)
    classes = {str(c) for c in costs.detour_upgrade_road_classes}
    w, cls = ev.width_m, ev.road_class
    inv = ev.network.bridges
    own = (dict(zip(inv["bridge_id"].astype(str), pd.to_numeric(inv["width_m"], errors="coerce")))
           if "width_m" in inv.columns else {})
    out = {}
    _, before, _ = ev.routes([b for b in ids if len(paths[b])], weight="time_min")
    for b in ids:
        p = paths[b]
        if len(p):
            wp = w[p]
            # substandard: narrower than the standard AND than the bridge itself (a road
            # as wide as the bridge carries its traffic no worse than the bridge did)
            limit = float(costs.detour_min_width_m)
            wb = own.get(b)
            if wb is not None and math.isfinite(wb) and wb > 0:
                limit = min(limit, float(wb))
            narrow = np.where(np.isnan(wp), [str(c) in classes for c in cls[p]], wp < limit)
            chosen = [int(e) for e in p[narrow]]
        else:
            chosen = []
        length = float(ev.length_m[chosen].sum()) if chosen else 0.0
        saved = 0.0
        if chosen:
            tw = ev.times(chosen, costs.upgraded_speed_kmh)
            _, after, _ = ev.routes([b], weight=tw)
            if math.isfinite(before[b]):
                saved = max(0.0, before[b] - after[b])
        out[b] = {"edges": chosen, "upgrade_length_m": length, "time_saved_min": saved}
    return out


def generate_options(network: Network | None, criticality: pd.DataFrame | None,
                     bridges: gpd.GeoDataFrame, *, settings: Settings | None = None,
                     progress: Progress | None = None) -> gpd.GeoDataFrame:
    """Every option for every bridge, costed, guarded and explained.

    Parameters
    ----------
    network : Network or None
        With bridges attached; needed for 撤去＋迂回路整備 (the detour's sections) and
        when ``criticality`` is None.  None: costs only, no network measures.
    criticality : DataFrame or None
        ``gunmane_geo.criticality.bridge_criticality`` output (single-bridge
        ``detour_m``, ``detour_min``, ``walk_detour_m``, ``isolated_population``,
        facilities cut off).  When None, the same measures are computed on ``network``.
    bridges : GeoDataFrame
        Canonical bridge inventory in the region's metric CRS.
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
    ev = SetEvaluator.of(network) if network is not None else None
    facts = bridge_facts(bridges, settings)
    measures = single_measures(criticality, ev.network if ev is not None else None)
    upgrades = detour_upgrades(ev.network, ids, settings) if ev is not None else {}
    H = int(costs.horizon_years)
    by = base_year(costs)
    rows = []
    n = len(bridges)
    records = bridges.drop(columns=bridges.geometry.name).to_dict("records")
    for i, (brow, geom) in enumerate(zip(records, bridges.geometry)):
        bid = str(brow["bridge_id"])
        report_progress(progress, i / n, f"options {bid}")
        f = facts[bid]
        keep = option_costs(f, "keep", settings)
        m = measures.get(bid)
        flags = {k: flag_value(brow, k) for k in ("emergency_route", "bus_route", "school_route")}
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
                    walk_m = m["walk_detour_m"] if option != "downsize" else math.nan
                    guard = check_guards(bid, isolated_population=iso_pop, isolated_facilities=iso_fac,
                                         detour_m=detour_m, walk_detour_m=walk_m,
                                         manager=manager_of(brow), settings=settings, **flags)
                    if option == "downsize" and (m["pedestrian_only"]
                                                 or flag_value(brow, "footbridge")):
                        extra_excl.append("already_pedestrian")
                if option == "remove_upgrade_detour":
                    if bid not in upgrades:
                        if "no_network" not in extra_excl:
                            extra_excl.append("no_network")
                    else:
                        upgrade = upgrades[bid]
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
                "walk_detour_m": (0.0 if option in ("keep", "downsize") or m is None
                                  else m["walk_detour_m"]),
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
                "note": ILLUSTRATIVE_NOTE, "geometry": geom,
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
    # per bridge: the eligible removal-type option with the highest positive net benefit
    # (first in OPTIONS order on ties), else keep
    npb = out["net_present_benefit_yen"].astype("Float64").fillna(0).to_numpy(float)
    good = (out["option"] != "keep").to_numpy() & out["eligible"].to_numpy(bool) & (npb > 0)
    score = np.where(good, npb, -np.inf)
    pos = np.arange(len(out))
    order = np.lexsort((pos, -score, out["bridge_id"].to_numpy()))
    first = np.ones(len(order), bool)
    bids = out["bridge_id"].to_numpy()[order]
    first[1:] = bids[1:] != bids[:-1]
    best = order[first]
    rec = np.zeros(len(out), bool)
    keep_pos = dict(zip(out.loc[out["option"] == "keep", "bridge_id"],
                        np.flatnonzero((out["option"] == "keep").to_numpy())))
    for b in best:
        rec[b if good[b] else keep_pos[out["bridge_id"].iat[b]]] = True
    out["recommended"] = rec
    return out[[*BRIDGE_OPTION_COLUMNS, "geometry"]]
