"""Choosing the metric CRS of a run: a JGD2011 plane rectangular zone in Japan, UTM elsewhere.

The 19 plane rectangular coordinate systems (平面直角座標系, zones I..XIX) are
EPSG:6669..6687 on JGD2011.  The zone of a place is fixed by law per prefecture
(and, in Hokkaido, Tokyo, Okinawa and Kagoshima, per area).  The rule used here
(documented in docs/loading.md):

1. A prefecture code (the first two digits of a municipality code) gives the
   zone directly, except for the four prefectures that span several zones.
2. Otherwise, and for those four, the zone comes from the longitude/latitude of
   the data's centre: Hokkaido (north of 41.6 N, or of 41.35 N west of 140.6 E),
   Okinawa, Tokyo's islands and Kagoshima's southern islands by longitude/latitude
   boxes; elsewhere the prefecture whose capital (県庁所在地) is nearest decides.
3. Outside Japan (longitude 122..154 E, latitude 20..46 N) the WGS 84 UTM zone is
   used (EPSG:326xx north, 327xx south).
"""
from __future__ import annotations

import math

from .errors import InputError

JAPAN_BOUNDS_LONLAT = (122.0, 20.0, 154.0, 46.0)   # lon_min, lat_min, lon_max, lat_max

#: zone number (1..19) -> EPSG code of JGD2011 / Japan Plane Rectangular CS
ZONE_EPSG = {zone: 6668 + zone for zone in range(1, 20)}

#: prefecture code -> (name, capital lon, capital lat, zone or None when split)
PREFECTURES = {
    "01": ("北海道", 141.35, 43.06, None), "02": ("青森県", 140.74, 40.82, 10),
    "03": ("岩手県", 141.15, 39.70, 10), "04": ("宮城県", 140.87, 38.27, 10),
    "05": ("秋田県", 140.10, 39.72, 10), "06": ("山形県", 140.36, 38.24, 10),
    "07": ("福島県", 140.47, 37.75, 9), "08": ("茨城県", 140.45, 36.34, 9),
    "09": ("栃木県", 139.88, 36.57, 9), "10": ("群馬県", 139.06, 36.39, 9),
    "11": ("埼玉県", 139.65, 35.86, 9), "12": ("千葉県", 140.12, 35.61, 9),
    "13": ("東京都", 139.69, 35.69, None), "14": ("神奈川県", 139.64, 35.45, 9),
    "15": ("新潟県", 139.02, 37.90, 8), "16": ("富山県", 137.21, 36.70, 7),
    "17": ("石川県", 136.63, 36.59, 7), "18": ("福井県", 136.22, 36.07, 6),
    "19": ("山梨県", 138.57, 35.66, 8), "20": ("長野県", 138.18, 36.65, 8),
    "21": ("岐阜県", 136.72, 35.39, 7), "22": ("静岡県", 138.38, 34.98, 8),
    "23": ("愛知県", 136.91, 35.18, 7), "24": ("三重県", 136.51, 34.73, 6),
    "25": ("滋賀県", 135.87, 35.00, 6), "26": ("京都府", 135.76, 35.02, 6),
    "27": ("大阪府", 135.52, 34.69, 6), "28": ("兵庫県", 135.18, 34.69, 5),
    "29": ("奈良県", 135.83, 34.69, 6), "30": ("和歌山県", 135.17, 34.23, 6),
    "31": ("鳥取県", 134.24, 35.50, 5), "32": ("島根県", 133.05, 35.47, 3),
    "33": ("岡山県", 133.93, 34.66, 5), "34": ("広島県", 132.46, 34.40, 3),
    "35": ("山口県", 131.47, 34.19, 3), "36": ("徳島県", 134.56, 34.07, 4),
    "37": ("香川県", 134.04, 34.34, 4), "38": ("愛媛県", 132.77, 33.84, 4),
    "39": ("高知県", 133.53, 33.56, 4), "40": ("福岡県", 130.42, 33.61, 2),
    "41": ("佐賀県", 130.30, 33.25, 2), "42": ("長崎県", 129.87, 32.74, 1),
    "43": ("熊本県", 130.74, 32.79, 2), "44": ("大分県", 131.61, 33.24, 2),
    "45": ("宮崎県", 131.42, 31.91, 2), "46": ("鹿児島県", 130.56, 31.56, None),
    "47": ("沖縄県", 127.68, 26.21, None),
}


def epsg_for_zone(zone: int) -> str:
    """``"EPSG:66xx"`` of plane rectangular zone ``zone`` (1..19)."""
    if zone not in ZONE_EPSG:
        raise ValueError(f"plane rectangular zone must be 1..19, got {zone}")
    return f"EPSG:{ZONE_EPSG[zone]}"


def in_japan(lon: float, lat: float) -> bool:
    """True when (lon, lat) in degrees lies in Japan's bounding box (122..154 E, 20..46 N)."""
    x0, y0, x1, y1 = JAPAN_BOUNDS_LONLAT
    return x0 <= lon <= x1 and y0 <= lat <= y1


def utm_crs(lon: float, lat: float) -> str:
    """WGS 84 / UTM zone of a point in degrees: ``"EPSG:326zz"`` (north) or ``"EPSG:327zz"``."""
    zone = int(math.floor((lon + 180.0) / 6.0)) % 60 + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _split_prefecture_zone(pref: str, lon: float, lat: float) -> int:
    """Zone inside the prefectures that span several zones (approximate boxes)."""
    if pref == "01":   # Hokkaido: XI west (渡島, 檜山, 後志, 胆振西部), XII centre, XIII east
        if lon < 141.2:
            return 11
        return 12 if lon < 142.9 else 13
    if pref == "47":   # Okinawa: XVI 先島 (west of 126 E), XVII 大東 (east of 130 E), XV main
        if lon < 126.0:
            return 16
        return 17 if lon > 130.0 else 15
    if pref == "13":   # Tokyo: IX main and Izu islands, XIV 小笠原, XVIII 沖ノ鳥島, XIX 南鳥島
        if lat >= 28.0:
            return 9
        if lon > 150.0:
            return 19
        if lat < 22.0:
            return 18
        return 14
    if pref == "46":   # Kagoshima: I for the western/southern islands (甑島, 奄美), II mainland
        if lat < 29.0 or (lat < 32.0 and lon < 130.0):
            return 1
        return 2
    raise ValueError(f"prefecture {pref} has a single zone")


def zone_for_prefecture(pref_code: str, lon: float | None = None, lat: float | None = None) -> int:
    """Plane rectangular zone (1..19) of a prefecture code (``"01"``..``"47"``).

    Hokkaido (01), Tokyo (13), Kagoshima (46) and Okinawa (47) span several zones:
    for them ``lon``/``lat`` (degrees) are needed.
    """
    pref_code = str(pref_code).zfill(2)[:2]
    if pref_code not in PREFECTURES:
        raise ValueError(f"'{pref_code}' is not a prefecture code (01..47)")
    zone = PREFECTURES[pref_code][3]
    if zone is not None:
        return zone
    if lon is None or lat is None:
        raise ValueError(f"{PREFECTURES[pref_code][0]} spans several zones: give lon/lat too")
    return _split_prefecture_zone(pref_code, lon, lat)


def nearest_prefecture(lon: float, lat: float) -> str:
    """Prefecture code whose capital is nearest to (lon, lat) in degrees (cos(lat)-scaled)."""
    k = math.cos(math.radians(lat))
    return min(PREFECTURES, key=lambda c: ((PREFECTURES[c][1] - lon) * k) ** 2
               + (PREFECTURES[c][2] - lat) ** 2)


def _far_south_zone(lon: float, lat: float) -> int | None:
    """Zones decided by a box before the nearest-capital rule (south of 30.5 N)."""
    if lat >= 30.5:
        return None
    if lon > 150.0:
        return 19                                   # 南鳥島
    if lat < 22.0 and lon > 134.0:
        return 18                                   # 沖ノ鳥島
    if lon > 140.0:
        return 14                                   # 小笠原
    if lon > 130.8 and lat < 27.0:
        return 17                                   # 大東諸島
    if lon < 126.0:
        return 16                                   # 先島諸島
    if lat < 27.2:
        return 15                                   # 沖縄本島 and around
    if lon <= 130.0 or (lat < 28.6 and lon <= 130.22):
        return 1                                    # 奄美群島, トカラ列島 (鹿児島県, zone I)
    return 2                                        # 屋久島, 種子島 (鹿児島県, zone II)


def choose_plane_rectangular_zone(lon: float, lat: float, prefecture_code: str | None = None) -> str:
    """The metric CRS for data centred at (lon, lat), in degrees (JGD2011 / WGS 84).

    Parameters
    ----------
    lon, lat : float
        Centre of the data, degrees.
    prefecture_code : str, optional
        Two-digit prefecture code (first two digits of the municipality codes).
        When given and valid it decides the zone (rule 1 of the module docstring).

    Returns
    -------
    str
        ``"EPSG:6669"``..``"EPSG:6687"`` inside Japan, a WGS 84 UTM zone outside.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InputError("cannot choose a metric CRS: the data has no finite coordinates; "
                         "fix: check the layers' geometry, or name the CRS ([io] target_crs)")
    if not in_japan(lon, lat):
        return utm_crs(lon, lat)
    if prefecture_code is not None and str(prefecture_code)[:2].zfill(2) in PREFECTURES:
        return epsg_for_zone(zone_for_prefecture(str(prefecture_code)[:2].zfill(2), lon, lat))
    zone = _far_south_zone(lon, lat)
    if zone is not None:
        return epsg_for_zone(zone)
    if lat < 34.6 and 139.1 <= lon <= 140.4:
        return epsg_for_zone(9)                     # 伊豆諸島 (東京都)
    if lon >= 139.3 and (lat > 41.6 or (lat > 41.35 and lon < 140.6)):
        return epsg_for_zone(_split_prefecture_zone("01", lon, lat))   # 北海道
    pref = nearest_prefecture(lon, lat)
    if PREFECTURES[pref][3] is None and pref == "47":
        pref = "46"   # north of 30.5 N the nearest-capital rule never means Okinawa
    return epsg_for_zone(zone_for_prefecture(pref, lon, lat))


def is_projected_metric(crs) -> bool:
    """True when ``crs`` is a projected CRS whose axis unit is the metre."""
    from pyproj import CRS
    crs = CRS.from_user_input(crs)
    if not crs.is_projected:
        return False
    return all(axis.unit_name in ("metre", "meter") for axis in crs.axis_info)


def check_target_crs(crs, source: str = "settings [io] target_crs") -> str:
    """Validate a user-named target CRS: it must exist and be projected in metres.

    Returns the CRS as ``"EPSG:nnnn"`` when it has an EPSG code, else as WKT.
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        raise InputError(f"'{crs}' is not a known CRS; name one such as EPSG:6673 "
                         "(JGD2011 plane rectangular zone V)", source=source) from None
    if not is_projected_metric(parsed):
        raise InputError(f"'{crs}' is not a projected CRS in metres; distances need one, "
                         "e.g. a JGD2011 plane rectangular zone EPSG:6669..6687", source=source)
    epsg = parsed.to_epsg()
    return f"EPSG:{epsg}" if epsg else parsed.to_wkt()


def lonlat_centre(frames) -> tuple[float, float]:
    """Centre (lon, lat) in degrees of the union of the bounds of GeoDataFrames with a CRS."""
    from pyproj import Transformer
    xs, ys = [], []
    for gdf in frames:
        if gdf is None or len(gdf) == 0 or gdf.crs is None:
            continue
        geoms = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
        if len(geoms) == 0:
            continue
        x0, y0, x1, y1 = geoms.total_bounds
        tr = Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
        for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
            lon, lat = tr.transform(x, y)
            xs.append(lon)
            ys.append(lat)
    if not xs:
        raise InputError("cannot choose a metric CRS: no layer has located features (only "
                         "tables or rasters were given); fix: add a vector layer, or name the "
                         "CRS ([io] target_crs = \"EPSG:6677\" in run.toml)")
    return (min(xs) + max(xs)) / 2.0, (min(ys) + max(ys)) / 2.0


def choose_metric_crs(frames, prefecture_codes=None) -> str:
    """The metric CRS for a set of GeoDataFrames (each in its own CRS).

    ``prefecture_codes`` (an iterable of municipality or prefecture codes) decides the
    zone when most of them share one prefecture; otherwise the centre of the data does
    (see ``choose_plane_rectangular_zone``).
    """
    lon, lat = lonlat_centre(frames)
    pref = None
    if prefecture_codes is not None:
        from collections import Counter
        counts = Counter(str(c)[:2] for c in prefecture_codes
                         if c is not None and str(c)[:2] in PREFECTURES)
        if counts:
            top, n = counts.most_common(1)[0]
            if n > 0.5 * sum(counts.values()):
                pref = top
    return choose_plane_rectangular_zone(lon, lat, pref)
