"""見える化: indicators per municipality and per group (ageing, ratings, staff, other sectors)."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..convert import gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class IndicatorsAlgorithm(GunmaneAlgorithm):
    NAME = "indicators"
    DISPLAY_NAME = N_("Indicators (visibility)")
    GROUP = "visibility"
    TAGS = N_("indicators,visibility,ageing,rating,staff,見える化")
    HELP = N_(
        "Makes the state of the bridges visible per municipality and per group (見える化): "
        "number of bridges and deck area (m²), share 50 years or older now and in 10 and "
        "20 years, bridges per rating (判定区分 I-IV) and the share rated III or IV, "
        "inspections overdue, technical staff and bridges per engineer, and other "
        "sectors' assets.\n\n"
        "Give group members (for example the Group members output of 'Municipal groups'; "
        "only candidate 1 is used) to get one row per group after the municipalities. "
        "Bridges and assets that lie in no municipality are listed in the skipped table "
        "with the reason. Shares are fractions 0-1; NULL where the denominator is 0.")

    OUTPUT = "OUTPUT"
    OUTPUT_SKIPPED = "OUTPUT_SKIPPED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_municipality_inputs()
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_staff_input()
        self.add_other_assets_input()
        self.add_group_members_input()
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Indicators"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SKIPPED, tr("Skipped bridges and assets"), QgsProcessing.TypeVector,
            optional=True))
        self.add_report_sink()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        import pandas as pd
        from gunmane_geo.indicators import municipality_indicators

        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        region = self.load_region(parameters, context, feedback, self.layer_specs(
            self.MUNICIPALITIES, self.BRIDGES, self.STAFF, self.OTHER_ASSETS), settings,
            progress_range=(0.0, 40.0))
        members = self.read_table(parameters, self.GROUP_MEMBERS, context, feedback)
        table = self.call(municipality_indicators, region.municipalities, region.bridges,
                          region.staff, region.other_assets, group_members=members,
                          settings=settings, progress=self.progress(feedback, 40.0, 90.0))
        results = {self.OUTPUT: gdf_to_sink(self, parameters, self.OUTPUT, context, table,
                                            feedback=feedback, default_wkb=QgsWkbTypes.MultiPolygon)}
        self.style_on_load(context, results[self.OUTPUT], "indicators")
        skipped = pd.DataFrame(table.attrs.get("skipped", pd.DataFrame()))
        if len(skipped):
            feedback.pushWarning(tr("{n} bridges or assets lie in no municipality: see the "
                                    "skipped table.").format(n=len(skipped)))
        dest = gdf_to_sink(self, parameters, self.OUTPUT_SKIPPED, context, skipped, feedback=feedback)
        if dest is not None:
            results[self.OUTPUT_SKIPPED] = dest
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
