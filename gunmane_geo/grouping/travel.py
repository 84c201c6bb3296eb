"""Road travel times between points (municipal offices, assets), in minutes.

Two sources of travel time:

* a road graph: the ``gunmane_geo.network`` ``Network`` when given, or a plain
  graph built here from a roads GeoDataFrame (end points merged within
  ``settings.network.snap_tolerance_m``; speed from ``speed_kmh`` or the
  per-class default of ``settings.network.default_speed_kmh``).  A point is
  attached to its nearest road edge (at the point nearest it); the straight access leg is timed at
  ``settings.grouping.fallback_speed_kmh``.
* no roads: straight-line distance x ``fallback_circuity`` at
  ``fallback_speed_kmh`` (reported as an estimate by the callers).

All coordinates are in the layer's projected metric CRS.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
import shapely
from shapely.strtree import STRtree

from ..errors import InputError
from ..settings import Settings


@dataclass
class TravelGraph:
    """An undirected routable graph: ``csr`` of edge minutes, node coordinates (metres), and
    per edge its end nodes, minutes and line (points are attached to the nearest edge).

    ``csr`` holds every edge in both directions (a symmetric matrix, the fastest of parallel
    edges), as ``road_graph`` and ``graph_from_network`` build it.  ``cache`` keeps travel
    matrices between fixed points (``office_travel``)."""
    csr: sparse.csr_matrix
    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_min: np.ndarray
    edge_geom: np.ndarray
    source: str = "roads"

    def __post_init__(self):
        self.tree = STRtree(self.edge_geom) if len(self.edge_geom) else None
        self.cache: dict = {}

    def attach(self, xy: np.ndarray):
        """Nearest edge of each point: (edge index, fraction along it 0..1, distance m)."""
        if self.tree is None:
            raise InputError("the road layer has no usable lines; give roads with line geometries",
                             source="roads")
        pts = shapely.points(np.asarray(xy, dtype=float).reshape(-1, 2))
        idx_pt, idx_edge = self.tree.query_nearest(pts, all_matches=False)
        edge = np.empty(len(pts), dtype=np.int64)
        edge[idx_pt] = idx_edge
        lines = self.edge_geom[edge]
        frac = shapely.line_locate_point(lines, pts, normalized=True)
        dist = shapely.distance(lines, pts)
        return edge, np.nan_to_num(frac), dist


def road_graph(roads, settings: Settings | None = None) -> TravelGraph:
    """Build a routable graph (edge weights in minutes) from a roads GeoDataFrame.

    Parameters
    ----------
    roads : GeoDataFrame
        Line features in a projected metric CRS; optional ``speed_kmh`` and
        ``road_class`` columns.  Ferry lines (``is_ferry`` true or
        ``road_class == 'ferry'``) are left out: groups must not depend on ferries.
    settings : Settings, optional

    Returns
    -------
    TravelGraph
    """
    settings = settings if settings is not None else Settings()
    speeds = settings.network.default_speed_kmh
    snap = max(float(settings.network.snap_tolerance_m), 1e-6)
    n = len(roads)
    cls = roads["road_class"].astype("string").fillna("other").to_numpy(dtype=object) \
        if "road_class" in roads else np.full(n, "other", dtype=object)
    spd = pd.to_numeric(roads["speed_kmh"], errors="coerce").to_numpy(dtype=float, na_value=np.nan) \
        if "speed_kmh" in roads else np.full(n, np.nan)
    fallback = float(speeds.get("other", 20.0))
    by_class = np.array([float(speeds.get(str(c), fallback)) for c in cls]) if n else np.zeros(0)
    speed = np.where(np.isfinite(spd) & (spd > 0), spd, by_class)
    geoms = np.asarray(roads.geometry.values, dtype=object)
    keep = ~ferry_mask(roads) & ~pd.isna(geoms)
    keep[keep] &= np.isin(shapely.get_type_id(geoms[keep]), (1, 5))     # (multi)lines only
    rows = np.flatnonzero(keep)
    parts, part_row = shapely.get_parts(geoms[rows], return_index=True)
    parts = shapely.force_2d(parts)
    xy, vert_part = shapely.get_coordinates(parts, return_index=True)
    nvert = np.bincount(vert_part, minlength=len(parts))
    ok = nvert >= 2
    if not ok.any():
        empty = np.zeros(0, dtype=np.int64)
        return TravelGraph(sparse.csr_matrix((0, 0)), np.zeros((0, 2)), empty, empty, np.zeros(0),
                         np.array([], dtype=object))
    first = np.r_[0, np.cumsum(nvert)[:-1]]
    last = first + nvert - 1
    seg = np.hypot(*np.diff(xy, axis=0).T)
    seg = np.where(vert_part[1:] == vert_part[:-1], seg, 0.0)            # no jumps between parts
    length = np.bincount(vert_part[:-1], weights=seg, minlength=len(parts))
    first, last, length, parts = first[ok], last[ok], length[ok], parts[ok]
    minutes = length / 1000.0 / speed[rows[part_row[ok]]] * 60.0
    pts = np.vstack([xy[first], xy[last]])
    keys = np.round(pts / snap).astype(np.int64)
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    m = len(minutes)
    u, v = inverse[:m], inverse[m:]
    nn = int(inverse.max()) + 1
    node_xy = np.zeros((nn, 2))
    node_xy[inverse] = pts
    w = np.maximum(minutes, 1e-9)
    mat = _min_csr(np.r_[u, v], np.r_[v, u], np.r_[w, w], nn)   # fastest of parallel edges
    return TravelGraph(mat, node_xy, u, v, w, np.asarray(parts, dtype=object))


def _min_csr(u, v, w, n) -> sparse.csr_matrix:
    df = pd.DataFrame({"u": u, "v": v, "w": w}).groupby(["u", "v"], sort=False)["w"].min().reset_index()
    df = df[df["u"] != df["v"]]
    return sparse.csr_matrix((df["w"].to_numpy(), (df["u"].to_numpy(), df["v"].to_numpy())), shape=(n, n))


def ferry_mask(roads) -> np.ndarray:
    mask = np.zeros(len(roads), dtype=bool)
    if "is_ferry" in roads:
        mask |= roads["is_ferry"].fillna(False).astype(bool).to_numpy()
    if "road_class" in roads:
        mask |= (roads["road_class"].astype("string").str.lower() == "ferry").fillna(False).to_numpy()
    return mask


def graph_from_network(network) -> TravelGraph:
    """Adapt a ``gunmane_geo.network`` Network (edges with ``u``, ``v``, ``time_min``).

    Edge minutes are the network's ``time_min``; parallel edges keep the fastest; ferry
    edges (``is_ferry`` true or ``road_class == 'ferry'``) are left out; one-way flags are
    ignored (travel between offices is taken both ways).  Node ``i`` is row ``i`` of
    ``network.nodes`` (or its ``node_id``).  The graph is kept in the Network's cache, so
    later calls with the same Network (and its office travel matrices) are free.
    """
    if isinstance(network, TravelGraph):
        return network
    cache = getattr(network, "_cache", None)
    if isinstance(cache, dict) and isinstance(cache.get(_CACHE_KEY), TravelGraph):
        return cache[_CACHE_KEY]
    graph = _graph_from_network(network)
    if isinstance(cache, dict):
        cache[_CACHE_KEY] = graph     # Network.replace() drops it with the edges
    return graph


_CACHE_KEY = "grouping:road_graph"


def _graph_from_network(network) -> TravelGraph:
    edges = getattr(network, "edges", None)
    nodes = getattr(network, "nodes", None)
    if edges is None or nodes is None:
        raise InputError("network must be a gunmane_geo.network Network (with nodes and edges) "
                         "or a TravelGraph", source="network")
    ucol = next((c for c in ("u", "source", "from_node") if c in edges.columns), None)
    vcol = next((c for c in ("v", "target", "to_node") if c in edges.columns), None)
    if ucol is None or vcol is None or "time_min" not in edges.columns:
        raise InputError("network edges need node columns (u, v) and time_min", source="network")
    node_ids = pd.Index(nodes["node_id"] if "node_id" in nodes.columns else nodes.index)
    u = node_ids.get_indexer(edges[ucol])
    v = node_ids.get_indexer(edges[vcol])
    w = pd.to_numeric(edges["time_min"], errors="coerce").to_numpy(dtype=float)
    # ferry lines stay in the Network as ordinary edges (road_class 'ferry'); groups must
    # not depend on ferries, exactly as in ``road_graph``
    ok = (u >= 0) & (v >= 0) & np.isfinite(w) & ~ferry_mask(edges)
    w = np.maximum(w[ok], 1e-9)
    mat = _min_csr(np.r_[u[ok], v[ok]], np.r_[v[ok], u[ok]], np.r_[w, w], len(node_ids))
    xy = np.column_stack([nodes.geometry.x.to_numpy(), nodes.geometry.y.to_numpy()])
    geoms = edges.geometry.values[ok]
    return TravelGraph(mat, xy, u[ok], v[ok], w, np.asarray(geoms, dtype=object), source="network")


def travel_matrix(xy: np.ndarray, graph: TravelGraph | None = None, settings: Settings | None = None,
                  limit_min: float = np.inf, targets_xy: np.ndarray | None = None,
                  chunk: int = 64) -> np.ndarray:
    """Travel minutes from each point of ``xy`` to each point of ``targets_xy`` (default ``xy``).

    Parameters
    ----------
    xy, targets_xy : array (n, 2)
        Coordinates in metres (projected CRS).
    graph : TravelGraph, optional
        Road graph; ``None`` uses straight line x circuity at the fallback speed.
    limit_min : float
        Searches stop at this many minutes; farther pairs are ``inf``.

    Returns
    -------
    ndarray (n, m) of minutes; ``inf`` where unreachable or beyond ``limit_min``.
    """
    settings = settings if settings is not None else Settings()
    g = settings.grouping
    speed_m_per_min = g.fallback_speed_kmh * 1000.0 / 60.0
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    txy = xy if targets_xy is None else np.asarray(targets_xy, dtype=float).reshape(-1, 2)
    if graph is None:
        d = np.hypot(xy[:, None, 0] - txy[None, :, 0], xy[:, None, 1] - txy[None, :, 1])
        t = d * g.fallback_circuity / speed_m_per_min
        t[t > limit_min] = np.inf
        return t
    se, sf, sd = graph.attach(xy)
    te, tf, td = graph.attach(txy) if targets_xy is not None else (se, sf, sd)
    # each point reaches its edge's two end nodes: (node, minutes) pairs
    s_nodes = np.column_stack([graph.edge_u[se], graph.edge_v[se]])
    s_off = np.column_stack([sf * graph.edge_min[se], (1 - sf) * graph.edge_min[se]]) \
        + (sd / speed_m_per_min)[:, None]
    t_nodes = np.column_stack([graph.edge_u[te], graph.edge_v[te]])
    t_off = np.column_stack([tf * graph.edge_min[te], (1 - tf) * graph.edge_min[te]]) \
        + (td / speed_m_per_min)[:, None]
    out = np.full((len(xy), len(txy)), np.inf)
    limit = limit_min if np.isfinite(limit_min) else np.inf
    uniq, inv = np.unique(s_nodes.ravel(), return_inverse=True)
    inv = inv.reshape(-1, 2)
    if len(xy) < len(uniq):
        # one search per point, from a node of its own joined to its edge's two ends
        for start in range(0, len(xy), chunk):
            rows = np.arange(start, min(start + chunk, len(xy)))
            dist = _dijkstra_from_points(graph.csr, s_nodes[rows], s_off[rows], limit)
            for b in range(2):
                out[rows] = np.minimum(out[rows], dist[:, t_nodes[:, b]] + t_off[None, :, b])
    else:
        # fewer distinct end nodes than points: one search per end node
        for start in range(0, len(uniq), chunk):
            block = uniq[start:start + chunk]
            dist = dijkstra(graph.csr, directed=True, indices=block, limit=limit)
            for a in range(2):
                rows = np.nonzero((inv[:, a] >= start) & (inv[:, a] < start + len(block)))[0]
                if not len(rows):
                    continue
                d_rows = dist[inv[rows, a] - start]            # (r, n_nodes)
                for b in range(2):
                    cand = s_off[rows, a][:, None] + d_rows[:, t_nodes[:, b]] + t_off[None, :, b]
                    out[rows] = np.minimum(out[rows], cand)
    same = se[:, None] == te[None, :]
    if same.any():   # two points on one edge: along it
        along = np.abs(sf[:, None] - tf[None, :]) * graph.edge_min[se][:, None] \
            + (sd / speed_m_per_min)[:, None] + (td / speed_m_per_min)[None, :]
        out = np.where(same, np.minimum(out, along), out)
    out[out > limit_min] = np.inf
    return out


def _dijkstra_from_points(csr, nodes, offsets, limit) -> np.ndarray:
    """Minutes from k points to every node: Dijkstra from k extra nodes, point r having arcs
    to ``nodes[r]`` (its edge's two ends) weighing ``offsets[r]``.  The extra nodes have no
    incoming arcs, so no route passes through another point.  Returns (k, n_nodes)."""
    n = csr.shape[0]
    k = len(nodes)
    w = np.maximum(offsets, 1e-12)                 # a zero would read as "no arc"
    loop = nodes[:, 0] == nodes[:, 1]              # a loop edge: one arc, the shorter way
    w[loop, 0] = w[loop].min(axis=1)
    keep = np.column_stack([np.ones(k, dtype=bool), ~loop])
    cols = nodes[keep]
    data = w[keep]
    counts = keep.sum(axis=1)
    indptr = np.r_[csr.indptr, csr.indptr[-1] + np.cumsum(counts)]
    aug = sparse.csr_matrix((np.r_[csr.data, data], np.r_[csr.indices, cols], indptr),
                            shape=(n + k, n + k))
    dist = dijkstra(aug, directed=True, indices=np.arange(n, n + k), limit=limit)
    return dist[:, :n]


def office_travel(xy: np.ndarray, graph: TravelGraph | None, settings: Settings | None = None,
                  limit_min: float = np.inf) -> np.ndarray:
    """Symmetric office-to-office minutes (diagonal 0), kept in ``graph.cache``.

    ``travel_matrix(xy, graph, settings, limit_min)`` made symmetric (the faster way of
    the two) with a zero diagonal.  The result is cached on the graph under the
    coordinates, the limit and the access speed, so re-running the grouping with other
    [grouping] settings on the same Network reuses it.  Returns a new array each call.
    """
    settings = settings if settings is not None else Settings()
    xy = np.ascontiguousarray(np.asarray(xy, dtype=float).reshape(-1, 2))
    key = None
    if graph is not None:
        key = ("office_travel", xy.tobytes(), float(limit_min),
               float(settings.grouping.fallback_speed_kmh))
        hit = graph.cache.get(key)
        if hit is not None:
            return hit.copy()
    t = travel_matrix(xy, graph, settings, limit_min=limit_min)
    t = np.minimum(t, t.T)
    np.fill_diagonal(t, 0.0)
    if key is not None and t.size <= 4_000_000:
        if len(graph.cache) >= 8:
            graph.cache.pop(next(iter(graph.cache)))
        graph.cache[key] = t.copy()
    return t
