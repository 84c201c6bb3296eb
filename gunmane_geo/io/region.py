"""The ``Region``: the loaded layers of one run, in one metric CRS."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .load_report import LoadReport


@dataclass
class PopulationRaster:
    """A population grid kept as a file path plus its CRS (read with rasterio on use)."""
    path: Path
    crs: str


@dataclass
class Region:
    """All input layers of a run, reprojected to ``crs`` (a projected metric CRS).

    Every GeoDataFrame uses the canonical field names of ``gunmane_geo.schema``.
    Layers that were not given are ``None``.  ``population`` is either a
    ``PopulationRaster`` or a GeoDataFrame of polygons/points with a
    ``population`` column.
    """
    crs: str
    municipalities: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    bridges: gpd.GeoDataFrame | None = None
    rivers: gpd.GeoDataFrame | None = None
    railways: gpd.GeoDataFrame | None = None
    facilities: gpd.GeoDataFrame | None = None
    staff: pd.DataFrame | None = None
    other_assets: gpd.GeoDataFrame | None = None
    population: PopulationRaster | gpd.GeoDataFrame | None = None
    emergency_routes: gpd.GeoDataFrame | None = None   # N10 緊急輸送道路 lines
    report: LoadReport = field(default_factory=LoadReport)
    sources: dict = field(default_factory=dict)   # layer kind -> source path
