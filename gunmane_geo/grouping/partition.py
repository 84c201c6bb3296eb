"""Contiguous partitions of municipalities: the one objective, an exact and a fast search.

The objective (lower is better; docs/grouping.md) of a partition into groups g is::

    objective = balance + travel_weight * travel          (violation = 0 when feasible)
    balance   = 1/2 * sum_g | W_g / W - S_g / S |
    travel    = sum_g (n_g / N) * D_g / max_travel_min
    violation = sum_g [ max(0, min_staff - S_g) / min_staff
                      + max(0, min_bridges - B_g) / min_bridges
                      + max(0, n_g - max_members)
                      + min(10, max(0, D_g - max_travel_min) / max_travel_min) ]

with W_g the group's composite workload, S_g its technical staff, B_g its bridges,
n_g its members, D_g the longest office-to-office travel time inside it.  When no
staff is known at all (S = 0) the staff share is replaced by the member share
n_g / N.  Partitions are compared by ``violation`` first, then ``objective``
(``score = objective + 1000 * violation``).  Every term is a sum over groups,
so a move between two groups is evaluated from those two groups alone.
"""
from __future__ import annotations

import heapq
import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import report_progress

VIOLATION_WEIGHT = 1000.0
_TRAVEL_EXCESS_CAP = 10.0
_SMALL_GROUP = 12          # groups up to this size are scored in plain Python


class _Abort(Exception):
    """The exhaustive search went over its budget."""


@dataclass
class GroupProblem:
    """Units (municipalities) with attributes, neighbours and pairwise travel minutes.

    Attributes
    ----------
    neighbours : list of sorted int lists (symmetric, no self loops)
    staff, workload, bridges : float arrays (n,)
    travel_min : float array (n, n), ``inf`` where unreachable; diagonal 0
    """
    neighbours: list
    staff: np.ndarray
    workload: np.ndarray
    bridges: np.ndarray
    travel_min: np.ndarray
    min_staff: float = 5.0
    min_bridges: float = 0.0
    max_members: int = 5
    max_travel_min: float = 60.0
    travel_weight: float = 0.5
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.n = len(self.staff)
        self.staff = np.asarray(self.staff, dtype=float)
        self.workload = np.asarray(self.workload, dtype=float)
        self.bridges = np.asarray(self.bridges, dtype=float)
        self.travel_min = np.asarray(self.travel_min, dtype=float)
        self.neighbours = [sorted(set(int(j) for j in nb if int(j) != i))
                           for i, nb in enumerate(self.neighbours)]
        self.staff_total = float(self.staff.sum())
        self.work_total = float(self.workload.sum())
        if len(self.neighbours) != self.n or self.travel_min.shape != (self.n, self.n):
            raise ValueError("neighbours and travel_min must match the number of units")
        # plain Python copies: small groups are scored faster without numpy calls
        self._staff_l = self.staff.tolist()
        self._work_l = self.workload.tolist()
        self._bridges_l = self.bridges.tolist()
        self._t_rows = None            # travel rows as lists, made on first use
        self._nb_masks = None          # neighbours as bitmasks, made on first use
        self._mask_cost: dict = {}     # group bitmask -> cost
        self._subset_lists: dict = {}  # (unit, allowed, max size) -> sorted connected groups

    # -- group terms ---------------------------------------------------------
    def diameter(self, members) -> float:
        m = list(members)
        if len(m) < 2:
            return 0.0
        if len(m) <= _SMALL_GROUP:
            if self._t_rows is None:
                self._t_rows = self.travel_min.tolist()
            rows = self._t_rows
            return float(max(rows[i][j] for i in m for j in m))
        return float(self.travel_min[np.ix_(m, m)].max())

    def terms(self, members) -> tuple[float, float, float]:
        """(balance, travel, violation) terms of one group."""
        m = list(members)
        k = len(m)
        if k <= _SMALL_GROUP:
            s = float(sum(self._staff_l[i] for i in m))
            w = float(sum(self._work_l[i] for i in m))
            b = float(sum(self._bridges_l[i] for i in m))
        else:
            s = float(self.staff[m].sum())
            w = float(self.workload[m].sum())
            b = float(self.bridges[m].sum())
        d = self.diameter(m)
        return self._terms(k, s, w, b, d)

    def _terms(self, k, s, w, b, d):
        w_share = w / self.work_total if self.work_total > 0 else 0.0
        if self.staff_total > 0:
            s_share = s / self.staff_total
        else:
            s_share = k / self.n if self.work_total > 0 else 0.0
        balance = 0.5 * abs(w_share - s_share)
        finite = d < math.inf
        travel = (k / self.n) * (d / self.max_travel_min if finite else _TRAVEL_EXCESS_CAP + 1)
        viol = 0.0
        if self.min_staff > 0:
            viol += max(0.0, self.min_staff - s) / self.min_staff
        if self.min_bridges > 0:
            viol += max(0.0, self.min_bridges - b) / self.min_bridges
        viol += max(0, k - self.max_members)
        if d > self.max_travel_min:
            viol += min(_TRAVEL_EXCESS_CAP, (d - self.max_travel_min) / self.max_travel_min) \
                if finite else _TRAVEL_EXCESS_CAP
        return balance, travel, viol

    def cost(self, members) -> float:
        key = members if isinstance(members, frozenset) else frozenset(members)
        c = self._cache.get(key)
        if c is None:
            bal, tr, vi = self.terms(key)
            c = bal + self.travel_weight * tr + VIOLATION_WEIGHT * vi
            if len(self._cache) < 2_000_000:
                self._cache[key] = c
        return c

    def neighbour_masks(self) -> list:
        """Each unit's neighbours as a Python-int bitmask (cached)."""
        if self._nb_masks is None:
            out = []
            for nb in self.neighbours:
                m = 0
                for j in nb:
                    m |= 1 << j
                out.append(m)
            self._nb_masks = out
        return self._nb_masks

    def mask_cost(self, mask: int) -> float:
        """``cost`` of the group given as a bitmask over the units (cached)."""
        c = self._mask_cost.get(mask)
        if c is None:
            bal, tr, vi = self.terms(_mask_members(mask))
            c = bal + self.travel_weight * tr + VIOLATION_WEIGHT * vi
            if len(self._mask_cost) < 2_000_000:
                self._mask_cost[mask] = c
        return c

    def is_connected(self, members) -> bool:
        m = set(members)
        if len(m) <= 1:
            return True
        start = next(iter(m))
        seen = {start}
        stack = [start]
        while stack:
            u = stack.pop()
            for v in self.neighbours[u]:
                if v in m and v not in seen:
                    seen.add(v)
                    stack.append(v)
        return len(seen) == len(m)


def evaluate(problem: GroupProblem, labels) -> dict:
    """Objective and its terms for a labelling (one group id per unit).

    Returns
    -------
    dict with ``objective``, ``balance``, ``travel``, ``violation``, ``score``,
    ``n_groups`` and ``contiguous`` (every group connected in the adjacency).
    """
    groups = labels_to_groups(labels)
    bal = tr = vi = 0.0
    contiguous = True
    for g in groups:
        b, t, v = problem.terms(g)
        bal, tr, vi = bal + b, tr + t, vi + v
        contiguous &= problem.is_connected(g)
    obj = bal + problem.travel_weight * tr
    return {"objective": obj, "balance": bal, "travel": tr, "violation": vi,
            "score": obj + VIOLATION_WEIGHT * vi, "n_groups": len(groups), "contiguous": contiguous}


def labels_to_groups(labels) -> list[frozenset]:
    by = {}
    for i, g in enumerate(labels):
        by.setdefault(g, []).append(i)
    return [frozenset(v) for v in by.values()]


def canonical(groups) -> tuple:
    return tuple(sorted(tuple(sorted(g)) for g in groups))


def groups_to_labels(groups, n) -> np.ndarray:
    labels = np.full(n, -1, dtype=np.int64)
    for gid, g in enumerate(sorted(groups, key=min)):
        labels[list(g)] = gid
    return labels


# ---------------------------------------------------------------------------
# exact search
# ---------------------------------------------------------------------------
def _connected_subsets(nb_mask: list, v: int, allowed: int, max_size: int = 1 << 30):
    """All connected vertex sets (bitmasks) containing v within ``allowed``, up to ``max_size``."""
    start = 1 << v
    seen = {start}
    frontier = [start]
    while frontier:
        nxt = []
        for mask in frontier:
            if mask.bit_count() >= max_size:
                continue
            ext = 0
            mm = mask
            while mm:
                low = mm & -mm
                ext |= nb_mask[low.bit_length() - 1]
                mm ^= low
            ext &= allowed & ~mask
            while ext:
                low = ext & -ext
                ext ^= low
                new = mask | low
                if new not in seen:
                    seen.add(new)
                    nxt.append(new)
        frontier = nxt
    return seen


def solve_exact(problem: GroupProblem, n_best: int = 3, budget: int = 500_000,
                progress=None) -> list[tuple[float, tuple]] | None:
    """Best ``n_best`` contiguous partitions by exhaustive branch and bound.

    Every partition of the units into connected groups is considered (no size limit:
    ceilings are scored, not assumed).  Returns a list of ``(score, canonical_partition)``
    (best first), or ``None`` when more than ``budget`` partial partitions would be explored.
    """
    out = _exact_on(problem, list(range(problem.n)), n_best, budget)
    report_progress(progress, 1.0, "exact search done")
    return out


_TABLE_MAX_UNITS = 16      # subset tables (2**n rows; 8 MB of floats at 16) up to this many units


_BIT_TABLES: dict = {}


def _bit_tables(n: int):
    """(masks, member bits (bool and float), member counts) of all 2**n subsets, cached."""
    if n not in _BIT_TABLES:
        masks = np.arange(1 << n, dtype=np.int64)
        bits = ((masks[:, None] >> np.arange(n, dtype=np.int64)[None, :]) & 1).astype(bool)
        for a in (masks, bits):
            a.flags.writeable = False
        bits_f = bits.astype(float)
        bits_f.flags.writeable = False
        k = bits.sum(axis=1).astype(float)
        k.flags.writeable = False
        _BIT_TABLES[n] = (masks, bits, bits_f, k)
    return _BIT_TABLES[n]


def subset_tables(problem: GroupProblem, units) -> dict:
    """Statistics of every subset of ``units``, as numpy arrays indexed by bitmask.

    Bit ``k`` of a mask is ``units[k]``.  Built once per search with O(n) vectorised
    steps (no Python loop over the ``2**n`` subsets; sums by matrix product, diameter and
    neighbour masks by doubling over the highest member):

    * ``size``, ``staff``, ``work``, ``bridges``: sums over the members;
    * ``diam``: the longest office-to-office minutes inside the subset (``inf`` when
      two members are not joined by road);
    * ``connected``: the subset is connected in the adjacency (the empty set is not);
    * ``cost``: ``balance + travel_weight * travel + 1000 * violation`` of the subset
      as one group (the same formula as ``GroupProblem.terms``), ``inf`` when not
      connected.

    Returns
    -------
    dict of arrays of length ``2**len(units)`` (and ``units``, ``nb_mask``).
    """
    units = list(units)
    n = len(units)
    if n > _TABLE_MAX_UNITS:
        raise ValueError(f"subset tables need at most {_TABLE_MAX_UNITS} units (got {n})")
    size = 1 << n
    masks, bits, bits_f, k = _bit_tables(n)
    idx = np.asarray(units, dtype=np.int64)
    staff = bits_f @ problem.staff[idx]
    work = bits_f @ problem.workload[idx]
    bridges = bits_f @ problem.bridges[idx]
    t = problem.travel_min[np.ix_(idx, idx)]
    # diam, by doubling: the subsets whose highest member is j are {j} + a subset r of
    # 0..j-1, and diam({j} + r) = max(diam(r), max over i in r of t[j, i])
    diam = np.zeros(size)
    for j in range(1, n):
        half = 1 << j
        row = np.where(bits[:half, :j], t[j, :j][None, :], 0.0).max(axis=1)
        diam[half:2 * half] = np.maximum(diam[:half], row)
    # connectivity: grow from the lowest member inside the subset until nothing changes;
    # nbr[m] = the members' neighbours (bitmask), also by doubling
    local = {u: q for q, u in enumerate(units)}
    nb_mask = np.zeros(n, dtype=np.int64)
    for q, u in enumerate(units):
        for v in problem.neighbours[u]:
            if v in local:
                nb_mask[q] |= 1 << local[v]
    nbr = np.zeros(size, dtype=np.int64)
    for j in range(n):
        half = 1 << j
        nbr[half:2 * half] = nbr[:half] | nb_mask[j]
    reach = masks & -masks
    for _ in range(max(n - 1, 0)):
        grown = (reach | nbr[reach]) & masks
        if np.array_equal(grown, reach):
            break
        reach = grown
    connected = (reach == masks) & (masks > 0)
    # the objective of each subset as one group (GroupProblem._terms, vectorised)
    w_share = work / problem.work_total if problem.work_total > 0 else np.zeros(size)
    if problem.staff_total > 0:
        s_share = staff / problem.staff_total
    else:
        s_share = k / problem.n if problem.work_total > 0 else np.zeros(size)
    balance = 0.5 * np.abs(w_share - s_share)
    finite = np.isfinite(diam)
    with np.errstate(invalid="ignore"):
        travel = (k / problem.n) * np.where(finite, diam / problem.max_travel_min,
                                            _TRAVEL_EXCESS_CAP + 1)
        viol = np.zeros(size)
        if problem.min_staff > 0:
            viol += np.maximum(0.0, problem.min_staff - staff) / problem.min_staff
        if problem.min_bridges > 0:
            viol += np.maximum(0.0, problem.min_bridges - bridges) / problem.min_bridges
        viol += np.maximum(0.0, k - problem.max_members)
        over = np.where(finite, np.minimum(_TRAVEL_EXCESS_CAP,
                                           (diam - problem.max_travel_min) / problem.max_travel_min),
                        _TRAVEL_EXCESS_CAP)
        viol += np.where(diam > problem.max_travel_min, over, 0.0)
    cost = balance + problem.travel_weight * travel + VIOLATION_WEIGHT * viol
    cost = np.where(connected, cost, np.inf)
    return {"units": units, "nb_mask": nb_mask, "bits": bits, "size": k, "staff": staff,
            "work": work, "bridges": bridges, "diam": diam, "connected": connected, "cost": cost}


def _exact_on(problem: GroupProblem, units: list, n_best: int, budget: int,
              bound: float = math.inf):
    """Exhaustive branch and bound over the connected partitions of ``units`` only.

    Only partitions scoring below ``bound`` are kept (an empty list when none); ``None``
    when more than ``budget`` partial partitions would be explored.

    Every connected subset is scored once (``subset_tables``).  The search assigns
    the lowest free unit to one connected group at a time, cheapest groups first, and
    prunes with ``score + cost(group) + LB(rest) >= threshold`` where ``threshold`` is
    the ``n_best``-th best complete score found (or ``bound``) and ``LB(rest)`` sums,
    over the units left, the least ``cost(group) / size(group)`` of any connected group
    holding the unit: a valid lower bound, since a partition's score is the sum over
    its units of their group's cost per member.
    """
    n = len(units)
    if n > _TABLE_MAX_UNITS:
        return _exact_on_sets(problem, units, n_best, budget, bound)
    if n == 0:
        return [(0.0, ())]
    tab = subset_tables(problem, units)
    cost, bits = tab["cost"], tab["bits"]
    full = (1 << n) - 1
    ok = np.isfinite(cost) & (cost < bound)
    if not ok.any():
        return []
    # lower bound of the rest: every unit u of rest pays at least the least cost per
    # member of a group holding u; the groups of rest lie above rest's lowest unit L,
    # so only groups whose lowest member is >= L count (one table per L)
    masks = np.flatnonzero(ok)
    mcost = cost[masks]
    lowbit = np.log2(masks & -masks).astype(np.int64)
    share = np.where(bits[masks], (mcost / tab["size"][masks])[:, None], np.inf)     # (K, n)
    by_level = np.full((n, n), np.inf)
    np.minimum.at(by_level, lowbit, share)
    h = np.minimum.accumulate(by_level[::-1], axis=0)[::-1]       # h[L] = min over levels >= L
    if not np.isfinite(h[0]).all():
        return []                      # some unit is in no connected group under the bound
    finite = np.isfinite(h)
    lb_all = bits.astype(float) @ np.where(finite, h, 0.0).T                    # (2**n, n)
    lb_all[(bits.astype(float) @ (~finite).T.astype(float)) > 0] = np.inf
    lb_tables = lb_all.T.tolist()    # lb_tables[L][rest], L = the lowest unit of rest
    # per lowest unit v: its connected groups, cheapest first
    order = np.lexsort((mcost, lowbit))
    ms_sorted, cs_sorted = masks[order].tolist(), mcost[order].tolist()
    cuts = np.searchsorted(lowbit[order], np.arange(n + 1)).tolist()
    cand = [(ms_sorted[cuts[v]:cuts[v + 1]], cs_sorted[cuts[v]:cuts[v + 1]]) for v in range(n)]
    heap: list = []          # max-heap of (-score, partition)
    explored = 0
    bound_f = float(bound)

    def rec(assigned, parts, score):
        nonlocal explored
        explored += 1
        if explored > budget:
            raise _Abort
        free = full ^ assigned
        v = (free & -free).bit_length() - 1
        ms, cs = cand[v]
        thr = -heap[0][0] if len(heap) >= n_best else bound_f
        for q in range(len(ms)):
            c = score + cs[q]
            if c >= thr:
                break                     # sorted by cost, all further are worse
            m = ms[q]
            if m & assigned:
                continue
            rest = free ^ m
            if not rest:                  # a complete partition
                item = (-c, (*parts, m))
                if len(heap) < n_best:
                    heapq.heappush(heap, item)
                else:
                    heapq.heapreplace(heap, item)
                thr = -heap[0][0] if len(heap) >= n_best else bound_f
                continue
            if c + lb_tables[(rest & -rest).bit_length() - 1][rest] >= thr:
                continue
            parts.append(m)
            rec(assigned | m, parts, c)
            parts.pop()
            thr = -heap[0][0] if len(heap) >= n_best else bound_f

    try:
        rec(0, [], 0.0)
    except _Abort:
        return None

    def members(mask):
        out = []
        while mask:
            lowm = mask & -mask
            out.append(units[lowm.bit_length() - 1])
            mask ^= lowm
        return frozenset(out)

    out = [(-s, canonical(members(m) for m in parts)) for s, parts in heap]
    out.sort()
    return out


def _exact_on_sets(problem: GroupProblem, units: list, n_best: int, budget: int,
                   bound: float = math.inf):
    """The same search on bitmasks over all units (no tables): the heuristic's exact
    re-partitions and problems over ``_TABLE_MAX_UNITS`` units.

    Groups are Python-int bitmasks over the problem's units; their costs and the sorted
    lists of connected groups per (lowest unit, units allowed) are kept on the problem,
    so the many small re-partitions of the heuristic share them.
    """
    n = len(units)
    # a group of size s > max_members costs at least VIOLATION_WEIGHT * (s - max_members)
    max_size = n if not math.isfinite(bound) else \
        min(n, problem.max_members + int(bound // VIOLATION_WEIGHT))
    nb_mask = problem.neighbour_masks()
    full = 0
    for u in units:
        full |= 1 << u
    lists = problem._subset_lists
    heap: list = []          # max-heap of (-score, partition)
    explored = 0

    def subsets(v, allowed):
        key = (v, allowed, max_size)
        items = lists.get(key)
        if items is None:
            masks = _connected_subsets(nb_mask, v, allowed, max_size)
            items = sorted((problem.mask_cost(m), m) for m in masks)
            if len(lists) < 200_000:
                lists[key] = items
        return items

    def rec(assigned, parts, score):
        nonlocal explored
        explored += 1
        if explored > budget:
            raise _Abort
        if assigned == full:
            item = (-score, tuple(parts))
            if len(heap) < n_best:
                heapq.heappush(heap, item)
            elif score < -heap[0][0]:
                heapq.heapreplace(heap, item)
            return
        free = full & ~assigned
        v = (free & -free).bit_length() - 1
        for c, m in subsets(v, free):
            if score + c >= bound or (len(heap) >= n_best and score + c >= -heap[0][0]):
                break                     # sorted by cost, all further are worse
            rec(assigned | m, parts + [m], score + c)

    try:
        rec(0, [], 0.0)
    except _Abort:
        return None
    out = [(-s, canonical(frozenset(_mask_members(m)) for m in parts)) for s, parts in heap]
    out.sort()
    return out


def _mask_members(mask: int) -> list:
    """The unit indices of a bitmask, ascending."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


# ---------------------------------------------------------------------------
# heuristic: randomised region growing + local search (relocate, merge, split)
# ---------------------------------------------------------------------------
class _State:
    def __init__(self, problem: GroupProblem, labels: np.ndarray):
        self.p = problem
        self.label = labels.copy()
        self.groups: dict[int, set] = {}
        for i, g in enumerate(labels):
            self.groups.setdefault(int(g), set()).add(i)
        self.cost = {g: problem.cost(frozenset(m)) for g, m in self.groups.items()}
        self.next_id = max(self.groups) + 1 if self.groups else 0

    def total(self):
        return sum(self.cost.values())

    def adjacent_groups(self, g):
        out = set()
        lab = self.label
        for i in self.groups[g]:
            for j in self.p.neighbours[i]:
                h = lab[j]
                if h != g:
                    out.add(int(h))
        return out

    def set_group(self, g, members):
        if members:
            self.groups[g] = set(members)
            for i in members:
                self.label[i] = g
            self.cost[g] = self.p.cost(frozenset(members))
        else:
            self.groups.pop(g, None)
            self.cost.pop(g, None)


def _construct(problem: GroupProblem, rng: np.random.Generator) -> np.ndarray:
    n = problem.n
    label = np.full(n, -1, dtype=np.int64)
    order = rng.permutation(n)
    gid = 0
    t = problem.travel_min
    for seed in order:
        if label[seed] >= 0:
            continue
        members = [int(seed)]
        label[seed] = gid
        s, b = problem.staff[seed], problem.bridges[seed]
        diam = 0.0
        while (s < problem.min_staff or b < problem.min_bridges) and len(members) < problem.max_members:
            cand = {j for i in members for j in problem.neighbours[i] if label[j] < 0}
            best = []
            for c in cand:
                d = max(diam, float(t[c, members].max()))
                if d > problem.max_travel_min:
                    continue
                gain = problem.staff[c] + 0.1 + (problem.bridges[c] > 0) * 0.1
                best.append((-(gain / (1.0 + d)), c, d))
            if not best:
                break
            best.sort()
            pick = best[int(rng.integers(min(2, len(best))))]
            c, diam = pick[1], pick[2]
            members.append(c)
            label[c] = gid
            s += problem.staff[c]
            b += problem.bridges[c]
        gid += 1
    return label


def _local_search(problem: GroupProblem, state: _State, rng: np.random.Generator,
                  max_split: int = 10, deadline: float = math.inf, max_lns: int = 10,
                  seen: set | None = None) -> None:
    """Simple moves until none improves; then the exact re-partition of each group with one
    or two adjacent groups (skipping combinations already found optimal); repeat."""
    seen = set() if seen is None else seen
    dirty = set(state.groups)
    while time.perf_counter() < deadline:
        while dirty and time.perf_counter() < deadline:
            order = list(dirty)
            rng.shuffle(order)
            dirty = set()
            for g in order:
                if g not in state.groups:
                    continue
                changed = _improve_group(problem, state, g, max_split)
                if changed:
                    for h in changed:
                        if h in state.groups:
                            dirty.add(h)
                            dirty |= state.adjacent_groups(h)
        order = list(state.groups)
        rng.shuffle(order)
        for g in order:
            if g not in state.groups:
                continue
            changed = _repartition(problem, state, g, max_lns, seen)
            if changed:
                for h in changed:
                    if h in state.groups:
                        dirty.add(h)
                        dirty |= state.adjacent_groups(h)
        if not dirty:
            break


def _improve_group(problem, state, g, max_split):
    """Try merge, relocation and split moves around group g; apply the first improvement."""
    members = state.groups[g]
    cg = state.cost[g]
    adj = state.adjacent_groups(g)
    # merges
    for h in adj:
        union = frozenset(members | state.groups[h])
        delta = problem.cost(union) - cg - state.cost[h]
        if delta < -1e-12:
            state.set_group(g, union)
            state.set_group(h, set())
            return {g}
    # relocations of g's boundary members into adjacent groups
    for i in list(members):
        targets = {int(state.label[j]) for j in problem.neighbours[i]} - {g}
        if not targets:
            continue
        rest = members - {i}
        if rest and not problem.is_connected(rest):
            continue
        c_rest = problem.cost(frozenset(rest)) if rest else 0.0
        for h in targets:
            new_h = frozenset(state.groups[h] | {i})
            delta = c_rest + problem.cost(new_h) - cg - state.cost[h]
            if delta < -1e-12:
                state.set_group(g, rest)
                state.set_group(h, new_h)
                return {g, h}
    # relocations of adjacent groups' members into g
    for h in adj:
        hm = state.groups[h]
        for i in list(hm):
            if not any(state.label[j] == g for j in problem.neighbours[i]):
                continue
            rest = hm - {i}
            if rest and not problem.is_connected(rest):
                continue
            new_g = frozenset(members | {i})
            delta = (problem.cost(frozenset(rest)) if rest else 0.0) + problem.cost(new_g) \
                - cg - state.cost[h]
            if delta < -1e-12:
                state.set_group(h, rest)
                state.set_group(g, new_g)
                return {g, h}
    # splits into two connected parts
    if 2 <= len(members) <= max_split:
        mem = sorted(members)
        first, others = mem[0], mem[1:]
        for r in range(0, len(others)):
            for extra in itertools.combinations(others, r):
                part = frozenset((first, *extra))
                rest = frozenset(members - part)
                if not rest or not problem.is_connected(part) or not problem.is_connected(rest):
                    continue
                delta = problem.cost(part) + problem.cost(rest) - cg
                if delta < -1e-12:
                    state.set_group(g, part)
                    h = state.next_id
                    state.next_id += 1
                    state.set_group(h, rest)
                    return {g, h}
    return set()


def _repartition(problem, state, g, max_units, seen):
    """Re-partition g with one or two adjacent groups exactly (a large neighbourhood)."""
    members = state.groups[g]
    cg = state.cost[g]
    adj_list = sorted(state.adjacent_groups(g))
    combos = [(h,) for h in adj_list] + [(h1, h2) for i, h1 in enumerate(adj_list)
                                         for h2 in adj_list[i + 1:]]
    for combo in combos:
        union = set(members)
        for h in combo:
            union |= state.groups[h]
        if len(union) > max_units:
            continue
        key = frozenset([frozenset(members), *(frozenset(state.groups[h]) for h in combo)])
        if key in seen:
            continue
        seen.add(key)
        before = cg + sum(state.cost[h] for h in combo)
        best = _exact_on_sets(problem, sorted(union), 1, 20_000, bound=before - 1e-9)
        if best and best[0][0] < before - 1e-9:
            parts = [frozenset(x) for x in best[0][1]]
            ids = [g, *combo]
            for gid in ids:
                state.set_group(gid, set())
            for k, part in enumerate(parts):
                if k < len(ids):
                    gid = ids[k]
                else:
                    gid = state.next_id
                    state.next_id += 1
                state.set_group(gid, part)
            return set(ids) | {state.label[next(iter(part))] for part in parts}
    return set()


def solve_heuristic(problem: GroupProblem, n_best: int = 3, restarts: int = 12, seed: int = 0,
                    time_limit_s: float = math.inf, progress=None) -> list[tuple[float, tuple]]:
    """Best ``n_best`` distinct partitions found by randomised construction + local search.

    Each restart grows groups from random seeds until the floor is met (respecting
    the ceilings), then improves by merging adjacent groups, relocating border
    municipalities (keeping every group contiguous) and splitting groups in two
    until no such move lowers the score; then re-partitions each group together
    with one or two adjacent groups exactly (branch and bound, up to 10
    municipalities) and repeats.  Restarts stop after ``time_limit_s`` (the first
    always completes).  When fewer than ``n_best`` distinct partitions were found,
    the best one's cheapest single relocations fill the list.  Returns
    ``(score, canonical_partition)`` sorted best first.
    """
    rng = np.random.default_rng(seed)
    found: dict[tuple, float] = {}
    start = time.perf_counter()
    deadline = start + time_limit_s
    tries = max(1, int(restarts))
    k = 0
    best_state = None
    seen: set = set()     # group combinations already re-partitioned optimally
    while k < tries:
        if k >= 1 and time.perf_counter() > deadline:
            break
        label = _construct(problem, rng)
        state = _State(problem, label)
        _local_search(problem, state, rng, deadline=deadline if k else math.inf, seen=seen)
        part = canonical(frozenset(m) for m in state.groups.values())
        found[part] = state.total()
        if best_state is None or found[part] < best_state.total():
            best_state = state
        k += 1
        report_progress(progress, min(0.99, k / tries), f"search {k}/{tries}")
    if len(found) < n_best and best_state is not None:
        for score, part in _relocation_variants(problem, best_state, n_best):
            found.setdefault(part, score)
    best = sorted((s, p) for p, s in found.items())
    return best[:n_best]


def _relocation_variants(problem, state, n):
    """The ``n`` cheapest partitions one contiguous relocation away from ``state``."""
    base = state.total()
    out = []
    for g, members in state.groups.items():
        for i in members:
            rest = members - {i}
            if rest and not problem.is_connected(rest):
                continue
            c_rest = problem.cost(frozenset(rest)) if rest else 0.0
            for h in {int(state.label[j]) for j in problem.neighbours[i]} - {g}:
                new_h = frozenset(state.groups[h] | {i})
                delta = c_rest + problem.cost(new_h) - state.cost[g] - state.cost[h]
                out.append((delta, g, i, h))
    out.sort()
    variants = []
    for delta, g, i, h in out[:n]:
        groups = {k: set(v) for k, v in state.groups.items()}
        groups[g].discard(i)
        groups[h].add(i)
        variants.append((base + delta, canonical(frozenset(v) for v in groups.values() if v)))
    return variants


def solve(problem: GroupProblem, n_best: int = 3, exact_max_units: int = 10, restarts: int = 12,
          seed: int = 0, method: str = "auto", time_limit_s: float = math.inf,
          progress=None) -> tuple[list, str]:
    """Pick the exact search for small problems, the heuristic otherwise.

    Returns ``(solutions, method_used)``; solutions as in ``solve_heuristic``.
    """
    if method not in ("auto", "exact", "heuristic"):
        raise ValueError("method must be 'auto', 'exact' or 'heuristic'")
    if method == "exact" or (method == "auto" and problem.n <= exact_max_units):
        sols = solve_exact(problem, n_best=n_best, progress=progress,
                           budget=500_000 if method == "auto" else 50_000_000)
        if sols is not None:
            return sols, "exact"
    return solve_heuristic(problem, n_best=n_best, restarts=restarts, seed=seed,
                           time_limit_s=time_limit_s, progress=progress), "heuristic"
