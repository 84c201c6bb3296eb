"""`gunmane groups`, `gunmane packages`, `gunmane road-pairs` end to end on small files."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, box

from gunmane_geo.cli import main

CRS = "EPSG:6673"


@pytest.fixture()
def files(tmp_path):
    geoms, codes = [], []
    for c in range(4):
        geoms.append(box(c * 10_000 + 2, 2, c * 10_000 + 9_998, 9_998))
        codes.append(f"0720{c + 1}")
    munis = gpd.GeoDataFrame({"municipality_code": codes, "municipality_name": ["甲市", "乙町", "丙村", "丁町"]},
                             geometry=geoms, crs=CRS)
    munis.to_file(tmp_path / "m.gpkg")
    pd.DataFrame({"municipality_code": codes, "technical_staff": [8, 2, 1, 3]}).to_csv(
        tmp_path / "staff.csv", index=False)
    pts = [Point(1_000 + 800 * i, 3_000 + 137 * (i % 30)) for i in range(48)]
    gpd.GeoDataFrame({"bridge_id": [f"B{i}" for i in range(48)], "deck_area_m2": 50.0,
                      "road_class": ["municipal"] * 40 + ["prefectural"] * 8},
                     geometry=pts, crs=CRS).to_file(tmp_path / "b.gpkg")
    gpd.GeoDataFrame({"road_id": ["P1", "M1"], "road_class": ["prefectural", "municipal"],
                      "route_name": ["県道1号", "市道1号"]},
                     geometry=[LineString([(0, 5_000), (40_000, 5_000)]),
                               LineString([(1_000, 5_000), (1_500, 5_200), (9_000, 5_200), (9_500, 5_000)])],
                     crs=CRS).to_file(tmp_path / "r.gpkg")
    return tmp_path


def test_groups_command_writes_layers(files, capsys):
    out = files / "out.gpkg"
    rc = main(["groups", "--municipalities", str(files / "m.gpkg"), "--staff", str(files / "staff.csv"),
               "--bridges", str(files / "b.gpkg"), "--roads", str(files / "r.gpkg"),
               "--candidates", "2", "--out", str(out), "--quiet"])
    assert rc == 0
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"groups", "group_members", "adjacency", "candidates", "load_report",
            "run_settings"} <= layers
    members = gpd.read_file(out, layer="group_members")
    assert len(members) == 4 * 2
    assert sorted(members[members["candidate"] == 1]["municipality_code"]) == ["07201", "07202", "07203", "07204"]
    groups = gpd.read_file(out, layer="groups")
    assert (groups[groups["candidate"] == 1]["technical_staff"] >= 5).all()


def test_packages_and_road_pairs_commands(files):
    out = files / "p.gpkg"
    assert main(["packages", "--bridges", str(files / "b.gpkg"), "--roads", str(files / "r.gpkg"),
                 "--n-packages", "2", "--out", str(out), "--quiet"]) == 0
    assets = gpd.read_file(out, layer="package_assets")
    assert len(assets) == 48 and assets["package_id"].nunique() == 2
    out2 = files / "rp.gpkg"
    assert main(["road-pairs", "--roads", str(files / "r.gpkg"), "--out", str(out2), "--quiet"]) == 0
    pairs = gpd.read_file(out2, layer="road_pairs")
    assert pairs["muni_route"].tolist() == ["市道1号"]


def test_missing_file_is_a_clear_error(files, capsys):
    rc = main(["groups", "--municipalities", str(files / "nope.gpkg"), "--out", str(files / "x.gpkg")])
    assert rc == 1
    err = capsys.readouterr().err
    assert "nope.gpkg" in err and "file not found; check the path" in err
