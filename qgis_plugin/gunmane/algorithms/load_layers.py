"""Load and validate input layers: canonical fields, one metric CRS, and the load report."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..convert import gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm

# input parameter -> (layer kind, output parameter, geometry type of an empty output)
LAYERS = {
    "MUNICIPALITIES": ("municipalities", "OUTPUT_MUNICIPALITIES", QgsWkbTypes.MultiPolygon),
    "ROADS": ("roads", "OUTPUT_ROADS", QgsWkbTypes.LineString),
    "BRIDGES": ("bridges", "OUTPUT_BRIDGES", QgsWkbTypes.Point),
    "FACILITIES": ("facilities", "OUTPUT_FACILITIES", QgsWkbTypes.Point),
    "EMERGENCY_ROUTES": ("emergency_routes", "OUTPUT_EMERGENCY_ROUTES", QgsWkbTypes.LineString),
}


class LoadLayersAlgorithm(GunmaneAlgorithm):
    NAME = "load_layers"
    DISPLAY_NAME = N_("Load and validate layers")
    GROUP = "input"
    TAGS = N_("validate,load,check,report,bridges,municipalities,roads")
    HELP = N_(
        "Reads municipal boundaries, roads, a bridge inventory and facilities, recognises "
        "their columns (Japanese or English names such as 橋梁名, 橋長(m), 判定区分, 架設年度 "
        "in 和暦, N03_007), converts values to the canonical fields, reprojects everything "
        "to one metric CRS (a JGD2011 plane rectangular zone chosen from the data unless "
        "you set one), and writes the cleaned layers.\n\n"
        "Emergency transport routes (緊急輸送道路, e.g. 国土数値情報 N10) mark the roads and "
        "bridges that lie along them (emergency_route, emergency_tier 1..3).\n\n"
        "Nothing is dropped silently: every feature that was skipped, repaired or converted "
        "is listed in the load report table with the layer, row and reason.\n\n"
        "Give at least one layer. 'Selected features only' is honoured.")

    MUNICIPALITIES = "MUNICIPALITIES"
    MUNICIPALITY_CODE_FIELD = "MUNICIPALITY_CODE_FIELD"
    MUNICIPALITY_NAME_FIELD = "MUNICIPALITY_NAME_FIELD"
    ROADS = "ROADS"
    BRIDGES = "BRIDGES"
    BRIDGE_ID_FIELD = "BRIDGE_ID_FIELD"
    FACILITIES = "FACILITIES"
    EMERGENCY_ROUTES = "EMERGENCY_ROUTES"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT_MUNICIPALITIES = "OUTPUT_MUNICIPALITIES"
    OUTPUT_ROADS = "OUTPUT_ROADS"
    OUTPUT_BRIDGES = "OUTPUT_BRIDGES"
    OUTPUT_FACILITIES = "OUTPUT_FACILITIES"
    OUTPUT_EMERGENCY_ROUTES = "OUTPUT_EMERGENCY_ROUTES"
    LOAD_REPORT = "LOAD_REPORT"
    CRS = "CRS"
    N_SKIPPED = "N_SKIPPED"
    N_ERRORS = "N_ERRORS"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_source(self.MUNICIPALITIES, tr("Municipal boundaries (e.g. N03)"),
                        [QgsProcessing.TypeVectorPolygon], optional=True)
        self.add_field(self.MUNICIPALITY_CODE_FIELD, tr("Municipality code field"),
                       self.MUNICIPALITIES, "municipality_code")
        self.add_field(self.MUNICIPALITY_NAME_FIELD, tr("Municipality name field"),
                       self.MUNICIPALITIES, "municipality_name")
        self.add_source(self.ROADS, tr("Roads"), [QgsProcessing.TypeVectorLine], optional=True)
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_source(self.FACILITIES, tr("Facilities (hospitals, schools, offices)"),
                        [QgsProcessing.TypeVectorPoint], optional=True)
        self.add_source(self.EMERGENCY_ROUTES,
                        tr("Emergency transport routes (緊急輸送道路, e.g. N10)"),
                        [QgsProcessing.TypeVectorLine], optional=True)
        self.addParameter(QgsProcessingParameterCrs(
            self.TARGET_CRS, tr("Analysis CRS (empty: the JGD2011 plane rectangular zone of the data)"),
            optional=True))
        self.add_settings_parameter()
        for _, (_, output, _) in LAYERS.items():
            label = {
                "OUTPUT_MUNICIPALITIES": tr("Loaded municipalities"),
                "OUTPUT_ROADS": tr("Loaded roads"),
                "OUTPUT_BRIDGES": tr("Loaded bridges"),
                "OUTPUT_FACILITIES": tr("Loaded facilities"),
                "OUTPUT_EMERGENCY_ROUTES": tr("Loaded emergency transport routes"),
            }[output]
            self.addParameter(QgsProcessingParameterFeatureSink(
                output, label, optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.LOAD_REPORT, tr("Load report"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputString(self.CRS, tr("Analysis CRS")))
        self.addOutput(QgsProcessingOutputNumber(self.N_SKIPPED, tr("Features skipped")))
        self.addOutput(QgsProcessingOutputNumber(self.N_ERRORS, tr("Errors in the load report")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        if not any(parameters.get(name) not in (None, "") for name in LAYERS):
            return False, tr("Give at least one input layer.")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        settings = self.settings(parameters, context)
        crs = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        if crs.isValid():
            if crs.isGeographic():
                raise QgsProcessingException(
                    tr("The analysis CRS must be projected in metres (e.g. EPSG:6669-6687, "
                       "JGD2011 plane rectangular zones); {crs} is geographic.").format(crs=crs.authid()))
            settings.io.target_crs = crs.authid() or crs.toWkt()

        fields = {
            "MUNICIPALITIES": {self.MUNICIPALITY_CODE_FIELD: "municipality_code",
                               self.MUNICIPALITY_NAME_FIELD: "municipality_name"},
            "BRIDGES": {self.BRIDGE_ID_FIELD: "bridge_id"},
        }
        region = self.load_region(parameters, context, feedback,
                                  {name: (kind, fields.get(name)) for name, (kind, _, _) in LAYERS.items()},
                                  settings, progress_range=(0.0, 80.0))

        results = {self.CRS: str(region.crs)}
        for i, (name, (kind, output, empty_wkb)) in enumerate(LAYERS.items()):
            frame = getattr(region, kind)
            if frame is None:
                continue
            dest = gdf_to_sink(self, parameters, output, context, frame, feedback=feedback,
                               default_wkb=empty_wkb, progress_range=(80.0 + i * 3, 83.0 + i * 3))
            if dest is not None:
                results[output] = dest
        report = region.report.to_frame()
        results[self.LOAD_REPORT] = gdf_to_sink(self, parameters, self.LOAD_REPORT, context,
                                                report, feedback=feedback)
        results[self.N_SKIPPED] = int((report["action"] == "skipped").sum())
        results[self.N_ERRORS] = int((report["severity"] == "error").sum())
        feedback.pushInfo(tr("Analysis CRS: {crs}; {skipped} feature(s) skipped, "
                             "{errors} error(s): see the load report.").format(
            crs=results[self.CRS], skipped=results[self.N_SKIPPED], errors=results[self.N_ERRORS]))
        feedback.setProgress(100)
        return results

