"""gunmane:indicators and gunmane:effect_estimate, compared with the library and a hand check."""
from __future__ import annotations

import math

import pytest

from conftest import layer_uri, same_number, val


@pytest.fixture(scope="module")
def members_gpkg(sample_clip, tmp_path_factory):
    """Two hand-made groups: the two clip towns (G1) and the other seven (G2)."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    munis = gpd.read_file(sample_clip["gpkg"], layer="municipalities")
    codes = munis["municipality_code"].tolist()
    table = pd.DataFrame({"group_id": ["G1" if c in ("99343", "99344") else "G2" for c in codes],
                          "group_name": ["南部" if c in ("99343", "99344") else "北部" for c in codes],
                          "municipality_code": codes})
    path = tmp_path_factory.mktemp("members") / "members.gpkg"
    pyogrio.write_dataframe(table, path, layer="members", driver="GPKG")
    return path, table


def _region(clip):
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.settings import Settings
    gpkg = str(clip["gpkg"])
    settings = Settings()
    region = load_region({k: {"path": gpkg, "layer": k}
                          for k in ("municipalities", "bridges", "other_assets")}
                         | {"staff": str(clip["staff_csv"])}, settings)
    return region, settings


def test_indicators_match_library(qgis_app, sample_clip, members_gpkg):
    import processing
    from gunmane_geo.indicators import municipality_indicators
    gpkg = sample_clip["gpkg"]
    path, members = members_gpkg
    result = processing.run("gunmane:indicators", {
        "MUNICIPALITIES": layer_uri(gpkg, "municipalities"), "BRIDGES": layer_uri(gpkg, "bridges"),
        "STAFF": layer_uri(gpkg, "staff"), "OTHER_ASSETS": layer_uri(gpkg, "other_assets"),
        "GROUP_MEMBERS": layer_uri(path, "members"),
        "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_SKIPPED": "TEMPORARY_OUTPUT"})
    region, settings = _region(sample_clip)
    lib = municipality_indicators(region.municipalities, region.bridges, region.staff,
                                  region.other_assets, group_members=members, settings=settings)
    lib = lib.set_index("unit_id")
    got = {f["unit_id"]: f for f in result["OUTPUT"].getFeatures()}
    assert sorted(got) == sorted(lib.index)
    assert {"G1", "G2"} <= set(got) and len(got) == 9 + 2
    for unit, feature in got.items():
        for col in ("n_bridges", "deck_area_m2", "share_age50_now", "share_rating_3_4",
                    "technical_staff", "bridges_per_staff", "n_other_assets"):
            assert same_number(feature[col], lib.loc[unit, col]), (unit, col)
    # hand check: G1's bridges are all the clip's bridges, counted once each
    assert int(got["G1"]["n_bridges"]) == int(got["99343"]["n_bridges"]) + int(got["99344"]["n_bridges"])
    # the clip holds only bridges of the two towns: municipal + other managers = all of them
    assert int(got["G1"]["n_bridges"]) + int(got["G1"]["n_bridges_other_manager"]) == len(region.bridges)
    assert int(got["G1"]["technical_staff"]) == 3 + 2     # 桜台町 3, 美杉町 2 (staff.csv)


def test_effect_estimate_matches_library(qgis_app, sample_clip, members_gpkg, tmp_path):
    import processing
    import pandas as pd
    from gunmane_geo.effect import effect_estimate, read_effect_inputs
    gpkg = sample_clip["gpkg"]
    path, members = members_gpkg
    csv = tmp_path / "effect.csv"
    csv.write_text("団体コード,現状の直営対応時間,人件費単価\n99343,1200,4000\n99344,,5000\n",
                   encoding="utf-8")
    result = processing.run("gunmane:effect_estimate", {
        "MUNICIPALITIES": layer_uri(gpkg, "municipalities"), "BRIDGES": layer_uri(gpkg, "bridges"),
        "OTHER_ASSETS": layer_uri(gpkg, "other_assets"), "INPUTS": str(csv),
        "GROUP_MEMBERS": layer_uri(path, "members"),
        "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_ASSUMPTIONS": "TEMPORARY_OUTPUT"})
    region, settings = _region(sample_clip)
    lib = effect_estimate(region.municipalities, region.bridges, region.other_assets,
                          inputs=read_effect_inputs(csv), group_members=members, settings=settings)
    lib = lib.set_index("unit_id")
    got = {f["unit_id"]: f for f in result["OUTPUT"].getFeatures()}
    assert sorted(got) == sorted(lib.index)
    for unit, feature in got.items():
        for col in ("direct_hours_before", "direct_cost_before_yen", "total_cost_before_yen",
                    "total_cost_after_yen", "total_reduction_yen"):
            assert same_number(feature[col], lib.loc[unit, col]), (unit, col)
    # hand check of the input table: 1200 h x 4000 yen/h in 桜台町
    assert val(got["99343"]["direct_hours_before"]) == 1200
    assert val(got["99343"]["direct_cost_before_yen"]) == pytest.approx(1200 * 4000)
    assert val(got["99344"]["hourly_labour_cost_yen"]) == 5000
    assert result["OUTPUT_ASSUMPTIONS"].featureCount() > 0


def test_effect_bad_input_names_the_row(qgis_app, sample_clip, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    csv = tmp_path / "bad.csv"
    csv.write_text("municipality_code,direct_hours_before\n99343,たくさん\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as info:
        processing.run("gunmane:effect_estimate", {
            "MUNICIPALITIES": layer_uri(sample_clip["gpkg"], "municipalities"),
            "INPUTS": str(csv), "OUTPUT": "TEMPORARY_OUTPUT"})
    message = str(info.value)
    assert "たくさん" in message and "row 1" in message and "direct_hours_before" in message


def _symbols(layer):
    """``{unit_id: fill colour (hex) or None}`` as the layer's renderer draws each feature."""
    from qgis.core import QgsRenderContext
    renderer = layer.renderer().clone()
    ctx = QgsRenderContext()
    ctx.expressionContext().setFields(layer.fields())
    renderer.startRender(ctx, layer.fields())
    out = {}
    for f in layer.getFeatures():
        ctx.expressionContext().setFeature(f)       # as the map renderer does
        symbol = renderer.symbolForFeature(f, ctx)
        out[f["unit_id"]] = None if symbol is None else symbol.color().name()
    renderer.stopRender(ctx)
    return out


def test_indicators_and_effect_graduated_on_load(qgis_app, sample_clip, members_gpkg):
    """The shipped graduated styles: ageing share in the library's five 20 % classes (cividis,
    no data hatched), effect in pretty breaks of the yen reduction; municipalities only."""
    import processing
    from gunmane_geo.maps.styles import sequential
    from matplotlib.colors import to_hex
    from qgis.core import QgsGraduatedSymbolRenderer, QgsProject
    gpkg = sample_clip["gpkg"]
    path, _ = members_gpkg
    inputs = {"MUNICIPALITIES": layer_uri(gpkg, "municipalities"),
              "BRIDGES": layer_uri(gpkg, "bridges"), "GROUP_MEMBERS": layer_uri(path, "members")}
    result = processing.runAndLoadResults("gunmane:indicators", {
        **inputs, "STAFF": layer_uri(gpkg, "staff"), "OUTPUT": "TEMPORARY_OUTPUT"})
    ind = QgsProject.instance().mapLayer(result["OUTPUT"])
    result = processing.runAndLoadResults("gunmane:effect_estimate", {
        **inputs, "OUTPUT": "TEMPORARY_OUTPUT"})
    eff = QgsProject.instance().mapLayer(result["OUTPUT"])
    try:
        # --- indicators: the class of each municipality worked out from its share
        renderer = ind.renderer()
        assert isinstance(renderer, QgsGraduatedSymbolRenderer)
        assert "share_age50_now" in renderer.classAttribute()
        colours = [to_hex(c) for c in sequential(5)]
        labels = ["under 20 %", "20-40 %", "40-60 %", "60-80 %", "80 % or more",
                  "no data (year built unknown)"]
        assert [r.label() for r in renderer.ranges()] == labels
        drawn = _symbols(ind)
        for f in ind.getFeatures():
            share = val(f["share_age50_now"])
            if f["level"] != "municipality":
                assert drawn[f["unit_id"]] is None, f["unit_id"]          # groups not drawn
            elif share is None:
                assert drawn[f["unit_id"]] == "#ffffff", f["unit_id"]     # no data: white, hatched
            else:
                k = min(int(share // 0.2), 4)
                assert drawn[f["unit_id"]] == colours[k], (f["unit_id"], share)
        assert sum(c is not None for c in drawn.values()) == 9
        assert "share_age50_now" in ind.labeling().settings().fieldName and ind.labelsEnabled()
        # --- effect: contiguous ranges from the smallest to the largest reduction, darker = more
        renderer = eff.renderer()
        assert isinstance(renderer, QgsGraduatedSymbolRenderer)
        values = sorted(float(f["total_reduction_yen"]) for f in eff.getFeatures()
                        if f["level"] == "municipality")
        ranges = renderer.ranges()
        assert 2 <= len(ranges) <= 5 and values[0] < values[-1]
        assert ranges[0].lowerValue() <= values[0] < ranges[0].upperValue()
        assert ranges[-1].lowerValue() < values[-1] <= ranges[-1].upperValue()
        width = ranges[0].upperValue() - ranges[0].lowerValue()
        for a, b in zip(ranges[:-1], ranges[1:]):
            assert a.upperValue() == b.lowerValue()
            assert b.upperValue() - b.lowerValue() == pytest.approx(width)   # equal classes
        mantissa = width / 10 ** math.floor(math.log10(width))
        assert any(mantissa == pytest.approx(m) for m in (1, 2, 2.5, 3, 4, 5))   # round
        assert ranges[0].lowerValue() / width == pytest.approx(round(ranges[0].lowerValue() / width))
        lightness = [r.symbol().color().lightness() for r in ranges]
        assert lightness == sorted(lightness, reverse=True)
        assert all("M yen" in r.label() for r in ranges)
        drawn = _symbols(eff)
        assert all((drawn[f["unit_id"]] is None) == (f["level"] != "municipality")
                   for f in eff.getFeatures())
        assert "total_reduction_yen" in eff.labeling().settings().fieldName
    finally:
        QgsProject.instance().removeMapLayers([ind.id(), eff.id()])
