"""導入効果試算: total cost of maintenance before and after a group arrangement.

The calculation of the ministry's 導入効果試算ツール (群マネの手引き Ver.1, Q2-7):

    total cost = direct staff hours (直営対応時間) x hourly labour cost (人件費単価)
                 + outsourcing cost (委託金額)

compared now (現状) and after the arrangement (導入後), per municipality and for
each group (the sum of its members).  The four quantities come from a table the
user fills in (:func:`read_effect_inputs`), and where a cell is empty, from
per-asset defaults in ``settings.effect``, which are ILLUSTRATIVE:

* direct hours now = bridges x (inspection + management hours per bridge and
  year) + the ``inspection_hours`` of other-sector assets;
* outsourcing now = bridges x outsourcing cost per bridge and year;
* direct hours after = hours now x (1 - ``group_hours_reduction``);
* outsourcing after = existing work: outsourcing now x (1 - ``group_outsourcing_discount``)
  + new work (新たに必要となる経費): hours moved out x ``outsourcing_yen_per_moved_hour``.
  When the table gives the outsourcing after as a total, the part above
  today's amount is counted as new and the rest as existing work.

Every row says which values came from the table and which from illustrative
defaults; :func:`effect_assumptions` lists every parameter used.  All amounts
are yen per year, hours are staff hours per year.  See ``docs/effect.md``.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import InputError, report_progress
from .indicators import bridge_table, members_table, assign_municipality, \
    dissolve_municipalities, skipped_records
from .settings import EffectSettings, Settings

#: canonical input-table columns and the Japanese/English headers accepted for them
INPUT_ALIASES = {
    "municipality_code": ["municipality_code", "団体コード", "市区町村コード", "コード", "code"],
    "direct_hours_before": ["direct_hours_before", "現状の直営対応時間", "直営対応時間（現状）",
                            "直営対応時間(現状)"],
    "direct_hours_after": ["direct_hours_after", "導入後の直営対応時間", "直営対応時間（導入後）",
                           "直営対応時間(導入後)"],
    "outsourcing_before_yen": ["outsourcing_before_yen", "現状の委託金額", "委託金額（現状）",
                               "委託金額(現状)"],
    "outsourcing_after_yen": ["outsourcing_after_yen", "導入後の委託金額", "委託金額（導入後）",
                              "委託金額(導入後)"],
    "hourly_labour_cost_yen": ["hourly_labour_cost_yen", "人件費単価"],
}
VALUE_FIELDS = [k for k in INPUT_ALIASES if k != "municipality_code"]

EFFECT_LABELS = {
    "level": ("集計単位", "level"),
    "unit_id": ("コード", "code"),
    "unit_name": ("名称", "name"),
    "members": ("構成市区町村", "member municipalities"),
    "n_bridges": ("橋梁数", "bridges"),
    "n_other_assets_with_hours": ("時間入力のある他分野施設数", "other assets with hours"),
    "hourly_labour_cost_yen": ("人件費単価（円/時間）", "hourly labour cost (yen/h)"),
    "direct_hours_before": ("直営対応時間・現状（時間/年）", "direct staff hours now (h/yr)"),
    "direct_hours_after": ("直営対応時間・導入後（時間/年）", "direct staff hours after (h/yr)"),
    "direct_cost_before_yen": ("直営人件費・現状（円/年）", "direct cost now (yen/yr)"),
    "direct_cost_after_yen": ("直営人件費・導入後（円/年）", "direct cost after (yen/yr)"),
    "outsourcing_before_yen": ("委託金額・現状（円/年）", "outsourcing now (yen/yr)"),
    "outsourcing_after_yen": ("委託金額・導入後（円/年）", "outsourcing after (yen/yr)"),
    "total_cost_before_yen": ("トータルコスト・現状（円/年）", "total cost now (yen/yr)"),
    "total_cost_after_yen": ("トータルコスト・導入後（円/年）", "total cost after (yen/yr)"),
    "direct_cost_reduction_yen": ("直営対応時間の削減による削減額（円/年）",
                                  "saving from fewer direct hours (yen/yr)"),
    "outsourcing_existing_after_yen": ("委託金額・導入後のうち既存業務分（円/年）",
                                       "outsourcing after: existing work (yen/yr)"),
    "new_outsourcing_cost_yen": ("新たに必要となる経費（直営から委託に移す業務、円/年）",
                                 "new outsourcing cost: work moved out of direct hours (yen/yr)"),
    "outsourcing_change_yen": ("委託金額の増減（円/年）", "change in outsourcing (yen/yr)"),
    "total_reduction_yen": ("トータルコスト削減額（円/年）", "total cost reduction (yen/yr)"),
    "total_reduction_share": ("トータルコスト削減率", "total cost reduction (share)"),
    "after_method": ("導入後の算定方法", "how the after-state was derived"),
    "travel_hours_saved": ("パッケージ化による点検移動時間の削減（時間/年）",
                           "inspection travel saved by packages (h/yr)"),
    "procurement_hours_saved": ("一括発注による契約事務の削減（時間/年）",
                                "procurement saved by bundling (h/yr)"),
    "contracts_before": ("契約件数・現状（件/年）", "contracts now (per yr)"),
    "contracts_after": ("契約件数・導入後（件/年、共同契約の持分）", "contracts after (per yr, share of joint ones)"),
    "bridges_removed": ("計画で点検不要となる橋梁数", "bridges no longer inspected (plan)"),
    "removed_hours_saved": ("撤去・集約による点検・管理時間の削減（時間/年）",
                            "inspection and management saved by removals (h/yr)"),
    "removed_outsourcing_saved_yen": ("撤去・集約による委託金額の削減（円/年）",
                                      "outsourcing saved by removals (yen/yr)"),
    "overhead_hours_saved": ("技術職員の共有による管理時間の削減（時間/年）",
                             "management overhead saved by shared engineers (h/yr)"),
    "uses_illustrative_defaults": ("例示の既定値を使用", "uses illustrative defaults"),
    "input_source": ("入力の出典", "source of inputs"),
}

PARAMETER_LABELS = {
    "hourly_labour_cost_yen": ("人件費単価", "hourly labour cost", "yen/h"),
    "inspection_hours_per_bridge": ("橋梁1橋当たり点検対応時間", "inspection hours per bridge",
                                    "h/bridge/yr"),
    "management_hours_per_bridge": ("橋梁1橋当たり管理対応時間", "management hours per bridge",
                                    "h/bridge/yr"),
    "outsourcing_cost_per_bridge_yen": ("橋梁1橋当たり委託金額", "outsourcing cost per bridge",
                                        "yen/bridge/yr"),
    "group_hours_reduction": ("群マネ導入による直営対応時間の削減率", "share of direct hours moved out",
                              "0-1"),
    "group_outsourcing_discount": ("一括発注による既存委託の削減率", "discount on existing contracts",
                                   "0-1"),
    "outsourcing_yen_per_moved_hour": ("委託に移した1時間当たりの委託費", "outsourcing cost per moved hour",
                                       "yen/h"),
    "inspection_crew_size": ("点検1回当たりの人数", "staff per inspection visit", "count"),
    "contracts_per_municipality": ("単独での年間点検契約件数", "contracts a municipality lets alone",
                                   "count"),
    "procurement_hours_per_contract": ("1契約当たりの発注事務時間", "procurement hours per contract",
                                       "h/contract"),
    "management_overhead_hours": ("市区町村ごとの固定的な管理業務時間", "fixed management hours per municipality",
                                  "h/yr"),
}
FLAT_RATES = "一律の率（パッケージ・計画なし） / flat rates (no packages or plan)"
DRIVER_FIELDS = ["travel_hours_saved", "procurement_hours_saved", "contracts_before",
                 "contracts_after", "bridges_removed", "removed_hours_saved",
                 "removed_outsourcing_saved_yen", "overhead_hours_saved"]
DRIVER_NAMES = {"travel": "点検移動 / travel", "contracts": "一括発注 / contracts",
                "removals": "撤去・集約 / removals", "shared_engineers": "職員の共有 / shared engineers"}

SOURCE_DEFAULT = "既定値（例示） / default (illustrative)"
SOURCE_CONFIG = "設定ファイル / run config"
SOURCE_TABLE = "入力表 / input table"


def read_effect_inputs(path: str | Path) -> pd.DataFrame:
    """Read the 導入効果試算 input table (CSV in UTF-8 or CP932/Shift_JIS).

    Columns (Japanese headers accepted, see ``INPUT_ALIASES``):
    ``municipality_code`` and any of ``direct_hours_before``,
    ``direct_hours_after`` (staff hours per year), ``outsourcing_before_yen``,
    ``outsourcing_after_yen`` (yen per year), ``hourly_labour_cost_yen``.
    Empty cells fall back to the defaults.

    Raises
    ------
    InputError
        Naming the file, the row (1-based, header not counted) and the field
        for a missing code column, a duplicate code, text in a number column
        or a negative value.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found: give the path of the 導入効果試算 input table",
                         source=path)
    raw = None
    for enc in ("utf-8-sig", "cp932"):
        try:
            raw = pd.read_csv(path, dtype=str, encoding=enc, keep_default_na=False)
            break
        except UnicodeDecodeError:
            continue
    if raw is None:
        raise InputError("cannot decode the file: save it as UTF-8 or Shift_JIS (CP932) CSV",
                         source=path)
    return normalise_effect_inputs(raw, source=path)


def normalise_effect_inputs(table: pd.DataFrame, source="effect inputs") -> pd.DataFrame:
    """Map headers to canonical names, check and convert values (see :func:`read_effect_inputs`)."""
    rename = {}
    for canon, aliases in INPUT_ALIASES.items():
        for col in table.columns:
            if str(col).strip() in aliases or str(col).strip().lower() == canon:
                rename[col] = canon
    t = table.rename(columns=rename)
    if "municipality_code" not in t.columns:
        raise InputError("no municipality code column: name it 'municipality_code' or '団体コード'",
                         source=source, field="municipality_code")
    if not any(c in t.columns for c in VALUE_FIELDS):
        raise InputError("none of the effect input columns found: expected some of "
                         + ", ".join(INPUT_ALIASES[c][1] for c in VALUE_FIELDS)
                         + f"; columns found: {', '.join(map(str, table.columns))}. Fix: "
                         "rename the columns (Japanese or English names, docs/effect.md)",
                         source=source)
    t = t[[c for c in INPUT_ALIASES if c in t.columns]].copy()
    t["municipality_code"] = t["municipality_code"].astype(str).str.strip()
    dup = t["municipality_code"].duplicated(keep=False)
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"municipality_code {t['municipality_code'].iloc[i]} appears more than "
                         "once: give one row per municipality", source=source, row=i + 1,
                         field="municipality_code")
    for col in VALUE_FIELDS:
        if col not in t.columns:
            t[col] = np.nan
            continue
        text = t[col].astype("string").str.replace(",", "", regex=False).str.strip()
        text = text.mask(text == "")
        num = pd.to_numeric(text, errors="coerce")
        bad = text.notna() & num.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"'{text.iloc[i]}' is not a number", source=source, row=i + 1,
                             field=col)
        neg = num < 0
        if neg.any():
            i = int(np.flatnonzero(neg.to_numpy())[0])
            raise InputError(f"negative value {num.iloc[i]}: hours and yen must be >= 0",
                             source=source, row=i + 1, field=col)
        t[col] = num.astype(float)
    return t.reset_index(drop=True)


def effect_assumptions(settings: Settings | None = None, inputs: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """Every parameter of the estimate, its value and where it came from.

    Returns
    -------
    DataFrame
        ``parameter, label_ja, label_en, unit, value, source``; ``source`` says
        ``既定値（例示） / default (illustrative)`` when the value is the built-in
        default, ``設定ファイル / run config`` when the run config changed it.
        When an input table is given, one more row counts the values taken from it.
    """
    settings = settings or Settings()
    defaults = EffectSettings()
    rows = []
    for key, (ja, en, unit) in PARAMETER_LABELS.items():
        value = getattr(settings.effect, key)
        src = SOURCE_DEFAULT if value == getattr(defaults, key) else SOURCE_CONFIG
        rows.append({"parameter": key, "label_ja": ja, "label_en": en, "unit": unit,
                     "value": float(value), "source": src})
    if inputs is not None and len(inputs):
        n = int(inputs[VALUE_FIELDS].notna().sum().sum())
        rows.append({"parameter": "input_table_values", "label_ja": "入力表から与えた値の数",
                     "label_en": "values given in the input table", "unit": "count",
                     "value": float(n), "source": SOURCE_TABLE})
    return pd.DataFrame(rows, columns=["parameter", "label_ja", "label_en", "unit", "value",
                                       "source"])


def effect_estimate(municipalities: gpd.GeoDataFrame,
                    bridges: gpd.GeoDataFrame | None = None,
                    other_assets: pd.DataFrame | gpd.GeoDataFrame | None = None,
                    *, inputs: pd.DataFrame | None = None,
                    group_members: pd.DataFrame | None = None,
                    groups: pd.DataFrame | None = None,
                    drivers: pd.DataFrame | None = None,
                    settings: Settings | None = None,
                    progress=None) -> gpd.GeoDataFrame:
    """導入効果試算 per municipality and per group, before and after.

    Parameters
    ----------
    municipalities : GeoDataFrame
        ``municipality_code``, ``municipality_name`` polygons (projected CRS).
    bridges : GeoDataFrame, optional
        Bridge inventory; municipal bridges (``manager`` municipality or
        missing) are counted for the per-bridge defaults.
    other_assets : DataFrame or GeoDataFrame, optional
        Other-sector assets; their ``inspection_hours`` (staff hours per year)
        are added to the direct hours now.
    inputs : DataFrame, optional
        The table of :func:`read_effect_inputs` (or its canonical columns);
        its values replace the defaults cell by cell.
    group_members : DataFrame, optional
        ``group_id``, ``municipality_code`` (``group_name``): one group row
        per group.  Without it, one group row ``ALL`` for all municipalities.
    groups : DataFrame, optional
        ``group_id`` -> ``group_name`` when the members table has no names.
    drivers : DataFrame, optional
        ``effect_drivers.effect_drivers`` output (one row per municipality).  With
        drivers (``attrs["used"]`` not empty) the after-state is derived from them:
        hours now add the procurement (contracts x hours per contract) and, with shared
        engineers, the fixed management overhead; hours after = hours now - travel
        saved - procurement saved - removed bridges' hours - overhead saved (not below
        0); outsourcing after = outsourcing now - removed bridges' outsourcing.
        Without, the flat rates ``group_hours_reduction`` and
        ``group_outsourcing_discount``.  ``after_method`` says which was used.
    settings : Settings, optional
        ``settings.effect`` gives the illustrative defaults.
    progress : callable, optional
        ``progress(fraction, message)``; returning True cancels.

    Returns
    -------
    GeoDataFrame
        One row per municipality then per group, columns of ``EFFECT_LABELS``
        (hours per year, yen per year), with the unit's polygon.  Group rows
        are sums of their members (labour cost: hours-weighted mean).
        ``attrs["skipped"]`` lists, as records ``layer, feature_id, reason``,
        the bridges and assets (with ``inspection_hours``) placed in no
        municipality and so not counted.
    """
    settings = settings or Settings()
    e = settings.effect
    for key in ("group_hours_reduction", "group_outsourcing_discount"):
        if not 0.0 <= getattr(e, key) <= 1.0:
            raise InputError(f"[effect] {key} = {getattr(e, key)} must be between 0 and 1",
                             source="run config", field=key)
    munis = dissolve_municipalities(municipalities)
    codes = list(munis["municipality_code"])
    report_progress(progress, 0.05, "effect estimate: counting assets")
    btab, skipped_b = bridge_table(bridges, munis, settings.reference_year("effect"), settings)
    n_bridges = (btab[btab["is_municipal"]].groupby("municipality_code").size()
                 if len(btab) else pd.Series(dtype=int)).reindex(codes, fill_value=0)
    other_hours = pd.Series(0.0, index=codes)
    n_other = pd.Series(0, index=codes)
    skipped_a = None
    if other_assets is not None and len(other_assets) and "inspection_hours" in other_assets.columns:
        a, skipped_a = assign_municipality(other_assets, munis, layer="other_assets", id_column="asset_id")
        h = pd.to_numeric(a["inspection_hours"], errors="coerce")
        other_hours = h.groupby(a["municipality_code"]).sum().reindex(codes, fill_value=0.0)
        n_other = h.notna().groupby(a["municipality_code"]).sum().reindex(codes, fill_value=0)

    table = None
    if inputs is not None and len(inputs):
        table = normalise_effect_inputs(pd.DataFrame(inputs), source="effect inputs")
        unknown = sorted(set(table["municipality_code"]) - set(codes))
        if unknown:
            raise InputError("municipality codes not in the municipalities layer: "
                             + ", ".join(unknown) + "; fix the code or remove the row",
                             source="effect inputs", field="municipality_code")
        table = table.set_index("municipality_code")

    rows = []
    name_of = dict(zip(munis["municipality_code"], munis["municipality_name"]))
    used = list(drivers.attrs.get("used", [])) if drivers is not None else []
    drv = drivers.set_index("municipality_code") if used else None
    method = ("分析から算定 / derived from the analysis: "
              + ", ".join(DRIVER_NAMES[u] for u in used)) if used else FLAT_RATES
    for code in codes:
        given = table.loc[code] if table is not None and code in table.index else None

        def pick(field, default):
            if given is not None and pd.notna(given.get(field, np.nan)):
                return float(given[field]), True
            return float(default), False

        nb = int(n_bridges[code])
        rate, r_t = pick("hourly_labour_cost_yen", e.hourly_labour_cost_yen)
        d = {k: 0.0 for k in DRIVER_FIELDS}
        if drv is not None and code in drv.index:
            d = {k: float(drv.loc[code, k]) for k in DRIVER_FIELDS}
        base_h = nb * (e.inspection_hours_per_bridge + e.management_hours_per_bridge) \
            + float(other_hours[code])
        if drv is not None:
            base_h += d["contracts_before"] * e.procurement_hours_per_contract
            if "shared_engineers" in used:
                base_h += e.management_overhead_hours
        h0, h0_t = pick("direct_hours_before", base_h)
        o0, o0_t = pick("outsourcing_before_yen", nb * e.outsourcing_cost_per_bridge_yen)
        if drv is not None:
            saved = (d["travel_hours_saved"] + d["procurement_hours_saved"]
                     + d["removed_hours_saved"] + d["overhead_hours_saved"])
            h1, h1_t = pick("direct_hours_after", max(0.0, h0 - saved))
            existing = max(0.0, o0 - d["removed_outsourcing_saved_yen"])
            o1, o1_t = pick("outsourcing_after_yen", existing)
        else:
            h1, h1_t = pick("direct_hours_after", h0 * (1.0 - e.group_hours_reduction))
            moved = max(h0 - h1, 0.0)
            existing = o0 * (1.0 - e.group_outsourcing_discount)
            o1, o1_t = pick("outsourcing_after_yen", existing + moved * e.outsourcing_yen_per_moved_hour)
        if o1_t:   # the table gives only the total: the part above today's amount is "new"
            existing = min(o0, o1)
        new = o1 - existing
        flags = {"hourly_labour_cost_yen": r_t, "direct_hours_before": h0_t,
                 "outsourcing_before_yen": o0_t, "direct_hours_after": h1_t,
                 "outsourcing_after_yen": o1_t}
        rows.append({"level": "municipality", "unit_id": code, "unit_name": name_of[code],
                     "members": name_of[code], "n_bridges": nb,
                     "n_other_assets_with_hours": int(n_other[code]),
                     "hourly_labour_cost_yen": rate,
                     "direct_hours_before": h0, "direct_hours_after": h1,
                     "direct_cost_before_yen": h0 * rate, "direct_cost_after_yen": h1 * rate,
                     "outsourcing_before_yen": o0, "outsourcing_after_yen": o1,
                     "outsourcing_existing_after_yen": existing, "new_outsourcing_cost_yen": new,
                     "after_method": method, **d, "_flags": flags})
    report_progress(progress, 0.6, "effect estimate: groups")
    mun = pd.DataFrame(rows)
    gm = members_table(group_members, groups)
    unknown = sorted(set(gm["municipality_code"]) - set(codes))
    if unknown:
        raise InputError("group members name municipality codes that are not in the "
                         "municipalities layer: " + ", ".join(unknown), source="group_members")
    if not len(gm):
        gm = pd.DataFrame({"group_id": "ALL", "group_name": "全市区町村 / all municipalities",
                           "municipality_code": codes})
    sums = ["n_bridges", "n_other_assets_with_hours", "direct_hours_before", "direct_hours_after",
            "direct_cost_before_yen", "direct_cost_after_yen", "outsourcing_before_yen",
            "outsourcing_after_yen", "outsourcing_existing_after_yen", "new_outsourcing_cost_yen",
            *DRIVER_FIELDS]
    group_rows, geoms = [], list(munis.geometry)
    geom_of = dict(zip(munis["municipality_code"], munis.geometry))
    mun_by_code = mun.set_index("unit_id")
    for gid, sub in gm.groupby("group_id", sort=True):
        members = sorted(sub["municipality_code"])
        m = mun_by_code.loc[members]
        g = {"level": "group", "unit_id": str(gid), "unit_name": sub["group_name"].iloc[0],
             "members": "・".join(name_of[c] for c in members), "after_method": method}
        for col in sums:
            g[col] = m[col].sum()
        g["hourly_labour_cost_yen"] = (g["direct_cost_before_yen"] / g["direct_hours_before"]
                                       if g["direct_hours_before"] > 0
                                       else float(m["hourly_labour_cost_yen"].mean()))
        flags = {}
        for f in m["_flags"]:
            for k, v in f.items():
                flags.setdefault(k, []).append(v)
        g["_flags"] = {k: all(v) for k, v in flags.items()}
        group_rows.append(g)
        geoms.append(gpd.GeoSeries([geom_of[c] for c in members]).union_all())
    out = pd.concat([mun, pd.DataFrame(group_rows)], ignore_index=True)
    out["total_cost_before_yen"] = out["direct_cost_before_yen"] + out["outsourcing_before_yen"]
    out["total_cost_after_yen"] = out["direct_cost_after_yen"] + out["outsourcing_after_yen"]
    out["direct_cost_reduction_yen"] = out["direct_cost_before_yen"] - out["direct_cost_after_yen"]
    out["outsourcing_change_yen"] = out["outsourcing_after_yen"] - out["outsourcing_before_yen"]
    out["total_reduction_yen"] = out["total_cost_before_yen"] - out["total_cost_after_yen"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["total_reduction_share"] = np.where(out["total_cost_before_yen"] > 0,
                                                out["total_reduction_yen"]
                                                / out["total_cost_before_yen"], np.nan)
    out["uses_illustrative_defaults"] = [not all(f.values()) for f in out["_flags"]]
    out["input_source"] = [_describe(f) for f in out["_flags"]]
    out = out.drop(columns="_flags")[list(EFFECT_LABELS)]
    out = gpd.GeoDataFrame(out, geometry=geoms, crs=munis.crs)
    out.attrs["skipped"] = skipped_records(skipped_b, skipped_a)
    report_progress(progress, 1.0, "effect estimate done")
    return out


def _describe(flags: dict) -> str:
    table = [k for k, v in flags.items() if v]
    default = [k for k, v in flags.items() if not v]
    parts = []
    if table:
        parts.append("入力表 / table: " + ", ".join(table))
    if default:
        parts.append("既定値（例示） / illustrative default: " + ", ".join(default))
    return "; ".join(parts)

