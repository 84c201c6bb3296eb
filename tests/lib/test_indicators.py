"""見える化 indicators on a small region whose answers were worked out by hand."""
from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from gunmane_geo.errors import Cancelled, InputError
from gunmane_geo.indicators import (asset_type_counts, bilingual, indicator_labels,
                                    municipality_indicators)
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"


def make_layers():
    """Three municipalities (甲町 has an island), 7 bridges, staff, 5 other assets."""
    munis = gpd.GeoDataFrame({
        "municipality_code": ["99201", "99201", "99202", "99203"],
        "municipality_name": ["甲町", "甲町", "乙村", "丙市"],
    }, geometry=[box(0, 0, 1000, 1000), box(1500, 0, 1700, 200),
                 box(0, 1000, 1000, 2000), box(1000, 1000, 2000, 2000)], crs=CRS)
    na = pd.NA
    bridges = gpd.GeoDataFrame({
        "bridge_id": ["b1", "b2", "b3", "b4", "b5", "b6", "b7"],
        "municipality_code": ["99201", None, "99201", "99202", "99202", None, "99999"],
        "manager": ["municipality", None, "prefecture", "municipality", "municipality",
                    "municipality", "municipality"],
        "built_year": pd.array([1970, 1980, 1960, na, 2000, 1990, 1975], dtype="Int64"),
        "length_m": [10.0, None, 30.0, 20.0, None, 5.0, None],
        "width_m": [5.0, None, 8.0, 4.0, None, 4.0, None],
        "deck_area_m2": [None, 30.0, None, None, 20.0, None, 10.0],
        "rating": pd.array([3, 1, 2, na, 4, 1, 2], dtype="Int64"),
        "last_inspection_year": pd.array([2019, 2021, 2022, na, 2020, 2020, 2024], dtype="Int64"),
    }, geometry=[Point(500, 500), Point(1600, 100), Point(200, 200), Point(500, 1500),
                 Point(600, 1600), Point(5000, 5000), Point(1500, 1500)], crs=CRS)
    staff = pd.DataFrame({"municipality_code": ["99201", "99202", "88888"],
                          "technical_staff": [2, 0, 4]})
    assets = gpd.GeoDataFrame({
        "asset_id": ["a1", "a2", "a3", "a4", "a5"],
        "sector": ["park", "park", "river", "park", "sewer"],
        "asset_type": ["遊具", "遊具", "樋門", "遊具", "マンホール"],
        "municipality_code": [None, "99201", None, None, "99203"],
    }, geometry=[Point(100, 100), Point(0, 0), Point(100, 1900), Point(-50, -50), None], crs=CRS)
    members = pd.DataFrame({"group_id": ["G1", "G1", "G2", "G2"],
                            "group_name": ["甲乙", "甲乙", "乙丙", "乙丙"],
                            "municipality_code": ["99201", "99202", "99202", "99203"]})
    return munis, bridges, staff, assets, members


@pytest.fixture
def settings():
    s = Settings()
    s.effect.reference_year = 2025
    return s


@pytest.fixture
def result(settings):
    munis, bridges, staff, assets, members = make_layers()
    return municipality_indicators(munis, bridges, staff, assets, group_members=members,
                                   settings=settings)


def row(df, uid):
    return df.set_index("unit_id").loc[uid]


def test_one_row_per_municipality_and_group(result):
    assert list(result["unit_id"]) == ["99201", "99202", "99203", "G1", "G2"]
    assert list(result["level"]) == ["municipality"] * 3 + ["group"] * 2
    assert result.crs == CRS
    # 甲町's two polygons are one row: 1000x1000 + 200x200
    assert math.isclose(row(result, "99201").geometry.area, 1_040_000)
    assert math.isclose(row(result, "G1").geometry.area, 2_040_000)
    assert row(result, "G1")["members"] == "甲町・乙村"


def test_counts_area_and_managers(result):
    a, b, c = row(result, "99201"), row(result, "99202"), row(result, "99203")
    # b2 carries no code and is placed by its location on the island
    assert (a.n_bridges, a.deck_area_m2, a.n_bridges_other_manager) == (2, 80.0, 1)
    assert (b.n_bridges, b.deck_area_m2) == (2, 100.0)
    # b7's code 99999 is unknown: its location puts it in 丙市
    assert (c.n_bridges, c.deck_area_m2) == (1, 10.0)
    g1 = row(result, "G1")
    assert (g1.n_bridges, g1.deck_area_m2) == (4, 180.0)


def test_ageing_shares(result):
    a, b, c, g1 = (row(result, k) for k in ("99201", "99202", "99203", "G1"))
    # 甲町: 1970 (55 y) old now; 1980 (45 y) old in 10 years
    assert (a.share_age50_now, a.share_age50_in10y, a.share_age50_in20y) == (0.5, 1.0, 1.0)
    # 乙村: one year unknown (not in the denominator), 2000 never reaches 50 by 2045
    assert b.n_built_year_unknown == 1
    assert (b.share_age50_now, b.share_age50_in20y) == (0.0, 0.0)
    # exactly 50 years counts as 50年以上
    assert c.share_age50_now == 1.0
    assert math.isclose(g1.share_age50_now, 1 / 3) and math.isclose(g1.share_age50_in10y, 2 / 3)


def test_ratings_staff_and_inspections(result):
    a, b, c, g1, g2 = (row(result, k) for k in ("99201", "99202", "99203", "G1", "G2"))
    assert [a[f"n_rating_{r}"] for r in (1, 2, 3, 4)] == [1, 0, 1, 0]
    assert (b.n_rating_4, b.n_rating_unknown, b.share_rating_3_4) == (1, 1, 1.0)
    assert math.isclose(g1.share_rating_3_4, 2 / 3)
    assert a.technical_staff == 2 and a.bridges_per_staff == 1.0
    assert b.technical_staff == 0 and pd.isna(b.bridges_per_staff)      # no staff at all
    assert pd.isna(c.technical_staff)                                   # not in the staff table
    assert g1.technical_staff == 2 and g1.bridges_per_staff == 2.0
    assert pd.isna(g2.technical_staff)                                  # one member unknown
    # 2019 + 5 < 2025 overdue; 2020 + 5 = 2025 still within the cycle
    assert (a.n_inspection_overdue, b.n_inspection_overdue, b.n_inspection_unknown) == (1, 0, 1)


def test_other_assets_and_skipped(result):
    a, b, c = row(result, "99201"), row(result, "99202"), row(result, "99203")
    assert (a.n_assets_park, a.n_assets_river, b.n_assets_river, c.n_assets_sewer) == (2, 0, 1, 1)
    sk = pd.DataFrame(result.attrs["skipped"])
    assert sorted(zip(sk["layer"], sk["feature_id"])) == [
        ("bridges", "b6"), ("other_assets", "a4"), ("staff", "88888")]


def test_asset_type_counts():
    munis, _, _, assets, members = make_layers()
    t = asset_type_counts(assets, munis, group_members=members)
    got = {(r.unit_id, r.sector, r.asset_type): r.count for r in t.itertuples()}
    assert got == {("99201", "park", "遊具"): 2, ("99202", "river", "樋門"): 1,
                   ("99203", "sewer", "マンホール"): 1, ("G1", "park", "遊具"): 2,
                   ("G1", "river", "樋門"): 1, ("G2", "river", "樋門"): 1,
                   ("G2", "sewer", "マンホール"): 1}


def test_bilingual_headers(result, settings):
    t = bilingual(result, settings)
    assert "橋梁数（市区町村管理） (n_bridges)" in t.columns
    assert "建設後50年以上の割合（10年後） (share_age50_in10y)" in t.columns
    assert "geometry" not in " ".join(t.columns)
    labels = indicator_labels(result.columns)
    assert labels["n_assets_park"] == ("公園施設数", "park assets")


def test_bad_inputs_are_named(settings):
    munis, bridges, staff, assets, members = make_layers()
    with pytest.raises(InputError, match="municipality_name"):
        municipality_indicators(munis.drop(columns="municipality_name"), bridges, settings=settings)
    bad = members.copy()
    bad.loc[0, "municipality_code"] = "12345"
    with pytest.raises(InputError, match="12345"):
        municipality_indicators(munis, bridges, group_members=bad, settings=settings)
    with pytest.raises(Cancelled):
        municipality_indicators(munis, bridges, settings=settings, progress=lambda f, m: True)


def test_threshold_from_settings():
    munis, bridges, *_ = make_layers()
    s = Settings()
    s.effect.reference_year = 2025
    s.effect.ageing_threshold_years = 30
    s.effect.ageing_horizons_years = [5]
    out = municipality_indicators(munis, bridges, settings=s)
    b = row(out, "99202")
    # 2000: 25 years now, 30 in 5 years
    assert (b.share_age30_now, b.share_age30_in5y) == (0.0, 1.0)
    assert "share_age50_now" not in out.columns
