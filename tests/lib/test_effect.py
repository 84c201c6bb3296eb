"""導入効果試算 on the hand-worked region of test_indicators."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from gunmane_geo.effect import (SOURCE_CONFIG, SOURCE_DEFAULT, effect_assumptions,
                                effect_estimate, read_effect_inputs)
from gunmane_geo.errors import InputError
from gunmane_geo.settings import Settings
from test_indicators import make_layers


@pytest.fixture
def layers():
    munis, bridges, staff, assets, members = make_layers()
    assets["inspection_hours"] = [10.0, None, None, 3.0, 5.0]   # a4 lies outside: not counted
    return munis, bridges, assets, members


def row(df, uid):
    return df.set_index("unit_id").loc[uid]


def test_defaults_by_hand(layers):
    munis, bridges, assets, members = layers
    out = effect_estimate(munis, bridges, assets, group_members=members, settings=Settings())
    a = row(out, "99201")
    # 2 municipal bridges x (16 + 8) h + 10 h of a park asset = 58 h
    assert a.direct_hours_before == 58.0
    assert math.isclose(a.direct_hours_after, 58 * 0.7)
    assert a.outsourcing_before_yen == 600_000
    # 600,000 x 0.85 + 17.4 h moved x 4,000 yen
    assert math.isclose(a.outsourcing_after_yen, 579_600)
    assert math.isclose(a.total_cost_before_yen, 58 * 5_000 + 600_000)
    assert math.isclose(a.total_cost_after_yen, 40.6 * 5_000 + 579_600)
    assert math.isclose(a.direct_cost_reduction_yen, 87_000)
    assert math.isclose(a.outsourcing_existing_after_yen, 510_000)
    assert math.isclose(a.new_outsourcing_cost_yen, 69_600)
    assert math.isclose(a.outsourcing_change_yen, -20_400)
    assert math.isclose(a.total_reduction_yen, 107_400)
    assert a.uses_illustrative_defaults
    c = row(out, "99203")
    assert c.direct_hours_before == 29.0 and c.n_other_assets_with_hours == 1
    # group rows are the sums of their members
    g2 = row(out, "G2")
    b = row(out, "99202")
    for col in ("direct_hours_before", "outsourcing_after_yen", "total_cost_after_yen"):
        assert math.isclose(g2[col], b[col] + c[col])
    assert list(out["level"]) == ["municipality"] * 3 + ["group"] * 2


def test_input_table_cp932_overrides_cell_by_cell(layers, tmp_path):
    munis, bridges, assets, members = layers
    path = tmp_path / "effect.csv"
    path.write_bytes("団体コード,現状の直営対応時間,現状の委託金額,人件費単価,導入後の委託金額\n"
                     '99202,100,"1,000,000",4000,\n'.encode("cp932"))
    table = read_effect_inputs(path)
    out = effect_estimate(munis, bridges, assets, inputs=table, group_members=members)
    b = row(out, "99202")
    assert (b.direct_hours_before, b.outsourcing_before_yen, b.hourly_labour_cost_yen) == \
        (100.0, 1_000_000.0, 4_000.0)
    assert math.isclose(b.direct_hours_after, 70.0)                     # default reduction 0.3
    assert math.isclose(b.outsourcing_after_yen, 850_000 + 30 * 4_000)  # empty cell: default
    assert math.isclose(b.new_outsourcing_cost_yen, 120_000)
    assert math.isclose(b.total_cost_before_yen, 1_400_000)
    assert math.isclose(b.total_reduction_yen, 1_400_000 - (280_000 + 970_000))
    assert "table: hourly_labour_cost_yen, direct_hours_before, outsourcing_before_yen" in \
        b.input_source
    g1 = row(out, "G1")
    # labour cost of a group: hours-weighted (290,000 + 400,000 yen over 158 h)
    assert math.isclose(g1.hourly_labour_cost_yen, 690_000 / 158)
    # a table that gives everything uses no illustrative default
    full = pd.DataFrame({"municipality_code": ["99203"], "direct_hours_before": [10],
                         "direct_hours_after": [4], "outsourcing_before_yen": [0],
                         "outsourcing_after_yen": [50_000], "hourly_labour_cost_yen": [6_000]})
    c = row(effect_estimate(munis, bridges, inputs=full), "99203")
    assert not c.uses_illustrative_defaults
    assert (c.total_cost_before_yen, c.total_cost_after_yen) == (60_000, 74_000)
    assert c.new_outsourcing_cost_yen == 50_000 and c.outsourcing_existing_after_yen == 0
    assert c.total_reduction_yen == -14_000


def test_without_groups_one_group_of_all(layers):
    munis, bridges, assets, _ = layers
    out = effect_estimate(munis, bridges)
    g = row(out, "ALL")
    assert g.n_bridges == 5 and g.direct_hours_before == 5 * 24


def test_assumptions_label_defaults():
    s = Settings()
    s.effect.hourly_labour_cost_yen = 6_000.0
    t = effect_assumptions(s).set_index("parameter")
    assert t.loc["hourly_labour_cost_yen", "source"] == SOURCE_CONFIG
    assert t.loc["hourly_labour_cost_yen", "value"] == 6_000
    assert t.loc["group_hours_reduction", "source"] == SOURCE_DEFAULT
    assert "illustrative" in SOURCE_DEFAULT


def test_bad_tables(layers, tmp_path):
    munis, bridges, *_ = layers
    p = tmp_path / "bad.csv"
    p.write_text("municipality_code,direct_hours_before\n99201,10\n99202,たくさん\n",
                 encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv, row 2, field 'direct_hours_before'"):
        read_effect_inputs(p)
    p.write_text("name,direct_hours_before\nx,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="municipality_code"):
        read_effect_inputs(p)
    unknown = pd.DataFrame({"municipality_code": ["11111"], "direct_hours_before": [3]})
    with pytest.raises(InputError, match="11111"):
        effect_estimate(munis, bridges, inputs=unknown)
    s = Settings()
    s.effect.group_hours_reduction = 1.5
    with pytest.raises(InputError, match="group_hours_reduction"):
        effect_estimate(munis, bridges, settings=s)


def test_bridge_outside_every_municipality_is_listed_not_dropped():
    import geopandas as gpd
    from shapely.geometry import Point, box
    munis = gpd.GeoDataFrame({"municipality_code": ["1", "2"], "municipality_name": ["A", "B"]},
                             geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=6677)
    bridges = gpd.GeoDataFrame({"bridge_id": ["b1", "b2", "b3"]},
                               geometry=[Point(5, 5), Point(15, 5), Point(50, 50)], crs=6677)
    out = effect_estimate(munis, bridges)
    assert out["n_bridges"].tolist() == [1, 1, 2]          # A, B, group ALL
    skipped = pd.DataFrame(out.attrs["skipped"])
    assert skipped[["layer", "feature_id"]].values.tolist() == [["bridges", "b3"]]
