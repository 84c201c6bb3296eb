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
    from gunmane_geo.network import network_from_region
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
