"""A consolidation/removal plan under a budget or a saving target, with its cost curve."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..convert import as_points, gdf_to_sink
from ..i18n import N_, tr
from .options import BridgeOptionsAlgorithm


class PlanAlgorithm(BridgeOptionsAlgorithm):
    NAME = "plan"
    DISPLAY_NAME = N_("Plan under a budget")
    GROUP = "bridges"
    TAGS = N_("plan,budget,saving,consolidation,removal,cost curve,計画,予算")
    HELP = N_(
        "Chooses options across all bridges, one step at a time, best net benefit first "
        "(cost avoided minus the road users' cost), re-measuring the detours of ALL "
        "removals of the plan on the network at each step and refusing steps that break a "
        "guard (people cut off, detour over the limit).\n\n"
        "Give a budget (life-cycle cost in yen, present value, that the bridge stock may "
        "use over the horizon) and/or a saving target in percent of the baseline "
        "(everything kept). With neither, the plan takes every step with a positive net "
        "benefit.\n\n"
        "Outputs: the plan (one point per bridge: the chosen option, the step, its detour "
        "with the whole plan, the reason; removed bridges are crossed out on the map), the "
        "cost curve (one row per step), a one-row summary and the detour routes (one line "
        "per bridge that loses vehicle traffic: the way round it with all removals of the "
        "plan made, drawn as a bold black dashed line). Each planned bridge names its "
        "method (集約 into a named kept bridge, 単純撤去, 撤去＋迂回路整備, ダウンサイジング) and "
        "why it won.\n\n"
        "Compare saving targets: e.g. 0,5,10,20 plans at each of these targets side by side "
        "(a table and a chart: bridges by method, cost avoided, added vehicle-km, people "
        "whose trips get longer). Costs are ILLUSTRATIVE "
        "defaults unless your settings file sets [costs].")

    BUDGET_YEN = "BUDGET_YEN"
    TARGET_SAVING_PCT = "TARGET_SAVING_PCT"
    OUTPUT_PLAN = "OUTPUT_PLAN"
    OUTPUT_CURVE = "OUTPUT_CURVE"
    OUTPUT_SUMMARY = "OUTPUT_SUMMARY"
    OUTPUT_DETOURS = "OUTPUT_DETOURS"
    COMPARE = "COMPARE"
    OUTPUT_COMPARE = "OUTPUT_COMPARE"
    OUTPUT_COMPARE_CHART = "OUTPUT_COMPARE_CHART"
    COST_AVOIDED_YEN = "COST_AVOIDED_YEN"
    N_REMOVED = "N_REMOVED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_network_inputs()
        self.addParameter(QgsProcessingParameterNumber(
            self.BUDGET_YEN, tr("Budget: life-cycle cost over the horizon (yen, present value)"),
            QgsProcessingParameterNumber.Double, optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.TARGET_SAVING_PCT, tr("Saving target (% of the baseline life-cycle cost)"),
            QgsProcessingParameterNumber.Double, optional=True, minValue=0.0, maxValue=99.9))
        self.addParameter(QgsProcessingParameterString(
            self.COMPARE, tr("Compare saving targets (%, comma-separated, e.g. 0,5,10,20)"),
            optional=True))
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_PLAN, tr("Plan"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_CURVE, tr("Cost curve"), QgsProcessing.TypeVector))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, tr("Plan summary"), QgsProcessing.TypeVector))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_DETOURS, tr("Detour routes"), QgsProcessing.TypeVectorLine,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_OPTIONS, tr("Bridge options"), QgsProcessing.TypeVectorPoint,
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SETS, tr("Consolidation sets"), QgsProcessing.TypeVectorPoint,
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_COMPARE, tr("Scenario comparison"), QgsProcessing.TypeVector,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_COMPARE_CHART, tr("Scenario chart (PDF)"), "PDF (*.pdf)",
            optional=True, createByDefault=False))
        self.add_report_sink()
        self.addOutput(QgsProcessingOutputNumber(self.COST_AVOIDED_YEN, tr("Cost avoided (yen)")))
        self.addOutput(QgsProcessingOutputNumber(self.N_REMOVED,
                                                 tr("Bridges that lose vehicle traffic")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        import pandas as pd
        from gunmane_geo.maps.kinds import plan_class
        from gunmane_geo.options import detour_routes

        budget = None
        if parameters.get(self.BUDGET_YEN) not in (None, ""):
            budget = self.parameterAsDouble(parameters, self.BUDGET_YEN, context)
        share = None
        if parameters.get(self.TARGET_SAVING_PCT) not in (None, ""):
            pct = self.parameterAsDouble(parameters, self.TARGET_SAVING_PCT, context)
            if not 0 < pct < 100:
                raise QgsProcessingException(
                    tr("The saving target must be between 0 and 100 %, e.g. 20."))
            share = pct / 100.0
        compare = None
        text = self.parameterAsString(parameters, self.COMPARE, context) if \
            parameters.get(self.COMPARE) not in (None, "") else ""
        if text.strip():
            from gunmane_geo.options import parse_levels
            compare = ("target", self.call(parse_levels, text, what=tr("Compare saving targets")))
        region, settings, layers = self.run_options(parameters, context, feedback, plan=True,
                                                    budget_yen=budget, target_saving_share=share,
                                                    compare=compare)
        plan = layers["plan"]
        summary = plan.attrs["summary"]
        plan = plan.copy()
        plan["plan_class"] = plan_class(plan)
        results = {}
        dest = gdf_to_sink(self, parameters, self.OUTPUT_PLAN, context, as_points(plan),
                           feedback=feedback, default_wkb=QgsWkbTypes.Point)
        results[self.OUTPUT_PLAN] = dest
        self.style_on_load(context, dest, "plan")
        results[self.OUTPUT_CURVE] = gdf_to_sink(self, parameters, self.OUTPUT_CURVE, context,
                                                 pd.DataFrame(layers["cost_curve"]), feedback=feedback)
        results[self.OUTPUT_SUMMARY] = gdf_to_sink(self, parameters, self.OUTPUT_SUMMARY, context,
                                                   pd.DataFrame([summary]), feedback=feedback)
        detours = self.call(detour_routes, layers["plan"], layers["_network"])
        dest = gdf_to_sink(self, parameters, self.OUTPUT_DETOURS, context, detours,
                           feedback=feedback, default_wkb=QgsWkbTypes.MultiLineString)
        if dest is not None:
            results[self.OUTPUT_DETOURS] = dest
            self.style_on_load(context, dest, "detours")
        if parameters.get(self.OUTPUT_OPTIONS) not in (None, "") or \
                parameters.get(self.OUTPUT_SETS) not in (None, ""):
            self.write_options(parameters, context, feedback, layers, results)
            results.pop(self.N_RECOMMENDED, None)
        cmp = layers.get("plan_compare")
        if cmp is not None:
            dest = gdf_to_sink(self, parameters, self.OUTPUT_COMPARE, context, pd.DataFrame(cmp),
                               feedback=feedback)
            if dest is not None:
                results[self.OUTPUT_COMPARE] = dest
            chart = self.parameterAsFileOutput(parameters, self.OUTPUT_COMPARE_CHART, context) \
                if parameters.get(self.OUTPUT_COMPARE_CHART) not in (None, "") else ""
            if chart:
                from pathlib import Path

                from gunmane_geo.maps import chart_scenarios
                page = self.call(chart_scenarios, cmp, settings=settings)
                stem = Path(chart).with_suffix("")
                self.call(page.save, stem, formats=["pdf"])
                results[self.OUTPUT_COMPARE_CHART] = str(stem) + ".pdf"
        results[self.COST_AVOIDED_YEN] = int(summary["cost_avoided_yen"])
        results[self.N_REMOVED] = int(summary["n_bridges_removed"])
        feedback.pushInfo(tr("Plan: {n} bridges lose vehicle traffic; life-cycle cost {before} -> "
                             "{after} yen ({share} saved); target reached: {reached}.").format(
            n=summary["n_bridges_removed"], before=f"{summary['baseline_lcc_yen']:,}",
            after=f"{summary['plan_lcc_yen']:,}", share=f"{summary['saving_share']:.1%}",
            reached=summary["target_reached"]))
        if not summary["target_reached"]:
            feedback.pushWarning(tr("The budget or saving target cannot be reached within the "
                                    "guards: the plan takes every step that is allowed."))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
