"""The council map kinds.  Each takes GeoDataFrames and returns a :class:`Page`.

* :func:`map_groups`   municipalities coloured and hatched by group, members labelled
* :func:`map_bridges`  bridges by criticality class or by recommended option
* :func:`map_plan`     the plan: kept, removed, downsized, consolidated; detour routes drawn
* :func:`map_ageing`   share of bridges 50+ years old per municipality, now / +10 / +20 years
* :func:`chart_effect` 導入効果試算: stacked bars before/after per municipality and group

All data must be in a projected CRS with metre units (the Region's CRS).
Call ``page.save(stem)`` to write PDF and PNG.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..errors import GunmaneError
from ..money import yen_ja  # also the QGIS plugin's labels (styling.py)
from ..settings import Settings
from .common import (BOUNDARY_DASH, DETOUR_CASING, DETOUR_STYLE, PLAN_CLASSES,  # noqa: F401
                     check_projected, dissolved_municipalities, point_handle, region_suffix, detail_numbers,
                     detour_handle, plan_class)
from .labels import place_area_labels, place_labels
from .layout import Page, map_style, wrap_text
from .styles import (DARK, GREY, LIGHT_GREY, OKABE_ITO, SEQUENTIAL_HATCHES, qualitative,
                     sequential, text_halo)

# --------------------------------------------------------------------------- classes
OPTION_CLASSES = {k: v for k, v in PLAN_CLASSES.items() if k not in ("kept_hub", "consolidated")}
OPTION_CLASSES["consolidate"] = PLAN_CLASSES["consolidated"]

#: criticality classes, least to most critical: code -> (ja, en, colour, marker, size).
#: Detour breaks are a third and two thirds of ``settings.guards.max_detour_m``.
CRITICALITY_CLASSES = {
    "low": ("迂回 {a}未満", "detour under {a}", "#56B4E9", "o", 0.5),
    "medium": ("迂回 {a}〜{b}", "detour {a} to {b}", "#F0E442", "s", 0.7),
    "high": ("迂回 {b}〜{c}（上限以内）", "detour {b} to {c} (within the limit)", "#E69F00", "D", 0.9),
    "very_high": ("迂回が上限（{c}）を超える", "detour over the limit ({c})", "#D55E00", "^", 1.2),
    "dead_end": ("撤去で行き止まり（人口・施設なし）", "dead end, nobody cut off", "#999999", "v", 0.9),
    "isolating": ("撤去で孤立が生じる", "removal cuts people off", "#000000", "X", 1.4),
    "unknown": ("判定不能（道路網と未接続）", "not on the road network", "#FFFFFF", "$?$", 1.0),
}


def criticality_classes(settings: Settings | None = None) -> dict:
    """:data:`CRITICALITY_CLASSES` with the detour breaks of ``settings`` in the labels."""
    settings = settings or Settings()
    limit = float(settings.guards.max_detour_m)
    from .layout import scale_length_text
    a, b, c = (scale_length_text(round(limit * f, -1)) for f in (1 / 3, 2 / 3, 1.0))
    return {k: (ja.format(a=a, b=b, c=c), en.format(a=a, b=b, c=c), *rest)
            for k, (ja, en, *rest) in CRITICALITY_CLASSES.items()}


def criticality_class(crit: pd.DataFrame, settings: Settings | None = None) -> pd.Series:
    """Class code of each bridge from its single-removal measures.

    ``isolating`` when removing it cuts people or facilities off
    (``isolated_population`` or ``isolated_facilities`` > 0); ``dead_end`` when
    it has no alternative route (``isolates`` or ``detour_m`` infinite) but
    nobody is cut off; otherwise by ``detour_m`` with breaks at a third, two
    thirds and all of ``settings.guards.max_detour_m`` (1, 2, 3 km by default).
    Bridges without a detour value (not on the road network) are ``unknown``.
    """
    settings = settings or Settings()
    limit = float(settings.guards.max_detour_m)
    a, b = round(limit / 3, -1), round(2 * limit / 3, -1)
    idx = crit.index
    detour = pd.to_numeric(crit["detour_m"] if "detour_m" in crit.columns
                           else pd.Series(np.nan, index=idx), errors="coerce").astype(float)
    iso = pd.to_numeric(crit["isolated_population"] if "isolated_population" in crit.columns
                        else pd.Series(0.0, index=idx), errors="coerce").fillna(0.0)
    for col in ("isolated_facilities", "n_facilities_cut_off", "facilities_cut_off"):
        if col in crit.columns:
            iso = iso + pd.to_numeric(crit[col], errors="coerce").fillna(0.0)
            break
    no_route = np.isinf(detour)
    if "isolates" in crit.columns:
        no_route = no_route | crit["isolates"].fillna(False).astype(bool)
    if "matched" in crit.columns:
        on_net = crit["matched"].fillna(False).astype(bool)
    else:
        on_net = detour.notna() | no_route
    cls = pd.Series("unknown", index=idx, dtype=object)
    cls[on_net & (detour < a)] = "low"
    cls[on_net & (detour >= a) & (detour < b)] = "medium"
    cls[on_net & (detour >= b) & (detour <= limit)] = "high"
    cls[on_net & (detour > limit)] = "very_high"
    cls[on_net & no_route] = "dead_end"
    cls[on_net & (iso > 0)] = "isolating"
    return cls


# --------------------------------------------------------------------------- helpers
def _lighten(color, amount: float = 0.45):
    r, g, b = to_rgb(color)
    return (1 - (1 - r) * amount, 1 - (1 - g) * amount, 1 - (1 - b) * amount)


def _bounds(*frames):
    bs = [f.total_bounds for f in frames if f is not None and len(f)]
    if not bs:
        raise GunmaneError("nothing to map: every layer is empty")
    b = np.array(bs)
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def _background(page, ax, munis, roads, *, fill=LIGHT_GREY, labels=False):
    handles, names = [], []
    if munis is not None:
        munis.plot(ax=ax, facecolor=fill, edgecolor="none", zorder=1)
        munis.boundary.plot(ax=ax, color="#555555", linewidth=0.8, linestyle=BOUNDARY_DASH,
                            zorder=3)
        handles.append(Line2D([], [], color="#555555", lw=0.8, linestyle=BOUNDARY_DASH))
        names.append("市区町村界")
    if roads is not None and len(roads):
        major = roads["road_class"].isin(["national", "prefectural"]) \
            if "road_class" in roads.columns else pd.Series(False, index=roads.index)
        roads[~major].plot(ax=ax, color="#9A9A9A", linewidth=0.45, zorder=2)
        if major.any():
            roads[major].plot(ax=ax, color="#6E6E6E", linewidth=1.1, zorder=2)
            handles.append(Line2D([], [], color="#6E6E6E", lw=1.1))
            names.append("国道・県道")
        handles.append(Line2D([], [], color="#9A9A9A", lw=0.45))
        names.append("市町村道ほか")
    if labels and munis is not None:
        _label_municipalities(page, ax, munis)
    return handles, names


def _label_municipalities(page, ax, munis, extra=None, size=1.0, boxed=False, avoid_points=None,
                          point_weights=None, avoid_lines=None, avoid_artists=(), marker_pt=6.0):
    """Municipality names (and ``extra`` lines): at the representative point, or, when
    ``avoid_points``/``avoid_lines`` are given, at the spot inside each municipality that
    covers the fewest markers and lines (:func:`place_area_labels`).  Drawn on top
    (zorder 40) so that no marker or number hides a name.  Returns the texts."""
    texts = [r.municipality_name if extra is None else f"{r.municipality_name}\n{extra[i]}"
             for i, r in enumerate(munis.itertuples())]
    if avoid_points is not None or avoid_lines is not None:
        return place_area_labels(page, ax, munis, texts, avoid_points=avoid_points,
                                 point_weights=point_weights, avoid_lines=avoid_lines,
                                 avoid_artists=avoid_artists, marker_pt=marker_pt, size=size,
                                 boxed=boxed)
    out = []
    for text, r in zip(texts, munis.itertuples()):
        if r.geometry is None or r.geometry.is_empty:
            continue
        p = r.geometry.representative_point()
        kw = ({"bbox": {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none",
                        "alpha": 0.85}} if boxed else {"path_effects": text_halo()})
        out.append(ax.text(p.x, p.y, text, ha="center", va="center", fontsize=page.fs * size,
                           zorder=40, color=DARK, linespacing=1.2, **kw))
    return out


def _points(ax, gdf, color, marker, size, zorder):
    pts = gdf.geometry.representative_point() if len(gdf) else gdf.geometry
    ax.scatter(pts.x, pts.y, s=size, c=[color], marker=marker, edgecolors=DARK, linewidths=0.7,
               zorder=zorder)


def _class_map(page, gdf, cls: pd.Series, classes: dict, title: str, zorder0: int = 10,
               legend: bool = True, n_total: int | None = None):
    """Draw points by class (lowest first), legend of the classes present with counts.

    Marker size shrinks with the number of points of the class, counted as at
    least a quarter of all points (full size up to 100, 45 % from 500 on), so
    that a thousand bridges do not hide the map while a rare class keeps a
    readable symbol.  ``n_total`` is the number of all bridges of the map when
    ``gdf`` is a part of them (the changes drawn over the kept bridges).
    """
    ax = page.ax
    handles, labels = [], []
    for code, (ja, en, color, marker, k) in classes.items():
        sel = gdf[cls.to_numpy() == code]
        if not len(sel):
            continue
        n_eff = max(len(sel), 0.25 * (len(gdf) if n_total is None else n_total))
        shrink = float(np.clip(math.sqrt(100.0 / n_eff), 0.45, 1.0))
        base = (page.fs * 1.25 * shrink) ** 2
        _points(ax, sel, color, marker, base * k, zorder=zorder0 + list(classes).index(code))
        handles.append(point_handle(color, marker, page.fs * 1.25 * shrink * math.sqrt(k)))
        labels.append(f"{ja}（{len(sel)}橋）")
    if legend:
        page.add_legend(handles, labels, title=title)
    return handles, labels


def drop_slivers(geom, max_mean_width_m: float = 10.0):
    """Remove holes thinner than ``max_mean_width_m`` (2 x area / perimeter) from a polygon.

    Digitised boundaries of neighbouring municipalities leave thin gaps that
    would show as stray lines inside a dissolved group; real enclaves are wide.
    """
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    def fix(p):
        keep = [r for r in p.interiors
                if 2 * Polygon(r).area / max(r.length, 1e-9) >= max_mean_width_m]
        return Polygon(p.exterior, keep)
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type == "Polygon":
        return fix(geom)
    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([fix(p) for p in geom.geoms])
    return shapely.make_valid(geom)


def _marker_pt(handles, default: float = 9.0) -> float:
    """Largest marker size (points) among legend handles of :func:`_class_map`."""
    sizes = [h.get_markersize() for h in handles if hasattr(h, "get_markersize")]
    return float(max(sizes)) if sizes else default


def _decorate(page):
    """``page.decorate()`` (scale bar, north arrow); returns the artists it added to the map,
    so that labels keep clear of them."""
    before = {id(a) for ax in page.axes for a in ax.get_children()}
    page.decorate()
    return [a for ax in page.axes for a in ax.get_children() if id(a) not in before]


def _sources_note(page, text):
    if text:
        page.add_note(text)


# --------------------------------------------------------------------------- map kinds
def map_groups(municipalities: gpd.GeoDataFrame, group_members: pd.DataFrame, *,
               roads: gpd.GeoDataFrame | None = None, settings: Settings | None = None,
               paper: str | None = None, title: str | None = None, sources: str = "",
               note: str = "") -> Page:
    """Municipal groups: each group a colour and a hatch, its outline bold, members labelled.

    Parameters
    ----------
    municipalities : GeoDataFrame
        ``municipality_code``, ``municipality_name`` polygons (metric CRS).
    group_members : DataFrame
        ``group_id``, ``municipality_code`` and optionally ``group_name``; one
        partition (a municipality in at most one group: the first row wins).
    roads : GeoDataFrame, optional
        Drawn thin in the background.
    """
    settings = settings or Settings()
    check_projected(municipalities, roads)
    from ..indicators import members_table
    with map_style(settings):
        munis = dissolved_municipalities(municipalities)
        gm = members_table(group_members).drop_duplicates("municipality_code")
        m = munis.merge(gm, on="municipality_code", how="left")
        page = Page(title or "群マネ 広域連携グループ（案）",
                    "Municipal groups for joint management (proposal)" + region_suffix(settings),
                    settings=settings, paper=paper, sources=sources, crs=municipalities.crs)
        ax = page.ax
        handles, labels = [], []
        group_ids = sorted(m["group_id"].dropna().unique())
        for i, gid in enumerate(group_ids):
            sub = m[m["group_id"] == gid]
            st = qualitative(i)
            sub.plot(ax=ax, facecolor=_lighten(st["color"], 0.55), edgecolor="#444444",
                     hatch=st["hatch"], linewidth=0, zorder=1)
            handles.append(Patch(facecolor=_lighten(st["color"], 0.55), edgecolor="#444444",
                                 hatch=st["hatch"], linewidth=0.8))
            labels.append(f"{sub['group_name'].iloc[0]}（{len(sub)}市区町村）")
        out = m[m["group_id"].isna()]
        if len(out):
            out.plot(ax=ax, facecolor="white", edgecolor="none", zorder=1)
            handles.append(Patch(facecolor="white", edgecolor="#777777", linewidth=0.8))
            labels.append(f"グループ外（{len(out)}市区町村）")
        if roads is not None and len(roads):
            roads.plot(ax=ax, color="#9A9A9A", linewidth=0.35, zorder=2, alpha=0.8)
        munis.boundary.plot(ax=ax, color="#555555", linewidth=0.7, zorder=3)
        if group_ids:
            outline = m[m["group_id"].notna()].dissolve(by="group_id")
            outline = outline.set_geometry(outline.geometry.map(drop_slivers))
            outline.boundary.plot(ax=ax, color=DARK, linewidth=2.4, zorder=4)
        _label_municipalities(page, ax, munis, size=1.15, boxed=True)
        page.set_extent(_bounds(munis))
        page.decorate()
        page.add_legend(handles, labels, title="グループ / groups")
        lh = [Line2D([], [], color=DARK, lw=2.4), Line2D([], [], color="#555555", lw=0.7)]
        ll = ["グループの境界", "市区町村界"]
        if roads is not None and len(roads):
            lh.append(Line2D([], [], color="#9A9A9A", lw=0.6))
            ll.append("道路")
        page.add_legend(lh, ll, title="線 / lines")
        _sources_note(page, note)
    return page


def map_bridges(bridges: gpd.GeoDataFrame, *, by: str = "criticality",
                column: str | None = None, municipalities: gpd.GeoDataFrame | None = None,
                roads: gpd.GeoDataFrame | None = None, settings: Settings | None = None,
                paper: str | None = None, title: str | None = None, sources: str = "",
                note: str = "") -> Page:
    """Bridges by criticality class or by recommended option.

    Parameters
    ----------
    bridges : GeoDataFrame
        One row per bridge (point or line).  For ``by="criticality"``: the
        criticality measures (``detour_m``, ``isolated_population``), classed by
        :func:`criticality_class`.  For ``by="option"``: ``column`` (default
        ``option``) holds option codes (keep, remove, remove_upgrade_detour,
        downsize, consolidate).
    by : {"criticality", "option"}
    """
    settings = settings or Settings()
    check_projected(bridges, municipalities, roads)
    if by not in ("criticality", "option"):
        raise GunmaneError(f"map_bridges: by='{by}': use 'criticality' or 'option'")
    if bridges is None or not len(bridges):
        raise GunmaneError("map_bridges: there are no bridges to map")
    with map_style(settings):
        munis = dissolved_municipalities(municipalities)
        if by == "criticality":
            cls, classes = criticality_class(bridges, settings), criticality_classes(settings)
            t = title or "橋梁の重要度（撤去した場合の迂回・孤立）"
            sub = "Bridge criticality: detour and isolation if the bridge were closed"
            legend_title = "撤去した場合 / if closed"
        else:
            col = column or "option"
            if col not in bridges.columns:
                raise GunmaneError(f"map_bridges: column '{col}' is missing from the bridges")
            cls, classes = bridges[col].astype(str), OPTION_CLASSES
            unknown = sorted(set(cls) - set(classes))
            if unknown:
                raise GunmaneError(f"map_bridges: unknown option codes {unknown}; known: "
                                   f"{', '.join(classes)}")
            t = title or "橋梁ごとの推奨案（集約・撤去・ダウンサイジング）"
            sub = "Recommended option per bridge"
            legend_title = "推奨案 / option"
        page = Page(t, sub + region_suffix(settings), settings=settings, paper=paper, sources=sources,
                    crs=bridges.crs)
        bh, bl = _background(page, page.ax, munis, roads)
        if by == "option":   # the many kept bridges small and under, the changes on top
            keep = (cls == "keep").to_numpy()
            h1, l1 = _class_map(page, bridges[keep], cls[keep], {"keep": classes["keep"]}, "",
                                legend=False)
            h2, l2 = _class_map(page, bridges[~keep], cls[~keep], classes, "", zorder0=13,
                                legend=False, n_total=len(bridges))
            page.add_legend(h1 + h2, l1 + l2, title=legend_title)
        else:
            h2, _ = _class_map(page, bridges, cls, classes, legend_title)
            keep = np.zeros(len(bridges), dtype=bool)
        page.set_extent(_bounds(munis if munis is not None else bridges))
        deco = _decorate(page)
        if munis is not None:   # names clear of the markers (the changed ones above all)
            pts = bridges.geometry.representative_point()
            _label_municipalities(page, page.ax, munis, size=1.05, boxed=True,
                                  avoid_points=np.column_stack([pts.x, pts.y]),
                                  point_weights=np.where(keep, 0.2, 1.0 if by == "criticality"
                                                         else 10.0),
                                  avoid_artists=deco, marker_pt=_marker_pt(h2))
        page.add_legend(bh, bl, title="背景 / background")
        _sources_note(page, note)
    return page


def map_plan(plan: gpd.GeoDataFrame, *, detours: gpd.GeoDataFrame | None = None,
             municipalities: gpd.GeoDataFrame | None = None,
             roads: gpd.GeoDataFrame | None = None, settings: Settings | None = None,
             paper: str | None = None, title: str | None = None, sources: str = "",
             note: str = "", number_bridges: bool = True) -> Page:
    """The plan: bridges kept, removed, downsized, consolidated, with detour routes drawn.

    Parameters
    ----------
    plan : GeoDataFrame
        ``make_plan`` output, one row per bridge (``plan_option``, ``status``, ``set_id``).
    detours : GeoDataFrame, optional
        :func:`detour_routes` output; drawn as bold black dashed lines under the bridges.
    number_bridges : bool
        Label each removed, downsized or consolidated bridge with its number in
        the close-ups (:func:`gunmane_geo.maps.map_plan_details`), placed so that
        labels do not overlap.
    """
    settings = settings or Settings()
    check_projected(plan, municipalities, roads, detours)
    if plan is None or not len(plan):
        raise GunmaneError("map_plan: the plan is empty")
    with map_style(settings):
        munis = dissolved_municipalities(municipalities)
        page = Page(title or "橋梁の集約・撤去計画（案）",
                    "Bridge consolidation and removal plan (proposal)" + region_suffix(settings),
                    settings=settings, paper=paper, sources=sources, crs=plan.crs)
        ax = page.ax
        bh, bl = _background(page, ax, munis, roads)
        route_handles, route_labels = [], []
        if detours is not None and len(detours):
            d = detours[~(detours.geometry.isna() | detours.geometry.is_empty)]
            if len(d):
                d.plot(ax=ax, zorder=11, **DETOUR_CASING)
                d.plot(ax=ax, zorder=12, **DETOUR_STYLE)
                route_handles.append(detour_handle())
                route_labels.append(f"迂回路（撤去後の経路、{len(d)}本）")
        # kept bridges under the detours (zorder 10), every change above them (14+)
        cls = plan_class(plan)
        keep = cls == "keep"
        h1, l1 = _class_map(page, plan[keep.to_numpy()], cls[keep], {"keep": PLAN_CLASSES["keep"]},
                            "", zorder0=10, legend=False)
        h2, l2 = _class_map(page, plan[~keep.to_numpy()], cls[~keep], PLAN_CLASSES, "",
                            zorder0=13, legend=False, n_total=len(plan))
        page.add_legend(h1 + h2, l1 + l2, title="計画 / plan")
        page.set_extent(_bounds(munis if munis is not None else plan))
        deco = _decorate(page)
        pts = plan.geometry.representative_point()
        changed = ~keep.to_numpy()
        names = []
        if munis is not None:   # names first, clear of the changes and detours, on top
            names = _label_municipalities(
                page, ax, munis, size=1.05, boxed=True,
                avoid_points=np.column_stack([pts.x, pts.y]),
                point_weights=np.where(changed, 10.0, 0.2),
                avoid_lines=None if detours is None else detours.geometry,
                avoid_artists=deco, marker_pt=_marker_pt(h2))
        numbers = detail_numbers(plan) if number_bridges else pd.Series(dtype=int)
        if len(numbers):        # then the numbers, clear of the names and of each other
            first = pd.Series(np.arange(len(plan)), index=plan["bridge_id"].astype(str).to_numpy())
            first = first[~first.index.duplicated()]
            at = first.loc[numbers.index.astype(str)].to_numpy()
            xy = np.column_stack([pts.x.to_numpy()[at], pts.y.to_numpy()[at]])
            place_labels(page, ax, xy, [str(n) for n in numbers],
                         avoid=np.column_stack([pts.x, pts.y])[changed],
                         avoid_artists=list(names) + list(deco), marker_pt=_marker_pt(h2))
        page.add_legend(route_handles, route_labels, title="迂回路 / detour routes")
        page.add_legend(bh, bl, title="背景 / background")
        _sources_note(page, note)
        if len(numbers) and "詳細図" not in (note or ""):
            page.add_note("四角囲みの数字は詳細図（拡大図）の番号。/ Boxed numbers refer to the "
                          "close-up panels.")
    return page


AGEING_BREAKS = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0000001]
AGEING_LABELS = ["20%未満", "20〜40%", "40〜60%", "60〜80%", "80%以上"]


def map_ageing(indicators: gpd.GeoDataFrame, *, columns: list[str] | None = None,
               roads: gpd.GeoDataFrame | None = None, settings: Settings | None = None,
               paper: str | None = None, title: str | None = None, sources: str = "",
               note: str = "") -> Page:
    """Share of bridges 50+ years old per municipality: one choropleth per horizon.

    Parameters
    ----------
    indicators : GeoDataFrame
        :func:`gunmane_geo.indicators.municipality_indicators` output; its
        municipality rows are mapped.
    columns : list of str, optional
        Share columns (fractions 0..1), default the ``share_age<T>_*`` columns:
        now, in 10 and in 20 years, side by side at one scale.
    """
    settings = settings or Settings()
    check_projected(indicators, roads)
    from ..indicators import age_columns, indicator_labels
    ind = indicators[indicators["level"] == "municipality"] if "level" in indicators.columns \
        else indicators
    columns = columns or [c for c in age_columns(settings) if c in ind.columns]
    if not columns:
        raise GunmaneError("map_ageing: no share_age* columns: compute the indicators first")
    if "municipality_name" not in ind.columns:
        ind = ind.assign(municipality_name=ind["unit_name"])
    t = int(settings.effect.ageing_threshold_years)
    colors = sequential(len(AGEING_LABELS))
    with map_style(settings):
        page = Page(title or f"建設後{t}年以上の橋梁の割合（市区町村別）",
                    f"Share of municipal bridges {t}+ years old" + region_suffix(settings),
                    settings=settings, paper=paper, sources=sources, crs=indicators.crs,
                    n_maps=len(columns))
        labels_all = indicator_labels(columns)
        present = set()
        for ax, col in zip(page.axes, columns):
            v = pd.to_numeric(ind[col], errors="coerce")
            k = pd.cut(v, AGEING_BREAKS, right=False, labels=False)
            for i in range(len(AGEING_LABELS)):
                sel = ind[k == i]
                if len(sel):
                    present.add(i)
                    sel.plot(ax=ax, facecolor=colors[i], edgecolor="white" if i >= 3 else DARK,
                             hatch=SEQUENTIAL_HATCHES[i], linewidth=0, zorder=1)
            nodata = ind[v.isna()]
            if len(nodata):
                present.add("na")
                nodata.plot(ax=ax, facecolor="white", edgecolor=GREY, hatch="xx", linewidth=0,
                            zorder=1)
            if roads is not None and len(roads):
                roads.plot(ax=ax, color="#9A9A9A", linewidth=0.3, zorder=2, alpha=0.7)
            ind.boundary.plot(ax=ax, color=DARK, linewidth=0.6, zorder=3)
            pct = ["データなし" if pd.isna(x) else f"{x:.0%}" for x in v]
            _label_municipalities(page, ax, ind, extra=pct, size=0.85 if len(columns) > 1 else 1.0,
                                  boxed=True)
            ax.set_title(labels_all[col][0].replace(f"建設後{t}年以上の割合", "").strip("（）") or col,
                         fontsize=page.fs * 1.3, pad=4)
        across = len(columns) > 1 and page.maps_across(_bounds(ind))
        if len(columns) > 1 and not across:
            page.fit_frames(_bounds(ind))
        page.set_extent(_bounds(ind))
        page.decorate()
        handles = [Patch(facecolor=colors[i], edgecolor="white" if i >= 3 else DARK,
                         hatch=SEQUENTIAL_HATCHES[i], linewidth=0.6) for i in range(len(AGEING_LABELS))]
        labels = list(AGEING_LABELS)
        if "na" in present:
            handles.append(Patch(facecolor="white", edgecolor=GREY, hatch="xx", linewidth=0.6))
            labels.append("データなし（架設年不明）")
        page.add_legend(handles, labels, title=f"建設後{t}年以上の割合")
        if across:
            page.note_column()
        if note:
            page.add_note(note)
        page.add_note("割合は架設年の分かる市区町村管理橋梁に対する比率。"
                      "将来の割合は現在の橋梁がそのまま残る場合。"
                      "\nShare of municipal bridges with a known year built; future "
                      "shares assume today's bridges remain.")
    return page


def _yen_unit(max_value: float) -> tuple[float, str, str]:
    """Chart unit for yen amounts up to ``max_value``: 億円 from 1億 (10^8), 万円 from 10万."""
    if max_value >= 1e8:
        return 1e8, "億円", "100 million yen"
    if max_value >= 1e5:
        return 1e4, "万円", "10,000 yen"
    return 1.0, "円", "yen"


def _unit_fmt(div: float):
    """Number format of values already divided by ``div`` (億円 with 2 decimals)."""
    return (lambda v: f"{v:,.2f}") if div >= 1e8 else (lambda v: f"{v:,.0f}")


def _group_label(name: str, width: int) -> str:
    """【name】 wrapped at ``ほか`` (湊川市ほか4団体 -> 湊川市 / ほか4団体) before plain wrapping."""
    if "ほか" in name and not name.startswith("ほか"):
        a, b = name.split("ほか", 1)
        return f"【{a}\nほか{b}】"
    return wrap_text(f"【{name}】", width)


def chart_effect(effect: pd.DataFrame, *, settings: Settings | None = None,
                 paper: str | None = None, title: str | None = None, sources: str = "",
                 note: str = "") -> Page:
    """導入効果試算: total cost before and after, stacked, per municipality and group.

    Each unit has two bars, 現状 (now) and 導入後 (after).  Stacks: 直営人件費
    (direct hours x labour cost), 委託（既存業務） (outsourced work of today)
    and, after, 新たに必要となる経費 (outsourcing of the work moved out of the
    direct hours).  The figure above each pair is the total reduction.

    Parameters
    ----------
    effect : DataFrame
        :func:`gunmane_geo.effect.effect_estimate` output.
    """
    settings = settings or Settings()
    need = ["unit_name", "level", "direct_cost_before_yen", "direct_cost_after_yen",
            "outsourcing_before_yen", "outsourcing_after_yen", "total_reduction_yen"]
    miss = [c for c in need if c not in effect.columns]
    if miss:
        raise GunmaneError(f"chart_effect: columns {miss} are missing: pass effect_estimate's output")
    if not len(effect):
        raise GunmaneError("chart_effect: the effect table is empty")
    e = pd.DataFrame(effect).reset_index(drop=True)
    totals = np.maximum(e["direct_cost_before_yen"] + e["outsourcing_before_yen"],
                        e["direct_cost_after_yen"] + e["outsourcing_after_yen"])
    div, unit_ja, unit_en = _yen_unit(float(totals.max()))
    fmt = _unit_fmt(div)
    with map_style(settings):
        page = Page(title or "導入効果試算（直営＋委託のトータルコスト）",
                    "Effect estimate: direct staff cost + outsourcing, now and after the group "
                    f"arrangement ({unit_en} per year)" + region_suffix(settings),
                    settings=settings, paper=paper, sources=sources, crs=None, chart=True)
        ax = page.ax
        styles = [("直営人件費", "direct staff cost", OKABE_ITO[4], ""),
                  ("委託（既存業務）", "outsourcing: existing work", OKABE_ITO[0], "//"),
                  ("新たに必要となる経費", "outsourcing: work moved out", OKABE_ITO[5], "xx")]
        x, width, xt, xl = 0.0, 0.38, [], []
        crowded = len(e) > 7
        prev_level = None
        for i, r in e.iterrows():
            if prev_level is not None and r["level"] != prev_level:
                ax.axvline(x - 0.55, color=GREY, lw=1.0, ls="--")
                x += 0.4
            prev_level = r["level"]
            o0, o1 = r["outsourcing_before_yen"], r["outsourcing_after_yen"]
            before = [r["direct_cost_before_yen"], o0, 0.0]
            if "new_outsourcing_cost_yen" in e.columns:
                after = [r["direct_cost_after_yen"], o1 - r["new_outsourcing_cost_yen"],
                         r["new_outsourcing_cost_yen"]]
            else:
                after = [r["direct_cost_after_yen"], min(o0, o1), max(o1 - o0, 0.0)]
            for xpos, stack in ((x - width / 2 - 0.02, before), (x + width / 2 + 0.02, after)):
                bottom = 0.0
                for (ja, en, color, hatch), val in zip(styles, stack):
                    if val > 0:
                        ax.bar(xpos, val / div, width, bottom=bottom, color=color, hatch=hatch,
                               edgecolor=DARK, linewidth=0.7)
                        bottom += val / div
                ax.text(xpos, bottom, fmt(bottom), ha="center", va="bottom",
                        fontsize=page.fs * 0.8)
            red = r["total_reduction_yen"] / div
            tb = (r["direct_cost_before_yen"] + o0) / div
            share = f"（{red / tb:.0%}）" if tb > 0 else ""
            sign = "▲" if red >= 0 else "＋"
            amount = yen_ja(abs(r["total_reduction_yen"]))
            ax.annotate(f"{sign}{amount}\n{share}", (x, max(tb, (r['direct_cost_after_yen']
                        + o1) / div)), xytext=(0, page.fs * 1.3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=page.fs * (0.8 if crowded else 0.9),
                        fontweight="bold", color=DARK, linespacing=1.1)
            xt += [x - width / 2 - 0.02, x + width / 2 + 0.02]
            xl += ["現状", "導入後"] if not crowded else ["前", "後"]
            name = str(r["unit_name"])
            name = wrap_text(name, 10 if crowded else 16) if r["level"] == "municipality" \
                else _group_label(name, 10 if crowded else 16)
            ax.text(x, -0.06, name,
                    transform=ax.get_xaxis_transform(), ha="center", va="top",
                    fontsize=page.fs * 0.9, linespacing=1.15)
            x += 1.25
        ax.set_xticks(xt)
        ax.set_xticklabels(xl, fontsize=page.fs * (0.7 if crowded else 0.8))
        ax.set_ylabel(f"年間コスト（{unit_ja}/年） / cost per year ({unit_en})", fontsize=page.fs)
        ax.tick_params(axis="y", labelsize=page.fs * 0.85)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.1f}" if div >= 1e8 else f"{v:,.0f}")
        ax.set_ylim(0, float(totals.max()) / div * 1.22)
        ax.set_xlim(-0.8, x - 0.45)
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        handles = [Patch(facecolor=c, hatch=h, edgecolor=DARK, linewidth=0.7)
                   for _, _, c, h in styles]
        labels = [f"{ja}\n{en}" for ja, en, _, _ in styles]
        page.add_legend(handles, labels, title="内訳 / components")
        default_note = (("各組の左（前）が現状、右（後）が導入後。" if crowded else "")
                        + "▲は直営＋委託のトータルコストの削減額（括弧内は削減率）。"
                        "直営人件費＝直営対応時間×人件費単価。【 】はグループの合計。"
                        "既定値は例示であり、入力表の値に置き換えて使う。"
                        "\n▲ = reduction of the total; direct cost = staff hours x hourly labour "
                        "cost; 【 】 = group total. Defaults are ILLUSTRATIVE.")
        if note:
            page.add_note(note)
        page.add_note(default_note)
    return page
