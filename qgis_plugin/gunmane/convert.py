"""QGIS layers <-> GeoDataFrames: the only place in the plugin that converts between them.

* :func:`source_to_gdf` reads a ``QgsFeatureSource`` (honouring "selected features only")
  into a GeoDataFrame in the source's CRS; the library reprojects to the analysis CRS.
* :func:`gdf_to_sink` writes a GeoDataFrame (or a plain DataFrame, as a table without
  geometry) to a Processing feature sink, in the GeoDataFrame's CRS (the analysis CRS).

Attribute types are kept: integers as 64-bit integers, floats as doubles, booleans as
booleans, dates as date-times, everything else as text.  NULL/NaN/NA become NULL.
"""
from __future__ import annotations

import datetime as _dt
import json
import math

from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant

from .i18n import tr


# ---------------------------------------------------------------------------
# QGIS -> GeoDataFrame
# ---------------------------------------------------------------------------
def _py_value(value):
    """A QGIS attribute value as a plain Python value (NULL -> None)."""
    if value is None or value == NULL:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toPyDateTime() if value.isValid() else None
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, QTime):
        return value.toPyTime() if value.isValid() else None
    return value


def crs_to_string(crs: QgsCoordinateReferenceSystem) -> str | None:
    """``'EPSG:6673'`` when the CRS has an authority id, else its WKT; ``None`` if invalid."""
    if crs is None or not crs.isValid():
        return None
    if crs.authid():
        return crs.authid()
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED)


def file_encoding_problem(layer) -> str | None:
    """Why a text-file layer's Japanese is garbled, or ``None``.

    A CSV/TSV saved in CP932 (Shift_JIS, what Excel in Japan writes) and opened in QGIS as
    UTF-8 shows garbled field names and values.  The file's own bytes tell: not UTF-8, but
    valid CP932.  Returns a message with the fix in Japanese and English.
    """
    import os
    from qgis.core import QgsProviderRegistry
    if layer is None or layer.providerType() not in ("delimitedtext", "ogr"):
        return None
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path") or ""
    if path.startswith("file://"):
        from qgis.PyQt.QtCore import QUrl
        path = QUrl(path).toLocalFile()
    if not path.lower().endswith((".csv", ".tsv", ".txt")) or not os.path.isfile(path):
        return None
    if layer.providerType() == "delimitedtext":     # the encoding is part of the URI
        from qgis.PyQt.QtCore import QUrl, QUrlQuery
        encoding = QUrlQuery(QUrl(layer.source())).queryItemValue("encoding")
    else:
        encoding = layer.dataProvider().encoding()
    encoding = (encoding or "").lower().replace("-", "")
    if encoding not in ("utf8", "system", ""):
        return None
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:       # a character cut at the end of the sample
            return None
    try:
        head.decode("cp932")
    except UnicodeDecodeError:
        return None
    return tr("The file of layer '{layer}' is saved in CP932 (Shift_JIS) but QGIS reads it as "
              "UTF-8, so its Japanese field names and values are garbled. Fix: remove the layer "
              "and add it again with Layer > Add Layer > Add Delimited Text Layer, Encoding "
              "'Shift_JIS' (or set Layer Properties > Source > Data source encoding to "
              "Shift_JIS), then run again.").format(layer=layer.name())


def source_to_gdf(source, *, layer_name: str, feedback=None, rename: dict | None = None,
                  progress_range=(0.0, 10.0), require_crs: bool = True):
    """Read a feature source into a GeoDataFrame.

    Parameters
    ----------
    source : QgsFeatureSource
        From ``parameterAsSource`` (so "selected features only" is honoured).
    layer_name : str
        Shown in messages, e.g. the parameter's description and the layer's name.
    feedback : QgsProcessingFeedback, optional
        Progress (within ``progress_range``, percent) and cancel.
    rename : dict, optional
        ``{field in the layer: canonical name}`` for fields the user chose explicitly;
        a chosen field missing from the layer is an error naming it.
    require_crs : bool
        A layer without a valid CRS is an error (distances need a known CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, attribute columns as in the layer (renamed by ``rename``),
        ``geometry`` in the layer's CRS (2D; curves segmentised; empty -> None), and
        ``qgis_fid`` holding the QGIS feature id for tracing messages back to features.
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

    fields = source.fields()
    names = [f.name() for f in fields]
    rename = dict(rename or {})
    for user_field in rename:
        if user_field not in names:
            raise QgsProcessingException(
                tr("Layer '{layer}' has no field '{field}'. Choose one of: {fields}.").format(
                    layer=layer_name, field=user_field, fields=", ".join(names)))
    crs = crs_to_string(source.sourceCrs())
    if crs is None and require_crs and source.wkbType() != QgsWkbTypes.NoGeometry:
        raise QgsProcessingException(
            tr("Layer '{layer}' has no valid coordinate reference system. Set it in "
               "Layer Properties > Source (e.g. EPSG:6668 JGD2011, or a plane rectangular "
               "zone EPSG:6669-6687), then run again.").format(layer=layer_name))

    has_geometry = source.wkbType() != QgsWkbTypes.NoGeometry
    total = max(source.featureCount(), 1)
    lo, hi = progress_range
    records, wkbs, fids = [], [], []
    for i, feature in enumerate(source.getFeatures()):
        if feedback is not None:
            if feedback.isCanceled():
                raise QgsProcessingException(tr("Cancelled by the user."))
            if i % 500 == 0:
                feedback.setProgress(lo + (hi - lo) * i / total)
        records.append([_py_value(v) for v in feature.attributes()])
        fids.append(feature.id())
        if has_geometry:
            geom = feature.geometry()
            if geom is None or geom.isNull() or geom.isEmpty():
                wkbs.append(None)
                continue
            abstract = geom.constGet().clone()
            if QgsWkbTypes.isCurvedType(abstract.wkbType()):
                abstract = abstract.segmentize()
            abstract.dropZValue()
            abstract.dropMValue()
            wkbs.append(bytes(QgsGeometry(abstract).asWkb()))

    frame = pd.DataFrame.from_records(records, columns=names) if records else \
        pd.DataFrame({n: pd.Series(dtype="object") for n in names})
    frame = frame.infer_objects()
    # a chosen field takes the canonical name; a field already holding that name is kept
    # as '<name>_original' so the user's choice wins in the library's alias matching
    clashes = {target: f"{target}_original" for source_name, target in rename.items()
               if target in frame.columns and target != source_name}
    frame = frame.rename(columns=clashes).rename(columns=rename)
    frame["qgis_fid"] = pd.array(fids, dtype="Int64")
    geometry = shapely.from_wkb(wkbs) if has_geometry else [None] * len(frame)
    gdf = gpd.GeoDataFrame(frame, geometry=list(geometry), crs=crs)
    gdf.attrs["source"] = layer_name
    return gdf


def source_to_file(source, path, *, layer_name: str, kind: str, feedback=None,
                   progress_range=(0.0, 10.0)):
    """Write a feature source to a file for the library's loader; returns the path written.

    The library reads files (``gunmane_geo.io.load_region``), so a QGIS layer (or its
    selected features) is handed over as a temporary GeoPackage layer ``kind`` with the
    layer's own fields plus ``qgis_fid``.  A table without geometry (e.g. the staff table)
    goes as a UTF-8 CSV next to ``path`` instead (the loader reads tables from CSV).
    """
    gdf = source_to_gdf(source, layer_name=layer_name, feedback=feedback,
                        progress_range=progress_range)
    if source.wkbType() == QgsWkbTypes.NoGeometry:
        import os
        import pandas as pd
        csv = os.path.splitext(str(path))[0] + ".csv"
        frame = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name, "qgis_fid"]))
        frame.to_csv(csv, index=False, encoding="utf-8")
        return csv
    gdf.to_file(str(path), layer=kind, driver="GPKG", engine="pyogrio")
    return str(path)


# ---------------------------------------------------------------------------
# GeoDataFrame -> QGIS
# ---------------------------------------------------------------------------
def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd
        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, float) and math.isnan(value)


def _field_type(series):
    """QVariant type for a pandas column."""
    import pandas as pd
    from pandas.api import types as ptypes

    dtype = series.dtype
    if ptypes.is_bool_dtype(dtype):
        return QVariant.Bool
    if ptypes.is_integer_dtype(dtype):
        return QVariant.LongLong
    if ptypes.is_float_dtype(dtype):
        return QVariant.Double
    if ptypes.is_datetime64_any_dtype(dtype):
        return QVariant.DateTime
    values = [v for v in series.tolist() if not _is_missing(v)]
    if values and all(isinstance(v, bool) for v in values):
        return QVariant.Bool
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return QVariant.LongLong
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return QVariant.Double
    if values and all(isinstance(v, (_dt.datetime, pd.Timestamp)) for v in values):
        return QVariant.DateTime
    if values and all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in values):
        return QVariant.Date
    return QVariant.String


def _qgis_value(value, qtype):
    """A pandas/numpy value as something ``QgsFeature.setAttributes`` accepts."""
    if _is_missing(value):
        return NULL
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()   # numpy scalar -> Python
        except (ValueError, AttributeError):
            pass
    if qtype == QVariant.DateTime:
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        if isinstance(value, _dt.datetime):
            return QDateTime(value)
        return NULL
    if qtype == QVariant.Date:
        return QDate(value.year, value.month, value.day)
    if qtype == QVariant.String:
        if isinstance(value, (list, tuple, dict, set)):
            return json.dumps(list(value) if isinstance(value, set) else value,
                              ensure_ascii=False, default=str)
        if hasattr(value, "wkt"):
            return value.wkt
        return str(value)
    if qtype == QVariant.Bool:
        return bool(value)
    if qtype == QVariant.LongLong:
        return int(value)
    if qtype == QVariant.Double:
        return float(value)
    return value


def _has_geometry(frame) -> bool:
    name = getattr(frame, "_geometry_column_name", None)
    return hasattr(frame, "crs") and name is not None and name in frame.columns


_FAMILIES = {
    "Point": ("point", False), "MultiPoint": ("point", True),
    "LineString": ("line", False), "MultiLineString": ("line", True),
    "LinearRing": ("line", False),
    "Polygon": ("polygon", False), "MultiPolygon": ("polygon", True),
}
_WKB = {
    ("point", False): QgsWkbTypes.Point, ("point", True): QgsWkbTypes.MultiPoint,
    ("line", False): QgsWkbTypes.LineString, ("line", True): QgsWkbTypes.MultiLineString,
    ("polygon", False): QgsWkbTypes.Polygon, ("polygon", True): QgsWkbTypes.MultiPolygon,
}


def wkb_type_of(gdf, default=QgsWkbTypes.NoGeometry):
    """The QGIS geometry type for a (Geo)DataFrame: single or multi of its one family."""
    if not _has_geometry(gdf):
        return QgsWkbTypes.NoGeometry
    geometry = gdf.geometry
    kinds = {t for t in geometry.geom_type.dropna().unique()}
    if not kinds:
        return default
    unknown = kinds - set(_FAMILIES)
    if unknown:
        raise QgsProcessingException(
            tr("Cannot write geometry types {types} to a layer.").format(types=", ".join(sorted(unknown))))
    families = {_FAMILIES[k][0] for k in kinds}
    if len(families) != 1:
        raise QgsProcessingException(
            tr("A result mixes geometry types ({types}); it cannot be written to one layer.")
            .format(types=", ".join(sorted(kinds))))
    multi = any(_FAMILIES[k][1] for k in kinds) or len(kinds) > 1
    return _WKB[(families.pop(), multi)]


def qgis_crs(crs) -> QgsCoordinateReferenceSystem:
    """A pyproj CRS (or string) as a QgsCoordinateReferenceSystem."""
    if crs is None:
        return QgsCoordinateReferenceSystem()
    if isinstance(crs, str):
        return QgsCoordinateReferenceSystem(crs)
    authority = crs.to_authority()
    if authority:
        return QgsCoordinateReferenceSystem(f"{authority[0]}:{authority[1]}")
    return QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt())


def fields_of(frame, drop=("qgis_fid",)):
    """QgsFields and per-column QVariant types for a (Geo)DataFrame's attribute columns."""
    geometry_name = frame._geometry_column_name if _has_geometry(frame) else None
    columns = [c for c in frame.columns if c != geometry_name and c not in drop]
    qfields = QgsFields()
    types = []
    for column in columns:
        qtype = _field_type(frame[column])
        qfields.append(QgsField(str(column), qtype))
        types.append(qtype)
    return qfields, columns, types


def gdf_to_sink(algorithm, parameters, name, context, frame, *, feedback=None,
                default_wkb=QgsWkbTypes.NoGeometry, drop=("qgis_fid",), progress_range=None):
    """Write a GeoDataFrame (or a DataFrame, as a table) to the feature sink parameter ``name``.

    Parameters
    ----------
    algorithm : QgsProcessingAlgorithm
    parameters, context : as given to ``processAlgorithm``
    name : str
        The ``QgsProcessingParameterFeatureSink`` name.
    frame : geopandas.GeoDataFrame or pandas.DataFrame
        Result of the library, in the analysis CRS.
    default_wkb : QgsWkbTypes.Type
        Geometry type when ``frame`` is empty (so the output layer still has the right type).
    drop : tuple of str
        Columns not written (the internal ``qgis_fid``).

    Returns
    -------
    str or None
        The sink's destination id (``None`` when the optional output was not requested).
    """
    qfields, columns, types = fields_of(frame, drop=drop)
    is_geo = _has_geometry(frame)
    wkb = wkb_type_of(frame, default=default_wkb) if is_geo else QgsWkbTypes.NoGeometry
    crs = qgis_crs(frame.crs) if is_geo else QgsCoordinateReferenceSystem()
    sink, dest_id = algorithm.parameterAsSink(parameters, name, context, qfields, wkb, crs)
    if sink is None:
        if parameters.get(name) is None:
            return None  # optional output not requested
        raise QgsProcessingException(algorithm.invalidSinkError(parameters, name))
    geometries = frame.geometry.tolist() if is_geo and wkb != QgsWkbTypes.NoGeometry else None
    make_multi = QgsWkbTypes.isMultiType(wkb)
    values = [frame[c].tolist() for c in columns]
    total = max(len(frame), 1)
    for i in range(len(frame)):
        if feedback is not None:
            if feedback.isCanceled():
                raise QgsProcessingException(tr("Cancelled by the user."))
            if progress_range and i % 500 == 0:
                lo, hi = progress_range
                feedback.setProgress(lo + (hi - lo) * i / total)
        feature = QgsFeature(qfields)
        feature.setAttributes([_qgis_value(col[i], t) for col, t in zip(values, types)])
        if geometries is not None and geometries[i] is not None and not geometries[i].is_empty:
            geom = QgsGeometry()
            geom.fromWkb(geometries[i].wkb)
            if make_multi and not geom.isMultipart():
                geom.convertToMultiType()
            feature.setGeometry(geom)
        if not sink.addFeature(feature, QgsFeatureSink.FastInsert):
            raise QgsProcessingException(algorithm.writeFeatureError(sink, parameters, name))
    return dest_id


def as_points(gdf):
    """The GeoDataFrame with every geometry as one point, for layers that must be points.

    Lines (e.g. the bridge edge of a matched bridge) become their midpoint (half-way
    along the line), polygons a point inside them; points stay.  QGIS layers hold one
    geometry type, and the library's bridge tables mix bridge edges (lines) with
    inventory points (bridges not on the road network).
    """
    import shapely
    geoms = gdf.geometry.to_numpy()
    out = geoms.copy()
    kinds = shapely.get_type_id(geoms)
    lines = (kinds == 1) | (kinds == 5)          # LineString, MultiLineString
    areas = (kinds == 3) | (kinds == 6)          # Polygon, MultiPolygon
    multipoints = kinds == 4
    if lines.any():
        merged = [shapely.line_merge(g) if g.geom_type == "MultiLineString" else g
                  for g in geoms[lines]]
        out[lines] = [shapely.line_interpolate_point(g, 0.5, normalized=True)
                      if g.geom_type == "LineString" else g.representative_point() for g in merged]
    if areas.any():
        out[areas] = shapely.point_on_surface(geoms[areas])
    if multipoints.any():
        out[multipoints] = shapely.centroid(geoms[multipoints])
    import geopandas as gpd
    result = gdf.copy()
    result[gdf.geometry.name] = gpd.GeoSeries(list(out), index=gdf.index, crs=gdf.crs)
    return result
