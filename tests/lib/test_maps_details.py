"""Plan close-ups (maps.map_plan_details) and numbered labels on the plan map, from the sample
region: every changed bridge gets a panel that contains it and its whole detour, titled with
the detour computed independently, the bridge crossed out (×) or drawn as downsized, the
detour as a bold black dashed line, a compact scale bar whose 1:n is checked by hand."""
from __future__ import annotations

import math
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from matplotlib.markers import MarkerStyle

from gunmane_geo import maps
from gunmane_geo.maps.details import MIN_PANEL_SPAN_M, detail_numbers

DPI = 30
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def sample(sample_dir):
    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.io import load_region, load_run_config
    from gunmane_geo.options.pipeline import build_region_network
    inputs, s = load_run_config(sample_dir / "run.toml")
    r = load_region(inputs, s)
    net = build_region_network(r, s)
    crit = bridge_criticality(net, settings=s)
    # a plan in make_plan's shape: 2 removals, 2 downsizings, a consolidation (one removed,
    # one hub), one removal with a detour upgrade; steps 1..6 in a known order
    plan = crit[["bridge_id", "geometry"]].copy()
    plan["name"] = [f"試験{i}号橋" for i in range(len(plan))]
    plan["plan_option"], plan["status"], plan["set_id"] = "keep", "keep", None
    plan["step"] = pd.array([pd.NA] * len(plan), dtype="Int64")
    ids = crit[crit["detour_m"].between(300, 2500)]["bridge_id"].iloc[:7].tolist()
    spec = [(ids[0], "remove", "planned", None, 3), (ids[1], "remove", "planned", None, 1),
            (ids[2], "downsize", "planned", None, 2), (ids[3], "downsize", "planned", None, 5),
            (ids[4], "remove", "planned", "S1", 4), (ids[5], "keep", "kept_hub", "S1", 4),
            (ids[6], "remove_upgrade_detour", "planned", None, 6)]
    for bid, opt, st, sid, step in spec:
        sel = plan["bridge_id"] == bid
        plan.loc[sel, ["plan_option", "status", "set_id"]] = [opt, st, sid]
        plan.loc[sel, "step"] = step
    det = maps.detour_routes(plan, net)
    return {"s": s, "r": r, "plan": plan, "det": det, "ids": ids, "spec": spec}


def test_detail_numbers_follow_the_plan_steps():
    plan = pd.DataFrame({"bridge_id": ["a", "b", "c", "d", "e", "f"],
                         "plan_option": ["remove", "keep", "downsize", "remove", "keep", "remove"],
                         "status": ["planned", "keep", "planned", "planned", "kept_hub", "planned"],
                         "set_id": [None, None, None, "S1", "S1", None],
                         "step": [2, None, 1, 3, 3, 1]})
    n = detail_numbers(plan)
    # step 1: c, f (by id); step 2: a; step 3: d (e is the kept hub: no close-up)
    assert list(n.index) == ["c", "f", "a", "d"] and list(n) == [1, 2, 3, 4]


def test_no_change_no_page(sample):
    plan = sample["plan"].assign(plan_option="keep", status="keep", set_id=None)
    assert maps.map_plan_details(plan, settings=sample["s"]) == []


def _fmt(m):
    return f"{m:,.0f} m" if m < 1000 else f"{m / 1000:,.1f} km"


def test_panels(sample, tmp_path):
    plan, det, s = sample["plan"], sample["det"], sample["s"]
    pages = maps.map_plan_details(plan, detours=det, municipalities=sample["r"].municipalities,
                                  roads=sample["r"].roads, rivers=sample["r"].rivers, settings=s,
                                  paper="A4")
    assert len(pages) == 1
    page = pages[0]
    # six changed bridges (the hub has none), numbered by step: ids[1], ids[2], ids[0], ...
    order = [b for b, *_rest in sorted((x for x in sample["spec"] if x[2] == "planned"),
                                       key=lambda x: (x[4], x[0]))]
    assert page.detail_ids == order and len(page.axes) == 6
    pts = plan.set_index("bridge_id").geometry.representative_point()
    det_by = det.set_index("bridge_id")
    option = {b: o for b, o, *_ in sample["spec"]}
    for k, (ax, bid) in enumerate(zip(page.axes, order), start=1):
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        p = pts[bid]
        assert x0 < p.x < x1 and y0 < p.y < y1
        route = det_by.loc[bid, "geometry"]
        rb = route.bounds
        assert x0 <= rb[0] and rb[2] <= x1 and y0 <= rb[1] and rb[3] <= y1   # whole detour shown
        assert min(x1 - x0, y1 - y0) >= MIN_PANEL_SPAN_M
        # the title: number, name (id), option and the detour from detour_routes
        texts = [t.get_text() for t in ax.texts]
        name = plan.set_index("bridge_id").loc[bid, "name"]
        assert f"{k}  {name}（{bid}）" in texts
        d = float(det_by.loc[bid, "detour_m"])
        assert any(f"+{_fmt(d)}" in t for t in texts), (texts, d)
        # the bridge: × when removed, the downsize triangle otherwise
        coll = [c for c in ax.collections if c.get_gid() == f"bridge:{bid}"]
        assert len(coll) == 1
        assert np.allclose(coll[0].get_offsets()[0], (p.x, p.y))
        marker = "^" if option[bid] == "downsize" else "x"
        assert np.allclose(coll[0].get_paths()[0].vertices,
                           MarkerStyle(marker).get_path().transformed(
                               MarkerStyle(marker).get_transform()).vertices)
        # the detour: bold black dashes along the route
        line = [c for c in ax.collections if c.get_gid() == f"detour:{bid}"]
        assert len(line) == 1
        assert line[0].get_linewidth()[0] >= 2.0
        assert tuple(line[0].get_edgecolor()[0][:3]) == (0.0, 0.0, 0.0)
        assert line[0].get_linestyle()[0][1] is not None                 # dashed
        segs = np.vstack(line[0].get_segments())
        assert np.allclose(segs.min(axis=0), rb[:2]) and np.allclose(segs.max(axis=0), rb[2:])
        # compact scale bar: a round length of about 30 % of the panel; 1:n from the paper
        length, n = ax._gunmane_scale
        assert length in {m * 10 ** e for m in (1, 2, 2.5, 5) for e in range(5)}
        assert 0.1 <= length / (x1 - x0) <= 0.3
        width_m_on_paper = ax.get_position().width * 297.0 / 1000   # A4 landscape: 297 mm
        assert math.isclose(n, (x1 - x0) / width_m_on_paper, rel_tol=1e-9)
    legend = [t.replace("\n", "") for t in page.legend_texts()]
    for label in ("単純撤去（×）", "撤去＋迂回路整備（×）", "集約により撤去（×）",
                  "ダウンサイジング（歩行者・自転車橋）", "迂回路（すべての撤去を行った後の最短経路）",
                  "河川", "市区町村界"):
        assert label in legend, (label, legend)
    # the page renders: not blank, Japanese font embedded, no missing glyph
    files = page.save(tmp_path / "details", dpi=DPI)
    assert maps.figure_missing_glyphs(page.fig) == {}
    pdf = [f for f in files if f.suffix == ".pdf"][0]
    assert shutil.which("pdftoppm")
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "p")], check=True, capture_output=True)
    import matplotlib.image as mpimg
    grey = mpimg.imread(tmp_path / "p.png")[..., :3].mean(axis=2)
    assert (grey < 0.9).mean() > 0.03
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts


def test_pages_of_four_keep_numbers_and_leave_no_empty_panel(sample):
    pages = maps.map_plan_details(sample["plan"], detours=sample["det"], settings=sample["s"],
                                  paper="A3", per_page=4)
    assert [len(p.axes) for p in pages] == [4, 2]               # 2 x 2, then 1 x 2
    assert [p.title for p in pages] == ["集約・撤去計画（案）詳細図（1/2）",
                                        "集約・撤去計画（案）詳細図（2/2）"]
    heads = [t.get_text() for p in pages for ax in p.axes for t in ax.texts
             if t.get_fontweight() == "bold" and "（" in t.get_text()]
    assert [h.split()[0] for h in heads] == ["1", "2", "3", "4", "5", "6"]


def test_plan_map_numbers_do_not_overlap(sample):
    plan = sample["plan"]
    page = maps.map_plan(plan, detours=sample["det"], municipalities=sample["r"].municipalities,
                         settings=sample["s"], paper="A4")
    n = detail_numbers(plan)
    boxes = [t for t in page.ax.texts if t.get_bbox_patch() is not None
             and t.get_text() in {str(v) for v in n}]
    assert sorted(int(t.get_text()) for t in boxes) == list(range(1, len(n) + 1))
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(page.fig)
    canvas.draw()
    ext = [t.get_bbox_patch().get_window_extent(canvas.get_renderer()) for t in boxes]
    for i in range(len(ext)):
        for j in range(i + 1, len(ext)):
            assert not ext[i].overlaps(ext[j]), (boxes[i].get_text(), boxes[j].get_text())


def test_place_labels_spreads_a_cluster(sample):
    """Five labels on points 1 m apart (the same spot at region scale) end up apart."""
    page = maps.map_bridges(sample["plan"].assign(option="keep"), by="option",
                            settings=sample["s"], paper="A4")
    p = sample["plan"].geometry.iloc[0].representative_point()
    x, y = p.x, p.y
    texts = maps.place_labels(page, page.ax, [(x + i, y) for i in range(5)],
                              [str(i) for i in range(5)])
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(page.fig)
    canvas.draw()
    ext = [t.get_bbox_patch().get_window_extent(canvas.get_renderer()) for t in texts]
    assert not any(ext[i].overlaps(ext[j]) for i in range(5) for j in range(i + 1, 5))
