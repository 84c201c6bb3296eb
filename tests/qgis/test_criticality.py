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


def test_criticality_without_bridges_layer_uses_road_bridge_flags(qgis_app, sample_clip, tmp_path):
    """BRIDGES left empty: the roads' is_bridge lines are the bridges, as on the CLI."""
    import processing
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.pipeline import network_from_region
    from gunmane_geo.settings import Settings
    gpkg = sample_clip["gpkg"]
    result = processing.run("gunmane:bridge_criticality", {
        "ROADS": layer_uri(gpkg, "roads"), "FACILITIES": layer_uri(gpkg, "facilities"),
        "OUTPUT": "TEMPORARY_OUTPUT"})
    got = {f["bridge_id"]: f for f in result["OUTPUT"].getFeatures()}
    settings = Settings()
    region = load_region({"roads": {"path": str(gpkg), "layer": "roads"},
                          "facilities": {"path": str(gpkg), "layer": "facilities"}}, settings)
    lib = bridge_criticality(network_from_region(region, settings), settings=settings) \
        .set_index("bridge_id")
    assert len(got) > 100 and sorted(got) == sorted(lib.index)
    assert all(bool(f["matched"]) for f in got.values())      # flagged lines are on the network
    for bid, feature in got.items():
        assert _same(feature["detour_m"], lib.loc[bid, "detour_m"]), bid
        assert _same(feature["isolated_facilities"], lib.loc[bid, "isolated_facilities"]), bid
    assert result["N_UNMATCHED"] == 0


def test_criticality_without_any_bridge_is_refused(qgis_app, tmp_path):
    """No bridges layer and no bridge-flagged road: an error saying what to give."""
    import geopandas as gpd
    import processing
    import pytest
    from qgis.core import QgsProcessingException
    from shapely.geometry import LineString
    path = tmp_path / "roads.gpkg"
    gpd.GeoDataFrame({"road_id": ["r1", "r2"], "is_bridge": [0, 0]},
                     geometry=[LineString([(0, 0), (500, 0)]), LineString([(500, 0), (900, 300)])],
                     crs="EPSG:6673").to_file(path, layer="roads", driver="GPKG")
    with pytest.raises(QgsProcessingException, match="is_bridge"):
        processing.run("gunmane:bridge_criticality", {
            "ROADS": layer_uri(path, "roads"), "OUTPUT": "TEMPORARY_OUTPUT"})
