"""Self-checks of the committed synthetic sample region (sample_layers/).

These read the committed files and check them against independent, plain
computations (shapely/networkx on the raw geometries), not against numbers the
generator printed.  The last test re-runs the generator into a temporary folder
and checks that it is deterministic.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from gunmane_geo import schema

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_layers"
CRS = "EPSG:6673"
ISLAND = "99441"


def _read(name):
    return gpd.read_file(SAMPLE / f"{name}.gpkg")


@pytest.fixture(scope="module")
def layers():
    return {k: _read(k) for k in ("municipalities", "roads", "bridges", "rivers", "railways",
                                  "facilities", "other_assets")}


def _node(xy):
    return (round(xy[0], 3), round(xy[1], 3))


@pytest.fixture(scope="module")
def graph(layers):
    g = nx.Graph()
    for rid, geom in zip(layers["roads"]["road_id"], layers["roads"].geometry):
        c = geom.coords
        g.add_edge(_node(c[0]), _node(c[-1]), road_id=rid)
    return g


# ---------------------------------------------------------------- files, CRS
def test_layers_are_in_zone_v(layers):
    for name, gdf in layers.items():
        assert gdf.crs is not None and gdf.crs.to_epsg() == 6673, name
    # plausible lon/lat: Seto Inland Sea coast
    lonlat = layers["municipalities"].to_crs(4326).total_bounds
    assert 133.4 < lonlat[0] < lonlat[2] < 134.4
    assert 34.3 < lonlat[1] < lonlat[3] < 35.0


#: optional fields that real-data layouts fill (issue 12: the inspection database, KSJ N10 and
#: P04/P29) and that the sample region does not carry until sample_layers/ is regenerated
REAL_DATA_FIELDS = {"manager_name", "manager_code", "structure_kind", "footbridge",
                    "measure_status", "emergency_tier", "emergency_route", "facility_subtype"}


def test_canonical_fields_present(layers):
    for kind in ("roads", "bridges", "municipalities", "facilities", "other_assets"):
        # motor_vehicle / walkable are optional permissions (default: allowed)
        missing = set(schema.FIELDS[kind]) - set(layers[kind].columns) - {"motor_vehicle",
                                                                           "walkable"}
        missing -= REAL_DATA_FIELDS - {"emergency_route"} if kind == "bridges" else \
            REAL_DATA_FIELDS
        assert not missing, (kind, missing)
    assert set(schema.FIELDS["rivers"]) <= set(layers["rivers"].columns)
    assert set(schema.FIELDS["railways"]) <= set(layers["railways"].columns)


def test_counts_in_range(layers):
    assert 5000 <= len(layers["roads"]) <= 20000
    assert 1000 <= len(layers["bridges"]) <= 3000
    assert 8 <= len(layers["municipalities"]) <= 10
    assert layers["roads"]["road_id"].is_unique
    assert layers["bridges"]["bridge_id"].is_unique
    assert set(layers["roads"]["road_class"]) == {"national", "prefectural", "municipal"}
    assert layers["roads"]["is_tunnel"].sum() >= 2
    assert layers["roads"]["speed_kmh"].isna().any() and layers["roads"]["speed_kmh"].notna().mean() > 0.7
    assert 0 < layers["roads"]["oneway"].sum() < 0.05 * len(layers["roads"])


def test_municipalities(layers):
    m = layers["municipalities"]
    assert m["municipality_code"].str.fullmatch(r"99\d{3}").all()
    assert (m["prefecture_name"] == "架空県").all()
    assert set(m["kind"]) == {"city", "town", "village"}
    assert m.geometry.is_valid.all()
    # contiguous mainland: every mainland municipality touches another within 10 m
    main = m[m.municipality_code != ISLAND]
    for code, geom in zip(main.municipality_code, main.geometry):
        others = main[main.municipality_code != code].geometry
        assert (others.distance(geom) < 10).any(), code
    # the island town is not connected by land
    island = m.loc[m.municipality_code == ISLAND].geometry.iloc[0]
    assert main.distance(island).min() > 300


def test_n03_copy():
    n03 = gpd.read_file(SAMPLE / "municipalities_n03.geojson")
    assert n03.crs.to_epsg() == 6668
    assert {"N03_001", "N03_004", "N03_007"} <= set(n03.columns)
    assert (n03["N03_001"] == "架空県").all()
    assert (n03["N03_007"] == ISLAND).sum() >= 2, "the island town must be several rows (polygons)"
    assert n03.geometry.geom_type.eq("Polygon").all()
    m = _read("municipalities")
    assert set(n03["N03_007"]) == set(m["municipality_code"])
    area_n03 = n03.to_crs(CRS).dissolve("N03_007").area.sort_index()
    area_m = m.set_index("municipality_code").area.sort_index()
    assert np.allclose(area_n03.values, area_m.values, rtol=1e-4)


# ----------------------------------------------------------- bridges and roads
def test_every_bridge_point_lies_on_its_bridge_segment(layers):
    roads, bridges = layers["roads"], layers["bridges"]
    seg = roads[roads.is_bridge].set_index("bridge_id")
    assert seg.index.is_unique
    assert set(seg.index) == set(bridges.bridge_id)
    assert roads.loc[~roads.is_bridge, "bridge_id"].isna().all()
    geoms = seg.loc[bridges.bridge_id].geometry.values
    d = shapely.distance(bridges.geometry.values, geoms)
    assert d.max() < 0.01
    # the point is the middle of the segment
    mid = shapely.line_interpolate_point(geoms, 0.5, normalized=True)
    assert shapely.distance(mid, bridges.geometry.values).max() < 0.01
    # length consistent with the segment; deck area = length * width
    assert np.allclose(bridges.length_m, shapely.length(geoms), atol=0.06)
    assert np.allclose(bridges.deck_area_m2, bridges.length_m * bridges.width_m, atol=0.1)
    assert (seg.layer == 1).all()


def test_every_river_crossing_is_a_bridge(layers):
    roads, rivers = layers["roads"], layers["rivers"]
    tree = shapely.STRtree(rivers.geometry.values)
    plain = roads[~roads.is_bridge & ~roads.is_tunnel]
    ri, _ = tree.query(plain.geometry.values, predicate="intersects")
    assert len(ri) == 0, f"{len(ri)} road segments cross a river without a bridge: {plain.road_id.values[ri][:5]}"
    # and every river bridge does cross a river
    rb = layers["bridges"][layers["bridges"].crossing == "river"]
    seg = roads[roads.is_bridge].set_index("bridge_id").loc[rb.bridge_id].geometry.values
    hit = tree.query(seg, predicate="intersects")[0]
    assert set(hit) == set(range(len(seg)))


def test_crossings_are_noded_or_grade_separated(layers):
    """Two road segments meet only at shared end points, unless one is a bridge or tunnel."""
    roads = layers["roads"]
    geoms = roads.geometry.values
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    sep = (roads.is_bridge.values | roads.is_tunnel.values)
    bad = []
    for i, j in zip(a, b):
        if sep[i] or sep[j]:
            continue
        ends_i = {_node(geoms[i].coords[0]), _node(geoms[i].coords[-1])}
        ends_j = {_node(geoms[j].coords[0]), _node(geoms[j].coords[-1])}
        inter = geoms[i].intersection(geoms[j])
        pts = {_node(p.coords[0]) for p in getattr(inter, "geoms", [inter])}
        if not pts <= (ends_i & ends_j):
            bad.append((roads.road_id.iloc[i], roads.road_id.iloc[j]))
    assert not bad, bad[:5]


def test_overpasses_have_no_junction_with_the_road_below(layers):
    roads, bridges = layers["roads"], layers["bridges"]
    over = bridges[bridges.crossing == "road"]
    assert len(over) >= 5
    seg = roads[roads.is_bridge].set_index("bridge_id").loc[over.bridge_id]
    lower = roads[~roads.is_bridge]
    tree = shapely.STRtree(lower.geometry.values)
    for bid, geom in zip(seg.index, seg.geometry):
        hits = tree.query(geom, predicate="crosses")
        assert len(hits) >= 1, bid
        ends = {_node(geom.coords[0]), _node(geom.coords[-1])}
        for h in hits:
            g = lower.geometry.values[h]
            assert not ends & {_node(g.coords[0]), _node(g.coords[-1])}, bid
    rail = layers["railways"].geometry.iloc[0]
    rail_br = bridges[bridges.crossing == "railway"]
    assert len(rail_br) >= 3
    rseg = roads[roads.is_bridge].set_index("bridge_id").loc[rail_br.bridge_id].geometry
    assert rseg.intersects(rail).all()


def test_roads_are_on_land_except_the_island_bridge(layers):
    land = layers["municipalities"].union_all().buffer(5)
    roads = layers["roads"]
    off = roads[~roads.geometry.within(land)]
    assert len(off) == 1
    assert bool(off.is_bridge.iloc[0])
    b = layers["bridges"].set_index("bridge_id").loc[off.bridge_id.iloc[0]]
    assert b.crossing == "sea" and b.municipality_code == ISLAND and bool(b.emergency_route)


def test_island_is_connected_by_exactly_one_bridge(layers, graph):
    roads = layers["roads"]
    assert nx.is_connected(graph)
    island = layers["municipalities"].set_index("municipality_code").geometry[ISLAND]
    on_island = {n for n in graph.nodes if island.contains(shapely.Point(n))}
    assert len(on_island) > 20
    # edges leaving the island's node set
    cut = [d["road_id"] for u, v, d in graph.edges(data=True) if (u in on_island) != (v in on_island)]
    assert len(cut) == 1
    seg = roads.set_index("road_id").loc[cut[0]]
    assert bool(seg.is_bridge)


def test_dead_end_valley_school_is_cut_off_by_one_bridge(layers, graph):
    fac = layers["facilities"]
    roads = layers["roads"]
    school = fac[fac.name.str.contains("深沢")].geometry.iloc[0]
    office = fac[(fac.facility_type == "office") & (fac.municipality_code == "99201")].geometry.iloc[0]

    def nearest_node(pt):
        i = roads.sindex.nearest(pt)[1][0]
        return _node(roads.geometry.iloc[i].coords[0])

    s, o = nearest_node(school), nearest_node(office)
    by_id = roads.set_index("road_id")
    # an edge on the school-office path that is a graph bridge separates the two
    path = nx.shortest_path(graph, s, o)
    on_path = {frozenset(e) for e in zip(path[:-1], path[1:])}
    isolating = [graph.edges[u, v]["road_id"] for u, v in nx.bridges(graph)
                 if frozenset((u, v)) in on_path and bool(by_id.at[graph.edges[u, v]["road_id"], "is_bridge"])]
    assert isolating, "the valley school must depend on a river bridge"
    crossing = layers["bridges"].set_index("bridge_id").loc[by_id.loc[isolating, "bridge_id"], "crossing"]
    assert (crossing == "river").all()


def test_bridge_attributes(layers):
    b = layers["bridges"]
    assert b.built_year.between(1930, 2022).all()
    assert 1962 <= b.built_year.median() <= 1978
    assert set(b.rating) <= {1, 2, 3, 4} and (b.rating == 4).sum() >= 3 and (b.rating == 1).sum() >= 10
    # rating correlates with age
    assert b.groupby("rating").built_year.mean().is_monotonic_decreasing
    assert b.last_inspection_year.between(2019, 2024).all()
    overdue = (b.last_inspection_year < 2021).sum()
    assert 0 < overdue < 0.1 * len(b)
    assert set(b.manager) == {"prefecture", "municipality"}
    assert (b.loc[b.road_class != "municipal", "manager"] == "prefecture").all()
    assert (b.loc[b.road_class == "municipal", "manager"] == "municipality").all()
    assert b.emergency_route.any() and b.bus_route.any() and b.school_route.any()
    assert (b.loc[b.road_class == "national", "emergency_route"]).all()
    assert b.name.str.endswith("橋").all()
    assert (b.groupby("road_class").aadt.median().loc[["national", "prefectural", "municipal"]]
            .is_monotonic_decreasing)
    assert set(b.municipality_code) <= set(layers["municipalities"].municipality_code)


def test_cp932_inventory_matches_bridges(layers):
    raw = (SAMPLE / "bridges_inventory_cp932.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp932")
    rows = list(csv.DictReader(io.StringIO(text)))
    cols = ["橋梁ID", "橋梁名", "管理者", "市区町村コード", "道路種別", "路線名", "架設年度", "橋長(m)", "幅員(m)",
            "判定区分", "点検年度", "交通量(台/日)", "緊急輸送道路", "バス路線", "通学路", "緯度", "経度"]
    assert list(rows[0].keys()) == cols
    b = layers["bridges"].set_index("bridge_id")
    assert sorted(r["橋梁ID"] for r in rows) == sorted(b.index)
    years = [r["架設年度"] for r in rows]
    assert any(y.startswith("昭和") for y in years) and any(y[:1] in "SH" for y in years)
    assert sum(y.isdigit() for y in years) > len(years) / 2
    ratings = {r["判定区分"] for r in rows}
    assert {"I", "II", "III"} <= ratings and ratings & {"1", "2", "3", "4"}
    # lat/lon give back the bridge points (independent re-projection)
    tr = Transformer.from_crs(6668, 6673, always_xy=True)
    x, y = tr.transform([float(r["経度"]) for r in rows], [float(r["緯度"]) for r in rows])
    ids = [r["橋梁ID"] for r in rows]
    d = np.hypot(np.array(x) - b.loc[ids].geometry.x.values, np.array(y) - b.loc[ids].geometry.y.values)
    assert d.max() < 0.05
    assert all(len(r["緯度"].split(".")[1]) >= 6 for r in rows)
    # lengths agree with the GeoPackage
    assert np.allclose([float(r["橋長(m)"]) for r in rows], b.loc[ids].length_m.values, atol=0.051)


def _wareki_to_year(s):
    eras = {"昭和": 1925, "S": 1925, "平成": 1988, "H": 1988, "令和": 2018, "R": 2018, "大正": 1911, "T": 1911}
    if s.isdigit():
        return int(s)
    for k, base in eras.items():
        if s.startswith(k):
            n = s[len(k):].rstrip("年")
            return base + (1 if n == "元" else int(n))
    raise ValueError(s)


def test_cp932_years_convert_back(layers):
    df = pd.read_csv(SAMPLE / "bridges_inventory_cp932.csv", encoding="cp932", dtype=str)
    b = layers["bridges"].set_index("bridge_id").loc[df["橋梁ID"]]
    assert [_wareki_to_year(s) for s in df["架設年度"]] == b.built_year.tolist()
    assert [_wareki_to_year(s) for s in df["点検年度"]] == b.last_inspection_year.tolist()


# ----------------------------------------------------------------- the rest
def test_population_raster():
    import rasterio
    with rasterio.open(SAMPLE / "population_250m.tif") as ds:
        assert ds.crs.to_epsg() == 6673
        assert ds.res == (250.0, 250.0)
        assert ds.nodata is not None
        assert ds.dtypes[0] == "float32"
        arr = ds.read(1, masked=True)
        transform = ds.transform
    total = float(arr.sum())
    assert 100_000 <= total <= 200_000
    assert arr.mask.any() and (arr.compressed() >= 0).all()
    m = _read("municipalities")
    from rasterio.features import geometry_mask
    land = ~geometry_mask(m.geometry, out_shape=arr.shape, transform=transform, all_touched=True)
    assert float(arr[~land].sum()) == 0.0
    # the city is dense, the villages are not
    city = ~geometry_mask(m[m.municipality_code == "99201"].geometry, out_shape=arr.shape, transform=transform)
    vill = ~geometry_mask(m[m.municipality_code == "99362"].geometry, out_shape=arr.shape, transform=transform)
    assert arr[city].max() > 400 and arr[vill].sum() < 2000


def test_facilities_staff_assets(layers):
    f = layers["facilities"]
    m = layers["municipalities"]
    offices = f[f.facility_type == "office"]
    assert sorted(offices.municipality_code) == sorted(m.municipality_code)
    assert set(f.facility_type) == {"hospital", "school", "office", "fire_station"}
    assert f.facility_id.is_unique
    # near roads (within 60 m)
    d = f.geometry.apply(lambda p: layers["roads"].distance(p).min())
    assert d.max() < 60
    staff = pd.read_csv(SAMPLE / "staff.csv", dtype={"municipality_code": str}, encoding="utf-8")
    assert sorted(staff.municipality_code) == sorted(m.municipality_code)
    assert staff.technical_staff.between(0, 20).all()
    assert staff.loc[staff.municipality_name.str.endswith("村"), "technical_staff"].min() <= 1
    a = layers["other_assets"]
    assert set(a.sector) == {"park", "river", "sewer", "tunnel"}
    assert a.asset_id.is_unique and a.inspection_hours.gt(0).all()


def test_run_toml_names_existing_files():
    import tomllib
    cfg = tomllib.loads((SAMPLE / "run.toml").read_text(encoding="utf-8"))
    need = {"municipalities", "roads", "bridges", "rivers", "railways", "facilities", "population", "staff",
            "other_assets", "emergency_routes"}
    assert set(cfg["inputs"]) == need
    for key, rel in cfg["inputs"].items():
        for one in (rel if isinstance(rel, list) else [rel]):
            assert (SAMPLE / one).is_file(), key


@pytest.mark.slow
def test_generator_is_deterministic(tmp_path, layers):
    res = subprocess.run([sys.executable, str(SAMPLE / "make_sample.py"), "--out", str(tmp_path), "--no-plot"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    for name in ("roads", "bridges", "municipalities", "rivers", "facilities", "other_assets", "railways"):
        new = gpd.read_file(tmp_path / f"{name}.gpkg")
        old = layers[name]
        assert len(new) == len(old), name
        pd.testing.assert_frame_equal(pd.DataFrame(new.drop(columns="geometry")),
                                      pd.DataFrame(old.drop(columns="geometry")), check_like=False)
        assert shapely.equals_exact(new.geometry.values, old.geometry.values, tolerance=1e-6).all(), name
    for name in ("bridges_inventory_cp932.csv", "staff.csv", "run.toml", "run_canonical.toml", "population_250m.tif",
                 "municipalities_n03.geojson"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_parallel_crossings_of_the_main_river(layers, graph):
    """Redundant bridges: pairs of 湊川 bridges a few hundred metres apart, neither isolating."""
    b = layers["bridges"]
    main = b[(b.crossed_name == "湊川") & (b.road_class == "municipal")]
    xy = np.column_stack([main.geometry.x, main.geometry.y])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    close = [(i, j) for i in range(len(xy)) for j in range(i + 1, len(xy)) if 250 < d[i, j] < 700]
    assert len(close) >= 3
    graph_bridges = {graph.edges[e]["road_id"] for e in nx.bridges(graph)}
    seg_of = layers["roads"][layers["roads"].is_bridge].set_index("bridge_id").road_id
    assert not any(seg_of[main.bridge_id.iloc[i]] in graph_bridges for i, _ in close)


# ------------------------------------------------- situations for the plan's methods
# (make_sample.SITUATIONS, README "Situations for the plan's methods"): the bridges and
# their fixed attributes as specified there, and what the demo's 5 % plan makes of them
SITUATION_BRIDGES = {   # bridge_id: (name, width_m, built_year, rating, aadt, school_route)
    "B99201-0263": ("旧湊橋", 4.0, 1956, 3, 150.0, False),
    "B99201-0262": ("新湊橋", 9.5, 2008, 1, 2500.0, False),
    "B99342-0119": ("学園橋", 4.0, 1958, 3, 40.0, True),
    "B99201-0261": ("大渡橋", 7.5, 1955, 4, 120.0, False),
    "B99201-0260": ("新渡橋", 8.5, 2012, 1, 300.0, False),
}


def test_situation_bridges_cross_the_main_river(layers):
    b = layers["bridges"].set_index("bridge_id")
    for bid, (name, width, built, rating, aadt, school) in SITUATION_BRIDGES.items():
        r = b.loc[bid]
        assert (r["name"], r["width_m"], r["built_year"], r["rating"], r["aadt"], bool(r["school_route"])) \
            == (name, width, built, rating, aadt, school), bid
        assert r["crossed_name"] == "湊川" and r["road_class"] == "municipal"
    # twins a short way apart: 130 m between the road axes, well inside the 1000 m gap
    gap = b.loc["B99201-0263"].geometry.distance(b.loc["B99201-0262"].geometry)
    assert 100 < gap < 250
    gap = b.loc["B99201-0261"].geometry.distance(b.loc["B99201-0260"].geometry)
    assert 100 < gap < 250


def test_narrow_detour_runs_over_roads_under_the_standard_width(layers):
    """大渡橋's detour by 新渡橋 runs on roads narrower than 5.5 m (plain networkx)."""
    roads = layers["roads"]
    g = nx.Graph()
    for geom, w, bid in zip(roads.geometry, roads.width_m, roads.bridge_id):
        c = geom.coords
        g.add_edge(_node(c[0]), _node(c[-1]), length=geom.length, width=w, bridge=bid)
    u, v = next((a, b) for a, b, d in g.edges(data=True) if d["bridge"] == "B99201-0261")
    g.remove_edge(u, v)
    path = nx.shortest_path(g, u, v, weight="length")
    edges = [g.edges[a, b] for a, b in zip(path, path[1:])]
    assert "B99201-0260" in {e["bridge"] for e in edges}
    narrow = sum(e["length"] for e in edges if e["width"] < 5.5)
    assert narrow > 150
    assert sum(e["length"] for e in edges) < 1500     # the way round from one end to the other


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory):
    from gunmane_geo.cli import main
    out = tmp_path_factory.mktemp("plan")
    assert main(["plan", "--config", str(SAMPLE / "run.toml"), "--out", str(out / "plan.gpkg"),
                 "--csv", str(out / "csv"), "--quiet"]) == 0
    plan = pd.read_csv(out / "csv" / "plan.csv", encoding="utf-8-sig").set_index("bridge_id")
    summary = pd.read_csv(out / "csv" / "plan_summary.csv", encoding="utf-8-sig").iloc[0]
    options = pd.read_csv(out / "csv" / "bridge_options.csv", encoding="utf-8-sig")
    return plan, summary, options.set_index(["bridge_id", "option"])


def test_demo_plan_shows_all_four_methods(demo_plan):
    plan, summary, _ = demo_plan
    for m in ("remove", "remove_upgrade_detour", "downsize", "consolidate"):
        assert summary[f"n_{m}"] >= 1, m
    assert bool(summary["target_reached"])
    # twin bridges: the old narrow one goes, its traffic onto the new wide one, no widening
    old = plan.loc["B99201-0263"]
    assert old["status"] == "planned" and old["method"] == "consolidate"
    assert old["receiving_bridge_id"] == "B99201-0262" and old["receiving_widening_yen"] == 0
    assert plan.loc["B99201-0262", "status"] != "planned"
    # school crossing: walkers need it, so it is downsized, not removed
    school = plan.loc["B99342-0119"]
    assert school["method"] == "downsize" and bool(school["walkers_need"])
    assert "（通学路）" in school["reason_ja"]
    # narrow detour: removed with the improvement, whose cost is taken off the saving
    wide = plan.loc["B99201-0261"]
    assert wide["method"] == "remove_upgrade_detour" and wide["detour_upgrade_m"] > 150


def test_demo_plan_situations_are_clear_cut(demo_plan):
    """Well past the thresholds ([guards] 500 m school walk, 1000 m walk, 3000 m drive)."""
    _, _, opts = demo_plan
    school = opts.loc[("B99342-0119", "remove")]
    assert school["walk_detour_m"] > 1.5 * 500 and "walk_detour" in school["excluded_by"]
    assert school["detour_m"] < 0.5 * 3000
    for bid in ("B99201-0263", "B99201-0261"):
        r = opts.loc[(bid, "remove")]
        assert r["walk_detour_m"] < 0.5 * 1000 and r["detour_m"] < 0.5 * 3000
        assert r["net_present_benefit_yen"] > 0
