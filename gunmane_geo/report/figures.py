"""The report's figures: every council map the run has data for, each with its
explaining sentence in Japanese and English, and their order and titles in the report."""
from __future__ import annotations

from pathlib import Path

from ..money import yen_en, yen_ja
from ..pipeline import RunResult
from ..wording import FIGURE_TITLES, percent_text


def sources_line(res: RunResult) -> str:
    """The data-source line printed on every page: ``[maps] data_sources``, else the
    names of the input files."""
    if res.settings.maps.data_sources:
        return res.settings.maps.data_sources
    src = getattr(res.region, "sources", {}) or {}
    return "入力ファイル / input files: " + "、".join(Path(v).name for v in src.values())


def build_maps(res: RunResult, progress=None) -> dict:
    """Make every map kind the run has data for; returns name -> (Page, caption_ja, caption_en)."""
    from .. import maps
    s, L, region = res.settings, res.layers, res.region
    munis = region.municipalities
    roads = region.roads
    src = sources_line(res)
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
              + (f"、{hz}年間のライフサイクル費用を{yen_ja(avoided)}（{percent_text(saving)}）削減する"
                 "（例示の単価による概算）" if saving is not None and avoided is not None else "")
              + "。太い破線は撤去後の迂回路（すべての撤去を同時に行った場合）、四角囲みの数字は詳細図の番号。")
        en = (f"The plan takes {n_lost} of {len(plan)} bridges out of vehicle use"
              + (f", saving {yen_en(avoided, billions=False)} ({percent_text(saving)}) of the {hz}-year "
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
    if res.ok("plan") and L.get("plan_compare") is not None and len(L["plan_compare"]):
        c = L["plan_compare"]
        last = c.iloc[-1]
        ja = (f"削減目標（または予算）の水準ごとの計画。{last['label_ja']}では{int(last['n_bridges_removed'])}橋"
              f"（集約{int(last['n_consolidate'])}・単純撤去{int(last['n_remove'])}・撤去＋迂回路整備"
              f"{int(last['n_remove_upgrade_detour'])}・ダウンサイジング{int(last['n_downsize'])}）、"
              f"走行台キロ +{last['added_vehicle_km_per_day']:,.0f}/日、移動が長くなる人 "
              f"{last['people_longer_trips']:,.0f}人。")
        en = (f"The plan at each level; at {last['label_en']}: {int(last['n_bridges_removed'])} bridges, "
              f"+{last['added_vehicle_km_per_day']:,.0f} vehicle-km/day, "
              f"{last['people_longer_trips']:,.0f} people with longer trips.")
        pages["scenarios"] = (maps.chart_scenarios(c, settings=s, sources=src), ja, en)
    if res.ok("indicators"):
        ind = L["indicators"]
        from ..indicators import age_columns
        cols = [c for c in age_columns(s) if c in ind.columns]
        m = ind[ind["level"] == "municipality"]
        tot_known = m["n_built_year_known"].sum()
        shares = [(m[c.replace("share_", "n_")].sum() / tot_known) if tot_known else float("nan")
                  for c in cols]
        hz = ["現在"] + [f"{h}年後" for h in s.effect.ageing_horizons_years]
        hz_en = ["now"] + [f"in {h} years" for h in s.effect.ageing_horizons_years]
        ja = (f"建設後{t}年以上の市区町村管理橋梁の割合は、全体で"
              + "、".join(f"{a} {percent_text(b)}" for a, b in zip(hz, shares)) + "。市区町村ごとの割合を色で示す。")
        en = (f"Share of municipal bridges {t}+ years old across the region: "
              + ", ".join(f"{percent_text(b)} {a}" for a, b in zip(hz_en, shares)) + ".")
        pages["ageing"] = (maps.map_ageing(ind, roads=roads, settings=s, sources=src, note=ja),
                           ja, en)
    if res.ok("effect"):
        eff = L["effect"]
        g = eff[eff["level"] == "group"]
        tb, ta = g["total_cost_before_yen"].sum(), g["total_cost_after_yen"].sum()
        share = (tb - ta) / tb if tb > 0 else float("nan")
        illus = bool(eff["uses_illustrative_defaults"].any())
        ja = (f"グループ合計の直営＋委託のトータルコストは年{yen_ja(tb)}から年{yen_ja(ta)}へ"
              f"（{percent_text(share)}削減）。" + ("例示の既定値を含む概算。" if illus else ""))
        en = (f"Total of direct staff cost and outsourcing over the groups: {yen_en(tb, billions=False)} to "
              f"{yen_en(ta, billions=False)} a year ({percent_text(share)} less)"
              + ("; includes ILLUSTRATIVE defaults." if illus else "."))
        pages["effect"] = (maps.chart_effect(eff, settings=s, sources=src, note=ja), ja, en)
    return pages


FIGURE_ORDER = ["ageing", "groups", "bridges_criticality", "bridges_option", "plan", "scenarios",
                "effect"]
def figure_keys(pages) -> list[str]:
    """Figure names in report order; the plan's close-up pages follow the plan."""
    keys = []
    for k in FIGURE_ORDER:
        if k in pages:
            keys.append(k)
        if k == "plan":
            keys += sorted((p for p in pages if p.startswith("plan_details_")),
                           key=lambda p: int(p.rsplit("_", 1)[1]))
    return keys


def figure_title(key: str, pages) -> tuple[str, str]:
    if key.startswith("plan_details_"):
        n = sum(1 for p in pages if p.startswith("plan_details_"))
        k = int(key.rsplit("_", 1)[1])
        part = f"（{k}/{n}）" if n > 1 else ""
        return (f"集約・撤去計画（案）詳細図{part}",
                f"Plan close-ups{f' ({k}/{n})' if n > 1 else ''}")
    return FIGURE_TITLES[key]
