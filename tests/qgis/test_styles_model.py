"""Styles applied on load (layer post-processor), a model chaining a native tool with ours,
and bridge criticality through qgis_process.bin."""
from __future__ import annotations

import json

import pytest

from conftest import layer_uri, same_number


def _loaded(result, key):
    from qgis.core import QgsProject
    layer = QgsProject.instance().mapLayer(result[key])
    assert layer is not None, result
    return layer


def _cleanup(*layers):
    from qgis.core import QgsProject
    for layer in layers:
        QgsProject.instance().removeMapLayer(layer.id())


def test_criticality_and_plan_styled_on_load(qgis_app, sample_clip):
    import processing
    from gunmane_geo.maps.kinds import PLAN_CLASSES, criticality_classes
    from qgis.core import QgsCategorizedSymbolRenderer
    gpkg = sample_clip["gpkg"]
    inputs = {"ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
              "POPULATION": str(sample_clip["population"])}
    result = processing.runAndLoadResults("gunmane:bridge_criticality",
                                          {**inputs, "OUTPUT": "TEMPORARY_OUTPUT"})
    layer = _loaded(result, "OUTPUT")
    try:
        renderer = layer.renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer)
        assert renderer.classAttribute() == "criticality_class"
        classes = criticality_classes()
        got = {c.value(): c.label() for c in renderer.categories()}
        assert got == {code: values[1] for code, values in classes.items()}   # English labels
        # every class in the data has a category (nothing drawn without a symbol)
        values = {f["criticality_class"] for f in layer.getFeatures()}
        assert values <= set(got) and len(values) >= 3
    finally:
        _cleanup(layer)

    result = processing.runAndLoadResults("gunmane:plan", {
        **inputs, "TARGET_SAVING_PCT": 3.0, "OUTPUT_PLAN": "TEMPORARY_OUTPUT",
        "OUTPUT_CURVE": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT",
        "OUTPUT_DETOURS": "TEMPORARY_OUTPUT"})
    plan = _loaded(result, "OUTPUT_PLAN")
    others = [_loaded(result, k) for k in ("OUTPUT_CURVE", "OUTPUT_SUMMARY", "OUTPUT_DETOURS")]
    try:
        renderer = plan.renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer)
        assert renderer.classAttribute() == "plan_class"
        categories = {c.value(): c for c in renderer.categories()}
        assert set(categories) == set(PLAN_CLASSES)
        for code, category in categories.items():
            layers = [category.symbol().symbolLayer(i) for i in range(category.symbol().symbolLayerCount())]
            crossed = any(getattr(sl, "shape", lambda: None)() is not None and
                          sl.shape() == sl.decodeShape("cross2")[0] for sl in layers)
            # removed bridges are crossed out, kept and downsized ones are not
            assert crossed == (code in ("remove", "remove_upgrade_detour", "consolidated")), code
        values = {f["plan_class"] for f in plan.getFeatures()}
        assert values <= set(categories) and values - {"keep"}
        # the detour routes got detours.qml: a white casing under bold black dashes, as the
        # library's DETOUR_CASING / DETOUR_STYLE (line widths in mm: 1 pt = 25.4/72 mm)
        from gunmane_geo.maps.common import DETOUR_CASING, DETOUR_STYLE
        from qgis.core import QgsSingleSymbolRenderer
        from gunmane.styling import style_for_layer
        detours = others[-1]
        assert detours.featureCount() >= 2 and style_for_layer(detours) == "detours"
        renderer = detours.renderer()
        assert isinstance(renderer, QgsSingleSymbolRenderer)
        symbol = renderer.symbol()
        assert symbol.symbolLayerCount() == 2
        casing, dashes = symbol.symbolLayer(0), symbol.symbolLayer(1)
        pt = 25.4 / 72
        assert casing.color().name() == "#ffffff" and not casing.useCustomDashPattern()
        assert casing.width() == pytest.approx(DETOUR_CASING["linewidth"] * pt, abs=0.01)
        assert dashes.color().name() == "#000000" and dashes.useCustomDashPattern()
        assert dashes.width() == pytest.approx(DETOUR_STYLE["linewidth"] * pt, abs=0.01)
        dash, gap = DETOUR_STYLE["linestyle"][1]
        assert dashes.customDashVector() == pytest.approx(
            [dash * dashes.width(), gap * dashes.width()], abs=0.02)
    finally:
        _cleanup(plan, *others)


def test_groups_styled_with_one_colour_per_group(qgis_app, sample_clip):
    import processing
    from qgis.core import QgsCategorizedSymbolRenderer
    gpkg = sample_clip["gpkg"]
    result = processing.runAndLoadResults("gunmane:municipal_groups", {
        "MUNICIPALITIES": layer_uri(gpkg, "municipalities"), "STAFF": layer_uri(gpkg, "staff"),
        "OUTPUT_GROUPS": "TEMPORARY_OUTPUT", "OUTPUT_MEMBERS": "TEMPORARY_OUTPUT",
        "OUTPUT_CANDIDATES": "TEMPORARY_OUTPUT"})
    layers = [_loaded(result, k) for k in ("OUTPUT_GROUPS", "OUTPUT_MEMBERS", "OUTPUT_CANDIDATES")]
    groups = layers[0]
    try:
        renderer = groups.renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer)
        best = {f["group_id"]: f["group_name"] for f in groups.getFeatures() if f["candidate"] == 1}
        categories = renderer.categories()
        assert sorted(c.value() for c in categories) == sorted(best)
        assert all(best[c.value()] in c.label() for c in categories)
        colours = {c.symbol().color().name() for c in categories}
        assert len(colours) == len(categories)            # distinct colours
        assert groups.labelsEnabled() and groups.labeling() is not None
        assert 'group_name' in groups.labeling().settings().fieldName
    finally:
        _cleanup(*layers)


def test_model_chains_native_tool_with_criticality(qgis_app, sample_clip):
    """A model: native:extractbyexpression (one town's bridges) -> gunmane:bridge_criticality."""
    import processing
    from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                           QgsProcessingModelChildParameterSource as Src,
                           QgsProcessingModelOutput, QgsProcessingModelParameter,
                           QgsProcessingParameterFeatureSource)
    model = QgsProcessingModelAlgorithm("one_town_criticality", "tests")
    for name in ("bridges", "roads"):
        model.addModelParameter(QgsProcessingParameterFeatureSource(name, name),
                                QgsProcessingModelParameter(name))
    extract = QgsProcessingModelChildAlgorithm("native:extractbyexpression")
    extract.setChildId("extract")
    extract.addParameterSources("INPUT", [Src.fromModelParameter("bridges")])
    extract.addParameterSources("EXPRESSION", [Src.fromStaticValue("\"municipality_code\" = '99344'")])
    model.addChildAlgorithm(extract)
    crit = QgsProcessingModelChildAlgorithm("gunmane:bridge_criticality")
    crit.setChildId("crit")
    crit.addParameterSources("ROADS", [Src.fromModelParameter("roads")])
    crit.addParameterSources("BRIDGES", [Src.fromChildOutput("extract", "OUTPUT")])
    output = QgsProcessingModelOutput("criticality")
    output.setChildId("crit")
    output.setChildOutputName("OUTPUT")
    crit.setModelOutputs({"criticality": output})
    model.addChildAlgorithm(crit)
    model.updateDestinationParameters()
    gpkg = sample_clip["gpkg"]
    result = processing.run(model, {"bridges": layer_uri(gpkg, "bridges"),
                                    "roads": layer_uri(gpkg, "roads"),
                                    "crit:criticality": "TEMPORARY_OUTPUT"})
    layer = result["crit:criticality"]
    if isinstance(layer, str):
        from qgis.core import QgsProcessingUtils
        layer = QgsProcessingUtils.mapLayerFromString(layer, processing.tools.dataobjects.createContext())
    got = {f["bridge_id"]: f for f in layer.getFeatures()}
    # the library on the same subset
    import geopandas as gpd
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.pipeline import network_from_region
    from gunmane_geo.settings import Settings
    import tempfile, os
    bridges = gpd.read_file(gpkg, layer="bridges")
    subset = bridges[bridges["municipality_code"] == "99344"]
    path = os.path.join(tempfile.mkdtemp(), "subset.gpkg")
    subset.to_file(path, layer="bridges", driver="GPKG")
    settings = Settings()
    region = load_region({"roads": {"path": str(gpkg), "layer": "roads"},
                          "bridges": {"path": path, "layer": "bridges"}}, settings)
    lib = bridge_criticality(network_from_region(region, settings),
                             settings=settings).set_index("bridge_id")
    assert sorted(got) == sorted(subset["bridge_id"]) == sorted(lib.index)
    assert 0 < len(got) < len(bridges)
    for bid, feature in got.items():
        assert same_number(feature["detour_m"], lib.loc[bid, "detour_m"]), bid
        assert same_number(feature["criticality_rank"], lib.loc[bid, "criticality_rank"]), bid


def test_criticality_qgis_process(qgis_process, sample_clip, tmp_path):
    import geopandas as gpd
    from test_criticality import _library_criticality
    gpkg = sample_clip["gpkg"]
    out = tmp_path / "criticality.gpkg"
    proc = qgis_process("run", "gunmane:bridge_criticality", "--json", "--",
                        f"ROADS={layer_uri(gpkg, 'roads')}", f"BRIDGES={layer_uri(gpkg, 'bridges')}",
                        f"FACILITIES={layer_uri(gpkg, 'facilities')}",
                        f"POPULATION={sample_clip['population']}", f"OUTPUT={out}")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    lib, _ = _library_criticality(sample_clip)
    assert payload["results"]["N_ISOLATING"] == int(lib["isolates"].fillna(False).astype(bool).sum())
    written = gpd.read_file(out).set_index("bridge_id")
    assert sorted(written.index) == sorted(lib.index)
    assert written.crs.to_epsg() == 6673
    for bid in lib.index:
        assert same_number(written.loc[bid, "detour_m"], lib.loc[bid, "detour_m"]), bid
        assert written.loc[bid, "criticality_class"] == lib.loc[bid, "criticality_class"]
