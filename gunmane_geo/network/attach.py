"""Attaching population and facilities to a ``Network``: allotted to the nodes of the motor
roads (docs/criticality.md, "Population and facilities")."""
from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from ..errors import InputError
from ..io.load_report import LoadReport
from ..schema import FACILITY_TYPES, parse_facility_type
from ..settings import Settings
from .build import is_missing, text_column
from .graph import Network, attribute_table

def to_network_crs(gdf, network, source, what, report):
    """``gdf`` in the network's CRS (reprojected with a report note); no CRS is an InputError."""
    if gdf.crs is None:
        raise InputError(f"{what} have no CRS; set it (the network is in "
                         f"{network.crs.to_string()})", source=source)
    if not gdf.crs.equals(network.crs):
        report.add(source, what, f"reprojected from {gdf.crs.to_string()} to the network CRS "
                   f"{network.crs.to_string()}", severity="info", action="note")
        gdf = gdf.to_crs(network.crs)
    return gdf


# --- population -------------------------------------------------------------------
def settlement_nodes(network: Network) -> np.ndarray:
    """Node ids that population and facilities are allotted to: the nodes on a motor road.

    People and facilities are reached by car as well as on foot, so they sit on the motor
    network (a footpath node would hide them from the vehicle measures); a network with no
    motor road at all uses every node.
    """
    u, v = network.uv()
    motor = network.mode_edges("motor")
    on = np.zeros(network.n_nodes, bool)
    on[u[motor]] = True
    on[v[motor]] = True
    return np.flatnonzero(on) if on.any() else np.arange(network.n_nodes)


def attach_population(network: Network, population, settings: Settings | None = None,
                      report: LoadReport | None = None, source: str = "population") -> Network:
    """Allot population to network nodes, once (earlier allotments are replaced).

    Parameters
    ----------
    population : PopulationRaster, str/Path of a raster, or GeoDataFrame
        A raster: each cell's value (persons) goes to the node nearest to the cell
        centre (the raster CRS is reprojected to the network CRS).  A GeoDataFrame
        with a ``population`` column: points go to the nearest node; each polygon is
        split equally between the nodes inside it, or goes to the node nearest to its
        representative point when none is inside.

    Returns
    -------
    Network
        With ``nodes.population`` (persons) and, for each ``population_<year>`` column
        of a GeoDataFrame (a future-population mesh), ``nodes.population_<year>``
        allotted the same way (a feature with persons in either year counts; a missing
        value of a year counts 0, reported).  Population farther than
        ``settings.network.population_max_snap_m`` from its node is still allotted,
        and reported.  Negative and no-data values are skipped and reported.
    """
    from ..io.region import PopulationRaster

    settings = settings or network.settings
    report = report if report is not None else network.report
    if network.n_nodes == 0:
        raise InputError("the network has no nodes", source=source)
    cand = settlement_nodes(network)
    node_xy = network.node_xy()[cand]
    kd = cKDTree(node_xy)

    def nearest_node(xy):
        """Distance (m) to, and id of, the nearest candidate node of each point."""
        d, k = kd.query(xy)
        return d, cand[np.asarray(k, np.int64)]

    max_d = float(settings.network.population_max_snap_m)
    pop = np.zeros(network.n_nodes)
    years: dict = {}            # population_<year> column -> persons per node
    if isinstance(population, (str,)) or hasattr(population, "__fspath__") or \
            isinstance(population, PopulationRaster):
        path = population.path if isinstance(population, PopulationRaster) else population
        crs = population.crs if isinstance(population, PopulationRaster) else None
        xy, val, source = _raster_cells(path, crs, network.crs, report)
        d, nn = nearest_node(xy) if len(xy) else (np.zeros(0), np.zeros(0, int))
        np.add.at(pop, nn, val)
        far = d > max_d
        total = float(val.sum())
        kind = "cells"
    elif isinstance(population, gpd.GeoDataFrame):
        if "population" not in population.columns:
            raise InputError("population layer has no 'population' column (persons); "
                             "name the column population / 人口 / 総数", source=source)
        gdf = to_network_crs(population, network, source, "population", report).reset_index(drop=True)
        val = pd.to_numeric(gdf["population"], errors="coerce").to_numpy(float)
        year_cols = [c for c in gdf.columns if re.fullmatch(r"population_\d{4}", str(c))]
        year_val = np.column_stack(
            [pd.to_numeric(gdf[c], errors="coerce").to_numpy(float) for c in year_cols]
        ) if year_cols else np.zeros((len(gdf), 0))
        geoms = gdf.geometry.to_numpy()
        bad = ~np.isfinite(val) | (val < 0) | pd.isna(geoms) | shapely.is_empty(geoms)
        for i in np.flatnonzero(bad):
            report.add(source, "population", f"population value {gdf['population'].iat[i]!r} "
                       "is missing or negative, or the feature has no geometry: skipped",
                       row=int(i + 1), severity="warning", action="skipped", field="population")
        year_bad = ~bad[:, None] & ~(np.isfinite(year_val) & (year_val >= 0))
        for j, col in enumerate(year_cols):
            if year_bad[:, j].any():
                rows = ", ".join(str(int(i + 1)) for i in np.flatnonzero(year_bad[:, j])[:10])
                report.add(source, "population", f"{int(year_bad[:, j].sum())} features have no "
                           f"usable {col} (missing or negative): counted as 0 persons in that "
                           f"year (rows {rows}{' ...' if year_bad[:, j].sum() > 10 else ''})",
                           severity="warning", action="note", field=col)
        year_val = np.where(year_bad, 0.0, year_val)
        # columns allotted together: population now, then each population_<year>
        values = np.column_stack([np.where(bad, 0.0, val), year_val])
        acc = np.zeros((network.n_nodes, values.shape[1]))
        ok = np.flatnonzero(~bad & ((val > 0) | (values[:, 1:] > 0).any(axis=1)))
        is_poly = np.isin(shapely.get_type_id(geoms[ok]), [3, 6])
        far = np.zeros(len(ok), bool)
        d_all = np.zeros(len(ok))
        poly = ok[is_poly]
        inside_done = np.zeros(len(ok), bool)
        if len(poly):
            ntree = shapely.STRtree(shapely.points(node_xy))
            pi, ni = ntree.query(geoms[poly], predicate="contains")
            ni = cand[ni]
            cnt = np.bincount(pi, minlength=len(poly))
            np.add.at(acc, ni, values[poly][pi] / cnt[pi][:, None])
            inside_done[np.flatnonzero(is_poly)[cnt > 0]] = True
        rest = np.flatnonzero(~inside_done)
        if len(rest):
            rp = shapely.point_on_surface(geoms[ok[rest]])
            d, nn = nearest_node(shapely.get_coordinates(rp))
            np.add.at(acc, nn, values[ok[rest]])
            d_all[rest] = d
            far[rest] = d > max_d
        pop = acc[:, 0]
        years = {col: acc[:, j] for j, col in enumerate(year_cols, start=1)}
        val = val[ok]
        total = float(val.sum())
        kind = "features"
    else:
        raise InputError(f"population must be a raster path, a PopulationRaster or a "
                         f"GeoDataFrame, got {type(population).__name__}", source=source)
    if far.any():
        report.add(source, "population", f"{int(far.sum())} population {kind} "
                   f"({val[far].sum():.0f} persons) are farther than {max_d:g} m from any road "
                   "node; allotted to the nearest node anyway", severity="warning",
                   action="note")
    report.add(source, "population", f"{total:.0f} persons allotted to "
               f"{int((pop > 0).sum())} network nodes"
               + "".join(f"; {col}: {a.sum():.0f} persons" for col, a in years.items()),
               severity="info", action="note")
    nodes = attribute_table(network.node_table).copy()
    nodes = nodes.drop(columns=[c for c in nodes.columns
                                if re.fullmatch(r"population_\d{4}", str(c))])
    nodes["population"] = pop
    for col, a in years.items():
        nodes[col] = a
    net = network.replace(nodes=nodes)
    net._cache = {k: v for k, v in network._cache.items() if k.startswith(("csr", "w:"))}
    return net


def _raster_cells(path, crs, target_crs, report):
    """Cell centres (in ``target_crs``) and values of the positive cells of band 1."""
    import rasterio
    from pyproj import Transformer

    source = str(path)
    try:
        ds = rasterio.open(path)
    except Exception as exc:  # rasterio raises its own error types
        raise InputError(f"cannot open population raster: {exc}", source=source) from None
    with ds:
        arr = ds.read(1, masked=True).astype(float)
        transform = ds.transform
        rcrs = crs or ds.crs
    if rcrs is None:
        raise InputError("population raster has no CRS; set one (e.g. EPSG:6668)",
                         source=source)
    data = np.ma.filled(arr, np.nan)
    neg = np.isfinite(data) & (data < 0)
    if neg.any():
        report.add(source, "population", f"{int(neg.sum())} raster cells have negative values "
                   "(treated as no data)", severity="warning", action="skipped")
    rows, cols = np.nonzero(np.isfinite(data) & (data > 0))
    val = data[rows, cols]
    xs = transform.c + (cols + 0.5) * transform.a + (rows + 0.5) * transform.b
    ys = transform.f + (cols + 0.5) * transform.d + (rows + 0.5) * transform.e
    tr = Transformer.from_crs(rcrs, target_crs, always_xy=True)
    x2, y2 = tr.transform(xs, ys)
    return np.column_stack([x2, y2]), val, source


# --- facilities -------------------------------------------------------------------
def attach_facilities(network: Network, facilities: gpd.GeoDataFrame,
                      settings: Settings | None = None, report: LoadReport | None = None,
                      source: str = "facilities") -> Network:
    """Snap facilities (hospitals, schools, offices, fire stations, ...) to their nearest node.

    Returns the network with ``network.facilities`` (``facility_id``, ``name``,
    ``facility_type``, ``node_id``, ``snap_distance_m`` in metres) and the node
    counts ``n_facilities`` and ``n_<type>`` (other types count in
    ``n_other_facility``).  Facilities without geometry are skipped and reported;
    those farther than ``population_max_snap_m`` from any node are reported.
    """
    settings = settings or network.settings
    report = report if report is not None else network.report
    if not isinstance(facilities, gpd.GeoDataFrame):
        raise InputError("facilities must be a GeoDataFrame", source=source)
    if "facility_type" not in facilities.columns:
        raise InputError("facilities have no 'facility_type' column (hospital, school, "
                         "office, fire_station; 病院, 学校, 役所, 消防署)", source=source)
    fac = to_network_crs(facilities, network, source, "facilities", report).reset_index(drop=True)
    fid = text_column(fac, "facility_id")
    fid = np.array([f if f is not None else f"facility{i + 1}" for i, f in enumerate(fid)],
                   dtype=object)
    name = text_column(fac, "name")
    ftype = []
    for i, v in enumerate(fac["facility_type"].to_numpy(object)):
        t = None if is_missing(v) else (v if v in FACILITY_TYPES else parse_facility_type(v))
        if t is None:
            report.add(source, "facilities", f"facility_type {v!r} not recognised: counted as "
                       "'other'", row=i + 1, feature_id=fid[i], severity="warning",
                       action="repaired", field="facility_type")
            t = "other"
        ftype.append(t)
    ftype = np.array(ftype, dtype=object)
    geoms = fac.geometry.to_numpy()
    bad = pd.isna(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(bad):
        report.add(source, "facilities", "facility has no geometry: skipped", row=int(i + 1),
                   feature_id=fid[i], severity="warning", action="skipped", field="geometry")
    ok = np.flatnonzero(~bad)
    cand = settlement_nodes(network)
    node_xy = network.node_xy()[cand]
    pts = shapely.get_coordinates(shapely.point_on_surface(geoms[ok]))
    d, nn = cKDTree(node_xy).query(pts) if len(ok) else (np.zeros(0), np.zeros(0, int))
    nn = cand[np.asarray(nn, np.int64)]
    max_d = float(settings.network.population_max_snap_m)
    for j in np.flatnonzero(d > max_d):
        report.add(source, "facilities", f"facility is {d[j]:.0f} m from the nearest road node "
                   "(snapped there anyway)", row=int(ok[j] + 1), feature_id=fid[ok[j]],
                   severity="warning", action="note", field="geometry")
    table = pd.DataFrame({"facility_id": fid[ok], "name": name[ok], "facility_type": ftype[ok],
                          "node_id": np.asarray(nn, np.int64),
                          "snap_distance_m": np.asarray(d, float)})
    extra = fac.drop(columns=[c for c in fac.columns if c in table.columns
                              or c == fac.geometry.name]).iloc[ok].reset_index(drop=True)
    table = pd.concat([table, extra], axis=1)
    out = gpd.GeoDataFrame(table, geometry=geoms[ok], crs=network.crs)
    nodes = attribute_table(network.node_table).copy()
    n = len(nodes)
    node = out["node_id"].to_numpy()
    nodes["n_facilities"] = np.bincount(node, minlength=n)
    for t in FACILITY_TYPES:
        nodes[f"n_{t}"] = np.bincount(node[out["facility_type"].to_numpy() == t], minlength=n)
    other = ~np.isin(out["facility_type"].to_numpy(), FACILITY_TYPES)
    nodes["n_other_facility"] = np.bincount(node[other], minlength=n)
    report.add(source, "facilities", f"{len(out)} facilities snapped to network nodes "
               f"(median {np.median(d) if len(d) else 0:.0f} m)", severity="info", action="note")
    net = network.replace(nodes=nodes, facilities=out)
    net._cache = {k: v for k, v in network._cache.items() if k.startswith(("csr", "w:"))}
    return net
