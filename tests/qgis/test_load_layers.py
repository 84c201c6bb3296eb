"""gunmane:load_layers through processing.run and qgis_process on a small hand-made region."""
from __future__ import annotations

import json

import pytest


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
    names = bridges.fields().names()
    assert "bridge_id" in names and "name" in names and "rating" in names
    got = {f["bridge_id"]: f for f in bridges.getFeatures()}
    assert {"B1", "B2", "B3"} <= set(got)
    assert got["B1"]["rating"] == 2 and got["B2"]["rating"] == 3   # Ⅱ, III parsed
    assert got["B1"]["name"] == "一の橋"
    assert result["CRS"] == "EPSG:6677"

    # the same as the library's own loader on the same file
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.settings import Settings
    settings = Settings()
    settings.io.target_crs = "EPSG:6677"
    region = load_region({"bridges": {"path": str(tiny_region), "layer": "bridges"},
                          "municipalities": {"path": str(tiny_region), "layer": "municipalities"}},
                         settings)
    lib = region.bridges.set_index("bridge_id")
    assert sorted(got) == sorted(lib.index)
    for bid, feature in got.items():
        point = feature.geometry().asPoint()
        assert abs(point.x() - lib.geometry[bid].x) < 1e-6
        assert abs(point.y() - lib.geometry[bid].y) < 1e-6
        assert feature["rating"] == (None if lib.rating[bid] is None or str(lib.rating[bid]) == "<NA>"
                                     else int(lib.rating[bid])) or feature["rating"] is None
    # the load report: same messages, naming the QGIS layer instead of a temporary file
    report = result["LOAD_REPORT"]
    rows = [(f["layer"], f["severity"], f["action"], f["message"]) for f in report.getFeatures()]
    lib_rows = [(r["layer"], r["severity"], r["action"], r["message"]) for r in region.report.rows]
    assert sorted(rows) == sorted(lib_rows)
    sources = {f["source"] for f in report.getFeatures() if f["layer"] == "bridges"}
    assert sources and all("gunmane_" not in s for s in sources), sources
    # the invalid rating 'V' of B3 is reported, not silently dropped
    assert any(f["field"] == "rating" and f["layer"] == "bridges" for f in report.getFeatures())
    assert result["N_SKIPPED"] == sum(1 for r in lib_rows if r[2] == "skipped")


def test_load_layers_selected_only(qgis_app, tiny_region):
    import processing
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer
    layer = QgsVectorLayer(f"{tiny_region}|layername=bridges", "bridges", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByExpression("\"橋梁ID\" in ('B1', 'B2')")
        result = processing.run("gunmane:load_layers", {
            "BRIDGES": QgsProcessingFeatureSourceDefinition(layer.id(), True),
            "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT", "LOAD_REPORT": "TEMPORARY_OUTPUT"})
        ids = sorted(f["bridge_id"] for f in result["OUTPUT_BRIDGES"].getFeatures())
        assert ids == ["B1", "B2"]
        # no target CRS: the library picks the JGD2011 zone of the data (139.1E 36.05N: IX)
        assert result["CRS"] == "EPSG:6677"
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_load_layers_bad_field_names_the_layer(qgis_app, tiny_region):
    import processing
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException) as info:
        processing.run("gunmane:load_layers", {
            "BRIDGES": f"{tiny_region}|layername=bridges", "BRIDGE_ID_FIELD": "no_such_field",
            "LOAD_REPORT": "TEMPORARY_OUTPUT"})
    assert "no_such_field" in str(info.value) and "Bridges" in str(info.value)
    assert "橋梁ID" in str(info.value)   # the fields to choose from


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


def test_cp932_csv_read_as_utf8_is_refused_with_the_encoding_fix(qgis_app, tmp_path):
    """The sample's kind of inventory (CP932, as Excel in Japan saves it) opened in QGIS as
    UTF-8 has garbled Japanese: the tool says so and how to fix it; opened as Shift_JIS it
    loads with its Japanese names."""
    import processing
    from qgis.core import QgsProcessingException, QgsVectorLayer
    from qgis.PyQt.QtCore import QUrl
    csv = tmp_path / "bridges_cp932.csv"
    csv.write_bytes("wkt,橋梁ID,橋梁名\nPOINT (-20000 -30000),K1,小川橋\n"
                    "POINT (-19900 -30000),K2,大川橋\n".encode("cp932"))
    uri = (QUrl.fromLocalFile(str(csv)).toString()
           + "?type=csv&delimiter=,&wktField=wkt&crs=EPSG:6677&encoding={}")
    garbled = QgsVectorLayer(uri.format("UTF-8"), "台帳", "delimitedtext")
    assert garbled.isValid() and "橋梁名" not in garbled.fields().names()
    params = {"BRIDGES": garbled, "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT",
              "LOAD_REPORT": "TEMPORARY_OUTPUT"}
    with pytest.raises(QgsProcessingException, match="CP932") as err:
        processing.run("gunmane:load_layers", params)
    assert "Shift_JIS" in str(err.value)
    good = QgsVectorLayer(uri.format("Shift_JIS"), "台帳", "delimitedtext")
    result = processing.run("gunmane:load_layers", {**params, "BRIDGES": good})
    names = {f["bridge_id"]: f["name"] for f in result["OUTPUT_BRIDGES"].getFeatures()}
    assert names == {"K1": "小川橋", "K2": "大川橋"}


def test_load_layers_emergency_routes(qgis_app, tmp_path):
    """An N10-style layer (緊急輸送道路) marks the road and the bridge along it; the tier is
    read from the N10_ column that holds 第1次..第3次."""
    import geopandas as gpd
    import processing
    from shapely.geometry import LineString, Point
    path = tmp_path / "n10.gpkg"
    gpd.GeoDataFrame({"道路種別": ["県道", "市道"]},
                     geometry=[LineString([(139.02, 36.05), (139.18, 36.05)]),
                               LineString([(139.05, 36.00), (139.05, 36.04)])],
                     crs="EPSG:6668").to_file(path, layer="roads", driver="GPKG")
    gpd.GeoDataFrame({"N10_001": ["09"], "N10_002": ["県道1号"], "N10_003": ["第2次"]},
                     geometry=[LineString([(139.01, 36.05), (139.19, 36.05)])],
                     crs="EPSG:6668").to_file(path, layer="n10", driver="GPKG")
    gpd.GeoDataFrame({"橋梁ID": ["B1", "B2"]},
                     geometry=[Point(139.10, 36.05), Point(139.05, 36.02)],
                     crs="EPSG:6668").to_file(path, layer="bridges", driver="GPKG")
    result = processing.run("gunmane:load_layers", {
        "ROADS": f"{path}|layername=roads", "BRIDGES": f"{path}|layername=bridges",
        "EMERGENCY_ROUTES": f"{path}|layername=n10", "TARGET_CRS": "EPSG:6677",
        "OUTPUT_ROADS": "TEMPORARY_OUTPUT", "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT",
        "OUTPUT_EMERGENCY_ROUTES": "TEMPORARY_OUTPUT", "LOAD_REPORT": "TEMPORARY_OUTPUT",
    })
    roads = sorted((f["road_class"], bool(f["emergency_route"]), f["emergency_tier"])
                   for f in result["OUTPUT_ROADS"].getFeatures())
    assert roads == [("municipal", False, None), ("prefectural", True, 2)]
    bridges = {f["bridge_id"]: (bool(f["emergency_route"]), f["emergency_tier"])
               for f in result["OUTPUT_BRIDGES"].getFeatures()}
    assert bridges == {"B1": (True, 2), "B2": (False, None)}
    assert result["OUTPUT_EMERGENCY_ROUTES"].featureCount() == 1
    layouts = [f["message"] for f in result["LOAD_REPORT"].getFeatures()
               if f["layer"] == "emergency_routes"]
    assert any("緊急輸送道路 (N10) 形式" in m for m in layouts)


def test_network_tools_offer_emergency_routes(qgis_app):
    from qgis.core import QgsApplication
    registry = QgsApplication.processingRegistry()
    for alg_id in ("gunmane:bridge_criticality", "gunmane:removal_scenario",
                   "gunmane:bridge_options", "gunmane:plan"):
        alg = registry.algorithmById(alg_id)
        assert alg is not None, alg_id
        param = alg.parameterDefinition("EMERGENCY_ROUTES")
        assert param is not None and param.flags() & param.FlagOptional, alg_id
