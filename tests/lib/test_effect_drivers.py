"""The effect estimate's after-state derived from the analysis, worked by hand.

Two square municipalities side by side (EPSG:6677, metres): 甲市 00001 (x 0..1000) with
bridges a1 (900, 500) and a2 (500, 500), 乙町 00002 (x 1000..2000) with b1 (1100, 500);
offices at (100, 500) and (1900, 500).  No road network: straight line x 1.5 at 36 km/h
(600 m/min), so office -> a1 = 800 m = 2.0 min, -> a2 = 400 m = 1.0 min, -> b1 2.0 min.
One package P01 holds all three, its base at a1: travel 0, 5 and 1 min.

A crew of 3 every 5 years, a round trip per bridge: 2/60 x 3/5 = 0.02 staff-h per minute.
* travel: 甲 separate 3 min = 0.06 h, package 5 min = 0.10 h: saved -0.04 h (the package
  base is farther); 乙 2 min = 0.04 h vs 1 min = 0.02 h: saved 0.02 h.
* contracts: one each alone; P01 is one joint contract shared 2/3 : 1/3: saved
  (1 - 2/3) x 80 = 26.667 h and (1 - 1/3) x 80 = 53.333 h.
* removals: a2 consolidated away (甲: 1 bridge, 16 + 8 = 24 h, 300,000 yen); b1 downsized
  (still inspected: 0).
* shared engineers: one group of 2: 400 x (1 - 1/2) = 200 h each.
Effect: 甲 hours now 2 x 24 + 80 + 400 = 528, after 528 - 250.627 = 277.373;
outsourcing 600,000 -> 300,000.  乙 504 -> 504 - 253.353 = 250.647; 300,000 -> 300,000.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from gunmane_geo.effect import FLAT_RATES, effect_estimate
from gunmane_geo.effect_drivers import effect_drivers
from gunmane_geo.settings import Settings

CRS = "EPSG:6677"


def fixture():
    s = Settings()
    s.grouping.fallback_circuity = 1.5
    s.grouping.fallback_speed_kmh = 36.0
    s.effect.inspection_crew_size = 3
    s.effect.reference_year = 2026
    munis = gpd.GeoDataFrame({"municipality_code": ["00001", "00002"],
                              "municipality_name": ["甲市", "乙町"]},
                             geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs=CRS)
    bridges = gpd.GeoDataFrame({"bridge_id": ["a1", "a2", "b1"]},
                               geometry=[Point(900, 500), Point(500, 500), Point(1100, 500)], crs=CRS)
    offices = gpd.GeoDataFrame({"municipality_code": ["00001", "00002"],
                                "facility_type": ["office", "office"]},
                               geometry=[Point(100, 500), Point(1900, 500)], crs=CRS)
    pa = gpd.GeoDataFrame({"asset_id": ["a1", "a2", "b1"], "sector": "bridge",
                           "municipality_code": ["00001", "00001", "00002"],
                           "package_id": "P01", "travel_min": [0.0, 5.0, 1.0]},
                          geometry=list(bridges.geometry), crs=CRS)
    plan = pd.DataFrame({"bridge_id": ["a1", "a2", "b1"], "status": ["keep", "planned", "planned"],
                         "plan_option": ["keep", "remove", "downsize"],
                         "method": ["keep", "consolidate", "downsize"]})
    gm = pd.DataFrame({"group_id": ["G1", "G1"], "group_name": ["甲乙", "甲乙"],
                       "municipality_code": ["00001", "00002"]})
    return s, munis, bridges, offices, pa, plan, gm


def test_drivers_worked_by_hand():
    s, munis, bridges, offices, pa, plan, gm = fixture()
    d = effect_drivers(munis, package_assets=pa, plan=plan, bridges=bridges, group_members=gm,
                       offices=offices, settings=s).set_index("municipality_code")
    assert d.attrs["used"] == ["travel", "contracts", "removals", "shared_engineers"]
    assert d.loc["00001", "travel_hours_separate"] == pytest.approx(0.06)
    assert d.loc["00001", "travel_hours_saved"] == pytest.approx(-0.04)
    assert d.loc["00002", "travel_hours_saved"] == pytest.approx(0.02)
    assert d["contracts_after"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert d["procurement_hours_saved"].tolist() == pytest.approx([80 / 3, 160 / 3])
    assert d["bridges_removed"].tolist() == [1.0, 0.0]
    assert d.loc["00001", "removed_outsourcing_saved_yen"] == 300_000
    assert d["overhead_hours_saved"].tolist() == pytest.approx([200.0, 200.0])


def test_effect_after_state_from_the_drivers():
    s, munis, bridges, offices, pa, plan, gm = fixture()
    d = effect_drivers(munis, package_assets=pa, plan=plan, bridges=bridges, group_members=gm,
                       offices=offices, settings=s)
    e = effect_estimate(munis, bridges, group_members=gm, drivers=d, settings=s)
    m = e[e["level"] == "municipality"].set_index("unit_id")
    assert m.loc["00001", "direct_hours_before"] == pytest.approx(528.0)
    assert m.loc["00001", "direct_hours_after"] == pytest.approx(528.0 - (-0.04 + 80 / 3 + 24 + 200))
    assert m.loc["00002", "direct_hours_after"] == pytest.approx(504.0 - (0.02 + 160 / 3 + 200))
    assert m.loc["00001", "outsourcing_after_yen"] == 300_000
    assert m.loc["00002", "outsourcing_after_yen"] == 300_000
    assert (m["new_outsourcing_cost_yen"] == 0).all()
    assert e["after_method"].str.startswith("分析から算定").all()
    assert "職員の共有 / shared engineers" in e["after_method"].iloc[0]
    # municipalities differ for reasons a reader can follow
    assert m.loc["00001", "total_reduction_share"] != pytest.approx(m.loc["00002", "total_reduction_share"])
    g = e[e["level"] == "group"].iloc[0]
    assert g["procurement_hours_saved"] == pytest.approx(80.0)


def test_flat_rates_without_packages_or_plan_say_so():
    s, munis, bridges, *_ = fixture()
    e = effect_estimate(munis, bridges, settings=s)
    assert (e["after_method"] == FLAT_RATES).all()
    m = e[e["level"] == "municipality"].set_index("unit_id")
    assert m.loc["00001", "direct_hours_after"] == pytest.approx(48.0 * 0.7)
    d = effect_drivers(munis, settings=s)
    assert d.attrs["used"] == []
