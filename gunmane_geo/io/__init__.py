"""Loading, validating and writing layers (see docs/loading.md and docs/schema.md).

Every reader returns canonical columns (``gunmane_geo.schema``) and records each
skipped, repaired or converted feature in a ``LoadReport``.
"""
from .load_report import LoadReport
from .region import PopulationRaster, Region
from .readers import (read_bridges, read_layer, read_municipalities, read_population,
                      read_roads)
from .osm import osm_bridges_from_roads
from .loader import load_region, load_run_config
from .writers import write_csv, write_layers
from .sources import guess_kind, mesh_polygon

__all__ = [
    "LoadReport", "Region", "PopulationRaster", "read_layer", "read_bridges", "read_roads", "read_municipalities",
    "read_population", "osm_bridges_from_roads", "load_region", "load_run_config",
    "write_layers", "write_csv", "guess_kind", "mesh_polygon",
]
