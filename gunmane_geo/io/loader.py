"""Loading a whole run: the ``[inputs]`` of run.toml -> a ``Region`` in one metric CRS."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..crs import check_target_crs, choose_metric_crs
from ..errors import InputError, report_progress
from ..settings import RUN_FILE_TABLES, Settings, read_toml
from .geometry import nonfinite
from .load_report import LoadReport
from .region import Region
from .readers import read_layer, read_population, read_roads
from .sources import file_format

#: top-level tables of run.toml that are not settings sections (one list, in settings.py)
NON_SETTINGS_TABLES = RUN_FILE_TABLES
INPUT_KEYS = ("path", "layer", "field_map", "source_crs")
#: kinds that may be given as several files (a list in run.toml or Python): each file is
#: read with its own layout and the rows are put together (``combine_parts``)
MULTI_FILE_KINDS = ("facilities", "rivers", "emergency_routes", "other_assets", "railways")


def _input_spec(kind, spec, source, base_dir=None) -> dict:
    """One input as ``{path, layer, field_map, source_crs}``; a list of files (kinds in
    ``MULTI_FILE_KINDS``) as ``{path: the first file, parts: [spec, ...]}``."""
    if kind not in schema.LAYER_KINDS:
        raise InputError(f"[inputs] names unknown layer kind '{kind}'; kinds are: "
                         f"{', '.join(schema.LAYER_KINDS)}", source=source)
    if isinstance(spec, dict) and "parts" in spec:      # already normalised
        spec = list(spec["parts"])
    if isinstance(spec, (list, tuple)):
        if kind not in MULTI_FILE_KINDS:
            raise InputError(f"[inputs] {kind} is a list of files; only "
                             f"{', '.join(MULTI_FILE_KINDS)} may come as several files; fix: "
                             f"merge the {kind} into one file (e.g. in QGIS: ベクタレイヤのマージ)",
                             source=source)
        if not spec:
            raise InputError(f"[inputs] {kind} is an empty list; name at least one file",
                             source=source)
        parts = [_input_spec(kind, one, source, base_dir) for one in spec]
        if len(parts) == 1:
            return parts[0]
        return {"path": parts[0]["path"], "parts": parts}
    if isinstance(spec, (str, Path)):
        spec = {"path": str(spec)}
    if not isinstance(spec, dict) or "path" not in spec:
        raise InputError(f"[inputs] {kind} must be a path or a table with path = \"...\" "
                         "(and optionally layer, field_map, source_crs)", source=source)
    unknown = [k for k in spec if k not in INPUT_KEYS]
    if unknown:
        raise InputError(f"[inputs.{kind}] unknown key(s) {', '.join(unknown)}; known keys: "
                         f"{', '.join(INPUT_KEYS)}", source=source)
    spec = dict(spec)
    path = Path(spec["path"])
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    spec["path"] = path
    if spec.get("field_map") is not None and not isinstance(spec["field_map"], dict):
        raise InputError(f"[inputs.{kind}] field_map must be a table of "
                         "\"source column\" = \"canonical field\"", source=source)
    return spec


def load_run_config(toml_path) -> tuple[dict, Settings]:
    """Read run.toml: its ``[inputs]`` table and its settings sections.

    ``[inputs]`` maps a layer kind to a path (relative to the TOML file) or to a table
    ``{path = "...", layer = "...", field_map = {...}, source_crs = "EPSG:..."}``; the
    kinds of ``MULTI_FILE_KINDS`` also to a list of those (``facilities = ["P04.geojson",
    "P29.geojson", "P02.shp"]``).
    Every other table except ``NON_SETTINGS_TABLES`` is a settings section
    (``Settings.from_dict``: unknown sections/keys are errors).

    Returns
    -------
    (dict, Settings)
        kind -> spec dict with an absolute ``path``; the settings.
    """
    toml_path = Path(toml_path)
    try:
        data, note = read_toml(toml_path)      # UTF-8 (BOM dropped) or CP932 (note)
    except FileNotFoundError:
        raise InputError("run configuration not found; check the path (--config)",
                         source=toml_path) from None
    if "inputs" not in data or not isinstance(data["inputs"], dict) or not data["inputs"]:
        raise InputError("no [inputs] table; add one, e.g. [inputs] bridges = \"bridges.csv\"",
                         source=toml_path)
    base = toml_path.resolve().parent
    inputs = {kind: _input_spec(kind, spec, str(toml_path), base)
              for kind, spec in data["inputs"].items()}
    settings_data = {k: v for k, v in data.items() if k not in NON_SETTINGS_TABLES}
    try:
        settings = Settings.from_dict(settings_data, source=str(toml_path))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if note:
        settings.read_notes = [(str(toml_path), note)]
    return inputs, settings


def load_region(inputs: dict, settings: Settings | None = None, base_dir=None, progress=None,
                report: LoadReport | None = None) -> Region:
    """Read every input layer, check it, and bring all of them into one metric CRS.

    Parameters
    ----------
    inputs : dict
        Layer kind -> path, or dict(path=..., layer=..., field_map=..., source_crs=...).
    settings : Settings, optional
        ``settings.io.target_crs`` names the CRS; when None it is chosen from the data
        (``gunmane_geo.crs.choose_metric_crs``: the municipalities' prefecture, else the
        centre of the data).
    base_dir : path, optional
        Folder that relative paths are relative to (default: the current folder).
    progress : callable, optional
        ``progress(fraction, message)``; returning True cancels.

    Returns
    -------
    Region
        Layers in canonical columns, reprojected; ``region.report`` holds every skipped,
        repaired or converted feature.  When roads come from OSM PBF and no bridge
        inventory is given, the OSM bridge ways become ``region.bridges``.
    """
    settings = settings or Settings()
    report = report if report is not None else LoadReport()
    specs = {kind: _input_spec(kind, spec, "inputs", base_dir) for kind, spec in inputs.items()}
    for source, note in getattr(settings, "read_notes", ()):
        report.add(source, "settings", note, severity="info")
    frames: dict = {}
    osm_bridges = None
    n = max(len(specs), 1)
    for i, (kind, spec) in enumerate(specs.items()):
        report_progress(progress, i / (n + 1), f"reading {kind}: {spec['path'].name}")
        kwargs = dict(layer=spec.get("layer"), field_map=spec.get("field_map"), report=report,
                      source_crs=spec.get("source_crs"), settings=settings)
        if kind == "population":
            frames[kind] = read_population(spec["path"], **kwargs)
        elif kind == "roads":
            # the OSM bridge ways are the bridges only when no inventory is given
            scan = "bridges" not in specs and file_format(spec["path"]) == "pbf"
            frames[kind] = read_roads(spec["path"], with_bridges=scan, **kwargs)
            if scan:
                frames[kind], osm_bridges = frames[kind]
        elif "parts" in spec:
            frames[kind] = combine_parts(
                [read_layer(part["path"], kind, **{**kwargs, **{k: part.get(k) for k in (
                    "layer", "field_map", "source_crs")}}) for part in spec["parts"]],
                kind, spec["parts"], report)
        else:
            frames[kind] = read_layer(spec["path"], kind, **kwargs)
    if "bridges" not in frames and osm_bridges is not None and len(osm_bridges) \
            and "osm_way_id" in osm_bridges.columns:
        frames["bridges"] = osm_bridges
        report.add(specs["roads"]["path"], "bridges",
                   f"no bridge inventory given: {len(osm_bridges)} OSM bridge ways used as bridges",
                   severity="info")
    report_progress(progress, n / (n + 1), "reprojecting")
    geo = {k: v for k, v in frames.items() if hasattr(v, "geometry") and hasattr(v, "crs")}
    if settings.io.target_crs:
        target = check_target_crs(settings.io.target_crs)
    else:
        codes = None
        for kind in ("municipalities", "bridges", "staff"):
            if kind in frames and "municipality_code" in getattr(frames[kind], "columns", []):
                codes = frames[kind]["municipality_code"].dropna().tolist()
                break
        target = choose_metric_crs(list(geo.values()), prefecture_codes=codes)
        report.add("inputs", "region", f"metric CRS chosen from the data: {target}",
                   severity="info")
    for kind, gdf in geo.items():
        if len(gdf):
            frames[kind] = _finite_after_reprojection(gdf.to_crs(target), kind, target, report,
                                                      specs)
    if "bridges" in frames and "municipalities" in frames:
        frames["bridges"] = _bridges_in_municipalities(frames["bridges"], frames["municipalities"],
                                                       report, specs)
        frames["bridges"] = manager_codes(frames["bridges"], frames["municipalities"], report,
                                          _bridge_source(specs))
    if "emergency_routes" in frames and len(frames["emergency_routes"]):
        for kind in ("roads", "bridges"):
            if kind in frames and hasattr(frames[kind], "geometry"):
                frames[kind] = mark_emergency_routes(
                    frames[kind], frames["emergency_routes"], kind, report,
                    str(specs["emergency_routes"]["path"]),
                    settings.io.emergency_route_tolerance_m)
    check_plausibility(frames, specs, settings, report, originals=geo)
    region = Region(crs=target, report=report,
                    sources={k: "; ".join(str(p["path"]) for p in s["parts"]) if "parts" in s
                             else str(s["path"]) for k, s in specs.items()})
    for kind, frame in frames.items():
        setattr(region, kind, frame)
    report_progress(progress, 1.0, "loaded")
    return region


def combine_parts(frames, kind, parts, report):
    """The layers read from several files of one kind as one layer.

    Each row keeps its ``source_row`` and gets ``source_file`` (the file's name); the
    layers are brought into the first one's CRS.  An id (``facility_id`` ...) that an
    earlier file already used becomes ``<file stem>:<id>`` (one info row per file), so
    that ids stay unique and every row is kept.

    Parameters
    ----------
    frames : list of GeoDataFrame
        Canonical layers, in the order of ``parts``.
    kind : str
    parts : list of dict
        The input specs (``path``) of the files.
    report : LoadReport

    Returns
    -------
    GeoDataFrame
    """
    import geopandas as gpd
    from .canonical import ID_FIELD
    id_col = ID_FIELD.get(kind)
    crs = next((f.crs for f in frames if getattr(f, "crs", None) is not None), None)
    seen: set = set()
    out = []
    for frame, part in zip(frames, parts):
        frame = frame.copy()
        path = Path(part["path"])
        frame["source_file"] = path.name
        if crs is not None and frame.crs is not None and frame.crs != crs:
            frame = frame.to_crs(crs)
        if id_col and id_col in frame.columns:
            ids = frame[id_col].astype(str)
            clash = ids.isin(seen).to_numpy()
            if clash.any():
                frame.loc[clash, id_col] = [f"{path.stem}:{i}" for i in ids[clash]]
                shown = ", ".join(ids[clash].tolist()[:5])
                report.add(str(path), kind, f"{int(clash.sum())} {id_col} values already used by an "
                           f"earlier {kind} file ({shown}{' ...' if clash.sum() > 5 else ''}): "
                           f"renamed '{path.stem}:<id>'", severity="info", action="filled",
                           field=id_col)
            seen.update(frame[id_col].astype(str))
        out.append(frame)
    combined = pd.concat(out, ignore_index=True)
    order = [c for c in combined.columns if c != "geometry"] + ["geometry"]
    combined = gpd.GeoDataFrame(combined[order], geometry="geometry", crs=crs)
    report.add("; ".join(Path(p["path"]).name for p in parts), kind,
               f"{len(parts)} {kind} files put together: "
               + ", ".join(f"{Path(p['path']).name} {len(f)}" for p, f in zip(parts, frames))
               + f" = {len(combined)} features (column source_file)", severity="info",
               action="note")
    return combined


def _finite_after_reprojection(gdf, kind, target, report, specs):
    """Rows whose coordinates the reprojection made infinite (a point far outside the
    CRS's area, latitudes beyond 90 degrees): skipped and reported."""
    from .canonical import ID_FIELD
    bad = nonfinite(gdf.geometry.values)
    if not bad.any():
        return gdf
    source = str(specs[kind]["path"]) if kind in specs else "inputs"
    id_col = ID_FIELD.get(kind)
    parts = {Path(p["path"]).name: str(p["path"]) for p in specs.get(kind, {}).get("parts", ())}
    for idx in gdf.index[bad]:
        # a row of several files names its own file (``combine_parts``: source_file)
        file = parts.get(gdf.at[idx, "source_file"]) if "source_file" in gdf.columns else None
        row = gdf.at[idx, "source_row"] if "source_row" in gdf.columns else None
        fid = gdf.at[idx, id_col] if id_col and id_col in gdf.columns else None
        report.add(file or source, kind, f"coordinates cannot be reprojected to {target} (the result "
                   "is not finite): skipped; fix: check the layer's CRS (source_crs) and the "
                   "coordinates of this feature", row=None if row is None else int(row),
                   feature_id=None if fid is None else str(fid), severity="error",
                   action="skipped", field="geometry")
    return gdf[~bad].copy()


#: a bridge farther than this from every municipality polygon lies outside them all
OUTSIDE_MUNICIPALITY_TOLERANCE_M = 1000.0
#: share of the bridges far from every road (over [network] bridge_match_tolerance_m)
#: or outside every municipality above which the console says WARNING with the likely cause
IMPLAUSIBLE_SHARE = 0.10


def _likely_cause(source_points, municipalities):
    """The likely cause of misplaced bridges, in words.  ``source_points``: those bridges'
    points in their source CRS (a GeoSeries); when exchanging their x and y there puts
    most of them inside the municipalities, it says X and Y are exchanged."""
    import geopandas as gpd
    import shapely
    text = ("likely cause: X座標/Y座標 (or x/y, 緯度/経度) exchanged, or the wrong CRS / "
            "平面直角座標系 zone (source_crs)")
    if municipalities is not None and len(municipalities) and source_points is not None \
            and len(source_points) and source_points.crs is not None:
        try:
            xy = shapely.get_coordinates(source_points.values)
            swapped = gpd.GeoSeries(shapely.points(xy[:, 1], xy[:, 0]),
                                    crs=source_points.crs).to_crs(municipalities.crs)
            swapped = swapped[~nonfinite(swapped.values)]
            tree = shapely.STRtree(municipalities.geometry.values)
            hit, _ = tree.query(swapped.values, predicate="intersects")
            n_in = len(np.unique(hit))
        except Exception:   # a swap that cannot be reprojected is no evidence
            n_in = 0
        if n_in > 0.5 * len(source_points):
            text = (f"likely cause: the X/Y columns are exchanged (with x and y exchanged, "
                    f"{n_in} of {len(source_points)} lie inside the municipalities; X座標 is "
                    "the northing in the survey convention), or else the wrong CRS / zone "
                    "(source_crs)")
    return text + "; check the layers together in QGIS"


def check_plausibility(frames, specs, settings, report, originals=None) -> None:
    """Cross-layer checks that change results without failing, as console alerts
    (``LoadReport.alert``) and report rows:

    * bridges outside every municipality (farther than
      ``OUTSIDE_MUNICIPALITY_TOLERANCE_M``);
    * bridges farther than ``[network] bridge_match_tolerance_m`` from every road;
    * municipalities without a row in the staff table (grouping counts 0 staff).

    A share over ``IMPLAUSIBLE_SHARE`` of the bridges (or all of them) is a strong alert
    naming the likely cause (X/Y exchanged, wrong CRS or zone); ``originals`` (kind ->
    layer in its source CRS) lets it test whether exchanging x and y would fit."""
    import geopandas as gpd
    import shapely
    bridges = frames.get("bridges")
    munis = frames.get("municipalities")
    roads = frames.get("roads")
    if bridges is not None and len(bridges) and hasattr(bridges, "geometry"):
        source = str(specs["bridges"]["path"]) if "bridges" in specs else \
            str(specs.get("roads", {}).get("path", "bridges"))
        name = Path(source).name
        pts = shapely.point_on_surface(bridges.geometry.values)
        src = (originals or {}).get("bridges")
        src_pts = None
        if src is not None and len(src) == len(bridges) and hasattr(src, "geometry"):
            src_pts = src.geometry.reset_index(drop=True)
            src_pts = gpd.GeoSeries(shapely.point_on_surface(src_pts.values), crs=src.crs)
        ids = bridges["bridge_id"].astype(str).to_numpy() if "bridge_id" in bridges.columns \
            else np.array([str(i) for i in range(1, len(bridges) + 1)])
        n = len(pts)

        def nearest(layer):
            tree = shapely.STRtree(layer.geometry.values)
            (src, _), dist = tree.query_nearest(pts, return_distance=True)
            d = np.full(n, np.inf)
            np.minimum.at(d, src, dist)
            return d

        def examples(d, mask):
            order = np.flatnonzero(mask)[:3]
            return ", ".join(f"{ids[i]} {d[i]:,.0f} m" for i in order)

        if munis is not None and len(munis):
            d = nearest(munis)
            out = d > OUTSIDE_MUNICIPALITY_TOLERANCE_M
            k = int(out.sum())
            if k:
                strong = k / n > IMPLAUSIBLE_SHARE
                msg = (f"{k} of {n} bridges in {name} lie outside every municipality (more "
                       f"than {OUTSIDE_MUNICIPALITY_TOLERANCE_M:,.0f} m away: "
                       f"{examples(d, out)})")
                msg += ("; " + _likely_cause(None if src_pts is None else src_pts[out], munis)) if strong else \
                    "; check their location"
                report.alert(source, "bridges", msg, kind="outside_municipalities",
                             strong=strong, field="geometry")
        if roads is not None and len(roads) and hasattr(roads, "geometry"):
            tol = float(settings.network.bridge_match_tolerance_m)
            d = nearest(roads)
            far = d > tol
            k = int(far.sum())
            if k:
                strong = k / n > IMPLAUSIBLE_SHARE
                msg = (f"{k} of {n} bridges in {name} lie farther than {tol:g} m "
                       f"([network] bridge_match_tolerance_m) from every road "
                       f"({examples(d, far)}): they stay unmatched, with no detour or "
                       "criticality")
                msg += ("; " + _likely_cause(None if src_pts is None else src_pts[far], munis)) if strong else \
                    "; check their location or raise bridge_match_tolerance_m"
                report.alert(source, "bridges", msg, kind="far_from_roads", strong=strong,
                             field="geometry")
    staff = frames.get("staff")
    if staff is not None and munis is not None and len(munis) \
            and "municipality_code" in getattr(staff, "columns", []):
        have = set(staff["municipality_code"].dropna().astype(str))
        missing = [str(c) for c in munis["municipality_code"] if str(c) not in have]
        if missing:
            source = str(specs["staff"]["path"])
            names = dict(zip(munis["municipality_code"].astype(str),
                             munis.get("municipality_name", munis["municipality_code"])))
            shown = ", ".join(f"{c} {names.get(c, '')}".strip() for c in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            report.alert(source, "staff", f"{len(missing)} of {len(munis)} municipalities have "
                         f"no row in the staff table {Path(source).name} ({shown}{more}): "
                         "grouping counts them as 0 technical staff; fix: add their rows "
                         "(0 when there really is none)", kind="staff_missing",
                         field="municipality_code")


#: share of a road line that must lie along an emergency route for the road to be on it
EMERGENCY_SHARE = 0.5


def mark_emergency_routes(layer, routes, kind, report, source, tolerance_m):
    """Set ``emergency_route`` (True) and ``emergency_tier`` (the lowest tier, 1 = 第1次) on
    the roads or bridges that lie along an emergency-route line (国土数値情報 N10).

    A line (road, bridge line) is on a route when at least ``EMERGENCY_SHARE`` of its
    length lies within ``tolerance_m`` of the route's lines; a bridge point when it lies
    within ``tolerance_m``.  A flag given in the source stays True; the tier fills only
    where none is given.  One info row per layer gives the counts.  Both layers must be
    in the same metric CRS (``load_region`` reprojects first).

    Parameters
    ----------
    layer : GeoDataFrame
        Canonical roads or bridges.
    routes : GeoDataFrame
        Canonical emergency routes (``emergency_tier`` optional).
    kind : str
        ``"roads"`` or ``"bridges"`` (for the report).
    report : LoadReport
    source : str
        The emergency-route file, named in the report row.
    tolerance_m : float
        Metres.

    Returns
    -------
    GeoDataFrame
        ``layer`` with ``emergency_route`` (boolean) and ``emergency_tier`` (Int64).
    """
    import shapely
    layer = layer.copy()
    geoms = layer.geometry.to_numpy()
    tiers = (routes["emergency_tier"].to_numpy(dtype=object) if "emergency_tier" in routes.columns
             else np.full(len(routes), None, dtype=object))
    buffers = shapely.buffer(routes.geometry.to_numpy(), tolerance_m)
    tree = shapely.STRtree(buffers)
    on = np.zeros(len(layer), bool)
    tier = np.full(len(layer), None, dtype=object)
    src, dst = tree.query(geoms, predicate="intersects")
    for i in np.unique(src):
        hits = dst[src == i]
        geom = geoms[i]
        if geom.geom_type in ("Point", "MultiPoint"):
            ok = True
        else:
            length = shapely.length(geom)
            inside = shapely.length(shapely.intersection(geom, shapely.union_all(buffers[hits])))
            ok = length > 0 and inside >= EMERGENCY_SHARE * length
        if ok:
            on[i] = True
            known = [int(t) for t in tiers[hits] if t is not None and t is not pd.NA
                     and not (isinstance(t, float) and np.isnan(t))]
            tier[i] = min(known) if known else None
    given = (layer["emergency_route"].fillna(False).to_numpy(bool)
             if "emergency_route" in layer.columns else np.zeros(len(layer), bool))
    layer["emergency_route"] = pd.array(given | on, dtype="boolean")
    old_tier = (layer["emergency_tier"].astype("Int64") if "emergency_tier" in layer.columns
                else pd.Series(pd.array([pd.NA] * len(layer), dtype="Int64"), index=layer.index))
    new_tier = pd.array([t if t is not None else pd.NA for t in tier], dtype="Int64")
    layer["emergency_tier"] = old_tier.where(old_tier.notna(), pd.Series(new_tier,
                                                                        index=layer.index))
    counts = pd.Series([t for t in tier if t is not None]).value_counts().sort_index()
    by_tier = ", ".join(f"第{int(t)}次 {int(n)}" for t, n in counts.items())
    report.add(source, kind, f"{int(on.sum())} of {len(layer)} {kind} lie along an emergency "
               f"transport route (緊急輸送道路, within {tolerance_m:g} m"
               + (f" for at least {EMERGENCY_SHARE:.0%} of their length" if kind == "roads" else "")
               + "): emergency_route = true" + (f" ({by_tier})" if by_tier else "")
               + ("; a bridge that crosses over such a road is marked too: check grade "
                  "separations" if kind == "bridges" and on.any() else ""),
               severity="info", action="filled", field="emergency_route")
    return layer


def _bridge_source(specs) -> str:
    return str(specs["bridges"]["path"]) if "bridges" in specs else \
        str(specs.get("roads", {}).get("path", "bridges"))


def municipalities_by_name(municipalities) -> dict:
    """``{name: [(code, prefecture name or None), ...]}`` of a municipalities layer, under
    the name alone and under prefecture + name (``北海道札幌市``)."""
    prefs = (municipalities["prefecture_name"] if "prefecture_name" in municipalities.columns
             else pd.Series([None] * len(municipalities), index=municipalities.index))
    by_name: dict = {}
    for code, name, pref in zip(municipalities["municipality_code"],
                                municipalities["municipality_name"], prefs):
        if isinstance(name, str) and name:
            entry = (str(code), pref if isinstance(pref, str) else None)
            by_name.setdefault(name, []).append(entry)
            if entry[1]:
                by_name.setdefault(entry[1] + name, []).append(entry)
    return by_name


def named_codes(by_name: dict, name, bridges, idx) -> list[str]:
    """The codes of the municipalities called ``name`` (``municipalities_by_name``); when
    several share it, those of bridge ``idx``'s own prefecture (its ``prefecture_name`` or
    ``都道府県名``), if any."""
    hits = by_name.get(name.strip(), []) if isinstance(name, str) else []
    pref_col = next((c for c in ("prefecture_name", "都道府県名") if c in bridges.columns), None)
    if len(hits) > 1 and pref_col is not None:
        own = bridges.at[idx, pref_col]
        hits = [h for h in hits if h[1] == own] or hits
    return sorted({h[0] for h in hits})


def manager_codes(bridges, municipalities, report, source="bridges"):
    """``manager_code``: the municipality code of the manager of each municipal bridge,
    found by its ``manager_name`` (管理者名) in the municipalities layer.

    A name matches a municipality whose ``municipality_name`` equals it, or equals it
    after the prefecture's name (``北海道札幌市`` -> 札幌市 of 北海道).  When several
    municipalities share the name (府中市 in 東京都 and 広島県), the bridge's own
    prefecture (a ``都道府県名`` column, or ``prefecture_name``) decides; otherwise the
    name stays unmatched.  A ``manager_code`` given in the file is kept.  Unmatched
    names of municipal managers are reported once per name (info, with the rows).

    Parameters
    ----------
    bridges : GeoDataFrame
        Canonical bridges (``manager``, ``manager_name``).
    municipalities : GeoDataFrame
        Canonical municipalities (``municipality_code``, ``municipality_name``, optional
        ``prefecture_name``).
    report : LoadReport
        Where the filled count and the unmatched names go.
    source : str
        The bridge file, for the report rows.

    Returns
    -------
    GeoDataFrame
        ``bridges`` with ``manager_code`` (str or None).
    """
    if "manager_name" not in bridges.columns or "municipality_name" not in municipalities.columns:
        return bridges
    bridges = bridges.copy()
    if "manager_code" not in bridges.columns:
        bridges["manager_code"] = None
    by_name = municipalities_by_name(municipalities)
    filled = 0
    unmatched: dict = {}
    for idx in bridges.index:
        given = bridges.at[idx, "manager_code"]
        name = bridges.at[idx, "manager_name"]
        if isinstance(given, str) and given or not isinstance(name, str):
            continue
        manager = bridges.at[idx, "manager"] if "manager" in bridges.columns else None
        if manager not in (None, "municipality") and not (isinstance(manager, float)
                                                           and np.isnan(manager)):
            continue
        codes = named_codes(by_name, name, bridges, idx)
        if len(codes) == 1:
            bridges.at[idx, "manager_code"] = codes[0]
            filled += 1
        elif manager == "municipality":
            why = ("several municipalities have this name: " + ", ".join(codes)) if codes else \
                "no municipality of this name in the municipalities layer"
            unmatched.setdefault((name, why), []).append(bridges.at[idx, "source_row"]
                                                         if "source_row" in bridges.columns
                                                         else None)
    if filled:
        report.add(source, "bridges", f"manager_code (the managing municipality's code) found "
                   f"from manager_name (管理者名) for {filled} bridges", severity="info",
                   action="filled", field="manager_code")
    for (name, why), rows in unmatched.items():
        shown = ", ".join(str(r) for r in rows[:10] if r is not None)
        more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
        report.add(source, "bridges", f"管理者名 '{name}' ({len(rows)} bridges, rows {shown}{more}): "
                   f"{why}; manager_code left empty; fix: add a manager_code column, or check "
                   "the name against the municipalities layer", severity="info", action="note",
                   field="manager_code")
    return bridges


def _bridges_in_municipalities(bridges, municipalities, report, specs):
    """Fill a missing bridge municipality_code from the municipality it lies in; warn when
    a bridge lies in no municipality or its code is not a municipality of the run."""
    import geopandas as gpd
    source = str(specs["bridges"]["path"]) if "bridges" in specs else str(specs["roads"]["path"])
    pts = gpd.GeoDataFrame(geometry=bridges.geometry.representative_point(), crs=bridges.crs)
    joined = gpd.sjoin(pts, municipalities[["municipality_code", "geometry"]], how="left",
                       predicate="intersects")
    located = joined.groupby(level=0)["municipality_code"].first().reindex(bridges.index)
    bridges = bridges.copy()
    if "municipality_code" not in bridges.columns:
        bridges["municipality_code"] = None
    known = set(municipalities["municipality_code"])

    def row_of(idx):
        return bridges.at[idx, "source_row"] if "source_row" in bridges.columns else None

    by_name = (municipalities_by_name(municipalities)
               if "municipality_name" in municipalities.columns else {})
    filled = 0
    for idx in bridges.index:
        code, where = bridges.at[idx, "municipality_code"], located.get(idx)
        where = None if where is None or (isinstance(where, float) and np.isnan(where)) else where
        fid = bridges.at[idx, "bridge_id"]
        if code is None or (isinstance(code, float) and np.isnan(code)) or code is pd.NA:
            if where is not None:
                bridges.at[idx, "municipality_code"] = where
                filled += 1
            elif (named := _code_by_name(bridges, idx, by_name)) is not None:
                bridges.at[idx, "municipality_code"] = named
                report.add(source, "bridges", f"bridge lies outside every municipality polygon "
                           f"(over the sea, or off the coast): municipality_code {named} "
                           "taken from its 市町村名", row=row_of(idx), feature_id=fid,
                           severity="info", action="filled", field="municipality_code")
            else:
                report.add(source, "bridges", "bridge lies in none of the municipalities and has "
                           "no municipality_code", row=row_of(idx), feature_id=fid,
                           severity="warning", field="municipality_code")
        elif code not in known:
            report.add(source, "bridges", f"municipality_code {code} is not a municipality of "
                       "this run", row=row_of(idx), feature_id=fid, severity="warning",
                       field="municipality_code")
        elif where is None:
            report.add(source, "bridges", f"bridge lies outside every municipality (its code is "
                       f"{code}); check its location", row=row_of(idx), feature_id=fid,
                       severity="warning", field="geometry")
        elif where != code:
            report.add(source, "bridges", f"municipality_code {code} but the bridge lies in "
                       f"{where}; check the code or the location", row=row_of(idx),
                       feature_id=fid, severity="warning", field="municipality_code")
    if filled:
        report.add(source, "bridges", f"municipality_code filled from the location for {filled} "
                   "bridges", severity="info", action="filled", field="municipality_code")
    return bridges


def _code_by_name(bridges, idx, by_name: dict) -> str | None:
    """The municipality code of bridge ``idx`` from its 市町村名 (the inspection
    database's location municipality), when the name matches one municipality of the
    run (the bridge's prefecture settles a shared name); else None."""
    col = next((c for c in ("市町村名", "municipality_name") if c in bridges.columns), None)
    if col is None:
        return None
    codes = named_codes(by_name, bridges.at[idx, col], bridges, idx)
    return codes[0] if len(codes) == 1 else None


__all__ = ["load_region", "load_run_config", "manager_codes", "mark_emergency_routes"]
