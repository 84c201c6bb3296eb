"""The scenario chart: plans at several saving targets or budgets, side by side."""
from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..errors import GunmaneError
from ..money import yen_ja
from ..settings import Settings
from .common import region_suffix
from .layout import Page, map_style
from .styles import DARK, OKABE_ITO

#: method -> (Japanese, English, colour, hatch), bottom of the stack first
METHOD_STYLES = {
    "consolidate": ("集約", "consolidation", OKABE_ITO[4], ""),
    "remove": ("単純撤去", "simple removal", OKABE_ITO[5], "//"),
    "remove_upgrade_detour": ("撤去＋迂回路整備", "removal + detour improvement", OKABE_ITO[6], "xx"),
    "downsize": ("ダウンサイジング", "downsizing", OKABE_ITO[2], ".."),
}


def chart_scenarios(compare: pd.DataFrame, *, settings: Settings | None = None,
                    paper: str | None = None, title: str | None = None,
                    sources: str = "") -> Page:
    """Bridges removed by method at each level, with cost avoided and who bears it.

    Parameters
    ----------
    compare : DataFrame
        ``gunmane_geo.options.compare_plans`` output (one row per level).

    Returns
    -------
    Page
        One stacked bar per level (bridges losing vehicle traffic, by method); above each
        bar the 50-year cost avoided (yen, present value), the added vehicle-km/day and the
        people whose trips get longer.
    """
    settings = settings or Settings()
    need = ["label_ja", "n_bridges_removed", "cost_avoided_yen", "added_vehicle_km_per_day",
            "people_longer_trips", *(f"n_{m}" for m in METHOD_STYLES)]
    miss = [c for c in need if c not in compare.columns]
    if miss:
        raise GunmaneError(f"chart_scenarios: columns {miss} are missing: pass compare_plans' output")
    if not len(compare):
        raise GunmaneError("chart_scenarios: the scenario table is empty")
    c = pd.DataFrame(compare).reset_index(drop=True)
    H = int(settings.costs.horizon_years)
    with map_style(settings):
        page = Page(title or "シナリオ比較（削減目標ごとの計画）",
                    "Scenarios side by side: bridges that lose vehicle traffic, by method, "
                    "at each level" + region_suffix(settings),
                    settings=settings, paper=paper, sources=sources, crs=None, chart=True)
        ax = page.ax
        top = float(max(1, c["n_bridges_removed"].max()))
        for i, r in c.iterrows():
            bottom = 0.0
            for m, (ja, en, color, hatch) in METHOD_STYLES.items():
                n = float(r[f"n_{m}"])
                if n > 0:
                    ax.bar(i, n, 0.6, bottom=bottom, color=color, hatch=hatch, edgecolor=DARK,
                           linewidth=0.7)
                    bottom += n
            text = (f"{int(r['n_bridges_removed'])}橋\n{H}年で{yen_ja(r['cost_avoided_yen'])}削減\n"
                    f"走行 +{r['added_vehicle_km_per_day']:,.0f} 台km/日\n"
                    f"移動が長くなる人 {r['people_longer_trips']:,.0f}人")
            ax.annotate(text, (i, bottom), xytext=(0, page.fs * 0.8), textcoords="offset points",
                        ha="center", va="bottom", fontsize=page.fs * 0.85, color=DARK,
                        linespacing=1.15)
        ax.set_xticks(range(len(c)))
        reached = c["target_reached"] if "target_reached" in c.columns else [True] * len(c)
        ax.set_xticklabels([str(x) + ("" if ok else "\n（目標未達 / not reached）")
                            for x, ok in zip(c["label_ja"], reached)], fontsize=page.fs)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("車両が通れなくなる橋の数（橋） / bridges losing vehicle traffic",
                      fontsize=page.fs)
        ax.set_ylim(0, top * 1.45)
        ax.set_xlim(-0.6, len(c) - 0.4)
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        handles = [Patch(facecolor=col, hatch=h, edgecolor=DARK, linewidth=0.7)
                   for _, _, col, h in METHOD_STYLES.values()]
        page.add_legend(handles, [f"{ja}\n{en}" for ja, en, _, _ in METHOD_STYLES.values()],
                        title="方法 / method")
        page.add_note("各水準は同じ手順（純便益の大きい順、ネットワーク上で全体を再計測）で目標に達するまで"
                      "撤去等を選んだ計画。台km/日＝撤去橋の交通量×計画全体での迂回距離。"
                      "移動が長くなる人＝最寄り施設までの経路が長くなる地点の人口。"
                      "費用は例示値（ILLUSTRATIVE）。\nEach level is the plan that reaches it; "
                      "vehicle-km = AADT x detour with the whole plan; costs are ILLUSTRATIVE.")
    return page
