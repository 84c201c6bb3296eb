"""Page 1 of the report: the findings for a council (executive summary), ja and en.

The figures come from the run's layers (nothing is computed here): the region's bridges
and their ageing (indicators), the proposed groups (group_members), the plan at the chosen
level by method (plan, plan_summary), the 50-year cost avoided, the longest detour, the
people whose trips get longer, the effect per year (effect), the scenario table
(plan_compare), one overview map and the ILLUSTRATIVE-cost warning.
"""
from __future__ import annotations

import math

import pandas as pd

from ..money import yen_en, yen_ja
from ..pipeline import RunResult
from ..wording import distance_text, percent_text, report_text

METHOD_ORDER = ("consolidate", "remove", "remove_upgrade_detour", "downsize")
METHOD_JA = {"consolidate": "集約", "remove": "単純撤去", "remove_upgrade_detour": "撤去＋迂回路整備",
             "downsize": "ダウンサイジング"}
METHOD_EN = {"consolidate": "consolidation", "remove": "simple removal",
             "remove_upgrade_detour": "removal + detour improvement", "downsize": "downsizing"}


def summary_facts(res: RunResult) -> dict:
    """The numbers of page 1, read from the run's layers (absent layers: absent keys)."""
    L, s = res.layers, res.settings
    f: dict = {"horizon": int(s.costs.horizon_years)}
    ind = L.get("indicators")
    if ind is not None and len(ind):
        from ..indicators import age_columns
        m = ind[ind["level"] == "municipality"]
        f["n_municipalities"] = int(len(m))
        f["n_bridges"] = int(m["n_bridges"].sum())
        known = float(m["n_built_year_known"].sum()) if "n_built_year_known" in m else 0.0
        cols = [c for c in age_columns(s) if c.replace("share_", "n_") in m.columns]
        if cols and known > 0:
            f["old_now"] = float(m[cols[0].replace("share_", "n_")].sum()) / known
            f["old_later"] = float(m[cols[-1].replace("share_", "n_")].sum()) / known
            f["later_years"] = int(s.effect.ageing_horizons_years[-1]) if len(cols) > 1 else 0
        f["n_rating_34"] = int(sum(m[c].sum() for c in ("n_rating_3", "n_rating_4") if c in m))
        for key, col in (("n_prefecture", "n_bridges_prefecture"),
                         ("n_national", "n_bridges_national")):
            if col in m.columns:
                f[key] = int(m[col].sum())
        f["age_threshold"] = int(s.effect.ageing_threshold_years)
    gm = L.get("group_members")
    if gm is not None and len(gm):
        best = gm[gm["candidate"] == gm["candidate"].min()] if "candidate" in gm.columns else gm
        names = best.groupby("group_id")["group_name"].first() if "group_name" in best else None
        members = best.groupby("group_id")["municipality_name"].apply(list) \
            if "municipality_name" in best else best.groupby("group_id")["municipality_code"].apply(list)
        f["groups"] = [(str(names[g]) if names is not None else str(g), [str(x) for x in members[g]])
                       for g in members.index]
    plan = L.get("plan")
    if plan is not None and "summary" in plan.attrs:
        sm = plan.attrs["summary"]
        planned = plan[plan["status"] == "planned"]
        f["plan_n"] = int(len(planned))
        f["plan_by_method"] = {m: int((planned.get("method", planned["plan_option"]) == m).sum())
                               for m in METHOD_ORDER}
        f["plan_avoided"] = float(sm["cost_avoided_yen"])
        f["plan_share"] = float(sm["saving_share"])
        f["plan_target"] = sm.get("target_saving_share")
        f["plan_budget"] = sm.get("budget_yen")
        f["plan_reached"] = bool(sm.get("target_reached", True))
        det = pd.to_numeric(planned["detour_in_plan_m"], errors="coerce")
        if len(det) and det.notna().any():
            i = det.idxmax()
            f["longest_detour_m"] = float(det[i])
            f["longest_detour_bridge"] = f"{planned.loc[i, 'bridge_id']}" + (
                f" {planned.loc[i, 'name']}" if pd.notna(planned.loc[i, "name"]) else "")
        f["people"] = sm.get("people_longer_trips")
        f["people_basis"] = sm.get("population_basis")
        f["widening_yen"] = sm.get("receiving_widening_yen")
    eff = L.get("effect")
    if eff is not None and len(eff):
        g = eff[eff["level"] == "group"]
        tb, ta = float(g["total_cost_before_yen"].sum()), float(g["total_cost_after_yen"].sum())
        f["effect_before"], f["effect_after"] = tb, ta
        f["effect_method"] = str(eff["after_method"].iloc[0]) if "after_method" in eff else ""
    if L.get("plan_compare") is not None:
        f["compare"] = L["plan_compare"]
    return f


def other_managers_text(f: dict, lang: str) -> str:
    """The bridges of the prefecture and the state in the region: counted apart; the
    state's are never planned for removal by a municipality (guard national_bridge)."""
    pref, nat = int(f.get("n_prefecture") or 0), int(f.get("n_national") or 0)
    if not pref and not nat:
        return ""
    if lang == "ja":
        txt = f"このほか都道府県管理{pref:,}橋・国管理{nat:,}橋（集計は別掲）"
        return txt + ("。国管理の橋梁は撤去・集約計画の対象外。" if nat else "。")
    txt = f" Also {pref:,} prefectural and {nat:,} national bridges (counted apart)"
    return txt + ("; national bridges are never planned for removal." if nat else ".")


def population_basis_text(basis, lang: str) -> str:
    """Which population counted the people: ``"now"`` -> （現在の人口） / (population now),
    a year -> （2050年の推計人口） / (population estimated for 2050); none -> ""."""
    if basis is None or (isinstance(basis, float) and math.isnan(basis)):
        return ""
    if str(basis) == "now":
        return "（現在の人口）" if lang == "ja" else " (population now)"
    return (f"（{basis}年の推計人口）" if lang == "ja"
            else f" (population estimated for {basis})")


def summary_lines_of(f: dict, lang: str) -> list[tuple[str, str]]:
    """(heading, sentence) pairs of page 1, in the report's language."""
    ja = lang == "ja"
    out = []
    if "n_bridges" in f:
        later = (f"、{f['later_years']}年後{percent_text(f['old_later'])}" if ja else
                 f", {percent_text(f['old_later'])} in {f['later_years']} years") \
            if f.get("later_years") else ""
        if ja:
            out.append(("地域の橋梁", f"{f['n_municipalities']}市区町村の管理橋梁{f['n_bridges']:,}橋。"
                        f"建設後{f['age_threshold']}年以上は現在{percent_text(f.get('old_now'))}{later}。"
                        f"判定区分III・IVは{f['n_rating_34']:,}橋。" + other_managers_text(f, "ja")))
        else:
            out.append(("The region's bridges", f"{f['n_bridges']:,} municipal bridges in "
                        f"{f['n_municipalities']} municipalities; {percent_text(f.get('old_now'))} "
                        f"are {f['age_threshold']}+ years old now{later}; "
                        f"{f['n_rating_34']:,} are rated III or IV." + other_managers_text(f, "en")))
    if f.get("groups"):
        multi = [g for g in f["groups"] if len(g[1]) > 1]
        if ja:
            txt = "、".join(f"{n}（{'・'.join(m)}）" for n, m in multi) or "なし"
            out.append(("連携グループ（案）", f"{len(f['groups'])}グループ。複数団体のグループ：{txt}。"))
        else:
            txt = "; ".join(f"{n} ({', '.join(m)})" for n, m in multi) or "none"
            out.append(("Proposed groups", f"{len(f['groups'])} groups; with several members: {txt}."))
    if "plan_n" in f:
        H = f["horizon"]
        level = ""
        if f.get("plan_target") is not None and not pd.isna(f["plan_target"]):
            level = (f"削減目標{float(f['plan_target']) * 100:g}%" if ja else
                     f"saving target {float(f['plan_target']) * 100:g} %")
        by = f["plan_by_method"]
        if ja:
            parts = "・".join(f"{METHOD_JA[m]}{by[m]}" for m in METHOD_ORDER)
            txt = (f"{level + 'で' if level else ''}{f['plan_n']}橋（{parts}）。{H}年間のライフサイクル費用"
                   f"{yen_ja(f['plan_avoided'])}（{percent_text(f['plan_share'])}）を回避"
                   "（迂回路の改良費と受け側の橋の拡幅費を差し引いた額）。")
            if f.get("widening_yen"):
                txt += f"うち受け側の橋の拡幅 {yen_ja(f['widening_yen'])}。"
            if "longest_detour_m" in f:
                txt += f"最長の迂回 {distance_text(f['longest_detour_m'])}（{f['longest_detour_bridge']}）。"
            if f.get("people") is not None:
                txt += (f"最寄り施設までの移動が長くなる人 {float(f['people']):,.0f}人"
                        f"{population_basis_text(f.get('people_basis'), 'ja')}。")
            if not f["plan_reached"]:
                txt += "目標は制約条件の範囲では達成できない。"
            out.append(("集約・撤去計画（案）", txt))
        else:
            parts = ", ".join(f"{METHOD_EN[m]} {by[m]}" for m in METHOD_ORDER)
            txt = (f"{'At ' + level + ': ' if level else ''}{f['plan_n']} bridges ({parts}); "
                   f"{yen_en(f['plan_avoided'], billions=False)} ({percent_text(f['plan_share'])}) "
                   f"of the {H}-year life-cycle cost avoided, net of the detour improvements and "
                   f"of widening the bridges that take the traffic.")
            if f.get("widening_yen"):
                txt += f" Widening those bridges: {yen_en(f['widening_yen'], billions=False)}."
            if "longest_detour_m" in f:
                txt += f" Longest detour {distance_text(f['longest_detour_m'])} ({f['longest_detour_bridge']})."
            if f.get("people") is not None:
                txt += (f" {float(f['people']):,.0f} people have a longer trip to their nearest "
                        f"facility{population_basis_text(f.get('people_basis'), 'en')}.")
            if not f["plan_reached"]:
                txt += " The target cannot be reached within the guards."
            out.append(("Plan (proposal)", txt))
    if "effect_before" in f:
        tb, ta = f["effect_before"], f["effect_after"]
        share = (tb - ta) / tb if tb > 0 else math.nan
        method = f.get("effect_method", "")
        part = 0 if ja else 1
        if ": " in method:      # "分析から算定 / derived from the analysis: 点検移動 / travel, ..."
            head, names = method.split(": ", 1)
            names = [n.split(" / ")[part] for n in names.split(", ")]
            method = (head.split(" / ")[part] + ("（" + "・".join(names) + "）" if ja
                                                else " (" + ", ".join(names) + ")"))
        elif " / " in method:
            method = method.split(" / ")[part]
        if ja:
            out.append(("導入効果（年間）", f"直営＋委託のトータルコスト 年{yen_ja(tb)} → 年{yen_ja(ta)}"
                        f"（{yen_ja(tb - ta)}、{percent_text(share)}削減）。{method}。"))
        else:
            out.append(("Effect per year", f"direct staff + outsourcing {yen_en(tb, billions=False)} → "
                        f"{yen_en(ta, billions=False)} a year ({percent_text(share)} less); "
                        f"{method}."))
    return out


def scenario_table(f: dict, lang: str) -> pd.DataFrame | None:
    c = f.get("compare")
    if c is None or not len(c):
        return None
    ja = lang == "ja"
    rows = []
    for _, r in c.iterrows():
        rows.append([r["label_ja"] if ja else r["label_en"], f"{int(r['n_bridges_removed']):,}",
                     *(f"{int(r[f'n_{m}']):,}" for m in METHOD_ORDER),
                     yen_ja(r["cost_avoided_yen"]) if ja else yen_en(r["cost_avoided_yen"], billions=False),
                     f"{r['added_vehicle_km_per_day']:,.0f}", f"{r['people_longer_trips']:,.0f}"])
    cols = (["水準", "橋数", *(METHOD_JA[m] for m in METHOD_ORDER), f"{f['horizon']}年の回避費用",
             "増える台キロ/日", "移動が長くなる人"] if ja else
            ["level", "bridges", *(METHOD_EN[m] for m in METHOD_ORDER),
             f"{f['horizon']}-year cost avoided", "added vehicle-km/day", "people with longer trips"])
    return pd.DataFrame(rows, columns=cols)


def summary_page(res: RunResult, lang: str):
    """Page 1 (a ``maps.Page``): findings on the left, the scenario table below, the overview
    map on the right, the ILLUSTRATIVE warning at the foot."""
    from ..maps.common import region_suffix
    from ..maps.layout import Page, map_style, wrap_text
    from ..maps.scenarios import METHOD_STYLES
    from .figures import sources_line
    from .pdf import draw_table
    s, f = res.settings, summary_facts(res)
    ja = lang == "ja"
    with map_style(s):
        page = Page("検討結果の要点" if ja else "Findings",
                    ("群マネ検討資料（議会説明用の要約）" if ja else
                     "Gunmane study: summary for the council") + region_suffix(s),
                    settings=s, sources=sources_line(res), crs=None, chart=True)
        page.ax.set_axis_off()
        fig, fs = page.fig, page.fs
        line_h = fs * 1.5 / 72 / page.h_in
        y = 0.865
        cols = int(0.50 * page.w_in * 72 / (fs * 0.5))
        for head, txt in summary_lines_of(f, lang):
            fig.text(0.02, y, head, fontsize=fs * 1.15, fontweight="bold", va="top")
            y -= 1.35 * line_h
            w = wrap_text(txt, cols)
            fig.text(0.02, y, w, fontsize=fs, va="top", linespacing=1.45)
            y -= (w.count("\n") + 1) * line_h + 0.5 * line_h
        t = scenario_table(f, lang)
        if t is not None:
            fig.text(0.02, y, "シナリオ比較" if ja else "Scenarios side by side",
                     fontsize=fs * 1.15, fontweight="bold", va="top")
            y -= 1.5 * line_h
            y -= draw_table(fig, t, 0.02, y, 0.53, fs * 0.8, page.h_in, page.w_in)
        warn = report_text("illustrative", lang)
        fig.text(0.02, 0.085, wrap_text("⚠ " + warn, int(0.95 * page.w_in * 72 / (fs * 0.5))),
                 fontsize=fs * 0.95, va="bottom", color="#B00000", fontweight="bold")
        _overview_map(fig, res, page, METHOD_STYLES, ja)
    return page


def _overview_map(fig, res, page, styles, ja):
    from matplotlib.lines import Line2D
    from ..maps.styles import qualitative
    L, region = res.layers, res.region
    munis = getattr(region, "municipalities", None)
    ax = fig.add_axes((0.58, 0.13, 0.40, 0.72))
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles, labels = [], []
    if munis is not None and len(munis):
        gm = L.get("group_members")
        colour = {}
        if gm is not None and len(gm):
            best = gm[gm["candidate"] == gm["candidate"].min()] if "candidate" in gm.columns else gm
            gids = sorted(best["group_id"].astype(str).unique())
            by = {g: qualitative(i)["color"] for i, g in enumerate(gids)}
            colour = {str(c): by[str(g)] for c, g in zip(best["municipality_code"], best["group_id"])}
        fc = [colour.get(str(c), "#EEEEEE") for c in munis["municipality_code"]]
        munis.plot(ax=ax, color=fc, alpha=0.35, edgecolor="#555555", linewidth=0.6)
    plan = L.get("plan")
    if plan is not None and len(plan):
        kept = plan[plan["status"] != "planned"]
        kept.plot(ax=ax, color="#999999", markersize=2, linewidth=0.5)
        planned = plan[plan["status"] == "planned"]
        method = planned.get("method", planned["plan_option"])
        marks = {"consolidate": "o", "remove": "X", "remove_upgrade_detour": "s", "downsize": "^"}
        for m, (mja, men, col, _) in styles.items():
            sub = planned[method == m]
            if len(sub):
                pts = sub.geometry.representative_point()
                ax.scatter(pts.x, pts.y, s=26, c=[col], marker=marks[m], edgecolors="#222222",
                           linewidths=0.5, zorder=5)
                handles.append(Line2D([], [], marker=marks[m], ls="", color=col,
                                      markeredgecolor="#222222"))
                labels.append(f"{mja if ja else men}（{len(sub)}）" if ja else f"{men} ({len(sub)})")
    if handles:
        ax.legend(handles, labels, loc="lower left", fontsize=page.fs * 0.8, frameon=True,
                  title="計画で車が通れなくなる橋" if ja else "bridges losing vehicle traffic",
                  title_fontsize=page.fs * 0.85)
    ax.set_title("全体図：連携グループ（面の色）と計画（記号）" if ja else
                 "Overview: groups (area colour) and the plan (symbols)", fontsize=page.fs * 1.05)
