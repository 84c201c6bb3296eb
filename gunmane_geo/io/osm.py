"""OpenStreetMap PBF roads with pyosmium.

Every way with a ``highway=*`` tag becomes road segments, except the values in
``EXCLUDED_HIGHWAY`` (not roads you can travel on: proposals, construction, platforms,
...) and ``area=yes`` ways; each excluded way is in the load report.  Ways are split
at every node they share with another included way (or with themselves), so two
segments meet only at a shared OSM node: the network needs no snapping.

Segment columns: ``road_id`` (``w<way id>_<k>``), ``osm_way_id``, ``osm_from_node``,
``osm_to_node``, ``highway``, ``road_class`` (schema.parse_road_class of highway),
``route_name`` (name, else ref), ``name``, ``ref``, ``speed_kmh`` (from maxspeed; NaN
when absent), ``oneway``, ``layer``, ``is_bridge``, ``is_tunnel``, ``bridge_id``
(``osm_w<way id>`` on bridge ways), ``bridge_name``, ``motor_vehicle`` (cars may use it:
not a footway, path, cycleway, steps, pedestrian, bridleway; not motor_vehicle/vehicle/
access = no or private), ``walkable`` (walkers may use it: not a motorway, not foot = no,
not access = no/private unless foot allows) and the geometry in EPSG:4326.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from .. import schema
from ..errors import InputError, report_progress
from .canonical import LayerContext

EXCLUDED_HIGHWAY = frozenset({
    "proposed", "construction", "abandoned", "disused", "razed", "platform", "elevator",
    "corridor", "bus_stop", "rest_area", "services", "raceway", "emergency_bay", "no",
    "crossing", "traffic_signals", "street_lamp", "turning_circle",
})
NON_MOTOR_HIGHWAY = frozenset({"footway", "path", "cycleway", "steps", "pedestrian",
                               "bridleway", "via_ferrata", "trail"})
_KEEP_TAGS = ("highway", "name", "ref", "maxspeed", "oneway", "junction", "layer", "bridge",
              "tunnel", "bridge:name", "motor_vehicle", "vehicle", "foot", "access", "area",
              "width")
NO_WALK_HIGHWAY = frozenset({"motorway", "motorway_link"})


def parse_maxspeed(value) -> float:
    """OSM maxspeed -> km/h (``"50"``, ``"50 km/h"``, ``"30 mph"``); NaN when not numeric."""
    if value is None:
        return np.nan
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", str(value), re.IGNORECASE)
    if not m:
        return np.nan
    speed = float(m.group(1))
    return speed * 1.609344 if (m.group(2) or "").lower() == "mph" else speed


def _read_ways(path, progress=None):
    import osmium

    class _Handler(osmium.SimpleHandler):
        def __init__(self):
            super().__init__()
            self.ways = []
            self.excluded = []

        def way(self, w):
            highway = w.tags.get("highway")
            if highway is None:
                return
            tags = {k: w.tags.get(k) for k in _KEEP_TAGS if k in w.tags}
            if highway in EXCLUDED_HIGHWAY or tags.get("area") == "yes":
                self.excluded.append((w.id, highway, tags.get("area") == "yes"))
                return
            refs, coords = [], []
            for n in w.nodes:
                refs.append(n.ref)
                loc = n.location
                coords.append((loc.lon, loc.lat) if loc.valid() else None)
            self.ways.append((w.id, tags, refs, coords))

    handler = _Handler()
    report_progress(progress, 0.0, "reading OSM ways")
    try:
        handler.apply_file(str(path), locations=True)
    except RuntimeError as exc:
        raise InputError(f"cannot read as OSM PBF ({exc}); fix: check that it is a complete "
                         "*.osm.pbf download (an interrupted download is cut short), or "
                         "export the roads from QGIS as GeoPackage", source=path) from None
    return handler.ways, handler.excluded


def _runs(refs, coords):
    """Consecutive runs of nodes with a location: list of (refs, coords) with >= 2 nodes."""
    runs, cur_r, cur_c = [], [], []
    for r, c in zip(refs, coords):
        if c is None:
            if len(cur_r) >= 2:
                runs.append((cur_r, cur_c))
            cur_r, cur_c = [], []
        else:
            cur_r.append(r)
            cur_c.append(c)
    if len(cur_r) >= 2:
        runs.append((cur_r, cur_c))
    return runs


def read_osm_roads(path, report, *, progress=None):
    """Road segments of an OSM PBF file as a GeoDataFrame in EPSG:4326.

    Returns (segments GeoDataFrame, number of highway ways read, number of them used:
    read minus the excluded and unusable ways).  Each excluded or unusable way is
    reported; see the module docstring for columns and rules.
    """
    import geopandas as gpd
    import shapely
    ctx = LayerContext(str(path), "roads", report)
    ways, excluded = _read_ways(path, progress)
    for way_id, highway, area in excluded:
        why = "area=yes (a square, not a line to travel along)" if area else \
            f"highway={highway} is not a usable road"
        ctx.add(f"OSM way {way_id}: {why}: skipped", row=None, feature_id=f"w{way_id}",
                severity="info", action="skipped", field="highway")
    # usable runs, and how often each node is used
    prepared = []
    usage: Counter = Counter()
    for way_id, tags, refs, coords in ways:
        runs = _runs(refs, coords)
        if not runs:
            ctx.add(f"OSM way {way_id}: fewer than 2 of its nodes are in the extract: skipped",
                    feature_id=f"w{way_id}", severity="warning", action="skipped",
                    field="geometry")
            continue
        if sum(len(r) for r, _ in runs) < len(refs):
            ctx.add(f"OSM way {way_id}: {len(refs) - sum(len(r) for r, _ in runs)} nodes outside "
                    "the extract dropped", feature_id=f"w{way_id}", severity="info",
                    action="repaired", field="geometry")
        oneway_tag = (tags.get("oneway") or "").lower()
        if oneway_tag == "-1":
            runs = [(r[::-1], c[::-1]) for r, c in reversed(runs)]
        prepared.append((way_id, tags, runs))
        for r, _ in runs:
            usage.update(r)
    report_progress(progress, 0.5, "splitting ways at shared nodes")
    records = []
    for way_id, tags, runs in prepared:
        highway = tags["highway"]
        oneway_tag = (tags.get("oneway") or "").lower()
        oneway = oneway_tag in ("yes", "true", "1", "-1") or (
            oneway_tag == "" and (tags.get("junction") in ("roundabout", "circular")
                                  or highway == "motorway"))
        is_bridge = tags.get("bridge", "no") not in ("no", "")
        is_tunnel = tags.get("tunnel", "no") not in ("no", "")
        try:
            layer = int(tags.get("layer", "0"))
        except ValueError:
            ctx.add(f"OSM way {way_id}: layer='{tags.get('layer')}' is not a number: 0 used",
                    feature_id=f"w{way_id}", severity="warning", action="nulled", field="layer")
            layer = 0
        motor = (highway not in NON_MOTOR_HIGHWAY
                 and tags.get("motor_vehicle") not in ("no", "private")
                 and tags.get("vehicle") not in ("no", "private")
                 and tags.get("access") not in ("no", "private"))
        foot = tags.get("foot")
        walkable = (highway not in NO_WALK_HIGHWAY and foot != "no"
                    and (tags.get("access") not in ("no", "private")
                         or foot in ("yes", "designated", "permissive")))
        k = 0
        for refs, coords in runs:
            start = 0
            for i in range(1, len(refs)):
                if i == len(refs) - 1 or usage[refs[i]] > 1:
                    records.append({
                        "road_id": f"w{way_id}_{k}", "osm_way_id": way_id,
                        "osm_from_node": refs[start], "osm_to_node": refs[i],
                        "highway": highway, "road_class": schema.parse_road_class(highway),
                        "route_name": tags.get("name") or tags.get("ref"),
                        "name": tags.get("name"), "ref": tags.get("ref"),
                        "speed_kmh": parse_maxspeed(tags.get("maxspeed")), "oneway": oneway,
                        "layer": layer, "is_bridge": is_bridge, "is_tunnel": is_tunnel,
                        "bridge_id": f"osm_w{way_id}" if is_bridge else None,
                        "bridge_name": tags.get("bridge:name"), "motor_vehicle": motor,
                        "walkable": walkable,
                        "geometry": shapely.LineString(coords[start:i + 1]),
                    })
                    k += 1
                    start = i
    report_progress(progress, 1.0, "OSM roads read")
    columns = ["road_id", "osm_way_id", "osm_from_node", "osm_to_node", "highway", "road_class",
               "route_name", "name", "ref", "speed_kmh", "oneway", "layer", "is_bridge",
               "is_tunnel", "bridge_id", "bridge_name", "motor_vehicle", "walkable", "geometry"]
    df = pd.DataFrame.from_records(records, columns=columns)
    gdf = gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")
    gdf["layer"] = gdf["layer"].astype("Int64")
    for col in ("oneway", "is_bridge", "is_tunnel", "motor_vehicle", "walkable"):
        gdf[col] = gdf[col].astype("boolean")
    gdf["osm_way_id"] = gdf["osm_way_id"].astype("int64")
    return gdf, len(ways) + len(excluded), len(prepared)


def osm_bridges_from_roads(roads, crs=None):
    """One bridge row per bridge of a roads frame (``is_bridge`` True).

    Segments are grouped by ``bridge_id`` (OSM: the way; a ledger without ids: each
    segment is its own bridge, id ``road_id``), their lines merged.  ``length_m`` is
    measured in ``crs``, or in the roads' CRS when it is projected, or else in the
    plane rectangular zone / UTM zone chosen for the data (``crs.choose_metric_crs``).

    Returns
    -------
    GeoDataFrame
        ``bridge_id``, ``name``, ``road_class``, ``route_name``, ``layer``, ``length_m``,
        ``osm_way_id`` (when present), ``source`` = ``"osm"`` / ``"roads"``; roads' CRS.
    """
    import geopandas as gpd
    import shapely
    from ..crs import choose_metric_crs
    cols = ["bridge_id", "name", "road_class", "route_name", "layer", "length_m", "source",
            "geometry"]
    if roads is None or len(roads) == 0 or "is_bridge" not in roads.columns:
        return gpd.GeoDataFrame(columns=cols, geometry="geometry",
                                crs=None if roads is None else roads.crs)
    sub = roads[roads["is_bridge"].fillna(False).astype(bool)].copy()
    if "bridge_id" not in sub.columns:
        sub["bridge_id"] = None
    key = sub["bridge_id"].where(sub["bridge_id"].notna(), sub["road_id"])
    rows = []
    for bid, grp in sub.groupby(key, sort=False):
        merged = shapely.line_merge(shapely.union_all(grp.geometry.values))
        first = grp.iloc[0]
        name = first.get("bridge_name") if "bridge_name" in grp.columns else None
        if name is None or (isinstance(name, float) and np.isnan(name)):
            name = first.get("name")
        row = {"bridge_id": str(bid), "name": name, "road_class": first.get("road_class"),
               "route_name": first.get("route_name"), "layer": first.get("layer"),
               "source": "osm" if "osm_way_id" in grp.columns else "roads", "geometry": merged}
        if "osm_way_id" in grp.columns:
            row["osm_way_id"] = first["osm_way_id"]
        rows.append(row)
    out = gpd.GeoDataFrame(pd.DataFrame(rows, columns=cols[:-1] + ["geometry"] + (
        ["osm_way_id"] if "osm_way_id" in sub.columns else [])), geometry="geometry",
        crs=roads.crs)
    if len(out):
        metric = crs or (roads.crs if roads.crs is not None and roads.crs.is_projected
                         else choose_metric_crs([out]))
        out["length_m"] = out.geometry.to_crs(metric).length.to_numpy()
    out["layer"] = out["layer"].astype("Int64")
    return out
