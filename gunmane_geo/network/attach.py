"""Attaching bridges, population and facilities to a ``Network``.

Bridges (inventory points or bridge lines) are matched to the road edge that
carries them and the edge is split so that each bridge is an edge of its own.
Population (raster or polygons/points) and facilities are allotted to nodes.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from shapely.ops import substring

from ..errors import InputError, report_progress
from ..io.load_report import LoadReport
from ..schema import FACILITY_TYPES, parse_facility_type
from ..settings import Settings
from .build import is_missing, text_column
from .graph import Network, finish_nodes

MATCH_COLUMNS = ["bridge_id", "matched", "edge_id", "u", "v", "snap_distance_m", "match_rule",
                 "ambiguous_match", "match_competitors", "n_candidates", "nearest_edge_m",
                 "reason"]


def _norm_route(v) -> str:
    if v is None or is_missing(v):
        return ""
    return "".join(str(v).split()).lower()


def _to_crs(gdf, network, source, what, report):
    if gdf.crs is None:
        raise InputError(f"{what} have no CRS; set it (the network is in "
                         f"{network.crs.to_string()})", source=source)
    if not gdf.crs.equals(network.crs):
        report.add(source, what, f"reprojected from {gdf.crs.to_string()} to the network CRS "
                   f"{network.crs.to_string()}", severity="info", action="note")
        gdf = gdf.to_crs(network.crs)
    return gdf


# --- bridges ------------------------------------------------------------------------
def attach_bridges(network: Network, bridges: gpd.GeoDataFrame, rivers=None,
                   settings: Settings | None = None, report: LoadReport | None = None,
                   source: str = "bridges", progress=None):
    """Match inventory bridges to road edges and make each bridge its own edge.

    Matching, per bridge (documented in docs/criticality.md):

    1. A road edge whose ``bridge_id`` equals the inventory ``bridge_id`` (an explicit
       link in the road data) wins, whatever the distance (a distance beyond the
       tolerance is reported as a warning).
    2. Otherwise the candidates are the edges within ``bridge_match_tolerance_m`` of the
       bridge.  A bridge *line* goes to the edge that runs along it for the longest stretch
       (overlap; ``match_rule = "line_overlap"``), so a road it crosses never wins.  For a
       bridge *point* each candidate scores one point for a matching ``route_name``
       (spaces and case ignored) and one point for being a bridge line in the road data or
       crossing a river of ``rivers``; the highest score wins, then the nearest.  When a
       road in another direction (over 30 degrees; another route name, or road id when
       unnamed) scores the same and lies within ``ambiguous_match_m`` of the chosen one,
       the match is flagged ``ambiguous_match`` with the competing roads in
       ``match_competitors`` and a warning in the report (a bridge point near a crossing).
    3. No candidate: the bridge is unmatched, reported with the distance to the
       nearest edge, and kept in the output with ``matched`` False.

    A matched ordinary edge is split around the bridge point: the bridge edge is
    ``length_m`` of the inventory (or the bridge line's length, or
    ``settings.network.default_bridge_length_m``) long, centred on the point and
    clipped to the edge; pieces shorter than ``snap_tolerance_m`` are not created.
    Edges that already are bridge lines are used whole.

    Parameters
    ----------
    network : Network
    bridges : GeoDataFrame
        Points or lines with at least ``bridge_id``; optional ``route_name``,
        ``length_m`` (m), ``aadt``.  Reprojected to the network CRS if needed.
    rivers : GeoDataFrame, optional
        River lines or polygons, used only to prefer candidates that cross a river.

    Returns
    -------
    (Network, GeoDataFrame)
        The network with bridge edges (``is_bridge`` True, ``bridge_id`` set) and
        ``network.bridges`` filled, and the match table: every input bridge with the
        bridge attributes plus ``matched``, ``edge_id``, ``u``, ``v``,
        ``snap_distance_m`` (m), ``match_rule``, ``ambiguous_match``,
        ``match_competitors``, ``n_candidates``, ``nearest_edge_m``, ``reason``;
        geometry = the input geometry.
    """
    settings = settings or network.settings
    ns = settings.network
    report = report if report is not None else network.report
    if not isinstance(bridges, gpd.GeoDataFrame):
        raise InputError(f"bridges must be a GeoDataFrame, got {type(bridges).__name__}",
                         source=source)
    if "bridge_id" not in bridges.columns:
        raise InputError("bridges have no 'bridge_id' column; give each bridge an id "
                         "(橋梁ID / 施設ID), e.g. load them with gunmane_geo.io.read_bridges",
                         source=source)
    bridges = _to_crs(bridges, network, source, "bridges", report).reset_index(drop=True)
    bid = text_column(bridges, "bridge_id")
    missing = np.flatnonzero(np.array([b is None for b in bid]))
    if len(missing):
        raise InputError(f"{len(missing)} bridges have no bridge_id (first at row "
                         f"{missing[0] + 1}); every bridge needs a unique id", source=source,
                         row=int(missing[0] + 1), field="bridge_id")
    dup = pd.Series(bid).duplicated(keep=False).to_numpy()
    if dup.any():
        names = sorted(set(bid[dup]))[:10]
        raise InputError(f"duplicate bridge_id values {names}: ids must be unique "
                         "(rows " + ", ".join(str(i + 1) for i in np.flatnonzero(dup)[:10])
                         + ")", source=source, field="bridge_id")
    tol = float(ns.bridge_match_tolerance_m)
    nb = len(bridges)
    edges = network.edges
    geoms = bridges.geometry.to_numpy()
    empty = pd.isna(geoms) | shapely.is_empty(geoms)
    gtype = np.where(empty, -1, shapely.get_type_id(np.where(empty, None, geoms)))
    is_line = np.isin(gtype, [1, 5])
    pts = np.empty(nb, dtype=object)
    lines_ = ~empty & (gtype == 1)
    multi_ = ~empty & (gtype == 5)
    pts[lines_] = shapely.line_interpolate_point(geoms[lines_], 0.5, normalized=True)
    if multi_.any():
        merged = shapely.line_merge(geoms[multi_])
        pts[multi_] = [g.interpolate(0.5, normalized=True) if g.geom_type == "LineString"
                       else g.centroid for g in merged]
    pts[~empty & ~is_line] = shapely.point_on_surface(geoms[~empty & ~is_line])
    length = (pd.to_numeric(bridges["length_m"], errors="coerce").to_numpy(float)
              if "length_m" in bridges.columns else np.full(nb, np.nan))
    line_len = np.where(is_line, shapely.length(np.where(is_line, geoms, None)), np.nan)
    span = np.where(np.isfinite(length) & (length > 0), length,
                    np.where(np.isfinite(line_len) & (line_len > 0), line_len,
                             float(ns.default_bridge_length_m)))
    broute = np.array([_norm_route(v) for v in text_column(bridges, "route_name")])

    out = pd.DataFrame({"bridge_id": bid, "matched": False, "edge_id": -1,
                        "snap_distance_m": np.nan, "match_rule": None,
                        "n_candidates": 0, "nearest_edge_m": np.nan, "reason": None})
    report_progress(progress, 0.0, "matching bridges")
    egeom = edges.geometry.to_numpy()
    tree = shapely.STRtree(egeom)
    ok = np.flatnonzero(~empty)
    # nearest distance for every bridge (reported for unmatched ones)
    if len(ok):
        _, nd = tree.query_nearest(pts[ok], return_distance=True, all_matches=False)
        out.loc[ok, "nearest_edge_m"] = nd
    # (1) explicit links in road data
    ebid = edges["bridge_id"].to_numpy(object)
    linked = {}
    for e in np.flatnonzero(pd.notna(ebid)):
        linked.setdefault(str(ebid[e]), []).append(e)
    chosen = np.full(nb, -1, np.int64)
    rule = np.full(nb, None, object)
    dist = np.full(nb, np.nan)
    for i in ok:
        cand = linked.get(bid[i])
        if cand:
            d = shapely.distance(pts[i], egeom[cand])
            j = int(np.argmin(d))
            chosen[i], rule[i], dist[i] = cand[j], "road_bridge_id", float(d[j])
            out.at[i, "n_candidates"] = len(cand)
            if d[j] > tol:
                report.add(source, "bridges", f"bridge matched by bridge_id to road "
                           f"'{edges.road_id.iat[cand[j]]}' although its point is "
                           f"{d[j]:.1f} m away (tolerance {tol} m): check its coordinates",
                           row=int(i + 1), feature_id=bid[i], severity="warning",
                           action="note", field="geometry")
    # (2) candidates within tolerance: points by distance, lines by overlap
    todo = np.array([i for i in ok if chosen[i] < 0], dtype=np.int64)
    ambiguous = np.zeros(nb, bool)
    competitors = np.full(nb, None, object)
    if len(todo):
        as_line = is_line[todo]
        query_geom = np.where(as_line, geoms[todo], pts[todo])
        pi, ei = tree.query(query_geom, predicate="dwithin", distance=tol)
        if len(pi):
            d = shapely.distance(pts[todo][pi], egeom[ei])
            overlap = np.zeros(len(pi))
            lp = np.flatnonzero(as_line[pi])
            if len(lp):       # a bridge line: how much of each edge runs along it
                overlap[lp] = shapely.length(shapely.intersection(
                    egeom[ei[lp]], shapely.buffer(geoms[todo][pi[lp]], max(tol / 3.0, 1.0))))
            eroute = np.array([_norm_route(v) for v in edges["route_name"].to_numpy(object)])
            route_ok = (broute[todo][pi] != "") & (broute[todo][pi] == eroute[ei])
            struct = edges["is_bridge"].to_numpy(bool)[ei].copy()
            if rivers is not None and len(rivers):
                rivers = _to_crs(rivers, network, "rivers", "rivers", report)
                rtree = shapely.STRtree(rivers.geometry.to_numpy())
                ue = np.unique(ei)
                hit_e, _ = rtree.query(egeom[ue], predicate="intersects")
                crosses = np.zeros(len(edges), bool)
                crosses[ue[np.unique(hit_e)]] = True
                struct |= crosses[ei]
            score = route_ok.astype(int) + struct.astype(int)
            order = np.lexsort((ei, d, -score, -np.round(overlap, 1), pi))
            pi_s, ei_s, d_s, sc_s = pi[order], ei[order], d[order], score[order]
            first = np.ones(len(pi_s), bool)
            first[1:] = pi_s[1:] != pi_s[:-1]
            ncand = np.bincount(pi, minlength=len(todo))
            starts = np.flatnonzero(first)
            stops = np.append(starts[1:], len(pi_s))
            rule_line = as_line[pi_s]
            for k0, k1 in zip(starts, stops):
                p, e, dd = pi_s[k0], ei_s[k0], d_s[k0]
                ro, st = route_ok[order][k0], struct[order][k0]
                i = todo[p]
                chosen[i], dist[i] = e, dd
                rule[i] = ("line_overlap" if rule_line[k0] else
                           "route_name+structure" if ro and st else "route_name" if ro
                           else "structure" if st else "nearest")
                out.at[i, "n_candidates"] = int(ncand[p])
                if not rule_line[k0]:
                    rivals = _rivals(edges, egeom, pts[i], e, ei_s[k0 + 1:k1], d_s[k0 + 1:k1],
                                     sc_s[k0 + 1:k1], sc_s[k0], dd,
                                     float(ns.ambiguous_match_m))
                    if rivals:
                        ambiguous[i] = True
                        competitors[i] = rivals
    for i in np.flatnonzero(ambiguous):
        report.add(source, "bridges", f"ambiguous match: the bridge point is as near to other "
                   f"roads as to the one chosen ({competitors[i]}); check which road it carries "
                   "(give a line geometry, a route_name, or a rivers layer to decide)",
                   row=int(i + 1), feature_id=bid[i], severity="warning", action="note",
                   field="geometry")
    if ambiguous.any():
        report.add(source, "bridges", f"{int(ambiguous.sum())} bridges matched ambiguously "
                   "(ambiguous_match = true): another road in another direction was within "
                   f"{float(ns.ambiguous_match_m):g} m of the chosen one and no rule (route "
                   "name, bridge line, river crossing) told them apart", severity="warning",
                   action="note", field="geometry")
    for i in range(nb):
        if empty[i]:
            out.at[i, "reason"] = "no geometry"
        elif chosen[i] < 0:
            out.at[i, "reason"] = (f"no road within {tol:g} m (nearest road "
                                   f"{out.at[i, 'nearest_edge_m']:.1f} m away)")
        if chosen[i] < 0:
            report.add(source, "bridges", f"bridge not matched to a road: {out.at[i, 'reason']};"
                       " it is kept in the outputs with matched = false (raise "
                       "[network] bridge_match_tolerance_m or fix its position)",
                       row=int(i + 1), feature_id=bid[i], severity="warning",
                       action="unmatched", field="geometry")

    # --- split edges so that each bridge is its own edge ---------------------------
    report_progress(progress, 0.5, "splitting edges at bridges")
    m = np.flatnonzero(chosen >= 0)
    is_struct = edges["is_bridge"].to_numpy(bool)
    new_edges, bridge_edge = _split_for_bridges(network, chosen, m, pts, span, bid, is_struct,
                                                float(ns.snap_tolerance_m))
    # shared structure edges are reported
    eb = pd.Series(bridge_edge[m], index=bid[m])
    for e, grp in eb.groupby(eb):
        if len(grp) > 1:
            report.add(source, "bridges", f"bridges {list(grp.index)} are matched to the same "
                       f"road edge (road '{new_edges['road_id'].iat[e]}'); they share its "
                       "criticality", severity="warning", action="note")
    net = network.replace(edges=new_edges[0] if isinstance(new_edges, tuple) else new_edges)
    nodes_new = new_edges.attrs.pop("_nodes", None)
    if nodes_new is not None:
        net = net.replace(nodes=nodes_new)
    u = net.edges["u"].to_numpy(); v = net.edges["v"].to_numpy()
    out["matched"] = chosen >= 0
    out["edge_id"] = np.where(chosen >= 0, bridge_edge, -1)
    out["u"] = np.where(chosen >= 0, u[np.maximum(bridge_edge, 0)], -1)
    out["v"] = np.where(chosen >= 0, v[np.maximum(bridge_edge, 0)], -1)
    out["snap_distance_m"] = dist
    out["match_rule"] = rule
    out["ambiguous_match"] = ambiguous
    out["match_competitors"] = competitors
    attrs = bridges.drop(columns=[c for c in bridges.columns
                                  if c in out.columns or c == bridges.geometry.name])
    table = pd.concat([out, attrs], axis=1)
    matches = gpd.GeoDataFrame(table, geometry=bridges.geometry.to_numpy(), crs=net.crs)
    net = net.replace(bridges=matches)
    n_un = int((~matches["matched"]).sum())
    report.add(source, "bridges", f"{nb - n_un} of {nb} bridges matched to road edges"
               + (f"; {n_un} unmatched (listed above)" if n_un else ""),
               severity="warning" if n_un else "info", action="note")
    report_progress(progress, 1.0, "bridges attached")
    return net, matches


def _rivals(edges, egeom, pt, best, cand, dist, score, best_score, best_d, within_m):
    """The roads that compete with the chosen edge ``best`` for a bridge point: another road
    (route name, or road id when unnamed), in another direction (over 30 degrees), as good by
    the rules (same score) and at most ``within_m`` metres farther.  Returns their text or
    ``""``."""
    def road(e):
        name = edges["route_name"].iat[e]
        return str(name) if isinstance(name, str) and name.strip() else str(edges["road_id"].iat[e])

    def heading(e):
        g = egeom[e]
        s = g.project(pt)
        a = g.interpolate(max(0.0, s - 2.0))
        b = g.interpolate(min(g.length, s + 2.0))
        return np.degrees(np.arctan2(b.y - a.y, b.x - a.x)) % 180.0

    out, seen = [], {road(best)}
    h0 = heading(best)
    for e, d, sc in zip(cand, dist, score):
        if sc != best_score or d - best_d > within_m:
            continue
        r = road(e)
        turn = abs(heading(e) - h0)
        if r in seen or min(turn, 180.0 - turn) <= 30.0:
            continue
        seen.add(r)
        out.append(f"road {r} {d:.1f} m")
    return "; ".join(out) if out else ""


def require_some_matched(matches, settings: Settings | None = None,
                         source: str = "bridges") -> None:
    """Raise ``InputError`` when not one bridge of the match table (``attach_bridges``) is
    on the network: the run would measure nothing, and the cause is almost always a wrong
    CRS or the wrong file (docs/errors.md).  Some unmatched bridges are fine: they stay in
    the outputs with ``matched`` False."""
    if matches is None or not len(matches) or matches["matched"].to_numpy(bool).any():
        return
    tol = float((settings or Settings()).network.bridge_match_tolerance_m)
    near = pd.to_numeric(matches["nearest_edge_m"], errors="coerce").to_numpy(float)
    near = np.nanmin(near) if np.isfinite(near).any() else np.nan
    raise InputError(
        f"none of the {len(matches)} bridges lies within {tol:g} m of a road"
        + (f" (the nearest is {near:,.0f} m away)" if np.isfinite(near) else "")
        + "; fix: check that the bridge and road layers have the right CRS and cover the "
          "same area (open both in QGIS), or raise [network] bridge_match_tolerance_m",
        source=source, field="geometry")


def _split_for_bridges(network, chosen, matched, pts, span, bid, is_struct, min_piece):
    """Split matched ordinary edges; returns (new edges frame, bridge edge id per bridge)."""
    edges = network.edges.copy()
    edges["bridge_id"] = edges["bridge_id"].astype(object)
    nodes = network.nodes
    bridge_edge = np.full(len(chosen), -1, np.int64)
    by_edge: dict[int, list[int]] = {}
    for i in matched:
        e = int(chosen[i])
        if is_struct[e]:
            bridge_edge[i] = e
            if is_missing(edges.at[e, "bridge_id"]) or edges.at[e, "bridge_id"] is None:
                edges.at[e, "bridge_id"] = bid[i]
        else:
            by_edge.setdefault(e, []).append(i)
    new_rows, new_geoms, new_nodes = [], [], []
    next_edge = len(edges)
    next_node = len(nodes)
    geom_col = edges.geometry.name
    for e, items in by_edge.items():
        g = edges.geometry.iat[e]
        L = g.length
        s = np.array([g.project(pts[i]) for i in items])
        order = np.argsort(s, kind="stable")
        items = [items[k] for k in order]
        s = s[order]
        half = np.array([span[i] for i in items]) / 2.0
        a = np.clip(s - half, 0.0, L)
        b = np.clip(s + half, 0.0, L)
        # neighbouring bridges on one edge: cut at the midpoint between their points
        for k in range(1, len(items)):
            if a[k] < b[k - 1]:
                mid = (s[k - 1] + s[k]) / 2.0
                b[k - 1] = max(min(b[k - 1], mid), a[k - 1])
                a[k] = min(max(a[k], mid), b[k])
        # pieces: gap, bridge, gap, bridge, ..., gap; slivers < min_piece are absorbed
        cuts = [0.0]
        spans = []          # (piece index, bridge row)
        for k in range(len(items)):
            if cuts[-1] >= L:
                spans.append((len(cuts) - 2, items[k]))
                continue
            if a[k] - cuts[-1] >= min_piece:
                cuts.append(a[k])
            start = cuts[-1]
            end = max(b[k], min(L, start + min_piece))
            if L - end < min_piece:
                end = L
            spans.append((len(cuts) - 1, items[k]))
            cuts.append(end)
        if cuts[-1] < L:
            if L - cuts[-1] < min_piece:
                cuts[-1] = L
            else:
                cuts.append(L)
        cuts = np.array(cuts)
        # one piece per consecutive pair of cuts
        piece_ids = []
        piece_nodes = [int(edges.at[e, "u"])]
        for k in range(1, len(cuts) - 1):
            p = g.interpolate(cuts[k])
            new_nodes.append(p)
            piece_nodes.append(next_node)
            next_node += 1
        piece_nodes.append(int(edges.at[e, "v"]))
        row = edges.loc[e].to_dict()
        for k in range(len(cuts) - 1):
            geom = substring(g, cuts[k], cuts[k + 1])
            if geom.geom_type != "LineString":  # pragma: no cover - degenerate
                geom = shapely.LineString([geom.coords[0], geom.coords[0]])
            r = dict(row)
            r["u"], r["v"] = piece_nodes[k], piece_nodes[k + 1]
            r["length_m"] = geom.length
            r["time_min"] = geom.length / (float(row["speed_kmh"]) * 1000.0 / 60.0)
            r[geom_col] = geom
            if k == 0:
                pid = e
            else:
                pid = next_edge
                next_edge += 1
            r["edge_id"] = pid
            r["bridge_id"] = None
            r["is_bridge"] = False
            piece_ids.append(pid)
            new_rows.append(r)
        for k, i in spans:
            bridge_edge[i] = piece_ids[k]
        for k, i in spans:
            rr = new_rows[len(new_rows) - len(piece_ids) + k]
            if rr["bridge_id"] is None:
                rr["bridge_id"] = bid[i]
                rr["is_bridge"] = True
    if new_rows:
        first_rows = [r for r in new_rows if r["edge_id"] < len(edges)]
        added = [r for r in new_rows if r["edge_id"] >= len(edges)]
        for r in first_rows:
            e = r["edge_id"]
            for col, val in r.items():
                if col == geom_col:
                    continue
                edges.at[e, col] = val
        edges.loc[[r["edge_id"] for r in first_rows], geom_col] = gpd.GeoSeries(
            [r[geom_col] for r in first_rows],
            index=[r["edge_id"] for r in first_rows], crs=edges.crs)
        if added:
            add = gpd.GeoDataFrame(pd.DataFrame(added).drop(columns=[geom_col]),
                                   geometry=[r[geom_col] for r in added], crs=edges.crs)
            add = add.rename_geometry(geom_col) if geom_col != "geometry" else add
            edges = pd.concat([edges, add[edges.columns]], ignore_index=True)
        edges = gpd.GeoDataFrame(edges, geometry=geom_col, crs=network.crs)
    for col, dt in (("u", np.int64), ("v", np.int64), ("edge_id", np.int64)):
        edges[col] = edges[col].astype(dt)
    edges["is_bridge"] = edges["is_bridge"].astype(bool)
    if new_nodes:
        add_nodes = gpd.GeoDataFrame({"node_id": np.arange(len(nodes), next_node)},
                                     geometry=new_nodes, crs=network.crs)
        nodes = pd.concat([nodes, add_nodes], ignore_index=True)
        nodes = gpd.GeoDataFrame(nodes, geometry=nodes.geometry.name, crs=network.crs)
    edges.attrs["_nodes"] = finish_nodes(nodes, edges)
    return edges, bridge_edge


def bridges_from_roads(network: Network, source: str = "roads"):
    """Use the road data's own bridge lines (``is_bridge``) as the bridges (OSM case).

    Each bridge edge becomes one bridge: ``bridge_id`` is the road's ``bridge_id``
    when given, else ``"<road_id>"`` (``"<road_id>#<k>"`` when one road line gave
    several bridge edges).  Returns ``(network, bridges)`` like ``attach_bridges``.
    """
    edges = network.edges.copy()
    e = np.flatnonzero(edges["is_bridge"].to_numpy(bool))
    rid = edges["road_id"].to_numpy(object)[e]
    given = edges["bridge_id"].to_numpy(object)[e]
    ids = []
    seen: dict[str, int] = {}
    counts = pd.Series(rid).value_counts()
    for r, gv in zip(rid, given):
        if gv is not None and not is_missing(gv):
            base = str(gv)
        else:
            base = str(r)
        if counts.get(r, 0) > 1 or base in seen:
            seen[base] = seen.get(base, 0) + 1
            ids.append(f"{base}#{seen[base]}")
        else:
            seen[base] = 1
            ids.append(base)
    edges["bridge_id"] = edges["bridge_id"].astype(object)
    edges.loc[e, "bridge_id"] = ids
    u = edges["u"].to_numpy()[e]; v = edges["v"].to_numpy()[e]
    table = pd.DataFrame({"bridge_id": ids, "matched": True, "edge_id": e, "u": u, "v": v,
                          "snap_distance_m": 0.0, "match_rule": "road_is_bridge",
                          "ambiguous_match": False, "match_competitors": None,
                          "n_candidates": 1, "nearest_edge_m": 0.0, "reason": None,
                          "road_id": rid,
                          "route_name": edges["route_name"].to_numpy(object)[e],
                          "road_class": edges["road_class"].to_numpy(object)[e],
                          "length_m": edges["length_m"].to_numpy(float)[e]})
    matches = gpd.GeoDataFrame(table, geometry=edges.geometry.to_numpy()[e], crs=network.crs)
    network.report.add(source, "bridges", f"{len(e)} bridge lines of the road data used as "
                       "the bridges (no bridge inventory given)", severity="info",
                       action="note")
    net = network.replace(edges=edges, bridges=matches)
    return net, matches


# --- population -------------------------------------------------------------------
def settlement_nodes(network: Network) -> np.ndarray:
    """Node ids that population and facilities are allotted to: the nodes on a motor road.

    People and facilities are reached by car as well as on foot, so they sit on the motor
    network (a footpath node would hide them from the vehicle measures); a network with no
    motor road at all uses every node.
    """
    u, v = network.uv()
    motor = network.mode_edges("motor")
    on = np.zeros(network.n_nodes, bool)
    on[u[motor]] = True
    on[v[motor]] = True
    return np.flatnonzero(on) if on.any() else np.arange(network.n_nodes)


def attach_population(network: Network, population, settings: Settings | None = None,
                      report: LoadReport | None = None, source: str = "population") -> Network:
    """Allot population to network nodes, once (earlier allotments are replaced).

    Parameters
    ----------
    population : PopulationRaster, str/Path of a raster, or GeoDataFrame
        A raster: each cell's value (persons) goes to the node nearest to the cell
        centre (the raster CRS is reprojected to the network CRS).  A GeoDataFrame
        with a ``population`` column: points go to the nearest node; each polygon is
        split equally between the nodes inside it, or goes to the node nearest to its
        representative point when none is inside.

    Returns
    -------
    Network
        With ``nodes.population`` (persons).  Population farther than
        ``settings.network.population_max_snap_m`` from its node is still allotted,
        and reported.  Negative and no-data values are skipped and reported.
    """
    from ..io.region import PopulationRaster

    settings = settings or network.settings
    report = report if report is not None else network.report
    if network.n_nodes == 0:
        raise InputError("the network has no nodes", source=source)
    cand = settlement_nodes(network)
    node_xy = np.column_stack([network.nodes.geometry.x, network.nodes.geometry.y])[cand]
    kd = cKDTree(node_xy)

    class _Tree:            # nearest candidate node, as a network node id
        @staticmethod
        def query(xy):
            d, k = kd.query(xy)
            return d, cand[np.asarray(k, np.int64)]

    tree = _Tree()
    max_d = float(settings.network.population_max_snap_m)
    pop = np.zeros(network.n_nodes)
    if isinstance(population, (str,)) or hasattr(population, "__fspath__") or \
            isinstance(population, PopulationRaster):
        path = population.path if isinstance(population, PopulationRaster) else population
        crs = population.crs if isinstance(population, PopulationRaster) else None
        xy, val, source = _raster_cells(path, crs, network.crs, report)
        d, nn = tree.query(xy) if len(xy) else (np.zeros(0), np.zeros(0, int))
        np.add.at(pop, nn, val)
        far = d > max_d
        total = float(val.sum())
        kind = "cells"
    elif isinstance(population, gpd.GeoDataFrame):
        if "population" not in population.columns:
            raise InputError("population layer has no 'population' column (persons); "
                             "name the column population / 人口 / 総数", source=source)
        gdf = _to_crs(population, network, source, "population", report).reset_index(drop=True)
        val = pd.to_numeric(gdf["population"], errors="coerce").to_numpy(float)
        geoms = gdf.geometry.to_numpy()
        bad = ~np.isfinite(val) | (val < 0) | pd.isna(geoms) | shapely.is_empty(geoms)
        for i in np.flatnonzero(bad):
            report.add(source, "population", f"population value {gdf['population'].iat[i]!r} "
                       "is missing or negative, or the feature has no geometry: skipped",
                       row=int(i + 1), severity="warning", action="skipped", field="population")
        ok = np.flatnonzero(~bad & (val > 0))
        is_poly = np.isin(shapely.get_type_id(geoms[ok]), [3, 6])
        far = np.zeros(len(ok), bool)
        d_all = np.zeros(len(ok))
        poly = ok[is_poly]
        inside_done = np.zeros(len(ok), bool)
        if len(poly):
            ntree = shapely.STRtree(network.nodes.geometry.to_numpy()[cand])
            pi, ni = ntree.query(geoms[poly], predicate="contains")
            ni = cand[ni]
            cnt = np.bincount(pi, minlength=len(poly))
            np.add.at(pop, ni, val[poly][pi] / cnt[pi])
            inside_done[np.flatnonzero(is_poly)[cnt > 0]] = True
        rest = np.flatnonzero(~inside_done)
        if len(rest):
            rp = shapely.point_on_surface(geoms[ok[rest]])
            d, nn = tree.query(shapely.get_coordinates(rp))
            np.add.at(pop, nn, val[ok[rest]])
            d_all[rest] = d
            far[rest] = d > max_d
        val = val[ok]
        total = float(val.sum())
        kind = "features"
    else:
        raise InputError(f"population must be a raster path, a PopulationRaster or a "
                         f"GeoDataFrame, got {type(population).__name__}", source=source)
    if far.any():
        report.add(source, "population", f"{int(far.sum())} population {kind} "
                   f"({val[far].sum():.0f} persons) are farther than {max_d:g} m from any road "
                   "node; allotted to the nearest node anyway", severity="warning",
                   action="note")
    report.add(source, "population", f"{total:.0f} persons allotted to "
               f"{int((pop > 0).sum())} network nodes", severity="info", action="note")
    nodes = network.nodes.copy()
    nodes["population"] = pop
    net = network.replace(nodes=nodes)
    net._cache = {k: v for k, v in network._cache.items() if k.startswith(("csr", "w:"))}
    return net


def _raster_cells(path, crs, target_crs, report):
    """Cell centres (in ``target_crs``) and values of the positive cells of band 1."""
    import rasterio
    from pyproj import Transformer

    source = str(path)
    try:
        ds = rasterio.open(path)
    except Exception as exc:  # rasterio raises its own error types
        raise InputError(f"cannot open population raster: {exc}", source=source) from None
    with ds:
        arr = ds.read(1, masked=True).astype(float)
        transform = ds.transform
        rcrs = crs or ds.crs
    if rcrs is None:
        raise InputError("population raster has no CRS; set one (e.g. EPSG:6668)",
                         source=source)
    data = np.ma.filled(arr, np.nan)
    neg = np.isfinite(data) & (data < 0)
    if neg.any():
        report.add(source, "population", f"{int(neg.sum())} raster cells have negative values "
                   "(treated as no data)", severity="warning", action="skipped")
    rows, cols = np.nonzero(np.isfinite(data) & (data > 0))
    val = data[rows, cols]
    xs = transform.c + (cols + 0.5) * transform.a + (rows + 0.5) * transform.b
    ys = transform.f + (cols + 0.5) * transform.d + (rows + 0.5) * transform.e
    tr = Transformer.from_crs(rcrs, target_crs, always_xy=True)
    x2, y2 = tr.transform(xs, ys)
    return np.column_stack([x2, y2]), val, source


# --- facilities -------------------------------------------------------------------
def attach_facilities(network: Network, facilities: gpd.GeoDataFrame,
                      settings: Settings | None = None, report: LoadReport | None = None,
                      source: str = "facilities") -> Network:
    """Snap facilities (hospitals, schools, offices, fire stations, ...) to their nearest node.

    Returns the network with ``network.facilities`` (``facility_id``, ``name``,
    ``facility_type``, ``node_id``, ``snap_distance_m`` in metres) and the node
    counts ``n_facilities`` and ``n_<type>`` (other types count in
    ``n_other_facility``).  Facilities without geometry are skipped and reported;
    those farther than ``population_max_snap_m`` from any node are reported.
    """
    settings = settings or network.settings
    report = report if report is not None else network.report
    if not isinstance(facilities, gpd.GeoDataFrame):
        raise InputError("facilities must be a GeoDataFrame", source=source)
    if "facility_type" not in facilities.columns:
        raise InputError("facilities have no 'facility_type' column (hospital, school, "
                         "office, fire_station; 病院, 学校, 役所, 消防署)", source=source)
    fac = _to_crs(facilities, network, source, "facilities", report).reset_index(drop=True)
    fid = text_column(fac, "facility_id")
    fid = np.array([f if f is not None else f"facility{i + 1}" for i, f in enumerate(fid)],
                   dtype=object)
    name = text_column(fac, "name")
    ftype = []
    for i, v in enumerate(fac["facility_type"].to_numpy(object)):
        t = None if is_missing(v) else (v if v in FACILITY_TYPES else parse_facility_type(v))
        if t is None:
            report.add(source, "facilities", f"facility_type {v!r} not recognised: counted as "
                       "'other'", row=i + 1, feature_id=fid[i], severity="warning",
                       action="repaired", field="facility_type")
            t = "other"
        ftype.append(t)
    ftype = np.array(ftype, dtype=object)
    geoms = fac.geometry.to_numpy()
    bad = pd.isna(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(bad):
        report.add(source, "facilities", "facility has no geometry: skipped", row=int(i + 1),
                   feature_id=fid[i], severity="warning", action="skipped", field="geometry")
    ok = np.flatnonzero(~bad)
    cand = settlement_nodes(network)
    node_xy = np.column_stack([network.nodes.geometry.x, network.nodes.geometry.y])[cand]
    pts = shapely.get_coordinates(shapely.point_on_surface(geoms[ok]))
    d, nn = cKDTree(node_xy).query(pts) if len(ok) else (np.zeros(0), np.zeros(0, int))
    nn = cand[np.asarray(nn, np.int64)]
    max_d = float(settings.network.population_max_snap_m)
    for j in np.flatnonzero(d > max_d):
        report.add(source, "facilities", f"facility is {d[j]:.0f} m from the nearest road node "
                   "(snapped there anyway)", row=int(ok[j] + 1), feature_id=fid[ok[j]],
                   severity="warning", action="note", field="geometry")
    table = pd.DataFrame({"facility_id": fid[ok], "name": name[ok], "facility_type": ftype[ok],
                          "node_id": np.asarray(nn, np.int64),
                          "snap_distance_m": np.asarray(d, float)})
    extra = fac.drop(columns=[c for c in fac.columns if c in table.columns
                              or c == fac.geometry.name]).iloc[ok].reset_index(drop=True)
    table = pd.concat([table, extra], axis=1)
    out = gpd.GeoDataFrame(table, geometry=geoms[ok], crs=network.crs)
    nodes = network.nodes.copy()
    n = len(nodes)
    node = out["node_id"].to_numpy()
    nodes["n_facilities"] = np.bincount(node, minlength=n)
    for t in FACILITY_TYPES:
        nodes[f"n_{t}"] = np.bincount(node[out["facility_type"].to_numpy() == t], minlength=n)
    other = ~np.isin(out["facility_type"].to_numpy(), FACILITY_TYPES)
    nodes["n_other_facility"] = np.bincount(node[other], minlength=n)
    report.add(source, "facilities", f"{len(out)} facilities snapped to network nodes "
               f"(median {np.median(d) if len(d) else 0:.0f} m)", severity="info", action="note")
    net = network.replace(nodes=nodes, facilities=out)
    net._cache = {k: v for k, v in network._cache.items() if k.startswith(("csr", "w:"))}
    return net
