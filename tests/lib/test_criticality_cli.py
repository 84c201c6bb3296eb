"""``gunmane criticality`` / ``gunmane scenario`` end to end on small files."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point

from gunmane_geo.cli import main

ROOT = Path(__file__).resolve().parents[2]
CRS = "EPSG:6677"


@pytest.fixture()
def ladder_files(tmp_path):
    """Two rails and two rung bridges (R1 at y=0, R2 at y=1000), 100 m apart."""
    roads = gpd.GeoDataFrame(
        {"road_id": ["L", "R", "R1", "R2"], "road_class": ["municipal"] * 4,
         "is_bridge": [False, False, True, True], "bridge_id": [None, None, "R1", "R2"]},
        geometry=[LineString([(0, -500), (0, 0), (0, 1000), (0, 1500)]),
                  LineString([(100, -500), (100, 0), (100, 1000), (100, 1500)]),
                  LineString([(0, 0), (100, 0)]), LineString([(0, 1000), (100, 1000)])],
        crs=CRS)
    bridges = gpd.GeoDataFrame({"bridge_id": ["R1", "R2", "LOST"], "aadt": [1000, 200, 50]},
                               geometry=[Point(50, 2), Point(50, 1002), Point(5000, 5000)],
                               crs=CRS)
    pop = gpd.GeoDataFrame({"population": [100, 30]},
                           geometry=[Point(0, -500), Point(100, 1500)], crs=CRS)
    fac = gpd.GeoDataFrame({"facility_id": ["H"], "name": ["病院"], "facility_type": ["hospital"]},
                           geometry=[Point(0, 1500)], crs=CRS)
    paths = {}
    for name, gdf in (("roads", roads), ("bridges", bridges), ("population", pop),
                      ("facilities", fac)):
        paths[name] = tmp_path / f"{name}.gpkg"
        gdf.to_file(paths[name])
    return paths


def test_criticality_command(ladder_files, tmp_path):
    out = tmp_path / "out.gpkg"
    p = ladder_files
    rc = main(["criticality", "--roads", str(p["roads"]), "--bridges", str(p["bridges"]),
               "--population", str(p["population"]), "--facilities", str(p["facilities"]),
               "--out", str(out), "--quiet"])
    assert rc == 0
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"bridge_criticality", "load_report"} <= layers
    t = gpd.read_file(out, layer="bridge_criticality").set_index("bridge_id")
    assert len(t) == 3                                   # the unmatched one is kept
    assert t.loc["R1", "detour_m"] == pytest.approx(2000.0)
    assert t.loc["R1", "affected_vehicle_km_per_day"] == pytest.approx(2000.0)
    assert not t.loc["LOST", "matched"]
    rep = gpd.read_file(out, layer="load_report")
    assert (rep["feature_id"] == "LOST").any()


def test_scenario_command(ladder_files, tmp_path):
    out = tmp_path / "scen.gpkg"
    p = ladder_files
    rc = main(["scenario", "--roads", str(p["roads"]), "--bridges", str(p["bridges"]),
               "--population", str(p["population"]), "--facilities", str(p["facilities"]),
               "--remove", "R1,R2", "--out", str(out), "--quiet"])
    assert rc == 0
    s = gpd.read_file(out, layer="scenario_summary")
    assert s["isolated_population"].iloc[0] == 30 and s["isolated_nodes"].iloc[0] == 4
    iso = gpd.read_file(out, layer="isolated_nodes")
    assert len(iso) == 4 and iso["population"].sum() == 30


def test_osm_without_bridges_scores_osm_bridges(tmp_path):
    out = tmp_path / "osm.gpkg"
    rc = main(["criticality", "--roads", str(ROOT / "tests/data/osm/kouvola_test.osm.pbf"),
               "--out", str(out), "--quiet"])
    assert rc == 0
    t = gpd.read_file(out, layer="bridge_criticality")
    assert len(t) == 8 and t["matched"].all()
    # footway and cycleway bridges: walking measures only; the 5 road bridges have detours
    ped = t["pedestrian_only"].astype(bool)
    assert ped.sum() == 3 and t.loc[~ped, "alt_route_m"].notna().all()
    assert t.loc[ped, "alt_route_m"].isna().all() and t.loc[ped, "walk_alt_route_m"].notna().all()


def test_bad_output_name_is_a_clear_error(ladder_files, capsys):
    rc = main(["criticality", "--roads", str(ladder_files["roads"]), "--out", "x.shp"])
    assert rc == 1 and ".gpkg" in capsys.readouterr().err
