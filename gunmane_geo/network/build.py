"""Building a routable graph from road lines (noding, snapping, optional crossing splits).

Noding rule (see docs/criticality.md):

* A line's two end points are always nodes.  End points connect to every line
  that has a vertex (or, after snapping, a point) at exactly the same place.
* An *interior* vertex shared by two lines is a node only when both lines are at
  the same ``layer`` and neither is a bridge or a tunnel: an overpass never meets
  the road below it (OSM ways meet only at shared nodes; a ledger's overpass may
  share a vertex position by accident and is still not connected).
* An interior vertex of a bridge or tunnel line is never a node, so a structure
  stays one edge between its two ends.
* Near misses: an end point closer than ``snap_tolerance_m`` to another line's end
  point, vertex or segment (bridges/tunnels only at their end points) is moved there
  and the move is reported (``action="repaired"``).
* With ``split_at_crossings`` lines that cross without a shared vertex are split at
  the crossing, only when both are at the same layer and neither is a bridge/tunnel.
"""
from __future__ import annotations


import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from ..errors import InputError, report_progress
from ..io.load_report import LoadReport
from ..schema import (NO_WALK_CLASSES, NON_MOTOR_CLASSES, blank_strings, closed_by_class,
                      parse_flag)
from ..settings import Settings
from .graph import EDGE_COLUMNS, Network, finish_nodes
from .lines import EdgeLines

LAYER = "roads"


# --- input checks and canonical attributes ------------------------------------
def check_metric_frame(gdf, source, what) -> None:
    """Raise InputError unless ``gdf`` is a GeoDataFrame in a projected metric CRS."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(f"{what} must be a GeoDataFrame, got {type(gdf).__name__}",
                         source=source)
    if gdf.crs is None:
        raise InputError(f"{what} have no CRS; set it (e.g. EPSG:6677) or load them with "
                         "gunmane_geo.io, which reprojects to the region's plane "
                         "rectangular zone", source=source)
    if not gdf.crs.is_projected:
        raise InputError(f"{what} are in the geographic CRS {gdf.crs.to_string()}; "
                         "distances need a projected metric CRS: reproject to the JGD2011 "
                         "plane rectangular zone of the area (EPSG:6669..6687)", source=source)
    unit = gdf.crs.axis_info[0].unit_name if gdf.crs.axis_info else "metre"
    if unit not in ("metre", "meter", "m"):
        raise InputError(f"{what}: CRS {gdf.crs.to_string()} is in {unit}, not metres; "
                         "reproject to a metric CRS", source=source)


def per_value(values, fn, missing, dtype):
    """``fn`` applied once per distinct value of ``values`` (a column has few: road classes,
    flags), spread back over the rows; missing values (NaN, None) give ``missing``."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques] + [missing], dtype=dtype)
    return mapped[codes]            # code -1 (missing) takes the last entry


def _flag_column(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.zeros(len(df), bool)
    col = df[name]
    if col.dtype == bool:
        return col.to_numpy()
    if isinstance(col.dtype, pd.BooleanDtype):       # the loaders' canonical flags
        return col.to_numpy(dtype=bool, na_value=False)
    return per_value(col, lambda v: bool(parse_flag(v)), False, bool)


def _allowed_column(df: pd.DataFrame, name: str, closed_classes) -> np.ndarray:
    """A permission flag (``motor_vehicle``, ``walkable``): True unless the value says no.

    Without the column, a ``highway`` or ``road_class`` value in ``closed_classes`` (e.g.
    footway for cars, motorway for walkers; ``schema.NON_MOTOR_CLASSES``) closes the line.
    """
    if name not in df.columns:
        out = np.ones(len(df), bool)
        for col in ("highway", "road_class"):
            if col in df.columns:
                out &= ~closed_by_class(df[col], closed_classes)
        return out
    if isinstance(df[name].dtype, pd.BooleanDtype):  # the loaders' canonical flags
        return df[name].to_numpy(dtype=bool, na_value=True)

    def allowed(v):
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        try:
            flag = parse_flag(v)
        except ValueError:
            flag = None
        return True if flag is None else bool(flag)
    return per_value(df[name], allowed, True, bool)


def is_missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def text_column(df, name, default=None) -> np.ndarray:
    """Column ``name`` as str objects; missing or blank values become ``default``."""
    if name not in df.columns:
        return np.full(len(df), default, dtype=object)
    col = df[name]
    if col.dtype == object and pd.api.types.infer_dtype(col, skipna=False) == "string":
        # all str already (the loaders' canonical text): one plain pass, blanks -> default
        values = col.to_numpy(dtype=object)
        blank = blank_strings(values)
        out = values.copy()
        out[blank] = default
        return out
    return per_value(df[name], lambda v: default if str(v).strip() == "" else str(v),
                      default, object)


def _canonical_roads(roads, ns, report, source):
    """Canonical attribute arrays per line after exploding multi-lines; bad rows reported."""
    roads = roads.reset_index(drop=True)
    row_no = np.arange(1, len(roads) + 1)
    road_id = text_column(roads, "road_id")
    missing_id = pd.isna(road_id)
    road_id[missing_id] = [f"row{r}" for r in row_no[missing_id]]
    if len(set(road_id)) != len(road_id):
        dup = pd.Series(road_id).duplicated(keep=False)
        # keep working: duplicate ids are made unique by row number, and reported
        for i in np.flatnonzero(dup.to_numpy()):
            report.add(source, LAYER, f"duplicate road_id '{road_id[i]}': renamed to "
                       f"'{road_id[i]}#row{row_no[i]}'", row=int(row_no[i]),
                       feature_id=road_id[i], severity="warning", action="repaired",
                       field="road_id")
            road_id[i] = f"{road_id[i]}#row{row_no[i]}"

    geoms = roads.geometry.to_numpy()
    gtype = shapely.get_type_id(geoms)
    ok = np.isin(gtype, [1, 5])  # LineString, MultiLineString
    empty = shapely.is_empty(geoms) | pd.isna(geoms)
    for i in np.flatnonzero(~ok | empty):
        why = ("has no geometry" if empty[i] else
               f"is a {shapely.get_type_id(geoms[i]) if geoms[i] is not None else 'None'} "
               "geometry, not a line")
        if not empty[i]:
            why = f"has a {geoms[i].geom_type} geometry, not a (multi)line"
        report.add(source, LAYER, f"road {why}: skipped; give line geometries",
                   row=int(row_no[i]), feature_id=road_id[i], severity="warning",
                   action="skipped", field="geometry")
    keep = ok & ~empty
    idx = np.flatnonzero(keep)
    if (gtype[idx] == 1).all():         # single lines only (the usual case): no copy pass
        parts, part_of = geoms[idx], np.arange(len(idx))
    else:
        parts, part_of = shapely.get_parts(geoms[idx], return_index=True)
    src = idx[part_of]                               # input row of each part
    n_multi = np.bincount(part_of, minlength=len(idx))
    for j in np.flatnonzero(n_multi > 1):
        i = idx[j]
        report.add(source, LAYER, f"multi-line split into {n_multi[j]} lines",
                   row=int(row_no[i]), feature_id=road_id[i], severity="info",
                   action="repaired", field="geometry")

    road_class = text_column(roads, "road_class", "other")
    speeds = (pd.to_numeric(roads["speed_kmh"], errors="coerce").to_numpy(float)
              if "speed_kmh" in roads.columns else np.full(len(roads), np.nan))
    defaults = ns.default_speed_kmh
    fallback = float(defaults.get("other", 20.0))
    bad_class = sorted({c for c in pd.unique(road_class) if c not in defaults})
    if bad_class:
        report.add(source, LAYER, f"road_class values without a default speed: {bad_class}; "
                   f"their lines use the 'other' speed {fallback} km/h where speed_kmh is "
                   "missing (set [network] default_speed_kmh)", severity="info", action="note",
                   field="road_class")
    default_speed = per_value(road_class, lambda c: float(defaults.get(c, fallback)),
                               fallback, float)
    need_default = ~(np.isfinite(speeds) & (speeds > 0))
    if need_default.any():
        counts = pd.Series(road_class[need_default]).value_counts().to_dict()
        report.add(source, LAYER, f"{int(need_default.sum())} lines have no usable speed_kmh; "
                   f"default speeds per road_class used (counts {counts})",
                   severity="info", action="note", field="speed_kmh")
    speed = np.where(need_default, default_speed, speeds)
    width = (pd.to_numeric(roads["width_m"], errors="coerce").to_numpy(float)
             if "width_m" in roads.columns else np.full(len(roads), np.nan))
    bad_width = np.isfinite(width) & (width <= 0)
    if bad_width.any():
        report.add(source, LAYER, f"{int(bad_width.sum())} lines have width_m <= 0: treated as "
                   "unknown width (give the carriageway width in metres)", severity="warning",
                   action="nulled", field="width_m")
        width[bad_width] = np.nan
    layer = (pd.to_numeric(roads["layer"], errors="coerce").fillna(0).round().astype(int)
             .to_numpy() if "layer" in roads.columns else np.zeros(len(roads), int))
    attrs = pd.DataFrame({
        "road_id": road_id, "road_class": road_class,
        "route_name": text_column(roads, "route_name"),
        "speed_kmh": speed, "width_m": width, "oneway": _flag_column(roads, "oneway"),
        "is_bridge": _flag_column(roads, "is_bridge"),
        "is_tunnel": _flag_column(roads, "is_tunnel"), "layer": layer,
        "motor": _allowed_column(roads, "motor_vehicle", NON_MOTOR_CLASSES),
        "walk": _allowed_column(roads, "walkable", NO_WALK_CLASSES),
        "bridge_id": text_column(roads, "bridge_id"),
        "source_row": row_no,
    }, copy=False)                      # fresh arrays: no merge of same-typed columns
    if shapely.has_z(parts).any():       # a pass that copies every line: only when needed
        parts = shapely.force_2d(parts)
    if len(src) == len(attrs) and (src == np.arange(len(src))).all():
        return parts, attrs             # every row kept, none split: the rows as they are
    return parts, attrs.iloc[src].reset_index(drop=True)


# --- vertex table helpers ------------------------------------------------------
def _dedupe(line, key, xy):
    """Drop consecutive duplicate coordinates within a line."""
    same = np.zeros(len(line), bool)
    same[1:] = (line[1:] == line[:-1]) & np.all(xy[1:] == xy[:-1], axis=1)
    keep = ~same
    return line[keep], key[keep], xy[keep]


def _ends(line):
    first = np.ones(len(line), bool)
    first[1:] = line[1:] != line[:-1]
    last = np.ones(len(line), bool)
    last[:-1] = line[:-1] != line[1:]
    return first, last


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on uint64 values (a bijection that spreads every bit)."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _group_coords(xy):
    """Group identical coordinates; returns (group id per vertex, n groups).

    Group ids follow the first appearance of each place (callers use them only to
    compare places).  One hash pass over a 64-bit key made from both coordinates' bits
    (``+ 0.0`` makes -0.0 equal 0.0), then a check that every vertex has the coordinates
    of its group's first vertex; two places sharing a key (about one chance in 10^7 for
    millions of places) or NaN coordinates fail the check and take the exact, slower
    grouping by the complex number x + iy.
    """
    if len(xy) == 0:
        return np.zeros(0, np.int64), 0
    x = xy[:, 0] + 0.0
    y = xy[:, 1] + 0.0
    key = _mix64(x.view(np.uint64)) ^ _mix64(y.view(np.uint64) + _GOLDEN)
    inv, uniques = pd.factorize(key.view(np.int64))
    # factorize numbers groups by first appearance: a vertex opens group g when g is
    # above every id before it, so the openers in order are the groups' first vertices
    opens = np.ones(len(inv), bool)
    opens[1:] = inv[1:] > np.maximum.accumulate(inv)[:-1]
    at_first = np.flatnonzero(opens)[inv]
    if not ((x == x[at_first]).all() and (y == y[at_first]).all()):
        inv, uniques = pd.factorize(x + 1j * y)
    return inv.astype(np.int64, copy=False), len(uniques)


def _insert_points(base_line, base_key, base_xy, targets, points, lines_geom):
    """Vertices to add so that each point lies on its target line.

    ``base_*`` are the (sorted, never re-ordered) original vertex arrays.  Returns
    ``(line, key, xy)`` of the new vertices (to append) and the coordinate actually used
    for each point: an existing original vertex within 1e-9 m is reused instead.
    The ``key`` places a new vertex between the original vertices of its segment, by
    its fraction along the segment, so several inserts on one segment stay in order.
    """
    used = np.array(points, dtype=float).reshape(-1, 2)
    new_line, new_key, new_xy = [], [], []
    if len(targets) == 0:
        return (np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 2))), used
    starts = np.searchsorted(base_line, np.arange(int(base_line.max()) + 2))
    d_along = shapely.line_locate_point(lines_geom[targets], shapely.points(used))
    for j, (t, d) in enumerate(zip(targets, d_along)):
        a, b = starts[t], starts[t + 1]
        pts = base_xy[a:b]
        seg = np.hypot(*np.diff(pts, axis=0).T)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        p = used[j]
        dist_v = np.hypot(pts[:, 0] - p[0], pts[:, 1] - p[1])
        near = int(np.argmin(dist_v))
        if dist_v[near] <= 1e-9:
            used[j] = pts[near]
            continue
        s = int(np.clip(np.searchsorted(cum, d) - 1, 0, len(seg) - 1))
        frac = 0.5 if seg[s] == 0 else float(np.clip((d - cum[s]) / seg[s], 1e-6, 1 - 1e-6))
        new_line.append(t)
        new_key.append(base_key[a + s] + frac * (base_key[a + s + 1] - base_key[a + s]))
        new_xy.append(p)
    return ((np.array(new_line, np.int64), np.array(new_key, float),
             np.array(new_xy, float).reshape(-1, 2)), used)


# --- the builder -----------------------------------------------------------------
def build_network(roads: gpd.GeoDataFrame, settings: Settings | None = None,
                  report: LoadReport | None = None, source: str = "roads",
                  progress=None) -> Network:
    """Build a routable ``Network`` from road lines.

    Parameters
    ----------
    roads : GeoDataFrame
        Road lines with canonical columns (``gunmane_geo.schema.ROAD_FIELDS``; all
        optional) in a projected metric CRS (metres).  ``oneway`` True means the
        digitised direction only; ``layer`` is the vertical layer (0 at grade).
    settings : Settings, optional
        Uses ``settings.network``: ``snap_tolerance_m``, ``split_at_crossings``,
        ``use_oneway`` and ``default_speed_kmh`` (per ``road_class``, km/h).
    report : LoadReport, optional
        Receives a row for every skipped line, snapped end point and assumption.
    source : str
        Name of the input used in report rows (e.g. the file path).
    progress : callable, optional
        ``progress(fraction, message)``; returning True cancels (``Cancelled``).

    Returns
    -------
    Network
        Nodes and edges in the CRS of ``roads``; edge ``length_m`` in metres and
        ``time_min`` in minutes (``length_m / speed``).
    """
    settings = settings or Settings()
    ns = settings.network
    report = report if report is not None else LoadReport()
    if not isinstance(roads, gpd.GeoDataFrame) or len(roads) == 0:
        raise InputError("no road lines: give a GeoDataFrame of road lines with at least one "
                         "feature (gunmane_geo.io.read_roads reads a file)", source=source)
    check_metric_frame(roads, source, "road lines")
    tol = float(ns.snap_tolerance_m)
    report_progress(progress, 0.0, "reading road lines")
    geoms, attrs = _canonical_roads(roads, ns, report, source)
    crs = roads.crs
    # the road lines' geometry objects are needed only until the vertex table is final;
    # dropped here and below, they are freed before the edges are made when the caller
    # holds no other reference (``network_from_region(..., release_roads=True)``)
    del roads

    xy, line = shapely.get_coordinates(geoms, return_index=True)
    line = line.astype(np.int64)
    key = np.arange(len(line), dtype=float)
    line, key, xy = _dedupe(line, key, xy)
    n_lines = len(geoms)
    nvert = np.bincount(line, minlength=n_lines)
    structure = (attrs["is_bridge"].to_numpy() | attrs["is_tunnel"].to_numpy())
    layer = attrs["layer"].to_numpy()

    # --- snapping of end points (near misses) -----------------------------------
    report_progress(progress, 0.15, "snapping end points")
    snaps = []  # (line, end, distance, target description)
    grouped = None
    if tol > 0 and len(line):
        first, last = _ends(line)
        ends = np.flatnonzero(first | last)
        # (a) end point <-> end point of another line: union clusters.  End points at the
        # same place are already together (most are: every junction of a segment layer),
        # so the pairs are searched among the distinct places only; a pair of places
        # counts unless both hold end points of one and the same line only
        end_xy = xy[ends]
        grp, ng = _group_coords(xy)
        place, places = pd.factorize(grp[ends])
        n_places = len(places)
        place_first = np.full(n_places, len(ends), np.int64)   # first end point there
        np.minimum.at(place_first, place, np.arange(len(ends)))
        end_line = line[ends]
        line_lo = np.full(n_places, np.iinfo(np.int64).max)
        np.minimum.at(line_lo, place, end_line)
        line_hi = np.full(n_places, -1, np.int64)
        np.maximum.at(line_hi, place, end_line)
        pairs = cKDTree(end_xy[place_first]).query_pairs(tol, output_type="ndarray")
        if len(pairs):
            pa_, pb_ = pairs[:, 0], pairs[:, 1]
            pairs = pairs[~((line_lo[pa_] == line_hi[pa_]) & (line_lo[pb_] == line_hi[pb_])
                            & (line_lo[pa_] == line_lo[pb_]))]
        if len(pairs):
            from scipy.sparse import coo_matrix
            from scipy.sparse.csgraph import connected_components
            m = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])),
                           shape=(n_places, n_places))
            _, place_lab = connected_components(m, directed=False)
            rep = np.full(place_lab.max() + 1, len(ends))
            np.minimum.at(rep, place_lab, place_first)   # first end point of the cluster
            lab = place_lab[place]
            target = xy[ends[rep[lab]]]
            moved = np.flatnonzero(np.any(xy[ends] != target, axis=1))
            for j in moved:
                v = ends[j]
                d = float(np.hypot(*(xy[v] - target[j])))
                snaps.append((line[v], v, d, f"end of road '{attrs.road_id.iat[line[ends[rep[lab[j]]]]]}'"))
            xy[ends[moved]] = target[moved]
            if len(moved):
                grp, ng = _group_coords(xy)
        # dangling = end point whose position is held by no other vertex
        grouped = (grp, ng, len(snaps), len(line))   # reused for noding if nothing moves
        cnt = np.bincount(grp, minlength=ng)
        dangling = ends[cnt[grp[ends]] == 1]
        # (b) end point -> interior vertex of another non-structure line
        interior = np.flatnonzero(~(first | last) & ~structure[line])
        if len(dangling) and len(interior):
            vtree = cKDTree(xy[interior])
            dist, nn = vtree.query(xy[dangling], k=4, distance_upper_bound=tol)
            done = np.zeros(len(dangling), bool)
            for kk in range(dist.shape[1]):
                ok = np.isfinite(dist[:, kk]) & ~done
                cand = np.where(ok, nn[:, kk], 0)
                ok &= line[interior[cand]] != line[dangling]
                for j in np.flatnonzero(ok):
                    v, t = dangling[j], interior[nn[j, kk]]
                    snaps.append((line[v], v, float(dist[j, kk]),
                                  f"vertex of road '{attrs.road_id.iat[line[t]]}'"))
                    xy[v] = xy[t]
                done |= ok
            dangling = dangling[~done]
        # (c) end point -> segment of another non-structure line (T junction)
        extra = []
        cand_lines = np.flatnonzero(~structure)
        if len(dangling) and len(cand_lines):
            pts = shapely.points(xy[dangling])
            # the search tree holds the few dangling points, not the millions of lines
            li, pi = shapely.STRtree(pts).query(geoms[cand_lines], predicate="dwithin",
                                                distance=tol)
            li = cand_lines[li]
            keep = li != line[dangling[pi]]
            pi, li = pi[keep], li[keep]
            if len(pi):
                d = shapely.distance(pts[pi], geoms[li])
                order = np.lexsort((li, d, pi))         # nearest line, then the first
                pi, li, d = pi[order], li[order], d[order]
                firstp = np.ones(len(pi), bool)
                firstp[1:] = pi[1:] != pi[:-1]
                pi, li, d = pi[firstp], li[firstp], d[firstp]
                proj = shapely.get_coordinates(shapely.line_interpolate_point(
                    geoms[li], shapely.line_locate_point(geoms[li], pts[pi])))
                added, used = _insert_points(line, key, xy, li, proj, geoms)
                extra.append(added)
                for j in range(len(pi)):
                    v = dangling[pi[j]]
                    snaps.append((line[v], v, float(d[j]),
                                  f"line of road '{attrs.road_id.iat[li[j]]}'"))
                    xy[v] = used[j]
        for ln, v, d, what in snaps:
            report.add(source, LAYER, f"end point moved {d:.3f} m onto the {what} "
                       f"(snap_tolerance_m = {tol})", row=int(attrs.source_row.iat[ln]),
                       feature_id=attrs.road_id.iat[ln], severity="info", action="repaired",
                       field="geometry")
        if snaps:
            report.add(source, LAYER, f"{len(snaps)} end points snapped to a road within "
                       f"{tol} m (near misses)", severity="info", action="note", field="geometry")
    else:
        extra = []

    # --- optional splitting where same-layer ordinary roads cross -----------------
    if ns.split_at_crossings and n_lines:
        report_progress(progress, 0.3, "splitting at crossings")
        plain = np.flatnonzero(~structure)
        tree = shapely.STRtree(geoms[plain])
        a, b = tree.query(geoms[plain], predicate="intersects")
        del tree                        # it holds the lines (freed with them below)
        a, b = plain[a], plain[b]
        keep = (a < b) & (layer[a] == layer[b])
        a, b = a[keep], b[keep]
        n_split = 0
        if len(a):
            inter = shapely.intersection(geoms[a], geoms[b])
            parts, which = shapely.get_parts(inter, return_index=True)
            is_pt = shapely.get_type_id(parts) == 0
            parts, which = parts[is_pt], which[is_pt]
            if len(parts):
                pxy = shapely.get_coordinates(parts)
                la, lb = a[which], b[which]
                # a crossing at an existing vertex of either line reuses that vertex
                _, used_a = _insert_points(line, key, xy, la, pxy, geoms)
                added_b, used_b = _insert_points(line, key, xy, lb, used_a, geoms)
                added_a, _ = _insert_points(line, key, xy, la, used_b, geoms)
                extra.extend([added_a, added_b])
                n_split = len(parts)
        report.add(source, LAYER, f"split_at_crossings: {n_split} crossings of same-layer "
                   "roads (bridges and tunnels excluded) made into nodes", severity="info",
                   action="note", field="geometry")

    # --- merge inserted vertices and drop collapsed lines --------------------------
    del geoms                           # the vertex table holds every coordinate now
    if extra:
        line = np.concatenate([line] + [e[0] for e in extra])
        key = np.concatenate([key] + [e[1] for e in extra])
        xy = np.vstack([xy] + [e[2] for e in extra])
        order = np.lexsort((key, line))
        line, key, xy = line[order], key[order], xy[order]
    line, key, xy = _dedupe(line, key, xy)
    nvert = np.bincount(line, minlength=n_lines)
    bad = np.flatnonzero(nvert < 2)
    for ln in bad:
        report.add(source, LAYER, "road has fewer than two distinct points (zero length"
                   + (", after snapping" if snaps else "") + "): skipped",
                   row=int(attrs.source_row.iat[ln]), feature_id=attrs.road_id.iat[ln],
                   severity="warning", action="skipped", field="geometry")
    if len(bad):
        keep = nvert[line] >= 2
        line, key, xy = line[keep], key[keep], xy[keep]
    if len(line) == 0:
        raise InputError("no usable road lines: every feature was skipped (see the load "
                         "report) or the layer is empty", source=source)

    # --- noding ------------------------------------------------------------------
    report_progress(progress, 0.5, "noding")
    first, last = _ends(line)
    is_end = first | last
    if (grouped is not None and not extra and not len(bad) and grouped[2] == len(snaps)
            and grouped[3] == len(line)):
        grp, ng = grouped[:2]           # no vertex moved, added or dropped since
    else:
        grp, ng = _group_coords(xy)
    has_end = np.zeros(ng, bool)
    has_end[grp[is_end]] = True
    inner = ~is_end & ~structure[line]
    # interior vertices of ordinary lines: count distinct lines per (group, layer)
    gi, li_, la_ = grp[inner], line[inner], layer[line[inner]]
    multi_inner = np.zeros(len(gi), bool)
    if len(gi):
        tab = pd.DataFrame({"g": gi, "lay": la_, "ln": li_})
        nl = tab.groupby(["g", "lay"])["ln"].transform("nunique").to_numpy()
        multi_inner = nl >= 2
    split = np.zeros(len(line), bool)
    split[np.flatnonzero(inner)] = has_end[gi] | multi_inner
    is_node = is_end | split
    # number nodes by first appearance for determinism (factorize numbers them so)
    node_of_vertex, node_groups = pd.factorize(grp[is_node])
    gnode = np.full(ng, -1, np.int64)
    gnode[node_groups] = np.arange(len(node_groups))
    node_xy = np.empty((len(node_groups), 2))
    node_xy[node_of_vertex] = xy[is_node]

    # --- edges: cut each line at its node vertices --------------------------------
    report_progress(progress, 0.7, "building edges")
    starts = is_node & ~last
    edge_of = np.cumsum(starts) - 1
    dup = np.flatnonzero(split)              # interior nodes also end the previous edge
    e_idx = np.concatenate([edge_of, edge_of[dup] - 1])
    e_key = np.concatenate([key, key[dup]])
    e_xy = np.vstack([xy, xy[dup]])
    e_line = np.concatenate([line, line[dup]])
    e_grp = np.concatenate([grp, grp[dup]])
    order = np.lexsort((e_key, e_idx))
    e_idx, e_xy, e_line, e_grp = e_idx[order], e_xy[order], e_line[order], e_grp[order]
    n_edges = int(edge_of[-1]) + 1
    del line, key, xy, grp, e_key, order    # the vertex tables: the edges' copies are made
    efirst, elast = _ends(e_idx)
    u = gnode[e_grp[efirst]]
    v = gnode[e_grp[elast]]
    src_line = e_line[efirst]
    del e_grp, e_line
    # the edge geometry stays a coordinate table (``EdgeLines``): shapely lines are made
    # only when a caller reads ``Network.edges`` (about 265 bytes an edge saved here)
    lines = EdgeLines.from_line_index(e_xy, e_idx, n_edges)
    del e_xy, e_idx
    length = lines.lengths()
    speed = attrs["speed_kmh"].to_numpy(float)[src_line]
    # the edge table straight from arrays: one take per column, no intermediate frames
    columns = {"edge_id": np.arange(n_edges, dtype=np.int64), "u": u, "v": v,
               "length_m": length, "time_min": length / (speed * 1000.0 / 60.0)}
    for col in EDGE_COLUMNS[len(columns):] + ["source_row"]:
        columns[col] = attrs[col].to_numpy()[src_line]
    # copy=False: the arrays are fresh, so the frame takes them as they are (a frame built
    # with copies merges same-typed columns into blocks: 0.5 s at a million edges)
    edges = pd.DataFrame(columns, copy=False)
    nodes = finish_nodes(pd.DataFrame({"node_id": np.arange(len(node_xy))}), edges)
    net = Network(nodes=nodes, edges=edges, crs=crs, settings=settings, report=report,
                  directed=bool(ns.use_oneway), node_xy=node_xy, edge_lines=lines)
    _report_components(net, report, source)
    report_progress(progress, 1.0, "network built")
    return net


def _report_components(net: Network, report: LoadReport, source) -> None:
    comp = net.component_summary()
    if len(comp) <= 1:
        report.add(source, LAYER, f"network: {net.n_nodes} nodes, {net.n_edges} edges, "
                   "one connected component", severity="info", action="note")
        return
    small = comp.iloc[1:]
    report.add(source, LAYER, f"network: {net.n_nodes} nodes, {net.n_edges} edges, "
               f"{len(comp)} connected components; the largest has {int(comp.nodes.iat[0])} "
               f"nodes, the others {int(small.nodes.sum())} nodes in all "
               f"({small.length_m.sum():.0f} m of road). Each component is analysed on its "
               "own; a bridge never isolates anything beyond its component.",
               severity="warning" if small.length_m.sum() > 0.05 * comp.length_m.sum()
               else "info", action="note")
