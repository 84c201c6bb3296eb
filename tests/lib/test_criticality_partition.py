"""Partitioned criticality on Dask (a LocalCluster of 2 workers): bridge for bridge the same
as the single-process run, including a detour that leaves a small halo, an isolation that a
halo alone would fake, and a true cut-off with its population; checkpoints of finished parts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.criticality import bridge_criticality
from gunmane_geo.errors import InputError
from gunmane_geo.network import (attach_bridges, attach_facilities, attach_population,
                                 build_network)
from gunmane_geo.settings import Settings

distributed = pytest.importorskip("distributed", reason="pip install 'gunmane-geo[dask]'")
from gunmane_geo.criticality.partition import partitioned_criticality  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CRS = "EPSG:6677"
SMALL_HALO = Settings.from_dict({"criticality": {"partition_halo_m": 1000.0,
                                                 "partition_cell_m": 5000.0}})


@pytest.fixture(scope="module")
def client():
    import os
    from gunmane_geo.criticality.partition import close_client, open_client
    before = dict(os.environ)
    c = open_client(workers=2)
    assert dict(os.environ) == before          # distributed's worker settings do not leak
    yield c
    close_client(c)


def rectangle_network():
    """Two roads 20 km long, 100 m apart, joined only at their far ends (x = 0, 20 km) and by
    a rung at x = 10 km that carries bridge MID (30 m, in the middle of the rung); a valley
    behind bridge V hangs off (0, 0) with 50 people at its end.

    Known answers: MID's link is the rung (100 m, junctions (10000, 0) and (10000, 100));
    its alternative route is 10,000 + 100 + 10,000 = 20,100 m (detour 20,000 m): far outside
    a 1 km halo, and inside that halo MID would look like a cut.  V cuts off the valley
    (2 nodes beyond the bridge, 50 people).
    """
    lines = [LineString([(0, 0), (10000, 0)]), LineString([(10000, 0), (20000, 0)]),
             LineString([(0, 100), (10000, 100)]), LineString([(10000, 100), (20000, 100)]),
             LineString([(0, 0), (0, 100)]), LineString([(20000, 0), (20000, 100)]),
             LineString([(10000, 0), (10000, 35)]), LineString([(10000, 65), (10000, 100)]),
             LineString([(0, 0), (-300, 0)]), LineString([(-330, 0), (-600, 0)])]
    bridges = [("MID", LineString([(10000, 35), (10000, 65)])),
               ("V", LineString([(-300, 0), (-330, 0)]))]
    geoms = lines + [g for _, g in bridges]
    n, nb = len(lines), len(bridges)
    roads = gpd.GeoDataFrame({
        "road_id": [f"r{i}" for i in range(n + nb)], "road_class": ["municipal"] * (n + nb),
        "is_bridge": [False] * n + [True] * nb, "layer": [0] * n + [1] * nb,
        "bridge_id": [None] * n + [b for b, _ in bridges]}, geometry=geoms, crs=CRS)
    net = build_network(roads, SMALL_HALO)
    binv = gpd.GeoDataFrame({"bridge_id": [b for b, _ in bridges], "aadt": [1000.0, 200.0]},
                            geometry=[g.interpolate(0.5, normalized=True) for _, g in bridges],
                            crs=CRS)
    net, _ = attach_bridges(net, binv)
    pop = gpd.GeoDataFrame({"population": [50.0, 100.0, 10.0]},
                           geometry=[Point(-600, 0), Point(20000, 100), Point(5000, 0)], crs=CRS)
    return attach_population(net, pop)


@pytest.fixture(scope="module")
def synthetic():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _synthetic import synthetic_region
    finally:
        sys.path.pop(0)
    r = synthetic_region(3200, 60, seed=3)
    net = build_network(r["roads"])
    net, _ = attach_bridges(net, r["bridges"])
    net = attach_population(net, r["population"])
    return attach_facilities(net, r["facilities"])


def assert_same(single, parted):
    a = pd.DataFrame(single.drop(columns="geometry")).set_index("bridge_id").sort_index()
    b = pd.DataFrame(parted.drop(columns="geometry")).set_index("bridge_id").sort_index()
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=1e-9)


def test_detour_beyond_the_halo_is_recomputed_not_cut(client):
    net = rectangle_network()
    single = bridge_criticality(net, settings=SMALL_HALO)
    parted = partitioned_criticality(net, settings=SMALL_HALO, client=client)
    assert_same(single, parted)
    t = parted.set_index("bridge_id")
    # independent answers (hand-computed, see rectangle_network)
    assert t.at["MID", "link_length_m"] == pytest.approx(100.0)
    assert t.at["MID", "alt_route_m"] == pytest.approx(20100.0)
    assert t.at["MID", "detour_m"] == pytest.approx(20000.0)
    assert not t.at["MID", "isolates"]                  # the halo alone would call it a cut
    assert t.at["V", "isolates"]
    assert t.at["V", "isolated_nodes"] == 2 and t.at["V", "isolated_population"] == 50.0
    st = pd.DataFrame(parted.attrs["partition"])
    mid = st[(st["mode"] == "motor") & (st["weight"] == "length_m")]
    assert mid["recomputed"].sum() >= 1                 # MID's route left its part


def test_synthetic_region_same_bridge_for_bridge(client, synthetic):
    s = Settings.from_dict({"criticality": {"partition_halo_m": 300.0,
                                            "partition_cell_m": 1000.0}})
    single = bridge_criticality(synthetic, settings=s)
    parted = partitioned_criticality(synthetic, settings=s, client=client)
    assert_same(single, parted)
    assert single["isolates"].fillna(False).astype(bool).sum() >= 2
    st = pd.DataFrame(parted.attrs["partition"])
    assert st["part"].nunique() >= 4
    assert 0 < st["recomputed"].sum() < st["bridges"].sum()   # some certified, some not
    # a wide halo certifies every length route inside its part
    wide = Settings.from_dict({"criticality": {"partition_halo_m": 20000.0,
                                               "partition_cell_m": 1000.0}})
    parted = partitioned_criticality(synthetic, settings=wide, client=client,
                                     weights=("length_m",))
    st = pd.DataFrame(parted.attrs["partition"])
    assert st["recomputed"].sum() == 0
    assert_same(bridge_criticality(synthetic, settings=wide, weights=("length_m",)), parted)


def test_finished_parts_are_reused_and_broken_ones_recomputed(client, synthetic, tmp_path):
    s = Settings.from_dict({"criticality": {"partition_halo_m": 500.0,
                                            "partition_cell_m": 1000.0}})
    ck = tmp_path / "parts"
    first = partitioned_criticality(synthetic, settings=s, client=client, checkpoint_dir=ck,
                                    weights=("length_m",))
    files = sorted(ck.glob("*.npz"))
    assert len(files) >= 4 and not list(ck.glob(".*.tmp"))
    files[0].write_bytes(files[0].read_bytes()[:40])       # a part cut short
    again = partitioned_criticality(synthetic, settings=s, client=client, checkpoint_dir=ck,
                                    weights=("length_m",))
    st = pd.DataFrame(again.attrs["partition"])
    assert st["reused"].sum() == len(st) - 1             # all but the broken one
    assert_same(first, again)


def test_prefecture_partition_needs_boundaries(synthetic):
    with pytest.raises(InputError, match="municipalities"):
        partitioned_criticality(synthetic, partition="prefecture", client=object())


def test_cli_partition_grid_matches_plain_run(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _synthetic import synthetic_region
    finally:
        sys.path.pop(0)
    r = synthetic_region(3200, 60, seed=5)
    roads, bridges = tmp_path / "roads.gpkg", tmp_path / "bridges.gpkg"
    r["roads"].to_file(roads)
    r["bridges"].to_file(bridges)
    toml = tmp_path / "run.toml"
    toml.write_text("[criticality]\npartition_halo_m = 400.0\npartition_cell_m = 1500.0\n")
    outs = []
    for extra in ([], ["--partition", "grid", "--workers", "2"]):
        out = tmp_path / f"out{len(outs)}.gpkg"
        res = subprocess.run([sys.executable, "-m", "gunmane_geo.cli", "criticality",
                              "--roads", str(roads), "--bridges", str(bridges),
                              "--config", str(toml), "--out", str(out), *extra],
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        outs.append(out)
    assert "partition grid:" in res.stderr and "parts" in res.stderr
    assert not Path(str(outs[1]) + ".parts").exists()     # removed once the layer is written
    a, b = (gpd.read_file(o, layer="bridge_criticality") for o in outs)
    assert_same(a, b)


def test_without_dask_partition_says_how_to_install(tmp_path):
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from gunmane_geo.cli import main\n"
            "sys.exit(main(['criticality', '--roads', 'x.gpkg', '--out', 'o.gpkg', "
            "'--partition', 'grid']))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert res.returncode != 0
    assert "pip install 'gunmane-geo[dask]'" in res.stderr


def test_existing_scheduler_is_used(client, synthetic):
    s = Settings.from_dict({"criticality": {"partition_halo_m": 500.0,
                                            "partition_cell_m": 2000.0}})
    parted = partitioned_criticality(synthetic, settings=s, weights=("length_m",),
                                     scheduler=client.scheduler.address)
    assert_same(bridge_criticality(synthetic, settings=s, weights=("length_m",)), parted)
    assert client.status == "running"          # an existing cluster is left running


def test_unreachable_scheduler_names_the_fix():
    from gunmane_geo.criticality.partition import open_client
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        open_client(scheduler="tcp://127.0.0.1:9", connect_timeout_s=2)


def test_prefecture_partition_same_bridge_for_bridge(client, synthetic):
    """Two made-up prefectures (codes 08xxx west, 09xxx east, two municipalities each)."""
    from shapely.geometry import box
    x0, y0, x1, y1 = synthetic.nodes.total_bounds
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    munis = gpd.GeoDataFrame(
        {"municipality_code": ["08201", "08202", "09201", "09202"],
         "municipality_name": ["西市", "西町", "東市", "東町"]},
        geometry=[box(x0 - 10, y0 - 10, xm, ym), box(x0 - 10, ym, xm, y1 + 10),
                  box(xm, y0 - 10, x1 - 500, ym), box(xm, ym, x1 - 500, y1 + 10)],
        crs=CRS)                       # the east edge (valleys, islands) lies outside: nearest
    s = Settings.from_dict({"criticality": {"partition_halo_m": 400.0}})
    parted = partitioned_criticality(synthetic, partition="prefecture", municipalities=munis,
                                     settings=s, client=client)
    assert_same(bridge_criticality(synthetic, settings=s), parted)
    st = pd.DataFrame(parted.attrs["partition"])
    assert set(st["part"]) == {"p08", "p09"}
