"""gunmane-geo: 群マネ (regional infrastructure group management) for Japanese municipalities.

GeoDataFrames in, GeoDataFrames out.  No QGIS import anywhere in this package.
"""
from .settings import Settings
from .region import Region, PopulationRaster
from .io.load_report import LoadReport

__version__ = "0.1.0"
__all__ = ["Settings", "Region", "PopulationRaster", "LoadReport"]
