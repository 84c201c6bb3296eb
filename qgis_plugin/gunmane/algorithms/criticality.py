"""Bridge criticality: remove each bridge on its own and measure the detour and who is cut off."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..convert import as_points, gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class BridgeCriticalityAlgorithm(GunmaneAlgorithm):
    NAME = "bridge_criticality"
    DISPLAY_NAME = N_("Bridge criticality")
    GROUP = "bridges"
    TAGS = N_("criticality,detour,isolation,bridge,removal,network")
    HELP = N_(
        "Removes each bridge on its own from the road network and measures what happens: "
        "the detour between the bridge's two ends (detour_m in metres, detour_min in "
        "minutes), whether the removal cuts people off (isolates, isolated_population, "
        "isolated_facilities and their names) and the vehicle-km added per day (AADT x "
        "detour). criticality_rank 1 is the most critical bridge; criticality_class groups "
        "the bridges for the map (detour under a third of the detour limit, up to two thirds, "
        "up to the limit (1, 2 and 3 km by default), over the limit, dead end with nobody cut "
        "off, removal cuts people off, not on the road network).\n\n"
        "Bridges are matched to the road edges within the match tolerance of the settings; "
        "a bridge that matches no edge is kept with matched = false and no rank, and the "
        "reason. Each bridge is one point: the middle of its bridge edge, or its inventory "
        "location when it is not on the network.\n\n"
        "Bridges: without a bridges layer, the road lines flagged as bridges (an is_bridge "
        "field, or OSM bridge=yes) are the bridges, each one on the network (as the command "
        "line does).\n\n"
        "Population (a grid raster) and facilities are optional; without them isolation is "
        "counted in road nodes only.")

    OUTPUT = "OUTPUT"
    CRS = "CRS"
    N_ISOLATING = "N_ISOLATING"
    N_UNMATCHED = "N_UNMATCHED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_network_inputs(bridges_optional=True)
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Bridge criticality")))
        self.add_report_sink()
        self.addOutput(QgsProcessingOutputString(self.CRS, tr("Analysis CRS")))
        self.addOutput(QgsProcessingOutputNumber(self.N_ISOLATING,
                                                 tr("Bridges whose removal cuts people off")))
        self.addOutput(QgsProcessingOutputNumber(self.N_UNMATCHED,
                                                 tr("Bridges not on the road network")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        from gunmane_geo.criticality import bridge_criticality
        from gunmane_geo.maps.kinds import criticality_class
        from gunmane_geo.pipeline import network_from_region

        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        region = self.load_network_region(parameters, context, feedback, settings, (0.0, 30.0))
        feedback.pushInfo(tr("Building the road network..."))
        net = self.call(network_from_region, region, settings,
                        progress=self.progress(feedback, 30.0, 50.0))
        self.require_bridges(parameters, net)
        table = self.call(bridge_criticality, net, settings=settings,
                          progress=self.progress(feedback, 50.0, 90.0))
        table["criticality_class"] = criticality_class(table, settings)
        dest = gdf_to_sink(self, parameters, self.OUTPUT, context, as_points(table),
                           feedback=feedback, default_wkb=QgsWkbTypes.Point,
                           progress_range=(90.0, 99.0))
        from ..styling import class_labels
        self.style_on_load(context, dest, "bridge_criticality",
                           class_labels("bridge_criticality", settings))
        matched = table["matched"].astype(bool)
        results = {self.OUTPUT: dest, self.CRS: str(region.crs),
                   self.N_ISOLATING: int(table["isolates"].fillna(False).astype(bool).sum()),
                   self.N_UNMATCHED: int((~matched).sum())}
        feedback.pushInfo(tr("{n} bridges: {isolating} cut people off, {unmatched} are not on "
                             "the road network (see matched and reason).").format(
            n=len(table), isolating=results[self.N_ISOLATING], unmatched=results[self.N_UNMATCHED]))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
