"""Peak memory of building: the road lines handed over are freed before the edges are made.

``gunmane criticality`` builds the network with ``network_from_region(...,
release_roads=True)``: the loaded road layer is taken off the region and the build drops
it once its vertex table exists, so the read geometry objects (about a quarter of the
peak on millions of segments) are gone before the edge lines are created.  The network
must be the same either way.
"""
from __future__ import annotations

import weakref

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString

from gunmane_geo.io.region import Region
from gunmane_geo.network import build as build_module
from gunmane_geo.pipeline import network_from_region

CRS = "EPSG:6677"


def two_segments():
    """Two 100 m segments meeting at (100, 0): 3 nodes, 2 edges (by hand)."""
    return gpd.GeoDataFrame({"road_id": ["a", "b"], "road_class": ["municipal"] * 2},
                            geometry=[LineString([(0, 0), (100, 0)]),
                                      LineString([(100, 0), (200, 0)])], crs=CRS)


def build_watching_first_line(monkeypatch, release):
    """Build the network; return it, the region, and whether the first road line was
    still alive when the edges' coordinate table was made."""
    region = Region(crs=CRS, roads=two_segments())
    line_ref = weakref.ref(region.roads.geometry.iat[0])
    alive = []
    real = build_module.EdgeLines

    class Watching:
        @staticmethod
        def from_line_index(*args, **kwargs):
            alive.append(line_ref() is not None)
            return real.from_line_index(*args, **kwargs)

    monkeypatch.setattr(build_module, "EdgeLines", Watching)
    net = network_from_region(region, release_roads=release)
    monkeypatch.undo()
    return net, region, alive


@pytest.mark.parametrize("release", [False, True])
def test_road_lines_freed_before_the_edges_only_when_released(monkeypatch, release):
    net, region, alive = build_watching_first_line(monkeypatch, release)
    assert alive == [not release]            # the edges are made once
    assert (region.roads is None) == release
    assert net.n_nodes == 3 and net.n_edges == 2
    assert sorted(net.edges.length_m) == [100.0, 100.0]


def test_released_build_gives_the_same_network(monkeypatch):
    kept, _, _ = build_watching_first_line(monkeypatch, False)
    released, _, _ = build_watching_first_line(monkeypatch, True)
    pd.testing.assert_frame_equal(kept.edges.drop(columns="geometry"),
                                  released.edges.drop(columns="geometry"))
    assert kept.edges.geometry.geom_equals_exact(released.edges.geometry, 0).all()
    pd.testing.assert_frame_equal(kept.nodes.drop(columns="geometry"),
                                  released.nodes.drop(columns="geometry"))


def test_finish_nodes_by_hand_and_shares_nothing_with_its_input():
    """Nodes 0-1-2 joined by two edges and node 3 alone (worked out by hand): components
    0 (three nodes) and 1, degrees 1, 2, 1, 0; a missing population counts as 0."""
    from shapely.geometry import Point

    from gunmane_geo.network.graph import NODE_COLUMNS, finish_nodes
    nodes = gpd.GeoDataFrame({"node_id": [7, 8, 9, 10], "name": ["a", "b", "c", "d"],
                              "population": [1.0, None, 2.0, 3.0],
                              "n_facilities": [0, 1, 0, 0]},
                             geometry=[Point(i, 0) for i in range(4)], crs=CRS,
                             index=[5, 6, 7, 8])
    edges = pd.DataFrame({"u": [0, 1], "v": [1, 2]})
    out = finish_nodes(nodes, edges)
    assert list(out.columns) == NODE_COLUMNS + ["name", "geometry"]
    assert list(out.index) == [0, 1, 2, 3] and out.crs == nodes.crs
    assert out.node_id.tolist() == [0, 1, 2, 3]
    assert out.component.tolist() == [0, 0, 0, 1]
    assert out.degree.tolist() == [1, 2, 1, 0]
    assert out.population.tolist() == [1.0, 0.0, 2.0, 3.0]
    assert out.n_facilities.tolist() == [0, 1, 0, 0] and out.n_other_facility.sum() == 0
    assert out.name.tolist() == ["a", "b", "c", "d"] and out.geometry.x.tolist() == [0, 1, 2, 3]
    out.loc[1, "n_facilities"] = 5
    out.loc[1, "name"] = "changed"
    assert nodes.n_facilities.tolist() == [0, 1, 0, 0]
    assert nodes.name.tolist() == ["a", "b", "c", "d"]
