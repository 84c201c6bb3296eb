"""Writing options outputs: GeoPackage layers with geometry, CSV (UTF-8 with BOM), run settings."""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..settings import Settings
from .costs import ILLUSTRATIVE_NOTE


def run_settings_table(settings: Settings, sections=("costs", "guards"), extra: dict | None = None) -> pd.DataFrame:
    """The parameters a run used, one row per key: ``section``, ``key``, ``value`` (JSON), ``note``.

    Every options output records this table, so that a result can be reproduced
    and a reader sees which (ILLUSTRATIVE by default) unit costs were used.
    """
    data = settings.to_dict()
    rows = []
    for section in sections:
        for key, value in data[section].items():
            rows.append({"section": section, "key": key,
                         "value": json.dumps(value, ensure_ascii=False, default=str)})
    for key, value in (extra or {}).items():
        rows.append({"section": "run", "key": key, "value": json.dumps(value, ensure_ascii=False, default=str)})
    df = pd.DataFrame(rows, columns=["section", "key", "value"])
    df["note"] = ILLUSTRATIVE_NOTE
    return df


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        out["geometry_wkt"] = df.geometry.to_wkt()
    return out


def write_outputs(layers: dict, out_gpkg: str | Path, csv_dir: str | Path | None = None) -> list[Path]:
    """Write each layer to the GeoPackage (and, if asked, a CSV per layer).

    GeoDataFrames become spatial layers, DataFrames attribute-only tables.  CSV
    files are UTF-8 with BOM (``utf-8-sig``) so that Excel in Japan opens them,
    with the geometry as WKT in ``geometry_wkt``.  Returns the paths written.
    """
    out_gpkg = Path(out_gpkg)
    out_gpkg.parent.mkdir(parents=True, exist_ok=True)
    if out_gpkg.exists():
        out_gpkg.unlink()
    written = [out_gpkg]
    for name, df in layers.items():
        if df is None:
            continue
        frame = df.copy()
        for col in frame.columns:
            if frame[col].dtype == bool:
                frame[col] = frame[col].astype("int32")   # GeoPackage has no bool in every reader
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(out_gpkg, layer=name, driver="GPKG", engine="pyogrio")
        else:
            import pyogrio
            pyogrio.write_dataframe(pd.DataFrame(frame), out_gpkg, layer=name, driver="GPKG")
        if csv_dir is not None:
            csv_dir = Path(csv_dir)
            csv_dir.mkdir(parents=True, exist_ok=True)
            path = csv_dir / f"{name}.csv"
            _csv_frame(df).to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
    return written
