"""Label placement on map pages: area names that keep clear of the data, numbered point
labels that keep clear of each other, of the markers and of the area names.

Both work on the page as printed: boxes are measured with matplotlib's renderer
in display units (pixels at the figure's dpi; offsets are stored in points so
the result holds at any output dpi).  Positions are chosen by a plain score
(overlaps first, then distance), greedily, most crowded label first.

All coordinates are in the map's projected CRS (metres).
"""
from __future__ import annotations

import math

import numpy as np

from .styles import DARK

#: score of a box that overlaps a label placed before (or a name): never if avoidable
_HIT_LABEL = 1000.0
#: score of a box that leaves the map frame
_OUTSIDE = 500.0
#: score per changed marker (point of ``avoid``) a number box covers
_HIT_MARKER = 10.0
#: score of a box that crosses an ``avoid_lines`` line
_HIT_LINE = 5.0
#: gaps (points) between a marker's edge and its number box, nearest first;
#: from the second ring on a thin leader line joins the box to its marker
LABEL_RINGS_PT = (1.5, 7.0, 14.0, 24.0, 36.0)
#: a box further than 1.5 marker radii + this (points) from its marker gets a leader line
LEADER_FROM_PT = 3.0


def renderer_of(fig):
    """A renderer to measure texts of ``fig`` with.

    The figure's own when its canvas has one; otherwise a detached Agg
    renderer of the figure's size and dpi.  No canvas is attached: with an
    Agg canvas attached, every later ``GeoDataFrame.plot`` would redraw the
    whole figure (``draw_idle``).
    """
    if hasattr(fig.canvas, "get_renderer"):
        return fig.canvas.get_renderer()
    from matplotlib.backends.backend_agg import RendererAgg
    w, h = fig.bbox.size
    key = (int(w), int(h), fig.dpi)
    cached = getattr(fig, "_gunmane_renderer", None)
    if cached is None or cached[0] != key:
        cached = (key, RendererAgg(int(w), int(h), fig.dpi))
        fig._gunmane_renderer = cached
    return cached[1]


def text_box_px(text, renderer) -> tuple[float, float, float, float]:
    """Display extent (x0, y0, x1, y1) of a text, its box (``bbox``) included."""
    patch = text.get_bbox_patch()
    if patch is not None:
        text.update_bbox_position_size(renderer)
        bb = patch.get_window_extent(renderer)
        bt = text.get_window_extent(renderer)
        return (min(bb.x0, bt.x0), min(bb.y0, bt.y0), max(bb.x1, bt.x1), max(bb.y1, bt.y1))
    bt = text.get_window_extent(renderer)
    return (bt.x0, bt.y0, bt.x1, bt.y1)


def artist_boxes(artists, renderer) -> np.ndarray:
    """Display extents (n, 4) of texts (with their boxes) and other artists (scale bar, arrow)."""
    from matplotlib.text import Text
    out = []
    for a in artists:
        if isinstance(a, Text):
            if a.get_text():
                out.append(text_box_px(a, renderer))
            continue
        try:
            bb = a.get_window_extent(renderer)
        except Exception:            # noqa: BLE001  (artists without an extent)
            continue
        if bb is not None and np.isfinite([bb.x0, bb.y0, bb.x1, bb.y1]).all() \
                and bb.width > 0 and bb.height > 0:
            out.append((bb.x0, bb.y0, bb.x1, bb.y1))
    return np.array(out, dtype=float).reshape(-1, 4)


def _overlaps(box, boxes: np.ndarray) -> np.ndarray:
    if not len(boxes):
        return np.zeros(0, dtype=bool)
    return ~((box[2] <= boxes[:, 0]) | (box[0] >= boxes[:, 2])
             | (box[3] <= boxes[:, 1]) | (box[1] >= boxes[:, 3]))


def _directions(n: int) -> list[tuple[float, float]]:
    """``n`` unit vectors around a point, starting right, then counter-clockwise."""
    return [(round(math.cos(2 * math.pi * k / n), 9), round(math.sin(2 * math.pi * k / n), 9))
            for k in range(n)]


def _box_at(p_x, p_y, ux, uy, off, w, h):
    """Box (x0, y0, x1, y1) of size w x h whose side or corner facing the point lies about
    ``off`` from (p_x, p_y) in direction (ux, uy)."""
    cx = p_x + ux * off + w / 2 * min(max(ux / 0.7, -1.0), 1.0)
    cy = p_y + uy * off + h / 2 * min(max(uy / 0.7, -1.0), 1.0)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _dist_to_box(x, y, box):
    dx = np.maximum(np.maximum(box[0] - x, 0.0), x - box[2])
    dy = np.maximum(np.maximum(box[1] - y, 0.0), y - box[3])
    return np.hypot(dx, dy)


def place_labels(page, ax, xy, texts, *, avoid=(), avoid_artists=(), avoid_lines=None,
                 size: float = 0.95, marker_pt: float = 9.0, leaders: bool = True,
                 zorder: float = 31):
    """Boxed labels (e.g. close-up numbers) next to points, clear of each other and of names.

    Each label tries positions around its point on rings of growing distance
    (:data:`LABEL_RINGS_PT` between the marker's edge and the box: 8
    directions on the first ring, 16 further out) and takes the first position
    whose box overlaps no label placed before, no ``avoid_artists`` box
    (municipality names), no marker of ``avoid`` and stays in the frame; when
    none is free, the position with the least overlap.  Labels in crowded
    spots are placed first.  A box set apart from its marker (further than
    1.5 marker radii + :data:`LEADER_FROM_PT`), or one that another marker is
    about as near to, gets a thin leader line to its marker (``gid``
    ``leader:<text>``).

    Parameters
    ----------
    page : Page
    ax : matplotlib Axes
        The map frame; its extent must be final (call after ``set_extent``).
    xy : sequence of (x, y)
        Label points in the map's CRS (metres).
    texts : sequence of str
    avoid : sequence of (x, y), optional
        Markers (map CRS) a box must not cover; a label's own point is ignored.
    avoid_artists : sequence of matplotlib artists, optional
        Artists whose boxes must stay clear: municipality names, the scale bar
        and the north arrow.
    avoid_lines : sequence of geometries, optional
        Lines (map CRS) a box should not cross, e.g. the detour of a close-up.
    size : float
        Font size as a multiple of the page's body size.
    marker_pt : float
        Diameter of the markers in points.

    Returns
    -------
    list of matplotlib Text
        In the order of ``texts``.
    """
    import matplotlib.transforms as mtrans
    from matplotlib.lines import Line2D
    xy = [(float(x), float(y)) for x, y in xy]
    texts = [str(t) for t in texts]
    if not xy:
        return []
    renderer = renderer_of(page.fig)
    fs = page.fs * size
    px = page.fig.dpi / 72.0
    pts = ax.transData.transform(np.asarray(xy, dtype=float))
    av = np.asarray(list(avoid), dtype=float).reshape(-1, 2)
    av_px = ax.transData.transform(av) if len(av) else np.zeros((0, 2))
    r_mark = marker_pt * 0.5 * px
    blocked = artist_boxes(avoid_artists, renderer)
    frame = ax.get_window_extent(renderer)
    out = [ax.text(x, y, t, ha="center", va="center", fontsize=fs, fontweight="bold",
                   color=DARK, zorder=zorder,
                   bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": DARK,
                         "linewidth": 0.6})
           for (x, y), t in zip(xy, texts)]
    sizes = []
    for t in out:
        x0, y0, x1, y1 = text_box_px(t, renderer)
        sizes.append((x1 - x0 + 1.0, y1 - y0 + 1.0))
    # most crowded first: labels with many other labels near them have fewest free spots
    reach = 4.0 * max(h for _, h in sizes)
    d = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1])
    crowd = (d < reach).sum(axis=1)
    order = sorted(range(len(xy)), key=lambda i: (-crowd[i], i))
    placed = np.zeros((0, 4))
    rings = [(_directions(8) if k == 0 else _directions(16), g * px)
             for k, g in enumerate(LABEL_RINGS_PT)]
    lines = None
    if avoid_lines is not None:
        import shapely
        geoms = [g for g in list(avoid_lines) if g is not None and not g.is_empty]
        if geoms:
            lines = shapely.union_all(geoms)
            shapely.prepare(lines)
    inv = ax.transData.inverted()
    chosen = {}
    for i in order:
        w, h = sizes[i]
        p_x, p_y = pts[i]
        own = np.hypot(av_px[:, 0] - p_x, av_px[:, 1] - p_y) < 1e-6 if len(av_px) \
            else np.zeros(0, dtype=bool)
        others = av_px[~own]
        best = None
        for k, (dirs, gap) in enumerate(rings):
            off = r_mark + gap
            for ux, uy in dirs:
                box = _box_at(p_x, p_y, ux, uy, off, w, h)
                cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                cost = 0.0
                if _overlaps(box, placed).any() or _overlaps(box, blocked).any():
                    cost += _HIT_LABEL
                if box[0] < frame.x0 or box[1] < frame.y0 or box[2] > frame.x1 \
                        or box[3] > frame.y1:
                    cost += _OUTSIDE
                if len(others):
                    hit = ((others[:, 0] > box[0] - r_mark) & (others[:, 0] < box[2] + r_mark)
                           & (others[:, 1] > box[1] - r_mark) & (others[:, 1] < box[3] + r_mark))
                    cost += _HIT_MARKER * float(hit.sum())
                if lines is not None:
                    (lx0, ly0), (lx1, ly1) = inv.transform([box[:2], box[2:]])
                    if lines.intersects(shapely.box(lx0, ly0, lx1, ly1)):
                        cost += _HIT_LINE
                cost += k * 0.5                 # nearer rings first
                if best is None or cost < best[0]:
                    best = (cost, k, cx - p_x, cy - p_y, box)
            if best[0] <= k * 0.5:              # a free spot on this ring
                break
        placed = np.vstack([placed, best[4]])
        chosen[i] = best
    for i, t in enumerate(out):
        _, _, ox, oy, box = chosen[i]
        t.set_transform(mtrans.offset_copy(ax.transData, fig=page.fig, x=ox / px, y=oy / px,
                                           units="points"))
        t.set_gid(f"label:{texts[i]}")
        p_x, p_y = pts[i]
        # a leader from the marker's edge to the nearest point of a box set apart, or of a
        # box that another marker is as near to (the reader takes the nearest marker)
        bx = min(max(p_x, box[0]), box[2])
        by = min(max(p_y, box[1]), box[3])
        dist = math.hypot(bx - p_x, by - p_y)
        own = np.hypot(av_px[:, 0] - p_x, av_px[:, 1] - p_y) < 1e-6 if len(av_px) \
            else np.zeros(0, dtype=bool)
        rival = len(av_px) and bool((_dist_to_box(av_px[~own, 0], av_px[~own, 1], box)
                                     < dist + 2.0 * px).any())
        if leaders and (dist > 1.5 * r_mark + LEADER_FROM_PT * px or rival):
            sx = p_x + (bx - p_x) * r_mark * 0.8 / dist
            sy = p_y + (by - p_y) * r_mark * 0.8 / dist
            (x0, y0), (x1, y1) = inv.transform([(sx, sy), (bx, by)])
            ax.add_line(Line2D([x0, x1], [y0, y1], color=DARK, linewidth=0.7,
                               zorder=zorder - 0.5, gid=f"leader:{texts[i]}",
                               solid_capstyle="round"))
    return out


def place_area_labels(page, ax, areas, texts, *, avoid_points=None, point_weights=None,
                      avoid_lines=None, avoid_artists=(), marker_pt: float = 6.0,
                      size: float = 1.0,
                      boxed: bool = True, zorder: float = 40, text_kw: dict | None = None):
    """Name each area at a spot inside it that keeps clear of the data drawn on top.

    Candidates are the area's pole of inaccessibility (its visual centre) and a
    grid of points inside it.  Each candidate box is scored by the weighted
    markers it covers (``point_weights``, e.g. 10 for a removed bridge, 0.2
    for a kept one), whether it crosses an ``avoid_lines`` line (a detour),
    whether it overlaps a name placed before, whether it sticks out of the
    area or the frame, and its distance from the centre (moving by the area's
    radius costs as much as covering a third of a removed bridge).  The best
    candidate wins.  Names are drawn on top (``zorder`` 40) in a white box.

    Parameters
    ----------
    page : Page
    ax : matplotlib Axes
        Its extent must be final.
    areas : GeoDataFrame
        One polygon (or multipolygon) per label, map CRS (metres).
    texts : sequence of str
    avoid_points : array (n, 2), optional
        Marker positions (map CRS) to keep clear of.
    point_weights : array (n,), optional
        Cost of covering each marker (default 1).
    avoid_lines : GeoSeries or sequence of geometries, optional
        Lines a name should not cross (score 5).
    avoid_artists : sequence of matplotlib artists, optional
        Artists to keep clear of (the scale bar, the north arrow).
    marker_pt : float
        Marker diameter in points (a marker is covered when its edge is).

    Returns
    -------
    list of matplotlib Text
    """
    import shapely
    from shapely.ops import polylabel
    renderer = renderer_of(page.fig)
    x0v, x1v = ax.get_xlim()
    y0v, y1v = ax.get_ylim()
    frame = ax.get_window_extent(renderer)
    m_per_px = (x1v - x0v) / max(frame.width, 1.0)
    r_mark = marker_pt * 0.5 * page.fig.dpi / 72.0 * m_per_px
    pts = np.asarray(avoid_points if avoid_points is not None else np.zeros((0, 2)),
                     dtype=float).reshape(-1, 2)
    wts = np.ones(len(pts)) if point_weights is None else np.asarray(point_weights, dtype=float)
    lines = None
    if avoid_lines is not None:
        geoms = [g for g in list(avoid_lines) if g is not None and not g.is_empty]
        if geoms:
            lines = shapely.union_all(geoms)
            shapely.prepare(lines)
    kw = {"ha": "center", "va": "center", "fontsize": page.fs * size, "zorder": zorder,
          "color": DARK, "linespacing": 1.2}
    if boxed:
        kw["bbox"] = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.92}
    kw.update(text_kw or {})
    placed = np.zeros((0, 4))
    blocked = artist_boxes(avoid_artists, renderer)
    if len(blocked):     # display -> map coordinates
        inv = ax.transData.inverted()
        lo, hi = inv.transform(blocked[:, :2]), inv.transform(blocked[:, 2:])
        placed = np.column_stack([lo, hi])
    out = []
    for geom, text in zip(areas.geometry, texts):
        if geom is None or geom.is_empty:
            continue
        parts = list(getattr(geom, "geoms", [geom]))
        main = max(parts, key=lambda g: g.area)
        try:
            centre = polylabel(main, tolerance=max(math.sqrt(main.area) / 200.0, 1.0))
        except Exception:            # noqa: BLE001  (degenerate ring: fall back)
            centre = geom.representative_point()
        t = ax.text(centre.x, centre.y, text, **kw)
        bx0, by0, bx1, by1 = text_box_px(t, renderer)
        w, h = (bx1 - bx0) * m_per_px, (by1 - by0) * m_per_px
        # candidates: the centre, then a grid over the visible part of the area
        gx0, gy0 = max(geom.bounds[0], x0v) + w / 2, max(geom.bounds[1], y0v) + h / 2
        gx1, gy1 = min(geom.bounds[2], x1v) - w / 2, min(geom.bounds[3], y1v) - h / 2
        step = max(h * 0.5, (gx1 - gx0) / 60.0, (gy1 - gy0) / 60.0, 1e-9)
        cand = [(centre.x, centre.y)]
        if gx1 > gx0 and gy1 > gy0:
            gx, gy = np.meshgrid(np.arange(gx0, gx1 + step / 2, step),
                                 np.arange(gy0, gy1 + step / 2, step))
            cand += list(zip(gx.ravel(), gy.ravel()))
        c = np.asarray(cand)
        boxes = shapely.box(c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2)
        shapely.prepare(geom)
        cost = np.where(shapely.contains(geom, boxes), 0.0, 20.0)
        cost = cost + np.where(shapely.intersects(geom, shapely.points(c)), 0.0, 50.0)
        out_of_view = (c[:, 0] - w / 2 < x0v) | (c[:, 0] + w / 2 > x1v) \
            | (c[:, 1] - h / 2 < y0v) | (c[:, 1] + h / 2 > y1v)
        cost = cost + np.where(out_of_view, _OUTSIDE, 0.0)
        if len(pts):
            inside = ((np.abs(pts[None, :, 0] - c[:, None, 0]) < w / 2 + r_mark)
                      & (np.abs(pts[None, :, 1] - c[:, None, 1]) < h / 2 + r_mark))
            cost = cost + inside.astype(float) @ wts
        if lines is not None:
            cost = cost + np.where(shapely.intersects(lines, boxes), _HIT_LINE, 0.0)
        if len(placed):
            lb = np.column_stack([c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2,
                                  c[:, 1] + h / 2])
            hit = ~((lb[:, None, 2] <= placed[None, :, 0]) | (lb[:, None, 0] >= placed[None, :, 2])
                    | (lb[:, None, 3] <= placed[None, :, 1]) | (lb[:, None, 1] >= placed[None, :, 3]))
            cost = cost + np.where(hit.any(axis=1), _HIT_LABEL, 0.0)
        radius = max(math.sqrt(main.area / math.pi), 1.0)
        cost = cost + 3.0 * np.hypot(c[:, 0] - centre.x, c[:, 1] - centre.y) / radius
        j = int(np.argmin(cost))
        t.set_position((float(c[j, 0]), float(c[j, 1])))
        placed = np.vstack([placed, (c[j, 0] - w / 2, c[j, 1] - h / 2, c[j, 0] + w / 2,
                                     c[j, 1] + h / 2)])
        out.append(t)
    return out
