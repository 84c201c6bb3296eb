"""gunmane:removal_scenario with the selected bridges, compared with the library."""
from __future__ import annotations

import pytest

from conftest import layer_uri, same_number, val


def _library(clip, ids):
    from gunmane_geo.criticality import removal_scenario
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.pipeline import network_from_region
    from gunmane_geo.settings import Settings
    settings = Settings()
    gpkg = str(clip["gpkg"])
    region = load_region({"roads": {"path": gpkg, "layer": "roads"},
                          "bridges": {"path": gpkg, "layer": "bridges"},
                          "facilities": {"path": gpkg, "layer": "facilities"},
                          "population": str(clip["population"])}, settings)
    net = network_from_region(region, settings)
    return removal_scenario(net, ids, settings=settings), net


def _pick(clip):
    """Two bridges that isolate people and one that does not (from the library's criticality)."""
    from test_criticality import _library_criticality
    lib, _ = _library_criticality(clip)
    lib = lib[lib["matched"].astype(bool)]
    iso = lib[lib["isolated_population"] > 0].sort_values("criticality_rank").index[:2].tolist()
    other = lib[(lib["detour_m"] > 100) & ~lib["isolates"].astype(bool)].index[:1].tolist()
    assert len(iso) == 2 and len(other) == 1
    return iso + other


def test_scenario_selected_bridges(qgis_app, sample_clip):
    import processing
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer
    gpkg = sample_clip["gpkg"]
    ids = _pick(sample_clip)
    layer = QgsVectorLayer(layer_uri(gpkg, "bridges"), "bridges", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        quoted = ", ".join(f"'{b}'" for b in ids[:2])
        layer.selectByExpression(f'"bridge_id" in ({quoted})')
        assert layer.selectedFeatureCount() == 2
        result = processing.run("gunmane:removal_scenario", {
            "ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
            "FACILITIES": layer_uri(gpkg, "facilities"),
            "POPULATION": str(sample_clip["population"]),
            "REMOVE": QgsProcessingFeatureSourceDefinition(layer.id(), True),
            "REMOVE_IDS": ids[2],     # typed IDs add to the selection
            "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT", "OUTPUT_TRIPS": "TEMPORARY_OUTPUT",
            "OUTPUT_ISOLATED": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT"})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    res, net = _library(sample_clip, ids)
    summary = next(result["OUTPUT_SUMMARY"].getFeatures())
    assert sorted(summary["bridge_ids"].split(";")) == sorted(ids)
    for key in ("isolated_population", "isolated_facilities", "isolated_nodes",
                "vehicle_km_per_day", "trips_longer", "trips_cut_off"):
        assert same_number(summary[key], res.summary[key]), key
    assert res.summary["isolated_population"] > 0          # the case is not trivial
    assert result["ISOLATED_POPULATION"] == pytest.approx(res.summary["isolated_population"])
    assert result["TRIPS_LONGER"] == res.summary["trips_longer"]
    bridges = {f["bridge_id"]: f for f in result["OUTPUT_BRIDGES"].getFeatures()}
    lib_b = res.bridges.set_index("bridge_id")
    assert sorted(bridges) == sorted(ids)
    for bid, feature in bridges.items():
        assert same_number(feature["detour_m"], lib_b.loc[bid, "detour_m"]), bid
        assert bool(feature["isolates"]) == bool(lib_b.loc[bid, "isolates"]), bid
    assert result["OUTPUT_ISOLATED"].featureCount() == len(res.isolated_node_ids)
    trips = list(result["OUTPUT_TRIPS"].getFeatures())
    assert len(trips) == len(res.trips)
    assert sum(1 for t in trips if bool(t["cut_off"])) == res.summary["trips_cut_off"]
    # a longer trip that is not cut off has its new route as a line
    assert all(not t.geometry().isEmpty() for t in trips if not bool(t["cut_off"]))


def test_scenario_without_bridges_to_remove(qgis_app, sample_clip):
    import processing
    from qgis.core import QgsProcessingException
    gpkg = sample_clip["gpkg"]
    with pytest.raises(QgsProcessingException) as info:
        processing.run("gunmane:removal_scenario", {
            "ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
            "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT", "OUTPUT_TRIPS": "TEMPORARY_OUTPUT",
            "OUTPUT_ISOLATED": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT"})
    assert "No bridges to remove" in str(info.value)
    with pytest.raises(QgsProcessingException) as info:
        processing.run("gunmane:removal_scenario", {
            "ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
            "REMOVE_IDS": "NO_SUCH_BRIDGE",
            "OUTPUT_BRIDGES": "TEMPORARY_OUTPUT", "OUTPUT_TRIPS": "TEMPORARY_OUTPUT",
            "OUTPUT_ISOLATED": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT"})
    assert "NO_SUCH_BRIDGE" in str(info.value)
