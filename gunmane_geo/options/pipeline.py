"""The options run from loaded layers: network -> criticality -> options, sets, plan."""
from __future__ import annotations

import importlib

import pandas as pd

from ..errors import InputError, report_progress
from ..settings import Settings
from .consolidation import find_consolidation_sets
from .generate import generate_options
from .plan import make_plan


def _sub(progress, lo, hi):
    if progress is None:
        return None
    return lambda f, m="": progress(lo + (hi - lo) * f, m)


def build_region_network(region, settings: Settings, progress=None):
    """Network with bridges, population and facilities attached (gunmane_geo.network).

    Edges carry the road lines' ``width_m`` (``build_network``), which 撤去＋迂回路整備
    uses to find the narrow sections of a detour.
    """
    from ..network import attach_bridges, attach_facilities, attach_population, build_network
    if region.roads is None or len(region.roads) == 0:
        raise InputError("no road lines: give --roads (or [inputs] roads in the run file)",
                         source="roads")
    if region.bridges is None or len(region.bridges) == 0:
        raise InputError("no bridges: give --bridges (or [inputs] bridges in the run file)",
                         source="bridges")
    src = region.sources if isinstance(region.sources, dict) else {}
    net = build_network(region.roads, settings, report=region.report,
                        source=src.get("roads", "roads"), progress=_sub(progress, 0.0, 0.6))
    net, matches = attach_bridges(net, region.bridges, rivers=region.rivers, settings=settings,
                                  report=region.report, source=src.get("bridges", "bridges"),
                                  progress=_sub(progress, 0.6, 0.9))
    from ..network.attach import require_some_matched
    require_some_matched(matches, settings, source=src.get("bridges", "bridges"))
    if region.population is not None:
        net = attach_population(net, region.population, settings, report=region.report,
                                source=src.get("population", "population"))
    if region.facilities is not None and len(region.facilities):
        net = attach_facilities(net, region.facilities, settings, report=region.report,
                                source=src.get("facilities", "facilities"))
    report_progress(progress, 1.0, "network built")
    return net


def single_criticality(network, settings: Settings, progress=None):
    """``gunmane_geo.criticality.bridge_criticality`` when that module is present, else None
    (the options then measure single removals on the network themselves)."""
    try:
        module = importlib.import_module("gunmane_geo.criticality")
    except ModuleNotFoundError as exc:
        if exc.name == "gunmane_geo.criticality":
            return None
        raise
    return module.bridge_criticality(network, settings=settings, progress=progress)


def run_options(region, settings: Settings | None = None, *, plan: bool = False,
                budget_yen=None, target_saving_share=None, progress=None) -> dict:
    """All options outputs for a loaded ``Region``.

    Returns
    -------
    dict
        Layer name -> frame: ``bridge_options``, ``consolidation_sets`` and, with
        ``plan=True``, ``plan``, ``cost_curve`` and ``plan_summary``; plus the
        ``network`` under the key ``"_network"`` (not a layer).
    """
    settings = settings or Settings()
    net = build_region_network(region, settings, _sub(progress, 0.0, 0.3))
    crit = single_criticality(net, settings, _sub(progress, 0.3, 0.5))
    opts = generate_options(region.bridges, crit, net, settings, progress=_sub(progress, 0.5, 0.7))
    sets = find_consolidation_sets(net, crit, region.bridges, settings,
                                   progress=_sub(progress, 0.7, 0.8))
    out = {"bridge_options": opts, "consolidation_sets": sets, "_network": net}
    if plan:
        p, curve = make_plan(opts, sets, net, settings, budget_yen=budget_yen,
                             target_saving_share=target_saving_share,
                             progress=_sub(progress, 0.8, 1.0))
        out["plan"] = p
        out["cost_curve"] = curve
        out["plan_summary"] = pd.DataFrame([p.attrs["summary"]])
    report_progress(progress, 1.0, "done")
    return out
