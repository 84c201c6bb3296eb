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


def _flat(text: str) -> str:
    import unicodedata
    return "".join(unicodedata.normalize("NFKC", text).split())


def _expected_grouping_sentences(out):
    """The three sentences, worked out from the layers of results.gpkg (not from the report
    code's frames): packages from ``assets``/``inspection_hours``, areas from the
    ``sectors`` text (``sector:count;...``), road pairs from length and bridge counts."""
    gpkg = out / "results.gpkg"
    pk = pyogrio.read_dataframe(gpkg, layer="asset_packages")
    ar = pyogrio.read_dataframe(gpkg, layer="multi_sector_areas")
    rp = pyogrio.read_dataframe(gpkg, layer="road_pairs")
    assert len(pk) >= 2 and len(ar) >= 2 and len(rp) >= 1      # a real test on the sample
    hours = sorted(float(h) for h in pk["inspection_hours"])
    a_pk = [int(x) for x in pk["assets"]]
    multi = sum(1 for text in ar["sectors"]
                if len([p for p in str(text).split(";") if p.strip()]) >= 2)
    a_ar = [int(x) for x in ar["assets"]]
    km = sum(float(x) for x in rp["muni_length_m"]) / 1000
    nb = sum(int(x) for x in rp["bridges_on_muni"])
    ratio = f"{hours[-1] / hours[0]:.2f}"
    ja = [f"パッケージ案は{len(pk)}件で、1件あたり{min(a_pk)}〜{max(a_pk)}施設、点検時間は"
          f"{hours[0]:,.0f}〜{hours[-1]:,.0f}時間（最大÷最小 {ratio}倍）",
          f"地区案は{ar['municipality_code'].nunique()}市区町村で計{len(ar)}地区、1地区あたり"
          f"{min(a_ar)}〜{max(a_ar)}施設で、うち{multi}地区は2分野以上",
          f"県道と市町村道の組は{len(rp)}組あり、合同での管理見直しの候補である（市町村道 計"
          f"{km:,.1f} km、橋梁{nb}橋"]
    en = [f"{len(pk)} asset packages for joint inspection and repair contracts: {min(a_pk)} to "
          f"{max(a_pk)} assets each, {hours[0]:,.0f} to {hours[-1]:,.0f} inspection hours "
          f"(largest / smallest {ratio})",
          f"{len(ar)} multi-sector areas in {ar['municipality_code'].nunique()} municipalities, "
          f"{min(a_ar)} to {max(a_ar)} assets each; {multi} of them hold assets of two or more",
          f"{len(rp)} pairs of a prefectural and a municipal road run parallel between the same "
          f"places: candidates for joint review (municipal roads {km:,.1f} km in all, {nb} bridges"]
    return ja, en


def test_report_explains_packages_areas_and_road_pairs(full):
    _, out = full
    ja, en = _expected_grouping_sentences(out)
    for lang, sentences in (("ja", ja), ("en", en)):
        html = _flat((out / f"report_{lang}.html").read_text(encoding="utf-8"))
        pdf = _flat(subprocess.run(["pdftotext", str(out / f"report_{lang}.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout)
        for sentence in sentences:
            assert _flat(sentence) in html, (lang, sentence)
            assert _flat(sentence) in pdf, (lang, sentence)


def _page_text(pdf, first, last=None):
    return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last or first), "-layout",
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_report_opens_with_its_findings(full):
    _, out = full
    plan = pyogrio.read_dataframe(out / "results.gpkg", layer="plan", read_geometry=False)
    summary = pyogrio.read_dataframe(out / "results.gpkg", layer="plan_summary",
                                     read_geometry=False).iloc[0]
    compare = pyogrio.read_dataframe(out / "results.gpkg", layer="plan_compare",
                                     read_geometry=False)
    planned = plan[plan["status"] == "planned"]
    ja = _page_text(out / "report_ja.pdf", 1)
    assert "検討結果の要点" in ja and "全体図" in ja
    for head in ("地域の橋梁", "連携グループ（案）", "集約・撤去計画（案）", "導入効果（年間）", "シナリオ比較"):
        assert head in ja, head
    # the plan at the chosen level, by method, with the numbers of the plan layer
    n = planned["method"].value_counts()
    assert f"{len(planned)}橋（集約{n.get('consolidate', 0)}・単純撤去{n.get('remove', 0)}" in ja
    longest = planned["detour_in_plan_m"].max()
    assert f"最長の迂回 {longest:,.0f} m" in ja
    assert f"移動が長くなる人 {summary['people_longer_trips']:,.0f}人" in ja
    assert "ILLUSTRATIVE" in ja
    # the scenario table: one row per level
    for label in compare["label_ja"]:
        assert label in ja, label
    en = _page_text(out / "report_en.pdf", 1)
    assert "Findings" in en and "Scenarios side by side" in en and "ILLUSTRATIVE" in en
    assert (out / "summary_ja.png").stat().st_size > 10_000
    # technical tables at the end: the stages table is the appendix
    n_pages = int(subprocess.run(["pdfinfo", str(out / "report_ja.pdf")], capture_output=True,
                                 text=True).stdout.split("Pages:")[1].split()[0])
    assert "付録：実行した処理" in _page_text(out / "report_ja.pdf", n_pages)
    assert "付録：実行した処理" not in _page_text(out / "report_ja.pdf", 2, 3)
    html = (out / "report_ja.html").read_text(encoding="utf-8")
    assert html.index("検討結果の要点") < html.index("図の一覧") < html.index("付録：実行した処理")
