"""Removal scenarios: a set of bridges removed at once, and the trips that get longer."""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError, report_progress
from ..network import kernels as K
from ..network.graph import Network
from ..settings import Settings
from .isolation import (ISOLATED_COUNT_COLUMNS, isolated_target_column, node_values,
                        population_basis, require_bridges, set_components)
from .routes import alternative_routes, road_links

# --- scenarios: a set of bridges removed at once ------------------------------------
@dataclass
class ScenarioResult:
    """Result of ``removal_scenario``.

    Attributes
    ----------
    summary : dict
        Measures of the whole set (see ``removal_scenario``).
    bridges : GeoDataFrame
        One row per bridge of the set, with detours measured with the WHOLE set removed.
    trips : GeoDataFrame
        Trips that get longer (line geometry of the new route, None when cut off).
    isolated_node_ids : ndarray
        Nodes cut off from the rest of their component.
    """
    summary: dict
    bridges: gpd.GeoDataFrame
    trips: gpd.GeoDataFrame
    isolated_node_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def summary_frame(self) -> pd.DataFrame:
        d = dict(self.summary)
        d["bridge_ids"] = ";".join(d["bridge_ids"])
        d["unmatched"] = ";".join(d["unmatched"])
        return pd.DataFrame([d])


TRIP_COLUMNS = ["origin_node", "destination_node", "facility_type", "population",
                "destination_before", "destination_after", "before_m", "after_m", "extra_m",
                "before_min", "after_min", "extra_min", "cut_off"]


def removal_scenario(network: Network, bridge_ids, od_pairs=None,
                     settings: Settings | None = None, geometry: bool = True,
                     progress=None) -> ScenarioResult:
    """Remove a set of bridges at once and measure the effect.

    Parameters
    ----------
    network : Network
        With bridges attached; population and facilities make trips possible.
    bridge_ids : iterable of str
        The bridges removed together.  Unknown ids raise ``InputError``; unmatched
        bridges have no edge, are listed in ``summary["unmatched"]`` and change nothing.
    od_pairs : DataFrame, optional
        Trips to measure, with columns ``origin_node`` and ``destination_node``
        (node ids).  Default: from every populated node (settlement) to its nearest
        facility of each type (after removal: the nearest one still reachable).
    settings : Settings, optional
        ``settings.criticality.weight`` (``length_m`` or ``time_min``) chooses the
        routes of the trips; both their length and time are reported.
    geometry : bool
        Build the line geometry of each longer trip's new route (default True).

    Returns
    -------
    ScenarioResult
        ``summary`` keys: ``bridge_ids``, ``unmatched``, ``isolates``,
        ``isolated_nodes``, ``isolated_population``, ``isolated_facilities``,
        ``isolated_<type>``, ``isolated_facility_names``, ``vehicle_km_per_day`` and
        ``vehicle_hours_per_day`` (sum over the set's bridges with known AADT of
        AADT x detour with the whole set removed), ``bridges_without_route``,
        ``trips_longer``, ``trips_cut_off``, ``population_with_longer_trips``,
        ``population_basis`` (``"now"`` or the target year the trips were weighted with,
        ``[criticality] population_basis``) and, when the nodes carry the population of
        the target year, ``isolated_population_<year>``.  Trips: ``population`` is the
        origin's persons in that basis; settlements are the nodes with persons in it.

    Only what the removed edges affect is recomputed: components of the original
    components holding them, and the trips whose shortest-path tree used them.
    """
    settings = settings or network.settings
    weight = settings.criticality.weight
    bridges = require_bridges(network)
    ids = [str(b) for b in (bridge_ids if not isinstance(bridge_ids, str) else [bridge_ids])]
    if "bridge_table" not in network._cache:
        network._cache["bridge_table"] = bridges.set_index("bridge_id", drop=False)
    table = network._cache["bridge_table"]
    unknown = [b for b in ids if b not in table.index]
    if unknown:
        examples = ", ".join(map(str, table.index[:3]))
        raise InputError(f"unknown bridge_id(s) {', '.join(unknown[:10])}: not among the "
                         f"{len(table)} bridges of the run (ids such as {examples}); fix: "
                         "use the bridge_id column of the bridge layer (gunmane validate "
                         "lists what was loaded)", source="bridges", field="bridge_id")
    sel = table.loc[ids]
    unmatched = sel.index[~sel["matched"].to_numpy(bool)].tolist()
    sel = sel[sel["matched"].to_numpy(bool)]
    edges = np.unique(sel["edge_id"].to_numpy(np.int64))
    mask = np.zeros(network.n_edges, np.bool_)
    mask[edges] = True
    report_progress(progress, 0.0, "scenario: components")

    # --- who is cut off -----------------------------------------------------------
    u_all, v_all = network.uv()
    label, isolated = set_components(network, edges)
    vals = node_values(network)
    iso_nodes = np.flatnonzero(isolated)
    iso_vals = vals[iso_nodes].sum(axis=0) if len(iso_nodes) else np.zeros(vals.shape[1])
    fac_names = ""
    if network.facilities is not None and len(iso_nodes):
        f = network.facilities
        cut = f[isolated[f["node_id"].to_numpy(np.int64)]]
        fac_names = "; ".join(f"{n if n is not None and n == n else i} ({t})" for n, i, t in
                              zip(cut["name"], cut["facility_id"], cut["facility_type"]))

    # --- detours of each bridge with the whole set removed --------------------------
    report_progress(progress, 0.2, "scenario: detours")
    eids = sel["edge_id"].to_numpy(np.int64)
    motor = network.mode_edges("motor")[eids]
    links = road_links(network, eids, "motor")
    same_side = motor & (label[links.a] == label[links.b])
    alt = {}
    for w in ("length_m", "time_min"):
        a = np.full(len(eids), np.nan)
        if same_side.any():
            a[same_side] = alternative_routes(network, eids[same_side], w, removed=edges)
        a[~np.isfinite(a)] = np.nan
        alt[w] = a
    L = links.cost(network.weight("length_m"))
    T = links.cost(network.weight("time_min"))
    aadt = (pd.to_numeric(sel["aadt"], errors="coerce").to_numpy(float)
            if "aadt" in sel.columns else np.full(len(sel), np.nan))
    bt = pd.DataFrame({
        "bridge_id": sel["bridge_id"].to_numpy(), "edge_id": eids,
        "u": u_all[eids], "v": v_all[eids],
        "bridge_length_m": network.weight("length_m")[eids],
        "bridge_time_min": network.weight("time_min")[eids],
        "link_u": links.a, "link_v": links.b, "link_length_m": L, "link_time_min": T,
        "alt_route_m": alt["length_m"], "detour_m": np.maximum(0.0, alt["length_m"] - L),
        "alt_route_min": alt["time_min"], "detour_min": np.maximum(0.0, alt["time_min"] - T),
        "isolates": motor & (~same_side | np.isnan(alt["length_m"])),
        "pedestrian_only": ~motor, "aadt": aadt,
    })
    bt["affected_vehicle_km_per_day"] = aadt * bt["detour_m"] / 1000.0
    bt["affected_vehicle_hours_per_day"] = aadt * bt["detour_min"] / 60.0
    bt = gpd.GeoDataFrame(bt, geometry=network.edge_geometry(eids), crs=network.crs)

    # --- trips ---------------------------------------------------------------------
    report_progress(progress, 0.4, "scenario: trips")
    pop, basis_label = population_basis(network, settings)
    target = isolated_target_column(network)
    if od_pairs is None:
        trips = _access_trips(network, edges, mask, weight, geometry, pop)
    else:
        trips = _pair_trips(network, od_pairs, mask, weight, geometry, pop)

    summary = {
        "bridge_ids": ids, "unmatched": unmatched,
        "isolates": bool(len(iso_nodes)), "isolated_nodes": int(len(iso_nodes)),
        "isolated_population": float(iso_vals[1]),
        "isolated_facilities": int(iso_vals[2]),
        **{col: int(iso_vals[j]) for j, col in enumerate(ISOLATED_COUNT_COLUMNS, start=3)},
        **({target: float(iso_vals[-1])} if target else {}),
        "isolated_facility_names": fac_names,
        "vehicle_km_per_day": float(np.nansum(bt["affected_vehicle_km_per_day"])),
        "vehicle_hours_per_day": float(np.nansum(bt["affected_vehicle_hours_per_day"])),
        "bridges_without_route": int(bt["isolates"].sum()),
        "trips_longer": int(len(trips)),
        "trips_cut_off": int(trips["cut_off"].sum()) if len(trips) else 0,
        "population_with_longer_trips": float(
            trips.drop_duplicates("origin_node")["population"].sum()) if len(trips) else 0.0,
        "population_basis": basis_label,
    }
    report_progress(progress, 1.0, "scenario done")
    return ScenarioResult(summary=summary, bridges=bt, trips=trips, isolated_node_ids=iso_nodes)


def _trace(node, pred_edge, u, v, wl, wt):
    """Edges from ``node`` back to its tree root, with the summed length and time."""
    path = []
    x = node
    lsum = tsum = 0.0
    while pred_edge[x] >= 0:
        e = pred_edge[x]
        path.append((e, x))
        lsum += wl[e]; tsum += wt[e]
        x = u[e] if v[e] == x else v[e]
    return path, lsum, tsum, x


def _path_line(network, path):
    """LineString along ``path`` [(edge, node it is entered *from*... )] from origin on."""
    egeom = network.edge_geometry([e for e, _ in path])
    u, _ = network.uv()
    coords = []
    for (e, x), g in zip(path, egeom):
        c = np.asarray(g.coords)
        c = c if u[e] == x else c[::-1]
        coords.append(c if not coords else c[1:])
    if not coords:
        return None
    xy = np.vstack(coords)
    return shapely.LineString(xy) if len(xy) >= 2 else None


def _tree(network, sources, weight, mask):
    n = network.n_nodes
    indptr, head, arc_edge = network.csr("backward")
    dist = np.empty(n); pred = np.empty(n, np.int64); origin = np.empty(n, np.int64)
    hk = np.empty(len(head) + len(sources) + 1); hv = np.empty(len(head) + len(sources) + 1,
                                                            np.int64)
    K.multi_source_dijkstra(np.ascontiguousarray(sources, np.int64), indptr, head, arc_edge,
                            network.weight(weight), mask, dist, pred, origin, hk, hv)
    return dist, pred, origin


def _facility_labels(network):
    key = "facility_labels"
    if key not in network._cache:
        f = network.facilities
        lab = {}
        for n, i, t, node in zip(f["name"], f["facility_id"], f["facility_type"], f["node_id"]):
            lab.setdefault((t, int(node)), []).append(str(n if n is not None and n == n else i))
        network._cache[key] = {k: "; ".join(v) for k, v in lab.items()}
    return network._cache[key]


def _route_change(network, node, pred_before, pred_after, dist_after, geometry):
    """The route from ``node`` to its tree root before and after a removal.

    ``pred_*`` are the predecessor edges of the shortest-path trees without and with the
    removal, ``dist_after`` the distances with it.  Returns ``(length_before_m,
    length_after_m, time_before_min, time_after_min, cut, line_after)``; when the root
    cannot be reached after the removal, ``cut`` is True, the after values are NaN and
    the line None (also None unless ``geometry``).
    """
    u, v = network.uv()
    wl, wt = network.weight("length_m"), network.weight("time_min")
    _, l0, t0, _ = _trace(node, pred_before, u, v, wl, wt)
    if not np.isfinite(dist_after[node]):
        return l0, np.nan, t0, np.nan, True, None
    path, l1, t1, _ = _trace(node, pred_after, u, v, wl, wt)
    return l0, l1, t0, t1, False, (_path_line(network, path) if geometry else None)


def _access_trips(network, edges, mask, weight, geometry, pop):
    """Settlement -> nearest facility of each type, for the trips that get longer;
    ``pop``: persons per node that make the settlements and weight the trips."""
    empty = gpd.GeoDataFrame({c: [] for c in TRIP_COLUMNS}, geometry=[], crs=network.crs)
    f = network.facilities
    settle = np.flatnonzero(pop > 0)
    if f is None or len(f) == 0 or len(settle) == 0:
        return empty
    labels = _facility_labels(network)
    no_mask = np.zeros(network.n_edges, np.bool_)
    rows, geoms = [], []
    if "facility_sources" not in network._cache:
        network._cache["facility_sources"] = {
            t: np.unique(f.loc[f["facility_type"] == t, "node_id"].to_numpy(np.int64))
            for t in sorted(f["facility_type"].unique())}
    for t, src in network._cache["facility_sources"].items():
        key = f"trips:{t}:{weight}"
        if key not in network._cache:
            network._cache[key] = _tree(network, src, weight, no_mask)
        d0, p0, o0 = network._cache[key]
        if not np.isin(edges, p0).any():
            continue        # no removed edge on any shortest route to this facility type
        d1, p1, o1 = _tree(network, src, weight, mask)
        reach = np.isfinite(d0[settle])
        longer = reach & ~(d1[settle] <= d0[settle] + 1e-9 * np.maximum(1.0, d0[settle]))
        for s in settle[longer]:
            l0, l1, t0, t1, cut, line = _route_change(network, s, p0, p1, d1, geometry)
            rows.append((s, -1 if cut else int(o1[s]), t, pop[s],
                         labels.get((t, int(o0[s])), ""),
                         "" if cut else labels.get((t, int(o1[s])), ""),
                         l0, l1, l1 - l0, t0, t1, t1 - t0, cut))
            geoms.append(line)
    if not rows:
        return empty
    df = pd.DataFrame(rows, columns=TRIP_COLUMNS)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=network.crs)


def _pair_trips(network, od_pairs, mask, weight, geometry, pop):
    """Given origin/destination node pairs, the trips that get longer (``pop``: persons
    per node, the trip's weight)."""
    if not {"origin_node", "destination_node"} <= set(od_pairs.columns):
        raise InputError("od_pairs needs columns origin_node and destination_node (node ids)")
    o = od_pairs["origin_node"].to_numpy(np.int64)
    d = od_pairs["destination_node"].to_numpy(np.int64)
    n = network.n_nodes
    if len(o) and (min(o.min(), d.min()) < 0 or max(o.max(), d.max()) >= n):
        raise InputError(f"od_pairs refer to node ids outside 0..{n - 1}")
    no_mask = np.zeros(network.n_edges, np.bool_)
    rows, geoms = [], []
    for dest in np.unique(d):
        # one tree per destination on the reversed graph: origin -> destination routes
        d0, p0, _ = _tree(network, np.array([dest]), weight, no_mask)
        d1, p1, _ = _tree(network, np.array([dest]), weight, mask)
        for s in o[d == dest]:
            if not np.isfinite(d0[s]) or d1[s] <= d0[s] + 1e-9 * max(1.0, d0[s]):
                continue
            l0, l1, t0, t1, cut, line = _route_change(network, s, p0, p1, d1, geometry)
            rows.append((int(s), int(dest), None, pop[s], "", "", l0, l1, l1 - l0, t0, t1,
                         t1 - t0, cut))
            geoms.append(line)
    df = pd.DataFrame(rows, columns=TRIP_COLUMNS)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=network.crs)
