"""gunmane:load_layers through processing.run and qgis_process on a small hand-made region."""
from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="session")
def tiny_region(tmp_path_factory):
    """Two municipalities, one road, three bridges (Japanese column names), EPSG:6668."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point, Polygon

    path = tmp_path_factory.mktemp("tiny") / "tiny.gpkg"
    munis = gpd.GeoDataFrame(
        {"N03_007": ["99201", "99202"], "N03_004": ["甲市", "乙町"]},
        geometry=[Polygon([(139.0, 36.0), (139.1, 36.0), (139.1, 36.1), (139.0, 36.1)]),
                  Polygon([(139.1, 36.0), (139.2, 36.0), (139.2, 36.1), (139.1, 36.1)])],
        crs="EPSG:6668")
    munis.to_file(path, layer="municipalities", driver="GPKG")
    roads = gpd.GeoDataFrame({"道路種別": ["市道"]},
                             geometry=[LineString([(139.02, 36.05), (139.18, 36.05)])], crs="EPSG:6668")
    roads.to_file(path, layer="roads", driver="GPKG")
    bridges = gpd.GeoDataFrame(
        {"橋梁ID": ["B1", "B2", "B3"], "橋梁名": ["一の橋", "二の橋", "三の橋"],
         "橋長(m)": [12.0, 30.5, 8.0]},
        geometry=[Point(139.05, 36.05), Point(139.12, 36.05), Point(139.15, 36.05)], crs="EPSG:6668")
    bridges.to_file(path, layer="bridges", driver="GPKG")
    return path


def test_load_layers_processing_run(qgis_app, tiny_region):
    import processing
    result = processing.run("gunmane:load_layers", {
        "MUNICIPALITIES": f"{tiny_region}|layername=municipalities",
        "BRIDGES": f"{tiny_region}|layername=bridges",
        "TARGET_CRS": "EPSG:6677",
        "OUTPUT_MUNICIPALITIES": "TEMPORARY_OUTPUT",
        "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT",
        "LOAD_REPORT": "TEMPORARY_OUTPUT",
    })
    bridges = result["OUTPUT_BRIDGES"]
    assert bridges.crs().authid() == "EPSG:6677"
    assert bridges.featureCount() == 3
    names = bridges.fields().names()
    assert "bridge_id" in names and "name" in names
    ids = sorted(f["bridge_id"] for f in bridges.getFeatures())
    assert ids == ["B1", "B2", "B3"]
    assert result["CRS"] == "EPSG:6677"


def test_load_layers_qgis_process(qgis_process, tiny_region, tmp_path):
    out = tmp_path / "bridges.gpkg"
    report = tmp_path / "report.csv"
    proc = qgis_process("run", "gunmane:load_layers", "--json", "--",
                        f"BRIDGES={tiny_region}|layername=bridges", "TARGET_CRS=EPSG:6677",
                        f"OUTPUT_BRIDGES={out}", f"LOAD_REPORT={report}")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert payload["results"]["CRS"] == "EPSG:6677"
    import geopandas as gpd
    loaded = gpd.read_file(out)
    assert sorted(loaded["bridge_id"]) == ["B1", "B2", "B3"]
    assert loaded.crs.to_epsg() == 6677
