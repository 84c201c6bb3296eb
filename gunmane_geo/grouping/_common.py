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


def require_gdf(frame, name: str, columns=(), projected: bool = True) -> gpd.GeoDataFrame:
    """Check that ``frame`` is a GeoDataFrame with a CRS and ``columns``.

    ``projected`` (the layer that sets the analysis CRS): the CRS must also be projected,
    since distances are measured in it (metres).
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"{name} must be a GeoDataFrame (got {type(frame).__name__}); "
                         f"load it with gunmane_geo.io or geopandas.read_file", source=name)
    if frame.crs is None:
        raise InputError("the layer has no coordinate reference system (CRS), so it cannot be "
                         "placed against the other layers; fix: set the CRS it was made in "
                         "(GeoDataFrame.set_crs, e.g. EPSG:6673, or in QGIS), or load it with "
                         "gunmane_geo.io", source=name)
    if projected and not frame.crs.is_projected:
        raise InputError(f"layer CRS {frame.crs.to_string()} is geographic; distances need a "
                         f"projected metric CRS: reproject it (to_crs) to a JGD2011 plane "
                         f"rectangular zone such as EPSG:6673", source=name)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; "
                         f"columns present: {', '.join(map(str, frame.columns))}", source=name)
    return frame


def to_analysis_crs(frame, name: str, crs, reference_name: str, report: LoadReport,
                    columns=()) -> gpd.GeoDataFrame:
    """``frame`` in the analysis CRS ``crs`` (that of the layer ``reference_name``).

    A layer in another CRS (any, geographic included) is reprojected and an info note
    is added to ``report``, as ``gunmane_geo.network`` does; a layer without a CRS is an
    ``InputError`` (source ``name``).
    """
    require_gdf(frame, name, columns, projected=False)
    if frame.crs.equals(crs):
        return frame
    report.add(name, name, f"reprojected from {frame.crs.to_string()} to {crs.to_string()}, "
               f"the CRS of {reference_name} (the analysis CRS)", severity="info", action="note")
    return frame.to_crs(crs)


def require_network_crs(network, crs, reference_name: str) -> None:
    """Raise ``InputError`` when a ``Network`` is in another CRS than the analysis CRS.

    A built network is not reprojected: its nodes, edges and caches are tied to its CRS.
    Objects without a ``crs`` (a ``TravelGraph``) are taken to be in the analysis CRS.
    """
    net_crs = getattr(network, "crs", None)
    if net_crs is None:
        return
    from pyproj import CRS
    if not CRS.from_user_input(net_crs).equals(crs):
        raise InputError(f"the network is in {CRS.from_user_input(net_crs).to_string()}, "
                         f"{reference_name} in {crs.to_string()}; fix: build the network from "
                         f"layers in {crs.to_string()} (gunmane_geo.network_from_region on the "
                         "same region), or pass roads instead (they are reprojected)",
                         source="network")


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
