"""Grouping (群): which municipalities, and which assets, to manage together.

* ``municipal_adjacency``: neighbouring municipalities from boundaries and road links.
* ``municipal_groups``: the best few contiguous partitions into groups (広域連携),
  with floor, ceiling and the one objective of ``partition`` (docs/grouping.md).
* ``asset_packages`` / ``multi_sector_areas``: maintenance contract areas.
* ``road_pairs``: prefectural and municipal roads serving the same function (垂直連携).
"""
from .adjacency import municipal_adjacency, prepare_municipalities
from .attributes import municipality_attributes
from .groups import municipal_groups, office_points
from .packages import asset_packages, balanced_assign, combine_assets, multi_sector_areas
from .partition import GroupProblem, evaluate as evaluate_partition, solve as solve_partition
from .road_pairs import road_pairs
from .travel import TravelGraph, road_graph, travel_matrix

__all__ = [
    "municipal_adjacency", "prepare_municipalities", "municipality_attributes", "municipal_groups",
    "office_points", "GroupProblem", "evaluate_partition", "solve_partition", "TravelGraph",
    "road_graph", "travel_matrix", "asset_packages", "balanced_assign", "combine_assets",
    "multi_sector_areas", "road_pairs",
]
