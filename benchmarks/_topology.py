"""A road network whose topology is fixed BEFORE any geometry is written.

``generate()`` first decides the abstract network: a grid of junction nodes
(``spacing_m`` apart) cut by north-south rivers, links between neighbouring nodes,
some links dropped at random, some dropped links turned into footways, river
crossings only on bridges (a motor bridge on every ``bridge_every``-th row, a
footbridge on a share of the other rows), and dead-end valleys and islands hanging
off the east edge of the grid behind a single bridge.  Every link knows its
polyline, its length (the polyline's length), road class, whether motor vehicles
may use it and the bridge it carries.  Population is put on nodes only.

``to_frames(topo)`` then writes that topology as GIS layers the way a road ledger
or OSM would give them: rows (east-west streets) as long lines with a vertex at
every junction, other links as lines of their own, a bridge inventory of points a
couple of metres off the road (with ``length_m``), and population points exactly
on nodes.  ``ra2ce_lines(topo)`` writes the motor links one line per link (what
RA2CE's vector reader expects: a line is an edge from its first to its last point).

Nothing here imports gunmane_geo: the abstract topology is the ground truth that
``tests/lib/_independent.py`` computes the reference criticality from.

Coordinates in EPSG:6677 (JGD2011 plane rectangular zone IX), metres.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

CRS = "EPSG:6677"
SPEED_KMH = {"national": 50.0, "prefectural": 40.0, "municipal": 30.0, "other": 20.0}
HIGHWAY_OF_CLASS = {"national": "primary", "prefectural": "secondary",
                    "municipal": "residential", "other": "unclassified"}


@dataclass
class Topology:
    """The abstract network.

    nodes : DataFrame  node (int, = row), x, y (m), population (persons)
    links : DataFrame  link (int, = row), u, v (node ids), length_m, road_class, motor (bool),
            bridge_id (str or None), bridge_length_m (inventory span, NaN if none), coords
            (list of (x, y), from u to v), line (id of the road line that carries it)
    info : dict of counts
    """
    nodes: pd.DataFrame
    links: pd.DataFrame
    info: dict = field(default_factory=dict)
    crs: str = CRS


def grid_for(n_edges: int, n_bridges: int, bridge_every: int = 3):
    """Grid side and number of rivers giving about ``n_edges`` links and ``n_bridges`` bridges."""
    side = max(8, int(round(math.sqrt(n_edges / 2.0))))
    rows_with_bridges = max(1, math.ceil(side / bridge_every))
    n_rivers = max(1, int(round(n_bridges / rows_with_bridges)))
    return side, min(n_rivers, max(1, side // 4))


def generate(n_edges: int = 15_000, n_bridges: int | None = None, seed: int = 0,
             spacing_m: float = 100.0, bridge_every: int = 3, drop_share: float = 0.08,
             footway_share: float = 0.35, footbridge_share: float = 0.15,
             bend_share: float = 0.25, n_spurs: int | None = None,
             bridge_length_m: float = 30.0, origin=(-20000.0, -30000.0)) -> Topology:
    """The abstract topology (see the module docstring).

    ``n_edges`` is the target number of grid links (before drops), ``n_bridges`` the
    target number of motor river bridges (default: about n_edges / 55).
    """
    rng = np.random.default_rng(seed)
    if n_bridges is None:
        n_bridges = max(4, n_edges // 55)
    side, n_rivers = grid_for(n_edges, n_bridges, bridge_every)
    nx_ = ny_ = side
    x0, y0 = origin
    s = float(spacing_m)
    # rivers between column c and c + 1; never next to each other or to the edge
    river_cols = sorted(set(np.linspace(2, nx_ - 4, n_rivers).round().astype(int).tolist()))
    rivers = set(river_cols)
    nat_cols = set(range(5, nx_, 20))

    node_x = [x0 + (k % nx_) * s for k in range(nx_ * ny_)]
    node_y = [y0 + (k // nx_) * s for k in range(nx_ * ny_)]
    links = []          # dicts

    def nid(i, j):
        return j * nx_ + i

    def add_link(u, v, cls, motor, coords, bridge_id=None, span=np.nan, kind="grid"):
        c = np.asarray(coords, float)
        length = float(np.hypot(*np.diff(c, axis=0).T).sum())
        links.append(dict(u=u, v=v, length_m=length, road_class=cls, motor=bool(motor),
                          bridge_id=bridge_id, bridge_length_m=span,
                          coords=[tuple(p) for p in c], kind=kind))

    def bent(a, b, horizontal):
        """Polyline a -> b, with a bend vertex in the middle for a share of links."""
        if rng.random() >= bend_share:
            return [a, b]
        off = float(rng.uniform(5.0, 20.0)) * (1 if rng.random() < 0.5 else -1)
        m = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        m = (m[0], m[1] + off) if horizontal else (m[0] + off, m[1])
        return [a, m, b]

    # east-west links (rows)
    for j in range(ny_):
        row_cls = "prefectural" if j % 10 == 0 else "municipal"
        for i in range(nx_ - 1):
            a, b = (node_x[nid(i, j)], node_y[nid(i, j)]), (node_x[nid(i + 1, j)],
                                                          node_y[nid(i + 1, j)])
            if i in rivers:
                if j % bridge_every == 0:
                    add_link(nid(i, j), nid(i + 1, j), row_cls, True, [a, b],
                             f"B{j:04d}_{i:04d}", bridge_length_m, "bridge")
                elif rng.random() < footbridge_share:
                    add_link(nid(i, j), nid(i + 1, j), "other", False, [a, b],
                             f"F{j:04d}_{i:04d}", 10.0, "footbridge")
                continue
            if j % 10 != 0 and rng.random() < drop_share:
                if rng.random() < footway_share:
                    add_link(nid(i, j), nid(i + 1, j), "other", False, bent(a, b, True),
                             kind="footway")
                continue
            add_link(nid(i, j), nid(i + 1, j), row_cls, True, bent(a, b, True))
    # north-south links (columns)
    for i in range(nx_):
        cls = "national" if i in nat_cols else "municipal"
        for j in range(ny_ - 1):
            a, b = (node_x[nid(i, j)], node_y[nid(i, j)]), (node_x[nid(i, j + 1)],
                                                          node_y[nid(i, j + 1)])
            keep_all = i % 10 == 0 or i == nx_ - 1 or i in nat_cols
            if not keep_all and rng.random() < drop_share:
                if rng.random() < footway_share:
                    add_link(nid(i, j), nid(i, j + 1), "other", False, bent(a, b, False),
                             kind="footway")
                continue
            add_link(nid(i, j), nid(i, j + 1), cls, True, bent(a, b, False))

    # dead-end valleys (even k) and islands (odd k) off the east edge
    if n_spurs is None:
        n_spurs = max(2, n_bridges // 60)
    rows = rng.choice(np.arange(1, ny_ - 1), size=min(n_spurs, ny_ - 2), replace=False)
    xe = x0 + (nx_ - 1) * s
    pop_extra = {}

    def new_node(x, y):
        node_x.append(x); node_y.append(y)
        return len(node_x) - 1

    for k, j in enumerate(sorted(rows)):
        e = nid(nx_ - 1, j)
        y = node_y[e]
        # the bridge link p1 - p2 is 80 m long, so that its inventory point (in the
        # middle) is 40 m from any other link: farther than the 30 m match tolerance
        p1 = new_node(xe + 300.0, y)
        p2 = new_node(xe + 380.0, y)
        add_link(e, p1, "municipal", True, [(xe, y), (xe + 300.0, y)], kind="spur")
        add_link(p1, p2, "municipal", True, [(xe + 300.0, y), (xe + 380.0, y)],
                 f"V{k:04d}", 20.0, "spur_bridge")
        xe2 = xe + 40.0
        if k % 2 == 0:          # valley: p2 - p3, then two leaves
            p3 = new_node(xe2 + 640.0, y)
            l1 = new_node(xe2 + 900.0, y + 30.0)
            l2 = new_node(xe2 + 880.0, y - 30.0)
            add_link(p2, p3, "municipal", True, [(xe2 + 340.0, y), (xe2 + 640.0, y)],
                     kind="spur")
            add_link(p3, l1, "municipal", True, [(xe2 + 640.0, y), (xe2 + 770.0, y + 40.0),
                                                 (xe2 + 900.0, y + 30.0)], kind="spur")
            add_link(p3, l2, "municipal", True, [(xe2 + 640.0, y), (xe2 + 880.0, y - 30.0)],
                     kind="spur")
            pop_extra[l1] = float(rng.integers(10, 200))
            pop_extra[l2] = float(rng.integers(10, 200))
            pop_extra[p3] = float(rng.integers(0, 50))
        else:                   # island: a ring p2 - r1 - r2 - r3 - p2
            r1 = new_node(xe2 + 410.0, y + 35.0)
            r2 = new_node(xe2 + 480.0, y)
            r3 = new_node(xe2 + 410.0, y - 35.0)
            ring = [p2, r1, r2, r3, p2]
            for a, b in zip(ring[:-1], ring[1:]):
                add_link(a, b, "municipal", True, [(node_x[a], node_y[a]), (node_x[b], node_y[b])],
                         kind="spur")
            pop_extra[p2] = float(rng.integers(10, 300))

    links = pd.DataFrame(links)
    links.insert(0, "link", np.arange(len(links)))
    nodes = pd.DataFrame({"node": np.arange(len(node_x)), "x": node_x, "y": node_y})
    # population only where a road-data node is sure to be: degree != 2 (all links) and
    # at least one motor link (so it is on the vehicle graph)
    deg = np.bincount(np.concatenate([links.u, links.v]), minlength=len(nodes))
    motor_deg = np.bincount(np.concatenate([links.u[links.motor], links.v[links.motor]]),
                            minlength=len(nodes))
    ok = (deg != 2) & (deg > 0) & (motor_deg > 0)
    pop = np.where(ok & (rng.random(len(nodes)) < 0.6), rng.integers(0, 60, len(nodes)), 0)
    pop = pop.astype(float)
    for n, p in pop_extra.items():
        pop[n] = p if ok[n] else 0.0
    nodes["population"] = pop
    links["line"] = _assign_lines(links, nx_)
    info = {"columns": nx_, "rows": ny_, "rivers": len(river_cols), "spurs": len(rows),
            "links": len(links), "motor_links": int(links.motor.sum()),
            "bridges": int(links.kind.eq("bridge").sum()),
            "footbridges": int(links.kind.eq("footbridge").sum()),
            "spur_bridges": int(links.kind.eq("spur_bridge").sum())}
    return Topology(nodes=nodes, links=links, info=info)


def _assign_lines(links: pd.DataFrame, nx_: int) -> np.ndarray:
    """Road line of each link: runs of consecutive motor links of one class along a row
    make one line (vertices at every junction, like OSM ways); every other link is a
    line of its own."""
    line = np.full(len(links), -1, np.int64)
    u = links.u.to_numpy(); v = links.v.to_numpy()
    horiz = (links.kind.isin(["grid", "bridge"]) & links.motor
             & (v == u + 1) & (u // nx_ == v // nx_)).to_numpy()
    cls = links.road_class.to_numpy()
    by_start = {int(u[k]): k for k in np.flatnonzero(horiz)}
    nxt = 0
    done = np.zeros(len(links), bool)
    prev_of = {int(v[k]): k for k in np.flatnonzero(horiz)}
    for k in np.flatnonzero(horiz):
        if done[k]:
            continue
        # walk back to the start of the run
        a = k
        while int(u[a]) in prev_of and cls[prev_of[int(u[a])]] == cls[a] \
                and not done[prev_of[int(u[a])]]:
            a = prev_of[int(u[a])]
        b = a
        while True:
            line[b] = nxt
            done[b] = True
            c = by_start.get(int(v[b]))
            if c is None or cls[c] != cls[b] or done[c]:
                break
            b = c
        nxt += 1
    rest = np.flatnonzero(line < 0)
    line[rest] = nxt + np.arange(len(rest))
    return line


# --- writing GIS layers ---------------------------------------------------------------
def to_frames(topo: Topology):
    """Roads (lines), bridge inventory (points) and population (points) as GeoDataFrames.

    roads: road_id, road_class, motor_vehicle, layer, geometry (one line per ``line``)
    bridges: bridge_id, length_m, geometry (point 2 m beside the middle of the link)
    population: population, geometry (point exactly on the node)
    """
    import geopandas as gpd
    import shapely

    L = topo.links
    geoms, rows = [], []
    for line_id, grp in L.groupby("line", sort=True):
        grp = grp.sort_values("u")
        coords = list(grp.coords.iat[0])
        for c in grp.coords.iloc[1:]:
            coords.extend(c[1:])
        first = grp.iloc[0]
        geoms.append(shapely.LineString(coords))
        rows.append((f"L{line_id}", first.road_class, bool(first.motor), 0))
    roads = gpd.GeoDataFrame(pd.DataFrame(rows, columns=["road_id", "road_class",
                                                         "motor_vehicle", "layer"]),
                             geometry=geoms, crs=topo.crs)
    b = L[L.bridge_id.notna()]
    pts, ids, spans = [], [], []
    for _, r in b.iterrows():
        (xa, ya), (xb, yb) = r.coords[0], r.coords[-1]
        d = math.hypot(xb - xa, yb - ya)
        nxn, nyn = -(yb - ya) / d, (xb - xa) / d     # unit normal
        pts.append(((xa + xb) / 2 + 2.0 * nxn, (ya + yb) / 2 + 2.0 * nyn))
        ids.append(r.bridge_id)
        spans.append(r.bridge_length_m)
    bridges = gpd.GeoDataFrame({"bridge_id": ids, "length_m": spans},
                               geometry=shapely.points(np.array(pts).reshape(-1, 2)),
                               crs=topo.crs)
    N = topo.nodes[topo.nodes.population > 0]
    population = gpd.GeoDataFrame({"population": N.population.to_numpy()},
                                  geometry=shapely.points(N.x.to_numpy(), N.y.to_numpy()),
                                  crs=topo.crs)
    return {"roads": roads, "bridges": bridges, "population": population}


def ra2ce_lines(topo: Topology):
    """Motor links, one line per link, for RA2CE's vector reader.

    Columns: link_id, highway (OSM-like type of the road class), length (m), bridge
    ("yes" on bridge links), bridge_id, geometry.  A bridge link is written as three
    lines (approach, bridge span, approach) so that RA2CE's graph carries the bridge as
    its own complex edge, as gunmane_geo's does; RA2CE's simplification merges them
    back into the link between junctions, which is exactly the through-traffic link.
    """
    import geopandas as gpd
    import shapely
    from shapely.ops import substring

    rows, geoms = [], []
    for r in topo.links[topo.links.motor].itertuples():
        hw = HIGHWAY_OF_CLASS[r.road_class]
        if r.bridge_id is None or (isinstance(r.bridge_id, float) and np.isnan(r.bridge_id)):
            g = shapely.LineString(r.coords)
            rows.append((f"e{r.link}", hw, g.length, None, None)); geoms.append(g)
            continue
        g = shapely.LineString(r.coords)
        Lk = g.length
        h = min(r.bridge_length_m, Lk) / 2.0
        cuts = [0.0, Lk / 2 - h, Lk / 2 + h, Lk]
        for k in range(3):
            piece = substring(g, cuts[k], cuts[k + 1])
            is_b = k == 1
            rows.append((f"e{r.link}_{k}", hw, piece.length, "yes" if is_b else None,
                         r.bridge_id if is_b else None))
            geoms.append(piece)
    df = pd.DataFrame(rows, columns=["link_id", "highway", "length", "bridge", "bridge_id"])
    return gpd.GeoDataFrame(df, geometry=geoms, crs=topo.crs)
