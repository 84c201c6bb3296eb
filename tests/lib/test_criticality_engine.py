"""Bridge criticality and removal scenarios on small networks worked out by hand.

Speeds: every road here is ``municipal`` (30 km/h default = 500 m per minute).
"""
from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.criticality import (RANK_RULE, bridge_criticality, reference_criticality,
                                     removal_scenario)
from gunmane_geo.errors import Cancelled, InputError
from gunmane_geo.network import (attach_bridges, attach_facilities, attach_population,
                                 build_network)
from gunmane_geo.settings import Settings

CRS = "EPSG:6677"


def make(lines, bridges_lines=(), points=None, population=(), facilities=(), aadt=None,
         settings=None, oneway=None):
    """Network from plain lines + bridge lines (is_bridge with bridge_id) or bridge points."""
    geoms = list(lines) + [g for _, g in bridges_lines]
    n, nb = len(lines), len(bridges_lines)
    roads = gpd.GeoDataFrame({
        "road_id": [f"r{i}" for i in range(n + nb)],
        "road_class": ["municipal"] * (n + nb),
        "is_bridge": [False] * n + [True] * nb,
        "layer": [0] * n + [1] * nb,
        "bridge_id": [None] * n + [b for b, _ in bridges_lines],
        "oneway": oneway if oneway is not None else [False] * (n + nb),
    }, geometry=geoms, crs=CRS)
    net = build_network(roads, settings)
    if points is None:
        ids = [b for b, _ in bridges_lines]
        pts = [g.interpolate(0.5, normalized=True) for _, g in bridges_lines]
        binv = gpd.GeoDataFrame({"bridge_id": ids}, geometry=pts, crs=CRS)
    else:
        binv = points
    if aadt is not None:
        binv = binv.assign(aadt=[aadt.get(b, np.nan) for b in binv.bridge_id])
    net, _ = attach_bridges(net, binv)
    if population:
        net = attach_population(net, gpd.GeoDataFrame(
            {"population": [p for p, _ in population]},
            geometry=[Point(xy) for _, xy in population], crs=CRS))
    if facilities:
        net = attach_facilities(net, gpd.GeoDataFrame(
            {"facility_id": [f for f, _, _ in facilities],
             "name": [f for f, _, _ in facilities],
             "facility_type": [t for _, t, _ in facilities]},
            geometry=[Point(xy) for _, _, xy in facilities], crs=CRS))
    return net


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic_small():
    """A 40 x 40 street grid with rivers, ~60 bridges, 2 dead-end/island bridges."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _synthetic import synthetic_region
    finally:
        sys.path.pop(0)
    r = synthetic_region(3200, 60, seed=3)
    net = build_network(r["roads"])
    net, _ = attach_bridges(net, r["bridges"])
    net = attach_population(net, r["population"])
    return attach_facilities(net, r["facilities"])


@pytest.fixture(scope="module")
def osm_network():
    """The real OSM extract (Kouvola) read by gunmane_geo.io; its bridge ways are scored."""
    from gunmane_geo.io import load_region
    region = load_region({"roads": str(ROOT / "tests/data/osm/kouvola_test.osm.pbf")})
    net = build_network(region.roads)
    net, _ = attach_bridges(net, region.bridges)
    return net


def by_id(table):
    return table.set_index("bridge_id")


# --- a ring ---------------------------------------------------------------------------
def ring():
    sq = [LineString([(0, 0), (1000, 0)]), LineString([(1000, 0), (1000, 1000)]),
          LineString([(1000, 1000), (0, 1000)]), LineString([(0, 1000), (0, 0)])]
    pts = gpd.GeoDataFrame({"bridge_id": ["E"], "length_m": [20.0], "aadt": [1500.0]},
                           geometry=[Point(1003, 500)], crs=CRS)
    return make(sq, points=pts)


def test_ring_detour():
    c = by_id(bridge_criticality(ring())).loc["E"]
    # a ring has no junction at all: the bridge's link is its own road line, the east
    # side (0..1000 m, the bridge in it); through traffic goes the other way round,
    # 1000 + 1000 + 1000 m, instead of the 1000 m side: 2000 m more.  (From the
    # abutments it would be 490 + 3000 + 490 = 3980 m: the approach roads twice.)
    assert c.link_length_m == pytest.approx(1000.0)
    assert c.alt_route_m == pytest.approx(3000.0)
    assert c.detour_m == pytest.approx(2000.0)
    assert c.alt_route_min == pytest.approx(3000.0 / 500.0)
    assert c.detour_min == pytest.approx(2000.0 / 500.0)
    assert c.bridge_length_m == pytest.approx(20.0)
    assert c.snap_distance_m == pytest.approx(3.0)
    assert not c.isolates and c.isolated_nodes == 0 and c.isolated_population == 0
    assert c.affected_vehicle_km_per_day == pytest.approx(1500 * 2.0)
    assert c.affected_vehicle_hours_per_day == pytest.approx(1500 * 2000 / 500 / 60)
    assert c.criticality_rank == 1


# --- a ladder with two rungs (two bridges over a river) -------------------------------
def ladder():
    rails = [LineString([(0, -500), (0, 0), (0, 1000), (0, 1500)]),
             LineString([(100, -500), (100, 0), (100, 1000), (100, 1500)])]
    rungs = [("R1", LineString([(0, 0), (100, 0)])), ("R2", LineString([(0, 1000), (100, 1000)]))]
    return make(rails, rungs, population=[(100, (0, -500)), (30, (100, 1500))],
                facilities=[("病院", "hospital", (0, 1500))], aadt={"R1": 1000.0})


def test_ladder_single_bridges():
    net = ladder()
    c = by_id(bridge_criticality(net))
    for b in ("R1", "R2"):
        assert c.loc[b, "alt_route_m"] == pytest.approx(2100.0)   # 1000 + 100 + 1000
        assert c.loc[b, "detour_m"] == pytest.approx(2000.0)
        assert not c.loc[b, "isolates"]
    assert c.loc["R1", "affected_vehicle_km_per_day"] == pytest.approx(2000.0)
    assert np.isnan(c.loc["R2", "affected_vehicle_km_per_day"])   # AADT unknown
    # ranking: same detours, R1 has vehicle-km
    assert c.loc["R1", "criticality_rank"] == 1 and c.loc["R2", "criticality_rank"] == 2


def test_ladder_removing_both_is_not_the_sum_of_single_effects():
    net = ladder()
    s = removal_scenario(net, ["R1", "R2"])
    # the right bank (4 nodes, 30 persons) is cut off; the left has more people
    assert s.summary["isolates"] and s.summary["isolated_nodes"] == 4
    assert s.summary["isolated_population"] == 30.0
    assert s.summary["bridges_without_route"] == 2
    assert s.bridges.isolates.all() and s.bridges.alt_route_m.isna().all()
    trips = s.trips
    assert len(trips) == 1 and bool(trips.cut_off.iloc[0])
    assert trips.before_m.iloc[0] == pytest.approx(1100.0)      # 500 + 100 + 500
    assert trips.geometry.iloc[0] is None


def test_ladder_scenario_trip_gets_longer():
    net = ladder()
    s = removal_scenario(net, ["R2"])
    assert not s.summary["isolates"]
    t = s.trips.iloc[0]
    assert t.population == 30.0 and t.facility_type == "hospital"
    assert t.before_m == pytest.approx(1100.0)
    assert t.after_m == pytest.approx(3100.0)       # 1500 + 100 + 1500
    assert t.extra_m == pytest.approx(2000.0)
    assert t.extra_min == pytest.approx(2000.0 / 500.0)
    assert t.geometry.length == pytest.approx(3100.0)
    assert t.geometry.coords[0] == (100.0, 1500.0) and t.geometry.coords[-1] == (0.0, 1500.0)
    b = s.bridges.iloc[0]
    assert b.detour_m == pytest.approx(2000.0)
    # explicit od pair: left settlement -> hospital does not get longer
    od = pd.DataFrame({"origin_node": [int(net.nodes.geometry.distance(Point(0, -500)).idxmin())],
                       "destination_node": [int(net.nodes.geometry.distance(Point(0, 1500)).idxmin())]})
    assert len(removal_scenario(net, ["R2"], od_pairs=od).trips) == 0


def test_scenario_unknown_bridge():
    with pytest.raises(InputError, match="unknown bridge_id"):
        removal_scenario(ladder(), ["NOPE"])


# --- a dead-end valley with two bridges in series ---------------------------------------
def valley():
    lines = [LineString([(0, 0), (1000, 0), (2000, 0)]),
             LineString([(1000, 0), (1000, 1000)]),
             LineString([(1000, 1030), (1000, 1500)]),
             LineString([(1000, 1520), (1000, 2000)])]
    br = [("V1", LineString([(1000, 1000), (1000, 1030)])),
          ("V2", LineString([(1000, 1500), (1000, 1520)]))]
    return make(lines, br, population=[(500, (0, 0)), (200, (1000, 1040)), (50, (1000, 1990))],
                facilities=[("分校", "school", (1000, 2005)), ("役場", "office", (5, 0))])


def test_valley_isolation():
    c = by_id(bridge_criticality(valley()))
    v1, v2 = c.loc["V1"], c.loc["V2"]
    assert v1.isolates and v2.isolates
    assert v1.isolated_nodes == 4 and v1.isolated_population == 250.0
    assert v2.isolated_nodes == 2 and v2.isolated_population == 50.0
    assert v1.isolated_facilities == 1 and v1.isolated_school == 1 and v1.isolated_office == 0
    assert v1.isolated_facility_names == "分校 (school)"
    assert np.isnan(v1.alt_route_m) and np.isnan(v1.detour_m)
    assert v1.criticality_rank == 1 and v2.criticality_rank == 2


# --- an island with more people than the mainland ---------------------------------------
def test_island_cut_side_is_the_one_with_fewer_people():
    lines = [LineString([(0, 0), (1000, 0)]),
             LineString([(500, 100), (400, 200), (500, 300), (600, 200), (500, 100)])]
    br = [("I1", LineString([(500, 0), (500, 100)]))]     # ends on the mainland segment
    net = make(lines, br, population=[(10, (0, 0)), (1000, (500, 300))])
    c = by_id(bridge_criticality(net)).loc["I1"]
    assert c.isolates
    # the mainland (3 nodes: both ends and the bridge foot, 10 persons) is the smaller side
    assert c.isolated_nodes == 3 and c.isolated_population == 10.0


# --- twin parallel bridges between the same two nodes ---------------------------------
def test_parallel_bridges_are_not_cut_edges():
    lines = [LineString([(-400, 0), (0, 0)]), LineString([(100, 0), (500, 0)])]
    br = [("T1", LineString([(0, 0), (100, 0)])),
          ("T2", LineString([(0, 0), (50, 10), (100, 0)]))]
    net = make(lines, br, population=[(100, (-400, 0)), (40, (500, 0))])
    c = by_id(bridge_criticality(net))
    t2_len = 2 * np.hypot(50, 10)
    assert not c.loc["T1", "isolates"] and not c.loc["T2", "isolates"]
    assert c.loc["T1", "alt_route_m"] == pytest.approx(t2_len)
    assert c.loc["T1", "detour_m"] == pytest.approx(t2_len - 100)
    assert c.loc["T2", "alt_route_m"] == pytest.approx(100.0)
    assert c.loc["T2", "detour_m"] == 0.0                    # the other is shorter
    s = removal_scenario(net, ["T1", "T2"])
    assert s.summary["isolated_nodes"] == 2 and s.summary["isolated_population"] == 40.0


# --- one-way streets ---------------------------------------------------------------
def test_one_way_detour():
    # a bridge E (two-way) on a ring whose other three sides are one-way clockwise
    # (digitised (0,0)->(0,1000)->(1000,1000)->(1000,0)); the bridge side is two-way.
    lines = [LineString([(0, 0), (0, 1000)]), LineString([(0, 1000), (1000, 1000)]),
             LineString([(1000, 1000), (1000, 0)]), LineString([(1000, 0), (0, 0)])]
    s = Settings()
    s.network.use_oneway = True
    pts = gpd.GeoDataFrame({"bridge_id": ["E"], "length_m": [20.0]},
                           geometry=[Point(500, 0)], crs=CRS)
    net = make(lines, points=pts, settings=s, oneway=[True, True, True, False])
    c = by_id(bridge_criticality(net)).loc["E"]
    # one direction uses the one-way ring (3000 + 490 + 490); the other has no route
    assert np.isnan(c.alt_route_m) and bool(c.one_way_cut)
    # everything two-way: the way round between the corners that end the bridge's road
    # line (a ring has no junction), 3 x 1000
    net2 = make(lines, points=pts, settings=s, oneway=[False, False, False, False])
    c2 = by_id(bridge_criticality(net2)).loc["E"]
    assert c2.alt_route_m == pytest.approx(3000.0) and not bool(c2.one_way_cut)
    assert c2.detour_m == pytest.approx(2000.0)


def test_one_way_agrees_with_networkx():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _synthetic import synthetic_region
    finally:
        sys.path.pop(0)
    r = synthetic_region(1500, 30, seed=5)
    roads = r["roads"]
    rng = np.random.default_rng(0)
    roads["oneway"] = rng.random(len(roads)) < 0.3
    s = Settings()
    s.network.use_oneway = True
    net, _ = attach_bridges(build_network(roads, s), r["bridges"])
    c = by_id(bridge_criticality(net))
    ref = reference_criticality(net).set_index("bridge_id")
    assert net.directed and len(ref) == len(c)
    np.testing.assert_allclose(c.loc[ref.index, "alt_route_m"].astype(float), ref.alt_route,
                               rtol=1e-9, equal_nan=True)
    assert c.one_way_cut.astype(bool).sum() > 0


# --- agreement with a plain networkx computation ---------------------------------------
def test_agrees_with_networkx_on_a_synthetic_region(synthetic_small):
    net = synthetic_small
    c = by_id(bridge_criticality(net))
    ref = reference_criticality(net).set_index("bridge_id")
    assert len(ref) == len(c) > 50
    assert (c.loc[ref.index, "isolates"].astype(bool) == ref.isolates).all()
    assert ref.isolates.sum() >= 2
    np.testing.assert_allclose(c.loc[ref.index, "alt_route_m"].astype(float), ref.alt_route,
                               rtol=1e-9, equal_nan=True)
    assert (c.loc[ref.index, "isolated_nodes"].astype(int) == ref.isolated_nodes).all()
    np.testing.assert_allclose(c.loc[ref.index, "isolated_population"].astype(float),
                               ref.isolated_population)
    reft = reference_criticality(net, weight="time_min").set_index("bridge_id")
    np.testing.assert_allclose(c.loc[reft.index, "alt_route_min"].astype(float), reft.alt_route,
                               rtol=1e-9, equal_nan=True)


def test_agrees_with_networkx_on_real_osm(osm_network):
    net = osm_network
    c = by_id(bridge_criticality(net))
    ref = reference_criticality(net).set_index("bridge_id")
    # 8 bridge ways: 5 carry motor roads, 3 are footway/cycleway bridges (walking only)
    assert len(c) == 8 and len(ref) == 5
    assert c["pedestrian_only"].astype(bool).sum() == 3
    assert c.loc[c["pedestrian_only"].astype(bool), "alt_route_m"].isna().all()
    np.testing.assert_allclose(c.loc[ref.index, "alt_route_m"].astype(float), ref.alt_route,
                               rtol=1e-9, equal_nan=True)
    assert (c.loc[ref.index, "isolates"].astype(bool) == ref.isolates).all()


def test_scenario_of_one_bridge_equals_single_criticality(synthetic_small):
    net = synthetic_small
    c = by_id(bridge_criticality(net))
    for b in c.index[:: max(1, len(c) // 6)]:
        s = removal_scenario(net, [b])
        row = s.bridges.iloc[0]
        assert bool(row.isolates) == bool(c.loc[b, "isolates"])
        if not row.isolates:
            assert row.alt_route_m == pytest.approx(c.loc[b, "alt_route_m"])
        else:
            assert s.summary["isolated_population"] == pytest.approx(
                c.loc[b, "isolated_population"])
            assert s.summary["isolated_nodes"] == c.loc[b, "isolated_nodes"]


def test_routes_with_paths_and_per_query_removals_match_networkx(synthetic_small):
    """alternative_routes(..., also_removed=, return_paths=True): each query removes its own
    edge plus its extra edges; the returned route avoids them, joins the edge's two ends,
    and its weight equals both the returned cost and networkx's shortest path.  The route
    runs between the junctions that bound the edge's road link (``road_links``)."""
    import networkx as nx
    from gunmane_geo.criticality import alternative_routes, road_links

    net = synthetic_small
    eids = net.bridges.loc[net.bridges.matched, "edge_id"].to_numpy(np.int64)[:25]
    rng = np.random.default_rng(1)
    extra = [rng.choice(eids, size=2, replace=False) for _ in eids]
    u, v = net.uv()
    g = net.to_networkx()
    for wname in ("length_m", "time_min"):
        cost, paths = alternative_routes(net, eids, wname, also_removed=extra, return_paths=True)
        links = road_links(net, eids)
        w = net.weight(wname)
        for e, ex, c, p, a, b in zip(eids, extra, cost, paths, links.a, links.b):
            gone = {int(e), *map(int, ex)}
            h = g.copy()
            h.remove_edges_from([(u[x], v[x], x) for x in gone])
            try:
                ref = nx.dijkstra_path_length(h, a, b, weight=wname)
            except nx.NetworkXNoPath:
                ref = np.inf
            assert c == pytest.approx(ref, rel=1e-9)
            if not np.isfinite(c):
                assert len(p) == 0
                continue
            assert not gone.intersection(p.tolist())
            assert w[p].sum() == pytest.approx(c, rel=1e-9)
            x = a                          # walk the route from junction a to b
            for edge in p:
                assert x in (u[edge], v[edge])
                x = u[edge] + v[edge] - x
            assert x == b


def test_scenario_trips_match_networkx(synthetic_small):
    import networkx as nx
    net = synthetic_small
    c = bridge_criticality(net)
    ids = c[~c.isolates.astype(bool)].bridge_id.iloc[:3].tolist()
    s = removal_scenario(net, ids)
    g = net.to_networkx()
    keys = [(int(u), int(v), int(e)) for u, v, e in s.bridges[["u", "v", "edge_id"]].to_numpy()]
    fac = net.facilities
    for _, t in s.trips.head(5).iterrows():
        src = fac[fac.facility_type == t.facility_type].node_id.unique().tolist()
        before = nx.multi_source_dijkstra_path_length(g, src, weight="length_m")[t.origin_node]
        g2 = g.copy(); g2.remove_edges_from(keys)
        after = nx.multi_source_dijkstra_path_length(g2, src, weight="length_m").get(t.origin_node)
        assert t.before_m == pytest.approx(before)
        assert (after is None and t.cut_off) or t.after_m == pytest.approx(after)
        if t.geometry is not None:
            assert t.geometry.length == pytest.approx(t.after_m)


def test_unmatched_bridge_appears_without_rank():
    sq = [LineString([(0, 0), (1000, 0)]), LineString([(1000, 0), (0, 0.5)])]
    pts = gpd.GeoDataFrame({"bridge_id": ["A", "FAR"]},
                           geometry=[Point(500, 1), Point(500, 900)], crs=CRS)
    c = by_id(bridge_criticality(make(sq, points=pts)))
    assert len(c) == 2 and not c.loc["FAR", "matched"] and pd.isna(c.loc["FAR", "criticality_rank"])
    assert "no road within" in c.loc["FAR", "reason"]


def test_needs_bridges_and_can_be_cancelled():
    net = build_network(gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 0)])], crs=CRS))
    with pytest.raises(InputError, match="attach_bridges"):
        bridge_criticality(net)
    with pytest.raises(Cancelled):
        bridge_criticality(ring(), progress=lambda f, m: f > 0.5)
    assert "isolated_population desc" in RANK_RULE


@pytest.mark.slow
def test_agrees_with_networkx_on_the_sample_region():
    """The sample region 架空県 through io + network_from_region: every bridge on the
    network checked against the plain networkx way (remove, Dijkstra, put back)."""
    from gunmane_geo.io import load_region, load_run_config
    from gunmane_geo.pipeline import network_from_region
    run = ROOT / "sample_layers" / "run.toml"
    inputs, settings = load_run_config(run)
    inputs = {k: v for k, v in inputs.items()
              if k in ("roads", "bridges", "population", "facilities", "rivers")}
    region = load_region(inputs, settings, base_dir=run.parent)
    net = network_from_region(region, settings)
    c = by_id(bridge_criticality(net, settings=settings))
    assert len(c) == len(region.bridges)                   # every bridge has a row
    m = c[c.matched.astype(bool)]
    pick = sorted(m.index)
    ref = reference_criticality(net, bridge_ids=pick).set_index("bridge_id")
    assert len(ref) == len(pick) and ref.isolates.sum() > 0
    np.testing.assert_allclose(c.loc[ref.index, "alt_route_m"].astype(float), ref.alt_route,
                               rtol=1e-9, equal_nan=True)
    assert (c.loc[ref.index, "isolates"].astype(bool) == ref.isolates).all()
    assert (c.loc[ref.index, "isolated_nodes"].astype(int) == ref.isolated_nodes).all()
    np.testing.assert_allclose(c.loc[ref.index, "isolated_population"].astype(float),
                               ref.isolated_population)
