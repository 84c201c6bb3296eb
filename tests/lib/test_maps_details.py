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
    from gunmane_geo.pipeline import network_from_region as build_region_network
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
    return {"s": s, "r": r, "net": net, "plan": plan, "det": det, "ids": ids, "spec": spec}


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
    assert [len(p.axes) for p in pages] == [4, 2]               # 2 x 2, then 2 of a 2 x 2
    # the last page keeps the panel size of the series (no stretched panels)
    size = {(round(a.get_position().width, 6), round(a.get_position().height, 6))
            for p in pages for a in p.axes}
    assert len(size) == 1
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


# --------------------------------------------------------------------------- crowded labels
@pytest.fixture(scope="module")
def crowded(sample):
    """A plan that removes the 12 bridges nearest to the label spot of each of three towns
    (where the overview map names them), so names and numbers compete for the same room."""
    r, plan = sample["r"], sample["plan"].copy()
    plan["plan_option"], plan["status"], plan["set_id"] = "keep", "keep", None
    pts = plan.geometry.representative_point()
    munis = r.municipalities.dissolve("municipality_code", as_index=False)
    chosen = []
    for name in ("美杉町", "川上町", "湊川市"):
        c = munis[munis["municipality_name"] == name].geometry.iloc[0].representative_point()
        chosen += list(pts.distance(c).sort_values().index[:12])
    plan.loc[chosen, ["plan_option", "status"]] = ["remove", "planned"]
    plan["step"] = pd.array([pd.NA] * len(plan), dtype="Int64")
    plan.loc[chosen, "step"] = range(1, len(chosen) + 1)
    det = maps.detour_routes(plan, sample["net"])
    return plan, det


def _boxes(page, canvas):
    """Display boxes of the municipality names, the numbers (by text), the leaders, the frame
    and the scale bar's white box, read back from the drawn page."""
    rend = canvas.get_renderer()
    ax = page.ax
    names = {t.get_text(): t.get_bbox_patch().get_window_extent(rend) for t in ax.texts
             if t.get_zorder() >= 40 and t.get_bbox_patch() is not None}
    numbers = {t.get_text(): t.get_bbox_patch().get_window_extent(rend) for t in ax.texts
               if (t.get_gid() or "").startswith("label:")}
    leaders = {ln.get_gid().split(":", 1)[1]: ax.transData.transform(np.column_stack(ln.get_data()))
               for ln in ax.lines if (ln.get_gid() or "").startswith("leader:")}
    scale = [p.get_window_extent(rend) for p in ax.patches
             if p.get_zorder() == 20 and p.get_facecolor()[:3] == (1.0, 1.0, 1.0)]
    return names, numbers, leaders, ax.get_window_extent(rend), scale


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_crowded_plan_map_keeps_names_readable(sample, crowded, paper):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    plan, det = crowded
    page = maps.map_plan(plan, detours=det, municipalities=sample["r"].municipalities,
                         roads=sample["r"].roads, settings=sample["s"], paper=paper)
    canvas = FigureCanvasAgg(page.fig)
    canvas.draw()
    names, numbers, leaders, frame, scale = _boxes(page, canvas)
    n = detail_numbers(plan)
    assert set(names) == set(sample["r"].municipalities["municipality_name"])
    assert sorted(int(k) for k in numbers) == list(range(1, 37))
    # names on top of every marker, route and number
    top = max(a.get_zorder() for a in page.ax.collections + page.ax.lines + [
        t for t in page.ax.texts if (t.get_gid() or "").startswith("label:")])
    assert all(t.get_zorder() > top for t in page.ax.texts if t.get_text() in names)
    # no removed bridge under a name: the 36 markers sit where the names used to be
    removed = plan[plan["plan_option"] == "remove"].geometry.representative_point()
    xy = page.ax.transData.transform(np.column_stack([removed.x, removed.y]))
    for name, bb in names.items():
        inside = (xy[:, 0] > bb.x0) & (xy[:, 0] < bb.x1) & (xy[:, 1] > bb.y0) & (xy[:, 1] < bb.y1)
        assert not inside.any(), name
    # numbers: clear of names, of each other, of the scale bar, inside the frame
    boxes = list(numbers.items())
    for i, (a, ba) in enumerate(boxes):
        assert not any(ba.overlaps(bn) for bn in names.values()), a
        assert not any(ba.overlaps(bb) for _, bb in boxes[i + 1:]), a
        assert not any(ba.overlaps(s) for s in scale), a
        assert frame.x0 <= ba.x0 and ba.x1 <= frame.x1 and frame.y0 <= ba.y0 and ba.y1 <= frame.y1
    # each number reads as its bridge: its marker is the nearest one to the box, or a leader
    # runs from the marker to the box
    ids = plan["bridge_id"].astype(str).to_numpy()
    pos = {b: xy[i] for i, b in enumerate(ids[plan["plan_option"].to_numpy() == "remove"])}
    for label, bb in numbers.items():
        own = pos[n.index[n == int(label)][0]]
        def dist(p):
            return math.hypot(max(bb.x0 - p[0], 0, p[0] - bb.x1), max(bb.y0 - p[1], 0, p[1] - bb.y1))
        if label in leaders:
            (sx, sy), (ex, ey) = leaders[label]
            assert math.hypot(sx - own[0], sy - own[1]) < 15 * page.fig.dpi / 72   # at the marker
            assert dist((ex, ey)) < 1.0                                            # at the box
        else:
            d_own = dist(own)
            assert all(dist(p) > d_own for b, p in pos.items() if not np.allclose(p, own)), label


def test_close_up_numbers_keep_off_the_detour_and_scale_bar(sample):
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    pages = maps.map_plan_details(sample["plan"], detours=sample["det"], settings=sample["s"],
                                  paper="A4")
    det = sample["det"].set_index("bridge_id")
    page = pages[0]
    canvas = FigureCanvasAgg(page.fig)
    canvas.draw()
    rend = canvas.get_renderer()
    for ax, bid in zip(page.axes, page.detail_ids):
        labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label:")]
        assert len(labels) == 1
        bb = labels[0].get_bbox_patch().get_window_extent(rend)
        (x0, y0), (x1, y1) = ax.transData.inverted().transform([(bb.x0, bb.y0), (bb.x1, bb.y1)])
        route = det.loc[bid, "geometry"] if bid in det.index else None
        if route is not None and not route.is_empty:
            assert not shapely.box(x0, y0, x1, y1).intersects(route), bid
        scale = [p.get_window_extent(rend) for p in ax.patches
                 if p.get_zorder() == 20 and p.get_facecolor()[:3] == (1.0, 1.0, 1.0)]
        assert scale and not any(bb.overlaps(s) for s in scale)
