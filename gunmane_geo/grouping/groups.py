"""Municipal groups (広域連携): contiguous groups of neighbouring municipalities.

``municipal_groups`` builds the problem (attributes, adjacency, office-to-office
travel times), searches the best few partitions under the floor and ceiling of
``settings.grouping`` and returns the ``groups`` and ``group_members`` layers.
"""
from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError, report_progress
from ..io.load_report import LoadReport
from ..network.graph import Network
from ..progress import Progress
from ..settings import Settings
from ._common import (normalise_code, report_or_new, require_network_crs, settings_or_default,
                      to_analysis_crs)
from .adjacency import municipal_adjacency, prepare_municipalities
from .attributes import municipality_attributes
from .partition import GroupProblem, evaluate, groups_to_labels, solve
from .travel import TravelGraph, graph_from_network, office_travel, road_graph

MEMBER_COLUMNS = ["municipality_code", "municipality_name", "candidate", "group_id", "group_name"]
GROUP_COLUMNS = [
    "candidate", "group_id", "group_name", "members", "member_codes", "member_names",
    "technical_staff", "bridges", "deck_area_m2", "rating_3_4", "share_over_50_now",
    "share_over_50_10y", "share_over_50_20y", "bridges_per_engineer", "deck_area_m2_per_engineer",
    "rating_3_4_per_engineer", "over_50_per_engineer", "inspection_hours_per_engineer",
    "workload_share", "staff_share", "workload_ratio", "max_travel_min",
    "pref_bridges", "pref_deck_area_m2", "pref_rating_3_4", "partner",
    "floor_ok", "ceiling_ok", "violation", "candidate_objective", "candidate_balance",
    "candidate_travel", "candidate_violation", "method", "travel_source",
]


def office_points(munis: gpd.GeoDataFrame, offices=None, report: LoadReport | None = None) -> np.ndarray:
    """Office coordinates (n, 2) in metres per municipality of ``munis`` (index = code).

    ``offices`` are facility points; rows with ``facility_type == 'office'`` are used
    when that column exists, a municipality's main office before its branch offices
    (``facility_subtype`` 支所・出張所, KSJ P02).  An office is matched by its ``municipality_code`` or, when
    it has none, by the polygon containing it.  A municipality without an office gets
    its polygon's representative point (reported).
    """
    report = report_or_new(report)
    xy = {}
    if offices is not None and len(offices):
        off = to_analysis_crs(offices, "offices", munis.crs, "municipalities", report)
        if "facility_type" in off.columns:
            off = off[off["facility_type"].astype("string").str.lower() == "office"]
        if "facility_subtype" in off.columns:      # the main office before a 支所 / 出張所
            from ..io.layouts import BRANCH_OFFICE_SUBTYPE
            branch = (off["facility_subtype"] == BRANCH_OFFICE_SUBTYPE).to_numpy(bool)
            off = pd.concat([off[~branch], off[branch]])
        codes = [normalise_code(c) for c in off["municipality_code"]] if "municipality_code" in off \
            else [None] * len(off)
        pts = off.geometry.values
        for code, pt in zip(codes, pts):
            if pt is None or pt.is_empty:
                continue
            if code is None or code not in munis.index:
                hit = munis.index[munis.geometry.contains(pt)]
                code = hit[0] if len(hit) else None
            if code is not None and code not in xy:
                p = pt if pt.geom_type == "Point" else pt.representative_point()
                xy[code] = (p.x, p.y)
    missing = [c for c in munis.index if c not in xy]
    for c in missing:
        p = munis.geometry[c].representative_point()
        xy[c] = (p.x, p.y)
    if missing:
        report.add("offices", "facilities",
                   f"{len(missing)} municipalities have no office point (facility_type='office'); "
                   f"a point inside their polygon is used instead: {', '.join(missing[:20])}"
                   + (" ..." if len(missing) > 20 else ""), severity="info", action="note")
    return np.array([xy[c] for c in munis.index], dtype=float)


def build_problem(munis, attrs, adjacency, office_xy, graph, settings: Settings) -> GroupProblem:
    """The ``GroupProblem`` of the municipalities (units in ``munis`` order)."""
    g = settings.grouping
    pos = {c: i for i, c in enumerate(munis.index)}
    neighbours = [[] for _ in range(len(munis))]
    for a, b in zip(adjacency["code_a"], adjacency["code_b"]):
        if a in pos and b in pos:
            neighbours[pos[a]].append(pos[b])
            neighbours[pos[b]].append(pos[a])
    limit = g.max_travel_min * (1 + 10) if graph is not None else np.inf
    t = office_travel(office_xy, graph, settings, limit_min=limit)
    return GroupProblem(neighbours, attrs["technical_staff"].to_numpy(), attrs["workload"].to_numpy(),
                        attrs["bridges"].to_numpy(), t, min_staff=g.min_staff,
                        min_bridges=g.min_bridges, max_members=g.max_members,
                        max_travel_min=g.max_travel_min, travel_weight=g.travel_weight)


def _check_settings(g):
    for name in ("max_members", "max_travel_min", "n_candidates"):
        if getattr(g, name) <= 0:
            raise InputError(f"{name} must be > 0 (got {getattr(g, name)})", source="settings [grouping]")
    for name in ("min_staff", "min_bridges", "travel_weight"):
        if getattr(g, name) < 0:
            raise InputError(f"{name} must be >= 0 (got {getattr(g, name)})", source="settings [grouping]")


def municipal_groups(municipalities: gpd.GeoDataFrame, *,
                     bridges: gpd.GeoDataFrame | None = None, staff: pd.DataFrame | None = None,
                     network: Network | TravelGraph | None = None, roads: gpd.GeoDataFrame | None = None,
                     offices: gpd.GeoDataFrame | None = None, settings: Settings | None = None,
                     adjacency: pd.DataFrame | None = None, vertical: bool = False,
                     method: str = "auto", progress: Progress | None = None,
                     report: LoadReport | None = None
                     ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The best few partitions of the municipalities into contiguous groups.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Polygons with ``municipality_code`` and ``municipality_name`` in a projected
        metric CRS (a JGD2011 plane rectangular zone): the analysis CRS.  ``bridges``,
        ``roads`` and ``offices`` in another CRS are reprojected to it (a note in
        ``report``); a layer without a CRS is an ``InputError``.
    bridges : GeoDataFrame, optional
        Bridge inventory points (canonical fields: ``deck_area_m2`` (else ``length_m`` x
        ``width_m``), ``rating``, ``built_year``, ``manager``, ``municipality_code``).
    staff : DataFrame, optional
        ``municipality_code``, ``technical_staff``.
    network : gunmane_geo.network.Network or TravelGraph, optional
        Road graph for office-to-office travel minutes, in the municipalities' CRS (else
        ``InputError``); else built from ``roads``;
        else straight line x ``fallback_circuity`` at ``fallback_speed_kmh``.
    roads : GeoDataFrame, optional
        Road lines: used for adjacency (links across boundaries, island bridges) and,
        without ``network``, for travel times.
    offices : GeoDataFrame, optional
        Municipal office points (facilities with ``facility_type == 'office'``).
    settings : Settings, optional
        ``settings.grouping`` holds the floor, ceiling, weights and search parameters.
    adjacency : DataFrame, optional
        Precomputed ``municipal_adjacency`` result.
    vertical : bool
        Vertical 連携: name the prefecture as a partner of every group (``partner``).
        The prefecture's own bridges in each group's area are always counted
        (``pref_*`` columns) and never enter the municipal workload.
    method : {'auto', 'exact', 'heuristic'}
        'auto' searches exhaustively up to ``exact_max_units`` municipalities.
    progress : callable, optional
        ``progress(fraction, message)``; returning True cancels (``Cancelled``).
    report : LoadReport, optional
        Receives every skipped feature and every note.

    Returns
    -------
    groups : GeoDataFrame
        One row per group and candidate partition (``candidate`` 1 = best), dissolved
        polygons, ``GROUP_COLUMNS``.  ``attrs`` (plain lists/dicts): 'candidates' (one
        dict of scores per candidate), 'adjacency' (pair records), 'isolated' (codes
        with no neighbour), 'settings' (the [grouping] section), 'runtime_s'.
    group_members : GeoDataFrame
        One row per municipality and candidate: ``MEMBER_COLUMNS`` + polygon.
    """
    t0 = time.perf_counter()
    settings = settings_or_default(settings)
    report = report_or_new(report)
    g = settings.grouping
    _check_settings(g)
    report_progress(progress, 0.0, "preparing municipalities")
    munis = prepare_municipalities(municipalities, report)
    attrs = municipality_attributes(munis, bridges, staff, settings, report)
    if roads is not None:
        roads = to_analysis_crs(roads, "roads", munis.crs, "municipalities", report)
    if adjacency is None:
        report_progress(progress, 0.05, "adjacency")
        adjacency = municipal_adjacency(munis, roads=roads, settings=settings, report=report)
    graph = None
    travel_source = "straight line x circuity (no roads given)"
    if network is not None:
        require_network_crs(network, munis.crs, "the municipalities")
        graph = graph_from_network(network)
        travel_source = "road network"
    elif roads is not None and len(roads):
        graph = road_graph(roads, settings)
        travel_source = "roads"
    if graph is None:
        report.add("roads", "roads", "no road network given: travel times between offices are "
                   f"estimated as straight line x {g.fallback_circuity:g} at {g.fallback_speed_kmh:g} km/h",
                   severity="info", action="note")
    report_progress(progress, 0.1, "travel times between offices")
    xy = office_points(munis, offices, report)
    problem = build_problem(munis, attrs, adjacency, xy, graph, settings)

    def sub_progress(f, msg):
        if progress is not None:
            return progress(0.15 + 0.79 * f, msg)
        return None

    solutions, used = solve(problem, n_best=g.n_candidates, exact_max_units=g.exact_max_units,
                            restarts=g.restarts, seed=g.seed, method=method,
                            time_limit_s=g.time_limit_s if g.time_limit_s > 0 else np.inf,
                            progress=sub_progress)
    report_progress(progress, 0.95, "statistics")
    groups, members = _outputs(munis, attrs, problem, solutions, used, vertical, travel_source, settings)
    _report_violations(groups, report)
    groups.attrs["adjacency"] = adjacency.to_dict("records")
    groups.attrs["isolated"] = list(adjacency.attrs.get("isolated", []))
    groups.attrs["settings"] = settings.to_dict()["grouping"]
    groups.attrs["runtime_s"] = time.perf_counter() - t0
    report_progress(progress, 1.0, "done")
    return groups, members


def _outputs(munis, attrs, problem, solutions, method, vertical, travel_source, settings):
    names = munis["municipality_name"].astype(str).to_numpy()
    codes = munis.index.to_numpy()
    pref = ""
    if vertical:
        if "prefecture_name" in munis.columns and munis["prefecture_name"].notna().any():
            pref = str(munis["prefecture_name"].dropna().mode().iloc[0])
        else:
            pref = f"都道府県 {codes[0][:2]}"
    g = settings.grouping
    member_rows, group_rows, geoms, cand_rows = [], [], [], []
    attr_cols = list(attrs.columns)
    attr_np = attrs.to_numpy(dtype=float)
    staff_np = attrs["technical_staff"].to_numpy(dtype=float)
    for cand, (score, partition) in enumerate(solutions, start=1):
        labels = groups_to_labels([frozenset(p) for p in partition], problem.n)
        ev = evaluate(problem, labels)
        cand_rows.append({"candidate": cand, "objective": ev["objective"], "balance": ev["balance"],
                          "travel": ev["travel"], "violation": ev["violation"],
                          "n_groups": ev["n_groups"], "method": method})
        ordered = sorted(partition, key=lambda p: (min(codes[i] for i in p)))
        for k, part in enumerate(ordered, start=1):
            idx = list(part)
            gid = f"G{k:03d}"
            lead = max(idx, key=lambda i: (staff_np[i], -i))
            gname = names[lead] if len(idx) == 1 else f"{names[lead]}ほか{len(idx) - 1}団体"
            for i in sorted(idx, key=lambda i: codes[i]):
                member_rows.append({"municipality_code": codes[i], "municipality_name": names[i],
                                    "candidate": cand, "group_id": gid, "group_name": gname,
                                    "geometry": munis.geometry.iloc[i]})
            a = dict(zip(attr_cols, attr_np[idx].sum(axis=0)))
            bal, tr, vi = problem.terms(idx)
            d = problem.diameter(idx)
            staff = a["technical_staff"]
            per = (lambda x: x / staff if staff > 0 else np.nan)
            known = a["built_year_known"]
            share = (lambda x: x / known if known > 0 else np.nan)
            w_share = a["workload"] / problem.work_total if problem.work_total > 0 else 0.0
            s_share = staff / problem.staff_total if problem.staff_total > 0 else len(idx) / problem.n
            problems = []
            if staff < g.min_staff:
                problems.append(f"staff {staff:g} < {g.min_staff}")
            if a["bridges"] < g.min_bridges:
                problems.append(f"bridges {a['bridges']:g} < {g.min_bridges}")
            ceiling = []
            if len(idx) > g.max_members:
                ceiling.append(f"members {len(idx)} > {g.max_members}")
            if d > g.max_travel_min:
                ceiling.append(f"travel {d:.0f} min > {g.max_travel_min:g}" if np.isfinite(d)
                               else "offices not joined by road")
            if problems and len(idx) == 1 and not problem.neighbours[idx[0]]:
                problems.append("no neighbour (island or isolated)")
            order = sorted(idx, key=lambda i: codes[i])
            group_rows.append({
                "candidate": cand, "group_id": gid, "group_name": gname, "members": len(idx),
                "member_codes": ";".join(codes[i] for i in order),
                "member_names": "・".join(names[i] for i in order),
                "technical_staff": staff, "bridges": a["bridges"], "deck_area_m2": a["deck_area_m2"],
                "rating_3_4": a["rating_3_4"], "share_over_50_now": share(a["over_50_now"]),
                "share_over_50_10y": share(a["over_50_10y"]), "share_over_50_20y": share(a["over_50_20y"]),
                "bridges_per_engineer": per(a["bridges"]),
                "deck_area_m2_per_engineer": per(a["deck_area_m2"]),
                "rating_3_4_per_engineer": per(a["rating_3_4"]),
                "over_50_per_engineer": per(a["over_50_now"]),
                "inspection_hours_per_engineer": per(a["inspection_hours"]),
                "workload_share": w_share, "staff_share": s_share,
                "workload_ratio": w_share / s_share if s_share > 0 else np.nan,
                "max_travel_min": d if np.isfinite(d) else np.nan,
                "pref_bridges": a["pref_bridges"], "pref_deck_area_m2": a["pref_deck_area_m2"],
                "pref_rating_3_4": a["pref_rating_3_4"], "partner": pref,
                "floor_ok": not problems, "ceiling_ok": not ceiling,
                "violation": "; ".join(problems + ceiling),
                "candidate_objective": ev["objective"], "candidate_balance": ev["balance"],
                "candidate_travel": ev["travel"], "candidate_violation": ev["violation"],
                "method": method, "travel_source": travel_source,
            })
            geoms.append(shapely.union_all(munis.geometry.values[idx]))
    crs = munis.crs
    groups = gpd.GeoDataFrame(group_rows, columns=GROUP_COLUMNS, geometry=geoms, crs=crs)
    members = gpd.GeoDataFrame(member_rows, columns=[*MEMBER_COLUMNS, "geometry"], geometry="geometry",
                               crs=crs)
    groups.attrs["candidates"] = cand_rows
    return groups, members


def _report_violations(groups, report):
    best = groups[groups["candidate"] == 1]
    for _, row in best[best["violation"] != ""].iterrows():
        report.add("grouping", "groups", f"best partition, group {row['group_id']} "
                   f"({row['member_names']}): {row['violation']}; no contiguous partition meets every "
                   "floor and ceiling here: lower [grouping] min_staff/min_bridges or raise "
                   "max_members/max_travel_min", feature_id=row["group_id"], severity="warning",
                   action="note")
