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
from ._common import normalise_code, report_or_new, require_gdf, settings_or_default
from .travel import _ferry_mask

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
        Polygons with ``municipality_code`` (and ``municipality_name``), projected CRS.
    roads : GeoDataFrame, optional
        Road lines (same CRS); ``is_bridge`` marks bridges.  Used when
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
        require_gdf(roads, "roads")
        if roads.crs != munis.crs:
            raise InputError(f"roads CRS {roads.crs} differs from municipalities CRS {munis.crs}; "
                             "reproject one of them", source="roads")
        for i, j, reason, link in _road_links(munis, roads, tree, settings):
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


def _road_links(munis, roads, tree, settings):
    """Yield (i, j, reason, link_m) for municipalities joined by road lines."""
    snap = max(float(settings.network.snap_tolerance_m), 1e-6)
    geoms = munis.geometry.values
    is_bridge = roads["is_bridge"].fillna(False).astype(bool).to_numpy() if "is_bridge" in roads \
        else np.zeros(len(roads), dtype=bool)
    ferry = _ferry_mask(roads)
    lines, bridge_flag = [], []
    for geom, b, f in zip(roads.geometry.values, is_bridge, ferry):
        if f or geom is None or geom.is_empty:
            continue
        parts = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        for p in parts:
            if p.geom_type == "LineString" and len(p.coords) >= 2:
                lines.append(p)
                bridge_flag.append(bool(b))
    if not lines:
        return
    lines = np.array(lines, dtype=object)
    bridge_flag = np.array(bridge_flag)
    li, mi = tree.query(lines, predicate="intersects")
    hits = defaultdict(list)
    for a, b in zip(li, mi):
        hits[a].append(b)
    ends = np.array([[ln.coords[0][:2], ln.coords[-1][:2]] for ln in lines])   # (n, 2, 2)
    keys = np.round(ends.reshape(-1, 2) / snap).astype(np.int64)
    _, node = np.unique(keys, axis=0, return_inverse=True)
    node = node.ravel().reshape(-1, 2)
    n_nodes = int(node.max()) + 1
    parent = np.arange(n_nodes)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    labels = defaultdict(list)            # node -> [(muni, via_bridge)]
    connector_len = defaultdict(float)
    connector_bridge = set()
    connectors = []
    for k, line in enumerate(lines):
        cand = hits.get(k, [])
        if not cand:
            connectors.append(k)
            continue
        if len(cand) == 1:
            seq = [(cand[0], 0.0, line.length)]
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
            for m, s, e in seq:
                if prev is not None and m != prev[0]:
                    gap = max(0.0, s - prev[2])
                    yield prev[0], m, "bridge" if bridge_flag[k] else "road", gap
                if prev is None or e >= prev[2] or m != prev[0]:
                    prev = (m, s, e)
        if not seq:
            connectors.append(k)
            continue
        labels[node[k, 0]].append((seq[0][0], bridge_flag[k]))
        labels[node[k, 1]].append((seq[-1][0], bridge_flag[k]))
    for k in connectors:
        a, b = find(node[k, 0]), find(node[k, 1])
        if a != b:
            parent[a] = b
    for k in connectors:
        r = find(node[k, 0])
        connector_len[r] += lines[k].length
        if bridge_flag[k]:
            connector_bridge.add(r)
    by_root = defaultdict(list)
    for nd, labs in labels.items():
        by_root[find(nd)].extend(labs)
    for root, labs in by_root.items():
        munis_here = sorted({m for m, _ in labs})
        if len(munis_here) < 2:
            continue
        via_bridge = root in connector_bridge or any(b for _, b in labs)
        for x in range(len(munis_here)):
            for y in range(x + 1, len(munis_here)):
                yield munis_here[x], munis_here[y], "bridge" if via_bridge else "road", \
                    connector_len.get(root, 0.0)
