"""Council print layouts (議会説明資料): title, map, legend, scale bar, north arrow, date, sources.

Layouts are built with QGIS's own layout classes so the result can be edited in the
layout designer; PDF text is written as text with the Japanese font embedded (never as
boxes, never as outlines).  A legend too tall for its column is split into two columns,
then shrunk to 7 pt labels (:func:`fit_legend`).  When the layers include the plan's detour routes, detail maps
zoomed to the longest detours sit in the column under the legend (or in a strip under the
map when the legend leaves too little room), each with a numbered frame on the main map.  Must run in the main thread (layout items are QObjects and
QGraphicsItems): the algorithm that calls it sets ``FlagNoThreading``.
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateTransform,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutUtils,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsRectangle,
    QgsRenderContext,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
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

MAX_DETAIL_FRAMES = 6       # detail frames the layout has room for
DETAIL_COLOUR = "#6A3D9A"   # detail frames and their numbers (purple: no plan class uses it)
MIN_DETAIL_SIDE_MM = 38.0   # at A3 (x0.707 on A4): smaller frames in the column -> bottom strip
DETAIL_STRIP_SHARE = 0.34   # the strip's frames take at most this share of the map's height
LEGEND_FONTS = ((QgsLegendStyle.Title, 16, True), (QgsLegendStyle.Group, 13, True),
                (QgsLegendStyle.Subgroup, 12, True),
                (QgsLegendStyle.SymbolLabel, 11, False))   # (style, pt at A3, bold); last: labels
MIN_LEGEND_LABEL_PT = 7.0   # a long legend's category labels never get smaller than this
LEGEND_SHRINK_STEP = 0.9    # each try of a long legend is this share of the previous size
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


def _label(layout, text, family, size_pt, x, y, w, h, bold=False, align=Qt.AlignLeft,
           colour="#000000"):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    font = QFont(family)
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    if hasattr(item, "setTextFormat"):        # QGIS >= 3.24
        fmt = _text_format(family, size_pt, bold)
        fmt.setColor(QColor(colour))
        item.setTextFormat(fmt)
    else:
        item.setFont(font)
        item.setFontColor(QColor(colour))
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


@dataclass
class DetourDetail:
    """The ground one detail map shows: one detour route, or overlapping ones merged.

    Attributes
    ----------
    extent : QgsRectangle
        The routes' extent in the map CRS, at least ``MIN_DETAIL_SPAN_M`` across and grown
        by ``DETAIL_MARGIN`` on each side.
    detours : list of (float, str)
        ``(detour_m, bridge_id)`` of the routes it shows, the longest detour first
        (``detour_m``: metres the removal adds to the trip).
    """
    extent: QgsRectangle
    detours: list

    @property
    def bridge_ids(self) -> list:
        return [bridge for _, bridge in self.detours]

    @property
    def detour_m(self) -> float:
        """The longest detour shown (metres)."""
        return self.detours[0][0]


@dataclass
class DetourDetails:
    """What :func:`detour_details` found: the details to draw and what it left out."""
    shown: list = field(default_factory=list)   # DetourDetail, the longest detour first
    without_route: int = 0     # routes with no geometry or no finite detour (people cut off)
    outside_extent: int = 0    # routes outside the map extent the user chose
    not_shown: int = 0         # detail areas beyond the number of frames asked for


def is_detour_layer(layer) -> bool:
    """True for the plan's detour routes (``gunmane:plan`` ``OUTPUT_DETOURS``), recognised
    by their fields as the styles are (:func:`styling.style_for_layer`)."""
    from .styling import style_for_layer
    return style_for_layer(layer) == "detours"


def _finite_or_nan(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):      # NULL (QVariant) or text
        return math.nan


def detour_details(layers, crs, max_frames: int = 4,
                   within: QgsRectangle | None = None) -> DetourDetails:
    """Detail map extents for the detour routes among ``layers``, the longest detour first.

    Each route's extent (in ``crs``, at least ``MIN_DETAIL_SPAN_M`` metres across, square,
    plus ``DETAIL_MARGIN`` on each side) is one detail; details whose extents overlap are
    merged into one (repeated until none overlap) and ranked by their longest
    ``detour_m``: the library's rule, :func:`gunmane_geo.maps.frames.detail_frames`.  Routes without geometry or without a finite ``detour_m`` (the removal
    cuts people off) get no detail, nor do routes outside ``within``; the result counts both.

    Parameters
    ----------
    layers : list of QgsMapLayer
        The council map's layers; the detour layers among them are used.
    crs : QgsCoordinateReferenceSystem
        The map CRS (projected); extents are returned in its units.
    max_frames : int
        How many details to keep (0 to ``MAX_DETAIL_FRAMES``; 0 = none).
    within : QgsRectangle, optional
        The main map's extent in ``crs`` when the user chose one: only routes that
        intersect it get a detail.
    """
    from qgis.core import QgsProject
    from gunmane_geo.maps.frames import DETAIL_MARGIN, MIN_DETAIL_SPAN_M, detail_frames
    if not 0 <= max_frames <= MAX_DETAIL_FRAMES:
        raise ValueError(f"max_frames must be 0 to {MAX_DETAIL_FRAMES}, not {max_frames}")
    result = DetourDetails()
    if max_frames == 0:
        return result
    min_span = MIN_DETAIL_SPAN_M * QgsUnitTypes.fromUnitToUnitFactor(
        QgsUnitTypes.DistanceMeters, crs.mapUnits())
    routes = []
    for layer in layers:
        if not is_detour_layer(layer):
            continue
        transform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance()) \
            if layer.crs() != crs else None
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            detour = _finite_or_nan(feature["detour_m"])
            if geometry is None or geometry.isNull() or geometry.isEmpty() \
                    or not math.isfinite(detour):
                result.without_route += 1
                continue
            rect = geometry.boundingBox()
            if transform is not None:
                rect = transform.transformBoundingBox(rect)
            if within is not None and not within.isEmpty() and not within.intersects(rect):
                result.outside_extent += 1
                continue
            routes.append(((rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()),
                           detour, str(feature["bridge_id"])))
    # the library's rule (gunmane_geo.maps.frames): square frames, overlapping ones merged
    frames, result.not_shown = detail_frames(routes, min_span=min_span, margin=DETAIL_MARGIN,
                                             max_frames=max_frames)
    result.shown = [DetourDetail(QgsRectangle(*frame.bounds), frame.detours) for frame in frames]
    return result


def detail_caption(number: int, detail: DetourDetail) -> tuple[str, str]:
    """The two caption lines of detail ``number``, in QGIS's language, e.g.
    ("迂回路 1：橋梁 B0123", "迂回 +350 m") or, merged, ("迂回路 2：橋梁 B0123 ほか2橋",
    "最長の迂回 +1.2 km")."""
    from gunmane_geo.wording import distance_text   # the library's map panels' wording
    distance = distance_text(detail.detour_m)
    first = detail.bridge_ids[0]
    if len(detail.detours) == 1:
        return (tr("Detour {number}: bridge {bridge}").format(number=number, bridge=first),
                tr("detour +{distance}").format(distance=distance))
    return (tr("Detour {number}: bridge {bridge} and {others} more").format(
                number=number, bridge=first, others=len(detail.detours) - 1),
            tr("longest detour +{distance}").format(distance=distance))


def build_council_layout(project, layers, *, title: str, paper: str = "A3",
                         sources: str = "", date: _dt.date | None = None,
                         extent: QgsRectangle | None = None, crs=None, subtitle: str = "",
                         font_family: str | None = None,
                         details: list | None = None, feedback=None) -> QgsPrintLayout:
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
    details : list of DetourDetail, optional
        Detail maps to add (:func:`detour_details`, in ``crs``), numbered in this order:
        in the column under the legend, or in a strip under the main map when the legend
        leaves too little room (frames under ``MIN_DETAIL_SIDE_MM``), each with a two-line
        caption and a numbered frame on the main map.  None or empty: no details.
    feedback : QgsProcessingFeedback, optional
        Told when the legend had to be split or shrunk to fit its column
        (:func:`fit_legend`), and warned, with the fix, when it still does not fit.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    details = list(details or [])
    if len(details) > MAX_DETAIL_FRAMES:
        raise ValueError(f"at most {MAX_DETAIL_FRAMES} detail maps, not {len(details)}")
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
    _fit_map(map_item, target, map_w, map_h)

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
    legend.setWrapString("\n")
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(legend_x, top, QgsUnitTypes.LayoutMillimeters))
    legend.setResizeToContents(True)
    fit = fit_legend(layout, legend, family, scale, legend_w, map_h)
    # the item sizes itself only when first painted: give it its printed size now
    legend.attemptResize(QgsLayoutSize(fit.width_mm, fit.height_mm, QgsUnitTypes.LayoutMillimeters))
    _report_legend_fit(fit, legend_w, map_h, feedback)

    detail_slots = []
    if details:
        gap = 4.0 * scale
        column_top = top + fit.height_mm + 2 * gap
        detail_slots, strip_h = _detail_slots(
            details, family, scale, gap, column=(legend_x, column_top, legend_w,
                                                 top + map_h - column_top),
            strip=(margin, top, map_w, map_h))
        if strip_h:                              # the strip takes the bottom of the map
            map_h -= strip_h
            _fit_map(map_item, target, map_w, map_h)

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

    if details:
        _add_details(layout, map_item, layers, crs, details, detail_slots, family, scale)

    date_text = date if isinstance(date, str) else format_date(date or _dt.date.today())
    footer_y = height - margin - footer_h
    _label(layout, tr("Sources: {sources}").format(sources=sources) if sources else "",
           family, 10 * scale, margin, footer_y, map_w * 0.75, footer_h)
    _label(layout, tr("Created: {date}").format(date=date_text), family, 10 * scale,
           margin + map_w * 0.75, footer_y, width - 2 * margin - map_w * 0.75, footer_h,
           align=Qt.AlignRight)
    return layout


@dataclass
class LegendFit:
    """How :func:`fit_legend` set the legend out.

    Attributes
    ----------
    columns : int
        1 or 2 (layers split between the columns where needed).
    size_factor : float
        Share of the design's text, symbol and spacing sizes used (1.0 = as designed).
    label_pt : float
        Size of the category labels (points).
    width_mm, height_mm : float
        The legend's printed size (layout mm).
    fits : bool
        True when the legend lies inside the room it was given.
    """
    columns: int
    size_factor: float
    label_pt: float
    width_mm: float
    height_mm: float
    fits: bool


def fit_legend(layout, legend, family: str, scale: float, width_mm: float,
               height_mm: float) -> LegendFit:
    """Set ``legend`` out to fit ``width_mm`` x ``height_mm`` (layout mm), the largest text first.

    For each size, from the design's (``LEGEND_FONTS`` x ``scale``) down in steps of
    ``LEGEND_SHRINK_STEP`` to the size at which category labels are ``MIN_LEGEND_LABEL_PT``,
    one column is tried, then two (a layer's categories may be split between them); the
    first that fits is kept.  Text, symbols and the space between entries shrink together.
    When nothing fits, the try that overflows least (in mm, width plus height) is kept and
    returned with ``fits`` False; the caller says so.
    """
    symbol_w, symbol_h = legend.symbolWidth(), legend.symbolHeight()
    symbol_gap = legend.rstyle(QgsLegendStyle.Symbol).margin(QgsLegendStyle.Top)
    label_pt = LEGEND_FONTS[-1][1] * scale
    smallest = min(1.0, MIN_LEGEND_LABEL_PT / label_pt)
    factors = []
    factor = 1.0
    while factor > smallest + 0.01:       # no near-duplicate last step
        factors.append(factor)
        factor *= LEGEND_SHRINK_STEP
    factors.append(smallest)

    def set_out(columns, factor):
        legend.setColumnCount(columns)
        legend.setSplitLayer(columns > 1)
        for style, size, bold in LEGEND_FONTS:
            font = QFont(family)
            font.setPointSizeF(size * scale * factor)
            font.setBold(bold)
            legend.rstyle(style).setFont(font)
        legend.setSymbolWidth(symbol_w * factor)
        legend.setSymbolHeight(symbol_h * factor)
        legend.rstyle(QgsLegendStyle.Symbol).setMargin(QgsLegendStyle.Top, symbol_gap * factor)
        size = _legend_size_mm(layout, legend)
        return LegendFit(columns, factor, label_pt * factor, size.width(), size.height(),
                         size.width() <= width_mm + 0.01 and size.height() <= height_mm + 0.01)

    tried = []
    for factor in factors:
        for columns in (1, 2):
            fit = set_out(columns, factor)
            if fit.fits:
                return fit
            tried.append(fit)
    least = min(tried, key=lambda t: max(t.width_mm - width_mm, 0) + max(t.height_mm - height_mm, 0))
    return set_out(least.columns, least.size_factor)


def _report_legend_fit(fit: LegendFit, width_mm: float, height_mm: float, feedback) -> None:
    """Tell the Processing log when the legend was split or shrunk, and warn (with the fix)
    when it still runs past its column."""
    if feedback is None or (fit.fits and fit.columns == 1 and fit.size_factor == 1.0):
        return
    if fit.fits:
        feedback.pushInfo(tr("The legend is set in {columns} columns with {size} pt labels to "
                             "fit beside the map.").format(columns=fit.columns,
                                                           size=f"{fit.label_pt:.1f}"))
        return
    feedback.pushWarning(tr(
        "The legend does not fit beside the map: even in {columns} columns with {size} pt "
        "labels it is {width} x {height} mm, and the column has {room_width} x {room_height} "
        "mm, so it runs off the page. Show fewer categories (fewer layers, or classes merged "
        "in the layer style), choose A3 paper, or edit the layout (Project > Layouts).").format(
            columns=fit.columns, size=f"{fit.label_pt:.1f}", width=f"{fit.width_mm:.0f}",
            height=f"{fit.height_mm:.0f}", room_width=f"{width_mm:.0f}",
            room_height=f"{height_mm:.0f}"))


def _fit_map(map_item, target: QgsRectangle, width_mm: float, height_mm: float) -> None:
    """Size ``map_item`` and zoom it to show all of ``target``."""
    size = QgsLayoutSize(width_mm, height_mm, QgsUnitTypes.LayoutMillimeters)
    map_item.attemptResize(size)
    map_item.setExtent(target)      # zoomToExtent needs a valid extent to start from,
    map_item.attemptResize(size)
    map_item.zoomToExtent(target)   # but setExtent resizes the item: restore, then fit


def _legend_size_mm(layout, legend):
    """The legend's size (QSizeF, mm) as it will print.  The item learns its size only when
    first painted (it needs the DPI), so measure it as its renderer will."""
    from qgis.core import QgsLegendRenderer
    context = QgsLayoutUtils.createRenderContextForLayout(layout, None)
    return QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(context)


def _caption_font_pt(scale: float) -> float:
    return max(11.0 * scale, 8.0)   # never below 8 pt: read at arm's length on A4


def _caption_lines(captions, family: str, scale: float, width_mm: float) -> list:
    """Per caption (:func:`detail_caption`), how many printed lines each of its two lines
    takes at ``width_mm`` (the first is bold)."""
    size = _caption_font_pt(scale)
    fonts = []
    for bold in (True, False):
        font = QFont(family)
        font.setPointSizeF(size)
        font.setBold(bold)
        fonts.append(font)
    return [[_wrapped_lines(font, text, width_mm - 1) for font, text in zip(fonts, caption)]
            for caption in captions]


def _wrapped_lines(font: QFont, text: str, width_mm: float) -> int:
    """Lines ``text`` takes when word-wrapped at ``width_mm``, as a layout label wraps it
    (Qt's word wrap, which also breaks between kanji)."""
    from qgis.PyQt.QtGui import QFontMetricsF
    metrics = QFontMetricsF(font)
    advance = metrics.horizontalAdvance(text)
    if advance <= 0:
        return 1
    mm_per_unit = QgsLayoutUtils.textWidthMM(font, text) / advance
    box = metrics.boundingRect(QRectF(0, 0, max(width_mm, 1.0) / mm_per_unit, 1e6),
                               Qt.TextWordWrap, text)
    return max(1, round(box.height() / metrics.lineSpacing()))


def _line_height_mm(scale: float) -> float:
    return _caption_font_pt(scale) * 25.4 / 72 * 1.4


def _detail_slots(details, family, scale, gap, *, column, strip):
    """Where the detail maps go: ``([(x, y, width, caption height, frame height)], strip
    height)`` in mm.  The column under the legend (``(x, y, width, height)``) in one or two
    columns, whichever gives the larger frames, when its frames are at least
    ``MIN_DETAIL_SIDE_MM`` (x paper scale) on their short side; else one row along the
    bottom of the map box ``strip`` (whose height the caller then shortens by the strip
    height) with frames at most ``DETAIL_STRIP_SHARE`` of the map's height."""
    n = len(details)
    line_h = _line_height_mm(scale)
    captions = [detail_caption(number, detail) for number, detail in enumerate(details, 1)]

    def caption_h(width):
        return max(sum(lines) for lines in _caption_lines(captions, family, scale, width)) * line_h

    def grid(x, y, width, cols, cell_caption, frame_h):
        cell_w = (width - (cols - 1) * gap) / cols
        return [(x + (k % cols) * (cell_w + gap), y + (k // cols) * (cell_caption + frame_h + gap),
                 cell_w, cell_caption, frame_h) for k in range(n)]

    best = None
    x, y, width, height = column
    for cols in (1, 2):
        rows = math.ceil(n / cols)
        cell_w = (width - (cols - 1) * gap) / cols
        cell_caption = caption_h(cell_w)
        frame_h = min((height - (rows - 1) * gap) / rows - cell_caption, cell_w)
        side = min(cell_w, frame_h)
        if best is None or side > best[0]:
            best = (side, grid(x, y, width, cols, cell_caption, frame_h))
    if best[0] >= MIN_DETAIL_SIDE_MM * scale:
        return best[1], 0.0
    x, y, width, height = strip
    cell_w = (width - (n - 1) * gap) / n
    cell_caption = caption_h(cell_w)
    frame_h = min(cell_w, DETAIL_STRIP_SHARE * height)
    strip_h = gap + cell_caption + frame_h
    return grid(x, y + height - strip_h + gap, width, n, cell_caption, frame_h), strip_h


def _badge(layout, number: int, family: str, scale: float, x: float, y: float):
    """A white square with the detail's number in the detail colour, at (x, y) mm."""
    side = _badge_side(scale)
    item = _label(layout, str(number), family, max(10.0 * scale, 8.0), x, y, side, side,
                  bold=True, align=Qt.AlignHCenter, colour=DETAIL_COLOUR)
    item.setId(f"detail_{number}_number")
    item.setMargin(0.0)
    item.setBackgroundEnabled(True)
    item.setBackgroundColor(QColor(255, 255, 255))
    item.setFrameEnabled(True)
    item.setFrameStrokeColor(QColor(DETAIL_COLOUR))
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
    return item


def _badge_side(scale: float) -> float:
    return max(6.0 * scale, 4.5)


def _add_details(layout, map_item, layers, crs, details, slots, family, scale):
    """Detail maps with captions in ``slots`` and their numbered frames on ``map_item``."""
    caption_pt = _caption_font_pt(scale)
    line_h = _line_height_mm(scale)
    stroke = QgsLayoutMeasurement(0.5, QgsUnitTypes.LayoutMillimeters)
    frames_on_page = []
    for number, (detail, (x, y, width, caption_h, frame_h)) in enumerate(zip(details, slots), 1):
        head, sub = detail_caption(number, detail)
        head_lines, sub_lines = _caption_lines([(head, sub)], family, scale, width)[0]
        top_label = _label(layout, head, family, caption_pt, x, y, width, head_lines * line_h,
                           bold=True)
        top_label.setId(f"detail_{number}_caption")
        top_label.setMargin(0.0)
        sub_label = _label(layout, sub, family, caption_pt, x, y + head_lines * line_h, width,
                           sub_lines * line_h)
        sub_label.setId(f"detail_{number}_detour")
        sub_label.setMargin(0.0)

        detail_map = QgsLayoutItemMap(layout)
        detail_map.setId(f"detail_{number}")
        layout.addLayoutItem(detail_map)
        detail_map.attemptMove(QgsLayoutPoint(x, y + caption_h, QgsUnitTypes.LayoutMillimeters))
        detail_map.setCrs(crs)
        detail_map.setLayers(list(layers))
        detail_map.setKeepLayerSet(True)
        detail_map.setFrameEnabled(True)
        detail_map.setFrameStrokeColor(QColor(DETAIL_COLOUR))
        detail_map.setFrameStrokeWidth(stroke)
        _fit_map(detail_map, detail.extent, width, frame_h)
        _badge(layout, number, family, scale, x, y + caption_h)

        overview = QgsLayoutItemMapOverview(tr("Detour {number}").format(number=number), map_item)
        overview.setLinkedMap(detail_map)
        overview.setFrameSymbol(QgsFillSymbol.createSimple({
            "style": "no", "outline_color": DETAIL_COLOUR, "outline_width": "0.6",
            "outline_width_unit": "MM"}))
        map_item.overviews().addOverview(overview)
        frames_on_page.append(_extent_on_page(map_item, detail_map.extent()))
    map_item.invalidateCache()
    _place_badges(layout, map_item, frames_on_page, family, scale)


def _extent_on_page(map_item, extent: QgsRectangle) -> QRectF:
    """Where ``extent`` (map CRS) lies on the page, in layout mm (the map is not rotated)."""
    top_left = map_item.mapToItemCoords(QPointF(extent.xMinimum(), extent.yMaximum()))
    bottom_right = map_item.mapToItemCoords(QPointF(extent.xMaximum(), extent.yMinimum()))
    origin = map_item.pos()
    return QRectF(origin + top_left, origin + bottom_right).normalized()


def _place_badges(layout, map_item, frames, family, scale):
    """A number badge beside each detail frame on the main map: the first of eight places
    around the frame that lies on the map and covers no other frame or badge."""
    side = _badge_side(scale)
    on_map = QRectF(map_item.pos(), map_item.rect().size())
    placed = []
    for number, frame in enumerate(frames, 1):
        left, right = frame.left() - side, frame.right()
        above, below = frame.top() - side, frame.bottom()
        middle_x, middle_y = frame.center().x() - side / 2, frame.center().y() - side / 2
        candidates = [QRectF(cx, cy, side, side) for cx, cy in (
            (left, above), (right, above), (left, below), (right, below),
            (middle_x, above), (middle_x, below), (left, middle_y), (right, middle_y))]

        def free(rect):
            return on_map.contains(rect) and not any(rect.intersects(other) for other in placed) \
                and not any(rect.intersects(f) for f in frames)
        spot = next((rect for rect in candidates if free(rect)), None)
        if spot is None:                         # crowded: beside the frame, kept on the map
            spot = candidates[0]
            spot.moveLeft(min(max(spot.left(), on_map.left()), on_map.right() - side))
            spot.moveTop(min(max(spot.top(), on_map.top()), on_map.bottom() - side))
        placed.append(spot)
        badge = _badge(layout, number, family, scale, spot.left(), spot.top())
        badge.setId(f"map_detail_{number}_number")


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
