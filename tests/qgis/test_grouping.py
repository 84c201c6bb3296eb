"""gunmane:municipal_groups, asset_packages and road_pairs, compared with the library."""
from __future__ import annotations

from conftest import SAMPLE, layer_uri, same_number, val


def test_municipal_groups_match_library(qgis_app, sample_clip):
    import processing
    from gunmane_geo.grouping import municipal_adjacency, municipal_groups
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.settings import Settings
    gpkg = sample_clip["gpkg"]
    result = processing.run("gunmane:municipal_groups", {
        "MUNICIPALITIES": layer_uri(gpkg, "municipalities"),
        "BRIDGES": str(SAMPLE / "bridges.gpkg"), "STAFF": layer_uri(gpkg, "staff"),
        "OUTPUT_GROUPS": "TEMPORARY_OUTPUT", "OUTPUT_MEMBERS": "TEMPORARY_OUTPUT",
        "OUTPUT_CANDIDATES": "TEMPORARY_OUTPUT", "OUTPUT_ADJACENCY": "TEMPORARY_OUTPUT"})
    settings = Settings()
    region = load_region({"municipalities": str(SAMPLE / "municipalities.gpkg"),
                          "bridges": str(SAMPLE / "bridges.gpkg"),
                          "staff": str(sample_clip["staff_csv"])}, settings)
    adjacency = municipal_adjacency(region.municipalities, settings=settings, report=region.report)
    groups, members = municipal_groups(region.municipalities, bridges=region.bridges,
                                       staff=region.staff, settings=settings, adjacency=adjacency,
                                       report=region.report)
    got = sorted((int(f["candidate"]), f["group_id"], f["member_codes"], int(f["bridges"]),
                  float(f["technical_staff"])) for f in result["OUTPUT_GROUPS"].getFeatures())
    lib = sorted(zip(groups["candidate"].astype(int), groups["group_id"], groups["member_codes"],
                     groups["bridges"].astype(int), groups["technical_staff"].astype(float)))
    assert got == lib
    # every municipality is in exactly one group of each candidate partition
    best = [codes for c, _, codes, _, _ in got if c == 1]
    codes = sorted(code for member in best for code in member.split(";"))
    assert codes == sorted(region.municipalities["municipality_code"].unique())
    assert len(best) >= 2
    assert result["OUTPUT_MEMBERS"].featureCount() == len(members)
    assert result["OUTPUT_ADJACENCY"].featureCount() == len(adjacency)
    cands = {int(f["candidate"]): f for f in result["OUTPUT_CANDIDATES"].getFeatures()}
    for record in groups.attrs["candidates"]:
        assert same_number(cands[int(record["candidate"])]["objective"], record["objective"])


def test_asset_packages_match_library(qgis_app, sample_clip):
    import processing
    from gunmane_geo.grouping import asset_packages, combine_assets
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.settings import Settings
    gpkg = sample_clip["gpkg"]
    result = processing.run("gunmane:asset_packages", {
        "BRIDGES": layer_uri(gpkg, "bridges"), "OTHER_ASSETS": layer_uri(gpkg, "other_assets"),
        "ROADS": layer_uri(gpkg, "roads"), "N_PACKAGES": 3,
        "OUTPUT_PACKAGES": "TEMPORARY_OUTPUT", "OUTPUT_ASSETS": "TEMPORARY_OUTPUT"})
    settings = Settings()
    region = load_region({k: {"path": str(gpkg), "layer": k}
                          for k in ("bridges", "other_assets", "roads")}, settings)
    assets = combine_assets(region.bridges, region.other_assets, settings)
    out, packages = asset_packages(assets, roads=region.roads, settings=settings, n_packages=3)
    got = sorted((f["package_id"], int(f["assets"]), round(float(f["inspection_hours"]), 6))
                 for f in result["OUTPUT_PACKAGES"].getFeatures())
    assert got == sorted(zip(packages["package_id"], packages["assets"].astype(int),
                             packages["inspection_hours"].astype(float).round(6)))
    assert len(got) == 3
    assigned = {f["asset_id"]: f["package_id"] for f in result["OUTPUT_ASSETS"].getFeatures()}
    assert assigned == dict(zip(out["asset_id"], out["package_id"]))
    assert len(assigned) == len(region.bridges) + len(region.other_assets)   # none dropped


def test_road_pairs_match_library(qgis_app, sample_clip):
    import processing
    from gunmane_geo.grouping import road_pairs
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.settings import Settings
    gpkg = sample_clip["gpkg"]
    result = processing.run("gunmane:road_pairs", {
        "ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
        "OUTPUT": "TEMPORARY_OUTPUT"})
    settings = Settings()
    region = load_region({k: {"path": str(gpkg), "layer": k} for k in ("roads", "bridges")}, settings)
    pairs = road_pairs(region.roads, bridges=region.bridges, settings=settings)
    assert len(pairs) >= 1 and result["N_PAIRS"] == len(pairs)
    got = sorted((f["pair_id"], f["pref_route"], f["muni_road_ids"], round(float(f["parallel_share"]), 9),
                  int(f["bridges_on_muni"])) for f in result["OUTPUT"].getFeatures())
    assert got == sorted(zip(pairs["pair_id"], pairs["pref_route"], pairs["muni_road_ids"],
                             pairs["parallel_share"].astype(float).round(9),
                             pairs["bridges_on_muni"].astype(int)))
    assert all(val(f["muni_length_m"]) > 0 for f in result["OUTPUT"].getFeatures())
