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
    crossed out) and the detours with detours.qml (bold black dashes), with detail maps of
    the longest detours under the legend and their numbered frames on the main map."""
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
    council = QgsProcessingModelChildAlgorithm("gunmane:council_map")
    council.setChildId("map")
    council.addParameterSources("LAYERS", [Src.fromChildOutput("plan", "OUTPUT_PLAN"),
                                           Src.fromChildOutput("plan", "OUTPUT_DETOURS"),
                                           Src.fromModelParameter("towns")])
    title = "橋梁の集約・撤去計画（案）"
    for key, value in (("TITLE", title), ("PAPER", 1), ("DPI", 110),
                       ("DATE", "2026年4月1日"), ("SOURCES", "架空県サンプルデータ"),
                       ("ADD_TO_PROJECT", True)):
        council.addParameterSources(key, [Src.fromStaticValue(value)])
    outputs = {}
    for name in ("OUTPUT_PDF", "OUTPUT_PNG"):
        out = QgsProcessingModelOutput(name.lower())
        out.setChildId("map")
        out.setChildOutputName(name)
        outputs[name.lower()] = out
    council.setModelOutputs(outputs)
    council.setDependencies([])
    detours_out = QgsProcessingModelOutput("detours")     # kept to check the details against
    detours_out.setChildId("plan")
    detours_out.setChildOutputName("OUTPUT_DETOURS")
    plan.setModelOutputs({"detours": detours_out})
    model.addChildAlgorithm(plan)
    model.addChildAlgorithm(council)
    model.updateDestinationParameters()
    pdf, png = tmp_path / "plan_map.pdf", tmp_path / "plan_map.png"
    detours_gpkg = tmp_path / "detours.gpkg"
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
                                        "plan:detours": str(detours_gpkg),
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

    # detail maps: one per detour area (overlapping detours share one), the longest first,
    # each containing its detours' routes; a numbered frame for each on the main map
    manager = QgsProject.instance().layoutManager()
    layout = manager.layoutByName(title)
    assert layout is not None
    try:
        _check_details(layout, QgsVectorLayer(str(detours_gpkg), "detours", "ogr"), text,
                       tmp_path / "page.png", max_frames=4)
    finally:
        manager.removeLayout(layout)


def _detours_by_bridge(layer):
    """``{bridge_id: (detour_m, bounding box, geometry)}`` of the routes with a geometry."""
    import math
    found = {}
    for feature in layer.getFeatures():
        detour = feature["detour_m"]
        if feature.geometry().isEmpty() or detour is None or not math.isfinite(float(detour)):
            continue
        found[str(feature["bridge_id"])] = (float(detour), feature.geometry().boundingBox(),
                                            feature.geometry())
    return found


def _check_details(layout, detour_layer, pdf_text, page_png, max_frames):
    """The detail maps of ``layout`` against the detour routes: every route is in one
    detail (up to ``max_frames`` areas), the longest detour first, the captions are in the
    PDF, the frames are on the page and on the main map, and the detours are drawn there.
    Returns the detail map items."""
    from qgis.core import QgsLayoutItemMap
    routes = _detours_by_bridge(detour_layer)
    assert routes, "the plan made no detour: the fixture no longer tests the details"
    maps = [layout.itemById(f"detail_{n}") for n in range(1, 7)]
    maps = [item for item in maps if item is not None]
    assert 1 <= len(maps) <= max_frames
    assert all(isinstance(item, QgsLayoutItemMap) for item in maps)
    assert layout.itemById(f"detail_{len(maps) + 1}") is None
    main = layout.itemById("map")
    page = layout.pageCollection().page(0).rect()
    longest = []
    for number, item in enumerate(maps, 1):
        inside = [b for b, (_, box, _) in routes.items() if item.extent().contains(box)]
        assert inside, f"detail {number} shows no whole route"
        longest.append(max(routes[b][0] for b in inside))
        # captioned with the longest detour's bridge, printed in the PDF
        caption = layout.itemById(f"detail_{number}_caption").text()
        best = max(inside, key=lambda b: routes[b][0])
        assert best in caption and caption.startswith(f"Detour {number}:"), caption
        # (Qt's PDF writer gives some digits of the CJK font no character: compare without;
        # a caption may wrap over lines in the PDF, and in a strip of frames pdftotext puts
        # the neighbours' captions between its lines: compare word by word)
        flat = _no_digits(pdf_text).replace("\n", "")
        detour = layout.itemById(f"detail_{number}_detour").text()
        for text in (caption, detour):
            for word in text.split():
                assert _no_digits(_nfkc(word)) in flat, (text, word, pdf_text)
        # on the page, clear of the main map and the legend
        rect = item.sceneBoundingRect()
        assert page.contains(rect), (number, rect)
        assert not rect.intersects(main.sceneBoundingRect()), number
        assert not rect.intersects(layout.itemById("legend").sceneBoundingRect()), number
        # the numbered frame on the main map, linked to this detail, and its number
        overview = main.overviews().overview(number - 1)
        assert overview.linkedMap() is item and overview.enabled()
        badge = layout.itemById(f"map_detail_{number}_number")
        assert badge.text() == str(number)
        assert main.sceneBoundingRect().contains(badge.sceneBoundingRect())
    assert longest == sorted(longest, reverse=True), longest
    # every route with a geometry is in a detail, unless more areas than frames
    covered = {b for b, (_, box, _) in routes.items() if any(m.extent().contains(box) for m in maps)}
    assert covered == set(routes) or len(maps) == max_frames, (covered, set(routes))
    # the bold black dashes of detours.qml are drawn along each route inside the detail
    # maps of the PDF (rendered by poppler): 2.75 mm dash, 1.47 mm gap, so about 65 % of
    # points sampled every 0.5 mm along a route lie on black (crossed-out bridges cover
    # little of a route; a missing or misplaced route scores near 0)
    from qgis.PyQt.QtCore import QPointF
    from qgis.PyQt.QtGui import QImage
    image = QImage(str(page_png))
    px_per_mm = image.width() / page.width()
    for number, item in enumerate(maps, 1):
        samples = on_black = 0
        for bridge, (_, box, geometry) in routes.items():
            if not item.extent().contains(box):
                continue
            step = item.scale() * 0.5 / 1000       # 0.5 mm on paper, in metres
            dense = geometry.densifyByDistance(step)   # kept: vertices() does not own it
            for vertex in dense.vertices():
                at = item.pos() + item.mapToItemCoords(QPointF(vertex.x(), vertex.y()))
                x, y = int(at.x() * px_per_mm), int(at.y() * px_per_mm)
                samples += 1
                on_black += any(sum(image.pixelColor(x + dx, y + dy).getRgb()[:3]) < 150
                                for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        assert samples >= 20 and on_black / samples > 0.5, (number, on_black, samples)
    return maps


def _box(item):
    """A layout item's rectangle on the page (mm), without its frame's stroke."""
    from qgis.PyQt.QtCore import QRectF
    return QRectF(item.pos(), item.rect().size())


def _no_digits(text):
    import re
    return re.sub(r"[0-9]", "", text)


def _line_layer(rows):
    """A memory layer of detour routes (EPSG:6673): rows of (bridge_id, wkt, detour_m)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
    layer = QgsVectorLayer("LineString?crs=EPSG:6673&field=bridge_id:string&"
                           "field=plan_option:string&field=detour_m:double", "detours", "memory")
    features = []
    for bridge, wkt, detour in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([bridge, "remove", detour])
        feature.setGeometry(QgsGeometry.fromWkt(wkt) if wkt else QgsGeometry())
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


def test_detour_details_merge_rank_and_skip(qgis_app):
    """Overlapping close-ups merge; the longest detour first; routes without geometry or
    detour are counted, not drawn; worked out by hand from the 200 m minimum span and the
    15 % margin (half side = 0.65 x span)."""
    from gunmane.layout import detour_details
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle, QgsVectorLayer
    crs = QgsCoordinateReferenceSystem("EPSG:6673")
    detours = _line_layer([
        ("A", "LineString(0 0, 100 0)", 350.0),           # [-80, -130, 180, 130]
        ("B", "LineString(150 50, 250 50)", 900.0),       # [70, -80, 330, 180]: overlaps A
        ("C", "LineString(5000 5000, 5600 5000)", 1200.0),  # span 600: [4910, 4610, 5690, 5390]
        ("D", None, float("inf")),                        # cut off: no route
        ("E", "LineString(10000 0, 10050 0)", None),      # no detour value
        ("F", "LineString(20000 0, 20100 0)", 100.0),     # alone, shortest
    ])
    points = QgsVectorLayer("Point?crs=EPSG:6673&field=bridge_id:string", "bridges", "memory")
    found = detour_details([points, detours], crs, max_frames=2)
    assert [d.bridge_ids for d in found.shown] == [["C"], ["B", "A"]]
    assert [d.detour_m for d in found.shown] == [1200.0, 900.0]
    assert found.shown[0].extent == QgsRectangle(4910, 4610, 5690, 5390)
    assert found.shown[1].extent == QgsRectangle(-80, -130, 330, 180)
    assert (found.without_route, found.outside_extent, found.not_shown) == (2, 0, 1)
    near = detour_details([detours], crs, max_frames=6, within=QgsRectangle(-1000, -1000, 1000, 1000))
    assert [d.bridge_ids for d in near.shown] == [["B", "A"]]
    assert (near.without_route, near.outside_extent, near.not_shown) == (2, 2, 0)
    assert detour_details([detours], crs, max_frames=0).shown == []
    assert detour_details([points], crs, max_frames=4).shown == []
    with pytest.raises(ValueError):
        detour_details([detours], crs, max_frames=7)


@pytest.fixture(scope="module")
def plan_files(qgis_app, sample_clip, tmp_path_factory):
    """gunmane:plan on the sample clip (3 % saving): the plan and its detour routes as files."""
    import processing
    from conftest import layer_uri
    out = tmp_path_factory.mktemp("plan")
    gpkg = sample_clip["gpkg"]
    result = processing.run("gunmane:plan", {
        "ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
        "TARGET_SAVING_PCT": 3.0, "OUTPUT_PLAN": str(out / "plan.gpkg"),
        "OUTPUT_CURVE": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT",
        "OUTPUT_DETOURS": str(out / "detours.gpkg")})
    return {"plan": result["OUTPUT_PLAN"], "detours": result["OUTPUT_DETOURS"],
            "towns": layer_uri(gpkg, "clip_municipalities")}


def _long_legend_layer(uri, classes=22, last_label=None):
    """The towns with a user style of ``classes`` categories: a legend taller than the map.
    ``last_label`` replaces the last category's label (digits may not survive pdftotext)."""
    from qgis.core import (QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory,
                           QgsVectorLayer)
    layer = QgsVectorLayer(uri, "区域", "ogr")
    categories = [QgsRendererCategory(f"c{i}", QgsFillSymbol.createSimple(
        {"color": f"{40 + 9 * (i % 20)},200,120,255"}), f"区分 {i}") for i in range(classes)]
    if last_label:
        categories[-1].setLabel(last_label)
    layer.setRenderer(QgsCategorizedSymbolRenderer("municipality_code", categories))
    return layer


def _run_council_map(layers, title, pdf, frames):
    import processing
    from qgis.core import QgsProject
    processing.run("gunmane:council_map", {
        "LAYERS": layers, "TITLE": title, "PAPER": 1, "DPI": 60, "DETAIL_FRAMES": frames,
        "DATE": "2026年4月1日", "ADD_TO_PROJECT": True, "OUTPUT_PDF": str(pdf)})
    return QgsProject.instance().layoutManager().layoutByName(title)


def test_detail_strip_when_legend_is_long(qgis_app, plan_files, tmp_path):
    """A legend that fills the column pushes the details into a strip under the map: the map
    gets shorter, the strip lies between it and the footer, on the page."""
    from qgis.core import QgsProject, QgsVectorLayer
    towns = _long_legend_layer(plan_files["towns"])
    QgsProject.instance().addMapLayer(towns)
    pdf = tmp_path / "strip.pdf"
    manager = QgsProject.instance().layoutManager()
    plain = None
    try:
        layout = _run_council_map([plan_files["detours"], plan_files["plan"], towns.id()],
                                  "迂回路の詳細図（帯）", pdf, 6)
        plain = _run_council_map([plan_files["plan"], towns.id()], "詳細図なし", tmp_path / "p.pdf", 6)
    finally:
        QgsProject.instance().removeMapLayer(towns.id())
    try:
        text = _nfkc(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout)
        out = tmp_path / "page"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(out)],
                       check=True)
        shutil.copy(tmp_path / "page.png", "/tmp/gunmane_council_map_strip.png")  # a human look
        maps = _check_details(layout, QgsVectorLayer(plan_files["detours"], "d", "ogr"), text,
                              tmp_path / "page.png", max_frames=6)
        main, full = _box(layout.itemById("map")), _box(plain.itemById("map"))
        assert main.top() == full.top() and main.width() == full.width()
        assert main.height() < full.height() * 0.8, (main, full)
        for item in maps:       # in one row under the map, above the footer
            rect = _box(item)
            assert rect.top() > main.bottom() and rect.bottom() < full.bottom() + 1, rect
            assert main.left() - 0.01 <= rect.left() and rect.right() <= main.right() + 0.01
        assert len({round(_box(m).top(), 3) for m in maps}) == 1
    finally:
        manager.removeLayout(layout)
        if plain is not None:
            manager.removeLayout(plain)


def test_no_detail_frames_layout_unchanged(qgis_app, plan_files, tmp_path):
    """DETAIL_FRAMES = 0 with the detours, or no detour layer: no detail items, no frames on
    the map, and the map keeps the layout's usual size."""
    from qgis.core import QgsProject
    manager = QgsProject.instance().layoutManager()
    off = _run_council_map([plan_files["detours"], plan_files["plan"], plan_files["towns"]],
                           "詳細図0", tmp_path / "off.pdf", 0)
    none = _run_council_map([plan_files["plan"], plan_files["towns"]], "迂回路なし",
                            tmp_path / "none.pdf", 4)
    try:
        for layout in (off, none):
            ids = {item.id() for item in layout.items() if hasattr(item, "id")}
            assert not any(i.startswith(("detail_", "map_detail_")) for i in ids), ids
            main = layout.itemById("map")
            assert main.overviews().size() == 0
            # A4 = A3 design x 297/420: 297 - 2 x 10 margin - 85 legend - 5 gap = 219.2 mm wide
            assert abs(main.rect().width() - (297 - (2 * 10 + 85 + 5) * 297 / 420)) < 0.01
        assert off.itemById("map").rect() == none.itemById("map").rect()
    finally:
        manager.removeLayout(off)
        manager.removeLayout(none)


def _feedback():
    """A Processing feedback that keeps its info lines and warnings."""
    from qgis.core import QgsProcessingFeedback

    class Kept(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos, self.warnings = [], []

        def pushInfo(self, text):          # noqa: N802
            self.infos.append(text)

        def pushWarning(self, text):       # noqa: N802
            self.warnings.append(text)
    return Kept()


def _legend_box(layout):
    """The legend's rectangle on the page (mm) at its size after a layout refresh."""
    from qgis.PyQt.QtCore import QRectF
    layout.refresh()
    legend = layout.itemById("legend")
    size = legend.sizeWithUnits()
    assert size.units() == 0, size      # QgsUnitTypes.LayoutMillimeters
    return QRectF(legend.pos().x(), legend.pos().y(), size.width(), size.height())


def _word_boxes(pdf, word):
    """``[(x_min, y_min, x_max, y_max)]`` in pt of each word ``word`` pdftotext finds."""
    import html
    import re
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    return [tuple(float(v) for v in m.groups()[:4]) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        xhtml) if _nfkc(html.unescape(m.group(5))) == _nfkc(word)]


def test_long_legend_split_into_two_columns_on_the_page(qgis_app, sample_clip, tmp_path):
    """30 categories on A4 make a legend (about 212 mm) taller than the map (174 mm): it is
    set in two columns at the design's size, inside the column beside the map, and the last
    category is printed on the page."""
    import processing
    from conftest import layer_uri
    from qgis.core import QgsLegendStyle, QgsProject
    last = "末尾の区分"
    towns = _long_legend_layer(layer_uri(sample_clip["gpkg"], "clip_municipalities"), 30, last)
    QgsProject.instance().addMapLayer(towns)
    pdf, title = tmp_path / "legend.pdf", "長い凡例"
    feedback = _feedback()
    try:
        processing.run("gunmane:council_map", {
            "LAYERS": [towns.id()], "TITLE": title, "PAPER": 1, "DPI": 60, "DETAIL_FRAMES": 0,
            "DATE": "2026年4月1日", "ADD_TO_PROJECT": True, "OUTPUT_PDF": str(pdf)},
            feedback=feedback)
    finally:
        QgsProject.instance().removeMapLayer(towns.id())
    manager = QgsProject.instance().layoutManager()
    layout = manager.layoutByName(title)
    try:
        layout.refresh()
        legend = layout.itemById("legend")
        assert legend.columnCount() == 2 and legend.splitLayer()
        # the design's size (11 pt at A3 x 297/420): splitting was enough
        label_pt = legend.rstyle(QgsLegendStyle.SymbolLabel).font().pointSizeF()
        assert abs(label_pt - 11 * 297 / 420) < 0.01, label_pt
        box, main = _legend_box(layout), _box(layout.itemById("map"))
        margin = 10 * 297 / 420
        assert box.height() > 20 * 4.0, box   # 15 rows of 4 mm symbols at least: real content
        assert main.right() < box.left() and box.top() == main.top(), (box, main)
        assert box.right() <= 297 - margin + 0.01 and box.bottom() <= main.bottom() + 0.01, box
        assert feedback.warnings == [], feedback.warnings
        assert any("2 columns" in line for line in feedback.infos), feedback.infos
        # the last category's label is printed inside the legend's box on the page (pt)
        words = _word_boxes(pdf, last)
        assert len(words) == 1, words
        mm = 25.4 / 72
        x_min, y_min, x_max, y_max = (v * mm for v in words[0])
        assert box.left() <= x_min and x_max <= box.right() + 0.5, (words, box)
        assert box.top() <= y_min and y_max <= box.bottom() + 0.5, (words, box)
        out = tmp_path / "page"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(out)],
                       check=True)
        shutil.copy(tmp_path / "page.png", "/tmp/gunmane_council_map_long_legend.png")  # a look
        dark, _, (w, h) = _non_white_fraction(tmp_path / "page.png")
        assert abs(w / h - 297 / 210) < 0.02 and dark > 0.01, (w, h, dark)
    finally:
        manager.removeLayout(layout)


def test_short_legend_stays_one_column(qgis_app, sample_clip):
    """Three categories: one column at the design's size, nothing said in the log."""
    from conftest import layer_uri
    from gunmane.layout import build_council_layout
    from qgis.core import QgsLegendStyle, QgsProject
    towns = _long_legend_layer(layer_uri(sample_clip["gpkg"], "clip_municipalities"), 3)
    feedback = _feedback()
    layout = build_council_layout(QgsProject.instance(), [towns], title="短い凡例", paper="A4",
                                  feedback=feedback)
    legend = layout.itemById("legend")
    assert legend.columnCount() == 1 and not legend.splitLayer()
    assert abs(legend.rstyle(QgsLegendStyle.SymbolLabel).font().pointSizeF() - 11 * 297 / 420) < 0.01
    assert (legend.symbolWidth(), legend.symbolHeight()) == (7.0, 4.0)   # QGIS's default
    assert feedback.infos == [] and feedback.warnings == []


def test_legend_too_long_is_shrunk_to_the_floor_and_warned(qgis_app, sample_clip):
    """200 categories cannot fit on A4 (at 7 pt a row is about 6 mm: 100 rows in a column
    of 174 mm): two columns at the 7 pt floor, and a warning that gives the fixes."""
    from conftest import layer_uri
    from gunmane.layout import MIN_LEGEND_LABEL_PT, build_council_layout
    from qgis.core import QgsLegendStyle, QgsProject
    towns = _long_legend_layer(layer_uri(sample_clip["gpkg"], "clip_municipalities"), 200)
    feedback = _feedback()
    layout = build_council_layout(QgsProject.instance(), [towns], title="長すぎる凡例",
                                  paper="A4", feedback=feedback)
    legend = layout.itemById("legend")
    assert legend.columnCount() == 2
    assert legend.rstyle(QgsLegendStyle.SymbolLabel).font().pointSizeF() == MIN_LEGEND_LABEL_PT
    assert len(feedback.warnings) == 1, feedback.warnings
    warning = feedback.warnings[0]
    assert "does not fit" in warning and "A3" in warning and "fewer categories" in warning
    assert "7.0 pt" in warning, warning


def test_long_legend_on_a3_shrinks_before_warning(qgis_app, sample_clip):
    """A3 starts at 11 pt: 90 categories do not fit in two columns at that size beside the
    248 mm high map, so the labels get smaller (8.0 pt), not below 7 pt, and the legend fits
    its column (sized before the layout is painted)."""
    from conftest import layer_uri
    from gunmane.layout import MIN_LEGEND_LABEL_PT, build_council_layout
    from qgis.core import QgsLegendStyle, QgsProject
    towns = _long_legend_layer(layer_uri(sample_clip["gpkg"], "clip_municipalities"), 90)
    feedback = _feedback()
    layout = build_council_layout(QgsProject.instance(), [towns], title="A3の長い凡例",
                                  paper="A3", feedback=feedback)
    legend = layout.itemById("legend")
    label_pt = legend.rstyle(QgsLegendStyle.SymbolLabel).font().pointSizeF()
    assert legend.columnCount() == 2 and MIN_LEGEND_LABEL_PT <= label_pt < 11, label_pt
    assert feedback.warnings == [], feedback.warnings
    box, main = _legend_box(layout), _box(layout.itemById("map"))
    assert box.height() > main.height() * 0.8, (box, main)     # sized, and fills the column
    assert box.bottom() <= main.bottom() + 0.01 and box.right() <= 420 - 10 + 0.01, (box, main)
