"""Styles of the outputs, applied when QGIS loads them (a layer post-processor).

Each styled output kind has a QML file in ``styles/`` (made by ``qgis_plugin/make_styles.py``
from the library's map classes, ``gunmane_geo.maps.kinds``, so QGIS and the library's PDF
maps use the same colours and markers):

* ``bridge_criticality``: points by ``criticality_class`` (low .. isolating, unknown);
* ``bridge_options``: the recommended option of each bridge (other rows are not drawn);
* ``plan``: points by ``plan_class``; removed bridges are crossed out (a black X on top);
* ``groups`` and ``packages``: one colour per group/package (Okabe-Ito, then hatched),
  labelled with the group name; built from the data when the layer loads, because the
  group ids are only known then.  Only candidate 1 (the best partition) is drawn.

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

from .i18n import installed_locale

STYLES_DIR = Path(__file__).resolve().parent / "styles"
STYLE_NAMES = ("bridge_criticality", "bridge_options", "plan", "groups", "packages")
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
