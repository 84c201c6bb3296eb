"""Routes with edges removed, between the junctions of each edge's road link.

``road_links`` finds the link (junction to junction) that carries an edge;
``alternative_routes`` is the one implementation of "shortest route with these edges
removed" (compiled bidirectional Dijkstra, ``network.kernels``) used by single-bridge
criticality, removal scenarios, options and plans.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import report_progress
from ..network import kernels as K
from ..network.graph import Network

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

    def take(self, idx) -> "RoadLinks":
        """The links ``idx`` (positions in ``edge_ids``) as a ``RoadLinks`` of their own."""
        idx = np.asarray(idx, np.int64)
        lens = np.diff(self.ptr)[idx]
        ptr = np.zeros(len(idx) + 1, np.int64)
        np.cumsum(lens, out=ptr[1:])
        pos = np.repeat(self.ptr[idx] - ptr[:-1], lens) + np.arange(ptr[-1])
        return RoadLinks(self.edge_ids[idx], self.a[idx], self.b[idx], ptr, self.edges[pos],
                         self.looped[idx])


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
    if "source_row" in network.edge_table.columns:
        line_id = np.ascontiguousarray(network.edge_table["source_row"].to_numpy(np.int64))
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


def link_keys(network: Network, edge_ids, mode: str = "motor") -> list:
    """One key per edge naming its road link (of ``mode``): the link's lowest edge id.
    Two edges with the same key lie on one link, with no junction between them.  Kept
    in the network's cache."""
    keys = network._cache.setdefault(f"link_key:{mode}", {})   # edge -> its link's lowest edge
    ids = np.asarray(edge_ids, np.int64).tolist()
    new = sorted({e for e in ids if e not in keys})
    if new:
        links = road_links(network, new, mode)
        keys.update(zip(new, np.minimum.reduceat(links.edges, links.ptr[:-1]).tolist()))
    return [keys[e] for e in ids]


def share_a_link(network: Network, edge_ids, mode: str = "motor") -> bool:
    """True when two of ``edge_ids`` lie on the same road link: removing both cuts off the
    stretch between them even though the link's junctions stay connected."""
    edge_ids = np.unique(np.asarray(edge_ids, np.int64))
    if len(edge_ids) < 2:
        return False
    return len(set(link_keys(network, edge_ids, mode))) < len(edge_ids)


def _queries(network: Network, links: RoadLinks, mode: str):
    """Detour queries per link: a->b, plus b->a for two-way edges when directed.

    Returns (sources, targets, edge, owner) where owner indexes ``links.edge_ids``.
    """
    edge_ids = links.edge_ids
    owner = np.arange(len(edge_ids))
    if not network.directed or mode == "walk":
        return links.a, links.b, edge_ids, owner
    one = network.edge_table["oneway"].fillna(False).to_numpy(bool)[edge_ids]
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
