"""Independent reference for bridge criticality (through-traffic detour), plain networkx.

Nothing here imports gunmane_geo.network or gunmane_geo.criticality: the graphs are
built straight from an abstract topology (benchmarks/_topology.py) or from an OSM
file read with plain pyosmium, and the link rule is applied here on its own.

The definitions (docs/criticality.md, RA2CE's link definition):

* link bounds: from each end of the bridge walk along the road while the node has
  degree 2; the first node of another degree (a junction, or a dead end) bounds the
  link: A on one side, B on the other.  A walk that comes back onto the bridge (a
  pure cycle, no junction at all) has no bounds: the caller supplies them (the two
  ends of the road line that carries the bridge).
* alt_route = shortest A -> B without the bridge, link_length = length of A..bridge..B,
  detour = alt_route - link_length (the same in minutes with the time weight).
* isolation: removing the bridge disconnects its two ends; the cut-off side is the
  one with the smaller population (ties: fewer nodes); its population is reported.
"""
from __future__ import annotations

import math
from collections import deque

import networkx as nx
import numpy as np

LEN, TIME = "length_m", "time_min"


# --- graphs --------------------------------------------------------------------
def graph_from_links(links, population=None):
    """``nx.MultiGraph`` from ``(key, u, v, length_m, time_min)`` tuples.

    ``population``: optional ``{node: persons}``; every node gets a ``population``.
    """
    g = nx.MultiGraph()
    for key, u, v, length, time in links:
        g.add_edge(u, v, key=key, **{LEN: float(length), TIME: float(time)})
    pop = population or {}
    for n in g.nodes:
        g.nodes[n]["population"] = float(pop.get(n, 0.0))
    return g


def topology_graphs(topo, speed_kmh, walking_speed_kmh=4.8):
    """The vehicle graph (motor links only) and the walking graph (all links) of a
    ``benchmarks._topology.Topology``; edge keys are the link ids.

    ``speed_kmh``: {road_class: km/h} for the vehicle times.
    """
    L = topo.links
    pop = dict(zip(topo.nodes.node.to_numpy().tolist(), topo.nodes.population.to_numpy()))
    car, walk = [], []
    for r in L.itertuples():
        v_ms = speed_kmh[r.road_class] * 1000.0 / 60.0
        if r.motor:
            car.append((r.link, r.u, r.v, r.length_m, r.length_m / v_ms))
        walk.append((r.link, r.u, r.v, r.length_m,
                     r.length_m / (walking_speed_kmh * 1000.0 / 60.0)))
    return graph_from_links(car, pop), graph_from_links(walk, pop)


# --- the link rule ---------------------------------------------------------------
def _walk(g, start, via_key, came_from):
    """From ``start`` (entered over edge ``via_key`` from ``came_from``) walk on while the
    node has degree 2.  Returns (bound node, [edge keys walked]) or (None, keys) when the
    walk comes back onto ``via_key`` (a pure cycle)."""
    keys = []
    x, key = start, via_key
    seen = {start}
    while g.degree(x) == 2:
        # the other edge at x
        nxt = None
        for _, y, k in g.edges(x, keys=True):
            if k != key:
                nxt = (y, k)
                break
        if nxt is None:              # a self-loop counted twice: treat as a bound
            return x, keys
        y, k = nxt
        if k == via_key or k in keys:
            return None, keys
        keys.append(k)
        key, x = k, y
        if x in seen:
            return None, keys
        seen.add(x)
    return x, keys


def link_bounds(g, u, v, key):
    """Bounds (A, B) of the link carrying edge ``key`` (u - v) and the edge keys of the
    whole link (bridge first).  Returns None for a pure cycle."""
    a, ka = _walk(g, u, key, v)
    if a is None:
        return None
    b, kb = _walk(g, v, key, u)
    if b is None:
        return None
    return a, b, [key] + ka + kb


def _edge_sum(g, keys, attr, ends):
    """Sum of ``attr`` over edges with these keys (looked up through their end nodes)."""
    tot = 0.0
    want = set(keys)
    for n in ends:
        for _, _, k, d in g.edges(n, keys=True, data=True):
            if k in want:
                tot += d[attr]
                want.discard(k)
    if want:
        # edges not at the given nodes: search the whole graph once (rare)
        for _, _, k, d in g.edges(keys=True, data=True):
            if k in want:
                tot += d[attr]
                want.discard(k)
    return tot


def _sides(g, u, v, comp_pop, comp_n):
    """After the edge is removed and u, v are disconnected: the cut-off side's
    (population, nodes), found by an alternating BFS from both ends (the smaller side
    is exhausted first; the other side is the component's rest)."""
    seen = [{u}, {v}]
    queues = [deque([u]), deque([v])]
    turn = 0
    while queues[0] and queues[1]:
        q = queues[turn]
        x = q.popleft()
        for y in g.neighbors(x):
            if y not in seen[turn]:
                seen[turn].add(y)
                q.append(y)
        turn = 1 - turn
    small = seen[0] if not queues[0] else seen[1]
    sp = sum(g.nodes[x]["population"] for x in small)
    sn = len(small)
    op, on = comp_pop - sp, comp_n - sn
    if (sp, sn) <= (op, on):
        return sp, sn
    return op, on


class Reference:
    """Per-bridge reference measures on one graph (vehicle or walking)."""

    def __init__(self, g):
        self.g = g
        self.comp_of = {}
        self.comp_pop, self.comp_n = [], []
        for i, comp in enumerate(nx.connected_components(g)):
            for x in comp:
                self.comp_of[x] = i
            self.comp_pop.append(sum(g.nodes[x]["population"] for x in comp))
            self.comp_n.append(len(comp))

    def measure(self, u, v, key, cycle_bounds=None):
        """dict(alt_route_m, link_length_m, detour_m, alt_route_min, link_time_min,
        detour_min, isolates, isolated_population, A, B, degenerate).

        ``cycle_bounds``: callable () -> (A, B, link_length_m, link_time_min) used when
        the bridge is on a pure cycle.
        """
        g = self.g
        out = dict(alt_route_m=math.nan, link_length_m=math.nan, detour_m=math.nan,
                   alt_route_min=math.nan, link_time_min=math.nan, detour_min=math.nan,
                   isolates=False, isolated_population=0.0, A=None, B=None, degenerate=None)
        data = g.edges[u, v, key]
        g.remove_edge(u, v, key)
        try:
            if not nx.has_path(g, u, v):
                c = self.comp_of[u]
                pop, _ = _sides(g, u, v, self.comp_pop[c], self.comp_n[c])
                out.update(isolates=True, isolated_population=float(pop))
                return out
        finally:
            g.add_edge(u, v, key=key, **data)
        lb = link_bounds(g, u, v, key)
        if lb is None:
            if cycle_bounds is None:
                out["degenerate"] = "pure cycle"
                return out
            A, B, llen, ltime = cycle_bounds()
        else:
            A, B, keys = lb
            ends = {u, v, A, B}
            llen = _edge_sum(g, keys, LEN, ends)
            ltime = _edge_sum(g, keys, TIME, ends)
            if A == B:
                out["degenerate"] = "link starts and ends at one junction"
                out.update(A=A, B=B, link_length_m=llen, link_time_min=ltime)
                return out
        g.remove_edge(u, v, key)
        try:
            alt = nx.bidirectional_dijkstra(g, A, B, weight=LEN)[0]
            alt_t = nx.bidirectional_dijkstra(g, A, B, weight=TIME)[0]
        finally:
            g.add_edge(u, v, key=key, **data)
        out.update(A=A, B=B, alt_route_m=alt, link_length_m=llen, detour_m=alt - llen,
                   alt_route_min=alt_t, link_time_min=ltime, detour_min=alt_t - ltime)
        return out


def topology_reference(topo, speed_kmh, walking_speed_kmh=4.8):
    """Reference per bridge of a Topology: a DataFrame indexed by bridge_id with the
    vehicle measures (NaN and pedestrian_only True for footbridges) and the walking
    measures (walk_alt_route_m, walk_link_length_m, walk_detour_m, isolates_on_foot)."""
    import pandas as pd

    car, walk = topology_graphs(topo, speed_kmh, walking_speed_kmh)
    rc, rw = Reference(car), Reference(walk)
    rows = []
    for r in topo.links[topo.links.bridge_id.notna()].itertuples():
        row = {"bridge_id": r.bridge_id, "pedestrian_only": not r.motor}
        if r.motor:
            m = rc.measure(r.u, r.v, r.link)
            row.update({k: m[k] for k in ("alt_route_m", "link_length_m", "detour_m",
                                          "alt_route_min", "detour_min", "isolates",
                                          "isolated_population", "degenerate")})
        else:
            row.update(alt_route_m=np.nan, link_length_m=np.nan, detour_m=np.nan,
                       alt_route_min=np.nan, detour_min=np.nan, isolates=np.nan,
                       isolated_population=np.nan, degenerate=None)
        w = rw.measure(r.u, r.v, r.link)
        row.update(walk_alt_route_m=w["alt_route_m"], walk_link_length_m=w["link_length_m"],
                   walk_detour_m=w["detour_m"], isolates_on_foot=w["isolates"],
                   walk_degenerate=w["degenerate"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("bridge_id")


# --- OSM, read with plain pyosmium ----------------------------------------------------
#: highway values that are no road for anybody (my list, written for this reference)
NOT_A_ROAD = frozenset({"proposed", "construction", "abandoned", "disused", "razed",
                        "platform", "bus_stop", "elevator", "rest_area", "services",
                        "raceway", "no", "emergency_bay", "crossing", "traffic_signals",
                        "street_lamp", "turning_circle"})
#: highway values closed to motor vehicles
FOOT_ONLY = frozenset({"footway", "path", "cycleway", "steps", "pedestrian", "bridleway",
                       "corridor"})
NO_WALKING = frozenset({"motorway", "motorway_link"})


def osm_motor(tags) -> bool:
    hw = tags.get("highway")
    return (hw not in FOOT_ONLY and tags.get("motor_vehicle") != "no"
            and tags.get("access") != "no")


def osm_walkable(tags) -> bool:
    return tags.get("highway") not in NO_WALKING and tags.get("foot") != "no"


def read_osm_ways(path):
    """Highway ways of a PBF with plain pyosmium: {(way_id, run): (tags, [node ids],
    [(lon, lat)])}.  A node without a location (outside the extract) breaks its way:
    each run of >= 2 consecutive located nodes is kept as a way of its own.  Areas and
    NOT_A_ROAD values are left out."""
    import osmium

    class H(osmium.SimpleHandler):
        def __init__(self):
            super().__init__()
            self.ways = {}

        def way(self, w):
            tags = dict(w.tags)
            hw = tags.get("highway")
            if hw is None or hw in NOT_A_ROAD or tags.get("area") == "yes":
                return
            runs, refs, xy = [], [], []
            for n in w.nodes:
                if not n.location.valid():
                    if len(refs) >= 2:
                        runs.append((refs, xy))
                    refs, xy = [], []
                    continue
                refs.append(n.ref)
                xy.append((n.location.lon, n.location.lat))
            if len(refs) >= 2:
                runs.append((refs, xy))
            for k, (r, c) in enumerate(runs):
                self.ways[(w.id, k)] = (tags, r, c)

    h = H()
    h.apply_file(str(path), locations=True)
    return h.ways


def osm_reference(path, mode="car"):
    """Reference per OSM bridge piece: {(way_id, from_node, to_node): measures}.

    Graph nodes are OSM node ids, one edge per consecutive node pair of a way (lengths
    in the UTM zone of the data, computed with pyproj here).  A bridge way is cut into
    pieces at its interior nodes shared with another kept way (or met twice), as OSM
    junctions are; each piece is one bridge.  ``mode``: "car" (motor ways) or "walk".
    """
    from collections import Counter

    from pyproj import Transformer

    ways = read_osm_ways(path)
    lon = np.mean([p[0] for _, _, xy in ways.values() for p in xy])
    lat = np.mean([p[1] for _, _, xy in ways.values() for p in xy])
    zone = int((lon + 180) // 6) + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    tr = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    use = osm_motor if mode == "car" else osm_walkable
    occ = Counter(r for (_, refs, _) in ways.values() for r in refs)
    links, pieces = [], []
    for (wid, run), (tags, refs, xy) in ways.items():
        x, y = tr.transform(np.array([p[0] for p in xy]), np.array([p[1] for p in xy]))
        seg = np.hypot(np.diff(x), np.diff(y))
        is_bridge = tags.get("bridge", "no") != "no"
        start = 0
        for k in range(len(refs) - 1):
            if refs[k] == refs[k + 1]:
                continue
            if use(tags):
                links.append(((wid, run, k), refs[k], refs[k + 1], seg[k], 0.0))
            end = k + 1
            if is_bridge and (end == len(refs) - 1 or occ[refs[end]] > 1):
                pieces.append((wid, run, start, end, refs, use(tags)))
                start = end
    g = graph_from_links(links)
    ref = Reference(g)
    out = {}
    for wid, run, a, b, refs, used in pieces:
        # a piece of several segments: the walk passes through its degree-2 nodes, so
        # removing its first segment removes the piece
        m = ref.measure(refs[a], refs[a + 1], (wid, run, a)) if used else None
        out[(wid, refs[a], refs[b])] = m
    return out, epsg
