"""The whole report on the sample region, every stage for real (load, network, criticality,
options, plan, grouping, indicators, effect, maps): none missing or failed, the plan's
close-ups written, every figure explained in Japanese and in English, money in 億円/万円."""
from __future__ import annotations

import subprocess

import pandas as pd
import pyogrio
import pytest

from gunmane_geo.cli import main

from test_report import _config

pytestmark = pytest.mark.timeout(400)


@pytest.fixture(scope="module")
def full(tmp_path_factory, sample_dir):
    tmp = tmp_path_factory.mktemp("full")
    cfg = _config(tmp, sample_dir)
    out = tmp / "out"
    rc = main(["report", "--config", str(cfg), "--out", str(out), "--quiet"])
    return rc, out


def test_every_stage_ran(full):
    rc, out = full
    assert rc == 0
    st = pd.read_csv(out / "tables" / "stages.csv", encoding="utf-8-sig")
    assert list(st["stage"]) == ["load", "network", "criticality", "options", "plan", "grouping",
                                 "packages", "indicators", "effect", "maps", "report"]
    assert set(st["status"]) == {"ok"}, st[["stage", "status", "message"]]
    layers = {name for name, _ in pyogrio.list_layers(out / "results.gpkg")}
    assert {"bridge_criticality", "bridge_options", "consolidation_sets", "plan", "detour_routes",
            "groups", "group_members", "asset_packages", "multi_sector_areas", "road_pairs",
            "indicators", "effect", "stages"} <= layers


def test_plan_close_ups_written(full):
    _, out = full
    plan = pyogrio.read_dataframe(out / "results.gpkg", layer="plan")
    changed = plan[(plan["status"] == "planned")]
    n_pages = -(-len(changed) // 6)
    assert n_pages >= 1
    for k in range(1, n_pages + 1):
        for ext in ("pdf", "png"):
            assert (out / "maps" / f"plan_details_{k}.{ext}").stat().st_size > 10_000
    assert not (out / "maps" / f"plan_details_{n_pages + 1}.pdf").exists()


def test_each_figure_explained_in_both_languages(full):
    _, out = full
    ja = (out / "report_ja.html").read_text(encoding="utf-8")
    en = (out / "report_en.html").read_text(encoding="utf-8")
    figs = sorted(p.stem for p in (out / "maps").glob("*.png"))
    assert ja.count("<figure>") == len(figs) == en.count("<figure>")
    for name in figs:
        assert f"maps/{name}.png" in ja and f"maps/{name}.png" in en
    assert "計画で車が通れなくなる橋（番号1" in ja and "Close-ups of the bridges" in en
    assert "例示" in ja and "ILLUSTRATIVE" in en
    # the PDFs: the English sentence is printed on the English figure pages
    text_en = subprocess.run(["pdftotext", str(out / "report_en.pdf"), "-"], capture_output=True,
                             text=True).stdout
    text_ja = subprocess.run(["pdftotext", str(out / "report_ja.pdf"), "-"], capture_output=True,
                             text=True).stdout
    flat_en = " ".join(text_en.split())
    assert "Close-ups of the bridges that lose vehicle traffic" in flat_en
    assert "Best partition of the municipalities" in flat_en
    assert "Close-ups of the bridges" not in " ".join(text_ja.split())


def test_money_in_japanese_units(full):
    _, out = full
    eff = pd.read_csv(out / "tables" / "effect.csv", encoding="utf-8-sig")
    grp = eff[eff.iloc[:, 0].astype(str).str.contains("group")]
    col = [c for c in eff.columns if c.endswith("(total_cost_before_yen)")][0]
    total = float(grp[col].sum())
    # the caption gives the group total in 億円 (two decimals) when it is 1億 or more
    ja = (out / "report_ja.html").read_text(encoding="utf-8")
    expected = f"年{total / 1e8:,.2f}億円" if total >= 1e8 else f"年{total / 1e4:,.0f}万円"
    assert expected in ja
    # and the effect table of the report is in 万円
    assert "トータルコスト・現状（万円/年）" in ja
