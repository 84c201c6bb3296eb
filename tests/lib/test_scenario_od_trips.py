"""removal_scenario with explicit od_pairs: longer and cut-off trips, measured by hand on the
ladder of test_criticality_engine (two rails 100 m apart, rungs R1 at y=0 and R2 at y=1000)."""
import math

import pandas as pd
import pytest
from shapely.geometry import Point

from gunmane_geo.criticality import removal_scenario
from test_criticality_engine import ladder


def _od(net, origin_xy, destination_xy):
    node = lambda xy: int(net.nodes.geometry.distance(Point(xy)).idxmin())  # noqa: E731
    return pd.DataFrame({"origin_node": [node(origin_xy)],
                         "destination_node": [node(destination_xy)]})


def test_od_trip_longer_without_r2():
    net = ladder()
    od = _od(net, (100, 1500), (0, 1500))      # right settlement -> hospital
    t = removal_scenario(net, ["R2"], od_pairs=od).trips.iloc[0]
    assert t.origin_node == od.origin_node[0] and t.destination_node == od.destination_node[0]
    assert t.population == 30.0 and not t.cut_off
    assert t.before_m == pytest.approx(1100.0)     # 500 + 100 (R2) + 500
    assert t.after_m == pytest.approx(3100.0)      # 1500 + 100 (R1) + 1500
    assert t.extra_m == pytest.approx(2000.0)
    assert t.geometry.length == pytest.approx(3100.0)
    assert t.geometry.coords[0] == (100.0, 1500.0) and t.geometry.coords[-1] == (0.0, 1500.0)


def test_od_trip_cut_off_without_both_rungs():
    net = ladder()
    od = _od(net, (100, 1500), (0, 1500))
    trips = removal_scenario(net, ["R1", "R2"], od_pairs=od, geometry=False).trips
    assert len(trips) == 1
    t = trips.iloc[0]
    assert t.cut_off and t.before_m == pytest.approx(1100.0)
    assert math.isnan(t.after_m) and math.isnan(t.extra_m) and t.geometry is None
