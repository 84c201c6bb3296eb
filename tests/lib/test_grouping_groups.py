"""municipal_groups on hand-built municipalities whose right answers are worked out here."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from gunmane_geo.errors import Cancelled, InputError
from gunmane_geo.grouping import municipal_groups
from gunmane_geo.io.load_report import LoadReport
from gunmane_geo.settings import Settings

CRS = "EPSG:6673"
SIZE = 10_000.0
GAP = 5.0


def _region(island=True):
    """2 x 3 squares of 10 km with 5 m gaps (codes 99rc1), plus an island east of 99021."""
    geoms, codes = [], []
    for r in range(2):
        for c in range(3):
            x0, y0 = c * SIZE, r * SIZE
            geoms.append(box(x0 + GAP / 2, y0 + GAP / 2, x0 + SIZE - GAP / 2, y0 + SIZE - GAP / 2))
            codes.append(f"99{r}{c}1")
    if island:
        geoms.append(box(31_000, 2_000, 36_000, 8_000))
        codes.append("99901")
    return gpd.GeoDataFrame({"municipality_code": codes,
                             "municipality_name": [f"町{c}" for c in codes],
                             "prefecture_name": "試験県"}, geometry=geoms, crs=CRS)


def _staff(codes, values):
    return pd.DataFrame({"municipality_code": codes, "technical_staff": values})


def _bridges(seed=0, n=120):
    rng = np.random.default_rng(seed)
    pts = [Point(x, y) for x, y in rng.uniform(100, 29_900, (n, 2)) * [1, 2 / 3]]
    return gpd.GeoDataFrame({
        "bridge_id": [f"B{i:03d}" for i in range(n)],
        "deck_area_m2": rng.uniform(20, 500, n).round(1),
        "rating": rng.integers(1, 5, n),
        "built_year": rng.integers(1950, 2015, n),
        "manager": np.where(rng.random(n) < 0.15, "prefecture", "municipality"),
    }, geometry=pts, crs=CRS)


def _code_of(pt):
    """Which square a point lies in, by arithmetic (independent of the library)."""
    c, r = int(pt.x // SIZE), int(pt.y // SIZE)
    return f"99{r}{c}1"


def _settings(**kw):
    s = Settings()
    s.grouping.reference_year = 2025
    for k, v in kw.items():
        setattr(s.grouping, k, v)
    return s


def _check_partition(groups, members, munis):
    codes = sorted(munis["municipality_code"])
    adj = {(a["code_a"], a["code_b"]) for a in groups.attrs["adjacency"]}
    nbrs = {c: set() for c in codes}
    for a, b in adj:
        nbrs[a].add(b)
        nbrs[b].add(a)
    for cand, sub in members.groupby("candidate"):
        assert sorted(sub["municipality_code"]) == codes          # every one exactly once
        for gid, grp in sub.groupby("group_id"):                  # every group contiguous
            todo = set(grp["municipality_code"])
            seen, stack = set(), [next(iter(todo))]
            while stack:
                u = stack.pop()
                if u not in seen:
                    seen.add(u)
                    stack.extend(nbrs[u] & todo)
            assert seen == todo, (cand, gid)


def test_every_municipality_once_contiguous_and_floor_ceiling_met():
    munis = _region()
    roads = gpd.GeoDataFrame({"is_bridge": [False, True]}, geometry=[
        LineString([(25_000, 5_000), (29_997.5, 5_000)]),
        LineString([(29_997.5, 5_000), (31_500, 5_000)])], crs=CRS)
    staff = _staff(list(munis["municipality_code"]), [3, 2, 6, 1, 4, 2, 0])
    s = _settings(min_staff=5, max_members=4, max_travel_min=60, n_candidates=3)
    groups, members = municipal_groups(munis, bridges=_bridges(), staff=staff, roads=roads, settings=s)
    assert sorted(members["candidate"].unique()) == [1, 2, 3]
    _check_partition(groups, members, munis)
    best = groups[groups["candidate"] == 1]
    assert (best["technical_staff"] >= 5).all() and (best["members"] <= 4).all()
    assert (best["max_travel_min"] <= 60).all() and best["floor_ok"].all() and best["ceiling_ok"].all()
    scores = [c["objective"] + 1000 * c["violation"] for c in groups.attrs["candidates"]]
    assert scores == sorted(scores)
    assert groups.attrs["candidates"][0]["method"] == "exact"
    # the island joins through its bridge
    isl = members[(members["candidate"] == 1) & (members["municipality_code"] == "99901")]
    gid = isl["group_id"].iloc[0]
    assert len(members[(members["candidate"] == 1) & (members["group_id"] == gid)]) > 1


def test_statistics_add_up_to_a_hand_count():
    munis = _region(island=False)
    br = _bridges(seed=3)
    staff = _staff(list(munis["municipality_code"]), [3, 2, 6, 1, 4, 2])
    s = _settings(min_staff=4, max_members=3, n_candidates=2)
    groups, members = municipal_groups(munis, bridges=br, staff=staff, settings=s)
    muni_br = br[br["manager"] == "municipality"].copy()
    muni_br["code"] = [_code_of(p) for p in muni_br.geometry]
    pref_br = br[br["manager"] == "prefecture"].copy()
    pref_br["code"] = [_code_of(p) for p in pref_br.geometry]
    staff_of = dict(zip(staff["municipality_code"], staff["technical_staff"]))
    for _, g in groups.iterrows():
        codes = g["member_codes"].split(";")
        mine = muni_br[muni_br["code"].isin(codes)]
        assert g["bridges"] == len(mine)
        assert g["deck_area_m2"] == pytest.approx(mine["deck_area_m2"].sum())
        assert g["rating_3_4"] == (mine["rating"] >= 3).sum()
        # over 50 years in 2025: built 1975 or earlier; in 10 years: 1985 or earlier
        assert g["share_over_50_now"] == pytest.approx((mine["built_year"] <= 1975).mean())
        assert g["share_over_50_10y"] == pytest.approx((mine["built_year"] <= 1985).mean())
        assert g["share_over_50_20y"] == pytest.approx((mine["built_year"] <= 1995).mean())
        st = sum(staff_of[c] for c in codes)
        assert g["technical_staff"] == st
        assert g["bridges_per_engineer"] == pytest.approx(len(mine) / st)
        assert g["pref_bridges"] == (pref_br["code"].isin(codes)).sum()
    # every municipal bridge counted once per candidate
    for cand, sub in groups.groupby("candidate"):
        assert sub["bridges"].sum() == len(muni_br)
        assert sub["pref_bridges"].sum() == len(pref_br)


def test_island_without_link_is_its_own_group_and_reported():
    munis = _region()
    staff = _staff(list(munis["municipality_code"]), [3, 2, 6, 1, 4, 2, 1])
    report = LoadReport()
    s = _settings(min_staff=5, max_members=4)
    groups, members = municipal_groups(munis, staff=staff, settings=s, report=report)
    best = groups[groups["candidate"] == 1]
    island = best[best["member_codes"] == "99901"]
    assert len(island) == 1
    assert not island["floor_ok"].iloc[0]
    assert "staff 1 < 5" in island["violation"].iloc[0] and "no neighbour" in island["violation"].iloc[0]
    msgs = report.to_frame()["message"]
    assert msgs.str.contains("99901.*no neighbour").any()
    assert msgs.str.contains("G.*staff 1 < 5").any()
    assert groups.attrs["isolated"] == ["99901"]


def test_infeasible_floor_reports_the_violation():
    munis = _region(island=False)
    staff = _staff(list(munis["municipality_code"]), [1, 1, 1, 1, 1, 1])
    report = LoadReport()
    groups, members = municipal_groups(munis, staff=staff, settings=_settings(min_staff=10, max_members=3),
                                       report=report)
    best = groups[groups["candidate"] == 1]
    assert (~best["floor_ok"]).all()
    # fewest shortfalls: two groups of three (each 3 staff short of 10 -> 0.7 + 0.7)
    assert sorted(best["members"]) == [3, 3]
    assert groups.attrs["candidates"][0]["violation"] == pytest.approx(1.4)
    assert (report.to_frame()["message"].str.contains("no contiguous partition meets")).sum() == 2


def test_travel_time_by_road_between_offices_and_ceiling():
    # three municipalities in a row; offices on one straight municipal road (30 km/h)
    munis = _region(island=False).iloc[:3]
    roads = gpd.GeoDataFrame({"road_class": ["municipal"]},
                             geometry=[LineString([(1_000, 5_000), (29_000, 5_000)])], crs=CRS)
    offices = gpd.GeoDataFrame({"facility_type": ["office"] * 3, "municipality_code": ["99001", "99011", "99021"]},
                               geometry=[Point(5_000, 5_000), Point(15_000, 5_000), Point(25_000, 5_000)], crs=CRS)
    # 10 km at 30 km/h = 20 min between neighbours, 40 min end to end
    staff = _staff(["99001", "99011", "99021"], [5, 5, 5])
    g1, _ = municipal_groups(munis, staff=staff, roads=roads, offices=offices,
                             settings=_settings(min_staff=10, max_members=3, max_travel_min=25))
    best = g1[g1["candidate"] == 1]
    # all three: 40 min, (40 - 25) / 25 = 0.6 over the ceiling; a pair + a single with
    # 5 staff: (10 - 5) / 10 = 0.5 short of the floor -> the pair and the single win
    assert sorted(best["members"]) == [1, 2]
    assert g1.attrs["candidates"][0]["violation"] == pytest.approx(0.5)
    assert best["max_travel_min"].max() == pytest.approx(20.0, abs=0.01)
    assert best["travel_source"].iloc[0] == "roads"
    g2, _ = municipal_groups(munis, staff=staff, roads=roads, offices=offices,
                             settings=_settings(min_staff=15, max_members=3, max_travel_min=45))
    best2 = g2[g2["candidate"] == 1]
    assert best2["members"].tolist() == [3]
    assert best2["max_travel_min"].iloc[0] == pytest.approx(40.0, abs=0.01)


def test_vertical_partner_and_prefecture_bridges_apart():
    munis = _region(island=False)
    br = _bridges(seed=5)
    staff = _staff(list(munis["municipality_code"]), [5] * 6)
    groups, _ = municipal_groups(munis, bridges=br, staff=staff, vertical=True, settings=_settings())
    assert (groups["partner"] == "試験県").all()
    c1 = groups[groups["candidate"] == 1]
    assert c1["pref_bridges"].sum() == (br["manager"] == "prefecture").sum()
    assert c1["bridges"].sum() == (br["manager"] == "municipality").sum()


def test_bridge_outside_every_municipality_is_reported():
    munis = _region(island=False)
    br = _bridges(seed=1, n=10)
    extra = gpd.GeoDataFrame({"bridge_id": ["BX"], "deck_area_m2": [100.0], "rating": [2],
                              "built_year": [1980], "manager": ["municipality"]},
                             geometry=[Point(90_000, 90_000)], crs=CRS)
    br = gpd.GeoDataFrame(pd.concat([br, extra], ignore_index=True), crs=CRS)
    report = LoadReport()
    municipal_groups(munis, bridges=br, staff=_staff(list(munis["municipality_code"]), [5] * 6),
                     settings=_settings(), report=report)
    skipped = report.skipped("bridges")
    assert skipped["feature_id"].tolist() == ["BX"] and skipped["row"].tolist() == [11]


def test_bad_staff_value_names_the_row():
    munis = _region(island=False)
    staff = _staff(list(munis["municipality_code"]), [5, 5, "five", 5, 5, 5])
    with pytest.raises(InputError, match=r"staff, row 3: technical_staff must be a number"):
        municipal_groups(munis, staff=staff, settings=_settings())


def test_progress_and_cancel():
    munis = _region(island=False)
    staff = _staff(list(munis["municipality_code"]), [5] * 6)
    seen = []
    municipal_groups(munis, staff=staff, settings=_settings(),
                     progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        municipal_groups(munis, staff=staff, settings=_settings(), progress=lambda f, m: f > 0.5)


def test_heuristic_equals_exact_on_the_small_region():
    munis = _region()
    staff = _staff(list(munis["municipality_code"]), [3, 2, 6, 1, 4, 2, 0])
    roads = gpd.GeoDataFrame({"is_bridge": [True]}, geometry=[LineString([(25_000, 5_000), (33_000, 5_000)])],
                             crs=CRS)
    s = _settings(min_staff=5, max_members=4, n_candidates=1)
    ge, _ = municipal_groups(munis, bridges=_bridges(), staff=staff, roads=roads, settings=s, method="exact")
    gh, _ = municipal_groups(munis, bridges=_bridges(), staff=staff, roads=roads, settings=s,
                             method="heuristic")
    assert ge.attrs["candidates"][0]["objective"] == pytest.approx(gh.attrs["candidates"][0]["objective"])
    assert sorted(ge["member_codes"]) == sorted(gh["member_codes"])
