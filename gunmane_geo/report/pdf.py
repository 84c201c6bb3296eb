"""The report as PDF: text pages with council-style tables, then every figure page,
on ``[maps] paper``."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..pipeline import RunResult
from .figures import sources_line
from .sections import report_sections


def _is_number(text: str) -> bool:
    t = str(text).replace(",", "").replace("%", "").replace("¥", "").strip()
    if t in ("—", "-", ""):
        return True
    try:
        float(t)
        return True
    except ValueError:
        return False


def draw_table(fig, table: pd.DataFrame, x: float, y: float, width: float, fs: float,
                h_in: float, w_in: float) -> float:
    """Draw ``table`` on ``fig`` from (x, y) (figure fractions, top left); returns its height.

    Columns get widths from their longest cell (a kanji counts twice); headers
    wrap to their column; numbers are right-aligned, text left-aligned; rules
    above and below the header and under the last row (a council-style table).
    """
    import matplotlib.lines as mlines
    from ..maps.layout import char_columns, wrap_text
    pt_w = width * w_in * 72                       # table width in points
    char_pt = fs * 0.5                             # one column (half a kanji)
    cells = table.astype(str).to_numpy()
    heads = [str(c) for c in table.columns]
    need = []
    for j, h in enumerate(heads):
        body = max([sum(char_columns(ch) for ch in str(v)) for v in cells[:, j]] or [0])
        need.append(max(body, min(sum(char_columns(ch) for ch in h), 18), 4) + 2)
    scale = (pt_w / char_pt) / sum(need)
    widths = [n * scale for n in need]              # in columns
    heads = [wrap_text(h, max(4, int(w) - 1)) for h, w in zip(heads, widths)]
    numeric = [all(_is_number(v) for v in cells[:, j]) and j > 0 for j in range(len(heads))]
    line_h = fs * 1.45 / 72 / h_in                 # one text line, figure fraction
    n_head = max(h.count("\n") + 1 for h in heads)
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w * char_pt / 72 / w_in)
    pad = 0.4 * char_pt / 72 / w_in
    rpad = 1.6 * char_pt / 72 / w_in                # numbers keep clear of the next column
    y0 = y
    rule = dict(color="#222222", transform=fig.transFigure)
    fig.add_artist(mlines.Line2D([x, x + width], [y0, y0], lw=1.0, **rule))
    for j, h in enumerate(heads):
        fig.text(xs[j] + pad if not numeric[j] else xs[j + 1] - rpad, y0 - 0.25 * line_h, h,
                 fontsize=fs * 0.9, fontweight="bold", va="top",
                 ha="right" if numeric[j] else "left", linespacing=1.2)
    y0 -= (n_head + 0.5) * line_h * 0.95
    fig.add_artist(mlines.Line2D([x, x + width], [y0, y0], lw=0.7, **rule))
    for i, row in enumerate(cells):
        wrapped = [wrap_text(v, max(4, int(w) - 1)) for v, w in zip(row, widths)]
        n = max(v.count("\n") + 1 for v in wrapped)
        for j, v in enumerate(wrapped):
            fig.text(xs[j] + pad if not numeric[j] else xs[j + 1] - rpad, y0 - 0.2 * line_h, v,
                     fontsize=fs, va="top", ha="right" if numeric[j] else "left",
                     linespacing=1.2)
        y0 -= (n + 0.35) * line_h
        if i < len(cells) - 1:
            fig.add_artist(mlines.Line2D([x, x + width], [y0, y0], lw=0.3, color="#BBBBBB",
                                         transform=fig.transFigure))
    fig.add_artist(mlines.Line2D([x, x + width], [y0, y0], lw=1.0, **rule))
    return y - y0


def table_height(table: pd.DataFrame, fs: float, h_in: float, widthchar_columns: float) -> float:
    """Height (figure fraction) that :func:`draw_table` will use, estimated before drawing."""
    line_h = fs * 1.45 / 72 / h_in
    return (len(table) * 1.4 + 4.0) * line_h


def write_pdf(res: RunResult, path: Path, lang: str = "ja") -> Path:
    """The report as one PDF: text pages and every figure page, on ``[maps] paper``.

    Each figure page carries its explaining sentence (Japanese on the map
    itself; the English report adds the English sentence to the note panel).
    """
    from matplotlib.backends.backend_pdf import PdfPages
    from ..maps.layout import Page, map_style, wrap_text
    title, sections = report_sections(res, lang)
    s = res.settings
    with map_style(s), PdfPages(path, metadata={"Title": title, "Creator": "gunmane-geo",
                                                 "CreationDate": None, "ModDate": None}) as pdf:
        text_page = None
        y = 0.0
        first = res.pages.get(f"summary_{lang}")
        if first is not None:           # page 1: the findings for a council
            pdf.savefig(first[0].fig)

        def new_text_page():
            p = Page(title, ("英語版: report_en.pdf" if lang == "ja" else "Japanese: report_ja.pdf"),
                     settings=s, sources=sources_line(res), crs=None, chart=True)
            p.ax.set_axis_off()
            return p, 0.86

        def flush(p):
            if p is not None:
                pdf.savefig(p.fig)

        for head, paras, table, fig in sections:
            if fig:
                page = res.pages[fig][0]
                flush(text_page)
                text_page = None
                extra = None
                if lang != "ja":      # the map carries the Japanese sentence; add the English one
                    y_keep = page._panel_y
                    extra = page.add_note(paras[0])
                pdf.savefig(page.fig)
                if extra is not None:
                    extra.remove()
                    page._panel_y = y_keep
                continue
            probe = text_page or new_text_page()[0]
            fs = probe.fs
            cols = int(0.94 * probe.w_in * 72 / (fs * 0.5))
            line_h = fs * 1.5 / 72 / probe.h_in
            wrapped = [wrap_text(p_, cols) for p_ in paras]
            need = 2.2 * line_h + sum((w.count("\n") + 1) * line_h + 0.4 * line_h for w in wrapped)
            if table is not None and len(table):
                # the estimate misses some wrapped cells: keep a quarter in reserve so a
                # table never runs into the footer
                need += 1.25 * table_height(table.head(30), fs * 0.85, probe.h_in, cols)
            if text_page is None or y - need < 0.09:
                flush(text_page)
                text_page, y = new_text_page()
            fig_ = text_page.fig
            if y < 0.86:                        # space above a heading that follows text
                y -= 0.8 * line_h
            fig_.text(0.03, y, head, fontsize=fs * 1.35, fontweight="bold", va="top")
            y -= 2.0 * line_h
            for w in wrapped:
                fig_.text(0.03, y, w, fontsize=fs, va="top", linespacing=1.5)
                y -= (w.count("\n") + 1) * line_h + 0.4 * line_h
            if table is not None and len(table):
                shown = table.head(30)
                y -= 0.3 * line_h
                y -= draw_table(fig_, shown, 0.03, y, 0.94, fs * 0.85, text_page.h_in,
                                 text_page.w_in) + 1.2 * line_h
                if len(table) > len(shown):
                    fig_.text(0.03, y + 0.8 * line_h,
                              (f"ほか{len(table) - len(shown)}行は tables/ のCSVを参照。" if lang == "ja"
                               else f"… {len(table) - len(shown)} more rows in tables/"),
                              fontsize=fs * 0.85)
        flush(text_page)
    return path
