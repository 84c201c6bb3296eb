"""OSM PBF roads on a real extract (tests/data/osm/README.md), checked against a second,
plain pyosmium pass written here independently of gunmane_geo.io.osm."""
from collections import Counter, defaultdict
from pathlib import Path

import osmium
import pytest

from gunmane_geo.io import LoadReport, load_region, read_bridges, read_roads
from gunmane_geo.io.osm import EXCLUDED_HIGHWAY

PBF = Path(__file__).resolve().parents[1] / "data" / "osm" / "kouvola_test.osm.pbf"


class _Count(osmium.SimpleHandler):
    """Plain pass: every highway way with its node ids and whether each node is located."""

    def __init__(self):
        super().__init__()
        self.ways = {}

    def way(self, w):
        if "highway" in w.tags:
            self.ways[w.id] = (dict(w.tags), [n.ref for n in w.nodes],
                               [n.location.valid() for n in w.nodes])


@pytest.fixture(scope="module")
def osm():
    h = _Count()
    h.apply_file(str(PBF), locations=True)
    report = LoadReport()
    roads, bridges = read_roads(PBF, report=report, with_bridges=True)
    return h.ways, roads, bridges, report


def test_counts_match_plain_pass(osm):
    ways, roads, bridges, report = osm
    assert len(ways) == 343                                   # osmium's own count
    excluded = {i for i, (t, _, _) in ways.items() if t["highway"] in EXCLUDED_HIGHWAY}
    unlocated = {i for i, (t, _, ok) in ways.items() if i not in excluded and sum(ok) < 2}
    assert len(excluded) == 1 and len(unlocated) == 11
    assert set(roads["osm_way_id"]) == set(ways) - excluded - unlocated
    skipped = report.skipped("roads")
    assert set(skipped["feature_id"]) == {f"w{i}" for i in excluded | unlocated}
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"], s["skipped"]) == (343, 331, 12)
    bridge_ways = {i for i, (t, _, ok) in ways.items()
                   if t.get("bridge", "no") != "no" and i in set(roads["osm_way_id"])}
    assert len(bridge_ways) == 8
    assert set(bridges["osm_way_id"]) == bridge_ways
    assert set(roads.loc[roads["is_bridge"], "osm_way_id"]) == bridge_ways
    assert (bridges["length_m"] > 0).all() and bridges.crs.to_epsg() == 4326


def test_split_only_at_shared_nodes(osm):
    ways, roads, _, _ = osm
    used = set(roads["osm_way_id"])
    # how often each node id occurs in the kept ways (a plain recount)
    occurrences = Counter(ref for i in used for ref in ways[i][1])
    for way_id, segs in roads.groupby("osm_way_id"):
        tags, refs, ok = ways[way_id]
        if not all(ok) or tags.get("oneway") == "-1":
            continue
        # the segments chain from the way's first node to its last node
        assert segs["osm_from_node"].iloc[0] == refs[0]
        assert segs["osm_to_node"].iloc[-1] == refs[-1]
        assert (segs["osm_to_node"].values[:-1] == segs["osm_from_node"].values[1:]).all()
        # one cut per interior node shared with another way (or met twice)
        cuts = sum(1 for r in refs[1:-1] if occurrences[r] > 1)
        assert len(segs) == cuts + 1, way_id
        assert sum(len(g.coords) for g in segs.geometry) == len(refs) + cuts


def test_segments_meet_only_at_their_ends(osm):
    _, roads, _, _ = osm
    where = defaultdict(list)
    for sid, geom in zip(roads["road_id"], roads.geometry):
        coords = list(geom.coords)
        for k, c in enumerate(coords):
            where[c].append(k in (0, len(coords) - 1))
    shared = [flags for flags in where.values() if len(flags) > 1]
    assert shared, "the extract has junctions"
    assert all(all(flags) for flags in shared)


def test_attributes(osm):
    ways, roads, _, _ = osm
    first = roads.groupby("osm_way_id").first()
    for way_id, row in first.iterrows():
        tags = ways[way_id][0]
        assert row["highway"] == tags["highway"]
        if tags.get("maxspeed", "").isdigit():
            assert row["speed_kmh"] == float(tags["maxspeed"])
        assert bool(row["is_bridge"]) == (tags.get("bridge", "no") != "no")
        assert bool(row["is_tunnel"]) == (tags.get("tunnel", "no") != "no")
        assert row["layer"] == int(tags.get("layer", 0))
        if tags.get("oneway") == "yes":
            assert row["oneway"]
    assert set(roads.loc[roads["highway"] == "motorway", "road_class"]) == {"national"}
    assert set(roads.loc[roads["highway"] == "residential", "road_class"]) == {"municipal"}
    assert not roads.loc[roads["highway"] == "footway", "motor_vehicle"].any()
    assert roads["road_id"].is_unique


def test_region_from_pbf_outside_japan_uses_utm():
    region = load_region({"roads": PBF})
    assert region.crs == "EPSG:32635"                         # Kouvola, 26.95 E
    assert region.roads.crs.to_epsg() == 32635
    # no inventory: the OSM bridge ways are the bridges
    assert len(region.bridges) == 8 and region.bridges.crs.to_epsg() == 32635
    assert len(read_bridges(PBF)) == 8
