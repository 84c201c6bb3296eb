"""導入効果試算: total cost before and after a group arrangement, per municipality and group."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..convert import gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class EffectEstimateAlgorithm(GunmaneAlgorithm):
    NAME = "effect_estimate"
    DISPLAY_NAME = N_("Effect estimate")
    GROUP = "visibility"
    TAGS = N_("effect,cost,staff hours,outsourcing,導入効果試算")
    HELP = N_(
        "Estimates the effect of managing bridges as a group (導入効果試算): total cost = "
        "direct staff hours x hourly labour cost + outsourcing, before and after, per "
        "municipality and per group (hours per year, yen per year).\n\n"
        "Give your own figures as an input table (one row per municipality_code with any "
        "of direct_hours_before, direct_hours_after, outsourcing_before_yen, "
        "outsourcing_after_yen, hourly_labour_cost_yen; Japanese headers accepted); empty "
        "cells use the ILLUSTRATIVE defaults of the settings ([effect]), and "
        "uses_illustrative_defaults says where they were used. Without group members, one "
        "group 'ALL' holds every municipality.\n\n"
        "The assumptions table lists every parameter, its value and where it came from.")

    INPUTS = "INPUTS"
    OUTPUT = "OUTPUT"
    OUTPUT_ASSUMPTIONS = "OUTPUT_ASSUMPTIONS"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_municipality_inputs()
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_other_assets_input()
        self.add_source(self.INPUTS, tr("Effect input table (hours and yen per municipality)"),
                        [QgsProcessing.TypeVector], optional=True)
        self.add_group_members_input()
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Effect estimate"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ASSUMPTIONS, tr("Assumptions"), QgsProcessing.TypeVector, optional=True))
        self.add_report_sink()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        from gunmane_geo.effect import effect_assumptions, effect_estimate, normalise_effect_inputs

        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        region = self.load_region(parameters, context, feedback, self.layer_specs(
            self.MUNICIPALITIES, self.BRIDGES, self.OTHER_ASSETS), settings,
            progress_range=(0.0, 40.0))
        inputs = self.read_table(parameters, self.INPUTS, context, feedback)
        if inputs is not None:
            inputs = self.call(normalise_effect_inputs, inputs.astype("string"),
                               source=inputs.attrs["source"])
        members = self.read_table(parameters, self.GROUP_MEMBERS, context, feedback)
        table = self.call(effect_estimate, region.municipalities, region.bridges,
                          region.other_assets, inputs=inputs, group_members=members,
                          settings=settings, progress=self.progress(feedback, 40.0, 90.0))
        results = {self.OUTPUT: gdf_to_sink(self, parameters, self.OUTPUT, context, table,
                                            feedback=feedback, default_wkb=QgsWkbTypes.MultiPolygon)}
        self.style_on_load(context, results[self.OUTPUT], "effect")
        dest = gdf_to_sink(self, parameters, self.OUTPUT_ASSUMPTIONS, context,
                           self.call(effect_assumptions, settings, inputs), feedback=feedback)
        if dest is not None:
            results[self.OUTPUT_ASSUMPTIONS] = dest
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
