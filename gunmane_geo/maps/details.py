"""Close-ups of the plan: one panel per bridge that loses vehicle traffic.

At region scale a detour of a few hundred metres hides under the removal
marker.  :func:`map_plan_details` draws, for every removed, downsized or
consolidated bridge of a plan, a panel zoomed to the bridge and its detour
route, titled with its number, name, option and detour, with its own small
scale bar.  Panels are laid out up to six to a page (A3 or A4 landscape);
more bridges give more pages.  The numbers are those printed next to the
bridges on the overview plan map (:func:`gunmane_geo.maps.map_plan`), see
:func:`detail_numbers`.

All data must be in the Region's projected metric CRS.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..errors import GunmaneError, report_progress
from ..wording import distance_text
from ..settings import Settings
from .labels import place_labels
from .layout import Page, map_style, wrap_text
from .common import (BOUNDARY_DASH, CROSSED_CLASSES, DETAIL_CLASSES, DETOUR_CASING,  # noqa: F401
                     DETOUR_STYLE, PLAN_CLASSES, check_projected, dissolved_municipalities, point_handle,
                     region_suffix, detail_numbers, detour_handle, plan_class)
from .styles import DARK, LIGHT_GREY, text_halo

RIVER_COLOR = "#8CC4E8"
MIN_PANEL_SPAN_M = 250.0        # a close-up shows at least this much ground
MAX_PANELS_PER_PAGE = 6
SCALE_STRIP = 0.10              # extra ground below the data (share of the span): scale bar room


def _grid(n: int) -> tuple[int, int]:
    """Rows and columns for ``n`` panels (no empty panel): 1-3 in a row, 4 as 2x2, 5-6 as 2x3."""
    if n <= 3:
        return 1, n
    if n == 4:
        return 2, 2
    return 2, 3


def _panel_title(r, cls: str, detour_m: float, detour_min: float, hub_name: str | None,
                 cols: int) -> tuple[str, str]:
    """(bold first line, second line) of a panel title."""
    name = "" if r.get("name") is None or pd.isna(r.get("name")) else str(r.get("name"))
    head = f"{name}（{r['bridge_id']}）" if name else str(r["bridge_id"])
    label = {"consolidated": "集約により撤去", "downsize": "ダウンサイジング（歩行者・自転車橋）"}\
        .get(cls, PLAN_CLASSES[cls][0])
    if cls == "consolidated" and r.get("set_id") is not None and not pd.isna(r.get("set_id")):
        label += f"（{r['set_id']}" + (f"、{hub_name}を残す）" if hub_name else "）")
    if math.isnan(detour_m):
        det = "迂回 不明"
    elif not math.isfinite(detour_m):
        det = "車の迂回路なし"
    else:
        det = ("車の迂回 " if cls == "downsize" else "迂回 ") + f"+{distance_text(detour_m)}"
        if detour_min is not None and math.isfinite(detour_min) and detour_min > 0:
            det += f"・約{detour_min:,.1f}分"
    return wrap_text(head, cols), wrap_text(f"{label}｜{det}", cols)


def _first_line(text: str) -> str:
    lines = text.split("\n")
    return lines[0] + ("…" if len(lines) > 1 else "")


def _panel_heading(page, ax, head: str, sub: str):
    """Two lines above a panel: ``head`` in bold, ``sub`` under it (each cut to one line)."""
    from matplotlib.transforms import offset_copy
    pad_pt = page.fs * 0.35
    base = offset_copy(ax.transAxes, fig=page.fig, x=0, y=pad_pt, units="points")
    ax.text(0.0, 1.0, _first_line(sub), transform=base, ha="left", va="bottom",
            fontsize=page.fs * 0.9, color="#333333")
    top = offset_copy(ax.transAxes, fig=page.fig, x=0, y=pad_pt + page.fs * 0.9 * 1.35,
                      units="points")
    ax.text(0.0, 1.0, _first_line(head), transform=top, ha="left", va="bottom",
            fontsize=page.fs, fontweight="bold", color=DARK)


def _clip(gdf, bounds):
    if gdf is None or not len(gdf):
        return None
    minx, miny, maxx, maxy = bounds
    sub = gdf.cx[minx:maxx, miny:maxy]
    return sub if len(sub) else None


def _draw_roads(ax, roads, scale):
    if roads is None:
        return
    major = roads["road_class"].isin(["national", "prefectural"]) \
        if "road_class" in roads.columns else pd.Series(False, index=roads.index)
    minor = roads[~major.to_numpy()]
    if len(minor):
        minor.plot(ax=ax, color="#9A9A9A", linewidth=1.0 * scale, zorder=3)
    if major.any():
        roads[major.to_numpy()].plot(ax=ax, color="#6E6E6E", linewidth=2.0 * scale, zorder=3)


def _cross(ax, x, y, color, size_pt, zorder, gid=None):
    """A bold × (white halo, dark outline, class colour) at (x, y): the bridge is removed."""
    ax.scatter([x], [y], s=(size_pt * 1.0) ** 2, marker="x", c="white", linewidths=size_pt * 0.55,
               zorder=zorder)
    ax.scatter([x], [y], s=size_pt ** 2, marker="x", c=DARK, linewidths=size_pt * 0.38,
               zorder=zorder + 0.1)
    ax.scatter([x], [y], s=size_pt ** 2, marker="x", c=[color], linewidths=size_pt * 0.22,
               zorder=zorder + 0.2, gid=gid)


def cross_handle(color, size_pt):
    """Legend handle of :func:`_cross`."""
    return (Line2D([], [], linestyle="none", marker="x", markersize=size_pt, color="white",
                   markeredgewidth=size_pt * 0.55),
            Line2D([], [], linestyle="none", marker="x", markersize=size_pt, color=DARK,
                   markeredgewidth=size_pt * 0.38),
            Line2D([], [], linestyle="none", marker="x", markersize=size_pt, color=color,
                   markeredgewidth=size_pt * 0.22))


def map_plan_details(plan: gpd.GeoDataFrame, *, detours: gpd.GeoDataFrame | None = None,
                     municipalities: gpd.GeoDataFrame | None = None,
                     roads: gpd.GeoDataFrame | None = None,
                     rivers: gpd.GeoDataFrame | None = None,
                     settings: Settings | None = None, paper: str | None = None,
                     sources: str = "", per_page: int = MAX_PANELS_PER_PAGE,
                     progress=None) -> list[Page]:
    """Close-up panels of every removed, downsized or consolidated bridge of a plan.

    Each panel is zoomed to the bridge and its detour route (at least
    ``MIN_PANEL_SPAN_M`` = 250 m of ground) and shows roads, rivers,
    municipal boundaries, the other bridges in view, the bridge crossed out
    (×) when removed or as a triangle when downsized, and the detour as a bold
    black dashed line on a white casing.  Its title gives the panel number
    (as on the overview plan map), name and id, the option and the detour
    (extra metres and minutes, with all removals of the plan made together);
    a small scale bar gives its own scale.

    Parameters
    ----------
    plan : GeoDataFrame
        ``make_plan`` output (``bridge_id``, ``plan_option``, ``status``,
        optionally ``name``, ``set_id``, ``step``, ``detour_in_plan_m``,
        ``detour_in_plan_min``), metric CRS.
    detours : GeoDataFrame, optional
        :func:`gunmane_geo.maps.detour_routes` output (``bridge_id``,
        ``detour_m``, route line).  Without it the detour comes from the plan's
        ``detour_in_plan_m`` and no route is drawn.
    municipalities, roads, rivers : GeoDataFrame, optional
        Background layers (same CRS).
    per_page : int
        Panels per page, 1..6 (default 6: three across, two down).

    Returns
    -------
    list of Page
        One page per ``per_page`` bridges, in :func:`detail_numbers` order;
        empty when the plan changes no bridge.
    """
    settings = settings or Settings()
    check_projected(plan, municipalities, roads, rivers, detours)
    if plan is None or not len(plan):
        raise GunmaneError("map_plan_details: the plan is empty")
    if "plan_option" not in plan.columns or "bridge_id" not in plan.columns:
        raise GunmaneError("map_plan_details: the plan needs 'bridge_id' and 'plan_option' "
                           "columns: pass make_plan's output")
    per_page = int(min(max(per_page, 1), MAX_PANELS_PER_PAGE))
    plan = plan.reset_index(drop=True)
    cls = plan_class(plan).to_numpy()
    numbers = detail_numbers(plan)
    if not len(numbers):
        return []
    pts = plan.geometry.representative_point()
    by_id = {str(b): i for i, b in enumerate(plan["bridge_id"].astype(str))}
    det_geom, det_m = {}, {}
    if detours is not None and len(detours):
        for r in detours.itertuples():
            det_geom[str(r.bridge_id)] = r.geometry
            det_m[str(r.bridge_id)] = float(r.detour_m)
    hubs = {}
    if "set_id" in plan.columns:
        for i in np.flatnonzero(cls == "kept_hub"):
            row = plan.iloc[i]
            nm = row.get("name") if "name" in plan.columns else None
            hubs[str(row["set_id"])] = str(nm) if nm is not None and not pd.isna(nm) \
                else str(row["bridge_id"])
    munis = dissolved_municipalities(municipalities)
    ids = list(numbers.index)
    pages = []
    with map_style(settings):
        for p0 in range(0, len(ids), per_page):
            chunk = ids[p0:p0 + per_page]
            n_pages = math.ceil(len(ids) / per_page)
            # every page of a series has the same panel size (the last one too)
            rows_, cols_ = _grid(len(chunk) if n_pages == 1 else per_page)
            suffix = f"（{p0 // per_page + 1}/{n_pages}）" if n_pages > 1 else ""
            page = Page("集約・撤去計画（案）詳細図" + suffix,
                        "Close-ups: each bridge that loses vehicle traffic and its detour"
                        + region_suffix(settings), settings=settings, paper=paper, sources=sources,
                        crs=plan.crs, grid=(rows_, cols_))
            present = set()
            for ax in page.axes[len(chunk):]:     # 5 panels in a 2 x 3 grid: no empty frame
                ax.remove()
            page.axes = page.axes[:len(chunk)]
            for k, (ax, bid) in enumerate(zip(page.axes, chunk)):
                report_progress(progress, (p0 + k) / len(ids), f"close-up {bid}")
                i = by_id[bid]
                row = plan.iloc[i]
                c = cls[i]
                present.add(c)
                x, y = pts.iloc[i].x, pts.iloc[i].y
                route = det_geom.get(bid)
                has_route = route is not None and not route.is_empty
                geoms = [pts.iloc[i]] + ([route] if has_route else [])
                b = np.array([g.bounds for g in geoms])
                minx, miny = b[:, 0].min(), b[:, 1].min()
                maxx, maxy = b[:, 2].max(), b[:, 3].max()
                span = max(maxx - minx, maxy - miny, MIN_PANEL_SPAN_M)
                cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
                half = span / 2
                # a strip at the bottom for the scale bar, so it never sits on the bridge
                bounds = (cx - half, cy - half - SCALE_STRIP * span, cx + half, cy + half)
                page.set_extent(bounds, margin=0.12, ax=ax)
                ext = (*ax.get_xlim(), *ax.get_ylim())
                view = (ext[0], ext[2], ext[1], ext[3])
                # scale of line widths with the panel size (A3 panels are larger)
                lw = page.fs / 11.0
                if munis is not None:
                    mv = _clip(munis, view)
                    if mv is not None:
                        mv.plot(ax=ax, facecolor=LIGHT_GREY, edgecolor="none", zorder=1)
                        mv.boundary.plot(ax=ax, color="#777777", linewidth=1.0 * lw,
                                         linestyle=BOUNDARY_DASH, zorder=2)
                rv = _clip(rivers, view)
                if rv is not None:
                    rv.plot(ax=ax, color=RIVER_COLOR, linewidth=2.2 * lw, zorder=2)
                    present.add("river")
                _draw_roads(ax, _clip(roads, view), lw)
                if has_route:
                    # bold on any paper: at least 2.2 pt (A4), 2.6 pt on A3
                    lw_route = max(2.2, DETOUR_STYLE["linewidth"] * lw)
                    gpd.GeoSeries([route]).plot(ax=ax, zorder=6, **{**DETOUR_CASING,
                                                "linewidth": 2 * lw_route})
                    gpd.GeoSeries([route]).plot(ax=ax, zorder=7, **{**DETOUR_STYLE,
                                                "linewidth": lw_route})
                    ax.collections[-1].set_gid(f"detour:{bid}")
                    present.add("detour")
                # other bridges in view: kept small, changed ones with their symbols
                inview = np.flatnonzero((pts.x >= view[0]).to_numpy() & (pts.x <= view[2]).to_numpy()
                                        & (pts.y >= view[1]).to_numpy() & (pts.y <= view[3]).to_numpy())
                msize = page.fs * 1.1
                for j in inview:
                    if j == i:
                        continue
                    cj = cls[j]
                    xj, yj = pts.iloc[j].x, pts.iloc[j].y
                    if cj in CROSSED_CLASSES:
                        _cross(ax, xj, yj, PLAN_CLASSES[cj][2], msize * 0.8, 9)
                        present.add(cj)
                    else:
                        _, _, col, mk, _ = PLAN_CLASSES[cj]
                        ax.scatter([xj], [yj], s=(msize * (0.55 if cj == "keep" else 0.9)) ** 2,
                                   marker=mk, c=[col], edgecolors=DARK, linewidths=0.7, zorder=8)
                        present.add(cj)
                    nj = numbers.get(str(plan["bridge_id"].iloc[j]))
                    if nj is not None:
                        ax.annotate(str(nj), (xj, yj), xytext=(msize * 0.7, msize * 0.7),
                                    textcoords="offset points", fontsize=page.fs * 0.8,
                                    color=DARK, zorder=12, path_effects=text_halo())
                # the bridge of this panel, on top
                if c in CROSSED_CLASSES:
                    _cross(ax, x, y, PLAN_CLASSES[c][2], msize * 1.35, 10, gid=f"bridge:{bid}")
                else:
                    _, _, col, mk, _ = PLAN_CLASSES[c]
                    ax.scatter([x], [y], s=(msize * 1.35) ** 2, marker=mk, c=[col],
                               edgecolors=DARK, linewidths=1.2, zorder=10, gid=f"bridge:{bid}")
                # title: number, name (id); option | detour
                d_m = det_m.get(bid)
                if d_m is None and "detour_in_plan_m" in plan.columns:
                    d_m = pd.to_numeric(pd.Series([row["detour_in_plan_m"]]), errors="coerce")[0]
                d_m = float("nan") if d_m is None else float(d_m)
                d_min = None
                if "detour_in_plan_min" in plan.columns:
                    d_min = pd.to_numeric(pd.Series([row["detour_in_plan_min"]]), errors="coerce")[0]
                panel_pt = ax.get_position().width * page.w_in * 72
                hub = hubs.get(str(row.get("set_id"))) if "set_id" in plan.columns else None
                head, sub = _panel_title(row, c, d_m, d_min, hub,
                                         int(panel_pt / (page.fs * 0.9 * 0.5)) - 1)
                _panel_heading(page, ax, f"{numbers[bid]}  {head}", sub)
                before = {id(a) for a in ax.get_children()}
                page.scale_bar(ax, compact=True)
                page.north_arrow(ax, compact=True)
                deco = [a for a in ax.get_children() if id(a) not in before]
                # the panel's number, boxed as on the plan map, clear of the detour, the
                # other bridges, the scale bar and the north arrow
                others = [(pts.iloc[j].x, pts.iloc[j].y) for j in inview if j != i]
                place_labels(page, ax, [(x, y)], [str(numbers[bid])], avoid=others,
                             avoid_artists=deco, avoid_lines=[route] if has_route else None,
                             size=1.05, marker_pt=msize * 1.35, zorder=12)
            # legend: only what the pages show
            handles, labels = [], []
            for code in ("remove", "remove_upgrade_detour", "consolidated"):
                if code in present:
                    handles.append(cross_handle(PLAN_CLASSES[code][2], page.fs * 1.2))
                    labels.append(f"{PLAN_CLASSES[code][0]}（×）")
            for code in ("downsize", "kept_hub", "keep"):
                if code in present:
                    _, _, col, mk, _ = PLAN_CLASSES[code]
                    handles.append(point_handle(col, mk, page.fs * (0.7 if code == "keep" else 1.0)))
                    labels.append(PLAN_CLASSES[code][0])
            page.add_legend(handles, labels, title="橋梁 / bridges")
            rh, rl = [], []
            if "detour" in present:
                rh.append(detour_handle())
                rl.append("迂回路（すべての撤去を行った後の最短経路）")
            rh += [Line2D([], [], color="#6E6E6E", lw=2.0), Line2D([], [], color="#9A9A9A", lw=1.0)]
            rl += ["国道・県道", "市町村道ほか"]
            if "river" in present:
                rh.append(Line2D([], [], color=RIVER_COLOR, lw=2.2))
                rl.append("河川")
            if munis is not None:
                rh.append(Line2D([], [], color="#777777", lw=1.0, linestyle=BOUNDARY_DASH))
                rl.append("市区町村界")
            page.add_legend(rh, rl, title="線 / lines")
            page.add_note("番号は計画図（全体図）の番号と同じ。迂回は橋を渡る場合より長くなる"
                          "距離と時間（計画のすべての撤去を同時に行った場合）。"
                          + ("ダウンサイジングした橋は歩行者・自転車が通行でき、車は迂回する。"
                             if "downsize" in present else "")
                          + "図ごとに縮尺が異なる（各図の縮尺記号を参照）。上が北。"
                          "\nNumbers as on the plan map. Detour = extra distance and time with "
                          "all planned removals made; scales differ per panel.")
            page.detail_ids = list(chunk)
            pages.append(page)
    report_progress(progress, 1.0, "close-ups done")
    return pages
