"""gunmane:bridge_criticality through processing.run, compared with the library on the same data."""
from __future__ import annotations

from conftest import layer_uri, same_number, val


def _library_criticality(clip, settings_kwargs=None):
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.maps.kinds import criticality_class
    from gunmane_geo.pipeline import network_from_region
    from gunmane_geo.settings import Settings
    settings = Settings()
    gpkg = str(clip["gpkg"])
    region = load_region({"roads": {"path": gpkg, "layer": "roads"},
                          "bridges": {"path": gpkg, "layer": "bridges"},
                          "facilities": {"path": gpkg, "layer": "facilities"},
                          "population": str(clip["population"])}, settings)
    net = network_from_region(region, settings)
    table = bridge_criticality(net, settings=settings)
    table["criticality_class"] = criticality_class(table, settings)
    return table.set_index("bridge_id"), region


_same = same_number


def test_criticality_matches_library(qgis_app, sample_clip):
    import processing
    gpkg = sample_clip["gpkg"]
    result = processing.run("gunmane:bridge_criticality", {
        "ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
        "FACILITIES": layer_uri(gpkg, "facilities"), "POPULATION": str(sample_clip["population"]),
        "OUTPUT": "TEMPORARY_OUTPUT", "LOAD_REPORT": "TEMPORARY_OUTPUT"})
    layer = result["OUTPUT"]
    assert layer.crs().authid() == "EPSG:6673" and result["CRS"] == "EPSG:6673"
    assert layer.wkbType() == 1   # Point
    got = {f["bridge_id"]: f for f in layer.getFeatures()}
    lib, region = _library_criticality(sample_clip)
    assert sorted(got) == sorted(lib.index)          # every bridge, none dropped
    assert len(got) > 150
    for bid, feature in got.items():
        row = lib.loc[bid]
        assert bool(feature["matched"]) == bool(row["matched"]), bid
        for col in ("detour_m", "detour_min", "isolated_population", "isolated_facilities",
                    "affected_vehicle_km_per_day"):
            assert _same(feature[col], row[col]), (bid, col, feature[col], row[col])
        assert same_number(feature["criticality_rank"], row["criticality_rank"]), bid
        assert feature["criticality_class"] == row["criticality_class"]
        # the point is the middle of the library's bridge edge (or its inventory point)
        point = feature.geometry().asPoint()
        import shapely
        assert row.geometry.distance(shapely.Point(point.x(), point.y())) < 1e-6, bid
    assert result["N_ISOLATING"] == int(lib["isolates"].fillna(False).astype(bool).sum())
    assert result["N_UNMATCHED"] == int((~lib["matched"].astype(bool)).sum())
    # some bridges cut people off, some do not: the comparison is not trivial
    classes = {f["criticality_class"] for f in got.values()}
    assert len(classes) >= 3, classes
    # the report lists the same rows as the library's own run (layer names differ)
    n_report = result["LOAD_REPORT"].featureCount()
    assert n_report == len(region.report.rows)


def test_criticality_without_roads_is_refused(qgis_app, sample_clip):
    import processing
    import pytest
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException):
        processing.run("gunmane:bridge_criticality", {
            "BRIDGES": layer_uri(sample_clip["gpkg"], "bridges"), "OUTPUT": "TEMPORARY_OUTPUT"})
