"""Edge geometry kept as coordinate arrays (``network.lines.EdgeLines``).

The network keeps its edge lines and node points as arrays and makes shapely objects only
when asked (docs/benchmarks.md, national scale: about 265 bytes an edge saved).  These
tests check the arrays against lines written out by hand, and that the criticality path
(building, matching bridges, splitting edges at them, ``bridge_criticality``) makes lines
only for the rows it needs, while ``Network.edges`` still gives every line.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point

from gunmane_geo.criticality import bridge_criticality
from gunmane_geo.network import attach_bridges, build_network
from gunmane_geo.network import lines as lines_module
from gunmane_geo.network.lines import EdgeLines

CRS = "EPSG:6677"


def three_lines():
    """A 3-4-5 triangle's legs and a bent line: lengths 3, 4 and 5 + 5 = 10 (by hand)."""
    return [LineString([(0, 0), (3, 0)]), LineString([(3, 0), (3, 4)]),
            LineString([(0, 0), (3, 4), (6, 0)])]


def test_arrays_by_hand():
    lines = EdgeLines.from_geometry(three_lines())
    assert len(lines) == 3
    assert lines.offsets.tolist() == [0, 2, 4, 7]
    assert lines.counts().tolist() == [2, 2, 3]
    assert lines.lengths().tolist() == [3.0, 4.0, 10.0]
    first, last = lines.end_points()
    assert first.tolist() == [[0, 0], [3, 0], [0, 0]]
    assert last.tolist() == [[3, 0], [3, 4], [6, 0]]
    got = lines.geometry([2, 0])
    assert [list(g.coords) for g in got] == [[(0, 0), (3, 4), (6, 0)], [(0, 0), (3, 0)]]
    assert len(lines.geometry([])) == 0


def test_lengths_equal_shapely_to_the_last_bit():
    rng = np.random.default_rng(3)
    geoms = [LineString(rng.uniform(-5e4, 5e4, (int(k), 2)))
             for k in rng.integers(2, 7, size=500)]
    assert (EdgeLines.from_geometry(geoms).lengths() == shapely.length(geoms)).all()


def test_updated_replaces_and_appends():
    lines = EdgeLines.from_geometry(three_lines())
    new = lines.updated([1, 3, 4], [LineString([(3, 0), (3, 2)]),
                                    LineString([(3, 2), (3, 3), (3, 4)]),
                                    LineString([(9, 9), (9, 10)])])
    assert len(new) == 5
    assert [list(g.coords) for g in new.geometry()] == [
        [(0, 0), (3, 0)], [(3, 0), (3, 2)], [(0, 0), (3, 4), (6, 0)],
        [(3, 2), (3, 3), (3, 4)], [(9, 9), (9, 10)]]
    assert [list(g.coords) for g in lines.geometry()][1] == [(3, 0), (3, 4)]   # unchanged
    with pytest.raises(ValueError):
        lines.updated([5], [LineString([(0, 0), (1, 1)])])                     # a gap


def corridor():
    """Ten 100 m segments along y = 0 and ten along y = 1000 (a second road far off),
    joined at x = 0 by a 1000 m road: 21 edges.  One bridge point at (450, 2): only the
    segment 400-500 is within the 30 m tolerance (the next ones are 50 m away)."""
    roads = [LineString([(x, 0), (x + 100, 0)]) for x in range(0, 1000, 100)]
    roads += [LineString([(x, 1000), (x + 100, 1000)]) for x in range(0, 1000, 100)]
    roads += [LineString([(0, 0), (0, 1000)])]
    roads = gpd.GeoDataFrame({"road_id": [f"r{i}" for i in range(len(roads))]},
                             geometry=roads, crs=CRS)
    bridges = gpd.GeoDataFrame({"bridge_id": ["B1"], "length_m": [20.0]},
                               geometry=[Point(450, 2)], crs=CRS)
    return roads, bridges


def test_criticality_makes_lines_only_for_the_rows_it_needs(monkeypatch):
    roads, bridges = corridor()
    made = []                   # number of lines made by each outside call
    real = EdgeLines.geometry
    depth = [0]

    def counting(self, ids=None):
        depth[0] += 1
        try:
            out = real(self, ids)
        finally:
            depth[0] -= 1
        if depth[0] == 0:
            made.append(len(out))
        return out

    monkeypatch.setattr(lines_module.EdgeLines, "geometry", counting)
    net = build_network(roads)
    assert net.n_edges == 21 and made == []          # no lines while building
    net, matches = attach_bridges(net, bridges)
    assert matches.matched.all() and matches.match_rule.iat[0] == "nearest"
    # the 21 edges for the search tree (one chunk), then the one candidate and the edge
    # split at the bridge
    assert made == [21, 1, 1]
    made.clear()
    table = bridge_criticality(net)
    assert made == [1]                               # the bridge's own edge for its row
    monkeypatch.undo()
    # the split (by hand): 400-440, the bridge 440-460, 460-500; 23 edges
    assert net.n_edges == 23
    bridge_edge = int(table.edge_id.iat[0])
    assert list(table.geometry.iat[0].coords) == [(440.0, 0.0), (460.0, 0.0)]
    assert net.edges.length_m.iat[bridge_edge] == pytest.approx(20.0)
    # every line is still there when the whole table is read
    edges = net.edges
    assert isinstance(edges, gpd.GeoDataFrame) and len(edges) == 23
    assert (shapely.length(edges.geometry.to_numpy()) == edges.length_m.to_numpy()).all()
    assert sorted(round(g.length, 6) for g in edges.geometry) == sorted(
        [100.0] * 19 + [1000.0, 40.0, 20.0, 40.0])
    starts = {tuple(np.round(g.coords[0], 6)) for g in edges.geometry}
    assert (440.0, 0.0) in starts and (460.0, 0.0) in starts
    assert net.nodes.geometry.x.max() == 1000.0 and len(net.nodes) == net.n_nodes


def test_lines_need_two_coordinates():
    with pytest.raises(ValueError, match="at least two coordinates"):
        EdgeLines.from_geometry([LineString([(0, 0), (1, 0)]), LineString()])
    with pytest.raises(ValueError, match="from 0 to the number"):
        EdgeLines(np.zeros((4, 2)), np.array([0, 2, 3]))
