"""Hard guards on removal-type options, each reported and each overridable.

Guards (names used in ``[guards] overrides`` and in the ``excluded_by`` column):

* ``isolation``: the option cuts population or a facility off the main network
  (``forbid_isolation``).  Downsizing counts: vehicles, ambulances included, lose the link.
* ``emergency_route``: the bridge is on an emergency transport route 緊急輸送道路
  (``forbid_emergency_route``).
* ``max_detour``: the vehicle detour is longer than ``max_detour_m`` (no detour at
  all is ``isolation``).
* ``walk_detour``: removing the bridge outright leaves walkers a detour longer than
  ``max_walk_detour_m`` (on a school route ``max_school_walk_detour_m``), or no way at
  all (villages across the river).
  Only the full removals check it: downsizing to a pedestrian/bicycle bridge keeps the
  crossing for walkers, which is what it is for.
* ``bus_route`` / ``school_route``: flagged (``flag_*``); excluding only with ``forbid_*``.
* ``national_bridge``: the bridge is managed by the national government (``manager =
  national``, e.g. 区分 国 in the inspection database): reported with the others, never
  planned for removal by a municipality (``forbid_national_bridge``).
"""
from __future__ import annotations

import math

from ..settings import GuardSettings, Settings

GUARDS = ("isolation", "emergency_route", "max_detour", "walk_detour", "bus_route",
          "school_route", "national_bridge")


def _guards(settings) -> GuardSettings:
    if settings is None:
        return Settings().guards
    if isinstance(settings, GuardSettings):
        return settings
    return settings.guards


def waived_guards(bridge_id: str, settings=None) -> set[str]:
    """Guards the user waived for this bridge (``[guards] overrides``)."""
    g = _guards(settings)
    names = g.overrides.get(str(bridge_id), []) if isinstance(g.overrides, dict) else []
    if isinstance(names, str):
        names = [names]
    unknown = [n for n in names if n not in GUARDS]
    if unknown:
        raise ValueError(f"settings [guards] overrides for bridge {bridge_id}: unknown guard(s) "
                         f"{', '.join(unknown)}; known: {', '.join(GUARDS)}")
    return set(names)


def check_guards(bridge_id: str, *, isolated_population: float, isolated_facilities: int,
                 detour_m: float, emergency_route: bool, bus_route: bool, school_route: bool,
                 walk_detour_m: float = math.nan, manager=None, settings=None) -> dict:
    """Evaluate the guards for removing vehicle traffic from one bridge.

    Parameters
    ----------
    bridge_id : str
    isolated_population : float
        Persons cut off from the main network by the option (0 when none).
    isolated_facilities : int
        Facilities cut off.
    detour_m : float
        Vehicle detour in metres (``inf`` when there is no alternative route).
    emergency_route, bus_route, school_route : bool
        Inventory flags of the bridge.
    walk_detour_m : float
        Walkers' detour in metres when the option takes the crossing from them too
        (``inf``: walkers cut off; NaN: not applicable, e.g. downsizing).
    manager : str, optional
        The bridge's manager class (``national`` / ``prefecture`` / ``municipality``).
    settings : Settings or GuardSettings, optional

    Returns
    -------
    dict
        ``hit``: guard names that apply; ``excluded_by``: the hits that exclude
        the option (not waived); ``waived``: hits the user overrode; ``flags``:
        hits that only flag (bus/school routes).
    """
    g = _guards(settings)
    waived = waived_guards(bridge_id, settings)
    hit, hard, flags = [], [], []
    isolates = (isolated_population > 0) or (isolated_facilities > 0) or not math.isfinite(detour_m)
    if isolates:
        hit.append("isolation")
        if g.forbid_isolation:
            hard.append("isolation")
    if emergency_route:
        hit.append("emergency_route")
        if g.forbid_emergency_route:
            hard.append("emergency_route")
    if math.isfinite(detour_m) and detour_m > float(g.max_detour_m):
        hit.append("max_detour")
        hard.append("max_detour")
    if not math.isnan(walk_detour_m) and (
            walk_detour_m > float(g.max_walk_detour_m)
            or (school_route and walk_detour_m > float(g.max_school_walk_detour_m))):
        hit.append("walk_detour")
        hard.append("walk_detour")
    for name, flag, forbid in (("bus_route", g.flag_bus_route, g.forbid_bus_route),
                               ("school_route", g.flag_school_route, g.forbid_school_route)):
        on = bus_route if name == "bus_route" else school_route
        if on and (flag or forbid):
            hit.append(name)
            (hard if forbid else flags).append(name)
    if manager == "national":
        hit.append("national_bridge")
        if g.forbid_national_bridge:
            hard.append("national_bridge")
    excluded_by = [h for h in hard if h not in waived]
    return {"hit": hit, "excluded_by": excluded_by,
            "waived": [h for h in hard if h in waived], "flags": flags}
