"""Cost model: a hand-worked small case to the yen, and settings read from a TOML file."""
from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from gunmane_geo.errors import InputError
from gunmane_geo.options import annuity_factor, generate_options, life_cycle_costs
from gunmane_geo.options.costs import bridge_facts, option_costs, user_cost
from gunmane_geo.settings import Settings

# A small case worked by hand (see docs/options.md "worked example"):
# horizon 3 years (t = 0, 1, 2), discount 10 %, deck 10 m x 5 m = 50 m2, rating III,
# built 1974 (design life 50 -> due 2024, overdue: renewed at t = min_remaining = 1),
# last inspected 2024 (interval 2 -> inspection at t = 1 only).
HAND_TOML = """
[costs]
base_year = 2025
horizon_years = 3
discount_rate = 0.10
repair_cost_per_m2_by_rating = {"1" = 0, "2" = 50, "3" = 100, "4" = 300}
renewal_cost_per_m2 = 1000
design_life_years = 50
min_remaining_life_years = 1
removal_cost_per_m2 = 200
downsizing_cost_per_m2 = 500
pedestrian_width_m = 2.0
inspection_cost_per_bridge = 30
inspection_interval_years = 2
upkeep_cost_per_bridge_per_year = 10
upkeep_cost_per_m2_per_year = 1
count_residual_value = true
value_per_vehicle_km_yen = 30
value_per_vehicle_hour_yen = 2500
days_per_year = 365
"""


@pytest.fixture()
def hand_settings(tmp_path):
    path = tmp_path / "costs.toml"
    path.write_text(HAND_TOML, encoding="utf-8")
    return Settings.from_toml(path), path


def hand_bridge(**over):
    row = {"bridge_id": "H1", "name": "手計算橋", "length_m": 10.0, "width_m": 5.0,
           "deck_area_m2": 50.0, "built_year": 1974, "rating": 3, "last_inspection_year": 2024,
           "aadt": 1000.0, "emergency_route": False, "bus_route": False, "school_route": False,
           "geometry": Point(0, 0)}
    row.update(over)
    return gpd.GeoDataFrame([row], geometry="geometry", crs="EPSG:6673")


def test_keep_cost_matches_hand_calculation_to_the_yen(hand_settings):
    settings, _ = hand_settings
    lcc = life_cycle_costs(hand_bridge(), settings).iloc[0]
    # repair 100 yen/m2 * 50 m2 at t=0
    assert lcc["repair_yen"] == 5000
    # renewal 1000 * 50 = 50,000 at t=1: 50,000 / 1.1 = 45,454.55
    assert lcc["renewal_yen"] == 45455
    # residual: next renewal due t=51, 48 of 50 years left at t=3: -48,000 / 1.331 = -36,063.11
    assert lcc["residual_value_yen"] == -36063
    # one inspection at t=1: 30 / 1.1 = 27.27
    assert lcc["inspection_yen"] == 27
    # upkeep (10 + 1 * 50) = 60 a year, t = 0,1,2: 60 * (1 + 1/1.1 + 1/1.21) = 164.13
    assert lcc["upkeep_yen"] == 164
    assert lcc["lcc_yen"] == 5000 + 45455 - 36063 + 27 + 164 == 14583
    assert lcc["renewal_year"] == 2026
    assert lcc["initial_cost_yen"] == 5000


def test_option_costs_and_user_cost_match_hand_calculation(hand_settings):
    settings, _ = hand_settings
    f = bridge_facts(hand_bridge(), settings)["H1"]
    remove = option_costs(f, "remove", settings)
    assert remove["removal_yen"] == 10000 and remove["lcc_yen"] == 10000
    down = option_costs(f, "downsize", settings)
    # old deck removed (200 * 50) + new 10 m x 2 m deck (500 * 20); no renewal within 3 years;
    # residual 47/50 of 10,000 at t=3: -9,400 / 1.331 = -7,062.36; inspection 27;
    # upkeep (10 + 20) * 2.73554 = 82.07
    assert (down["removal_yen"], down["new_deck_yen"], down["residual_value_yen"],
            down["inspection_yen"], down["upkeep_yen"]) == (10000, 10000, -7062, 27, 82)
    assert down["lcc_yen"] == 13047
    up = option_costs(f, "remove_upgrade_detour", settings, upgrade_length_m=600.0)
    assert up["detour_upgrade_yen"] == 600 * 200_000 and up["lcc_yen"] == 10000 + 120_000_000
    # 1000 vehicles/day * (0.6 km * 30 + 1.2 min / 60 * 2500) = 68,000 yen/day
    per_year, pv = user_cost(1000.0, 600.0, 1.2, settings)
    assert per_year == 68_000 * 365 == 24_820_000
    assert pv == round(24_820_000 * (1 + 1 / 1.1 + 1 / 1.21)) == 67_896_033
    assert user_cost(1000.0, math.inf, math.inf, settings) == (-1, -1)
    assert annuity_factor(3, 0.10) == pytest.approx(2.7355371900826446)


def test_generate_options_from_hand_criticality(hand_settings):
    settings, _ = hand_settings
    crit = pd.DataFrame([{"bridge_id": "H1", "detour_m": 600.0, "detour_min": 1.2,
                          "isolated_population": 0.0, "isolated_facilities": 0}])
    opts = generate_options(None, crit, hand_bridge(), settings=settings).set_index("option")
    assert list(opts.index) == ["keep", "remove", "remove_upgrade_detour", "downsize"]
    assert opts.loc["remove", "cost_avoided_yen"] == 14583 - 10000
    assert opts.loc["remove", "user_cost_yen"] == 67_896_033
    assert opts.loc["remove", "net_present_benefit_yen"] == 4583 - 67_896_033
    assert opts.loc["downsize", "cost_avoided_yen"] == 14583 - 13047
    # no network: the detour upgrade cannot be evaluated, and says so
    assert not opts.loc["remove_upgrade_detour", "eligible"]
    assert "no_network" in opts.loc["remove_upgrade_detour", "excluded_by"]
    # removal saves money but road users lose more: keep is recommended
    assert opts["recommended"].sum() == 1 and opts.loc["keep", "recommended"]
    assert "ILLUSTRATIVE" in opts.loc["keep", "note"]
    assert "迂回 600 m" in opts.loc["remove", "reason_ja"] and "孤立なし" in opts.loc["remove", "reason_ja"]


def test_changing_a_cost_in_the_file_changes_the_result(hand_settings, tmp_path):
    settings, path = hand_settings
    base = life_cycle_costs(hand_bridge(), settings).iloc[0]
    # doubling the renewal unit cost doubles the renewal and residual components exactly
    text = path.read_text(encoding="utf-8").replace("renewal_cost_per_m2 = 1000", "renewal_cost_per_m2 = 2000")
    p2 = tmp_path / "costs2.toml"
    p2.write_text(text, encoding="utf-8")
    s2 = Settings.from_toml(p2)
    assert s2.costs.renewal_cost_per_m2 == 2000.0
    changed = life_cycle_costs(hand_bridge(), s2).iloc[0]
    assert changed["renewal_yen"] == 90909       # 100,000 / 1.1
    assert changed["residual_value_yen"] == -72126  # -96,000 / 1.331
    assert changed["repair_yen"] == base["repair_yen"]
    # a higher removal cost lowers the removal's saving by exactly 50 m2 * 100 yen
    text3 = HAND_TOML.replace("removal_cost_per_m2 = 200", "removal_cost_per_m2 = 300")
    p3 = tmp_path / "costs3.toml"
    p3.write_text(text3, encoding="utf-8")
    crit = pd.DataFrame([{"bridge_id": "H1", "detour_m": 600.0, "detour_min": 1.2,
                          "isolated_population": 0.0}])
    o1 = generate_options(None, crit, hand_bridge(), settings=settings).set_index("option")
    o3 = generate_options(None, crit, hand_bridge(), settings=Settings.from_toml(p3)) \
        .set_index("option")
    assert o1.loc["remove", "cost_avoided_yen"] - o3.loc["remove", "cost_avoided_yen"] == 5000
    # a cheaper road-user valuation makes the removal worth doing
    p4 = tmp_path / "costs4.toml"
    p4.write_text(HAND_TOML.replace("value_per_vehicle_km_yen = 30", "value_per_vehicle_km_yen = 0")
                  .replace("value_per_vehicle_hour_yen = 2500", "value_per_vehicle_hour_yen = 0"),
                  encoding="utf-8")
    o4 = generate_options(None, crit, hand_bridge(), settings=Settings.from_toml(p4)) \
        .set_index("option")
    assert o4.loc["remove", "user_cost_yen"] == 0
    assert o4.loc["remove", "recommended"] and not o4.loc["keep", "recommended"]


def test_unknown_key_in_file_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[costs]\nremoval_cost_per_m3 = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="removal_cost_per_m3"):
        Settings.from_toml(p)


def test_missing_values_are_assumed_and_recorded(hand_settings):
    settings, _ = hand_settings
    b = hand_bridge(rating=None, built_year=None, aadt=None)
    lcc = life_cycle_costs(b, settings).iloc[0]
    assert "rating missing, assumed 2" in lcc["assumptions"]
    assert "built_year missing, assumed 1970" in lcc["assumptions"]
    assert "aadt missing" in lcc["assumptions"]
    assert lcc["repair_yen"] == 50 * 50


def test_bridge_without_deck_area_names_row_and_fix(hand_settings):
    settings, _ = hand_settings
    rows = [hand_bridge().iloc[0].to_dict(),
            hand_bridge(bridge_id="H2", deck_area_m2=None, length_m=None).iloc[0].to_dict()]
    b = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:6673")
    with pytest.raises(InputError, match=r"row 2.*H2.*deck_area_m2"):
        life_cycle_costs(b, settings)


def test_example_costs_file_lists_exactly_the_defaults():
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "docs" / "examples" / "costs.toml"
    s = Settings.from_toml(path)
    d = Settings().to_dict()
    assert s.to_dict()["costs"] == d["costs"] and s.to_dict()["guards"] == d["guards"]
    text = path.read_text(encoding="utf-8")
    for key in d["costs"]:
        assert key in text, f"docs/examples/costs.toml does not mention [costs] {key}"
    for key in d["guards"]:
        assert key in text, f"docs/examples/costs.toml does not mention [guards] {key}"
