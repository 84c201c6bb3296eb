"""Canonical field names for every layer kind, and their Japanese/English aliases.

Every loader maps the user's columns onto these names; every analysis reads only
these names.  The table is documented in ``docs/schema.md``.

Conventions
-----------
* Distances in metres (``*_m``), areas in square metres (``*_m2``), times in
  minutes (``*_min``), money in yen (``*_yen``).
* ``municipality_code`` is the 5-digit 全国地方公共団体コード without check digit
  (e.g. ``"99201"``), always a string.
* ``rating`` is the 判定区分 as an integer 1..4 (I..IV); missing is ``<NA>``.
"""
from __future__ import annotations

# --- layer kinds -----------------------------------------------------------
LAYER_KINDS = (
    "municipalities", "roads", "bridges", "rivers", "railways",
    "facilities", "staff", "other_assets", "population", "emergency_routes",
)

# --- canonical fields per layer kind (name -> dtype description) -----------
BRIDGE_FIELDS = {
    "bridge_id": "str, unique",
    "name": "str (橋梁名)",
    "manager": "str: 'municipality' | 'prefecture' | 'national'",
    "manager_name": "str (管理者名), e.g. ○○市, ○○県, ○○国道事務所",
    "manager_code": "str, 5 digits: the municipality code of the manager, from manager_name "
                    "and the municipalities layer (load_region)",
    "municipality_code": "str, 5 digits",
    "structure_kind": "str: 'road_bridge' (道路橋) | 'pedestrian_bridge' (横断歩道橋) | other text",
    "footbridge": "bool: the structure is for pedestrians only (横断歩道橋, 歩道橋)",
    "road_class": "str: 'national' | 'prefectural' | 'municipal' | 'other'",
    "route_name": "str (路線名)",
    "built_year": "Int64, western year (和暦 converted)",
    "length_m": "float (橋長)",
    "width_m": "float (幅員)",
    "deck_area_m2": "float, length_m * width_m when not given",
    "rating": "Int64 1..4 (判定区分 I..IV)",
    "last_inspection_year": "Int64 (点検年度)",
    "measure_status": "str: 'not_needed' (措置不要) | 'not_started' (未着手) | 'started' "
                      "(措置着手済み) | 'completed' (措置完了済み) | other text (措置状況)",
    "aadt": "float, vehicles per day (交通量)",
    "emergency_route": "bool (緊急輸送道路)",
    "emergency_tier": "Int64 1..3, optional: 第1次..第3次緊急輸送道路 (an N10 layer in load_region)",
    "bus_route": "bool (バス路線)",
    "school_route": "bool (通学路)",
}
BRIDGE_REQUIRED = ("bridge_id",)

ROAD_FIELDS = {
    "road_id": "str, unique",
    "road_class": "str: 'national' | 'prefectural' | 'municipal' | 'other'",
    "route_name": "str",
    "speed_kmh": "float, optional (defaults per road_class in settings)",
    "oneway": "bool, optional: True means digitised direction only",
    "is_bridge": "bool",
    "is_tunnel": "bool",
    "layer": "Int64, vertical layer (OSM layer=*), 0 at grade",
    "width_m": "float, optional",
    "bridge_id": "str, optional: inventory id carried by this line",
    "municipality_code": "str, optional",
    "motor_vehicle": "bool, optional: False for footpaths, cycle paths, steps (no cars); "
                     "default True (docs/criticality.md, vehicles and walkers)",
    "walkable": "bool, optional: False where walking is not allowed (expressways); "
                "default True",
    "emergency_route": "bool, optional: on an emergency transport route 緊急輸送道路 (from an "
                       "N10 layer in load_region)",
    "emergency_tier": "Int64 1..3, optional: 第1次..第3次緊急輸送道路",
}
ROAD_REQUIRED = ()

#: road classes (raw values, before parsing) that cars may not use: OSM highway values and
#: their Japanese names in road ledgers (docs/criticality.md, "vehicles and walkers")
NON_MOTOR_CLASSES = frozenset({"footway", "path", "cycleway", "steps", "pedestrian",
                               "bridleway", "corridor", "via_ferrata", "trail", "歩道",
                               "自転車道", "自転車歩行者道", "歩行者専用道路", "自転車歩行者専用道路",
                               "歩行者道", "遊歩道"})
#: raw road classes that walkers may not use (OSM motorways; 高速自動車国道)
NO_WALK_CLASSES = frozenset({"motorway", "motorway_link", "高速自動車国道", "自動車専用道路"})


def closed_by_class(values, closed_classes):
    """Bool array: True where a raw road class (an OSM ``highway`` value or its Japanese
    name, before ``parse_road_class``) is in ``closed_classes`` (``NON_MOTOR_CLASSES`` for
    cars, ``NO_WALK_CLASSES`` for walkers).  Each distinct value is looked at once."""
    import numpy as np
    import pandas as pd
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    hit = np.array([isinstance(v, str) and v.strip().lower() in closed_classes for v in uniques]
                   + [False], dtype=bool)        # code -1 (missing) -> not closed
    return hit[codes]

MUNICIPALITY_FIELDS = {
    "municipality_code": "str, 5 digits (N03_007)",
    "municipality_name": "str (N03_004)",
    "prefecture_name": "str (N03_001), optional",
    "kind": "str: 'city' | 'town' | 'village', optional",
}
MUNICIPALITY_REQUIRED = ("municipality_code", "municipality_name")

FACILITY_FIELDS = {
    "facility_id": "str",
    "name": "str",
    "facility_type": "str: 'hospital' | 'school' | 'office' | 'fire_station' | other",
    "facility_subtype": "str, optional: e.g. 病院 / 診療所 / 歯科診療所, 小学校 / 中学校 "
                        "(KSJ P04 / P29 codes named)",
    "municipality_code": "str, optional",
}
FACILITY_REQUIRED = ("facility_type",)

STAFF_FIELDS = {
    "municipality_code": "str",
    "municipality_name": "str, optional",
    "technical_staff": "int (技術系職員数)",
}
STAFF_REQUIRED = ("municipality_code", "technical_staff")

OTHER_ASSET_FIELDS = {
    "asset_id": "str",
    "sector": "str: 'road' | 'river' | 'park' | 'sewer' | 'tunnel' | other",
    "asset_type": "str",
    "name": "str",
    "municipality_code": "str",
    "built_year": "Int64, optional",
    "inspection_hours": "float, optional, staff hours per year",
}
OTHER_ASSET_REQUIRED = ("asset_id", "sector")

POPULATION_POLYGON_FIELDS = {"population": "float, persons in the polygon"}

FIELDS = {
    "bridges": BRIDGE_FIELDS,
    "roads": ROAD_FIELDS,
    "municipalities": MUNICIPALITY_FIELDS,
    "facilities": FACILITY_FIELDS,
    "staff": STAFF_FIELDS,
    "other_assets": OTHER_ASSET_FIELDS,
    "population": POPULATION_POLYGON_FIELDS,
    "rivers": {"river_id": "str", "name": "str",
               "river_class": "str, optional: 区間種別 (一級直轄区間 / 一級指定区間 / 二級河川区間 / "
                              "指定区間外; KSJ W05_003 named)"},
    "railways": {"railway_id": "str", "name": "str"},
    "emergency_routes": {"route_id": "str", "name": "str (路線名)",
                         "emergency_tier": "Int64 1..3 (第1次..第3次緊急輸送道路)"},
}
REQUIRED = {
    "bridges": BRIDGE_REQUIRED,
    "roads": ROAD_REQUIRED,
    "municipalities": MUNICIPALITY_REQUIRED,
    "facilities": FACILITY_REQUIRED,
    "staff": STAFF_REQUIRED,
    "other_assets": OTHER_ASSET_REQUIRED,
    "population": ("population",),
    "rivers": (),
    "railways": (),
    "emergency_routes": (),
}

ROAD_CLASSES = ("national", "prefectural", "municipal", "other")
MANAGERS = ("national", "prefecture", "municipality")
FACILITY_TYPES = ("hospital", "school", "office", "fire_station")
RATING_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}
RATING_LABELS_JA = {1: "I 健全", 2: "II 予防保全段階", 3: "III 早期措置段階", 4: "IV 緊急措置段階"}


# ===========================================================================
# Column aliases and value parsers (loading; see docs/schema.md)
# ===========================================================================
# Known source column names -> canonical name, per layer kind.  Matching is on
# the *normalised* name (``normalize_column_name``: NFKC, lower case, units in
# brackets and spaces/underscores removed), so "橋長（ｍ）", "橋長(m)" and
# "橋長" all match "橋長".  Earlier aliases win when a file has several.
_MUNI_CODE_ALIASES = ("municipality_code", "N03_007", "市町村コード", "市区町村コード",
                      "団体コード", "全国地方公共団体コード", "自治体コード", "行政コード",
                      "行政区域コード", "city_code", "jcode", "muni_code")
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "bridges": {
        "bridge_id": ("bridge_id", "橋梁ID", "橋梁番号", "橋梁コード", "橋梁No", "施設ID",
                      "施設番号", "施設コード", "管理番号", "整理番号", "bridge_no", "bridge_code",
                      "id"),
        "name": ("name", "橋梁名", "橋名", "施設名", "名称", "bridge_name"),
        "manager": ("manager", "管理者", "道路管理者", "管理者区分", "管理区分"),
        "manager_name": ("manager_name", "管理者名", "道路管理者名", "管理者名称"),
        "manager_code": ("manager_code", "管理者コード", "管理者団体コード"),
        "municipality_code": _MUNI_CODE_ALIASES,
        "structure_kind": ("structure_kind", "種類", "施設種類", "橋梁種類"),
        "footbridge": ("footbridge", "歩道橋", "歩行者専用"),
        "road_class": ("road_class", "道路種別", "道路区分", "路線種別", "道路種類", "road_type"),
        "route_name": ("route_name", "路線名", "route", "road_name"),
        "built_year": ("built_year", "架設年度", "架設年", "架設年次", "竣工年度", "竣工年",
                       "建設年度", "建設年", "完成年度", "供用開始年度", "供用開始年",
                       "year_built", "construction_year"),
        "length_m": ("length_m", "橋長", "延長", "length", "bridge_length"),
        "width_m": ("width_m", "幅員", "全幅員", "総幅員", "全幅", "有効幅員", "width"),
        "deck_area_m2": ("deck_area_m2", "橋面積", "床版面積", "面積", "deck_area", "area_m2"),
        "rating": ("rating", "判定区分", "健全性", "健全性の診断", "健全度", "診断結果",
                   "点検結果", "判定", "condition", "soundness"),
        "last_inspection_year": ("last_inspection_year", "点検年度", "最新点検年度",
                                 "直近点検年度", "点検実施年度", "点検年", "inspection_year"),
        "measure_status": ("measure_status", "措置状況", "措置の状況", "対策状況"),
        "aadt": ("aadt", "交通量", "日交通量", "24時間交通量", "traffic", "traffic_volume"),
        "emergency_route": ("emergency_route", "緊急輸送道路", "緊急輸送路", "緊急輸送道路指定"),
        "emergency_tier": ("emergency_tier", "緊急輸送道路区分", "緊急輸送道路種別"),
        "bus_route": ("bus_route", "バス路線", "バス路線指定"),
        "school_route": ("school_route", "通学路", "通学路指定"),
    },
    "roads": {
        "road_id": ("road_id", "道路ID", "路線ID", "区間ID", "リンクID", "link_id", "id"),
        "road_class": ("road_class", "道路種別", "道路区分", "道路種類", "路線種別", "fclass",
                       "highway", "road_type"),
        "route_name": ("route_name", "路線名", "name", "名称", "ref"),
        "speed_kmh": ("speed_kmh", "規制速度", "制限速度", "速度", "maxspeed", "speed"),
        "oneway": ("oneway", "一方通行"),
        "is_bridge": ("is_bridge", "橋梁", "橋", "bridge"),
        "is_tunnel": ("is_tunnel", "トンネル", "tunnel"),
        "layer": ("layer", "階層", "レイヤ"),
        "width_m": ("width_m", "幅員", "width"),
        "bridge_id": ("bridge_id", "橋梁ID", "橋梁番号"),
        "municipality_code": _MUNI_CODE_ALIASES,
        "motor_vehicle": ("motor_vehicle", "自動車通行", "車両通行", "車両通行可",
                          "自動車通行可"),
        "walkable": ("walkable", "歩行者通行", "歩行可", "歩行者通行可"),
        "emergency_route": ("emergency_route", "緊急輸送道路", "緊急輸送路", "緊急輸送道路指定"),
        "emergency_tier": ("emergency_tier", "緊急輸送道路区分", "緊急輸送道路種別"),
    },
    "municipalities": {
        "municipality_code": _MUNI_CODE_ALIASES + ("code",),
        "municipality_name": ("municipality_name", "N03_004", "市区町村名", "市町村名",
                              "自治体名", "団体名", "名称", "name", "city_name"),
        "prefecture_name": ("prefecture_name", "N03_001", "都道府県名", "都道府県", "pref_name",
                            "prefecture"),
        "kind": ("kind", "区分", "市町村区分"),
    },
    "facilities": {
        "facility_id": ("facility_id", "施設ID", "施設番号", "施設コード", "id"),
        "name": ("name", "施設名", "名称"),
        "facility_type": ("facility_type", "施設種別", "施設区分", "種別", "種類", "用途",
                          "category", "type"),
        "facility_subtype": ("facility_subtype", "施設詳細", "施設分類", "学校分類", "医療機関分類"),
        "municipality_code": _MUNI_CODE_ALIASES,
    },
    "staff": {
        "municipality_code": _MUNI_CODE_ALIASES + ("code",),
        "municipality_name": ("municipality_name", "市区町村名", "市町村名", "団体名", "自治体名",
                              "名称", "name"),
        "technical_staff": ("technical_staff", "技術系職員数", "技術職員数", "土木技術職員数",
                            "土木技術者数", "技術職員", "engineers"),
    },
    "other_assets": {
        "asset_id": ("asset_id", "施設ID", "施設番号", "管理番号", "施設コード", "id"),
        "sector": ("sector", "分野", "施設分野", "部門"),
        "asset_type": ("asset_type", "施設種別", "種別", "種類", "type"),
        "name": ("name", "施設名", "名称"),
        "municipality_code": _MUNI_CODE_ALIASES,
        "built_year": ("built_year", "設置年度", "設置年", "建設年度", "建設年", "竣工年度",
                       "竣工年", "year_built"),
        "inspection_hours": ("inspection_hours", "点検時間", "年間点検時間"),
    },
    "population": {
        # T001101001: 2020 census mesh 人口（総数）; T000847001: 2015 census mesh 人口総数
        "population": ("population", "人口", "人口総数", "総人口", "人口（総数）", "総数",
                       "pop", "t001101001", "t000847001"),
    },
    "rivers": {
        "river_id": ("river_id", "河川ID", "河川コード", "W05_002", "id"),
        "name": ("name", "河川名", "W05_004", "名称"),
        "river_class": ("river_class", "区間種別", "河川区分", "河川種別"),
    },
    "railways": {
        "railway_id": ("railway_id", "路線ID", "id"),
        "name": ("name", "路線名", "N02_003", "名称"),
    },
    "emergency_routes": {
        "route_id": ("route_id", "路線ID", "区間ID", "id"),
        "name": ("name", "路線名", "名称"),
        "emergency_tier": ("emergency_tier", "緊急輸送道路区分", "緊急輸送道路種別", "区分",
                           "次数"),
    },
}

# Coordinate columns of point tables (CSV): searched in this order.
LAT_ALIASES = ("緯度", "lat", "latitude", "北緯")
LON_ALIASES = ("経度", "lon", "lng", "long", "longitude", "東経")
#: x/y the GIS way round: x = easting, y = northing
X_ALIASES = ("x", "easting")
Y_ALIASES = ("y", "northing")
#: X座標/Y座標 the Japanese survey way round (平面直角座標系): X = northing, Y = easting;
#: names are compared normalised, so Ｘ座標, X座標(m) and X座標（ｍ） match too.  A name
#: that says 経度/緯度, e.g. X座標(経度), is a longitude/latitude column instead.
SURVEY_X_ALIASES = ("x座標", "x座標値", "座標x", "平面直角座標x", "平面直角x", "x座標m")
SURVEY_Y_ALIASES = ("y座標", "y座標値", "座標y", "平面直角座標y", "平面直角y", "y座標m")
WKT_ALIASES = ("wkt", "geometry", "geom", "the_geom")

import re as _re
import unicodedata as _ud

MISSING_TOKENS = frozenset({"", "-", "－", "―", "ー", "—", "不明", "unknown", "na", "n/a",
                            "nan", "none", "null", "<na>", "*", "?", "？"})


def normalize_column_name(name) -> str:
    """Column name for alias matching: NFKC, lower case, bracketed units and
    spaces / underscores / hyphens / middle dots removed (``"橋長（ｍ）" -> "橋長"``)."""
    text = _ud.normalize("NFKC", str(name)).strip().lower()
    text = _re.sub(r"[\(\[【〔].*?[\)\]】〕]", "", text)
    return _re.sub(r"[\s_\-・.]", "", text)


def _norm_value(value):
    """NFKC-normalised, stripped text of a cell, or None for blank/missing markers."""
    if value is None:
        return None
    try:
        import math
        if isinstance(value, float) and math.isnan(value):
            return None
    except TypeError:  # pragma: no cover
        pass
    if value is _pd_na():
        return None
    text = _ud.normalize("NFKC", str(value)).strip()
    if text.lower() in MISSING_TOKENS:
        return None
    return text


def _pd_na():
    try:
        import pandas as pd
        return pd.NA
    except ImportError:  # pragma: no cover
        return object()


# --- 和暦 (Japanese era) years ---------------------------------------------
# era -> (first western year, last era year number or None if open)
ERAS = {
    "明治": (1868, 45), "大正": (1912, 15), "昭和": (1926, 64), "平成": (1989, 31), "令和": (2019, None),
}
_ERA_ABBREV = {"m": "明治", "t": "大正", "s": "昭和", "h": "平成", "r": "令和",
               "明": "明治", "大": "大正", "昭": "昭和", "平": "平成", "令": "令和"}
_WAREKI_RE = _re.compile(
    r"^(明治|大正|昭和|平成|令和|明|大|昭|平|令|[mtshr])\s*\.?\s*(\d{1,2}|元|[〇一二三四五六七八九十]{1,3})\s*"
    r"(?:年度?|年|\.|/|-|$)", _re.IGNORECASE)
_WESTERN_RE = _re.compile(r"^(\d{4})(?:\s*(?:年度?|[./\-]\d{1,2}.*|\.0+|$))")


_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                 "九": 9}


def _kanji_or_int(text: str) -> int:
    """``"45"`` / ``"四十五"`` / ``"四五"`` / ``"十"`` -> int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1:
            raise ValueError(f"'{text}' is not a number")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def parse_wareki_year(value) -> int | None:
    """A year written in 和暦 or western form -> western year (int).

    Accepts ``1970``, ``"1970年度"``, ``"1970/04/01"``, ``"昭和45年"``, ``"昭和45年度"``,
    ``"S45"``, ``"s.45"``, ``"H元年"``, ``"令和元年度"``, full-width digits (``"昭和４５年"``),
    kanji numerals (``"昭和四十五年"``),
    and dates such as ``"昭和45年3月"``.  The 年度 (fiscal year) suffix is dropped:
    ``"平成2年度"`` -> 1990.  Blank / ``"不明"`` / ``"-"`` give ``None``.

    Raises
    ------
    ValueError
        When the text is not a year, or the era year is beyond the era's end
        (e.g. ``"昭和70年"``).
    """
    text = _norm_value(value)
    if text is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) != int(value) or not 1000 <= int(value) <= 9999:
            raise ValueError(f"'{value}' is not a 4-digit year")
        return int(value)
    m = _WAREKI_RE.match(text)
    if m:
        era = _ERA_ABBREV.get(m.group(1).lower(), m.group(1))
        try:
            n = 1 if m.group(2) == "元" else _kanji_or_int(m.group(2))
        except (ValueError, KeyError):
            raise ValueError(f"'{value}' is not a year (use e.g. 1970, 昭和45年 or S45)") from None
        start, last = ERAS[era]
        if n < 1 or (last is not None and n > last):
            raise ValueError(f"'{value}': {era} has no year {n} (it ran 1..{last})")
        return start + n - 1
    m = _WESTERN_RE.match(text)
    if m:
        return int(m.group(1))
    raise ValueError(f"'{value}' is not a year (use e.g. 1970, 昭和45年 or S45)")


# --- 判定区分 ratings -------------------------------------------------------
_RATING_RE = _re.compile(r"^(iv|iii|ii|i|[1-4])(?![a-z0-9])", _re.IGNORECASE)
_RATING_WORDS = {"健全": 1, "予防保全": 2, "早期措置": 3, "緊急措置": 4}


def parse_rating(value) -> int | None:
    """判定区分 -> 1..4.

    Accepts ``"I"``..``"IV"``, full-width roman numerals ``"Ⅰ"``..``"Ⅳ"``, ``"1"``..``"4"``,
    ``"判定区分III"``, labels with text such as ``"Ⅲ（早期措置段階）"`` and the words
    健全 / 予防保全段階 / 早期措置段階 / 緊急措置段階.  Blank gives ``None``.

    Raises
    ------
    ValueError
        For anything else (e.g. ``7`` or ``"V"``).
    """
    text = _norm_value(value)
    if text is None:
        return None
    if isinstance(value, float) and float(value).is_integer():
        text = str(int(value))
    text = _re.sub(r"^(判定区分|区分|健全性|判定)\s*[:：]?\s*", "", text)
    m = _RATING_RE.match(text)
    if m:
        token = m.group(1).upper()
        return {"I": 1, "II": 2, "III": 3, "IV": 4}.get(token) or int(token)
    for word, rating in _RATING_WORDS.items():
        if word in text:
            return rating
    raise ValueError(f"'{value}' is not a rating (判定区分 must be I, II, III or IV, or 1..4)")


# --- yes / no flags --------------------------------------------------------
_TRUE_TOKENS = {"○", "◯", "〇", "●", "◎", "有", "有り", "あり", "yes", "y", "1", "true", "t",
                "指定", "指定有", "該当", "該当あり", "対象"}
_FALSE_TOKENS = {"×", "✕", "無", "無し", "なし", "no", "n", "0", "false", "f", "非該当",
                 "指定なし", "対象外", "該当なし"}


def parse_flag(value) -> bool | None:
    """Yes/no cell -> bool.

    True: ``○ ◯ 〇 ● 有 あり yes y 1 true t 指定 該当`` and ``第1次``..``第3次`` (緊急輸送道路 tiers);
    False: ``× 無 なし no n 0 false f 非該当``.  Blank gives ``None``.

    Raises
    ------
    ValueError
        For any other text.
    """
    if isinstance(value, bool):
        return value
    text = _norm_value(value)
    if text is None:
        return None
    low = text.lower()
    if isinstance(value, (int, float)) and float(value) in (0.0, 1.0):
        return bool(value)
    if low in _TRUE_TOKENS:
        return True
    if low in _FALSE_TOKENS:
        return False
    if _re.match(r"^第?\s*[1-3一二三]\s*次", text):
        return True
    raise ValueError(f"'{value}' is not a yes/no value (use ○/×, 有/無, yes/no or 1/0)")


# --- road classes ----------------------------------------------------------
_OSM_ROAD_CLASS = {
    "motorway": "national", "trunk": "national",
    "primary": "prefectural", "secondary": "prefectural",
    "tertiary": "municipal", "unclassified": "municipal", "residential": "municipal",
    "living_street": "municipal",
}


def parse_road_class(value) -> str | None:
    """Road class name -> ``'national' | 'prefectural' | 'municipal' | 'other'``.

    国道 / 一般国道 / 高速自動車国道 -> national; 県道 / 都道 / 府道 / 道道 / 都道府県道 /
    主要地方道 -> prefectural; 市道 / 町道 / 村道 / 区道 / 市町村道 / 市区町村道 -> municipal;
    農道 / 林道 / 私道 / その他 -> other.  English canonical names pass through and OSM
    ``highway=*`` values map as in docs/schema.md (motorway/trunk national, primary/
    secondary prefectural, tertiary/unclassified/residential/living_street municipal,
    everything else other).  Blank gives ``None``.

    Raises
    ------
    ValueError
        For text that names no road class.
    """
    text = _norm_value(value)
    if text is None:
        return None
    low = text.lower()
    if low in ROAD_CLASSES:
        return low
    base = low[:-5] if low.endswith("_link") else low
    if base in _OSM_ROAD_CLASS:
        return _OSM_ROAD_CLASS[base]
    if _re.fullmatch(r"[a-z_]+", low):
        return "other"  # any other OSM highway value (service, track, footway, ...)
    if "国道" in text or "高速" in text:
        return "national"
    if any(k in text for k in ("都道府県道", "県道", "都道", "府道", "道道", "主要地方道")):
        return "prefectural"
    if any(k in text for k in ("市町村道", "市区町村道", "市道", "町道", "村道", "区道")):
        return "municipal"
    if any(k in text for k in ("農道", "林道", "私道", "その他", "港湾", "臨港")):
        return "other"
    raise ValueError(f"'{value}' is not a road class (use 国道, 県道, 市道/町道/村道 or その他)")


# --- managers --------------------------------------------------------------
def parse_manager(value) -> str | None:
    """Manager name -> ``'national' | 'prefecture' | 'municipality'``.

    国 / 国土交通省 / ○○地方整備局 / ○○国道事務所 -> national; 都道府県 / ○○県 / 東京都 /
    大阪府 / 京都府 / 北海道 -> prefecture; 市町村 / 市区町村 / ○○市 / ○○町 / ○○村 / ○○区 ->
    municipality.  Blank gives ``None``.

    Raises
    ------
    ValueError
        For any other text.
    """
    text = _norm_value(value)
    if text is None:
        return None
    low = text.lower()
    if low in MANAGERS:
        return low
    if low in ("city", "town", "village", "municipal"):
        return "municipality"
    if low in ("prefectural", "pref"):
        return "prefecture"
    if low in ("state", "government", "mlit"):
        return "national"
    if text in ("国", "国交省") or any(k in text for k in ("国土交通", "整備局", "国道事務所", "河川国道")):
        return "national"
    if text in ("都道府県", "県", "都", "府", "道") or text.endswith(("県", "都", "府")) or text == "北海道":
        return "prefecture"
    if text in ("市町村", "市区町村", "市", "町", "村", "区") or text.endswith(("市", "町", "村", "区")):
        return "municipality"
    raise ValueError(f"'{value}' is not a manager (use 国, 県/都/府/道 or 市/町/村)")


# --- 緊急輸送道路 tiers ----------------------------------------------------------
def parse_emergency_tier(value) -> int | None:
    """緊急輸送道路区分 -> 1..3: ``第1次`` / ``1次`` / ``一次`` / ``1`` / ``1.0`` (N10 codes).

    Raises
    ------
    ValueError
        For anything else.
    """
    text = _norm_value(value)
    if text is None:
        return None
    m = _re.match(r"^(?:第)?\s*([1-3一二三])\s*(?:次.*)?$", _re.sub(r"\.0+$", "", text))
    if not m:
        raise ValueError(f"'{value}' is not an emergency-route tier (第1次, 第2次 or 第3次)")
    return {"一": 1, "二": 2, "三": 3}.get(m.group(1)) or int(m.group(1))


# --- other categorical fields ----------------------------------------------
def parse_facility_type(value) -> str | None:
    """施設種別 -> ``'hospital' | 'school' | 'office' | 'fire_station'`` or the text itself."""
    text = _norm_value(value)
    if text is None:
        return None
    low = text.lower()
    if low in FACILITY_TYPES:
        return low
    if any(k in text for k in ("病院", "診療所", "医院", "クリニック")) or low in ("clinic", "medical"):
        return "hospital"
    if any(k in text for k in ("学校", "小学", "中学", "高校", "義務教育")):
        return "school"
    if any(k in text for k in ("消防", "分署", "出張所")) or low in ("fire station", "fire"):
        return "fire_station"
    if any(k in text for k in ("役場", "役所", "庁舎", "支所", "本庁")) or low in ("town_hall", "townhall", "city_hall"):
        return "office"
    return low


# --- structure kinds and measure status (全国道路施設点検データベース) ------------------
#: structure kinds (種類) that are for pedestrians only
PEDESTRIAN_STRUCTURE_KINDS = ("pedestrian_bridge",)


def parse_structure_kind(value) -> str | None:
    """種類 of a road structure -> ``'road_bridge' | 'pedestrian_bridge'`` or the text itself.

    道路橋 / 橋梁 / 橋 -> road_bridge; 横断歩道橋 / 歩道橋 / 人道橋 / 歩行者専用橋 ->
    pedestrian_bridge (for pedestrians only).  Other text (e.g. トンネル, 大型カルバート) is
    kept as it is, so that nothing the user had is lost.  Blank gives ``None``.
    """
    text = _norm_value(value)
    if text is None:
        return None
    low = text.lower()
    if low in ("road_bridge", "pedestrian_bridge"):
        return low
    if any(k in text for k in ("歩道橋", "人道橋", "歩行者専用")) or low in ("footbridge",
                                                                       "pedestrian bridge"):
        return "pedestrian_bridge"
    if text in ("道路橋", "橋梁", "橋", "車道橋") or low in ("bridge", "road bridge"):
        return "road_bridge"
    return text


_MEASURE_STATUS = (("措置不要", "not_needed"), ("不要", "not_needed"),
                   ("完了", "completed"), ("着手", "started"), ("未着手", "not_started"),
                   ("未措置", "not_started"), ("未実施", "not_started"))
MEASURE_STATUSES = ("not_needed", "not_started", "started", "completed")


def parse_measure_status(value) -> str | None:
    """措置状況 -> ``'not_needed' | 'not_started' | 'started' | 'completed'`` or the text.

    措置不要 -> not_needed; 未着手 / 未措置 / 措置未着手 -> not_started; 措置着手済み /
    着手済 -> started; 措置完了済み / 完了 -> completed.  Other text is kept as it is.
    Blank gives ``None``.
    """
    text = _norm_value(value)
    if text is None:
        return None
    low = text.lower()
    if low in MEASURE_STATUSES:
        return low
    if "未着手" in text or "未措置" in text or "未実施" in text:
        return "not_started"
    for word, status in _MEASURE_STATUS:
        if word in text:
            return status
    return text


_SECTORS = {"道路": "road", "河川": "river", "公園": "park", "下水": "sewer",
            "トンネル": "tunnel", "橋梁": "bridge", "農業": "agriculture", "林道": "forest_road",
            "農道": "farm_road", "港湾": "port", "上水": "water"}


def parse_sector(value) -> str | None:
    """分野 -> ``'road' | 'river' | 'park' | 'sewer' | 'tunnel' | ...`` or the text itself."""
    text = _norm_value(value)
    if text is None:
        return None
    for word, sector in _SECTORS.items():
        if word in text:
            return sector
    return text.lower()


#: commas that are thousands separators: 1,234 / 12,345,678.5 (groups of exactly 3 digits)
_THOUSANDS_RE = _re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_number(value) -> float | None:
    """Numeric cell -> float: full-width digits, thousands commas and a trailing
    unit (``m``, ``m2``, ``㎡``, ``km/h``, ``台``, ``台/日``, ``人``) are accepted.
    Blank / ``"-"`` / ``"不明"`` give ``None``.

    A comma is read only as a thousands separator (``"1,234"`` -> 1234, groups of three
    digits).  Any other comma, e.g. the decimal comma of ``"5,6"`` (5.6? or the two spans
    5 and 6?), is ambiguous and raises ``ValueError`` (the loader sets the value to
    missing and reports it, docs/loading.md).  NaN / infinite values raise too.

    Raises
    ------
    ValueError
        For text that is not a number, an ambiguous comma, or a non-finite number.
    """
    import math
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        if not math.isfinite(value):
            raise ValueError(f"'{value}' is not a finite number")
        return float(value)
    text = _norm_value(value)
    if text is None:
        return None
    text = text.replace(" ", "")
    text = _re.sub(r"(km/h|m2|m\^2|m|km|台/日|台|人|名|本|時間|h)$", "", text, flags=_re.IGNORECASE)
    if "," in text:
        if not _THOUSANDS_RE.match(text):
            raise ValueError(
                f"'{value}' has a comma that is not a thousands separator (a decimal comma "
                "such as 5,6, or a list of values?); write the number with a decimal point, "
                "e.g. 5.6")
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def municipality_check_digit(code5: str) -> int:
    """Check digit of a 5-digit 全国地方公共団体コード (weights 6,5,4,3,2, modulus 11)."""
    s = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return (11 - s % 11) % 10


def code_text(value) -> str | None:
    """A code cell as its digits: NFKC, trimmed, an integer-valued float or a trailing
    ``.0`` (a spreadsheet's number) without the ``.0``; blank gives ``None``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _norm_value(value)
    if text is None:
        return None
    return _re.sub(r"^(\d+)\.0+$", r"\1", text)


def parse_municipality_code(value) -> str | None:
    """Municipality code (全国地方公共団体コード) -> 5-digit string.

    ``"01101"`` as it is; ``1101`` / ``"1101"`` (a code that lost its leading zero in a
    spreadsheet) -> ``"01101"``; a 6-digit code with its check digit (``"011011"``) ->
    ``"01101"`` after verifying the check digit (JIS X 0402: weights 6, 5, 4, 3, 2 on the
    five digits, sum s, check digit = (11 - s mod 11) mod 10); full-width digits and a
    trailing ``.0`` are accepted.  Blank gives ``None``.

    Raises
    ------
    ValueError
        When the text has not 4, 5 or 6 digits, or a 6-digit code's check digit is wrong
        (the message names the expected digit).
    """
    text = code_text(value)
    if text is None:
        return None
    if not text.isdigit():
        raise ValueError(f"'{value}' is not a municipality code (5 digits, e.g. 01101)")
    if len(text) == 4:
        text = "0" + text
    if len(text) == 6:
        expected = municipality_check_digit(text[:5])
        if int(text[5]) != expected:
            raise ValueError(
                f"'{value}': 6-digit municipality code with a wrong check digit (the check "
                f"digit of {text[:5]} is {expected}, so the 6-digit code is {text[:5]}{expected}); "
                "fix: check the code, or write the 5-digit code without check digit")
        text = text[:5]
    if len(text) != 5:
        raise ValueError(f"'{value}' is not a municipality code (5 digits, e.g. 01101)")
    return text


def blank_strings(values):
    """True where a ``str`` of ``values`` (an object array holding only ``str``) is empty or
    only white space, as ``not value.strip()``; one pass in C (``map``), about 4x faster
    than a Python loop on millions of ids."""
    import numpy as np
    from operator import not_
    return np.fromiter(map(not_, map(str.strip, values)), bool, len(values))


def parse_text(value) -> str | None:
    """Text cell -> stripped string (numbers like ``12.0`` -> ``"12"``); blank gives ``None``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if value is _pd_na():
        return None
    text = str(value).strip()
    return text or None


def parse_metres(value) -> float | None:
    """Length cell in metres (see ``parse_number``); a value written in kilometres
    (``"1.5km"``, ``"1.5 ｋｍ"``) is converted, ``"1.5km"`` -> ``1500.0``."""
    text = _norm_value(value) if isinstance(value, str) else None
    if text is not None and _re.search(r"km$", text.replace(" ", ""), flags=_re.IGNORECASE):
        number = parse_number(_re.sub(r"km$", "", text.replace(" ", ""), flags=_re.IGNORECASE))
        return None if number is None else number * 1000.0
    return parse_number(value)


def parse_int(value) -> int | None:
    """Integer cell (see ``parse_number``); non-integers raise ``ValueError``."""
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError(f"'{value}' is not a whole number")
    return int(number)


# canonical field -> parser, for every kind (fields not listed are kept as text)
PARSERS = {
    "built_year": parse_wareki_year, "last_inspection_year": parse_wareki_year,
    "rating": parse_rating, "emergency_route": parse_flag, "bus_route": parse_flag,
    "school_route": parse_flag, "oneway": parse_flag, "is_bridge": parse_flag,
    "is_tunnel": parse_flag, "motor_vehicle": parse_flag, "walkable": parse_flag,
    "road_class": parse_road_class, "manager": parse_manager,
    "facility_type": parse_facility_type, "sector": parse_sector,
    "structure_kind": parse_structure_kind, "measure_status": parse_measure_status,
    "footbridge": parse_flag, "manager_code": parse_municipality_code,
    "emergency_tier": parse_emergency_tier,
    "municipality_code": parse_municipality_code, "length_m": parse_metres,
    "width_m": parse_metres, "deck_area_m2": parse_number, "aadt": parse_number,
    "speed_kmh": parse_number, "population": parse_number, "inspection_hours": parse_number,
    "technical_staff": parse_int, "layer": parse_int,
}


# --- derived values ----------------------------------------------------------
def manager_class(frame):
    """The bridges' manager class (``national`` / ``prefecture`` / ``municipality``),
    lower-cased, a string-dtype Series; NA where unknown or when there is no ``manager``
    column."""
    import pandas as pd
    if "manager" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame["manager"].astype("string").str.lower()


def deck_area_m2(bridges):
    """Deck area of each bridge (m²), by the one rule every analysis uses.

    The given ``deck_area_m2`` where it is a finite number; else ``length_m * width_m``
    (m x m) where both are finite numbers; else NaN.  The loader fills the column by the
    same rule (and reports it); this function applies it to frames that never went
    through the loader.  Each caller decides how NaN counts (documented with it).

    Parameters
    ----------
    bridges : DataFrame or GeoDataFrame
        Bridge rows with any of ``deck_area_m2``, ``length_m``, ``width_m`` (numbers or
        numeric text; anything else counts as missing).

    Returns
    -------
    numpy.ndarray
        float, one value per row in row order, m².
    """
    import numpy as np
    import pandas as pd

    def column(name):
        if name not in bridges.columns:
            return np.full(len(bridges), np.nan)
        values = pd.to_numeric(bridges[name], errors="coerce")
        return np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=float)

    given = column("deck_area_m2")
    return np.where(np.isfinite(given), given, column("length_m") * column("width_m"))
