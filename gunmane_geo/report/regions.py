"""Reports over several regions as Dask tasks: ``gunmane report --regions-by prefecture``.

``report_regions(config, out_dir, by="prefecture")`` loads run.toml's layers once,
splits them into regions (``split_region``: every prefecture of one N03 file, every
municipality, or the values of any column of the municipalities layer), runs each
region's whole report (``run_report``) as one Dask task into ``out_dir/<region>/`` and
writes one summary table comparing the regions (``regions_summary.csv``, the figures of
each region's page 1: ``report.summary.summary_facts``).

What a region holds: its municipalities; the bridges, other assets and staff of those
municipalities (a feature's own ``municipality_code`` when it names one of the layer,
else its location, as the indicators assign them; a feature outside every polygon goes
to the nearest municipality, where its report lists it as outside); and the roads,
rivers, railways, emergency routes, facilities and population polygons/points within
``[criticality] region_halo_m`` of the region (so detours and the nearest facility may
cross the border; a population raster is read whole).  Each region is analysed as if
it were the whole run on that data: a detour that would leave the halo is measured
without it.  Every input feature is in some region or listed in
``regions_assignment.csv``; the whole load report is ``load_report.csv``.

A region's report is written the way ``run_report`` always writes (a temporary folder
swapped in whole), then ``region.json`` (its summary row and a fingerprint of its data,
settings and stages; written atomically, ``distributed.write_atomically``).  A rerun
reuses every region whose ``region.json`` has the same fingerprint; a region that
fails is reported in the summary (status ``failed`` and the reason) and does not stop
the others.  See docs/report.md "Several regions".
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
import time
import traceback
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputError, report_progress
from ..io.load_report import LoadReport
from ..io.region import PopulationRaster, Region
from ..progress import Progress
from ..settings import Settings

#: ``--regions-by`` names besides a column of the municipalities layer
REGION_KINDS = ("prefecture", "municipality")

#: the file that marks a folder as a sweep over regions (written before any region)
SWEEP_MARKER = "regions.json"
#: each region's record inside its report folder
REGION_RECORD = "region.json"

SUMMARY_COLUMNS = [
    "region", "folder", "status", "reused", "n_municipalities", "n_bridges",
    "share_old_now", "age_threshold_years", "n_rating_34", "n_plan_removals",
    "plan_cost_avoided_yen", "plan_saving_share", "longest_detour_m", "longest_detour_bridge",
    "people_longer_trips", "stages_failed", "seconds", "message"]

#: layers cut by the region's municipalities (by code, else location)
_BY_MUNICIPALITY = ("bridges", "other_assets")
#: layers cut by distance to the region (``[criticality] region_halo_m``)
_BY_DISTANCE = ("roads", "rivers", "railways", "facilities", "emergency_routes")
_ID_COLUMN = {"bridges": "bridge_id", "other_assets": "asset_id"}


# --------------------------------------------------------------------------- splitting
def region_labels(municipalities: gpd.GeoDataFrame, by: str, *,
                  source="municipalities") -> pd.Series:
    """The region (str label) of each municipality row.

    ``"prefecture"``: ``prefecture_name`` (N03_001) where given, else the prefecture of
    the first two digits of ``municipality_code``; ``"municipality"``: its name, or code
    when names repeat; anything else names a column of the municipalities layer.

    Raises
    ------
    InputError
        Naming the rows without a value (and the fix), or an unknown column.
    """
    m = municipalities
    if by == "prefecture":
        from ..crs import PREFECTURES
        code = m["municipality_code"].astype("string").str.strip().str.zfill(5).str[:2] \
            if "municipality_code" in m.columns else pd.Series(pd.NA, index=m.index)
        by_code = code.map(lambda c: PREFECTURES[c][0] if isinstance(c, str) and c in PREFECTURES
                           else pd.NA)
        if "prefecture_name" in m.columns:
            name = m["prefecture_name"].astype("string").str.strip().replace("", pd.NA)
            labels = name.fillna(by_code)
        else:
            labels = by_code
        fix = ("give each municipality a prefecture_name (N03_001) or a 5-digit "
               "municipality_code (N03_007)")
    elif by == "municipality":
        name = m["municipality_name"].astype("string").str.strip()
        code = m["municipality_code"].astype("string").str.strip()
        dup = name.map(name.groupby(name).apply(lambda s: code[s.index].nunique()) > 1)
        labels = name.where(~dup.fillna(False).astype(bool), name + "_" + code)
        fix = "give each municipality a municipality_name"
    else:
        if by not in m.columns:
            cols = ", ".join(c for c in m.columns if c != m.geometry.name)
            raise InputError(f"--regions-by {by}: the municipalities layer has no such column; "
                             f"use prefecture, municipality or one of its columns ({cols})",
                             source=source)
        labels = m[by].astype("string").str.strip().replace("", pd.NA)
        fix = f"fill the column {by} for every municipality"
    bad = labels.isna()
    if bad.any():
        rows = ", ".join(str(int(i) + 1) for i in np.flatnonzero(bad.to_numpy())[:10])
        raise InputError(f"--regions-by {by}: {int(bad.sum())} municipalities have no region "
                         f"(rows {rows}); fix: {fix}", source=source)
    return labels.astype(str)


def folder_names(labels) -> dict:
    """A folder name for each region label: the label with characters that no file system
    takes replaced by ``_``; made unique with ``_2``, ``_3`` ... where two collide."""
    out, used = {}, set()
    for label in labels:
        base = re.sub(r'[<>:"/\\|?*\s\x00-\x1f]+', "_", str(label)).strip("._") or "region"
        name, k = base, 2
        while name.lower() in used or name.lower() in (SWEEP_MARKER, "regions_summary.csv",
                                                        "regions_assignment.csv",
                                                        "load_report.csv"):
            name, k = f"{base}_{k}", k + 1
        used.add(name.lower())
        out[label] = name
    return out


def split_region(region: Region, by: str, *, settings: Settings | None = None):
    """Cut a loaded ``Region`` into one ``Region`` per region label.

    Parameters
    ----------
    region : Region
        The loaded layers (metric CRS); ``municipalities`` is required.
    by : str
        ``"prefecture"``, ``"municipality"`` or a column of the municipalities layer.
    settings : Settings, optional
        ``[criticality] region_halo_m`` (metres): roads and the other network layers
        within this distance of a region belong to it.

    Returns
    -------
    (dict, DataFrame)
        Label -> ``Region`` (in the order of first appearance in the municipalities
        layer), and the assignment table: one row per municipality, bridge, other asset
        and staff row (``layer``, ``feature_id``, ``region``; ``region`` empty with a
        ``reason`` for a feature no region holds).
    """
    settings = settings or Settings()
    src = region.sources if isinstance(region.sources, dict) else {}
    if region.municipalities is None or not len(region.municipalities):
        raise InputError("--regions-by needs a municipalities layer (N03) to split the run "
                         "into regions; fix: add [inputs] municipalities to run.toml",
                         source="inputs")
    halo = float(settings.criticality.region_halo_m)
    if not halo >= 0:
        raise InputError(f"[criticality] region_halo_m must be 0 metres or more, not {halo}",
                         source="settings")
    munis = region.municipalities
    labels = region_labels(munis, by, source=src.get("municipalities", "municipalities"))
    order = list(pd.unique(labels))
    code = munis["municipality_code"].astype(str)
    code_region = dict(zip(code, labels))      # a code split over rows keeps its first region
    assign = [pd.DataFrame({"layer": "municipalities", "feature_id": code.to_numpy(),
                            "region": labels.to_numpy(), "reason": ""})]
    member = {k: [] for k in ("bridges", "other_assets", "staff")}
    for kind in _BY_MUNICIPALITY:
        feats = getattr(region, kind)
        if feats is None or not len(feats):
            continue
        reg, reason = _feature_regions(feats, munis, code_region, kind)
        member[kind] = reg
        ids = feats[_ID_COLUMN[kind]].astype(str) if _ID_COLUMN[kind] in feats.columns \
            else pd.Series(feats.index.astype(str), index=feats.index)
        assign.append(pd.DataFrame({"layer": kind, "feature_id": ids.to_numpy(),
                                    "region": reg.fillna("").to_numpy(),
                                    "reason": reason.to_numpy()}))
    if region.staff is not None and len(region.staff):
        sc = region.staff["municipality_code"].astype(str)
        reg = sc.map(code_region)
        member["staff"] = reg
        assign.append(pd.DataFrame({
            "layer": "staff", "feature_id": sc.to_numpy(), "region": reg.fillna("").to_numpy(),
            "reason": np.where(reg.isna(), "its municipality_code is not in the "
                               "municipalities layer", "")}))
    near = {}
    for kind in _BY_DISTANCE + ("population",):
        feats = getattr(region, kind, None)
        if isinstance(feats, gpd.GeoDataFrame) and len(feats):
            near[kind] = _within(feats, munis, labels, halo)
    # the rows of each region, grouped once (not one full comparison per region)
    muni_rows = _rows_by_value(labels)
    member_rows = {kind: _rows_by_value(m) for kind, m in member.items() if len(m)}
    out = {}
    for label in order:
        sub = copy.copy(region)
        sub.municipalities = munis.iloc[muni_rows.get(label, [])]
        for kind in _BY_MUNICIPALITY + ("staff",):
            feats = getattr(region, kind)
            if feats is not None and len(feats) and kind in member_rows:
                setattr(sub, kind, feats.iloc[member_rows[kind].get(label, [])])
        for kind, hits in near.items():
            setattr(sub, kind, getattr(region, kind).iloc[np.sort(hits.get(label, []))])
        sub.report = _region_report(region.report, label, by, sub, halo)
        out[label] = sub
    table = pd.concat(assign, ignore_index=True)
    return out, table


def _rows_by_value(values) -> dict:
    """``{value: positions}`` of a Series (positions in order; missing values left out)."""
    return pd.Series(np.arange(len(values))).groupby(np.asarray(values, dtype=object)).indices


def _feature_regions(feats, munis, code_region, kind):
    """The region of each feature (by code, else location, else the nearest municipality)
    and, for one that no region holds, why."""
    from ..indicators import assign_municipality
    tmp = feats.copy()
    tmp["_row"] = np.arange(len(tmp))
    assigned, _ = assign_municipality(tmp, munis, layer=kind, id_column=_ID_COLUMN[kind])
    reg = pd.Series(pd.NA, index=feats.index, dtype="object")
    reg.iloc[assigned["_row"].to_numpy()] = assigned["municipality_code"].astype(str) \
        .map(code_region).to_numpy()
    need = reg.isna().to_numpy()
    if need.any() and isinstance(feats, gpd.GeoDataFrame):
        g = feats.geometry.iloc[np.flatnonzero(need)]
        ok = ~(g.isna() | g.is_empty)
        if ok.any():
            pts = gpd.GeoDataFrame({"_row": np.flatnonzero(need)[ok.to_numpy()]},
                                   geometry=g[ok].representative_point().values, crs=feats.crs)
            hit = gpd.sjoin_nearest(pts, munis[["municipality_code", "geometry"]].to_crs(feats.crs),
                                    how="left")
            hit = hit[~hit.index.duplicated(keep="first")]
            reg.iloc[hit["_row"].to_numpy()] = hit["municipality_code"].astype(str) \
                .map(code_region).to_numpy()
    reason = pd.Series(np.where(reg.isna(), "no municipality_code of the layer and no location",
                                ""), index=feats.index)
    return reg, reason


def _within(feats, munis, labels, halo) -> dict:
    """Region label -> positions of ``feats`` within ``halo`` metres of its municipalities."""
    geoms = munis.geometry.to_crs(feats.crs).values
    if halo > 0:
        m_idx, f_idx = feats.sindex.query(geoms, predicate="dwithin", distance=halo)
    else:
        m_idx, f_idx = feats.sindex.query(geoms, predicate="intersects")
    lab = labels.to_numpy()[m_idx]
    df = pd.DataFrame({"label": lab, "pos": f_idx}).drop_duplicates()
    return {k: g["pos"].to_numpy() for k, g in df.groupby("label", sort=False)}


def _region_report(report: LoadReport, label, by, sub: Region, halo) -> LoadReport:
    """The whole load report (the layers were read once for all regions) and a note on
    what this region holds."""
    out = LoadReport(rows=list(report.rows), layers=list(report.layers),
                     console=list(report.console))
    n = {k: (len(getattr(sub, k)) if isinstance(getattr(sub, k, None), pd.DataFrame) else None)
         for k in ("municipalities", "bridges", "roads", "facilities")}
    held = ", ".join(f"{v} {k}" for k, v in n.items() if v is not None)
    out.add("inputs", "region", f"region {label} of --regions-by {by}: {held} (roads and "
            f"facilities within {halo:,.0f} m of the region); the rows above are the load "
            "report of all regions, read once", severity="info", action="note")
    return out


# --------------------------------------------------------------------------- one region
def files_digest(config, settings: Settings, population) -> bytes:
    """A hash of the files a report reads beside its layers: the run file, the effect
    input table and a population raster (the same for every region: read once)."""
    h = hashlib.sha256()
    files = [Path(config)]
    if settings.effect.inputs_table:        # relative to run.toml, as run_analysis reads it
        t = Path(settings.effect.inputs_table)
        files.append(t if t.is_absolute() else Path(config).resolve().parent / t)
    if isinstance(population, PopulationRaster):
        files.append(Path(population.path))
    for path in files:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(f"missing {path}".encode())
    return h.digest()


def region_fingerprint(sub: Region, settings: Settings, config, stages, dpi,
                       digest: bytes | None = None) -> str:
    """A hash of everything a region's report depends on: its layers (values and
    geometry), the settings, the stages, the dpi and the files read beside them
    (``files_digest``; computed here when not given)."""
    from .. import __version__
    h = hashlib.sha256()
    h.update(json.dumps([settings.to_dict(), sorted(stages or []), dpi, __version__],
                        sort_keys=True, default=str).encode())
    h.update(digest if digest is not None else files_digest(config, settings, sub.population))
    for kind in ("municipalities", "roads", "bridges", "rivers", "railways", "facilities",
                 "staff", "other_assets", "population", "emergency_routes"):
        f = getattr(sub, kind, None)
        h.update(kind.encode())
        if isinstance(f, pd.DataFrame):
            plain = f.drop(columns=[f.geometry.name]) if isinstance(f, gpd.GeoDataFrame) else f
            try:
                hashed = pd.util.hash_pandas_object(plain, index=False)
            except TypeError:               # lists, dicts: hashed as their text
                hashed = pd.util.hash_pandas_object(plain.astype(str), index=False)
            h.update(hashed.to_numpy().tobytes())
            h.update(str(list(plain.columns)).encode())
            if isinstance(f, gpd.GeoDataFrame):
                h.update(b"".join(g if g is not None else b"-"
                                  for g in f.geometry.to_wkb(hex=False)))
                h.update(str(f.crs).encode())
        elif f is not None:
            h.update(repr(f).encode())
    return h.hexdigest()


def summary_row(res) -> dict:
    """A region's row of the summary table: the figures of its page 1
    (``summary_facts``: the same numbers the region's report shows)."""
    from .summary import summary_facts
    f = summary_facts(res)
    failed = [s.name for s in res.stages.values() if s.status == "failed"]
    return {"n_municipalities": f.get("n_municipalities"), "n_bridges": f.get("n_bridges"),
            "share_old_now": f.get("old_now"), "age_threshold_years": f.get("age_threshold"),
            "n_rating_34": f.get("n_rating_34"), "n_plan_removals": f.get("plan_n"),
            "plan_cost_avoided_yen": f.get("plan_avoided"),
            "plan_saving_share": f.get("plan_share"),
            "longest_detour_m": f.get("longest_detour_m"),
            "longest_detour_bridge": f.get("longest_detour_bridge"),
            "people_longer_trips": (None if f.get("people") is None else float(f["people"])),
            "stages_failed": " ".join(failed),
            "message": "; ".join(f"{s.name}: {s.message}" for s in res.stages.values()
                                 if s.status == "failed")}


def run_region(config, out_dir, sub: Region, settings: Settings, *, stages=None, dpi=None,
               fingerprint: str = "") -> dict:
    """One region's report into ``out_dir`` (a Dask task): ``run_report`` on the region's
    layers, then ``region.json`` (its summary row and ``fingerprint``), written atomically.

    Never raises for a failed region: returns ``status="failed"`` and the reason (the
    folder keeps what an earlier run wrote, if anything).
    """
    from . import run_report
    from ..distributed import write_atomically
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    try:
        res = run_report(config, out_dir, stages=stages, dpi=dpi, region=sub,
                         settings=settings)
        row = {**summary_row(res), "status": "ok", "seconds": time.perf_counter() - t0}
    except Exception as exc:      # noqa: BLE001 -- a failed region must not lose the others
        last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
        return {"status": "failed", "seconds": time.perf_counter() - t0,
                "message": f"{type(exc).__name__}: {exc}{where}"}
    write_atomically(out_dir / REGION_RECORD,
                     json.dumps({"fingerprint": fingerprint, "row": row}, ensure_ascii=False,
                                indent=1, default=_plain).encode("utf-8"))
    return row


def _plain(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return str(x)


def _reusable(folder: Path, fingerprint: str) -> dict | None:
    """The summary row of a finished region with this fingerprint, else None."""
    from . import MARKER
    try:
        rec = json.loads((folder / REGION_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if rec.get("fingerprint") != fingerprint or not (folder / MARKER).is_file():
        return None
    return rec.get("row")


# --------------------------------------------------------------------------- the sweep
def check_sweep_folder(out_dir) -> None:
    """Refuse, before any work, a folder that is neither new, empty nor an earlier sweep
    (``regions.json``), with the fix."""
    from . import check_report_folder
    out = Path(out_dir)
    if out.is_dir() and any(out.iterdir()) and not (out / SWEEP_MARKER).is_file():
        names = sorted(p.name for p in out.iterdir())[:5]
        raise InputError(f"the folder holds files that gunmane report --regions-by did not "
                         f"write ({', '.join(names)}); fix: choose a new --out folder",
                         source=out)
    if not (out / SWEEP_MARKER).is_file():
        check_report_folder(out)          # a file of that name, a read-only place


def report_regions(config, out_dir, by: str = "prefecture", *, client=None,
                   workers: int | None = None, scheduler: str | None = None, stages=None,
                   dpi: int | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """Each region's report as a Dask task into ``out_dir/<region>/``; the summary table.

    Parameters
    ----------
    config : path
        run.toml with ``[inputs]`` (municipalities required) and settings.
    out_dir : path
        New, empty, or an earlier sweep (its finished regions are reused).
    by : str
        ``"prefecture"``, ``"municipality"`` or a column of the municipalities layer.
    client : distributed.Client, optional
        Used as is; otherwise one is opened (``open_client(workers=, scheduler=)``) and
        closed at the end.
    stages, dpi
        As for ``run_report``.
    progress : callable, optional
        ``progress(fraction, message) -> bool``: one message per finished region.

    Returns
    -------
    DataFrame
        ``SUMMARY_COLUMNS``, one row per region (in the order of the municipalities
        layer): ``status`` ok or failed (with ``message``), ``reused`` (from an earlier
        run), the region's page-1 figures: ``n_bridges`` (municipal bridges),
        ``share_old_now`` (share 0..1 at least ``age_threshold_years`` old),
        ``n_plan_removals``, ``plan_cost_avoided_yen`` (present value over the horizon,
        yen), ``longest_detour_m`` (m), ``people_longer_trips`` (persons).  Also written
        as ``out_dir/regions_summary.csv`` (UTF-8 with BOM).
    """
    from ..distributed import close_client, open_client, require_dask, write_atomically
    from ..io import load_region, load_run_config, write_csv
    require_dask("--regions-by")
    out = Path(out_dir)
    check_sweep_folder(out)
    config = Path(config)
    inputs, settings = load_run_config(config)
    own = client is None
    if own:
        client = open_client(workers=workers, scheduler=scheduler, option="--regions-by")
    try:
        report_progress(progress, 0.0, "loading the layers once for all regions")
        region = load_region(inputs, settings)
        parts, assignment = split_region(region, by, settings=settings)
        folders = folder_names(parts)
        out.mkdir(parents=True, exist_ok=True)
        write_atomically(out / SWEEP_MARKER, json.dumps(
            {"config": str(config.resolve()), "regions_by": by, "stages": stages,
             "regions": [{"region": k, "folder": folders[k]} for k in parts]},
            ensure_ascii=False, indent=1).encode("utf-8"))
        write_csv(assignment, out / "regions_assignment.csv")
        write_csv(region.report.to_frame(), out / "load_report.csv")
        rows, pending = {}, {}
        digest = files_digest(config, settings, region.population)
        for label, sub in parts.items():
            s = copy.deepcopy(settings)
            s.maps.region_name = f"{s.maps.region_name} {label}".strip()
            fp = region_fingerprint(sub, s, config, stages, dpi, digest)
            reused = _reusable(out / folders[label], fp)
            if reused is not None:
                rows[label] = {**reused, "reused": True}
                continue
            # the region's layers go to the cluster as data, not inside the task graph
            fut = client.submit(run_region, config, out / folders[label],
                                client.scatter(sub, hash=False), s,
                                stages=stages, dpi=dpi, fingerprint=fp, pure=False,
                                key=f"gunmane-region-{folders[label]}-{fp[:12]}")
            pending[fut] = label
        done = len(rows)
        if done:
            report_progress(progress, done / len(parts),
                            f"{done} of {len(parts)} regions reused from an earlier run")
        from distributed import as_completed
        for fut in as_completed(list(pending)):
            label = pending[fut]
            try:
                row = fut.result()
            except Exception as exc:  # noqa: BLE001 -- a lost worker: this region only
                row = {"status": "failed", "message": f"{type(exc).__name__}: {exc}"}
            rows[label] = {**row, "reused": False}
            done += 1
            report_progress(progress, done / len(parts),
                            f"region {label} {row['status']} ({done}/{len(parts)})"
                            + (f": {row.get('n_bridges') or 0:,} bridges, "
                               f"{row.get('seconds', 0):.0f} s" if row["status"] == "ok"
                               else f": {row.get('message', '')}"))
    finally:
        if own:
            close_client(client)
    table = pd.DataFrame([{**rows[k], "region": k, "folder": folders[k]} for k in parts],
                         columns=SUMMARY_COLUMNS)
    write_csv(table, out / "regions_summary.csv")
    table.attrs["load_report"] = region.report
    return table
