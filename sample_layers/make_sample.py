#!/usr/bin/env python
"""Generate the synthetic sample region of 架空県 (fictional prefecture, code 99).

Everything here is SYNTHETIC: invented places, roads, bridges and people, laid
out at real JGD2011 plane rectangular zone V coordinates (EPSG:6673) on the
Seto Inland Sea coast so that lon/lat look plausible.  The script is
deterministic (numpy ``default_rng(SEED)``, every random draw in a fixed
order, outputs sorted by id); see ``sample_layers/README.md``.

Usage::

    python sample_layers/make_sample.py            # writes into sample_layers/
    python sample_layers/make_sample.py --out DIR  # writes into DIR
    python sample_layers/make_sample.py --no-plot  # skip overview.png

Working coordinates are local metres (u east, v north) from the south-west
corner (X0, Y0) of the region; they are shifted to EPSG:6673 and rounded to
millimetres only when written.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import geopandas as gpd
import shapely
import shapely.affinity
import shapely.ops
from shapely.prepared import prep
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.ops import substring, unary_union
from scipy.spatial import cKDTree

SEED = 20240615
CRS = "EPSG:6673"            # JGD2011 / Japan Plane Rectangular CS V
CRS_LONLAT = "EPSG:6668"     # JGD2011 geographic
X0, Y0 = -70000.0, -170000.0  # south-west corner of the region in EPSG:6673 (m)
W, H = 60000.0, 50000.0       # region size (m)
CELL = 250.0                  # population grid cell (m)
PREF_NAME = "架空県"
PREF_CODE = "99"
REF_YEAR = 2026               # "today" for ages and inspection cycles

# --------------------------------------------------------------------------
# municipalities: code, name, kind, seed point (local m), population target,
# technical staff, 郡 name for N03_003
MUNIS = [
    ("99201", "湊川市", "city", (25500, 13500), 78000, 18, None),
    ("99202", "東浦市", "city", (50500, 13200), 31000, 11, None),
    ("99341", "西岡町", "town", (9000, 15000), 11000, 5, "岡田郡"),
    ("99342", "川上町", "town", (29000, 25500), 9000, 4, "湊川郡"),
    ("99343", "桜台町", "town", (46500, 25500), 7000, 3, "湊川郡"),
    ("99344", "美杉町", "town", (43500, 39500), 4000, 2, "湊川郡"),
    ("99361", "北山村", "village", (29500, 43500), 1600, 1, "湊川郡"),
    ("99362", "奥谷村", "village", (14000, 37000), 900, 0, "岡田郡"),
    ("99441", "汐島町", "town", None, 2600, 1, "汐島郡"),
]
MUNI_BY_CODE = {m[0]: m for m in MUNIS}
ISLAND_CODE = "99441"

# --------------------------------------------------------------------------
# situations for the plan's methods (docs/options.md "Methods in the plan"): crossings of
# 湊川 between 県道41号 (west bank, about 400 m west of the river's centre line) and
# 国道499号 (east bank, 420 m east).  Points are (northing v in local m, offset east of
# the river's centre line in m); "ends" name the road each end meets ("west", "east", a
# situation road's name, or None for a free end).  Each situation is clear-cut, well past
# the thresholds, so that it survives other layouts of the same region.
SITUATIONS = [
    # 集約: an old narrow bridge 130 m beside a newer wide one; its traffic moves onto the
    # wide bridge (detour about 260 m), which needs no widening
    {"key": "twin", "roads": [
        {"name": "新湊橋通り", "from": (19000, -400), "to": (19000, 420), "ends": ("west", "east"),
         "width_m": 9.0, "speed_kmh": 40.0, "aadt": 2500,
         "bridge": dict(name="新湊橋", built_year=2008, width_m=9.5, rating=1, aadt=2500.0)},
        {"name": "旧湊橋通り", "from": (19130, -400), "to": (19130, 420), "ends": ("west", "east"),
         "width_m": 4.0, "speed_kmh": 30.0, "aadt": 150,
         "bridge": dict(name="旧湊橋", built_year=1956, width_m=4.0, rating=3, aadt=150.0)},
    ]},
    # ダウンサイジング: a narrow old bridge (4 m) on a school route (通学路) with few vehicles;
    # without it the walk round by the next crossing (県道41号, the 27 600 crossing and
    # 国道499号) is about 1 km, twice the school-route limit of 500 m, while the 40 cars a day
    # manage the same detour over roads at least as wide as the bridge
    {"key": "school", "roads": [
        {"name": "学園橋通り", "from": (27150, -400), "to": (27150, 420), "ends": ("west", "east"),
         "width_m": 4.0, "speed_kmh": 30.0, "aadt": 40,
         "bridge": dict(name="学園橋", built_year=1958, width_m=4.0, rating=3, aadt=40.0,
                        school_route=True)},
    ]},
    # 撤去＋迂回路整備: an old wide bridge (7.5 m, rated IV) 150 m beside a new one; the
    # detour between them runs over the 4 m farm roads on both banks (about 300 m of road
    # narrower than [costs] detour_min_width_m 5.5 m), which must be improved
    {"key": "narrow_detour", "roads": [
        {"name": "大渡", "from": (17900, -400), "to": (17900, 420), "ends": ("west", "east"),
         "width_m": 7.5, "speed_kmh": 40.0, "aadt": 120,
         "bridge": dict(name="大渡橋", built_year=1955, width_m=7.5, rating=4, aadt=120.0)},
        {"name": "新渡橋通り", "from": (17750, -400), "to": (17750, 420), "ends": ("west", "east"),
         "width_m": 8.0, "speed_kmh": 40.0, "aadt": 300,
         "bridge": dict(name="新渡橋", built_year=2012, width_m=8.5, rating=1, aadt=300.0)},
    ]},
]

# --------------------------------------------------------------------------
# small geometry helpers (local coordinates)


def catmull_rom(points, step=40.0):
    """Smooth curve through control points, resampled every ``step`` metres."""
    p = np.asarray(points, dtype=float)
    if len(p) == 2:
        return resample(p, step)
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        t = np.linspace(0, 1, 30, endpoint=False)[:, None]
        out.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-1][None])
    return resample(np.vstack(out), step)


def resample(coords, step):
    line = LineString(coords)
    n = max(2, int(math.ceil(line.length / step)) + 1)
    pts = shapely.line_interpolate_point(line, np.linspace(0, line.length, n))
    xy = shapely.get_coordinates(pts)
    xy[0], xy[-1] = coords[0], coords[-1]
    return xy


def wiggle(coords, rng, amp, wavelength, taper=True):
    """Offset a polyline sideways by a smooth random curve (ends kept fixed when ``taper``)."""
    c = np.asarray(coords, dtype=float)
    if len(c) < 3 or amp <= 0:
        return c
    seg = np.diff(c, axis=0)
    s = np.concatenate([[0], np.cumsum(np.hypot(seg[:, 0], seg[:, 1]))])
    tang = np.gradient(c, axis=0)
    tang /= np.maximum(np.hypot(tang[:, 0], tang[:, 1]), 1e-9)[:, None]
    normal = np.column_stack([-tang[:, 1], tang[:, 0]])
    ph = rng.uniform(0, 2 * np.pi, 3)
    off = (np.sin(2 * np.pi * s / wavelength + ph[0]) * 0.6
           + np.sin(2 * np.pi * s / (wavelength * 0.53) + ph[1]) * 0.3
           + np.sin(2 * np.pi * s / (wavelength * 2.7) + ph[2]) * 0.4) * amp
    if taper:
        L = s[-1]
        ramp = np.clip(np.minimum(s, L - s) / min(wavelength, L / 2), 0, 1)
        off *= ramp
    return c + normal * off[:, None]


def line_points(geom):
    """The points of an intersection result (Point/MultiPoint/lines' end points)."""
    if geom.is_empty:
        return []
    out = []
    for g in getattr(geom, "geoms", [geom]):
        if g.geom_type == "Point":
            out.append((g.x, g.y))
        elif g.geom_type in ("LineString", "LinearRing"):
            c = list(g.coords)
            out.extend([c[0], c[-1]])
        elif hasattr(g, "geoms"):
            out.extend(line_points(g))
    return out


def cut_coords(coords, cuts):
    """Cut a polyline at ``cuts`` = sorted [(distance, (x, y))]; the cut points are inserted exactly."""
    c = np.asarray(coords, dtype=float)
    seg = np.diff(c, axis=0)
    cum = np.concatenate([[0], np.cumsum(np.hypot(seg[:, 0], seg[:, 1]))])
    n = len(c)
    pieces, cur, i = [], [tuple(c[0])], 1
    for d, xy in cuts:
        while i < n - 1 and cum[i] < d - 1e-7:
            cur.append(tuple(c[i]))
            i += 1
        while i < n - 1 and abs(cum[i] - d) <= 1e-7:
            i += 1
        cur.append(tuple(xy))
        pieces.append(cur)
        cur = [tuple(xy)]
    cur.extend(tuple(p) for p in c[i:])
    pieces.append(cur)
    out = []
    for p in pieces:
        q = [p[0]]
        for pt in p[1:]:
            if pt != q[-1]:
                q.append(pt)
        out.append(q)
    return out


class Registry:
    """Junction points shared by several lines: nearly equal points (1 cm) become one."""

    def __init__(self):
        self.cells = {}

    def get(self, xy):
        kx, ky = int(math.floor(xy[0] / 0.01)), int(math.floor(xy[1] / 0.01))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                hit = self.cells.get((kx + dx, ky + dy))
                if hit is not None and abs(hit[0] - xy[0]) < 0.01 and abs(hit[1] - xy[1]) < 0.01:
                    return hit
        self.cells[(kx, ky)] = (float(xy[0]), float(xy[1]))
        return self.cells[(kx, ky)]


# --------------------------------------------------------------------------
# name pools (Japanese, invented)
NAME_A = list("上下中新大小東西南北本古高長宮松竹梅桜柳石岩森林原野田沢谷浜岡坂平清若栄旭朝日月鶴亀寺堂門宿里藤菅杉桧舟千万")
NAME_B = list("田川沢谷原野山森島浜岡坂平瀬淵口尻戸井木村宮崎津江浦根代台畑池堀窪")


def jp_name(rng, n=2):
    """A plausible 2-kanji place name (invented)."""
    a = NAME_A[rng.integers(len(NAME_A))]
    b = NAME_B[rng.integers(len(NAME_B))]
    if a == b:
        b = "ノ" + b
    return a + b


# --------------------------------------------------------------------------
class Builder:
    def __init__(self, seed=SEED):
        self.rng = np.random.default_rng(seed)
        self.log = []

    def note(self, msg):
        self.log.append(msg)

    # ------------------------------------------------------------------ land
    def coast_v(self, u):
        """Coastline (v) as a function of u, with the headland towards the island."""
        u = np.asarray(u, dtype=float)
        base = (10000 + 900 * np.sin(2 * np.pi * u / 17000 + self.cph[0])
                + 420 * np.sin(2 * np.pi * u / 5200 + self.cph[1])
                + 160 * np.sin(2 * np.pi * u / 1900 + self.cph[2]))
        target = 8300.0
        b0 = (10000 + 900 * np.sin(2 * np.pi * 38600 / 17000 + self.cph[0])
              + 420 * np.sin(2 * np.pi * 38600 / 5200 + self.cph[1])
              + 160 * np.sin(2 * np.pi * 38600 / 1900 + self.cph[2]))
        head = (b0 - target) * np.exp(-((u - 38600) / 1300.0) ** 2)
        return base - head

    def smooth_coast_v(self, u):
        u = np.asarray(u, dtype=float)
        return 10000 + 900 * np.sin(2 * np.pi * u / 17000 + self.cph[0])

    def make_land(self):
        rng = self.rng
        self.cph = rng.uniform(0, 2 * np.pi, 3)
        u = np.arange(0, W + 1, 50.0)
        v = self.coast_v(u)
        self.mainland = Polygon([(0, H)] + list(zip(u, v)) + [(W, H)])
        # the island: an irregular blob south of the headland
        ang = np.linspace(0, 2 * np.pi, 180, endpoint=False)
        ph = rng.uniform(0, 2 * np.pi, 3)
        r = 1 + 0.12 * np.sin(3 * ang + ph[0]) + 0.07 * np.sin(5 * ang + ph[1]) + 0.04 * np.sin(9 * ang + ph[2])
        cx, cy, ax, ay = 38900.0, 5000.0, 3000.0, 2100.0
        island = Polygon(np.column_stack([cx + ax * r * np.cos(ang), cy + ay * r * np.sin(ang)]))
        # make the top of the island sit 650 m below the headland tip
        top = island.bounds[3]
        gap = self.coast_v(38600) - top
        island = shapely.affinity.translate(island, 0, gap - 650)
        r2 = 1 + 0.15 * np.sin(4 * ang + ph[2])
        islet = Polygon(np.column_stack([45200 + 650 * r2 * np.cos(ang), 3300 + 450 * r2 * np.sin(ang)]))
        self.island = island
        self.islet = islet
        self.land = unary_union([self.mainland, island, islet])

    # ---------------------------------------------------------------- rivers
    def make_rivers(self):
        rng = self.rng
        rivers = []  # dicts: river_id, name, river_class, coords, width(f) callable pieces
        cv = self.coast_v

        def add(rid, name, cls, ctrl, w0, w1, amp, wl, end_on=None, clip_coast=False):
            c = catmull_rom(ctrl, 50.0)
            c = wiggle(c, rng, amp, wl)
            line = LineString(c)
            if clip_coast:
                part = line.intersection(self.mainland)
                parts = list(getattr(part, "geoms", [part]))
                parts.sort(key=lambda g: g.distance(Point(c[0])))
                line = parts[0]
            if end_on is not None:
                line = first_hit(line, end_on)
            rivers.append(dict(river_id=rid, name=name, river_class=cls, geom=line, w0=w0, w1=w1))
            return line

        main_ctrl = [(31500, 49800), (33000, 45500), (30800, 40500), (28800, 35000), (29800, 30000),
                     (28200, 25000), (27400, 20000), (26300, 15500), (25800, 12000), (25600, cv(25600) - 400)]
        self.main_center = LineString(catmull_rom(main_ctrl, 50.0))
        main = add("RV001", "湊川", "二級河川", main_ctrl, 35, 170, 45, 1100, clip_coast=True)
        self.main_river = main

        def on_main(v_target, side):
            # a point on the main river at the given northing
            best = min(np.linspace(0, main.length, 2000), key=lambda d: abs(main.interpolate(d).y - v_target))
            p = main.interpolate(best)
            return (p.x, p.y)

        # tributaries of the main river
        trib = {}
        trib["east"] = add("RV002", "東川", "二級河川",
                           [(52500, 44500), (47000, 40500), (42500, 37500), (38000, 34500), (34000, 31500),
                            on_main(30600, +1)], 12, 45, 30, 800, end_on=[main])
        trib["west"] = add("RV003", "西谷川", "二級河川",
                           [(9000, 41500), (12500, 39000), (16000, 36500), (21000, 35500), (25500, 35000),
                            on_main(34600, -1)], 10, 40, 30, 800, end_on=[main])
        trib["fuka"] = add("RV004", "深沢川", "準用河川",
                           [(21500, 47500), (24000, 45000), (26500, 42500), on_main(41200, -1)],
                           6, 20, 20, 600, end_on=[main])
        trib["kita"] = add("RV005", "北沢川", "準用河川",
                           [(25500, 49900), (27500, 47800), (29500, 46300), on_main(45000, -1)],
                           5, 15, 15, 500, end_on=[main])
        trib["sakura"] = add("RV006", "桜川", "二級河川",
                             [(56500, 34000), (52000, 29500), (47000, 26800), (41000, 24500), (34500, 21500),
                              on_main(19800, +1)], 10, 45, 30, 900, end_on=[main])
        self.trib = trib
        east = trib["east"]
        p = east.interpolate(east.project(Point(39000, 35000)))
        trib["kodani"] = add("RV007", "小谷川", "準用河川",
                             [(37200, 29800), (37900, 31800), (38600, 33600), (p.x, p.y)],
                             4, 12, 15, 500, end_on=[east])
        # separate rivers to the sea
        add("RV008", "岡川", "二級河川",
            [(6000, 33500), (8000, 29000), (9500, 24000), (10500, 19000), (10800, 14000), (11000, cv(11000) - 400)],
            12, 55, 35, 900, clip_coast=True)
        add("RV009", "浦川", "二級河川",
            [(57000, 30500), (55000, 26000), (53000, 21000), (51800, 16000), (51400, 13000),
             (51300, cv(51300) - 400)], 10, 50, 35, 900, clip_coast=True)
        self.rivers = rivers

    # ----------------------------------------------------------------- roads
    def make_roads(self):
        rng = self.rng
        roads = []
        cv, scv = self.coast_v, self.smooth_coast_v
        mc = self.main_center

        def road(coords, cls, route, width, speed=None, **kw):
            r = dict(coords=np.asarray(coords, dtype=float), road_class=cls, route_name=route,
                     width_m=float(width), speed_kmh=speed, oneway=False, emergency=False, bus=False,
                     school=False, aadt=None, kind=kw.pop("kind", "rural"), tunnels=[],
                     allow_water=False, muni_split=False)
            r.update(kw)
            roads.append(r)
            return r

        def on(r, xy):
            """Exact point on road r nearest to xy (for T-junctions)."""
            ln = LineString(r["coords"])
            p = ln.interpolate(ln.project(Point(xy)))
            return (p.x, p.y)

        def center_at(v, off):
            """A point ``off`` m east of the main river's smooth centre line at northing v."""
            ds = np.linspace(0, mc.length, 3000)
            pts = shapely.get_coordinates(shapely.line_interpolate_point(mc, ds))
            k = int(np.argmin(np.abs(pts[:, 1] - v)))
            return (pts[k, 0] + off, v)

        # 国道999号: along the coast, edge to edge
        us = np.arange(0, W + 1, 3000.0)
        ctrl = [(u, float(scv(u)) + 1900 + rng.uniform(-150, 150)) for u in us]
        ctrl[0] = (-1.0, ctrl[0][1])
        ctrl[-1] = (W + 1, ctrl[-1][1])
        n999 = road(catmull_rom(ctrl, 40), "national", "国道999号", 12.0, 60.0, emergency=True, bus=True,
                    aadt=14000, kind="trunk")
        self.n999 = n999
        # railway, north of the national road
        rctrl = [(u, float(scv(u)) + 2900 + rng.uniform(-100, 100)) for u in np.arange(0, W + 1, 4000.0)]
        rctrl[0] = (-1.0, rctrl[0][1])
        rctrl[-1] = (W + 1, rctrl[-1][1])
        self.railway = LineString(catmull_rom(rctrl, 50))

        # 国道499号: north along the east bank of the main river, then over the pass (tunnel)
        start = on(n999, center_at(float(scv(26300)) + 1900, 450))
        ctrl = [start] + [center_at(v, 420 + rng.uniform(-40, 40)) for v in
                          np.arange(14500, 44001, 2500)] + [(34600, 46000), (35600, 48000), (36200, H + 1)]
        n499 = road(catmull_rom(ctrl, 40), "national", "国道499号", 10.5, 60.0, emergency=True, bus=True,
                    aadt=7000, kind="trunk")
        n499["tunnels"] = [((35050, 46900), (35850, 48700), "北山トンネル")]
        self.n499 = n499

        # 県道41号湊川川上線: west bank, from the coast road north, then across to 499
        s41 = on(n999, center_at(float(scv(25000)) + 1900, -700))
        ctrl = [s41] + [center_at(v, -400 + rng.uniform(-40, 40)) for v in np.arange(14500, 30001, 2500)]
        ctrl += [on(n499, center_at(31000, 420))]
        p41 = road(catmull_rom(ctrl, 40), "prefectural", "県道41号湊川川上線", 8.0, 50.0, bus=True,
                   aadt=3500, kind="trunk")
        # crossings between the two banks (parallel, partly redundant bridges)
        for i, v in enumerate([16800, 21400, 21850, 23300, 23750, 25200, 25650, 27600, 28900]):
            a = on(p41, center_at(v, -400))
            b = on(n499, center_at(v + rng.uniform(-80, 80), 420))
            muni = "市道" if v < 20000 else "町道"
            road(catmull_rom([a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + rng.uniform(-40, 40)), b], 30),
                 "municipal", f"{muni}{jp_name(rng)}線", 6.0, 30.0, aadt=900, kind="crossing")

        # 県道12号湊川桜台線: from 499 along the 桜川 north bank to 桜台町, then south to 東浦市
        sak = self.trib["sakura"]
        sak_off = sak.offset_curve(-260)  # left side of the flow direction = north bank
        sak_pts = shapely.get_coordinates(sak_off)
        take = [tuple(sak_pts[k]) for k in range(0, len(sak_pts), 40)]
        take = [p for p in take if 33500 < p[0] < 46800]
        take.sort(key=lambda p: p[0])
        a12 = on(n499, center_at(20400, 420))
        ctrl = [a12] + take[1::2] + [(48600, 25200), (49700, 21000), (49800, 16500)]
        ctrl += [on(n999, (49300, float(scv(49300)) + 1900))]
        p12 = road(catmull_rom(ctrl, 40), "prefectural", "県道12号湊川桜台線", 9.0, 50.0, emergency=True,
                   bus=True, aadt=5000, kind="trunk")

        # 県道21号川上美杉線: from 499 up the 東川 north bank to 美杉町 and the east edge
        east = self.trib["east"]
        e_off = east.offset_curve(-230)
        e_pts = shapely.get_coordinates(e_off)
        take = [tuple(e_pts[k]) for k in range(0, len(e_pts), 40)]
        take.sort(key=lambda p: p[0])
        take = [p for p in take if 33800 < p[0] < 51000]
        a21 = on(n499, center_at(31900, 420))
        ctrl = [a21] + take[::2] + [(54500, 44000), (W + 1, 45000)]
        p21 = road(catmull_rom(ctrl, 40), "prefectural", "県道21号川上美杉線", 8.0, 50.0, emergency=True,
                   bus=True, aadt=2500, kind="trunk")
        p21["tunnels"] = [((55800, 44300), (57600, 44700), "美杉トンネル")]

        # 県道35号西岡奥谷線: from 西岡町 north along 岡川, a pass (tunnel) to 西谷川, down to 499
        wt = self.trib["west"]
        w_off = wt.offset_curve(-200)
        w_pts = shapely.get_coordinates(w_off)
        take = [tuple(w_pts[k]) for k in range(0, len(w_pts), 40)]
        take.sort(key=lambda p: p[0])
        take = [p for p in take if 13500 < p[0] < 27000]
        s35 = on(n999, (12200, float(scv(12200)) + 1900))
        ctrl = [s35, (12300, 17000), (12000, 22000), (11600, 27000), (12300, 31500), (13500, 35500)]
        ctrl += take[::2] + [on(n499, center_at(34900, 420))]
        p35 = road(catmull_rom(ctrl, 40), "prefectural", "県道35号西岡奥谷線", 7.0, 50.0, bus=True,
                   aadt=1800, kind="trunk")
        p35["tunnels"] = [((12000, 28300), (12350, 30600), "奥谷トンネル")]

        # 県道55号汐島港線: from 999 over the headland, the ONE bridge to the island, to the island town
        tipx = 38600.0
        top = self.island.bounds[3]
        a55 = on(n999, (tipx, float(scv(tipx)) + 1900))
        island_c = self.island.centroid
        ctrl = [a55, (tipx + 150, float(cv(tipx)) + 1800), (tipx, float(cv(tipx)) + 500),
                (tipx, float(cv(tipx)) - 200), (tipx, top - 500), (island_c.x - 100, island_c.y + 400)]
        p55 = road(catmull_rom(ctrl, 40), "prefectural", "県道55号汐島港線", 9.0, 50.0, emergency=True,
                   bus=True, aadt=1800, kind="island", allow_water=True)
        self.p55 = p55
        # island ring road
        ring = self.island.buffer(-260).exterior
        ring_c = np.asarray(ring.coords)
        road(resample(ring_c, 40), "municipal", "町道汐島環状線", 6.0, 40.0, bus=True, aadt=700, kind="island")

        # ---------------------------------------------------- dead-end valleys
        def valley(trib_line, access_road, access_xy, side, name, muni, aadt, school=False, frac_end=0.85,
                   off=150):
            """A dead-end road: from ``access_road`` across the river, then up ``trib_line``."""
            tl = trib_line
            bank = tl.offset_curve(side * off)
            pts = shapely.get_coordinates(bank)
            # from the river mouth end upstream: the offset curve runs in the flow direction
            L = LineString(pts)
            dd = np.linspace(L.length * (1 - frac_end), L.length - 200, 14)
            up = [L.interpolate(d) for d in dd][::-1]   # from near the mouth upstream? (reverse)
            up = [(p.x, p.y) for p in up]
            a = on(access_road, access_xy)
            ctrl = [a] + up
            return road(catmull_rom(ctrl, 40), "municipal", f"{muni}道{name}線", 4.0, 30.0,
                        aadt=aadt, kind="valley", school=school)

        fuka = self.trib["fuka"]
        v1 = valley(fuka, n499, center_at(41000, 420), +1, "深沢", "村", 60, school=True)
        kita = self.trib["kita"]
        v2 = valley(kita, n499, center_at(44700, 420), +1, "北沢", "村", 30, frac_end=0.8, off=120)
        kod = self.trib["kodani"]
        kp = kod.coords[-1]
        v3 = valley(kod, p21, (kp[0] + 150, kp[1] + 250), -1, "小谷", "町", 45, frac_end=0.9, off=120)
        self.valley_routes = [v1["route_name"], v2["route_name"], v3["route_name"]]

        # ---------------------------------------------------- town grids
        self.grid_areas = []

        def grid(center, size, spacing, rot_deg, muni_prefix, town, river_gap=None, keep_every=4,
                 ellipse=True, main_every=5):
            cx, cy = center
            sx, sy = size
            ang = math.radians(rot_deg)
            ca, sa = math.cos(ang), math.sin(ang)

            def rot(p):
                return (cx + p[0] * ca - p[1] * sa, cy + p[0] * sa + p[1] * ca)

            area = shapely.affinity.scale(Point(cx, cy).buffer(1.0, 64), sx / 2, sy / 2) if ellipse else \
                box(cx - sx / 2, cy - sy / 2, cx + sx / 2, cy + sy / 2)
            area = shapely.affinity.rotate(area, rot_deg, origin=(cx, cy)).intersection(self.land)
            self.grid_areas.append(area)
            lines = []
            nx, ny = int(sx / spacing / 2), int(sy / spacing / 2)
            k = 0
            for ix in range(-nx, nx + 1):
                x = ix * spacing + rng.uniform(-8, 8)
                lines.append(("ns", ix, [rot((x, -sy)), rot((x, sy))]))
            for iy in range(-ny, ny + 1):
                y = iy * spacing + rng.uniform(-8, 8)
                lines.append(("ew", iy, [rot((-sx, y)), rot((sx, y))]))
            for orient, idx, pts in lines:
                ln = LineString(resample(np.array(pts), 60)).intersection(area)
                if river_gap is not None and (idx % keep_every != 0 or orient == "ns"):
                    ln = ln.difference(river_gap)
                for part in getattr(ln, "geoms", [ln]):
                    if part.geom_type != "LineString" or part.length < 60:
                        continue
                    main = idx % main_every == 0
                    k += 1
                    road(np.asarray(part.coords), "municipal",
                         f"{muni_prefix}道{town}{'東西' if orient == 'ew' else '南北'}{abs(idx) + 1}号線",
                         7.0 if main else 5.0, None if rng.random() < 0.15 else 30.0,
                         bus=main and orient == "ew" and muni_prefix == "市",
                         aadt=2500 if main else 600, kind="grid")
            return area

        def c999(u, dv):
            p = on(n999, (u, float(scv(u)) + 1900))
            return (p[0], p[1] + dv)

        ic = self.island.centroid
        self.centers = C = {
            "99201": c999(25800, 1000),
            "99202": c999(50600, 700),
            "99341": c999(9700, 350),
            "99342": center_at(25700, 750),
            "99343": on(p12, (46600, 26500)),
            "99344": on(p21, (43500, 38700)),
            "99361": on(n499, center_at(43300, 420)),
            "99362": on(p35, (14000, 37300)),
            ISLAND_CODE: (ic.x, ic.y + 300),
        }
        main_city = self.main_river
        city_seg = main_city.intersection(box(0, 9000, W, 17000))
        levee_gap = city_seg.buffer(90)
        grid(C["99201"], (5200, 3400), 130, 6, "市", "本町", river_gap=levee_gap, keep_every=4)
        # levee roads on both banks of the main river through the city
        for side in (-1, 1):
            lv = city_seg.offset_curve(side * 90) if city_seg.geom_type == "LineString" else None
            if lv is not None:
                lv = lv.intersection(self.grid_areas[0])
                for part in getattr(lv, "geoms", [lv]):
                    if part.geom_type == "LineString" and part.length > 200:
                        road(np.asarray(part.coords), "municipal", f"市道湊川{'右' if side > 0 else '左'}岸線",
                             6.0, 30.0, aadt=1500, kind="grid")
        ura = [r for r in self.rivers if r["name"] == "浦川"][0]["geom"]
        grid(C["99202"], (3400, 2300), 140, -9, "市", "浦", river_gap=ura.buffer(30), keep_every=3)
        grid(C["99341"], (1500, 1100), 120, 4, "町", "岡")
        grid(C["99342"], (1300, 900), 115, -5, "町", "川上")
        grid(C["99343"], (1100, 850), 115, 12, "町", "桜台", river_gap=self.trib["sakura"].buffer(25),
             keep_every=3)
        grid(C["99344"], (800, 550), 110, 20, "町", "美杉")
        grid(C[ISLAND_CODE], (700, 500), 110, 0, "町", "汐島")
        grid(C["99362"], (500, 350), 120, 15, "村", "奥谷")
        grid(C["99361"], (500, 350), 120, 15, "村", "北山")

        # ---------------------------------------------------- farm roads in the plains
        plain = unary_union([
            self.mainland.intersection(Polygon([(0, 0), (W, 0), (W, 1)] + [
                (u, float(cv(u)) + 6500 + 900 * math.sin(u / 3000.0)) for u in np.arange(W, -1, -500)])),
            self.main_center.intersection(box(0, 0, W, 31000)).buffer(1100),
            self.trib["sakura"].buffer(650),
            [r for r in self.rivers if r["name"] == "岡川"][0]["geom"].buffer(650),
            ura.buffer(650),
            self.trib["east"].buffer(450),
            self.trib["west"].buffer(400),
        ]).intersection(self.mainland)
        towns = unary_union([a.buffer(120) for a in self.grid_areas])
        plain = plain.difference(towns).difference(self.main_river.buffer(50))
        self.plain = plain
        spacing = 520
        named = [r["geom"] for r in self.rivers]
        ang = math.radians(4)
        n_lines = 0
        for orient in ("ns", "ew"):
            rng_pos = np.arange(-1000, W + 1000, spacing) if orient == "ns" else np.arange(0, H, spacing)
            for k, pos in enumerate(rng_pos):
                pos = pos + rng.uniform(-60, 60)
                if orient == "ns":
                    base = np.column_stack([np.full(120, pos), np.linspace(0, H, 120)])
                else:
                    base = np.column_stack([np.linspace(-1000, W + 1000, 150), np.full(150, pos)])
                base = np.asarray(shapely.get_coordinates(
                    shapely.affinity.rotate(LineString(base), 4, origin=(W / 2, H / 2))))
                base = wiggle(base, rng, 35, 700, taper=False)
                ln = LineString(base).intersection(plain)
                # a farm road that runs along a river would cross it again and again: keep it off the river
                for rv in named:
                    if len(line_points(ln.intersection(rv))) >= 2:
                        ln = ln.difference(rv.buffer(45))
                for part in getattr(ln, "geoms", [ln]):
                    if part.geom_type != "LineString" or part.length < 250:
                        continue
                    n_lines += 1
                    road(np.asarray(part.coords), "municipal", None, 4.0,
                         None if rng.random() < 0.2 else 30.0, aadt=250, kind="farm", muni_split=True,
                         grade_sep=(orient == "ns" and k % 3 == 0))
        self.roads = roads

    # ---------------------------------------------------------- municipalities
    def make_municipalities(self):
        rng = self.rng
        seeds = [m[3] for m in MUNIS if m[3] is not None]
        codes = [m[0] for m in MUNIS if m[3] is not None]
        vor = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=box(-20000, -20000, W + 20000, H + 20000))
        edges = unary_union([g.boundary for g in vor.geoms])
        edges = shapely.segmentize(edges, 150.0)
        ph = rng.uniform(0, 2 * np.pi, 6)

        def warp(xy):
            x, y = xy[:, 0], xy[:, 1]
            dx = 700 * np.sin(x / 2300 + ph[0]) * np.cos(y / 3100 + ph[1]) + 180 * np.sin(y / 700 + ph[2])
            dy = 700 * np.sin(y / 2700 + ph[3]) * np.cos(x / 1900 + ph[4]) + 180 * np.sin(x / 650 + ph[5])
            return np.column_stack([x + dx, y + dy])

        edges = shapely.transform(edges, warp)
        frame = box(-19000, -19000, W + 19000, H + 19000).boundary
        cells = shapely.get_parts(shapely.polygonize(shapely.get_parts(unary_union([edges, frame]))))
        polys = {}
        for code, s in zip(codes, seeds):
            hit = [c for c in cells if c.contains(Point(s))]
            polys[code] = hit[0].intersection(self.mainland)
        polys[ISLAND_CODE] = unary_union([self.island, self.islet])
        self.muni_clean = polys
        # realistic imperfections: an overlap (湊川市 / 川上町) and a gap (東浦市 / 桜台町)
        out = dict(polys)
        shared = polys["99201"].boundary.intersection(polys["99342"].boundary)
        shared = shapely.line_merge(shared)
        sl = max(getattr(shared, "geoms", [shared]), key=lambda g: g.length)
        part = substring(sl, sl.length * 0.3, sl.length * 0.3 + 2500)
        out["99201"] = polys["99201"].union(polys["99342"].intersection(part.buffer(2.5, cap_style="flat")))
        self.overlap_line = part
        shared = polys["99202"].boundary.intersection(polys["99343"].boundary)
        shared = shapely.line_merge(shared)
        sl = max(getattr(shared, "geoms", [shared]), key=lambda g: g.length)
        part = substring(sl, sl.length * 0.4, sl.length * 0.4 + 2000)
        out["99343"] = polys["99343"].difference(part.buffer(3.0, cap_style="flat"))
        self.gap_line = part
        self.muni_out = out

    # --------------------------------------------------------------- noding
    def clip_and_split(self):
        """Clip roads to land, split municipal farm roads at municipal borders, name them."""
        land_b = self.land.boundary
        muni_b = unary_union([p.boundary for p in self.muni_clean.values()])
        named = [r["geom"] for r in self.rivers]
        rng = self.rng
        out = []
        for r in self.roads:
            pieces = [r["coords"]]
            if not r["allow_water"]:
                ln = LineString(r["coords"])
                pts = line_points(ln.intersection(land_b))
                pieces = cut_at_points(r["coords"], pts)
                pieces = [p for p in pieces if self.land.contains(LineString(p).interpolate(0.5, normalized=True))]
            if r["muni_split"]:
                new = []
                for p in pieces:
                    pl = LineString(p)
                    pts = line_points(pl.intersection(muni_b))
                    # no split close to a river crossing (the bridge must not end at the border)
                    rx = [pt for rv in named for pt in line_points(pl.intersection(rv))]
                    pts = [q for q in pts if all(math.dist(q, c) > 40 for c in rx)]
                    new.extend(cut_at_points(p, pts))
                pieces = new
            for p in pieces:
                ln = LineString(p)
                if ln.length < 30:
                    continue
                q = dict(r)
                q["coords"] = np.asarray(p)
                if q["route_name"] is None:
                    code = self.muni_at(ln.interpolate(0.5, normalized=True))
                    kind = MUNI_BY_CODE[code][2]
                    pre = {"city": "市", "town": "町", "village": "村"}[kind]
                    q["route_name"] = f"{pre}道{jp_name(rng)}線"
                out.append(q)
        self.roads = out

    def river_clearance(self, pt):
        """Distance (m) from a point to the nearest river bank (river width counted)."""
        if not hasattr(self, "_rtree"):
            self._rgeoms = [r["geom"] for r in self.rivers]
            self._rtree = shapely.STRtree(self._rgeoms)
        best = np.inf
        for k in self._rtree.query(pt.buffer(300)):
            best = min(best, self._rgeoms[k].distance(pt) - self.rivers[k]["w1"] / 2)
        return best

    def valley_ends(self):
        """Upstream end points of the dead-end valley roads (local coordinates)."""
        return [next(r for r in self.roads if r["route_name"] == n and r["kind"] == "valley")["coords"][-1]
                for n in self.valley_routes]

    def drop_farm_conflicts(self):
        """Drop farm-road pieces that would meet another road on a river (no room for a bridge)."""
        named = shapely.STRtree([r["geom"] for r in self.rivers])
        lines = [LineString(r["coords"]) for r in self.roads]
        tree = shapely.STRtree(lines)
        a_idx, b_idx = tree.query(lines, predicate="dwithin", distance=1.0)
        drop = set()
        for i, j in zip(a_idx, b_idx):
            if j <= i:
                continue
            if self.roads[i]["kind"] != "farm" and self.roads[j]["kind"] != "farm":
                continue
            near = lines[i].intersection(lines[j].buffer(1.0))
            for g in getattr(near, "geoms", [near]):
                if not g.is_empty and len(named.query(g, predicate="dwithin", distance=25.0)):
                    drop.add(i if self.roads[i]["kind"] == "farm" else j)
                    break
        self.roads = [r for k, r in enumerate(self.roads) if k not in drop]
        self.note(f"farm pieces dropped (junction on a river): {len(drop)}")

    def muni_at(self, pt):
        for code, poly in self.muni_clean.items():
            if poly.contains(pt):
                return code
        return min(self.muni_clean, key=lambda c: self.muni_clean[c].distance(pt))

    def snap_and_junctions(self):
        """T-junction snapping (1 m) and road-road crossing points; overpasses where grade separated."""
        reg = Registry()
        self.reg = reg
        roads = self.roads
        for r in roads:
            r["junctions"] = []      # (x, y)
            r["intervals"] = []      # dicts: a, b, d, kind, ...
        lines = [LineString(r["coords"]) for r in roads]
        tree = shapely.STRtree(lines)
        # 1. snap end points lying within 1 m of another road
        for i, r in enumerate(roads):
            for end in (0, -1):
                e = Point(r["coords"][end])
                cand = tree.query(e, predicate="dwithin", distance=1.0)
                cand = [j for j in cand if j != i]
                if not cand:
                    continue
                j = min(cand, key=lambda j: lines[j].distance(e))
                lj = lines[j]
                p = lj.interpolate(lj.project(e))
                xy = reg.get((p.x, p.y))
                r["coords"][end] = xy
                roads[j]["junctions"].append(xy)
                r["junctions"].append(xy)
            lines[i] = LineString(r["coords"])
        tree = shapely.STRtree(lines)
        # 2. crossings
        a_idx, b_idx = tree.query(lines, predicate="intersects")
        n_over = 0
        for i, j in zip(a_idx, b_idx):
            if j <= i:
                continue
            inter = lines[i].intersection(lines[j])
            pts = line_points(inter)
            if inter.geom_type not in ("Point", "MultiPoint"):
                self.note(f"overlap between roads {i} and {j}: {inter.geom_type}")
            gs = self.grade_separated(roads[i], roads[j])
            for xy in pts:
                if gs is not None and not self._is_end(roads[i], xy) and not self._is_end(roads[j], xy):
                    up = roads[i] if gs == 0 else roads[j]
                    low = roads[j] if gs == 0 else roads[i]
                    self._add_interval(up, xy, 34.0 + self.rng.uniform(0, 10), "road", low_route=low["route_name"])
                    n_over += 1
                else:
                    xy = reg.get(xy)
                    roads[i]["junctions"].append(xy)
                    roads[j]["junctions"].append(xy)
        # 3. railway: national/prefectural roads cross it on an overpass, municipal roads at grade
        for r, ln in zip(roads, lines):
            if not ln.intersects(self.railway):
                continue
            for xy in line_points(ln.intersection(self.railway)):
                if r["road_class"] in ("national", "prefectural") or r.get("grade_sep"):
                    self._add_interval(r, xy, 42.0 + self.rng.uniform(0, 14), "railway")
                    n_over += 1
        self.note(f"overpasses: {n_over}")

    @staticmethod
    def _is_end(r, xy):
        c = r["coords"]
        return (abs(c[0][0] - xy[0]) < 1e-6 and abs(c[0][1] - xy[1]) < 1e-6) or \
            (abs(c[-1][0] - xy[0]) < 1e-6 and abs(c[-1][1] - xy[1]) < 1e-6)

    def grade_separated(self, r1, r2):
        """0 if r1 passes over r2, 1 if r2 over r1, None for an at-grade junction."""
        for a, b, k in ((r1, r2, 0), (r2, r1, 1)):
            if a.get("grade_sep") and b["route_name"] == "国道999号":
                return k
        return None

    def _add_interval(self, r, xy, length, kind, **meta):
        ln = LineString(r["coords"])
        d = ln.project(Point(xy))
        r["intervals"].append(dict(a=d - length / 2, b=d + length / 2, d=[d], kind=[kind], **meta))

    # --------------------------------------------------------------- streams
    def make_streams(self, n_target=800):
        rng = self.rng
        roads = self.roads
        lines = [LineString(r["coords"]) for r in roads]
        self.road_tree = shapely.STRtree(lines)
        self.road_lines = lines
        jpts = [xy for r in roads for xy in r["junctions"]] + \
            [tuple(r["coords"][0]) for r in roads] + [tuple(r["coords"][-1]) for r in roads]
        jtree = cKDTree(np.asarray(jpts))
        all_lines = [r["geom"] for r in self.rivers]
        rt = shapely.STRtree(all_lines)
        coast = self.land.boundary
        accepted = 0
        attempts = 0
        grid_union = unary_union(self.grid_areas)
        # where streams start: the plains, the valley sides next to them, the island
        starts = unary_union([self.mainland.intersection(self.plain.buffer(1500)), self.island])
        minx, miny, maxx, maxy = starts.bounds
        prepared = prep(starts)
        land_p = prep(self.land)
        while accepted < n_target and attempts < n_target * 30:
            attempts += 1
            s = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if not prepared.contains(s) or (grid_union.contains(s) and rng.random() < 0.6):
                continue
            k = rt.nearest(s)
            tgt_line = all_lines[k]
            dr = tgt_line.distance(s)
            dc = coast.distance(s)
            if dc < dr:
                t = shapely.ops.nearest_points(coast, s)[0]
                t = Point(t.x + (t.x - s.x) * 0.05, t.y + (t.y - s.y) * 0.05)
            else:
                t = tgt_line.interpolate(tgt_line.project(s))
            L = s.distance(t)
            if not (450 < L < 3500):
                continue
            c = resample(np.array([(s.x, s.y), (t.x, t.y)]), 50)
            c = wiggle(c, rng, min(60, L / 12), 500 + rng.uniform(0, 300))
            ln = LineString(c)
            ln = first_hit(ln, [all_lines[j] for j in rt.query(ln, predicate="intersects")])
            if dc < dr:
                part = ln.intersection(self.land)
                parts = [g for g in getattr(part, "geoms", [part]) if g.geom_type == "LineString"]
                if not parts:
                    continue
                ln = min(parts, key=lambda g: g.distance(s))
            elif not land_p.contains(ln):
                continue
            if ln.length < 300:
                continue
            # crossings with roads: away from junctions and not too skewed
            ok = True
            for j in self.road_tree.query(ln, predicate="intersects"):
                xys = line_points(ln.intersection(lines[j]))
                if len(xys) > 1:     # a stream along a road, crossing it again and again
                    ok = False
                    break
                for xy in xys:
                    if jtree.query(xy)[0] < 18.0 or crossing_sin(lines[j], ln, xy) < 0.45:
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                continue
            plain_pt = self.plain.contains(ln.interpolate(0.5, normalized=True))
            suffix = "用水" if plain_pt and rng.random() < 0.4 else ("沢" if not plain_pt else "川")
            name = jp_name(rng) + suffix
            accepted += 1
            self.rivers.append(dict(river_id=f"RV{100 + accepted:03d}", name=name,
                                    river_class="普通河川", geom=ln, w0=1.5 + rng.uniform(0, 2.5),
                                    w1=2.5 + rng.uniform(0, 3.5)))
            all_lines.append(ln)
            rt = shapely.STRtree(all_lines)
        self.note(f"streams: {accepted} accepted of {attempts} attempts")

    # ------------------------------------------------ situations for the plan
    def add_situations(self):
        """Three crossings of 湊川 built for the plan's methods (SITUATIONS; no random draws).

        Added after the streams so that every earlier draw, and so every other feature,
        stays as it was.  Each road ends exactly on 県道41号 (west bank) or 国道499号
        (east bank) or on another situation road (T-junctions), and meets the roads it
        crosses at grade.
        """
        mc = self.main_center
        ds = np.linspace(0, mc.length, 6000)
        pts = shapely.get_coordinates(shapely.line_interpolate_point(mc, ds))

        def center_at(v, off):
            k = int(np.argmin(np.abs(pts[:, 1] - v)))
            return (float(pts[k, 0] + off), float(v))

        def route(name):
            return next(r for r in self.roads if r["route_name"] == name)

        def on(r, xy):
            ln = LineString(r["coords"])
            q = ln.interpolate(ln.project(Point(xy)))
            return (q.x, q.y)

        west, east = route("県道41号湊川川上線"), route("国道499号")
        added = []

        def road(a, b, name, width, speed, aadt, situation, ends):
            prefix = {"city": "市", "town": "町", "village": "村"}[
                MUNI_BY_CODE[self.muni_at(Point((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))][2]]
            r = dict(coords=resample(np.array([a, b], dtype=float), 40), road_class="municipal",
                     route_name=f"{prefix}道{name}線", width_m=float(width), speed_kmh=speed,
                     oneway=False, emergency=False, bus=False, school=False, aadt=aadt,
                     kind="situation", tunnels=[], allow_water=False, muni_split=False,
                     junctions=[], intervals=[], situation=situation, ends=ends)
            added.append(r)
            return r

        for sit in SITUATIONS:
            for spec in sit["roads"]:
                road(center_at(*spec["from"]), center_at(*spec["to"]), spec["name"], spec["width_m"],
                     spec["speed_kmh"], spec["aadt"], sit["key"], spec["ends"])
                added[-1]["bridge_spec"] = spec.get("bridge")
        # T-junctions at both ends, on the road named (or a situation road added before)
        by_name = {"west": west, "east": east}
        for r in added:
            by_name[r["route_name"]] = r
        for r in added:
            for end, target in zip((0, -1), r["ends"]):
                if target is None:      # a free end (another road snaps onto it)
                    continue
                t = by_name[target] if target in ("west", "east") else next(
                    q for q in added if q["situation"] == r["situation"] and q["route_name"].endswith(target + "線"))
                xy = self.reg.get(on(t, tuple(r["coords"][end])))
                for k in (0, -1):       # end to end: the very same point on both roads
                    if math.dist(t["coords"][k], xy) < 0.01:
                        t["coords"][k] = xy
                r["coords"][end] = xy
                r["junctions"].append(xy)
                t["junctions"].append(xy)
        # at-grade crossings with every other road (farm roads), away from the ends
        lines = [LineString(q["coords"]) for q in self.roads]
        tree = shapely.STRtree(lines)
        for r in added:
            ln = LineString(r["coords"])
            for j in tree.query(ln, predicate="intersects"):
                other = self.roads[j]
                for xy in line_points(ln.intersection(lines[j])):
                    if self._is_end(r, xy) or self._is_end(other, xy):
                        continue
                    xy = self.reg.get(xy)
                    r["junctions"].append(xy)
                    other["junctions"].append(xy)
            assert not ln.intersects(self.railway), r["route_name"]
        self.roads.extend(added)
        self.road_lines = list(self.road_lines) + [LineString(r["coords"]) for r in added]
        self.note("situations: " + ", ".join(f"{r['situation']}:{r['route_name']}" for r in added))

    # ------------------------------------------------------ river crossings
    def river_crossings(self):
        rng = self.rng
        rgeoms = [r["geom"] for r in self.rivers]
        rtree = shapely.STRtree(rgeoms)
        for r, ln in zip(self.roads, self.road_lines):
            for k in rtree.query(ln, predicate="intersects"):
                rv = self.rivers[k]
                rl = rgeoms[k]
                for xy in line_points(ln.intersection(rl)):
                    f = rl.project(Point(xy)) / rl.length
                    w = rv["w0"] + (rv["w1"] - rv["w0"]) * f ** 1.3
                    sn = max(crossing_sin(ln, rl, xy), 0.5)
                    abut = 1.0 if w < 8 else (4.0 if w < 40 else 10.0)
                    length = w / sn + 2 * abut + rng.uniform(-0.3, 0.6)
                    d = ln.project(Point(xy))
                    r["intervals"].append(dict(a=d - length / 2, b=d + length / 2, d=[d],
                                               kind=["river"], river=rv["name"], river_id=rv["river_id"],
                                               river_class=rv["river_class"]))
        # the island bridge over the strait
        r = next(q for q in self.roads if q["allow_water"])
        ln = LineString(r["coords"])
        pts = sorted(ln.project(Point(xy)) for xy in line_points(ln.intersection(self.land.boundary)))
        assert len(pts) == 2, pts
        r["intervals"].append(dict(a=pts[0] - 25, b=pts[1] + 25, d=[(pts[0] + pts[1]) / 2], kind=["sea"],
                                   river="汐島水道"))

    def cut_roads(self):
        """Split every road at junctions and at bridge/tunnel ends; label the pieces."""
        segs = []
        warn = 0
        for ri, r in enumerate(self.roads):
            ln = LineString(r["coords"])
            L = ln.length
            jd = sorted({round(ln.project(Point(xy)), 9): xy for xy in r["junctions"]}.items())
            jd = [(d, xy) for d, xy in jd if 1e-6 < d < L - 1e-6]
            # tunnels
            tun = []
            for a_xy, b_xy, tname in r["tunnels"]:
                a, b = sorted((ln.project(Point(a_xy)), ln.project(Point(b_xy))))
                tun.append([a, b, tname])
            # bridges: drop crossings inside tunnels, merge overlapping intervals
            ivs = [iv for iv in r["intervals"]
                   if not any(t[0] - 5 <= iv["d"][0] <= t[1] + 5 for t in tun)]
            ivs.sort(key=lambda iv: iv["a"])
            merged = []
            for iv in ivs:
                if merged and iv["a"] <= merged[-1]["b"] + 3.0:
                    m = merged[-1]
                    m["b"] = max(m["b"], iv["b"])
                    m["d"] = m["d"] + iv["d"]
                    m["kind"] = m["kind"] + iv["kind"]
                    for key in ("river", "river_id", "river_class", "low_route"):
                        if key in iv and key not in m:
                            m[key] = iv[key]
                else:
                    merged.append(dict(iv))
            jds = [d for d, _ in jd]
            for m in merged:
                lo = max([d for d in jds if d < min(m["d"])], default=0.0)
                hi = min([d for d in jds if d > max(m["d"])], default=L)
                m["a"] = max(m["a"], lo + 1.0 if lo > 0 else 0.5)
                m["b"] = min(m["b"], hi - 1.0 if hi < L else L - 0.5)
                if not (m["a"] < min(m["d"]) and m["b"] > max(m["d"])):
                    warn += 1
                    self.note(f"bridge on {r['route_name']} could not cover its crossing: d={m['d']} lo={lo:.2f} hi={hi:.2f} L={L:.2f} {m['kind']} {m.get('river')} a={m['a']:.2f} b={m['b']:.2f}")
                    m["a"] = min(m["a"], min(m["d"]) - 0.2)
                    m["b"] = max(m["b"], max(m["d"]) + 0.2)
            cuts = list(jd)
            for m in merged:
                for d in (m["a"], m["b"]):
                    if 1e-6 < d < L - 1e-6:
                        p = ln.interpolate(d)
                        cuts.append((d, (p.x, p.y)))
            for t in tun:
                for d in t[:2]:
                    p = ln.interpolate(d)
                    cuts.append((d, (p.x, p.y)))
            cuts.sort(key=lambda c: c[0])
            ded = []
            for c in cuts:
                if ded and c[0] - ded[-1][0] < 1e-6:
                    continue
                ded.append(c)
            pieces = cut_coords(r["coords"], ded)
            bounds = [0.0] + [c[0] for c in ded] + [L]
            for k, p in enumerate(pieces):
                if len(p) < 2:
                    continue
                mid = (bounds[k] + bounds[k + 1]) / 2
                br = next((m for m in merged if m["a"] <= mid <= m["b"]), None)
                tn = next((t for t in tun if t[0] <= mid <= t[1]), None)
                segs.append(dict(road=r, road_index=ri, coords=p, bridge=br, tunnel=tn[2] if tn else None))
        self.note(f"uncovered crossings: {warn}")
        self.segs = segs

    # ----------------------------------------------------------------- ids
    def keep_connected(self):
        """Keep the largest connected road component (generation artefacts only)."""
        import networkx as nx
        g = nx.Graph()
        for k, s in enumerate(self.segs):
            g.add_edge(s["coords"][0], s["coords"][-1], k=k)
        comps = sorted(nx.connected_components(g), key=len, reverse=True)
        keep_nodes = comps[0]
        dropped = sum(1 for s in self.segs if s["coords"][0] not in keep_nodes)
        lost = sorted({s["road"]["route_name"] for s in self.segs if s["coords"][0] not in keep_nodes})
        self.note(f"dropped routes: {lost[:30]}")
        self.segs = [s for s in self.segs if s["coords"][0] in keep_nodes]
        # facilities and assets are placed beside the final network
        self.road_lines = [LineString(s["coords"]) for s in self.segs if s["bridge"] is None]
        self.road_tree = shapely.STRtree(self.road_lines)
        self.note(f"dropped {dropped} segments in {len(comps) - 1} small components")


def cut_at_points(coords, pts):
    ln = LineString(coords)
    L = ln.length
    cuts = sorted({round(ln.project(Point(xy)), 9): xy for xy in pts}.items())
    cuts = [(d, xy) for d, xy in cuts if 1e-6 < d < L - 1e-6]
    return [np.asarray(p) for p in cut_coords(coords, cuts) if len(p) >= 2]


def first_hit(line, others, keep_end=True):
    """Cut ``line`` at its first intersection with any of ``others`` (not counting its start)."""
    best = None
    for o in others:
        inter = line.intersection(o)
        for xy in line_points(inter):
            d = line.project(Point(xy))
            if d > 1.0 and (best is None or d < best[0]):
                best = (d, xy)
    if best is None:
        return line
    d, xy = best
    if d >= line.length - 1e-6:
        return line
    pieces = cut_coords(np.asarray(line.coords), [(d, xy)])
    return LineString(pieces[0])


def crossing_sin(l1, l2, xy):
    """|sin| of the angle between two lines at a common point."""
    def tangent(ln, p):
        d = ln.project(Point(p))
        a = ln.interpolate(max(d - 3, 0))
        b = ln.interpolate(min(d + 3, ln.length))
        v = np.array([b.x - a.x, b.y - a.y])
        return v / max(np.hypot(*v), 1e-9)
    t1, t2 = tangent(l1, xy), tangent(l2, xy)
    return abs(t1[0] * t2[1] - t1[1] * t2[0])


# ==========================================================================
# attributes and writing


def to_global(geom):
    """Local metres -> EPSG:6673, rounded to millimetres (polygons kept valid)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        g = shapely.set_precision(shapely.transform(geom, lambda c: c + np.array([X0, Y0])), 0.001)
        return g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])
    return shapely.transform(geom, lambda c: np.round(c + np.array([X0, Y0]), 3))


def wareki(year, style):
    """A western year as 和暦 text in one of several styles users meet."""
    if year >= 2019:
        era, short, n = "令和", "R", year - 2018
    elif year >= 1989:
        era, short, n = "平成", "H", year - 1988
    elif year >= 1926:
        era, short, n = "昭和", "S", year - 1925
    else:
        era, short, n = "大正", "T", year - 1911
    if style == "kanji":
        return f"{era}{'元' if n == 1 else n}年"
    return f"{short}{n}"


def build(out_dir: Path, plot=True, verbose=True):
    t0 = time.time()
    b = Builder()
    b.make_land()
    b.make_rivers()
    b.make_municipalities()
    b.make_roads()
    b.clip_and_split()
    b.drop_farm_conflicts()
    b.snap_and_junctions()
    b.make_streams()
    b.add_situations()
    b.river_crossings()
    b.cut_roads()
    b.keep_connected()
    if verbose:
        for m in b.log:
            print("  ", m)
        print(f"geometry built in {time.time() - t0:.1f} s")
    write_all(b, out_dir)
    if verbose:
        for row in b.situation_bridges.itertuples():
            print(f"   situation {row.situation}: {row.bridge_id} {row.name}")
    write_real_layouts(out_dir, verbose=verbose)
    if plot:
        plot_overview(out_dir, out_dir / "overview.png")
    if verbose:
        print(f"done in {time.time() - t0:.1f} s")
    return b


def write_real_layouts(out: Path, verbose=True):
    """The same region in the layouts real data comes in (``layouts.py``; the demo reads these)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import layouts
    layouts.write_layouts(out, verbose=verbose)


def write_all(b: Builder, out: Path):
    rng = np.random.default_rng(SEED + 1)   # attribute draws, independent of geometry draws
    out.mkdir(parents=True, exist_ok=True)

    # ---------------------------------------------------------- municipalities
    rows = []
    for m in MUNIS:
        code, name, kind = m[0], m[1], m[2]
        rows.append(dict(municipality_code=code, municipality_name=name, prefecture_name=PREF_NAME,
                         kind=kind, geometry=to_global(b.muni_out[code])))
    munis = gpd.GeoDataFrame(rows, crs=CRS).sort_values("municipality_code").reset_index(drop=True)
    write_gpkg(munis, out / "municipalities.gpkg", "municipalities")
    # N03-style copy: lon/lat, one row per polygon
    n03 = munis.to_crs(CRS_LONLAT).explode(index_parts=False).reset_index(drop=True)
    n03["area"] = n03.to_crs(CRS).area
    n03 = n03.sort_values(["municipality_code", "area"], ascending=[True, False]).reset_index(drop=True)
    n03 = gpd.GeoDataFrame({
        "N03_001": PREF_NAME,
        "N03_002": None,
        "N03_003": [MUNI_BY_CODE[c][6] for c in n03["municipality_code"]],
        "N03_004": n03["municipality_name"],
        "N03_005": None,
        "N03_007": n03["municipality_code"],
    }, geometry=n03.geometry.values, crs=CRS_LONLAT)
    path = out / "municipalities_n03.geojson"
    if path.exists():
        path.unlink()
    n03.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"COORDINATE_PRECISION": 7})

    # ------------------------------------------------------------------ roads
    segs = b.segs
    muni_polys = b.muni_clean

    def muni_code_at(pt):
        for code, poly in muni_polys.items():
            if poly.contains(pt):
                return code
        return min(muni_polys, key=lambda c: muni_polys[c].distance(pt))

    # bridge ids: by municipality then south-to-north, west-to-east
    bridge_segs = []
    for s in segs:
        if s["bridge"] is not None:
            mid = LineString(s["coords"]).interpolate(0.5, normalized=True)
            s["muni"] = muni_code_at(mid)
            bridge_segs.append(s)
        else:
            s["muni"] = muni_code_at(LineString(s["coords"]).interpolate(0.5, normalized=True))
    # island bridge counts for the island town
    for s in bridge_segs:
        if "sea" in s["bridge"]["kind"]:
            s["muni"] = ISLAND_CODE
    # the SITUATIONS' bridges come after the others of their municipality, so that adding
    # them left every other bridge_id as it was
    order = sorted(range(len(bridge_segs)), key=lambda k: (
        bridge_segs[k]["road"].get("situation") is not None,
        bridge_segs[k]["muni"], round(bridge_segs[k]["coords"][0][1]), round(bridge_segs[k]["coords"][0][0])))
    counters = {}
    for k in order:
        s = bridge_segs[k]
        counters[s["muni"]] = counters.get(s["muni"], 0) + 1
        s["bridge_id"] = f"B{s['muni']}-{counters[s['muni']]:04d}"

    road_rows = []
    for k, s in enumerate(segs):
        r = s["road"]
        br = s["bridge"]
        road_rows.append(dict(
            road_id=f"R{k + 1:06d}",
            road_class=r["road_class"],
            route_name=r["route_name"],
            speed_kmh=np.nan if r["speed_kmh"] is None else float(r["speed_kmh"]),
            oneway=bool(r["oneway"]),
            is_bridge=br is not None,
            is_tunnel=s["tunnel"] is not None,
            layer=1 if br is not None else (-1 if s["tunnel"] is not None else 0),
            width_m=r["width_m"],
            bridge_id=s.get("bridge_id"),
            municipality_code=s["muni"],
            geometry=to_global(LineString(s["coords"])),
        ))
    roads = gpd.GeoDataFrame(road_rows, crs=CRS)
    roads["layer"] = roads["layer"].astype("int32")
    # a few one-way streets in the city centre (digitised direction)
    cand = roads.index[(roads["route_name"].str.startswith("市道本町東西")) & (~roads["is_bridge"])]
    ow_routes = sorted(set(roads.loc[cand, "route_name"]))[2:4]
    roads.loc[roads["route_name"].isin(ow_routes), "oneway"] = True
    write_gpkg(roads, out / "roads.gpkg", "roads")

    # ----------------------------------------------------------- facilities
    facilities = make_facilities(b, rng)
    write_gpkg(facilities, out / "facilities.gpkg", "facilities")
    schools = np.array([[g.x, g.y] for g in facilities.loc[facilities.facility_type == "school", "geometry"]])
    school_tree = cKDTree(schools)

    # ---------------------------------------------------------------- bridges
    valley_routes = set(b.valley_routes)
    brows = []
    for s in bridge_segs:
        r = s["road"]
        br = s["bridge"]
        g = to_global(LineString(s["coords"]))
        pt = g.interpolate(0.5, normalized=True)
        kinds = br["kind"]
        length = round(g.length, 1)
        if r.get("situation") is not None:     # fixed attributes, no random draw
            brows.append(situation_bridge(s, r, br, g, pt, length))
            continue
        if "sea" in kinds:
            built = 1988
        elif "road" in kinds or "railway" in kinds:
            built = int(np.clip(round(rng.normal(1978, 9)), 1955, 2015))
        elif rng.random() < 0.72:
            built = int(np.clip(round(rng.normal(1969, 6)), 1930, 2022))
        else:
            built = int(rng.integers(1930, 2023))
        width = round(r["width_m"] + (1.5 if r["road_class"] != "municipal" and length > 15 else 0.0)
                      + rng.uniform(-0.3, 0.3), 1)
        age = REF_YEAR - built
        score = age / 25.0 + rng.normal(0, 0.4)
        rating = 1 if score < 2.1 else 2 if score < 3.0 else 3 if score < 3.85 else 4
        if "sea" in kinds:
            rating = 2
        if rng.random() < 0.04:
            insp = int(rng.integers(2019, 2021))   # overdue: not inspected for more than 5 years
        else:
            insp = int(rng.integers(2021, 2025))
        base = r["aadt"] if r["aadt"] is not None else 300
        if r["route_name"] in valley_routes:
            base = r["aadt"]
        aadt = float(round(base * rng.lognormal(0, 0.3), -1 if base >= 100 else 0))
        name = bridge_name(rng, br, r)
        manager = "prefecture" if r["road_class"] in ("national", "prefectural") else "municipality"
        school = bool(school_tree.query([pt.x, pt.y])[0] < 700) or (r.get("school") and r["kind"] == "valley")
        brows.append(dict(
            bridge_id=s["bridge_id"], name=name, manager=manager, municipality_code=s["muni"],
            road_class=r["road_class"], route_name=r["route_name"], built_year=built,
            length_m=length, width_m=width, deck_area_m2=round(length * width, 1), rating=rating,
            last_inspection_year=insp, aadt=aadt, emergency_route=bool(r["emergency"]),
            bus_route=bool(r["bus"]), school_route=bool(school),
            crossing=crosses_label(kinds), crossed_name=br.get("river") or br.get("low_route") or "鉄道",
            situation="", geometry=pt))
    bridges = gpd.GeoDataFrame(brows, crs=CRS).sort_values("bridge_id").reset_index(drop=True)
    for col in ("built_year", "rating", "last_inspection_year"):
        bridges[col] = bridges[col].astype("int32")
    write_gpkg(bridges.drop(columns="situation"), out / "bridges.gpkg", "bridges")
    write_inventory_csv(bridges, out / "bridges_inventory_cp932.csv", rng,
                        fixed=set(bridges.loc[bridges["situation"] != "", "bridge_id"]))
    b.situation_bridges = bridges.loc[bridges["situation"] != "", ["bridge_id", "name", "situation"]]

    # ---------------------------------------------------------------- rivers
    rrows = [dict(river_id=r["river_id"], name=r["name"], river_class=r["river_class"],
                  width_m=round(r["w1"], 1), geometry=to_global(r["geom"])) for r in b.rivers]
    rivers = gpd.GeoDataFrame(rrows, crs=CRS).sort_values("river_id").reset_index(drop=True)
    write_gpkg(rivers, out / "rivers.gpkg", "rivers")
    rail = gpd.GeoDataFrame([dict(railway_id="L001", name="潮風鉄道本線", geometry=to_global(b.railway))],
                            crs=CRS)
    write_gpkg(rail, out / "railways.gpkg", "railways")

    # ------------------------------------------------------------ population
    write_population(b, out / "population_250m.tif")

    # ------------------------------------------------------------------ staff
    staff = pd.DataFrame([dict(municipality_code=m[0], municipality_name=m[1], technical_staff=m[5])
                          for m in MUNIS]).sort_values("municipality_code")
    staff.to_csv(out / "staff.csv", index=False, encoding="utf-8", lineterminator="\n")

    # ----------------------------------------------------------- other assets
    assets = make_other_assets(b, rng, facilities)
    write_gpkg(assets, out / "other_assets.gpkg", "other_assets")

    # --------------------------------------------------------------- run.toml
    (out / "run.toml").write_text(RUN_TOML, encoding="utf-8")
    (out / "run_canonical.toml").write_text(RUN_TOML_CANONICAL, encoding="utf-8")

    summary = dict(
        municipalities=len(munis), n03_rows=len(n03), roads=len(roads), bridges=len(bridges),
        bridges_over_road_or_rail=int(bridges["crossing"].isin(["road", "railway"]).sum()),
        rivers=len(rivers), facilities=len(facilities), other_assets=len(assets),
        tunnels_segments=int(roads["is_tunnel"].sum()),
        boundary_overlap_2_5m_99201_99342_bbox=[round(v) for v in to_global(b.overlap_line).bounds],
        boundary_gap_3m_99202_99343_bbox=[round(v) for v in to_global(b.gap_line).bounds],
    )
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False))


RUN_SETTINGS = """# Pin "now" so that the same config gives the same outputs on any day.
[costs]
base_year = 2026

[plan]
# the council scenario: cut the 50-year life-cycle cost of the bridge stock by 5 %
target_saving_pct = 5.0

[grouping]
reference_year = 2026

[effect]
reference_year = 2026

[maps]
date = "2026-04-01"
region_name = "架空県 サンプル地域"
data_sources = "架空県サンプルデータ（合成データ、gunmane-geo sample_layers）"
"""


RUN_TOML = """# Run configuration for the synthetic sample region 架空県 (see README.md).
# Paths are relative to this file.

# The inputs are in the layouts real data comes in (written by layouts.py, see README.md):
# the inspection database's bridge export, KSJ N03 / P04 / P29 / P02 / N10 and the KSJ
# 500 m future-population mesh.  The canonical GeoPackages beside them hold the same region.
[inputs]
municipalities = "N03-23_99_230101.shp"
roads = "roads.gpkg"
bridges = "bridges_inspection_db_cp932.tsv"
rivers = "rivers.gpkg"
railways = "railways.gpkg"
facilities = ["P04-20_99.geojson", "P29-21_99.geojson", "P02-22_99.geojson"]
emergency_routes = "N10-15_99.geojson"
population = "mesh500m_future_population_99.shp"
staff = "staff.csv"
other_assets = "other_assets.gpkg"

[io]
# the year the analysis looks ahead to (population_2050 from the mesh's PTN_2050)
population_target_year = 2050

""" + RUN_SETTINGS


RUN_TOML_CANONICAL = """# The same run as run.toml, on the canonical GeoPackages of the sample region (the
# library's own layout: docs/schema.md) instead of the real-data layouts.

[inputs]
municipalities = "municipalities.gpkg"
roads = "roads.gpkg"
bridges = "bridges.gpkg"
rivers = "rivers.gpkg"
railways = "railways.gpkg"
facilities = "facilities.gpkg"
population = "population_250m.tif"
staff = "staff.csv"
other_assets = "other_assets.gpkg"

""" + RUN_SETTINGS


def crosses_label(kinds):
    for k in ("sea", "railway", "road", "river"):
        if k in kinds:
            return k
    return kinds[0]


def bridge_name(rng, br, r):
    kinds = br["kind"]
    if "sea" in kinds:
        return "汐島大橋"
    if "railway" in kinds:
        return jp_name(rng) + "跨線橋"
    if "road" in kinds:
        return jp_name(rng) + "跨道橋"
    river = br.get("river", "")
    cls = br.get("river_class", "")
    if cls in ("二級河川",) and r["road_class"] != "municipal":
        return rng.choice([river.replace("川", "") + "大橋", "新" + river + "橋", jp_name(rng) + "大橋"])
    x = rng.random()
    if x < 0.05:
        return "無名橋"
    if x < 0.15:
        return f"{jp_name(rng)}{int(rng.integers(1, 6))}号橋"
    return jp_name(rng) + "橋"


def write_gpkg(gdf, path, layer):
    if path.exists():
        path.unlink()
    gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")


def near_road_point(b, xy, offset=25.0):
    """A point ``offset`` m beside the nearest road to ``xy`` (local coordinates)."""
    p = Point(xy)
    for _ in range(30):
        out = _beside_road(b, p, offset)
        if b.land.contains(out) and b.river_clearance(out) > 15:
            return out
        p = Point(p.x + b.rng.uniform(-150, 150), p.y + b.rng.uniform(-150, 150))
    return out


def _beside_road(b, p, offset):
    j = b.road_tree.nearest(p)
    ln = b.road_lines[j]
    q = ln.interpolate(ln.project(p))
    d = ln.project(p)
    a = ln.interpolate(max(d - 5, 0))
    c = ln.interpolate(min(d + 5, ln.length))
    t = np.array([c.x - a.x, c.y - a.y])
    t /= max(np.hypot(*t), 1e-9)
    nrm = np.array([-t[1], t[0]])
    side = 1 if np.dot(nrm, [p.x - q.x, p.y - q.y]) >= 0 else -1
    out = Point(q.x + side * offset * nrm[0], q.y + side * offset * nrm[1])
    if not b.land.contains(out):
        out = Point(q.x - side * offset * nrm[0], q.y - side * offset * nrm[1])
    return out


def make_facilities(b, rng):
    mc = {m[0]: m for m in MUNIS}
    centers = dict(b.centers)
    rows = []

    def add(ftype, name, code, xy, jitter=0.0):
        if jitter:
            xy = (xy[0] + rng.uniform(-jitter, jitter), xy[1] + rng.uniform(-jitter, jitter))
        rows.append(dict(facility_type=ftype, name=name, municipality_code=code, p=near_road_point(b, xy)))

    for code, m in mc.items():
        name, kind = m[1], m[2]
        add("office", f"{name}{'役所' if kind == 'city' else '役場'}", code, centers[code], 80)
    cc, ce, cw = centers["99201"], centers["99202"], centers["99341"]
    add("hospital", "県立湊川中央病院", "99201", (cc[0] + 1300, cc[1] + 800))
    add("hospital", "湊川市民病院", "99201", (cc[0] - 1200, cc[1] - 600))
    add("hospital", "東浦市民病院", "99202", (ce[0] + 600, ce[1] + 500))
    add("hospital", "西岡町立病院", "99341", (cw[0] - 300, cw[1] - 200))
    add("hospital", "川上町国保病院", "99342", centers["99342"], 300)
    add("hospital", "汐島町立診療所", ISLAND_CODE, centers[ISLAND_CODE], 200)
    school_spec = {"99201": 8, "99202": 4, "99341": 2, "99342": 2, "99343": 2, "99344": 1, "99361": 1,
                   "99362": 1, ISLAND_CODE: 1}
    numerals = "一二三四五六七八九"
    for code, n in school_spec.items():
        name = mc[code][1]
        base = name[:-1]
        for k in range(n):
            kind_s = "中学校" if k == n - 1 and n > 1 else "小学校"
            label = f"{base}{'第' + numerals[k] if n > 2 and kind_s == '小学校' else ''}{kind_s}"
            if code == ISLAND_CODE:
                label = "汐島小中学校"
            spread = 1700 if mc[code][2] == "city" else 350
            add("school", label, code, centers[code], spread)
    # the school in the dead-end valley 深沢
    end = b.valley_ends()[0]
    add("school", "北山村立深沢小学校", "99361", (end[0] + 60, end[1] + 60))
    add("fire_station", "湊川市消防本部", "99201", (cc[0] + 500, cc[1] - 300))
    add("fire_station", "湊川市消防署北出張所", "99201", (cc[0] - 600, cc[1] + 1400))
    add("fire_station", "東浦市消防署", "99202", (ce[0] - 500, ce[1] - 200))
    add("fire_station", "西岡町消防署", "99341", (cw[0] + 300, cw[1] + 200))
    add("fire_station", "川上消防出張所", "99342", centers["99342"], 200)
    add("fire_station", "桜台消防出張所", "99343", centers["99343"], 200)
    add("fire_station", "美杉消防出張所", "99344", centers["99344"], 150)
    add("fire_station", "汐島消防分遣所", ISLAND_CODE, centers[ISLAND_CODE], 150)
    tmap = {"office": 0, "hospital": 1, "school": 2, "fire_station": 3}
    rows.sort(key=lambda r: (tmap[r["facility_type"]], r["municipality_code"]))
    for k, r in enumerate(rows):
        r["facility_id"] = f"F{k + 1:03d}"
        r["municipality_code"] = b.muni_at(r["p"])
    gdf = gpd.GeoDataFrame(
        [dict(facility_id=r["facility_id"], name=r["name"], facility_type=r["facility_type"],
              municipality_code=r["municipality_code"], geometry=to_global(r["p"])) for r in rows], crs=CRS)
    return gdf


def make_other_assets(b, rng, facilities):
    rows = []
    # parks in the town grids
    names = ["中央公園", "運動公園", "児童公園", "緑地", "ふれあい公園", "さくら公園", "みなと公園"]
    for gi, area in enumerate(b.grid_areas[:-2]):
        n = 14 if gi == 0 else 7 if gi == 1 else 3
        minx, miny, maxx, maxy = area.bounds
        k = 0
        while k < n:
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if not area.contains(p):
                continue
            q = near_road_point(b, (p.x, p.y), 30)
            code = b.muni_at(q)
            atype = "街区公園" if rng.random() < 0.7 else ("近隣公園" if rng.random() < 0.7 else "総合公園")
            rows.append(dict(sector="park", asset_type=atype, name=jp_name(rng) + names[k % len(names)],
                             municipality_code=code, built_year=int(rng.integers(1965, 2016)),
                             inspection_hours=round(float(rng.uniform(3, 10) * (3 if atype == "総合公園" else 1)), 1),
                             p=q))
            k += 1
    # river facilities: sluices where streams meet the main rivers or the sea in the plain
    streams = [r for r in b.rivers if r["river_class"] == "普通河川"]
    for r in streams:
        end = Point(r["geom"].coords[-1])
        if b.plain.contains(end) and rng.random() < 0.35:
            atype = "樋門" if rng.random() < 0.6 else "樋管"
            rows.append(dict(sector="river", asset_type=atype, name=r["name"] + atype,
                             municipality_code=b.muni_at(end), built_year=int(rng.integers(1955, 2010)),
                             inspection_hours=round(float(rng.uniform(6, 16)), 1), p=end))
    for r in b.rivers[:9]:
        if r["river_class"] == "二級河川" and b.coast_v(r["geom"].coords[-1][0]) > r["geom"].coords[-1][1] - 50:
            end = Point(r["geom"].coords[-1])
            p = Point(end.x + 120, end.y + 150)
            rows.append(dict(sector="river", asset_type="排水機場", name=r["name"] + "排水機場",
                             municipality_code=b.muni_at(p), built_year=int(rng.integers(1970, 2000)),
                             inspection_hours=40.0, p=p))
    # sewer pump stations
    for gi, area in enumerate(b.grid_areas[:3]):
        n = 12 if gi == 0 else 6 if gi == 1 else 3
        minx, miny, maxx, maxy = area.bounds
        k = 0
        while k < n:
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if not area.contains(p):
                continue
            q = near_road_point(b, (p.x, p.y), 8)
            atype = "マンホールポンプ" if k % 4 else "中継ポンプ場"
            rows.append(dict(sector="sewer", asset_type=atype, name=f"{jp_name(rng)}{atype}",
                             municipality_code=b.muni_at(q), built_year=int(rng.integers(1975, 2016)),
                             inspection_hours=round(float(rng.uniform(4, 8) if k % 4 else rng.uniform(24, 40)), 1),
                             p=q))
            k += 1
    # road tunnels
    for r in b.roads:
        for a_xy, b_xy, tname in r["tunnels"]:
            ln = LineString(r["coords"])
            da, db = sorted((ln.project(Point(a_xy)), ln.project(Point(b_xy))))
            p = ln.interpolate((da + db) / 2)
            rows.append(dict(sector="tunnel", asset_type="道路トンネル", name=tname,
                             municipality_code=b.muni_at(p), built_year=int(rng.integers(1970, 2005)),
                             inspection_hours=round(float(60 + (db - da) / 30), 1), p=p))
    smap = {"park": 0, "river": 1, "sewer": 2, "tunnel": 3}
    rows.sort(key=lambda r: (smap[r["sector"]], r["municipality_code"], round(r["p"].y), round(r["p"].x)))
    prefix = {"park": "PK", "river": "RF", "sewer": "SW", "tunnel": "TN"}
    counters = {}
    out = []
    for r in rows:
        counters[r["sector"]] = counters.get(r["sector"], 0) + 1
        out.append(dict(asset_id=f"{prefix[r['sector']]}{counters[r['sector']]:04d}", sector=r["sector"],
                        asset_type=r["asset_type"], name=r["name"], municipality_code=r["municipality_code"],
                        built_year=r["built_year"], inspection_hours=r["inspection_hours"],
                        geometry=to_global(r["p"])))
    gdf = gpd.GeoDataFrame(out, crs=CRS)
    gdf["built_year"] = gdf["built_year"].astype("int32")
    return gdf


def situation_bridge(s, r, br, g, pt, length):
    """Attributes of a bridge on a SITUATIONS road: fixed, so that no random draw moves."""
    spec = r.get("bridge_spec") if br.get("river") == "湊川" else None
    spec = spec or dict(name=f"{br.get('river') or '無名'}橋", built_year=1975, width_m=r["width_m"],
                        rating=2, aadt=float(r["aadt"] or 100))
    width = float(spec["width_m"])
    return dict(
        bridge_id=s["bridge_id"], name=spec["name"], manager="municipality", municipality_code=s["muni"],
        road_class=r["road_class"], route_name=r["route_name"], built_year=int(spec["built_year"]),
        length_m=length, width_m=width, deck_area_m2=round(length * width, 1), rating=int(spec["rating"]),
        last_inspection_year=2023, aadt=float(spec["aadt"]), emergency_route=False, bus_route=False,
        school_route=bool(spec.get("school_route", False)), crossing=crosses_label(br["kind"]),
        crossed_name=br.get("river") or "鉄道", situation=r["situation"], geometry=pt)


def write_inventory_csv(bridges, path, rng, fixed=()):
    """The inventory as a municipality would send it: CP932, Japanese headers, 和暦, roman ratings.

    Rows of ``fixed`` bridge ids (the SITUATIONS) are written plainly, without a random draw."""
    from pyproj import Transformer
    tr = Transformer.from_crs(CRS, CRS_LONLAT, always_xy=True)
    lon, lat = tr.transform(bridges.geometry.x.values, bridges.geometry.y.values)
    muni_name = {m[0]: m[1] for m in MUNIS}
    cls_ja = {"national": "一般国道", "prefectural": "県道", "municipal": "市町村道"}
    rom = {1: "I", 2: "II", 3: "III", 4: "IV"}
    rom_fw = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ"}
    rows = []
    for k, r in enumerate(bridges.itertuples()):
        plain = r.bridge_id in fixed
        x = 1.0 if plain else rng.random()
        y = int(r.built_year)
        if x < 0.15:
            built = wareki(y, "kanji")
        elif x < 0.25:
            built = wareki(y, "short")
        else:
            built = str(y)
        x = 1.0 if plain else rng.random()
        rating = str(r.rating) if x < 0.12 else (rom_fw[r.rating] if x < 0.15 else rom[r.rating])
        insp = int(r.last_inspection_year)
        insp_s = wareki(insp, "kanji") if not plain and rng.random() < 0.1 else str(insp)
        rows.append({
            "橋梁ID": r.bridge_id,
            "橋梁名": r.name,
            "管理者": PREF_NAME if r.manager == "prefecture" else muni_name[r.municipality_code],
            "市区町村コード": r.municipality_code,
            "道路種別": cls_ja[r.road_class],
            "路線名": r.route_name,
            "架設年度": built,
            "橋長(m)": f"{r.length_m:.1f}",
            "幅員(m)": f"{r.width_m:.1f}",
            "判定区分": rating,
            "点検年度": insp_s,
            "交通量(台/日)": str(int(r.aadt)),
            "緊急輸送道路": "○" if r.emergency_route else "",
            "バス路線": "○" if r.bus_route else "",
            "通学路": "○" if r.school_route else "",
            "緯度": f"{lat[k]:.7f}",
            "経度": f"{lon[k]:.7f}",
        })
    df = pd.DataFrame(rows)
    df.to_csv(path, index=False, encoding="cp932", lineterminator="\r\n")


def write_population(b, path):
    import rasterio
    from rasterio.features import rasterize
    from rasterio.transform import from_origin
    nx_, ny_ = int(W / CELL), int(H / CELL)
    transform = from_origin(X0, Y0 + H, CELL, CELL)
    xs = X0 + (np.arange(nx_) + 0.5) * CELL - X0
    ys = Y0 + H - (np.arange(ny_) + 0.5) * CELL - Y0
    gx, gy = np.meshgrid(xs, ys)
    cells = np.column_stack([gx.ravel(), gy.ravel()])
    # distance to roads (densified road vertices; trunk roads count less for settlement)
    pts = []
    for r in b.roads:
        if r["kind"] in ("trunk",) and r["road_class"] == "national":
            continue
        ln = LineString(r["coords"])
        pts.append(shapely.get_coordinates(shapely.segmentize(ln, 60.0)))
    tree = cKDTree(np.vstack(pts))
    dist, _ = tree.query(cells)
    w = np.where(dist < 500, np.exp(-dist / 160.0) * 8.0, 0.0)
    # towns and villages: Gaussian cores
    C = b.centers
    cores = [(C["99201"], 1300, 1800), (C["99202"], 1000, 900), (C["99341"], 600, 150),
             (C["99342"], 450, 120), (C["99343"], 450, 120), (C["99344"], 350, 80),
             (C["99361"], 300, 40), (C["99362"], 300, 40), (C[ISLAND_CODE], 450, 120)]
    for e in b.valley_ends():
        cores.append(((e[0], e[1]), 350, 25))
    for (cx, cy), sig, amp in cores:
        w += amp * np.exp(-((cells[:, 0] - cx) ** 2 + (cells[:, 1] - cy) ** 2) / (2 * sig ** 2)) * (dist < 700)
    # municipality per cell
    shapes = [(to_global(b.muni_clean[m[0]]), i + 1) for i, m in enumerate(MUNIS)]
    lab = rasterize(shapes, out_shape=(ny_, nx_), transform=transform, fill=0, dtype="int32").ravel()
    pop = np.zeros_like(w)
    for i, m in enumerate(MUNIS):
        sel = lab == i + 1
        tot = w[sel].sum()
        if tot > 0:
            pop[sel] = w[sel] / tot * m[4]
    pop = np.round(pop, 1)
    land = rasterize([(to_global(b.land), 1)], out_shape=(ny_, nx_), transform=transform, fill=0,
                     dtype="uint8").ravel()
    pop[land == 0] = 0.0
    # open sea farther than 1 km from land is outside the statistics' coverage: nodata
    sea_far = rasterize([(to_global(b.land.buffer(1000)), 1)], out_shape=(ny_, nx_), transform=transform,
                        fill=0, dtype="uint8").ravel()
    pop[sea_far == 0] = -9999.0
    arr = pop.reshape(ny_, nx_).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=nx_, height=ny_, count=1, dtype="float32",
                       crs=CRS, transform=transform, nodata=-9999.0, compress="deflate", tiled=False) as dst:
        dst.write(arr, 1)
        dst.update_tags(units="persons per cell", source="synthetic (make_sample.py)")


def plot_overview(src: Path, png: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    for f in font_manager.findSystemFonts():
        if "NotoSansCJK" in f:
            font_manager.fontManager.addfont(f)
    plt.rcParams["font.family"] = ["Noto Sans CJK JP", "DejaVu Sans"]
    import rasterio
    munis = gpd.read_file(src / "municipalities.gpkg")
    roads = gpd.read_file(src / "roads.gpkg")
    rivers = gpd.read_file(src / "rivers.gpkg")
    bridges = gpd.read_file(src / "bridges.gpkg")
    rail = gpd.read_file(src / "railways.gpkg")
    fac = gpd.read_file(src / "facilities.gpkg")
    with rasterio.open(src / "population_250m.tif") as ds:
        pop = ds.read(1, masked=True)
        ext = (ds.bounds.left, ds.bounds.right, ds.bounds.bottom, ds.bounds.top)

    fig, axes = plt.subplots(1, 2, figsize=(20, 9.5), gridspec_kw=dict(width_ratios=[1.25, 1]))
    for ax, zoom in zip(axes, (None, (-47500, -41000, -160000, -154000))):
        ax.set_facecolor("#cfe3f3")
        munis.plot(ax=ax, column="municipality_code", cmap="Pastel1", edgecolor="#555", linewidth=0.8)
        pz = np.ma.masked_less_equal(pop, 0)
        ax.imshow(pz, extent=ext, cmap="Oranges", alpha=0.55, vmin=0, vmax=float(np.percentile(pz.compressed(), 97)))
        for cls, lw in (("普通河川", 0.5), ("準用河川", 1.0), ("二級河川", 2.0)):
            rivers[rivers.river_class == cls].plot(ax=ax, color="#1f6fd1", linewidth=lw if zoom is None else lw * 2)
        rail.plot(ax=ax, color="black", linewidth=1.6, linestyle=(0, (4, 2)))
        style = {"municipal": ("#666", 0.35), "prefectural": ("#2b8a3e", 1.4), "national": ("#c92a2a", 2.0)}
        for cls, (col, lw) in style.items():
            roads[(roads.road_class == cls)].plot(ax=ax, color=col, linewidth=lw if zoom is None else lw * 1.8)
        roads[roads.is_tunnel].plot(ax=ax, color="white", linewidth=2.5, linestyle=":")
        bt = bridges["crossing"]
        bridges[bt == "river"].plot(ax=ax, color="red", markersize=3 if zoom is None else 10, zorder=5)
        bridges[bt.isin(["road", "railway"])].plot(ax=ax, color="magenta", marker="^",
                                                   markersize=14 if zoom is None else 40, zorder=6)
        bridges[bt == "sea"].plot(ax=ax, color="yellow", edgecolor="k", marker="*", markersize=200, zorder=7)
        fac.plot(ax=ax, column="facility_type", categorical=True, marker="s", markersize=14 if zoom is None else 40,
                 cmap="tab10", zorder=8, edgecolor="k", linewidth=0.3)
        if zoom is None:
            for r in munis.itertuples():
                c = r.geometry.representative_point()
                ax.annotate(r.municipality_name, (c.x, c.y), ha="center", fontsize=11, weight="bold",
                            bbox=dict(fc="white", alpha=0.6, lw=0))
            ax.set_xlim(X0, X0 + W)
            ax.set_ylim(Y0, Y0 + H)
            ax.set_title("架空県 サンプル地域 (合成データ, EPSG:6673)  赤点=河川橋, 紫▲=跨道橋・跨線橋, ★=島の唯一の橋")
        else:
            ax.set_xlim(zoom[0], zoom[1])
            ax.set_ylim(zoom[2], zoom[3])
            ax.set_title("湊川市 中心部 (拡大)")
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(png, dpi=85)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                    help="output folder (default: the folder of this script)")
    ap.add_argument("--no-plot", action="store_true", help="do not render overview.png")
    args = ap.parse_args(argv)
    build(args.out, plot=not args.no_plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
