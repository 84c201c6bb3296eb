"""Council map: a print layout (A3/A4 landscape) exported to PDF and PNG."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessing,
)

from ..i18n import N_, tr
from ..layout import MAX_DETAIL_FRAMES
from .base import GunmaneAlgorithm


class CouncilMapAlgorithm(GunmaneAlgorithm):
    NAME = "council_map"
    DISPLAY_NAME = N_("Council map (PDF layout)")
    GROUP = "maps"
    TAGS = N_("map,layout,print,pdf,council,report")
    HELP = N_(
        "Builds a print layout for council meetings (議会説明資料) from the chosen layers: "
        "Japanese title, map, legend, scale bar, north arrow, date and data sources, on A3 "
        "or A4 landscape, and exports it to PDF (text kept as text with the Japanese font "
        "embedded) and optionally PNG.\n\n"
        "Layers are drawn with their current styles, the first layer on top. Outputs of "
        "the gunmane algorithms that are not in the project (for example the plan or "
        "groups output of the previous step of a model) get the plugin's styles and a "
        "legend name, unless you turn that off. Run from the "
        "desktop, the layout is also added to the project (Project > Layouts) so you can "
        "edit it in the layout designer.\n\n"
        "Detail maps: when the layers include the plan's detour routes (output Detour routes "
        "of the plan), up to 'Detail maps of detours' small maps (0 to 6; 0 = none) zoom to "
        "the longest detours, detours whose close-ups would overlap sharing one, longest "
        "first. They sit under the legend, or in a strip under the map when the legend "
        "leaves too little room; each is captioned with its bridge and detour and numbered "
        "on the main map in a purple frame. Removals that cut people off have no route and "
        "get no detail map (the log says how many).\n\n"
        "Needs a Japanese font: Noto Sans CJK JP (Debian/Ubuntu package fonts-noto-cjk) "
        "is registered automatically when installed.")

    LAYERS = "LAYERS"
    TITLE = "TITLE"
    SUBTITLE = "SUBTITLE"
    PAPER = "PAPER"
    EXTENT = "EXTENT"
    SOURCES = "SOURCES"
    DATE = "DATE"
    DPI = "DPI"
    DETAIL_FRAMES = "DETAIL_FRAMES"
    ADD_TO_PROJECT = "ADD_TO_PROJECT"
    APPLY_STYLES = "APPLY_STYLES"
    OUTPUT_PDF = "OUTPUT_PDF"
    OUTPUT_PNG = "OUTPUT_PNG"
    PAPERS = ["A3", "A4"]

    def __init__(self):
        super().__init__()
        self._layout = None

    def flags(self):
        # Layout items are QObjects/QGraphicsItems living in the main thread, and the map
        # renders the project's layers: QGIS's own "Export print layout" algorithms run
        # without threading for the same reason.
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, tr("Layers to show (first on top)"), QgsProcessing.TypeMapLayer))
        self.addParameter(QgsProcessingParameterString(
            self.TITLE, tr("Title"), defaultValue=tr("Bridge consolidation study")))
        self.addParameter(QgsProcessingParameterString(
            self.SUBTITLE, tr("Subtitle"), defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PAPER, tr("Paper (landscape)"), options=self.PAPERS, defaultValue=0))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, tr("Map extent (empty: all layers)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.DETAIL_FRAMES, tr("Detail maps of detours (0 = none)"),
            QgsProcessingParameterNumber.Integer, defaultValue=4, minValue=0,
            maxValue=MAX_DETAIL_FRAMES))
        self.addParameter(QgsProcessingParameterString(
            self.SOURCES, tr("Data sources"),
            defaultValue=tr("National Land Numerical Information (administrative areas), "
                            "bridge inventory, OpenStreetMap contributors"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.DATE, tr("Date (empty: today)"), defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.DPI, tr("Resolution (dpi)"), QgsProcessingParameterNumber.Integer,
            defaultValue=200, minValue=50, maxValue=600))
        self.addParameter(QgsProcessingParameterBoolean(
            self.APPLY_STYLES, tr("Style gunmane outputs that are not in the project"),
            defaultValue=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.ADD_TO_PROJECT, tr("Add the layout to the project"), defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PDF, tr("Council map PDF"), tr("PDF files (*.pdf)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PNG, tr("Council map PNG"), tr("PNG files (*.png)"), optional=True,
            createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..layout import build_council_layout, detour_details, export_layout
        layers = self.parameterAsLayerList(parameters, self.LAYERS, context)
        if not layers:
            raise QgsProcessingException(tr("Choose at least one layer for the map."))
        title = self.parameterAsString(parameters, self.TITLE, context).strip()
        if not title:
            raise QgsProcessingException(tr("Give the map a title."))
        paper = self.PAPERS[self.parameterAsEnum(parameters, self.PAPER, context)]
        if self.parameterAsBool(parameters, self.APPLY_STYLES, context):
            self._style_outputs(layers, context, feedback)
        from ..layout import map_crs
        crs = map_crs(layers, context.project())
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, crs)
        date = self.parameterAsString(parameters, self.DATE, context).strip() or None
        pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        png = self.parameterAsFileOutput(parameters, self.OUTPUT_PNG, context) \
            if parameters.get(self.OUTPUT_PNG) not in (None, "") else None
        dpi = self.parameterAsInt(parameters, self.DPI, context)
        project = context.project()
        if project is None:
            from qgis.core import QgsProject
            project = QgsProject()
            self._own_project = project   # keep it alive while the layout exists
        found = detour_details(layers, crs, self.parameterAsInt(parameters, self.DETAIL_FRAMES,
                                                                 context), within=extent)
        self._report_details(found, feedback)
        feedback.pushInfo(tr("Building the {paper} layout...").format(paper=paper))
        try:
            layout = build_council_layout(
                project, layers, title=title, paper=paper,
                subtitle=self.parameterAsString(parameters, self.SUBTITLE, context).strip(),
                sources=self.parameterAsString(parameters, self.SOURCES, context).strip(),
                date=date, extent=extent, crs=crs, details=found.shown,
                feedback=feedback)
            feedback.setProgress(30)
            written = export_layout(layout, pdf, png, dpi=dpi)
        except RuntimeError as exc:
            raise QgsProcessingException(str(exc)) from None
        feedback.setProgress(100)
        self._layout = layout if self.parameterAsBool(parameters, self.ADD_TO_PROJECT, context) \
            and context.project() is not None else None
        results = {self.OUTPUT_PDF: written["pdf"]}
        if "png" in written:
            results[self.OUTPUT_PNG] = written["png"]
        return results

    @staticmethod
    def _report_details(found, feedback):
        """Say in the log which detours got a detail map and which did not, and why."""
        if found.shown:
            feedback.pushInfo(tr("{count} detail maps of detours (the longest first).").format(
                count=len(found.shown)))
        if found.without_route:
            feedback.pushInfo(tr("{count} removals have no detour route (they cut people off "
                                 "or no route was found): no detail map for them.").format(
                count=found.without_route))
        if found.outside_extent:
            feedback.pushInfo(tr("{count} detour routes lie outside the map extent: no detail "
                                 "map for them.").format(count=found.outside_extent))
        if found.not_shown:
            feedback.pushInfo(tr("{count} more detour areas have no detail map: raise 'Detail "
                                 "maps of detours' (at most 6) to show more.").format(
                count=found.not_shown))

    @staticmethod
    def _style_outputs(layers, context, feedback):
        """Our styles (and a legend name) for gunmane outputs the project does not hold:
        model intermediates and files.  Layers of the project keep the user's style."""
        from ..styling import apply_style, prune_categories, style_for_layer, style_title
        project = context.project()
        for layer in layers:
            if project is not None and project.mapLayer(layer.id()) is not None:
                continue
            style = style_for_layer(layer)
            if style is None or not apply_style(layer, style):
                continue
            prune_categories(layer)          # the legend lists the classes on the map
            layer.setName(style_title(style))
            feedback.pushInfo(tr("Styled '{name}' with the plugin's {style} style.").format(
                name=layer.name(), style=style))

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        # Runs in the main thread after processAlgorithm: the place to touch the project.
        if self._layout is not None and context.project() is not None:
            manager = context.project().layoutManager()
            name, n = self._layout.name(), 2
            while manager.layoutByName(name) is not None:
                name, n = f"{self._layout.name()} ({n})", n + 1
            self._layout.setName(name)
            manager.addLayout(self._layout)
            feedback.pushInfo(tr("Layout '{name}' added to the project.").format(name=name))
            self._layout = None
        return {}
