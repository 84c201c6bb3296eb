"""Council layout: PDF with the Japanese font embedded, rendered to PNG and not blank."""
from __future__ import annotations

import shutil
import subprocess

import pytest


def _non_white_fraction(png_path):
    from qgis.PyQt.QtGui import QImage
    image = QImage(str(png_path))
    assert not image.isNull(), png_path
    step = 4
    total = dark = coloured = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colour = image.pixelColor(x, y)
            total += 1
            if colour.red() + colour.green() + colour.blue() < 3 * 235:
                dark += 1
            if max(colour.red(), colour.green(), colour.blue()) - \
                    min(colour.red(), colour.green(), colour.blue()) > 40:
                coloured += 1
    return dark / total, coloured / total, (image.width(), image.height())


def _style_layers(layers):
    """Give bridges, roads and municipalities fixed colours; return the bridges' RGB."""
    from qgis.PyQt.QtGui import QColor
    colours = {"橋梁": "#1f78b4", "道路": "#d95f02", "市区町村": "#edf8e9"}
    for layer in layers:
        symbol = layer.renderer().symbol()
        symbol.setColor(QColor(colours[layer.name()]))
        if layer.name() == "橋梁":
            symbol.setSize(3.0)   # mm
    colour = colours["橋梁"]
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _nfkc(text):
    import unicodedata
    # poppler maps some CJK glyphs to compatibility code points (⼄ for 乙, ‧ for ・)
    return unicodedata.normalize("NFKC", text).replace("\u2027", "・").replace(" ", "")


def test_council_map_pdf(qgis_app, tiny_region, tmp_path):
    import processing
    from qgis.core import QgsProject, QgsVectorLayer
    pdf, png = tmp_path / "council.pdf", tmp_path / "council_qgis.png"
    title = "橋梁の集約・撤去の検討（甲市・乙町）"
    layers = [QgsVectorLayer(f"{tiny_region}|layername={name}", label, "ogr")
              for name, label in (("bridges", "橋梁"), ("roads", "道路"),
                                  ("municipalities", "市区町村"))]
    # QGIS gives an unstyled layer a random colour, which may be almost grey: style the
    # layers so that what the page must show is known (CI once drew near-grey layers)
    bridge_rgb = _style_layers(layers)
    QgsProject.instance().addMapLayers(layers)
    result = processing.run("gunmane:council_map", {
        "LAYERS": [layer.id() for layer in layers],
        "TITLE": title, "PAPER": 0, "SOURCES": "国土数値情報（行政区域）、橋梁台帳（試験データ）",
        "DATE": "2025年4月1日", "DPI": 100, "OUTPUT_PDF": str(pdf), "OUTPUT_PNG": str(png)})
    assert result["OUTPUT_PDF"] == str(pdf) and pdf.stat().st_size > 10_000
    assert png.exists()

    # the Japanese font is embedded (as a subset), and text is text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert noto, fonts
    assert all(" yes " in line for line in noto), fonts   # emb column
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    text = _nfkc(text)
    assert _nfkc(title) in text, text
    # Qt's PDF writer maps some digit glyphs of the CJK font to no character in its
    # ToUnicode table, so pdftotext may drop digits; the rendered page shows them.
    assert "年4月1日" in text, text
    assert "市区町村" in text and "道路" in text   # legend entries

    # rendered with poppler: an A3 landscape page that is not blank
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(out)], check=True)
    rendered = tmp_path / "page.png"
    dark, coloured, (w, h) = _non_white_fraction(rendered)
    assert abs(w / h - 420 / 297) < 0.02, (w, h)
    assert dark > 0.01 and coloured > 0.001, (dark, coloured)
    assert _colour_pixels(rendered, bridge_rgb, tol=60) >= 20, "no bridge drawn in its colour"
    shutil.copy(rendered, "/tmp/gunmane_council_map.png")   # for a human look

    # added to the project for editing, under the title's name
    layout = QgsProject.instance().layoutManager().layoutByName(title)
    assert layout is not None
    ids = {item.id() for item in layout.items() if hasattr(item, "id")}
    assert {"map", "legend", "scale_bar", "north_arrow"} <= ids
    map_item = layout.itemById("map")
    assert map_item.crs().authid() == "EPSG:6677"     # projected: JGD2011 zone IX
    QgsProject.instance().removeMapLayers([layer.id() for layer in layers])


def test_council_map_a4_and_error(qgis_app, tiny_region, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    pdf = tmp_path / "a4.pdf"
    processing.run("gunmane:council_map", {
        "LAYERS": [f"{tiny_region}|layername=municipalities"], "TITLE": "A4の地図", "PAPER": 1,
        "DPI": 72, "ADD_TO_PROJECT": False, "OUTPUT_PDF": str(pdf)})
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = [line for line in info.splitlines() if line.startswith("Page size")][0]
    # 297 x 210 mm = 841.89 x 595.28 pt, landscape
    assert "842 x 595" in size, size
    with pytest.raises(QgsProcessingException):
        processing.run("gunmane:council_map", {
            "LAYERS": [f"{tiny_region}|layername=municipalities"], "TITLE": "  ",
            "OUTPUT_PDF": str(tmp_path / "x.pdf")})


def _colour_pixels(png_path, rgb, tol=40):
    """Number of pixels within ``tol`` (sum of channel differences) of colour ``rgb``."""
    from qgis.PyQt.QtGui import QImage
    image = QImage(str(png_path))
    assert not image.isNull(), png_path
    hit = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if abs(c.red() - rgb[0]) + abs(c.green() - rgb[1]) + abs(c.blue() - rgb[2]) <= tol:
                hit += 1
    return hit


def test_model_chains_plan_into_council_map(qgis_app, sample_clip, tmp_path):
    """One model: gunmane:plan -> gunmane:council_map (the plan output, its detour routes and
    the towns), the plan drawn with the shipped plan.qml (removals in the library's colour,
    crossed out) and the detours with detours.qml (bold black dashes)."""
    import processing
    from gunmane_geo.maps.kinds import PLAN_CLASSES
    from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                           QgsProcessingModelChildParameterSource as Src,
                           QgsProcessingModelOutput, QgsProcessingModelParameter,
                           QgsProcessingParameterFeatureSource,
                           QgsProcessingParameterVectorLayer, QgsProject)
    from conftest import layer_uri
    model = QgsProcessingModelAlgorithm("plan_council_map", "tests")
    for name in ("bridges", "roads"):
        model.addModelParameter(QgsProcessingParameterFeatureSource(name, name),
                                QgsProcessingModelParameter(name))
    model.addModelParameter(QgsProcessingParameterVectorLayer("towns", "towns"),
                            QgsProcessingModelParameter("towns"))
    plan = QgsProcessingModelChildAlgorithm("gunmane:plan")
    plan.setChildId("plan")
    plan.addParameterSources("ROADS", [Src.fromModelParameter("roads")])
    plan.addParameterSources("BRIDGES", [Src.fromModelParameter("bridges")])
    plan.addParameterSources("TARGET_SAVING_PCT", [Src.fromStaticValue(3.0)])
    model.addChildAlgorithm(plan)
    council = QgsProcessingModelChildAlgorithm("gunmane:council_map")
    council.setChildId("map")
    council.addParameterSources("LAYERS", [Src.fromChildOutput("plan", "OUTPUT_PLAN"),
                                           Src.fromChildOutput("plan", "OUTPUT_DETOURS"),
                                           Src.fromModelParameter("towns")])
    for key, value in (("TITLE", "橋梁の集約・撤去計画（案）"), ("PAPER", 1), ("DPI", 110),
                       ("DATE", "2026年4月1日"), ("SOURCES", "架空県サンプルデータ"),
                       ("ADD_TO_PROJECT", False)):
        council.addParameterSources(key, [Src.fromStaticValue(value)])
    outputs = {}
    for name in ("OUTPUT_PDF", "OUTPUT_PNG"):
        out = QgsProcessingModelOutput(name.lower())
        out.setChildId("map")
        out.setChildOutputName(name)
        outputs[name.lower()] = out
    council.setModelOutputs(outputs)
    council.setDependencies([])
    model.addChildAlgorithm(council)
    model.updateDestinationParameters()
    pdf, png = tmp_path / "plan_map.pdf", tmp_path / "plan_map.png"
    gpkg = sample_clip["gpkg"]
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer, QgsVectorLayer
    towns = QgsVectorLayer(layer_uri(gpkg, "clip_municipalities"), "市区町村", "ogr")
    towns.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({
        "color": "238,238,238,255", "outline_color": "85,85,85,255", "outline_width": "0.3",
        "outline_style": "dash dot"})))         # the user's own style: kept as it is
    QgsProject.instance().addMapLayer(towns)
    try:
        result = processing.run(model, {"bridges": layer_uri(gpkg, "bridges"),
                                        "roads": layer_uri(gpkg, "roads"), "towns": towns.id(),
                                        "map:output_pdf": str(pdf), "map:output_png": str(png)})
    finally:
        QgsProject.instance().removeMapLayer(towns.id())
    assert result["map:output_pdf"] == str(pdf) and pdf.stat().st_size > 10_000
    assert png.exists()
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert noto and all(" yes " in line for line in noto), fonts
    text = _nfkc(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)
    assert _nfkc("橋梁の集約・撤去計画（案）") in text, text
    # the plan layer got the plugin's style and legend name: its classes are in the legend
    assert "Consolidationandremovalplan" in text, text
    assert "simpleremoval" in text and "keep" in text, text
    # the detour routes were recognised by their fields and styled, with their legend name
    assert "Detourroutes" in text, text
    # only the classes on the map are listed (the plan has no downsizing or consolidation here)
    shown = [en for _, en, *_ in PLAN_CLASSES.values() if _nfkc(en) in text]
    assert 2 <= len(shown) < len(PLAN_CLASSES), shown
    # the shipped style draws removals in the library's colour, and the page is not blank
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(out)], check=True)
    dark, coloured, (w, h) = _non_white_fraction(tmp_path / "page.png")
    assert abs(w / h - 297 / 210) < 0.02 and dark > 0.01, (w, h, dark)
    colour = PLAN_CLASSES["remove"][2]
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    assert _colour_pixels(png, rgb) >= 30, "no removal drawn in the plan style's colour"
    shutil.copy(png, "/tmp/gunmane_plan_council_map.png")   # for a human look
