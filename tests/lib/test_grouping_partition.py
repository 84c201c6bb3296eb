"""The objective, and the searches checked against an independent exhaustive search."""
from __future__ import annotations

import numpy as np
import pytest

from gunmane_geo.grouping.partition import (
    GroupProblem, evaluate, groups_to_labels, solve_exact, solve_heuristic, subset_tables)


def _set_partitions(items):
    """Every partition of ``items`` (Bell number many), independent of the library."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        yield [[first]] + part
        for k in range(len(part)):
            yield part[:k] + [[first] + part[k]] + part[k + 1:]


def _connected(group, nbrs):
    group = set(group)
    seen, stack = set(), [next(iter(group))]
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        stack.extend(v for v in nbrs[u] if v in group)
    return seen == group


def _objective_by_hand(groups, staff, work, bridges, t, min_staff, min_bridges, max_members,
                       max_travel, lam):
    """The documented formula, written out plainly (docs/grouping.md)."""
    n, S, W = len(staff), sum(staff), sum(work)
    bal = tr = vi = 0.0
    for g in groups:
        s = sum(staff[i] for i in g)
        w = sum(work[i] for i in g)
        b = sum(bridges[i] for i in g)
        d = max([t[i][j] for i in g for j in g] + [0.0])
        bal += 0.5 * abs(w / W - s / S)
        tr += len(g) / n * d / max_travel
        if min_staff > 0:
            vi += max(0.0, min_staff - s) / min_staff
        if min_bridges > 0:
            vi += max(0.0, min_bridges - b) / min_bridges
        vi += max(0, len(g) - max_members)
        if d > max_travel:
            vi += min(10.0, (d - max_travel) / max_travel)
    return bal + lam * tr + 1000.0 * vi


def _random_problem(seed, n=8, min_staff=5, max_members=4, max_travel=40.0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 30_000, (n, 2))
    # neighbours: Delaunay-like via k nearest (symmetrised), always connected by a chain
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    nbrs = [set() for _ in range(n)]
    for i in range(n):
        for j in np.argsort(d[i])[1:3]:
            nbrs[i].add(int(j))
            nbrs[int(j)].add(i)
    order = np.argsort(xy[:, 0])
    for a, b in zip(order[:-1], order[1:]):
        nbrs[a].add(int(b))
        nbrs[b].add(int(a))
    t = d * 1.3 / (40_000 / 60)
    staff = rng.integers(0, 6, n).astype(float)
    work = rng.uniform(0, 1, n)
    bridges = rng.integers(0, 40, n).astype(float)
    p = GroupProblem([sorted(s) for s in nbrs], staff, work, bridges, t, min_staff=min_staff,
                     min_bridges=10, max_members=max_members, max_travel_min=max_travel, travel_weight=0.5)
    return p, nbrs, staff, work, bridges, t


def test_objective_matches_a_hand_computation():
    # 3 units in a chain 0-1-2; groups {0,1}, {2}
    t = np.array([[0, 20, 50], [20, 0, 30], [50, 30, 0]], dtype=float)
    p = GroupProblem([[1], [0, 2], [1]], staff=[2, 4, 4], workload=[0.5, 0.25, 0.25],
                     bridges=[10, 5, 5], travel_min=t, min_staff=5, min_bridges=0, max_members=2,
                     max_travel_min=60, travel_weight=0.5)
    ev = evaluate(p, [0, 0, 1])
    # balance: 1/2 (|0.75 - 0.6| + |0.25 - 0.4|) = 0.15
    # travel: 2/3 * 20/60 + 1/3 * 0 = 0.2222..
    # violation: group {2} has 4 staff < 5 -> (5 - 4) / 5 = 0.2
    assert ev["balance"] == pytest.approx(0.15)
    assert ev["travel"] == pytest.approx(2 / 9)
    assert ev["violation"] == pytest.approx(0.2)
    assert ev["objective"] == pytest.approx(0.15 + 0.5 * 2 / 9)
    assert ev["score"] == pytest.approx(0.15 + 1 / 9 + 200.0)
    assert ev["contiguous"]
    # {0, 2} is not contiguous (0 and 2 are not neighbours)
    assert not evaluate(p, [0, 1, 0])["contiguous"]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_exact_and_heuristic_match_exhaustive_search(seed):
    p, nbrs, staff, work, bridges, t = _random_problem(seed)
    scored = []
    for part in _set_partitions(list(range(p.n))):
        if all(_connected(g, nbrs) for g in part):
            scored.append((_objective_by_hand(part, staff, work, bridges, t, 5, 10, 4, 40.0, 0.5),
                           tuple(sorted(tuple(sorted(g)) for g in part))))
    scored.sort()
    best3 = [s for s, _ in scored[:3]]
    exact = solve_exact(p, n_best=3)
    assert [s for s, _ in exact] == pytest.approx(best3)
    assert exact[0][1] == scored[0][1] or exact[0][0] == pytest.approx(scored[1][0])
    heur = solve_heuristic(p, n_best=3, restarts=12, seed=seed)
    assert heur[0][0] == pytest.approx(best3[0])
    for score, part in heur:
        assert all(_connected(g, nbrs) for g in part)
        assert sorted(i for g in part for i in g) == list(range(p.n))
        labels = groups_to_labels([frozenset(g) for g in part], p.n)
        assert evaluate(p, labels)["score"] == pytest.approx(score)


def test_infeasible_floor_is_reported_as_violation_not_hidden():
    p, *_ = _random_problem(5, min_staff=1000)
    best = solve_exact(p, n_best=1)[0]
    labels = groups_to_labels([frozenset(g) for g in best[1]], p.n)
    ev = evaluate(p, labels)
    assert ev["violation"] > 0
    # least violation: the biggest groups the ceiling allows
    assert max(len(g) for g in best[1]) == 4


def test_heuristic_is_contiguous_on_a_larger_grid():
    # speed is measured in benchmarks/bench_grouping.py, not here
    n_side = 15
    n = n_side * n_side
    xy = np.array([(i % n_side, i // n_side) for i in range(n)], dtype=float) * 8_000
    nbrs = [[j for j in range(n) if abs(xy[i] - xy[j]).sum() == 8_000] for i in range(n)]
    rng = np.random.default_rng(0)
    t = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) * 1.3 / (40_000 / 60)
    p = GroupProblem(nbrs, rng.integers(0, 6, n), rng.uniform(0, 1, n), rng.integers(0, 50, n), t,
                     min_staff=5, max_members=5, max_travel_min=60)
    sols = solve_heuristic(p, n_best=3, restarts=4, seed=0)
    assert len(sols) == 3 and sols[0][0] <= sols[1][0] <= sols[2][0]
    for _, part in sols:
        assert sorted(i for g in part for i in g) == list(range(n))
        assert all(_connected(g, nbrs) for g in part)
        assert all(len(g) <= 5 for g in part)


@pytest.mark.parametrize("n", [8, 13])
def test_subset_tables_equal_the_hand_formula_for_every_subset(n):
    p, nbrs, staff, work, bridges, t = _random_problem(7 + n, n=n)
    units = list(range(n))[::-1]             # bit k of a mask is units[k]
    tab = subset_tables(p, units)
    assert len(tab["cost"]) == 2 ** n
    for mask in range(1, 2 ** n):
        group = [units[k] for k in range(n) if mask >> k & 1]
        conn = _connected(group, nbrs)
        assert bool(tab["connected"][mask]) == conn, group
        assert tab["size"][mask] == len(group)
        assert tab["staff"][mask] == pytest.approx(sum(staff[i] for i in group))
        assert tab["diam"][mask] == pytest.approx(max(t[i][j] for i in group for j in group))
        if conn:
            hand = _objective_by_hand([group], staff, work, bridges, t, 5, 10, 4, 40.0, 0.5)
            assert tab["cost"][mask] == pytest.approx(hand, abs=1e-9)
        else:
            assert tab["cost"][mask] == np.inf
    assert not tab["connected"][0]
