"""Council page layout: title, map frame, legend panel, scale bar, north arrow, footer.

A page is A3 or A4 landscape.  The map frame fills the left three quarters;
the right panel holds the legends and notes; the footer names the date, the
data sources and the CRS.  Map coordinates must be in a projected CRS with
metre units (the Region's JGD2011 plane rectangular zone): the scale bar and
the printed scale ``1:n`` are measured from them and from the paper size.
"""
from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path

from ..errors import GunmaneError
from ..io.writers import replace_when_done
from ..settings import Settings
from .fonts import GlyphWarnings, figure_missing_glyphs, rc_params
from .styles import DARK, text_halo

PAPERS_MM = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}
MM_PER_INCH = 25.4

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"]


def char_columns(ch: str) -> int:
    """Columns ``ch`` takes in print: 2 for a kanji, kana or full-width sign, else 1."""
    import unicodedata
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap_text(text: str, width: int) -> str:
    """Wrap mixed Japanese/English text to ``width`` columns (a kanji or kana counts 2).

    Latin words are not split; Japanese breaks between any two characters,
    except before closing brackets and punctuation, after opening brackets,
    and between a number and the counter after it ("7橋", 禁則, simplified).
    """
    no_start = set("、。，．）」』】〕・ー％%,.)]")
    no_end = set("（「『【〔(［")
    out_lines = []
    for para in text.split("\n"):
        tokens, word = [], ""
        for ch in para:
            if char_columns(ch) == 2 or ch == " ":
                if word:
                    tokens.append(word)
                    word = ""
                tokens.append(ch)
            else:
                word += ch
        if word:
            tokens.append(word)
        line, n = "", 0
        for tok in tokens:
            w = sum(char_columns(c) for c in tok)
            if n + w > width and line.strip() and tok != " " and tok[0] not in no_start:
                glued = line[-1] in no_end or (line[-1].isdigit() and char_columns(tok[0]) == 2)
                carry = ""
                if glued:   # take the opening bracket / number to the next line with tok
                    head = line
                    while head and (head[-1] in no_end or head[-1].isdigit() or head[-1] in ".,"):
                        carry, head = head[-1] + carry, head[:-1]
                    if head.strip():
                        line = head
                    else:
                        carry = None
                if carry is not None:
                    out_lines.append(line.rstrip())
                    line, n = carry, sum(char_columns(c) for c in carry)
                    if tok == " ":
                        continue
            if not line and tok == " ":
                continue
            line += tok
            n += w
        out_lines.append(line.rstrip())
    return "\n".join(out_lines)


def crs_label(crs) -> str:
    """A short bilingual CRS label, e.g. ``JGD2011 平面直角座標系 第IX系 (EPSG:6677)``."""
    if crs is None:
        return "座標系不明 / CRS unknown"
    from pyproj import CRS
    c = CRS.from_user_input(crs)
    epsg = c.to_epsg()
    if epsg and 6669 <= epsg <= 6687:
        return f"JGD2011 平面直角座標系 第{_ROMAN[epsg - 6669]}系 (EPSG:{epsg})"
    return f"{c.name} (EPSG:{epsg})" if epsg else c.name


def map_date(settings: Settings) -> _dt.date:
    """``settings.maps.date`` (YYYY-MM-DD) or today."""
    text = (settings.maps.date or "").strip()
    if not text:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise GunmaneError(f"[maps] date = '{text}' is not a date: write it as YYYY-MM-DD, "
                           "or leave it empty for today") from None


def nice_length(target: float) -> float:
    """The largest of 1, 2, 2.5, 5 x 10^k not above ``target`` (metres)."""
    if target <= 0:
        return 1.0
    k = math.floor(math.log10(target))
    best = 10.0 ** k
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * 10.0 ** k <= target:
            best = m * 10.0 ** k
    return best


def scale_length_text(m: float) -> str:
    if m >= 1000:
        km = m / 1000
        return f"{km:g} km"
    return f"{m:g} m"


def true_north_angle(crs, x: float, y: float) -> float:
    """Angle (degrees, counter-clockwise from the map's +y axis) of true north at (x, y).

    In a plane rectangular zone grid north and true north differ by the
    meridian convergence (under 1 degree near the zone's origin).
    """
    if crs is None:
        return 0.0
    from pyproj import CRS, Transformer
    c = CRS.from_user_input(crs)
    if c.is_geographic:
        return 0.0
    fwd = Transformer.from_crs(c, "EPSG:4326", always_xy=True)
    inv = Transformer.from_crs("EPSG:4326", c, always_xy=True)
    lon, lat = fwd.transform(x, y)
    x2, y2 = inv.transform(lon, lat + 0.01)
    return math.degrees(math.atan2(-(x2 - x), y2 - y))


class Page:
    """One landscape page with a title, a frame for maps or a chart, a legend panel and a footer.

    Parameters
    ----------
    title : str
        Japanese title (large, top left).
    subtitle : str, optional
        One line under the title (e.g. the English title, the region).
    settings : Settings, optional
        ``settings.maps``: ``paper`` (A3/A4), ``font_family``, ``date``.
    paper : str, optional
        Overrides ``settings.maps.paper``.
    sources : str, optional
        Data sources, printed in the footer (出典).
    crs : optional
        CRS of the map data, printed in the footer; None for charts.
    n_maps : int
        Number of map frames side by side (small multiples share one scale).
    chart : bool
        One wide frame for a chart (no scale bar or north arrow).
    grid : (rows, cols), optional
        Small map panels in a grid (close-ups); each panel gets its own
        scale (``scale_bar(ax, compact=True)``).  Overrides ``n_maps``.

    Build a page inside ``with map_style(settings):`` so that every text uses
    the Japanese font.
    """

    def __init__(self, title: str, subtitle: str = "", *, settings: Settings | None = None,
                 paper: str | None = None, sources: str = "", crs=None, n_maps: int = 1,
                 chart: bool = False, grid: tuple[int, int] | None = None):
        import matplotlib
        from matplotlib.figure import Figure
        self.settings = settings or Settings()
        self.paper = (paper or self.settings.maps.paper or "A3").upper()
        if self.paper not in PAPERS_MM:
            raise GunmaneError(f"[maps] paper = '{self.paper}': use A3 or A4 (landscape)")
        self._rc = rc_params(self.settings.maps.font_family)
        w_mm, h_mm = PAPERS_MM[self.paper]
        self.w_in, self.h_in = w_mm / MM_PER_INCH, h_mm / MM_PER_INCH
        self.fs = 8.0 * w_mm / 297.0          # body text size in points, grows with the paper
        self.fig = Figure(figsize=(self.w_in, self.h_in))
        self.crs = crs
        self.title = title
        self.date = map_date(self.settings)
        self._panel_x0, self._panel_x1 = 0.765, 0.985
        self._panel_y = 0.885
        self.legends = []
        fig = self.fig
        fig.text(0.015, 0.955, title, fontsize=self.fs * 2.2, fontweight="bold", va="center",
                 color=DARK)
        if subtitle:
            fig.text(0.015, 0.912, subtitle, fontsize=self.fs * 1.2, va="center", color="#444444")
        fig.add_artist(matplotlib.lines.Line2D([0.015, 0.985], [0.893, 0.893], lw=0.8,
                                               color=DARK, transform=fig.transFigure))
        left, right = 0.015, (0.985 if chart else 0.745)
        self.frame = (left, 0.075, right - left, 0.80 if n_maps == 1 else 0.775)   # x, y, w, h
        self.axes = []
        if chart:
            self.axes = [fig.add_axes((left + 0.06, 0.14, right - left - 0.30, 0.70))]
            self._panel_x0 = right - 0.195
        elif grid:
            rows, cols = (max(1, int(v)) for v in grid)
            # room above each panel for a two-line title
            title_h = 3.1 * self.fs / 72.0 / self.h_in
            gap_x = 0.012
            x0, y0, fw, fh = left, 0.075, right - left, 0.79
            w = (fw - gap_x * (cols - 1)) / cols
            h = (fh - title_h * rows - 0.012 * (rows - 1)) / rows
            self.frame = (x0, y0, fw, fh)
            for r in range(rows):
                for c in range(cols):
                    y = y0 + fh - (r + 1) * (h + title_h) - r * 0.012
                    self.axes.append(self._map_axes((x0 + c * (w + gap_x), y, w, h)))
        else:
            gap = 0.01
            w = (self.frame[2] - gap * (n_maps - 1)) / n_maps
            for i in range(n_maps):
                self.axes.append(self._map_axes((left + i * (w + gap), self.frame[1], w,
                                                 self.frame[3])))
        self._footer(sources)

    def _map_axes(self, rect):
        ax = self.fig.add_axes(rect)
        ax.set_xticks([])
        ax.set_yticks([])
        for s in ax.spines.values():
            s.set_linewidth(0.8)
            s.set_color(DARK)
        return ax

    # ------------------------------------------------------------------
    @property
    def ax(self):
        return self.axes[0]

    def _footer(self, sources: str):
        fig = self.fig
        d = self.date
        parts = [f"作成日 {d.year}年{d.month}月{d.day}日 ({d.isoformat()})"]
        if self.crs is not None:
            parts.append(f"座標系 {crs_label(self.crs)}")
        fig.text(0.015, 0.05, "　".join(parts), fontsize=self.fs * 0.9, va="center", color=DARK)
        src = "出典 / sources: " + (sources or "（未記入 / not given）")
        lines = wrap_text(src, int(0.9 * self.w_in * 72 / (self.fs * 0.8 * 0.5))).split("\n")
        if len(lines) > 2:
            lines = [lines[0], lines[1][:-1] + "…"]
        fig.text(0.015, 0.027, "\n".join(lines), fontsize=self.fs * 0.8, va="top",
                 color="#444444", linespacing=1.2)
        fig.text(0.985, 0.022, "gunmane-geo", fontsize=self.fs * 0.8, va="center", ha="right",
                 color="#777777")

    # ------------------------------------------------------------------
    def set_extent(self, bounds, margin: float = 0.04, ax=None):
        """Show ``bounds`` (minx, miny, maxx, maxy, metres) at equal aspect with a margin.

        The shorter side of the bounds is widened so that the data fill the
        frame exactly at 1:1 (the frame keeps its place on the page).
        """
        for a in ([ax] if ax is not None else self.axes):
            minx, miny, maxx, maxy = (float(v) for v in bounds)
            dx, dy = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
            pad = margin * max(dx, dy)
            dx, dy = dx + 2 * pad, dy + 2 * pad
            cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
            pos = a.get_position(original=True)
            box_ratio = (pos.width * self.w_in) / (pos.height * self.h_in)
            if dx / dy > box_ratio:
                dy = dx / box_ratio
            else:
                dx = dy * box_ratio
            a.set_aspect("equal", adjustable="box")
            a.set_xlim(cx - dx / 2, cx + dx / 2)
            a.set_ylim(cy - dy / 2, cy + dy / 2)
            a.apply_aspect()

    def fit_frames(self, bounds, margin: float = 0.04):
        """Shrink each map frame to the shape of ``bounds`` (with ``margin``), centred in its
        place, so that side-by-side maps of a wide region do not float in tall empty frames.
        Call before :meth:`set_extent`."""
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        dx, dy = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
        pad = margin * max(dx, dy)
        ratio = (dx + 2 * pad) / (dy + 2 * pad)            # width / height of the data
        for a in self.axes:
            pos = a.get_position(original=True)
            w_in, h_in = pos.width * self.w_in, pos.height * self.h_in
            if w_in / h_in < ratio:      # frame too tall: lower it, keep the top
                new_h = w_in / ratio / self.h_in
                a.set_position((pos.x0, pos.y1 - new_h - (pos.height - new_h) * 0.35,
                                pos.width, new_h))
            else:                        # frame too wide: narrow it, centred
                new_w = h_in * ratio / self.w_in
                a.set_position((pos.x0 + (pos.width - new_w) / 2, pos.y0, new_w, pos.height))

    def maps_across(self, bounds, margin: float = 0.04, max_height: float = 0.56) -> bool:
        """Side-by-side maps of a wide region: spread the frames over the whole page width
        (shaped like ``bounds``, top aligned) and move the legend panel under them.

        Returns False (and changes nothing) when the frames would be taller than
        ``max_height`` of the page; then use :meth:`fit_frames`.
        """
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        dx, dy = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
        pad = margin * max(dx, dy)
        ratio = (dx + 2 * pad) / (dy + 2 * pad)
        n, gap, left, right = len(self.axes), 0.012, 0.015, 0.985
        w = (right - left - gap * (n - 1)) / n
        h = w * self.w_in / ratio / self.h_in
        if h > max_height:
            return False
        top = 0.845
        for i, a in enumerate(self.axes):
            a.set_position((left + i * (w + gap), top - h, w, h))
        self.frame = (left, top - h, right - left, h)
        self._panel_x0, self._panel_x1 = left + 0.005, 0.32
        self._panel_y = top - h - 0.035
        self._below = True
        return True

    def note_column(self, x0: float = 0.36, x1: float = 0.985):
        """Continue the panel (notes) in a second column beside the legends placed under the maps."""
        self._panel_y = self.frame[1] - 0.035
        self._panel_x0, self._panel_x1 = x0, x1

    def scale_denominator(self, ax=None) -> float:
        """n of the printed scale 1:n on this paper (map metres per paper metre)."""
        ax = ax or self.ax
        ax.apply_aspect()
        x0, x1 = ax.get_xlim()
        width_paper_m = ax.get_position().width * self.w_in * MM_PER_INCH / 1000.0
        return (x1 - x0) / width_paper_m

    def scale_bar(self, ax=None, segments: int = 4, compact: bool = False):
        """Alternating black/white bar of a round length (about a fifth of the frame), lower left,
        with the printed scale ``縮尺 約1:n`` under it, on a white box.

        ``compact=True`` (close-up panels): two segments, ends labelled, smaller
        text, the scale ``約1:n`` on the same line.
        """
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import Bbox
        ax = ax or self.ax
        ax.apply_aspect()
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        frame_mm = ax.get_position().width * self.w_in * MM_PER_INCH
        frame_h_mm = ax.get_position().height * self.h_in * MM_PER_INCH
        if compact:
            length = nice_length((x1 - x0) * 0.3)
            segments = 2
        else:
            length = nice_length((x1 - x0) * max(0.2, min(0.45, 40.0 / frame_mm)))
        seg_mm = frame_mm * length / (x1 - x0) / segments
        if seg_mm < 6:
            segments = 2
        seg = length / segments
        fs = self.fs * (0.72 if compact else 0.85)
        if compact:     # fixed sizes on paper: bar 1.3 mm high, 3.5 mm above the frame edge
            per_mm = (y1 - y0) / frame_h_mm
            bx, by, h = x0 + 0.05 * (x1 - x0), y0 + 3.5 * per_mm, 1.3 * per_mm
        else:
            bx, by = x0 + 0.035 * (x1 - x0), y0 + 0.065 * (y1 - y0)
            h = 0.011 * (y1 - y0)
        for i in range(segments):
            ax.add_patch(Rectangle((bx + i * seg, by), seg, h, facecolor=DARK if i % 2 == 0
                                   else "white", edgecolor=DARK, lw=0.8, zorder=21))
        texts = []
        ticks = [(0, "0"), (length, scale_length_text(length))]
        if segments >= 4:
            ticks.insert(1, (length / 2, scale_length_text(length / 2)))
        for pos, label in ticks:
            texts.append(ax.text(bx + pos, by + 1.5 * h, label, ha="center", va="bottom",
                                 fontsize=fs, zorder=22))
        n = self.scale_denominator(ax)
        n_round = float(f"{n:.2g}") if n >= 100 else n
        if compact:
            texts.append(ax.text(bx + length + 0.03 * (x1 - x0), by + h / 2,
                                 f"約1:{n_round:,.0f}", ha="left", va="center",
                                 fontsize=fs * 0.95, zorder=22))
        else:
            texts.append(ax.text(bx, by - 0.8 * h,
                                 f"縮尺 約1:{n_round:,.0f}（{self.paper}用紙に印刷時）",
                                 ha="left", va="top", fontsize=self.fs * 0.8, zorder=22))
        from .labels import renderer_of
        renderer = renderer_of(self.fig)
        boxes = [t.get_window_extent(renderer).transformed(ax.transData.inverted()) for t in texts]
        boxes.append(Bbox([[bx, by], [bx + length, by + h]]))
        bb = Bbox.union(boxes)
        pad = (0.02 if compact else 0.012) * (x1 - x0)
        ax.add_patch(Rectangle((bb.x0 - pad, bb.y0 - pad), bb.width + 2 * pad, bb.height + 2 * pad,
                               facecolor="white", edgecolor="#888888", lw=0.5, alpha=0.92,
                               zorder=20))
        self._scale_length_m = length
        self._scale_n = n
        ax._gunmane_scale = (length, n)

    def north_arrow(self, ax=None, compact: bool = False):
        """An arrow to true north in the upper right, half black half white, with N / 真北.

        ``compact=True`` (close-up panels): a 5 mm arrow and smaller letters.
        """
        import numpy as np
        from matplotlib.patches import Polygon
        ax = ax or self.ax
        ax.apply_aspect()
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        angle = true_north_angle(self.crs, (x0 + x1) / 2, (y0 + y1) / 2)
        if compact:
            per_mm = (y1 - y0) / (ax.get_position().height * self.h_in * MM_PER_INCH)
            size = 3.2 * per_mm
            cx, cy = x1 - 6.0 * per_mm, y1 - 9.5 * per_mm
        else:
            cx, cy = x1 - 0.06 * (x1 - x0), y1 - 0.11 * (y1 - y0)
            size = 0.05 * (y1 - y0)
        k = 0.7 if compact else 1.0
        t = math.radians(angle)
        rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
        tip, left, right, base = (np.array(p) for p in ((0, 1), (-0.4, -0.6), (0.4, -0.6), (0, -0.3)))

        def tr(p):
            q = rot @ (p * size)
            return (cx + q[0], cy + q[1])
        from matplotlib.patches import Circle
        ax.add_patch(Circle((cx, cy + 0.2 * size), 1.35 * size, facecolor="white",
                            edgecolor="none", alpha=0.8, zorder=21))
        ax.add_patch(Polygon([tr(tip), tr(left), tr(base)], closed=True, facecolor=DARK,
                             edgecolor=DARK, lw=0.8, zorder=22))
        ax.add_patch(Polygon([tr(tip), tr(right), tr(base)], closed=True, facecolor="white",
                             edgecolor=DARK, lw=0.8, zorder=22))
        nx, ny = tr(np.array((0, 1.45)))
        ax.text(nx, ny, "N", ha="center", va="center", fontsize=self.fs * 1.4 * k,
                fontweight="bold", zorder=22, path_effects=text_halo())
        if not compact:
            bx, by = tr(np.array((0, -0.75)))
            ax.text(bx, by, "真北", ha="center", va="top", fontsize=self.fs * 0.85, zorder=22,
                    path_effects=text_halo())
        self.north_angle_deg = angle

    def decorate(self):
        """Scale bar on the first frame and a north arrow on the last (compact ones when
        several maps share the page)."""
        compact = len(self.axes) > 1
        self.scale_bar(self.axes[0], compact=compact)
        self.north_arrow(self.axes[-1], compact=compact)

    # ------------------------------------------------------------------
    def add_legend(self, handles, labels, title: str = "", ncol: int = 1):
        """A legend in the right panel, stacked below the previous ones."""
        if not handles:
            return None
        from .labels import renderer_of
        renderer = renderer_of(self.fig)
        # columns of text beside the handle (2.4 + padding font sizes wide)
        cols = int((self._panel_x1 - self._panel_x0) * self.w_in * 72 / (self.fs * 0.5)) - 9
        labels = [wrap_text(str(t), cols) for t in labels]
        leg = self.fig.legend(handles, labels, title=title or None, loc="upper left",
                              bbox_to_anchor=(self._panel_x0, self._panel_y), ncol=ncol,
                              fontsize=self.fs, title_fontsize=self.fs * 1.1, frameon=False,
                              alignment="left", handlelength=2.4, handleheight=1.4,
                              borderaxespad=0.0, labelspacing=0.55)
        self.legends.append(leg)
        bb = leg.get_window_extent(renderer).transformed(self.fig.transFigure.inverted())
        self._panel_y = bb.y0 - 0.025
        return leg

    def add_note(self, text: str, width: int | None = None):
        """Wrapped explanatory text in the right panel, below the legends."""
        if width is None:   # columns that fit the panel at the note's font size
            panel_pt = (self._panel_x1 - self._panel_x0) * self.w_in * 72
            width = int(panel_pt / (self.fs * 0.85 * 0.5)) - 1
        wrapped = wrap_text(text, width)
        t = self.fig.text(self._panel_x0, self._panel_y, wrapped, fontsize=self.fs * 0.85,
                          va="top", ha="left", color="#333333", linespacing=1.45)
        from .labels import renderer_of
        renderer = renderer_of(self.fig)
        bb = t.get_window_extent(renderer).transformed(self.fig.transFigure.inverted())
        self._panel_y = bb.y0 - 0.02
        return t

    def legend_texts(self) -> list[str]:
        return [t.get_text() for leg in self.legends for t in leg.get_texts()]

    # ------------------------------------------------------------------
    def save(self, path_stem, formats=None, dpi: int | None = None) -> list[Path]:
        """Write ``path_stem.<fmt>`` for each format (pdf, png); checks every glyph.

        Raises
        ------
        GunmaneError
            When a text uses a character the Japanese font lacks (it would print
            as a box): the message names the text and the characters.
        """
        formats = formats or self.settings.maps.formats
        dpi = dpi or self.settings.maps.dpi
        missing = figure_missing_glyphs(self.fig, self.settings.maps.font_family)
        if missing:
            first = next(iter(missing.items()))
            raise GunmaneError(f"map '{self.title}': the font has no glyph for {first[1]} in "
                               f"'{first[0]}'; change the label or the [maps] font_family")
        stem = Path(path_stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        out = []
        import matplotlib
        with matplotlib.rc_context(self._rc):
            for fmt in formats:
                path = stem.with_suffix(f".{fmt}")
                meta = {"Title": self.title, "Creator": "gunmane-geo"}
                if fmt == "pdf":
                    meta["CreationDate"] = None    # the same inputs give the same file
                    meta["ModDate"] = None
                elif fmt != "png":
                    meta = None
                with GlyphWarnings() as gw, replace_when_done(path) as tmp:
                    self.fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta)
                if gw.missing:
                    raise GunmaneError(f"map '{self.title}': {gw.missing[0]}; install "
                                       "fonts-noto-cjk or change [maps] font_family")
                out.append(path)
        return out



def map_style(settings: Settings | None = None):
    """Context in which pages and their texts are built (Japanese font, Type 3 embedding).

    Example
    -------
    >>> with map_style(settings):
    ...     page = Page("図のタイトル", settings=settings)
    """
    import matplotlib
    settings = settings or Settings()
    return matplotlib.rc_context(rc_params(settings.maps.font_family))
