"""Office-to-office minutes through the real ``gunmane_geo.network`` Network.

The reference is computed independently of ``grouping.travel``: each office is
attached to its nearest network edge found by brute force over every edge (plain
shapely distances, no spatial index), a virtual node splits that edge at the
nearest point (time along the edge in proportion to the distance along its line,
plus the straight access leg at ``fallback_speed_kmh``), and the minutes are
``networkx`` Dijkstra on ``Network.to_networkx()``.
"""
from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from gunmane_geo.grouping import municipal_groups
from gunmane_geo.grouping.groups import build_problem, office_points
from gunmane_geo.grouping.adjacency import municipal_adjacency, prepare_municipalities
from gunmane_geo.grouping.attributes import municipality_attributes
from gunmane_geo.grouping.travel import graph_from_network, road_graph, travel_matrix
from gunmane_geo.network import build_network
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"


@pytest.fixture(scope="module")
def sample(sample_dir):
    from gunmane_geo.io import load_region, load_run_config
    from gunmane_geo.pipeline import network_from_region
    inputs, settings = load_run_config(sample_dir / "run.toml")
    keep = ("municipalities", "roads", "bridges", "rivers", "facilities", "staff")
    region = load_region({k: v for k, v in inputs.items() if k in keep}, settings)
    net = network_from_region(region, settings)
    return region, net, settings


def _reference_minutes(net, office_xy, speed_kmh):
    """Office-to-office minutes by networkx Dijkstra with brute-force edge attachment."""
    g = net.to_networkx(directed=False)
    geoms = net.edges.geometry.to_numpy()
    u = net.edges["u"].to_numpy()
    v = net.edges["v"].to_numpy()
    t = net.edges["time_min"].to_numpy(float)
    m_per_min = speed_kmh * 1000.0 / 60.0
    used = []
    for k, (x, y) in enumerate(office_xy):
        p = Point(x, y)
        d = np.array([geom.distance(p) for geom in geoms])      # every edge, no index
        e = int(np.argmin(d))
        used.append(e)
        f = geoms[e].project(p, normalized=True)
        g.add_edge(("office", k), int(u[e]), time_min=f * t[e] + d[e] / m_per_min)
        g.add_edge(("office", k), int(v[e]), time_min=(1 - f) * t[e] + d[e] / m_per_min)
    assert len(set(used)) == len(used), "two offices on one edge: the virtual nodes would interfere"
    n = len(office_xy)
    out = np.zeros((n, n))
    for a in range(n):
        dist = nx.single_source_dijkstra_path_length(g, ("office", a), weight="time_min")
        for b in range(n):
            out[a, b] = 0.0 if a == b else dist.get(("office", b), np.inf)
    return out


def test_office_minutes_through_the_sample_network_equal_networkx(sample):
    region, net, settings = sample
    offices = region.facilities[region.facilities["facility_type"] == "office"]
    # the same offices, picked here by their code (one per municipality in the sample)
    by_code = {c: (p.x, p.y) for c, p in zip(offices["municipality_code"], offices.geometry)}
    munis = prepare_municipalities(region.municipalities)
    assert sorted(by_code) == sorted(munis.index)
    xy = np.array([by_code[c] for c in munis.index])
    np.testing.assert_allclose(office_points(munis, region.facilities), xy)

    ref = _reference_minutes(net, xy, settings.grouping.fallback_speed_kmh)
    assert np.isfinite(ref).all() and ref.max() > 30          # the region spans tens of minutes

    got = travel_matrix(xy, graph_from_network(net), settings)
    np.fill_diagonal(got, 0.0)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9)

    # the matrix municipal_groups scores with (build_problem), and its outputs
    adjacency = municipal_adjacency(munis, roads=region.roads, settings=settings)
    attrs = municipality_attributes(munis, region.bridges, region.staff, settings)
    problem = build_problem(munis, attrs, adjacency, xy, graph_from_network(net), settings)
    np.testing.assert_allclose(problem.travel_min, ref, rtol=1e-9, atol=1e-9)
    groups, members = municipal_groups(region.municipalities, bridges=region.bridges,
                                       staff=region.staff, network=net, roads=region.roads,
                                       offices=region.facilities, settings=settings,
                                       adjacency=adjacency)
    assert (groups["travel_source"] == "road network").all()
    pos = {c: i for i, c in enumerate(munis.index)}
    for _, row in groups.iterrows():
        idx = [pos[c] for c in row["member_codes"].split(";")]
        assert row["max_travel_min"] == pytest.approx(ref[np.ix_(idx, idx)].max(), abs=1e-9)
    assert groups["max_travel_min"].max() > 0


def test_network_ferry_edges_are_not_driven():
    # two touching squares; the offices are joined by a ferry across a bay (2 km) and,
    # far round, by a slow road
    munis = gpd.GeoDataFrame({"municipality_code": ["99101", "99102"],
                              "municipality_name": ["甲町", "乙村"]},
                             geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_000, 10_000)], crs=CRS)
    roads = gpd.GeoDataFrame({
        "road_id": ["a", "ferry", "b", "round"],
        "road_class": ["municipal", "ferry", "municipal", "other"],
    }, geometry=[LineString([(5_000, 5_000), (9_000, 5_000)]),
                 LineString([(9_000, 5_000), (11_000, 5_000)]),
                 LineString([(11_000, 5_000), (15_000, 5_000)]),
                 LineString([(5_000, 5_000), (5_000, 30_000), (15_000, 30_000), (15_000, 5_000)])],
        crs=CRS)
    offices = np.array([[5_000.0, 5_000.0], [15_000.0, 5_000.0]])
    s = Settings()
    net = build_network(roads, s)
    assert (net.edges["road_class"] == "ferry").any()            # the network keeps the line
    via_net = travel_matrix(offices, graph_from_network(net), s)
    via_roads = travel_matrix(offices, road_graph(roads, s), s)
    # round road: 25 + 10 + 25 = 60 km at 20 km/h ('other') = 180 min; by ferry it would be
    # 4 km at 30 + 2 km at 20 + 4 km at 30 = 22 min
    assert via_net[0, 1] == pytest.approx(180.0, abs=1e-6)
    assert via_roads[0, 1] == pytest.approx(180.0, abs=1e-6)
    # the floor (10 staff) makes the two one group; its office-to-office time is the round road
    s.grouping.min_staff = 10
    s.grouping.max_travel_min = 200.0
    groups, _ = municipal_groups(munis, staff=pd.DataFrame({"municipality_code": ["99101", "99102"],
                                                            "technical_staff": [5, 5]}),
                                 network=net, settings=s)
    best = groups[groups["candidate"] == 1]
    assert best["members"].tolist() == [2]
    assert best["max_travel_min"].iloc[0] == pytest.approx(180.0, abs=1e-6)


def test_travel_minutes_by_hand_loop_same_edge_unreachable_and_limit():
    # road A: 10 km municipal (30 km/h) = 20 min; a closed ring of 12 km starting and ending at
    # A's east end (24 min round); a road far away with no link (another component)
    roads = gpd.GeoDataFrame({"road_class": ["municipal"] * 3}, geometry=[
        LineString([(0, 0), (10_000, 0)]),
        LineString([(10_000, 0), (10_000, 3_000), (13_000, 3_000), (13_000, 0), (10_000, 0)]),
        LineString([(50_000, 0), (60_000, 0)])], crs=CRS)
    pts = np.array([[0.0, 0.0],            # Q: A's west end
                    [13_000.0, 1_500.0],   # P: on the ring, 7.5 km along it, 4.5 km back
                    [2_000.0, 100.0],      # S: 100 m off A
                    [7_000.0, -100.0],     # T: 100 m off A
                    [55_000.0, 0.0]])      # R: the far road
    s = Settings()
    g = road_graph(roads, s)
    t = travel_matrix(pts, g, s)
    access = 100 / (40_000 / 60)           # 100 m at the 40 km/h access speed = 0.15 min
    assert t[0, 1] == pytest.approx(20 + 9)                      # 10 km + 4.5 km at 30 km/h
    assert t[2, 3] == pytest.approx(10 + 2 * access)             # 5 km along A, both access legs
    assert t[0, 2] == pytest.approx(4 + access)
    assert t[1, 3] == pytest.approx(9 + 6 + access)              # ring back, then 3 km of A
    assert np.isinf(t[0, 4]) and np.isinf(t[4, 1])
    np.testing.assert_allclose(t, t.T, atol=1e-9)
    limited = travel_matrix(pts, g, s, limit_min=25)
    assert np.isinf(limited[0, 1]) and limited[2, 3] == pytest.approx(t[2, 3])
    # to other targets: the same minutes (the per-end-node search is used there)
    many = np.repeat(pts[[0]], 3, axis=0)
    np.testing.assert_allclose(travel_matrix(many, g, s, targets_xy=pts)[0], t[0], atol=1e-9)


def test_network_graph_and_office_matrix_are_cached(sample):
    from gunmane_geo.grouping.travel import office_travel
    region, net, settings = sample
    g = graph_from_network(net)
    assert graph_from_network(net) is g
    xy = np.array([[p.x, p.y] for p in region.facilities.geometry[:4]])
    before = len(g.cache)              # the first test of this module may have filled one
    first = office_travel(xy, g, settings, limit_min=660.0)
    assert len(g.cache) == before + 1
    first[0, 1] = -1.0                                           # callers get their own copy
    again = office_travel(xy, g, settings, limit_min=660.0)
    assert again[0, 1] > 0 and len(g.cache) == before + 1
    np.testing.assert_allclose(again, np.minimum(travel_matrix(xy, g, settings, 660.0),
                                                 travel_matrix(xy, g, settings, 660.0).T)
                               - np.diag(np.diag(travel_matrix(xy, g, settings, 660.0))))
    # a changed network (Network.replace) is adapted afresh
    assert graph_from_network(net.replace(edges=net.edges.copy())) is not g
