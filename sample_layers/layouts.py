#!/usr/bin/env python
"""Write the sample region of 架空県 in the layouts real Japanese data comes in.

``make_sample.py`` builds the region and writes it in the library's canonical layout
(GeoPackages, a 250 m population raster).  This module writes the same region again as a
town hall receives it, so that ``make demo`` runs through the real readers
(docs/loading.md, "Known layouts"):

* ``bridges_inspection_db_cp932.tsv``: the bridge list as exported from the national
  road-structure inspection database (全国道路施設点検データベース), tab-separated, CP932,
  in its 18 columns; three columns the town hall appended to its own copy
  (``通学路``, ``バス路線``, ``交通量(台/日)``) follow them.
* ``N03-23_99_230101.shp``: 国土数値情報 N03 行政区域 in the 2023 vintage (CP932 DBF
  without a ``.cpg``, JGD2011 lon/lat EPSG:6668, one row per polygon), with one
  所属未定地 row (a reclaimed quay no municipality has claimed yet).
* ``mesh500m_future_population_99.shp``: the KSJ 500 m mesh future population
  (``MESH_ID``, ``SHICODE``, ``PTN_2020`` ... ``PTN_2070``), polygons in EPSG:6668, one
  row per mesh and municipality as the KSJ file has them.
* ``P04-20_99.geojson`` (医療機関) and ``P29-21_99.geojson`` (学校): the facilities.
* ``P02-22_99.geojson`` (公共施設): town halls and fire stations.
* ``N10-15_99.geojson``: 緊急輸送道路, the emergency transport roads with their tier.

Everything stays SYNTHETIC.  The module reads the canonical files from the folder, so it
can be rerun alone: ``python sample_layers/layouts.py [--out DIR]``.  It is deterministic
(``numpy.random.default_rng(SEED)``; no geometry draws).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

SEED = 20240616
CRS_LONLAT = "EPSG:6668"      # JGD2011 geographic, as KSJ and the inspection database use
PREF_NAME = "架空県"
PREF_CODE = "99"
BASE_YEAR = 2020               # the census the KSJ future estimate starts from
FUTURE_YEARS = tuple(range(2020, 2071, 5))

#: the files this module writes (relative to the sample folder)
FILES = {
    "bridges": "bridges_inspection_db_cp932.tsv",
    "municipalities": "N03-23_99_230101.shp",
    "population": "mesh500m_future_population_99.shp",
    "hospitals": "P04-20_99.geojson",
    "schools": "P29-21_99.geojson",
    "public_facilities": "P02-22_99.geojson",
    "emergency_routes": "N10-15_99.geojson",
}

#: population change 2020 -> 2050 by municipality kind (fraction; the national pattern of
#: the 2023 IPSS estimate, rounded: cities lose least, villages most)
CHANGE_2050 = {"city": -0.12, "town": -0.30, "village": -0.45}
#: extra change 2020 -> 2050 of a sparsely settled mesh (under 20 people) and of a mesh of
#: a city's suburb (200 to 1,000 people), on top of its municipality's
SPARSE_EXTRA, SUBURB_EXTRA = -0.25, +0.18

TIER_JA = {1: "第1次緊急輸送道路", 2: "第2次緊急輸送道路", 3: "第3次緊急輸送道路"}


def to_lonlat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.to_crs(CRS_LONLAT)


# ---------------------------------------------------------------- inspection database
def inspection_db_table(bridges: gpd.GeoDataFrame, munis: gpd.GeoDataFrame,
                        rng) -> pd.DataFrame:
    """The bridges as the inspection database exports them (text, its 18 columns first).

    区分 is the manager class (国 / 都道府県 / 市区町村), 管理者名 the manager's name,
    市町村名 the municipality the bridge stands in; 判定区分 is written ``2.0`` as the
    database does, 点検実施年度 ``2024年度``; 架設年度 is empty when the year is unknown
    (one bridge in about 60, as in real exports).  Two bridges that were never rated
    carry ``5.0`` (未点検).  措置状況 follows the rating: none needed for I/II, started or
    completed for III/IV.
    """
    pts = to_lonlat(bridges)
    name_of = dict(zip(munis["municipality_code"], munis["municipality_name"]))
    office = {"prefecture": f"{PREF_NAME}土木事務所", "municipality": "建設課"}
    kubun = {"national": "国", "prefecture": "都道府県", "municipality": "市区町村"}
    unrated = set(rng.choice(len(bridges), size=2, replace=False).tolist())
    rows = []
    for k, r in enumerate(bridges.itertuples()):
        muni = name_of[r.municipality_code]
        manager_name = PREF_NAME if r.manager == "prefecture" else muni
        footbridge = bool(getattr(r, "footbridge", False))
        built = "" if rng.random() < 1 / 60 else str(int(r.built_year))
        rating = int(r.rating)
        if rating <= 2:
            measure = "措置不要"
        else:
            measure = "措置完了済み" if rng.random() < 0.2 else "措置着手済み"
        rows.append({
            "ID": r.bridge_id,
            "種類": "横断歩道橋" if footbridge else "道路橋",
            "橋名": r.name,
            "フリガナ": "",
            "路線名": r.route_name,
            "区分": kubun[r.manager],
            "管理者名": manager_name,
            "管理事務所名": (muni + office["municipality"] if r.manager == "municipality"
                         else office["prefecture"]),
            "都道府県名": PREF_NAME,
            "市町村名": muni,
            "緯度": f"{pts.geometry.y.iat[k]:.6f}",
            "経度": f"{pts.geometry.x.iat[k]:.6f}",
            "架設年度": built,
            "橋長": f"{r.length_m:.1f}",
            "幅員": f"{r.width_m:.1f}",
            "点検実施年度": f"{int(r.last_inspection_year)}年度",
            "判定区分": "5.0" if k in unrated else f"{rating:.1f}",
            "措置状況": "" if k in unrated else measure,
            # the town hall's own columns, appended to its copy of the export
            "通学路": "○" if r.school_route else "",
            "バス路線": "○" if r.bus_route else "",
            "交通量(台/日)": str(int(r.aadt)),
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------- N03
def n03_layer(munis: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """N03 of the 2023 vintage: one row per polygon, N03_001 .. N03_007, EPSG:6668, and a
    所属未定地 row (N03_007 empty) for a quay reclaimed off 湊川市's harbour."""
    polys = to_lonlat(munis).explode(index_parts=False).reset_index(drop=True)
    polys["area"] = polys.to_crs(munis.crs).area
    polys = polys.sort_values(["municipality_code", "area"], ascending=[True, False])
    gun = {"town": "郡", "village": "郡"}
    rows = [{"N03_001": PREF_NAME, "N03_002": None,
             "N03_003": (_gun_name(r.municipality_name) if gun.get(r.kind) else None),
             "N03_004": r.municipality_name, "N03_005": None, "N03_007": r.municipality_code,
             "geometry": r.geometry} for r in polys.itertuples()]
    # 所属未定地: a 150 m x 90 m reclaimed quay just off the coast of 湊川市
    city = munis[munis["municipality_code"] == "99201"].geometry.iloc[0]
    coast = shapely.get_coordinates(city.boundary)
    south = coast[np.argmin(coast[:, 1])]
    quay = gpd.GeoSeries([box(south[0] - 75, south[1] - 160, south[0] + 75, south[1] - 70)],
                         crs=munis.crs).to_crs(CRS_LONLAT).iloc[0]
    rows.append({"N03_001": PREF_NAME, "N03_002": None, "N03_003": None,
                 "N03_004": "所属未定地", "N03_005": None, "N03_007": None, "geometry": quay})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS_LONLAT)


def _gun_name(muni_name: str) -> str:
    """The 郡 of a town or village of the sample (its N03_003)."""
    return {"西岡町": "岡田郡", "奥谷村": "岡田郡", "汐島町": "汐島郡"}.get(muni_name, "湊川郡")


# ------------------------------------------------------------- future population mesh
def mesh_code_500m(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """JIS X 0410 1/2 地域メッシュ (500 m) codes, 9 digits, of points in lon/lat degrees.

    1次: 40' of latitude x 1 degree of longitude; 2次: 8 x 8 inside it; 3次: 10 x 10 inside
    that (30" x 45"); 1/2: 2 x 2 numbered 1 SW, 2 SE, 3 NW, 4 NE.
    """
    y = lat * 1.5
    x = lon - 100.0
    p, u = np.floor(y).astype(int), np.floor(x).astype(int)
    y2, x2 = (y - p) * 8, (x - u) * 8
    q, v = np.floor(y2).astype(int), np.floor(x2).astype(int)
    y3, x3 = (y2 - q) * 10, (x2 - v) * 10
    r, w = np.floor(y3).astype(int), np.floor(x3).astype(int)
    half = 1 + (np.floor((y3 - r) * 2).astype(int) * 2) + np.floor((x3 - w) * 2).astype(int)
    return np.array([f"{a:02d}{b:02d}{c}{d}{e}{f}{g}" for a, b, c, d, e, f, g
                     in zip(p, u, q, v, r, w, half)])


def mesh_box_500m(code: str):
    """The lon/lat box of a 9-digit 500 m mesh code."""
    p, u, q, v, r, w, h = (int(code[0:2]), int(code[2:4]), int(code[4]), int(code[5]),
                           int(code[6]), int(code[7]), int(code[8]))
    lat0 = p / 1.5 + q * (5 / 60) + r * (30 / 3600) + ((h - 1) // 2) * (15 / 3600)
    lon0 = 100 + u + v * (7.5 / 60) + w * (45 / 3600) + ((h - 1) % 2) * (22.5 / 3600)
    return box(lon0, lat0, lon0 + 22.5 / 3600, lat0 + 15 / 3600)


def future_population_mesh(population_tif: Path, munis: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 250 m raster summed into 500 m mesh cells per municipality, with the estimate
    PTN_2020 .. PTN_2070.

    PTN_2020 is the raster's population.  The change to 2050 is the municipality kind's
    (``CHANGE_2050``), plus ``SPARSE_EXTRA`` for a mesh under 20 people (the valleys
    empty fastest) or ``SUBURB_EXTRA`` for a city mesh of 200 to 1,000 people (suburbs
    grow); the change runs linearly in time and continues at the same yearly rate to 2070.
    """
    import rasterio
    with rasterio.open(population_tif) as src:
        arr = src.read(1)
        nodata = src.nodata
        rows, cols = np.nonzero((arr > 0) & (arr != nodata))
        xs, ys = rasterio.transform.xy(src.transform, rows, cols)
        val = arr[rows, cols].astype(float)
        crs = src.crs
    cells = gpd.GeoDataFrame({"pop": val}, geometry=gpd.points_from_xy(xs, ys), crs=crs)
    cells = gpd.sjoin(cells, munis[["municipality_code", "kind", "geometry"]].to_crs(crs),
                      how="left", predicate="within").drop(columns="index_right")
    cells = cells.dropna(subset=["municipality_code"])
    ll = cells.to_crs(CRS_LONLAT)
    cells["MESH_ID"] = mesh_code_500m(ll.geometry.x.to_numpy(), ll.geometry.y.to_numpy())
    mesh = cells.groupby(["MESH_ID", "municipality_code", "kind"], as_index=False)["pop"].sum()
    mesh = mesh.sort_values(["MESH_ID", "municipality_code"]).reset_index(drop=True)
    change = mesh["kind"].map(CHANGE_2050).to_numpy(float)
    change = change + np.where(mesh["pop"] < 20, SPARSE_EXTRA, 0.0)
    change = change + np.where((mesh["kind"] == "city") & mesh["pop"].between(200, 1000),
                               SUBURB_EXTRA, 0.0)
    per_year = change / 30.0
    out = {"MESH_ID": mesh["MESH_ID"], "SHICODE": mesh["municipality_code"]}
    for year in FUTURE_YEARS:
        factor = np.clip(1.0 + per_year * (year - BASE_YEAR), 0.0, None)
        out[f"PTN_{year}"] = np.round(mesh["pop"].to_numpy() * factor, 3)
    geoms = [mesh_box_500m(c) for c in mesh["MESH_ID"]]
    return gpd.GeoDataFrame(out, geometry=geoms, crs=CRS_LONLAT)


# ------------------------------------------------------------------- facilities (KSJ)
def ksj_facilities(facilities: gpd.GeoDataFrame, munis: gpd.GeoDataFrame):
    """P04 医療機関, P29 学校 and P02 公共施設 layers of the canonical facilities."""
    pts = to_lonlat(facilities)
    name_of = dict(zip(munis["municipality_code"], munis["municipality_name"]))
    address = [f"{PREF_NAME}{name_of[c]}" for c in pts["municipality_code"]]
    is_h = (pts["facility_type"] == "hospital").to_numpy()
    is_s = (pts["facility_type"] == "school").to_numpy()
    is_p = np.isin(pts["facility_type"], ["office", "fire_station"])
    hosp = pts[is_h]
    p04 = gpd.GeoDataFrame({
        "P04_001": ["1" if "病院" in n else "2" for n in hosp["name"]],   # 1 病院, 2 診療所
        "P04_002": hosp["name"].to_numpy(),
        "P04_003": np.array(address)[is_h],
    }, geometry=hosp.geometry.to_numpy(), crs=CRS_LONLAT)
    sch = pts[is_s]
    level = ["16014" if "小中" in n else "16002" if "中学" in n else "16004" if "高" in n
             else "16001" for n in sch["name"]]
    p29 = gpd.GeoDataFrame({
        "P29_001": sch["municipality_code"].to_numpy(),                    # 行政区域コード
        "P29_002": [f"B1{c}{i:06d}" for i, c in enumerate(sch["municipality_code"])],
        "P29_003": level,                                                  # 学校分類コード
        "P29_004": sch["name"].to_numpy(),
        "P29_005": np.array(address)[is_s],
        "P29_006": ["3"] * len(sch),                                       # 管理者: 市町村
        "P29_007": ["1"] * len(sch),                                       # 休校区分: 1 開校
    }, geometry=sch.geometry.to_numpy(), crs=CRS_LONLAT)
    pub = pts[is_p]
    p02 = gpd.GeoDataFrame({
        "P02_001": pub["municipality_code"].to_numpy(),                    # 行政区域コード
        # 公共施設大分類 12 地方公共団体 (小分類 12002 市役所 / 12004 町村役場), 15 消防署
        "P02_002": ["12" if t == "office" else "15" for t in pub["facility_type"]],
        "P02_003": [("12002" if n.endswith("市役所") else "12004") if t == "office" else "15001"
                    for t, n in zip(pub["facility_type"], pub["name"])],
        "P02_004": pub["name"].to_numpy(),
        "P02_005": np.array(address)[is_p],
    }, geometry=pub.geometry.to_numpy(), crs=CRS_LONLAT)
    return p04, p29, p02


# -------------------------------------------------------------------------------- N10
def n10_layer(roads: gpd.GeoDataFrame, bridges: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The emergency transport roads: every road of a route that the canonical bridges mark
    ``emergency_route``, merged per route; national routes 第1次, prefectural 第2次."""
    routes = sorted(set(bridges.loc[bridges["emergency_route"].astype(bool), "route_name"]))
    rows = []
    for name in routes:
        lines = roads.loc[roads["route_name"] == name, "geometry"]
        merged = shapely.line_merge(shapely.union_all(lines.to_numpy()))
        tier = 1 if name.startswith("国道") else 2
        rows.append({"N10_001": PREF_CODE, "N10_002": name, "N10_003": TIER_JA[tier],
                     "N10_004": "一般国道" if tier == 1 else "主要地方道・一般県道",
                     "geometry": merged})
    return to_lonlat(gpd.GeoDataFrame(rows, geometry="geometry", crs=roads.crs))


# ----------------------------------------------------------------------------- write
def write_layouts(folder: Path, out: Path | None = None, verbose: bool = True) -> dict:
    """Read the canonical sample files in ``folder`` and write the real-data layouts to
    ``out`` (default: the same folder).  Returns ``{kind: path}``."""
    out = Path(out or folder)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    munis = gpd.read_file(folder / "municipalities.gpkg")
    bridges = gpd.read_file(folder / "bridges.gpkg").sort_values("bridge_id").reset_index(drop=True)
    facilities = gpd.read_file(folder / "facilities.gpkg")
    roads = gpd.read_file(folder / "roads.gpkg")

    table = inspection_db_table(bridges, munis, rng)
    path = out / FILES["bridges"]
    text = table.to_csv(sep="\t", index=False, lineterminator="\r\n")
    path.write_bytes(text.encode("cp932"))

    n03 = n03_layer(munis)
    shp = _clear_shapefile(out / FILES["municipalities"])
    n03.to_file(shp, driver="ESRI Shapefile", engine="pyogrio", encoding="cp932")
    shp.with_suffix(".cpg").unlink(missing_ok=True)     # the 2023 files come without one

    mesh = future_population_mesh(folder / "population_250m.tif", munis)
    mshp = _clear_shapefile(out / FILES["population"])
    mesh.to_file(mshp, driver="ESRI Shapefile", engine="pyogrio")

    p04, p29, p02 = ksj_facilities(facilities, munis)
    for frame, key in ((p04, "hospitals"), (p29, "schools"), (p02, "public_facilities")):
        _write_geojson(frame, out / FILES[key])
    _write_geojson(n10_layer(roads, bridges), out / FILES["emergency_routes"])
    if verbose:
        print(f"real-data layouts: {len(table)} bridges, {len(n03)} N03 rows, {len(mesh)} mesh "
              f"cells ({mesh['PTN_2020'].sum():,.0f} people in 2020, "
              f"{mesh['PTN_2050'].sum():,.0f} in 2050), {len(p04)} + {len(p29)} + {len(p02)} "
              f"facilities")
    return {k: out / v for k, v in FILES.items()}


def _clear_shapefile(shp: Path) -> Path:
    """Remove a shapefile's files (so no stale ``.cpg`` stays beside a new one)."""
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        shp.with_suffix(ext).unlink(missing_ok=True)
    return shp


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio",
                  layer_options={"COORDINATE_PRECISION": 7, "RFC7946": "NO"})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    ap.add_argument("--folder", type=Path, default=here,
                    help="folder of the canonical sample files (default: this script's)")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: --folder)")
    args = ap.parse_args(argv)
    write_layouts(args.folder, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
