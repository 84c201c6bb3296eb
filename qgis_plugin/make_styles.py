#!/usr/bin/env python3
"""Write the QML styles in ``gunmane/styles/`` from the library's map classes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python qgis_plugin/make_styles.py

Colours, markers and sizes come from ``gunmane_geo.maps.kinds`` (CRITICALITY_CLASSES,
OPTION_CLASSES, PLAN_CLASSES) and the detour line from ``gunmane_geo.maps.common``, so the QGIS outputs and the library's PDF maps agree.
The QML files are committed; run this again when the library's classes change
(``tests/qgis/test_styles.py`` fails when they drift apart).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_HASH_SEED", "0")      # the same XML attribute order on every run
HERE = Path(__file__).resolve().parent
STYLES = HERE / "gunmane" / "styles"

#: matplotlib marker -> QGIS simple marker shape
SHAPES = {"o": "circle", "s": "square", "D": "diamond", "^": "triangle", "v": "triangle",
          "P": "cross_fill", "X": "cross_fill", "$?$": "circle", "*": "star", "h": "hexagon"}
#: plan classes drawn crossed out (the bridge no longer carries vehicles)
CROSSED_OUT = ("remove", "remove_upgrade_detour", "consolidated")
FONT = "Noto Sans CJK JP"
BASE_SIZE_MM = 3.2


def _marker(colour: str, shape: str, factor: float, crossed: bool = False):
    from qgis.core import QgsMarkerSymbol, QgsSimpleMarkerSymbolLayer
    symbol = QgsMarkerSymbol.createSimple({
        "name": SHAPES.get(shape, "circle"), "color": colour, "outline_color": "35,35,35,255",
        "outline_width": "0.2", "size": f"{BASE_SIZE_MM * factor:.2f}",
        "angle": "45" if shape == "X" else ("180" if shape == "v" else "0")})
    if crossed:
        # a thin dark X through the marker, its arms beyond it: crossed out, while the
        # class colour stays visible (a bold black X would hide it)
        cross = QgsSimpleMarkerSymbolLayer.create({
            "name": "cross2", "color": "35,35,35,255", "outline_color": "35,35,35,255",
            "outline_width": "0.3", "size": f"{BASE_SIZE_MM * factor * 1.35:.2f}"})
        symbol.appendSymbolLayer(cross)
    return symbol


def _categorized(expression: str, classes: dict, crossed=()):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsRendererCategory
    categories = []
    for code, (ja, en, colour, shape, factor) in classes.items():
        symbol = _marker(colour, shape, factor, crossed=code in crossed)
        categories.append(QgsRendererCategory(code, symbol, f"{ja} / {en}"))
    return QgsCategorizedSymbolRenderer(expression, categories)


def _labeling(field_expression: str, show_expression: str | None = None, size=10.0):
    from qgis.core import (QgsPalLayerSettings, QgsProperty, QgsTextBufferSettings,
                           QgsTextFormat, QgsVectorLayerSimpleLabeling)
    from qgis.PyQt.QtGui import QColor, QFont
    fmt = QgsTextFormat()
    fmt.setFont(QFont(FONT))
    fmt.setSize(size)
    fmt.setColor(QColor("#222222"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    buffer.setColor(QColor("white"))
    fmt.setBuffer(buffer)
    settings = QgsPalLayerSettings()
    settings.fieldName = field_expression
    settings.isExpression = True
    settings.setFormat(fmt)
    settings.placement = QgsPalLayerSettings.OverPoint
    if show_expression:
        props = settings.dataDefinedProperties()
        props.setProperty(QgsPalLayerSettings.Show, QgsProperty.fromExpression(show_expression))
        settings.setDataDefinedProperties(props)
    return QgsVectorLayerSimpleLabeling(settings)


def _detour_line():
    """The detour route as on the library's maps (``maps.common.DETOUR_STYLE``/``DETOUR_CASING``):
    bold black dashes on a white casing twice as wide, legible in black and white."""
    from gunmane_geo.maps.common import DETOUR_CASING, DETOUR_STYLE
    from qgis.core import QgsLineSymbol, QgsSimpleLineSymbolLayer
    pt_mm = 25.4 / 72
    width = DETOUR_STYLE["linewidth"] * pt_mm                 # 2.6 pt = 0.92 mm
    dash, gap = (d * width for d in DETOUR_STYLE["linestyle"][1])   # matplotlib: x line width
    symbol = QgsLineSymbol.createSimple({
        "line_color": "255,255,255,255", "line_width": f"{DETOUR_CASING['linewidth'] * pt_mm:.2f}",
        "line_width_unit": "MM", "capstyle": "round", "joinstyle": "round"})
    dashes = QgsSimpleLineSymbolLayer.create({
        "line_color": "0,0,0,255", "line_width": f"{width:.2f}", "line_width_unit": "MM",
        "use_custom_dash": "1", "customdash": f"{dash:.2f};{gap:.2f}",
        "customdash_unit": "MM", "capstyle": "flat", "joinstyle": "round"})
    symbol.appendSymbolLayer(dashes)
    return symbol


def _fill(colour: str, alpha: int, outline: str, width: float):
    from qgis.core import QgsFillSymbol
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return QgsFillSymbol.createSimple({"color": f"{r},{g},{b},{alpha}", "outline_color": outline,
                                       "outline_width": f"{width}"})


def _graduated(expression: str, bounds, labels, colours, hatched_last: bool = False):
    """Graduated polygons: white outlines on dark fills (as the library's choropleths)."""
    from qgis.core import QgsFillSymbol, QgsGraduatedSymbolRenderer, QgsRendererRange
    ranges = []
    for i, ((lo, hi), label, colour) in enumerate(zip(bounds, labels, colours)):
        dark = i >= 3
        symbol = QgsFillSymbol.createSimple({
            "color": colour, "outline_color": "255,255,255,255" if dark else "35,35,35,255",
            "outline_width": "0.3"})
        if hatched_last and i == len(bounds) - 1:
            symbol = QgsFillSymbol.createSimple({"color": "255,255,255,255", "style": "diagonal_x",
                                                 "outline_color": "120,120,120,255",
                                                 "outline_width": "0.3"})
        ranges.append(QgsRendererRange(lo, hi, symbol, label))
    renderer = QgsGraduatedSymbolRenderer(expression, ranges)
    renderer.setSourceSymbol(QgsFillSymbol.createSimple({
        "color": colours[0], "outline_color": "35,35,35,255", "outline_width": "0.3"}))
    return renderer


def _sequential(n: int) -> list[str]:
    from gunmane_geo.maps.styles import sequential
    from matplotlib.colors import to_hex
    return [to_hex(c) for c in sequential(n)]


def build(out_dir: Path = STYLES) -> list[Path]:
    from qgis.core import (QgsApplication, QgsSingleSymbolRenderer, QgsVectorLayer)
    from gunmane_geo.maps.kinds import OPTION_CLASSES, PLAN_CLASSES, criticality_classes
    app = QgsApplication.instance()
    own = app is None
    if own:
        app = QgsApplication([], False)
        app.initQgis()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []

    def save(name, geometry, renderer, labeling=None):
        layer = QgsVectorLayer(f"{geometry}?crs=EPSG:6673", name, "memory")
        layer.setRenderer(renderer)
        if labeling is not None:
            layer.setLabeling(labeling)
            layer.setLabelsEnabled(True)
        path = out_dir / f"{name}.qml"
        message, ok = layer.saveNamedStyle(str(path))
        if not ok:
            raise RuntimeError(f"{path}: {message}")
        written.append(path)

    save("bridge_criticality", "Point", _categorized('criticality_class', criticality_classes()))
    save("bridge_options", "Point",
         _categorized('if("recommended", "option", NULL)', OPTION_CLASSES))
    save("plan", "Point", _categorized('plan_class', PLAN_CLASSES, crossed=CROSSED_OUT))
    save("detours", "MultiLineString", QgsSingleSymbolRenderer(_detour_line()))
    save("groups", "MultiPolygon",
         QgsSingleSymbolRenderer(_fill("#E69F00", 170, "35,35,35,255", 0.5)),
         _labeling('"group_name"', '"candidate" = 1', size=11.0))
    save("packages", "MultiPolygon",
         QgsSingleSymbolRenderer(_fill("#56B4E9", 110, "35,35,35,255", 0.4)),
         _labeling('"package_id"', None, size=10.0))
    # 見える化: share of bridges 50+ years old now, the library's ageing classes (left-closed,
    # so each upper bound sits just below the next class), then "no data" (NULL -> -1)
    from gunmane_geo.maps.kinds import AGEING_BREAKS, AGEING_LABELS
    eps = 1e-9
    edges = AGEING_BREAKS[:-1] + [1.0]
    bounds = [(lo if i == 0 else lo - eps, hi - eps if i < len(edges) - 2 else hi)
              for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:]))] + [(-1.5, -0.5)]
    save("indicators", "MultiPolygon",
         _graduated("if(\"level\" = 'municipality', coalesce(\"share_age50_now\", -1), NULL)",
                    bounds, list(AGEING_LABELS) + ["データなし / no data"],
                    _sequential(len(AGEING_LABELS)) + ["#FFFFFF"], hatched_last=True),
         _labeling("if(\"level\" = 'municipality', \"unit_name\" || '\\n' || "
                   "coalesce(format_number(\"share_age50_now\" * 100, 0) || '%', '-'), NULL)",
                   None, size=10.0))
    # 導入効果試算: total reduction per year; breaks are set from the data when it loads
    save("effect", "MultiPolygon",
         _graduated("if(\"level\" = 'municipality', \"total_reduction_yen\", NULL)",
                    [(0, 1e6), (1e6, 1e7), (1e7, 1e8)], ["< 100万円", "100万〜1,000万円",
                                                         "1,000万〜1億円"], _sequential(3)),
         _labeling("if(\"level\" = 'municipality', \"unit_name\" || '\\n▲' || "
                   "format_number(\"total_reduction_yen\" / 10000, 0) || '万円/年', NULL)",
                   None, size=10.0))
    if own:
        app.exitQgis()
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    for path in build():
        print(path)
