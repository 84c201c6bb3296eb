"""Drawing constants and helpers shared by the map kinds (``kinds``) and the plan
close-ups (``details``): the plan classes and their close-up numbers, the detour and
boundary line styles, and small checks.  Both modules import from here, never from
each other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..errors import GunmaneError
from .styles import DARK

#: plan / option classes: code -> (Japanese label, English, colour, marker, size factor)
PLAN_CLASSES = {
    "keep": ("維持（修繕・更新）", "keep", "#A6D3F0", "o", 0.3),
    "kept_hub": ("集約で残す橋", "kept as consolidation hub", "#0072B2", "s", 1.1),
    "consolidated": ("集約により撤去", "removed in a consolidation", "#CC79A7", "P", 1.3),
    "remove": ("単純撤去", "simple removal", "#D55E00", "X", 1.3),
    "remove_upgrade_detour": ("撤去＋迂回路整備", "removal + detour upgrade", "#E69F00", "D", 1.1),
    "downsize": ("ダウンサイジング（歩行者・自転車橋）", "downsize (pedestrian/bicycle)", "#009E73",
                 "^", 1.2),
}


def plan_class(plan: pd.DataFrame) -> pd.Series:
    """Class code of each plan row: keep, kept_hub, consolidated, remove, ... (see PLAN_CLASSES)."""
    opt = plan["plan_option"].astype(str)
    cls = opt.where(opt.isin(list(PLAN_CLASSES)), "keep").copy()
    if "status" in plan.columns:
        cls[plan["status"].astype(str) == "kept_hub"] = "kept_hub"
    if "set_id" in plan.columns:
        in_set = plan["set_id"].notna() & (plan["set_id"].astype(str) != "")
        cls[in_set & opt.isin(["remove", "remove_upgrade_detour"])] = "consolidated"
    return cls


#: plan classes that get a close-up (vehicles lose the link)
DETAIL_CLASSES = ("remove", "remove_upgrade_detour", "consolidated", "downsize")
#: classes drawn crossed out (the bridge is gone)
CROSSED_CLASSES = ("remove", "remove_upgrade_detour", "consolidated")
#: the detour route style: bold black dashes on a white casing (reads in black and white)
DETOUR_STYLE = {"color": "#000000", "linewidth": 2.6, "linestyle": (0, (3.0, 1.6))}
DETOUR_CASING = {"color": "white", "linewidth": 5.2}


#: municipal boundaries: dash-dot, so that they never read as a road
BOUNDARY_DASH = (0, (6, 2, 1, 2))


def detail_numbers(plan: pd.DataFrame) -> pd.Series:
    """Panel number (1, 2, ...) of every bridge that gets a close-up, indexed by ``bridge_id``.

    Bridges are numbered in plan order (``step``, then ``bridge_id``), the
    order in which :func:`map_plan_details` draws them and :func:`map_plan`
    labels them.
    """
    cls = plan_class(plan)
    sel = pd.DataFrame({"bridge_id": plan["bridge_id"].astype(str).to_numpy(),
                        "step": (pd.to_numeric(plan["step"], errors="coerce").to_numpy()
                                 if "step" in plan.columns else np.nan),
                        "cls": cls.to_numpy()})
    sel = sel[sel["cls"].isin(DETAIL_CLASSES)].drop_duplicates("bridge_id")
    sel = sel.sort_values(["step", "bridge_id"], na_position="last", kind="mergesort")
    return pd.Series(np.arange(1, len(sel) + 1), index=pd.Index(sel["bridge_id"], name="bridge_id"),
                     name="detail_no")


def detour_handle():
    """Legend handle of a detour route (white casing under bold black dashes)."""
    return (Line2D([], [], **DETOUR_CASING), Line2D([], [], **DETOUR_STYLE))


def check_projected(*frames):
    for f in frames:
        if f is None or getattr(f, "crs", None) is None:
            continue
        if not f.crs.is_projected:
            raise GunmaneError(f"map data are in {f.crs.to_string()} (degrees): reproject to the "
                               "Region's metric CRS (a JGD2011 plane rectangular zone) first")


def dissolved_municipalities(municipalities):
    if municipalities is None or not len(municipalities):
        return None
    from ..indicators import dissolve_municipalities
    return dissolve_municipalities(municipalities)


def point_handle(color, marker, size_pt):
    return Line2D([], [], linestyle="none", marker=marker, markersize=size_pt,
                  markerfacecolor=color, markeredgecolor=DARK, markeredgewidth=0.7)


def region_suffix(settings) -> str:
    return f" — {settings.maps.region_name}" if settings.maps.region_name else ""
