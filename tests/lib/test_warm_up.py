"""``python -m gunmane_geo.warm_up`` (run by ``make env``) compiles the route searches on a
small grid, so that the first real ``gunmane criticality`` does not pay for compiling them.

The grid's answers were worked out by hand: the valley bridge at (0, 400) is the only way
to (0, 500), so it cuts it off for cars and walkers; the river bridge's road link runs
(300, 0) - (500, 0) - (500, 300) - (300, 300), 200 + 300 + 200 = 700 m, and the grid
street x = 300 joins its ends in 300 m, so it cuts nothing off and costs no detour; the
footbridge on the dead-end footway is for walkers only and cuts its end off on foot.
"""
from __future__ import annotations

import pytest

from gunmane_geo.network import kernels
from gunmane_geo.warm_up import warm_up


def test_warm_up_compiles_the_searches_on_a_grid_worked_by_hand():
    tables = warm_up()
    assert len(tables) == 2                  # without and with one-way streets
    for table in tables:
        t = table.set_index("bridge_id")
        assert t.matched.all()
        assert bool(t.at["valley", "isolates"]) and bool(t.at["valley", "isolates_on_foot"])
        assert not bool(t.at["river", "isolates"])
        assert t.at["river", "link_length_m"] == pytest.approx(700.0)
        assert t.at["river", "detour_m"] == pytest.approx(0.0)
        assert bool(t.at["footbridge", "pedestrian_only"])
        assert bool(t.at["footbridge", "isolates_on_foot"])
    if kernels.HAVE_NUMBA:
        for kernel in (kernels.batch_avoiding, kernels.tarjan_bridges, kernels.road_links):
            assert kernel.signatures, kernel
