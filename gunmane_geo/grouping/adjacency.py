"""Which municipalities are neighbours: from real boundaries and from road links.

Real boundary layers (N03 and others) have gaps, slivers and overlaps of a few
metres, and islands that touch nothing.  Two municipalities are neighbours when

* ``boundary``: their polygons come within ``tolerance_m`` of each other; or
* ``bridge`` / ``road``: a road line (or a chain of road lines lying outside every
  polygon, such as a bridge over the sea) leads from one to the other.  Ferry
  lines (``is_ferry`` true or ``road_class == 'ferry'``) never join.

A municipality with no neighbour is reported (``report`` and ``.attrs['isolated']``)
and later forms a group of its own.
"""
from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.strtree import STRtree

from ..errors import InputError
from ..io.load_report import LoadReport
from ..settings import Settings
from ._common import normalise_code, report_or_new, require_gdf, settings_or_default, to_analysis_crs
from .travel import ferry_mask

ADJACENCY_COLUMNS = ["code_a", "code_b", "reason", "reasons", "distance_m", "link_m"]
_REASON_ORDER = ("boundary", "bridge", "road")


def prepare_municipalities(municipalities, report: LoadReport | None = None,
                           source: str = "municipalities") -> gpd.GeoDataFrame:
    """Canonical municipality polygons: one row per code, valid geometry, index = code.

    Rows without a code or without geometry are reported as skipped (N03 has
    所属未定地 rows without a code).  Several rows with one code (islands) are
    dissolved into one multipolygon.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Polygons with ``municipality_code`` and ``municipality_name`` in a projected CRS.

    Returns
    -------
    GeoDataFrame indexed by ``municipality_code`` with ``municipality_name`` and geometry.
    """
    report = report_or_new(report)
    require_gdf(municipalities, source, ("municipality_code",))
    gdf = municipalities.copy()
    gdf["municipality_code"] = [normalise_code(v) for v in gdf["municipality_code"]]
    if "municipality_name" not in gdf.columns:
        gdf["municipality_name"] = gdf["municipality_code"]
    gdf["municipality_name"] = gdf["municipality_name"].astype("string").fillna(gdf["municipality_code"])
    keep = np.ones(len(gdf), dtype=bool)
    for pos, (code, geom) in enumerate(zip(gdf["municipality_code"], gdf.geometry.values)):
        if code is None:
            keep[pos] = False
            report.add(source, "municipalities", "no municipality_code (e.g. N03 所属未定地); "
                       "left out of grouping: give it a code to include it",
                       row=pos + 1, severity="warning", action="skipped", field="municipality_code")
        elif geom is None or geom.is_empty:
            keep[pos] = False
            report.add(source, "municipalities", f"municipality {code} has no geometry; left out "
                       "of grouping: fix its polygon", row=pos + 1, feature_id=code,
                       severity="warning", action="skipped")
        elif geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            raise InputError(f"municipality {code} is a {geom.geom_type}; municipalities must be "
                             "polygons", source=source, row=pos + 1)
    gdf = gdf[keep]
    if gdf.empty:
        raise InputError("no municipality with a code and a polygon", source=source)
    geoms = shapely.make_valid(gdf.geometry.values)
    geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    extra = [c for c in ("prefecture_name", "kind") if c in gdf.columns]
    if gdf["municipality_code"].duplicated().any():
        first = gdf.groupby("municipality_code", sort=False)[["municipality_name", *extra]].first()
        geom = gdf.groupby("municipality_code", sort=False).geometry.agg(
            lambda s: shapely.union_all(s.values))
        out = gpd.GeoDataFrame(first, geometry=gpd.GeoSeries(geom, crs=gdf.crs), crs=gdf.crs)
    else:
        out = gdf.set_index("municipality_code")[["municipality_name", *extra, "geometry"]]
    out.index.name = "municipality_code"
    return out


def _polygonal(geom):
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return geom


def municipal_adjacency(municipalities, roads=None, tolerance_m: float | None = None,
                        settings: Settings | None = None,
                        report: LoadReport | None = None) -> pd.DataFrame:
    """Pairs of neighbouring municipalities, from boundaries and road links.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Polygons with ``municipality_code`` (and ``municipality_name``), projected CRS
        (the analysis CRS).
    roads : GeoDataFrame, optional
        Road lines, any CRS (reprojected to the municipalities' CRS, with a note in
        ``report``); ``is_bridge`` marks bridges.  Used when
        ``settings.grouping.adjacency_use_roads``.
    tolerance_m : float, optional
        Boundaries closer than this (metres) touch; default
        ``settings.grouping.adjacency_tolerance_m``.
    report : LoadReport, optional
        Receives one row per municipality with no neighbour.

    Returns
    -------
    DataFrame with columns ``code_a < code_b``, ``reason`` ('boundary', 'bridge' or
    'road', the first that applies), ``reasons`` (all, ';'-joined), ``distance_m``
    (gap between the polygons, 0 when they touch or overlap), ``link_m`` (length of
    road outside both polygons on the link, NaN for boundary-only pairs).
    ``.attrs['isolated']`` lists the codes with no neighbour.
    """
    settings = settings_or_default(settings)
    report = report_or_new(report)
    tol = float(settings.grouping.adjacency_tolerance_m if tolerance_m is None else tolerance_m)
    if tol < 0:
        raise InputError("tolerance_m must be >= 0", source="settings [grouping] adjacency_tolerance_m")
    munis = municipalities if municipalities.index.name == "municipality_code" and \
        "municipality_code" not in municipalities.columns else prepare_municipalities(municipalities, report)
    codes = munis.index.to_numpy()
    geoms = munis.geometry.values
    found: dict[tuple, dict] = {}

    def add(i, j, reason, distance=np.nan, link=np.nan):
        if i == j:
            return
        a, b = sorted((codes[i], codes[j]))
        rec = found.setdefault((a, b), {"reasons": set(), "distance_m": np.nan, "link_m": np.nan})
        rec["reasons"].add(reason)
        if np.isfinite(distance):
            rec["distance_m"] = distance if not np.isfinite(rec["distance_m"]) else min(rec["distance_m"], distance)
        if np.isfinite(link):
            rec["link_m"] = link if not np.isfinite(rec["link_m"]) else min(rec["link_m"], link)

    tree = STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=tol)
    mask = left < right
    left, right = left[mask], right[mask]
    dists = shapely.distance(geoms[left], geoms[right])
    for i, j, d in zip(left, right, dists):
        add(i, j, "boundary", distance=float(d))

    if roads is not None and settings.grouping.adjacency_use_roads and len(roads):
        roads = to_analysis_crs(roads, "roads", munis.crs, "municipalities", report)
        for i, j, reason, link in _road_links(munis, roads, settings):
            add(i, j, reason, link=link)

    rows = []
    for (a, b), rec in sorted(found.items()):
        ordered = [r for r in _REASON_ORDER if r in rec["reasons"]]
        rows.append({"code_a": a, "code_b": b, "reason": ordered[0], "reasons": ";".join(ordered),
                     "distance_m": rec["distance_m"], "link_m": rec["link_m"]})
    out = pd.DataFrame(rows, columns=ADJACENCY_COLUMNS)
    for col in ("code_a", "code_b", "reason", "reasons"):
        out[col] = out[col].astype(object)
    linked = set(out["code_a"]) | set(out["code_b"])
    isolated = [c for c in codes if c not in linked]
    names = munis["municipality_name"]
    for c in isolated:
        report.add("municipalities", "municipalities",
                   f"{names[c]} ({c}) has no neighbour: no boundary within {tol:g} m and no road or "
                   "bridge link (ferries do not count); it forms a group of its own",
                   feature_id=c, severity="warning", action="note")
    out.attrs["isolated"] = isolated
    out.attrs["tolerance_m"] = tol
    return out


def _road_links(munis, roads, settings):
    """Yield (i, j, reason, link_m) for municipalities joined by road lines.

    ``link_m`` is the shortest road length lying outside every polygon between the two
    (metres): the gap along one line crossing from one into the other, or the loose end
    of a line leaving i + the shortest chain of lines outside all polygons + the loose
    end of a line entering j.  Links longer than ``settings.grouping.adjacency_max_link_m``
    do not join.  ``reason`` is 'bridge' when a bridge line is on the link (on a line at
    either end, or needed by the shortest chain), else 'road'.
    """
    snap = max(float(settings.network.snap_tolerance_m), 1e-6)
    max_link = float(settings.grouping.adjacency_max_link_m)
    if not max_link > 0:
        raise InputError(f"adjacency_max_link_m must be > 0 (got {max_link:g}); use inf for no limit",
                         source="settings [grouping]")
    geoms = munis.geometry.values
    is_bridge = roads["is_bridge"].fillna(False).astype(bool).to_numpy() if "is_bridge" in roads \
        else np.zeros(len(roads), dtype=bool)
    ferry = ferry_mask(roads)
    keep = ~ferry & ~pd.isna(roads.geometry.values)
    rows = np.flatnonzero(keep)
    if not len(rows):
        return
    parts, part_row = shapely.get_parts(roads.geometry.values[rows], return_index=True)
    parts = shapely.force_2d(parts)
    ok = (shapely.get_type_id(parts) == 1) & (shapely.get_num_coordinates(parts) >= 2)
    lines = np.asarray(parts[ok], dtype=object)
    if not len(lines):
        return
    bridge_flag = is_bridge[rows[part_row[ok]]]
    length = shapely.length(lines)
    # query with the few polygons (prepared once) against a tree of the many lines
    polys = np.asarray(geoms, dtype=object)
    shapely.prepare(polys)
    mi, li = STRtree(lines).query(polys, predicate="intersects")
    hits = defaultdict(list)
    for a, b in zip(li, mi):
        hits[a].append(b)
    # a line meeting one polygon and lying wholly inside it needs no intersection
    single = np.array([k for k, c in hits.items() if len(c) == 1], dtype=np.int64)
    inside = np.zeros(len(lines), dtype=bool)
    if len(single):
        poly = polys[[hits[k][0] for k in single]]
        inside[single] = shapely.covers(poly, lines[single])        # prepared polygons
    starts = shapely.get_point(lines, 0)
    ends = shapely.get_point(lines, -1)
    end_xy = np.stack([shapely.get_coordinates(starts), shapely.get_coordinates(ends)], axis=1)
    keys = np.round(end_xy.reshape(-1, 2) / snap).astype(np.int64)
    _, node = np.unique(keys, axis=0, return_inverse=True)
    node = node.ravel().reshape(-1, 2)
    n_nodes = int(node.max()) + 1

    attach = []                     # (node, municipality, line is a bridge, loose end in metres)
    connectors = []
    for k in range(len(lines)):
        cand = hits.get(k, [])
        if not cand:
            connectors.append(k)
            continue
        line = lines[k]
        if inside[k]:
            seq = [(cand[0], 0.0, length[k])]
        else:
            seq = []
            for m in cand:
                inter = line.intersection(geoms[m])
                for part in getattr(inter, "geoms", [inter]):
                    if part.is_empty or part.geom_type not in ("LineString", "Point", "MultiLineString"):
                        continue
                    coords = list(part.coords) if part.geom_type != "MultiLineString" else \
                        [c for g in part.geoms for c in g.coords]
                    pos = [line.project(shapely.Point(c)) for c in (coords[0], coords[-1])]
                    seq.append((m, min(pos), max(pos)))
            seq.sort(key=lambda t: (t[1], t[2]))
            # consecutive different municipalities along the line are joined by it
            prev = None
            for m, st, en in seq:
                if prev is not None and m != prev[0]:
                    gap = max(0.0, st - prev[2])
                    if gap <= max_link:
                        yield prev[0], m, "bridge" if bridge_flag[k] else "road", gap
                if prev is None or en >= prev[2] or m != prev[0]:
                    prev = (m, st, en)
        if not seq:
            connectors.append(k)
            continue
        last = max(seq, key=lambda t: t[2])
        attach.append((node[k, 0], seq[0][0], bridge_flag[k], seq[0][1]))
        attach.append((node[k, 1], last[0], bridge_flag[k], max(0.0, length[k] - last[2])))
    if not attach:
        return
    yield from _chain_links(attach, np.asarray(connectors, dtype=np.int64), node, length,
                            bridge_flag, n_nodes, max_link)


def _chain_links(attach, connectors, node, length, bridge_flag, n_nodes, max_link, chunk=32):
    """Links through chains of lines outside every polygon (see ``_road_links``).

    Shortest chains by Dijkstra on the graph of those lines (metres), searched no farther
    than ``max_link``; a chain needs a bridge when it is longer without the bridge lines.
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components, dijkstra

    at_node = np.array([a[0] for a in attach], dtype=np.int64)
    at_muni = np.array([a[1] for a in attach], dtype=np.int64)
    at_bridge = np.array([a[2] for a in attach], dtype=bool)
    at_tail = np.array([a[3] for a in attach], dtype=float)
    keep = at_tail <= max_link
    at_node, at_muni, at_bridge, at_tail = at_node[keep], at_muni[keep], at_bridge[keep], at_tail[keep]
    cu, cv = node[connectors, 0], node[connectors, 1]
    w = np.maximum(length[connectors], 1e-9)
    loops = cu != cv

    def min_graph(mask):
        # parallel lines: the shortest (csr_matrix would add them up)
        u, v, ww = cu[mask & loops], cv[mask & loops], w[mask & loops]
        if not len(u):
            return sparse.csr_matrix((n_nodes, n_nodes))
        df = pd.DataFrame({"u": np.r_[u, v], "v": np.r_[v, u], "w": np.r_[ww, ww]})
        df = df.groupby(["u", "v"], sort=False)["w"].min().reset_index()
        return sparse.csr_matrix((df["w"].to_numpy(), (df["u"].to_numpy(), df["v"].to_numpy())),
                                 shape=(n_nodes, n_nodes))

    full = min_graph(np.ones(len(connectors), dtype=bool))
    cb = bridge_flag[connectors] if len(connectors) else np.zeros(0, dtype=bool)
    no_bridge = min_graph(~cb) if cb.any() else None
    _, comp = connected_components(full, directed=False)
    best: dict[tuple, tuple] = {}
    at_comp = comp[at_node]
    # only the components reached from two or more municipalities can join any
    n_munis = pd.DataFrame({"c": at_comp, "m": at_muni}).groupby("c")["m"].nunique()
    for c in n_munis.index[n_munis.to_numpy() >= 2]:
        idx = np.flatnonzero(at_comp == c)
        src = np.unique(at_node[idx])
        for s0 in range(0, len(src), chunk):
            block = src[s0:s0 + chunk]
            d = dijkstra(full, directed=True, indices=block, limit=max_link)
            d_nb = dijkstra(no_bridge, directed=True, indices=block, limit=max_link) \
                if no_bridge is not None else d
            row_of = {n: r for r, n in enumerate(block)}
            rows_e = [e for e in idx if at_node[e] in row_of]
            for e in rows_e:
                r = row_of[at_node[e]]
                dist = at_tail[e] + d[r, at_node[idx]] + at_tail[idx]
                other = (at_muni[idx] != at_muni[e]) & (dist <= max_link)
                if not other.any():
                    continue
                needs_bridge = d_nb[r, at_node[idx]] > d[r, at_node[idx]] + 1e-6
                for f in np.flatnonzero(other):
                    t = idx[f]
                    a, b = sorted((int(at_muni[e]), int(at_muni[t])))
                    via = bool(at_bridge[e] or at_bridge[t] or needs_bridge[f])
                    cur = best.get((a, b))
                    if cur is None or dist[f] < cur[0] - 1e-9 or (abs(dist[f] - cur[0]) <= 1e-9 and via):
                        best[(a, b)] = (float(dist[f]), via)
    for (a, b), (dist, via) in sorted(best.items()):
        yield a, b, "bridge" if via else "road", dist
