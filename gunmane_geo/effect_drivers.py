"""The drivers of the 導入効果試算 after-state, measured from the analysis.

``effect.effect_estimate`` keeps the ministry's formula (direct hours x labour cost +
outsourcing, before and after).  With ``drivers`` it derives the after-state from the
quantities computed here, per municipality, instead of flat rates (docs/effect.md):

* ``travel_hours_saved`` (staff h/yr): inspection travel.  Separately, each
  municipality's crew drives from its own office to each of its bridges; in the group's
  asset packages (``grouping.asset_packages``) the package's crew drives from the
  package base (its seed asset, ``travel_min``).  One round trip per bridge inspection,
  every ``[costs] inspection_interval_years``, ``[effect] inspection_crew_size`` staff:
  hours = sum over bridges of 2 x minutes / 60 x crew / interval.  Saved = separate -
  package (negative when the package base is farther: reported as it is).
* ``contracts_before`` / ``contracts_after`` / ``procurement_hours_saved``: separately
  each municipality lets ``[effect] contracts_per_municipality`` inspection contracts a
  year; in packages each package is one joint contract, its procurement shared by the
  municipalities in proportion to their bridges in it.  Hours = contracts x
  ``procurement_hours_per_contract``.
* ``bridges_removed`` / ``removed_hours_saved`` / ``removed_outsourcing_saved_yen``:
  municipal bridges (as the estimate counts them) the plan removes or consolidates away
  (not downsized: a footbridge is still inspected) are no longer inspected or managed: count x (inspection + management hours
  per bridge), count x outsourcing per bridge.
* ``overhead_hours_saved``: engineers shared across the group (人の群マネ): each
  municipality carries ``management_overhead_hours`` a year of fixed management work
  (plans, ledger, council); a group of n members does it once, so each member saves
  overhead x (1 - 1/n).
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .grouping import prepare_municipalities
from .grouping.groups import office_points
from .grouping.travel import graph_from_network, travel_matrix
from .indicators import bridge_table, dissolve_municipalities
from .settings import Settings

DRIVER_COLUMNS = ["municipality_code", "travel_hours_separate", "travel_hours_package",
                  "travel_hours_saved", "contracts_before", "contracts_after",
                  "procurement_hours_saved", "bridges_removed", "removed_hours_saved",
                  "removed_outsourcing_saved_yen", "group_size", "overhead_hours_saved"]


def effect_drivers(municipalities: gpd.GeoDataFrame, *, package_assets: gpd.GeoDataFrame | None = None,
                   plan: pd.DataFrame | None = None, bridges: gpd.GeoDataFrame | None = None,
                   group_members: pd.DataFrame | None = None, offices=None, network=None,
                   settings: Settings | None = None) -> pd.DataFrame:
    """Per municipality, the named drivers of the after-state (see the module doc).

    Parameters
    ----------
    municipalities : GeoDataFrame
        ``municipality_code`` polygons (the run's metric CRS).
    package_assets : GeoDataFrame, optional
        ``grouping.asset_packages``' assets (``sector``, ``municipality_code``,
        ``package_id``, ``travel_min`` in minutes); None: no travel or contract driver.
    plan : DataFrame, optional
        ``options.make_plan``'s rows (``bridge_id``, ``status``, ``method``); None: no
        removal driver.
    bridges : GeoDataFrame, optional
        The inventory, to place the plan's bridges in municipalities.
    group_members : DataFrame, optional
        ``group_id``, ``municipality_code`` (best candidate); None: no sharing driver.
    offices : GeoDataFrame, optional
        Facility points with ``facility_type == 'office'``; a municipality without one
        uses its polygon's representative point.
    network : Network, optional
        Road minutes (``time_min``); None: straight line x circuity.
    settings : Settings, optional

    Returns
    -------
    DataFrame
        ``DRIVER_COLUMNS``, one row per municipality; hours are staff hours a year, yen
        a year.  ``attrs["used"]`` lists the drivers that had data.
    """
    settings = settings or Settings()
    e = settings.effect
    munis = prepare_municipalities(municipalities)
    codes = list(munis.index)
    out = pd.DataFrame({"municipality_code": codes}).set_index("municipality_code")
    for c in DRIVER_COLUMNS[1:]:
        out[c] = 0.0
    used = []
    interval = max(1.0, float(settings.costs.inspection_interval_years))
    crew = float(e.inspection_crew_size)
    if package_assets is not None and len(package_assets):
        pa = package_assets[(package_assets["sector"] == "bridge")
                            & package_assets["municipality_code"].isin(codes)]
        if len(pa):
            graph = graph_from_network(network) if network is not None else None
            office_xy = office_points(munis, offices)
            pts = pa.geometry.representative_point()
            axy = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
            t_sep = travel_matrix(office_xy, graph, settings, targets_xy=axy)
            row_of = {c: i for i, c in enumerate(codes)}
            sep = np.array([t_sep[row_of[c], j] for j, c in enumerate(pa["municipality_code"])])
            pkg = pd.to_numeric(pa["travel_min"], errors="coerce").to_numpy(float)
            ok = np.isfinite(sep) & np.isfinite(pkg)
            per = 2.0 / 60.0 * crew / interval
            code_ok = pa["municipality_code"].to_numpy()[ok]
            out["travel_hours_separate"] = pd.Series(sep[ok] * per).groupby(code_ok).sum() \
                .reindex(codes, fill_value=0.0).to_numpy()
            out["travel_hours_package"] = pd.Series(pkg[ok] * per).groupby(code_ok).sum() \
                .reindex(codes, fill_value=0.0).to_numpy()
            out["travel_hours_saved"] = out["travel_hours_separate"] - out["travel_hours_package"]
            has = pa.groupby("municipality_code").size().reindex(codes, fill_value=0)
            out["contracts_before"] = np.where(has > 0, float(e.contracts_per_municipality), 0.0)
            share = pa.groupby(["package_id", "municipality_code"]).size()
            share = share / share.groupby(level=0).transform("sum")
            out["contracts_after"] = share.groupby(level=1).sum().reindex(codes, fill_value=0.0)
            out["procurement_hours_saved"] = ((out["contracts_before"] - out["contracts_after"])
                                              * float(e.procurement_hours_per_contract))
            used += ["travel", "contracts"]
    if plan is not None and len(plan) and bridges is not None and len(bridges):
        gone = plan[(plan["status"] == "planned") & (plan.get("method", plan["plan_option"])
                                                     != "downsize")]["bridge_id"].astype(str)
        btab, _ = bridge_table(bridges, dissolve_municipalities(municipalities),
                               settings.reference_year("effect"), settings)
        if len(btab):
            mine = btab[btab["is_municipal"].astype(bool)
                        & btab["bridge_id"].astype(str).isin(set(gone))]
            n = mine.groupby("municipality_code").size().reindex(codes, fill_value=0)
            out["bridges_removed"] = n.to_numpy(float)
        out["removed_hours_saved"] = out["bridges_removed"] * (
            float(e.inspection_hours_per_bridge) + float(e.management_hours_per_bridge))
        out["removed_outsourcing_saved_yen"] = out["bridges_removed"] * float(
            e.outsourcing_cost_per_bridge_yen)
        used.append("removals")
    if group_members is not None and len(group_members):
        gm = group_members
        if "candidate" in gm.columns:
            gm = gm[gm["candidate"] == gm["candidate"].min()]
        size = gm.groupby("group_id")["municipality_code"].transform("nunique")
        n = pd.Series(size.to_numpy(), index=gm["municipality_code"].astype(str)).groupby(level=0).max()
        n = n.reindex(codes, fill_value=1).astype(float)
        out["group_size"] = n.to_numpy()
        out["overhead_hours_saved"] = float(e.management_overhead_hours) * (1.0 - 1.0 / n.to_numpy())
        used.append("shared_engineers")
    else:
        out["group_size"] = 1.0
    res = out.reset_index()[DRIVER_COLUMNS]
    res.attrs["used"] = used
    return res
