"""The routable road network: building, bridges, population and facilities.

Public API::

    build_network(roads, settings=None, report=None, source="roads", progress=None) -> Network
    attach_bridges(network, bridges, rivers=None, settings=None, report=None, ...) -> (Network, matches)
    bridges_from_roads(network) -> (Network, matches)          # OSM: bridge=yes ways
    attach_population(network, population, settings=None, report=None) -> Network
    attach_facilities(network, facilities, settings=None, report=None) -> Network
    Network  (nodes, edges, crs, bridges, facilities, csr(), weight(), to_networkx())
"""
from .graph import Network, compute_components
from .build import build_network
from .attach import attach_bridges, attach_facilities, attach_population, bridges_from_roads
from ._kernels import HAVE_NUMBA

__all__ = ["Network", "build_network", "attach_bridges", "bridges_from_roads",
           "attach_population", "attach_facilities",
           "compute_components", "HAVE_NUMBA"]
