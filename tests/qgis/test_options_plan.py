"""gunmane:bridge_options and gunmane:plan through processing.run, compared with the library."""
from __future__ import annotations

import pytest

from conftest import layer_uri, same_number, val


def _inputs(clip):
    gpkg = clip["gpkg"]
    return {"ROADS": layer_uri(gpkg, "roads"), "BRIDGES": layer_uri(gpkg, "bridges"),
            "FACILITIES": layer_uri(gpkg, "facilities"), "POPULATION": str(clip["population"])}


def _library(clip, **kwargs):
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.pipeline import run_options
    from gunmane_geo.settings import Settings
    settings = Settings()
    gpkg = str(clip["gpkg"])
    region = load_region({"roads": {"path": gpkg, "layer": "roads"},
                          "bridges": {"path": gpkg, "layer": "bridges"},
                          "facilities": {"path": gpkg, "layer": "facilities"},
                          "population": str(clip["population"])}, settings)
    return run_options(region, settings, **kwargs)


def test_options_match_library(qgis_app, sample_clip):
    import processing
    result = processing.run("gunmane:bridge_options", {
        **_inputs(sample_clip), "OUTPUT_OPTIONS": "TEMPORARY_OUTPUT",
        "OUTPUT_SETS": "TEMPORARY_OUTPUT"})
    lib = _library(sample_clip)
    opts = lib["bridge_options"].set_index(["bridge_id", "option"])
    got = {(f["bridge_id"], f["option"]): f for f in result["OUTPUT_OPTIONS"].getFeatures()}
    assert sorted(got) == sorted(opts.index)
    assert len({b for b, _ in got}) > 150
    for key, feature in got.items():
        row = opts.loc[key]
        for col in ("lcc_yen", "cost_avoided_yen", "user_cost_yen", "net_present_benefit_yen",
                    "detour_m"):
            assert same_number(feature[col], row[col]), (key, col)
        assert bool(feature["recommended"]) == bool(row["recommended"]), key
        assert bool(feature["eligible"]) == bool(row["eligible"]), key
        assert (val(feature["reason_ja"]) or "") == (row["reason_ja"] or ""), key
    n_rec = lib["bridge_options"]
    n_rec = n_rec.loc[n_rec["recommended"].astype(bool) & (n_rec["option"] != "keep"), "bridge_id"].nunique()
    assert result["N_RECOMMENDED"] == n_rec
    sets = lib["consolidation_sets"]
    assert result["OUTPUT_SETS"].featureCount() == len(sets)
    got_sets = sorted((f["set_id"], f["kept_bridge_id"], int(f["cost_avoided_yen"]))
                      for f in result["OUTPUT_SETS"].getFeatures())
    assert got_sets == sorted(zip(sets["set_id"], sets["kept_bridge_id"],
                                  sets["cost_avoided_yen"].astype(int)))


def test_plan_with_target_matches_library(qgis_app, sample_clip):
    import processing
    result = processing.run("gunmane:plan", {
        **_inputs(sample_clip), "TARGET_SAVING_PCT": 3.0, "OUTPUT_PLAN": "TEMPORARY_OUTPUT",
        "OUTPUT_CURVE": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT",
        "OUTPUT_DETOURS": "TEMPORARY_OUTPUT"})
    lib = _library(sample_clip, plan=True, target_saving_share=0.03)
    plan = lib["plan"].set_index("bridge_id")
    summary = lib["plan"].attrs["summary"]
    got = {f["bridge_id"]: f for f in result["OUTPUT_PLAN"].getFeatures()}
    assert sorted(got) == sorted(plan.index)
    for bid, feature in got.items():
        assert feature["plan_option"] == plan.loc[bid, "plan_option"], bid
        assert feature["status"] == plan.loc[bid, "status"], bid
        assert same_number(feature["detour_in_plan_m"], plan.loc[bid, "detour_in_plan_m"]), bid
    assert summary["n_bridges_removed"] >= 2          # several steps: not a trivial plan
    assert result["N_REMOVED"] == summary["n_bridges_removed"]
    assert result["COST_AVOIDED_YEN"] == summary["cost_avoided_yen"]
    row = next(result["OUTPUT_SUMMARY"].getFeatures())
    assert int(row["baseline_lcc_yen"]) == summary["baseline_lcc_yen"]
    assert bool(row["target_reached"]) == summary["target_reached"]
    curve = sorted((int(f["step"]), int(f["cum_cost_avoided_yen"]))
                   for f in result["OUTPUT_CURVE"].getFeatures())
    assert curve == sorted(zip(lib["cost_curve"]["step"].astype(int),
                               lib["cost_curve"]["cum_cost_avoided_yen"].astype(int)))
    # the plan class of the map: removed bridges are 'remove'/'consolidated'/..., others keep
    classes = {f["plan_class"] for f in got.values()}
    assert "keep" in classes and classes - {"keep"}
    # the detour routes: the library's detour_routes on the same plan and network, one line
    # per bridge that loses vehicle traffic, same detour and same route length
    from gunmane_geo.options import detour_routes
    det = detour_routes(lib["plan"], lib["_network"]).set_index("bridge_id")
    layer = result["OUTPUT_DETOURS"]
    assert layer.geometryType() == 1                       # lines
    routes = {f["bridge_id"]: f for f in layer.getFeatures()}
    assert sorted(routes) == sorted(det.index) and len(routes) == summary["n_bridges_removed"]
    for bid, feature in routes.items():
        assert feature["plan_option"] == det.loc[bid, "plan_option"], bid
        assert same_number(feature["detour_m"], det.loc[bid, "detour_m"]), bid
        assert feature.geometry().length() == pytest.approx(det.geometry[bid].length, abs=1e-6), bid
        # a route runs round the bridge: longer than its detour (the bridge itself is not on it)
        assert feature.geometry().length() > feature["detour_m"] > 0, bid


def test_plan_rejects_bad_target(qgis_app, sample_clip):
    import processing
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException):
        processing.run("gunmane:plan", {
            **_inputs(sample_clip), "TARGET_SAVING_PCT": 150.0, "OUTPUT_PLAN": "TEMPORARY_OUTPUT",
            "OUTPUT_CURVE": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT"})


def test_plan_compare_matches_library(qgis_app, sample_clip, tmp_path):
    import processing
    chart = tmp_path / "scenarios.pdf"
    result = processing.run("gunmane:plan", {
        **_inputs(sample_clip), "TARGET_SAVING_PCT": 3.0, "COMPARE": "0, 3, 6",
        "OUTPUT_PLAN": "TEMPORARY_OUTPUT", "OUTPUT_CURVE": "TEMPORARY_OUTPUT",
        "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT", "OUTPUT_COMPARE": "TEMPORARY_OUTPUT",
        "OUTPUT_COMPARE_CHART": str(chart)})
    lib = _library(sample_clip, plan=True, target_saving_share=0.03,
                   compare=("target", [0.0, 3.0, 6.0]))["plan_compare"]
    rows = sorted(result["OUTPUT_COMPARE"].getFeatures(), key=lambda f: float(f["level"]))
    assert [float(f["level"]) for f in rows] == [0.0, 3.0, 6.0]
    for f, (_, r) in zip(rows, lib.iterrows()):
        for col in ("n_bridges_removed", "n_consolidate", "n_remove", "n_downsize",
                    "n_remove_upgrade_detour", "cost_avoided_yen"):
            assert int(f[col]) == int(r[col]), col
        assert same_number(f["people_longer_trips"], r["people_longer_trips"])
    assert int(rows[2]["n_bridges_removed"]) >= int(rows[1]["n_bridges_removed"]) > 0
    assert chart.stat().st_size > 0 and result["OUTPUT_COMPARE_CHART"] == str(chart)
    # the 3 % level is the plan itself
    assert int(rows[1]["cost_avoided_yen"]) == result["COST_AVOIDED_YEN"]


def test_plan_compare_rejects_bad_levels(qgis_app, sample_clip):
    import processing
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException, match="not a number"):
        processing.run("gunmane:plan", {
            **_inputs(sample_clip), "COMPARE": "0,abc", "OUTPUT_PLAN": "TEMPORARY_OUTPUT",
            "OUTPUT_CURVE": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT"})
