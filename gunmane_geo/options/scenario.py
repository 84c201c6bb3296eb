"""Set scenarios for the options and plans, measured with the network engine.

The effect of a set of removals is computed as a set: every removed bridge's
traffic takes the shortest remaining route between the bridge's two ends with
ALL bridges of the set out of the graph, and isolation is measured on the graph
without all of them.  Nothing is summed from single-bridge results.

There is no routing code here: routes come from
``gunmane_geo.criticality.alternative_routes`` (the compiled bidirectional
Dijkstra with edge masking that single-bridge criticality and
``removal_scenario`` use) and the cut-off side from
``gunmane_geo.criticality.set_components``, so a set of one bridge gives exactly
the criticality table's numbers and any set gives ``removal_scenario``'s:

* ``alt_route_m`` / ``detour_m``: shortest route by length (metres) between the
  bridge edge's two ends, minus the bridge edge's own length (at least 0);
* ``alt_route_min`` / ``detour_min``: fastest route by time (minutes), searched
  separately, minus the bridge edge's own time (at least 0);
* isolation: per original connected component, the piece with the largest
  population stays, the others are cut off.

Distances in metres, times in minutes, in the network's projected CRS.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..criticality import (alternative_routes, isolated_totals, require_bridges, road_links,
                           set_components, share_a_link)
from ..criticality.routes import link_keys
from ..errors import InputError
from ..network.graph import Network

_EMPTY = np.zeros(0, np.int64)


@dataclass
class SetEffect:
    """Measures of removing the set ``removed`` (vehicle traffic) from the network.

    Per bridge (dicts keyed by ``bridge_id``; ``inf`` where no route is left):
    ``alt_route_m``/``detour_m`` (metres, shortest by length), ``alt_route_min``/
    ``detour_min`` (minutes, fastest by time), ``path_edges`` (list of the edge ids
    of the shortest route, from the bridge edge's ``u`` to ``v``) and
    ``time_path_edges`` (of the fastest route).  Set totals: ``isolated_nodes``, ``isolated_population``
    (persons), ``isolated_facilities``.
    """
    removed: frozenset
    alt_route_m: dict = field(default_factory=dict)
    alt_route_min: dict = field(default_factory=dict)
    detour_m: dict = field(default_factory=dict)
    detour_min: dict = field(default_factory=dict)
    path_edges: dict = field(default_factory=dict)
    time_path_edges: dict = field(default_factory=dict)
    isolated_nodes: int = 0
    isolated_population: float = 0.0
    isolated_facilities: int = 0


class SetEvaluator:
    """Removal sets of inventory bridges on a ``gunmane_geo.network.Network``.

    Build it with ``SetEvaluator.of(network)`` (one per network, kept in the
    network's cache).  Bridges are the matched rows of ``network.bridges``; two
    bridges matched to one edge share it (removing either removes the edge).

    Attributes
    ----------
    network : Network
    bridge_edge : dict
        ``bridge_id -> edge_id`` of the matched bridges.
    edge_bridges : dict
        ``edge_id -> set of bridge_id`` carried by the edge.
    length_m, time_min, width_m : float arrays per edge (width NaN when unknown)
    road_class : object array per edge
    """

    def __init__(self, network: Network):
        bridges = require_bridges(network)
        self.network = network
        m = bridges[bridges["matched"].astype(bool) & (bridges["edge_id"] >= 0)]
        self.bridge_edge = dict(zip(m["bridge_id"].astype(str), m["edge_id"].astype(int)))
        self.edge_bridges: dict[int, set] = {}
        for b, e in self.bridge_edge.items():
            self.edge_bridges.setdefault(e, set()).add(b)
        edges = network.edges
        self.length_m = network.weight("length_m")
        self.time_min = network.weight("time_min")
        self.width_m = (edges["width_m"].to_numpy(float) if "width_m" in edges.columns
                        else np.full(network.n_edges, np.nan))
        self.road_class = edges["road_class"].to_numpy(object)
        self.walkable = network.mode_edges("walk")
        self._times: dict[tuple, np.ndarray] = {}

    @classmethod
    def of(cls, network) -> "SetEvaluator":
        """The evaluator of ``network`` (a ``Network`` with bridges attached)."""
        if isinstance(network, SetEvaluator):
            return network
        if not isinstance(network, Network):
            raise InputError(f"options need a gunmane_geo.network.Network (build it with "
                             f"gunmane_geo.network.network_from_region or build_network + "
                             f"attach_bridges), got {type(network).__name__}", source="network")
        ev = network._cache.get("set_evaluator")
        if ev is None:
            ev = network._cache["set_evaluator"] = cls(network)
        return ev


    @property
    def bridge_edges(self) -> dict:
        """``bridge_id -> edge_id`` (alias of ``bridge_edge``)."""
        return self.bridge_edge

    # ------------------------------------------------------------------
    def edges_of(self, bridge_ids) -> np.ndarray:
        """Edge ids of the given bridges (unknown and unmatched bridges have none)."""
        e = [self.bridge_edge[b] for b in bridge_ids if b in self.bridge_edge]
        return np.unique(np.asarray(e, np.int64)) if e else _EMPTY

    def walk_edges_of(self, bridge_ids) -> np.ndarray:
        """Edge ids of the given bridges that walkers use (``Network.mode_edges("walk")``)."""
        e = self.edges_of(bridge_ids)
        return e[self.walkable[e]] if len(e) else e

    def link_keys(self, edge_ids, mode: str = "motor") -> list:
        """One key per edge naming its road link (of ``mode``; the link's lowest edge id):
        two edges with the same key lie on one link, with no junction between them."""
        return link_keys(self.network, edge_ids, mode)

    def times(self, upgraded_edges=(), upgraded_speed_kmh=None) -> np.ndarray:
        """Edge times (min) with ``upgraded_edges`` at ``upgraded_speed_kmh`` where faster."""
        up = tuple(sorted({int(e) for e in upgraded_edges}))
        if not up or not upgraded_speed_kmh:
            return self.time_min
        key = (up, float(upgraded_speed_kmh))
        t = self._times.get(key)
        if t is None:
            if len(self._times) > 64:
                self._times.clear()
            t = self.time_min.copy()
            a = np.asarray(up, np.int64)
            t[a] = np.minimum(t[a], self.length_m[a] / 1000.0 / float(upgraded_speed_kmh) * 60.0)
            self._times[key] = t
        return t

    def routes(self, bridge_ids, removed_edges=_EMPTY, weight="length_m", *,
               also_removed=None, mode: str = "motor") -> tuple[dict, dict, dict]:
        """Alternative routes of ``bridge_ids`` with ``removed_edges`` (and their own edge) gone.

        ``weight``: ``"length_m"``, ``"time_min"`` or an array of edge weights.
        ``also_removed``: per bridge, further edges removed for its query only.
        ``mode``: ``"motor"`` (vehicles, default) or ``"walk"`` (walkers, every walkable
        way; the road link is then the walking link, junction to junction on foot).
        With ``"walk"`` only the bridges on a walkable edge are measured (a motorway
        bridge has no walkers' route).
        Returns ``(route cost between the junctions of the bridge's road link, detour =
        max(0, cost - the link's own cost), path edge ids)``, dicts keyed by bridge id;
        ``inf`` and an empty path when the junctions are no longer connected.
        """
        ids = [b for b in bridge_ids if b in self.bridge_edge]
        if mode == "walk":
            ids = [b for b in ids if self.walkable[self.bridge_edge[b]]]
        if not ids:
            return {}, {}, {}
        eids = np.asarray([self.bridge_edge[b] for b in ids], np.int64)
        links = road_links(self.network, eids, mode)
        cost, paths = alternative_routes(self.network, eids, weight, removed=removed_edges,
                                         also_removed=also_removed, return_paths=True,
                                         links=links, mode=mode)
        w = (self.length_m if isinstance(weight, str) and weight == "length_m" else
             self.time_min if isinstance(weight, str) else weight)
        own = links.cost(w)
        detour = np.where(np.isfinite(cost), np.maximum(0.0, cost - own), np.inf)
        return (dict(zip(ids, cost.tolist())), dict(zip(ids, detour.tolist())),
                dict(zip(ids, paths)))

    def isolation(self, removed_edges, mode: str = "motor") -> tuple[int, float, int]:
        """``(nodes, population, facilities)`` cut off when ``removed_edges`` go together
        (for vehicles, or with ``mode="walk"`` for walkers)."""
        if not len(removed_edges):
            return 0, 0.0, 0
        _, isolated = set_components(self.network, removed_edges, mode)
        t = isolated_totals(self.network, isolated)
        return t["isolated_nodes"], t["isolated_population"], t["isolated_facilities"]

    def evaluate(self, removed, detour_for=None, *, upgraded_edges=(), upgraded_speed_kmh=None,
                 isolation: bool = True) -> SetEffect:
        """Measure the removal of the bridge set ``removed`` (vehicles).

        Parameters
        ----------
        removed : iterable of bridge_id
            Unknown or unmatched bridges are ignored (they have no edge).
        detour_for : iterable of bridge_id, optional
            Bridges whose routes to compute (default: all of ``removed``).
        upgraded_edges : iterable of int
            Edge ids whose time is recomputed at ``upgraded_speed_kmh`` (a detour
            upgrade), when that is faster; only the fastest routes change.
        isolation : bool
            Also measure the population and facilities cut off.

        Returns
        -------
        SetEffect
        """
        removed = frozenset(str(b) for b in removed)
        redges = self.edges_of(removed)
        targets = sorted(removed) if detour_for is None else [str(b) for b in detour_for]
        effect = SetEffect(removed)
        alt, det, path = self.routes(targets, redges, "length_m")
        effect.alt_route_m, effect.detour_m = alt, det
        effect.path_edges = {b: p.tolist() for b, p in path.items()}
        tw = self.times(upgraded_edges, upgraded_speed_kmh)
        alt, det, path = self.routes(targets, redges, tw)
        effect.alt_route_min, effect.detour_min = alt, det
        effect.time_path_edges = {b: p.tolist() for b, p in path.items()}
        if isolation and len(redges):
            covered = {b for b in removed if b in self.bridge_edge} <= set(effect.alt_route_m)
            # two removed bridges on one road link cut off the stretch between them even
            # when the link's junctions stay connected
            if share_a_link(self.network, redges) or not (covered and all(math.isfinite(v)
                                                for v in effect.alt_route_m.values())):
                # some removed edge's two ends are (or may be) disconnected: label the pieces
                n, pop, fac = self.isolation(redges)
                effect.isolated_nodes, effect.isolated_population = n, pop
                effect.isolated_facilities = fac
            # else: every removed edge's ends stay connected, so no node is cut off
        return effect

    def bridges_on_path(self, path_edges) -> set[str]:
        """Bridge ids carried by the given edge ids."""
        out = set()
        for e in path_edges:
            out |= self.edge_bridges.get(int(e), set())
        return out


#: the earlier name of ``SetEvaluator`` (kept for callers such as ``gunmane_geo.maps``)
