"""Plain-word reasons, in Japanese and English, for options, sets and plan rows."""
from __future__ import annotations

import math

from .. import money
from ..money import yen_en
from .guards import GUARD_TEXT_EN, GUARD_TEXT_JA


def yen_ja(value) -> str:
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
        ja = f"基準案：{horizon_years}年のライフサイクル費用 {yen_ja(keep_lcc_yen)}"
        en = f"baseline: life-cycle cost {yen_en(keep_lcc_yen)} over {horizon_years} years"
        if renewal_year is not None:
            ja += f"、{renewal_year}年に更新"
            en += f", renewed in {renewal_year}"
        return ja, en
    ja = [detour_ja(detour_m), isolation_ja(isolated_population, isolated_facilities)]
    en = [detour_en(detour_m), isolation_en(isolated_population, isolated_facilities)]
    if cost_avoided_yen >= 0:
        ja.append(f"{horizon_years}年で{yen_ja(cost_avoided_yen)}の削減")
        en.append(f"saves {yen_en(cost_avoided_yen)} over {horizon_years} years")
    else:
        ja.append(f"{horizon_years}年で{yen_ja(-cost_avoided_yen)}の増加")
        en.append(f"costs {yen_en(-cost_avoided_yen)} more over {horizon_years} years")
    if user_cost_yen is not None and user_cost_yen >= 0:
        ja.append(f"利用者負担 {yen_ja(user_cost_yen)}")
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
