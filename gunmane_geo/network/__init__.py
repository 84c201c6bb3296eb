"""The routable road network: building (``build``), bridges (``bridges``), population and
facilities (``attach``), the compiled graph kernels (``kernels``).

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
from .attach import attach_facilities, attach_population, settlement_nodes
from .bridges import attach_bridges, bridges_from_roads, require_some_matched
from .kernels import HAVE_NUMBA

__all__ = ["Network", "build_network", "attach_bridges", "bridges_from_roads",
           "require_some_matched", "attach_population", "attach_facilities", "settlement_nodes",
           "compute_components", "HAVE_NUMBA"]
