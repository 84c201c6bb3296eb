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

    def __init__(self, network: Network, mode: str = "motor"):
        n = network.n_nodes
        self.f = network.csr("forward", mode)
        self.b = network.csr("backward", mode)
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
    def of(cls, network: Network, mode: str = "motor") -> "_Workspace":
        """The network's workspace for ``mode`` (created once, kept in its cache)."""
        key = f"workspace:{mode}"
        ws = network._cache.get(key)
        if ws is None:
            ws = network._cache[key] = cls(network, mode)
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


@dataclass
class RoadLinks:
    """The road links that carry some edges: junction to junction (``road_links``).

    Attributes
    ----------
    edge_ids : int64 (m,)   the edges asked for
    a, b : int64 (m,)       the junctions that bound each link (``a`` on the edge's ``u``
                            side, ``b`` on its ``v`` side)
    ptr, edges : int64      the link of ``edge_ids[i]`` is ``edges[ptr[i]:ptr[i+1]]``
    looped : bool (m,)      the road around the edge is a cycle without any junction; the
                            link is then the edge's own road line
    """
    edge_ids: np.ndarray
    a: np.ndarray
    b: np.ndarray
    ptr: np.ndarray
    edges: np.ndarray
    looped: np.ndarray

    def cost(self, weight: np.ndarray) -> np.ndarray:
        """The link's own cost (sum of ``weight`` over its edges; metres or minutes)."""
        if not len(self.edge_ids):
            return np.zeros(0)
        return np.add.reduceat(np.asarray(weight, float)[self.edges], self.ptr[:-1])

    def members(self, i: int) -> np.ndarray:
        """Edge ids of link ``i``."""
        return self.edges[self.ptr[i]:self.ptr[i + 1]]


def road_links(network: Network, edge_ids, mode: str = "motor") -> RoadLinks:
    """The road link (junction to junction) of each edge, over the edges of ``mode``.

    From each end of the edge, walk along the road while the node has degree 2 (in the
    graph of ``mode``); the first node of another degree (a junction, or a dead end) bounds
    the link.  This is the link of RA2CE and of the usual 迂回距離: through traffic turns
    at the junctions, never at the abutments.  A cycle without any junction falls back to
    the stretch of the edge's own road line.  See docs/criticality.md.
    """
    edge_ids = np.ascontiguousarray(edge_ids, np.int64)
    indptr, head, arc_edge = network.csr("undirected", mode)
    eu, ev = network.uv()
    if "source_row" in network.edges.columns:
        line_id = np.ascontiguousarray(network.edges["source_row"].to_numpy(np.int64))
    else:
        line_id = np.arange(network.n_edges, dtype=np.int64)
    m = len(edge_ids)
    a = np.empty(m, np.int64)
    b = np.empty(m, np.int64)
    looped = np.zeros(m, np.bool_)
    ptr = np.zeros(m + 1, np.int64)
    buf = np.empty(max(16, 4 * m), np.int64)
    while True:
        used = K.road_links(edge_ids, eu, ev, indptr, head, arc_edge, line_id, a, b, looped,
                            ptr, buf)
        if used >= 0:
            break
        buf = np.empty(2 * len(buf), np.int64)
    return RoadLinks(edge_ids, a, b, ptr, buf[:used].copy(), looped)


def share_a_link(network: Network, edge_ids, mode: str = "motor") -> bool:
    """True when two of ``edge_ids`` lie on the same road link: removing both cuts off the
    stretch between them even though the link's junctions stay connected."""
    edge_ids = np.unique(np.asarray(edge_ids, np.int64))
    if len(edge_ids) < 2:
        return False
    links = road_links(network, edge_ids, mode)
    first = np.minimum.reduceat(links.edges, links.ptr[:-1])     # a link's lowest edge id
    return len(np.unique(first)) < len(edge_ids)


def _queries(network: Network, links: RoadLinks, mode: str):
    """Detour queries per link: a->b, plus b->a for two-way edges when directed.

    Returns (sources, targets, edge, owner) where owner indexes ``links.edge_ids``.
    """
    edge_ids = links.edge_ids
    owner = np.arange(len(edge_ids))
    if not network.directed or mode == "walk":
        return links.a, links.b, edge_ids, owner
    one = network.edges["oneway"].fillna(False).to_numpy(bool)[edge_ids]
    two = ~one
    return (np.concatenate([links.a, links.b[two]]), np.concatenate([links.b, links.a[two]]),
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
                       return_paths: bool = False, mode: str = "motor",
                       links: RoadLinks | None = None):
    """Shortest route between the two junctions of each edge's road link, without the edge.

    This is the one implementation of "shortest route with these edges removed" in
    gunmane_geo: single-bridge criticality, ``removal_scenario`` and the options and
    plans (``gunmane_geo.options``) all call it.  The route runs between the junctions
    that bound the edge's road link (``road_links``), so the detour of through traffic is
    ``route - links.cost(weight)``: nobody drives to an abutment and back.

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
        link's ``a`` junction to its ``b`` junction (empty when there is none).  On a
        directed network the routes of both directions are concatenated.
    mode : ``"motor"`` (vehicles, default) or ``"walk"`` (walkers: every walkable way,
        one-way signs ignored); see ``Network.mode_edges``.
    links : RoadLinks, optional
        ``road_links(network, edge_ids, mode)`` when the caller has it already.

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
    if links is None:
        links = road_links(network, edge_ids, mode)
    s, t, e, owner = _queries(network, links, mode)
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
    ws = _Workspace.of(network, mode)
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
    if not network.directed or mode == "walk":
        return out, paths
    routes = [[] for _ in range(len(edge_ids))]
    for o, p in zip(owner, paths):
        routes[o].append(p)
    return out, [np.concatenate(r) if r else np.zeros(0, np.int64) for r in routes]


def isolation_pass(network: Network, mode: str = "motor"):
    """Tarjan bridge-finding with subtree sums over the undirected graph of ``mode`` (cached).

    Returns a dict with ``comp``, ``pre``, ``size``, ``sub`` (n x k subtree sums of
    ``_VALUE_COLUMNS``), ``cut_child`` (per edge) and ``comp_total`` (per component).
    """
    key = f"tarjan:{mode}"
    if key not in network._cache:
        indptr, head, arc_edge = network.csr("undirected", mode)
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


def _cut_sides(network: Network, edge_ids: np.ndarray, mode: str = "motor"):
    """For each edge: isolates?, the isolated side's sums, and its preorder ranges."""
    tp = isolation_pass(network, mode)
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
                   span) -> dict:
    """Isolation and through-traffic detours of ``edge_ids`` for one travel mode.

    Returns arrays per edge keyed by the ``_CAR_COLUMNS`` names (plus ``one_way_cut``).
    """
    lo, hi = span
    isolates, iso, child_side, cut_child, tp = _cut_sides(network, edge_ids, mode)
    report_progress(progress, lo + 0.05 * (hi - lo), f"isolation done ({mode})")
    names = np.full(len(edge_ids), "", dtype=object)
    if mode == "motor":
        fidx = _FacilityIndex(network, tp["pre"])
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
    sub = RoadLinks(edge_ids[todo], links.a[todo], links.b[todo], *_take_links(links, todo),
                    links.looped[todo])
    for i, w in enumerate(weights):
        part = (lo + (0.05 + 0.95 * i / len(weights)) * (hi - lo),
                lo + (0.05 + 0.95 * (i + 1) / len(weights)) * (hi - lo))
        alt[w][todo] = alternative_routes(network, edge_ids[todo], w, progress=progress,
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
    return out


def _take_links(links: RoadLinks, idx: np.ndarray):
    """``(ptr, edges)`` of the links ``idx`` of ``links``."""
    lens = np.diff(links.ptr)[idx]
    ptr = np.zeros(len(idx) + 1, np.int64)
    np.cumsum(lens, out=ptr[1:])
    pos = np.repeat(links.ptr[idx] - ptr[:-1], lens) + np.arange(ptr[-1])
    return ptr, links.edges[pos]


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
        ``RANK_RULE``.
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

    car = _mode_measures(network, edge_ids[motor], "motor", weights, progress, (0.0, 0.8))
    foot = _mode_measures(network, edge_ids[walk], "walk", ["length_m"], progress, (0.8, 0.95))

    per_edge = pd.DataFrame({
        "component": network.components("motor")[network.uv()[0][edge_ids]],
        "bridge_length_m": network.weight("length_m")[edge_ids],
        "bridge_time_min": network.weight("time_min")[edge_ids],
    })
    for col in _CAR_COLUMNS:
        per_edge[col] = _spread(car.get(col), motor, col)
    per_edge["pedestrian_only"] = ~motor & walk
    for col, src in (("walk_link_length_m", "link_length_m"),
                     ("walk_alt_route_m", "alt_route_m"), ("walk_detour_m", "detour_m"),
                     ("isolates_on_foot", "isolates")):
        per_edge[col] = _spread(foot.get(src), walk, src)
    if network.directed:
        per_edge["one_way_cut"] = _spread(car.get("one_way_cut"), motor, "isolates")

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
    out = out[first + [c for c in out.columns if c not in first]]
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
    one = network.edges["oneway"].fillna(False).to_numpy(bool)
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


# --- components after removing a set of edges -------------------------------------
def set_components(network: Network, edge_ids, mode: str = "motor"
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Connected pieces and the nodes cut off when the edges ``edge_ids`` are removed together.

    Only the original components (of travel ``mode``) holding a removed edge are
    relabelled (undirected graph).  In each, the piece with the largest population stays, then the one with
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
    edges = edges[network.mode_edges(mode)[edges]]
    mask = np.zeros(network.n_edges, np.bool_)
    mask[edges] = True
    indptr, head, arc_edge = network.csr("undirected", mode)
    node_comp = network.components(mode)
    u_all, _ = network.uv()
    comps = np.unique(node_comp[u_all[edges]]) if len(edges) else np.zeros(0, np.int64)
    key = f"comp_order:{mode}"
    if key not in network._cache:
        order = np.argsort(node_comp, kind="stable")
        starts = np.searchsorted(node_comp[order], np.arange(node_comp.max() + 2))
        network._cache[key] = (order, starts)
    order, starts = network._cache[key]
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
    motor = network.mode_edges("motor")[eids]
    links = road_links(network, eids, "motor")
    same_side = motor & (label[links.a] == label[links.b])
    alt = {}
    for w in ("length_m", "time_min"):
        a = np.full(len(eids), np.nan)
        if same_side.any():
            a[same_side] = alternative_routes(network, eids[same_side], w, removed=edges)
        a[~np.isfinite(a)] = np.nan
        alt[w] = a
    L = links.cost(network.weight("length_m"))
    T = links.cost(network.weight("time_min"))
    aadt = (pd.to_numeric(sel["aadt"], errors="coerce").to_numpy(float)
            if "aadt" in sel.columns else np.full(len(sel), np.nan))
    bt = pd.DataFrame({
        "bridge_id": sel["bridge_id"].to_numpy(), "edge_id": eids,
        "u": u_all[eids], "v": v_all[eids],
        "bridge_length_m": network.weight("length_m")[eids],
        "bridge_time_min": network.weight("time_min")[eids],
        "link_u": links.a, "link_v": links.b, "link_length_m": L, "link_time_min": T,
        "alt_route_m": alt["length_m"], "detour_m": np.maximum(0.0, alt["length_m"] - L),
        "alt_route_min": alt["time_min"], "detour_min": np.maximum(0.0, alt["time_min"] - T),
        "isolates": motor & (~same_side | np.isnan(alt["length_m"])),
        "pedestrian_only": ~motor, "aadt": aadt,
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
