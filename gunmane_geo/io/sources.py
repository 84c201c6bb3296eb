"""Reading raw tables from files: vector files (pyogrio), CSV (encoding detected),
coordinates in CSV, JIS mesh codes.  No canonical mapping happens here."""
from __future__ import annotations

import io as _io
import math
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import schema
from ..crs import in_japan
from ..errors import InputError

VECTOR_SUFFIXES = {".gpkg", ".shp", ".geojson", ".json", ".fgb", ".zip", ".gml", ".kml", ".sqlite"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
RASTER_SUFFIXES = {".tif", ".tiff", ".asc", ".img", ".vrt", ".nc"}
PBF_SUFFIXES = (".osm.pbf", ".pbf")
LATLON_CRS = "EPSG:6668"   # JGD2011 geographic: the default for 緯度/経度 columns


def file_format(path) -> str:
    """``'vector' | 'csv' | 'pbf' | 'raster'`` from the file name."""
    name = str(path).lower()
    if name.endswith(PBF_SUFFIXES):
        return "pbf"
    suffix = Path(name).suffix
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in RASTER_SUFFIXES:
        return "raster"
    if suffix in VECTOR_SUFFIXES:
        return "vector"
    if Path(path).is_dir():
        raise InputError("is a folder, not a file; name the file itself, e.g. "
                         "roads.gpkg or roads.shp inside it", source=path)
    raise InputError(f"unknown file type '{suffix}'; use GeoPackage (.gpkg), Shapefile (.shp), "
                     "GeoJSON, FlatGeobuf (.fgb), CSV, OSM PBF (.osm.pbf) or a GeoTIFF raster",
                     source=path)


def gdal_reason(exc, path) -> str:
    """GDAL's message without the file name and its driver-prefix hint."""
    text = str(exc).replace(f"'{path}'", "").replace(str(path), "").strip(" :;.")
    text = text.split("; It might help")[0].split(". It might help")[0].strip(" :;.")
    if "not recognized as" in text or "not recognised as" in text:
        return "its content is not a format GDAL reads: damaged, empty, or another kind of file"
    return text or type(exc).__name__


def check_exists(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputError("file not found; check the path (relative paths are relative to the "
                         "run.toml file or the current folder)", source=path)
    return path


# --- vector files ------------------------------------------------------------
def choose_layer(path, kind: str, layer=None) -> str | None:
    """The layer to read: ``layer`` if given (checked), the one named like ``kind``,
    or the only layer; else ``InputError`` listing the layers."""
    import pyogrio
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio.errors.DataSourceError and GDAL errors
        raise InputError(f"cannot be opened as a vector file ({gdal_reason(exc, path)}); fix: "
                         "check that it is the right file, or open it in QGIS and export the "
                         "layer again as GeoPackage, Shapefile, GeoJSON or FlatGeobuf",
                         source=path) from None
    if layer is not None:
        if str(layer) not in layers:
            raise InputError(f"layer '{layer}' not found; layers are: {', '.join(layers)}",
                             source=path)
        return str(layer)
    if len(layers) <= 1:
        return layers[0] if layers else None
    for name in layers:
        if name.lower() == kind.lower():
            return name
    raise InputError(f"the file has {len(layers)} layers ({', '.join(layers)}); say which one "
                     f"holds the {kind} (layer=... / layer = \"...\" in run.toml)", source=path)


def _read_quietly(path, **kwargs):
    """``pyogrio.read_dataframe`` without shapely's warning about NaN coordinates: such rows
    are reported as bad geometry by ``io.geometry.clean_geometries``."""
    import warnings
    import pyogrio
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="invalid value encountered in from_wkb",
                                category=RuntimeWarning)
        return pyogrio.read_dataframe(path, **kwargs)


#: layers with at least this many features are read through Arrow (when pyarrow is
#: installed); smaller ones the classic way, where importing pyarrow (about 0.2 s) would
#: cost more than it saves
ARROW_MIN_FEATURES = 100_000


def _use_arrow(path, layer_name):
    """The layer's ``pyogrio.read_info`` when it is read through Arrow (pyarrow imports and
    the layer has ``ARROW_MIN_FEATURES``), else None."""
    import pyogrio
    try:
        info = pyogrio.read_info(path, layer=layer_name)
        if int(info.get("features", -1)) < ARROW_MIN_FEATURES:
            return None
        import pyarrow  # noqa: F401
    except Exception:       # no pyarrow, or a layer that cannot tell its size: classic read
        return None
    return info


def _read_arrow(path, info, **kwargs):
    """A large layer through Arrow, its text columns converted without per-row hashing.

    ``pyarrow``'s conversion to pandas makes one ``str`` per row and then merges equal
    ones by hashing each (6 s for the attributes of 4.7 million road lines).  Here a text
    column whose first 20,000 values repeat (road classes, route names) is dictionary
    encoded in Arrow and spread as one shared ``str`` per value; a column of mostly
    distinct values (ids) is converted without the merge; 0.6 s in all, the same frame.
    Layers with date or JSON fields take pyogrio's own conversion.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyogrio
    if any(str(d).startswith("datetime") for d in info.get("dtypes", ())) or \
            "OFSTJSON" in info.get("ogr_subtypes", ()):
        return _read_quietly(path, use_arrow=True, **kwargs,
                             arrow_to_pandas_kwargs={"split_blocks": True})
    meta, table = pyogrio.read_arrow(path, **kwargs)
    geometry_name = meta["geometry_name"] or "wkb_geometry"
    columns = {}
    for name in table.column_names:
        if name == geometry_name:
            continue
        col = table.column(name)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            sample = col.slice(0, 20000)
            coded = None
            if pc.count_distinct(sample, mode="all").as_py() <= len(sample) // 2:
                coded = col.combine_chunks().dictionary_encode()
            if coded is not None and len(coded.dictionary) <= len(col) // 2:
                values = np.append(coded.dictionary.to_numpy(zero_copy_only=False), None)
                columns[name] = values[coded.indices.fill_null(len(values) - 1).to_numpy()]
            else:
                columns[name] = col.to_pandas(deduplicate_objects=False).to_numpy()
        else:
            columns[name] = col.to_pandas().to_numpy()
    frame = pd.DataFrame(columns, copy=False)
    if geometry_name not in table.column_names:
        return frame
    import shapely
    import warnings
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="invalid value encountered in from_wkb",
                                category=RuntimeWarning)
        geometry = shapely.from_wkb(table.column(geometry_name).to_numpy(zero_copy_only=False))
    del table
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=meta["crs"])


def read_vector(path, kind: str, layer=None, source_crs=None):
    """Read a vector layer with pyogrio; returns (GeoDataFrame, layer name, note or None).

    Shapefiles without a ``.cpg`` file are read as UTF-8 and, when that fails, as CP932.
    A layer without a CRS raises ``InputError`` unless ``source_crs`` is given.
    """
    path = check_exists(path)
    if path.suffix.lower() == ".shp":
        missing = [s for s in (".shx", ".dbf") if not any(
            path.with_suffix(v).exists() for v in (s, s.upper()))]
        if missing:
            raise InputError(f"the Shapefile is incomplete: its {' and '.join(missing)} file "
                             "is missing next to it; fix: copy all files of the Shapefile "
                             "together (.shp .shx .dbf .prj .cpg), or export it as GeoPackage",
                             source=path)
    layer_name = choose_layer(path, kind, layer)
    kwargs = {"layer": layer_name} if layer_name is not None else {}
    note = None
    encoding = None
    if path.suffix.lower() == ".shp" and not any(
            path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        encoding = dbf_encoding(path)
        if encoding == "cp932":
            note = "no .cpg file and the attributes are not UTF-8: read as CP932 (Shift_JIS)"
    if encoding is not None:
        # read the raw bytes (latin-1 is lossless) and decode them here: a field name cut
        # inside a character at the DBF 10-byte limit must not stop the whole layer
        try:
            gdf = _read_quietly(path, encoding="ISO-8859-1", **kwargs)
        except Exception as exc:
            raise InputError(f"cannot read the layer ({gdal_reason(exc, path)}); fix: open it "
                             "in QGIS, repair or re-export it", source=path) from None

        def fix(text, errors):
            return text.encode("latin-1").decode(encoding, errors=errors)

        gdf = gdf.rename(columns={c: fix(c, "ignore") for c in gdf.columns if c != "geometry"})
        for col in gdf.columns:
            if col != "geometry" and gdf[col].dtype == object:
                gdf[col] = [fix(v, "replace") if isinstance(v, str) else v for v in gdf[col]]
    else:
        try:
            info = _use_arrow(path, layer_name)
            if info is not None:
                gdf = _read_arrow(path, info, **kwargs)
            else:
                gdf = _read_quietly(path, use_arrow=False, **kwargs)
        except Exception as exc:
            raise InputError(f"cannot read the layer ({gdal_reason(exc, path)}); fix: open it "
                             "in QGIS, repair or re-export it", source=path) from None
    if not isinstance(gdf, gpd.GeoDataFrame):
        # a table without geometry (e.g. a staff table inside a GeoPackage)
        return gdf, layer_name, note
    if gdf.crs is None and "geometry" in gdf.columns and gdf.geometry.notna().any():
        if source_crs is None:
            ksj = sorted({str(c)[:3] for c in gdf.columns
                          if re.match(r"^[A-Z]\d\d_\d{3}$", str(c))})
            hint = (f" (国土数値情報 {', '.join(ksj)}: data made before 2016 (平成27年度) are "
                    "mostly JGD2000, source_crs = \"EPSG:4612\"; later JGD2011, \"EPSG:6668\"; "
                    "the download page of the data says which)") if ksj else ""
            raise InputError(
                "the layer has no coordinate reference system (CRS), so distances cannot be "
                "measured; fix: set the layer's CRS in QGIS (レイヤのCRSを設定) and save it, add "
                "the missing .prj of a Shapefile, or name it (source_crs = \"EPSG:6673\" in "
                "run.toml's input table, or source_crs=... in Python)" + hint, source=path)
        gdf = gdf.set_crs(source_crs)
    return gdf, layer_name, note


def dbf_encoding(shp_path) -> str | None:
    """Encoding of a Shapefile's .dbf without .cpg: None when its header names a code page
    (GDAL reads it), else "utf-8" when the field names and records decode as UTF-8 (a
    name cut inside a character at the 10-byte limit still counts), else "cp932"."""
    shp_path = Path(shp_path)
    dbf = next((shp_path.with_suffix(s) for s in (".dbf", ".DBF")
                if shp_path.with_suffix(s).exists()), None)
    if dbf is None:
        return None
    data = dbf.read_bytes()
    if len(data) < 32 or data[29] != 0:
        return None
    header_len = int.from_bytes(data[8:10], "little")
    records = data[header_len:]
    descriptors = data[32:header_len]
    for i in range(0, len(descriptors) - 31, 32):
        name = descriptors[i:i + 11].split(b"\x00")[0]
        try:
            name.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(name) - 3:
                return "cp932"
    if records.isascii():
        return "utf-8"
    try:
        records.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp932"


# --- CSV -----------------------------------------------------------------------
def read_csv_table(path):
    """Read a CSV as text columns; returns (DataFrame of str, encoding).

    Encoding: UTF-8 (with or without BOM) when the bytes decode as UTF-8, else CP932
    (Shift_JIS, as Excel in Japan writes).  Delimiter: comma, tab or semicolon,
    whichever the header line has most of.
    """
    path = check_exists(path)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("the CSV is neither UTF-8 nor CP932 (Shift_JIS); save it as "
                         "'CSV UTF-8' from Excel", source=path)
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
    first = text.splitlines()[0] if text.strip() else ""
    delim = max((",", "\t", ";"), key=first.count)
    try:
        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, sep=delim,
                         skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError("the CSV file is empty (no header line); fix: check that it is the "
                         "right file and export the table again with its header row",
                         source=path) from None
    except pd.errors.ParserError as exc:
        raise InputError(f"cannot parse the CSV ({exc}); check quoting and the number of "
                         "columns on that line", source=path) from None
    df.columns = [str(c).strip() for c in df.columns]
    unnamed = [c for c in df.columns if c.startswith("Unnamed:")]
    if unnamed and all((df[c] == "").all() for c in unnamed):
        df = df.drop(columns=unnamed)   # trailing commas in Excel exports
    return df, encoding


def find_column(columns, aliases):
    """First column whose normalised name equals a normalised alias (alias order)."""
    normalized = {}
    for col in columns:
        normalized.setdefault(schema.normalize_column_name(col), col)
    for alias in aliases:
        col = normalized.get(schema.normalize_column_name(alias))
        if col is not None:
            return col
    return None


_DMS_RE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*[度°d]\s*(?:(\d+(?:\.\d+)?)\s*[分'′m])?\s*"
                     r"(?:(\d+(?:\.\d+)?)\s*(?:秒|\"|″|''|s))?\s*([NSEW北南東西])?$", re.IGNORECASE)


def parse_degrees(value) -> float | None:
    """Decimal degrees from ``"135.12"``, ``"135度7分12.3秒"`` or ``"34°41'12\\"N"``;
    blank gives None; anything else raises ``ValueError``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if math.isnan(value) else float(value)
    text = schema._norm_value(value)
    if text is None:
        return None
    text = re.sub(r"^(北緯|南緯|東経|西経)", lambda m: {"北緯": "", "東経": "", "南緯": "-",
                                                   "西経": "-"}[m.group(1)], text)
    try:
        return float(text.replace(",", ""))
    except ValueError:
        pass
    m = _DMS_RE.match(text.replace(" ", ""))
    if not m:
        raise ValueError(f"'{value}' is not a coordinate in degrees")
    deg = float(m.group(1))
    val = abs(deg) + float(m.group(2) or 0) / 60 + float(m.group(3) or 0) / 3600
    if deg < 0 or (m.group(4) or "").upper() in ("S", "W", "南", "西"):
        val = -val
    return val


def _named_degrees(columns, word):
    """First column whose name says ``word`` (緯度/経度), e.g. ``Y座標(緯度)``."""
    for col in columns:
        if word in unicodedata.normalize("NFKC", str(col)):
            return col
    return None


def coordinate_columns(columns):
    """How a table gives its locations, from its column names:

    * ``('lonlat', lon, lat)``: 緯度/経度, lat/lon, or columns whose names say 緯度/経度
      (``X座標(経度)``/``Y座標(緯度)``);
    * ``('survey', x, y)``: X座標/Y座標 (also Ｘ座標, X座標(m), 座標X ...), the Japanese survey
      convention of the 平面直角座標系: X is the northing, Y the easting;
    * ``('xy', x, y)``: x/y, easting/northing (GIS convention: x is the easting);
    * ``('wkt', col)``; or None.
    """
    lat = find_column(columns, schema.LAT_ALIASES) or _named_degrees(columns, "緯度")
    lon = find_column(columns, schema.LON_ALIASES) or _named_degrees(columns, "経度")
    if lat and lon and lat != lon:
        return ("lonlat", lon, lat)
    x, y = find_column(columns, schema.SURVEY_X_ALIASES), find_column(columns,
                                                                      schema.SURVEY_Y_ALIASES)
    if x and y:
        return ("survey", x, y)
    x, y = find_column(columns, schema.X_ALIASES), find_column(columns, schema.Y_ALIASES)
    if x and y:
        return ("xy", x, y)
    wkt = find_column(columns, schema.WKT_ALIASES)
    if wkt:
        return ("wkt", wkt)
    return None


#: share of the rows that must look exchanged for the whole 緯度/経度 pair to be called
#: exchanged (one layer-level warning)
SWAPPED_SHARE = 0.5


def _geographic(source_crs) -> bool:
    if source_crs is None:
        return True
    try:
        from pyproj import CRS
        return bool(CRS.from_user_input(source_crs).is_geographic)
    except Exception:
        return False


def points_from_table(df, coords, ctx, kind, source_crs=None, check_japan=True):
    """GeoDataFrame from a table with coordinate columns; bad rows skipped and reported.

    lon/lat rows (CRS ``source_crs`` or JGD2011 EPSG:6668): empty or unparseable ->
    skipped; outside Japan but inside it when swapped -> swapped back (reported
    ``repaired``; when most rows are like that, one layer-level warning says the two
    columns are exchanged); outside Japan otherwise -> skipped (when ``check_japan`` and
    no ``source_crs``; with a geographic ``source_crs`` only latitudes beyond +-90 and
    longitudes beyond +-180 are skipped).
    x/y rows need ``source_crs``; X座標/Y座標 (``'survey'``) are read X -> northing (y),
    Y -> easting (x), with a note.  WKT rows are parsed with shapely.
    """
    import shapely
    from .canonical import feature_id_of
    keep, geoms = [], []
    idxs = list(df.index)
    mode = coords[0]
    if mode in ("xy", "survey") and source_crs is None:
        raise ctx.error(f"coordinates in columns '{coords[1]}'/'{coords[2]}' need their CRS: "
                        "give source_crs (e.g. \"EPSG:6673\") in run.toml's input table or in "
                        "Python, or use 緯度/経度 columns")
    if mode == "survey":
        ctx.add(f"columns '{coords[1]}'/'{coords[2]}' read in the Japanese survey convention "
                f"(平面直角座標系): {coords[1]} is the northing (north-south, map y) and "
                f"{coords[2]} the easting (east-west, map x); if your {coords[1]} is the "
                "easting, rename the columns x/y", severity="info", action="note",
                field=f"{coords[1]}/{coords[2]}")
    check_lonlat = mode == "lonlat" and check_japan and _geographic(source_crs)
    parsed = {}
    if mode != "wkt":
        a_col, b_col = coords[1], coords[2]
        if mode == "survey":          # easting first: Y座標, then X座標
            a_col, b_col = coords[2], coords[1]
        for idx in idxs:
            try:
                if mode in ("xy", "survey"):
                    a = schema.parse_number(df.at[idx, a_col])
                    b = schema.parse_number(df.at[idx, b_col])
                else:
                    a, b = parse_degrees(df.at[idx, a_col]), parse_degrees(df.at[idx, b_col])
                parsed[idx] = (a, b)
            except ValueError as exc:
                parsed[idx] = exc
    swapped_layer = False
    if check_lonlat:
        ok = [v for v in parsed.values() if isinstance(v, tuple) and None not in v]
        n_swapped = sum(1 for a, b in ok if not in_japan(a, b) and in_japan(b, a))
        if ok and n_swapped > SWAPPED_SHARE * len(ok):
            swapped_layer = True
            ctx.add(f"columns '{coords[2]}'/'{coords[1]}' look exchanged: in {n_swapped} of "
                    f"{len(ok)} rows the '{coords[1]}' column holds a latitude and "
                    f"'{coords[2]}' a longitude (impossible for Japan the other way round): "
                    "those rows were swapped back; fix: exchange the two column names",
                    severity="warning", action="note", field=f"{coords[2]}/{coords[1]}")
    for idx in idxs:
        row_no = df.at[idx, "source_row"]
        fid = feature_id_of(df, kind, idx)
        if mode == "wkt":
            text = df.at[idx, coords[1]]
            try:
                geom = shapely.from_wkt(text) if isinstance(text, str) and text.strip() else None
            except Exception:
                geom = None
                ctx.add(f"'{str(text)[:40]}' in column '{coords[1]}' is not WKT: skipped",
                        row=row_no, feature_id=fid, severity="error", action="skipped",
                        field=coords[1])
                continue
            if geom is None:
                ctx.add(f"column '{coords[1]}' is empty: no location, skipped", row=row_no,
                        feature_id=fid, severity="error", action="skipped", field=coords[1])
                continue
            keep.append(idx)
            geoms.append(geom)
            continue
        a_col, b_col = coords[1], coords[2]
        value = parsed[idx]
        if isinstance(value, ValueError):
            ctx.add(f"{value}: no usable location, skipped", row=row_no, feature_id=fid,
                    severity="error", action="skipped", field=f"{a_col}/{b_col}")
            continue
        a, b = value
        if a is None or b is None:
            ctx.add(f"'{a_col}'/'{b_col}' empty: no location, skipped; fill in the coordinates",
                    row=row_no, feature_id=fid, severity="error", action="skipped",
                    field=f"{a_col}/{b_col}")
            continue
        if check_lonlat and not in_japan(a, b):
            if in_japan(b, a):
                ctx.add(f"{b_col}={df.at[idx, b_col]} / {a_col}={df.at[idx, a_col]} look "
                        "swapped (latitude and longitude exchanged): swapped back", row=row_no,
                        feature_id=fid, severity="info" if swapped_layer else "warning",
                        action="repaired", field=f"{a_col}/{b_col}")
                a, b = b, a
            elif source_crs is None or not (-180 <= a <= 180 and -90 <= b <= 90):
                ctx.add(f"{b_col}={df.at[idx, b_col]} / {a_col}={df.at[idx, a_col]} is outside "
                        "Japan (longitude 122..154, latitude 20..46): skipped; check the sign, "
                        "the degree/minute format and the columns", row=row_no, feature_id=fid,
                        severity="error", action="skipped", field=f"{a_col}/{b_col}")
                continue
        keep.append(idx)
        geoms.append(shapely.Point(a, b))
    crs = source_crs if source_crs is not None else (LATLON_CRS if mode == "lonlat" else None)
    if mode == "wkt" and crs is None:
        raise ctx.error(f"WKT geometries in column '{coords[1]}' need their CRS: give source_crs")
    out = gpd.GeoDataFrame(df.loc[keep].copy(), geometry=geoms, crs=crs)
    drop = [c for c in coords[1:] if mode == "wkt"]
    return out.drop(columns=drop)


# --- JIS regional mesh codes (地域メッシュ) -----------------------------------------
MESH_CODE_ALIASES = ("key_code", "mesh_id", "mesh_code", "meshcode", "メッシュコード", "メッシュ", "mesh")


def mesh_polygon(code):
    """Polygon (lon/lat degrees, JGD2011) of a JIS X 0410 mesh code.

    4 digits: 1st mesh (40' x 1 deg); 6: 2nd (5' x 7.5'); 8: 3rd, ~1 km (30" x 45");
    9: 1/2 mesh, ~500 m; 10: 1/4 mesh, ~250 m; 11: 1/8 mesh, ~125 m.
    """
    import shapely
    text = unicodedata.normalize("NFKC", str(code)).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) not in (4, 6, 8, 9, 10, 11):
        raise ValueError(f"'{code}' is not a JIS mesh code (4, 6, 8, 9, 10 or 11 digits)")
    lat = int(text[0:2]) / 1.5
    lon = int(text[2:4]) + 100.0
    dlat, dlon = 2.0 / 3.0, 1.0
    if len(text) >= 6:
        q, r = int(text[4]), int(text[5])
        if q > 7 or r > 7:
            raise ValueError(f"'{code}': 2nd mesh digits must be 0..7")
        dlat, dlon = dlat / 8, dlon / 8
        lat, lon = lat + q * dlat, lon + r * dlon
    if len(text) >= 8:
        dlat, dlon = dlat / 10, dlon / 10
        lat, lon = lat + int(text[6]) * dlat, lon + int(text[7]) * dlon
    for digit in text[8:]:
        d = int(digit)
        if d not in (1, 2, 3, 4):
            raise ValueError(f"'{code}': sub-mesh digits must be 1..4")
        dlat, dlon = dlat / 2, dlon / 2
        lat += dlat if d in (3, 4) else 0.0
        lon += dlon if d in (2, 4) else 0.0
    return shapely.box(lon, lat, lon + dlon, lat + dlat)


def mesh_table_to_polygons(df, column, ctx, kind):
    """GeoDataFrame of mesh polygons (EPSG:6668) from a mesh-code column; bad codes skipped."""
    from .canonical import feature_id_of
    keep, geoms = [], []
    for idx in df.index:
        try:
            geoms.append(mesh_polygon(df.at[idx, column]))
            keep.append(idx)
        except ValueError as exc:
            ctx.add(f"{exc}: skipped", row=df.at[idx, "source_row"], feature_id=feature_id_of(df, kind, idx),
                    severity="error", action="skipped", field=column)
    return gpd.GeoDataFrame(df.loc[keep].copy(), geometry=geoms, crs=LATLON_CRS)


# --- guessing the kind of a file ----------------------------------------------------
_KIND_WORDS = (
    ("municipalities", ("n03", "municipal", "行政区域", "市町村界", "市区町村", "boundary", "admin")),
    ("emergency_routes", ("n10", "緊急輸送", "emergency")),
    ("bridges", ("bridge", "橋")),
    ("roads", ("road", "道路", "osm", "highway", "street")),
    ("facilities", ("facilit", "施設", "hospital", "school", "病院", "学校")),
    ("staff", ("staff", "職員", "engineer")),
    ("population", ("pop", "人口", "mesh", "メッシュ")),
    ("rivers", ("river", "河川")),
    ("railways", ("rail", "鉄道")),
    ("other_assets", ("asset", "台帳", "公共施設")),
)


def guess_kind(path, columns=None) -> str | None:
    """Layer kind from the file name, else from its columns; None when unsure."""
    path = Path(path)
    fmt = file_format(path)
    if fmt == "pbf":
        return "roads"
    if fmt == "raster":
        return "population"
    if columns is not None:
        norm = {schema.normalize_column_name(c) for c in columns}
        if "n03007" in norm:
            return "municipalities"
        from .layouts import detect_layout          # known layouts name their kind
        for kind in ("bridges", "facilities", "population", "emergency_routes", "rivers"):
            if detect_layout(columns, kind) is not None:
                return kind
    name = path.name.lower()
    for kind, words in _KIND_WORDS:
        if any(w in name for w in words):
            return kind
    if columns is not None:
        from .canonical import resolve_columns
        best, best_score = None, 0
        for kind in schema.ALIASES:
            mapping = resolve_columns(columns, kind)
            required = schema.REQUIRED.get(kind, ())
            if required and not all(r in mapping.values() for r in required):
                continue
            score = sum(1 for v in mapping.values() if v not in ("name", "municipality_code"))
            if score > best_score:
                best, best_score = kind, score
        return best
    return None


__all__ = ["file_format", "read_vector", "read_csv_table", "points_from_table", "mesh_polygon",
           "guess_kind", "parse_degrees", "coordinate_columns"]
