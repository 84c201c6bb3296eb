"""Known layouts of real Japanese data: recognised from their columns, read as they come.

* 全国道路施設点検データベース (the national road-structure inspection database, xROAD):
  its bridge list export (TSV or CSV, CP932 or UTF-8) with the columns
  ``INSPECTION_DB_COLUMNS``, and the same data saved as JSON from the database's API
  (nested keys such as ``syogen.shisetsu.meisyou``), flattened into the same columns by
  ``read_inspection_json``.

``detect_layout`` names the layout of a table from its column names; ``read_layer`` then
maps its columns with the layout's field map (a user's ``field_map`` wins) and applies the
layout's value rules (``apply_layout_values``).  See docs/loading.md.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..errors import InputError

#: the columns of the inspection database's bridge export, in file order
INSPECTION_DB_COLUMNS = ("ID", "種類", "橋名", "フリガナ", "路線名", "区分", "管理者名",
                         "管理事務所名", "都道府県名", "市町村名", "緯度", "経度", "架設年度", "橋長",
                         "幅員", "点検実施年度", "判定区分", "措置状況")
#: columns that must all be present for a table to be called the inspection database export
INSPECTION_DB_SIGNATURE = ("橋名", "区分", "管理者名", "点検実施年度", "判定区分", "措置状況")
INSPECTION_DB_NAME = "全国道路施設点検データベース形式"

#: inspection database column -> canonical bridge field (other columns are kept as they are)
INSPECTION_DB_FIELD_MAP = {
    "ID": "bridge_id", "種類": "structure_kind", "橋名": "name", "路線名": "route_name",
    "区分": "manager", "管理者名": "manager_name", "架設年度": "built_year", "橋長": "length_m",
    "幅員": "width_m", "点検実施年度": "last_inspection_year", "判定区分": "rating",
    "措置状況": "measure_status",
}

#: 判定区分 codes of the inspection database that are not a rating I..IV, and what they mean
INSPECTION_DB_RATING_CODES = {
    0: "判定区分 0 (判定なし: no rating recorded)",
    5: "判定区分 5 (未点検・判定なし: not surveyed, no rating)",
}

#: API JSON key (dotted path) -> inspection database column
INSPECTION_JSON_KEYS = {
    "id": "ID", "shisetsu_id": "ID", "syogen.shisetsu.id": "ID",
    "syogen.shisetsu.shisetsu_id": "ID", "syogen.shisetsu.kanri_bangou": "ID",
    "syogen.shisetsu.syurui": "種類", "syogen.shisetsu.shurui": "種類",
    "syogen.shisetsu.meisyou": "橋名", "syogen.shisetsu.furigana": "フリガナ",
    "syogen.rosen.meisyou": "路線名",
    "syogen.kanrisya.kubun": "区分", "syogen.kanrisya.meisyou": "管理者名",
    "syogen.kanrisya.jimusyo": "管理事務所名",
    "syogen.gyousei_kuiki.todoufuken_mei": "都道府県名",
    "syogen.gyousei_kuiki.shikuchouson_mei": "市町村名",
    "syogen.gyousei_kuiki.shikuchouson_code": "市区町村コード",
    "syogen.ichi.ido": "緯度", "syogen.ichi.keido": "経度",
    "syogen.kasetsu_nendo": "架設年度", "syogen.kyouchou": "橋長", "syogen.fukuin": "幅員",
    "tenken.nendo": "点検実施年度", "tenken.kiroku.hantei_kubun": "判定区分",
    "tenken.syuzen.sochi_joukyou": "措置状況",
}
#: keys whose presence marks a JSON file as the inspection database's API data
INSPECTION_JSON_SIGNATURE = ("syogen.shisetsu.meisyou", "tenken.kiroku.hantei_kubun")


@dataclass
class Layout:
    """A recognised layout: its name (Japanese, shown to the user) and how to map it."""
    key: str
    name: str
    field_map: dict = field(default_factory=dict)

    def describe(self, fmt: str, encoding: str | None = None) -> str:
        """``"全国道路施設点検データベース形式 (TSV, CP932)"``."""
        parts = [fmt] + ([encoding.upper().replace("UTF-8-SIG", "UTF-8 BOM")] if encoding else [])
        return f"{self.name} ({', '.join(parts)})"


INSPECTION_DB = Layout("inspection_db", INSPECTION_DB_NAME, dict(INSPECTION_DB_FIELD_MAP))


FUTURE_MESH = Layout("future_population_mesh", "国土数値情報 将来推計人口メッシュ形式")
#: a future-population column: PTN_2020 .. PTN_2070 (総人口 of the year)
_PTN_RE = re.compile(r"^ptn(\d{4})$")


def future_population_columns(columns) -> dict:
    """``{year: column}`` of the ``PTN_<year>`` columns of a future-population mesh."""
    out = {}
    for col in columns:
        m = _PTN_RE.match(schema.normalize_column_name(col))
        if m:
            out[int(m.group(1))] = col
    return dict(sorted(out.items()))


KSJ_P04 = Layout("ksj_p04", "国土数値情報 医療機関 (P04) 形式", {"P04_002": "name"})
KSJ_P29 = Layout("ksj_p29", "国土数値情報 学校 (P29) 形式",
                 {"P29_004": "name", "P29_001": "municipality_code"})
#: P04_001 医療機関分類
P04_KINDS = {"1": "病院", "2": "診療所", "3": "歯科診療所"}
#: P29 学校分類コード (製品仕様書第2.0版: P29_003; 第1.1版: P29_004)
P29_KINDS = {"16001": "小学校", "16002": "中学校", "16003": "中等教育学校", "16004": "高等学校",
             "16005": "高等専門学校", "16006": "短期大学", "16007": "大学", "16011": "幼稚園",
             "16012": "特別支援学校", "16013": "認定こども園", "16014": "義務教育学校",
             "16015": "各種学校", "16016": "専修学校"}


KSJ_N10 = Layout("ksj_n10", "国土数値情報 緊急輸送道路 (N10) 形式")

#: 国土数値情報 公共施設 (P02): P02_001 行政区域コード, P02_002 公共施設大分類, P02_003 公共施設
#: 小分類, P02_004 名称, P02_005 所在地 (the rest kept as they are); see docs/data_sources.md
KSJ_P02 = Layout("ksj_p02", "国土数値情報 公共施設 (P02) 形式",
                 {"P02_004": "name", "P02_001": "municipality_code"})
#: P02_002 公共施設大分類 (PubFacMaclassCd) -> (facility_type, 大分類 name)
P02_CLASSES = {"3": ("cultural", "建物 (文化施設)"), "9": ("other", "その他"),
               "11": ("national_office", "国の機関"), "12": ("local_government", "地方公共団体"),
               "13": ("health_center", "厚生機関"), "14": ("police", "警察機関"),
               "15": ("fire_station", "消防署"), "16": ("school", "学校"),
               "17": ("hospital", "病院"), "18": ("post_office", "郵便局"),
               "19": ("welfare", "福祉施設")}
#: P02_003 公共施設小分類 (PubFacMinclassCd) codes named here; others keep 大分類 name + code
P02_SUBCLASSES = {
    "03001": "美術館", "03002": "資料館・記念館・博物館・科学館", "03003": "図書館", "03004": "水族館",
    "03005": "動植物園", "09001": "公共企業体・政府関係機関",
    "09002": "独立行政法人・大学共同利用機関法人",
    "12001": "都道府県庁", "12002": "区役所 (東京都)・市役所", "12003": "区役所 (政令指定都市)",
    "12004": "町村役場", "12005": "都道府県の出先機関", "13001": "保健所",
    "16001": "小学校", "16002": "中学校", "16003": "中等教育学校", "16004": "高等学校",
    "16005": "高等専門学校", "16006": "短期大学", "16007": "大学", "16008": "盲学校",
    "16009": "ろう学校", "16010": "養護学校", "18001": "普通郵便局", "18002": "特定郵便局 (集配局)",
    "18003": "特定郵便局 (無集配局)", "18004": "簡易郵便局", "18005": "地域区分局"}
#: 小分類 of 地方公共団体 that are a municipality's own office (市役所, 区役所, 町村役場)
P02_MUNICIPAL_OFFICES = ("12002", "12003", "12004")
#: 小分類 of 地方公共団体 that are the prefecture's (都道府県庁, 出先機関)
P02_PREFECTURAL_OFFICES = ("12001", "12005")
#: a 地方公共団体 facility whose 小分類 is not named: an office when its name says so
_P02_OFFICE_WORDS = ("役場", "役所", "庁舎")
_P02_BRANCH_WORDS = ("支所", "出張所", "行政センター", "市民センター", "支庁")
#: facility_subtype of a municipality's branch office (支所 ...): grouping prefers the
#: main office (市役所 / 町村役場) of a municipality over it
BRANCH_OFFICE_SUBTYPE = "支所・出張所"

#: 国土数値情報 河川 (W05) 流路: W05_001 水系域コード, W05_002 河川コード, W05_003 区間種別,
#: W05_004 河川名 (W05_005.. 原典資料, 流下方向, 始点/終点 kept as they are)
KSJ_W05 = Layout("ksj_w05", "国土数値情報 河川 (W05) 形式",
                 {"W05_002": "river_id", "W05_004": "name"})
#: W05 河川節点 (RiverNode: W05_000, W05_011 ...): points, not rivers (refused with a fix)
KSJ_W05_NODES = Layout("ksj_w05_nodes", "国土数値情報 河川 (W05) 河川節点形式")
#: W05_003 区間種別 -> river_class (5..8: the same section classes where they cross a lake)
W05_SECTION_CLASSES = {"1": "一級直轄区間", "2": "一級指定区間", "3": "二級河川区間",
                       "4": "指定区間外 (準用河川・普通河川)", "5": "一級直轄区間 (湖沼)",
                       "6": "一級指定区間 (湖沼)", "7": "二級河川区間 (湖沼)",
                       "8": "指定区間外 (湖沼)", "0": "不明"}


def detect_layout(columns, kind: str) -> Layout | None:
    """The known layout of a table with these columns (exact names, after NFKC and
    trimming), or None.

    Parameters
    ----------
    columns : iterable of str
        The table's column names as read.
    kind : str
        The layer kind it is read as; the inspection database is a bridges layout.
    """
    if kind == "population" and len(future_population_columns(columns)) >= 2:
        return FUTURE_MESH
    names = {schema.normalize_column_name(c) for c in columns}
    if kind == "emergency_routes" and any(n.startswith("n10") for n in names):
        return KSJ_N10
    if kind == "facilities" and {"p04001", "p04002"} <= names:
        return KSJ_P04
    if kind == "facilities" and {"p29003", "p29004"} <= names:
        return KSJ_P29
    if kind == "facilities" and {"p02002", "p02003", "p02004"} <= names:
        return KSJ_P02
    if kind == "rivers" and {"w05002", "w05004"} <= names:
        return KSJ_W05
    if kind == "rivers" and any(n.startswith("w05") for n in names):
        return KSJ_W05_NODES
    if kind != "bridges":
        return None
    if all(schema.normalize_column_name(c) in names for c in INSPECTION_DB_SIGNATURE):
        return INSPECTION_DB
    return None


def layout_field_map(layout: Layout, columns, user_map: dict | None) -> dict:
    """The layout's ``{source column: canonical field}`` for the columns the table has,
    with the user's ``field_map`` on top (it wins, by column and by field)."""
    by_norm = {schema.normalize_column_name(c): c for c in columns}
    user_map = dict(user_map or {})
    user_cols = set(user_map) | {v for k, v in user_map.items() if v in by_norm.values()}
    user_fields = set(user_map.values()) | set(user_map)
    out = {}
    for src, dst in layout.field_map.items():
        col = by_norm.get(schema.normalize_column_name(src))
        if col is None or col in user_cols or dst in user_fields:
            continue
        out[col] = dst
    out.update(user_map)
    return out


def apply_layout_values(frame, layout: Layout, ctx) -> pd.DataFrame:
    """Value rules of a layout, before the canonical parsers run.

    Inspection database: a 判定区分 that is a number other than 1..4 (``5.0`` = not
    surveyed) becomes missing, each row reported with what the code means
    (``action = nulled``, info: it is the database's own code, not an error).
    """
    if layout.key == "ksj_w05":
        return w05_river_class(frame, ctx)
    if layout.key == "ksj_w05_nodes":
        raise ctx.error("this W05 (国土数値情報 河川) layer has no W05_002 河川コード / W05_004 "
                        "河川名: it is the 河川節点 (RiverNode) points, not the river lines; fix: "
                        "give the 流路 file (W05-..._Stream.shp) as rivers")
    if layout.key != "inspection_db" or "rating" not in frame.columns:
        return frame
    from .canonical import feature_id_of
    values = frame["rating"].astype(object).tolist()
    for pos, raw in enumerate(values):
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            continue
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if text.lower() in schema.MISSING_TOKENS:
            continue
        try:
            number = float(text)
        except ValueError:
            continue
        if not math.isfinite(number) or not number.is_integer() or 1 <= number <= 4:
            continue
        code = int(number)
        meaning = INSPECTION_DB_RATING_CODES.get(
            code, f"判定区分 {code} (not a rating I..IV in the inspection database)")
        idx = frame.index[pos]
        ctx.add(f"'{raw}' is {meaning}: rating left missing (unknown condition)",
                row=frame.at[idx, "source_row"], feature_id=feature_id_of(frame, "bridges", idx),
                severity="info", action="nulled", field="rating")
        values[pos] = None
    frame["rating"] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def future_population(frame, ctx, target_year: int) -> pd.DataFrame:
    """``population`` and ``population_<target_year>`` of a future-population mesh.

    ``population`` is the base year's column (the earliest ``PTN_<year>``, the census the
    estimate starts from, e.g. PTN_2020); ``population_<target_year>`` is that year's column,
    or, for a year between two columns, the linear interpolation of the two (noted).
    Values that are not numbers become missing (reported per row); a given
    ``population`` column (人口 ...) is kept and the base year's goes to
    ``population_<base year>``.

    Raises
    ------
    InputError
        When the target year is outside the years the mesh covers (names them and the
        setting ``[io] population_target_year``).
    """
    from .canonical import feature_id_of
    years = future_population_columns(frame.columns)
    base, last = min(years), max(years)
    if not base <= target_year <= last:
        raise ctx.error(
            f"the future-population mesh covers {base}..{last} ({', '.join(map(str, years))}), "
            f"not the target year {target_year}; fix: set [io] population_target_year to one of "
            "those years in run.toml (population_target_year=... in Python)")
    lo = max(y for y in years if y <= target_year)
    hi = min(y for y in years if y >= target_year)
    target = f"population_{target_year}"
    values = np.full(len(frame), np.nan)
    for pos, (a_raw, b_raw) in enumerate(zip(frame[years[lo]].tolist(),
                                             frame[years[hi]].tolist())):
        try:
            a, b = schema.parse_number(a_raw), schema.parse_number(b_raw)
        except ValueError as exc:
            idx = frame.index[pos]
            ctx.add(f"{exc}; {target} set to missing", row=frame.at[idx, "source_row"],
                    feature_id=feature_id_of(frame, "population", idx), severity="warning",
                    action="nulled", field=target)
            continue
        if a is not None and b is not None:
            values[pos] = a + (b - a) * (target_year - lo) / (hi - lo) if hi != lo else a
    aliases = {schema.normalize_column_name(a) for a in schema.ALIASES["population"]["population"]}
    given = any(schema.normalize_column_name(c) in aliases for c in frame.columns)
    base_name = f"population_{base}" if given else "population"
    if given:
        frame[base_name] = frame[years[base]]
    else:
        frame["population"] = frame[years[base]]        # parsed by the canonical parser
    frame[target] = values
    how = (f"{years[target_year]}" if target_year in years else
           f"interpolated linearly between {years[max(y for y in years if y <= target_year)]} "
           f"and {years[min(y for y in years if y >= target_year)]}")
    ctx.add(f"{base_name} = {years[base]} (the base year {base}), {target} = {how} "
            f"([io] population_target_year = {target_year}); the other PTN_ columns are kept",
            severity="info", action="note", field=target)
    return frame


def _code(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"\.0+$", "", text)
    return text or None


def ksj_facilities(frame, layout: Layout, ctx) -> tuple[pd.DataFrame, dict]:
    """KSJ P04 医療機関 / P29 学校 points as facilities: ``facility_type`` (hospital /
    school) and ``facility_subtype`` (the 分類 code named: 病院, 診療所, 小学校 ...).

    P29 of 製品仕様書第1.1版 (P29-13) has the 学校分類 in P29_004 and the name in P29_005
    (第2.0版: P29_003 and P29_004): the version is told by whether P29_004 holds codes.
    An unknown code is kept as the subtype text and reported once per code (info).
    Schools marked 休校中 (P29_007 = 2, 第2.0版) are kept and listed in one note.

    Returns
    -------
    (DataFrame, dict)
        The frame with the two columns, and the field map for the rest of its columns.
    """
    if layout.key == "ksj_p02":
        return p02_facilities(frame, ctx)
    cols = {schema.normalize_column_name(c): c for c in frame.columns}
    field_map = {}
    if layout.key == "ksj_p04":
        code_col, names, kind = cols["p04001"], P04_KINDS, "hospital"
        field_map[cols["p04002"]] = "name"
    else:
        c3, c4 = cols["p29003"], cols["p29004"]
        values4 = [_code(v) for v in frame[c4]]
        old = sum(1 for v in values4 if v and v.isdigit()) > 0.5 * len(values4)
        if old and "p29005" in cols:
            code_col, name_col = c4, cols["p29005"]
            ctx.add("P29 of 製品仕様書第1.1版: 学校分類 read from P29_004 and the name from P29_005",
                    severity="info", field="facility_subtype")
        else:
            code_col, name_col = c3, c4
            if "p29001" in cols:
                field_map[cols["p29001"]] = "municipality_code"
        field_map[name_col] = "name"
        names, kind = P29_KINDS, "school"
        if not old and "p29007" in cols:
            closed = [i for i, v in enumerate(frame[cols["p29007"]]) if _code(v) == "2"]
            if closed:
                rows = [str(frame["source_row"].iloc[i]) for i in closed]
                ctx.add(f"{len(closed)} schools are 休校中 (P29_007 = 2): kept as schools; drop "
                        f"them in the source if they no longer count (rows {', '.join(rows[:10])}"
                        f"{' ...' if len(rows) > 10 else ''})", severity="info",
                        field="P29_007")
    codes = [_code(v) for v in frame[code_col]]
    unknown = sorted({c for c in codes if c is not None and c not in names})
    for code in unknown:
        rows = [str(r) for r, c in zip(frame["source_row"], codes) if c == code]
        ctx.add(f"{code_col} '{code}' is not a known code ({', '.join(f'{k} {v}' for k, v in names.items())}): "
                f"kept as the subtype text (rows {', '.join(rows[:10])})", severity="info",
                field="facility_subtype")
    frame["facility_type"] = kind
    frame["facility_subtype"] = [names.get(c, c) if c is not None else None for c in codes]
    return frame, field_map


def w05_river_class(frame, ctx) -> pd.DataFrame:
    """``river_class`` (区間種別 named: 一級直轄区間, 一級指定区間, 二級河川区間 ...) of W05
    流路 from W05_003; an unknown code is kept as its text and reported once per code."""
    cols = {schema.normalize_column_name(c): c for c in frame.columns}
    if "river_class" in frame.columns or "w05003" not in cols:
        return frame
    codes = [_code(v) for v in frame[cols["w05003"]]]
    for code in sorted({c for c in codes if c is not None and c not in W05_SECTION_CLASSES}):
        rows = [str(r) for r, c in zip(frame["source_row"], codes) if c == code]
        ctx.add(f"W05_003 '{code}' is not a known 区間種別 (1..8, 0): kept as the river_class "
                f"text (rows {', '.join(rows[:10])}{' ...' if len(rows) > 10 else ''})",
                severity="info", field="river_class")
    frame["river_class"] = [W05_SECTION_CLASSES.get(c, c) if c is not None else None
                            for c in codes]
    return frame


def p02_facilities(frame, ctx) -> tuple[pd.DataFrame, dict]:
    """KSJ P02 公共施設 points as facilities.

    ``facility_type`` from P02_002 公共施設大分類: 15 消防署 -> fire_station, 16 学校 ->
    school, 17 病院 -> hospital, 12 地方公共団体 -> office for a municipality's own office
    (小分類 12002 市役所・区役所, 12003 政令市の区役所, 12004 町村役場, or a name with 役場 /
    役所 / 庁舎 / 支所 / 出張所), prefectural_office for 12001 都道府県庁 / 12005 出先機関,
    local_government otherwise; the other classes by their name (police, post_office,
    welfare, cultural, national_office, health_center, other).  ``facility_subtype``: the
    小分類 named (``P02_SUBCLASSES``), 支所・出張所 for branch offices, else the 大分類
    name with the 小分類 code.  A 大分類 missing is taken from the 小分類's first two
    digits; an unknown 大分類 gives type ``other`` (reported once per code).

    Returns
    -------
    (DataFrame, dict)
        The frame with the two columns, and the field map for the rest of its columns.
    """
    cols = {schema.normalize_column_name(c): c for c in frame.columns}
    big = [_code(v) for v in frame[cols["p02002"]]]
    small = [_code(v) for v in frame[cols["p02003"]]]
    names = frame[cols["p02004"]].tolist()
    types, subtypes, unknown = [], [], {}
    for row, b, m, name in zip(frame["source_row"], big, small, names):
        if b is None and m is not None and m[:2].isdigit():
            b = str(int(m[:2]))
        b = str(int(b)) if b is not None and b.isdigit() else b
        kind, big_name = P02_CLASSES.get(b, ("other", None))
        if b is not None and b not in P02_CLASSES:
            unknown.setdefault(b, []).append(str(row))
        text = name if isinstance(name, str) else ""
        sub = P02_SUBCLASSES.get(m) if m is not None else None
        if b == "12":
            if m in P02_MUNICIPAL_OFFICES:
                kind = "office"
            elif m in P02_PREFECTURAL_OFFICES:
                kind = "prefectural_office"
            elif any(w in text for w in _P02_BRANCH_WORDS):
                kind, sub = "office", BRANCH_OFFICE_SUBTYPE
            elif any(w in text for w in _P02_OFFICE_WORDS):
                kind = "office"
        if sub is None:
            sub = " ".join(x for x in (big_name or (b and f"公共施設大分類 {b}"), m) if x) or None
        types.append(kind)
        subtypes.append(sub)
    for code, rows in unknown.items():
        ctx.add(f"P02_002 公共施設大分類 '{code}' is not a known code "
                f"({', '.join(f'{k} {v[1]}' for k, v in P02_CLASSES.items())}): facility_type "
                f"'other' (rows {', '.join(rows[:10])}{' ...' if len(rows) > 10 else ''})",
                severity="info", field="facility_type")
    frame["facility_type"] = types
    frame["facility_subtype"] = subtypes
    counts = pd.Series(types).value_counts()
    ctx.add("P02 公共施設 by facility_type: " + ", ".join(f"{k} {int(v)}" for k, v in counts.items()),
            severity="info", action="note", field="facility_type")
    field_map = {cols["p02004"]: "name"}
    if "p02001" in cols:
        field_map[cols["p02001"]] = "municipality_code"
    return frame, field_map


def n10_field_map(frame, ctx) -> dict:
    """The N10 column that holds the 緊急輸送道路区分 (tier 1..3), as ``{column:
    "emergency_tier"}``, told by its values: the one ``N10_`` column whose values are all
    第1次..第3次 / 1..3 (a column written with 次 wins).  None found, or several that fit
    (a prefecture code 01..03 also fits): no tier, and one note saying how to name it.
    """
    fits, with_ji = [], []
    for col in frame.columns:
        if not schema.normalize_column_name(col).startswith("n10"):
            continue
        values = [v for v in frame[col].tolist() if _code(v) is not None]
        if not values:
            continue
        try:
            tiers = [schema.parse_emergency_tier(v) for v in values]
        except ValueError:
            continue
        if all(t is not None for t in tiers):
            fits.append(col)
            if any("次" in str(v) for v in values):
                with_ji.append(col)
    chosen = with_ji if with_ji else fits
    if len(chosen) == 1:
        ctx.add(f"緊急輸送道路区分 read from column {chosen[0]} (its values are 第1次..第3次)",
                severity="info", field="emergency_tier")
        return {chosen[0]: "emergency_tier"}
    ctx.add("the 緊急輸送道路区分 (第1次/第2次/第3次) column could not be told "
            + (f"(several fit: {', '.join(chosen)})" if chosen else "(no N10_ column holds 1..3)")
            + ": the routes have no tier; fix: name it, e.g. field_map = {\"N10_003\" = "
            "\"emergency_tier\"}", severity="warning", field="emergency_tier")
    return {}


# --- the API's JSON ------------------------------------------------------------------
def _flatten(record, prefix="") -> dict:
    out = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def _records(data):
    """The list of records of an API answer: the top-level list, or the list under a
    key such as ``data``/``items``/``results`` (the first list of objects)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "syogen" in data or "tenken" in data:
            return [data]
        for key in ("data", "items", "results", "records", "shisetsu", "bridges"):
            if isinstance(data.get(key), list):
                return data[key]
        for value in data.values():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                return value
    return None


def is_inspection_json(path) -> bool:
    """True when ``path`` is a JSON file of the inspection database's API (not GeoJSON)."""
    if not str(path).lower().endswith(".json"):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(200_000).decode("utf-8-sig", errors="ignore")
    except OSError:
        return False
    return '"syogen"' in head or '"tenken"' in head


def read_inspection_json(path) -> pd.DataFrame:
    """The inspection database's API answer (JSON) as a text table in the columns of its
    bridge export (``INSPECTION_DB_COLUMNS``, plus ``市区町村コード``); keys it does not map
    are kept under their dotted names (``syogen.kouzou.keishiki`` ...).

    Raises
    ------
    InputError
        When the file is not JSON, or holds no list of bridge records.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found; check the path", source=path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the JSON ({exc}); fix: save the API answer as UTF-8 "
                         "JSON as it comes", source=path) from None
    records = _records(data)
    if not records:
        raise InputError("the JSON holds no list of bridge records (expected a list of "
                         "objects with 'syogen' and 'tenken'); fix: save the API answer "
                         "as it comes", source=path)
    rows = []
    for rec in records:
        flat = _flatten(rec) if isinstance(rec, dict) else {"value": rec}
        row = {}
        for key, value in flat.items():
            row[INSPECTION_JSON_KEYS.get(key, key)] = value
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in frame.columns:
        frame[col] = [None if v is None or (isinstance(v, float) and np.isnan(v))
                      else str(v) for v in frame[col]]
    frame = frame.fillna("")
    missing = [k for k in INSPECTION_JSON_SIGNATURE if INSPECTION_JSON_KEYS[k] not in frame.columns]
    if missing:
        raise InputError(f"the JSON records lack the key(s) {', '.join(missing)} of the "
                         "inspection database's API; fix: save the API answer as it comes",
                         source=path)
    return frame


#: the KSJ facility layouts (read by ``ksj_facilities``)
KSJ_FACILITY_LAYOUTS = (KSJ_P02, KSJ_P04, KSJ_P29)

__all__ = ["Layout", "INSPECTION_DB", "FUTURE_MESH", "KSJ_N10", "KSJ_P02", "KSJ_P04", "KSJ_P29",
           "KSJ_W05", "KSJ_FACILITY_LAYOUTS", "w05_river_class", "p02_facilities",
           "future_population", "n10_field_map",
           "ksj_facilities",
           "future_population_columns", "INSPECTION_DB_COLUMNS", "detect_layout",
           "layout_field_map", "apply_layout_values", "is_inspection_json",
           "read_inspection_json"]
