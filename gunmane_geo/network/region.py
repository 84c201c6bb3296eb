"""Building the network of a loaded ``Region`` in one call."""
from __future__ import annotations

from ..errors import InputError, report_progress
from ..settings import Settings
from .attach import (attach_bridges, attach_facilities, attach_population, bridges_from_roads,
                     require_some_matched)
from .build import build_network
from .graph import Network


def network_from_region(region, settings: Settings | None = None, progress=None) -> Network:
    """Road network of ``region`` with its bridges, population and facilities attached.

    Bridges: the region's bridge inventory (matched with ``attach_bridges``, rivers
    used when loaded); without an inventory, the bridge lines of the road data
    (``bridges_from_roads``).  Every step reports into ``region.report``.
    """
    settings = settings or Settings()
    if region.roads is None or len(region.roads) == 0:
        raise InputError("the region has no roads: give a road layer (--roads)",
                         source="inputs")
    rep = region.report
    src = region.sources
    net = build_network(region.roads, settings, report=rep, source=src.get("roads", "roads"),
                        progress=_sub(progress, 0.0, 0.6))
    report_progress(progress, 0.6, "attaching bridges")
    if region.bridges is not None and len(region.bridges):
        net, matches = attach_bridges(net, region.bridges, rivers=region.rivers,
                                      settings=settings, report=rep,
                                      source=src.get("bridges", "bridges"))
        require_some_matched(matches, settings, source=src.get("bridges", "bridges"))
    else:
        net, _ = bridges_from_roads(net, source=src.get("roads", "roads"))
    report_progress(progress, 0.8, "attaching population and facilities")
    if region.population is not None:
        net = attach_population(net, region.population, settings, report=rep,
                                source=src.get("population", "population"))
    if region.facilities is not None and len(region.facilities):
        net = attach_facilities(net, region.facilities, settings, report=rep,
                                source=src.get("facilities", "facilities"))
    report_progress(progress, 1.0, "network ready")
    return net


def _sub(progress, lo, hi):
    if progress is None:
        return None
    return lambda f, m="": progress(lo + (hi - lo) * f, m)
