"""Nothing is dropped silently: every input bridge, road and municipality of a run is in
the outputs, or in a reported list of what was skipped and why.

The run is the whole sample region (``run_analysis``: load, network, criticality,
options, plan, grouping, packages, indicators, effect) on a perturbed copy:

* bridges: one inside 北山村 5 km from any road (BFAR-LAND, no municipality_code),
  one in the sea outside every municipality (BFAR-SEA, no code), a second row with the
  id of row 3 (duplicate), a row without an id, a row without a geometry;
* municipalities: a polygon without a code (N03 所属未定地);
* staff: a row for a code (99999) that is no municipality of the run.

The expected numbers are counted here straight from the input files and the loaded
layers (plain pandas), not taken from the modules under test.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box

from gunmane_geo.pipeline import run_analysis

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_layers"
EXTRA_IDS = ["BFAR-LAND", "BFAR-SEA"]


def _far_from_roads(polygon, roads) -> Point:
    """The point of a 40 x 40 grid over ``polygon`` that lies farthest from every road."""
    x0, y0, x1, y1 = polygon.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, 40), np.linspace(y0, y1, 40))
    pts = [Point(x, y) for x, y in zip(xs.ravel(), ys.ravel()) if polygon.contains(Point(x, y))]
    _, dist = shapely.STRtree(roads.geometry.values).query_nearest(
        pts, return_distance=True, all_matches=False)
    assert dist.max() > 1000          # far beyond the 30 m match tolerance
    return pts[int(np.argmax(dist))]


@pytest.fixture(scope="module")
def perturbed(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("perturbed")
    for f in SAMPLE.iterdir():
        if f.suffix in (".gpkg", ".csv", ".tif", ".geojson", ".xml"):
            shutil.copy(f, d / f.name)
    # the canonical GeoPackages are perturbed: the run reads them (run_canonical.toml)
    shutil.copy(SAMPLE / "run_canonical.toml", d / "run.toml")
    b = gpd.read_file(d / "bridges.gpkg")
    m = gpd.read_file(d / "municipalities.gpkg")
    roads = gpd.read_file(d / "roads.gpkg")
    land = _far_from_roads(m.set_index("municipality_code").geometry["99361"], roads)
    rows = [
        {**b.iloc[0].drop("geometry").to_dict(), "bridge_id": "BFAR-LAND",
         "municipality_code": None, "name": "山奥橋"},
        {**b.iloc[1].drop("geometry").to_dict(), "bridge_id": "BFAR-SEA",
         "municipality_code": None, "name": "沖合橋"},
        {**b.iloc[2].drop("geometry").to_dict(), "name": "重複橋"},            # id of row 3
        {**b.iloc[3].drop("geometry").to_dict(), "bridge_id": "", "name": "番号なし橋"},
        {**b.iloc[4].drop("geometry").to_dict(), "bridge_id": "BNOGEOM"},
    ]
    extra = gpd.GeoDataFrame(rows, geometry=[land, Point(-40_000, -175_000), b.geometry.iloc[2],
                                             b.geometry.iloc[3], None], crs=b.crs)
    pd.concat([b, extra], ignore_index=True).to_file(d / "bridges.gpkg")
    nocode = gpd.GeoDataFrame([{"municipality_code": None, "municipality_name": "所属未定地",
                                "prefecture_name": "架空県", "kind": None}],
                              geometry=[box(-69_000, -169_000, -68_000, -168_000)], crs=m.crs)
    pd.concat([m, nocode], ignore_index=True).to_file(d / "municipalities.gpkg")
    staff = pd.read_csv(d / "staff.csv", dtype=str)
    staff.loc[len(staff)] = {"municipality_code": "99999", "municipality_name": "幻村",
                             "technical_staff": "3"}
    staff.to_csv(d / "staff.csv", index=False)
    return d


@pytest.fixture(scope="module")
def run(perturbed):
    res = run_analysis(perturbed / "run.toml")
    bad = {s.name: s.message for s in res.stages.values() if s.status != "ok"}
    assert not bad, bad
    return res


def _skipped(res, layer, load_only=False):
    """Report rows that skipped features of ``layer``; ``load_only``: only the loader's
    (their source is the input file; later stages name the layer as source)."""
    rep = res.region.report.to_frame()
    rows = rep[(rep["layer"] == layer) & (rep["action"] == "skipped")]
    if load_only:
        rows = rows[rows["source"] == str(res.region.sources[layer])]
    return rows


# --------------------------------------------------------------------------- bridges
def test_every_bridge_row_is_loaded_or_skipped_with_a_reason(perturbed, run):
    raw = pyogrio.read_dataframe(perturbed / "bridges.gpkg")
    bridges = run.region.bridges
    skipped = _skipped(run, "bridges", load_only=True)
    loaded_rows = set(bridges["source_row"].astype(int))
    skipped_rows = set(skipped["row"].astype(int))
    assert loaded_rows.isdisjoint(skipped_rows)
    assert loaded_rows | skipped_rows == set(range(1, len(raw) + 1))
    n = len(raw)
    reasons = skipped.set_index("row")["message"]
    assert "duplicate bridge_id 'B99201-0003' (first used on row 3)" in reasons[n - 2]
    assert "bridge_id is empty" in reasons[n - 1]
    assert "no geometry" in reasons[n]
    assert len(bridges) == len(raw) - 3 and bridges["bridge_id"].is_unique
    summ = run.region.report.summary().set_index("layer").loc["bridges"]
    assert (summ["read"], summ["kept"], summ["skipped"]) == (len(raw), len(raw) - 3, 3)


def test_every_loaded_bridge_is_in_criticality_options_and_plan(run):
    ids = set(run.region.bridges["bridge_id"])
    L = run.layers
    crit, plan, opts = L["bridge_criticality"], L["plan"], L["bridge_options"]
    assert len(crit) == len(ids) and set(crit["bridge_id"]) == ids
    assert len(plan) == len(ids) and set(plan["bridge_id"]) == ids
    assert set(opts["bridge_id"]) == ids
    assert (opts["option"] == "keep").sum() == len(ids)      # keep is always an option
    # the two bridges far from any road: kept, unmatched, and said so
    c = crit.set_index("bridge_id")
    assert not c.loc[EXTRA_IDS, "matched"].astype(bool).any()
    assert c["matched"].astype(bool).sum() == len(ids) - 2
    p = plan.set_index("bridge_id")
    assert (p.loc[EXTRA_IDS, "plan_option"] == "keep").all()
    assert (p.loc[EXTRA_IDS, "status"] == "not_eligible").all()
    rep = run.region.report.to_frame()
    un = rep[(rep["action"] == "unmatched")].set_index("feature_id")
    assert set(un.index) == set(EXTRA_IDS)
    assert un.loc["BFAR-LAND", "message"].startswith("bridge not matched to a road: no road "
                                                     "within 30 m (nearest road ")


def test_every_bridge_counted_in_the_indicators_or_listed_as_skipped(run):
    bridges = run.region.bridges
    ind = run.layers["indicators"]
    sk = run.layers["skipped_features"]
    sk_b = sk[sk["layer"] == "bridges"]
    assert list(sk_b["feature_id"]) == ["BFAR-SEA"] and sk_b["reason"].str.len().min() > 10
    muni = ind[ind["level"] == "municipality"].set_index("unit_id")
    # independent count: by the loaded code (filled from the location where missing)
    placed = bridges[~bridges["bridge_id"].isin(sk_b["feature_id"])]
    assert placed["municipality_code"].notna().all()
    is_muni = placed["manager"].isna() | (placed["manager"] == "municipality")
    own = placed[is_muni].groupby("municipality_code").size()
    other = placed[~is_muni].groupby("municipality_code").size()
    assert muni["n_bridges"].to_dict() == own.reindex(muni.index, fill_value=0).to_dict()
    assert (muni["n_bridges_other_manager"].to_dict()
            == other.reindex(muni.index, fill_value=0).to_dict())
    assert muni["n_bridges"].sum() + muni["n_bridges_other_manager"].sum() + len(sk_b) \
        == len(bridges)
    # the land bridge got 北山村's code from its position and is counted there
    assert bridges.set_index("bridge_id").at["BFAR-LAND", "municipality_code"] == "99361"
    # groups hold the same bridges as their members
    grp = ind[ind["level"] == "group"]
    assert grp["n_bridges"].sum() == muni["n_bridges"].sum()
    assert grp["n_bridges_other_manager"].sum() == muni["n_bridges_other_manager"].sum()


def test_every_asset_is_in_a_package(run):
    pa = run.layers["package_assets"]
    assert set(pa.loc[pa["sector"] == "bridge", "asset_id"]) == set(run.region.bridges["bridge_id"])
    others = set(run.region.other_assets["asset_id"])
    assert set(pa.loc[pa["sector"] != "bridge", "asset_id"]) == others
    assert pa["package_id"].notna().all() and pa["asset_id"].is_unique
    # multi-sector areas: an asset without a municipality is left out, and reported
    area = run.layers["area_assets"]
    rep = run.region.report.to_frame()
    left_out = set(rep.loc[(rep["layer"] == "assets") & (rep["action"] == "skipped"),
                           "feature_id"])
    assert left_out == {"BFAR-SEA"}
    assert set(area["asset_id"]) | left_out == set(pa["asset_id"])


# --------------------------------------------------------------------------- municipalities
def test_every_municipality_row_is_loaded_or_skipped(perturbed, run):
    raw = pyogrio.read_dataframe(perturbed / "municipalities.gpkg")
    codes = set(run.region.municipalities["municipality_code"])
    assert codes == set(raw["municipality_code"].dropna())
    sk = _skipped(run, "municipalities", load_only=True)
    assert list(sk["row"]) == [len(raw)] and "no municipality code" in sk["message"].iloc[0]


def test_every_municipality_is_in_each_candidate_indicators_and_effect(run):
    codes = sorted(run.region.municipalities["municipality_code"])
    gm = run.layers["group_members"]
    n_cand = gm["candidate"].nunique()
    assert 1 <= n_cand <= run.settings.grouping.n_candidates
    for cand, members in gm.groupby("candidate"):
        assert sorted(members["municipality_code"]) == codes, cand
        assert members["group_id"].notna().all()
    groups = run.layers["groups"]
    assert set(groups["candidate"]) == set(gm["candidate"])
    ind = run.layers["indicators"]
    assert sorted(ind.loc[ind["level"] == "municipality", "unit_id"]) == codes
    eff = run.layers["effect"]
    assert sorted(eff.loc[eff["level"] == "municipality", "unit_id"]) == codes
    # the indicators' groups are candidate 1's groups
    best = gm[gm["candidate"] == gm["candidate"].min()]
    assert sorted(ind.loc[ind["level"] == "group", "unit_id"]) == sorted(best["group_id"].unique())


def test_staff_rows_are_used_or_listed(perturbed, run):
    raw = pd.read_csv(perturbed / "staff.csv", dtype=str)
    ind = run.layers["indicators"]
    muni = ind[ind["level"] == "municipality"].set_index("unit_id")
    known = raw[raw["municipality_code"].isin(muni.index)]
    assert {c: float(v) for c, v in zip(known["municipality_code"], known["technical_staff"])} \
        == muni["technical_staff"].to_dict()
    sk = run.layers["skipped_features"]
    assert list(sk.loc[sk["layer"] == "staff", "feature_id"]) == ["99999"]
    rep = run.region.report.to_frame()
    assert ((rep["layer"] == "staff") & (rep["feature_id"] == "99999")
            & rep["message"].str.contains("not in the municipalities layer")).any()


# --------------------------------------------------------------------------- roads
def test_every_road_is_in_the_network_or_reported(perturbed, run):
    raw = pyogrio.read_dataframe(perturbed / "roads.gpkg", columns=["road_id"],
                                 read_geometry=False)
    loaded = set(run.region.roads["road_id"])
    assert loaded == set(raw["road_id"])                 # the sample's roads are all clean
    edges = run.network.edges
    in_net = set(edges["road_id"].dropna().astype(str))
    rep = _skipped(run, "roads")
    reported = set(rep["feature_id"])
    # a clean partition: each road is in the network or skipped by the build, with a reason
    assert in_net <= loaded and in_net.isdisjoint(reported)
    assert in_net | reported == loaded
    assert rep["message"].str.contains("zero length, after snapping").all()
    assert (rep["source"] == str(run.region.sources["roads"])).all() and rep["row"].notna().all()
