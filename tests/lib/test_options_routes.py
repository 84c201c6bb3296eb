"""detour_routes on the hand-worked toy river network (tests/lib/options_toy.py).

By hand: remove A alone -> route w0-w1 (300) + B (200) + e1-e0 (300) = 800 m, detour
800 - 200 = 600 m.  Remove A and downsize B together -> A's route w0-w1-w2-e2-e1-e0 =
300 + 2700 + 200 + 2700 + 300 = 6200 m (detour 6000 m), B's route w1-w2-e2-e1 = 5600 m
(detour 5400 m).  Remove D -> i0 is cut off: no route (detour inf, empty geometry).
"""
from __future__ import annotations

import math

import geopandas as gpd
import pytest
from shapely.geometry import Point

from options_toy import CRS, NODES, toy_network


@pytest.fixture(scope="module")
def net():
    return toy_network()


def _plan(rows):
    """A plan in make_plan's shape: bridge_id, plan_option, status, point geometry."""
    ids = ["A", "B", "C", "D"]
    opt = {b: ("keep", "keep") for b in ids}
    opt.update(rows)
    return gpd.GeoDataFrame({"bridge_id": ids, "plan_option": [opt[b][0] for b in ids],
                             "status": [opt[b][1] for b in ids]},
                            geometry=[Point(100, 0), Point(100, 300), Point(100, 3000),
                                      Point(300, 0)], crs=CRS)


def test_single_removal_route_by_hand(net):
    from gunmane_geo.options import detour_routes
    det = detour_routes(_plan({"A": ("remove", "planned")}), net)
    assert det["bridge_id"].tolist() == ["A"]
    assert det["detour_m"].iloc[0] == pytest.approx(600.0)
    g = det.geometry.iloc[0]
    assert g.length == pytest.approx(800.0)
    # the route runs along the west bank, over B and back down the east bank
    for n in ("w0", "w1", "e1", "e0"):
        assert g.distance(Point(NODES[n])) < 1e-6
    assert g.distance(Point(NODES["w2"])) > 2000
    assert det.crs == net.edges.crs


def test_all_removals_applied_together(net):
    from gunmane_geo.options import detour_routes
    det = detour_routes(_plan({"A": ("remove", "planned"), "B": ("downsize", "planned"),
                               "C": ("keep", "kept_hub")}), net).set_index("bridge_id")
    assert sorted(det.index) == ["A", "B"]           # kept hub and kept bridges get no route
    assert det.loc["A", "detour_m"] == pytest.approx(6000.0)
    assert det.loc["B", "detour_m"] == pytest.approx(5400.0)
    assert det.geometry["A"].length == pytest.approx(6200.0)
    assert det.geometry["B"].length == pytest.approx(5600.0)
    assert det.loc["B", "plan_option"] == "downsize"


def test_no_route_and_empty_plan(net):
    from gunmane_geo.options import detour_routes
    det = detour_routes(_plan({"D": ("remove", "planned")}), net)
    assert math.isinf(det["detour_m"].iloc[0]) and det.geometry.iloc[0].is_empty
    # a removal not (yet) planned, e.g. a candidate beyond the budget, gets no route
    none = detour_routes(_plan({"A": ("remove", "candidate")}), net)
    assert len(none) == 0 and list(none.columns[:3]) == ["bridge_id", "plan_option", "detour_m"]


def test_maps_reexport_is_the_same_function():
    from gunmane_geo import maps, options
    assert maps.detour_routes is options.detour_routes
