"""Synthetic road networks with rivers and bridges (shared by benchmarks and tests).

``synthetic_region(n_edges, n_bridges, seed)`` makes a street grid (``spacing_m``
apart) cut by north-south rivers.  Streets cross a river only on bridges (every
``bridge_every``-th row, the others stop at the bank); a few dead-end valleys and
islands hang off the edge of the grid behind a single bridge, so some bridges
isolate somebody.  A share of street segments is dropped at random so that the
grid is irregular.  Roads are long lines with a vertex at every junction (as in
OSM), bridges are their own lines carrying ``bridge_id``; the bridge inventory
gives a point per bridge with ``aadt`` and ``length_m``.

Everything is in EPSG:6677 (JGD2011 plane rectangular zone IX), metres.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CRS = "EPSG:6677"


def grid_size(n_edges: int, n_bridges: int, bridge_every: int = 3):
    """Grid columns/rows and number of rivers giving about ``n_edges`` and ``n_bridges``."""
    side = max(6, int(round(math.sqrt(n_edges / 2.0))))
    rows_with_bridges = max(1, math.ceil(side / bridge_every))
    n_rivers = max(1, int(round(n_bridges * 0.97 / rows_with_bridges)))
    n_rivers = min(n_rivers, side // 3)
    return side, side, n_rivers


def synthetic_region(n_edges: int = 5000, n_bridges: int = 80, seed: int = 0,
                     spacing_m: float = 100.0, bridge_every: int = 3, drop_share: float = 0.08,
                     bridge_length_m: float = 30.0, origin=(-20000.0, -30000.0)):
    """Roads, bridge inventory, population points and facilities of a synthetic region.

    Returns
    -------
    dict with ``roads`` (lines: road_id, road_class, route_name, is_bridge, bridge_id,
    layer), ``bridges`` (points: bridge_id, route_name, length_m, aadt), ``population``
    (points: population), ``facilities`` (points: facility_id, name, facility_type)
    and ``info`` (grid size, rivers, spurs).
    """
    rng = np.random.default_rng(seed)
    nx_, ny_, n_rivers = grid_size(n_edges, n_bridges, bridge_every)
    x0, y0 = origin
    s = spacing_m
    # rivers run between column c and c+1 for c in river_cols
    river_cols = np.unique(np.linspace(2, nx_ - 3, n_rivers).round().astype(int)) if n_rivers else []
    river_set = set(int(c) for c in river_cols)
    lines, attrs = [], []
    bridge_pts = []

    def add(coords, cls, route, is_bridge=False, bid=None, layer=0):
        lines.append(shapely.LineString(coords))
        attrs.append((f"r{len(lines)}", cls, route, is_bridge, bid, layer))

    def runs(keep):
        """Index runs [a, b] of consecutive True segments."""
        out, a = [], None
        for i, k in enumerate(keep):
            if k and a is None:
                a = i
            if not k and a is not None:
                out.append((a, i)); a = None
        if a is not None:
            out.append((a, len(keep)))
        return out

    # east-west streets (rows): segment i joins column i and i+1
    for j in range(ny_):
        y = y0 + j * s
        route = f"東西{j}号線"
        cls = "prefectural" if j % 10 == 0 else "municipal"
        keep = rng.random(nx_ - 1) >= drop_share
        if j % 10 == 0:
            keep[:] = True
        for c in river_set:
            keep[c] = False
        for a, b in runs(keep):
            add([(x0 + i * s, y) for i in range(a, b + 1)], cls, route)
        if j % bridge_every == 0:
            for c in sorted(river_set):
                bid = f"B{j:04d}_{c:04d}"
                xa, xb = x0 + c * s, x0 + (c + 1) * s
                mid = (xa + xb) / 2
                h = bridge_length_m / 2
                add([(xa, y), (mid - h, y)], cls, route)
                add([(mid - h, y), (mid + h, y)], cls, route, True, bid, 1)
                add([(mid + h, y), (xb, y)], cls, route)
                bridge_pts.append((bid, route, bridge_length_m, mid, y + 3.0))
    # north-south streets (columns)
    for i in range(nx_):
        x = x0 + i * s
        keep = rng.random(ny_ - 1) >= drop_share
        if i % 10 == 0 or i == nx_ - 1:
            keep[:] = True
        for a, b in runs(keep):
            add([(x, y0 + j * s) for j in range(a, b + 1)], "municipal", f"南北{i}号線")
    # dead-end valleys and islands off the east edge, each behind one bridge
    n_spurs = max(2, n_bridges // 60)
    spur_rows = rng.choice(np.arange(1, ny_ - 1), size=min(n_spurs, ny_ - 2), replace=False)
    xe = x0 + (nx_ - 1) * s
    for k, j in enumerate(sorted(spur_rows)):
        y = y0 + j * s
        route = f"谷{k}号線"
        bid = f"V{k:04d}"
        add([(xe, y), (xe + 300, y)], "municipal", route)
        add([(xe + 300, y), (xe + 330, y)], "municipal", route, True, bid, 1)
        if k % 2 == 0:      # a valley: two more nodes
            add([(xe + 330, y), (xe + 600, y + 20), (xe + 900, y)], "municipal", route)
        else:               # an island: a small ring
            add([(xe + 330, y), (xe + 400, y + 40), (xe + 470, y), (xe + 400, y - 40),
                 (xe + 330, y)], "municipal", route)
        bridge_pts.append((bid, route, 30.0, xe + 315, y + 2.0))
    a = pd.DataFrame(attrs, columns=["road_id", "road_class", "route_name", "is_bridge",
                                     "bridge_id", "layer"])
    roads = gpd.GeoDataFrame(a, geometry=lines, crs=CRS)
    b = pd.DataFrame(bridge_pts, columns=["bridge_id", "route_name", "length_m", "x", "y"])
    b["aadt"] = rng.integers(200, 20000, len(b)).astype(float)
    b.loc[rng.random(len(b)) < 0.1, "aadt"] = np.nan          # unknown for some
    bridges = gpd.GeoDataFrame(b.drop(columns=["x", "y"]),
                               geometry=shapely.points(b["x"], b["y"]), crs=CRS)
    # population: one point near each grid node, plus the spurs' ends
    gx, gy = np.meshgrid(np.arange(nx_), np.arange(ny_))
    px = x0 + gx.ravel() * s + rng.uniform(-10, 10, gx.size)
    py = y0 + gy.ravel() * s + rng.uniform(-10, 10, gy.size)
    pv = rng.integers(0, 60, gx.size).astype(float)
    sx = np.array([xe + 880 for _ in spur_rows]); sy = y0 + np.sort(spur_rows) * s
    population = gpd.GeoDataFrame(
        {"population": np.concatenate([pv, rng.integers(20, 200, len(sx)).astype(float)])},
        geometry=shapely.points(np.concatenate([px, sx]), np.concatenate([py, sy])), crs=CRS)
    types = ["hospital", "school", "office", "fire_station"]
    nf = max(4, (nx_ * ny_) // 400)
    fi = rng.integers(0, gx.size, nf)
    facilities = gpd.GeoDataFrame(
        {"facility_id": [f"F{k}" for k in range(nf)],
         "name": [f"施設{k}" for k in range(nf)],
         "facility_type": [types[k % 4] for k in range(nf)]},
        geometry=shapely.points(px[fi] + 5, py[fi] + 5), crs=CRS)
    info = {"columns": nx_, "rows": ny_, "rivers": len(river_set), "spurs": len(spur_rows),
            "lines": len(roads), "bridges": len(bridges)}
    return {"roads": roads, "bridges": bridges, "population": population,
            "facilities": facilities, "info": info}
