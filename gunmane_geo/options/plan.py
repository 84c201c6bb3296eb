"""Plans: choose removal-type options across bridges, recomputing the set's network effect.

The plan is built greedily, best marginal net present benefit first (lazy
greedy: a candidate's benefit is recomputed against the bridges already taken
before it is accepted).  Every step re-measures the WHOLE set of removals on
the network engine (``SetEvaluator``, i.e. the criticality module's routes and
cut-off sides): each removed bridge's detour with all of them gone, and the
population and facilities cut off.  A step is refused when
the set would cut anyone off, or push any removed bridge's detour over
``[guards] max_detour_m`` (unless the user waived that guard for the bridge).

Walkers are measured as a set too.  The bridges the plan removes outright
(``remove``, ``remove_upgrade_detour`` and the removed bridges of a consolidation
set; a downsized bridge keeps its crossing for walkers) are taken out of the
walking graph together, and each one's walking detour (``alternative_routes``
with ``mode="walk"``, between the junctions of its walking link) is measured again
whenever a later step can have lengthened it.  A step is refused when a walker's
detour would exceed ``[guards] max_walk_detour_m`` (``max_school_walk_detour_m``
on a school route 通学路), or walkers would be cut off (no walking route left, or
people between two removed bridges of one walking link), unless the user waived
the ``walk_detour`` guard for the bridge: the same rule that ``generate_options``
applies to each bridge alone.  Bridges without walkers (motorways) are not
measured on foot.

Without a budget or target the plan is the prefix of steps with a positive
marginal net benefit.  With ``budget_yen`` (the life-cycle cost, present value,
the whole stock may use over the horizon) and/or ``target_saving_share`` (share
of the baseline life-cycle cost to save) the plan is the shortest prefix that
reaches the larger required saving; the greedy run continues past it so that
the cost curve shows what further removals would save and cost.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputError, report_progress
from ..network.graph import Network
from ..progress import Progress
from ..settings import Settings
from .costs import ILLUSTRATIVE_NOTE, OPTION_LABELS_EN, OPTION_LABELS_JA, user_cost
from .generate import detour_upgrades
from .guards import waived_guards
from .methods import ReceivingWorks, plan_methods, walk_limit, walkers_need
from .scenario import SetEvaluator
from ..wording import detour_en, detour_ja, option_yen_ja, yen_en

PLAN_COLUMNS = [
    "bridge_id", "name", "plan_option", "plan_option_ja", "status", "step", "set_id",
    "lcc_yen", "keep_lcc_yen", "cost_avoided_yen", "detour_in_plan_m", "detour_in_plan_min",
    "walk_detour_in_plan_m", "user_cost_in_plan_yen", "reason_ja", "reason_en", "note",
]
#: options that take the crossing from walkers too (a downsized bridge keeps it for them)
FULL_REMOVALS = ("remove", "remove_upgrade_detour")
CURVE_COLUMNS = [
    "step", "action", "option", "bridge_ids", "set_id", "cost_avoided_yen", "user_cost_yen",
    "net_benefit_yen", "cum_cost_avoided_yen", "cum_saving_share", "cum_user_cost_yen",
    "cum_net_benefit_yen", "n_bridges_removed", "added_vehicle_km_per_day", "total_detour_m",
    "max_detour_m", "receiving_widening_yen", "in_plan",
]


@dataclass
class _Candidate:
    key: str
    option: str
    removed: tuple                   # bridges losing vehicle traffic
    kept: tuple = ()                 # bridges locked as kept (consolidation hub)
    options: dict = field(default_factory=dict)   # bridge_id -> option code
    cost_avoided: int = 0
    upgrade_edges: tuple = ()
    set_id: str | None = None


@dataclass
class _State:
    """The set of removals after an accepted step (a snapshot; never modified)."""
    removed: frozenset = frozenset()
    upgraded: tuple = ()
    detour_m: dict = field(default_factory=dict)
    detour_min: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)        # shortest route (by length) per bridge
    time_paths: dict = field(default_factory=dict)   # fastest route per bridge
    isolated_population: float = 0.0
    isolated_facilities: int = 0
    user_cost: dict = field(default_factory=dict)   # bridge_id -> PV yen
    connected: bool = True       # every removed bridge's two ends are still connected
    removed_edges: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    hubs: dict = field(default_factory=dict)        # removed bridge -> hub of its set
    receivers: dict = field(default_factory=dict)   # removed bridge -> receiving bridge or None
    widening: dict = field(default_factory=dict)    # receiving bridge -> widening yen
    # walkers: the walkable edges of the bridges removed outright, and per such bridge
    # its walking detour (m, inf: cut off on foot) and walking route with all of them gone
    walk_removed_edges: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    walk_detour_m: dict = field(default_factory=dict)
    walk_paths: dict = field(default_factory=dict)
    walk_links: frozenset = frozenset()             # walking links holding a removed edge
    walk_isolated: tuple = (0.0, 0)                 # (persons, facilities) cut off on foot
    links: frozenset = frozenset()                  # road links (vehicles) holding a removed edge


@dataclass
class _Delta:
    """What adding a candidate to a state changes (only the bridges re-measured)."""
    removed: frozenset
    upgraded: tuple
    detour_m: dict
    detour_min: dict
    paths: dict
    time_paths: dict
    user_cost: dict
    isolated_population: float | None    # None: not measured (refused for isolation)
    isolated_facilities: int | None
    connected: bool
    marginal_user_cost: float
    removed_edges: np.ndarray
    hubs: dict
    receivers: dict
    widening: dict
    marginal_widening: float        # yen: the receiving bridges' added widening
    walk_removed_edges: np.ndarray
    walk_detour_m: dict             # only the re-measured bridges
    walk_paths: dict
    walk_links: frozenset
    walk_isolated: tuple
    links: frozenset = frozenset()  # road links (vehicles) holding a removed edge


class _RouteIndex:
    """Edge id -> bridges whose current route (of one kind) runs over it."""

    def __init__(self):
        self.users: dict[int, set] = {}

    def over(self, edges) -> set:
        out = set()
        for e in edges:
            out |= self.users.get(int(e), _NONE)
        return out

    def update(self, old_paths: dict, new_paths: dict) -> None:
        for b, p in new_paths.items():
            for e in old_paths.get(b, ()):
                self.users.get(int(e), set()).discard(b)
            for e in p:
                self.users.setdefault(int(e), set()).add(b)


def _add_links(ev: SetEvaluator, links: frozenset, cut, mode: str) -> tuple[frozenset, bool]:
    """The road links (of ``mode``) holding a removed edge once ``cut`` is removed too, and
    whether two removed edges now share a link (which cuts off the stretch between them)."""
    keys = ev.link_keys(cut, mode)
    new = links | set(keys)
    return frozenset(new), len(new) < len(links) + len(keys)


def _evaluate(ev: SetEvaluator, state: _State, index: tuple, cand: _Candidate, aadt: dict,
              settings, works: ReceivingWorks) -> _Delta:
    """The change from ``state`` when ``cand`` is added: the whole set re-measured.

    Only routes that can have changed are searched again: a route that runs over a
    newly removed bridge (removing edges never shortens a route, so the others stay
    shortest), and every fastest route when the candidate upgrades new sections
    (faster edges may give a faster route).  Isolation: when every removed bridge's
    two ends are still connected nothing is cut off; otherwise the pieces are
    labelled (``set_components``).  Receiving bridges (``ReceivingWorks``) are found
    again for the re-measured bridges; the widening of every receiving bridge that
    gains or loses a sender is priced again (``marginal_widening``, yen).
    """
    removed = state.removed | set(cand.removed)
    new_up = set(cand.upgrade_edges) - set(state.upgraded)
    upgraded = tuple(sorted(set(state.upgraded) | new_up))
    cut = ev.edges_of(cand.removed)
    redo = sorted(index[0].over(cut) - set(cand.removed))
    redo_t = sorted(state.removed if new_up else index[1].over(cut) - set(cand.removed))
    redges = np.union1d(state.removed_edges, cut)
    _, det, paths = ev.routes([*redo, *cand.removed], redges, "length_m")
    tw = ev.times(upgraded, settings.costs.upgraded_speed_kmh)
    _, det_t, tpaths = ev.routes([*redo_t, *cand.removed], redges, tw)
    # two removed edges on one road link cut off the stretch between them (with its
    # people) even when the link's junctions stay connected: label the pieces then too
    links, shared = _add_links(ev, state.links, cut, "motor")
    connected = state.connected and not shared and all(math.isfinite(d) for d in det.values())
    pop, fac = 0.0, 0
    if not connected:
        g = settings.guards
        if g.forbid_isolation and any(not math.isfinite(d) and "isolation" not in
                                      waived_guards(b, settings) for b, d in det.items()):
            pop = fac = None     # refused for isolation whatever is cut off
        else:
            _, pop, fac = ev.isolation(redges)
    ucost, marginal = {}, 0.0
    for b in sorted(set(det) | set(det_t)):   # sorted: the sum must not depend on set order
        _, pv = user_cost(aadt[b], det.get(b, state.detour_m.get(b)),
                          det_t.get(b, state.detour_min.get(b)), settings)
        pv = pv if pv >= 0 else math.inf
        old = state.user_cost.get(b, 0)
        ucost[b] = pv
        if not (math.isinf(pv) and math.isinf(old)):
            marginal += pv - old
    hubs = dict(state.hubs)
    if cand.set_id is not None:
        hubs.update({b: cand.kept[0] for b in cand.removed})
    new_recv = {b: works.receiver(b, paths[b], removed, hubs.get(b))[0] for b in sorted(paths)}
    receivers = {**state.receivers, **new_recv}
    touched = ({state.receivers.get(b) for b in new_recv} | set(new_recv.values())
               | set(cand.removed)) - {None}
    senders: dict = {}
    for b, k in receivers.items():
        if k in touched:
            senders.setdefault(k, []).append(b)
    widening, marginal_w = {}, 0.0
    for k in sorted(touched):
        w = 0.0 if k in removed or k not in senders else works.widening(k, senders[k])[0]
        widening[k] = w
        marginal_w += w - state.widening.get(k, 0.0)
    walk = _evaluate_walkers(ev, state, index[2], cand)
    return _Delta(frozenset(removed), upgraded, det, det_t, paths, tpaths, ucost, pop, fac,
                  connected, marginal, redges, hubs, receivers, widening, marginal_w, *walk,
                  links=links)


def _evaluate_walkers(ev: SetEvaluator, state: _State, walk_index: "_RouteIndex",
                      cand: _Candidate) -> tuple:
    """Walkers' side of adding ``cand``: the bridges it removes outright leave the walking graph.

    Returns ``(walk_removed_edges, walk_detour_m, walk_paths, walk_links, walk_isolated)``:
    the walking detours (m, shortest on foot, ``inf`` when cut off) of the candidate's
    outright removals and of the earlier ones whose walking route ran over a newly
    removed edge (removing edges never shortens a route, so the others stay as they
    were).  ``walk_isolated``: (persons, facilities) cut off on foot by all outright
    removals together, labelled with ``set_components`` on the walking graph only when
    something can have been cut off (a walking route is gone, or two removed edges lie
    on one walking link, which cuts off the stretch between them); otherwise the state's.
    """
    full = [b for b in cand.removed if cand.options.get(b) in FULL_REMOVALS]
    cut = ev.walk_edges_of(full)
    if not len(cut):     # downsizing, motorway bridges: walkers keep every way they had
        return (state.walk_removed_edges, {}, {}, state.walk_links, state.walk_isolated)
    wedges = np.union1d(state.walk_removed_edges, cut)
    redo = sorted(walk_index.over(cut) - set(full))
    _, det, paths = ev.routes([*redo, *full], wedges, "length_m", mode="walk")
    links, shared = _add_links(ev, state.walk_links, cut, "walk")
    isolated = state.walk_isolated
    if shared or not all(math.isfinite(d) for d in det.values()):
        _, pop, fac = ev.isolation(wedges, mode="walk")
        isolated = (pop, fac)
    return wedges, det, paths, links, isolated


def _apply(state: _State, delta: _Delta, index: tuple) -> _State:
    """The state after accepting ``delta`` (a new snapshot); updates the route indexes."""
    index[0].update(state.paths, delta.paths)
    index[1].update(state.time_paths, delta.time_paths)
    index[2].update(state.walk_paths, delta.walk_paths)
    new = _State(delta.removed, delta.upgraded, {**state.detour_m, **delta.detour_m},
                 {**state.detour_min, **delta.detour_min}, {**state.paths, **delta.paths},
                 {**state.time_paths, **delta.time_paths}, delta.isolated_population,
                 delta.isolated_facilities, {**state.user_cost, **delta.user_cost},
                 delta.connected, delta.removed_edges, delta.hubs, delta.receivers,
                 {k: v for k, v in {**state.widening, **delta.widening}.items() if v > 0},
                 delta.walk_removed_edges, {**state.walk_detour_m, **delta.walk_detour_m},
                 {**state.walk_paths, **delta.walk_paths}, delta.walk_links, delta.walk_isolated,
                 delta.links)
    return new


_NONE = frozenset()


@dataclass(frozen=True)
class _Refusal:
    """Why a step was refused: the ``guard`` it breaks (``"isolation"``, ``"max_detour"``,
    ``"walk_detour"``) and, for the detour guards, the detour of each bridge over its
    limit (metres; ``inf``: cut off on foot)."""
    guard: str
    metres: dict = field(default_factory=dict)

    @classmethod
    def over(cls, guard: str, detours: dict) -> "_Refusal":
        """A detour refusal, each detour to the whole metre as the reasons give it."""
        return cls(guard, {b: float(round(d)) if math.isfinite(d) else d
                           for b, d in detours.items()})


_ISOLATION = _Refusal("isolation")


def _refusal(state: _State, delta: _Delta, cand: _Candidate, settings,
             school: frozenset = frozenset()) -> _Refusal | None:
    """Why the set after ``cand`` breaks a guard (None when it does not).

    Only the re-measured bridges are checked: the others kept the detours that the
    accepted state already passed.  Vehicles first (isolation, ``max_detour``), then
    walkers (``walk_detour``; ``school``: the bridges on a school route, held to
    ``max_school_walk_detour_m``).
    """
    g = settings.guards
    if delta.isolated_population is None:
        return _ISOLATION
    more_cut = (delta.isolated_population > state.isolated_population + 1e-9
                or delta.isolated_facilities > state.isolated_facilities)
    if g.forbid_isolation and more_cut and not all(
            "isolation" in waived_guards(b, settings) for b in cand.removed):
        return _ISOLATION
    over = {}
    limit = float(g.max_detour_m)
    for b in sorted(delta.detour_m):
        d = delta.detour_m[b]
        if not math.isfinite(d):
            if g.forbid_isolation and "isolation" not in waived_guards(b, settings):
                return _ISOLATION
        elif d > limit and "max_detour" not in waived_guards(b, settings):
            over[b] = d
    if over:
        return _Refusal.over("max_detour", over)
    return _walk_refusal(state, delta, cand, settings, school)


def _walk_refusal(state: _State, delta: _Delta, cand: _Candidate, settings,
                  school: frozenset) -> _Refusal | None:
    """A ``walk_detour`` refusal when the walkers' rule of ``generate_options``
    (``walkers_need``: over ``max_walk_detour_m``, over ``max_school_walk_detour_m`` on a
    school route, or cut off on foot) fails for a bridge removed outright, with the
    whole set gone; None when it holds.  A bridge whose ``walk_detour`` guard the user
    waived is not held to it."""
    g = settings.guards
    over = {b: d for b, d in sorted(delta.walk_detour_m.items())
            if walkers_need(d, b in school, g) and "walk_detour" not in waived_guards(b, settings)}
    pop, fac = delta.walk_isolated
    if pop > state.walk_isolated[0] + 1e-9 or fac > state.walk_isolated[1]:
        for b in cand.removed:     # people between two removed bridges of one walking link
            if cand.options.get(b) in FULL_REMOVALS and "walk_detour" not in waived_guards(b, settings):
                over.setdefault(b, math.inf)
    if over:
        return _Refusal.over("walk_detour", over)
    return None


def _candidates(bridge_options, consolidation_sets, ev: SetEvaluator, settings) -> list[_Candidate]:
    cands = []
    opts = bridge_options[(bridge_options["option"] != "keep") & bridge_options["eligible"]
                          & (bridge_options["cost_avoided_yen"] > 0)]
    opts = opts[opts["bridge_id"].astype(str).isin(ev.bridge_edge.keys())]
    up_ids = opts.loc[opts["option"] == "remove_upgrade_detour", "bridge_id"].astype(str)
    upgrades = detour_upgrades(ev.network, up_ids.tolist(), settings)
    # a detour with substandard sections: the removal is planned only with the improvement
    rows = bridge_options[bridge_options["option"] == "remove_upgrade_detour"]
    substandard = (set(rows.loc[rows["upgrade_length_m"].fillna(0) > 0, "bridge_id"].astype(str))
                   if settings.plan.require_detour_upgrade else set())
    # walkers need these bridges (the full removal is excluded by the walk_detour guard):
    # no consolidation set removes them; downsizing is their option
    rm = bridge_options[bridge_options["option"] == "remove"]
    walkers = set(rm.loc[rm["excluded_by"].fillna("").astype(str).str.contains("walk_detour"),
                         "bridge_id"].astype(str))
    for bid, option, avoided in zip(opts["bridge_id"].astype(str), opts["option"],
                                    opts["cost_avoided_yen"]):
        if option in ("remove", "downsize") and bid in substandard:
            continue   # vehicles would use the substandard detour: only with the improvement
        edges = tuple(upgrades[bid]["edges"]) if option == "remove_upgrade_detour" else ()
        cands.append(_Candidate(f"{bid}:{option}", option, (bid,), options={bid: option},
                                cost_avoided=int(avoided), upgrade_edges=edges))
    if consolidation_sets is not None and len(consolidation_sets):
        sets = consolidation_sets[consolidation_sets["eligible"]
                                  & (consolidation_sets["cost_avoided_yen"] > 0)]
        for set_id, kept, rem, avoided in zip(sets["set_id"], sets["kept_bridge_id"],
                                              sets["removed_bridge_ids"], sets["cost_avoided_yen"]):
            removed = tuple(str(rem).split(";"))
            if any(b not in ev.bridge_edge or b in substandard or b in walkers for b in removed):
                continue   # off the network, a detour that needs improving first, or walkers need it
            kept = str(kept)
            cands.append(_Candidate(
                f"{set_id}:{kept}", "consolidate", removed, (kept,),
                options={**{b: "remove" for b in removed}, kept: "keep"},
                cost_avoided=int(avoided), set_id=str(set_id)))
    return cands


def make_plan(network: Network, bridge_options: gpd.GeoDataFrame,
              consolidation_sets: gpd.GeoDataFrame | None, *, settings: Settings | None = None,
              budget_yen: float | None = None, target_saving_share: float | None = None,
              progress: Progress | None = None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Choose options across bridges under the guards, a budget or a saving target.

    Parameters
    ----------
    network : Network
        With bridges attached (the network the options were generated on).
    bridge_options : GeoDataFrame
        From ``generate_options``.
    consolidation_sets : GeoDataFrame or None
        From ``find_consolidation_sets``.
    settings : Settings, optional
    budget_yen : float, optional
        Life-cycle cost (present value, yen) the whole bridge stock may use over the horizon.
    target_saving_share : float, optional
        Share (0..1) of the baseline life-cycle cost to save, e.g. 0.2 for 20 %.
    progress : callable, optional

    Returns
    -------
    plan : GeoDataFrame
        One row per bridge (``PLAN_COLUMNS``): the chosen option (keep unless the
        plan takes one), the step at which it was taken, its detour measured with
        the whole plan's removals (``walk_detour_in_plan_m``: the walkers' detour of an
        outright removal, m, NaN for a downsizing or a bridge walkers cannot use), and
        the reason.  ``plan.attrs["summary"]``
        holds the totals.
    cost_curve : DataFrame
        One row per greedy step (``CURVE_COLUMNS``): cumulative cost avoided
        against added detour and road-user cost; ``in_plan`` marks the plan's steps.
    """
    settings = settings or Settings()
    if target_saving_share is not None and not (0.0 < float(target_saving_share) < 1.0):
        raise InputError(f"target saving share must be between 0 and 1 (got {target_saving_share}); "
                         "for 20 % give 0.2 (CLI: --target-saving-pct 20)", source="plan")
    if budget_yen is not None and float(budget_yen) < 0:
        raise InputError(f"budget must be 0 yen or more (got {budget_yen})", source="plan")
    ev = SetEvaluator.of(network)
    works = ReceivingWorks(ev.network, settings)
    keep_rows = bridge_options[bridge_options["option"] == "keep"].set_index("bridge_id")
    baseline = int(keep_rows["lcc_yen"].sum())
    required = None
    if budget_yen is not None:
        required = max(0, baseline - int(round(float(budget_yen))))
    if target_saving_share is not None:
        t = int(math.ceil(baseline * float(target_saving_share)))
        required = t if required is None else max(required, t)
    aadt = dict(zip(keep_rows.index.astype(str), keep_rows["aadt"].astype(float)))
    cands = _candidates(bridge_options, consolidation_sets, ev, settings)
    npb_single = {f"{b}:{o}": v for b, o, v in zip(bridge_options["bridge_id"].astype(str),
                                                    bridge_options["option"],
                                                    bridge_options["net_present_benefit_yen"])}
    npb_set = {} if consolidation_sets is None else {
        f"{s}:{k}": v for s, k, v in zip(consolidation_sets["set_id"], consolidation_sets["kept_bridge_id"],
                                         consolidation_sets["net_present_benefit_yen"])}
    stale = {}
    for c in cands:
        npb = npb_single.get(c.key) if c.set_id is None else npb_set.get(c.key)
        stale[c.key] = float(npb) if npb is not None and pd.notna(npb) else -math.inf
    heap = [(-stale[c.key], c.key, -1) for c in cands]
    heapq.heapify(heap)
    by_key = {c.key: c for c in cands}
    state = _State()
    index = (_RouteIndex(), _RouteIndex(), _RouteIndex())   # shortest, fastest, walking routes
    rm = bridge_options[bridge_options["option"] == "remove"]
    school = frozenset(rm.loc[rm["school_route"].fillna(False).astype(bool), "bridge_id"].astype(str)
                       if "school_route" in rm.columns else ())
    decided: dict[str, str] = {}
    refused: dict[str, tuple] = {}        # bridge -> (_Refusal, bridges removed before)
    steps = []
    version = 0
    n_total = max(1, len(cands))
    while heap:
        report_progress(progress, min(0.99, len(steps) / n_total), f"plan step {len(steps) + 1}")
        neg, key, ver = heapq.heappop(heap)
        c = by_key[key]
        if any(b in decided for b in (*c.removed, *c.kept)):
            continue
        delta = _evaluate(ev, state, index, c, aadt, settings, works)
        # net of the works the removal makes necessary on the receiving bridges (the
        # detour improvement is already in the option's cost)
        avoided = c.cost_avoided - int(delta.marginal_widening)
        npb = avoided - delta.marginal_user_cost
        why = _refusal(state, delta, c, settings, school)
        if why is not None:
            for b in c.removed:
                refused.setdefault(b, (why, sorted(state.removed)))
            continue
        if ver != version and heap and npb < -heap[0][0]:
            heapq.heappush(heap, (-npb, key, version))
            continue
        state = _apply(state, delta, index)
        version += 1
        for b, o in c.options.items():
            decided[b] = o
        steps.append({"cand": c, "cost_avoided": avoided, "user_cost": delta.marginal_user_cost,
                      "npb": npb, "state": state})
    # the plan: a prefix of the greedy steps
    cum = np.cumsum([s["cost_avoided"] for s in steps]) if steps else np.array([])
    if required is None:
        n_plan = 0
        while n_plan < len(steps) and steps[n_plan]["npb"] > 0:
            n_plan += 1
        reached = True
    else:
        hit = np.nonzero(cum >= required)[0]
        reached = required == 0 or len(hit) > 0
        n_plan = 0 if required == 0 else (int(hit[0]) + 1 if len(hit) else len(steps))
    curve = _curve(steps, baseline, n_plan, aadt)
    final = steps[n_plan - 1]["state"] if n_plan else _State()
    plan = _plan_rows(bridge_options, keep_rows, steps[:n_plan], final, refused, settings, school)
    # the kept bridges that receive traffic carry their widening: the rows add up to the saving
    walk_refused = {b: (why.metres, before) for b, (why, before) in refused.items()
                    if why.guard == "walk_detour"}
    plan = plan_methods(plan, network=ev.network, bridge_options=bridge_options,
                        detour_paths=final.paths, hubs=final.hubs, settings=settings,
                        walk_refused=walk_refused, works=works)
    by_method = plan.loc[plan["status"] == "planned", "method"].value_counts()
    saved = int(cum[n_plan - 1]) if n_plan else 0
    plan.attrs["summary"] = {
        "baseline_lcc_yen": baseline, "plan_lcc_yen": baseline - saved, "cost_avoided_yen": saved,
        "saving_share": saved / baseline if baseline else 0.0,
        "required_saving_yen": required, "budget_yen": budget_yen,
        "target_saving_share": target_saving_share, "target_reached": bool(reached),
        "n_steps": n_plan, "n_bridges_removed": len(final.removed),
        "user_cost_yen": int(math.fsum(v for v in final.user_cost.values() if math.isfinite(v))),
        "isolated_population": final.isolated_population,
        **{f"n_{m}": int(by_method.get(m, 0))
           for m in ("remove", "remove_upgrade_detour", "downsize", "consolidate")},
        "receiving_widening_yen": int(sum(int(round(v)) for v in final.widening.values())),
        "note": ILLUSTRATIVE_NOTE,
    }
    report_progress(progress, 1.0, "plan done")
    return plan, curve


def _curve(steps, baseline, n_plan, aadt) -> pd.DataFrame:
    rows = []
    cum_ca = cum_uc = 0
    for i, s in enumerate(steps, start=1):
        c, st = s["cand"], s["state"]
        cum_ca += s["cost_avoided"]
        cum_uc += s["user_cost"]
        det = [st.detour_m[b] for b in sorted(st.removed)]
        rows.append({
            "step": i,
            "action": (f"{OPTION_LABELS_EN[c.option]}: {', '.join(c.removed)}" if c.set_id is None
                       else f"consolidate {c.set_id}: keep {c.kept[0]}, remove {', '.join(c.removed)}"),
            "option": c.option, "bridge_ids": ";".join(c.removed), "set_id": c.set_id,
            "cost_avoided_yen": int(s["cost_avoided"]), "user_cost_yen": int(s["user_cost"]),
            "net_benefit_yen": int(s["npb"]), "cum_cost_avoided_yen": int(cum_ca),
            "cum_saving_share": cum_ca / baseline if baseline else 0.0,
            "cum_user_cost_yen": int(cum_uc), "cum_net_benefit_yen": int(cum_ca - cum_uc),
            "n_bridges_removed": len(st.removed),
            "added_vehicle_km_per_day": math.fsum(aadt[b] * st.detour_m[b] / 1000.0 for b in st.removed),
            "total_detour_m": math.fsum(det), "max_detour_m": float(max(det)) if det else 0.0,
            "receiving_widening_yen": int(sum(int(round(v)) for v in st.widening.values())),
            "in_plan": i <= n_plan,
        })
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


def _walk_refusal_text(why: _Refusal, others: str, others_en: str, school, settings) -> tuple:
    """The keep reason of a bridge refused by the walkers' rule."""
    g = settings.guards
    ja_parts, en_parts = [], []
    items = why.metres
    for b, d in items.items():
        lim = walk_limit(b in school, g)
        if not math.isfinite(d):
            ja_parts.append(f"{b} 徒歩では孤立")
            en_parts.append(f"{b} cut off on foot")
        else:
            tag_ja, tag_en = ("通学路の上限", "school-route limit") if b in school else ("上限", "limit")
            ja_parts.append(f"{b} {d:,.0f} m（{tag_ja} {lim:,.0f} m）")
            en_parts.append(f"{b} {d:,.0f} m, {tag_en} {lim:,.0f} m")
    cut = not all(math.isfinite(d) for d in items.values())
    far = any(math.isfinite(d) for d in items.values())
    what = "・".join((["歩行者の迂回が上限を超える"] if far else [])
                    + (["徒歩で孤立が生じる"] if cut else []))
    ja = f"維持：先に撤去する {others} と合わせると{what}（" + "、".join(ja_parts) + "）"
    en = (f"keep: together with the removal of {others_en} walkers would lose too much: "
          + "; ".join(en_parts))
    return ja, en


def _plan_rows(bridge_options, keep_rows, steps, final: _State, refused, settings,
               school=frozenset()):
    """One row per bridge.  A kept bridge that receives planned removals' traffic and
    must be widened for it carries the widening: ``lcc_yen`` = keep + widening and
    ``cost_avoided_yen`` = -widening, so the rows add up to the plan's net saving."""
    H = int(settings.costs.horizon_years)

    def widen(bid):
        return int(final.widening.get(bid, 0))

    chosen: dict[str, tuple] = {}
    for i, s in enumerate(steps, start=1):
        c = s["cand"]
        for b, o in c.options.items():
            chosen[b] = (o, i, c)
    # look-ups by bridge (one pass over the options table, not one filter per bridge)
    cols = ["bridge_id", "option", "lcc_yen", "cost_avoided_yen", "eligible", "excluded_by"]
    by_option = {(str(r[0]), r[1]): r for r in bridge_options[cols].itertuples(index=False)}
    removal_rows: dict[str, list] = {}
    for r in by_option.values():
        if r[1] != "keep":
            removal_rows.setdefault(str(r[0]), []).append(r)
    rows = []
    names = keep_rows["name"] if "name" in keep_rows.columns else pd.Series(None, index=keep_rows.index)
    for bid, name, keep_lcc, geom in zip(keep_rows.index, names, keep_rows["lcc_yen"],
                                         keep_rows.geometry):
        bid = str(bid)
        keep = {"lcc_yen": keep_lcc}
        base = {"bridge_id": bid, "name": name, "keep_lcc_yen": int(keep_lcc),
                "note": ILLUSTRATIVE_NOTE, "geometry": geom}
        if bid in chosen:
            option, step, c = chosen[bid]
            if option == "keep":   # the hub of a consolidation
                rows.append({**base, "plan_option": "keep", "plan_option_ja": OPTION_LABELS_JA["keep"],
                             "status": "kept_hub", "step": step, "set_id": c.set_id,
                             "lcc_yen": int(keep["lcc_yen"]) + widen(bid),
                             "cost_avoided_yen": -widen(bid),
                             "detour_in_plan_m": 0.0, "detour_in_plan_min": 0.0,
                             "walk_detour_in_plan_m": 0.0, "user_cost_in_plan_yen": 0,
                             "reason_ja": f"集約 {c.set_id} で残す橋（{'・'.join(c.removed)} の交通を受け持つ）",
                             "reason_en": f"kept as the hub of {c.set_id} (carries the traffic of "
                                          f"{', '.join(c.removed)})"})
                continue
            orow = by_option[(bid, option)]._asdict()
            d, t = final.detour_m[bid], final.detour_min[bid]
            wd = final.walk_detour_m.get(bid, math.nan) if option in FULL_REMOVALS else math.nan
            uc = final.user_cost.get(bid)
            label_ja = OPTION_LABELS_JA[option] + (f"（集約 {c.set_id}）" if c.set_id else "")
            rows.append({**base, "plan_option": option, "plan_option_ja": label_ja,
                         "status": "planned", "step": step, "set_id": c.set_id,
                         "lcc_yen": int(orow["lcc_yen"]),
                         "cost_avoided_yen": int(orow["cost_avoided_yen"]),
                         "detour_in_plan_m": d, "detour_in_plan_min": t,
                         "walk_detour_in_plan_m": wd,
                         "user_cost_in_plan_yen": int(uc) if uc is not None and math.isfinite(uc) else None,
                         "reason_ja": f"手順{step}：{label_ja}、計画全体で{detour_ja(d)}、"
                                      f"{H}年で{option_yen_ja(orow['cost_avoided_yen'])}の削減",
                         "reason_en": f"step {step}: {OPTION_LABELS_EN[option]}, {detour_en(d)} with the "
                                      f"whole plan, saves {yen_en(orow['cost_avoided_yen'])} over {H} years"})
            continue
        status = "keep"
        if bid in refused:
            why, before = refused[bid]
            status = "refused_in_plan"
            others = "・".join(before) if before else "なし"
            others_en = ", ".join(before) if before else "none"
            limit = float(settings.guards.max_detour_m)
            if why.guard == "isolation":
                ja = f"維持：先に撤去する {others} と合わせると孤立が生じる"
                en = f"keep: together with the removal of {others_en} it would cut people or facilities off"
            elif why.guard == "walk_detour":
                ja, en = _walk_refusal_text(why, others, others_en, school, settings)
            else:
                over = why.metres.items()
                ja = (f"維持：先に撤去する {others} と合わせると迂回が上限 {limit:,.0f} m を超える（"
                      + "、".join(f"{b} {d:,.0f} m" for b, d in over) + "）")
                en = (f"keep: together with the removal of {others_en} the detour would exceed the "
                      f"{limit:,.0f} m limit (" + ", ".join(f"{b} {d:,.0f} m" for b, d in over) + ")")
        else:
            opts = removal_rows.get(bid, [])
            if not any(bool(r.eligible) for r in opts):
                reasons = sorted({x for r in opts for x in str(r.excluded_by).split(";") if x})
                status = "not_eligible"
                ja = "維持：撤去系の案は除外（" + "・".join(reasons) + "）"
                en = "keep: removal-type options excluded (" + ", ".join(reasons) + ")"
            else:
                ja = "維持：撤去系の案に正味の便益がない、または目標に不要"
                en = "keep: no removal-type option with a net benefit, or not needed for the target"
        rows.append({**base, "plan_option": "keep", "plan_option_ja": OPTION_LABELS_JA["keep"],
                     "status": status, "step": None, "set_id": None,
                     "lcc_yen": int(keep["lcc_yen"]) + widen(bid), "cost_avoided_yen": -widen(bid),
                     "detour_in_plan_m": 0.0, "detour_in_plan_min": 0.0,
                     "walk_detour_in_plan_m": 0.0, "user_cost_in_plan_yen": 0, "reason_ja": ja, "reason_en": en})
    df = pd.DataFrame(rows, columns=[*PLAN_COLUMNS, "geometry"])
    out = gpd.GeoDataFrame(df, geometry="geometry", crs=bridge_options.crs)
    out["step"] = out["step"].astype("Int64")
    out["walk_detour_in_plan_m"] = out["walk_detour_in_plan_m"].astype(float)
    out["user_cost_in_plan_yen"] = out["user_cost_in_plan_yen"].astype("Int64")
    for col in ("lcc_yen", "keep_lcc_yen", "cost_avoided_yen"):
        out[col] = out[col].astype("int64")
    return out
