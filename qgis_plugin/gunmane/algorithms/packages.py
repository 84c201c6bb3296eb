"""Asset packages (maintenance contract areas) and multi-sector areas (多分野連携)."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..convert import as_points, gdf_to_sink
from ..i18n import N_, tr
from .base import GunmaneAlgorithm


class AssetPackagesAlgorithm(GunmaneAlgorithm):
    NAME = "asset_packages"
    DISPLAY_NAME = N_("Asset packages")
    GROUP = "groups"
    TAGS = N_("packages,contract,inspection,multi-sector,包括的民間委託,多分野連携")
    HELP = N_(
        "Clusters bridges and other assets (parks, rivers, sewers) into maintenance "
        "contract packages across municipal boundaries: each package is compact in road "
        "travel time from its centre asset and the packages are balanced by inspection "
        "hours, within the size range of the settings.\n\n"
        "With 'Multi-sector areas per municipality' ticked, each municipality's assets of "
        "all sectors are split into a few contract areas instead (多分野連携, "
        "包括的民間委託).\n\n"
        "Outputs: the packages (or areas) as polygons (the buffered hull of their assets) "
        "and every asset with its package_id (or area_id) and travel_min.")

    N_PACKAGES = "N_PACKAGES"
    MULTI_SECTOR = "MULTI_SECTOR"
    MUNICIPALITY = "MUNICIPALITY"
    N_AREAS = "N_AREAS"
    OUTPUT_PACKAGES = "OUTPUT_PACKAGES"
    OUTPUT_ASSETS = "OUTPUT_ASSETS"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine], optional=True)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_other_assets_input()
        self.add_source(self.ROADS, tr("Roads (travel times; empty: straight line)"),
                        [QgsProcessing.TypeVectorLine], optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            self.N_PACKAGES, tr("Number of packages (empty: from the size range of the settings)"),
            QgsProcessingParameterNumber.Integer, optional=True, minValue=1, maxValue=500))
        self.addParameter(QgsProcessingParameterBoolean(
            self.MULTI_SECTOR, tr("Multi-sector areas per municipality instead"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            self.MUNICIPALITY, tr("Multi-sector: only this municipality code"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.N_AREAS, tr("Multi-sector: areas per municipality (empty: settings)"),
            QgsProcessingParameterNumber.Integer, optional=True, minValue=1, maxValue=50))
        self.add_crs_parameter()
        self.add_settings_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_PACKAGES, tr("Asset packages"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ASSETS, tr("Assets with their package"), QgsProcessing.TypeVectorPoint))
        self.add_report_sink()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self.require_library()
        from gunmane_geo.grouping import asset_packages, combine_assets, multi_sector_areas

        if all(parameters.get(n) in (None, "") for n in (self.BRIDGES, self.OTHER_ASSETS)):
            raise QgsProcessingException(tr("Give bridges and/or other sectors' assets."))
        settings = self.apply_target_crs(parameters, context, self.settings(parameters, context))
        region = self.load_region(parameters, context, feedback, self.layer_specs(
            self.BRIDGES, self.OTHER_ASSETS, self.ROADS), settings, progress_range=(0.0, 30.0))
        assets = self.call(combine_assets, region.bridges, region.other_assets, settings,
                           region.report)
        progress = self.progress(feedback, 30.0, 95.0)
        if self.parameterAsBool(parameters, self.MULTI_SECTOR, context):
            code = self.parameterAsString(parameters, self.MUNICIPALITY, context).strip() or None
            n_areas = self.parameterAsInt(parameters, self.N_AREAS, context) \
                if parameters.get(self.N_AREAS) not in (None, "") else None
            out, packages = self.call(multi_sector_areas, assets, municipality_code=code,
                                      n_areas=n_areas, roads=region.roads, settings=settings,
                                      report=region.report, progress=progress)
            style = None
        else:
            n = self.parameterAsInt(parameters, self.N_PACKAGES, context) \
                if parameters.get(self.N_PACKAGES) not in (None, "") else None
            out, packages = self.call(asset_packages, assets, roads=region.roads, settings=settings,
                                      n_packages=n, report=region.report, progress=progress)
            style = "packages"
        results = {}
        dest = gdf_to_sink(self, parameters, self.OUTPUT_PACKAGES, context, packages,
                           feedback=feedback, default_wkb=QgsWkbTypes.MultiPolygon)
        results[self.OUTPUT_PACKAGES] = dest
        if style:
            self.style_on_load(context, dest, style)
        results[self.OUTPUT_ASSETS] = gdf_to_sink(self, parameters, self.OUTPUT_ASSETS, context,
                                                  as_points(out), feedback=feedback,
                                                  default_wkb=QgsWkbTypes.Point)
        feedback.pushInfo(tr("{n} packages or areas for {assets} assets.").format(
            n=len(packages), assets=len(out)))
        self.write_report(parameters, context, region.report, results, feedback)
        feedback.setProgress(100)
        return results
