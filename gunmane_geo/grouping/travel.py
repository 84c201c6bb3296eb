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
class RoadGraph:
    """An undirected routable graph: ``csr`` of edge minutes, node coordinates (metres), and
    per edge its end nodes, minutes and line (points are attached to the nearest edge)."""
    csr: sparse.csr_matrix
    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_min: np.ndarray
    edge_geom: np.ndarray
    source: str = "roads"

    def __post_init__(self):
        self.tree = STRtree(self.edge_geom) if len(self.edge_geom) else None

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


def _line_coords(geom):
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [np.asarray(geom.coords)[:, :2]]
    if geom.geom_type == "MultiLineString":
        return [np.asarray(g.coords)[:, :2] for g in geom.geoms if not g.is_empty]
    return []


def road_graph(roads, settings: Settings | None = None) -> RoadGraph:
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
    RoadGraph
    """
    settings = settings if settings is not None else Settings()
    speeds = settings.network.default_speed_kmh
    snap = max(float(settings.network.snap_tolerance_m), 1e-6)
    n = len(roads)
    cls = roads["road_class"].astype("string").fillna("other").to_numpy() if "road_class" in roads \
        else np.full(n, "other", dtype=object)
    spd = pd.to_numeric(roads["speed_kmh"], errors="coerce").to_numpy(dtype=float, na_value=np.nan) \
        if "speed_kmh" in roads else np.full(n, np.nan)
    ferry = _ferry_mask(roads)
    starts, ends, minutes, lines = [], [], [], []
    for geom, c, s, f in zip(roads.geometry.values, cls, spd, ferry):
        if f:
            continue
        speed = s if np.isfinite(s) and s > 0 else float(speeds.get(str(c), speeds.get("other", 20.0)))
        for xy in _line_coords(geom):
            if len(xy) < 2:
                continue
            length = float(np.hypot(*np.diff(xy, axis=0).T).sum())
            starts.append(xy[0])
            ends.append(xy[-1])
            minutes.append(length / 1000.0 / speed * 60.0)
            lines.append(shapely.LineString(xy))
    if not minutes:
        empty = np.zeros(0, dtype=np.int64)
        return RoadGraph(sparse.csr_matrix((0, 0)), np.zeros((0, 2)), empty, empty, np.zeros(0),
                         np.array([], dtype=object))
    pts = np.vstack([np.asarray(starts), np.asarray(ends)])
    keys = np.round(pts / snap).astype(np.int64)
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    m = len(minutes)
    u, v = inverse[:m], inverse[m:]
    nn = int(inverse.max()) + 1
    node_xy = np.zeros((nn, 2))
    node_xy[inverse] = pts
    w = np.maximum(np.asarray(minutes), 1e-9)
    mat = _min_csr(np.r_[u, v], np.r_[v, u], np.r_[w, w], nn)   # fastest of parallel edges
    return RoadGraph(mat, node_xy, u, v, w, np.array(lines, dtype=object))


def _min_csr(u, v, w, n) -> sparse.csr_matrix:
    df = pd.DataFrame({"u": u, "v": v, "w": w}).groupby(["u", "v"], sort=False)["w"].min().reset_index()
    df = df[df["u"] != df["v"]]
    return sparse.csr_matrix((df["w"].to_numpy(), (df["u"].to_numpy(), df["v"].to_numpy())), shape=(n, n))


def _ferry_mask(roads) -> np.ndarray:
    mask = np.zeros(len(roads), dtype=bool)
    if "is_ferry" in roads:
        mask |= roads["is_ferry"].fillna(False).astype(bool).to_numpy()
    if "road_class" in roads:
        mask |= (roads["road_class"].astype("string").str.lower() == "ferry").fillna(False).to_numpy()
    return mask


def graph_from_network(network) -> RoadGraph:
    """Adapt a ``gunmane_geo.network`` Network (edges with ``u``, ``v``, ``time_min``).

    Edge minutes are the network's ``time_min``; parallel edges keep the fastest; ferry
    edges (``is_ferry`` true or ``road_class == 'ferry'``) are left out; one-way flags are
    ignored (travel between offices is taken both ways).  Node ``i`` is row ``i`` of
    ``network.nodes`` (or its ``node_id``).
    """
    if isinstance(network, RoadGraph):
        return network
    edges = getattr(network, "edges", None)
    nodes = getattr(network, "nodes", None)
    if edges is None or nodes is None:
        raise InputError("network must be a gunmane_geo.network Network (with nodes and edges) "
                         "or a RoadGraph", source="network")
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
    ok = (u >= 0) & (v >= 0) & np.isfinite(w) & ~_ferry_mask(edges)
    w = np.maximum(w[ok], 1e-9)
    mat = _min_csr(np.r_[u[ok], v[ok]], np.r_[v[ok], u[ok]], np.r_[w, w], len(node_ids))
    xy = np.column_stack([nodes.geometry.x.to_numpy(), nodes.geometry.y.to_numpy()])
    geoms = edges.geometry.values[ok]
    return RoadGraph(mat, xy, u[ok], v[ok], w, np.asarray(geoms, dtype=object), source="network")


def travel_matrix(xy: np.ndarray, graph: RoadGraph | None = None, settings: Settings | None = None,
                  limit_min: float = np.inf, targets_xy: np.ndarray | None = None,
                  chunk: int = 64) -> np.ndarray:
    """Travel minutes from each point of ``xy`` to each point of ``targets_xy`` (default ``xy``).

    Parameters
    ----------
    xy, targets_xy : array (n, 2)
        Coordinates in metres (projected CRS).
    graph : RoadGraph, optional
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
    te, tf, td = graph.attach(txy)
    # each point reaches its edge's two end nodes: (node, minutes) pairs
    s_nodes = np.column_stack([graph.edge_u[se], graph.edge_v[se]])
    s_off = np.column_stack([sf * graph.edge_min[se], (1 - sf) * graph.edge_min[se]]) \
        + (sd / speed_m_per_min)[:, None]
    t_nodes = np.column_stack([graph.edge_u[te], graph.edge_v[te]])
    t_off = np.column_stack([tf * graph.edge_min[te], (1 - tf) * graph.edge_min[te]]) \
        + (td / speed_m_per_min)[:, None]
    out = np.full((len(xy), len(txy)), np.inf)
    uniq, inv = np.unique(s_nodes.ravel(), return_inverse=True)
    inv = inv.reshape(-1, 2)
    limit = limit_min if np.isfinite(limit_min) else np.inf
    for start in range(0, len(uniq), chunk):
        block = uniq[start:start + chunk]
        dist = dijkstra(graph.csr, directed=False, indices=block, limit=limit)
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
