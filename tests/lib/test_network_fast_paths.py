"""The vectorised paths of building and matching give the same network as the plain ones.

Segment layers (one two-point line per row, as road ledgers and the national benchmark
have them), the loaders' typed columns (nullable booleans, categorical text), the
coordinate grouping by hashed keys and the end-point snapping among distinct places.
Every expected number was worked out by hand from the coordinates.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.network import attach_bridges, build_network
from gunmane_geo.network import build as build_module
from gunmane_geo.settings import Settings

CRS = "EPSG:6677"


def plus_segments():
    """A plus-shaped junction at (0, 0) drawn as four two-point segments, and a fifth
    segment east of it whose west end stops 0.5 m short of the east arm's end (100, 0).

    Hand count: nodes (0,0), (100,0), (-100,0), (0,100), (0,-100), (200,0) = 6 (the
    near-miss end (100.5, 0) is snapped onto (100, 0)); edges = 5 of 100 m; one component; the
    node at (0, 0) has degree 4 and the node at (100, 0) degree 2.
    """
    lines = [LineString([(0, 0), (100, 0)]), LineString([(0, 0), (-100, 0)]),
             LineString([(0, 0), (0, 100)]), LineString([(0, -100), (0, 0)]),
             LineString([(100.5, 0), (200, 0)])]
    return gpd.GeoDataFrame({
        "road_id": [f"s{i}" for i in range(5)],
        "road_class": ["municipal", "municipal", "prefectural", "prefectural", "municipal"],
        "route_name": ["A", "A", "B", "B", None],
        "is_bridge": [False, False, False, False, True],
        "oneway": [False, True, False, False, False],
    }, geometry=lines, crs=CRS)


def check_plus(net):
    assert net.n_nodes == 6 and net.n_edges == 5
    assert net.nodes.component.max() == 0
    at = {(round(p.x, 6), round(p.y, 6)): int(d)
          for p, d in zip(net.nodes.geometry, net.nodes.degree)}
    assert at[(0.0, 0.0)] == 4 and at[(100.0, 0.0)] == 2 and at[(200.0, 0.0)] == 1
    # the snapped segment now runs from (100, 0): 100 m like the others
    assert np.allclose(net.edges.length_m, 100.0)
    moved = net.report.to_frame()
    moved = moved[(moved.action == "repaired") & (moved.feature_id == "s4")]
    assert len(moved) == 1 and "0.500 m" in moved.message.iloc[0]


def test_segment_layer_is_noded_by_hand_count():
    check_plus(build_network(plus_segments()))


def test_typed_columns_give_the_same_network_as_plain_ones():
    plain = plus_segments()
    typed = plain.copy()
    # what the loaders produce (nullable booleans) and what a categorical reader gives
    typed["is_bridge"] = pd.array(plain["is_bridge"], dtype="boolean")
    typed["oneway"] = pd.array([False, True, None, False, False], dtype="boolean")
    typed["road_class"] = pd.Categorical(plain["road_class"])
    typed["route_name"] = pd.Categorical(plain["route_name"])
    a, b = build_network(plain), build_network(typed)
    check_plus(b)
    for col in ("u", "v", "length_m", "road_id", "road_class", "route_name", "oneway",
                "is_bridge", "motor", "walk"):
        assert a.edges[col].tolist() == b.edges[col].tolist(), col
    # a missing oneway flag means two-way, a missing motor/walk flag means allowed
    assert b.edges.oneway.tolist() == [False, True, False, False, False]
    assert b.edges.motor.all() and b.edges.walk.all()
    assert a.nodes.geometry.equals(b.nodes.geometry)


def test_ends_of_one_line_never_snap_to_each_other():
    # a 0.6 m stub alone: its two ends are within the 1 m tolerance but belong to the
    # same line, so nothing moves (2 nodes, 1 edge of 0.6 m, no repair row)
    r = gpd.GeoDataFrame({"road_id": ["stub"]}, geometry=[LineString([(0, 0), (0.6, 0)])],
                         crs=CRS)
    net = build_network(r)
    assert net.n_nodes == 2 and net.n_edges == 1
    assert np.isclose(net.edges.length_m.iloc[0], 0.6)
    assert not (net.report.to_frame().action == "repaired").any()


def test_clustered_ends_go_to_the_first_end_of_the_cluster():
    # three segments end near (100, 0): at 100.0, 100.4 and 100.8 (a chain 0.4 m apart;
    # 100.0 and 100.8 are 0.8 m apart, also within 1 m).  All move to the first end
    # read, (100, 0): one node there of degree 3
    r = gpd.GeoDataFrame({"road_id": ["a", "b", "c"]}, geometry=[
        LineString([(0, 0), (100, 0)]), LineString([(100.4, 0), (100.4, 100)]),
        LineString([(100.8, 0), (200, 0)])], crs=CRS)
    net = build_network(r)
    assert net.n_nodes == 4 and net.n_edges == 3
    node = net.nodes[net.nodes.geometry.distance(Point(100, 0)) == 0]
    assert len(node) == 1 and int(node.degree.iloc[0]) == 3
    rep = net.report.to_frame()
    assert sorted(rep[rep.action == "repaired"].feature_id) == ["b", "c"]


def test_coordinate_groups_are_exact_even_when_keys_collide(monkeypatch):
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [-0.0, 1.0], [0.0, 1.0],
                   [1.0, 0.0]])
    groups, n = build_module._group_coords(xy)
    assert n == 3 and groups.tolist() == [0, 1, 0, 2, 2, 1]     # -0.0 equals 0.0
    # every place gets the same key: the check finds it and the exact grouping is used
    monkeypatch.setattr(build_module, "_mix64", lambda z: np.zeros_like(z))
    groups, n = build_module._group_coords(xy)
    assert n == 3
    assert groups[0] == groups[2] and groups[1] == groups[5] and groups[3] == groups[4]
    assert len({groups[0], groups[1], groups[3]}) == 3


@pytest.mark.parametrize("route", ["A", " a ", None])
def test_route_names_match_once_per_value(route):
    # two parallel candidate roads 4 m either side of a bridge point: the one whose
    # route name matches (spaces and case ignored) wins; without a name the nearer one
    r = gpd.GeoDataFrame({"road_id": ["north", "south"], "route_name": ["B", "a"]},
                         geometry=[LineString([(0, 4), (100, 4)]),
                                   LineString([(0, -5), (100, -5)])], crs=CRS)
    br = gpd.GeoDataFrame({"bridge_id": ["X"], "route_name": [route]},
                          geometry=[Point(50, 0)], crs=CRS)
    s = Settings()
    s.network.bridge_match_tolerance_m = 10.0
    net, m = attach_bridges(build_network(r, s), br, settings=s)
    assert bool(m.matched.iloc[0]) and int(m.n_candidates.iloc[0]) == 2
    assert m.match_rule.iloc[0] == ("route_name" if route is not None else "nearest")
    bridge_edge = net.edges.iloc[int(m.edge_id.iloc[0])]
    assert bridge_edge.road_id == ("south" if route is not None else "north")
    assert bridge_edge.is_bridge and bridge_edge.bridge_id == "X"


def test_counting_sort_orders_like_a_stable_argsort():
    from gunmane_geo.network.kernels import stable_order_by
    rng = np.random.default_rng(7)
    for n, m in ((1, 5), (7, 0), (50, 2000), (3000, 20000)):
        tail = rng.integers(0, n, m)
        indptr, order = stable_order_by(tail, n)
        assert (order == np.argsort(tail, kind="stable")).all()
        assert (indptr == np.concatenate([[0], np.cumsum(np.bincount(tail, minlength=n))])).all()


def test_modes_on_the_same_edges_share_one_adjacency():
    # the plus junction's four arms; then the north arm made a footway (by hand: cars reach
    # node (0, 100) by no edge, walkers by one)
    roads = plus_segments().iloc[:4].copy()
    net = build_network(roads)
    motor = net.csr("undirected", "motor")
    assert net.csr("undirected", "walk") is motor
    roads["road_class"] = ["municipal", "municipal", "footway", "prefectural"]
    net = build_network(roads)
    motor, walk = net.csr("undirected", "motor"), net.csr("undirected", "walk")
    assert walk is not motor
    north = [i for i, p in enumerate(net.nodes.geometry) if (p.x, p.y) == (0.0, 100.0)][0]
    assert motor[0][north + 1] - motor[0][north] == 0
    assert walk[0][north + 1] - walk[0][north] == 1
