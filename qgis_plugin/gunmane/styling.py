"""Styles of the outputs, applied when QGIS loads them (a layer post-processor).

Each styled output kind has a QML file in ``styles/`` (made by ``qgis_plugin/make_styles.py``
from the library's map classes, ``gunmane_geo.maps.kinds``, so QGIS and the library's PDF
maps use the same colours and markers):

* ``bridge_criticality``: points by ``criticality_class`` (low .. isolating, unknown);
* ``bridge_options``: the recommended option of each bridge (other rows are not drawn);
* ``plan``: points by ``plan_class``; removed bridges are crossed out (a black X on top);
* ``detours``: the plan's detour routes (lines with ``bridge_id``, ``plan_option`` and
  ``detour_m``): bold black dashes on a white casing, as on the library's plan maps;
* ``groups`` and ``packages``: one colour per group/package (Okabe-Ito, then hatched),
  labelled with the group name; built from the data when the layer loads, because the
  group ids are only known then.  Only candidate 1 (the best partition) is drawn.
* ``indicators``: graduated on the share of bridges 50+ years old now (the library's
  ageing classes: 20 % wide, cividis, darker = older; a hatched "no data" class),
  municipality rows only, labelled with name and share;
* ``effect``: graduated on the total cost reduction per year (yen) of the municipality
  rows, at most five classes of a round width computed when the layer loads
  (:func:`round_breaks`), labelled with name and amount.

Category labels follow QGIS's language (Japanese or English, from the library's tables).
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsProcessingLayerPostProcessorInterface,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from .i18n import installed_locale, tr

STYLES_DIR = Path(__file__).resolve().parent / "styles"
STYLE_NAMES = ("bridge_criticality", "bridge_options", "plan", "detours", "groups", "packages",
               "indicators", "effect")
#: ageing classes of the indicators style: (lower, upper) share, as the library's map_ageing
#: (left-closed: 0.2 is in 20-40 %); the upper bounds sit just below the next class
AGEING_EPS = 1e-9
NO_DATA = -1.0
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#999999"]
FILL_STYLES = ["solid", "b_diagonal", "f_diagonal", "dense5", "diagonal_x", "horizontal",
               "vertical", "cross"]

# QGIS calls the post-processor through a raw pointer: Python must keep it alive.
_KEEP: list = []


def qml_path(style: str) -> Path:
    return STYLES_DIR / f"{style}.qml"


def class_labels(style: str, settings=None) -> dict:
    """``{class code: label}`` in QGIS's language for the classed styles (else empty).

    Criticality labels carry the run's detour breaks (``settings.guards.max_detour_m``).
    """
    from gunmane_geo.maps import kinds
    if style == "bridge_criticality":
        table = kinds.criticality_classes(settings)
    else:
        table = {"bridge_options": kinds.OPTION_CLASSES, "plan": kinds.PLAN_CLASSES}.get(style, {})
    column = 0 if installed_locale() == "ja" else 1
    return {code: values[column] for code, values in table.items()}


def _dynamic_categories(layer: QgsVectorLayer, id_field: str, name_field: str | None):
    """One category per id of candidate 1 (or all rows without a ``candidate`` field)."""
    names = layer.fields().names()
    if id_field not in names:
        return
    has_candidate = "candidate" in names
    labels = {}
    for feature in layer.getFeatures():
        if has_candidate and feature["candidate"] not in (1, "1"):
            continue
        key = feature[id_field]
        if key is None or str(key) in ("", "NULL"):
            continue
        label = str(key)
        if name_field and name_field in names and feature[name_field] not in (None, ""):
            label = f"{key} {feature[name_field]}"
        labels[str(key)] = label
    base = layer.renderer().symbol() if hasattr(layer.renderer(), "symbol") else None
    categories = []
    for i, key in enumerate(sorted(labels)):
        symbol = base.clone() if base is not None else QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(OKABE_ITO[i % len(OKABE_ITO)]))
        fill = symbol.symbolLayer(0)
        if hasattr(fill, "setBrushStyle") and i >= len(OKABE_ITO):
            from qgis.PyQt.QtCore import Qt
            brushes = [Qt.BDiagPattern, Qt.FDiagPattern, Qt.Dense5Pattern, Qt.DiagCrossPattern,
                       Qt.HorPattern, Qt.VerPattern, Qt.CrossPattern]
            fill.setBrushStyle(brushes[(i // len(OKABE_ITO) - 1) % len(brushes)])
        categories.append(QgsRendererCategory(key, symbol, labels[key]))
    expression = f'if("candidate" = 1, "{id_field}", NULL)' if has_candidate else f'"{id_field}"'
    layer.setRenderer(QgsCategorizedSymbolRenderer(expression, categories))


def style_for_layer(layer) -> str | None:
    """Which of our styles fits ``layer`` (one of our outputs), from its fields; else None.

    plan -> ``plan_class``; criticality -> ``criticality_class``; options -> ``recommended``
    and ``option``; detours -> lines with ``bridge_id``, ``plan_option`` and ``detour_m``;
    groups -> ``group_id`` and ``candidate``; packages -> ``package_id``;
    indicators -> ``level`` and ``share_age<T>_now``; effect -> ``level`` and
    ``total_reduction_yen``.
    """
    import re
    if not isinstance(layer, QgsVectorLayer):
        return None
    names = set(layer.fields().names())
    polygon = layer.geometryType() == 2            # QgsWkbTypes.PolygonGeometry
    if "plan_class" in names:
        return "plan"
    if "criticality_class" in names:
        return "bridge_criticality"
    if {"recommended", "option"} <= names:
        return "bridge_options"
    if layer.geometryType() == 1 and {"bridge_id", "plan_option", "detour_m"} <= names:
        return "detours"                           # QgsWkbTypes.LineGeometry
    if polygon and {"group_id", "candidate"} <= names:
        return "groups"
    if polygon and "package_id" in names:
        return "packages"
    if polygon and "level" in names and any(re.fullmatch(r"share_age\d+_now", n) for n in names):
        return "indicators"
    if polygon and {"level", "total_reduction_yen"} <= names:
        return "effect"
    return None


def prune_categories(layer) -> int:
    """Drop the categories of a categorized renderer that no feature of ``layer`` falls in
    (a council legend lists only the classes the map shows); returns how many were dropped.
    Graduated renderers keep every class: a choropleth's scale stays whole."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils
    renderer = layer.renderer() if isinstance(layer, QgsVectorLayer) else None
    if not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return 0
    attribute = renderer.classAttribute()
    if attribute in layer.fields().names():
        present = {str(v) for v in layer.uniqueValues(layer.fields().indexOf(attribute))}
    else:
        expression = QgsExpression(attribute)
        context = QgsExpressionContext()
        context.appendScope(QgsExpressionContextUtils.layerScope(layer))
        present = set()
        for feature in layer.getFeatures():
            context.setFeature(feature)
            present.add(str(expression.evaluate(context)))
    dropped = 0
    for i in reversed(range(len(renderer.categories()))):
        if str(renderer.categories()[i].value()) not in present:
            renderer.deleteCategory(i)
            dropped += 1
    return dropped


def style_title(style: str) -> str:
    """Legend name of an output styled by us (QGIS's language)."""
    return {"plan": tr("Consolidation and removal plan"),
            "bridge_criticality": tr("Bridge criticality"),
            "bridge_options": tr("Recommended option per bridge"),
            "detours": tr("Detour routes"),
            "groups": tr("Municipal groups"),
            "packages": tr("Asset packages"),
            "indicators": tr("Share of bridges 50+ years old"),
            "effect": tr("Total cost reduction per year")}.get(style, style)


def ageing_labels() -> list[str]:
    """Labels of the indicators classes (five 20 % classes, then no data)."""
    from gunmane_geo.maps.kinds import AGEING_LABELS
    if installed_locale() == "ja":
        return list(AGEING_LABELS) + ["データなし（架設年不明）"]
    return ["under 20 %", "20-40 %", "40-60 %", "60-80 %", "80 % or more",
            "no data (year built unknown)"]


def _share_column(layer) -> str | None:
    import re
    cols = sorted(n for n in layer.fields().names() if re.fullmatch(r"share_age\d+_now", n))
    return cols[0] if cols else None


def _style_indicators(layer) -> None:
    """Point the graduated renderer and the labels at the layer's ``share_age<T>_now``."""
    from qgis.core import QgsGraduatedSymbolRenderer
    column = _share_column(layer)
    renderer = layer.renderer()
    if column is None or not isinstance(renderer, QgsGraduatedSymbolRenderer):
        return
    renderer.setClassAttribute(
        f'if("level" = \'municipality\', coalesce("{column}", {NO_DATA}), NULL)')
    labels = ageing_labels()
    for i, rng in enumerate(renderer.ranges()):     # class k starts at 0.2 k; no data below 0
        k = len(labels) - 1 if rng.upperValue() < 0 else int(round(rng.lowerValue() / 0.2))
        renderer.updateRangeLabel(i, labels[min(max(k, 0), len(labels) - 1)])
    _set_label_expression(layer, f'if("level" = \'municipality\', "unit_name" || \'\\n\' || '
                                 f'coalesce(format_number("{column}" * 100, 0) || \'%\', \'-\'), NULL)')


def _set_label_expression(layer, expression: str) -> None:
    labeling = layer.labeling()
    if labeling is None or not hasattr(labeling, "settings"):
        return
    settings = labeling.settings()
    settings.fieldName = expression
    settings.isExpression = True
    labeling.setSettings(settings)


def yen_label(value: float) -> str:
    """Yen in QGIS's language: 1.23億円 / 4,560万円 in Japanese, 12.3 M yen in English."""
    if installed_locale() == "ja":
        from gunmane_geo.maps.kinds import yen_ja
        return yen_ja(value)
    return f"{value / 1e6:,.1f} M yen" if abs(value) >= 1e5 else f"{value:,.0f} yen"


def _style_effect(layer) -> None:
    """Round breaks of the municipalities' total reduction (yen/year), cividis colours."""
    from qgis.core import QgsGraduatedSymbolRenderer, QgsRendererRange
    renderer = layer.renderer()
    if not isinstance(renderer, QgsGraduatedSymbolRenderer) or \
            "total_reduction_yen" not in layer.fields().names():
        return
    values = [float(f["total_reduction_yen"]) for f in layer.getFeatures()
              if f["level"] == "municipality" and f["total_reduction_yen"] not in (None, "")
              and str(f["total_reduction_yen"]) != "NULL"]
    if not values:
        return
    pairs = round_breaks(min(values), max(values))
    base = renderer.sourceSymbol() or (renderer.ranges()[0].symbol() if renderer.ranges() else None)
    colours = _cividis(len(pairs))
    for i in reversed(range(len(renderer.ranges()))):
        renderer.deleteClass(i)
    for (a, b), colour in zip(pairs, colours):
        symbol = base.clone()
        symbol.setColor(QColor(colour))
        label = f"{yen_label(a)} – {yen_label(b)}" if b > a else yen_label(a)
        renderer.addClassRange(QgsRendererRange(a, b, symbol, label))
    if installed_locale() == "ja":
        amount = 'format_number("total_reduction_yen" / 10000, 0) || \'万円/年\''
    else:
        amount = 'format_number("total_reduction_yen" / 1000000, 1) || \' M yen/yr\''
    _set_label_expression(layer, f'if("level" = \'municipality\', "unit_name" || \'\\n▲\' || '
                                 f'coalesce({amount}, \'-\'), NULL)')


def round_breaks(lo: float, hi: float, max_classes: int = 5) -> list[tuple[float, float]]:
    """Equal classes of a round width (1, 2, 2.5, 3, 4 or 5 x 10^n) covering [lo, hi]:
    the narrowest width that needs at most ``max_classes`` classes, starting at a multiple
    of the width (0 - 300万, 300万 - 600万, ...)."""
    import math
    if not hi > lo:
        return [(lo, hi)]
    span = hi - lo
    exp = math.floor(math.log10(span / max_classes))
    for e in (exp, exp + 1):
        for m in (1, 2, 2.5, 3, 4, 5):
            step = m * 10 ** e
            start, stop = math.floor(lo / step) * step, math.ceil(hi / step) * step
            n = max(int(round((stop - start) / step)), 1)
            if n <= max_classes:
                return [(start + k * step, start + (k + 1) * step) for k in range(n)]
    return [(lo, hi)]


def _cividis(n: int) -> list[str]:
    """``n`` cividis colours light to dark, as the library's choropleths."""
    from gunmane_geo.maps.styles import sequential
    from matplotlib.colors import to_hex
    return [to_hex(c) for c in sequential(max(n, 1))][:n]


def apply_style(layer, style: str, labels: dict | None = None) -> bool:
    """Apply ``styles/<style>.qml`` to ``layer`` and label its categories in QGIS's language.

    ``labels`` (``{class code: label}``) replaces the category labels; default
    :func:`class_labels` with default settings.  Returns True when the style was applied.
    """
    if not isinstance(layer, QgsVectorLayer) or style not in STYLE_NAMES:
        return False
    _message, ok = layer.loadNamedStyle(str(qml_path(style)))
    if not ok:
        return False
    if style == "groups":
        _dynamic_categories(layer, "group_id", "group_name")
    elif style == "packages":
        _dynamic_categories(layer, "package_id", None)
    elif style == "indicators":
        _style_indicators(layer)
    elif style == "effect":
        _style_effect(layer)
    else:
        renderer = layer.renderer()
        if isinstance(renderer, QgsCategorizedSymbolRenderer):
            labels = labels if labels is not None else class_labels(style)
            for i, category in enumerate(renderer.categories()):
                if str(category.value()) in labels:
                    renderer.updateCategoryLabel(i, labels[str(category.value())])
    layer.triggerRepaint()
    return True


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies one of our styles to an output layer when Processing loads it."""

    def __init__(self, style: str, labels: dict | None = None):
        super().__init__()
        self.style = style
        self.labels = labels

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        apply_style(layer, self.style, self.labels)


def attach_style(context, dest_id: str, style: str, labels: dict | None = None) -> bool:
    """Attach a :class:`StylePostProcessor` to output ``dest_id`` if it will be loaded."""
    if not dest_id or not context.willLoadLayerOnCompletion(dest_id):
        return False
    processor = StylePostProcessor(style, labels)
    _KEEP.append(processor)
    del _KEEP[:-200]   # bounded: old runs' processors have been called long ago
    context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(processor)
    return True
