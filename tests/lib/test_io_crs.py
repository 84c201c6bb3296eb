"""Choosing the JGD2011 plane rectangular zone (expected zones from the official table)."""
import geopandas as gpd
import pytest
import shapely

from gunmane_geo import crs
from gunmane_geo.errors import InputError


@pytest.mark.parametrize("name, lon, lat, epsg", [
    ("長崎", 129.87, 32.74, 6669), ("奄美", 129.50, 28.38, 6669), ("福岡", 130.40, 33.60, 6670),
    ("屋久島", 130.50, 30.35, 6670), ("広島", 132.46, 34.40, 6671), ("高知", 133.53, 33.56, 6672),
    ("岡山", 133.93, 34.66, 6673), ("大阪", 135.50, 34.70, 6674), ("名古屋", 136.90, 35.18, 6675),
    ("新潟", 139.02, 37.90, 6676), ("東京", 139.69, 35.69, 6677), ("八丈島", 139.80, 33.10, 6677),
    ("仙台", 140.87, 38.27, 6678), ("大間", 140.91, 41.53, 6678), ("函館", 140.73, 41.77, 6679),
    ("札幌", 141.35, 43.06, 6680), ("釧路", 144.38, 42.98, 6681), ("父島", 142.19, 27.09, 6682),
    ("那覇", 127.68, 26.21, 6683), ("石垣", 124.16, 24.34, 6684), ("南大東", 131.23, 25.83, 6685),
    ("沖ノ鳥島", 136.08, 20.42, 6686), ("南鳥島", 153.98, 24.28, 6687),
])
def test_zone_by_location(name, lon, lat, epsg):
    assert crs.choose_plane_rectangular_zone(lon, lat) == f"EPSG:{epsg}", name


def test_prefecture_code_wins_and_utm_outside_japan():
    # a point on the 兵庫/岡山 border: the prefecture code decides
    assert crs.choose_plane_rectangular_zone(134.3, 34.9, "33") == "EPSG:6673"   # 岡山 zone V
    assert crs.choose_plane_rectangular_zone(134.3, 34.9, "37") == "EPSG:6672"   # 香川 zone IV
    assert crs.choose_plane_rectangular_zone(26.95, 60.53) == "EPSG:32635"       # Finland
    assert crs.choose_plane_rectangular_zone(-74.0, -40.0) == "EPSG:32718"
    assert crs.utm_crs(3.0, 10.0) == "EPSG:32631"


def test_choose_metric_crs_from_frames():
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(133.9, 34.7), shapely.Point(134.0, 34.8)],
                           crs="EPSG:6668")
    assert crs.choose_metric_crs([pts]) == "EPSG:6673"
    assert crs.choose_metric_crs([pts.to_crs(6677)]) == "EPSG:6673"   # any source CRS
    # 8 of 10 codes in 香川 (37): the prefecture decides
    assert crs.choose_metric_crs([pts], ["37201"] * 8 + ["33101"] * 2) == "EPSG:6672"


def test_check_target_crs():
    assert crs.check_target_crs("EPSG:6673") == "EPSG:6673"
    with pytest.raises(InputError, match="not a projected CRS in metres"):
        crs.check_target_crs("EPSG:4326")
    with pytest.raises(InputError, match="not a known CRS"):
        crs.check_target_crs("EPSG:999999")
