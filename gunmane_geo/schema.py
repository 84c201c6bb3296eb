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
    "facilities", "staff", "other_assets", "population",
)

# --- canonical fields per layer kind (name -> dtype description) -----------
BRIDGE_FIELDS = {
    "bridge_id": "str, unique",
    "name": "str (橋梁名)",
    "manager": "str: 'municipality' | 'prefecture' | 'national'",
    "municipality_code": "str, 5 digits",
    "road_class": "str: 'national' | 'prefectural' | 'municipal' | 'other'",
    "route_name": "str (路線名)",
    "built_year": "Int64, western year (和暦 converted)",
    "length_m": "float (橋長)",
    "width_m": "float (幅員)",
    "deck_area_m2": "float, length_m * width_m when not given",
    "rating": "Int64 1..4 (判定区分 I..IV)",
    "last_inspection_year": "Int64 (点検年度)",
    "aadt": "float, vehicles per day (交通量)",
    "emergency_route": "bool (緊急輸送道路)",
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
}
ROAD_REQUIRED = ()

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
    "rivers": {"river_id": "str", "name": "str"},
    "railways": {"railway_id": "str", "name": "str"},
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
}

ROAD_CLASSES = ("national", "prefectural", "municipal", "other")
MANAGERS = ("national", "prefecture", "municipality")
FACILITY_TYPES = ("hospital", "school", "office", "fire_station")
RATING_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}
RATING_LABELS_JA = {1: "I 健全", 2: "II 予防保全段階", 3: "III 早期措置段階", 4: "IV 緊急措置段階"}
