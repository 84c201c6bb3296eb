"""Per-municipality attributes used by grouping: staff, bridges and their age and ratings."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputError
from ..indicators import by_managing_municipality
from ..io.load_report import LoadReport
from ..schema import deck_area_m2, manager_class
from ..settings import Settings
from ._common import normalise_code, numeric, report_or_new, to_analysis_crs

ATTRIBUTE_COLUMNS = [
    "technical_staff", "bridges", "deck_area_m2", "rating_3_4", "over_50_now", "over_50_10y",
    "over_50_20y", "built_year_known", "pref_bridges", "pref_deck_area_m2", "pref_rating_3_4",
    "national_bridges", "inspection_hours", "workload",
]
WORKLOAD_INDICATORS = {
    "bridges": "bridges", "deck_area_m2": "deck_area_m2",
    "rating_3_4": "rating_3_4", "over_50_years": "over_50_now",
}


def assign_to_municipality(points: gpd.GeoDataFrame, munis: gpd.GeoDataFrame, tolerance_m: float,
                           layer: str, id_col: str, report: LoadReport) -> pd.Series:
    """Municipality code of each feature: its own ``municipality_code`` when it names a known
    municipality, else the polygon containing it (or the nearest within ``tolerance_m``).

    Features that match none are reported as skipped and get ``None``.
    """
    known = set(munis.index)
    codes = pd.Series([None] * len(points), index=points.index, dtype=object)
    if "municipality_code" in points.columns:
        given = [normalise_code(v) for v in points["municipality_code"]]
        codes[:] = [c if c in known else None for c in given]
    todo = codes.isna().to_numpy() & points.geometry.notna().to_numpy()
    if todo.any():
        sub = points[todo]
        geo = sub.geometry.values
        geo = gpd.GeoSeries([g if g is None or g.geom_type == "Point" else g.representative_point()
                             for g in geo], index=sub.index, crs=points.crs)
        joined = gpd.sjoin_nearest(gpd.GeoDataFrame(geometry=geo), munis.reset_index()[
            ["municipality_code", "geometry"]], how="left", max_distance=max(tolerance_m, 1e-9),
            distance_col="_d")
        joined = joined[~joined.index.duplicated(keep="first")]
        codes.loc[joined.index] = joined["municipality_code"].where(joined["municipality_code"].notna(), None)
    ids = points[id_col] if id_col in points.columns else pd.Series(points.index, index=points.index)
    for pos, (idx, c) in enumerate(codes.items()):
        if c is None:
            report.add(layer, layer, f"{layer[:-1]} {ids[idx]} lies in no municipality of the layer "
                       f"(no matching municipality_code, not within {tolerance_m:g} m of a polygon); "
                       "left out of group statistics: fix its code or position",
                       row=pos + 1, feature_id=ids[idx], severity="warning", action="skipped")
    return codes


def staff_by_municipality(staff, munis, report: LoadReport) -> pd.Series:
    """Technical staff per municipality code (0 and a warning where the table has no row)."""
    out = pd.Series(0.0, index=munis.index, name="technical_staff")
    if staff is None:
        report.add("staff", "staff", "no staff table given: technical staff counted as 0, the staff "
                   "floor cannot be met (set [grouping] min_staff = 0 or give a staff table)",
                   severity="warning", action="note")
        return out
    for col in ("municipality_code", "technical_staff"):
        if col not in staff.columns:
            raise InputError(f"staff table needs column '{col}' (技術系職員数: technical_staff); "
                             f"columns present: {', '.join(map(str, staff.columns))}", source="staff")
    seen = {}
    for pos, (code, value) in enumerate(zip(staff["municipality_code"], staff["technical_staff"])):
        code = normalise_code(code)
        try:
            v = float(value)
        except (TypeError, ValueError):
            v = np.nan
        if code is None or not np.isfinite(v) or v < 0:
            raise InputError(f"technical_staff must be a number >= 0 with a municipality_code "
                             f"(got code={code!r}, technical_staff={value!r})", source="staff",
                             row=pos + 1)
        if code not in out.index:
            report.add("staff", "staff", f"municipality {code} is not in the municipalities layer; "
                       "its staff are not counted", row=pos + 1, feature_id=code,
                       severity="warning", action="skipped")
            continue
        if code in seen:
            report.add("staff", "staff", f"municipality {code} appears again (rows {seen[code]} and "
                       f"{pos + 1}); the staff are added up", row=pos + 1, feature_id=code,
                       severity="warning", action="note")
        seen[code] = pos + 1
        out[code] += v
    for code in out.index:
        if code not in seen:
            report.add("staff", "staff", f"municipality {code} has no row in the staff table: "
                       "technical staff counted as 0", feature_id=code, severity="warning", action="note")
    return out


def bridge_hours(deck_area_m2, settings: Settings) -> np.ndarray:
    """Expected inspection hours per bridge (h): base hours + hours per m2 of deck.

    ``deck_area_m2`` is an array of deck areas (m2); a missing area (NaN) counts as 0.
    """
    g = settings.grouping
    area = np.nan_to_num(np.asarray(deck_area_m2, dtype=float))
    return g.inspection_hours_per_bridge + g.inspection_hours_per_m2 * area


def municipality_attributes(munis: gpd.GeoDataFrame, bridges=None, staff=None,
                            settings: Settings | None = None,
                            report: LoadReport | None = None) -> pd.DataFrame:
    """Staff and bridge indicators per municipality, and the composite workload.

    Parameters
    ----------
    munis : GeoDataFrame indexed by ``municipality_code`` (``prepare_municipalities``).
    bridges : GeoDataFrame, optional
        Canonical bridge fields; ``manager`` 'prefecture' and 'national' bridges are
        counted apart (``pref_*``, ``national_bridges``), missing manager = municipal.
        A municipal bridge counts for its managing municipality (``manager_code`` from
        管理者名, ``load_region``) when that is a municipality of ``munis``, else where
        it stands.
    staff : DataFrame, optional
        ``municipality_code``, ``technical_staff``.

    Returns
    -------
    DataFrame indexed by ``municipality_code`` with ``ATTRIBUTE_COLUMNS``.  ``workload`` is
    sum_k weight_k * x_k / total_k over ``settings.grouping.workload_weights`` (indicators
    with a zero total are left out and the weights renormalised); it sums to 1 over the
    region when any bridge is known.
    """
    settings = settings if settings is not None else Settings()
    report = report_or_new(report)
    g = settings.grouping
    df = pd.DataFrame(0.0, index=munis.index, columns=ATTRIBUTE_COLUMNS)
    df["technical_staff"] = staff_by_municipality(staff, munis, report)
    if bridges is not None and len(bridges):
        bridges = to_analysis_crs(bridges, "bridges", munis.crs, "municipalities", report)
        bridges = by_managing_municipality(bridges, munis.index)
        codes = assign_to_municipality(bridges, munis, g.adjacency_tolerance_m, "bridges",
                                       "bridge_id", report)
        b = pd.DataFrame({"code": codes.to_numpy()}, index=bridges.index)
        manager = manager_class(bridges).fillna("municipality")
        b["manager"] = manager.to_numpy()
        b["area"] = np.nan_to_num(deck_area_m2(bridges))     # unknown area counts 0 m2
        rating = numeric(bridges.get("rating"), len(bridges), np.nan)
        b["r34"] = (rating >= 3).astype(float)
        year = numeric(bridges.get("built_year"), len(bridges), np.nan)
        ref = settings.reference_year("grouping")
        age_limit = ref - g.old_age_years
        b["known"] = np.isfinite(year).astype(float)
        b["o0"] = (year <= age_limit).astype(float)
        b["o10"] = (year <= age_limit + 10).astype(float)
        b["o20"] = (year <= age_limit + 20).astype(float)
        b["hours"] = bridge_hours(b["area"].to_numpy(), settings)
        b = b[b["code"].notna()]
        muni_mask = ~b["manager"].isin(["prefecture", "national"])
        mb = b[muni_mask].groupby("code")
        df["bridges"] = mb.size().reindex(df.index, fill_value=0).astype(float)
        df["deck_area_m2"] = mb["area"].sum().reindex(df.index, fill_value=0.0)
        df["rating_3_4"] = mb["r34"].sum().reindex(df.index, fill_value=0.0)
        df["over_50_now"] = mb["o0"].sum().reindex(df.index, fill_value=0.0)
        df["over_50_10y"] = mb["o10"].sum().reindex(df.index, fill_value=0.0)
        df["over_50_20y"] = mb["o20"].sum().reindex(df.index, fill_value=0.0)
        df["built_year_known"] = mb["known"].sum().reindex(df.index, fill_value=0.0)
        df["inspection_hours"] = mb["hours"].sum().reindex(df.index, fill_value=0.0)
        pb = b[b["manager"] == "prefecture"].groupby("code")
        df["pref_bridges"] = pb.size().reindex(df.index, fill_value=0).astype(float)
        df["pref_deck_area_m2"] = pb["area"].sum().reindex(df.index, fill_value=0.0)
        df["pref_rating_3_4"] = pb["r34"].sum().reindex(df.index, fill_value=0.0)
        df["national_bridges"] = b[b["manager"] == "national"].groupby("code").size() \
            .reindex(df.index, fill_value=0).astype(float)
    df["workload"] = composite_workload(df, g.workload_weights)
    return df


def composite_workload(df: pd.DataFrame, weights: dict) -> np.ndarray:
    """sum_k weight_k * x_k / total_k; indicators with zero total are left out."""
    unknown = set(weights) - set(WORKLOAD_INDICATORS)
    if unknown:
        raise InputError(f"unknown workload indicator(s) {', '.join(sorted(unknown))}; known: "
                         f"{', '.join(WORKLOAD_INDICATORS)}", source="settings [grouping] workload_weights")
    out = np.zeros(len(df))
    used = 0.0
    for key, w in weights.items():
        x = df[WORKLOAD_INDICATORS[key]].to_numpy(dtype=float)
        total = x.sum()
        if total > 0 and w > 0:
            out += w * x / total
            used += w
    return out / used if used > 0 else out
