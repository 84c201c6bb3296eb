"""Every map kind rendered from the sample region: PDF -> PNG not blank, Japanese font embedded,
no missing glyph, legend lists each class present; scale, north arrow and wrapping checked
against plain computations."""
from __future__ import annotations

import math
import shutil
import subprocess

import numpy as np
import pytest

from gunmane_geo import maps
from gunmane_geo.errors import GunmaneError
from gunmane_geo.maps.layout import wrap_text

DPI = 30
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def sample(sample_dir):
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.effect import effect_estimate
    from gunmane_geo.grouping import municipal_groups
    from gunmane_geo.indicators import municipality_indicators
    from gunmane_geo.io import load_region, load_run_config
    from gunmane_geo.pipeline import network_from_region as build_region_network
    inputs, s = load_run_config(sample_dir / "run.toml")
    s.maps.date = "2026-01-15"
    s.effect.reference_year = 2026
    r = load_region(inputs, s)
    net = build_region_network(r, s)
    crit = bridge_criticality(net, settings=s)
    groups, members = municipal_groups(r.municipalities, bridges=r.bridges, staff=r.staff,
                                       network=net, roads=r.roads, settings=s)
    ind = municipality_indicators(r.municipalities, r.bridges, r.staff, r.other_assets,
                                  group_members=members, settings=s)
    eff = effect_estimate(r.municipalities, r.bridges, r.other_assets, group_members=members,
                          settings=s)
    # a small plan in the shape of options.make_plan: two removals, two downsizings and a
    # consolidation (one removed, one kept hub); the rest kept
    plan = crit[["bridge_id", "geometry"]].copy()
    plan["plan_option"], plan["status"], plan["set_id"] = "keep", "keep", None
    ids = crit[crit["detour_m"].between(500, 2500)]["bridge_id"].iloc[:6].tolist()
    for sel, vals in ((ids[:2], ["remove", "planned", None]), (ids[2:4], ["downsize", "planned", None]),
                      (ids[4:5], ["remove", "planned", "S1"]), (ids[5:6], ["keep", "kept_hub", "S1"])):
        plan.loc[plan["bridge_id"].isin(sel), ["plan_option", "status", "set_id"]] = vals
    det = maps.detour_routes(plan, net)
    return {"s": s, "r": r, "net": net, "crit": crit, "members": members, "ind": ind,
            "eff": eff, "plan": plan, "det": det}


def _pdf_png(pdf, tmp_path):
    """pdftoppm the PDF; return the page image as a float array (0..1)."""
    import matplotlib.image as mpimg
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is part of the set-up"
    stem = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True)
    return mpimg.imread(stem.with_suffix(".png"))


def _check_outputs(page, tmp_path, name):
    files = page.save(tmp_path / name, dpi=DPI)
    assert sorted(f.suffix for f in files) == [".pdf", ".png"]
    pdf = tmp_path / f"{name}.pdf"
    img = _pdf_png(pdf, tmp_path)
    grey = img[..., :3].mean(axis=2)
    assert (grey < 0.9).mean() > 0.03, "the PDF page is (nearly) blank"
    assert grey.std() > 0.05
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    cjk = [ln for ln in fonts.splitlines() if "NotoSansCJK" in ln]
    assert cjk, fonts
    assert all(" yes " in ln for ln in cjk), "the Japanese font must be embedded"
    assert maps.figure_missing_glyphs(page.fig) == {}
    return page.legend_texts()


def _labels_present(legend, labels):
    for lab in labels:
        assert any(t.replace("\n", "").startswith(lab) for t in legend), (lab, legend)


def test_groups_map(sample, tmp_path):
    page = maps.map_groups(sample["r"].municipalities, sample["members"], roads=sample["r"].roads,
                           settings=sample["s"], sources="架空県サンプル")
    legend = _check_outputs(page, tmp_path, "groups")
    best = sample["members"][sample["members"]["candidate"] == 1]
    for gid, sub in best.groupby("group_id"):
        _labels_present(legend, [f"{sub['group_name'].iloc[0]}（{len(sub)}市区町村）"])
    # every member is labelled on the map
    texts = {t.get_text() for t in page.ax.texts}
    assert set(best["municipality_name"]) <= texts


def test_criticality_map_lists_each_class(sample, tmp_path):
    page = maps.map_bridges(sample["crit"], by="criticality", municipalities=sample["r"].municipalities,
                            roads=sample["r"].roads, settings=sample["s"])
    legend = _check_outputs(page, tmp_path, "crit")
    cls = maps.criticality_class(sample["crit"], sample["s"])
    labels = maps.criticality_classes(sample["s"])
    _labels_present(legend, [f"{labels[c][0]}（{n}橋）" for c, n in cls.value_counts().items()])
    absent = set(labels) - set(cls)
    for c in absent:
        assert not any(t.startswith(labels[c][0]) for t in legend)


def test_option_map(sample, tmp_path):
    b = sample["crit"][["bridge_id", "geometry"]].copy()
    b["option"] = np.where(np.arange(len(b)) % 3 == 0, "remove", "keep")
    b.loc[b.index[:4], "option"] = "downsize"
    page = maps.map_bridges(b, by="option", settings=sample["s"], paper="A4")
    legend = _check_outputs(page, tmp_path, "option")
    _labels_present(legend, [f"{maps.OPTION_CLASSES[c][0]}（{n}橋）"
                             for c, n in b["option"].value_counts().items()])
    bad = b.assign(option="demolish")
    with pytest.raises(GunmaneError, match="demolish"):
        maps.map_bridges(bad, by="option", settings=sample["s"])


def test_plan_map_with_detours(sample, tmp_path):
    det = sample["det"]
    assert len(det) == 5 and (det["detour_m"] > 0).all()
    # each detour route joins the two ends of its bridge's network chain
    assert not det.geometry.is_empty.any()
    page = maps.map_plan(sample["plan"], detours=det, municipalities=sample["r"].municipalities,
                         roads=sample["r"].roads, settings=sample["s"], paper="A4")
    legend = _check_outputs(page, tmp_path, "plan")
    cls = maps.plan_class(sample["plan"])
    assert dict(cls.value_counts()) == {"keep": len(cls) - 6, "remove": 2, "downsize": 2,
                                        "consolidated": 1, "kept_hub": 1}
    _labels_present(legend, [f"{maps.PLAN_CLASSES[c][0]}（{n}橋）" for c, n in cls.value_counts().items()])
    _labels_present(legend, ["迂回路（撤去後の経路、5本）"])


def test_ageing_map(sample, tmp_path):
    page = maps.map_ageing(sample["ind"], settings=sample["s"])
    legend = _check_outputs(page, tmp_path, "ageing")
    assert len(page.axes) == 3                      # now, in 10 and in 20 years
    _labels_present(legend, maps.kinds.AGEING_LABELS)
    # every municipality carries its share as a label
    m = sample["ind"][sample["ind"]["level"] == "municipality"]
    texts = {t.get_text() for t in page.axes[0].texts}
    for r in m.itertuples():
        assert f"{r.municipality_name if hasattr(r, 'municipality_name') else r.unit_name}\n" \
               f"{r.share_age50_now:.0%}" in texts


def test_effect_chart(sample, tmp_path):
    page = maps.chart_effect(sample["eff"], settings=sample["s"])
    legend = _check_outputs(page, tmp_path, "effect")
    _labels_present(legend, ["直営人件費", "委託（既存業務）", "新たに必要となる経費"])
    # bar heights: the stacks of 現状 sum to total_cost_before (in the chart's unit)
    e = sample["eff"]
    # Japanese money units: 億円 (10^8) from 1億, else 万円 (10^4)
    top = max(e["total_cost_before_yen"].max(), e["total_cost_after_yen"].max())
    div = 1e8 if top >= 1e8 else 1e4
    assert page.ax.get_ylabel().startswith("年間コスト（億円/年）" if div == 1e8 else "年間コスト（万円/年）")
    tops = sorted({round(p.get_y() + p.get_height(), 6) for p in page.ax.patches})
    for v in e["total_cost_before_yen"] / div:
        assert min(abs(t - v) for t in tops) < 1e-6


def test_missing_glyph_is_an_error(sample, tmp_path):
    page = maps.map_ageing(sample["ind"], settings=sample["s"], title="高齢化 \U0001F600")
    assert "\U0001F600" in str(maps.figure_missing_glyphs(page.fig))
    with pytest.raises(GunmaneError, match="glyph"):
        page.save(tmp_path / "bad", dpi=DPI)


def test_scale_and_north_arrow(sample):
    page = maps.map_groups(sample["r"].municipalities, sample["members"], settings=sample["s"],
                           paper="A4")
    ax = page.ax
    x0, x1 = ax.get_xlim()
    width_mm = ax.get_position().width * 297.0       # A4 landscape is 297 mm wide
    assert math.isclose(page.scale_denominator(), (x1 - x0) / (width_mm / 1000), rel_tol=1e-9)
    # the bar is a round length between a fifth and half of the frame
    assert page._scale_length_m in {m * 10 ** k for m in (1, 2, 2.5, 5) for k in range(6)}
    assert 0.1 < page._scale_length_m / (x1 - x0) <= 0.45
    # meridian convergence ~ (lon - lon0) * sin(lat): zone V origin 134°20'E
    from pyproj import Transformer
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:6673", always_xy=True).transform(135.5, 35.0)
    expected = (135.5 - (134 + 20 / 60)) * math.sin(math.radians(35.0))
    assert math.isclose(maps.true_north_angle("EPSG:6673", x, y), expected, abs_tol=0.02)
    assert maps.crs_label("EPSG:6673") == "JGD2011 平面直角座標系 第V系 (EPSG:6673)"


def test_helpers():
    assert [maps.nice_length(v) for v in (7, 260, 3400, 0.9)] == [5, 250, 2500, 0.5]
    assert wrap_text("橋梁の集約 and removal plan", 10) == "橋梁の集約\nand\nremoval\nplan"
    assert wrap_text("あいうえお。", 10) == "あいうえお。"       # 。 never starts a line
    from shapely.geometry import Polygon
    ring = [(0, 0), (100, 0), (100, 100), (0, 100)]
    sliver = [(10, 50), (90, 50), (90, 51), (10, 51)]
    lake = [(20, 20), (40, 20), (40, 40), (20, 40)]
    out = maps.drop_slivers(Polygon(ring, [sliver, lake]))
    assert len(out.interiors) == 1 and math.isclose(out.area, 10_000 - 400)


def test_japanese_font_found():
    family, path = maps.japanese_font()
    assert "CJK" in family or "Gothic" in family
    assert maps.missing_chars("橋梁群マネ①", path) == []
