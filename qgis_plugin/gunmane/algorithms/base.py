"""Base class of every gunmane algorithm: naming, translation, help, error handling.

An algorithm file stays thin: declare parameters, convert inputs with ``convert``,
call the library, write sinks.  Analysis logic belongs in ``gunmane_geo``.
"""
from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
)

from .. import deps
from ..i18n import N_, tr

# group id -> English group name (translated at display time)
GROUPS = {
    "input": N_("1. Input data"),
    "bridges": N_("2. Bridges and consolidation"),
    "groups": N_("3. Municipal groups"),
    "visibility": N_("4. Visibility and effect"),
    "maps": N_("5. Council maps"),
}


class GunmaneAlgorithm(QgsProcessingAlgorithm):
    """Common behaviour; subclasses set ``NAME``, ``DISPLAY_NAME``, ``GROUP`` and ``HELP``."""

    NAME = ""
    DISPLAY_NAME = ""     # English; translated by tr()
    GROUP = "input"
    HELP = ""             # English; translated by tr()
    TAGS = ""             # English, comma separated

    # --- identity ---------------------------------------------------------
    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return tr(self.DISPLAY_NAME)

    def group(self):
        return tr(GROUPS[self.GROUP])

    def groupId(self):  # noqa: N802
        return self.GROUP

    def tags(self):
        return [t.strip() for t in tr(self.TAGS).split(",") if t.strip()] + ["gunmane", "群マネ"]

    def shortHelpString(self):  # noqa: N802
        return tr(self.HELP)

    def helpUrl(self):  # noqa: N802
        return "https://github.com/gunmane-geo/gunmane-geo/blob/main/docs/qgis_plugin.md"

    def tr(self, text):
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    # --- parameters ---------------------------------------------------------
    SETTINGS = "SETTINGS"

    def add_settings_parameter(self):
        """Optional TOML settings file (``Settings.from_toml``); advanced parameter."""
        param = QgsProcessingParameterFile(
            self.SETTINGS, tr("Settings file (TOML, optional: defaults when empty)"),
            extension="toml", optional=True)
        param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(param)

    def add_source(self, name, label, types, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSource(name, label, types, optional=optional))

    def add_field(self, name, label, parent, default, field_type=None, advanced=False):
        """A field of ``parent`` defaulting to the canonical name ``default``.

        When the layer has no field of that name the library's alias matching picks one
        (e.g. 橋梁名, 橋長(m), N03_007): see docs/schema.md.
        """
        kwargs = {}
        if field_type is not None:
            kwargs["type"] = field_type
        param = QgsProcessingParameterField(name, label, defaultValue=default,
                                            parentLayerParameterName=parent,
                                            optional=True, **kwargs)
        if advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(param)

    # --- reading inputs ------------------------------------------------------
    def settings(self, parameters, context):
        """The run's ``gunmane_geo.Settings`` (TOML file if given, else defaults)."""
        from gunmane_geo.settings import Settings
        path = self.parameterAsFile(parameters, self.SETTINGS, context) \
            if self.parameterDefinition(self.SETTINGS) is not None else ""
        if not path:
            return Settings()
        try:
            return Settings.from_toml(path)
        except (ValueError, FileNotFoundError) as exc:
            raise QgsProcessingException(
                tr("Settings file: {message}").format(message=exc)) from None

    def check_encoding(self, parameters, name, context):
        """Refuse a CP932 text file that QGIS reads as UTF-8 (garbled Japanese), with the fix."""
        from ..convert import file_encoding_problem
        layer = self.parameterAsVectorLayer(parameters, name, context)
        problem = file_encoding_problem(layer)
        if problem:
            raise QgsProcessingException(problem)

    def layer_label(self, parameters, name, context, source):
        """'<parameter description> (<layer name>)' for messages."""
        definition = self.parameterDefinition(name)
        label = definition.description() if definition is not None else name
        layer_name = source.sourceName() if hasattr(source, "sourceName") else ""
        return f"{label} ({layer_name})" if layer_name else label

    def read_source(self, parameters, name, context, feedback, field_parameters=None,
                    progress_range=(0.0, 10.0), required=False):
        """A feature source parameter as a GeoDataFrame in its own CRS, or ``None`` if not given.

        ``field_parameters`` maps field-parameter names to canonical names.  A field the
        user chose is renamed to the canonical name; the default (the canonical name
        itself) is left to the library's alias matching when the layer lacks it.
        """
        from ..convert import source_to_gdf
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            if required or parameters.get(name) not in (None, ""):
                raise QgsProcessingException(self.invalidSourceError(parameters, name))
            return None
        self.check_encoding(parameters, name, context)
        rename = {}
        for param_name, canonical in (field_parameters or {}).items():
            chosen = self.parameterAsFields(parameters, param_name, context)
            if not chosen:
                continue
            chosen = chosen[0]
            if chosen != canonical:     # the default (canonical) is left to alias matching
                rename[chosen] = canonical
        label = self.layer_label(parameters, name, context, source)
        return source_to_gdf(source, layer_name=label, feedback=feedback, rename=rename,
                             progress_range=progress_range)

    def load_region(self, parameters, context, feedback, layers, settings,
                    progress_range=(0.0, 30.0), population_raster=None):
        """Load the given layer parameters with the library's loader into a ``Region``.

        Parameters
        ----------
        layers : dict
            ``{source parameter: (layer kind, {field parameter: canonical name})}``.
            Parameters left empty are skipped.
        settings : gunmane_geo.Settings
        population_raster : str, optional
            Raster layer parameter holding a population grid.

        Returns
        -------
        gunmane_geo.Region
            Canonical columns in one metric CRS (``settings.io.target_crs`` or chosen
            from the data); ``region.report`` names the QGIS layers, not temporary files.
        """
        import os
        from qgis.core import QgsProcessingUtils
        from ..convert import source_to_file
        from gunmane_geo.errors import GunmaneError
        from gunmane_geo.io.loader import load_region

        lo, hi = progress_range
        folder = QgsProcessingUtils.tempFolder()
        inputs, labels = {}, {}
        given = [name for name in layers if parameters.get(name) not in (None, "")]
        for i, name in enumerate(given):
            kind, field_parameters = layers[name]
            source = self.parameterAsSource(parameters, name, context)
            if source is None:
                raise QgsProcessingException(self.invalidSourceError(parameters, name))
            self.check_encoding(parameters, name, context)
            label = self.layer_label(parameters, name, context, source)
            field_map = {}
            names = source.fields().names()
            for param_name, canonical in (field_parameters or {}).items():
                chosen = self.parameterAsFields(parameters, param_name, context)
                if chosen and chosen[0] != canonical:
                    if chosen[0] not in names:
                        raise QgsProcessingException(
                            tr("Layer '{layer}' has no field '{field}'. Choose one of: {fields}.")
                            .format(layer=label, field=chosen[0], fields=", ".join(names)))
                    field_map[chosen[0]] = canonical
            path = os.path.join(folder, f"gunmane_{id(self)}_{kind}.gpkg")
            if os.path.exists(path):
                os.remove(path)
            step = (hi - lo) / 2 / max(len(given), 1)
            path = source_to_file(source, path, layer_name=label, kind=kind, feedback=feedback,
                                  progress_range=(lo + i * step, lo + (i + 1) * step))
            inputs[kind] = {"path": path, "layer": kind if path.endswith(".gpkg") else None,
                            "field_map": field_map or None}
            labels[path] = label
        if population_raster and parameters.get(population_raster) not in (None, ""):
            raster = self.parameterAsRasterLayer(parameters, population_raster, context)
            if raster is None:
                raise QgsProcessingException(self.invalidRasterError(parameters, population_raster))
            inputs["population"] = {"path": raster.source()}
            labels[raster.source()] = raster.name()
        if not inputs:
            raise QgsProcessingException(tr("Give at least one input layer."))
        try:
            region = load_region(inputs, settings,
                                 progress=self.progress(feedback, (lo + hi) / 2, hi))
        except GunmaneError as exc:
            message = str(exc)
            for path, label in labels.items():
                message = message.replace(path, label)
            raise QgsProcessingException(message) from None
        for row in region.report.rows:
            row["source"] = labels.get(row["source"], row["source"])
        for entry in getattr(region.report, "layers", []):
            entry["source"] = labels.get(entry["source"], entry["source"])
        region.sources = {k: labels.get(v, v) for k, v in region.sources.items()}
        return region

    # --- common parameters and outputs ----------------------------------------
    TARGET_CRS = "TARGET_CRS"
    LOAD_REPORT = "LOAD_REPORT"

    def add_crs_parameter(self):
        """Optional analysis CRS (empty: the JGD2011 plane rectangular zone of the data)."""
        from qgis.core import QgsProcessingParameterCrs
        self.addParameter(QgsProcessingParameterCrs(
            self.TARGET_CRS, tr("Analysis CRS (empty: the JGD2011 plane rectangular zone of the data)"),
            optional=True))

    def add_report_sink(self):
        """Optional table of every skipped, repaired or converted feature and every note."""
        from qgis.core import QgsProcessing, QgsProcessingParameterFeatureSink
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.LOAD_REPORT, tr("Load and analysis report"), QgsProcessing.TypeVector,
            optional=True, createByDefault=False))

    def apply_target_crs(self, parameters, context, settings):
        """Put the ``TARGET_CRS`` parameter into ``settings.io.target_crs`` (metres only)."""
        crs = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        if crs.isValid():
            if crs.isGeographic():
                raise QgsProcessingException(
                    tr("The analysis CRS must be projected in metres (e.g. EPSG:6669-6687, "
                       "JGD2011 plane rectangular zones); {crs} is geographic.").format(crs=crs.authid()))
            settings.io.target_crs = crs.authid() or crs.toWkt()
        return settings

    def write_report(self, parameters, context, report, results, feedback=None):
        """Write ``report`` (a ``LoadReport``) to the optional ``LOAD_REPORT`` sink."""
        from ..convert import gdf_to_sink
        if parameters.get(self.LOAD_REPORT) in (None, ""):
            return results
        dest = gdf_to_sink(self, parameters, self.LOAD_REPORT, context, report.to_frame(),
                           feedback=feedback)
        if dest is not None:
            results[self.LOAD_REPORT] = dest
        return results

    def call(self, func, *args, **kwargs):
        """Call a library function; its ``GunmaneError`` becomes a ``QgsProcessingException``."""
        from gunmane_geo.errors import GunmaneError
        try:
            return func(*args, **kwargs)
        except GunmaneError as exc:
            raise self.library_error(exc) from None

    def style_on_load(self, context, dest_id, style, labels=None):
        """Style the output ``dest_id`` with ``styles/<style>.qml`` when QGIS loads it.

        The post-processor is attached in ``postProcessAlgorithm`` (main thread); here we
        only remember which output gets which style.
        """
        if dest_id:
            if not hasattr(self, "_styles"):
                self._styles = {}
            self._styles[dest_id] = (style, labels)

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        from ..styling import attach_style
        for dest_id, (style, labels) in getattr(self, "_styles", {}).items():
            attach_style(context, dest_id, style, labels)
        self._styles = {}
        return {}

    # --- the road network inputs (criticality, scenario, options, plan) -------
    ROADS = "ROADS"
    BRIDGES = "BRIDGES"
    BRIDGE_ID_FIELD = "BRIDGE_ID_FIELD"
    FACILITIES = "FACILITIES"
    POPULATION = "POPULATION"
    RIVERS = "RIVERS"
    EMERGENCY_ROUTES = "EMERGENCY_ROUTES"

    def add_network_inputs(self, bridges_optional=False):
        """Roads, bridges (with their ID field), facilities, population grid, rivers and
        emergency transport routes (the last two advanced).

        ``bridges_optional``: the bridges layer may be left empty; the road lines flagged
        as bridges (``is_bridge``, OSM ``bridge=yes``) are then the bridges, as on the
        command line (``pipeline.network_from_region`` -> ``bridges_from_roads``).
        """
        from qgis.core import QgsProcessing, QgsProcessingParameterRasterLayer
        self.add_source(self.ROADS, tr("Roads"), [QgsProcessing.TypeVectorLine])
        self.add_source(self.BRIDGES, tr("Bridges (inventory points or bridge lines)")
                        if not bridges_optional else
                        tr("Bridges (inventory; empty: the road lines flagged as bridges)"),
                        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorLine],
                        optional=bridges_optional)
        self.add_field(self.BRIDGE_ID_FIELD, tr("Bridge ID field"), self.BRIDGES, "bridge_id")
        self.add_source(self.FACILITIES, tr("Facilities (hospitals, schools, offices)"),
                        [QgsProcessing.TypeVectorPoint], optional=True)
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.POPULATION, tr("Population grid (persons per cell)"), optional=True))
        rivers = QgsProcessingParameterFeatureSource(
            self.RIVERS, tr("Rivers (help match bridges to roads)"),
            [QgsProcessing.TypeVectorLine, QgsProcessing.TypeVectorPolygon], optional=True)
        rivers.setFlags(rivers.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(rivers)
        routes = QgsProcessingParameterFeatureSource(
            self.EMERGENCY_ROUTES,
            tr("Emergency transport routes (緊急輸送道路, e.g. N10; guard the bridges on them)"),
            [QgsProcessing.TypeVectorLine], optional=True)
        routes.setFlags(routes.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(routes)

    def require_bridges(self, parameters, net):
        """Stop with a clear message when neither a bridges layer nor bridge-flagged roads
        gave any bridge (the network has no bridge to assess)."""
        if net.bridges is None or len(net.bridges) == 0:
            raise QgsProcessingException(tr(
                "No bridges: the bridges layer is empty and no road line is flagged as a "
                "bridge. Give a bridges layer (inventory points or bridge lines), or a roads "
                "layer with an is_bridge field (1/true, 橋梁) or OSM bridge=yes tags."))

    def load_network_region(self, parameters, context, feedback, settings,
                            progress_range=(0.0, 30.0)):
        """The network inputs loaded with the library's loader (``load_region``)."""
        note = deps.numba_note()
        if note:
            feedback.pushWarning(note)
        layers = {
            self.ROADS: ("roads", None),
            self.BRIDGES: ("bridges", {self.BRIDGE_ID_FIELD: "bridge_id"}),
            self.FACILITIES: ("facilities", None),
            self.RIVERS: ("rivers", None),
            self.EMERGENCY_ROUTES: ("emergency_routes", None),
        }
        return self.load_region(parameters, context, feedback, layers, settings,
                                progress_range=progress_range, population_raster=self.POPULATION)

    # --- municipalities and tables (grouping, indicators, effect) ---------------
    MUNICIPALITIES = "MUNICIPALITIES"
    MUNICIPALITY_CODE_FIELD = "MUNICIPALITY_CODE_FIELD"
    MUNICIPALITY_NAME_FIELD = "MUNICIPALITY_NAME_FIELD"
    STAFF = "STAFF"
    OTHER_ASSETS = "OTHER_ASSETS"
    GROUP_MEMBERS = "GROUP_MEMBERS"

    def add_municipality_inputs(self, optional=False):
        """Municipal boundaries with their code and name fields."""
        from qgis.core import QgsProcessing
        self.add_source(self.MUNICIPALITIES, tr("Municipal boundaries (e.g. N03)"),
                        [QgsProcessing.TypeVectorPolygon], optional=optional)
        self.add_field(self.MUNICIPALITY_CODE_FIELD, tr("Municipality code field"),
                       self.MUNICIPALITIES, "municipality_code")
        self.add_field(self.MUNICIPALITY_NAME_FIELD, tr("Municipality name field"),
                       self.MUNICIPALITIES, "municipality_name")

    def layer_specs(self, *names):
        """``load_region`` specs of the common layer parameters ``names``."""
        specs = {
            self.MUNICIPALITIES: ("municipalities", {self.MUNICIPALITY_CODE_FIELD: "municipality_code",
                                                     self.MUNICIPALITY_NAME_FIELD: "municipality_name"}),
            self.ROADS: ("roads", None),
            self.BRIDGES: ("bridges", {self.BRIDGE_ID_FIELD: "bridge_id"}),
            self.FACILITIES: ("facilities", None),
            self.STAFF: ("staff", None),
            self.OTHER_ASSETS: ("other_assets", None),
        }
        return {name: specs[name] for name in names}

    def add_staff_input(self):
        from qgis.core import QgsProcessing
        self.add_source(self.STAFF, tr("Technical staff table (municipality_code, technical_staff)"),
                        [QgsProcessing.TypeVector], optional=True)

    def add_other_assets_input(self):
        from qgis.core import QgsProcessing
        self.add_source(self.OTHER_ASSETS,
                        tr("Other sectors' assets (parks, rivers, sewers: sector, inspection_hours)"),
                        [QgsProcessing.TypeVectorAnyGeometry], optional=True)

    def add_group_members_input(self):
        from qgis.core import QgsProcessing
        self.add_source(self.GROUP_MEMBERS,
                        tr("Group members (group_id, municipality_code; e.g. the output of "
                           "'Municipal groups')"), [QgsProcessing.TypeVector], optional=True)

    def read_table(self, parameters, name, context, feedback):
        """A layer parameter as a plain DataFrame (no geometry, no ``qgis_fid``), or None."""
        import pandas as pd
        gdf = self.read_source(parameters, name, context, feedback)
        if gdf is None:
            return None
        frame = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name, "qgis_fid"], errors="ignore"))
        frame.attrs["source"] = gdf.attrs.get("source", name)
        return frame

    # --- helpers ----------------------------------------------------------
    @staticmethod
    def progress(feedback, start=0.0, end=100.0):
        """A library ``progress(fraction, message) -> bool`` callback on ``feedback``.

        Maps fraction 0..1 to ``start``..``end`` percent; returns True (cancel) when the
        user pressed Cancel.
        """
        from gunmane_geo.progress import sub_progress

        def percent(value, message=""):
            feedback.setProgress(value)
            if message:
                feedback.setProgressText(message)
            return feedback.isCanceled()
        part = sub_progress(percent, start, end)
        return lambda fraction, message="": part(max(0.0, min(1.0, float(fraction))), message)

    @staticmethod
    def require_library():
        """Raise one clear ``QgsProcessingException`` when Python dependencies are missing."""
        message = deps.missing_message()
        if message:
            raise QgsProcessingException(message)

    def library_error(self, exc) -> QgsProcessingException:
        """Wrap a ``gunmane_geo`` error (its message names the file/row/field) for Processing."""
        from gunmane_geo.errors import Cancelled
        if isinstance(exc, Cancelled):
            return QgsProcessingException(tr("Cancelled by the user."))
        return QgsProcessingException(
            tr("{algorithm}: {message}").format(algorithm=self.displayName(), message=exc))
