"""Loaders on the sample region (sample_layers/, made by sample_layers/make_sample.py).

Expected counts come from sample_layers/summary.json, which the generator writes from its
own frames; 和暦 years are checked against a small converter written here."""
import json
import re

import numpy as np
import pandas as pd
import pytest

from gunmane_geo.io import load_region, load_run_config, read_bridges, read_municipalities


@pytest.fixture(scope="module")
def sample(sample_dir):
    # the sample layers are committed: their absence is a broken checkout, not a skip
    assert (sample_dir / "run.toml").exists(), "sample_layers/run.toml missing: run make sample"
    summary = json.loads((sample_dir / "summary.json").read_text(encoding="utf-8"))
    return sample_dir, summary


@pytest.fixture(scope="module")
def region(sample):
    sample_dir, _ = sample
    inputs, settings = load_run_config(sample_dir / "run.toml")
    return load_region(inputs, settings)


def test_region_counts(sample, region):
    _, summary = sample
    assert region.crs == "EPSG:6673"          # 架空県 lies at zone V coordinates (岡山/兵庫)
    for kind in ("municipalities", "roads", "bridges", "rivers", "facilities", "other_assets"):
        assert len(getattr(region, kind)) == summary[kind], kind
        assert getattr(region, kind).crs.to_epsg() == 6673
    s = region.report.summary().set_index("layer")
    assert (s["read"] == s["kept"] + s["skipped"]).all()
    assert s.loc["bridges", "skipped"] == 0 and s.loc["roads", "skipped"] == 0
    assert region.population.crs == "EPSG:6673"
    assert region.staff["technical_staff"].sum() > 0


def test_n03_geojson_matches_gpkg(sample):
    sample_dir, summary = sample
    n03 = read_municipalities(sample_dir / "municipalities_n03.geojson", crs="EPSG:6673")
    gpkg = read_municipalities(sample_dir / "municipalities.gpkg")
    assert len(n03) == summary["municipalities"]
    assert sorted(n03["municipality_code"]) == sorted(gpkg["municipality_code"])
    a = n03.set_index("municipality_code").sort_index()
    b = gpkg.set_index("municipality_code").sort_index()
    assert (a["municipality_name"] == b["municipality_name"]).all()
    # same land within 0.1 % (the GeoJSON stores 7 decimals of a degree)
    assert np.allclose(a.area, b.area, rtol=1e-3)


def _wareki(text):
    """Independent converter for the sample's two 和暦 styles: 昭和38年 and S38."""
    start = {"大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018,
             "T": 1911, "S": 1925, "H": 1988, "R": 2018}
    m = re.fullmatch(r"(大正|昭和|平成|令和|[TSHR])(元|\d+)年?", text)
    if not m:
        return int(text)
    return start[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))


def test_cp932_inventory_same_bridges_as_gpkg(sample):
    sample_dir, summary = sample
    csv_path = sample_dir / "bridges_inventory_cp932.csv"
    raw = pd.read_csv(csv_path, encoding="cp932", dtype=str, keep_default_na=False)
    c = read_bridges(csv_path, crs="EPSG:6673").set_index("bridge_id").sort_index()
    g = read_bridges(sample_dir / "bridges.gpkg").set_index("bridge_id").sort_index()
    assert len(c) == len(raw) == summary["bridges"]
    assert list(c.index) == list(g.index)
    for col in ("name", "manager", "municipality_code", "road_class", "route_name",
                "built_year", "rating", "last_inspection_year", "emergency_route",
                "bus_route", "school_route"):
        assert (c[col].astype(str) == g[col].astype(str)).all(), col
    for col in ("length_m", "width_m", "aadt"):
        assert np.allclose(c[col], g[col], atol=0.051), col
    assert c.geometry.distance(g.geometry).max() < 0.05        # metres
    # the 和暦 rows, converted independently
    raw = raw.set_index("橋梁ID")
    wareki = raw[~raw["架設年度"].str.fullmatch(r"\d{4}")]
    assert len(wareki) > 50
    for bid, text in wareki["架設年度"].items():
        assert c.loc[bid, "built_year"] == _wareki(text), (bid, text)
    insp = raw[~raw["点検年度"].str.fullmatch(r"\d{4}")]
    for bid, text in insp["点検年度"].items():
        assert c.loc[bid, "last_inspection_year"] == _wareki(text), (bid, text)
