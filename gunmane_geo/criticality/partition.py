"""Partitioned criticality: the route searches of ``bridge_criticality`` part by part on Dask.

``partitioned_criticality(network, ...)`` gives the same table as ``bridge_criticality``
(bridge for bridge), with the alternative-route searches, the expensive step, run as one
Dask task per part (a grid cell or a prefecture) on a sub-network: the part's roads plus a
halo ``[criticality] partition_halo_m`` wide.  What stays whole-network, in the calling
process: isolation (one Tarjan pass, O(V+E): a cut inside a halo is not necessarily a
cut of the whole network, so it is never decided on a part) and the road links (the
junctions of each bridge's link).

A route found inside a part is **certified** when no route leaving the part's box can be
shorter: every edge is at least as long as the straight line between its ends, so a
route from junction ``a`` to ``b`` that leaves the box is at least
``d(a, boundary) + d(b, boundary)`` long (in minutes: that over the fastest speed of the
mode).  A route not certified (longer than that bound, or none inside the part) is
recomputed on the whole network, never cut short.  See docs/criticality.md
"Partitioned runs".

Each part's result is written to ``checkpoint_dir`` as it finishes (temporary name, then
renamed) with a fingerprint of its inputs; a rerun with the same inputs reuses it.
The Dask client helpers (``require_dask``, ``open_client``, ``close_client``) live in
``gunmane_geo.distributed``, shared with the scenario sweeps; they are importable from here.
"""
from __future__ import annotations

import hashlib
import io
import os
import resource
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..distributed import close_client, open_client, write_atomically
from ..errors import InputError, report_progress
from ..network.graph import Network
from ..progress import Progress
from ..settings import Settings
from .routes import RoadLinks, alternative_routes

PARTITIONS = ("grid", "prefecture")


def part_labels(network: Network, nodes: np.ndarray, partition: str, *,
                settings: Settings | None = None, municipalities=None) -> np.ndarray:
    """The part (str label) of each of ``nodes``.

    ``"grid"``: square cells ``[criticality] partition_cell_m`` metres wide;
    ``"prefecture"``: the prefecture (first two digits of ``municipality_code``) whose
    municipality polygon holds the node, or the nearest one.
    """
    settings = settings or network.settings
    xy = network.node_xy()[nodes]
    if partition == "grid":
        cell = float(settings.criticality.partition_cell_m)
        if not cell > 0:
            raise InputError(f"[criticality] partition_cell_m must be > 0 metres, not {cell}",
                             source="settings")
        ix = np.floor(xy[:, 0] / cell).astype(np.int64)
        iy = np.floor(xy[:, 1] / cell).astype(np.int64)
        return np.array([f"g{a}_{b}" for a, b in zip(ix, iy)], dtype=object)
    if partition == "prefecture":
        import geopandas as gpd
        if municipalities is None or len(municipalities) == 0 \
                or "municipality_code" not in municipalities.columns:
            raise InputError("--partition prefecture needs municipal boundaries with "
                             "municipality_code (N03_007); fix: name the N03 file as "
                             "[inputs] municipalities in --config run.toml, or use "
                             "--partition grid", source="command line")
        m = municipalities.to_crs(network.crs)
        pref = m["municipality_code"].astype(str).str[:2]
        prefs = gpd.GeoDataFrame({"pref": pref}, geometry=m.geometry.values, crs=m.crs)
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
                               crs=network.crs)
        hit = gpd.sjoin_nearest(pts, prefs, how="left")
        hit = hit[~hit.index.duplicated(keep="first")]
        return ("p" + hit["pref"].astype(str)).reindex(pts.index).to_numpy(object)
    raise InputError(f"unknown partition {partition!r}: use one of {', '.join(PARTITIONS)}",
                     source="command line")


def part_routes(n_nodes, u, v, weight, oneway, directed, mode, sources, targets, edges):
    """One part's searches (a Dask task): the route ``sources[i] -> targets[i]`` without
    edge ``edges[i]`` on the sub-network ``(u, v, weight, oneway)`` (local ids).

    Returns ``(costs, peak_rss_bytes, pid)``: the costs (``inf`` where none inside the
    part) and the worker's peak resident memory so far.
    """
    edges_df = pd.DataFrame({"u": u, "v": v, "oneway": oneway})
    sub = Network(nodes=pd.DataFrame(index=pd.RangeIndex(int(n_nodes))), edges=edges_df,
                  crs=None, directed=bool(directed))
    m = len(edges)
    links = RoadLinks(np.asarray(edges, np.int64), np.asarray(sources, np.int64),
                      np.asarray(targets, np.int64), np.zeros(m + 1, np.int64),
                      np.zeros(0, np.int64), np.zeros(m, bool))
    costs = alternative_routes(sub, links.edge_ids, np.ascontiguousarray(weight, float),
                               mode="all" if mode == "motor" else "walk", links=links) \
        if m else np.zeros(0)
    return costs, _peak_memory(), os.getpid()


def _peak_memory() -> int:
    """Peak resident memory of this process in bytes: VmHWM (reset when a worker process
    starts, unlike ru_maxrss, which a spawned process inherits from its parent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


class PartitionedRoutes:
    """``routes`` for ``bridge_criticality``: the searches part by part on a Dask client.

    Parameters
    ----------
    client : distributed.Client
    labels : dict
        Node id -> part label for every bridge edge's ``u`` node (``part_labels``).
    halo_m : float
        Margin around each part's box, metres.
    checkpoint_dir : path, optional
        Where each part's result is written as it finishes (reused by a rerun).
    """

    def __init__(self, client, labels: dict, *, halo_m: float, checkpoint_dir=None):
        self.client = client
        self.labels = labels
        self.halo_m = float(halo_m)
        self.checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir else None
        self.stats = []          # one dict per part and search round

    def __call__(self, network: Network, edge_ids, weight="length_m", *, progress=None,
                 progress_span=(0.0, 1.0), mode="motor", links: RoadLinks | None = None):
        edge_ids = np.asarray(edge_ids, np.int64)
        out = np.full(len(edge_ids), np.inf)
        if not len(edge_ids):
            return out
        if links is None:
            from .routes import road_links
            links = road_links(network, edge_ids, mode)
        lo, hi = progress_span
        xy = network.node_xy()
        eu, ev = network.uv()
        w = network.weight(weight)
        allowed = network.mode_edges(mode)
        oneway = (network.edge_table["oneway"].fillna(False).to_numpy(bool)
                  if network.directed and mode == "motor" else np.zeros(network.n_edges, bool))
        if weight == "length_m":
            per_m = 1.0
        else:                               # minutes: straight line over the fastest speed
            ok = allowed & (w > 0)
            per_m = 1.0 / float(np.max(network.weight("length_m")[ok] / w[ok])) \
                if ok.any() else 0.0
        lab = np.array([self.labels[int(x)] for x in eu[edge_ids]], dtype=object)
        parts = {}
        for key in pd.unique(lab):
            q = np.flatnonzero(lab == key)
            a, b = links.a[q], links.b[q]
            pts = np.vstack([xy[a], xy[b], xy[eu[edge_ids[q]]], xy[ev[edge_ids[q]]]])
            box = (pts[:, 0].min() - self.halo_m, pts[:, 1].min() - self.halo_m,
                   pts[:, 0].max() + self.halo_m, pts[:, 1].max() + self.halo_m)
            inbox = ((xy[:, 0] >= box[0]) & (xy[:, 0] <= box[2])
                     & (xy[:, 1] >= box[1]) & (xy[:, 1] <= box[3]))
            # every edge with an end inside the box: a route that is not in the part
            # reaches a node outside the box
            sel = np.flatnonzero(allowed & (inbox[eu] | inbox[ev]))
            nodes, local = np.unique(np.concatenate([eu[sel], ev[sel], a, b]),
                                     return_inverse=True)
            lu, lv = local[:len(sel)], local[len(sel):2 * len(sel)]
            la = local[2 * len(sel):2 * len(sel) + len(q)]
            lb = local[2 * len(sel) + len(q):]
            pos = np.searchsorted(sel, edge_ids[q])
            args = (len(nodes), lu, lv, np.ascontiguousarray(w[sel]), oneway[sel],
                    network.directed, mode, la, lb, pos)
            dist = np.minimum.reduce([xy[a, 0] - box[0], box[2] - xy[a, 0],
                                      xy[a, 1] - box[1], box[3] - xy[a, 1]]) \
                + np.minimum.reduce([xy[b, 0] - box[0], box[2] - xy[b, 0],
                                     xy[b, 1] - box[1], box[3] - xy[b, 1]])
            parts[key] = dict(q=q, args=args, bound=dist * per_m,
                              fingerprint=_fingerprint(args, weight, edge_ids[q]),
                              n_edges=len(sel))
        done = 0
        pending = {}
        for key, p in parts.items():
            cached = self._load(mode, weight, key, p["fingerprint"])
            if cached is not None:
                p["costs"], p["peak"], p["pid"], p["reused"] = cached, 0, None, True
                done += 1
                continue
            fut = self.client.submit(part_routes, *p["args"], pure=False,
                                     key=f"gunmane-{mode}-{weight}-{key}-{p['fingerprint'][:12]}")
            pending[fut] = key
        from distributed import as_completed
        for fut in as_completed(list(pending)):
            key = pending[fut]
            p = parts[key]
            p["costs"], p["peak"], p["pid"] = fut.result()
            p["reused"] = False
            self._save(mode, weight, key, p["fingerprint"], p["costs"])
            done += 1
            report_progress(progress, lo + 0.9 * (hi - lo) * done / len(parts),
                            f"part {key} done ({done}/{len(parts)}, {mode} {weight}): "
                            f"{len(p['q'])} bridges, {p['n_edges']} edges")
        recompute = []
        for key, p in parts.items():
            c = p["costs"]
            ok = np.isfinite(c) & (c <= p["bound"])
            out[p["q"][ok]] = c[ok]
            recompute.append(p["q"][~ok])
            self.stats.append({"mode": mode, "weight": weight, "part": key,
                               "bridges": len(p["q"]), "edges": p["n_edges"],
                               "recomputed": int((~ok).sum()), "reused": p["reused"],
                               "worker_pid": p["pid"], "worker_peak_bytes": p["peak"]})
        rec = np.concatenate(recompute) if recompute else np.zeros(0, np.int64)
        if len(rec):
            report_progress(progress, lo + 0.9 * (hi - lo),
                            f"{len(rec)} routes not certified inside their part: "
                            "recomputed on the whole network")
            out[rec] = alternative_routes(network, edge_ids[rec], weight, mode=mode,
                                          links=links.take(rec))
        report_progress(progress, hi, f"alternative routes ({weight}, {mode}): "
                                      f"{len(parts)} parts")
        return out

    # --- checkpoints -------------------------------------------------------------
    def _path(self, mode, weight, key):
        return self.checkpoint_dir / f"{mode}_{weight}_{key}.npz"

    def _load(self, mode, weight, key, fingerprint):
        if self.checkpoint_dir is None:
            return None
        path = self._path(mode, weight, key)
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["fingerprint"]) != fingerprint:
                    return None
                return z["costs"].copy()
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
            return None         # missing, or not a complete file: computed again

    def _save(self, mode, weight, key, fingerprint, costs):
        if self.checkpoint_dir is None:
            return
        buf = io.BytesIO()
        np.savez(buf, fingerprint=np.array(fingerprint), costs=costs)
        # atomic: a reader sees the whole file or none
        write_atomically(self._path(mode, weight, key), buf.getvalue())


def _fingerprint(args, weight, global_edges) -> str:
    h = hashlib.sha256()
    h.update(f"{weight}|{args[0]}|{args[5]}|{args[6]}".encode())
    for arr in (*args[1:5], *args[7:], global_edges):
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def partitioned_criticality(network: Network, *, partition: str = "grid",
                            settings: Settings | None = None, client=None,
                            workers: int | None = None, scheduler: str | None = None,
                            municipalities=None, checkpoint_dir=None,
                            progress: Progress | None = None,
                            weights=("length_m", "time_min")):
    """``bridge_criticality`` with its route searches run part by part on Dask.

    Parameters
    ----------
    network : Network
        With bridges attached (as for ``bridge_criticality``).
    partition : ``"grid"`` or ``"prefecture"``
        Grid cells ``[criticality] partition_cell_m`` metres wide, or prefectures
        (``municipalities`` with ``municipality_code``).
    settings : Settings, optional
        ``[criticality] partition_halo_m`` (metres) and ``partition_cell_m``.
    client : distributed.Client, optional
        Used as is; otherwise one is opened (``open_client(workers=, scheduler=)``) and
        closed at the end.
    checkpoint_dir : path, optional
        Each part's result is written there as it finishes; a rerun reuses them.
    progress, weights
        As for ``bridge_criticality``.

    Returns
    -------
    GeoDataFrame
        The ``bridge_criticality`` table (same rows and values); ``attrs["partition"]``
        holds one dict per part and search round (bridges, edges, recomputed, worker
        peak memory in bytes).
    """
    from .single import bridge_criticality
    from .isolation import require_bridges
    settings = settings or network.settings
    bridges = require_bridges(network)
    eid = bridges.loc[bridges["matched"].astype(bool), "edge_id"].to_numpy(np.int64)
    u_nodes = np.unique(network.uv()[0][eid])
    labels = dict(zip(u_nodes.tolist(),
                      part_labels(network, u_nodes, partition, settings=settings,
                                  municipalities=municipalities)))
    own = client is None
    if own:
        client = open_client(workers=workers, scheduler=scheduler)
    t0 = time.perf_counter()
    try:
        routes = PartitionedRoutes(client, labels, halo_m=settings.criticality.partition_halo_m,
                                   checkpoint_dir=checkpoint_dir)
        table = bridge_criticality(network, settings=settings, progress=progress,
                                   weights=weights, routes=routes)
    finally:
        if own:
            close_client(client)
    table.attrs["partition"] = routes.stats
    table.attrs["partition_seconds"] = time.perf_counter() - t0
    return table
