"""gunmane-geo: 群マネ (regional infrastructure group management) for Japanese municipalities.

GeoDataFrames in, GeoDataFrames out; no QGIS import anywhere in this package.
The public API is re-exported here (loaded on first use, so ``import gunmane_geo``
stays quick)::

    import gunmane_geo as gg
    inputs, settings = gg.load_run_config("sample_layers/run.toml")
    region = gg.load_region(inputs, settings)
    net = gg.network_from_region(region, settings)
    crit = gg.bridge_criticality(net, settings=settings)   # one row per bridge
    options = gg.generate_options(region.bridges, crit, net, settings)

See docs/architecture.md for where each concern lives.
"""
from importlib import import_module

from .errors import Cancelled, GunmaneError, InputError
from .io.load_report import LoadReport
from .io.region import PopulationRaster, Region
from .settings import Settings

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    # io
    "read_layer": "io", "read_bridges": "io", "read_roads": "io", "read_municipalities": "io",
    "read_population": "io", "load_region": "io", "load_run_config": "io",
    "write_layers": "io", "write_csv": "io",
    "choose_plane_rectangular_zone": "crs",
    # network and criticality
    "Network": "network", "build_network": "network", "attach_bridges": "network",
    "attach_population": "network", "attach_facilities": "network",
    "network_from_region": "pipeline",
    "bridge_criticality": "criticality", "removal_scenario": "criticality",
    "alternative_routes": "criticality",
    # options and plans
    "life_cycle_costs": "options", "generate_options": "options",
    "find_consolidation_sets": "options", "make_plan": "options", "detour_routes": "options",
    "compare_plans": "options",
    # grouping
    "municipal_adjacency": "grouping", "municipal_groups": "grouping",
    "asset_packages": "grouping", "multi_sector_areas": "grouping", "road_pairs": "grouping",
    # 見える化, 導入効果試算, report
    "municipality_indicators": "indicators", "effect_estimate": "effect",
    "effect_drivers": "effect_drivers",
    "run_analysis": "pipeline", "run_options": "pipeline", "run_report": "report",
}

__all__ = ["Settings", "Region", "PopulationRaster", "LoadReport", "GunmaneError", "InputError",
           "Cancelled", *_LAZY]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gunmane_geo' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
