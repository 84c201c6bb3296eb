"""複数橋梁の集約: sets of bridges whose detours run through each other.

Two bridges are linked when one carries the other's detour (it lies on the
shortest alternative route of the other, found on the network) AND they are at
most ``[guards] consolidation_max_gap_m`` apart.  Candidate sets are the connected
sets of linked bridges of 2 .. ``consolidation_max_set_size`` members.  For each
set and each member kept, the others are removed TOGETHER and the effect is
measured as a set scenario on the network engine (``SetEvaluator``: the
criticality module's alternative routes and cut-off sides), never as a sum.  All
set rows are searched in one batch of compiled queries.
"""
from __future__ import annotations

import math
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString, MultiPoint

from ..errors import report_progress
from ..network.graph import Network
from ..progress import Progress
from ..settings import Settings
from .costs import ILLUSTRATIVE_NOTE, bridge_facts, option_costs, user_cost
from .generate import flag_value
from .guards import check_guards
from .scenario import SetEvaluator
from ..wording import (GUARD_TEXT_EN, GUARD_TEXT_JA, detour_en, detour_ja, isolation_en,
                       isolation_ja, option_yen_ja, yen_en)

CONSOLIDATION_COLUMNS = [
    "set_id", "bridge_ids", "n_bridges", "kept_bridge_id", "removed_bridge_ids", "max_gap_m",
    "detours_m", "max_detour_m", "added_vehicle_km_per_day", "isolated_population",
    "isolated_facilities", "keep_all_lcc_yen", "option_lcc_yen", "cost_avoided_yen",
    "user_cost_per_year_yen", "user_cost_yen", "net_present_benefit_yen", "excluded_by",
    "guards_waived", "flags", "eligible", "best_in_set", "reason_ja", "reason_en", "note",
]

MAX_SETS_PER_COMPONENT = 500


def detour_links(network, bridges: gpd.GeoDataFrame, settings=None,
                 bridge_ids=None) -> set[tuple[str, str]]:
    """Pairs of bridges (sorted ids) where one carries the other's detour and the gap is small.

    The detour is the shortest route (by length) between the bridge's two ends with
    it removed; the gap is the straight distance (m) between the two bridge geometries.
    """
    g = (settings or Settings()).guards
    ev = SetEvaluator.of(network)
    geom = dict(zip(bridges["bridge_id"].astype(str), bridges.geometry))
    ids = [b for b in (bridge_ids if bridge_ids is not None else ev.bridge_edge)
           if b in ev.bridge_edge and b in geom]
    idset = set(ids)
    _, _, paths = ev.routes(ids)
    links = set()
    gap = float(g.consolidation_max_gap_m)
    for b in ids:
        for other in ev.bridges_on_path(paths[b]):
            if other == b or other not in idset:
                continue
            if geom[b].distance(geom[other]) <= gap:
                links.add(tuple(sorted((b, other))))
    return links


def set_effects(network, rows, progress=None, progress_span=(0.0, 1.0)) -> list[dict]:
    """Measure many removal sets in one batch.

    Parameters
    ----------
    rows : list of lists of bridge_id
        Each entry is one set removed together.
    progress : callable, optional
        ``progress(fraction, message)``, scaled into ``progress_span``; True cancels.

    Returns
    -------
    list of dict
        Per set: ``detour_m`` and ``detour_min`` (dicts per removed bridge, ``inf``
        when it has no route left), ``isolated_nodes``, ``isolated_population``,
        ``isolated_facilities``.
    """
    ev = SetEvaluator.of(network)
    q_bridge, q_extra, q_row = [], [], []
    for i, removed in enumerate(rows):
        for b in removed:
            if b in ev.bridge_edge:
                q_bridge.append(b)
                q_extra.append(ev.edges_of([r for r in removed if r != b]))
                q_row.append(i)
    eids = np.asarray([ev.bridge_edge[b] for b in q_bridge], np.int64)
    from ..criticality import alternative_routes, road_links, share_a_link
    out = [{"detour_m": {}, "detour_min": {}, "isolated_nodes": 0, "isolated_population": 0.0,
            "isolated_facilities": 0} for _ in rows]
    if len(eids):
        lo, hi = progress_span
        links = road_links(ev.network, eids)
        for k, (w, key) in enumerate((("length_m", "detour_m"), ("time_min", "detour_min"))):
            span = (lo + (hi - lo) * k / 2, lo + (hi - lo) * (k + 1) / 2)
            cost = alternative_routes(ev.network, eids, w, also_removed=q_extra,
                                      progress=progress, progress_span=span, links=links)
            own = links.cost(ev.network.weight(w))
            det = np.where(np.isfinite(cost), np.maximum(0.0, cost - own), np.inf)
            for b, i, d in zip(q_bridge, q_row, det.tolist()):
                out[i][key][b] = d
    for i, removed in enumerate(rows):
        if any(not math.isfinite(d) for d in out[i]["detour_m"].values()) or \
                share_a_link(ev.network, ev.edges_of(removed)):
            n, pop, fac = ev.isolation(ev.edges_of(removed))
            out[i].update(isolated_nodes=n, isolated_population=pop, isolated_facilities=fac)
        for b in removed:
            if b not in ev.bridge_edge:       # not on the network: no route to measure
                out[i]["detour_m"][b] = out[i]["detour_min"][b] = math.inf
    return out


def connected_subsets(links, max_size: int) -> list[frozenset]:
    """All connected sets of 2..max_size bridges in the link graph (capped per component)."""
    adj: dict[str, set] = {}
    for a, b in links:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    found = {frozenset(p) for p in links}
    frontier = set(found)
    size = 2
    while size < max_size and frontier and len(found) < MAX_SETS_PER_COMPONENT * max(1, len(adj)):
        nxt = set()
        for s in frontier:
            for m in s:
                for n in adj[m] - s:
                    t = s | {n}
                    if t not in found:
                        nxt.add(t)
        found |= nxt
        frontier = nxt
        size += 1
    return sorted(found, key=lambda s: (len(s), sorted(s)))


def _set_geometry(geoms):
    if all(isinstance(g, (LineString, MultiLineString)) for g in geoms):
        parts = []
        for g in geoms:
            parts.extend(g.geoms if isinstance(g, MultiLineString) else [g])
        return MultiLineString(parts)
    return MultiPoint([g.representative_point() for g in geoms])


def find_consolidation_sets(network: Network, criticality: pd.DataFrame | None,
                            bridges: gpd.GeoDataFrame, *, settings: Settings | None = None,
                            progress: Progress | None = None) -> gpd.GeoDataFrame:
    """Candidate 複数橋梁の集約 sets, one row per set and kept bridge.

    Parameters
    ----------
    network : Network
        The routable network with bridges attached (metric CRS).
    criticality : DataFrame, optional
        When given, only bridges it lists are considered.
    bridges : GeoDataFrame
        Canonical bridge inventory (costs, flags, geometry).
    settings : Settings, optional
    progress : callable, optional

    Returns
    -------
    GeoDataFrame
        ``consolidation_sets`` with ``CONSOLIDATION_COLUMNS``: the members, the kept
        bridge, the removed ones, each removed bridge's detour with the whole set
        removed (``detours_m``, "id:metres;..."), isolation of the set, costs (integer
        yen, present value), guards and reasons.  Geometry: the member bridges.
    """
    settings = settings or Settings()
    g = settings.guards
    ev = SetEvaluator.of(network)
    bridges = bridges.copy()
    bridges["bridge_id"] = bridges["bridge_id"].astype(str)
    consider = None
    if criticality is not None:
        consider = [str(b) for b in criticality["bridge_id"]]
    report_progress(progress, 0.0, "consolidation: detour links")
    links = detour_links(ev.network, bridges, settings, consider)
    sets = connected_subsets(links, int(g.consolidation_max_set_size))
    facts = bridge_facts(bridges, settings)
    geom_of = dict(zip(bridges["bridge_id"], bridges.geometry))
    flags_of = {str(row["bridge_id"]): {k: flag_value(row, k) for k in
                                        ("emergency_route", "bus_route", "school_route")}
                for row in pd.DataFrame(bridges.drop(columns=bridges.geometry.name)).to_dict("records")}
    manager_by_id = ({str(b): m for b, m in zip(bridges["bridge_id"], bridges["manager"])
                      if isinstance(m, str)} if "manager" in bridges.columns else {})
    keep_lcc = {b: option_costs(facts[b], "keep", settings)["lcc_yen"] for b in set().union(*sets)} if sets else {}
    rm_lcc = {b: option_costs(facts[b], "remove", settings)["lcc_yen"] for b in keep_lcc}
    H = int(settings.costs.horizon_years)
    plan_rows = [(members_sorted, kept) for members_sorted in (sorted(m) for m in sets)
                 for kept in members_sorted]
    report_progress(progress, 0.2, f"consolidation: {len(plan_rows)} set scenarios")
    effects = iter(set_effects(ev.network, [[b for b in ms if b != k] for ms, k in plan_rows],
                               progress=progress, progress_span=(0.2, 0.6)))
    rows = []
    for si, members in enumerate(sets, start=1):
        report_progress(progress, 0.6 + 0.4 * si / max(1, len(sets)),
                        f"consolidation set {si}/{len(sets)}")
        members_sorted = sorted(members)
        set_id = f"S{si:04d}"
        geoms = [geom_of[b] for b in members_sorted]
        gap = max(geoms[i].distance(geoms[j]) for i in range(len(geoms)) for j in range(i + 1, len(geoms)))
        for kept in members_sorted:
            removed = [b for b in members_sorted if b != kept]
            eff = SimpleNamespace(**next(effects))
            excluded, waived, flags = [], [], []
            uc_year = uc_pv = 0
            finite = True
            vkm = 0.0
            for r in removed:
                res = check_guards(r, isolated_population=eff.isolated_population,
                                   isolated_facilities=eff.isolated_facilities,
                                   detour_m=eff.detour_m[r], manager=manager_by_id.get(r),
                                   settings=settings, **flags_of[r])
                excluded += [x for x in res["excluded_by"] if x not in excluded]
                waived += [x for x in res["waived"] if x not in waived]
                flags += [x for x in res["flags"] if x not in flags]
                y, pv = user_cost(facts[r].aadt, eff.detour_m[r], eff.detour_min[r], settings)
                if pv < 0:
                    finite = False
                else:
                    uc_year += y
                    uc_pv += pv
                    vkm += facts[r].aadt * eff.detour_m[r] / 1000.0
            keep_all = sum(keep_lcc[b] for b in members_sorted)
            option_lcc = keep_lcc[kept] + sum(rm_lcc[r] for r in removed)
            avoided = keep_all - option_lcc
            if avoided <= 0 and "no_saving" not in excluded:
                excluded.append("no_saving")
            npb = avoided - uc_pv if finite else None
            max_det = max(eff.detour_m[r] for r in removed)
            detours = ";".join(f"{r}:{eff.detour_m[r]:.0f}" for r in removed)
            iso_ja = isolation_ja(eff.isolated_population, eff.isolated_facilities)
            iso_en = isolation_en(eff.isolated_population, eff.isolated_facilities)
            ja = (f"{kept}に集約し{'・'.join(removed)}を撤去、最大{detour_ja(max_det)}、{iso_ja}、"
                  f"{H}年で{option_yen_ja(avoided)}の削減")
            en = (f"keep {kept}, remove {', '.join(removed)}: max {detour_en(max_det)}, {iso_en}, "
                  f"saves {yen_en(avoided)} over {H} years")
            if finite:
                ja += f"、利用者負担 {option_yen_ja(uc_pv)}"
                en += f", road-user cost {yen_en(uc_pv)}"
            for f in flags:
                ja += f"、{GUARD_TEXT_JA[f]}（要調整）"
                en += f", {GUARD_TEXT_EN[f]} (needs agreement)"
            if excluded:
                ja = "除外：" + "・".join(GUARD_TEXT_JA[x] for x in excluded) + "、" + ja
                en = "excluded: " + ", ".join(GUARD_TEXT_EN[x] for x in excluded) + ", " + en
            rows.append({
                "set_id": set_id, "bridge_ids": ";".join(members_sorted),
                "n_bridges": len(members_sorted), "kept_bridge_id": kept,
                "removed_bridge_ids": ";".join(removed), "max_gap_m": float(gap),
                "detours_m": detours, "max_detour_m": max_det,
                "added_vehicle_km_per_day": vkm if finite else math.inf,
                "isolated_population": eff.isolated_population,
                "isolated_facilities": eff.isolated_facilities,
                "keep_all_lcc_yen": keep_all, "option_lcc_yen": option_lcc,
                "cost_avoided_yen": avoided,
                "user_cost_per_year_yen": uc_year if finite else None,
                "user_cost_yen": uc_pv if finite else None, "net_present_benefit_yen": npb,
                "excluded_by": ";".join(excluded), "guards_waived": ";".join(waived),
                "flags": ";".join(flags), "eligible": not excluded, "best_in_set": False,
                "reason_ja": ja, "reason_en": en, "note": ILLUSTRATIVE_NOTE,
                "geometry": _set_geometry(geoms),
            })
    df = pd.DataFrame(rows, columns=[*CONSOLIDATION_COLUMNS, "geometry"])
    out = gpd.GeoDataFrame(df, geometry="geometry", crs=bridges.crs)
    for col in ("user_cost_per_year_yen", "user_cost_yen", "net_present_benefit_yen"):
        out[col] = out[col].astype("Int64")
    for col in ("keep_all_lcc_yen", "option_lcc_yen", "cost_avoided_yen", "n_bridges"):
        out[col] = out[col].astype("int64")
    out["eligible"] = out["eligible"].astype(bool)
    out["best_in_set"] = out["best_in_set"].astype(bool)
    # per set: the eligible row with the highest net benefit (first row on ties)
    npb = out["net_present_benefit_yen"]
    ok = out["eligible"].to_numpy(bool) & npb.notna().to_numpy()
    if ok.any():
        pos = np.flatnonzero(ok)
        val = npb.to_numpy(dtype="float64", na_value=np.nan)[pos]
        sid = out["set_id"].to_numpy()[pos]
        order = np.lexsort((pos, -val, sid))
        first = np.ones(len(order), bool)
        first[1:] = sid[order][1:] != sid[order][:-1]
        best = np.zeros(len(out), bool)
        best[pos[order[first]]] = True
        out["best_in_set"] = best
    report_progress(progress, 1.0, "consolidation done")
    return out
