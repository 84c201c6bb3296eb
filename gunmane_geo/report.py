"""The whole run and its report: load -> network -> criticality -> options -> plan ->
grouping -> indicators -> effect estimate -> results.gpkg, tables, maps, report.

``run_report(config, out_dir)`` writes into ``out_dir``:

* ``results.gpkg``   every layer and table, plus ``run_settings``, ``load_report``,
  ``stages`` (what ran, what was missing or failed, and why)
* ``tables/*.csv``   UTF-8 with BOM; indicators and effect with Japanese+English headers
* ``maps/*.pdf|png`` the council maps (``settings.maps.paper``, A3 by default)
* ``report_ja.html``, ``report_en.html``, ``report_ja.pdf``, ``report_en.pdf``
* ``run_settings.json`` every parameter used (and the config file copied as ``run_config.toml``)

A stage whose module is not available, or that cannot run on the given inputs
(no roads, no municipalities), is listed in the report as missing or failed
with the reason; the stages that need its output are listed as skipped.  No
number is ever made up for a missing stage.  See ``docs/report.md``.
"""
from __future__ import annotations

import html
import importlib
import json
import math
import shutil
import time
from pathlib import Path

import pandas as pd

from .errors import GunmaneError
from .io import write_csv, write_layers
from .money import yen_en, yen_ja
from .pipeline import RunResult, Stage, run_analysis
from .progress import report_progress, sub_progress
from .wording import STAGE_LABELS, STATUS_JA


# --------------------------------------------------------------------------- sentences
def _pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.0%}"


def _sources(res: RunResult) -> str:
    if res.settings.maps.data_sources:
        return res.settings.maps.data_sources
    src = getattr(res.region, "sources", {}) or {}
    return "入力ファイル / input files: " + "、".join(Path(v).name for v in src.values())


def build_maps(res: RunResult, progress=None) -> dict:
    """Make every map kind the run has data for; returns name -> (Page, caption_ja, caption_en)."""
    from . import maps
    s, L, region = res.settings, res.layers, res.region
    munis = region.municipalities
    roads = region.roads
    src = _sources(res)
    pages = {}
    t = int(s.effect.ageing_threshold_years)
    if res.ok("grouping") and munis is not None:
        gm = L["group_members"]
        best = gm[gm["candidate"] == gm["candidate"].min()] if "candidate" in gm.columns else gm
        n_g = best["group_id"].nunique()
        multi = best.groupby("group_id").size()
        ja = (f"{len(munis['municipality_code'].unique())}市区町村を{n_g}グループに分けた最良の案。"
              f"複数の市区町村からなるグループは{int((multi > 1).sum())}。色と模様がグループ、"
              "太線がグループの境界。")
        en = (f"Best partition of the municipalities into {n_g} groups ({int((multi > 1).sum())} "
              "with several members); colour and hatch mark the group, the bold line its boundary.")
        pages["groups"] = (maps.map_groups(munis, gm, roads=roads, settings=s, sources=src, note=ja),
                           ja, en)
    if res.ok("criticality"):
        crit = L["bridge_criticality"]
        cls = maps.criticality_class(crit, s)
        n_iso = int((cls == "isolating").sum())
        n_over = int((cls == "very_high").sum())
        ja = (f"{len(crit)}橋のうち、撤去すると孤立が生じる橋が{n_iso}橋、迂回が上限"
              f"（{s.guards.max_detour_m:,.0f} m）を超える橋が{n_over}橋。記号の形と色が区分を示す。")
        en = (f"Of {len(crit)} bridges, {n_iso} would cut people or facilities off if closed and "
              f"{n_over} would force a detour over {s.guards.max_detour_m:,.0f} m.")
        pages["bridges_criticality"] = (maps.map_bridges(crit, by="criticality", municipalities=munis,
                                                         roads=roads, settings=s, sources=src,
                                                         note=ja), ja, en)
    if res.ok("options"):
        opts = L["bridge_options"]
        rec = opts[opts["recommended"].astype(bool)].drop_duplicates("bridge_id")
        n_rm = int((rec["option"] != "keep").sum())
        ja = (f"橋ごとに最も正味の便益が大きい案。{len(rec)}橋のうち{n_rm}橋で撤去系の案"
              "（撤去・迂回路整備・ダウンサイジング）が推奨される（他の撤去との組み合わせは計画図を参照）。")
        en = (f"Best option per bridge on its own: {n_rm} of {len(rec)} bridges have a recommended "
              "removal-type option (see the plan for removals taken together).")
        pages["bridges_option"] = (maps.map_bridges(rec, by="option", municipalities=munis,
                                                    roads=roads, settings=s, sources=src, note=ja),
                                   ja, en)
    if res.ok("plan"):
        plan = L["plan"]
        cls = maps.plan_class(plan)
        summ = plan.attrs.get("summary", {})
        n_lost = int(cls.isin(["remove", "remove_upgrade_detour", "downsize", "consolidated"]).sum())
        saving = summ.get("saving_share")
        avoided = summ.get("cost_avoided_yen")
        hz = int(s.costs.horizon_years)
        ja = (f"計画では{len(plan)}橋のうち{n_lost}橋を撤去・ダウンサイジング・集約の対象とし"
              + (f"、{hz}年間のライフサイクル費用を{yen_ja(avoided)}（{_pct(saving)}）削減する"
                 "（例示の単価による概算）" if saving is not None and avoided is not None else "")
              + "。太い破線は撤去後の迂回路（すべての撤去を同時に行った場合）、四角囲みの数字は詳細図の番号。")
        en = (f"The plan takes {n_lost} of {len(plan)} bridges out of vehicle use"
              + (f", saving {yen_en(avoided, billions=False)} ({_pct(saving)}) of the {hz}-year "
                 "life-cycle cost at illustrative unit costs"
                 if saving is not None and avoided is not None else "")
              + "; bold dashed lines are the detours with all planned removals made together, "
                "boxed numbers refer to the close-ups.")
        pages["plan"] = (maps.map_plan(plan, detours=L.get("detour_routes"), municipalities=munis,
                                       roads=roads, settings=s, sources=src, note=ja), ja, en)
        details = maps.map_plan_details(plan, detours=L.get("detour_routes"), municipalities=munis,
                                        roads=roads, rivers=region.rivers, settings=s, sources=src)
        numbers = maps.detail_numbers(plan)
        for k, pg in enumerate(details, start=1):
            first, last = numbers[pg.detail_ids[0]], numbers[pg.detail_ids[-1]]
            nos = f"{first}" if first == last else f"{first}〜{last}"
            nos_en = f"{first}" if first == last else f"{first} to {last}"
            ja = (f"計画で車が通れなくなる橋（番号{nos}）ごとの拡大図で、×が撤去する橋、"
                  "太い破線がすべての撤去を行った後の迂回路、見出しの数値が迂回で増える距離と時間。")
            en = (f"Close-ups of the bridges that lose vehicle traffic in the plan (numbers {nos_en}): "
                  "× marks a removed bridge, the bold dashed line the detour with all removals "
                  "made, and each heading gives the extra distance and time.")
            pages[f"plan_details_{k}"] = (pg, ja, en)
    if res.ok("indicators"):
        ind = L["indicators"]
        from .indicators import age_columns
        cols = [c for c in age_columns(s) if c in ind.columns]
        m = ind[ind["level"] == "municipality"]
        tot_known = m["n_built_year_known"].sum()
        shares = [(m[c.replace("share_", "n_")].sum() / tot_known) if tot_known else float("nan")
                  for c in cols]
        hz = ["現在"] + [f"{h}年後" for h in s.effect.ageing_horizons_years]
        hz_en = ["now"] + [f"in {h} years" for h in s.effect.ageing_horizons_years]
        ja = (f"建設後{t}年以上の市区町村管理橋梁の割合は、全体で"
              + "、".join(f"{a} {_pct(b)}" for a, b in zip(hz, shares)) + "。市区町村ごとの割合を色で示す。")
        en = (f"Share of municipal bridges {t}+ years old across the region: "
              + ", ".join(f"{_pct(b)} {a}" for a, b in zip(hz_en, shares)) + ".")
        pages["ageing"] = (maps.map_ageing(ind, roads=roads, settings=s, sources=src, note=ja),
                           ja, en)
    if res.ok("effect"):
        eff = L["effect"]
        g = eff[eff["level"] == "group"]
        tb, ta = g["total_cost_before_yen"].sum(), g["total_cost_after_yen"].sum()
        share = (tb - ta) / tb if tb > 0 else float("nan")
        illus = bool(eff["uses_illustrative_defaults"].any())
        ja = (f"グループ合計の直営＋委託のトータルコストは年{yen_ja(tb)}から年{yen_ja(ta)}へ"
              f"（{_pct(share)}削減）。" + ("例示の既定値を含む概算。" if illus else ""))
        en = (f"Total of direct staff cost and outsourcing over the groups: {yen_en(tb, billions=False)} to "
              f"{yen_en(ta, billions=False)} a year ({_pct(share)} less)"
              + ("; includes ILLUSTRATIVE defaults." if illus else "."))
        pages["effect"] = (maps.chart_effect(eff, settings=s, sources=src, note=ja), ja, en)
    return pages


# --------------------------------------------------------------------------- writing
def _write_tables(res: RunResult, out: Path) -> list[Path]:
    from .effect import EFFECT_LABELS
    from .indicators import bilingual
    tdir = out / "tables"
    files = []
    L = res.layers
    if "indicators" in L:
        files.append(write_csv(bilingual(L["indicators"], res.settings), tdir / "indicators.csv"))
    if "effect" in L:
        files.append(write_csv(bilingual(L["effect"], labels=EFFECT_LABELS), tdir / "effect.csv"))
    for name in ("effect_assumptions", "asset_type_counts", "bridge_criticality", "bridge_options",
                 "consolidation_sets", "plan", "plan_summary", "cost_curve", "groups",
                 "group_members", "asset_packages", "multi_sector_areas", "road_pairs",
                 "skipped_features"):
        if L.get(name) is not None:
            files.append(write_csv(L[name], tdir / f"{name}.csv"))
    files.append(write_csv(res.stages_frame(), tdir / "stages.csv"))
    if res.region is not None:
        files.append(write_csv(res.region.report.to_frame(), tdir / "load_report.csv"))
    return files


def _gpkg_layers(res: RunResult) -> dict:
    layers = {}
    region = res.region
    for kind in ("municipalities", "roads", "bridges", "facilities", "other_assets"):
        f = getattr(region, kind, None)
        if isinstance(f, pd.DataFrame):
            layers[f"input_{kind}"] = f
    if isinstance(getattr(region, "staff", None), pd.DataFrame):
        layers["input_staff"] = pd.DataFrame(region.staff)
    for name, f in res.layers.items():
        if isinstance(f, pd.DataFrame):
            layers[name] = f
    layers["stages"] = res.stages_frame()
    if res.network is not None:
        layers["network_edges"] = res.network.edges
    return layers


def _settings_record(res: RunResult) -> dict:
    from .indicators import _year
    from .maps.layout import map_date
    import platform
    versions = {}
    for mod in ("numpy", "pandas", "geopandas", "shapely", "pyproj", "matplotlib"):
        try:
            versions[mod] = importlib.import_module(mod).__version__
        except Exception:  # pragma: no cover
            pass
    from . import __version__
    return {"config": str(res.config_path), "settings": res.settings.to_dict(),
            "resolved": {"reference_year": _year(res.settings),
                         "map_date": map_date(res.settings).isoformat()},
            "inputs": getattr(res.region, "sources", {}),
            "stages": res.stages_frame().to_dict("records"),
            "versions": {"gunmane_geo": __version__, "python": platform.python_version(),
                         **versions}}


def run_report(config, out_dir, *, progress=None, dpi: int | None = None,
               stages=None) -> RunResult:
    """Run every stage and write results.gpkg, tables, maps and the report (ja, en; HTML, PDF).

    Parameters
    ----------
    config : path
        run.toml (``[inputs]`` and settings sections).
    out_dir : path
        Output folder (created).
    dpi : int, optional
        PNG resolution (default ``settings.maps.dpi``).
    stages : iterable of str, optional
        Run only these analysis stages (and what they need); the others are
        listed in the report as not requested.

    Returns
    -------
    RunResult
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    res = run_analysis(config, out, progress=sub_progress(progress, 0.0, 0.9), stages=stages)
    t0 = time.perf_counter()
    st = Stage("maps")
    res.stages["maps"] = st
    try:
        res.pages = build_maps(res)
        st.status = "ok"
        st.message = ", ".join(res.pages)
    except GunmaneError as exc:
        st.status, st.message = "failed", str(exc)
    report_progress(progress, 0.93, "writing maps")
    for name, (page, _, _) in res.pages.items():
        res.files += page.save(out / "maps" / name, dpi=dpi)
    st.seconds = time.perf_counter() - t0
    res.stages["report"] = Stage("report", "ok")
    report_progress(progress, 0.96, "writing results.gpkg and tables")
    res.files.append(write_layers(out / "results.gpkg", _gpkg_layers(res), settings=res.settings,
                                  report=res.region.report))
    res.files += _write_tables(res, out)
    rec = _settings_record(res)
    (out / "run_settings.json").write_text(json.dumps(rec, ensure_ascii=False, indent=2,
                                                      default=str), encoding="utf-8")
    shutil.copyfile(config, out / "run_config.toml")
    res.files += [out / "run_settings.json", out / "run_config.toml"]
    report_progress(progress, 0.98, "writing the report")
    for lang in ("ja", "en"):
        res.files.append(write_html(res, out / f"report_{lang}.html", lang))
        res.files.append(write_pdf(res, out / f"report_{lang}.pdf", lang))
    report_progress(progress, 1.0, "done")
    return res


# --------------------------------------------------------------------------- report text
#: The report's sentences and headings as (Japanese, English) templates for
#: ``str.format``; both languages are filled from the same values (see _text).
_TEXTS = {
    "inputs": ("対象: 市区町村 {municipalities}、道路 {roads}本、橋梁 {bridges}橋、"
               "施設 {facilities}、他分野施設 {other_assets}。",
               "Inputs: {municipalities} municipalities, {roads} road lines, {bridges} bridges, "
               "{facilities} facilities, {other_assets} other-sector assets."),
    "crs_year_date": ("座標系: {crs}。基準年: {year}年。作成日: {date}。",
                      "CRS: {crs}. Reference year: {year}. Date: {date}."),
    "skipped": ("読み込み・集計で除外した地物: {n}件（理由は tables/load_report.csv と "
                "tables/skipped_features.csv）。",
                "Features skipped while loading or counting: {n} (reasons in "
                "tables/load_report.csv and tables/skipped_features.csv)."),
    "illustrative": ("費用・時間の既定値は例示（ILLUSTRATIVE）であり公式の単価ではない。判断に使う前に"
                     "自団体の値に置き換えること。",
                     "Cost and hour defaults are ILLUSTRATIVE, not official unit costs: replace "
                     "them with your own before using results for decisions."),
    "bad_stages": ("実行できなかった処理: {stages}。これらの結果は本報告に含まれない。",
                   "Stages that did not run: {stages}. Their results are not in this report."),
    "bad_stage": ("{label}（{status}: {message}）", "{label} ({status}: {message})"),
    "list_sep": ("、", "; "),
    "packages": ("点検・修繕をまとめて発注するパッケージ案は{n}件で、1件あたり"
                 "{a_min}〜{a_max}施設、点検時間は{lo:,.0f}〜{hi:,.0f}時間（最大÷最小 {ratio}倍）"
                 "である（tables/asset_packages.csv）。",
                 "{n} asset packages for joint inspection and repair contracts: "
                 "{a_min} to {a_max} assets each, {lo:,.0f} to {hi:,.0f} inspection hours "
                 "(largest / smallest {ratio}) (tables/asset_packages.csv)."),
    "areas": ("市区町村ごとの多分野連携の地区案は{n_muni}市区町村で計{n}地区、"
              "1地区あたり{a_min}〜{a_max}施設で、うち{n_multi}地区は"
              "2分野以上の施設を含む（tables/multi_sector_areas.csv）。",
              "{n} multi-sector areas in {n_muni} municipalities, {a_min} to {a_max} assets "
              "each; {n_multi} of them hold assets of two or more sectors "
              "(tables/multi_sector_areas.csv)."),
    "road_pairs": ("並行して同じ地点を結ぶ県道と市町村道の組は{n}組あり、合同での管理"
                   "見直しの候補である（市町村道 計{km:,.1f} km、橋梁{nb}橋；"
                   "tables/road_pairs.csv）。",
                   "{n} pairs of a prefectural and a municipal road run parallel between the "
                   "same places: candidates for joint review (municipal roads {km:,.1f} km in "
                   "all, {nb} bridges; tables/road_pairs.csv)."),
    "stage_columns": (("処理", "状態", "備考", "秒"), ("stage", "status", "note", "seconds")),
    "h_summary": ("概要", "Summary"),
    "h_figures": ("図の一覧", "Figures"),
    "figures_note": ("各図の説明（地図のページにも記載）。費用の既定値は例示であり公式の単価ではない。",
                     "What each figure shows (also printed on its page). Cost defaults are "
                     "ILLUSTRATIVE, not official unit costs."),
    "figure_columns": (("図", "題名", "内容"), ("figure", "title", "what it shows")),
    "h_stages": ("実行した処理", "Stages"),
    "h_indicators": ("見える化指標（市区町村・グループ別）", "Indicators per municipality and group"),
    "indicators_note": ("全指標は tables/indicators.csv（日本語・英語の見出し付き）。",
                        "All indicators: tables/indicators.csv (Japanese and English headers)."),
    "h_grouping": ("発注パッケージ・多分野連携・道路ペア",
                   "Asset packages, multi-sector areas and road pairs"),
    "h_figure": ("図{i} {title}", "Figure {i}. {title}"),
    "h_effect_numbers": ("導入効果試算の内訳", "Effect estimate in numbers"),
    "effect_numbers_note": ("金額は万円/年、時間は時間/年。【 】はグループの合計。既定値は例示であり"
                            "公式の単価ではない。",
                            "Money in million yen per year, staff hours per year; 【 】 = group "
                            "total. Defaults are ILLUSTRATIVE."),
    "h_assumptions": ("試算の前提", "Assumptions"),
    "assumptions_note": ("「既定値（例示）」は公式の単価ではない。",
                         "'default (illustrative)' values are not official unit costs."),
    "title": ("群マネ検討資料", "Gunmane study report"),
}


def _text(key: str, lang: str, **values):
    """``_TEXTS[key]`` in ``lang`` ("ja" or "en"), formatted with ``values`` when given."""
    text = _TEXTS[key][0 if lang == "ja" else 1]
    return text.format(**values) if values else text


def _summary_lines(res: RunResult, lang: str) -> list[str]:
    r, L, s = res.region, res.layers, res.settings
    from .indicators import _year
    from .maps.layout import crs_label, map_date
    n = {k: (len(getattr(r, k)) if isinstance(getattr(r, k, None), pd.DataFrame) else 0)
         for k in ("municipalities", "roads", "bridges", "facilities", "staff", "other_assets")}
    skipped = r.report.skipped()
    n_skip = len(skipped) + (len(L["skipped_features"]) if L.get("skipped_features") is not None
                             else 0)
    lines = [_text("inputs", lang, **n),
             _text("crs_year_date", lang, crs=crs_label(r.crs), year=_year(s),
                   date=map_date(s).isoformat()),
             _text("skipped", lang, n=n_skip),
             _text("illustrative", lang)]
    bad = [x for x in res.stages.values() if x.status != "ok"]
    if bad:
        label = 0 if lang == "ja" else 1
        stages = _text("list_sep", lang).join(
            _text("bad_stage", lang, label=STAGE_LABELS[x.name][label], message=x.message,
                  status=STATUS_JA[x.status] if lang == "ja" else x.status)
            for x in bad)
        lines.append(_text("bad_stages", lang, stages=stages))
    return lines


def _grouping_lines(res: RunResult, lang: str) -> list[str]:
    """One sentence each on the asset packages, the multi-sector areas and the road pairs,
    with the numbers taken from those layers (absent layers: no sentence)."""
    L = res.layers
    lines = []
    pk = L.get("asset_packages")
    if pk is not None and len(pk):
        n_assets = pd.to_numeric(pk["assets"], errors="coerce")
        hours = pd.to_numeric(pk["inspection_hours"], errors="coerce")
        lo, hi = float(hours.min()), float(hours.max())
        lines.append(_text("packages", lang, n=len(pk), a_min=int(n_assets.min()),
                           a_max=int(n_assets.max()), lo=lo, hi=hi,
                           ratio=f"{hi / lo:.2f}" if lo > 0 else "-"))
    ar = L.get("multi_sector_areas")
    if ar is not None and len(ar):
        sector_cols = [c for c in ar.columns if c.startswith("n_") and c != "n_municipalities"]
        n_multi = int((ar[sector_cols].gt(0).sum(axis=1) >= 2).sum()) if sector_cols else 0
        a = pd.to_numeric(ar["assets"], errors="coerce")
        lines.append(_text("areas", lang, n=len(ar), n_muni=ar["municipality_code"].nunique(),
                           a_min=int(a.min()), a_max=int(a.max()), n_multi=n_multi))
    rp = L.get("road_pairs")
    if rp is not None:
        km = float(pd.to_numeric(rp["muni_length_m"], errors="coerce").sum()) / 1000 \
            if len(rp) else 0.0
        nb = int(pd.to_numeric(rp["bridges_on_muni"], errors="coerce").fillna(0).sum()) \
            if len(rp) else 0
        lines.append(_text("road_pairs", lang, n=len(rp), km=km, nb=nb))
    return lines


def _indicator_table(res: RunResult, lang: str) -> pd.DataFrame | None:
    ind = res.layers.get("indicators")
    if ind is None:
        return None
    from .indicators import age_columns, indicator_labels
    cols = ["unit_name", "n_bridges", "deck_area_m2", *age_columns(res.settings), "n_rating_3",
            "n_rating_4", "technical_staff", "bridges_per_staff", "n_inspection_overdue"]
    cols = [c for c in cols if c in ind.columns]
    t = pd.DataFrame(ind[cols]).copy()
    for c in cols:
        if c.startswith("share_"):
            t[c] = [_pct(v) for v in t[c]]
        elif c in ("deck_area_m2",):
            t[c] = [f"{v:,.0f}" for v in t[c]]
        elif c in ("bridges_per_staff", "technical_staff"):
            t[c] = ["—" if pd.isna(v) else f"{v:,.1f}".rstrip("0").rstrip(".") for v in t[c]]
    labels = indicator_labels(cols)
    t.columns = [labels[c][0 if lang == "ja" else 1] for c in cols]
    return t


def _effect_table(res: RunResult, lang: str) -> pd.DataFrame | None:
    eff = res.layers.get("effect")
    if eff is None:
        return None
    from .effect import EFFECT_LABELS
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


def _assumption_table(res: RunResult, lang: str) -> pd.DataFrame | None:
    a = res.layers.get("effect_assumptions")
    if a is None:
        return None
    t = a[["label_ja" if lang == "ja" else "label_en", "value", "unit", "source"]].copy()
    t["value"] = [f"{v:.0%}" if u == "0-1" else f"{v:,.2f}".rstrip("0").rstrip(".")
                  for v, u in zip(t["value"], t["unit"])]
    if lang == "ja":
        t["unit"] = [_UNITS_JA.get(u, u) for u in t["unit"]]
    else:
        t["unit"] = ["share" if u == "0-1" else u for u in t["unit"]]
    part = 0 if lang == "ja" else 1
    t["source"] = [str(v).split(" / ")[part] if " / " in str(v) else str(v) for v in t["source"]]
    t.columns = (["項目", "値", "単位", "出典"] if lang == "ja" else
                 ["parameter", "value", "unit", "source"])
    return t


_UNITS_JA = {"yen/h": "円/時間", "h/bridge/yr": "時間/橋/年", "yen/bridge/yr": "円/橋/年",
             "0-1": "割合", "count": "件"}


def _stage_table(res: RunResult, lang: str) -> pd.DataFrame:
    ja = lang == "ja"
    rows = [(STAGE_LABELS[st.name][0 if ja else 1],
             STATUS_JA.get(st.status, st.status) if ja else st.status,
             st.message, f"{st.seconds:.1f}") for st in res.stages.values()]
    return pd.DataFrame(rows, columns=list(_text("stage_columns", lang)))


_FIG_ORDER = ["ageing", "groups", "bridges_criticality", "bridges_option", "plan", "effect"]
_FIG_TITLES = {
    "ageing": ("見える化：橋梁の高齢化", "Indicators: ageing bridges"),
    "groups": ("広域連携グループ（案）", "Municipal groups (proposal)"),
    "bridges_criticality": ("橋梁の重要度", "Bridge criticality"),
    "bridges_option": ("橋梁ごとの推奨案", "Recommended option per bridge"),
    "plan": ("集約・撤去計画（案）", "Consolidation and removal plan (proposal)"),
    "effect": ("導入効果試算", "Effect estimate"),
}


def _figure_keys(pages) -> list[str]:
    """Figure names in report order; the plan's close-up pages follow the plan."""
    keys = []
    for k in _FIG_ORDER:
        if k in pages:
            keys.append(k)
        if k == "plan":
            keys += sorted((p for p in pages if p.startswith("plan_details_")),
                           key=lambda p: int(p.rsplit("_", 1)[1]))
    return keys


def _fig_title(key: str, pages) -> tuple[str, str]:
    if key.startswith("plan_details_"):
        n = sum(1 for p in pages if p.startswith("plan_details_"))
        k = int(key.rsplit("_", 1)[1])
        part = f"（{k}/{n}）" if n > 1 else ""
        return (f"集約・撤去計画（案）詳細図{part}",
                f"Plan close-ups{f' ({k}/{n})' if n > 1 else ''}")
    return _FIG_TITLES[key]


def _sections(res: RunResult, lang: str):
    """(heading, paragraphs, table or None, figure name or None) in report order."""
    ja = lang == "ja"
    name = res.settings.maps.region_name
    out = [(_text("h_summary", lang), _summary_lines(res, lang), None, None)]
    keys = _figure_keys(res.pages)
    if keys:
        figs = pd.DataFrame(
            [((f"図{i}" if ja else f"{i}"), _fig_title(k, res.pages)[0 if ja else 1],
              res.pages[k][1 if ja else 2]) for i, k in enumerate(keys, start=1)],
            columns=list(_text("figure_columns", lang)))
        out.append((_text("h_figures", lang), [_text("figures_note", lang)], figs, None))
    out.append((_text("h_stages", lang), [], _stage_table(res, lang), None))
    t = _indicator_table(res, lang)
    if t is not None:
        out.append((_text("h_indicators", lang), [_text("indicators_note", lang)], t, None))
    g = _grouping_lines(res, lang)
    if g:
        out.append((_text("h_grouping", lang), g, None, None))
    for i, key in enumerate(keys, start=1):
        _, cja, cen = res.pages[key]
        head = _fig_title(key, res.pages)[0 if ja else 1]
        out.append((_text("h_figure", lang, i=i, title=head), [cja if ja else cen], None, key))
        if key == "effect":
            out.append((_text("h_effect_numbers", lang), [_text("effect_numbers_note", lang)],
                        _effect_table(res, lang), None))
            out.append((_text("h_assumptions", lang), [_text("assumptions_note", lang)],
                        _assumption_table(res, lang), None))
    title = _text("title", lang) + (f" — {name}" if name else "")
    return title, out


def write_html(res: RunResult, path: Path, lang: str = "ja") -> Path:
    """The report as one HTML file; figures are the PNGs under ``maps/``."""
    title, sections = _sections(res, lang)
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


def _is_number(text: str) -> bool:
    t = str(text).replace(",", "").replace("%", "").replace("¥", "").strip()
    if t in ("—", "-", ""):
        return True
    try:
        float(t)
        return True
    except ValueError:
        return False


def _draw_table(fig, table: pd.DataFrame, x: float, y: float, width: float, fs: float,
                h_in: float, w_in: float) -> float:
    """Draw ``table`` on ``fig`` from (x, y) (figure fractions, top left); returns its height.

    Columns get widths from their longest cell (a kanji counts twice); headers
    wrap to their column; numbers are right-aligned, text left-aligned; rules
    above and below the header and under the last row (a council-style table).
    """
    import matplotlib.lines as mlines
    from .maps.layout import _cols, wrap_text
    pt_w = width * w_in * 72                       # table width in points
    char_pt = fs * 0.5                             # one column (half a kanji)
    cells = table.astype(str).to_numpy()
    heads = [str(c) for c in table.columns]
    need = []
    for j, h in enumerate(heads):
        body = max([sum(_cols(ch) for ch in str(v)) for v in cells[:, j]] or [0])
        need.append(max(body, min(sum(_cols(ch) for ch in h), 18), 4) + 2)
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


def _table_height(table: pd.DataFrame, fs: float, h_in: float, width_cols: float) -> float:
    """Height (figure fraction) that :func:`_draw_table` will use, estimated before drawing."""
    line_h = fs * 1.45 / 72 / h_in
    return (len(table) * 1.4 + 4.0) * line_h


def write_pdf(res: RunResult, path: Path, lang: str = "ja") -> Path:
    """The report as one PDF: text pages and every figure page, on ``[maps] paper``.

    Each figure page carries its explaining sentence (Japanese on the map
    itself; the English report adds the English sentence to the note panel).
    """
    from matplotlib.backends.backend_pdf import PdfPages
    from .maps.layout import Page, map_style, wrap_text
    title, sections = _sections(res, lang)
    s = res.settings
    with map_style(s), PdfPages(path, metadata={"Title": title, "Creator": "gunmane-geo",
                                                 "CreationDate": None, "ModDate": None}) as pdf:
        text_page = None
        y = 0.0

        def new_text_page():
            p = Page(title, ("英語版: report_en.pdf" if lang == "ja" else "Japanese: report_ja.pdf"),
                     settings=s, sources=_sources(res), crs=None, chart=True)
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
                need += 1.25 * _table_height(table.head(30), fs * 0.85, probe.h_in, cols)
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
                y -= _draw_table(fig_, shown, 0.03, y, 0.94, fs * 0.85, text_page.h_in,
                                 text_page.w_in) + 1.2 * line_h
                if len(table) > len(shown):
                    fig_.text(0.03, y + 0.8 * line_h,
                              (f"ほか{len(table) - len(shown)}行は tables/ のCSVを参照。" if lang == "ja"
                               else f"… {len(table) - len(shown)} more rows in tables/"),
                              fontsize=fs * 0.85)
        flush(text_page)
    return path
