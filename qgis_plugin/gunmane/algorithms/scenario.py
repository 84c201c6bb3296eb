"""Removal scenario: remove a set of bridges at once (e.g. the selected ones) and measure it."""
from __future__ import annotations

import copy

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..convert import gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class RemovalScenarioAlgorithm(GunmaneAlgorithm):
    NAME = "removal_scenario"
    DISPLAY_NAME = N_("Removal scenario for selected bridges")
    GROUP = "bridges"
    TAGS = N_("scenario,removal,selected,detour,isolation,trips")
    HELP = N_(
        "Removes several bridges at once and measures the effect of the whole set (two "
        "parallel bridges can each be harmless alone but cut a village off together).\n\n"
        "Choose the bridges to remove as a layer, usually the bridge layer itself with "
        "'Selected features only' ticked, and/or type their IDs separated by commas.\n\n"
        "Outputs: the removed bridges with their detour when the whole set is gone, the "
        "trips from settlements to their nearest hospital, school, office and fire station "
        "that get longer (with the new route as a line; no line when cut off), the road "
        "nodes cut off, and a one-row summary (persons and facilities cut off, vehicle-km "
        "added per day, trips longer).")

    REMOVE = "REMOVE"
    REMOVE_ID_FIELD = "REMOVE_ID_FIELD"
    REMOVE_IDS = "REMOVE_IDS"
    TRIP_LINES = "TRIP_LINES"
    OUTPUT_BRIDGES = "OUTPUT_BRIDGES"
    OUTPUT_TRIPS = "OUTPUT_TRIPS"
    OUTPUT_ISOLATED = "OUTPUT_ISOLATED"
    OUTPUT_SUMMARY = "OUTPUT_SUMMARY"
    ISOLATED_POPULATION = "ISOLATED_POPULATION"
    VEHICLE_KM_PER_DAY = "VEHICLE_KM_PER_DAY"
    TRIPS_LONGER = "TRIPS_LONGER"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_network_inputs(bridges_optional=True)
        self.add_source(self.REMOVE, tr("Bridges to remove (e.g. the selected bridges)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.REMOVE_ID_FIELD, tr("Bridge ID field of the bridges to remove"),
                       self.REMOVE, "bridge_id")
        self.addParameter(QgsProcessingParameterString(
            self.REMOVE_IDS, tr("Bridge IDs to remove (comma separated)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.TRIP_LINES, tr("Draw the new route of each longer trip"), defaultValue=True))
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_BRIDGES, tr("Removed bridges (detour with the whole set removed)"),
            QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_TRIPS, tr("Trips that get longer"), QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ISOLATED, tr("Road nodes cut off"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, tr("Scenario summary"), QgsProcessing.TypeVector))
        self.add_report_sink()
        self.addOutput(QgsProcessingOutputNumber(self.ISOLATED_POPULATION, tr("Persons cut off")))
        self.addOutput(QgsProcessingOutputNumber(self.VEHICLE_KM_PER_DAY,
                                                 tr("Vehicle-km added per day")))
        self.addOutput(QgsProcessingOutputNumber(self.TRIPS_LONGER, tr("Trips that get longer")))

    def bridge_ids(self, parameters, context, feedback, settings):
        """IDs from the REMOVE layer (canonical ``bridge_id`` via the loader) and REMOVE_IDS."""
        ids = []
        if parameters.get(self.REMOVE) not in (None, ""):
            removal = self.load_region(
                parameters, context, feedback,
                {self.REMOVE: ("bridges", {self.REMOVE_ID_FIELD: "bridge_id"})},
                copy.deepcopy(settings), progress_range=(0.0, 5.0))
            if removal.bridges is not None:
                ids += [str(b) for b in removal.bridges["bridge_id"]]
        typed = self.parameterAsString(parameters, self.REMOVE_IDS, context)
        ids += [b.strip() for b in typed.replace("、", ",").split(",") if b.strip()]
        ids = list(dict.fromkeys(ids))
        if not ids:
            raise QgsProcessingException(
                tr("No bridges to remove: select bridges and give them as 'Bridges to remove' "
                   "(Selected features only), or type their IDs."))
        return ids

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        import geopandas as gpd
        from gunmane_geo.criticality import removal_scenario
        from gunmane_geo.pipeline import network_from_region

        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        ids = self.bridge_ids(parameters, context, feedback, settings)
        feedback.pushInfo(tr("Removing {n} bridge(s) together: {ids}").format(
            n=len(ids), ids=", ".join(ids[:20]) + (" ..." if len(ids) > 20 else "")))
        region = self.load_network_region(parameters, context, feedback, settings, (5.0, 30.0))
        net = self.call(network_from_region, region, settings,
                        progress=self.progress(feedback, 30.0, 50.0))
        self.require_bridges(parameters, net)
        res = self.call(removal_scenario, net, ids, settings=settings,
                        geometry=self.parameterAsBool(parameters, self.TRIP_LINES, context),
                        progress=self.progress(feedback, 50.0, 90.0))
        nodes = net.nodes.iloc[res.isolated_node_ids][["node_id", "population", "n_facilities",
                                                       "geometry"]]
        results = {
            self.OUTPUT_BRIDGES: gdf_to_sink(self, parameters, self.OUTPUT_BRIDGES, context,
                                             res.bridges, feedback=feedback,
                                             default_wkb=QgsWkbTypes.LineString),
            self.OUTPUT_TRIPS: gdf_to_sink(self, parameters, self.OUTPUT_TRIPS, context, res.trips,
                                           feedback=feedback, default_wkb=QgsWkbTypes.LineString),
            self.OUTPUT_ISOLATED: gdf_to_sink(self, parameters, self.OUTPUT_ISOLATED, context,
                                              gpd.GeoDataFrame(nodes, crs=net.crs),
                                              feedback=feedback, default_wkb=QgsWkbTypes.Point),
            self.OUTPUT_SUMMARY: gdf_to_sink(self, parameters, self.OUTPUT_SUMMARY, context,
                                             res.summary_frame(), feedback=feedback),
        }
        s = res.summary
        results[self.ISOLATED_POPULATION] = float(s["isolated_population"])
        results[self.VEHICLE_KM_PER_DAY] = float(s["vehicle_km_per_day"])
        results[self.TRIPS_LONGER] = int(s["trips_longer"])
        if s["unmatched"]:
            feedback.pushWarning(tr("Not on the road network, so their removal changes nothing: "
                                    "{ids}").format(ids=", ".join(s["unmatched"])))
        feedback.pushInfo(tr("{population} persons and {facilities} facilities cut off; "
                             "{vkm} vehicle-km added per day; {trips} trips longer.").format(
            population=f"{s['isolated_population']:.0f}", facilities=s["isolated_facilities"],
            vkm=f"{s['vehicle_km_per_day']:.0f}", trips=s["trips_longer"]))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
