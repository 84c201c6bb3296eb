"""Geometry checks and repairs of loaded layers (every repair is reported).

* missing or empty geometry: row skipped (error);
* a coordinate that is not finite (NaN or infinite x/y, e.g. ``Point(inf, 0)`` or a road
  with a NaN vertex): row skipped (error), before any other check touches it (GEOS
  cannot measure, repair or reproject such a geometry);
* Z/M coordinates: dropped (one info row per layer with the count);
* invalid geometry: ``shapely.make_valid``; for polygon layers only the polygonal
  part is kept (reported ``repaired``); a row left with nothing is skipped;
* a geometry of the wrong type for the kind (e.g. a point in a roads layer): skipped,
  except polygons in a point layer (facilities, bridges), which become their
  representative point (``converted``);
* roads/rivers/railways: a MultiLineString is merged (``shapely.line_merge``) and, if
  still in several parts, exploded into one row per part with ids ``<id>.<k>``;
  lines with zero length are skipped.
"""
from __future__ import annotations

import numpy as np
import shapely

from .canonical import ID_FIELD, LayerContext, feature_id_of, skip_rows

LINE_KINDS = {"roads", "rivers", "railways", "emergency_routes"}
POLYGON_KINDS = {"municipalities"}
POINT_KINDS = {"facilities"}
ALLOWED = {
    "roads": {"LineString", "MultiLineString"},
    "rivers": {"LineString", "MultiLineString", "Polygon", "MultiPolygon"},
    "railways": {"LineString", "MultiLineString"},
    "emergency_routes": {"LineString", "MultiLineString"},
    "municipalities": {"Polygon", "MultiPolygon"},
    "facilities": {"Point", "MultiPoint"},
    "bridges": {"Point", "LineString", "MultiLineString", "MultiPoint"},
    "population": {"Polygon", "MultiPolygon", "Point", "MultiPoint"},
    "other_assets": None,
}


NONFINITE_MESSAGE = ("coordinates are not finite (NaN or infinite x/y): skipped; fix: correct "
                     "or delete the vertex in the source (QGIS: 頂点ツール, or the x/y / "
                     "緯度/経度 cells of the row)")


def nonfinite(geoms) -> np.ndarray:
    """True for each geometry with a NaN or infinite x or y coordinate (array of bool)."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms), dtype=bool)
    if not len(geoms):
        return out
    with np.errstate(invalid="ignore"):
        coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = ~np.isfinite(coords).all(axis=1)
    if bad.any():
        out[np.unique(index[bad])] = True
    return out


def _polygonal(geom):
    """Polygonal part of a geometry (Polygon/MultiPolygon) or an empty polygon."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def clean_geometries(gdf, kind: str, ctx: LayerContext):
    """Apply the rules of the module docstring; returns the cleaned GeoDataFrame."""
    geoms = gdf.geometry
    missing = (geoms.isna() | geoms.is_empty).to_numpy()
    gdf = skip_rows(gdf, missing, kind, ctx,
                    "feature has no geometry: skipped; draw it or give coordinates",
                    field="geometry")
    if len(gdf) == 0:
        return gdf
    bad = nonfinite(gdf.geometry.values)
    gdf = skip_rows(gdf, bad, kind, ctx, NONFINITE_MESSAGE, field="geometry")
    if len(gdf) == 0:
        return gdf
    has_z = shapely.has_z(gdf.geometry.values)
    if np.any(has_z):
        gdf = gdf.copy()
        gdf["geometry"] = shapely.force_2d(gdf.geometry.values)
        ctx.add(f"Z/M coordinates dropped from {int(np.sum(has_z))} features", severity="info",
                action="repaired", field="geometry")
    if kind in LINE_KINDS:
        lines = np.isin(gdf.geometry.geom_type.to_numpy(), ["LineString", "MultiLineString"])
        zero = lines & (shapely.length(gdf.geometry.values) <= 0)
        gdf = skip_rows(gdf, zero, kind, ctx, "line has zero length (all its points are the "
                        "same): skipped", field="geometry")
    # invalid geometries
    valid = shapely.is_valid(gdf.geometry.values)
    if not valid.all():
        gdf = gdf.copy()
        new = list(gdf.geometry.values)
        for pos in np.flatnonzero(~valid):
            idx = gdf.index[pos]
            reason = shapely.is_valid_reason(new[pos])
            fixed = shapely.make_valid(new[pos])
            if kind in POLYGON_KINDS or (kind == "population" and new[pos].geom_type in (
                    "Polygon", "MultiPolygon")):
                fixed = _polygonal(fixed)
            new[pos] = fixed
            ctx.add(f"invalid geometry ({reason}) repaired with make_valid",
                    row=gdf.at[idx, "source_row"], feature_id=feature_id_of(gdf, kind, idx),
                    severity="warning", action="repaired", field="geometry")
        gdf["geometry"] = new
        empty = gdf.geometry.is_empty.to_numpy()
        gdf = skip_rows(gdf, empty, kind, ctx,
                        "geometry is empty after repair (degenerate): skipped", field="geometry")
    # types
    allowed = ALLOWED.get(kind)
    if allowed is not None and len(gdf):
        types = gdf.geometry.geom_type.to_numpy()
        polys_as_points = (kind in POINT_KINDS or kind == "bridges") & np.isin(
            types, ["Polygon", "MultiPolygon"])
        if polys_as_points.any():
            gdf = gdf.copy()
            for idx in gdf.index[polys_as_points]:
                ctx.add("polygon replaced by its representative point", row=gdf.at[idx, "source_row"],
                        feature_id=feature_id_of(gdf, kind, idx), severity="info", action="converted",
                        field="geometry")
            rep = gdf.geometry[polys_as_points].representative_point()
            gdf.loc[polys_as_points, "geometry"] = rep
            types = gdf.geometry.geom_type.to_numpy()
        wrong = ~np.isin(types, list(allowed))
        gdf = skip_rows(gdf, wrong, kind, ctx,
                        lambda f, i: f"{f.geometry[i].geom_type} geometry does not fit a {kind} "
                                     f"layer (expected {', '.join(sorted(allowed))}): skipped",
                        field="geometry")
    if kind in LINE_KINDS and len(gdf):
        gdf = _explode_lines(gdf, kind, ctx)
        # shapely directly: only the sign matters, so no CRS warning in lon/lat
        zero = shapely.length(gdf.geometry.to_numpy()) <= 0
        if zero.any():
            # a zero-length part of a row whose other parts are kept is dropped (repaired),
            # so that the row is either kept or skipped: read = kept + skipped
            rows = gdf["source_row"].to_numpy()
            kept_rows = set(rows[~zero])
            part = zero & np.isin(rows, list(kept_rows))
            for idx in gdf.index[part]:
                ctx.add("a part of zero length dropped (the other parts are kept)",
                        row=gdf.at[idx, "source_row"], feature_id=feature_id_of(gdf, kind, idx),
                        severity="info", action="repaired", field="geometry")
            gdf = gdf[~part].copy()
            zero = zero[~part]
        gdf = skip_rows(gdf, zero, kind, ctx, "line has zero length: skipped", field="geometry")
    if kind in POLYGON_KINDS and len(gdf):
        single = gdf.geometry.geom_type.to_numpy() == "Polygon"
        if single.any():
            gdf = gdf.copy()
            gdf.loc[single, "geometry"] = shapely.multipolygons(
                [[g] for g in gdf.geometry[single]])
    return gdf


def _explode_lines(gdf, kind, ctx):
    """MultiLineStrings: merged when they form one line, else one row per part."""
    multi = (gdf.geometry.geom_type == "MultiLineString").to_numpy()
    if not multi.any():
        return gdf
    id_col = ID_FIELD.get(kind)
    rows = []
    gdf = gdf.copy()
    for pos, (idx, geom) in enumerate(zip(gdf.index, gdf.geometry.values)):
        if not multi[pos]:
            rows.append((idx, geom, None))
            continue
        merged = shapely.line_merge(geom)
        parts = list(merged.geoms) if merged.geom_type == "MultiLineString" else [merged]
        if len(parts) == 1:
            ctx.add("MultiLineString merged into one LineString", row=gdf.at[idx, "source_row"],
                    feature_id=feature_id_of(gdf, kind, idx), severity="info", action="repaired",
                    field="geometry")
            rows.append((idx, parts[0], None))
        else:
            ctx.add(f"MultiLineString exploded into {len(parts)} lines (ids <id>.1..{len(parts)})",
                    row=gdf.at[idx, "source_row"], feature_id=feature_id_of(gdf, kind, idx),
                    severity="info", action="repaired", field="geometry")
            for k, part in enumerate(parts, 1):
                rows.append((idx, part, k))
    out = gdf.loc[[r[0] for r in rows]].copy()
    out["geometry"] = [r[1] for r in rows]
    if id_col and id_col in out.columns:
        ids = out[id_col].astype(object).tolist()
        out[id_col] = [i if k is None else f"{i}.{k}" for i, (_, _, k) in zip(ids, rows)]
    return out.reset_index(drop=True)
