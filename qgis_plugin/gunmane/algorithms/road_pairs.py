"""Road pairs for joint review (垂直連携): prefectural and municipal roads serving the same places."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..convert import gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class RoadPairsAlgorithm(GunmaneAlgorithm):
    NAME = "road_pairs"
    DISPLAY_NAME = N_("Road pairs for joint review")
    GROUP = "groups"
    TAGS = N_("road pairs,prefecture,vertical,parallel,垂直連携")
    HELP = N_(
        "Lists municipal road stretches that run parallel to a prefectural road and join "
        "the same places, so that the prefecture and the municipality can review them "
        "together (垂直連携), e.g. whether both bridges over the same river are needed.\n\n"
        "Needs road_class (prefectural / municipal, or 都道府県道 / 市町村道) on the roads. "
        "parallel_share is the share of the municipal stretch within the parallel distance "
        "of the settings; the best candidates come first. Bridges within 30 m of a "
        "municipal stretch are counted on it.")

    OUTPUT = "OUTPUT"
    N_PAIRS = "N_PAIRS"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_source(self.ROADS, tr("Roads (with road class)"), [QgsProcessing.TypeVectorLine])
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Road pairs"), QgsProcessing.TypeVectorLine))
        self.add_report_sink()
        self.addOutput(QgsProcessingOutputNumber(self.N_PAIRS, tr("Road pairs found")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        from gunmane_geo.grouping import road_pairs

        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        region = self.load_region(parameters, context, feedback,
                                  self.layer_specs(self.ROADS, self.BRIDGES), settings,
                                  progress_range=(0.0, 40.0))
        feedback.setProgressText(tr("Looking for parallel road stretches..."))
        pairs = self.call(road_pairs, region.roads, bridges=region.bridges, settings=settings,
                          report=region.report)
        feedback.setProgress(90)
        results = {self.OUTPUT: gdf_to_sink(self, parameters, self.OUTPUT, context, pairs,
                                            feedback=feedback, default_wkb=QgsWkbTypes.LineString),
                   self.N_PAIRS: len(pairs)}
        feedback.pushInfo(tr("{n} road pairs.").format(n=len(pairs)))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
