"""Asset packages (maintenance contract areas) and multi-sector areas (多分野連携).

Assets (bridges and other sectors' assets) are clustered into ``k`` packages that
are compact by road travel time and balanced by workload (expected inspection
hours), within a size range:

1. ``k`` = the number of packages giving sizes nearest the middle of
   [``package_min_assets``, ``package_max_assets``] (or as asked).
2. Seeds: k-means++ on the asset positions (seeded, reproducible).
3. Road minutes from each seed to every asset (one Dijkstra per seed).
4. Balanced assignment: assets in order of regret (second-best minus best
   minutes) go to their nearest package that still has room (count at most the
   size ceiling, hours at most mean x (1 + ``package_balance_tolerance``)); then
   packages below the size floor or below mean x (1 - tolerance) hours take the
   cheapest assets from packages that can spare them; then pairwise swaps that
   shorten total minutes while keeping the bounds.
5. Each seed moves to its package's road medoid (the member with the least
   hours-weighted road minutes to the others, among the 8 members nearest the
   package's centre); steps 3-5 repeat until the assignment stops changing (at
   most 8 rounds).  Four seedings are tried; the one with the fewest packages
   outside the bounds, then the least total minutes, is kept.

Without roads, minutes are straight line x ``fallback_circuity`` at ``fallback_speed_kmh``.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError, report_progress
from ..io.load_report import LoadReport
from ..schema import deck_area_m2
from ..settings import Settings
from .attributes import bridge_hours
from ._common import (normalise_code, numeric, report_or_new, require_gdf, require_network_crs,
                      settings_or_default, to_analysis_crs)
from .travel import graph_from_network, road_graph, travel_matrix

ASSET_COLUMNS = ["asset_id", "sector", "municipality_code", "deck_area_m2", "inspection_hours"]
PACKAGE_COLUMNS = ["package_id", "assets", "bridges", "other_assets", "sectors", "deck_area_m2",
                   "inspection_hours", "hours_share", "n_municipalities", "municipality_codes",
                   "seed_asset_id", "mean_travel_min", "max_travel_min", "size_ok", "balance_ok",
                   "travel_source"]
_COMPASS_JA = ["東", "北東", "北", "北西", "西", "南西", "南", "南東"]


def combine_assets(bridges=None, other_assets=None, settings: Settings | None = None,
                   report: LoadReport | None = None) -> gpd.GeoDataFrame:
    """Bridges and other assets as one point layer with ``ASSET_COLUMNS``.

    Bridges get ``sector = 'bridge'`` and ``inspection_hours`` = ``inspection_hours_per_bridge``
    + ``inspection_hours_per_m2`` x deck area; other assets keep their ``inspection_hours``
    or get ``other_asset_hours``.  A bridge's deck area (m2) is ``schema.deck_area_m2``
    (given, else length x width); unknown counts 0.  Lines and polygons are represented
    by a point on them.  Features without geometry are reported as skipped.  The first
    layer given sets the CRS (projected metric); ``other_assets`` in another CRS are
    reprojected to it (a note in ``report``).
    """
    settings = settings_or_default(settings)
    report = report_or_new(report)
    g = settings.grouping
    parts = []
    crs = None
    for layer, frame in (("bridges", bridges), ("other_assets", other_assets)):
        if frame is None or not len(frame):
            continue
        if crs is None:
            require_gdf(frame, layer)          # the first layer given sets the analysis CRS
            crs = frame.crs
        else:
            frame = to_analysis_crs(frame, layer, crs, "bridges", report)
        n = len(frame)
        idcol = "bridge_id" if layer == "bridges" else "asset_id"
        ids = frame[idcol].astype(str).to_numpy() if idcol in frame.columns else \
            np.array([f"{layer}:{i + 1}" for i in range(n)])
        if layer == "bridges":
            area = deck_area_m2(frame)
            sector = np.full(n, "bridge", dtype=object)
            hours = bridge_hours(area, settings)
        else:
            area = numeric(frame.get("deck_area_m2"), n, 0.0)
            sector = frame["sector"].astype("string").fillna("other").to_numpy(dtype=object) \
                if "sector" in frame.columns else np.full(n, "other", dtype=object)
            hours = numeric(frame.get("inspection_hours"), n, np.nan)
            hours = np.where(np.isfinite(hours) & (hours >= 0), hours, g.other_asset_hours)
        codes = [normalise_code(c) for c in frame["municipality_code"]] \
            if "municipality_code" in frame.columns else [None] * n
        geoms = []
        keep = np.ones(n, dtype=bool)
        for pos, geom in enumerate(frame.geometry.values):
            if geom is None or geom.is_empty:
                keep[pos] = False
                report.add(layer, layer, f"{ids[pos]} has no geometry; left out of packages: give it "
                           "a position", row=pos + 1, feature_id=ids[pos], severity="warning",
                           action="skipped")
                geoms.append(None)
            else:
                geoms.append(geom if geom.geom_type == "Point" else geom.representative_point())
        part = gpd.GeoDataFrame({"asset_id": ids, "sector": sector, "municipality_code": codes,
                                 "deck_area_m2": np.nan_to_num(area), "inspection_hours": hours},
                                geometry=geoms, crs=crs)
        parts.append(part[keep])
    if not parts:
        raise InputError("no assets given: pass bridges and/or other_assets", source="assets")
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)


def _kmeanspp(xy, weights, k, rng):
    n = len(xy)
    w = np.maximum(weights, 1e-9)
    first = rng.choice(n, p=w / w.sum())
    seeds = [int(first)]
    d2 = ((xy - xy[first]) ** 2).sum(1)
    for _ in range(1, k):
        p = d2 * w
        if p.sum() <= 0:
            cand = [i for i in range(n) if i not in seeds]
            seeds.append(int(rng.choice(cand)))
        else:
            seeds.append(int(rng.choice(n, p=p / p.sum())))
        d2 = np.minimum(d2, ((xy - xy[seeds[-1]]) ** 2).sum(1))
    return seeds


def balanced_assign(t: np.ndarray, w: np.ndarray, count_min: int, count_max: int,
                    w_min: float, w_max: float) -> np.ndarray:
    """Assign each row (asset) of minutes ``t`` (n, k) to a column (package).

    Keeps counts within [count_min, count_max] and summed ``w`` within [w_min, w_max]
    where possible, minimising the total minutes (greedy regret, repair, swaps).
    Returns the column index of each row.
    """
    n, k = t.shape
    tt = np.where(np.isfinite(t), t, 1e9)
    srt = np.sort(tt, axis=1)
    regret = srt[:, 1] - srt[:, 0] if k > 1 else np.zeros(n)
    order = np.argsort(-regret, kind="stable")
    lab = np.full(n, -1, dtype=np.int64)
    cnt = np.zeros(k, dtype=np.int64)
    load = np.zeros(k)
    for i in order:
        pref = np.argsort(tt[i], kind="stable")
        ok = [p for p in pref if cnt[p] < count_max and load[p] + w[i] <= w_max + 1e-9]
        p = ok[0] if ok else int(np.argmin(load))
        lab[i] = p
        cnt[p] += 1
        load[p] += w[i]
    # repair floors: pull the cheapest assets from packages that can spare them
    for _ in range(n):
        short = [p for p in range(k) if cnt[p] < count_min or load[p] < w_min - 1e-9]
        if not short:
            break
        p = min(short, key=lambda q: load[q])
        can = (cnt[lab] > count_min) & (load[lab] - w >= w_min - 1e-9) & (lab != p) & \
            (load[p] + w <= w_max + 1e-9)
        if not can.any():
            can = (cnt[lab] > count_min) & (lab != p) & (load[lab] - w > load[p])
            if not can.any():
                break
        cost = np.where(can, tt[:, p] - tt[np.arange(n), lab], np.inf)
        i = int(np.argmin(cost))
        q = lab[i]
        lab[i] = p
        cnt[q] -= 1
        cnt[p] += 1
        load[q] -= w[i]
        load[p] += w[i]
    # improvement: single moves, then pairwise swaps
    for _ in range(20):
        improved = False
        cur = tt[np.arange(n), lab]
        for i in np.argsort(-(cur - srt[:, 0])):
            a = lab[i]
            for b in np.argsort(tt[i]):
                if tt[i, b] >= tt[i, a] - 1e-12:
                    break
                if cnt[a] - 1 >= count_min and cnt[b] + 1 <= count_max and \
                        load[a] - w[i] >= w_min - 1e-9 and load[b] + w[i] <= w_max + 1e-9:
                    lab[i] = b
                    cnt[a] -= 1
                    cnt[b] += 1
                    load[a] -= w[i]
                    load[b] += w[i]
                    improved = True
                    break
        for a in range(k):
            for b in range(a + 1, k):
                ia = np.nonzero(lab == a)[0]
                ib = np.nonzero(lab == b)[0]
                if not len(ia) or not len(ib):
                    continue
                ga = tt[ia, b] - tt[ia, a]          # cost of moving ia to b
                gb = tt[ib, a] - tt[ib, b]
                ia = ia[np.argsort(ga)[:40]]
                ib = ib[np.argsort(gb)[:40]]
                gain = (tt[ia, b] - tt[ia, a])[:, None] + (tt[ib, a] - tt[ib, b])[None, :]
                dw = w[ib][None, :] - w[ia][:, None]        # load change of a
                feas = (load[a] + dw >= w_min - 1e-9) & (load[a] + dw <= w_max + 1e-9) & \
                    (load[b] - dw >= w_min - 1e-9) & (load[b] - dw <= w_max + 1e-9)
                gain = np.where(feas, gain, np.inf)
                x, y = np.unravel_index(np.argmin(gain), gain.shape)
                if gain[x, y] < -1e-9:
                    i, j = ia[x], ib[y]
                    lab[i], lab[j] = b, a
                    load[a] += w[j] - w[i]
                    load[b] += w[i] - w[j]
                    improved = True
        if not improved:
            break
    return lab


def _cluster(assets, k, graph, settings, count_min, count_max, tol, rng, progress=None, rounds=8,
             starts=4, medoid_candidates=8):
    """Best of ``starts`` seedings (least total minutes, bounds first); see the module notes."""
    xy = np.column_stack([assets.geometry.x.to_numpy(), assets.geometry.y.to_numpy()])
    w = assets["inspection_hours"].to_numpy(dtype=float)
    n = len(assets)
    if k <= 1 or n <= 1:
        seeds = _medoids(xy, w, np.zeros(n, dtype=np.int64), [0], 1, graph, settings, medoid_candidates)
        t = _fill_unreachable(travel_matrix(xy[seeds], graph, settings, targets_xy=xy).T, xy, xy[seeds],
                              settings)
        return np.zeros(n, dtype=np.int64), seeds, t
    mean = w.sum() / k
    best = None
    for start in range(starts):
        seeds = _kmeanspp(xy, w, k, rng)
        lab = None
        for r in range(rounds):
            report_progress(progress, (start * rounds + r) / (starts * rounds),
                            f"packages: start {start + 1}, round {r + 1}")
            t = _fill_unreachable(travel_matrix(xy[seeds], graph, settings, targets_xy=xy).T,
                                  xy, xy[seeds], settings)                     # (n, k)
            new = balanced_assign(t, w, count_min, count_max, mean * (1 - tol), mean * (1 + tol))
            if lab is not None and np.array_equal(new, lab):
                break
            lab = new
            seeds = _medoids(xy, w, lab, seeds, k, graph, settings, medoid_candidates)
        t = _fill_unreachable(travel_matrix(xy[seeds], graph, settings, targets_xy=xy).T, xy, xy[seeds],
                              settings)
        lab = balanced_assign(t, w, count_min, count_max, mean * (1 - tol), mean * (1 + tol))
        cnt = np.bincount(lab, minlength=k)
        load = np.bincount(lab, weights=w, minlength=k)
        bad = int(((cnt < count_min) | (cnt > count_max)).sum()
                  + (np.abs(load - mean) > tol * mean + 1e-9).sum())
        total = float(t[np.arange(n), lab].sum())
        if best is None or (bad, total) < best[0]:
            best = ((bad, total), lab, list(seeds), t)
    return best[1], best[2], best[3]


def _medoids(xy, w, lab, seeds, k, graph, settings, n_cand):
    """Per package, the member with the least hours-weighted road minutes to the others,
    among the ``n_cand`` members nearest its hours-weighted centre and the current seed."""
    out = []
    for p in range(k):
        idx = np.nonzero(lab == p)[0]
        if not len(idx):
            out.append(seeds[p])
            continue
        c = np.average(xy[idx], axis=0, weights=np.maximum(w[idx], 1e-9))
        near = idx[np.argsort(((xy[idx] - c) ** 2).sum(1))[:n_cand]]
        cand = np.unique(np.r_[near, [seeds[p]] if seeds[p] in set(idx) else []]).astype(np.int64)
        t = travel_matrix(xy[cand], graph, settings, targets_xy=xy[idx])
        t = np.where(np.isfinite(t), t, 1e9)
        out.append(int(cand[np.argmin((t * w[idx][None, :]).sum(1))]))
    return out


def _fill_unreachable(t, xy, seed_xy, settings):
    bad = ~np.isfinite(t)
    if bad.any():
        est = travel_matrix(xy, None, settings, targets_xy=seed_xy)
        t = np.where(bad, est * 3.0, t)    # off the road graph: penalised straight-line estimate
    return t


def _graph(network, roads, settings, crs, report):
    """The road graph and its description; ``roads`` are reprojected to ``crs`` (the assets')."""
    if network is not None:
        require_network_crs(network, crs, "the assets")
        return graph_from_network(network), "road network"
    if roads is not None and len(roads):
        roads = to_analysis_crs(roads, "roads", crs, "assets", report)
        return road_graph(roads, settings), "roads"
    return None, "straight line x circuity (no roads given)"


def _package_count(n, g, n_packages):
    if n_packages is not None:
        if int(n_packages) < 1:
            raise InputError(f"n_packages must be >= 1 (got {n_packages})", source="asset_packages")
        return min(int(n_packages), n)
    lo, hi = max(1, g.package_min_assets), max(1, g.package_max_assets)
    if lo > hi:
        raise InputError(f"package_min_assets {lo} > package_max_assets {hi}", source="settings [grouping]")
    k_min = max(1, math.ceil(n / hi))
    k_max = max(1, n // lo)
    k = max(1, round(n / ((lo + hi) / 2)))
    return int(min(max(k, k_min), max(k_max, k_min)))


def asset_packages(assets, network=None, roads=None, settings: Settings | None = None,
                   n_packages: int | None = None, progress=None, report: LoadReport | None = None):
    """Cluster assets across municipal boundaries into maintenance contract packages.

    Parameters
    ----------
    assets : GeoDataFrame
        Asset points in a projected metric CRS; ``combine_assets(bridges, other_assets)``
        makes one from the region's layers.  Needs ``inspection_hours`` (hours per
        inspection cycle) or it is computed as in ``combine_assets``.
    network, roads : optional
        Road graph for travel minutes (``network`` first, else ``roads``, else straight line).
        ``roads`` in another CRS are reprojected to the assets' (a note in ``report``);
        ``network`` must be in the assets' CRS.
    n_packages : int, optional
        Number of packages; default from ``package_min_assets``/``package_max_assets``.

    Returns
    -------
    assets : GeoDataFrame
        The input rows with ``package_id`` and ``travel_min`` (from the package seed).
    packages : GeoDataFrame
        One row per package (``PACKAGE_COLUMNS``), geometry = convex hull of its
        assets buffered by 100 m.
    """
    settings = settings_or_default(settings)
    report = report_or_new(report)
    g = settings.grouping
    assets = _ensure_assets(assets, settings, report)
    graph, source = _graph(network, roads, settings, assets.crs, report)
    k = _package_count(len(assets), g, n_packages)
    rng = np.random.default_rng(g.seed)
    lab, seeds, t = _cluster(assets, k, graph, settings, g.package_min_assets, g.package_max_assets,
                             g.package_balance_tolerance, rng, progress)
    out, packages = _package_outputs(assets, lab, seeds, t, "package_id", "P", source, settings,
                                     g.package_min_assets, g.package_max_assets)
    for _, row in packages.iterrows():
        if not row["size_ok"] or not row["balance_ok"]:
            report.add("asset_packages", "asset_packages",
                       f"package {row['package_id']}: {row['assets']} assets, "
                       f"{row['inspection_hours']:.0f} h ({row['hours_share']:.0%} of all hours); outside "
                       f"the size range {g.package_min_assets}-{g.package_max_assets} or the hours "
                       f"tolerance +-{g.package_balance_tolerance:.0%}", feature_id=row["package_id"],
                       severity="warning", action="note")
    report_progress(progress, 1.0, "packages done")
    return out, packages


def _ensure_assets(assets, settings, report):
    require_gdf(assets, "assets")
    if not len(assets):
        raise InputError("no assets to package", source="assets")
    a = assets.copy()
    if "asset_id" not in a.columns:
        a["asset_id"] = a["bridge_id"].astype(str) if "bridge_id" in a.columns else \
            [f"asset:{i + 1}" for i in range(len(a))]
    if "sector" not in a.columns:
        a["sector"] = "bridge" if "bridge_id" in a.columns else "other"
    is_bridge = (a["sector"] == "bridge").to_numpy()
    a["deck_area_m2"] = np.where(is_bridge, deck_area_m2(a),
                                 numeric(a.get("deck_area_m2"), len(a), np.nan))
    if "inspection_hours" not in a.columns:
        a["inspection_hours"] = np.where(is_bridge, bridge_hours(a["deck_area_m2"], settings),
                                         settings.grouping.other_asset_hours)
    h = pd.to_numeric(a["inspection_hours"], errors="coerce")
    bad = h.isna() | (h < 0)
    if bad.any():
        pos = int(np.nonzero(bad.to_numpy())[0][0])
        raise InputError(f"inspection_hours must be a number >= 0 (got {a['inspection_hours'].iloc[pos]!r})",
                         source="assets", row=pos + 1, field="inspection_hours")
    a["inspection_hours"] = h.astype(float)
    empty = a.geometry.isna() | a.geometry.is_empty
    for pos in np.nonzero(empty.to_numpy())[0]:
        report.add("assets", "assets", f"asset {a['asset_id'].iloc[pos]} has no geometry; left out",
                   row=pos + 1, feature_id=a["asset_id"].iloc[pos], severity="warning", action="skipped")
    a = a[~empty]
    nonpoint = a.geometry.geom_type != "Point"
    if nonpoint.any():
        a.loc[nonpoint, a.geometry.name] = a.geometry[nonpoint].representative_point()
    if "municipality_code" in a.columns:
        a["municipality_code"] = [normalise_code(c) for c in a["municipality_code"]]
    else:
        a["municipality_code"] = None
    return a


def _package_outputs(assets, lab, seeds, t, id_col, prefix, source, settings, size_min, size_max):
    n = len(assets)
    k = len(seeds)
    width = max(2, len(str(k)))
    ids = np.array([f"{prefix}{p + 1:0{width}d}" for p in range(k)])
    out = assets.copy()
    out[id_col] = ids[lab]
    out["travel_min"] = t[np.arange(n), lab]
    total_h = float(out["inspection_hours"].sum())
    mean_h = total_h / k if k else 0.0
    tol = settings.grouping.package_balance_tolerance
    rows, geoms = [], []
    for p in range(k):
        sub = out[lab == p]
        sectors = sub["sector"].value_counts()
        codes = sorted({c for c in sub["municipality_code"] if c})
        hours = float(sub["inspection_hours"].sum())
        rows.append({
            id_col: ids[p], "assets": len(sub), "bridges": int((sub["sector"] == "bridge").sum()),
            "other_assets": int((sub["sector"] != "bridge").sum()),
            "sectors": ";".join(f"{s}:{c}" for s, c in sorted(sectors.items())),
            "deck_area_m2": float(sub["deck_area_m2"].fillna(0).sum()) if "deck_area_m2" in sub else 0.0,
            "inspection_hours": hours, "hours_share": hours / total_h if total_h > 0 else np.nan,
            "n_municipalities": len(codes), "municipality_codes": ";".join(codes),
            "seed_asset_id": str(out["asset_id"].iloc[seeds[p]]),
            "mean_travel_min": float(sub["travel_min"].mean()) if len(sub) else np.nan,
            "max_travel_min": float(sub["travel_min"].max()) if len(sub) else np.nan,
            "size_ok": bool(size_min <= len(sub) <= size_max),
            "balance_ok": bool(abs(hours - mean_h) <= tol * mean_h + 1e-9) if k > 1 else True,
            "travel_source": source,
        })
        geoms.append(shapely.convex_hull(shapely.union_all(sub.geometry.values)).buffer(100.0)
                     if len(sub) else None)
    cols = [id_col if c == "package_id" else c for c in PACKAGE_COLUMNS]
    packages = gpd.GeoDataFrame(rows, columns=cols, geometry=geoms, crs=assets.crs)
    return out, packages


def multi_sector_areas(assets, municipality_code: str | None = None, n_areas: int | None = None,
                       network=None, roads=None, settings: Settings | None = None, progress=None,
                       report: LoadReport | None = None):
    """多分野連携: split each municipality's assets of all sectors into a few contract areas.

    Parameters
    ----------
    assets : GeoDataFrame
        Asset points (``combine_assets``) with ``sector``, ``inspection_hours`` and
        ``municipality_code``; projected metric CRS.
    municipality_code : str, optional
        Only this municipality; default every municipality in ``assets``.
    n_areas : int, optional
        Areas per municipality; default ``settings.grouping.multi_sector_areas``.

    Returns
    -------
    assets : GeoDataFrame with ``area_id`` (e.g. ``99201-A1``), ``area_name`` and ``travel_min``.
    areas : GeoDataFrame, one row per area: ``municipality_code``, ``area_id``,
        ``area_name`` (compass direction from the municipality's asset centre, e.g. 西/東),
        ``n_<sector>`` counts, hours and travel statistics, buffered convex hull.
    """
    settings = settings_or_default(settings)
    report = report_or_new(report)
    g = settings.grouping
    k = int(g.multi_sector_areas if n_areas is None else n_areas)
    if k < 1:
        raise InputError(f"n_areas must be >= 1 (got {k})", source="multi_sector_areas")
    assets = _ensure_assets(assets, settings, report)
    missing = assets["municipality_code"].isna()
    if municipality_code is not None:
        code = normalise_code(municipality_code)
        sel = assets[assets["municipality_code"] == code]
        if sel.empty:
            raise InputError(f"no asset has municipality_code {code}; codes present: "
                             f"{', '.join(sorted(set(assets['municipality_code'].dropna()))[:20])}",
                             source="assets", field="municipality_code")
        assets = sel
    else:
        for pos in np.nonzero(missing.to_numpy())[0]:
            report.add("assets", "assets", f"asset {assets['asset_id'].iloc[pos]} has no municipality_code; "
                       "left out of multi-sector areas", feature_id=assets["asset_id"].iloc[pos],
                       severity="warning", action="skipped")
        assets = assets[~missing]
    graph, source = _graph(network, roads, settings, assets.crs, report)
    rng = np.random.default_rng(g.seed)
    outs, areas = [], []
    codes = sorted(assets["municipality_code"].unique())
    for m, code in enumerate(codes):
        report_progress(progress, m / max(1, len(codes)), f"multi-sector areas {code}")
        sub = assets[assets["municipality_code"] == code]
        kk = min(k, len(sub))
        lab, seeds, t = _cluster(sub, kk, graph, settings, 1, len(sub), g.package_balance_tolerance, rng)
        o, a = _package_outputs(sub, lab, seeds, t, "area_id", f"{code}-A", source, settings, 1, len(sub))
        centre = np.array([sub.geometry.x.mean(), sub.geometry.y.mean()])
        names = []
        for p in range(kk):
            idx = np.nonzero(lab == p)[0]
            c = np.array([sub.geometry.x.to_numpy()[idx].mean(), sub.geometry.y.to_numpy()[idx].mean()])
            ang = math.degrees(math.atan2(c[1] - centre[1], c[0] - centre[0])) % 360
            names.append("全域" if kk == 1 else _COMPASS_JA[int(((ang + 22.5) % 360) // 45)])
        a.insert(0, "municipality_code", code)
        a.insert(2, "area_name", names)
        for s in sorted(assets["sector"].unique()):
            a[f"n_{s}"] = [int(((lab == p) & (sub["sector"].to_numpy() == s)).sum()) for p in range(kk)]
        o["area_name"] = np.array(names)[lab]
        outs.append(o)
        areas.append(a)
    out = gpd.GeoDataFrame(pd.concat(outs, ignore_index=True), geometry=assets.geometry.name, crs=assets.crs)
    area_frame = gpd.GeoDataFrame(pd.concat(areas, ignore_index=True), geometry="geometry", crs=assets.crs)
    for col in [c for c in area_frame.columns if c.startswith("n_")]:
        area_frame[col] = area_frame[col].fillna(0).astype(int)
    report_progress(progress, 1.0, "multi-sector areas done")
    return out, area_frame
