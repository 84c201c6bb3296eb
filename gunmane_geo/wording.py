"""Bilingual wording: the (Japanese, English) labels and sentences that several
modules print.

* the stages of a run, their status, the report's sentences and figure titles
  (``pipeline``, ``report``);
* the guards' names and the reason texts of options, sets and plan rows
  (``options``);
* distances, detours and shares as people read them (``maps``, ``report``, the QGIS
  plugin's council map).

Table entries are ``(ja, en)`` pairs; pick one with ``[0 if lang == "ja" else 1]``.
Yen amounts are ``gunmane_geo.money``'s.
"""
from __future__ import annotations

import math

from . import money
from .money import yen_en

#: The stages of a run (``pipeline.STAGES``) as people read them.
STAGE_LABELS = {
    "load": ("入力の読み込み・検証", "load and validate inputs"),
    "network": ("道路ネットワークの構築", "road network"),
    "criticality": ("橋梁の重要度（単独撤去）", "bridge criticality (single removal)"),
    "options": ("集約・撤去の案", "consolidation and removal options"),
    "plan": ("集約・撤去計画", "plan"),
    "grouping": ("広域連携グループ", "municipal groups"),
    "packages": ("発注パッケージ・多分野連携・道路ペア",
                 "asset packages, multi-sector areas, road pairs"),
    "indicators": ("見える化指標", "indicators (見える化)"),
    "effect": ("導入効果試算", "effect estimate"),
    "maps": ("地図", "maps"),
    "report": ("報告書", "report"),
}

#: A stage's status in Japanese (English keeps the status word).
STATUS_JA = {"ok": "実行", "failed": "実行できず", "skipped": "前段がないため省略"}


def percent_text(x) -> str:
    """A share (0..1) as a whole percent, ``12%``; ``—`` when unknown (None or NaN)."""
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.0%}"


#: The report's sentences and headings as (Japanese, English) templates for
#: ``str.format``; both languages are filled from the same values (see :func:`report_text`).
REPORT_TEXTS = {
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
    "h_appendix_stages": ("付録：実行した処理", "Appendix: stages"),
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


def report_text(key: str, lang: str, **values) -> str:
    """``REPORT_TEXTS[key]`` in ``lang`` ("ja" or "en"), formatted with ``values`` when given."""
    text = REPORT_TEXTS[key][0 if lang == "ja" else 1]
    return text.format(**values) if values else text


#: The report's figures (``report.figures.build_maps`` page names) by their titles.
FIGURE_TITLES = {
    "ageing": ("見える化：橋梁の高齢化", "Indicators: ageing bridges"),
    "groups": ("広域連携グループ（案）", "Municipal groups (proposal)"),
    "bridges_criticality": ("橋梁の重要度", "Bridge criticality"),
    "bridges_option": ("橋梁ごとの推奨案", "Recommended option per bridge"),
    "plan": ("集約・撤去計画（案）", "Consolidation and removal plan (proposal)"),
    "scenarios": ("シナリオ比較", "Scenarios side by side"),
    "effect": ("導入効果試算", "Effect estimate"),
}

#: Units of the effect assumptions in Japanese.
UNITS_JA = {"yen/h": "円/時間", "h/bridge/yr": "時間/橋/年", "yen/bridge/yr": "円/橋/年",
             "0-1": "割合", "count": "件", "h/contract": "時間/件", "h/yr": "時間/年"}


# --------------------------------------------------------------------------- options
#: The guards (``options.guards.GUARDS``) and the other reasons an option is left out.
GUARD_TEXT_JA = {
    "isolation": "孤立が生じる",
    "emergency_route": "緊急輸送道路",
    "max_detour": "迂回が長すぎる",
    "walk_detour": "歩行者の迂回が長すぎる",
    "bus_route": "バス路線",
    "school_route": "通学路",
    "national_bridge": "国が管理する橋梁",
    "no_network": "道路網上にない",
    "no_upgrade": "迂回路に改良区間なし",
    "no_saving": "費用削減なし",
    "already_pedestrian": "既に歩道橋",
}
GUARD_TEXT_EN = {
    "isolation": "cuts people or facilities off",
    "emergency_route": "emergency transport route",
    "max_detour": "detour too long",
    "walk_detour": "walkers' detour too long",
    "bus_route": "bus route",
    "school_route": "school route",
    "national_bridge": "managed by the national government",
    "no_network": "not on the road network",
    "no_upgrade": "no detour section to upgrade",
    "no_saving": "no cost saving",
    "already_pedestrian": "already a footbridge",
}


def option_yen_ja(value) -> str:
    """Yen in Japanese units as option texts write them: 億円 with one decimal and no
    thousands separator (``5.9億円``, ``1372.4億円``, ``350万円``, ``8,000円``); see
    :func:`gunmane_geo.money.yen_ja`."""
    return money.yen_ja(value, oku_format=".1f")


def distance_text(metres: float) -> str:
    """A distance as people read it: ``350 m`` under 1 km, else ``1.2 km`` (same in both
    languages; used by the map detail panels and the QGIS council map's captions)."""
    return f"{metres:,.0f} m" if metres < 1000 else f"{metres / 1000:,.1f} km"


def detour_ja(detour_m: float) -> str:
    return "迂回路なし" if not math.isfinite(detour_m) else f"迂回 {detour_m:,.0f} m"


def detour_en(detour_m: float) -> str:
    return "no alternative route" if not math.isfinite(detour_m) else f"detour {detour_m:,.0f} m"


def isolation_ja(pop: float, facilities: int) -> str:
    if pop <= 0 and facilities <= 0:
        return "孤立なし"
    parts = []
    if pop > 0:
        parts.append(f"{pop:,.0f}人")
    if facilities > 0:
        parts.append(f"施設{facilities}件")
    return "孤立 " + "・".join(parts)


def isolation_en(pop: float, facilities: int) -> str:
    if pop <= 0 and facilities <= 0:
        return "no isolation"
    parts = []
    if pop > 0:
        parts.append(f"{pop:,.0f} people")
    if facilities > 0:
        parts.append(f"{facilities} facilities")
    return "cuts off " + " and ".join(parts)


def option_reason(*, option: str, detour_m: float, isolated_population: float,
                  isolated_facilities: int, cost_avoided_yen: int, user_cost_yen,
                  horizon_years: int, excluded_by: list, flags: list, waived: list,
                  keep_lcc_yen: int | None = None, renewal_year=None) -> tuple[str, str]:
    """The reason strings (ja, en) of one option row."""
    if option == "keep":
        ja = f"基準案：{horizon_years}年のライフサイクル費用 {option_yen_ja(keep_lcc_yen)}"
        en = f"baseline: life-cycle cost {yen_en(keep_lcc_yen)} over {horizon_years} years"
        if renewal_year is not None:
            ja += f"、{renewal_year}年に更新"
            en += f", renewed in {renewal_year}"
        return ja, en
    ja = [detour_ja(detour_m), isolation_ja(isolated_population, isolated_facilities)]
    en = [detour_en(detour_m), isolation_en(isolated_population, isolated_facilities)]
    if cost_avoided_yen >= 0:
        ja.append(f"{horizon_years}年で{option_yen_ja(cost_avoided_yen)}の削減")
        en.append(f"saves {yen_en(cost_avoided_yen)} over {horizon_years} years")
    else:
        ja.append(f"{horizon_years}年で{option_yen_ja(-cost_avoided_yen)}の増加")
        en.append(f"costs {yen_en(-cost_avoided_yen)} more over {horizon_years} years")
    if user_cost_yen is not None and user_cost_yen >= 0:
        ja.append(f"利用者負担 {option_yen_ja(user_cost_yen)}")
        en.append(f"road-user cost {yen_en(user_cost_yen)}")
    for f in flags:
        ja.append(f"{GUARD_TEXT_JA[f]}（要調整）")
        en.append(f"{GUARD_TEXT_EN[f]} (needs agreement)")
    for w in waived:
        ja.append(f"{GUARD_TEXT_JA[w]}（利用者が除外条件を解除）")
        en.append(f"{GUARD_TEXT_EN[w]} (guard waived by the user)")
    if excluded_by:
        ja.insert(0, "除外：" + "・".join(GUARD_TEXT_JA[x] for x in excluded_by))
        en.insert(0, "excluded: " + ", ".join(GUARD_TEXT_EN[x] for x in excluded_by))
    return "、".join(ja), ", ".join(en)
