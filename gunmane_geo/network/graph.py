"""The ``Network``: a routable road graph with bridges as their own edges.

Nodes and edges are GeoDataFrames in the region's projected metric CRS; the
adjacency is kept as CSR arrays (numpy) for the compiled searches in
``gunmane_geo.network.kernels``.  Node ``i`` is row ``i`` of ``nodes`` and edge
``j`` is row ``j`` of ``edges`` (``node_id``/``edge_id`` equal the position).
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..io.load_report import LoadReport
from ..schema import FACILITY_TYPES
from ..settings import Settings
from .lines import EdgeLines

NODE_COLUMNS = ["node_id", "component", "degree", "population", "n_facilities"] + [
    f"n_{t}" for t in FACILITY_TYPES] + ["n_other_facility"]
EDGE_COLUMNS = ["edge_id", "u", "v", "length_m", "time_min", "road_id", "road_class",
                "route_name", "speed_kmh", "width_m", "oneway", "is_bridge", "is_tunnel", "layer",
                "bridge_id", "motor", "walk"]
#: travel modes: which edges each may use (``Network.mode_edges``)
MODES = ("motor", "walk")


class Network:
    """A routable road network.

    Attributes
    ----------
    nodes : GeoDataFrame
        ``node_id`` (= row position), ``component`` (connected component, 0 = largest),
        ``degree``, ``population`` (persons allotted to the node), ``n_facilities`` and
        ``n_<facility_type>`` counts; Point geometry.
    edges : GeoDataFrame
        ``edge_id`` (= row position), ``u``, ``v`` (node ids, ``u`` at the start of the
        geometry), ``length_m`` (metres), ``time_min`` (minutes), road attributes,
        ``width_m`` (carriageway width of the road line in metres, NaN unknown),
        ``is_bridge``, ``bridge_id`` (the inventory bridge carried, or ``None``);
        LineString geometry.
    crs : the projected metric CRS of both frames.
    directed : bool
        True when one-way roads are honoured (``settings.network.use_oneway``): an edge
        with ``oneway`` True can be travelled only from ``u`` to ``v``.  Isolation
        (who is cut off) always uses the undirected graph.
    bridges : GeoDataFrame or None
        One row per inventory bridge after ``attach_bridges`` (matched or not).
    facilities : GeoDataFrame or None
        One row per facility after ``attach_facilities`` with its ``node_id``.
    report : LoadReport
        Everything repaired (snapped end points), skipped or assumed while building.

    Geometry kept as arrays
    -----------------------
    A network built from road lines keeps its geometry as coordinate arrays
    (``node_xy``, ``edge_lines``; ``gunmane_geo.network.lines``) and its attributes as
    plain tables (``node_table``, ``edge_table``).  The shapely points and lines are made
    on the first read of ``nodes`` / ``edges``, which then stay GeoDataFrames.  Code that
    runs on millions of edges reads the tables and arrays, so the geometry objects (about
    265 bytes an edge, 224 a node) are never made there; ``edge_geometry(ids)`` makes
    only the lines it asks for.
    """

    def __init__(self, nodes, edges, crs, settings: Settings | None = None,
                 report: LoadReport | None = None, directed: bool = False,
                 bridges=None, facilities=None, *, node_xy=None, edge_lines=None):
        if node_xy is not None and isinstance(nodes, gpd.GeoDataFrame):
            raise ValueError("give node_xy with a node table without geometry")
        if edge_lines is not None and isinstance(edges, gpd.GeoDataFrame):
            raise ValueError("give edge_lines with an edge table without geometry")
        if node_xy is not None and len(node_xy) != len(nodes):
            raise ValueError(f"node_xy has {len(node_xy)} rows for {len(nodes)} nodes")
        if edge_lines is not None and len(edge_lines) != len(edges):
            raise ValueError(f"edge_lines has {len(edge_lines)} lines for {len(edges)} edges")
        self._nodes, self._edges = nodes, edges
        self._node_xy, self._edge_lines = node_xy, edge_lines
        self.crs = crs
        self.settings = settings if settings is not None else Settings()
        self.report = report if report is not None else LoadReport()
        self.directed = directed
        self.bridges = bridges
        self.facilities = facilities
        self._cache: dict = {}

    # --- tables and geometry ------------------------------------------------
    @property
    def nodes(self) -> gpd.GeoDataFrame:
        """Node table with Point geometry (made from ``node_xy`` on first read)."""
        if self._node_xy is not None:
            self._nodes = _with_geometry(self._nodes, shapely.points(self._node_xy), self.crs)
            self._node_xy = None
        return self._nodes

    @property
    def edges(self) -> gpd.GeoDataFrame:
        """Edge table with LineString geometry (made from ``edge_lines`` on first read)."""
        if self._edge_lines is not None:
            self._edges = _with_geometry(self._edges, self._edge_lines.geometry(), self.crs)
            self._edge_lines = None
        return self._edges

    @property
    def node_table(self) -> pd.DataFrame:
        """The node attributes without making geometry (a GeoDataFrame once ``nodes`` was
        read).  Read-only: change nodes with ``replace``."""
        return self._nodes

    @property
    def edge_table(self) -> pd.DataFrame:
        """The edge attributes without making geometry (a GeoDataFrame once ``edges`` was
        read).  Read-only: change edges with ``replace``."""
        return self._edges

    def node_xy(self) -> np.ndarray:
        """(n_nodes, 2) node coordinates in ``crs`` (metres)."""
        if self._node_xy is not None:
            return self._node_xy
        return shapely.get_coordinates(self._nodes.geometry.to_numpy())

    def edge_lines(self) -> EdgeLines:
        """Edge geometry as coordinate arrays (``EdgeLines``)."""
        if self._edge_lines is not None:
            return self._edge_lines
        return EdgeLines.from_geometry(self._edges.geometry.to_numpy())

    def edge_geometry(self, ids=None) -> np.ndarray:
        """Shapely lines of edges ``ids`` (all when None) without making the others."""
        if self._edge_lines is not None:
            return self._edge_lines.geometry(ids)
        geoms = self._edges.geometry.to_numpy()
        return geoms if ids is None else geoms[np.asarray(ids, dtype=np.int64)]

    def _node_geometry(self):
        """``node_xy()``, or None for a network without node geometry (a part's)."""
        if self._node_xy is None and not isinstance(self._nodes, gpd.GeoDataFrame):
            return None
        return self.node_xy()

    def _edge_geometry(self):
        """``edge_lines()``, or None for a network without edge geometry (a part's)."""
        if self._edge_lines is None and not isinstance(self._edges, gpd.GeoDataFrame):
            return None
        return self.edge_lines()

    @property
    def n_nodes(self) -> int:
        return len(self._nodes)

    @property
    def n_edges(self) -> int:
        return len(self._edges)

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        nb = 0 if self.bridges is None else int(self.bridges["matched"].sum())
        comp = self._nodes["component"]
        return (f"<Network {self.n_nodes} nodes, {self.n_edges} edges, "
                f"{int(comp.max()) + 1 if self.n_nodes else 0} components, "
                f"{nb} bridges attached, crs={self.crs}>")

    def replace(self, **changes) -> "Network":
        """A copy with some attributes replaced (caches dropped when edges change).

        ``nodes`` / ``edges`` may be GeoDataFrames, or tables without geometry: these keep
        the current coordinate arrays (same number of rows) unless ``node_xy`` /
        ``edge_lines`` are given too.
        """
        data = dict(nodes=self._nodes, edges=self._edges, crs=self.crs,
                    settings=self.settings, report=self.report, directed=self.directed,
                    bridges=self.bridges, facilities=self.facilities,
                    node_xy=self._node_xy, edge_lines=self._edge_lines)
        for name, geo, current in (("nodes", "node_xy", self._node_geometry),
                                   ("edges", "edge_lines", self._edge_geometry)):
            if name in changes and geo not in changes:
                data[geo] = (None if isinstance(changes[name], gpd.GeoDataFrame)
                             else current())
        data.update(changes)
        net = Network(**data)
        if "edges" not in changes and "nodes" not in changes:
            net._cache = {k: v for k, v in self._cache.items() if k.startswith("csr")}
        return net

    # --- arrays -----------------------------------------------------------
    def uv(self) -> tuple[np.ndarray, np.ndarray]:
        """Edge end node ids ``(u, v)`` as int64 arrays (cached; do not modify)."""
        if "uv" not in self._cache:
            self._cache["uv"] = (np.ascontiguousarray(self._edges["u"].to_numpy(np.int64)),
                                 np.ascontiguousarray(self._edges["v"].to_numpy(np.int64)))
        return self._cache["uv"]

    def weight(self, name: str = "length_m") -> np.ndarray:
        """Edge weights as float64 (``length_m`` in metres or ``time_min`` in minutes)."""
        if name not in ("length_m", "time_min"):
            raise ValueError(f"weight must be 'length_m' or 'time_min', not {name!r}")
        key = f"w:{name}"
        if key not in self._cache:
            self._cache[key] = np.ascontiguousarray(self._edges[name].to_numpy(np.float64))
        return self._cache[key]

    def mode_edges(self, mode: str = "motor") -> np.ndarray:
        """Which edges a travel mode may use (bool per edge, cached).

        ``"motor"``: cars (edges with ``motor`` True: no footways, paths, cycleways, steps;
        docs/criticality.md); ``"walk"``: walkers (``walk`` True); ``"all"``: every edge.
        A network built before the modes existed (no column) lets every mode use every edge.
        """
        if mode not in MODES + ("all",):
            raise ValueError(f"mode must be one of {MODES + ('all',)}, not {mode!r}")
        key = f"mode:{mode}"
        if key not in self._cache:
            if mode == "all" or mode not in self._edges.columns:
                allowed = np.ones(self.n_edges, bool)
            else:
                allowed = self._edges[mode].fillna(True).to_numpy(bool)
            self._cache[key] = allowed
        return self._cache[key]

    def csr(self, kind: str = "undirected", mode: str = "motor"):
        """CSR adjacency ``(indptr, head, arc_edge)`` over the edges of travel ``mode``.

        ``kind``: ``"undirected"`` (every edge both ways), ``"forward"`` (the directions
        allowed to traffic) or ``"backward"`` (the same, reversed; for searches towards a
        target).  Without one-way support, and always for walkers, forward = backward =
        undirected.  ``mode``: ``"motor"`` (default: vehicle measures), ``"walk"`` or
        ``"all"`` (``mode_edges``); edge ids stay those of the whole network.
        """
        if kind not in ("undirected", "forward", "backward"):
            raise ValueError(f"unknown CSR kind {kind!r}")
        if (not self.directed or mode == "walk") and kind != "undirected":
            return self.csr("undirected", mode)
        key = f"csr:{kind}:{mode}"
        if key not in self._cache and kind == "undirected":
            # modes that may use the same edges (walkers and cars on a network without
            # footways or motorways) share one adjacency
            for other in MODES + ("all",):
                if (other != mode and f"csr:{kind}:{other}" in self._cache
                        and np.array_equal(self.mode_edges(other), self.mode_edges(mode))):
                    self._cache[key] = self._cache[f"csr:{kind}:{other}"]
                    break
        if key not in self._cache:
            u, v = self.uv()
            eid = np.flatnonzero(self.mode_edges(mode)).astype(np.int64)
            u, v = u[eid], v[eid]
            if kind == "undirected":
                tail = np.concatenate([u, v]); head = np.concatenate([v, u])
                edge = np.concatenate([eid, eid])
            else:
                one = self._edges["oneway"].fillna(False).to_numpy(bool)[eid]
                two = ~one
                tail = np.concatenate([u, v[two]]); head = np.concatenate([v, u[two]])
                edge = np.concatenate([eid, eid[two]])
                if kind == "backward":
                    tail, head = head, tail
            from .kernels import stable_order_by      # numba: imported when first routed
            indptr, order = stable_order_by(tail, self.n_nodes)
            self._cache[key] = (indptr, np.ascontiguousarray(head[order]),
                                np.ascontiguousarray(edge[order]))
        return self._cache[key]

    def components(self, mode: str = "motor") -> np.ndarray:
        """Connected component of each node over the edges of ``mode`` (0 = largest).

        A node that no edge of the mode reaches (a footpath node, for cars) is a component
        of its own.  ``nodes["component"]`` is the same over all edges.
        """
        key = f"components:{mode}"
        if key not in self._cache:
            if mode == "all":
                self._cache[key] = self._nodes["component"].to_numpy(np.int64)
            else:
                u, v = self.uv()
                keep = self.mode_edges(mode)
                self._cache[key] = compute_components(self.n_nodes, u[keep], v[keep])
        return self._cache[key]

    # --- conversions --------------------------------------------------------
    def to_networkx(self, directed: bool | None = None, mode: str = "all"):
        """A ``networkx.MultiGraph`` (or ``MultiDiGraph`` when directed) of this network.

        ``mode``: only the edges of that travel mode (``mode_edges``); all by default.

        Edge keys are ``edge_id``; edge data hold ``length_m``, ``time_min``,
        ``bridge_id`` and ``is_bridge``; node data hold ``population`` and ``x``/``y``.
        In the directed graph a two-way edge appears once in each direction with the
        same key.
        """
        import networkx as nx

        directed = self.directed if directed is None else directed
        g = nx.MultiDiGraph() if directed else nx.MultiGraph()
        xy = self.node_xy()
        pop = self._nodes["population"].to_numpy(float)
        g.add_nodes_from((i, {"x": xy[i, 0], "y": xy[i, 1], "population": pop[i]})
                         for i in range(self.n_nodes))
        u, v = self.uv()
        L = self._edges["length_m"].to_numpy(float)
        T = self._edges["time_min"].to_numpy(float)
        bid = self._edges["bridge_id"].to_numpy(object)
        isb = self._edges["is_bridge"].to_numpy(bool)
        one = self._edges["oneway"].fillna(False).to_numpy(bool)
        allowed = self.mode_edges(mode)
        rows = [(int(u[i]), int(v[i]), i, {"length_m": L[i], "time_min": T[i],
                                            "bridge_id": bid[i], "is_bridge": bool(isb[i])})
                for i in range(self.n_edges) if allowed[i]]
        g.add_edges_from(rows)
        if directed:
            g.add_edges_from((b, a, k, d) for (a, b, k, d) in rows if not one[k])
        return g

    # --- look-ups ------------------------------------------------------------
    def bridge_edges(self) -> pd.Series:
        """``bridge_id -> edge_id`` of the matched bridges."""
        if self.bridges is None:
            return pd.Series(dtype="int64")
        b = self.bridges[self.bridges["matched"]]
        return pd.Series(b["edge_id"].to_numpy(np.int64), index=b["bridge_id"].to_numpy())

    def component_summary(self) -> pd.DataFrame:
        """One row per connected component: nodes, edges, length_m, population."""
        comp = self._nodes["component"].to_numpy()
        u, _ = self.uv()
        df = pd.DataFrame({
            "component": np.arange(comp.max() + 1 if len(comp) else 0),
        })
        df["nodes"] = np.bincount(comp, minlength=len(df))
        df["edges"] = np.bincount(comp[u], minlength=len(df))
        df["length_m"] = np.bincount(comp[u], weights=self._edges["length_m"].to_numpy(float),
                                     minlength=len(df))
        df["population"] = np.bincount(comp, weights=self._nodes["population"].to_numpy(float),
                                       minlength=len(df))
        return df


def attribute_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` without its geometry column (a plain DataFrame; ``table`` itself when it
    has none)."""
    if isinstance(table, gpd.GeoDataFrame) and table._geometry_column_name in table.columns:
        return pd.DataFrame(table.drop(columns=table.geometry.name))
    return table


def _with_geometry(table: pd.DataFrame, geoms: np.ndarray, crs) -> gpd.GeoDataFrame:
    """``table`` (not changed) as a GeoDataFrame with ``geoms`` as its last column."""
    columns = {c: table[c].array for c in table.columns}
    columns["geometry"] = gpd.array.from_shapely(geoms, crs=crs)
    return gpd.GeoDataFrame(pd.DataFrame(columns, index=table.index, copy=False),
                            geometry="geometry", crs=crs, copy=False)


def compute_components(n_nodes: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected component of each node, numbered by size (0 = largest, ties by lowest node)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if n_nodes == 0:
        return np.zeros(0, np.int64)
    m = coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes)).tocsr()
    _, lab = connected_components(m, directed=False)
    sizes = np.bincount(lab)
    first = np.full(len(sizes), n_nodes, np.int64)
    np.minimum.at(first, lab, np.arange(n_nodes))
    order = np.lexsort((first, -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[lab].astype(np.int64)


def finish_nodes(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Recompute ``node_id``, ``component`` and ``degree``; add missing count columns.

    The result is a new table (``NODE_COLUMNS``, then any other columns of ``nodes`` in
    their order, then ``geometry`` when ``nodes`` is a GeoDataFrame; a fresh index) that
    shares no data with ``nodes``.
    It is put together column by column, so at most one copy of the node table exists
    besides ``nodes`` (a copy, ten inserts and a reordering take held three: about
    1 GiB at a few million nodes).
    """
    n = len(nodes)
    u = edges["u"].to_numpy(np.int64); v = edges["v"].to_numpy(np.int64)
    computed = {"node_id": np.arange(n, dtype=np.int64),
                "component": compute_components(n, u, v),
                "degree": np.bincount(u, minlength=n) + np.bincount(v, minlength=n)}
    columns = {}
    for col in NODE_COLUMNS:
        if col == "population":
            columns[col] = (nodes[col].fillna(0.0).astype(float).to_numpy()
                            if col in nodes.columns else np.zeros(n))
        elif col in computed:
            columns[col] = computed[col]
        elif col in nodes.columns:
            columns[col] = nodes[col].array.copy()
        else:
            columns[col] = np.zeros(n, np.int64)
    geometry = nodes.geometry.name if isinstance(nodes, gpd.GeoDataFrame) else None
    for col in nodes.columns:
        if col not in NODE_COLUMNS and col != geometry:
            columns[col] = nodes[col].array.copy()
    if geometry is None:                # a table whose geometry the network keeps as arrays
        return pd.DataFrame(columns, copy=False)
    columns["geometry"] = nodes[geometry].array.copy()
    return gpd.GeoDataFrame(pd.DataFrame(columns, copy=False), geometry="geometry",
                            crs=nodes.crs, copy=False)
