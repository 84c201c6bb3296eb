"""Attaching bridges to a ``Network``: matching each inventory bridge to the road edge that
carries it, and splitting that edge so that each bridge is an edge of its own
(docs/criticality.md, "Attaching bridges")."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import substring

from ..errors import InputError, report_progress
from ..io.load_report import LoadReport
from ..settings import Settings
from .build import per_value, is_missing, text_column
from .graph import Network, attribute_table, finish_nodes
from .attach import to_network_crs

MATCH_COLUMNS = ["bridge_id", "matched", "edge_id", "u", "v", "snap_distance_m", "match_rule",
                 "ambiguous_match", "match_competitors", "n_candidates", "nearest_edge_m",
                 "reason"]


def _norm_route(v) -> str:
    if v is None or is_missing(v):
        return ""
    return "".join(str(v).split()).lower()


def _norm_routes(values) -> np.ndarray:
    """``_norm_route`` of each value, computed once per distinct value (str array)."""
    return per_value(np.asarray(values, dtype=object), _norm_route, "", object).astype(str)


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
    bridges = to_network_crs(bridges, network, source, "bridges", report).reset_index(drop=True)
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
    edges = network.edge_table
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
    broute = _norm_routes(text_column(bridges, "route_name"))

    out = pd.DataFrame({"bridge_id": bid, "matched": False, "edge_id": -1,
                        "snap_distance_m": np.nan, "match_rule": None,
                        "n_candidates": 0, "nearest_edge_m": np.nan, "reason": None})
    report_progress(progress, 0.0, "matching bridges")
    ok = np.flatnonzero(~empty)
    # (1) explicit links in road data
    ebid = edges["bridge_id"].to_numpy(object)
    linked = {}
    for e in np.flatnonzero(pd.notna(ebid)):
        linked.setdefault(str(ebid[e]), []).append(e)
    is_linked = np.array([bool(linked.get(bid[i])) for i in ok], bool)
    todo = ok[~is_linked]
    as_line = is_line[todo]
    query_geom = np.where(as_line, geoms[todo], pts[todo])
    # nearest distance for every bridge (reported for unmatched ones) and the candidate
    # edges within tolerance of the others; shapely lines only for the edges found
    nearest_m, pi, ei = _edges_near(network, pts[ok], query_geom, tol)
    out.loc[ok, "nearest_edge_m"] = nearest_m
    near = np.unique(np.concatenate([ei] + [np.asarray(linked[bid[i]], np.int64)
                                            for i in ok[is_linked]]))
    egeom = np.full(len(edges), None, dtype=object)
    egeom[near] = network.edge_geometry(near)
    chosen = np.full(nb, -1, np.int64)
    n_cand = np.zeros(nb, np.int64)
    rule = np.full(nb, None, object)
    dist = np.full(nb, np.nan)
    for i in ok:
        cand = linked.get(bid[i])
        if cand:
            d = shapely.distance(pts[i], egeom[cand])
            j = int(np.argmin(d))
            chosen[i], rule[i], dist[i] = cand[j], "road_bridge_id", float(d[j])
            n_cand[i] = len(cand)
            if d[j] > tol:
                report.add(source, "bridges", f"bridge matched by bridge_id to road "
                           f"'{edges.road_id.iat[cand[j]]}' although its point is "
                           f"{d[j]:.1f} m away (tolerance {tol} m): check its coordinates",
                           row=int(i + 1), feature_id=bid[i], severity="warning",
                           action="note", field="geometry")
    # (2) candidates within tolerance: points by distance, lines by overlap
    ambiguous = np.zeros(nb, bool)
    competitors = np.full(nb, None, object)
    if len(todo):
        if len(pi):
            d = shapely.distance(pts[todo][pi], egeom[ei])
            overlap = np.zeros(len(pi))
            lp = np.flatnonzero(as_line[pi])
            if len(lp):       # a bridge line: how much of each edge runs along it
                overlap[lp] = shapely.length(shapely.intersection(
                    egeom[ei[lp]], shapely.buffer(geoms[todo][pi[lp]], max(tol / 3.0, 1.0))))
            eroute = _norm_routes(edges["route_name"].to_numpy(object)[ei])
            route_ok = (broute[todo][pi] != "") & (broute[todo][pi] == eroute)
            struct = edges["is_bridge"].to_numpy(bool)[ei].copy()
            if rivers is not None and len(rivers):
                rivers = to_network_crs(rivers, network, "rivers", "rivers", report)
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
            route_ok_s, struct_s = route_ok[order], struct[order]
            for k0, k1 in zip(starts, stops):
                p, e, dd = pi_s[k0], ei_s[k0], d_s[k0]
                ro, st = route_ok_s[k0], struct_s[k0]
                i = todo[p]
                chosen[i], dist[i] = e, dd
                rule[i] = ("line_overlap" if rule_line[k0] else
                           "route_name+structure" if ro and st else "route_name" if ro
                           else "structure" if st else "nearest")
                n_cand[i] = int(ncand[p])
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
    out["n_candidates"] = n_cand
    report_progress(progress, 0.5, "splitting edges at bridges")
    m = np.flatnonzero(chosen >= 0)
    is_struct = edges["is_bridge"].to_numpy(bool)
    net, bridge_edge = _split_for_bridges(network, chosen, m, pts, span, bid, is_struct,
                                          float(ns.snap_tolerance_m))
    # shared structure edges are reported
    road_id = net.edge_table["road_id"].to_numpy(object)
    eb = pd.Series(bridge_edge[m], index=bid[m])
    for e, grp in eb.groupby(eb):
        if len(grp) > 1:
            report.add(source, "bridges", f"bridges {list(grp.index)} are matched to the same "
                       f"road edge (road '{road_id[e]}'); they share its "
                       "criticality", severity="warning", action="note")
    u = net.edge_table["u"].to_numpy(); v = net.edge_table["v"].to_numpy()
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


def _edges_near(network, points, query_geom, tol, chunk=1_000_000):
    """Nearest edge distance of each of ``points`` and the (query, edge) pairs of
    ``query_geom`` within ``tol`` metres.

    The edges' lines are made ``chunk`` at a time, so the lines of millions of edges are
    never all held at once.  The nearest edge is first searched within ``tol`` (a short
    search); only points with no edge that near are searched again without a limit.
    """
    nearest = np.full(len(points), np.inf)
    pairs_q, pairs_e = [], []
    for ids, tree in _edge_trees(network, chunk):
        if len(points):
            (p, _), d = tree.query_nearest(points, max_distance=tol, return_distance=True,
                                           all_matches=False)
            np.minimum.at(nearest, p, d)
        if len(query_geom):
            q, e = tree.query(query_geom, predicate="dwithin", distance=tol)
            pairs_q.append(q)
            pairs_e.append(ids[e])
    far = np.flatnonzero(~np.isfinite(nearest))
    if len(far):
        for _, tree in _edge_trees(network, chunk):
            _, d = tree.query_nearest(points[far], return_distance=True, all_matches=False)
            nearest[far] = np.minimum(nearest[far], d)
    if not pairs_q:
        return nearest, np.zeros(0, np.int64), np.zeros(0, np.int64)
    return nearest, np.concatenate(pairs_q), np.concatenate(pairs_e)


def _edge_trees(network, chunk):
    """``(edge ids, STRtree of their lines)`` for consecutive chunks of the edges."""
    for start in range(0, network.n_edges, chunk):
        ids = np.arange(start, min(start + chunk, network.n_edges))
        yield ids, shapely.STRtree(network.edge_geometry(ids))


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
    """Split matched ordinary edges so that each bridge is its own edge.

    Returns ``(network, bridge edge id per bridge)``.  Works on the edge and node tables
    and their coordinate arrays: only the split edges' lines are made as shapely objects,
    and a column is copied only when it changes or grows.
    """
    edges = network.edge_table
    n_edges, n_nodes = len(edges), network.n_nodes
    bridge_edge = np.full(len(chosen), -1, np.int64)
    by_edge: dict[int, list[int]] = {}
    edge_bid = edges["bridge_id"].to_numpy(dtype=object).copy()    # one write-back below
    for i in matched:
        e = int(chosen[i])
        if is_struct[e]:
            bridge_edge[i] = e
            if is_missing(edge_bid[e]) or edge_bid[e] is None:
                edge_bid[e] = bid[i]
        else:
            by_edge.setdefault(e, []).append(i)
    split = np.array(sorted(by_edge), dtype=np.int64)
    split_geom = dict(zip(split.tolist(), network.edge_geometry(split)))
    uu = edges["u"].to_numpy(np.int64)
    vv = edges["v"].to_numpy(np.int64)
    speed = edges["speed_kmh"].to_numpy(float)
    new_rows, new_nodes = [], []      # (edge id, source edge, u, v, line, bridge id)
    next_edge, next_node = n_edges, n_nodes
    for e, items in by_edge.items():
        g = split_geom[e]
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
        # one piece per consecutive pair of cuts; the first keeps the edge's id
        piece_nodes = [int(uu[e])]
        for k in range(1, len(cuts) - 1):
            new_nodes.append(g.interpolate(cuts[k]))
            piece_nodes.append(next_node)
            next_node += 1
        piece_nodes.append(int(vv[e]))
        pieces = []
        for k in range(len(cuts) - 1):
            geom = substring(g, cuts[k], cuts[k + 1])
            if geom.geom_type != "LineString":  # pragma: no cover - degenerate
                geom = shapely.LineString([geom.coords[0], geom.coords[0]])
            pid = e if k == 0 else next_edge
            next_edge += k > 0
            pieces.append([pid, e, piece_nodes[k], piece_nodes[k + 1], geom, None])
        for k, i in spans:
            bridge_edge[i] = pieces[k][0]
            if pieces[k][5] is None:
                pieces[k][5] = bid[i]
        new_rows.extend(pieces)
    edges = attribute_table(edges)
    columns = {c: edges[c].to_numpy() for c in edges.columns}
    columns["bridge_id"] = edge_bid
    lines = network.edge_lines()
    if new_rows:
        pid = np.array([r[0] for r in new_rows], np.int64)
        src = np.array([r[1] for r in new_rows], np.int64)
        geoms = np.array([r[4] for r in new_rows], dtype=object)
        length = shapely.length(geoms)
        changed = {"u": np.array([r[2] for r in new_rows], np.int64),
                   "v": np.array([r[3] for r in new_rows], np.int64),
                   "length_m": length,
                   "time_min": length / (speed[src] * 1000.0 / 60.0),
                   "edge_id": pid,
                   "bridge_id": np.array([r[5] for r in new_rows], dtype=object),
                   "is_bridge": np.array([r[5] is not None for r in new_rows], bool)}
        first = pid < n_edges                # the first piece of each split edge
        added = np.flatnonzero(~first)       # in increasing edge id
        for c, col in columns.items():
            if c in changed:
                col = col.copy()
                col[pid[first]] = changed[c][first]
                extra = changed[c][added]
            else:
                extra = col[src[added]]
            columns[c] = np.concatenate([col, extra.astype(col.dtype, copy=False)])
        lines = lines.updated(pid, geoms)
    for col, dt in (("u", np.int64), ("v", np.int64), ("edge_id", np.int64)):
        columns[col] = columns[col].astype(dt, copy=False)
    columns["is_bridge"] = columns["is_bridge"].astype(bool, copy=False)
    new_edges = pd.DataFrame(columns, copy=False)
    nodes = network.node_table
    node_xy = network.node_xy()
    if new_nodes:
        add = pd.DataFrame({"node_id": np.arange(n_nodes, next_node)})
        nodes = pd.concat([attribute_table(nodes), add], ignore_index=True)
        node_xy = np.vstack([node_xy, shapely.get_coordinates(np.array(new_nodes))])
    nodes = finish_nodes(attribute_table(nodes), new_edges)
    net = network.replace(edges=new_edges, edge_lines=lines, nodes=nodes, node_xy=node_xy)
    return net, bridge_edge


def bridges_from_roads(network: Network, source: str = "roads"):
    """Use the road data's own bridge lines (``is_bridge``) as the bridges (OSM case).

    Each bridge edge becomes one bridge: ``bridge_id`` is the road's ``bridge_id``
    when given, else ``"<road_id>"`` (``"<road_id>#<k>"`` when one road line gave
    several bridge edges).  Returns ``(network, bridges)`` like ``attach_bridges``.
    """
    edges = network.edge_table.copy()
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
    matches = gpd.GeoDataFrame(table, geometry=network.edge_geometry(e), crs=network.crs)
    network.report.add(source, "bridges", f"{len(e)} bridge lines of the road data used as "
                       "the bridges (no bridge inventory given)", severity="info",
                       action="note")
    net = network.replace(edges=edges, bridges=matches)
    return net, matches
