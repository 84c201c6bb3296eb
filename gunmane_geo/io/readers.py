"""Reading one layer of any kind into canonical columns (see docs/loading.md)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..schema import NO_WALK_CLASSES, NON_MOTOR_CLASSES
from ..errors import InputError, report_progress
from ..settings import Settings
from .canonical import (LayerContext, check_ids, check_ranges, convert_values, rename_to_canonical,
                        require_columns, skip_rows)
from .geometry import clean_geometries
from .layouts import (FUTURE_MESH, INSPECTION_DB, KSJ_FACILITY_LAYOUTS, KSJ_N10,
                      apply_layout_values, detect_layout, future_population, is_inspection_json,
                      ksj_facilities, layout_field_map, n10_field_map, read_inspection_json)
from .load_report import LoadReport
from .sources import (MESH_CODE_ALIASES, coordinate_columns, file_format, find_column,
                      mesh_table_to_polygons, points_from_table, read_csv_table, read_vector)

NON_SPATIAL_KINDS = {"staff"}
#: file suffix -> format name in the load report's layout line
VECTOR_FORMAT_NAMES = {".shp": "Shapefile", ".zip": "Shapefile (zip)", ".gpkg": "GeoPackage",
                       ".geojson": "GeoJSON", ".json": "GeoJSON", ".fgb": "FlatGeobuf",
                       ".gml": "GML"}
#: prefix of generated ids for kinds whose id may be missing
GENERATED_ID_PREFIX = {"roads": "r", "facilities": "f", "rivers": "w", "railways": "t",
                       "emergency_routes": "e"}



def read_layer(path, kind: str, *, layer=None, field_map=None, crs=None, report=None,
               source_crs=None, settings: Settings | None = None, progress=None):
    """Read one layer into the canonical schema of ``kind``.

    Parameters
    ----------
    path : str or Path
        GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV (UTF-8/UTF-8 BOM/CP932 with
        緯度/経度, x/y or WKT columns, or a mesh-code column for population), or OSM
        PBF (``kind="roads"`` or ``"bridges"``).
    kind : str
        One of ``gunmane_geo.schema.LAYER_KINDS`` (not ``"population"`` rasters: use
        ``read_population``).
    layer : str, optional
        Layer name inside a multi-layer file (GeoPackage).
    field_map : dict, optional
        ``{source column: canonical field}``; overrides the alias table.
    crs : str, optional
        Reproject the result to this CRS (e.g. ``"EPSG:6673"``); default: keep the
        source CRS.
    report : LoadReport, optional
        Where skipped/repaired rows are recorded (a new one when None).
    source_crs : str, optional
        CRS of a layer that has none (x/y CSV columns, a Shapefile without .prj);
        for 緯度/経度 columns the default is JGD2011 (EPSG:6668).
    settings : Settings, optional
        ``settings.io`` gives the plausibility limits.

    Returns
    -------
    GeoDataFrame (DataFrame for ``staff``)
        Canonical columns (``gunmane_geo.schema.FIELDS[kind]``) plus ``source_row``
        (1-based row/feature number in the file) and the file's other columns.

    Raises
    ------
    InputError
        File missing or unreadable, no CRS, no features, a required field missing.
    """
    if kind not in schema.LAYER_KINDS:
        raise InputError(f"unknown layer kind '{kind}'; kinds are: {', '.join(schema.LAYER_KINDS)}",
                         source=path)
    settings = settings or Settings()
    report = report if report is not None else LoadReport()
    fmt = file_format(path)
    if fmt == "pbf":
        if kind == "roads":
            return read_roads(path, crs=crs, report=report, progress=progress)
        if kind == "bridges":
            return read_bridges(path, crs=crs, report=report, progress=progress)
        raise InputError(f"an OSM PBF file can be read as roads or bridges, not {kind}",
                         source=path)
    if fmt == "raster":
        raise InputError(f"a raster can only be a population grid (read_population), not {kind}",
                         source=path)
    ctx = LayerContext(str(path), kind, report)
    report_progress(progress, 0.0, f"reading {Path(path).name}")
    layout = None
    if kind != "bridges" and is_inspection_json(path):
        raise InputError(f"this JSON is bridge data of the national road-structure inspection "
                         f"database (全国道路施設点検データベース), not a {kind} layer; fix: give it "
                         "as bridges ([inputs] bridges = ..., --kind bridges)", source=path)
    if kind == "bridges" and is_inspection_json(path):
        frame = read_inspection_json(path)
        fmt, layout = "csv", INSPECTION_DB          # a table with 緯度/経度, like the export
        ctx.add(f"{INSPECTION_DB.describe('JSON', 'utf-8')} として読み込みました (API data of the "
                "national road-structure inspection database, flattened)", severity="info",
                field="layout")
    elif fmt == "csv":
        frame, encoding = read_csv_table(path)
        if encoding != "utf-8":
            ctx.add(f"CSV read as {encoding.upper()}", severity="info")
        layout = detect_layout(frame.columns, kind)
        if layout is not None:
            delim = "TSV" if str(path).lower().endswith(".tsv") or _tab_separated(path) else "CSV"
            ctx.add(f"{layout.describe(delim, encoding)} として読み込みました (recognised from its "
                    "columns)", severity="info", field="layout")
    else:
        frame, layer_name, note = read_vector(path, kind, layer, source_crs)
        if note:
            ctx.add(note, severity="info")
    n_read = len(frame)
    if n_read == 0:
        raise InputError(f"the layer has no features (empty {kind} layer); check that you "
                         "chose the right file/layer and that it was exported with its rows",
                         source=path)
    frame = frame.reset_index(drop=True)
    if "source_row" in frame.columns:        # e.g. a gunmane output read back as input
        frame = frame.rename(columns={"source_row": "source_row_input"})
    frame.insert(0, "source_row", np.arange(1, n_read + 1))
    if kind == "municipalities":
        frame = _n03_names(frame, ctx)
    if layout is None:
        layout = detect_layout(frame.columns, kind)
        if layout is not None:
            suffix = Path(str(path)).suffix.lower()
            how = "CSV" if fmt == "csv" else VECTOR_FORMAT_NAMES.get(suffix, suffix.lstrip("."))
            ctx.add(f"{layout.describe(how)} として読み込みました (recognised from its columns)",
                    severity="info", field="layout")
    if layout is FUTURE_MESH:
        frame = future_population(frame, ctx, settings.io.population_target_year)
    elif layout is KSJ_N10:
        field_map = {**n10_field_map(frame, ctx), **(field_map or {})}
    elif layout in KSJ_FACILITY_LAYOUTS:
        frame, ksj_map = ksj_facilities(frame, layout, ctx)
        user = dict(field_map or {})
        taken = set(user) | set(user.values())
        field_map = {**{k: v for k, v in ksj_map.items() if k not in taken and v not in taken},
                     **user}
    elif layout is not None:
        field_map = layout_field_map(layout, list(frame.columns), field_map)
    frame = rename_to_canonical(frame, kind, ctx, field_map)
    if layout is not None:
        frame = apply_layout_values(frame, layout, ctx)
    if kind == "bridges" and "bridge_id" not in frame.columns:
        frame = _row_ids(frame, ctx)
    if kind == "roads":
        frame = _modes_from_class(frame, ctx)
    require_columns(frame, kind, ctx)
    frame = convert_values(frame, kind, ctx)
    if fmt == "csv" and kind not in NON_SPATIAL_KINDS:
        frame = _csv_geometry(frame, kind, ctx, source_crs)
    frame = _check_kind(frame, kind, ctx, settings)
    if kind not in NON_SPATIAL_KINDS:
        if "geometry" not in frame.columns or not hasattr(frame, "crs"):
            raise ctx.error(f"a {kind} layer needs geometries; this file has none")
        frame = clean_geometries(frame, kind, ctx)
    elif "geometry" in frame.columns:
        frame = pd.DataFrame(frame.drop(columns="geometry"))
    kept = int(frame["source_row"].nunique())
    if kind == "municipalities":
        frame = dissolve_municipalities(frame, ctx)
    if crs is not None and kind not in NON_SPATIAL_KINDS and len(frame):
        frame = frame.to_crs(crs)
    frame = _order_columns(frame.reset_index(drop=True), kind)
    report.add_layer(path, kind, read=n_read, kept=kept, features=len(frame))
    _check_accounting(report, str(path), kind, n_read, kept)
    if len(frame) == 0:
        raise InputError(f"no usable {kind} feature is left after validation; see the load "
                         "report for the reason of each row", source=path)
    report_progress(progress, 1.0, f"{Path(path).name}: {len(frame)} {kind}")
    return frame


def _tab_separated(path) -> bool:
    """True when the first line of a text table has more tabs than commas."""
    with open(path, "rb") as fh:
        first = fh.readline()
    return first.count(b"\t") > first.count(b",")


def _check_accounting(report, source, kind, n_read, kept):
    """Every feature read is kept or reported as skipped (internal consistency check)."""
    skipped = {r["row"] for r in report.rows
               if r["source"] == source and r["layer"] == kind and r["action"] == "skipped"
               and r["row"] is not None}
    if kept + len(skipped) != n_read:  # pragma: no cover - a bug, not bad input
        raise RuntimeError(f"{source}: {n_read} rows read but {kept} kept and "
                           f"{len(skipped)} skipped")


def _order_columns(frame, kind):
    canon = [c for c in schema.FIELDS.get(kind, {}) if c in frame.columns]
    first = ["source_row"] if "source_row" in frame.columns else []
    rest = [c for c in frame.columns if c not in canon and c not in first and c != "geometry"]
    geo = ["geometry"] if "geometry" in frame.columns else []
    return frame[canon + first + rest + geo]


def _csv_geometry(frame, kind, ctx, source_crs):
    coords = coordinate_columns([c for c in frame.columns if c != "source_row"])
    if coords is None and kind == "population":
        mesh_col = find_column(frame.columns, MESH_CODE_ALIASES)
        if mesh_col is not None:
            return mesh_table_to_polygons(frame, mesh_col, ctx, kind)
    if coords is None:
        raise ctx.error(
            f"a {kind} CSV needs coordinates: columns 緯度/経度 (lat/lon, degrees) or x/y with "
            "source_crs, or a WKT column; none found in: "
            f"{', '.join(c for c in frame.columns if c != 'source_row')}")
    return points_from_table(frame, coords, ctx, kind, source_crs)


# --- per-kind rules -----------------------------------------------------------------
def _check_kind(frame, kind, ctx, settings):
    io = settings.io
    if kind == "bridges":
        frame = check_ids(frame, kind, ctx)
        frame = check_ranges(frame, kind, ctx, io)
        frame = _fill_deck_area(frame, ctx)
        frame = _fill_manager(frame, ctx)
        frame = _fill_footbridge(frame, ctx)
    elif kind == "roads":
        frame = check_ids(frame, kind, ctx, generate_prefix=GENERATED_ID_PREFIX[kind],
                          unique=False)
        frame = _dedupe_ids(frame, kind, ctx)
        frame = check_ranges(frame, kind, ctx, io)
        for col in ("is_bridge", "is_tunnel", "oneway"):
            frame[col] = (frame[col] if col in frame.columns
                          else pd.array([False] * len(frame), dtype="boolean")).fillna(False)
        for col in ("motor_vehicle", "walkable"):      # blank or absent: allowed
            if col not in frame.columns:
                frame[col] = pd.array(np.ones(len(frame), bool), dtype="boolean")
                continue
            codes, uniques = pd.factorize(frame[col].astype(object), use_na_sentinel=True)
            per = np.array([True if v is None or v is pd.NA or v != v else bool(v)
                            for v in uniques] + [True], dtype=bool)   # once per value
            frame[col] = pd.array(per[codes], dtype="boolean")
        if "layer" not in frame.columns:
            frame["layer"] = pd.array([0] * len(frame), dtype="Int64")
        frame["layer"] = frame["layer"].fillna(0)
        if "road_class" not in frame.columns:
            frame["road_class"] = "other"
            ctx.add("no road class column: every road is 'other' (default speed "
                    f"{settings.network.default_speed_kmh.get('other')} km/h); map one with "
                    "field_map", severity="warning", field="road_class")
        else:
            missing = frame["road_class"].isna().to_numpy()
            if missing.any():
                frame.loc[missing, "road_class"] = "other"
                ctx.add(f"{int(missing.sum())} roads without a road class set to 'other'",
                        severity="info", action="filled", field="road_class")
    elif kind == "municipalities":
        no_code = frame["municipality_code"].isna().to_numpy()
        frame = skip_rows(
            frame, no_code, kind, ctx,
            lambda f, i: ("no municipality code (N03 所属未定地 or a blank code): skipped"
                          + (f"; name '{f.at[i, 'municipality_name']}'"
                             if isinstance(f.at[i, "municipality_name"], str) else "")),
            severity="warning", field="municipality_code")
        if "kind" not in frame.columns:
            frame["kind"] = [_municipality_kind(n) for n in frame["municipality_name"]]
    elif kind in ("facilities", "other_assets", "rivers", "railways", "emergency_routes"):
        prefix = GENERATED_ID_PREFIX.get(kind)
        lines = kind in ("rivers", "railways", "emergency_routes")   # several rows per river/line are normal
        frame = check_ids(frame, kind, ctx, generate_prefix=prefix, unique=not lines)
        if lines:
            frame = _dedupe_ids(frame, kind, ctx)
        required_values = [f for f in schema.REQUIRED.get(kind, ()) if f in frame.columns]
        for field in required_values:
            blank = frame[field].isna().to_numpy()
            frame = skip_rows(frame, blank, kind, ctx,
                              f"{field} is empty (required): skipped", field=field)
        frame = check_ranges(frame, kind, ctx, io)
    elif kind == "staff":
        for field in ("municipality_code", "technical_staff"):
            blank = frame[field].isna().to_numpy()
            frame = skip_rows(frame, blank, kind, ctx,
                              f"{field} is empty or invalid (required): skipped", field=field)
        neg = (frame["technical_staff"] < 0).to_numpy(bool)
        frame = skip_rows(frame, neg, kind, ctx, "technical_staff is negative: skipped",
                          field="technical_staff")
        frame = check_ids(frame, kind, ctx)
    elif kind == "population":
        frame = check_ranges(frame, kind, ctx, io)
        blank = frame["population"].isna().to_numpy()
        frame = skip_rows(frame, blank, kind, ctx,
                          "population is empty or invalid: skipped", field="population")
    return frame


def _row_ids(frame, ctx):
    """A bridge list without an id column: ids ``row-NNNNN`` from the source row."""
    frame = frame.copy()
    frame["bridge_id"] = [f"row-{int(r):05d}" for r in frame["source_row"]]
    ctx.add("no bridge id column (橋梁ID / 施設ID / 管理番号): ids 'row-NNNNN' made from the row "
            "number of the file (row-00001 is the first data row); add an id column to keep "
            "ids stable when rows are inserted", severity="warning", action="filled",
            field="bridge_id")
    return frame


def _modes_from_class(frame, ctx):
    """``motor_vehicle`` / ``walkable`` from the raw road class when no column gives them.

    Footways, paths, cycleways, steps (OSM ``highway`` values or 歩道 / 自転車歩行者道 ...)
    are not for cars; motorways (高速自動車国道) are not for walkers.
    """
    if "road_class" not in frame.columns:
        return frame
    for col, classes, what in (("motor_vehicle", NON_MOTOR_CLASSES, "closed to cars"),
                               ("walkable", NO_WALK_CLASSES, "closed to walkers")):
        if col in frame.columns:
            continue
        closed = schema.closed_by_class(frame["road_class"], classes)
        frame[col] = ~closed
        if closed.any():
            counts = frame["road_class"][closed].value_counts().to_dict()
            ctx.add(f"{int(closed.sum())} road lines {what} by their road class {counts} "
                    f"({col} = false)", severity="info", action="note", field=col)
    return frame


def _dedupe_ids(frame, kind, ctx):
    """Line layers: later rows with an id used before get ``<id>#<n>`` (reported)."""
    from .canonical import ID_FIELD
    col = ID_FIELD[kind]
    if col in ctx.distinct:         # convert_values saw every id distinct
        return frame
    frame[col] = frame[col].astype(object)
    dup = frame[col].duplicated(keep="first").to_numpy()
    if dup.any():
        counts: dict = {}
        new = frame[col].tolist()
        for pos in np.flatnonzero(dup):
            old = new[pos]
            counts[old] = counts.get(old, 1) + 1
            new[pos] = f"{old}#{counts[old]}"
            ctx.add(f"{col} '{old}' used before: renamed '{new[pos]}'",
                    row=frame["source_row"].iloc[pos], feature_id=new[pos], severity="info",
                    action="filled", field=col)
        frame[col] = new
    return frame


def _fill_deck_area(frame, ctx):
    if "deck_area_m2" not in frame.columns:
        frame["deck_area_m2"] = np.nan
    area = schema.deck_area_m2(frame)           # the one rule: given, else length x width
    fill = frame["deck_area_m2"].isna().to_numpy() & np.isfinite(area)
    if fill.any():
        frame.loc[fill, "deck_area_m2"] = area[fill]
        ctx.add(f"deck_area_m2 = length_m * width_m computed for {int(fill.sum())} bridges",
                severity="info", action="filled", field="deck_area_m2")
    return frame


_MANAGER_OF_CLASS = {"national": "national", "prefectural": "prefecture",
                     "municipal": "municipality"}


def _fill_footbridge(frame, ctx):
    """``footbridge`` from ``structure_kind`` (横断歩道橋 -> True) where no column gives it."""
    if "structure_kind" not in frame.columns:
        return frame
    by_kind = frame["structure_kind"].isin(list(schema.PEDESTRIAN_STRUCTURE_KINDS)).to_numpy()
    if "footbridge" not in frame.columns:
        frame["footbridge"] = pd.array(by_kind, dtype="boolean")
        if by_kind.any():
            ctx.add(f"{int(by_kind.sum())} bridges are for pedestrians only by their structure "
                    "kind (種類 横断歩道橋 / 歩道橋): footbridge = true", severity="info",
                    action="filled", field="footbridge")
        return frame
    fill = by_kind & ~frame["footbridge"].fillna(False).to_numpy(bool)
    if fill.any():
        frame.loc[fill, "footbridge"] = True
        ctx.add(f"footbridge set true for {int(fill.sum())} bridges whose 種類 says 横断歩道橋 / "
                "歩道橋", severity="info", action="filled", field="footbridge")
    return frame


def _fill_manager(frame, ctx):
    if "road_class" not in frame.columns and "manager_name" not in frame.columns:
        return frame
    if "manager" not in frame.columns:
        frame["manager"] = None
    if "manager_name" in frame.columns:
        # 管理者名 says who it is (○○市 -> municipality, ○○県 -> prefecture, ○○国道事務所 ->
        # national) where no 区分 / 管理者 column says so
        fill = (frame["manager"].isna() & frame["manager_name"].notna()).to_numpy()
        classes = []
        for name in frame.loc[fill, "manager_name"]:
            try:
                classes.append(schema.parse_manager(name))
            except ValueError:
                classes.append(None)
        if fill.any():
            frame.loc[fill, "manager"] = classes
            n = sum(c is not None for c in classes)
            if n:
                ctx.add(f"manager taken from manager_name (管理者名) for {n} bridges",
                        severity="info", action="filled", field="manager")
    if "road_class" not in frame.columns:
        return frame
    fill = (frame["manager"].isna() & frame["road_class"].isin(list(_MANAGER_OF_CLASS))).to_numpy()
    if fill.any():
        frame.loc[fill, "manager"] = frame.loc[fill, "road_class"].map(_MANAGER_OF_CLASS)
        ctx.add(f"manager taken from road_class for {int(fill.sum())} bridges (国道 -> national, "
                "県道 -> prefecture, 市町村道 -> municipality)", severity="info", action="filled",
                field="manager")
    return frame


# --- municipalities --------------------------------------------------------------
def _n03_names(frame, ctx):
    """N03: name a 政令指定都市's ward '<city><ward>': N03_003 + N03_004 (the ward in
    N03_004), or N03_004 + N03_005 in a vintage whose N03_005 holds the ward."""
    cols = {schema.normalize_column_name(c): c for c in frame.columns}
    if "n03007" not in cols or "n03004" not in cols:
        return frame
    ctx.add("N03 (国土数値情報 行政区域) columns detected", severity="info")
    c3, c4, c5 = cols.get("n03003"), cols["n03004"], cols.get("n03005")
    if c5 is not None and any(isinstance(w, str) and w.endswith("区") for w in frame[c5]):
        frame[c4] = [city + ward if isinstance(city, str) and isinstance(ward, str)
                     and ward.endswith("区") and not ward.startswith(city) else
                     (ward if isinstance(ward, str) and ward and not isinstance(city, str)
                      else city)
                     for city, ward in zip(frame[c4], frame[c5])]
        ctx.add("N03_005 holds the wards of 政令指定都市: names are N03_004 + N03_005 "
                "(e.g. 札幌市中央区)", severity="info", field="municipality_name")
    elif c3 is not None:
        names = []
        for city, ward in zip(frame[c3], frame[c4]):
            if isinstance(city, str) and city.endswith("市") and isinstance(ward, str) \
                    and ward.endswith("区") and not ward.startswith(city):
                names.append(city + ward)
            else:
                names.append(ward)
        frame[c4] = names
    return frame


def _municipality_kind(name):
    if not isinstance(name, str) or not name:
        return None
    return {"市": "city", "区": "city", "町": "town", "村": "village"}.get(name[-1])


def dissolve_municipalities(gdf, ctx):
    """One feature per municipality_code: polygons unioned into a MultiPolygon, other
    fields from the first row (``source_row`` is the first row's).  Reported per code."""
    import geopandas as gpd
    import shapely
    if len(gdf) == 0 or gdf["municipality_code"].is_unique:
        return gdf
    rows = []
    for code, grp in gdf.groupby("municipality_code", sort=False):
        first = grp.iloc[0].to_dict()
        if len(grp) > 1:
            geom = shapely.union_all(grp.geometry.values)
            if geom.geom_type == "Polygon":
                geom = shapely.MultiPolygon([geom])
            elif geom.geom_type != "MultiPolygon":
                geom = shapely.MultiPolygon([g for g in getattr(geom, "geoms", [])
                                             if g.geom_type == "Polygon"])
            first["geometry"] = geom
            names = {n for n in grp["municipality_name"] if isinstance(n, str)}
            ctx.add(f"{len(grp)} polygons (rows {', '.join(str(r) for r in grp['source_row'])}) "
                    "dissolved into one MultiPolygon", row=None, feature_id=code, severity="info",
                    action="note", field="geometry")
            if len(names) > 1:
                ctx.add(f"rows with code {code} have different names ({', '.join(sorted(names))}): "
                        f"'{first['municipality_name']}' kept", feature_id=code,
                        severity="warning", action="note", field="municipality_name")
        rows.append(first)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=gdf.crs)


# --- the named readers --------------------------------------------------------------
def read_bridges(path, *, layer=None, field_map=None, crs=None, report=None, source_crs=None,
                 settings=None, progress=None):
    """Bridge inventory (points or lines) in canonical columns; OSM PBF: the bridge ways
    (``osm_bridges_from_roads``).  See ``read_layer``."""
    if file_format(path) == "pbf":
        from .osm import osm_bridges_from_roads
        roads = read_roads(path, crs=crs, report=report, progress=progress)
        return osm_bridges_from_roads(roads)
    return read_layer(path, "bridges", layer=layer, field_map=field_map, crs=crs, report=report,
                      source_crs=source_crs, settings=settings, progress=progress)


def read_roads(path, *, layer=None, field_map=None, crs=None, report=None, source_crs=None,
               settings=None, progress=None, with_bridges: bool = False):
    """Road lines in canonical columns, from a vector file or an OSM PBF.

    With ``with_bridges=True`` returns ``(roads, bridges)`` where bridges is
    ``osm_bridges_from_roads(roads)`` (one row per bridge way / bridge segment).
    OSM roads are split at shared nodes (see ``gunmane_geo.io.osm``).
    """
    from .osm import osm_bridges_from_roads, read_osm_roads
    report = report if report is not None else LoadReport()
    if file_format(path) == "pbf":
        from .sources import check_exists
        check_exists(path)
        roads, n_ways, n_used = read_osm_roads(path, report, progress=progress)
        report.add_layer(path, "roads", read=n_ways, kept=n_used, features=len(roads))
        if len(roads) == 0:
            raise InputError("the OSM file has no usable highway=* ways", source=path)
        if crs is not None:
            roads = roads.to_crs(crs)
    else:
        roads = read_layer(path, "roads", layer=layer, field_map=field_map, crs=crs,
                           report=report, source_crs=source_crs, settings=settings,
                           progress=progress)
    if with_bridges:
        return roads, osm_bridges_from_roads(roads)
    return roads


def read_municipalities(path, *, layer=None, field_map=None, crs=None, report=None,
                        source_crs=None, settings=None, progress=None):
    """Municipal boundaries, one MultiPolygon per municipality_code (N03 detected:
    rows without code are reported and skipped).  See ``read_layer``."""
    return read_layer(path, "municipalities", layer=layer, field_map=field_map, crs=crs,
                      report=report, source_crs=source_crs, settings=settings, progress=progress)


def read_population(path, *, layer=None, field_map=None, crs=None, report=None, source_crs=None,
                    settings=None, progress=None):
    """Population: a raster path -> ``PopulationRaster`` (persons per cell, read on use);
    polygons/points/mesh-code CSV -> GeoDataFrame with ``population``."""
    from .region import PopulationRaster
    if file_format(path) == "raster":
        import rasterio
        from .sources import check_exists
        check_exists(path)
        try:
            with rasterio.open(path) as src:
                raster_crs = src.crs
                shape = (src.height, src.width)
        except rasterio.errors.RasterioIOError as exc:
            from .sources import gdal_reason
            raise InputError(f"cannot open the raster ({gdal_reason(exc, path)}); fix: check "
                             "that it is a GeoTIFF (or other GDAL raster) of persons per cell, "
                             "or give population as polygons/points or a mesh CSV",
                             source=path) from None
        if raster_crs is None:
            if source_crs is None:
                raise InputError("the raster has no CRS; set it (gdal_edit.py -a_srs EPSG:...) "
                                 "or give source_crs", source=path)
            raster_crs = source_crs
        report = report if report is not None else LoadReport()
        report.add(path, "population", f"population raster {shape[1]} x {shape[0]} cells, "
                   f"CRS {raster_crs}", severity="info")
        report.add_layer(path, "population", read=1, kept=1, features=1)
        crs_text = raster_crs.to_string() if hasattr(raster_crs, "to_string") else str(raster_crs)
        return PopulationRaster(path=Path(path), crs=crs_text)
    return read_layer(path, "population", layer=layer, field_map=field_map, crs=crs,
                      report=report, source_crs=source_crs, settings=settings, progress=progress)
