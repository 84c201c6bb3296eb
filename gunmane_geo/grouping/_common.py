"""Small shared helpers of the grouping package (input checks, codes, years)."""
from __future__ import annotations


import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputError
from ..io.load_report import LoadReport
from ..settings import Settings


def settings_or_default(settings: Settings | None) -> Settings:
    return settings if settings is not None else Settings()


def report_or_new(report: LoadReport | None) -> LoadReport:
    return report if report is not None else LoadReport()


def reference_year(settings: Settings) -> int:
    """``[grouping] reference_year``, else the run's (``Settings.reference_year``)."""
    year = int(settings.grouping.reference_year or 0)
    return year if year > 0 else settings.reference_year()


def require_gdf(frame, name: str, columns=()) -> gpd.GeoDataFrame:
    """Check that ``frame`` is a GeoDataFrame in a projected CRS with ``columns``."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"{name} must be a GeoDataFrame (got {type(frame).__name__}); "
                         f"load it with gunmane_geo.io or geopandas.read_file", source=name)
    if frame.crs is None:
        raise InputError("layer has no CRS; set one (e.g. EPSG:6673) before grouping", source=name)
    if not frame.crs.is_projected:
        raise InputError(f"layer CRS {frame.crs.to_string()} is geographic; distances need a "
                         f"projected metric CRS: reproject it (to_crs) to a JGD2011 plane "
                         f"rectangular zone such as EPSG:6673", source=name)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; "
                         f"columns present: {', '.join(map(str, frame.columns))}", source=name)
    return frame


def require_same_crs(frame, name: str, reference, reference_name: str) -> None:
    """Raise ``InputError`` (source ``name``) when ``frame``'s CRS differs from ``reference``."""
    if frame.crs != reference:
        raise InputError(f"{name} CRS {frame.crs} differs from {reference_name} CRS {reference}; "
                         "reproject one of them (to_crs)", source=name)


def normalise_code(value) -> str | None:
    """A municipality code as a 5-digit string; ``None`` for missing.

    Integers/floats lose their decimal part; 6-digit codes (with check digit) are cut to 5.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    if text == "" or text.lower() in ("nan", "none", "<na>"):
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit():
        if len(text) == 6:
            text = text[:5]
        text = text.zfill(5)
    return text


def numeric(series: pd.Series | None, n: int, default: float = 0.0) -> np.ndarray:
    if series is None:
        return np.full(n, default, dtype=float)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
