"""Building the routable network: noding, grade separation, snapping, attaching layers.

Every expected number below was worked out by hand from the coordinates.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point

from gunmane_geo.errors import Cancelled, InputError
from gunmane_geo.network import (attach_bridges, attach_facilities, attach_population,
                                 build_network)
from gunmane_geo.settings import Settings

CRS = "EPSG:6677"


def roads(lines, **cols):
    n = len(lines)
    data = {"road_id": [f"r{i}" for i in range(n)], "road_class": ["municipal"] * n}
    data.update(cols)
    return gpd.GeoDataFrame(data, geometry=lines, crs=CRS)


def settings(**network):
    s = Settings()
    for k, v in network.items():
        setattr(s.network, k, v)
    return s


def test_shared_interior_vertex_is_a_junction():
    # two streets cross at (100, 0), a vertex of both: 4 edges of 100 m, one component
    r = roads([LineString([(0, 0), (100, 0), (200, 0)]),
               LineString([(100, -100), (100, 0), (100, 100)])])
    net = build_network(r)
    assert net.n_nodes == 5 and net.n_edges == 4
    assert np.allclose(net.edges.length_m, 100.0)
    assert net.nodes.component.max() == 0
    centre = net.nodes[net.nodes.geometry.distance(Point(100, 0)) == 0]
    assert int(centre.degree.iloc[0]) == 4


@pytest.mark.parametrize("flag", ["is_bridge", "is_tunnel"])
def test_overpass_does_not_meet_the_road_below(flag):
    # same shared vertex, but the north-south line is a bridge (layer 1): no junction
    r = roads([LineString([(0, 0), (100, 0), (200, 0)]),
               LineString([(100, -100), (100, 0), (100, 100)])],
              **{flag: [False, True]}, layer=[0, 1])
    net = build_network(r)
    assert net.n_nodes == 4 and net.n_edges == 2
    assert net.nodes.component.max() == 1          # two separate components


def test_different_layers_do_not_meet_at_interior_vertices():
    r = roads([LineString([(0, 0), (100, 0), (200, 0)]),
               LineString([(100, -100), (100, 0), (100, 100)])], layer=[0, 1])
    net = build_network(r)
    assert net.n_edges == 2


def test_bridge_end_meets_road_interior_vertex():
    # a bridge line ending on an interior vertex of an ordinary road connects there
    r = roads([LineString([(0, 0), (100, 0), (200, 0)]),
               LineString([(100, 0), (100, 30)]), LineString([(100, 30), (100, 200)])],
              is_bridge=[False, True, False], layer=[0, 1, 0])
    net = build_network(r)
    assert net.n_edges == 4 and net.nodes.component.max() == 0


def test_split_at_crossings_only_same_layer_ordinary_roads():
    lines = [LineString([(0, 0), (200, 0)]), LineString([(100, -100), (100, 100)])]
    assert build_network(roads(lines)).n_edges == 2                     # default: no split
    net = build_network(roads(lines), settings(split_at_crossings=True))
    assert net.n_edges == 4 and net.nodes.component.max() == 0
    assert np.allclose(sorted(net.edges.length_m), [100, 100, 100, 100])
    tun = build_network(roads(lines, is_tunnel=[False, True]), settings(split_at_crossings=True))
    assert tun.n_edges == 2


def test_near_miss_end_point_is_snapped_and_reported():
    # a side street stops 0.4 m short of the main road: snapped (T junction), reported
    r = roads([LineString([(0, 0), (200, 0)]), LineString([(80, 100), (80, 0.4)])])
    net = build_network(r)
    assert net.n_edges == 3 and net.nodes.component.max() == 0
    assert np.allclose(sorted(net.edges.length_m), [80.0, 100.0, 120.0])
    rep = net.report.to_frame()
    snapped = rep[(rep.action == "repaired") & (rep.feature_id == "r1")]
    assert len(snapped) == 1 and "0.400 m" in snapped.message.iloc[0]
    # 1.5 m away with a 1 m tolerance: not connected
    r2 = roads([LineString([(0, 0), (200, 0)]), LineString([(80, 100), (80, 1.5)])])
    assert build_network(r2).nodes.component.max() == 1


def test_end_points_snap_to_each_other():
    r = roads([LineString([(0, 0), (100, 0)]), LineString([(100.6, 0.0), (200, 0)])])
    net = build_network(r)
    assert net.n_nodes == 3 and net.n_edges == 2


def test_bad_rows_are_reported_not_dropped_silently():
    r = roads([LineString([(0, 0), (100, 0)]), None, Point(5, 5),
               MultiLineString([[(0, 10), (50, 10)], [(60, 10), (90, 10)]]),
               LineString([(7, 7), (7, 7)])])
    net = build_network(r)
    rep = net.report.to_frame()
    skipped = set(rep[rep.action == "skipped"].feature_id)
    assert skipped == {"r1", "r2", "r4"}
    assert net.n_edges == 3                    # r0 + both parts of r3
    assert set(net.edges.road_id) == {"r0", "r3"}


def test_geographic_crs_is_refused():
    r = roads([LineString([(139.0, 35.0), (139.1, 35.0)])]).set_crs("EPSG:4326",
                                                                     allow_override=True)
    with pytest.raises(InputError, match="projected metric CRS"):
        build_network(r)


def test_speed_and_time():
    r = roads([LineString([(0, 0), (1000, 0)]), LineString([(1000, 0), (2000, 0)])],
              speed_kmh=[60.0, None], road_class=["national", "prefectural"])
    net = build_network(r)
    t = dict(zip(net.edges.road_id, net.edges.time_min))
    assert t["r0"] == pytest.approx(1.0)          # 1 km at 60 km/h
    assert t["r1"] == pytest.approx(1.5)          # default prefectural 40 km/h


def test_road_width_is_carried_to_edges_and_split_pieces():
    # widths 6 m, unknown ("-"), and 0 (invalid: unknown, reported); the bridge point on
    # r0 splits it into three pieces that all keep r0's 6 m
    r = roads([LineString([(0, 0), (1000, 0)]), LineString([(1000, 0), (2000, 0)]),
               LineString([(2000, 0), (3000, 0)])], width_m=[6.0, "-", 0.0])
    net = build_network(r)
    w = dict(zip(net.edges.road_id, net.edges.width_m))
    assert w["r0"] == 6.0 and np.isnan(w["r1"]) and np.isnan(w["r2"])
    assert any(x.field == "width_m" and x.action == "nulled" for x in net.report.to_frame().itertuples())
    b = gpd.GeoDataFrame({"bridge_id": ["B1"], "length_m": [40.0]},
                         geometry=[Point(300, 0)], crs=CRS)
    net2, _ = attach_bridges(net, b)
    r0 = net2.edges[net2.edges.road_id == "r0"]
    assert len(r0) == 3 and (r0.width_m == 6.0).all()
    assert np.isnan(build_network(roads([LineString([(0, 0), (1, 0)])])).edges.width_m.iloc[0])


def test_progress_can_cancel():
    r = roads([LineString([(0, 0), (100, 0)])])
    with pytest.raises(Cancelled):
        build_network(r, progress=lambda f, m: f > 0.2)


# --- bridges --------------------------------------------------------------------------
def _two_roads():
    # a municipal road at y=0 and route 国道1号 at y=20, both 1 km long
    return build_network(roads([LineString([(0, 0), (1000, 0)]),
                                LineString([(0, 20), (1000, 20)])],
                               route_name=["市道A線", "国道1号"]))


def test_bridge_point_splits_the_edge():
    net = _two_roads()
    b = gpd.GeoDataFrame({"bridge_id": ["B1"], "length_m": [40.0]},
                         geometry=[Point(300, 4)], crs=CRS)
    net2, m = attach_bridges(net, b)
    row = m.iloc[0]
    assert bool(row.matched) and row.snap_distance_m == pytest.approx(4.0)
    e = net2.edges.loc[row.edge_id]
    assert e.is_bridge and e.bridge_id == "B1" and e.length_m == pytest.approx(40.0)
    assert net2.nodes.geometry.iloc[e.u].x == pytest.approx(280.0)
    assert net2.nodes.geometry.iloc[e.v].x == pytest.approx(320.0)
    pieces = net2.edges[net2.edges.road_id == "r0"].length_m.sort_values().tolist()
    assert pieces == pytest.approx([40.0, 280.0, 680.0])
    assert net2.edges.length_m.sum() == pytest.approx(2000.0)


def test_bridge_prefers_matching_route_name():
    net = _two_roads()
    # 8 m from the municipal road, 12 m from 国道1号: the route name decides
    b = gpd.GeoDataFrame({"bridge_id": ["B1", "B2"], "route_name": ["国道 1号", None]},
                         geometry=[Point(500, 8), Point(500, 8)], crs=CRS)
    _, m = attach_bridges(net, b)
    assert m.set_index("bridge_id").loc["B1", "match_rule"] == "route_name"
    assert m.set_index("bridge_id").loc["B1", "snap_distance_m"] == pytest.approx(12.0)
    assert m.set_index("bridge_id").loc["B2", "snap_distance_m"] == pytest.approx(8.0)


def test_bridge_prefers_edge_crossing_a_river():
    net = _two_roads()
    river = gpd.GeoDataFrame(geometry=[LineString([(500, 15), (520, 40)])], crs=CRS)
    b = gpd.GeoDataFrame({"bridge_id": ["B1"]}, geometry=[Point(505, 8)], crs=CRS)
    _, m = attach_bridges(net, b, rivers=river)
    assert m.iloc[0].match_rule == "structure" and m.iloc[0].snap_distance_m == pytest.approx(12)


def test_unmatched_bridge_is_kept_and_reported_with_its_distance():
    net = _two_roads()
    b = gpd.GeoDataFrame({"bridge_id": ["FAR"]}, geometry=[Point(500, 100)], crs=CRS)
    net2, m = attach_bridges(net, b)
    assert not m.iloc[0].matched and m.iloc[0].nearest_edge_m == pytest.approx(80.0)
    rep = net2.report.to_frame()
    row = rep[rep.feature_id == "FAR"]
    assert len(row) == 1 and row.action.iloc[0] == "unmatched" and "80.0 m" in row.message.iloc[0]


def test_duplicate_bridge_ids_are_an_error():
    net = _two_roads()
    b = gpd.GeoDataFrame({"bridge_id": ["B1", "B1"]},
                         geometry=[Point(100, 1), Point(200, 1)], crs=CRS)
    with pytest.raises(InputError, match="duplicate bridge_id"):
        attach_bridges(net, b)


def test_two_bridges_on_one_edge():
    net = _two_roads()
    b = gpd.GeoDataFrame({"bridge_id": ["B1", "B2"], "length_m": [20.0, 20.0]},
                         geometry=[Point(700, 1), Point(200, 1)], crs=CRS)
    net2, m = attach_bridges(net, b)
    lens = net2.edges.loc[m.edge_id, "length_m"].tolist()
    assert lens == pytest.approx([20.0, 20.0])
    assert len(net2.edges[net2.edges.road_id == "r0"]) == 5   # gap, B2, gap, B1, gap


# --- population and facilities -------------------------------------------------------
def test_population_points_and_polygons():
    net = _two_roads()          # nodes at (0,0) (1000,0) (0,20) (1000,20)
    pts = gpd.GeoDataFrame({"population": [10.0, 5.0, -3.0]},
                           geometry=[Point(10, -5), Point(990, 30), Point(1, 1)], crs=CRS)
    net2 = attach_population(net, pts)
    pop = dict(zip(map(lambda g: (g.x, g.y), net2.nodes.geometry), net2.nodes.population))
    assert pop[(0.0, 0.0)] == 10.0 and pop[(1000.0, 20.0)] == 5.0
    assert net2.nodes.population.sum() == 15.0      # the negative one skipped, reported
    assert (net2.report.to_frame().action == "skipped").sum() == 1
    poly = gpd.GeoDataFrame({"population": [100.0]},
                            geometry=[shapely.box(-10, -10, 10, 30)], crs=CRS)
    net3 = attach_population(net, poly)              # two nodes inside: 50 each
    assert sorted(net3.nodes.population) == [0.0, 0.0, 50.0, 50.0]


def test_population_raster(tmp_path):
    import rasterio
    from rasterio.transform import from_origin
    net = _two_roads()
    # 2 x 2 cells of 500 m from (0, 500): centres (250,250) (750,250) (250,-250) (750,-250)
    arr = np.array([[100.0, 40.0], [-9999.0, 7.0]], dtype="float32")
    path = tmp_path / "pop.tif"
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
                       crs=CRS, transform=from_origin(0, 500, 500, 500), nodata=-9999) as ds:
        ds.write(arr, 1)
    net2 = attach_population(net, str(path))
    pop = dict(zip(map(lambda g: (g.x, g.y), net2.nodes.geometry), net2.nodes.population))
    # (250,250) is nearest (0,20); (750,250) and (750,-250) nearest (1000,20)/(1000,0)
    assert pop[(0.0, 20.0)] == 100.0
    assert pop[(1000.0, 20.0)] == 40.0
    assert pop[(1000.0, 0.0)] == 7.0
    assert net2.nodes.population.sum() == 147.0


def test_facilities_snap_to_nodes():
    net = _two_roads()
    fac = gpd.GeoDataFrame({"facility_id": ["H1", "S1", "X1"], "name": ["市立病院", "小学校", "?"],
                            "facility_type": ["hospital", "学校", "spa"]},
                           geometry=[Point(5, 5), Point(995, 18), Point(0, 30)], crs=CRS)
    net2 = attach_facilities(net, fac)
    f = net2.facilities.set_index("facility_id")
    assert f.loc["S1", "facility_type"] == "school"
    assert f.loc["X1", "facility_type"] == "spa"          # kept, counted as other
    assert net2.nodes.n_facilities.sum() == 3 and net2.nodes.n_hospital.sum() == 1
    assert net2.nodes.n_other_facility.sum() == 1 and net2.nodes.n_school.sum() == 1
    assert f.loc["H1", "snap_distance_m"] == pytest.approx(np.hypot(5, 5))
