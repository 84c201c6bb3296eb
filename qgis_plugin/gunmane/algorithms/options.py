"""Consolidation and removal options for every bridge, and the consolidation sets."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..convert import as_points, gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class BridgeOptionsAlgorithm(GunmaneAlgorithm):
    NAME = "bridge_options"
    DISPLAY_NAME = N_("Consolidation and removal options")
    GROUP = "bridges"
    TAGS = N_("options,consolidation,removal,downsizing,life-cycle cost,集約,撤去")
    HELP = N_(
        "For every bridge, costs and checks each way to deal with it: keep (repair and "
        "renew), simple removal (単純撤去), removal plus a detour upgrade (撤去＋迂回路整備) "
        "and downsizing to a pedestrian/bicycle bridge (ダウンサイジング); and finds sets of "
        "nearby bridges that can be replaced by one (複数橋梁の集約).\n\n"
        "Each option has its life-cycle cost (present value in yen over the horizon of the "
        "settings), the cost avoided compared with keeping, the road users' cost of the "
        "detour, the guards that exclude it (people cut off, detour over the limit, "
        "emergency, bus and school routes) and a reason in Japanese and English. "
        "recommended marks the best option per bridge; the map shows it.\n\n"
        "Cost defaults are ILLUSTRATIVE, not official unit costs: give your own in a "
        "settings file ([costs], [guards]) before using the results for decisions.")

    OUTPUT_OPTIONS = "OUTPUT_OPTIONS"
    OUTPUT_SETS = "OUTPUT_SETS"
    N_RECOMMENDED = "N_RECOMMENDED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_network_inputs()
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_OPTIONS, tr("Bridge options"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SETS, tr("Consolidation sets"), QgsProcessing.TypeVectorPoint))
        self.add_report_sink()
        self.addOutput(QgsProcessingOutputNumber(
            self.N_RECOMMENDED, tr("Bridges with a recommended removal-type option")))

    def run_options(self, parameters, context, feedback, plan=False, **plan_kwargs):
        """Load the inputs and run ``gunmane_geo.pipeline.run_options``."""
        from gunmane_geo.pipeline import run_options
        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        region = self.load_network_region(parameters, context, feedback, settings, (0.0, 30.0))
        layers = self.call(run_options, region, settings, plan=plan,
                           progress=self.progress(feedback, 30.0, 90.0), **plan_kwargs)
        return region, settings, layers

    def write_options(self, parameters, context, feedback, layers, results):
        dest = gdf_to_sink(self, parameters, self.OUTPUT_OPTIONS, context,
                           as_points(layers["bridge_options"]), feedback=feedback,
                           default_wkb=QgsWkbTypes.Point)
        if dest is not None:
            results[self.OUTPUT_OPTIONS] = dest
            self.style_on_load(context, dest, "bridge_options")
        sets = layers["consolidation_sets"]
        dest = gdf_to_sink(self, parameters, self.OUTPUT_SETS, context, sets, feedback=feedback,
                           default_wkb=QgsWkbTypes.MultiPoint)
        if dest is not None:
            results[self.OUTPUT_SETS] = dest
        opts = layers["bridge_options"]
        results[self.N_RECOMMENDED] = int(
            opts.loc[opts["recommended"].astype(bool) & (opts["option"] != "keep"), "bridge_id"].nunique())
        return results

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        region, settings, layers = self.run_options(parameters, context, feedback)
        results = self.write_options(parameters, context, feedback, layers, {})
        feedback.pushInfo(tr("{n} bridges, {rec} with a recommended removal-type option; {sets} "
                             "consolidation sets. Costs are ILLUSTRATIVE unless your settings "
                             "file sets [costs].").format(
            n=layers["bridge_options"]["bridge_id"].nunique(), rec=results[self.N_RECOMMENDED],
            sets=layers["consolidation_sets"]["set_id"].nunique()))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
