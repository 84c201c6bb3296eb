"""Pairs of prefectural and municipal roads that serve the same function (垂直連携).

A municipal road *stretch* (its lines merged per ``route_name``, or a single line
when it has none, split into connected runs) pairs with a prefectural road when

* it runs parallel: at least ``road_pair_min_share`` of its length (sampled every
  25 m) lies within ``road_pair_parallel_m`` of the prefectural road;
* it joins the same places: both its ends lie within ``road_pair_end_m`` of the
  prefectural road, and the ends' positions along the prefectural road are at
  least half the stretch's length apart (it runs along, not across);
* it is at least ``road_pair_min_length_m`` long.

Such pairs are candidates for joint review: one of the two may be enough, so the
bridges on the municipal stretch are counted (``bridges_on_muni``: those not managed by
the prefecture or the state), and the prefecture's own bridges (``manager =
prefecture``) on the part of the prefectural road alongside it
(``pref_bridges_alongside``): the bridges a 垂直連携 would review together.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from shapely.strtree import STRtree

from ..io.load_report import LoadReport
from ..schema import manager_class
from ..settings import Settings
from ._common import report_or_new, require_gdf, settings_or_default, to_analysis_crs

ROAD_PAIR_COLUMNS = [
    "pair_id", "pref_route", "pref_road_ids", "muni_route", "muni_road_ids", "municipality_code",
    "muni_length_m", "parallel_share", "mean_distance_m", "max_distance_m", "end_distance_m",
    "pref_span_m", "bridges_on_muni", "bridge_ids", "pref_bridges_alongside",
    "pref_bridge_ids",
]
#: a bridge this close to a stretch (metres) is on it
_ON_STRETCH_M = 30.0
_SAMPLE_M = 25.0


def _stretches(roads: gpd.GeoDataFrame, cls: str):
    """(label, road_ids, LineString, municipality_code) per connected run of one class."""
    sub = roads[roads["road_class"] == cls]
    if sub.empty:
        return []
    key = sub["route_name"].astype("string") if "route_name" in sub.columns else \
        pd.Series(pd.NA, index=sub.index, dtype="string")
    ids = sub["road_id"].astype(str) if "road_id" in sub.columns else \
        pd.Series([f"{cls}:{i}" for i in sub.index], index=sub.index)
    out = []
    named = key.notna() & (key.str.strip() != "")
    for name, grp in sub[named.to_numpy()].groupby(key[named]):
        merged = shapely.line_merge(shapely.union_all(grp.geometry.values))
        parts = merged.geoms if merged.geom_type == "MultiLineString" else [merged]
        for part in parts:
            members = grp[grp.geometry.distance(part) < 0.5]
            out.append((str(name), ";".join(ids[members.index]), part, _code(members)))
    for idx in sub.index[~named.to_numpy()]:
        geom = sub.geometry[idx]
        parts = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        for part in parts:
            out.append((ids[idx], ids[idx], part, _code(sub.loc[[idx]])))
    return [s for s in out if s[2].geom_type == "LineString" and s[2].length > 0]


def _code(frame):
    if "municipality_code" not in frame.columns:
        return None
    vals = frame["municipality_code"].dropna().astype(str)
    return vals.mode().iloc[0] if len(vals) else None


def _ids_near(points, line) -> list:
    """Ids of the bridge points within ``_ON_STRETCH_M`` of ``line``."""
    if points is None or not len(points):
        return []
    near = points[points.geometry.distance(line) <= _ON_STRETCH_M]
    return near["bridge_id"].astype(str).tolist() if "bridge_id" in near.columns else \
        [str(i) for i in near.index]


def road_pairs(roads, bridges=None, settings: Settings | None = None,
               report: LoadReport | None = None) -> gpd.GeoDataFrame:
    """Prefectural and municipal road stretches that run parallel and join the same places.

    Parameters
    ----------
    roads : GeoDataFrame
        Lines with ``road_class`` ('prefectural', 'municipal', ...), optional
        ``route_name``, ``road_id``, ``municipality_code``; projected metric CRS.
    bridges : GeoDataFrame, optional
        Bridge points; those within 30 m of a paired municipal stretch are counted
        (``bridges_on_muni``) unless ``manager`` is prefecture or national; the
        prefecture's within 30 m of the prefectural road alongside the stretch (between
        the stretch ends' projections) in ``pref_bridges_alongside``.
        Reprojected to the roads' CRS when in another (a note in ``report``).
    settings : Settings, optional
        ``road_pair_parallel_m``, ``road_pair_end_m``, ``road_pair_min_share``,
        ``road_pair_min_length_m`` of ``settings.grouping``.

    Returns
    -------
    GeoDataFrame with ``ROAD_PAIR_COLUMNS``, geometry = the municipal stretch, sorted by
    ``parallel_share`` then length (best candidates first).  Distances in metres.
    """
    settings = settings_or_default(settings)
    report = report_or_new(report)
    g = settings.grouping
    require_gdf(roads, "roads", ("road_class",))
    classes = roads["road_class"].astype("string").str.lower()
    roads = roads.assign(road_class=classes)
    pref = _stretches(roads, "prefectural")
    muni = _stretches(roads, "municipal")
    if not pref or not muni:
        report.add("roads", "roads", f"road pairs need both prefectural ({len(pref)}) and municipal "
                   f"({len(muni)}) roads in road_class; none listed", severity="info", action="note")
        return gpd.GeoDataFrame(columns=ROAD_PAIR_COLUMNS, geometry=[], crs=roads.crs)
    pref_geoms = np.array([p[2] for p in pref], dtype=object)
    tree = STRtree(pref_geoms)
    muni_geoms = np.array([m[2] for m in muni], dtype=object)
    mi, pi = tree.query(muni_geoms, predicate="dwithin", distance=g.road_pair_parallel_m)
    bridge_pts = pref_pts = None
    if bridges is not None and len(bridges):
        pts = to_analysis_crs(bridges, "bridges", roads.crs, "roads", report)
        manager = manager_class(pts)
        is_pref = (manager == "prefecture").fillna(False).to_numpy(bool)
        is_national = (manager == "national").fillna(False).to_numpy(bool)
        bridge_pts = pts[~is_pref & ~is_national]
        pref_pts = pts[is_pref]
    rows, geoms = [], []
    for m, p in zip(mi, pi):
        line, pline = muni_geoms[m], pref_geoms[p]
        length = line.length
        if length < g.road_pair_min_length_m:
            continue
        n_s = max(2, int(np.ceil(length / _SAMPLE_M)) + 1)
        samples = shapely.line_interpolate_point(line, np.linspace(0, length, n_s))
        d = shapely.distance(samples, pline)
        share = float((d <= g.road_pair_parallel_m).mean())
        if share < g.road_pair_min_share:
            continue
        a, b = shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])
        end_d = max(a.distance(pline), b.distance(pline))
        if end_d > g.road_pair_end_m:
            continue
        span = abs(pline.project(a) - pline.project(b))
        if span < 0.5 * length:
            continue
        b_ids = _ids_near(bridge_pts, line)
        lo, hi = sorted((pline.project(a), pline.project(b)))
        p_ids = _ids_near(pref_pts, shapely.ops.substring(pline, lo, hi))
        rows.append({
            "pref_route": pref[p][0], "pref_road_ids": pref[p][1], "muni_route": muni[m][0],
            "muni_road_ids": muni[m][1], "municipality_code": muni[m][3], "muni_length_m": length,
            "parallel_share": share, "mean_distance_m": float(d.mean()), "max_distance_m": float(d.max()),
            "end_distance_m": float(end_d), "pref_span_m": float(span),
            "bridges_on_muni": len(b_ids), "bridge_ids": ";".join(b_ids),
            "pref_bridges_alongside": len(p_ids), "pref_bridge_ids": ";".join(p_ids),
        })
        geoms.append(line)
    out = gpd.GeoDataFrame(rows, columns=[c for c in ROAD_PAIR_COLUMNS if c != "pair_id"],
                           geometry=geoms, crs=roads.crs)
    out = out.sort_values(["parallel_share", "muni_length_m"], ascending=[False, False]).reset_index(drop=True)
    out.insert(0, "pair_id", [f"RP{i + 1:03d}" for i in range(len(out))])
    return out
