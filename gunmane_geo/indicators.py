"""見える化: the state of bridges and other assets per municipality and per group.

One row per municipality (``level="municipality"``) and, when groups are given,
one row per group (``level="group"``), with the municipality (or the union of
the members') polygons as geometry, in the CRS of the municipalities layer.

Counted bridges are those managed by the municipality (``manager`` is
``"municipality"`` or missing), each at its managing municipality (``manager_code``,
from 管理者名, when it names a municipality of the layer; else where it stands);
bridges of the prefecture or the state that stand in the municipality are counted
apart in ``n_bridges_prefecture`` and ``n_bridges_national`` (together
``n_bridges_other_manager``).
Every input bridge and asset is either counted or listed in
``result.attrs["skipped"]`` with the reason.  Definitions: ``docs/indicators.md``.
"""
from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import InputError, report_progress
from .schema import deck_area_m2, manager_class
from .settings import Settings

SKIPPED_COLUMNS = ["layer", "feature_id", "reason"]

#: column -> (Japanese header, English header).  Columns made per sector or per
#: horizon are labelled by :func:`indicator_labels`.
BASE_LABELS = {
    "level": ("集計単位", "level"),
    "unit_id": ("コード", "code"),
    "unit_name": ("名称", "name"),
    "members": ("構成市区町村", "member municipalities"),
    "n_municipalities": ("市区町村数", "municipalities"),
    "reference_year": ("基準年", "reference year"),
    "n_bridges": ("橋梁数（市区町村管理）", "bridges (municipal)"),
    "deck_area_m2": ("橋面積 (m²)", "deck area (m2)"),
    "n_bridges_other_manager": ("橋梁数（国・県管理）", "bridges (state/prefecture)"),
    "n_bridges_prefecture": ("橋梁数（都道府県管理）", "bridges (prefecture)"),
    "n_bridges_national": ("橋梁数（国管理・計画対象外）", "bridges (national, never planned)"),
    "n_built_year_known": ("架設年判明数", "bridges with known year built"),
    "n_built_year_unknown": ("架設年不明数", "bridges with unknown year built"),
    "n_rating_1": ("判定区分I 健全", "rating I (sound)"),
    "n_rating_2": ("判定区分II 予防保全段階", "rating II (preventive)"),
    "n_rating_3": ("判定区分III 早期措置段階", "rating III (early action)"),
    "n_rating_4": ("判定区分IV 緊急措置段階", "rating IV (urgent)"),
    "n_rating_unknown": ("判定区分 未判定・不明", "rating unknown"),
    "share_rating_3_4": ("判定区分III・IVの割合", "share rated III or IV"),
    "technical_staff": ("技術系職員数", "technical staff"),
    "bridges_per_staff": ("技術系職員1人当たり橋梁数", "bridges per technical staff"),
    "n_inspection_overdue": ("点検期限超過数", "inspections overdue"),
    "n_inspection_unknown": ("点検年度不明数", "inspection year unknown"),
    "n_other_assets": ("他分野施設数", "other-sector assets"),
}

SECTOR_JA = {"road": "道路", "river": "河川", "park": "公園", "sewer": "下水道",
             "tunnel": "トンネル", "farm_forest_road": "農林道", "port_road": "臨港道路"}


def age_columns(settings: Settings) -> list[str]:
    """Names of the ageing-share columns, e.g. ``share_age50_now``, ``share_age50_in10y``."""
    t = int(settings.effect.ageing_threshold_years)
    cols = [f"share_age{t}_now"]
    cols += [f"share_age{t}_in{int(h)}y" for h in settings.effect.ageing_horizons_years]
    return cols


def indicator_labels(columns, settings: Settings | None = None) -> dict[str, tuple[str, str]]:
    """Japanese and English header for each indicator column.

    Parameters
    ----------
    columns : iterable of str
        Column names of an indicators frame.
    settings : Settings, optional
        Gives the ageing threshold used in the headers.

    Returns
    -------
    dict
        ``column -> (ja, en)``; columns without a known label map to themselves.
    """
    del settings  # headers carry the threshold in the column name itself
    out = {}
    for col in columns:
        if col in BASE_LABELS:
            out[col] = BASE_LABELS[col]
        elif (m := re.fullmatch(r"share_age(\d+)_now", col)):
            out[col] = (f"建設後{m[1]}年以上の割合（現在）", f"share {m[1]}+ years old (now)")
        elif (m := re.fullmatch(r"share_age(\d+)_in(\d+)y", col)):
            out[col] = (f"建設後{m[1]}年以上の割合（{m[2]}年後）",
                        f"share {m[1]}+ years old (in {m[2]} years)")
        elif (m := re.fullmatch(r"n_age(\d+)_now", col)):
            out[col] = (f"建設後{m[1]}年以上（現在）", f"{m[1]}+ years old (now)")
        elif (m := re.fullmatch(r"n_age(\d+)_in(\d+)y", col)):
            out[col] = (f"建設後{m[1]}年以上（{m[2]}年後）", f"{m[1]}+ years old (in {m[2]} years)")
        elif (m := re.fullmatch(r"n_assets_(.+)", col)):
            out[col] = (f"{SECTOR_JA.get(m[1], m[1])}施設数", f"{m[1]} assets")
        else:
            out[col] = (col, col)
    return out


def bilingual(df: pd.DataFrame, settings: Settings | None = None, labels=None) -> pd.DataFrame:
    """A copy of ``df`` (geometry dropped) whose headers read ``日本語 (english_column)``.

    ``labels`` maps column -> (ja, en); by default :func:`indicator_labels`.
    """
    labels = labels or indicator_labels(df.columns, settings)
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
    out.columns = [f"{labels.get(c, (c, c))[0]} ({c})" for c in out.columns]
    return out


# --------------------------------------------------------------------------
def dissolve_municipalities(municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per ``municipality_code`` (N03 gives one row per island polygon).

    Returns a GeoDataFrame with ``municipality_code``, ``municipality_name`` and
    the union of the polygons, in the input CRS, sorted by code.
    """
    if municipalities is None or len(municipalities) == 0:
        raise InputError("the municipalities layer is empty: give the N03 行政区域 layer "
                         "(municipality_code, municipality_name)", source="municipalities")
    for col in ("municipality_code", "municipality_name"):
        if col not in municipalities.columns:
            raise InputError(f"column '{col}' is missing; map it in the [inputs] table of the "
                             "run config", source="municipalities", field=col)
    m = municipalities[["municipality_code", "municipality_name", "geometry"]].copy()
    m["municipality_code"] = m["municipality_code"].astype(str)
    names = m.groupby("municipality_code")["municipality_name"].first()
    geom = m.dissolve(by="municipality_code")[["geometry"]]
    out = gpd.GeoDataFrame(
        {"municipality_code": geom.index.astype(str),
         "municipality_name": names.reindex(geom.index).to_numpy()},
        geometry=geom.geometry.to_numpy(), crs=municipalities.crs)
    return out.sort_values("municipality_code").reset_index(drop=True)


def assign_municipality(features: gpd.GeoDataFrame | pd.DataFrame, municipalities: gpd.GeoDataFrame,
                        *, layer: str, id_column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every feature a ``municipality_code``.

    A code already in the feature is kept when it names a municipality of the
    layer; otherwise the feature's location decides (point in polygon; for a
    line or polygon its representative point).  Both layers must share a CRS.

    Returns
    -------
    (assigned, skipped)
        ``assigned``: the features with ``municipality_code`` filled;
        ``skipped``: ``layer, feature_id, reason`` for features that lie in
        no municipality of the layer and carry no known code.
    """
    feats = features.copy()
    known = set(municipalities["municipality_code"].astype(str))
    if "municipality_code" in feats.columns:
        code = feats["municipality_code"].astype("string").str.strip()
        code = code.where(code.isin(known))
    else:
        code = pd.Series(pd.NA, index=feats.index, dtype="string")
    need = code.isna()
    has_geom = isinstance(feats, gpd.GeoDataFrame) and feats.geometry.name in feats.columns
    if need.any() and has_geom:
        sub = feats.loc[need]
        ok = ~(sub.geometry.isna() | sub.geometry.is_empty)
        pts = gpd.GeoDataFrame(geometry=sub.loc[ok].geometry.representative_point(), crs=feats.crs)
        if len(pts):
            if municipalities.crs is not None and pts.crs is not None and pts.crs != municipalities.crs:
                pts = pts.to_crs(municipalities.crs)
            hit = gpd.sjoin(pts, municipalities[["municipality_code", "geometry"]],
                            how="left", predicate="within")
            hit = hit[~hit.index.duplicated(keep="first")]
            code.loc[hit.index] = hit["municipality_code"].astype("string")
    feats["municipality_code"] = code
    bad = feats["municipality_code"].isna()
    ids = feats[id_column].astype(str) if id_column in feats.columns else feats.index.astype(str)
    skipped = pd.DataFrame({
        "layer": layer, "feature_id": ids[bad].to_numpy(),
        "reason": ("no municipality: its municipality_code is missing or not in the municipalities "
                   "layer, and its location is outside every municipality polygon"),
    }, columns=SKIPPED_COLUMNS)
    return feats.loc[~bad].copy(), skipped


def members_table(group_members: pd.DataFrame | None, groups=None) -> pd.DataFrame:
    if group_members is None:
        return pd.DataFrame(columns=["group_id", "group_name", "municipality_code"])
    for col in ("group_id", "municipality_code"):
        if col not in group_members.columns:
            raise InputError(f"group members table needs column '{col}' "
                             "(one row per group and member municipality)", source="group_members",
                             field=col)
    gm = pd.DataFrame(group_members)
    if "candidate" in gm.columns and gm["candidate"].notna().any():
        # municipal_groups gives several candidate partitions: use the best (lowest number)
        gm = gm[gm["candidate"] == gm["candidate"].min()]
    gm = gm[[c for c in ("group_id", "group_name", "municipality_code") if c in gm.columns]].copy()
    gm["group_id"] = gm["group_id"].astype(str)
    gm["municipality_code"] = gm["municipality_code"].astype(str)
    if "group_name" not in gm.columns:
        names = None
        if groups is not None and "group_id" in groups.columns and "group_name" in groups.columns:
            names = groups.set_index(groups["group_id"].astype(str))["group_name"]
        gm["group_name"] = gm["group_id"].map(names) if names is not None else gm["group_id"]
    gm["group_name"] = gm["group_name"].fillna(gm["group_id"]).astype(str)
    return gm.drop_duplicates(["group_id", "municipality_code"])


def skipped_records(*frames: pd.DataFrame) -> list[dict]:
    """``layer, feature_id, reason`` frames joined as a list of records (all values str).

    Records, not a DataFrame, for ``attrs["skipped"]``: pandas compares attrs when it
    concatenates or prints slices, and a DataFrame there raises "truth value of a
    DataFrame is ambiguous".
    """
    skipped = pd.concat([d for d in frames if d is not None and len(d)]
                        or [pd.DataFrame(columns=SKIPPED_COLUMNS)], ignore_index=True)
    return [{k: str(v) for k, v in r.items()} for r in skipped[SKIPPED_COLUMNS].to_dict("records")]


# --------------------------------------------------------------------------
def bridge_table(bridges, munis, year, settings):
    """Assign bridges; add per-bridge flags used by the aggregation."""
    if bridges is None or len(bridges) == 0:
        cols = ["bridge_id", "municipality_code", "is_municipal"]
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=SKIPPED_COLUMNS)
    if "bridge_id" not in bridges.columns:
        raise InputError("column 'bridge_id' is missing", source="bridges", field="bridge_id")
    bridges = by_managing_municipality(bridges, munis["municipality_code"])
    b, skipped = assign_municipality(bridges, munis, layer="bridges", id_column="bridge_id")
    manager = manager_class(b)
    b["is_municipal"] = manager.isna() | (manager == "municipality")
    b["is_prefecture"] = (manager == "prefecture").fillna(False).astype(bool)
    b["is_national"] = (manager == "national").fillna(False).astype(bool)
    b["_area"] = deck_area_m2(b)          # NaN (unknown) is left out of the sums
    built = pd.to_numeric(b["built_year"], errors="coerce") if "built_year" in b.columns \
        else pd.Series(np.nan, index=b.index)
    b["_built"] = built.astype(float)
    t = int(settings.effect.ageing_threshold_years)
    b["_old_now"] = (year - b["_built"]) >= t
    for h in settings.effect.ageing_horizons_years:
        b[f"_old_in{int(h)}y"] = (year + int(h) - b["_built"]) >= t
    rating = pd.to_numeric(b["rating"], errors="coerce") if "rating" in b.columns \
        else pd.Series(np.nan, index=b.index)
    b["_rating"] = rating.astype(float)
    last = pd.to_numeric(b["last_inspection_year"], errors="coerce") \
        if "last_inspection_year" in b.columns else pd.Series(np.nan, index=b.index)
    b["_last"] = last.astype(float)
    b["_overdue"] = (year - b["_last"]) > int(settings.effect.inspection_cycle_years)
    return pd.DataFrame(b.drop(columns="geometry", errors="ignore")), skipped


def by_managing_municipality(bridges, known_codes):
    """Bridges whose ``municipality_code`` is their managing municipality's for municipal
    bridges (``manager`` municipality or missing) with a ``manager_code`` (管理者名 matched
    in ``load_region``) among ``known_codes`` (the municipalities of the run); the others
    unchanged.

    A municipality that manages a bridge standing across its border counts it as its
    own (the municipality it stands in does not)."""
    if "manager_code" not in bridges.columns:
        return bridges
    known = {str(c) for c in known_codes}
    manager = manager_class(bridges)
    code = bridges["manager_code"].astype("string").str.strip()
    use = ((manager.isna() | (manager == "municipality")) & code.isin(known)).fillna(False)
    if not use.any():
        return bridges
    out = bridges.copy()
    if "municipality_code" not in out.columns:
        out["municipality_code"] = pd.NA
    out["municipality_code"] = out["municipality_code"].astype(object)
    out.loc[use.to_numpy(bool), "municipality_code"] = code[use].astype(str).to_numpy()
    return out


def _aggregate_bridges(b: pd.DataFrame, settings) -> dict:
    mun = b[b["is_municipal"]] if len(b) else b
    t = int(settings.effect.ageing_threshold_years)
    out = {"n_bridges": int(len(mun)),
           "deck_area_m2": float(mun["_area"].sum()) if len(mun) else 0.0,
           "n_bridges_other_manager": int(len(b) - len(mun)),
           "n_bridges_prefecture": int(b["is_prefecture"].sum()) if len(b) else 0,
           "n_bridges_national": int(b["is_national"].sum()) if len(b) else 0}
    known = mun["_built"].notna() if len(mun) else pd.Series(dtype=bool)
    nk = int(known.sum())
    out["n_built_year_known"] = nk
    out["n_built_year_unknown"] = int(len(mun) - nk)
    keys = ["now"] + [f"in{int(h)}y" for h in settings.effect.ageing_horizons_years]
    for k in keys:
        n_old = int(mun[f"_old_{k}"].sum()) if len(mun) else 0
        out[f"n_age{t}_{k}"] = n_old
        out[f"share_age{t}_{k}"] = n_old / nk if nk else np.nan
    rated = 0
    for r in (1, 2, 3, 4):
        n = int((mun["_rating"] == r).sum()) if len(mun) else 0
        out[f"n_rating_{r}"] = n
        rated += n
    out["n_rating_unknown"] = int(len(mun) - rated)
    out["share_rating_3_4"] = (out["n_rating_3"] + out["n_rating_4"]) / rated if rated else np.nan
    out["n_inspection_overdue"] = int(mun["_overdue"].sum()) if len(mun) else 0
    out["n_inspection_unknown"] = int(mun["_last"].isna().sum()) if len(mun) else 0
    return out


def municipality_indicators(municipalities: gpd.GeoDataFrame,
                            bridges: gpd.GeoDataFrame | None,
                            staff: pd.DataFrame | None = None,
                            other_assets: gpd.GeoDataFrame | pd.DataFrame | None = None,
                            *, group_members: pd.DataFrame | None = None,
                            groups: pd.DataFrame | None = None,
                            settings: Settings | None = None,
                            progress=None) -> gpd.GeoDataFrame:
    """見える化 indicators per municipality and per group.

    Parameters
    ----------
    municipalities : GeoDataFrame
        N03-like polygons with ``municipality_code`` and ``municipality_name``
        (several rows per code allowed), in a projected metric CRS.
    bridges : GeoDataFrame or None
        Bridge inventory (canonical fields of ``schema.BRIDGE_FIELDS``), same CRS.
    staff : DataFrame, optional
        ``municipality_code``, ``technical_staff`` (技術系職員数).
    other_assets : DataFrame or GeoDataFrame, optional
        ``asset_id``, ``sector``, ``asset_type``, ``municipality_code`` (or a location).
    group_members : DataFrame, optional
        One row per (``group_id``, ``municipality_code``), optional ``group_name``;
        a municipality may belong to several groups.  With a ``candidate``
        column (``municipal_groups`` output) only the best candidate is used.
    groups : DataFrame, optional
        ``group_id`` -> ``group_name`` when ``group_members`` has no names.
    settings : Settings, optional
        ``settings.effect``: ``reference_year`` (None = this year),
        ``ageing_threshold_years``, ``ageing_horizons_years``, ``inspection_cycle_years``.
    progress : callable, optional
        ``progress(fraction, message)``; returning True cancels.

    Returns
    -------
    GeoDataFrame
        One row per municipality then per group; columns in ``docs/indicators.md``
        (counts, ``deck_area_m2`` in m², shares as fractions 0..1, NaN where the
        denominator is 0 or unknown).  ``attrs["skipped"]`` lists bridges and
        assets that could not be placed in any municipality, and why, as records
        (``pd.DataFrame(result.attrs["skipped"])`` gives ``layer, feature_id, reason``).
    """
    settings = settings or Settings()
    year = settings.reference_year("effect")
    munis = dissolve_municipalities(municipalities)
    report_progress(progress, 0.05, "assigning bridges to municipalities")
    btab, skipped_b = bridge_table(bridges, munis, year, settings)

    staff_by = pd.Series(dtype=float)
    skipped_s = pd.DataFrame(columns=SKIPPED_COLUMNS)
    if staff is not None and len(staff):
        for col in ("municipality_code", "technical_staff"):
            if col not in staff.columns:
                raise InputError(f"column '{col}' is missing", source="staff", field=col)
        s = pd.DataFrame(staff).copy()
        s["municipality_code"] = s["municipality_code"].astype(str)
        s["technical_staff"] = pd.to_numeric(s["technical_staff"], errors="coerce")
        unknown = ~s["municipality_code"].isin(munis["municipality_code"])
        skipped_s = pd.DataFrame({"layer": "staff", "feature_id": s.loc[unknown, "municipality_code"],
                                  "reason": "municipality_code not in the municipalities layer"},
                                 columns=SKIPPED_COLUMNS)
        staff_by = s[~unknown].groupby("municipality_code")["technical_staff"].sum(min_count=1)

    atab = pd.DataFrame(columns=["municipality_code", "sector"])
    skipped_a = pd.DataFrame(columns=SKIPPED_COLUMNS)
    if other_assets is not None and len(other_assets):
        if "sector" not in other_assets.columns:
            raise InputError("column 'sector' is missing", source="other_assets", field="sector")
        atab, skipped_a = assign_municipality(other_assets, munis, layer="other_assets",
                                              id_column="asset_id")
        atab = pd.DataFrame(atab.drop(columns="geometry", errors="ignore"))
        atab["sector"] = atab["sector"].astype(str)
    sectors = sorted(atab["sector"].unique()) if len(atab) else []

    gm = members_table(group_members, groups)
    unknown_members = gm[~gm["municipality_code"].isin(munis["municipality_code"])]
    if len(unknown_members):
        raise InputError(
            "group members name municipality codes that are not in the municipalities layer: "
            + ", ".join(sorted(unknown_members["municipality_code"].unique())),
            source="group_members")

    units = [("municipality", r.municipality_code, r.municipality_name, [r.municipality_code])
             for r in munis.itertuples()]
    for gid, sub in gm.groupby("group_id", sort=True):
        units.append(("group", gid, sub["group_name"].iloc[0], sorted(sub["municipality_code"])))

    name_of = dict(zip(munis["municipality_code"], munis["municipality_name"]))
    geom_of = dict(zip(munis["municipality_code"], munis.geometry))
    rows, geoms = [], []
    for i, (level, uid, uname, codes) in enumerate(units):
        report_progress(progress, 0.1 + 0.9 * i / max(len(units), 1), f"indicators: {uname}")
        b = btab[btab["municipality_code"].isin(codes)] if len(btab) else btab
        row = {"level": level, "unit_id": str(uid), "unit_name": str(uname),
               "members": "・".join(name_of[c] for c in codes), "n_municipalities": len(codes),
               "reference_year": year}
        row.update(_aggregate_bridges(b, settings))
        st = staff_by.reindex(codes)
        row["technical_staff"] = float(st.sum()) if len(st) and st.notna().all() else np.nan
        row["bridges_per_staff"] = (row["n_bridges"] / row["technical_staff"]
                                    if row["technical_staff"] and row["technical_staff"] > 0
                                    else np.nan)
        a = atab[atab["municipality_code"].isin(codes)] if len(atab) else atab
        row["n_other_assets"] = int(len(a))
        for sec in sectors:
            row[f"n_assets_{sec}"] = int((a["sector"] == sec).sum())
        rows.append(row)
        geoms.append(gpd.GeoSeries([geom_of[c] for c in codes]).union_all() if len(codes) > 1
                     else geom_of[codes[0]])
    out = gpd.GeoDataFrame(rows, geometry=geoms, crs=munis.crs)
    out.attrs["skipped"] = skipped_records(skipped_b, skipped_s, skipped_a)
    report_progress(progress, 1.0, "indicators done")
    return out


def asset_type_counts(other_assets: pd.DataFrame | gpd.GeoDataFrame | None,
                      municipalities: gpd.GeoDataFrame,
                      *, group_members: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of other-sector assets by ``sector`` and ``asset_type`` per municipality and group.

    Returns
    -------
    DataFrame
        ``level, unit_id, unit_name, sector, asset_type, count`` (long form, one
        row per unit and type present); assets placed in no municipality are
        left out here and listed by :func:`municipality_indicators`.
    """
    cols = ["level", "unit_id", "unit_name", "sector", "asset_type", "count"]
    if other_assets is None or len(other_assets) == 0:
        return pd.DataFrame(columns=cols)
    munis = dissolve_municipalities(municipalities)
    a, _ = assign_municipality(other_assets, munis, layer="other_assets", id_column="asset_id")
    a = pd.DataFrame(a.drop(columns="geometry", errors="ignore"))
    a["sector"] = a["sector"].astype(str)
    a["asset_type"] = (a["asset_type"].astype("string").fillna("（不明）")
                       if "asset_type" in a.columns else "（不明）")
    name_of = dict(zip(munis["municipality_code"], munis["municipality_name"]))
    parts = []
    m = a.groupby(["municipality_code", "sector", "asset_type"]).size().rename("count").reset_index()
    m.insert(0, "level", "municipality")
    m.insert(1, "unit_id", m.pop("municipality_code"))
    m.insert(2, "unit_name", m["unit_id"].map(name_of))
    parts.append(m)
    gm = members_table(group_members)
    if len(gm):
        g = a.merge(gm, on="municipality_code")
        g = g.groupby(["group_id", "group_name", "sector", "asset_type"]).size().rename("count")
        g = g.reset_index().rename(columns={"group_id": "unit_id", "group_name": "unit_name"})
        g.insert(0, "level", "group")
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["count"] = out["count"].astype(int)
    return out
