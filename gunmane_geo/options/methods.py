"""The ministry's method of each planned removal, and why it won (MLIT's classification).

``make_plan`` chooses removal-type options; this module names the method each planned
bridge follows, as a council reads it (docs/options.md, "Methods in the plan"), in this
order of precedence:

* ダウンサイジング (``downsize``): vehicles can do without the bridge but walkers need it
  (walkers' detour over ``max_walk_detour_m``, or on a school route over
  ``max_school_walk_detour_m``, or cut off on foot): the plan took the downsizing option
  (a full removal is excluded by the ``walk_detour`` guard, or ``make_plan`` refused it
  because, with the plan's other outright removals, walkers would go round too far).
* 撤去＋迂回路整備 (``remove_upgrade_detour``): the plan took the removal WITH the
  improvement of the detour's substandard sections (the options' ``detour_upgrades``:
  narrower than ``detour_min_width_m`` and than the bridge, or, width unknown, of a class
  in ``detour_upgrade_road_classes``); with ``[plan] require_detour_upgrade`` (default)
  such a removal is only planned with the improvement.  The receiving bridge, when there
  is one, is named as well.
* 複数橋梁の集約 (``consolidate``): the bridge's traffic moves onto a KEPT bridge within
  ``[guards] consolidation_max_gap_m`` (straight line) that lies on its detour route
  with the whole plan's removals (or the hub of a consolidation set): the receiving
  bridge (``ReceivingWorks.receiver``).  The row names it, the gap (m), the traffic it
  gains (the AADT of every planned removal it receives, vehicles/day) and its works:
  widening when it is narrower than the widest bridge it receives traffic from
  (``[costs] widening_cost_per_m2`` x its length x the missing width; CHARGED to the
  plan: ``make_plan`` subtracts it from the cost avoided, and its greedy choice sees the
  net figure), strengthening when rated III/IV (its repair by rating, already part of
  its keep cost).
* 撤去＋迂回路整備 also when the detour runs over a kept bridge rated IV (its urgent
  repair is part of its keep cost and must come first).
* 単純撤去 (``remove``): none of the above.
"""
from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from ..money import yen_en, yen_ja
from ..wording import GUARD_TEXT_EN, GUARD_TEXT_JA, detour_en, detour_ja, distance_text

METHOD_LABELS_JA = {"keep": "維持", "remove": "単純撤去", "remove_upgrade_detour": "撤去＋迂回路整備",
                    "downsize": "ダウンサイジング", "consolidate": "集約"}
METHOD_LABELS_EN = {"keep": "keep", "remove": "simple removal",
                    "remove_upgrade_detour": "removal + detour improvement",
                    "downsize": "downsizing to a footbridge", "consolidate": "consolidation"}
#: plan columns added by ``plan_methods``
METHOD_COLUMNS = ["method", "method_ja", "receiving_bridge_id", "receiving_bridge_name", "gap_m",
                  "added_aadt_on_receiving", "receiving_widening_yen", "receiving_repair_yen",
                  "detour_upgrade_m", "detour_iv_bridges", "receives_from", "walkers_need"]


class ReceivingWorks:
    """Which kept bridge receives a removal's traffic, and what widening it needs.

    One rule for the plan's greedy choice (``make_plan`` charges the widening) and for
    the method labels (``plan_methods``), so both give the same figures.

    Parameters
    ----------
    network : Network
        With bridges attached (``width_m``, ``length_m`` in m, geometry in the metric CRS).
    settings : Settings
        ``[guards] consolidation_max_gap_m`` (m), ``[costs] widening_cost_per_m2`` (yen/m2).
    """

    def __init__(self, network, settings):
        from .scenario import SetEvaluator
        self.ev = SetEvaluator.of(network)
        inv = self.ev.network.bridges.drop_duplicates("bridge_id")
        ids = inv["bridge_id"].astype(str).to_numpy()
        self.geoms = dict(zip(ids, inv.geometry))
        num = (lambda c: dict(zip(ids, pd.to_numeric(inv[c], errors="coerce").astype(float)))
               if c in inv.columns else {})
        self.width, self.length = num("width_m"), num("length_m")
        self.names = dict(zip(ids, inv["name"])) if "name" in inv.columns else {}
        self.gap = float(settings.guards.consolidation_max_gap_m)
        self.unit = float(settings.costs.widening_cost_per_m2)

    def distance(self, a: str, b: str) -> float | None:
        """Straight distance (m) between two bridges' geometries (None when one is unknown)."""
        ga, gb = self.geoms.get(a), self.geoms.get(b)
        return None if ga is None or gb is None else float(ga.distance(gb))

    def receiver(self, bridge_id: str, path_edges, removed, hub=None) -> tuple[str | None, float | None]:
        """The bridge that receives ``bridge_id``'s traffic, and the gap (m).

        The hub of its consolidation set when there is one, else the nearest bridge
        on its detour (``path_edges``) that is not in ``removed`` and lies within
        ``consolidation_max_gap_m``; ``(None, None)`` when there is none.
        """
        if hub is not None:
            return hub, self.distance(bridge_id, hub)
        near = []
        for k in sorted(self.ev.bridges_on_path(path_edges) - set(removed) - {bridge_id}):
            d = self.distance(bridge_id, k)
            if d is not None and d <= self.gap:
                near.append((d, k))
        if not near:
            return None, None
        d, k = min(near)
        return k, d

    def widening(self, receiver: str, senders) -> tuple[float, float, float]:
        """Widening cost (yen) of ``receiver`` for the traffic of ``senders``.

        Returns ``(yen as int, widest sender width m, receiver width m)``: the receiver is
        widened to the widest sender's width over its whole length; 0 yen when it is
        as wide already or a width or length is unknown.
        """
        widest = max((self.width.get(s, math.nan) for s in senders), default=math.nan)
        w_r = self.width.get(receiver, math.nan)
        l_r = self.length.get(receiver, math.nan)
        if not all(math.isfinite(x) for x in (widest, w_r, l_r)):
            return 0, widest, w_r
        return int(round(max(0.0, widest - w_r) * l_r * self.unit)), widest, w_r


def walk_limit(school_route: bool, guards) -> float:
    """The walkers' detour limit (m) of a bridge: ``max_walk_detour_m``, or on a school
    route the smaller of it and ``max_school_walk_detour_m``."""
    lim = float(guards.max_walk_detour_m)
    return min(lim, float(guards.max_school_walk_detour_m)) if school_route else lim


def walkers_need(walk_detour_m: float, school_route: bool, guards) -> bool:
    """True when removing the bridge outright would fail people on foot.

    Parameters
    ----------
    walk_detour_m : float
        Walkers' detour (m) with the bridge gone; ``inf`` when cut off on foot; NaN unknown.
    school_route : bool
        The inventory's 通学路 flag.
    guards : GuardSettings
        ``max_walk_detour_m`` and ``max_school_walk_detour_m`` (m).
    """
    if walk_detour_m is None or (isinstance(walk_detour_m, float) and math.isnan(walk_detour_m)):
        return False
    return float(walk_detour_m) > walk_limit(bool(school_route), guards)


def plan_methods(plan: gpd.GeoDataFrame, *, network, bridge_options: gpd.GeoDataFrame,
                 detour_paths: dict, hubs: dict, settings,
                 walk_refused: dict | None = None,
                 works: ReceivingWorks | None = None) -> gpd.GeoDataFrame:
    """Add the method columns (``METHOD_COLUMNS``) and method reasons to a plan.

    Parameters
    ----------
    plan : GeoDataFrame
        ``make_plan``'s rows (one per bridge).
    network : Network
        The network the plan was measured on (bridges attached).
    bridge_options : GeoDataFrame
        ``generate_options`` output (walk detours, exclusions, upgrade lengths).
    detour_paths : dict
        ``bridge_id -> edge ids`` of each planned removal's shortest detour (by
        length) with the whole plan's removals.
    hubs : dict
        ``bridge_id -> kept bridge_id`` for removals taken as a consolidation set.
    settings : Settings
    walk_refused : dict, optional
        ``bridge_id -> (walkers, earlier)`` for bridges whose outright removal the plan
        refused by the walkers' rule: ``walkers`` maps each bridge whose walking detour
        would break it to that detour (m, ``inf``: cut off on foot), ``earlier`` lists
        the removals already in the plan.  Such a bridge counts as needed by walkers.
    works : ReceivingWorks, optional
        The receiving-bridge rule the plan used (built here when not given).

    Returns
    -------
    GeoDataFrame
        ``plan`` with ``METHOD_COLUMNS``; ``reason_ja``/``reason_en`` of planned rows
        say why the method won and why the others did not.
    """
    works = works or ReceivingWorks(network, settings)
    ev = works.ev
    g, costs = settings.guards, settings.costs
    H = int(costs.horizon_years)
    opt = {(str(b), o): r for b, o, r in zip(bridge_options["bridge_id"].astype(str),
                                              bridge_options["option"],
                                              bridge_options.to_dict("records"))}
    ratings = {b: r["rating"] for (b, o), r in opt.items() if o == "keep"}
    out = plan.copy()
    removed = set(out.loc[out["status"] == "planned", "bridge_id"].astype(str))
    kept = set(out["bridge_id"].astype(str)) - removed
    # who receives whose traffic (the same rule as make_plan's charge for widening)
    recv_of = {b: works.receiver(b, detour_paths.get(b, ()), removed, hubs.get(b))
               for b in sorted(removed)}
    receives: dict[str, list] = {}
    for b, (k, _) in recv_of.items():
        if k is not None:
            receives.setdefault(k, []).append(b)
    aadt = {b: float(opt[(b, "keep")]["aadt"]) for b in removed if (b, "keep") in opt}
    cols = {c: [None] * len(out) for c in METHOD_COLUMNS}
    reasons_ja, reasons_en = out["reason_ja"].tolist(), out["reason_en"].tolist()
    for i, (bid, status, option, step) in enumerate(zip(out["bridge_id"].astype(str), out["status"],
                                                        out["plan_option"], out["step"])):
        if bid in receives:
            cols["receives_from"][i] = ";".join(receives[bid])
        if status != "planned":
            cols["method"][i] = "keep"
            cols["method_ja"][i] = METHOD_LABELS_JA["keep"]
            if bid in receives:
                widen, widest, w_r = works.widening(bid, receives[bid])
                ja, en = _receiving_text(bid, receives[bid], aadt, widen, widest, w_r)
                reasons_ja[i] += "；" + ja
                reasons_en[i] += "; " + en
            continue
        r = opt.get((bid, "remove"), {})
        walk = r.get("walk_detour_m", math.nan)
        need = walkers_need(walk, bool(r.get("school_route", False)), g)
        in_set = (walk_refused or {}).get(bid)    # refused with the plan's other removals
        need = need or in_set is not None
        up = opt.get((bid, "remove_upgrade_detour"), {})
        up_len = float(up.get("upgrade_length_m") or 0.0)
        path_bridges = sorted(ev.bridges_on_path(detour_paths.get(bid, ())) & kept)
        iv = [k for k in path_bridges if str(ratings.get(k)) in ("4", "4.0")]
        cols["walkers_need"][i] = need
        cols["detour_iv_bridges"][i] = ";".join(iv)
        cols["detour_upgrade_m"][i] = up_len if option == "remove_upgrade_detour" else 0.0
        recv, gap = recv_of.get(bid, (None, None)) if option != "downsize" else (None, None)
        if option == "downsize":
            method = "downsize"
        elif option == "remove_upgrade_detour":
            method = "remove_upgrade_detour"
        elif recv is not None:
            method = "consolidate"
        elif iv:
            method = "remove_upgrade_detour"
        else:
            method = "remove"
        cols["method"][i] = method
        cols["method_ja"][i] = METHOD_LABELS_JA[method]
        head_ja, head_en = f"手順{step}：", f"step {step}: "
        d = float(out["detour_in_plan_m"].iat[i])
        recv_ja = recv_en = ""
        if recv is not None:
            senders = receives.get(recv, [bid])
            added = math.fsum(aadt.get(s, 0.0) for s in senders)
            widen, widest, w_r = works.widening(recv, senders)
            rating = str(ratings.get(recv))
            rep = 0.0
            if rating[:1] in ("3", "4"):
                area = float(opt[(recv, "keep")]["deck_area_m2"])
                rep = float(costs.repair_cost_per_m2_by_rating.get(rating[:1], 0.0)) * area
            name = works.names.get(recv)
            cols["receiving_bridge_id"][i] = recv
            cols["receiving_bridge_name"][i] = name
            cols["gap_m"][i] = gap
            cols["added_aadt_on_receiving"][i] = added
            cols["receiving_widening_yen"][i] = int(round(widen))
            cols["receiving_repair_yen"][i] = int(round(rep))
            named = name is not None and str(name) not in ("", "nan", "None")
            label = f"{recv}（{name}）" if named else recv
            label_en = f"{recv} ({name})" if named else recv
            works_ja, works_en = [], []
            if widen > 0:
                works_ja.append(f"拡幅 {yen_ja(widen)}（幅員 {w_r:.1f} m → {widest:.1f} m、計画の削減額から差し引き済み）")
                works_en.append(f"widening {yen_en(widen)} ({w_r:.1f} m to {widest:.1f} m, "
                                f"taken off the plan's saving)")
            if rep > 0:
                works_ja.append(f"判定区分{rating[:1]}の補強 {yen_ja(rep)}（維持費に計上済み）")
                works_en.append(f"strengthening (rated {rating[:1]}) {yen_en(rep)} "
                                f"(already in its keep cost)")
            gap_txt = f"{gap:,.0f}" if gap is not None else "?"
            recv_ja = (f"{label} へ集約（距離 {gap_txt} m、同橋の交通 +{added:,.0f} 台/日"
                       + ("、" + "・".join(works_ja) if works_ja else "") + "）")
            recv_en = (f"into {label_en} ({gap_txt} m away, +{added:,.0f} vehicles/day on it"
                       + ("; " + ", ".join(works_en) if works_en else "") + ")")
        if method == "consolidate":
            ja = f"{head_ja}集約：{recv_ja}、{detour_ja(d)}"
            en = f"{head_en}consolidation {recv_en}, {detour_en(d)}"
        elif method == "downsize" and in_set is not None and not walkers_need(
                walk, bool(r.get("school_route", False)), g):
            # alone its walkers' detour is acceptable; with the plan's removals it is not
            walkers, earlier = in_set
            parts_ja, parts_en = [], []
            for b, w in walkers.items():
                lim = distance_text(walk_limit(bool(opt.get((b, "remove"), {}).get("school_route", False)), g))
                if math.isfinite(w):
                    parts_ja.append(f"{b} の徒歩の迂回が {distance_text(w)}（上限 {lim}）")
                    parts_en.append(f"walkers at {b} a detour of {distance_text(w)} (limit {lim})")
                else:
                    parts_ja.append(f"{b} で歩行者が渡れなくなる")
                    parts_en.append(f"walkers at {b} no way across")
            with_ja = f"先に撤去する {'・'.join(earlier)} と合わせて" if earlier else "同時に"
            with_en = f"together with {', '.join(earlier)}" if earlier else "with its set"
            ja = (f"{head_ja}ダウンサイジング：車は{detour_ja(d)}で足りるが、{with_ja}撤去すると "
                  f"{'、'.join(parts_ja)}となるため歩行者・自転車橋として残す")
            en = (f"{head_en}downsizing: vehicles manage with a {detour_en(d)}, but removed {with_en} "
                  f"it would leave {'; '.join(parts_en)}, so a footbridge stays")
        elif method == "downsize":
            wtxt = "徒歩では孤立" if not math.isfinite(walk) else f"徒歩の迂回 {distance_text(walk)}"
            wen = "cut off on foot" if not math.isfinite(walk) else f"walkers' detour {distance_text(walk)}"
            school = bool(r.get("school_route", False))
            ja = (f"{head_ja}ダウンサイジング：車は{detour_ja(d)}で足りるが、撤去すると{wtxt}"
                  f"{'（通学路）' if school else ''}のため歩行者・自転車橋として残す")
            en = (f"{head_en}downsizing: vehicles manage with a {detour_en(d)}, but removal would "
                  f"leave a {wen}{' (school route)' if school else ''}, so a footbridge stays")
        elif method == "remove_upgrade_detour":
            parts_ja, parts_en = [], []
            if option == "remove_upgrade_detour":
                cost = up_len * costs.detour_upgrade_cost_per_m
                parts_ja.append(f"迂回路の狭い区間 {up_len:,.0f} m を改良（{yen_ja(cost)}、削減額から差し引き済み）")
                parts_en.append(f"improving {up_len:,.0f} m of substandard detour "
                                f"({yen_en(cost)}, taken off its saving)")
            if iv:
                parts_ja.append("迂回路上の判定区分IVの橋 " + "・".join(iv) + " の緊急修繕を先行（維持費に計上済み）")
                parts_en.append("urgent repair of the rated-IV bridge(s) " + ", ".join(iv)
                                + " on the detour first (already in their keep cost)")
            if recv_ja:
                parts_ja.append("交通は " + recv_ja)
                parts_en.append("traffic moves " + recv_en.replace("into ", "onto ", 1))
            ja = f"{head_ja}撤去＋迂回路整備：{detour_ja(d)}、" + "、".join(parts_ja)
            en = f"{head_en}removal + detour improvement: {detour_en(d)}, " + "; ".join(parts_en)
        else:
            ja = f"{head_ja}単純撤去：{detour_ja(d)}、迂回路は基準を満たす"
            en = f"{head_en}simple removal: {detour_en(d)}, the detour meets the standard"
        saved = float(out["cost_avoided_yen"].iat[i])
        ja += f"、{H}年で{yen_ja(saved)}の削減"
        en += f", saves {yen_en(saved)} over {H} years"
        o_ja, o_en = _others(method, option, bid, opt, need, up_len, recv, iv, g)
        reasons_ja[i] = ja + "。" + "；".join(o_ja)
        reasons_en[i] = en + ". " + "; ".join(o_en)
    for c in METHOD_COLUMNS:
        out[c] = cols[c]
    out["reason_ja"], out["reason_en"] = reasons_ja, reasons_en
    for c in ("receiving_widening_yen", "receiving_repair_yen"):
        out[c] = out[c].astype("Int64")
    for c in ("gap_m", "added_aadt_on_receiving", "detour_upgrade_m"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def _receiving_text(bid, senders, aadt, widen=0.0, widest=math.nan, w_r=math.nan):
    added = math.fsum(aadt.get(s, 0.0) for s in senders)
    ja = f"撤去する {'・'.join(senders)} の交通を受け持つ（+{added:,.0f} 台/日"
    en = f"carries the traffic of {', '.join(senders)} (+{added:,.0f} vehicles/day"
    if widen > 0:
        ja += f"、幅員 {w_r:.1f} m → {widest:.1f} m に拡幅 {yen_ja(widen)}"
        en += f", widened from {w_r:.1f} m to {widest:.1f} m for {yen_en(widen)}"
    return ja + "）", en + ")"


def _excluded(row) -> tuple[str, str] | None:
    ex = [x for x in str(row.get("excluded_by") or "").split(";") if x]
    if not ex:
        return None
    return ("・".join(GUARD_TEXT_JA.get(x, x) for x in ex),
            ", ".join(GUARD_TEXT_EN.get(x, x) for x in ex))


def _others(method, option, bid, opt, need, up_len, recv, iv, g):
    """Why each other method (and keeping the bridge) did not win: (ja, en) lists.

    Every planned row names all three other methods and keep.
    """
    ja, en = [], []
    ja.append("維持：費用が大きい")
    en.append("keep: costs more")
    gap = f"{g.consolidation_max_gap_m:,.0f}"
    # 集約
    if method != "consolidate":
        if method == "downsize":
            ja.append("集約：歩行者の渡りが失われる")
            en.append("consolidation: walkers would lose the crossing")
        elif recv is not None:
            ja.append(f"集約：交通は {recv} へ移るが、迂回路の改良が先に要る")
            en.append(f"consolidation: the traffic moves to {recv}, but the detour must be improved first")
        else:
            ja.append(f"集約：{gap} m 以内に交通を受ける残す橋がない")
            en.append(f"consolidation: no kept bridge within {gap} m takes its traffic")
    # ダウンサイジング
    if method != "downsize":
        x = _excluded(opt.get((bid, "downsize"), {}))
        if x:
            ja.append(f"ダウンサイジング：除外（{x[0]}）")
            en.append(f"downsizing: excluded ({x[1]})")
        else:
            ja.append("ダウンサイジング：歩行者の迂回が許容範囲で歩道橋は不要")
            en.append("downsizing: walkers' detour acceptable, no footbridge needed")
    # 単純撤去
    if method != "remove":
        x = _excluded(opt.get((bid, "remove"), {}))
        if need:
            ja.append("単純撤去：歩行者が渡りを必要とする")
            en.append("simple removal: walkers need the crossing")
        elif up_len > 0 and option == "remove_upgrade_detour":
            ja.append(f"単純撤去：迂回路に基準未満の区間 {up_len:,.0f} m がある")
            en.append(f"simple removal: the detour has {up_len:,.0f} m of substandard road")
        elif method == "remove_upgrade_detour" and iv:
            ja.append("単純撤去：迂回路に判定区分IVの橋がある")
            en.append("simple removal: a bridge rated IV is on the detour")
        elif method == "consolidate":
            ja.append(f"単純撤去：残す橋 {recv} が交通を受けるため集約とする")
            en.append(f"simple removal: the kept bridge {recv} takes its traffic, so it is a consolidation")
        elif x:
            ja.append(f"単純撤去：除外（{x[0]}）")
            en.append(f"simple removal: excluded ({x[1]})")
        else:
            ja.append("単純撤去：正味の便益が小さい")
            en.append("simple removal: smaller net benefit")
    # 撤去＋迂回路整備
    if method != "remove_upgrade_detour":
        row = opt.get((bid, "remove_upgrade_detour"), {})
        x = _excluded(row)
        if need:
            ja.append("撤去＋迂回路整備：歩行者が渡りを必要とする")
            en.append("removal + detour improvement: walkers need the crossing")
        elif up_len <= 0 or "no_upgrade" in str(row.get("excluded_by") or ""):
            ja.append("撤去＋迂回路整備：迂回路に改良の要る区間がない")
            en.append("removal + detour improvement: no detour section needs improving")
        elif x:
            ja.append(f"撤去＋迂回路整備：除外（{x[0]}）")
            en.append(f"removal + detour improvement: excluded ({x[1]})")
        else:
            ja.append("撤去＋迂回路整備：改良費に見合う便益がない")
            en.append("removal + detour improvement: the improvement costs more than it gives")
    return ja, en
