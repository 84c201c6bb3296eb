"""Compiled graph kernels (numba when installed, the same code in plain Python otherwise).

All kernels work on CSR adjacency arrays:

* ``indptr`` (n+1,), ``head`` (a,), ``arc_edge`` (a,): the arcs leaving node ``i`` are
  ``head[indptr[i]:indptr[i+1]]``; ``arc_edge`` gives the edge id of each arc, so
  weights are looked up per *edge* (``w[arc_edge[k]]``) and an edge is removed by
  setting ``mask[edge] = True``.  Parallel edges are separate arcs.

Work arrays are allocated by the caller (in Python) so that memory use is visible
and so that repeated queries reuse them: a query touches only the nodes it reaches
and resets only those, so its cost does not grow with the size of the graph.
"""
from __future__ import annotations

import numpy as np

try:  # numba is optional: without it the kernels run as (slow) plain Python
    from numba import njit
    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without numba
    HAVE_NUMBA = False

    def njit(*args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return lambda f: f

INF = np.inf


# --- CSR adjacency ---------------------------------------------------------------
@njit(cache=True, nogil=True)
def _counting_order(tail, indptr):
    order = np.empty(len(tail), np.int64)
    nxt = indptr[:-1].copy()
    for i in range(len(tail)):
        t = tail[i]
        order[nxt[t]] = i
        nxt[t] += 1
    return order


def stable_order_by(tail: np.ndarray, n: int):
    """``(indptr, order)``: ``order`` lists positions by ``tail`` (0..n-1), ties in input
    order, exactly as ``np.argsort(tail, kind="stable")``; a counting sort, O(len + n)."""
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    if not HAVE_NUMBA:              # pragma: no cover - exercised only without numba
        return indptr, np.argsort(tail, kind="stable")
    return indptr, _counting_order(np.ascontiguousarray(tail, np.int64), indptr)


# --- binary heap on parallel arrays (lazy deletion) -------------------------
@njit(cache=True, nogil=True)
def _heap_push(hk, hv, size, key, val):
    i = size
    hk[i] = key
    hv[i] = val
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] <= hk[i]:
            break
        tk = hk[p]; hk[p] = hk[i]; hk[i] = tk
        tv = hv[p]; hv[p] = hv[i]; hv[i] = tv
        i = p
    return size + 1


@njit(cache=True, nogil=True)
def _heap_pop(hk, hv, size):
    """Remove the root; returns the new size (the root is read by the caller first)."""
    size -= 1
    hk[0] = hk[size]
    hv[0] = hv[size]
    i = 0
    while True:
        l = 2 * i + 1
        if l >= size:
            break
        c = l
        r = l + 1
        if r < size and hk[r] < hk[l]:
            c = r
        if hk[i] <= hk[c]:
            break
        tk = hk[c]; hk[c] = hk[i]; hk[i] = tk
        tv = hv[c]; hv[c] = hv[i]; hv[i] = tv
        i = c
    return size


# --- point-to-point: bidirectional Dijkstra with early exit -----------------
@njit(cache=True, nogil=True)
def bidir_dijkstra(s, t, f_indptr, f_head, f_edge, b_indptr, b_head, b_edge, w, mask,
                   distf, distb, touched_f, touched_b, hfk, hfv, hbk, hbv, predf, predb, meet):
    """Shortest s->t distance over edges with ``mask == False`` (``inf`` if none).

    ``distf``/``distb`` must be all ``inf`` on entry and are all ``inf`` again on
    exit.  Search stops when the two frontiers' smallest keys sum to at least the
    best s-t distance found so far (the classic stopping rule; weights >= 0).

    ``predf``/``predb`` (int64, n) receive the edge by which each node touched by the
    forward/backward search was reached; ``meet`` (int64, 3) receives the best route's
    meeting arc ``(a, e, b)``: the route is s ..predf.. a, edge e, b ..predb.. t
    (``e = -1`` and ``a = b`` when s == t; ``a = -1`` when there is no route).  Only
    the entries of touched nodes are written, so nothing needs resetting.
    """
    meet[0] = -1
    meet[1] = -1
    meet[2] = -1
    if s == t:
        meet[0] = s
        meet[2] = s
        return 0.0
    nf = 0
    nb = 0
    sf = 0
    sb = 0
    distf[s] = 0.0
    predf[s] = -1
    touched_f[nf] = s; nf += 1
    sf = _heap_push(hfk, hfv, sf, 0.0, s)
    distb[t] = 0.0
    predb[t] = -1
    touched_b[nb] = t; nb += 1
    sb = _heap_push(hbk, hbv, sb, 0.0, t)
    mu = INF
    while sf > 0 and sb > 0:
        if hfk[0] + hbk[0] >= mu:
            break
        if hfk[0] <= hbk[0]:
            d = hfk[0]; x = hfv[0]
            sf = _heap_pop(hfk, hfv, sf)
            if d > distf[x]:
                continue
            for k in range(f_indptr[x], f_indptr[x + 1]):
                e = f_edge[k]
                if mask[e]:
                    continue
                y = f_head[k]
                nd = d + w[e]
                if nd < distf[y]:
                    if distf[y] == INF:
                        touched_f[nf] = y; nf += 1
                    distf[y] = nd
                    predf[y] = e
                    sf = _heap_push(hfk, hfv, sf, nd, y)
                if distb[y] < INF:
                    c = nd + distb[y]
                    if c < mu:
                        mu = c
                        meet[0] = x; meet[1] = e; meet[2] = y
        else:
            d = hbk[0]; x = hbv[0]
            sb = _heap_pop(hbk, hbv, sb)
            if d > distb[x]:
                continue
            for k in range(b_indptr[x], b_indptr[x + 1]):
                e = b_edge[k]
                if mask[e]:
                    continue
                y = b_head[k]
                nd = d + w[e]
                if nd < distb[y]:
                    if distb[y] == INF:
                        touched_b[nb] = y; nb += 1
                    distb[y] = nd
                    predb[y] = e
                    sb = _heap_push(hbk, hbv, sb, nd, y)
                if distf[y] < INF:
                    c = nd + distf[y]
                    if c < mu:
                        mu = c
                        meet[0] = y; meet[1] = e; meet[2] = x
    for i in range(nf):
        distf[touched_f[i]] = INF
    for i in range(nb):
        distb[touched_b[i]] = INF
    return mu


@njit(cache=True, nogil=True)
def _trace_route(s, t, eu, ev, predf, predb, meet, buf, pos):
    """Write the edges of the route found by ``bidir_dijkstra`` into ``buf[pos:]`` (s to t).

    Returns the new end position, or -1 when ``buf`` is too small.
    """
    a = meet[0]
    if a < 0 or meet[1] < 0:
        return pos
    # forward half: a back to s, written reversed in place
    start = pos
    x = a
    while x != s:
        e = predf[x]
        if pos >= buf.shape[0]:
            return -1
        buf[pos] = e; pos += 1
        x = eu[e] + ev[e] - x
    i = start
    j = pos - 1
    while i < j:
        tmp = buf[i]; buf[i] = buf[j]; buf[j] = tmp
        i += 1; j -= 1
    if pos >= buf.shape[0]:
        return -1
    buf[pos] = meet[1]; pos += 1
    x = meet[2]
    while x != t:
        e = predb[x]
        if pos >= buf.shape[0]:
            return -1
        buf[pos] = e; pos += 1
        x = eu[e] + ev[e] - x
    return pos


@njit(cache=True, nogil=True)
def batch_avoiding(sources, targets, q_ptr, q_edges, f_indptr, f_head, f_edge, b_indptr,
                   b_head, b_edge, w, mask, out, distf, distb, touched_f, touched_b,
                   hfk, hfv, hbk, hbv, predf, predb, eu, ev, want_paths, path_buf, path_ptr):
    """For each query i: ``out[i]`` = shortest sources[i] -> targets[i] without the edges
    ``q_edges[q_ptr[i]:q_ptr[i+1]]`` (the query's own removals).

    Edges already set in ``mask`` stay removed for every query (a scenario); ``mask``
    is the same on exit.  With ``want_paths`` the route's edges (from source to
    target) are written to ``path_buf[path_ptr[i]:path_ptr[i+1]]``; returns the number
    written, or -1 when ``path_buf`` is too small (call again with a larger one).
    """
    meet = np.empty(3, np.int64)
    pos = 0
    path_ptr[0] = 0
    for i in range(sources.shape[0]):
        lo = q_ptr[i]
        hi = q_ptr[i + 1]
        was = np.empty(hi - lo, np.bool_)
        for k in range(lo, hi):
            was[k - lo] = mask[q_edges[k]]
            mask[q_edges[k]] = True
        out[i] = bidir_dijkstra(sources[i], targets[i], f_indptr, f_head, f_edge, b_indptr,
                                b_head, b_edge, w, mask, distf, distb, touched_f, touched_b,
                                hfk, hfv, hbk, hbv, predf, predb, meet)
        for k in range(hi - 1, lo - 1, -1):
            mask[q_edges[k]] = was[k - lo]
        if want_paths and pos >= 0:
            if out[i] < INF:
                pos = _trace_route(sources[i], targets[i], eu, ev, predf, predb, meet,
                                   path_buf, pos)
            if pos >= 0:
                path_ptr[i + 1] = pos
    return pos


# --- one-to-all (multi-source) Dijkstra with predecessor edges ----------------
@njit(cache=True, nogil=True)
def multi_source_dijkstra(sources, indptr, head, arc_edge, w, mask, dist, pred_edge, origin,
                          hk, hv):
    """Dijkstra from all ``sources`` at once (distance 0 each).

    Fills ``dist`` (inf where unreachable), ``pred_edge`` (the edge used to reach each
    node, -1 for sources/unreached) and ``origin`` (the source each node is nearest to).
    """
    n = dist.shape[0]
    for i in range(n):
        dist[i] = INF
        pred_edge[i] = -1
        origin[i] = -1
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        if dist[s] > 0.0:
            dist[s] = 0.0
            origin[s] = s
            size = _heap_push(hk, hv, size, 0.0, s)
    while size > 0:
        d = hk[0]; x = hv[0]
        size = _heap_pop(hk, hv, size)
        if d > dist[x]:
            continue
        for k in range(indptr[x], indptr[x + 1]):
            e = arc_edge[k]
            if mask[e]:
                continue
            y = head[k]
            nd = d + w[e]
            if nd < dist[y]:
                dist[y] = nd
                pred_edge[y] = e
                origin[y] = origin[x]
                size = _heap_push(hk, hv, size, nd, y)


# --- 2-edge-connectivity in one pass: Tarjan's bridges with subtree sums -------
@njit(cache=True, nogil=True)
def tarjan_bridges(indptr, head, arc_edge, n_edges, node_values):
    """Cut edges (graph bridges) of an undirected multigraph and subtree sums, in O(V+E).

    Parameters
    ----------
    node_values : float64 (n, k)
        Values summed over DFS subtrees (e.g. 1 per node, population, facility counts).

    Returns
    -------
    comp : int64 (n,)   connected component of each node (numbered in DFS order)
    pre : int64 (n,)    preorder number; component c holds a contiguous preorder range
    size : int64 (n,)   number of nodes in the DFS subtree of each node
    sub : float64 (n,k) subtree sums of ``node_values``
    cut_child : int64 (n_edges,)  for a cut edge, its endpoint farther from the DFS root
                (removing the edge separates exactly that node's subtree); -1 otherwise
    comp_start : int64 (n_comp+1,) preorder start of each component

    Parallel edges are handled by skipping only the *arc* of the tree edge used to
    enter a node (by edge id), so two parallel edges are never bridges.
    """
    n = indptr.shape[0] - 1
    k = node_values.shape[1]
    pre = np.full(n, -1, np.int64)
    low = np.zeros(n, np.int64)
    size = np.ones(n, np.int64)
    comp = np.full(n, -1, np.int64)
    sub = node_values.copy()
    cut_child = np.full(n_edges, -1, np.int64)
    parent_edge = np.full(n, -1, np.int64)
    parent = np.full(n, -1, np.int64)
    next_arc = np.zeros(n, np.int64)
    stack = np.empty(n, np.int64)
    comp_start = np.empty(n + 1, np.int64)
    counter = 0
    n_comp = 0
    for r in range(n):
        if pre[r] >= 0:
            continue
        comp_start[n_comp] = counter
        top = 0
        stack[0] = r
        pre[r] = counter; low[r] = counter; counter += 1
        comp[r] = n_comp
        next_arc[r] = indptr[r]
        while top >= 0:
            x = stack[top]
            if next_arc[x] < indptr[x + 1]:
                a = next_arc[x]
                next_arc[x] = a + 1
                e = arc_edge[a]
                if e == parent_edge[x]:
                    continue
                y = head[a]
                if pre[y] < 0:
                    pre[y] = counter; low[y] = counter; counter += 1
                    comp[y] = n_comp
                    parent[y] = x
                    parent_edge[y] = e
                    next_arc[y] = indptr[y]
                    top += 1
                    stack[top] = y
                else:
                    if pre[y] < low[x]:
                        low[x] = pre[y]
            else:
                top -= 1
                p = parent[x]
                if p >= 0:
                    if low[x] < low[p]:
                        low[p] = low[x]
                    size[p] += size[x]
                    for j in range(k):
                        sub[p, j] += sub[x, j]
                    if low[x] > pre[p]:
                        cut_child[parent_edge[x]] = x
        n_comp += 1
    comp_start[n_comp] = counter
    return comp, pre, size, sub, cut_child, comp_start[:n_comp + 1].copy()


# --- connected components of a node subset with some edges removed -----------
@njit(cache=True, nogil=True)
def label_components(scope_nodes, indptr, head, arc_edge, mask, label, queue):
    """Label the nodes in ``scope_nodes`` by connected component, ignoring masked edges.

    ``label`` must be -1 for the scope nodes on entry; nodes outside the scope must
    not be reachable from it (pass whole original components).  Returns the count.
    """
    n_lab = 0
    for i in range(scope_nodes.shape[0]):
        r = scope_nodes[i]
        if label[r] >= 0:
            continue
        label[r] = n_lab
        qh = 0
        qt = 1
        queue[0] = r
        while qh < qt:
            x = queue[qh]; qh += 1
            for a in range(indptr[x], indptr[x + 1]):
                if mask[arc_edge[a]]:
                    continue
                y = head[a]
                if label[y] < 0:
                    label[y] = n_lab
                    queue[qt] = y; qt += 1
        n_lab += 1
    return n_lab


# --- road links: the stretch between two junctions that carries an edge ---------
@njit(cache=True, nogil=True)
def _walk_to_junction(x, prev, start_edge, indptr, head, arc_edge, line_id, same_line,
                      buf, n, max_steps):
    """Walk from node ``x`` (entered by edge ``prev``) through nodes of degree 2.

    Appends the edges walked to ``buf[n:]``; returns ``(end node, new n, looped)`` where
    ``looped`` means the walk came back to ``start_edge`` (a cycle without a junction).
    With ``same_line`` the walk also stops where the next edge belongs to another road
    line than ``start_edge`` (``line_id``).  ``n == -1`` on return: ``buf`` is too small.
    """
    steps = 0
    while steps < max_steps:
        steps += 1
        k0 = indptr[x]
        if indptr[x + 1] - k0 != 2:
            return x, n, False
        e0 = arc_edge[k0]
        e1 = arc_edge[k0 + 1]
        if e0 == prev and e1 == prev:          # a self-loop hanging at x
            return x, n, False
        k = k0 + 1 if e0 == prev else k0
        f = arc_edge[k]
        if f == start_edge:
            return x, n, True
        if same_line and line_id[f] != line_id[start_edge]:
            return x, n, False
        if n >= len(buf):
            return x, -1, False
        buf[n] = f
        n += 1
        x = head[k]
        prev = f
    return x, n, True


@njit(cache=True, nogil=True)
def road_links(edge_ids, eu, ev, indptr, head, arc_edge, line_id, a_out, b_out, looped_out,
               ptr, buf):
    """The road link of each edge: walk from both ends through nodes of degree 2.

    For edge ``e = edge_ids[i]`` the link runs from junction ``a_out[i]`` (reached from
    ``eu[e]``) over ``e`` to junction ``b_out[i]`` (reached from ``ev[e]``); a junction is
    a node whose degree in the CSR is not 2 (a dead end is one too).  When the walk goes
    round a cycle that has no junction, the link is the stretch of the edge's own road
    line (``line_id``) and ``looped_out[i]`` is True.  The link's edges are
    ``buf[ptr[i]:ptr[i+1]]``: the ``a`` side walked outwards (nearest first), then ``e``,
    then the ``b`` side.  Returns the number of entries used, or -1 when ``buf`` is too
    small (the caller grows it and calls again).
    """
    n = 0
    m = len(edge_ids)
    max_steps = len(eu) + 1
    for i in range(m):
        e = edge_ids[i]
        ptr[i] = n
        looped = False
        for attempt in range(2):
            same_line = attempt == 1
            n0 = n
            a, n, la = _walk_to_junction(eu[e], e, e, indptr, head, arc_edge, line_id,
                                         same_line, buf, n, max_steps)
            if n < 0:
                return -1
            if la and not same_line:
                n = n0
                looped = True
                continue
            if n >= len(buf):
                return -1
            buf[n] = e
            n += 1
            b, n, lb = _walk_to_junction(ev[e], e, e, indptr, head, arc_edge, line_id,
                                         same_line, buf, n, max_steps)
            if n < 0:
                return -1
            if lb and not same_line:
                n = n0
                looped = True
                continue
            a_out[i] = a
            b_out[i] = b
            break
        looped_out[i] = looped
    ptr[m] = n
    return n
