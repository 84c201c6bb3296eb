"""Set scenarios on the road graph: remove several bridges at once and measure the result.

The effect of a set of removals is computed as a set: every removed bridge's
traffic takes the shortest remaining route between the bridge's two ends with
ALL bridges of the set out of the graph, and isolation is measured on the graph
without all of them.  Nothing is summed from single-bridge results.

``RoadGraph.from_network`` is a thin adapter over ``gunmane_geo.network.Network``
(its ``nodes`` and ``edges`` GeoDataFrames); it also accepts any object with
``nodes``/``edges`` frames using the column names documented in
``docs/options.md``.  Distances in metres, times in minutes, graph undirected.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from ..errors import InputError

_FACILITY_COUNT_COLUMNS = ("n_facilities", "facility_count", "facilities")


@dataclass
class SetEffect:
    """Measures of removing the set ``removed`` (vehicle traffic) from the network."""
    removed: frozenset
    alt_route_m: dict = field(default_factory=dict)     # bridge_id -> m (inf: none)
    detour_m: dict = field(default_factory=dict)        # bridge_id -> m (inf: none)
    detour_min: dict = field(default_factory=dict)      # bridge_id -> min (inf: none)
    path_edges: dict = field(default_factory=dict)      # bridge_id -> edge positions of the alt route
    isolated_nodes: int = 0
    isolated_population: float = 0.0
    isolated_facilities: int = 0


class RoadGraph:
    """The undirected road graph in arrays, with bridges as their own edges.

    Attributes
    ----------
    u, v : int arrays of edge end node positions
    length_m, time_min, width_m : float arrays per edge (width NaN when unknown)
    road_class : object array per edge
    edge_bridge : object array, bridge_id of the edge or None
    edge_bridges : dict edge position -> set of bridge_ids (bridges sharing an edge)
    bridge_edges : dict bridge_id -> int array of edge positions
    bridge_ends : dict bridge_id -> (node, node), the two ends of the bridge's chain
    node_population, node_facilities : per node
    """

    def __init__(self, n_nodes, u, v, length_m, time_min, edge_bridge, *, width_m=None,
                 road_class=None, node_population=None, node_facilities=None, node_xy=None,
                 extra_bridge_edges=None):
        self.n_nodes = int(n_nodes)
        self.u = np.asarray(u, dtype=np.int64)
        self.v = np.asarray(v, dtype=np.int64)
        self.length_m = np.asarray(length_m, dtype=float)
        self.time_min = np.asarray(time_min, dtype=float)
        n_e = len(self.u)
        self.width_m = (np.full(n_e, np.nan) if width_m is None
                        else pd.to_numeric(pd.Series(width_m), errors="coerce").to_numpy(float))
        self.road_class = (np.full(n_e, None, dtype=object) if road_class is None
                           else np.asarray(road_class, dtype=object))
        self.edge_bridge = np.asarray([None if _missing(b) else str(b) for b in edge_bridge],
                                      dtype=object)
        self.node_population = (np.zeros(self.n_nodes) if node_population is None
                                else np.nan_to_num(np.asarray(node_population, dtype=float)))
        self.node_facilities = (np.zeros(self.n_nodes, dtype=np.int64) if node_facilities is None
                                else np.nan_to_num(np.asarray(node_facilities, dtype=float)).astype(np.int64))
        self.node_xy = node_xy
        self.bridge_edges: dict[str, np.ndarray] = {}
        self.edge_bridges: dict[int, set] = {}
        for pos, bid in enumerate(self.edge_bridge):
            if bid is not None:
                self.bridge_edges.setdefault(bid, []).append(pos)
                self.edge_bridges.setdefault(pos, set()).add(bid)
        for bid, pos in (extra_bridge_edges or {}).items():
            bid, pos = str(bid), int(pos)
            if bid not in self.bridge_edges and 0 <= pos < n_e:
                self.bridge_edges[bid] = [pos]
                self.edge_bridges.setdefault(pos, set()).add(bid)
        self.bridge_edges = {b: np.asarray(e, dtype=np.int64) for b, e in self.bridge_edges.items()}
        self.bridge_ends = {b: self._chain_ends(e) for b, e in self.bridge_edges.items()}
        self.bridge_length_m = {b: float(self.length_m[e].sum()) for b, e in self.bridge_edges.items()}
        # node pair -> edge positions sorted by length (to rebuild paths)
        key = np.minimum(self.u, self.v) * self.n_nodes + np.maximum(self.u, self.v)
        order = np.lexsort((self.length_m, key))
        self._pair_edges: dict[int, list[int]] = {}
        for pos in order:
            self._pair_edges.setdefault(int(key[pos]), []).append(int(pos))
        labels = self._components(np.zeros(n_e, dtype=bool))
        counts = np.bincount(labels, minlength=1)
        self.main_nodes = labels == int(np.argmax(counts)) if len(labels) else np.zeros(0, bool)

    # ------------------------------------------------------------------
    @classmethod
    def from_network(cls, network) -> "RoadGraph":
        """Adapter: build from a ``Network`` (``nodes``/``edges`` GeoDataFrames).

        Edges need ``u``, ``v`` (node ids, matching ``nodes['node_id']`` or the
        nodes' index), ``length_m`` and ``bridge_id``; optional ``time_min``
        (else from ``speed_kmh`` or 30 km/h), ``width_m``, ``road_class``.  Nodes
        may carry ``population`` and a facility count (``n_facilities``).
        """
        if isinstance(network, RoadGraph):
            return network
        nodes, edges = getattr(network, "nodes", None), getattr(network, "edges", None)
        if nodes is None or edges is None:
            raise InputError("the network has no nodes/edges tables; build it with "
                             "gunmane_geo.network.build_network", source="network")
        for col in ("u", "v", "length_m"):
            if col not in edges.columns:
                raise InputError(f"network edges have no '{col}' column", source="network")
        ids = nodes["node_id"].to_numpy() if "node_id" in nodes.columns else nodes.index.to_numpy()
        index = pd.Index(ids)
        u = index.get_indexer(edges["u"].to_numpy())
        v = index.get_indexer(edges["v"].to_numpy())
        if (u < 0).any() or (v < 0).any():
            raise InputError("network edges refer to nodes that are not in the nodes table",
                             source="network")
        length = edges["length_m"].to_numpy(float)
        if "time_min" in edges.columns:
            time = edges["time_min"].to_numpy(float)
        else:
            speed = (edges["speed_kmh"].to_numpy(float) if "speed_kmh" in edges.columns
                     else np.full(len(edges), 30.0))
            time = length / 1000.0 / speed * 60.0
        bridge = edges["bridge_id"].to_numpy(object) if "bridge_id" in edges.columns \
            else np.full(len(edges), None, dtype=object)
        pop = nodes["population"].to_numpy(float) if "population" in nodes.columns else None
        fac = None
        for col in _FACILITY_COUNT_COLUMNS:
            if col in nodes.columns and pd.api.types.is_numeric_dtype(nodes[col]):
                fac = nodes[col].to_numpy(float)
                break
        xy = None
        if hasattr(nodes, "geometry") and nodes.geometry is not None and len(nodes):
            try:
                xy = np.column_stack([nodes.geometry.x.to_numpy(), nodes.geometry.y.to_numpy()])
            except Exception:  # noqa: BLE001 - not points: no coordinates needed
                xy = None
        # bridges matched to an edge that carries another bridge's id (attach_bridges
        # reports them as sharing the edge) are mapped through the match table
        extra = {}
        matches = getattr(network, "bridges", None)
        if matches is not None and {"bridge_id", "edge_id", "matched"} <= set(matches.columns):
            m = matches[matches["matched"].astype(bool) & (matches["edge_id"] >= 0)]
            extra = dict(zip(m["bridge_id"].astype(str), m["edge_id"].astype(int)))
        return cls(len(nodes), u, v, length, time, bridge, extra_bridge_edges=extra,
                   width_m=edges["width_m"] if "width_m" in edges.columns else None,
                   road_class=edges["road_class"].to_numpy(object) if "road_class" in edges.columns else None,
                   node_population=pop, node_facilities=fac, node_xy=xy)

    # ------------------------------------------------------------------
    def _chain_ends(self, edges: np.ndarray) -> tuple[int, int]:
        if len(edges) == 1:
            return int(self.u[edges[0]]), int(self.v[edges[0]])
        deg: dict[int, int] = {}
        for e in edges:
            for n in (int(self.u[e]), int(self.v[e])):
                deg[n] = deg.get(n, 0) + 1
        ends = [n for n, d in deg.items() if d % 2 == 1]
        if len(ends) >= 2:
            return ends[0], ends[1]
        return int(self.u[edges[0]]), int(self.v[edges[-1]])

    def _removed_mask(self, removed) -> np.ndarray:
        mask = np.zeros(len(self.u), dtype=bool)
        for b in removed:
            e = self.bridge_edges.get(b)
            if e is not None:
                mask[e] = True
        return mask

    def _base(self) -> csr_matrix:
        """CSR of the intact graph by length, one entry per node pair (the shortest edge)."""
        if getattr(self, "_base_csr", None) is None:
            keep = self.u != self.v
            u, v, w = self.u[keep], self.v[keep], np.maximum(self.length_m[keep], 1e-9)
            a, b = np.minimum(u, v), np.maximum(u, v)
            order = np.lexsort((w, b, a))
            a, b, w = a[order], b[order], w[order]
            first = np.ones(len(a), dtype=bool)
            first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
            a, b, w = a[first], b[first], w[first]
            m = csr_matrix((np.concatenate([w, w]), (np.concatenate([a, b]), np.concatenate([b, a]))),
                           shape=(self.n_nodes, self.n_nodes))
            m.sort_indices()
            self._base_csr = m
            self._pos_cache = {}
        return self._base_csr

    def _pair_positions(self, a: int, b: int) -> np.ndarray:
        """Positions in the base CSR data of the entries (a, b) and (b, a)."""
        key = min(a, b) * self.n_nodes + max(a, b)
        pos = self._pos_cache.get(key)
        if pos is None:
            m = self._base_csr
            out = []
            for x, y in ((a, b), (b, a)):
                lo, hi = m.indptr[x], m.indptr[x + 1]
                out.append(lo + int(np.searchsorted(m.indices[lo:hi], y)))
            pos = self._pos_cache[key] = np.asarray(out, dtype=np.int64)
        return pos

    def _matrix(self, mask: np.ndarray, components: bool = False) -> csr_matrix:
        """The graph without the masked edges (by length); a parallel edge takes over."""
        base = self._base()
        data = base.data.copy()
        dropped = []
        for e in np.flatnonzero(mask):
            a, b = int(self.u[e]), int(self.v[e])
            if a == b:
                continue
            key = min(a, b) * self.n_nodes + max(a, b)
            alt = next((x for x in self._pair_edges[key] if not mask[x]), None)
            pos = self._pair_positions(a, b)
            if alt is None:
                data[pos] = 0.0
                dropped.append(pos)
            else:
                data[pos] = max(float(self.length_m[alt]), 1e-9)
        m = csr_matrix((data, base.indices.copy(), base.indptr.copy()), shape=base.shape)
        if dropped:
            m.eliminate_zeros()
        return m

    def _components(self, mask: np.ndarray) -> np.ndarray:
        if self.n_nodes == 0:
            return np.zeros(0, dtype=np.int64)
        _, labels = connected_components(self._matrix(mask, components=True), directed=True,
                                         connection="weak")
        return labels

    def _path_edges(self, pred: np.ndarray, src: int, dst: int, mask: np.ndarray) -> list[int]:
        out = []
        node = dst
        while node != src:
            prev = int(pred[node])
            if prev < 0:
                return []
            key = min(prev, node) * self.n_nodes + max(prev, node)
            out.append(next(e for e in self._pair_edges[key] if not mask[e]))
            node = prev
        return out[::-1]

    # ------------------------------------------------------------------
    def evaluate(self, removed, detour_for=None, *, upgraded_edges=(), upgraded_speed_kmh=None,
                 isolation: bool = True) -> SetEffect:
        """Measure the removal of the bridge set ``removed`` (vehicles).

        Parameters
        ----------
        removed : iterable of bridge_id
        detour_for : iterable of bridge_id, optional
            Bridges whose detour to compute (default: all of ``removed``).
        upgraded_edges : iterable of int
            Edge positions whose time is recomputed at ``upgraded_speed_kmh``
            (a detour upgrade), when that is faster.
        isolation : bool
            Also measure the population and facilities cut off from the main network.

        Returns
        -------
        SetEffect
            Per bridge: ``alt_route_m`` (shortest remaining route between its ends,
            by length), ``detour_m`` = alt route minus the bridge's own length,
            ``detour_min`` (time along that route minus the bridge's time).
        """
        removed = frozenset(str(b) for b in removed)
        mask = self._removed_mask(removed)
        time = self.time_min
        upgraded = list(upgraded_edges)
        if upgraded and upgraded_speed_kmh:
            time = time.copy()
            up = np.asarray(upgraded, dtype=np.int64)
            time[up] = np.minimum(time[up], self.length_m[up] / 1000.0 / float(upgraded_speed_kmh) * 60.0)
        effect = SetEffect(removed)
        targets = removed if detour_for is None else [str(b) for b in detour_for]
        matrix = None
        for b in targets:
            if b not in self.bridge_ends:
                continue
            if matrix is None:
                matrix = self._matrix(mask)
            src, dst = self.bridge_ends[b]
            # the matrix is symmetric: directed=True gives the same routes without a transpose
            dist, pred = dijkstra(matrix, directed=True, indices=src, return_predecessors=True)
            alt = float(dist[dst])
            own_len = self.bridge_length_m[b]
            own_time = float(self.time_min[self.bridge_edges[b]].sum())
            if np.isfinite(alt):
                path = self._path_edges(pred, src, dst, mask)
                alt_time = float(time[path].sum())
                effect.alt_route_m[b] = alt
                effect.detour_m[b] = max(0.0, alt - own_len)
                effect.detour_min[b] = max(0.0, alt_time - own_time)
                effect.path_edges[b] = path
            else:
                effect.alt_route_m[b] = effect.detour_m[b] = effect.detour_min[b] = float("inf")
                effect.path_edges[b] = []
        if isolation and removed:
            labels = self._components(mask)
            main_labels = labels[self.main_nodes]
            if len(main_labels):
                keep_label = int(np.argmax(np.bincount(main_labels)))
                cut = self.main_nodes & (labels != keep_label)
                effect.isolated_nodes = int(cut.sum())
                effect.isolated_population = float(self.node_population[cut].sum())
                effect.isolated_facilities = int(self.node_facilities[cut].sum())
        return effect

    def bridges_on_path(self, path_edges) -> set[str]:
        """Bridge ids carried by the given edge positions."""
        out = set()
        for e in path_edges:
            out |= self.edge_bridges.get(int(e), set())
        return out


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""
