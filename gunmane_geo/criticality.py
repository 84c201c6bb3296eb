"""Criticality of bridges: what happens when one bridge, or a set of bridges, is removed.

* ``bridge_criticality(network)``: one row per inventory bridge, each removed on
  its own.  Isolation (who is cut off) for all bridges comes from ONE pass over the
  graph (Tarjan's bridge-finding with DFS-subtree sums, O(V+E)); detours of the
  bridges that do not isolate come from an exact bidirectional Dijkstra between the
  bridge's two ends with that one edge masked (compiled with numba).
* ``removal_scenario(network, bridge_ids)``: a set of bridges removed at once (the
  effect of two parallel bridges is not the sum of their single effects), with the
  trips between settlements and facilities that get longer.
* ``reference_criticality(network)``: the plain way (networkx: remove the edge,
  Dijkstra from one end to the other, put it back), for verification and benchmarks.

Distances in metres, times in minutes, in the network's projected CRS.  The
rules (cut-off side, ranking) are documented in docs/criticality.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError, report_progress
from .network import _kernels as K
from .network.graph import Network
from .schema import FACILITY_TYPES
from .settings import Settings

#: node value columns summed over DFS subtrees / cut-off sides
_VALUE_COLUMNS = ["nodes", "population", "n_facilities"] + [f"n_{t}" for t in FACILITY_TYPES] + [
    "n_other_facility"]
ISOLATED_COUNT_COLUMNS = [f"isolated_{t}" for t in FACILITY_TYPES] + ["isolated_other_facility"]

CRITICALITY_COLUMNS = [
    "bridge_id", "matched", "edge_id", "u", "v", "component", "snap_distance_m", "match_rule",
    "bridge_length_m", "bridge_time_min", "alt_route_m", "detour_m", "alt_route_min",
    "detour_min", "isolates", "isolated_nodes", "isolated_population", "isolated_facilities",
    *ISOLATED_COUNT_COLUMNS, "isolated_facility_names", "aadt", "affected_vehicle_km_per_day",
    "affected_vehicle_hours_per_day", "criticality_rank",
]

#: ranking keys, most critical first (docs/criticality.md)
RANK_RULE = ("isolates desc, isolated_population desc, isolated_facilities desc, "
             "affected_vehicle_km_per_day desc (unknown AADT counts as 0), detour_m desc, "
             "detour_min desc, bridge_id asc; unmatched bridges get no rank")


# --- shared helpers -----------------------------------------------------------------
def require_bridges(network: Network) -> gpd.GeoDataFrame:
    if not isinstance(network, Network):
        raise InputError(f"expected a gunmane_geo.network.Network, got {type(network).__name__}")
    if network.bridges is None:
        raise InputError("the network has no bridges attached: call "
                         "gunmane_geo.network.attach_bridges(network, bridges) (inventory) or "
                         "bridges_from_roads(network) (bridge lines of OSM/road data) first")
    return network.bridges


def _node_values(network: Network) -> np.ndarray:
    if "node_values" in network._cache:
        return network._cache["node_values"]
    network._cache["node_values"] = _compute_node_values(network)
    return network._cache["node_values"]


def _compute_node_values(network: Network) -> np.ndarray:
    nodes = network.nodes
    vals = np.empty((network.n_nodes, len(_VALUE_COLUMNS)), np.float64)
    vals[:, 0] = 1.0
    for j, col in enumerate(_VALUE_COLUMNS[1:], start=1):
        vals[:, j] = nodes[col].to_numpy(float) if col in nodes.columns else 0.0
    return vals


class _Workspace:
    """Reusable work arrays for point-to-point searches (allocated once per network)."""

    def __init__(self, network: Network):
        n = network.n_nodes
        self.f = network.csr("forward")
        self.b = network.csr("backward")
        na = max(len(self.f[1]), len(self.b[1])) + 1
        self.distf = np.full(n, np.inf)
        self.distb = np.full(n, np.inf)
        self.tf = np.empty(n, np.int64)
        self.tb = np.empty(n, np.int64)
        self.hfk = np.empty(na); self.hfv = np.empty(na, np.int64)
        self.hbk = np.empty(na); self.hbv = np.empty(na, np.int64)
        self.predf = np.full(n, -1, np.int64)
        self.predb = np.full(n, -1, np.int64)
        self.eu, self.ev = (np.ascontiguousarray(a) for a in network.uv())
        self.path_buf = np.empty(max(1024, 4 * n), np.int64)

    @classmethod
    def of(cls, network: Network) -> "_Workspace":
        """The network's workspace (created once, kept in its cache)."""
        ws = network._cache.get("workspace")
        if ws is None:
            ws = network._cache["workspace"] = cls(network)
        return ws

    def run(self, sources, targets, q_ptr, q_edges, w, mask, paths: bool = False):
        """Searches ``sources[i] -> targets[i]`` without ``q_edges[q_ptr[i]:q_ptr[i+1]]``.

        Returns the costs, and with ``paths`` a list of the routes' edge ids.
        """
        m = len(sources)
        out = np.empty(m)
        if not m:
            return (out, []) if paths else out
        args = (np.ascontiguousarray(sources, np.int64), np.ascontiguousarray(targets, np.int64),
                np.ascontiguousarray(q_ptr, np.int64), np.ascontiguousarray(q_edges, np.int64),
                self.f[0], self.f[1], self.f[2], self.b[0], self.b[1], self.b[2],
                w, mask, out, self.distf, self.distb, self.tf, self.tb,
                self.hfk, self.hfv, self.hbk, self.hbv, self.predf, self.predb, self.eu, self.ev,
                paths)
        path_ptr = np.zeros(m + 1, np.int64)
        while True:
            got = K.batch_avoiding(*args, self.path_buf, path_ptr)
            if got >= 0:
                break
            self.path_buf = np.empty(2 * len(self.path_buf), np.int64)
        if not paths:
            return out
        buf = self.path_buf[:got].copy()
        return out, [buf[path_ptr[i]:path_ptr[i + 1]] for i in range(m)]


def _queries(network: Network, edge_ids: np.ndarray):
    """Detour queries per bridge edge: u->v, plus v->u for two-way edges when directed.

    Returns (sources, targets, edge, owner) where owner indexes ``edge_ids``.
    """
    u, v = network.uv()
    eu, ev = u[edge_ids], v[edge_ids]
    owner = np.arange(len(edge_ids))
    if not network.directed:
        return eu, ev, edge_ids, owner
    one = network.edges["oneway"].fillna(False).to_numpy(bool)[edge_ids]
    two = ~one
    return (np.concatenate([eu, ev[two]]), np.concatenate([ev, eu[two]]),
            np.concatenate([edge_ids, edge_ids[two]]), np.concatenate([owner, owner[two]]))


def _weights(network: Network, weight) -> np.ndarray:
    if isinstance(weight, str):
        return network.weight(weight)
    w = np.ascontiguousarray(weight, np.float64)
    if w.shape != (network.n_edges,):
        raise ValueError(f"weight array must have one value per edge ({network.n_edges}), "
                         f"got shape {w.shape}")
    return w


def alternative_routes(network: Network, edge_ids, weight="length_m",
                       removed=None, progress=None, chunk: int = 256,
                       progress_span=(0.0, 1.0), *, also_removed=None,
                       return_paths: bool = False):
    """Shortest route between the two ends of each edge when that edge is removed.

    This is the one implementation of "shortest route with these edges removed" in
    gunmane_geo: single-bridge criticality, ``removal_scenario`` and the options and
    plans (``gunmane_geo.options``) all call it.

    Parameters
    ----------
    edge_ids : array of int
        Edges to remove one at a time (each query removes only its own edge, plus
        the edges in ``removed`` and its entry of ``also_removed``).
    weight : ``"length_m"`` (metres), ``"time_min"`` (minutes), or an array of
        float64 weights, one per edge (e.g. times after upgrading some roads).
    removed : array of int, optional
        Edges removed for every query (a scenario).
    also_removed : sequence of int arrays, optional
        One per entry of ``edge_ids``: further edges removed for that query only
        (e.g. the other bridges of a consolidation set removed with it).
    return_paths : bool
        Also return the route of each query as an int64 array of edge ids, from the
        edge's ``u`` end to its ``v`` end (empty when there is none).  On a directed
        network the routes of both directions are concatenated.

    Returns
    -------
    ndarray of float, or (ndarray, list of ndarray) with ``return_paths``
        The alternative route's cost per edge; ``inf`` where the ends are no longer
        connected.  On a directed network two-way edges are searched both ways and the
        longer of the two is returned.
    """
    edge_ids = np.asarray(edge_ids, np.int64)
    w = _weights(network, weight)
    wname = weight if isinstance(weight, str) else "custom weight"
    mask = np.zeros(network.n_edges, np.bool_)
    if removed is not None and len(removed):
        mask[np.asarray(removed, np.int64)] = True
    s, t, e, owner = _queries(network, edge_ids)
    if also_removed is None:
        q_ptr = np.arange(len(s) + 1, dtype=np.int64)
        q_edges = e
    else:
        if len(also_removed) != len(edge_ids):
            raise ValueError("also_removed needs one entry per edge in edge_ids")
        extra = [np.asarray(also_removed[o], np.int64) for o in owner]
        q_edges = np.concatenate([np.concatenate([[x], r]) for x, r in zip(e, extra)]
                                 ).astype(np.int64) if len(e) else np.zeros(0, np.int64)
        q_ptr = np.zeros(len(s) + 1, np.int64)
        np.cumsum([1 + len(r) for r in extra], out=q_ptr[1:])
    ws = _Workspace.of(network)
    res = np.empty(len(s))
    paths = [None] * len(s)
    lo, hi = progress_span
    for start in range(0, len(s), chunk):
        stop = min(len(s), start + chunk)
        qp = q_ptr[start:stop + 1] - q_ptr[start]
        qe = q_edges[q_ptr[start]:q_ptr[stop]]
        r = ws.run(s[start:stop], t[start:stop], qp, qe, w, mask, paths=return_paths)
        if return_paths:
            res[start:stop], paths[start:stop] = r
        else:
            res[start:stop] = r
        report_progress(progress, lo + (hi - lo) * stop / max(1, len(s)),
                        f"alternative routes ({wname}): {stop}/{len(s)}")
    out = np.full(len(edge_ids), -np.inf)
    np.maximum.at(out, owner, res)
    if not return_paths:
        return out
    if not network.directed:
        return out, paths
    routes = [[] for _ in range(len(edge_ids))]
    for o, p in zip(owner, paths):
        routes[o].append(p)
    return out, [np.concatenate(r) if r else np.zeros(0, np.int64) for r in routes]


def isolation_pass(network: Network):
    """Tarjan bridge-finding with subtree sums over the undirected network (cached).

    Returns a dict with ``comp``, ``pre``, ``size``, ``sub`` (n x k subtree sums of
    ``_VALUE_COLUMNS``), ``cut_child`` (per edge) and ``comp_total`` (per component).
    """
    key = "tarjan"
    if key not in network._cache:
        indptr, head, arc_edge = network.csr("undirected")
        vals = _node_values(network)
        comp, pre, size, sub, cut_child, comp_start = K.tarjan_bridges(
            indptr, head, arc_edge, network.n_edges, vals)
        ncomp = len(comp_start) - 1
        total = np.zeros((ncomp, vals.shape[1]))
        np.add.at(total, comp, vals)
        network._cache[key] = dict(comp=comp, pre=pre, size=size, sub=sub,
                                   cut_child=cut_child, comp_total=total,
                                   comp_start=comp_start, values=vals)
    return network._cache[key]


def _cut_sides(network: Network, edge_ids: np.ndarray):
    """For each edge: isolates?, the isolated side's sums, and its preorder ranges."""
    tp = isolation_pass(network)
    c = tp["cut_child"][edge_ids]
    isolates = c >= 0
    k = tp["sub"].shape[1]
    iso = np.zeros((len(edge_ids), k))
    child_side = np.zeros(len(edge_ids), bool)
    cc = c[isolates]
    comp = tp["comp"][cc]
    child = tp["sub"][cc]
    other = tp["comp_total"][comp] - child
    # the side cut off is the one without the larger population; equal: fewer nodes;
    # equal again: the side farther from the DFS root (deterministic)
    cut_child_side = (child[:, 1] < other[:, 1]) | (
        (child[:, 1] == other[:, 1]) & (child[:, 0] <= other[:, 0]))
    iso[isolates] = np.where(cut_child_side[:, None], child, other)
    child_side[isolates] = cut_child_side
    return isolates, iso, child_side, c, tp


class _FacilityIndex:
    """Facilities sorted by the DFS preorder of their node, for listing cut-off sides."""

    def __init__(self, network: Network, pre):
        fac = network.facilities
        if fac is None or len(fac) == 0:
            self.pre = np.zeros(0, np.int64)
            self.labels = np.zeros(0, object)
            return
        p = pre[fac["node_id"].to_numpy(np.int64)]
        order = np.argsort(p, kind="stable")
        self.pre = p[order]
        names = fac["name"].to_numpy(object)
        ids = fac["facility_id"].to_numpy(object)
        types = fac["facility_type"].to_numpy(object)
        self.labels = np.array([f"{(n if n is not None and n == n else i)} ({t})"
                                for n, i, t in zip(names, ids, types)], dtype=object)[order]

    def in_ranges(self, ranges) -> str:
        out = []
        for lo, hi in ranges:
            a, b = np.searchsorted(self.pre, [lo, hi])
            out.extend(self.labels[a:b])
        return "; ".join(out)


# --- single-bridge criticality ------------------------------------------------------
def bridge_criticality(network: Network, settings: Settings | None = None, progress=None,
                       weights=("length_m", "time_min")) -> gpd.GeoDataFrame:
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

    Returns
    -------
    GeoDataFrame
        ``CRITICALITY_COLUMNS`` followed by the inventory attributes; geometry = the
        bridge edge (the inventory geometry for unmatched bridges).  Units: metres,
        minutes, persons, vehicles per day (``aadt``), vehicle-km and vehicle-hours
        per day.  ``alt_route_*`` is the shortest route between the bridge's two ends
        without it; ``detour_* = max(0, alt_route - through)`` where ``through`` is
        the bridge edge itself.  Isolating bridges have ``alt_route_*`` NaN.
        ``criticality_rank``: 1 = most critical, by ``RANK_RULE``.
    """
    bridges = require_bridges(network)
    settings = settings or network.settings
    report_progress(progress, 0.0, "finding bridges that cut the network")
    matched = bridges["matched"].to_numpy(bool)
    eid_all = bridges["edge_id"].to_numpy(np.int64)
    edge_ids, inv = np.unique(eid_all[matched], return_inverse=True)

    # isolation for all bridges from one pass
    isolates, iso, child_side, cut_child, tp = _cut_sides(network, edge_ids)
    report_progress(progress, 0.05, "isolation done")
    fidx = _FacilityIndex(network, tp["pre"])
    names = np.full(len(edge_ids), "", dtype=object)
    for j in np.flatnonzero(isolates & (iso[:, 2] > 0)):
        c = cut_child[j]
        lo, hi = tp["pre"][c], tp["pre"][c] + tp["size"][c]
        if child_side[j]:
            names[j] = fidx.in_ranges([(lo, hi)])
        else:
            k = tp["comp"][c]
            names[j] = fidx.in_ranges([(tp["comp_start"][k], lo), (hi, tp["comp_start"][k + 1])])

    # detours of the bridges that do not isolate
    alt = {w: np.full(len(edge_ids), np.nan) for w in ("length_m", "time_min")}
    todo = np.flatnonzero(~isolates)
    weights = [w for w in weights if w in alt]
    for i, w in enumerate(weights):
        span = (0.05 + 0.95 * i / len(weights), 0.05 + 0.95 * (i + 1) / len(weights))
        r = alternative_routes(network, edge_ids[todo], w, progress=progress, progress_span=span)
        alt[w][todo] = r
    one_way_cut = np.zeros(len(edge_ids), bool)
    for w in weights:
        bad = ~np.isfinite(alt[w]) & ~np.isnan(alt[w])
        one_way_cut |= bad
        alt[w][bad] = np.nan

    L = network.weight("length_m")[edge_ids]
    T = network.weight("time_min")[edge_ids]
    comp = network.nodes["component"].to_numpy()[network.uv()[0][edge_ids]]
    per_edge = pd.DataFrame({
        "component": comp, "bridge_length_m": L, "bridge_time_min": T,
        "alt_route_m": alt["length_m"], "detour_m": np.maximum(0.0, alt["length_m"] - L),
        "alt_route_min": alt["time_min"], "detour_min": np.maximum(0.0, alt["time_min"] - T),
        "isolates": isolates, "isolated_nodes": iso[:, 0].astype(np.int64),
        "isolated_population": iso[:, 1], "isolated_facilities": iso[:, 2].astype(np.int64),
    })
    for j, col in enumerate(ISOLATED_COUNT_COLUMNS, start=3):
        per_edge[col] = iso[:, j].astype(np.int64)
    per_edge["isolated_facility_names"] = names
    if network.directed:
        per_edge["one_way_cut"] = one_way_cut

    # one row per inventory bridge
    base = bridges[["bridge_id", "matched", "edge_id", "u", "v", "snap_distance_m",
                    "match_rule"]].reset_index(drop=True)
    rows = pd.DataFrame(index=base.index, columns=per_edge.columns)
    rows = rows.astype(per_edge.dtypes.to_dict()) if len(rows) == 0 else rows
    if matched.any():
        rows.loc[np.flatnonzero(matched)] = per_edge.iloc[inv].to_numpy()
    out = pd.concat([base, rows], axis=1)
    for col in per_edge.columns:
        if per_edge[col].dtype == bool:
            out[col] = out[col].astype("boolean")
        elif per_edge[col].dtype.kind in "iu":
            out[col] = pd.to_numeric(out[col]).astype("Int64")
        elif per_edge[col].dtype.kind == "f":
            out[col] = pd.to_numeric(out[col]).astype(float)
    aadt = (pd.to_numeric(bridges["aadt"], errors="coerce").to_numpy(float)
            if "aadt" in bridges.columns else np.full(len(out), np.nan))
    out["aadt"] = aadt
    out["affected_vehicle_km_per_day"] = aadt * out["detour_m"].to_numpy(float) / 1000.0
    out["affected_vehicle_hours_per_day"] = aadt * out["detour_min"].to_numpy(float) / 60.0
    out["criticality_rank"] = rank_bridges(out)
    extra = bridges.drop(columns=[c for c in bridges.columns
                                  if c in out.columns or c == bridges.geometry.name
                                  or c in ("n_candidates", "nearest_edge_m", "reason")])
    out = pd.concat([out, extra.reset_index(drop=True),
                     bridges[["n_candidates", "nearest_edge_m", "reason"]].reset_index(drop=True)],
                    axis=1)
    geom = bridges.geometry.to_numpy().copy()
    egeom = network.edges.geometry.to_numpy()
    geom[matched] = egeom[eid_all[matched]]
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
    """Criticality the plain way, with networkx: for each bridge remove its edge, run
    ``nx.dijkstra_path_length`` from one end to the other, put the edge back; when no
    path exists, take the connected components of the two ends and call the one
    without the larger population (then: with fewer nodes) cut off.

    Slow (one search per bridge, over the whole side for isolating bridges); used to
    verify ``bridge_criticality`` and as the benchmark baseline.  Returns
    ``bridge_id, alt_route, isolates, isolated_nodes, isolated_population`` per
    matched bridge (``alt_route`` in the unit of ``weight``, NaN when isolating).
    """
    import networkx as nx

    bridges = require_bridges(network)
    g = graph if graph is not None else network.to_networkx()
    b = bridges[bridges["matched"]]
    if bridge_ids is not None:
        b = b[b["bridge_id"].isin(list(bridge_ids))]
    directed = g.is_directed()
    rows = []
    for k, (bid, e, u, v) in enumerate(zip(b["bridge_id"], b["edge_id"], b["u"], b["v"])):
        e, u, v = int(e), int(u), int(v)
        removed = [(a, c, kk, d) for (a, c, kk, d) in g.edges(keys=True, data=True) if kk == e] \
            if directed else [(u, v, e, g.edges[u, v, e])]
        g.remove_edges_from([(a, c, kk) for (a, c, kk, _) in removed])
        ug = g.to_undirected(as_view=True) if directed else g
        if nx.has_path(ug, u, v) if directed else True:
            try:
                if directed:
                    alt = max(nx.dijkstra_path_length(g, a, c, weight=weight)
                              for (a, c, _, _) in removed)
                else:
                    alt = nx.dijkstra_path_length(g, u, v, weight=weight)
                rows.append((bid, alt, False, 0, 0.0))
            except nx.NetworkXNoPath:
                if directed:
                    rows.append((bid, np.nan, False, 0, 0.0))
                else:
                    rows.append(_reference_cut(g, bid, u, v))
        else:
            rows.append(_reference_cut(ug, bid, u, v))
        g.add_edges_from(removed)
        if progress is not None and k % 64 == 0:
            report_progress(progress, k / max(1, len(b)), "reference criticality")
    return pd.DataFrame(rows, columns=["bridge_id", "alt_route", "isolates", "isolated_nodes",
                                       "isolated_population"])


def _reference_cut(g, bid, u, v):
    import networkx as nx
    cu = nx.node_connected_component(g, u)
    cv = nx.node_connected_component(g, v)
    pu = sum(g.nodes[x]["population"] for x in cu)
    pv = sum(g.nodes[x]["population"] for x in cv)
    if (pu, len(cu)) < (pv, len(cv)):
        return (bid, np.nan, True, len(cu), pu)
    if (pv, len(cv)) < (pu, len(cu)):
        return (bid, np.nan, True, len(cv), pv)
    return (bid, np.nan, True, len(cv), pv)   # full tie: either side; sizes are equal


# --- components after removing a set of edges -------------------------------------
def set_components(network: Network, edge_ids) -> tuple[np.ndarray, np.ndarray]:
    """Connected pieces and the nodes cut off when the edges ``edge_ids`` are removed together.

    Only the original components holding a removed edge are relabelled (undirected
    graph).  In each, the piece with the largest population stays, then the one with
    the most nodes, then the one holding the lowest node id; the others are cut off.

    Returns
    -------
    label : int64 (n_nodes,)
        Piece number inside its original component for the relabelled nodes, -1
        elsewhere.
    isolated : bool (n_nodes,)
        Nodes cut off from the rest of their original component.
    """
    edges = np.unique(np.asarray(edge_ids, np.int64))
    mask = np.zeros(network.n_edges, np.bool_)
    mask[edges] = True
    indptr, head, arc_edge = network.csr("undirected")
    node_comp = network.nodes["component"].to_numpy()
    u_all, _ = network.uv()
    comps = np.unique(node_comp[u_all[edges]]) if len(edges) else np.zeros(0, np.int64)
    if "comp_order" not in network._cache:
        order = np.argsort(node_comp, kind="stable")
        starts = np.searchsorted(node_comp[order], np.arange(node_comp.max() + 2))
        network._cache["comp_order"] = (order, starts)
    order, starts = network._cache["comp_order"]
    scope = (np.concatenate([order[starts[c]:starts[c + 1]] for c in comps])
             if len(comps) else np.zeros(0, np.int64))
    label = np.full(network.n_nodes, -1, np.int64)
    queue = np.empty(max(1, len(scope)), np.int64)
    if len(scope):
        K.label_components(scope, indptr, head, arc_edge, mask, label, queue)
    vals = _node_values(network)
    isolated = np.zeros(network.n_nodes, bool)
    for c in comps:
        nodes_c = order[starts[c]:starts[c + 1]]
        lab = label[nodes_c]
        uniq, li = np.unique(lab, return_inverse=True)
        if len(uniq) == 1:
            continue
        pop = np.bincount(li, weights=vals[nodes_c, 1], minlength=len(uniq))
        cnt = np.bincount(li, minlength=len(uniq))
        first = np.full(len(uniq), network.n_nodes)
        np.minimum.at(first, li, nodes_c)
        main = np.lexsort((first, -cnt, -pop))[0]
        isolated[nodes_c[li != main]] = True
    return label, isolated


def isolated_totals(network: Network, isolated: np.ndarray) -> dict:
    """Sums over the cut-off nodes: ``isolated_nodes``, ``isolated_population`` (persons),
    ``isolated_facilities`` and ``isolated_<type>`` counts."""
    vals = _node_values(network)
    iso = vals[isolated].sum(axis=0) if isolated.any() else np.zeros(vals.shape[1])
    return {"isolated_nodes": int(round(iso[0])), "isolated_population": float(iso[1]),
            "isolated_facilities": int(round(iso[2])),
            **{col: int(round(iso[j])) for j, col in enumerate(ISOLATED_COUNT_COLUMNS, start=3)}}


# --- scenarios: a set of bridges removed at once ------------------------------------
@dataclass
class ScenarioResult:
    """Result of ``removal_scenario``.

    Attributes
    ----------
    summary : dict
        Measures of the whole set (see ``removal_scenario``).
    bridges : GeoDataFrame
        One row per bridge of the set, with detours measured with the WHOLE set removed.
    trips : GeoDataFrame
        Trips that get longer (line geometry of the new route, None when cut off).
    isolated_node_ids : ndarray
        Nodes cut off from the rest of their component.
    """
    summary: dict
    bridges: gpd.GeoDataFrame
    trips: gpd.GeoDataFrame
    isolated_node_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def summary_frame(self) -> pd.DataFrame:
        d = dict(self.summary)
        d["bridge_ids"] = ";".join(d["bridge_ids"])
        d["unmatched"] = ";".join(d["unmatched"])
        return pd.DataFrame([d])


TRIP_COLUMNS = ["origin_node", "destination_node", "facility_type", "population",
                "destination_before", "destination_after", "before_m", "after_m", "extra_m",
                "before_min", "after_min", "extra_min", "cut_off"]


def removal_scenario(network: Network, bridge_ids, od_pairs=None,
                     settings: Settings | None = None, geometry: bool = True,
                     progress=None) -> ScenarioResult:
    """Remove a set of bridges at once and measure the effect.

    Parameters
    ----------
    network : Network
        With bridges attached; population and facilities make trips possible.
    bridge_ids : iterable of str
        The bridges removed together.  Unknown ids raise ``InputError``; unmatched
        bridges have no edge, are listed in ``summary["unmatched"]`` and change nothing.
    od_pairs : DataFrame, optional
        Trips to measure, with columns ``origin_node`` and ``destination_node``
        (node ids).  Default: from every populated node (settlement) to its nearest
        facility of each type (after removal: the nearest one still reachable).
    settings : Settings, optional
        ``settings.criticality.weight`` (``length_m`` or ``time_min``) chooses the
        routes of the trips; both their length and time are reported.
    geometry : bool
        Build the line geometry of each longer trip's new route (default True).

    Returns
    -------
    ScenarioResult
        ``summary`` keys: ``bridge_ids``, ``unmatched``, ``isolates``,
        ``isolated_nodes``, ``isolated_population``, ``isolated_facilities``,
        ``isolated_<type>``, ``isolated_facility_names``, ``vehicle_km_per_day`` and
        ``vehicle_hours_per_day`` (sum over the set's bridges with known AADT of
        AADT x detour with the whole set removed), ``bridges_without_route``,
        ``trips_longer``, ``trips_cut_off``, ``population_with_longer_trips``.

    Only what the removed edges affect is recomputed: components of the original
    components holding them, and the trips whose shortest-path tree used them.
    """
    settings = settings or network.settings
    weight = settings.criticality.weight
    bridges = require_bridges(network)
    ids = [str(b) for b in (bridge_ids if not isinstance(bridge_ids, str) else [bridge_ids])]
    if "bridge_table" not in network._cache:
        network._cache["bridge_table"] = bridges.set_index("bridge_id", drop=False)
    table = network._cache["bridge_table"]
    unknown = [b for b in ids if b not in table.index]
    if unknown:
        examples = ", ".join(map(str, table.index[:3]))
        raise InputError(f"unknown bridge_id(s) {', '.join(unknown[:10])}: not among the "
                         f"{len(table)} bridges of the run (ids such as {examples}); fix: "
                         "use the bridge_id column of the bridge layer (gunmane validate "
                         "lists what was loaded)", source="bridges", field="bridge_id")
    sel = table.loc[ids]
    unmatched = sel.index[~sel["matched"].to_numpy(bool)].tolist()
    sel = sel[sel["matched"].to_numpy(bool)]
    edges = np.unique(sel["edge_id"].to_numpy(np.int64))
    mask = np.zeros(network.n_edges, np.bool_)
    mask[edges] = True
    report_progress(progress, 0.0, "scenario: components")

    # --- who is cut off -----------------------------------------------------------
    u_all, v_all = network.uv()
    label, isolated = set_components(network, edges)
    vals = _node_values(network)
    iso_nodes = np.flatnonzero(isolated)
    iso_vals = vals[iso_nodes].sum(axis=0) if len(iso_nodes) else np.zeros(vals.shape[1])
    fac_names = ""
    if network.facilities is not None and len(iso_nodes):
        f = network.facilities
        cut = f[isolated[f["node_id"].to_numpy(np.int64)]]
        fac_names = "; ".join(f"{n if n is not None and n == n else i} ({t})" for n, i, t in
                              zip(cut["name"], cut["facility_id"], cut["facility_type"]))

    # --- detours of each bridge with the whole set removed --------------------------
    report_progress(progress, 0.2, "scenario: detours")
    eids = sel["edge_id"].to_numpy(np.int64)
    same_side = label[u_all[eids]] == label[v_all[eids]]
    alt = {}
    for w in ("length_m", "time_min"):
        a = np.full(len(eids), np.nan)
        if same_side.any():
            a[same_side] = alternative_routes(network, eids[same_side], w, removed=edges)
        a[~np.isfinite(a)] = np.nan
        alt[w] = a
    L = network.weight("length_m")[eids]
    T = network.weight("time_min")[eids]
    aadt = (pd.to_numeric(sel["aadt"], errors="coerce").to_numpy(float)
            if "aadt" in sel.columns else np.full(len(sel), np.nan))
    bt = pd.DataFrame({
        "bridge_id": sel["bridge_id"].to_numpy(), "edge_id": eids,
        "u": u_all[eids], "v": v_all[eids],
        "bridge_length_m": L, "bridge_time_min": T,
        "alt_route_m": alt["length_m"], "detour_m": np.maximum(0.0, alt["length_m"] - L),
        "alt_route_min": alt["time_min"], "detour_min": np.maximum(0.0, alt["time_min"] - T),
        "isolates": ~same_side | np.isnan(alt["length_m"]), "aadt": aadt,
    })
    bt["affected_vehicle_km_per_day"] = aadt * bt["detour_m"] / 1000.0
    bt["affected_vehicle_hours_per_day"] = aadt * bt["detour_min"] / 60.0
    bt = gpd.GeoDataFrame(bt, geometry=network.edges.geometry.to_numpy()[eids], crs=network.crs)

    # --- trips ---------------------------------------------------------------------
    report_progress(progress, 0.4, "scenario: trips")
    if od_pairs is None:
        trips = _access_trips(network, edges, mask, weight, geometry)
    else:
        trips = _pair_trips(network, od_pairs, mask, weight, geometry)

    summary = {
        "bridge_ids": ids, "unmatched": unmatched,
        "isolates": bool(len(iso_nodes)), "isolated_nodes": int(len(iso_nodes)),
        "isolated_population": float(iso_vals[1]),
        "isolated_facilities": int(iso_vals[2]),
        **{col: int(iso_vals[j]) for j, col in enumerate(ISOLATED_COUNT_COLUMNS, start=3)},
        "isolated_facility_names": fac_names,
        "vehicle_km_per_day": float(np.nansum(bt["affected_vehicle_km_per_day"])),
        "vehicle_hours_per_day": float(np.nansum(bt["affected_vehicle_hours_per_day"])),
        "bridges_without_route": int(bt["isolates"].sum()),
        "trips_longer": int(len(trips)),
        "trips_cut_off": int(trips["cut_off"].sum()) if len(trips) else 0,
        "population_with_longer_trips": float(
            trips.drop_duplicates("origin_node")["population"].sum()) if len(trips) else 0.0,
    }
    report_progress(progress, 1.0, "scenario done")
    return ScenarioResult(summary=summary, bridges=bt, trips=trips, isolated_node_ids=iso_nodes)


def _trace(node, pred_edge, u, v, wl, wt):
    """Edges from ``node`` back to its tree root, with the summed length and time."""
    path = []
    x = node
    lsum = tsum = 0.0
    while pred_edge[x] >= 0:
        e = pred_edge[x]
        path.append((e, x))
        lsum += wl[e]; tsum += wt[e]
        x = u[e] if v[e] == x else v[e]
    return path, lsum, tsum, x


def _path_line(network, path):
    """LineString along ``path`` [(edge, node it is entered *from*... )] from origin on."""
    egeom = network.edges.geometry.to_numpy()
    u, _ = network.uv()
    coords = []
    for e, x in path:
        c = np.asarray(egeom[e].coords)
        c = c if u[e] == x else c[::-1]
        coords.append(c if not coords else c[1:])
    if not coords:
        return None
    xy = np.vstack(coords)
    return shapely.LineString(xy) if len(xy) >= 2 else None


def _tree(network, sources, weight, mask):
    n = network.n_nodes
    indptr, head, arc_edge = network.csr("backward")
    dist = np.empty(n); pred = np.empty(n, np.int64); origin = np.empty(n, np.int64)
    hk = np.empty(len(head) + len(sources) + 1); hv = np.empty(len(head) + len(sources) + 1,
                                                            np.int64)
    K.multi_source_dijkstra(np.ascontiguousarray(sources, np.int64), indptr, head, arc_edge,
                            network.weight(weight), mask, dist, pred, origin, hk, hv)
    return dist, pred, origin


def _facility_labels(network):
    key = "facility_labels"
    if key not in network._cache:
        f = network.facilities
        lab = {}
        for n, i, t, node in zip(f["name"], f["facility_id"], f["facility_type"], f["node_id"]):
            lab.setdefault((t, int(node)), []).append(str(n if n is not None and n == n else i))
        network._cache[key] = {k: "; ".join(v) for k, v in lab.items()}
    return network._cache[key]


def _route_change(network, node, pred_before, pred_after, dist_after, geometry):
    """The route from ``node`` to its tree root before and after a removal.

    ``pred_*`` are the predecessor edges of the shortest-path trees without and with the
    removal, ``dist_after`` the distances with it.  Returns ``(length_before_m,
    length_after_m, time_before_min, time_after_min, cut, line_after)``; when the root
    cannot be reached after the removal, ``cut`` is True, the after values are NaN and
    the line None (also None unless ``geometry``).
    """
    u, v = network.uv()
    wl, wt = network.weight("length_m"), network.weight("time_min")
    _, l0, t0, _ = _trace(node, pred_before, u, v, wl, wt)
    if not np.isfinite(dist_after[node]):
        return l0, np.nan, t0, np.nan, True, None
    path, l1, t1, _ = _trace(node, pred_after, u, v, wl, wt)
    return l0, l1, t0, t1, False, (_path_line(network, path) if geometry else None)


def _access_trips(network, edges, mask, weight, geometry):
    """Settlement -> nearest facility of each type, for the trips that get longer."""
    empty = gpd.GeoDataFrame({c: [] for c in TRIP_COLUMNS}, geometry=[], crs=network.crs)
    f = network.facilities
    pop = network.nodes["population"].to_numpy(float)
    settle = np.flatnonzero(pop > 0)
    if f is None or len(f) == 0 or len(settle) == 0:
        return empty
    labels = _facility_labels(network)
    no_mask = np.zeros(network.n_edges, np.bool_)
    rows, geoms = [], []
    if "facility_sources" not in network._cache:
        network._cache["facility_sources"] = {
            t: np.unique(f.loc[f["facility_type"] == t, "node_id"].to_numpy(np.int64))
            for t in sorted(f["facility_type"].unique())}
    for t, src in network._cache["facility_sources"].items():
        key = f"trips:{t}:{weight}"
        if key not in network._cache:
            network._cache[key] = _tree(network, src, weight, no_mask)
        d0, p0, o0 = network._cache[key]
        if not np.isin(edges, p0).any():
            continue        # no removed edge on any shortest route to this facility type
        d1, p1, o1 = _tree(network, src, weight, mask)
        reach = np.isfinite(d0[settle])
        longer = reach & ~(d1[settle] <= d0[settle] + 1e-9 * np.maximum(1.0, d0[settle]))
        for s in settle[longer]:
            l0, l1, t0, t1, cut, line = _route_change(network, s, p0, p1, d1, geometry)
            rows.append((s, -1 if cut else int(o1[s]), t, pop[s],
                         labels.get((t, int(o0[s])), ""),
                         "" if cut else labels.get((t, int(o1[s])), ""),
                         l0, l1, l1 - l0, t0, t1, t1 - t0, cut))
            geoms.append(line)
    if not rows:
        return empty
    df = pd.DataFrame(rows, columns=TRIP_COLUMNS)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=network.crs)


def _pair_trips(network, od_pairs, mask, weight, geometry):
    """Given origin/destination node pairs, the trips that get longer."""
    if not {"origin_node", "destination_node"} <= set(od_pairs.columns):
        raise InputError("od_pairs needs columns origin_node and destination_node (node ids)")
    o = od_pairs["origin_node"].to_numpy(np.int64)
    d = od_pairs["destination_node"].to_numpy(np.int64)
    n = network.n_nodes
    if len(o) and (min(o.min(), d.min()) < 0 or max(o.max(), d.max()) >= n):
        raise InputError(f"od_pairs refer to node ids outside 0..{n - 1}")
    pop = network.nodes["population"].to_numpy(float)
    no_mask = np.zeros(network.n_edges, np.bool_)
    rows, geoms = [], []
    for dest in np.unique(d):
        # one tree per destination on the reversed graph: origin -> destination routes
        d0, p0, _ = _tree(network, np.array([dest]), weight, no_mask)
        d1, p1, _ = _tree(network, np.array([dest]), weight, mask)
        for s in o[d == dest]:
            if not np.isfinite(d0[s]) or d1[s] <= d0[s] + 1e-9 * max(1.0, d0[s]):
                continue
            l0, l1, t0, t1, cut, line = _route_change(network, s, p0, p1, d1, geometry)
            rows.append((int(s), int(dest), None, pop[s], "", "", l0, l1, l1 - l0, t0, t1,
                         t1 - t0, cut))
            geoms.append(line)
    df = pd.DataFrame(rows, columns=TRIP_COLUMNS)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=network.crs)
