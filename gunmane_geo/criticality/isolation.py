"""Who is cut off: isolation of single edges (one Tarjan pass) and of edge sets.

The values summed over a cut-off side (``VALUE_COLUMNS``: nodes, population, facility
counts) come from the network's nodes; the side cut off is the one without the larger
population (docs/criticality.md).  Everything works on the undirected graph of one travel
mode (``Network.csr("undirected", mode)``).
"""
from __future__ import annotations

import re

import geopandas as gpd
import numpy as np

from ..errors import InputError
from ..network import kernels as K
from ..network.graph import Network
from ..schema import FACILITY_TYPES

#: node value columns summed over DFS subtrees / cut-off sides; when the nodes carry the
#: population of a target year (``population_<year>``), ``node_values`` adds it as the last
#: column (``target_population_column``)
VALUE_COLUMNS = ["nodes", "population", "n_facilities"] + [f"n_{t}" for t in FACILITY_TYPES] + [
    "n_other_facility"]
ISOLATED_COUNT_COLUMNS = [f"isolated_{t}" for t in FACILITY_TYPES] + ["isolated_other_facility"]
#: a node column of the population in a target year (future-population mesh)
_TARGET_POPULATION = re.compile(r"^population_(\d{4})$")


def target_population_column(network: Network) -> str | None:
    """The nodes' column of the population in the target year, ``population_<year>``, or
    None: the one of ``[io] population_target_year`` when the nodes have it, else the
    only ``population_<year>`` column they have (``attach_population`` allots every such
    column of the population layer)."""
    cols = [c for c in network.node_table.columns if _TARGET_POPULATION.match(str(c))]
    want = f"population_{network.settings.io.population_target_year}"
    if want in cols:
        return want
    return cols[0] if len(cols) == 1 else None


def isolated_target_column(network: Network) -> str | None:
    """``isolated_population_<year>`` for the target-year column, or None."""
    col = target_population_column(network)
    return None if col is None else "isolated_" + col


def population_basis(network: Network, settings=None) -> tuple[np.ndarray, str]:
    """The node population that weights trips (persons per node) and its label.

    ``[criticality] population_basis``: ``"now"`` -> ``nodes.population`` (label
    ``"now"``); ``"target"`` -> ``nodes.population_<year>`` (label the year, e.g.
    ``"2050"``).

    Raises
    ------
    InputError
        ``"target"`` when the nodes carry no ``population_<year>`` (no future-population
        mesh was given).
    """
    settings = settings or network.settings
    basis = settings.criticality.population_basis
    if basis == "target":
        col = target_population_column(network)
        if col is None:
            raise InputError(
                "[criticality] population_basis = \"target\" needs the population of the "
                f"target year ({settings.io.population_target_year}) on the network, but the "
                "population layer has no population_<year> column; fix: give a "
                "future-population mesh (国土数値情報 将来推計人口メッシュ, PTN_<year> columns) "
                "as population, or set population_basis = \"now\"", source="settings")
        return network.node_table[col].fillna(0.0).to_numpy(float), col.rsplit("_", 1)[1]
    return network.node_table["population"].to_numpy(float), "now"


def require_bridges(network: Network) -> gpd.GeoDataFrame:
    if not isinstance(network, Network):
        raise InputError(f"expected a gunmane_geo.network.Network, got {type(network).__name__}")
    if network.bridges is None:
        raise InputError("the network has no bridges attached: call "
                         "gunmane_geo.network.attach_bridges(network, bridges) (inventory) or "
                         "bridges_from_roads(network) (bridge lines of OSM/road data) first")
    return network.bridges


def node_values(network: Network) -> np.ndarray:
    if "node_values" in network._cache:
        return network._cache["node_values"]
    network._cache["node_values"] = _compute_node_values(network)
    return network._cache["node_values"]


def _compute_node_values(network: Network) -> np.ndarray:
    nodes = network.node_table
    target = target_population_column(network)
    vals = np.empty((network.n_nodes, len(VALUE_COLUMNS) + (target is not None)), np.float64)
    vals[:, 0] = 1.0
    for j, col in enumerate(VALUE_COLUMNS[1:], start=1):
        vals[:, j] = nodes[col].to_numpy(float) if col in nodes.columns else 0.0
    if target is not None:
        vals[:, -1] = nodes[target].fillna(0.0).to_numpy(float)
    return vals


def isolation_pass(network: Network, mode: str = "motor"):
    """Tarjan bridge-finding with subtree sums over the undirected graph of ``mode`` (cached).

    Returns a dict with ``comp``, ``pre``, ``size``, ``sub`` (n x k subtree sums of
    ``VALUE_COLUMNS``), ``cut_child`` (per edge) and ``comp_total`` (per component).
    """
    key = f"tarjan:{mode}"
    if key not in network._cache:
        indptr, head, arc_edge = network.csr("undirected", mode)
        vals = node_values(network)
        comp, pre, size, sub, cut_child, comp_start = K.tarjan_bridges(
            indptr, head, arc_edge, network.n_edges, vals)
        ncomp = len(comp_start) - 1
        total = np.zeros((ncomp, vals.shape[1]))
        np.add.at(total, comp, vals)
        network._cache[key] = dict(comp=comp, pre=pre, size=size, sub=sub,
                                   cut_child=cut_child, comp_total=total,
                                   comp_start=comp_start, values=vals)
    return network._cache[key]


def cut_sides(network: Network, edge_ids: np.ndarray, mode: str = "motor"):
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


class FacilityIndex:
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
    vals = node_values(network)
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
    ``isolated_facilities``, ``isolated_<type>`` counts, and ``isolated_population_<year>``
    (persons in the target year) when the nodes carry it."""
    vals = node_values(network)
    iso = vals[isolated].sum(axis=0) if isolated.any() else np.zeros(vals.shape[1])
    out = {"isolated_nodes": int(round(iso[0])), "isolated_population": float(iso[1]),
           "isolated_facilities": int(round(iso[2])),
           **{col: int(round(iso[j])) for j, col in enumerate(ISOLATED_COUNT_COLUMNS, start=3)}}
    target = isolated_target_column(network)
    if target is not None:
        out[target] = float(iso[-1])
    return out
