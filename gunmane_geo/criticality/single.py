"""Single-bridge criticality: each bridge removed on its own, one row per inventory bridge.

Isolation for all bridges from one Tarjan pass (``isolation``), through-traffic detours
between the junctions of each bridge's road link (``routes``), for cars on the motor
roads and for walkers on every walkable way; ``reference_criticality`` is the plain
networkx way, the benchmark baseline.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import report_progress
from ..network.graph import Network
from ..progress import Progress
from ..settings import Settings
from .isolation import (ISOLATED_COUNT_COLUMNS, FacilityIndex, cut_sides, isolated_target_column,
                        require_bridges)
from .routes import alternative_routes, road_links

CRITICALITY_COLUMNS = [
    "bridge_id", "matched", "edge_id", "u", "v", "component", "snap_distance_m", "match_rule",
    "bridge_length_m", "bridge_time_min", "link_u", "link_v", "link_length_m", "link_time_min",
    "alt_route_m", "detour_m", "alt_route_min",
    "detour_min", "isolates", "isolated_nodes", "isolated_population", "isolated_facilities",
    *ISOLATED_COUNT_COLUMNS, "isolated_facility_names", "pedestrian_only",
    "walk_link_length_m", "walk_alt_route_m", "walk_detour_m", "isolates_on_foot",
    "aadt", "affected_vehicle_km_per_day", "affected_vehicle_hours_per_day",
    "criticality_rank",
]

#: ranking keys, most critical first (docs/criticality.md)
RANK_RULE = ("isolates desc, isolated_population desc, isolated_facilities desc, "
             "affected_vehicle_km_per_day desc (unknown AADT counts as 0), detour_m desc, "
             "detour_min desc, bridge_id asc; unmatched bridges get no rank")


_INT_COLUMNS = {"component", "isolated_nodes", "isolated_facilities", "link_u", "link_v",
                *ISOLATED_COUNT_COLUMNS}
_BOOL_COLUMNS = {"isolates", "isolates_on_foot", "pedestrian_only", "one_way_cut"}
_CAR_COLUMNS = ["link_u", "link_v", "link_length_m", "link_time_min", "alt_route_m",
                "detour_m", "alt_route_min", "detour_min", "isolates", "isolated_nodes",
                "isolated_population", "isolated_facilities", *ISOLATED_COUNT_COLUMNS,
                "isolated_facility_names"]


def _spread(values, where: np.ndarray, col: str) -> np.ndarray:
    """Values of a subset of edges (``where``) spread over all: missing elsewhere."""
    n = len(where)
    if col in _BOOL_COLUMNS or col == "isolated_facility_names":
        out = np.full(n, None, dtype=object)
    else:
        out = np.full(n, np.nan)
    if values is not None:
        out[where] = values
    return out


def _per_bridge(values, rows, inv, n, col):
    """Per-edge values -> one per inventory bridge (unmatched bridges: missing)."""
    vals = np.asarray(values)
    if col in _BOOL_COLUMNS or col == "isolated_facility_names":
        out = np.full(n, None, dtype=object)
        out[rows] = vals[inv]
        return pd.array(out, dtype="boolean") if col in _BOOL_COLUMNS else out
    out = np.full(n, np.nan)
    out[rows] = np.asarray(vals, float)[inv]
    return pd.array(out, dtype="Int64") if col in _INT_COLUMNS else out


def _mode_measures(network: Network, edge_ids: np.ndarray, mode: str, weights, progress,
                   span, routes=alternative_routes) -> dict:
    """Isolation and through-traffic detours of ``edge_ids`` for one travel mode.

    Returns arrays per edge keyed by the ``_CAR_COLUMNS`` names (plus ``one_way_cut``).
    """
    lo, hi = span
    isolates, iso, child_side, cut_child, tp = cut_sides(network, edge_ids, mode)
    report_progress(progress, lo + 0.05 * (hi - lo), f"isolation done ({mode})")
    names = np.full(len(edge_ids), "", dtype=object)
    if mode == "motor":
        fidx = FacilityIndex(network, tp["pre"])
        for j in np.flatnonzero(isolates & (iso[:, 2] > 0)):
            c = cut_child[j]
            a, b = tp["pre"][c], tp["pre"][c] + tp["size"][c]
            if child_side[j]:
                names[j] = fidx.in_ranges([(a, b)])
            else:
                k = tp["comp"][c]
                names[j] = fidx.in_ranges([(tp["comp_start"][k], a),
                                           (b, tp["comp_start"][k + 1])])
    links = road_links(network, edge_ids, mode)
    alt = {w: np.full(len(edge_ids), np.nan) for w in ("length_m", "time_min")}
    todo = np.flatnonzero(~isolates)
    sub = links.take(todo)
    for i, w in enumerate(weights):
        part = (lo + (0.05 + 0.95 * i / len(weights)) * (hi - lo),
                lo + (0.05 + 0.95 * (i + 1) / len(weights)) * (hi - lo))
        alt[w][todo] = routes(network, edge_ids[todo], w, progress=progress,
                              progress_span=part, mode=mode, links=sub)
    one_way_cut = np.zeros(len(edge_ids), bool)
    for w in weights:
        bad = ~np.isfinite(alt[w]) & ~np.isnan(alt[w])
        one_way_cut |= bad
        alt[w][bad] = np.nan
    link_m = links.cost(network.weight("length_m"))
    link_min = links.cost(network.weight("time_min"))
    out = {"link_u": links.a, "link_v": links.b, "link_length_m": link_m,
           "link_time_min": link_min,
           "alt_route_m": alt["length_m"], "detour_m": np.maximum(0.0, alt["length_m"] - link_m),
           "alt_route_min": alt["time_min"],
           "detour_min": np.maximum(0.0, alt["time_min"] - link_min),
           "isolates": isolates, "isolated_nodes": iso[:, 0], "isolated_population": iso[:, 1],
           "isolated_facilities": iso[:, 2], "isolated_facility_names": names,
           "one_way_cut": one_way_cut}
    for j, col in enumerate(ISOLATED_COUNT_COLUMNS, start=3):
        out[col] = iso[:, j]
    target = isolated_target_column(network)
    if target is not None:
        out[target] = iso[:, -1]
    return out


# --- single-bridge criticality ------------------------------------------------------
def bridge_criticality(network: Network, *, settings: Settings | None = None,
                       progress: Progress | None = None,
                       weights=("length_m", "time_min"),
                       routes=None) -> gpd.GeoDataFrame:
    """Measures of removing each bridge on its own, one row per inventory bridge.

    Parameters
    ----------
    network : Network
        With bridges attached (``attach_bridges`` or ``bridges_from_roads``) and,
        optionally, population and facilities.
    settings : Settings, optional
        Defaults to the network's settings.
    progress : callable, optional
        ``progress(fraction, message)``; returning True cancels (``Cancelled``).
    weights : tuple
        Which alternative routes to compute: ``"length_m"`` (shortest by distance)
        and/or ``"time_min"`` (fastest).  Left-out measures are NaN.
    routes : callable, optional
        What computes the alternative routes, called as ``alternative_routes`` is
        (``routes(network, edge_ids, weight, *, progress, progress_span, mode, links)``
        returning one cost per edge, ``inf`` when none); defaults to
        ``alternative_routes``.  ``criticality.partition`` passes one that runs the
        searches part by part on Dask; isolation and road links stay whole-network.

    Returns
    -------
    GeoDataFrame
        ``CRITICALITY_COLUMNS`` followed by the inventory attributes; geometry = the
        bridge edge (the inventory geometry for unmatched bridges).  Units: metres,
        minutes, persons, vehicles per day (``aadt``), vehicle-km and vehicle-hours
        per day.

        Vehicle measures use the motor roads only (``Network.mode_edges("motor")``).
        The bridge's road link runs between the junctions ``link_u`` and ``link_v``
        (``road_links``); ``alt_route_*`` is the shortest route between them without the
        bridge, ``detour_* = max(0, alt_route - link)`` with ``link_length_m`` /
        ``link_time_min`` the link's own length and time: the extra distance of a
        vehicle that used the bridge (RA2CE's link definition, the usual 迂回距離).
        Isolating bridges have ``alt_route_*`` NaN.  Walking measures
        (``walk_alt_route_m``, ``walk_detour_m``, ``isolates_on_foot``) are the same on
        every walkable way; a bridge on a way closed to cars is ``pedestrian_only`` and
        has walking measures only.  ``criticality_rank``: 1 = most critical, by
        ``RANK_RULE``.  When the nodes carry the population of the target year
        (``population_<year>``, a future-population mesh), ``isolated_population_<year>``
        follows ``isolated_population``: the persons of that year on the side cut off
        (the side itself is chosen by the population now).
    """
    bridges = require_bridges(network)
    settings = settings or network.settings
    report_progress(progress, 0.0, "finding bridges that cut the network")
    matched = bridges["matched"].to_numpy(bool)
    eid_all = bridges["edge_id"].to_numpy(np.int64)
    edge_ids, inv = np.unique(eid_all[matched], return_inverse=True)
    motor = network.mode_edges("motor")[edge_ids]
    walk = network.mode_edges("walk")[edge_ids]
    weights = [w for w in weights if w in ("length_m", "time_min")]

    routes = routes or alternative_routes
    car = _mode_measures(network, edge_ids[motor], "motor", weights, progress, (0.0, 0.8),
                         routes)
    foot = _mode_measures(network, edge_ids[walk], "walk", ["length_m"], progress, (0.8, 0.95),
                          routes)

    per_edge = pd.DataFrame({
        "component": network.components("motor")[network.uv()[0][edge_ids]],
        "bridge_length_m": network.weight("length_m")[edge_ids],
        "bridge_time_min": network.weight("time_min")[edge_ids],
    })
    target = isolated_target_column(network)
    for col in _CAR_COLUMNS + ([target] if target else []):
        per_edge[col] = _spread(car.get(col), motor, col)
    per_edge["pedestrian_only"] = ~motor & walk
    for col, src in (("walk_link_length_m", "link_length_m"),
                     ("walk_alt_route_m", "alt_route_m"), ("walk_detour_m", "detour_m"),
                     ("isolates_on_foot", "isolates")):
        per_edge[col] = _spread(foot.get(src), walk, src)
    if network.directed:
        per_edge["one_way_cut"] = _spread(car.get("one_way_cut"), motor, "one_way_cut")

    # one row per inventory bridge
    base = bridges[["bridge_id", "matched", "edge_id", "u", "v", "snap_distance_m",
                    "match_rule"]].reset_index(drop=True)
    out = base.copy()
    rows = np.flatnonzero(matched)
    for col in per_edge.columns:
        out[col] = _per_bridge(per_edge[col], rows, inv, len(out), col)
    for col in ("ambiguous_match", "match_competitors"):
        if col in bridges.columns:
            out[col] = bridges[col].to_numpy()
    aadt = (pd.to_numeric(bridges["aadt"], errors="coerce").to_numpy(float)
            if "aadt" in bridges.columns else np.full(len(out), np.nan))
    out["aadt"] = aadt
    out["affected_vehicle_km_per_day"] = aadt * out["detour_m"].to_numpy(float) / 1000.0
    out["affected_vehicle_hours_per_day"] = aadt * out["detour_min"].to_numpy(float) / 60.0
    out["criticality_rank"] = rank_bridges(out)
    first = [c for c in CRITICALITY_COLUMNS if c in out.columns]
    if target is not None:          # isolated_population_<year> next to isolated_population
        at = first.index("isolated_population") + 1
        first = first[:at] + [target] + first[at:]
    out = out[first + [c for c in out.columns if c not in first]]
    extra = bridges.drop(columns=[c for c in bridges.columns
                                  if c in out.columns or c == bridges.geometry.name
                                  or c in ("n_candidates", "nearest_edge_m", "reason")])
    out = pd.concat([out, extra.reset_index(drop=True),
                     bridges[["n_candidates", "nearest_edge_m", "reason"]].reset_index(drop=True)],
                    axis=1)
    geom = bridges.geometry.to_numpy().copy()
    geom[matched] = network.edge_geometry(eid_all[matched])
    out = gpd.GeoDataFrame(out, geometry=geom, crs=network.crs)
    out.attrs["rank_rule"] = RANK_RULE
    report_progress(progress, 1.0, "criticality done")
    return out


def rank_bridges(table: pd.DataFrame) -> pd.Series:
    """``criticality_rank`` (1 = most critical) by ``RANK_RULE``; unmatched get <NA>."""
    t = pd.DataFrame({
        "m": table["matched"].astype(bool).to_numpy(),
        "iso": table["isolates"].fillna(False).astype(bool).to_numpy(),
        "pop": pd.to_numeric(table["isolated_population"]).fillna(0).to_numpy(float),
        "fac": pd.to_numeric(table["isolated_facilities"]).fillna(0).to_numpy(float),
        "vkm": pd.to_numeric(table["affected_vehicle_km_per_day"]).fillna(0).to_numpy(float),
        "dm": pd.to_numeric(table["detour_m"]).fillna(0).to_numpy(float),
        "dt": pd.to_numeric(table["detour_min"]).fillna(0).to_numpy(float),
        "id": table["bridge_id"].astype(str).to_numpy(),
    })
    order = np.lexsort((t["id"], -t["dt"], -t["dm"], -t["vkm"], -t["fac"], -t["pop"],
                        -t["iso"].astype(int), ~t["m"]))
    rank = pd.array([pd.NA] * len(t), dtype="Int64")
    pos = np.empty(len(t), np.int64)
    pos[order] = np.arange(1, len(t) + 1)
    rank = pd.Series(pos, dtype="Int64", index=table.index)
    rank[~t["m"].to_numpy()] = pd.NA
    return rank


# --- the plain way (reference) -----------------------------------------------------
def reference_criticality(network: Network, weight: str = "length_m", bridge_ids=None,
                          graph=None, progress=None) -> pd.DataFrame:
    """Criticality the plain way, with networkx, over the motor roads.

    For each bridge: walk along its road in the networkx graph while the node has
    degree 2 to find the junctions that bound its link, remove the bridge's edge, run
    ``nx.dijkstra_path_length`` between the junctions, put the edge back; when the
    bridge's ends are no longer connected, take the connected components of the two
    ends and call the one without the larger population (then: with fewer nodes) cut off.

    Slow (one search per bridge, over the whole side for isolating bridges); the
    benchmark baseline (benchmarks/bench_criticality.py).  It shares the ``Network``
    (noding, matching) with ``bridge_criticality``; the independent checks are in
    tests/lib/test_criticality_independent.py.  Returns ``bridge_id, alt_route, link,
    detour, isolates, isolated_nodes, isolated_population`` per matched bridge on a motor
    road (``alt_route``, ``link`` and ``detour`` in the unit of ``weight``, NaN when
    isolating).
    """
    import networkx as nx

    bridges = require_bridges(network)
    g = graph if graph is not None else network.to_networkx(directed=False, mode="motor")
    gd = network.to_networkx(directed=True, mode="motor") if network.directed else None
    one = network.edge_table["oneway"].fillna(False).to_numpy(bool)
    b = bridges[bridges["matched"]]
    if bridge_ids is not None:
        b = b[b["bridge_id"].isin(list(bridge_ids))]
    motor = network.mode_edges("motor")
    rows = []
    for k, (bid, e, u, v) in enumerate(zip(b["bridge_id"], b["edge_id"], b["u"], b["v"])):
        e, u, v = int(e), int(u), int(v)
        if not motor[e]:
            continue
        a, la = _nx_walk(g, u, e, weight)
        c, lc = _nx_walk(g, v, e, weight)
        data = g.edges[u, v, e]
        link = la + lc + data[weight]
        g.remove_edge(u, v, e)
        if nx.has_path(g, u, v):
            if gd is None:
                alt = nx.dijkstra_path_length(g, a, c, weight=weight)
            else:
                arcs = [(x, y, kk, d) for x, y, kk, d in gd.edges(keys=True, data=True)
                        if kk == e]
                gd.remove_edges_from([(x, y, kk) for x, y, kk, _ in arcs])
                ends = [(a, c)] + ([(c, a)] if not one[e] else [])
                try:
                    alt = max(nx.dijkstra_path_length(gd, s, t, weight=weight)
                              for s, t in ends)
                except nx.NetworkXNoPath:
                    alt = np.nan                        # cut in one direction only
                gd.add_edges_from(arcs)
            rows.append((bid, alt, link, max(0.0, alt - link) if alt == alt else np.nan,
                         False, 0, 0.0))
        else:
            rows.append(_reference_cut(g, bid, u, v, link))
        g.add_edge(u, v, e, **data)
        if progress is not None and k % 64 == 0:
            report_progress(progress, k / max(1, len(b)), "reference criticality")
    return pd.DataFrame(rows, columns=["bridge_id", "alt_route", "link", "detour", "isolates",
                                       "isolated_nodes", "isolated_population"])


def _nx_walk(g, x, prev, weight):
    """From node ``x`` (entered by edge key ``prev``) along nodes of degree 2 to a junction;
    returns (junction, length walked).  A cycle without a junction stops where it began."""
    total = 0.0
    start = x
    while g.degree(x) == 2:
        nxt = [(y, key, d) for _, y, key, d in g.edges(x, keys=True, data=True) if key != prev]
        if not nxt:
            break
        y, key, d = nxt[0]
        total += d[weight]
        x, prev = y, key
        if x == start:
            break
    return x, total


def _reference_cut(g, bid, u, v, link):
    import networkx as nx
    cu = nx.node_connected_component(g, u)
    cv = nx.node_connected_component(g, v)
    pu = sum(g.nodes[x]["population"] for x in cu)
    pv = sum(g.nodes[x]["population"] for x in cv)
    if (pu, len(cu)) < (pv, len(cv)):
        return (bid, np.nan, link, np.nan, True, len(cu), pu)
    return (bid, np.nan, link, np.nan, True, len(cv), pv)   # full tie: sizes are equal
