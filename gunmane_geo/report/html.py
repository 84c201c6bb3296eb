"""The report as HTML: one page per language, figures from ``maps/*.png``."""
from __future__ import annotations

import html
from pathlib import Path

from ..pipeline import RunResult
from .sections import report_sections


def write_html(res: RunResult, path: Path, lang: str = "ja") -> Path:
    """The report as one HTML file; figures are the PNGs under ``maps/``."""
    title, sections = report_sections(res, lang)
    other = "report_en.html" if lang == "ja" else "report_ja.html"
    parts = [f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
             f"<title>{html.escape(title)}</title><style>",
             "body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;max-width:1100px;"
             "margin:2em auto;line-height:1.6;color:#222}table{border-collapse:collapse;"
             "font-size:0.85em}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}"
             "th{background:#eee}td:first-child{text-align:left}img{max-width:100%;"
             "border:1px solid #ccc}figcaption{font-size:0.95em;margin:0.3em 0 1.5em}",
             "</style></head><body>",
             f"<p style='text-align:right'><a href='{other}'>"
             f"{'English' if lang == 'ja' else '日本語'}</a></p>",
             f"<h1>{html.escape(title)}</h1>"]
    if f"summary_{lang}" in res.pages:      # the findings first (report/summary.py)
        from .summary import scenario_table, summary_facts, summary_lines_of
        from ..wording import report_text
        facts = summary_facts(res)
        parts.append(f"<h2>{'検討結果の要点' if lang == 'ja' else 'Findings'}</h2>")
        parts += [f"<p><b>{html.escape(h)}</b>：{html.escape(t)}</p>" if lang == "ja" else
                  f"<p><b>{html.escape(h)}</b>: {html.escape(t)}</p>"
                  for h, t in summary_lines_of(facts, lang)]
        t = scenario_table(facts, lang)
        if t is not None:
            parts.append(t.to_html(index=False, escape=True, border=0))
        parts.append(f"<p style='color:#B00000'><b>{html.escape(report_text('illustrative', lang))}</b></p>")
        parts.append(f"<p><img src='summary_{lang}.png' alt='summary' style='max-width:100%'> "
                     f"<a href='summary_{lang}.pdf'>PDF</a></p>")
    for head, paras, table, fig in sections:
        parts.append(f"<h2>{html.escape(head)}</h2>")
        if fig:
            parts.append(f"<figure><img src='maps/{fig}.png' alt='{html.escape(head)}'>"
                         f"<figcaption>{html.escape(paras[0])} "
                         f"<a href='maps/{fig}.pdf'>PDF</a></figcaption></figure>")
            continue
        parts += [f"<p>{html.escape(p)}</p>" for p in paras]
        if table is not None:
            parts.append(table.to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
