"""Two planned removals on one road link cut off the stretch between them, for vehicles.

Worked by hand (metres, EPSG:6673)::

    a (0,100) ---- v (150,100) ---- b (300,100)       the village road, 50 people at v
      |P              :  footway        |Q            P, Q: bridges of 100 m
    J1 (0,0) ------ m (150,0) ------- J2 (300,0)      the main road
      |                                 |
    s1 (-100,0) spur                  s2 (400,0) spur: the town, 200 people at s1

For cars the footway does not exist, so a, v and b have two roads each: P, the village
road and Q form ONE road link from junction J1 to junction J2 (500 m).  Without P (or Q)
alone, through traffic goes J1-m-J2, 300 m: detour 0, and v is still reached by the other
bridge.  Without both, a, v and b are cut off for cars (50 people), although every link
junction stays connected: a plan that only checks the junctions would remove both.
Walkers keep the footway v-m (a 100 m walk to the main road), so their rule never refuses.
The plan must remove one of P and Q and refuse the other for isolation.
"""
from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point

from gunmane_geo.network import attach_bridges, attach_population, build_network
from gunmane_geo.options import find_consolidation_sets, generate_options, make_plan
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"
N = {"J1": (0, 0), "m": (150, 0), "J2": (300, 0), "a": (0, 100), "v": (150, 100),
     "b": (300, 100), "s1": (-100, 0), "s2": (400, 0)}
ROADS = [("s1", "J1", None, "municipal"), ("J1", "m", None, "municipal"),
         ("m", "J2", None, "municipal"), ("J2", "s2", None, "municipal"),
         ("J1", "a", "P", "municipal"), ("a", "v", None, "municipal"),
         ("v", "b", None, "municipal"), ("b", "J2", "Q", "municipal"),
         ("v", "m", None, "footway")]


def _run():
    roads = gpd.GeoDataFrame(
        [{"road_id": f"R{i}", "road_class": cls, "width_m": 6.0, "speed_kmh": 30.0,
          "is_bridge": bid is not None, "bridge_id": bid,
          "geometry": LineString([N[p], N[q]])}
         for i, (p, q, bid, cls) in enumerate(ROADS, start=1)], geometry="geometry", crs=CRS)
    inventory = gpd.GeoDataFrame(
        [{"bridge_id": bid, "name": f"{bid}橋", "length_m": 100.0, "width_m": 6.0,
          "deck_area_m2": 600.0, "built_year": 1960, "rating": 3, "last_inspection_year": 2022,
          "aadt": 5.0, "emergency_route": False, "bus_route": False, "school_route": False,
          "geometry": LineString([N[p], N[q]])}
         for p, q, bid, _ in ROADS if bid], geometry="geometry", crs=CRS)
    s = Settings()
    s.costs.base_year = 2025
    s.guards.consolidation_max_gap_m = 100.0      # P and Q are 300 m apart: no sets
    net = build_network(roads)
    net, _ = attach_bridges(net, inventory)
    net = attach_population(net, gpd.GeoDataFrame(
        {"population": [50.0, 200.0]}, geometry=[Point(N["v"]), Point(N["s1"])], crs=CRS))
    opts = generate_options(net, None, inventory, settings=s)
    sets = find_consolidation_sets(net, None, inventory, settings=s)
    plan, curve = make_plan(net, opts, sets, settings=s, target_saving_share=0.99)
    return opts, plan.set_index("bridge_id"), curve


def test_each_bridge_alone_may_go():
    opts, _, _ = _run()
    rm = opts[opts["option"] == "remove"].set_index("bridge_id")
    assert rm.loc[["P", "Q"], "eligible"].all()
    assert (rm.loc[["P", "Q"], "detour_m"] == 0).all()       # through traffic: J1-m-J2


def test_the_second_removal_on_the_link_is_refused_for_isolation():
    _, plan, curve = _run()
    gone = [b for b in ("P", "Q") if plan.loc[b, "status"] == "planned"]
    assert gone == ["P"], plan[["status", "plan_option"]]      # equal savings: P first by id
    assert plan.loc["Q", "plan_option"] == "keep"
    assert int(curve["n_bridges_removed"].max()) == 1
