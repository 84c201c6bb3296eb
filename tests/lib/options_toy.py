"""A small river network worked by hand, shared by the options and plan tests.

West bank x = 0, east bank x = 200 (metres, EPSG:6673); an island east of e0.

    w2 (0,3000) ==C== e2 (200,3000)        C: far crossing
     |                  |
    w1 (0, 300) ==B== e1 (200, 300)        A and B: parallel, 300 m apart
     |                  |
    w0 (0,   0) ==A== e0 (200,   0) ==D== i0 (400, 0)   D: the island's only bridge

Dead-end spurs (no people) make w0, w2 and e2 junctions: a road runs on west of w0 to
ww (-300, 0) and north of w2 and e2 to wn (0, 3300) and en (200, 3300).  A detour is
measured between the junctions that bound a bridge's road link (docs/criticality.md);
without the spurs w0, w2 and e2 would be bends of degree 2 and A's link would run on to w1.

Road sections: w0-w1 300 m (class 'other', width unknown), w1-w2 2700 m (6 m),
e0-e1 300 m (4 m, narrow), e1-e2 2700 m (6 m).  Bridges 200 m each.  30 km/h
everywhere: time_min = length_m / 500.  Population at the nodes (POP), one school
at i0.  ``toy_network()`` builds the real Network through gunmane_geo.network.

By hand: remove A alone -> detour w0-w1-e1-e0 = 800 - 200 = 600 m, 1.2 min;
remove B alone -> 600 m; remove C alone -> 5600 - 200 = 5400 m;
remove A and B -> A's traffic w0-w1-w2-e2-e1-e0 = 6200 - 200 = 6000 m (and B 5400 m);
remove D -> i0 (50 people, 1 school) cut off.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point

CRS = "EPSG:6673"
NODES = {"w0": (0, 0), "w1": (0, 300), "w2": (0, 3000), "e0": (200, 0), "e1": (200, 300),
         "e2": (200, 3000), "i0": (400, 0), "ww": (-300, 0), "wn": (0, 3300),
         "en": (200, 3300)}
POP = {"w0": 100, "w1": 80, "w2": 60, "e0": 120, "e1": 90, "e2": 40, "i0": 50}
ROADS = [  # (a, b, bridge_id, road_class, width_m)
    ("w0", "w1", None, "other", np.nan),
    ("w1", "w2", None, "municipal", 6.0),
    ("e0", "e1", None, "municipal", 4.0),
    ("e1", "e2", None, "municipal", 6.0),
    ("w0", "e0", "A", "municipal", 6.0),
    ("w1", "e1", "B", "municipal", 6.0),
    ("w2", "e2", "C", "municipal", 6.0),
    ("e0", "i0", "D", "municipal", 6.0),
    ("w0", "ww", None, "other", np.nan),
    ("w2", "wn", None, "other", np.nan),
    ("e2", "en", None, "other", np.nan),
]


def toy_roads():
    """The road lines (bridges A..D are bridge lines carrying their bridge_id)."""
    rows = []
    for i, (a, b, bid, cls, w) in enumerate(ROADS, start=1):
        rows.append({"road_id": f"R{i}", "road_class": cls, "width_m": w, "speed_kmh": 30.0,
                     "is_bridge": bid is not None, "bridge_id": bid,
                     "geometry": LineString([NODES[a], NODES[b]])})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def toy_network(bridges=None):
    """The real ``Network`` (build_network + attach_bridges/population/facilities)."""
    from gunmane_geo.network import (attach_bridges, attach_facilities, attach_population,
                                     build_network)
    net = build_network(toy_roads())
    net, _ = attach_bridges(net, toy_bridges() if bridges is None else bridges)
    net = attach_population(net, gpd.GeoDataFrame(
        {"population": [float(v) for v in POP.values()]},
        geometry=[Point(NODES[n]) for n in POP], crs=CRS))
    return attach_facilities(net, gpd.GeoDataFrame(
        {"facility_id": ["F1"], "name": ["島の学校"], "facility_type": ["school"]},
        geometry=[Point(NODES["i0"])], crs=CRS))


def toy_bridges(aadt=None, **flags):
    """Inventory of A..D: 200 m x 6 m decks, built 1960, rating III."""
    aadt = aadt or {}
    rows = []
    for a, b, bid, _, _ in ROADS:
        if bid is None:
            continue
        row = {"bridge_id": bid, "name": f"{bid}橋", "length_m": 200.0, "width_m": 6.0,
               "deck_area_m2": 1200.0, "built_year": 1960, "rating": 3,
               "last_inspection_year": 2022, "aadt": aadt.get(bid, 5.0),
               "emergency_route": False, "bus_route": False, "school_route": False,
               "geometry": LineString([NODES[a], NODES[b]])}
        for key, ids in flags.items():
            row[key] = bid in ids
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
