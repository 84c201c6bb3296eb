"""Bridge criticality (through-traffic detour, RA2CE's link definition) checked
independently of gunmane_geo's network/criticality code.

* hand-worked cases: the expected numbers are worked out in the comments;
* a generated network whose topology is fixed before its geometry is written
  (benchmarks/_topology.py), against a plain networkx reference built straight from
  that topology (tests/lib/_independent.py);
* the real OSM extract tests/data/osm/kouvola_test.osm.pbf, read a second time with
  plain pyosmium into a networkx graph of OSM node ids.

The definition (docs/criticality.md): the bridge lies on a road link; walk along the
road from each end of the bridge while the node has degree 2; the first node of any
other degree (junction or dead end) bounds the link: A and B.  alt_route_m = shortest
A -> B without the bridge, link_length_m = length of A..bridge..B, detour_m =
alt_route_m - link_length_m (minutes alike, speeds by road class).  A pure cycle (no
junction) is bounded by the two ends of the road line carrying the bridge.  Vehicles
use motor roads only; walkers every walkable way.

Speeds (Settings defaults, checked below): national 50, prefectural 40, municipal 30
km/h; so municipal = 500 m/min and prefectural = 666.67 m/min.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.criticality import bridge_criticality
from gunmane_geo.network import (attach_bridges, attach_population, bridges_from_roads,
                                 build_network)
from gunmane_geo.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import _independent as ref_mod  # noqa: E402
import _topology as topo_mod  # noqa: E402

CRS = "EPSG:6677"
PBF = ROOT / "tests" / "data" / "osm" / "kouvola_test.osm.pbf"
M_PER_MIN = {"municipal": 500.0, "prefectural": 40000.0 / 60.0}


# --- helpers ------------------------------------------------------------------------
def roads_frame(rows, with_motor=True):
    """rows: (road_id, coords, road_class, motor_vehicle, is_bridge, bridge_id, layer)."""
    df = pd.DataFrame([r[:1] + r[2:] for r in rows],
                      columns=["road_id", "road_class", "motor_vehicle", "is_bridge",
                               "bridge_id", "layer"])
    if not with_motor:
        df = df.drop(columns=["motor_vehicle"])
    return gpd.GeoDataFrame(df, geometry=[LineString(r[1]) for r in rows], crs=CRS)


def road(rid, coords, cls="municipal", motor=True, bridge=None, layer=0):
    return (rid, coords, cls, motor, bridge is not None, bridge, layer)


def bridge_points(items):
    """items: (bridge_id, (x, y), length_m)."""
    return gpd.GeoDataFrame({"bridge_id": [b for b, _, _ in items],
                             "length_m": [float(L) for _, _, L in items]},
                            geometry=[Point(xy) for _, xy, _ in items], crs=CRS)


def population_points(items):
    return gpd.GeoDataFrame({"population": [float(p) for p, _ in items]},
                            geometry=[Point(xy) for _, xy in items], crs=CRS)


def criticality(roads, bridges=None, population=None):
    net = build_network(roads, Settings())
    if bridges is None:
        net, _ = bridges_from_roads(net)
    else:
        net, _ = attach_bridges(net, bridges)
    if population is not None:
        net = attach_population(net, population)
    return bridge_criticality(net).set_index("bridge_id")


def nan(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def test_default_speeds_are_the_ones_the_hand_cases_use():
    sp = Settings().network.default_speed_kmh
    assert sp["municipal"] == 30.0 and sp["prefectural"] == 40.0
    assert {k: sp[k] for k in topo_mod.SPEED_KMH} == topo_mod.SPEED_KMH


# --- ladder -------------------------------------------------------------------------
# Two rails 300 m long, 100 m apart (y=0, y=100, x=0..300), rungs at x=0 and x=300;
# bridge point (inventory, 15 m) in the middle of the x=0 rung.
#
# (a) closed ladder: the four corners have degree 2, so the walk from the bridge goes
#     all round: a pure cycle.  Bounds = ends of the road line carrying the bridge
#     (the x=0 rung): A=(0,0), B=(0,100).  link = 100 m (42.5 + 15 + 42.5).
#     alt A->B without the bridge = 300 (y=0) + 100 (x=300 rung) + 300 (y=100) = 700.
#     detour = 700 - 100 = 600.  Minutes (municipal 500 m/min): alt 1.4, link 0.2,
#     detour 1.2.
# (b) rails extended to x=-100..400: the corners (0,0), (0,100) are degree-3
#     junctions: A=(0,0), B=(0,100) again, link 100, alt 300+100+300 = 700 (the
#     stubs lead nowhere), detour 600.
#     (The old definition, between the bridge's own cut ends (0,42.5)-(0,57.5), gives
#     alt = 42.5 + 700 + 42.5 = 785, detour 770.)
LADDER_POINT = [("R", (2.0, 50.0), 15.0)]


def ladder_roads(extended):
    x0, x1 = (-100, 400) if extended else (0, 300)
    rails = [road("S", [(x0, 0), (0, 0), (300, 0), (x1, 0)] if extended else [(0, 0), (300, 0)]),
             road("N", [(x0, 100), (0, 100), (300, 100), (x1, 100)] if extended
                  else [(0, 100), (300, 100)])]
    return roads_frame(rails + [road("W", [(0, 0), (0, 100)]),
                                road("E", [(300, 0), (300, 100)])])


@pytest.mark.parametrize("extended", [False, True], ids=["closed", "extended_rails"])
def test_ladder(extended):
    t = criticality(ladder_roads(extended), bridge_points(LADDER_POINT))
    r = t.loc["R"]
    assert bool(r["matched"]) and not bool(r["isolates"])
    assert r["link_length_m"] == pytest.approx(100.0, abs=0.01)
    assert r["alt_route_m"] == pytest.approx(700.0, abs=0.01)
    assert r["detour_m"] == pytest.approx(600.0, abs=0.01)
    assert r["alt_route_min"] == pytest.approx(1.4, abs=1e-4)
    assert r["detour_min"] == pytest.approx(1.2, abs=1e-4)


def test_ladder_through_the_cli(tmp_path):
    roads = ladder_roads(False)[["road_id", "road_class", "geometry"]]
    bridges = bridge_points(LADDER_POINT)
    roads.to_file(tmp_path / "roads.gpkg")
    bridges.to_file(tmp_path / "bridges.gpkg")
    out = tmp_path / "out.gpkg"
    p = subprocess.run([sys.executable, "-m", "gunmane_geo.cli", "criticality",
                        "--roads", str(tmp_path / "roads.gpkg"),
                        "--bridges", str(tmp_path / "bridges.gpkg"),
                        "--out", str(out), "--quiet"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "warning" not in p.stderr.lower(), p.stderr
    t = gpd.read_file(out, layer="bridge_criticality").set_index("bridge_id")
    assert t.loc["R", "link_length_m"] == pytest.approx(100.0, abs=0.01)
    assert t.loc["R", "alt_route_m"] == pytest.approx(700.0, abs=0.01)
    assert t.loc["R", "detour_m"] == pytest.approx(600.0, abs=0.01)


# --- twin bridges ---------------------------------------------------------------------
# River at x=500.  West bank road x=0 and east bank road x=1000 (y=-500..550, municipal).
# South road y=0 (municipal) from (0,0) to (1000,0) with a dead-end stub (200,0)-(200,-100);
# north road y=50 (prefectural, 666.67 m/min) from (0,50) to (1000,50).  Bridge T1 on the
# south road (point (500,-2), 20 m), T2 on the north road (point (500,52), 20 m).
#
# T1: walking west from the bridge, (200,0) has degree 3 (stub): A=(200,0); east:
#     (1000,0) degree 3: B.  link = 800.  alt = 200 (to (0,0)) + 50 + 1000 (north road)
#     + 50 = 1300; detour = 500.  Minutes: link 800/500 = 1.6; alt = 0.4 + 0.1 + 1.5
#     + 0.1 = 2.1; detour 0.5.
# T2: A=(0,50), B=(1000,50) (degree 3).  link = 1000.  alt = 50 + 1000 (south road)
#     + 50 = 1100; detour = 100.  Minutes: link 1000/666.67 = 1.5; alt = 0.1 + 2.0 + 0.1
#     = 2.2; detour 0.7.
# Each detour goes over the other bridge.  (Old definition: 2080 - 20 = 2060 m each.)
def twin_roads():
    return roads_frame([
        road("W", [(0, -500), (0, 0), (0, 50), (0, 550)]),
        road("E", [(1000, -500), (1000, 0), (1000, 50), (1000, 550)]),
        road("S", [(0, 0), (200, 0), (1000, 0)]),
        road("stub", [(200, 0), (200, -100)]),
        road("N", [(0, 50), (1000, 50)], cls="prefectural"),
    ])


def test_twin_bridges():
    t = criticality(twin_roads(), bridge_points([("T1", (500, -2), 20), ("T2", (500, 52), 20)]))
    expect = {"T1": (800.0, 1300.0, 500.0, 2.1, 0.5), "T2": (1000.0, 1100.0, 100.0, 2.2, 0.7)}
    for b, (link, alt, det, alt_min, det_min) in expect.items():
        r = t.loc[b]
        assert not bool(r["isolates"]), b
        assert r["link_length_m"] == pytest.approx(link, abs=0.01), b
        assert r["alt_route_m"] == pytest.approx(alt, abs=0.01), b
        assert r["detour_m"] == pytest.approx(det, abs=0.01), b
        assert r["alt_route_min"] == pytest.approx(alt_min, abs=1e-4), b
        assert r["detour_min"] == pytest.approx(det_min, abs=1e-4), b


# --- dead-end valley -----------------------------------------------------------------
# Main loop: square (0,0)-(1000,0)-(1000,1000)-(0,1000), a junction at (1000,500).
# Valley road (1000,500)-(1800,500); bridge V1 point (1400,502), 30 m.  At (1800,500)
# the valley forks to (2200,700) and (2200,300); bridge V2 in the middle of the first
# branch (point 2 m off (2000,600), 20 m).
# Population: 500 at (0,0), 300 at (1000,1000) (main: 800); 120 at (2200,700), 80 at
# (2200,300) (valley: 200).
# V1: removing it cuts the valley off: sides 200 vs 800 persons -> isolated_population
#     = 200; alt_route_m / detour_m NaN; also cut off on foot.
# V2: cuts (2200,700) off: 120 vs 880 -> isolated_population = 120.
def square(extra=()):
    return [road("S", [(0, 0), (1000, 0)]), road("E", [(1000, 0), (1000, 500), (1000, 1000)]),
            road("N", [(1000, 1000), (0, 1000)]), road("W", [(0, 1000), (0, 0)])] + list(extra)


def test_dead_end_valley():
    roads = roads_frame(square([road("valley", [(1000, 500), (1800, 500)]),
                                road("b1", [(1800, 500), (2200, 700)]),
                                road("b2", [(1800, 500), (2200, 300)])]))
    n = np.array([-200.0, 400.0]) / math.hypot(200, 400)
    v2 = (2000 + 2 * n[0], 600 + 2 * n[1])
    t = criticality(roads, bridge_points([("V1", (1400, 502), 30), ("V2", v2, 20)]),
                    population_points([(500, (0, 0)), (300, (1000, 1000)),
                                       (120, (2200, 700)), (80, (2200, 300))]))
    for b, pop in (("V1", 200.0), ("V2", 120.0)):
        r = t.loc[b]
        assert bool(r["isolates"]), b
        assert r["isolated_population"] == pytest.approx(pop), b
        assert nan(r["alt_route_m"]) and nan(r["detour_m"]), b
        assert bool(r["isolates_on_foot"]), b


# --- island ---------------------------------------------------------------------------
# The same square; a road (1000,500)-(1300,500) to an island ring (1300,500)-(1400,600)-
# (1500,500)-(1400,400)-(1300,500) (two lines).  Bridge I1 point (1150,502), 40 m.
# Population 500 at (0,0), 40 at (1300,500) (the island's junction).
# I1: isolates, isolated_population = 40 (40 < 500), alt NaN, cut off on foot too.
def test_island():
    roads = roads_frame(square([road("link", [(1000, 500), (1300, 500)]),
                                road("ring1", [(1300, 500), (1400, 600), (1500, 500)]),
                                road("ring2", [(1500, 500), (1400, 400), (1300, 500)])]))
    t = criticality(roads, bridge_points([("I1", (1150, 502), 40)]),
                    population_points([(500, (0, 0)), (40, (1300, 500))]))
    r = t.loc["I1"]
    assert bool(r["isolates"])
    assert r["isolated_population"] == pytest.approx(40.0)
    assert nan(r["alt_route_m"]) and nan(r["detour_m"])
    assert bool(r["isolates_on_foot"])
    assert nan(r["walk_alt_route_m"])


# --- footbridge beside a road bridge --------------------------------------------------
# River at x=500.  Bank roads x=0 and x=1000 from y=-200 to y=2200 (vertices at y=0, 40,
# 2000).  Road y=0 (0,0)-(1000,0) with road bridge RB (point (500,-2), 20 m); road
# y=2000 crosses the river far away.  A footway y=40 (0,40)-(1000,40): approach
# (0,40)-(490,40), footbridge FB (490,40)-(510,40) (is_bridge, bridge_id FB, layer 1),
# approach (510,40)-(1000,40); not for motor vehicles.
#
# RB by car: the footway is not on the vehicle graph; (0,0) and (1000,0) are degree-3
#   junctions (bank roads both ways + road y=0): link 1000.  alt = 2000 + 1000 + 2000
#   = 5000 (round by y=2000); detour = 4000.  Minutes: alt 10, detour 8.
# RB on foot: same bounds (degree 3 on the walking graph too); walk alt = 40 (up the
#   bank) + 1000 (footway and footbridge) + 40 = 1080; walk detour = 1080 - 1000 = 80.
# FB: pedestrian_only; no vehicle measures (NaN).  On foot: (0,40) and (1000,40) are
#   degree 3: link 1000; walk alt = 40 + 1000 (road y=0 with RB) + 40 = 1080; walk
#   detour 80.
# Encodings: "motor_vehicle" = footway as road_class other + motor_vehicle False;
# "road_class" = footway lines with road_class "footway" and no motor_vehicle column.
def footbridge_roads(encoding):
    cls, motor = ("other", False) if encoding == "motor_vehicle" else ("footway", True)
    rows = [road("W", [(0, -200), (0, 0), (0, 40), (0, 2000), (0, 2200)]),
            road("E", [(1000, -200), (1000, 0), (1000, 40), (1000, 2000), (1000, 2200)]),
            road("S", [(0, 0), (1000, 0)]),
            road("far", [(0, 2000), (1000, 2000)]),
            road("fw1", [(0, 40), (490, 40)], cls=cls, motor=motor),
            road("FBline", [(490, 40), (510, 40)], cls=cls, motor=motor, bridge="FB", layer=1),
            road("fw2", [(510, 40), (1000, 40)], cls=cls, motor=motor)]
    return roads_frame(rows, with_motor=encoding == "motor_vehicle")


@pytest.mark.parametrize("encoding", ["motor_vehicle", "road_class"])
@pytest.mark.parametrize("inventory", [True, False], ids=["inventory", "bridges_from_roads"])
def test_footbridge_beside_road_bridge(encoding, inventory):
    roads = footbridge_roads(encoding)
    if inventory:
        t = criticality(roads, bridge_points([("RB", (500, -2), 20), ("FB", (500, 42), 20)]))
    else:
        rb = roads_frame([road("S1", [(0, 0), (490, 0)]),
                          road("RBline", [(490, 0), (510, 0)], bridge="RB", layer=1),
                          road("S2", [(510, 0), (1000, 0)])],
                         with_motor=encoding == "motor_vehicle")
        roads = pd.concat([roads[roads.road_id != "S"], rb], ignore_index=True)
        t = criticality(gpd.GeoDataFrame(roads, crs=CRS))
    rb_, fb = t.loc["RB"], t.loc["FB"]
    assert not bool(rb_["pedestrian_only"])
    assert rb_["link_length_m"] == pytest.approx(1000.0, abs=0.01)
    assert rb_["alt_route_m"] == pytest.approx(5000.0, abs=0.01)
    assert rb_["detour_m"] == pytest.approx(4000.0, abs=0.01)
    assert rb_["alt_route_min"] == pytest.approx(10.0, abs=1e-4)
    assert rb_["detour_min"] == pytest.approx(8.0, abs=1e-4)
    assert rb_["walk_alt_route_m"] == pytest.approx(1080.0, abs=0.01)
    assert rb_["walk_detour_m"] == pytest.approx(80.0, abs=0.01)
    assert not bool(rb_["isolates"]) and not bool(rb_["isolates_on_foot"])
    assert bool(fb["pedestrian_only"])
    assert nan(fb["detour_m"]) and nan(fb["alt_route_m"])
    assert fb["walk_alt_route_m"] == pytest.approx(1080.0, abs=0.01)
    assert fb["walk_detour_m"] == pytest.approx(80.0, abs=0.01)
    assert not bool(fb["isolates_on_foot"])


# --- ambiguous match ------------------------------------------------------------------
# Two roads cross at (0,0): EW (-500,0)-(500,0) and NS (0,-500)-(0,500), either at grade
# (a shared vertex: a junction) or NS on an overpass (layer 1, no shared vertex).
# Bridge X at (3,4): 4 m from EW and 3 m from NS -> it could be on either: ambiguous.
# Bridge C at (300,2): only EW within 30 m -> not ambiguous.
@pytest.mark.parametrize("overpass", [False, True], ids=["at_grade", "overpass"])
def test_ambiguous_match_near_a_crossing(overpass):
    ns = [(0, -500), (0, 500)] if overpass else [(0, -500), (0, 0), (0, 500)]
    roads = roads_frame([road("EW", [(-500, 0), (0, 0), (500, 0)]),
                         road("NS", ns, layer=1 if overpass else 0)])
    t = criticality(roads, bridge_points([("X", (3, 4), 10), ("C", (300, 2), 10)]))
    assert bool(t.loc["X", "matched"]) and bool(t.loc["X", "ambiguous_match"])
    assert bool(t.loc["C", "matched"]) and not bool(t.loc["C", "ambiguous_match"])


# --- generated network, topology known before geometry ---------------------------------
def close(a, b, rtol=0.01, atol=0.5):
    a = np.asarray(a, float); b = np.asarray(b, float)
    return np.abs(a - b) <= atol + rtol * np.abs(b)


@pytest.fixture(scope="module")
def generated():
    topo = topo_mod.generate(12_000, seed=7)
    frames = topo_mod.to_frames(topo)
    ref = ref_mod.topology_reference(topo, topo_mod.SPEED_KMH,
                                     Settings().network.walking_speed_kmh)
    t = criticality(frames["roads"], frames["bridges"], frames["population"])
    return topo, ref, t


def test_generated_all_bridges_matched(generated):
    topo, ref, t = generated
    assert len(ref) == topo.info["bridges"] + topo.info["footbridges"] + topo.info["spur_bridges"]
    assert set(t.index) == set(ref.index)
    assert t["matched"].astype(bool).all()
    assert ref["degenerate"].isna().all() and ref["walk_degenerate"].isna().all()


def test_generated_isolation_exact(generated):
    _, ref, t = generated
    car = ref[~ref.pedestrian_only.astype(bool)]
    g = t.loc[car.index]
    iso_r = car["isolates"].astype(bool).to_numpy()
    assert iso_r.sum() >= 3                         # the valleys and islands at least
    bad = car.index[g["isolates"].astype(bool).to_numpy() != iso_r]
    assert len(bad) == 0, f"isolates differ for {list(bad[:10])}"
    pr = car.loc[iso_r, "isolated_population"].to_numpy(float)
    pg = pd.to_numeric(g.loc[iso_r, "isolated_population"]).to_numpy(float)
    assert np.array_equal(pr, pg), list(zip(car.index[iso_r], pr, pg))[:10]
    foot_r = ref["isolates_on_foot"].astype(bool).to_numpy()
    assert np.array_equal(t.loc[ref.index, "isolates_on_foot"].astype(bool).to_numpy(), foot_r)


@pytest.mark.parametrize("col", ["alt_route_m", "link_length_m", "detour_m",
                                 "alt_route_min", "detour_min"])
def test_generated_vehicle_detours(generated, col):
    _, ref, t = generated
    car = ref[~ref.pedestrian_only.astype(bool) & ~ref.isolates.astype(bool)]
    assert len(car) > 100
    g = pd.to_numeric(t.loc[car.index, col]).to_numpy(float)
    r = car[col].to_numpy(float)
    tol = (0.01, 0.5) if col.endswith("_m") else (0.01, 0.01)
    ok = close(g, r, *tol)
    assert ok.all(), (f"{(~ok).sum()} of {len(ok)} differ; worst: "
                      + str(sorted(zip(np.abs(g - r)[~ok], car.index[~ok], g[~ok], r[~ok]),
                                   reverse=True)[:5]))


def test_generated_footbridges_and_walking(generated):
    _, ref, t = generated
    foot = ref[ref.pedestrian_only.astype(bool)]
    assert len(foot) > 10
    g = t.loc[foot.index]
    assert g["pedestrian_only"].astype(bool).all()
    assert pd.to_numeric(g["detour_m"]).isna().all()
    assert pd.to_numeric(g["alt_route_m"]).isna().all()
    walk = ref[~ref.isolates_on_foot.astype(bool)]
    for col in ("walk_alt_route_m", "walk_detour_m"):
        gv = pd.to_numeric(t.loc[walk.index, col]).to_numpy(float)
        rv = walk[col].to_numpy(float)
        ok = close(gv, rv)
        assert ok.all(), (col, (~ok).sum(), list(zip(walk.index[~ok], gv[~ok], rv[~ok]))[:5])


# --- OSM: the Kouvola extract, read again with plain pyosmium --------------------------
@pytest.fixture(scope="module")
def osm():
    from gunmane_geo.io import read_roads

    car, epsg = ref_mod.osm_reference(PBF, "car")
    walk, _ = ref_mod.osm_reference(PBF, "walk")
    roads, _ = read_roads(PBF, with_bridges=True)
    roads = roads.to_crs(f"EPSG:{epsg}")
    net = build_network(roads, Settings())
    net, matches = bridges_from_roads(net)
    t = bridge_criticality(net)
    # gunmane bridge -> (osm way, from node, to node) of its road segment
    seg = roads.set_index("road_id")[["osm_way_id", "osm_from_node", "osm_to_node"]]
    key = {}
    for bid, rid in zip(matches["bridge_id"], matches["road_id"]):
        w, a, b = seg.loc[rid]
        key[bid] = (int(w), int(a), int(b))
    return car, walk, t.set_index("bridge_id"), key


def _lookup(d, k):
    w, a, b = k
    return d.get((w, a, b), d.get((w, b, a)))


def test_osm_bridges_found_by_both(osm):
    car, walk, t, key = osm
    assert len(car) == 8                             # 8 bridge ways, one piece each
    assert sorted(set(key.values())) == sorted(
        k if k in car else (k[0], k[2], k[1]) for k in key.values())
    assert {(k[0], min(k[1:]), max(k[1:])) for k in key.values()} == \
        {(k[0], min(k[1:]), max(k[1:])) for k in car}


def test_osm_car_detours(osm):
    car, _, t, key = osm
    n_compared = 0
    for bid, k in key.items():
        r = _lookup(car, k)
        g = t.loc[bid]
        if r is None:                                 # a way closed to motor vehicles
            assert bool(g["pedestrian_only"]), bid
            assert nan(g["detour_m"]), bid
            continue
        assert not bool(g["pedestrian_only"]), bid
        assert bool(g["isolates"]) == r["isolates"], bid
        if r["isolates"]:
            assert nan(g["detour_m"]), bid
            continue
        for col in ("alt_route_m", "link_length_m", "detour_m"):
            assert close(g[col], r[col], 0.01, 0.5), (bid, col, g[col], r[col], r["A"], r["B"])
        n_compared += 1
    assert n_compared >= 3


def test_osm_walking_detours(osm):
    _, walk, t, key = osm
    for bid, k in key.items():
        r = _lookup(walk, k)
        g = t.loc[bid]
        if r is None:                                 # motorway: not walkable
            assert nan(g["walk_detour_m"]), bid
            continue
        assert bool(g["isolates_on_foot"]) == r["isolates"], bid
        if not r["isolates"]:
            for col, rc in (("walk_alt_route_m", "alt_route_m"), ("walk_detour_m", "detour_m")):
                assert close(g[col], r[rc], 0.01, 0.5), (bid, col, g[col], r[rc])
