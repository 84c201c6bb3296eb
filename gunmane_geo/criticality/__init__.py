"""Criticality of bridges: what happens when one bridge, or a set of bridges, is removed.

* ``bridge_criticality(network)``: one row per inventory bridge, each removed on
  its own.  Isolation (who is cut off) for all bridges comes from ONE pass over the
  graph (Tarjan's bridge-finding with DFS-subtree sums, O(V+E)); detours of the
  bridges that do not isolate come from an exact bidirectional Dijkstra between the
  junctions of the bridge's road link with that one edge masked (compiled with numba):
  the through-traffic detour (RA2CE's link definition).  Cars on motor roads, walkers
  on every walkable way.
* ``removal_scenario(network, bridge_ids)``: a set of bridges removed at once (the
  effect of two parallel bridges is not the sum of their single effects), with the
  trips between settlements and facilities that get longer.
* ``partitioned_criticality(network, partition="grid")``: the same table, with the route
  searches run part by part on Dask (``partition``; docs/criticality.md).
* ``reference_criticality(network)``: the plain way (networkx: remove the edge,
  Dijkstra between the link's junctions, put it back), the benchmark baseline.

Modules: ``routes`` (road links and routes with edges removed), ``isolation`` (who is
cut off), ``single`` (one bridge at a time), ``scenario`` (a set of bridges),
``partition`` (the searches of ``single`` on Dask).

Distances in metres, times in minutes, in the network's projected CRS.  The
rules (cut-off side, ranking) are documented in docs/criticality.md.
"""
from .isolation import (ISOLATED_COUNT_COLUMNS, isolated_target_column, isolated_totals,
                        isolation_pass, population_basis, require_bridges, set_components,
                        target_population_column)
from .routes import RoadLinks, alternative_routes, road_links, share_a_link
from .partition import partitioned_criticality
from .scenario import TRIP_COLUMNS, ScenarioResult, removal_scenario
from .single import (CRITICALITY_COLUMNS, RANK_RULE, bridge_criticality, rank_bridges,
                     reference_criticality)

__all__ = ["bridge_criticality", "partitioned_criticality", "removal_scenario", "ScenarioResult", "reference_criticality",
           "road_links", "RoadLinks", "alternative_routes", "share_a_link", "isolation_pass",
           "set_components", "isolated_totals", "require_bridges", "rank_bridges", "RANK_RULE",
           "CRITICALITY_COLUMNS", "ISOLATED_COUNT_COLUMNS", "TRIP_COLUMNS",
           "population_basis", "target_population_column", "isolated_target_column"]
