"""Council print layouts (議会説明資料): title, map, legend, scale bar, north arrow, date, sources.

Layouts are built with QGIS's own layout classes so the result can be edited in the
layout designer; PDF text is written as text with the Japanese font embedded (never as
boxes, never as outlines).  Must run in the main thread (layout items are QObjects and
QGraphicsItems): the algorithm that calls it sets ``FlagNoThreading``.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateTransform,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsRectangle,
    QgsRenderContext,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

from .i18n import tr

PAPERS = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}   # landscape, mm
FONT_FAMILIES = ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic",
                 "IPAGothic", "Yu Gothic", "Meiryo", "MS Gothic", "Hiragino Sans",
                 "Hiragino Kaku Gothic ProN")
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)
_PROBE = "橋梁群マネ議会"
_registered: dict[str, list[str]] = {}


def _has_japanese(family: str) -> bool:
    from qgis.PyQt.QtGui import QRawFont
    raw = QRawFont.fromFont(QFont(family))
    return raw.isValid() and all(raw.supportsCharacter(ch) for ch in _PROBE)


def register_japanese_font(preferred: str = "Noto Sans CJK JP") -> str:
    """Register a Japanese font with Qt and return its family name.

    Noto Sans CJK JP (Debian: ``fonts-noto-cjk``) is registered from its file so that
    layouts render and embed it even where fontconfig does not list it; otherwise the
    first installed family of ``FONT_FAMILIES`` with kanji and kana is used.

    Raises
    ------
    RuntimeError
        No Japanese font is available (the message says what to install).
    """
    files = list(FONT_FILES)
    try:   # the library knows where matplotlib finds the configured family
        from gunmane_geo.maps.fonts import japanese_font
        files.insert(0, japanese_font(preferred)[1])
    except Exception:
        pass
    for path in files:
        if path in _registered or not Path(path).is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(path)
        _registered[path] = list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []
    families = set(QFontDatabase().families())
    for family in (preferred,) + FONT_FAMILIES:
        if family in families and _has_japanese(family):
            return family
    raise RuntimeError(tr(
        "No Japanese font found for the council map. Install Noto Sans CJK JP (Debian/Ubuntu: "
        "sudo apt install fonts-noto-cjk; Windows/macOS: from https://fonts.google.com/noto), "
        "then restart QGIS."))


def _text_format(family: str, size_pt: float, bold: bool = False) -> QgsTextFormat:
    font = QFont(family)
    font.setBold(bold)
    fmt = QgsTextFormat()
    fmt.setFont(font)
    fmt.setSize(size_pt)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor(0, 0, 0))
    return fmt


def _label(layout, text, family, size_pt, x, y, w, h, bold=False, align=Qt.AlignLeft):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    font = QFont(family)
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    if hasattr(item, "setTextFormat"):        # QGIS >= 3.24
        item.setTextFormat(_text_format(family, size_pt, bold))
    else:
        item.setFont(font)
    item.setHAlign(align)
    item.setVAlign(Qt.AlignVCenter)
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    return item


def map_crs(layers, project=None):
    """A projected CRS for the map: the first layer's in metres, else the project's, else
    the JGD2011 plane rectangular zone at the centre of the layers (the library's choice).

    A geographic CRS would make the scale bar meaningless on a council map.
    """
    from qgis.core import QgsCoordinateReferenceSystem
    for layer in layers:
        if layer.crs().isValid() and not layer.crs().isGeographic():
            return layer.crs()
    if project is not None and project.crs().isValid() and not project.crs().isGeographic():
        return project.crs()
    wgs = QgsCoordinateReferenceSystem("EPSG:4326")
    centre = layers_extent(layers, wgs, margin=0.0).center()
    try:
        from gunmane_geo.crs import choose_plane_rectangular_zone
        return QgsCoordinateReferenceSystem(choose_plane_rectangular_zone(centre.x(), centre.y()))
    except Exception:
        zone = int((centre.x() + 180) // 6) + 1
        return QgsCoordinateReferenceSystem(f"EPSG:{32600 + zone if centre.y() >= 0 else 32700 + zone}")


def layers_extent(layers, crs, margin=0.05) -> QgsRectangle:
    """Union of the layers' extents in ``crs``, grown by ``margin`` on each side."""
    from qgis.core import QgsProject
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        rect = layer.extent()
        if layer.crs() != crs:
            rect = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance()) \
                .transformBoundingBox(rect)
        extent.combineExtentWith(rect)
    if extent.isNull() or not extent.isFinite():
        return extent
    size = max(extent.width(), extent.height())
    if size == 0:           # a single point: 1 km around it (or 0.01 degree)
        size = 0.2 if crs.isGeographic() else 10_000.0
    extent.grow(size * margin)
    return extent


def build_council_layout(project, layers, *, title: str, paper: str = "A3",
                         sources: str = "", date: _dt.date | None = None,
                         extent: QgsRectangle | None = None, crs=None, subtitle: str = "",
                         font_family: str | None = None) -> QgsPrintLayout:
    """A landscape print layout for a council meeting.

    Parameters
    ----------
    project : QgsProject
        The layout's project (``context.project()``); the layout is not added to it.
    layers : list of QgsMapLayer
        Drawn in this order from the top; all appear in the legend.
    title : str
        Japanese title (e.g. 橋梁の集約・撤去の検討).
    paper : {'A3', 'A4'}
        Landscape page size.
    sources : str
        Data sources line (出典).
    date : datetime.date or str, optional
        Printed after 作成日 (a date as YYYY年M月D日 in Japanese; default: today).
    extent : QgsRectangle, optional
        Map extent in ``crs`` (default: all layers plus 5 %).
    crs : QgsCoordinateReferenceSystem, optional
        Map CRS (default: ``map_crs``: a projected CRS, so the scale bar is in metres).
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    family = font_family or register_japanese_font()
    width, height = PAPERS[paper]
    scale = width / 420.0                       # A4 uses the A3 design at 0.707
    margin = 10.0 * scale
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(title)
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))

    title_h = 16.0 * scale
    _label(layout, title, family, 26 * scale, margin, margin, width - 2 * margin, title_h, bold=True)
    top = margin + title_h + 2
    if subtitle:
        _label(layout, subtitle, family, 13 * scale, margin, top, width - 2 * margin, 8 * scale)
        top += 8 * scale + 2
    footer_h = 8.0 * scale
    legend_w = 85.0 * scale
    map_w = width - 2 * margin - legend_w - 5 * scale
    map_h = height - top - margin - footer_h - 3

    crs = crs or map_crs(layers, project)
    map_item = QgsLayoutItemMap(layout)
    map_item.setId("map")
    layout.addLayoutItem(map_item)       # add first: sizing and zooming need the layout
    map_item.attemptMove(QgsLayoutPoint(margin, top, QgsUnitTypes.LayoutMillimeters))
    map_item.attemptResize(QgsLayoutSize(map_w, map_h, QgsUnitTypes.LayoutMillimeters))
    map_item.setCrs(crs)
    map_item.setLayers(list(layers))
    map_item.setKeepLayerSet(True)
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
    target = extent if extent is not None and not extent.isEmpty() else layers_extent(layers, crs)
    map_item.setExtent(target)      # zoomToExtent needs a valid extent to start from,
    map_item.attemptResize(QgsLayoutSize(map_w, map_h, QgsUnitTypes.LayoutMillimeters))
    map_item.zoomToExtent(target)   # but setExtent resizes the item: restore, then fit

    legend_x = margin + map_w + 5 * scale
    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle(tr("Legend"))
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for layer in layers:
        root.addLayer(layer)
    for style, size, bold in ((QgsLegendStyle.Title, 16, True), (QgsLegendStyle.Group, 13, True),
                              (QgsLegendStyle.Subgroup, 12, True),
                              (QgsLegendStyle.SymbolLabel, 11, False)):
        font = QFont(family)
        font.setPointSizeF(size * scale)
        font.setBold(bold)
        legend.rstyle(style).setFont(font)
    legend.setWrapString("\n")
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(legend_x, top, QgsUnitTypes.LayoutMillimeters))
    legend.setResizeToContents(True)
    legend.adjustBoxSize()

    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("north_arrow")
    arrow_svg = _north_arrow_svg()
    if arrow_svg:
        arrow.setPicturePath(arrow_svg)
    arrow.setLinkedMap(map_item)
    arrow.setNorthMode(QgsLayoutItemPicture.TrueNorth)
    size = 18.0 * scale
    layout.addLayoutItem(arrow)
    arrow.attemptMove(QgsLayoutPoint(margin + map_w - size - 4, top + 4, QgsUnitTypes.LayoutMillimeters))
    arrow.attemptResize(QgsLayoutSize(size, size, QgsUnitTypes.LayoutMillimeters))

    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scale_bar")
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setTextFormat(_text_format(family, 10 * scale))
    bar.setHeight(3 * scale)
    bar.setBackgroundEnabled(True)          # readable over the map
    bar.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(bar)
    bar.applyDefaultSize(QgsUnitTypes.DistanceKilometers)
    bar.attemptMove(QgsLayoutPoint(margin + 4, top + map_h - 16 * scale, QgsUnitTypes.LayoutMillimeters))
    bar.update()

    date_text = date if isinstance(date, str) else format_date(date or _dt.date.today())
    footer_y = height - margin - footer_h
    _label(layout, tr("Sources: {sources}").format(sources=sources) if sources else "",
           family, 10 * scale, margin, footer_y, map_w * 0.75, footer_h)
    _label(layout, tr("Created: {date}").format(date=date_text), family, 10 * scale,
           margin + map_w * 0.75, footer_y, width - 2 * margin - map_w * 0.75, footer_h,
           align=Qt.AlignRight)
    return layout


def format_date(date: _dt.date) -> str:
    """'2025年3月31日' when the plugin runs in Japanese, '31 March 2025' otherwise."""
    from .i18n import installed_locale
    if installed_locale() == "ja":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {date.strftime('%B')} {date.year}"


def _north_arrow_svg() -> str | None:
    for base in QgsApplication.svgPaths():
        path = Path(base) / "arrows" / "NorthArrow_02.svg"
        if path.is_file():
            return str(path)
    return None


def export_layout(layout, pdf_path: str | None = None, png_path: str | None = None,
                  dpi: int = 200) -> dict:
    """Export to PDF (text as text, fonts embedded) and/or PNG; returns the written paths.

    Raises
    ------
    RuntimeError
        When QGIS reports an export error (message names the file).
    """
    written = {}
    exporter = QgsLayoutExporter(layout)
    if pdf_path:
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = dpi
        settings.rasterizeWholeImage = False
        settings.forceVectorOutput = True
        settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
        settings.exportMetadata = True
        result = exporter.exportToPdf(pdf_path, settings)
        if result != QgsLayoutExporter.Success:
            raise RuntimeError(tr("Could not write the PDF {path} (error {code}): {error}").format(
                path=pdf_path, code=int(result), error=exporter.errorMessage()))
        written["pdf"] = pdf_path
    if png_path:
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = dpi
        result = exporter.exportToImage(png_path, settings)
        if result != QgsLayoutExporter.Success:
            raise RuntimeError(tr("Could not write the image {path} (error {code}): {error}").format(
                path=png_path, code=int(result), error=exporter.errorMessage()))
        written["png"] = png_path
    return written
