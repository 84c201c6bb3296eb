"""What the report says, in order: its sections (heading, paragraphs, table or
figure), the summary sentences and the tables as printed, in Japanese or English.
The HTML and PDF writers lay these out."""
from __future__ import annotations

import pandas as pd

from ..pipeline import RunResult
from ..wording import STAGE_LABELS, STATUS_JA, UNITS_JA, percent_text, report_text
from .figures import figure_keys, figure_title


def summary_lines(res: RunResult, lang: str) -> list[str]:
    r, L, s = res.region, res.layers, res.settings
    from ..maps.layout import crs_label, map_date
    n = {k: (len(getattr(r, k)) if isinstance(getattr(r, k, None), pd.DataFrame) else 0)
         for k in ("municipalities", "roads", "bridges", "facilities", "staff", "other_assets")}
    skipped = r.report.skipped()
    n_skip = len(skipped) + (len(L["skipped_features"]) if L.get("skipped_features") is not None
                             else 0)
    lines = [report_text("inputs", lang, **n),
             report_text("crs_year_date", lang, crs=crs_label(r.crs), year=s.reference_year(),
                   date=map_date(s).isoformat()),
             report_text("skipped", lang, n=n_skip),
             report_text("illustrative", lang)]
    bad = [x for x in res.stages.values() if x.status != "ok"]
    if bad:
        label = 0 if lang == "ja" else 1
        stages = report_text("list_sep", lang).join(
            report_text("bad_stage", lang, label=STAGE_LABELS[x.name][label], message=x.message,
                  status=STATUS_JA[x.status] if lang == "ja" else x.status)
            for x in bad)
        lines.append(report_text("bad_stages", lang, stages=stages))
    return lines


def grouping_lines(res: RunResult, lang: str) -> list[str]:
    """One sentence each on the asset packages, the multi-sector areas and the road pairs,
    with the numbers taken from those layers (absent layers: no sentence)."""
    L = res.layers
    lines = []
    pk = L.get("asset_packages")
    if pk is not None and len(pk):
        n_assets = pd.to_numeric(pk["assets"], errors="coerce")
        hours = pd.to_numeric(pk["inspection_hours"], errors="coerce")
        lo, hi = float(hours.min()), float(hours.max())
        lines.append(report_text("packages", lang, n=len(pk), a_min=int(n_assets.min()),
                           a_max=int(n_assets.max()), lo=lo, hi=hi,
                           ratio=f"{hi / lo:.2f}" if lo > 0 else "-"))
    ar = L.get("multi_sector_areas")
    if ar is not None and len(ar):
        sectorchar_columns = [c for c in ar.columns if c.startswith("n_") and c != "n_municipalities"]
        n_multi = int((ar[sectorchar_columns].gt(0).sum(axis=1) >= 2).sum()) if sectorchar_columns else 0
        a = pd.to_numeric(ar["assets"], errors="coerce")
        lines.append(report_text("areas", lang, n=len(ar), n_muni=ar["municipality_code"].nunique(),
                           a_min=int(a.min()), a_max=int(a.max()), n_multi=n_multi))
    rp = L.get("road_pairs")
    if rp is not None:
        km = float(pd.to_numeric(rp["muni_length_m"], errors="coerce").sum()) / 1000 \
            if len(rp) else 0.0
        nb = int(pd.to_numeric(rp["bridges_on_muni"], errors="coerce").fillna(0).sum()) \
            if len(rp) else 0
        lines.append(report_text("road_pairs", lang, n=len(rp), km=km, nb=nb))
    return lines


def indicator_table(res: RunResult, lang: str) -> pd.DataFrame | None:
    ind = res.layers.get("indicators")
    if ind is None:
        return None
    from ..indicators import age_columns, indicator_labels
    cols = ["unit_name", "n_bridges", "deck_area_m2", *age_columns(res.settings), "n_rating_3",
            "n_rating_4", "technical_staff", "bridges_per_staff", "n_inspection_overdue"]
    cols = [c for c in cols if c in ind.columns]
    t = pd.DataFrame(ind[cols]).copy()
    for c in cols:
        if c.startswith("share_"):
            t[c] = [percent_text(v) for v in t[c]]
        elif c in ("deck_area_m2",):
            t[c] = [f"{v:,.0f}" for v in t[c]]
        elif c in ("bridges_per_staff", "technical_staff"):
            t[c] = ["—" if pd.isna(v) else f"{v:,.1f}".rstrip("0").rstrip(".") for v in t[c]]
    labels = indicator_labels(cols)
    t.columns = [labels[c][0 if lang == "ja" else 1] for c in cols]
    return t


def effect_table(res: RunResult, lang: str) -> pd.DataFrame | None:
    eff = res.layers.get("effect")
    if eff is None:
        return None
    from ..effect import EFFECT_LABELS
    cols = ["unit_name", "direct_hours_before", "direct_hours_after", "total_cost_before_yen",
            "total_cost_after_yen", "direct_cost_reduction_yen", "new_outsourcing_cost_yen",
            "total_reduction_yen"]
    t = pd.DataFrame(eff[cols]).copy()
    heads = []
    for c in cols:
        label = EFFECT_LABELS[c][0 if lang == "ja" else 1]
        if c.endswith("_yen"):      # money the Japanese way: 万円; English: million yen
            t[c] = [f"{v / 1e4:,.0f}" if lang == "ja" else f"{v / 1e6:,.1f}" for v in t[c]]
            label = label.replace("円/年", "万円/年") if lang == "ja" else \
                label.replace("(yen/yr)", "(¥ million/yr)")
        elif c != "unit_name":
            t[c] = [f"{v:,.0f}" for v in t[c]]
        heads.append(label)
    t["unit_name"] = [n if lvl == "municipality" else f"【{n}】"
                      for n, lvl in zip(t["unit_name"], eff["level"])]
    t.columns = heads
    return t


def assumption_table(res: RunResult, lang: str) -> pd.DataFrame | None:
    a = res.layers.get("effect_assumptions")
    if a is None:
        return None
    t = a[["label_ja" if lang == "ja" else "label_en", "value", "unit", "source"]].copy()
    t["value"] = [f"{v:.0%}" if u == "0-1" else f"{v:,.2f}".rstrip("0").rstrip(".")
                  for v, u in zip(t["value"], t["unit"])]
    if lang == "ja":
        t["unit"] = [UNITS_JA.get(u, u) for u in t["unit"]]
    else:
        t["unit"] = ["share" if u == "0-1" else u for u in t["unit"]]
    part = 0 if lang == "ja" else 1
    t["source"] = [str(v).split(" / ")[part] if " / " in str(v) else str(v) for v in t["source"]]
    t.columns = (["項目", "値", "単位", "出典"] if lang == "ja" else
                 ["parameter", "value", "unit", "source"])
    return t


def stage_table(res: RunResult, lang: str) -> pd.DataFrame:
    ja = lang == "ja"
    rows = [(STAGE_LABELS[st.name][0 if ja else 1],
             STATUS_JA.get(st.status, st.status) if ja else st.status,
             st.message, f"{st.seconds:.1f}") for st in res.stages.values()]
    return pd.DataFrame(rows, columns=list(report_text("stage_columns", lang)))


def report_sections(res: RunResult, lang: str):
    """(heading, paragraphs, table or None, figure name or None) in report order."""
    ja = lang == "ja"
    name = res.settings.maps.region_name
    out = [(report_text("h_summary", lang), summary_lines(res, lang), None, None)]
    keys = figure_keys(res.pages)
    if keys:
        figs = pd.DataFrame(
            [((f"図{i}" if ja else f"{i}"), figure_title(k, res.pages)[0 if ja else 1],
              res.pages[k][1 if ja else 2]) for i, k in enumerate(keys, start=1)],
            columns=list(report_text("figure_columns", lang)))
        out.append((report_text("h_figures", lang), [report_text("figures_note", lang)], figs, None))
    t = indicator_table(res, lang)
    if t is not None:
        out.append((report_text("h_indicators", lang), [report_text("indicators_note", lang)], t, None))
    g = grouping_lines(res, lang)
    if g:
        out.append((report_text("h_grouping", lang), g, None, None))
    for i, key in enumerate(keys, start=1):
        _, cja, cen = res.pages[key]
        head = figure_title(key, res.pages)[0 if ja else 1]
        out.append((report_text("h_figure", lang, i=i, title=head), [cja if ja else cen], None, key))
        if key == "effect":
            out.append((report_text("h_effect_numbers", lang), [report_text("effect_numbers_note", lang)],
                        effect_table(res, lang), None))
            out.append((report_text("h_assumptions", lang), [report_text("assumptions_note", lang)],
                        assumption_table(res, lang), None))
    # appendix: the technical record of the run
    out.append((report_text("h_appendix_stages", lang), [], stage_table(res, lang), None))
    title = report_text("title", lang) + (f" — {name}" if name else "")
    return title, out
