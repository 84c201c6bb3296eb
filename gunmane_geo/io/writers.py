"""Writing outputs: GeoPackage with several layers and tables, CSV for Excel."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

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


def write_layers(gpkg_path, layers: dict, *, settings=None, report: LoadReport | None = None,
                 mode: str = "w") -> Path:
    """Write frames to one GeoPackage, one layer (or attribute table) per entry.

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
    mode : {"w", "a"}
        ``"w"`` replaces the file; ``"a"`` adds layers to it (a layer of the same
        name is replaced).
    """
    import geopandas as gpd
    import pyogrio
    path = Path(gpkg_path)
    if mode not in ("w", "a"):
        raise ValueError("mode must be 'w' or 'a'")
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "w" and path.exists():
        path.unlink()
    tables = dict(layers)
    if report is not None:
        tables["load_report"] = report.to_frame()
        tables["load_summary"] = report.summary()
    if settings is not None:
        tables["run_settings"] = settings_table(settings)
    for name, frame in tables.items():
        if frame is None or not isinstance(frame, pd.DataFrame):
            continue
        if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
            out = _writable(frame)
            geometry_type = None
            if len(out) == 0:
                geometry_type = "Unknown"
            elif out.geometry.geom_type.nunique() > 1:
                geometry_type = "Unknown"
            pyogrio.write_dataframe(out, path, layer=name, driver="GPKG",
                                    geometry_type=geometry_type, promote_to_multi=False)
        else:
            out = _writable(pd.DataFrame(frame))
            if out.shape[1] == 0:
                out = pd.DataFrame({"empty": pd.Series([], dtype=object)})
            pyogrio.write_dataframe(out, path, layer=name, driver="GPKG")
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
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return path
