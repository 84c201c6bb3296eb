"""Writing outputs: GeoPackage with several layers and tables, CSV for Excel."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd

from ..errors import InputError, check_interrupt
from .load_report import LoadReport


def _writable(frame):
    """Copy with object columns as text (None kept) and nullable dtypes GDAL accepts."""
    out = frame.copy()
    for col in out.columns:
        if col == "geometry" or (hasattr(out, "geometry") and col == out.geometry.name):
            continue
        series = out[col]
        if series.dtype == object:
            out[col] = [None if v is None or (isinstance(v, float) and v != v) or v is pd.NA
                        else (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list))
                              else str(v)) for v in series]
        elif str(series.dtype) == "boolean":
            out[col] = series.astype("Int64")
        elif str(series.dtype) == "string":
            out[col] = series.astype(object).where(series.notna(), None)
    return out


def settings_table(settings) -> pd.DataFrame:
    """``run_settings`` table: one row per parameter (section, key, JSON value)."""
    data = settings.to_dict() if hasattr(settings, "to_dict") else dict(settings)
    rows = []
    for section, values in data.items():
        if isinstance(values, dict):
            for key, value in values.items():
                rows.append({"section": section, "key": key,
                             "value": json.dumps(value, ensure_ascii=False, default=str)})
        else:
            rows.append({"section": "", "key": section,
                         "value": json.dumps(values, ensure_ascii=False, default=str)})
    return pd.DataFrame(rows, columns=["section", "key", "value"])


@contextlib.contextmanager
def replace_when_done(path):
    """Yield a temporary path beside ``path``; move it onto ``path`` only when the block
    ends without an error (``os.replace``), else remove it.  An interrupted write leaves
    the previous file as it was, or no file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        yield tmp
        check_interrupt()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


#: the table in which gunmane records the layers it wrote into a GeoPackage
OUTPUTS_TABLE = "gunmane_outputs"
#: tables every gunmane command writes (a file from before the registry holds them)
_RUN_TABLES = ("run_settings", "load_report", "load_summary")


def gpkg_layer_names(path) -> list[str]:
    """Layer and table names of an existing GeoPackage (empty when the file is absent)."""
    import pyogrio
    path = Path(path)
    if not path.exists():
        return []
    try:
        return [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not a GeoPackage at all
        from .sources import gdal_reason
        raise InputError(f"the output file exists and is not a GeoPackage gunmane can add "
                         f"layers to ({gdal_reason(exc, path)}); fix: choose another --out "
                         "file name, or move that file away", source=path) from None


def _written_by_gunmane(path, names) -> set[str]:
    """The layers of ``path`` that gunmane wrote (its ``gunmane_outputs`` registry; a file
    written before the registry existed: every layer, when it holds ``run_settings``)."""
    import pyogrio
    if OUTPUTS_TABLE in names:
        table = pyogrio.read_dataframe(path, layer=OUTPUTS_TABLE, read_geometry=False)
        return set(table["layer"].astype(str)) | {OUTPUTS_TABLE}
    if "run_settings" in names and "load_report" in names:
        return set(names)
    return set()


def _check_unlocked(path: Path) -> None:
    """``InputError`` when another program holds a write lock on the GeoPackage (SQLite)."""
    import sqlite3
    try:
        con = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=0.2)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        raise InputError(f"the output GeoPackage cannot be written ({exc}): it is probably open "
                         "for editing in another program; fix: stop editing it in QGIS (or "
                         "close the program), or choose another --out file", source=path) from None
    except sqlite3.DatabaseError as exc:
        raise InputError(f"the output file exists and is not a GeoPackage ({exc}); fix: choose "
                         "another --out file name, or move that file away", source=path) from None


def check_gpkg_target(gpkg_path, layer_names=(), *, protected=()) -> None:
    """Check, before any work, that ``layer_names`` can be written into ``gpkg_path``.

    Parameters
    ----------
    gpkg_path : path
        The output GeoPackage (it may exist: the run adds or replaces its own layers only).
    layer_names : iterable of str
        The layers and tables the run will write.
    protected : iterable of str
        Layers of that file that the run reads (its inputs): never overwritten.

    Raises
    ------
    InputError
        The folder or the file is read-only, the file is locked by another program or is
        no GeoPackage, or a layer to write exists and was not written by gunmane (or is an
        input of the run); each message names the file and the fix.
    """
    path = Path(gpkg_path)
    folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), Path("."))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"the folder {folder} is read-only, so the output cannot be written "
                         "there; fix: choose an --out in a folder you may write to", source=path)
    if not path.exists():
        return
    if not os.access(path, os.W_OK):
        raise InputError("the output GeoPackage is read-only; fix: make it writable or choose "
                         "another --out file", source=path)
    names = gpkg_layer_names(path)
    _check_unlocked(path)
    ours = _written_by_gunmane(path, names)
    protected = set(protected)
    wanted = set(layer_names) | set(_RUN_TABLES) | {OUTPUTS_TABLE}
    inputs = sorted(n for n in wanted if n in names and n in protected)
    if inputs:
        raise InputError(f"the run reads the layer(s) {', '.join(inputs)} from this GeoPackage "
                         "and would overwrite them with its results; fix: give --out another "
                         ".gpkg file (or rename the input layers)", source=path)
    foreign = sorted(n for n in wanted if n in names and n not in ours)
    if foreign:
        raise InputError(f"the GeoPackage already holds layer(s) {', '.join(foreign)} that "
                         "gunmane did not write; they are never overwritten; fix: give --out "
                         "another .gpkg file, or rename those layers", source=path)


def write_layers(gpkg_path, layers: dict, *, settings=None, report: LoadReport | None = None,
                 protected=()) -> Path:
    """Write frames to one GeoPackage, one layer (or attribute table) per entry.

    Safe for a GeoPackage that holds other data (a project GeoPackage with the inputs):
    only the run's own layers are added or replaced, every other layer is kept, and a layer
    that gunmane did not write (or one of ``protected``, the run's inputs) is never
    overwritten (``check_gpkg_target``).  The layers written are recorded in the table
    ``gunmane_outputs`` (layer, written_at).  The file is prepared under a temporary name
    beside the target (``.NAME.partial-PID.gpkg``, a copy of the existing file when there is
    one) and moved into place only when complete: an interruption leaves the previous file
    as it was, or no file.

    Parameters
    ----------
    gpkg_path : path
        The .gpkg file; its folder is created.
    layers : dict
        name -> GeoDataFrame (a spatial layer, in its CRS) or DataFrame (a table
        without geometry).  ``None`` entries and ``PopulationRaster`` objects are
        skipped (rasters stay files; their paths belong in a table of sources).
    settings : Settings, optional
        Recorded as the ``run_settings`` table (section, key, JSON value).
    report : LoadReport, optional
        Written as the ``load_report`` and ``load_summary`` tables.
    protected : iterable of str
        Layers of an existing target file that are inputs of the run.
    """
    import datetime
    import geopandas as gpd
    import pyogrio
    path = Path(gpkg_path)
    tables = dict(layers)
    if report is not None:
        tables["load_report"] = report.to_frame()
        tables["load_summary"] = report.summary()
    if settings is not None:
        tables["run_settings"] = settings_table(settings)
    tables = {k: v for k, v in tables.items() if isinstance(v, pd.DataFrame)}
    check_gpkg_target(path, tables, protected=protected)
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = gpkg_layer_names(path)
    registry = (pyogrio.read_dataframe(path, layer=OUTPUTS_TABLE, read_geometry=False)
                if OUTPUTS_TABLE in previous else pd.DataFrame(columns=["layer", "written_at"]))
    now = datetime.datetime.now().isoformat(timespec="seconds")
    registry = pd.concat([registry[~registry["layer"].isin(list(tables))],
                          pd.DataFrame({"layer": list(tables), "written_at": now})],
                         ignore_index=True)
    with replace_when_done(path) as tmp:
        if path.exists():
            shutil.copy2(path, tmp)
        for name, frame in tables.items():
            if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
                out = _writable(frame)
                geometry_type = None
                if len(out) == 0 or out.geometry.geom_type.nunique() > 1:
                    geometry_type = "Unknown"
                pyogrio.write_dataframe(out, tmp, layer=name, driver="GPKG",
                                        geometry_type=geometry_type, promote_to_multi=False)
            else:
                out = _writable(pd.DataFrame(frame))
                if out.shape[1] == 0:
                    out = pd.DataFrame({"empty": pd.Series([], dtype=object)})
                pyogrio.write_dataframe(out, tmp, layer=name, driver="GPKG")
        pyogrio.write_dataframe(registry.astype(str), tmp, layer=OUTPUTS_TABLE, driver="GPKG")
    return path


def write_csv(df, path, *, geometry: str = "auto") -> Path:
    """Write a table as CSV in UTF-8 with BOM, so that Excel in Japan opens it correctly.

    Parameters
    ----------
    geometry : {"auto", "xy", "wkt", "drop"}
        For a GeoDataFrame: ``"auto"`` writes points as ``x``/``y`` columns (in the
        frame's CRS) and drops other geometries (Excel cannot use them); ``"xy"``
        writes a representative point of every geometry; ``"wkt"`` a WKT column;
        ``"drop"`` nothing.
    """
    import geopandas as gpd
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = pd.DataFrame(df).copy()
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        geom = df.geometry
        out = out.drop(columns=[geom.name])
        is_point = bool(len(geom)) and bool((geom.geom_type == "Point").all())
        if geometry == "xy" or (geometry == "auto" and is_point):
            pts = geom if is_point else geom.representative_point()
            out["x"], out["y"] = pts.x.to_numpy(), pts.y.to_numpy()
        elif geometry == "wkt":
            out["wkt"] = geom.to_wkt().to_numpy()
        elif geometry not in ("auto", "drop"):
            raise ValueError("geometry must be 'auto', 'xy', 'wkt' or 'drop'")
    with replace_when_done(path) as tmp:
        out.to_csv(tmp, index=False, encoding="utf-8-sig")
    return path
