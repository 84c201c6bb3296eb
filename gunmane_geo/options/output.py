"""Writing options outputs: GeoPackage layers with geometry, CSV (UTF-8 with BOM), run settings."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..io.writers import settings_table, write_csv, write_layers
from .costs import ILLUSTRATIVE_NOTE


def run_settings_table(settings) -> pd.DataFrame:
    """The parameters a run used (section, key, JSON value) with the ILLUSTRATIVE note."""
    df = settings_table(settings)
    df["note"] = ILLUSTRATIVE_NOTE
    return df


def write_outputs(layers: dict, out_gpkg, csv_dir=None, settings=None, report=None,
                  protected=()) -> list[Path]:
    """Write the layers to one GeoPackage (plus ``run_settings``, ``load_report``) and CSVs.

    Keys starting with ``_`` are skipped; ``protected`` layers of an existing GeoPackage
    (the run's inputs) are never overwritten (``io.writers.write_layers``).  CSV files are UTF-8 with BOM so that
    Excel in Japan opens them; spatial layers get ``x``/``y`` (a representative
    point, in the layer's CRS).  Returns the paths written.
    """
    layers = {k: v for k, v in layers.items() if not k.startswith("_") and v is not None}
    tables = dict(layers)
    if settings is not None:
        tables["run_settings"] = run_settings_table(settings)
    path = write_layers(out_gpkg, tables, report=report, protected=protected)
    written = [Path(path)]
    if csv_dir is not None:
        for name, df in tables.items():
            geometry = "xy" if isinstance(df, gpd.GeoDataFrame) else "drop"
            written.append(write_csv(df, Path(csv_dir) / f"{name}.csv", geometry=geometry))
    return written
