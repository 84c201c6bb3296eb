"""Municipal groups (広域連携): the best few partitions of neighbouring municipalities."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from ..convert import gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class MunicipalGroupsAlgorithm(GunmaneAlgorithm):
    NAME = "municipal_groups"
    DISPLAY_NAME = N_("Municipal groups")
    GROUP = "groups"
    TAGS = N_("groups,municipalities,wide-area,horizontal,vertical,広域連携")
    HELP = N_(
        "Suggests groups of neighbouring municipalities that could manage their bridges "
        "together (広域連携): every group is contiguous, reaches the floor of the settings "
        "(technical staff, bridges) and stays under the ceiling (members, travel minutes "
        "between municipal offices), and the workload per engineer is balanced across "
        "groups. The best few candidate partitions are returned (candidate 1 = best); the "
        "map shows candidate 1, one colour per group.\n\n"
        "Neighbours share a boundary (within the tolerance) or are linked by a road or "
        "bridge across the water. Travel times use the roads when given, otherwise the "
        "straight line times a circuity factor. Offices are the facilities with "
        "facility_type = office (else a point inside each municipality).\n\n"
        "'Vertical' names the prefecture as a partner of every group (垂直連携).")

    VERTICAL = "VERTICAL"
    CANDIDATES = "CANDIDATES"
    METHOD = "METHOD"
    METHODS = ["auto", "exact", "heuristic"]
    OUTPUT_GROUPS = "OUTPUT_GROUPS"
    OUTPUT_MEMBERS = "OUTPUT_MEMBERS"
    OUTPUT_CANDIDATES = "OUTPUT_CANDIDATES"
    OUTPUT_ADJACENCY = "OUTPUT_ADJACENCY"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_municipality_inputs()
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_staff_input()
        self.add_source(self.ROADS, tr("Roads"), [QgsProcessing.TypeVectorLine], optional=True)
        self.add_source(self.FACILITIES, tr("Facilities (hospitals, schools, offices)"),
                        [QgsProcessing.TypeVectorPoint], optional=True)
        self.addParameter(QgsProcessingParameterBoolean(
            self.VERTICAL, tr("Vertical: the prefecture joins every group"), defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(
            self.CANDIDATES, tr("Number of candidate partitions (empty: settings)"),
            QgsProcessingParameterNumber.Integer, optional=True, minValue=1, maxValue=20))
        self.addParameter(QgsProcessingParameterEnum(
            self.METHOD, tr("Search"), options=[tr("automatic"), tr("exact"), tr("heuristic")],
            defaultValue=0))
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_GROUPS, tr("Municipal groups"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_MEMBERS, tr("Group members"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_CANDIDATES, tr("Candidate partitions"), QgsProcessing.TypeVector,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ADJACENCY, tr("Neighbouring municipalities"), QgsProcessing.TypeVector,
            optional=True, createByDefault=False))
        self.add_report_sink()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        import pandas as pd
        from gunmane_geo.grouping import municipal_adjacency, municipal_groups

        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        if parameters.get(self.CANDIDATES) not in (None, ""):
            settings.grouping.n_candidates = self.parameterAsInt(parameters, self.CANDIDATES, context)
        region = self.load_region(parameters, context, feedback, self.layer_specs(
            self.MUNICIPALITIES, self.BRIDGES, self.STAFF, self.ROADS, self.FACILITIES),
            settings, progress_range=(0.0, 30.0))
        adjacency = self.call(municipal_adjacency, region.municipalities, roads=region.roads,
                              settings=settings, report=region.report)
        groups, members = self.call(
            municipal_groups, region.municipalities, bridges=region.bridges, staff=region.staff,
            roads=region.roads, offices=region.facilities, settings=settings, adjacency=adjacency,
            vertical=self.parameterAsBool(parameters, self.VERTICAL, context),
            method=self.METHODS[self.parameterAsEnum(parameters, self.METHOD, context)],
            report=region.report, progress=self.progress(feedback, 30.0, 95.0))
        results = {}
        dest = gdf_to_sink(self, parameters, self.OUTPUT_GROUPS, context, groups,
                           feedback=feedback, default_wkb=QgsWkbTypes.MultiPolygon)
        results[self.OUTPUT_GROUPS] = dest
        self.style_on_load(context, dest, "groups")
        dest = gdf_to_sink(self, parameters, self.OUTPUT_MEMBERS, context, members,
                           feedback=feedback, default_wkb=QgsWkbTypes.MultiPolygon)
        results[self.OUTPUT_MEMBERS] = dest
        self.style_on_load(context, dest, "groups")
        for name, frame in ((self.OUTPUT_CANDIDATES, pd.DataFrame(groups.attrs["candidates"])),
                            (self.OUTPUT_ADJACENCY, pd.DataFrame(adjacency))):
            dest = gdf_to_sink(self, parameters, name, context, frame, feedback=feedback)
            if dest is not None:
                results[name] = dest
        best = groups[groups["candidate"] == groups["candidate"].min()]
        feedback.pushInfo(tr("Candidate 1: {n} groups: {names}").format(
            n=len(best), names=", ".join(str(v) for v in best["group_name"])))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
