"""Writes the small hand-crafted inputs of tests/lib/test_io*.py (run once; the files are
committed).  Every value and its expected outcome is listed in tests/data/README.md."""
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

HERE = Path(__file__).resolve().parent

BROKEN_HEADER = "橋梁ID,橋梁名,路線名,道路種別,橋長(m),幅員(m),架設年度,判定区分,点検年度,緯度,経度,緊急輸送道路"
BROKEN_ROWS = [
    "B001,一の橋,市道1号線,市道,12.5,6.0,昭和45年,Ⅱ,令和元年度,34.700,133.900,○",
    "B002,二の橋,県道5号線,県道,30,8,S50,III,R3,34.710,133.910,×",
    "B002,重複橋,市道2号線,市道,10,4,1980,I,2020,34.720,133.920,",
    ",無名橋,市道3号線,市道,8,4,1985,I,2020,34.730,133.930,",
    "B005,負の橋,市道4号線,町道,-5,5,H2年度,I,2021,34.740,133.940,",
    "B006,未来橋,市道5号線,村道,10,4,3000,II,2021,34.750,133.950,",
    "B007,七の橋,市道6号線,市町村道,10,4,1980,7,2021,34.760,133.960,",
    "B008,逆橋,市道7号線,市道,20,5,1990,I,2022,133.970,34.770,",
    "B009,空橋,市道8号線,市道,20,5,1990,I,2022,,,",
    "B010,謎橋,市道9号線,市道,20,5,昭和ぐらい,I,2022,34.790,133.990,",
    "B011,十一橋,国道2号,国道,１２．５,10,昭和四十五年,Ⅲ（早期措置段階）,2023,34.800,134.000,有",
    "B012,遠い橋,市道10号線,市道,20,5,1990,I,2022,10.0,10.0,",
    "B013,十三橋,県道8号線,都道府県道,40,7,平成元年度,4,2023,34.820,134.020,第1次",
]


def broken_inventory():
    text = "\r\n".join([BROKEN_HEADER] + BROKEN_ROWS) + "\r\n"
    (HERE / "bridges_broken_cp932.csv").write_bytes(text.encode("cp932"))


def utf8_bom_inventory():
    text = ("bridge_id,name,length,width,year_built,rating,lat,lon\n"
            "U1,Alpha,10,5,1970,I,34.70,133.90\n"
            "U2,Beta,20,4,H10,IV,34.71,133.91\n")
    (HERE / "bridges_utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    # x/y in JGD2011 zone V (EPSG:6673): needs source_crs
    (HERE / "bridges_xy.csv").write_text("id,x,y,橋長\nX1,-5000.5,-33000.25,15\n", encoding="utf-8")


def n03_municipalities():
    sq = lambda x0, y0, d: shapely.box(x0, y0, x0 + d, y0 + d)   # noqa: E731
    bowtie = shapely.Polygon([(133.90, 34.60), (133.92, 34.62), (133.92, 34.60), (133.90, 34.62)])
    rows = [
        ("岡山県", None, None, "甲市", "99201", sq(133.80, 34.60, 0.05)),
        ("岡山県", None, None, "甲市", "99201", sq(133.86, 34.60, 0.01)),   # island
        ("岡山県", None, "乙郡", "乙町", "99202", bowtie),                     # invalid
        ("岡山県", None, None, "所属未定地", None, sq(133.95, 34.60, 0.01)),
        ("岡山県", None, "丙市", "北区", "99101", sq(133.80, 34.66, 0.05)),
    ]
    gdf = gpd.GeoDataFrame(
        {"N03_001": [r[0] for r in rows], "N03_002": [r[1] for r in rows],
         "N03_003": [r[2] for r in rows], "N03_004": [r[3] for r in rows],
         "N03_007": [r[4] for r in rows]},
        geometry=[r[5] for r in rows], crs="EPSG:6668")
    path = HERE / "n03_sample.geojson"
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(gdf, path, driver="GeoJSON")


def roads_geometry_cases():
    geoms = [
        shapely.MultiLineString([[(0, 0), (100, 0)], [(100, 0), (200, 0)]]),   # merges
        shapely.MultiLineString([[(0, 100), (100, 100)], [(300, 100), (400, 100)]]),  # 2 parts
        shapely.LineString([(0, 200, 5), (100, 200, 6)]),                     # Z dropped
        shapely.LineString([(0, 300), (0, 300)]),                             # zero length
        None,                                                                 # no geometry
    ]
    gdf = gpd.GeoDataFrame({"路線名": ["A線", "B線", "C線", "D線", "E線"],
                            "道路種別": ["市道", "県道", "国道", "町道", "市道"],
                            "id": ["a", "b", "c", "d", "e"]},
                           geometry=geoms, crs="EPSG:6673")
    path = HERE / "roads_cases.gpkg"
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(gdf, path, layer="roads", geometry_type="Unknown",
                            promote_to_multi=False)
    # the same roads without a CRS (Shapefile without .prj)
    nocrs = gdf.iloc[[2]][["id", "geometry"]].set_crs(None, allow_override=True)
    shp = HERE / "roads_nocrs.shp"
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        shp.with_suffix(suffix).unlink(missing_ok=True)
    pyogrio.write_dataframe(nocrs, shp)
    shp.with_suffix(".prj").unlink(missing_ok=True)
    # an empty bridges layer
    empty = gpd.GeoDataFrame({"bridge_id": []}, geometry=gpd.GeoSeries([], crs="EPSG:6673"))
    epath = HERE / "bridges_empty.gpkg"
    epath.unlink(missing_ok=True)
    pyogrio.write_dataframe(empty, epath, layer="bridges", geometry_type="Point")


def shapefiles_without_cpg():
    """The same 2 bridges as CP932 and as UTF-8 Shapefiles, both without .cpg; plus a
    FlatGeobuf copy."""
    gdf = gpd.GeoDataFrame({"橋梁ID": ["S1", "S2"], "橋梁名": ["一の橋", "二の橋"],
                            "判定区分": ["Ⅲ", "I"]},
                           geometry=[shapely.Point(-40000, -144000), shapely.Point(-39000, -143000)],
                           crs="EPSG:6673")
    for name, encoding in (("bridges_shp_cp932", "cp932"), ("bridges_shp_utf8", "utf-8")):
        shp = HERE / f"{name}.shp"
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            shp.with_suffix(suffix).unlink(missing_ok=True)
        pyogrio.write_dataframe(gdf, shp, encoding=encoding)
        shp.with_suffix(".cpg").unlink(missing_ok=True)
        dbf = bytearray(shp.with_suffix(".dbf").read_bytes())
        dbf[29] = 0                     # no language driver id: the reader must detect
        shp.with_suffix(".dbf").write_bytes(bytes(dbf))
    fgb = HERE / "bridges.fgb"
    fgb.unlink(missing_ok=True)
    pyogrio.write_dataframe(gdf, fgb)


if __name__ == "__main__":
    shapefiles_without_cpg()
    broken_inventory()
    utf8_bom_inventory()
    n03_municipalities()
    roads_geometry_cases()
