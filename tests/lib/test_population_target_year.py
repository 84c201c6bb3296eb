"""Population now and in the target year through the analysis (issue 12), on a toy worked
out by hand: a town on a main road with the hospital; a valley behind bridge B1 whose 200
people halve to 100 by 2050; a growing suburb behind bridge B2, 100 people now and 300 in
2050.  Every road is municipal (30 km/h)."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.criticality import bridge_criticality, removal_scenario
from gunmane_geo.errors import InputError
from gunmane_geo.network import (attach_bridges, attach_facilities, attach_population,
                                 build_network)
from gunmane_geo.settings import Settings

CRS = "EPSG:6677"


def toy(settings=None, with_target=True):
    settings = settings or Settings()
    lines = [LineString([(0, 0), (500, 0), (1000, 0)]),            # main road, town at x=0
             LineString([(500, 0), (500, 100)]), LineString([(500, 200), (500, 1000)]),
             LineString([(1000, 0), (1000, 100)]), LineString([(1000, 200), (1000, 800)])]
    bridges = [("B1", LineString([(500, 100), (500, 200)])),        # to the valley
               ("B2", LineString([(1000, 100), (1000, 200)]))]      # to the suburb
    n, nb = len(lines), len(bridges)
    roads = gpd.GeoDataFrame({
        "road_id": [f"r{i}" for i in range(n + nb)], "road_class": ["municipal"] * (n + nb),
        "is_bridge": [False] * n + [True] * nb, "layer": [0] * n + [1] * nb,
        "bridge_id": [None] * n + [b for b, _ in bridges]},
        geometry=lines + [g for _, g in bridges], crs=CRS)
    net = build_network(roads, settings)
    binv = gpd.GeoDataFrame({"bridge_id": [b for b, _ in bridges]},
                            geometry=[g.interpolate(0.5, normalized=True) for _, g in bridges],
                            crs=CRS)
    net, _ = attach_bridges(net, binv)
    data = {"population": [1000.0, 200.0, 100.0]}
    if with_target:
        data["population_2050"] = [1000.0, 100.0, 300.0]
    pop = gpd.GeoDataFrame(data, geometry=[Point(0, 0), Point(500, 1000), Point(1000, 800)],
                           crs=CRS)
    net = attach_population(net, pop, settings)
    return attach_facilities(net, gpd.GeoDataFrame(
        {"facility_id": ["h"], "name": ["町立病院"], "facility_type": ["hospital"]},
        geometry=[Point(0, 0)], crs=CRS), settings)


def by_id(table):
    return table.set_index("bridge_id")


def test_nodes_carry_both_years():
    net = toy()
    assert net.nodes["population"].sum() == pytest.approx(1300.0)
    assert net.nodes["population_2050"].sum() == pytest.approx(1400.0)
    valley = int(net.nodes.geometry.distance(Point(500, 1000)).idxmin())
    assert net.nodes.at[valley, "population"] == 200.0
    assert net.nodes.at[valley, "population_2050"] == 100.0


def test_single_bridges_isolate_now_and_in_2050():
    c = by_id(bridge_criticality(toy()))
    assert c.loc["B1", "isolated_population"] == 200.0
    assert c.loc["B1", "isolated_population_2050"] == 100.0       # the valley empties
    assert c.loc["B2", "isolated_population"] == 100.0
    assert c.loc["B2", "isolated_population_2050"] == 300.0       # the suburb grows
    cols = list(c.reset_index().columns)
    assert cols.index("isolated_population_2050") == cols.index("isolated_population") + 1
    # the rank stays by the population now
    assert c.loc["B1", "criticality_rank"] == 1 and c.loc["B2", "criticality_rank"] == 2


def test_no_target_column_without_a_future_mesh():
    c = bridge_criticality(toy(with_target=False))
    assert not any(col.startswith("isolated_population_") for col in c.columns)


@pytest.mark.parametrize("basis, persons, label", [("now", 200.0, "now"),
                                                   ("target", 100.0, "2050")])
def test_scenario_trips_weighted_by_the_chosen_year(basis, persons, label):
    s = Settings.from_dict({"criticality": {"population_basis": basis}})
    r = removal_scenario(toy(s), ["B1"], settings=s)
    assert r.summary["isolated_population"] == 200.0
    assert r.summary["isolated_population_2050"] == 100.0
    assert r.summary["population_basis"] == label
    t = r.trips
    assert len(t) == 1 and bool(t["cut_off"].iloc[0])            # valley -> hospital cut
    assert t["population"].iloc[0] == persons
    assert r.summary["population_with_longer_trips"] == persons


def test_both_bridges_removed_together():
    r = removal_scenario(toy(), ["B1", "B2"])
    assert r.summary["isolated_population"] == 300.0               # 200 + 100
    assert r.summary["isolated_population_2050"] == 400.0          # 100 + 300


def test_target_basis_without_a_future_mesh_says_how_to_fix():
    s = Settings.from_dict({"criticality": {"population_basis": "target"}})
    with pytest.raises(InputError, match="population_basis.*future-population mesh"):
        removal_scenario(toy(s, with_target=False), ["B1"], settings=s)


def test_unknown_basis_is_refused():
    with pytest.raises(ValueError, match="population_basis"):
        Settings.from_dict({"criticality": {"population_basis": "2050"}})


def test_partitioned_run_gives_the_same_columns():
    pytest.importorskip("distributed")
    from gunmane_geo.criticality.partition import (close_client, open_client,
                                                   partitioned_criticality)
    net = toy()
    plain = by_id(bridge_criticality(net))
    client = open_client(workers=1)
    try:
        parted = by_id(partitioned_criticality(net, client=client))
    finally:
        close_client(client)
    for col in ("isolated_population", "isolated_population_2050"):
        assert parted[col].tolist() == plain[col].tolist()


def test_report_says_which_population_counted_the_people():
    from gunmane_geo.report.summary import summary_lines_of
    base = {"horizon": 50, "plan_n": 2, "plan_by_method": {"consolidate": 0, "remove": 2,
            "remove_upgrade_detour": 0, "downsize": 0}, "plan_avoided": 1e8, "plan_share": 0.1,
            "plan_reached": True, "people": 100.0}
    ja = dict(summary_lines_of({**base, "people_basis": "2050"}, "ja"))["集約・撤去計画（案）"]
    assert "移動が長くなる人 100人（2050年の推計人口）" in ja
    en = dict(summary_lines_of({**base, "people_basis": "now"}, "en"))["Plan (proposal)"]
    assert "100 people have a longer trip to their nearest facility (population now)" in en
