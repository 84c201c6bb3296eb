"""Detour routes of a plan: the way round each bridge the plan takes out of vehicle use.

Public API::

    detour_routes(plan, network) -> GeoDataFrame

Routes are measured on the network engine (:class:`gunmane_geo.options.scenario.SetEvaluator`,
shortest by length) with all planned removals and downsizings applied at once, the
same state as the plan's ``detour_in_plan_m``.  Distances in metres, in the network's
projected CRS.  The maps (``gunmane_geo.maps.map_plan``, ``map_plan_details``), the
report and the QGIS plugin's ``gunmane:plan`` draw this output; it is computed here,
not in the drawing code.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np

#: plan options that take a bridge out of vehicle use (so it gets a detour route)
DETOUR_OPTIONS = ("remove", "remove_upgrade_detour", "downsize")


def detour_routes(plan: gpd.GeoDataFrame, network) -> gpd.GeoDataFrame:
    """The detour each planned removal forces, with all planned removals applied at once.

    Parameters
    ----------
    plan : GeoDataFrame
        ``make_plan`` output (``bridge_id``, ``plan_option``, ``status``).
    network : gunmane_geo.network.Network
        The network the plan was made on.

    Returns
    -------
    GeoDataFrame
        ``bridge_id``, ``plan_option``, ``detour_m`` (route minus the bridge,
        metres; ``inf`` where none) and the route as a (multi)line, in the
        network's CRS.  Bridges without a route have empty geometry.
    """
    import shapely
    from .scenario import SetEvaluator
    lost = plan[(plan["plan_option"].isin(list(DETOUR_OPTIONS)))
                & (plan.get("status", "planned") == "planned")]
    cols = ["bridge_id", "plan_option", "detour_m"]
    if not len(lost):
        return gpd.GeoDataFrame(columns=cols, geometry=[], crs=network.edges.crs)
    graph = SetEvaluator.of(network)
    eff = graph.evaluate(set(lost["bridge_id"].astype(str)), isolation=False)
    rows, geoms = [], []
    for r in lost.itertuples():
        bid = str(r.bridge_id)
        path = np.asarray(eff.path_edges.get(bid, []), dtype=np.int64)   # edge ids = row positions
        geom = shapely.line_merge(shapely.union_all(network.edges.geometry.iloc[path].to_numpy())) \
            if len(path) else shapely.LineString()
        rows.append({"bridge_id": bid, "plan_option": r.plan_option,
                     "detour_m": float(eff.detour_m.get(bid, float("inf")))})
        geoms.append(geom)
    return gpd.GeoDataFrame(rows, columns=cols, geometry=geoms, crs=network.edges.crs)
