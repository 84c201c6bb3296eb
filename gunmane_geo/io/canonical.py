"""Mapping source columns onto the canonical schema, converting values, checking rows.

Every function here takes a frame with a ``source_row`` column (1-based row or
feature number in the source file) and a ``LayerContext`` that writes to the load report,
and returns the frame with bad rows removed: each removed row is in the report
with ``action="skipped"``.  Values that cannot be parsed are set to missing and
reported with ``action="nulled"``.  See docs/loading.md for the rule per problem.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field as dataclass_field

import numpy as np
import pandas as pd

from .. import schema
from ..errors import InputError
from ..settings import calendar_year
from .load_report import LoadReport

#: canonical fields -> pandas dtype of the output column
BOOL_FIELDS = {"emergency_route", "bus_route", "school_route", "oneway", "is_bridge", "is_tunnel",
               "footbridge"}
INT_FIELDS = {"built_year", "last_inspection_year", "rating", "layer", "technical_staff",
              "emergency_tier"}
FLOAT_FIELDS = {"length_m", "width_m", "deck_area_m2", "aadt", "speed_kmh", "population",
                "inspection_hours"}

#: the column that identifies a feature, per kind (used in report rows)
ID_FIELD = {"bridges": "bridge_id", "roads": "road_id", "municipalities": "municipality_code",
            "facilities": "facility_id", "staff": "municipality_code", "other_assets": "asset_id",
            "rivers": "river_id", "railways": "railway_id", "population": None,
            "emergency_routes": "route_id"}


@dataclass
class LayerContext:
    """Where report rows of one layer go.

    ``distinct`` names the canonical text fields that ``convert_values`` found distinct on
    every row, none blank and none changed by stripping: their id checks need no second
    pass (a hash pass over millions of ids costs seconds).
    """
    source: str
    layer: str
    report: LoadReport
    distinct: set = dataclass_field(default_factory=set)

    def add(self, message, *, row=None, feature_id=None, severity="warning", action="note",
            field=None):
        if feature_id is not None and not isinstance(feature_id, str):
            if pd.isna(feature_id):
                feature_id = None
        self.report.add(self.source, self.layer, message, row=None if row is None else int(row),
                        feature_id=feature_id, severity=severity, action=action, field=field)

    def error(self, message, row=None, field=None) -> InputError:
        return InputError(message, source=self.source, row=row, field=field)


def feature_id_of(frame: pd.DataFrame, kind: str, idx):
    col = ID_FIELD.get(kind)
    if col and col in frame.columns:
        value = frame.at[idx, col]
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return None


# ---------------------------------------------------------------------------
def resolve_columns(columns, kind: str, field_map: dict | None = None, source: str = "",
                    truncated_names: bool = False) -> dict:
    """Source column -> canonical field, for the columns of one layer.

    ``field_map`` ({source column: canonical field}) wins over the alias table of
    ``gunmane_geo.schema.ALIASES``; a ``{canonical: source}`` map is accepted too.
    The first alias (in table order) that a file has wins when several match.  With
    ``truncated_names`` (Shapefiles) a name of 8 bytes or more that is the start of
    exactly one field's alias matches that field.

    Raises
    ------
    InputError
        When ``field_map`` names a column the file does not have or a field the
        kind does not know.
    """
    columns = [c for c in columns if c != "geometry"]
    canon_fields = schema.FIELDS.get(kind, {})
    mapping: dict = {}
    if field_map:
        for key, value in field_map.items():
            if key in columns:
                src, dst = key, value
            elif value in columns and key in canon_fields:
                src, dst = value, key
            else:
                raise InputError(
                    f"field_map names column '{key}', which is not in the file; columns are: "
                    f"{', '.join(map(str, columns))}", source=source)
            if dst not in canon_fields:
                raise InputError(
                    f"field_map maps '{src}' to '{dst}', which is not a field of {kind}; "
                    f"fields are: {', '.join(canon_fields)}", source=source)
            mapping[src] = dst
    taken = set(mapping.values())
    normalized = {}
    for col in columns:
        if col in mapping:
            continue
        normalized.setdefault(schema.normalize_column_name(col), col)
    for canon, aliases in schema.ALIASES.get(kind, {}).items():
        if canon in taken:
            continue
        for alias in (canon,) + tuple(aliases):
            col = normalized.get(schema.normalize_column_name(alias))
            if col is not None and col not in mapping:
                mapping[col] = canon
                taken.add(canon)
                break
    if truncated_names:
        # Shapefile field names are cut at 10 bytes (判定区分 in UTF-8 becomes 判定区):
        # an unmatched name of >= 8 bytes that begins exactly one field's alias matches it
        for col in columns:
            norm = schema.normalize_column_name(col)
            if col in mapping or len(str(col).encode("utf-8")) < 8:
                continue
            hits = {canon for canon, aliases in schema.ALIASES.get(kind, {}).items()
                    if canon not in taken and any(
                        schema.normalize_column_name(a).startswith(norm) for a in aliases)}
            if len(hits) == 1:
                mapping[col] = hits.pop()
                taken.add(mapping[col])
    return mapping


def rename_to_canonical(frame, kind: str, ctx: LayerContext, field_map=None):
    """Rename mapped columns; an unmapped column whose name clashes with a canonical
    field is renamed ``<name>_source``.  Other columns are kept as they are."""
    mapping = resolve_columns(list(frame.columns), kind, field_map, ctx.source,
                              truncated_names=str(ctx.source).lower().endswith((".shp", ".dbf")))
    canon_targets = set(mapping.values())
    renames = {}
    for col in frame.columns:
        if col in mapping:
            renames[col] = mapping[col]
        elif col in canon_targets and col != "geometry":
            renames[col] = f"{col}_source"
    frame = frame.rename(columns=renames)
    shown = {k: v for k, v in mapping.items() if k != v}
    if shown:
        ctx.add("columns mapped: " + ", ".join(f"{k} -> {v}" for k, v in shown.items()),
                severity="info", action="note")
    return frame


def convert_values(frame, kind: str, ctx: LayerContext):
    """Parse every canonical column with its ``schema.PARSERS`` parser.

    A value that does not parse becomes missing and is reported (``action="nulled"``).
    """
    fields = schema.FIELDS.get(kind, {})
    for field in fields:
        if field not in frame.columns:
            continue
        parser = schema.PARSERS.get(field, schema.parse_text)
        # one parse per distinct value (a column repeats a lot), spread back over the rows
        codes, uniques = pd.factorize(frame[field].astype(object), use_na_sentinel=False)
        results = np.empty(len(uniques), dtype=object)
        todo = range(len(uniques))
        if parser is schema.parse_text and len(uniques) > 64:
            # ids and names are mostly distinct: strip the str values in one pass
            # (blank -> None, as parse_text does); other types go through parse_text
            if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
                is_str = np.ones(len(uniques), bool)
            else:
                is_str = np.fromiter((type(v) is str for v in uniques), bool, len(uniques))
            text = uniques[is_str]
            stripped = np.fromiter(map(str.strip, text), object, len(text))
            blank = np.fromiter(map(operator.not_, stripped), bool, len(text))
            stripped[blank] = None
            results[is_str] = stripped
            todo = np.flatnonzero(~is_str)
            if (len(uniques) == len(frame) and is_str.all() and not blank.any()
                    and all(map(operator.is_, text, stripped))):
                ctx.distinct.add(field)     # every row its own, clean value
        bad = np.zeros(len(uniques), bool)
        for j in todo:
            raw = uniques[j]
            try:
                value = parser(raw)
                # a blank cell in a ○/× column means "no"
                results[j] = False if value is None and field in BOOL_FIELDS else value
            except ValueError as exc:
                results[j] = exc
                bad[j] = True
        for i in np.flatnonzero(bad[codes]) if bad.any() else ():       # in row order
            idx = frame.index[i]
            ctx.add(f"{results[codes[i]]}; value set to missing", row=frame.at[idx, "source_row"],
                    feature_id=feature_id_of(frame, kind, idx) if field != ID_FIELD.get(kind) else None,
                    severity="warning", action="nulled", field=field)
        if field in CODE_FIELDS:
            _note_code_forms(frame, field, uniques, results, codes, kind, ctx)
        results[bad] = None
        # typed once per distinct value, then spread over the rows (a take, no Python
        # object per row)
        typed = _typed(results.tolist(), field)
        frame[field] = typed[codes]
    return frame


#: municipality-code fields whose normalisation (lost leading zero, check digit) is reported
CODE_FIELDS = ("municipality_code", "manager_code")


def _note_code_forms(frame, field, uniques, results, codes, kind, ctx):
    """One info row per way a municipality code was written other than as 5 digits:
    a lost leading zero (``1100`` -> ``01100``, Excel drops it) and a 6-digit code with its
    check digit (verified, dropped), with the count and the first rows."""
    forms: dict = {}
    for j, (raw, result) in enumerate(zip(uniques, results)):
        if not isinstance(result, str):
            continue
        text = schema.code_text(raw)
        if text is None or text == result:
            continue
        if len(text) == 6:
            form = "6 digits with the check digit (JIS X 0402): check digit verified and dropped"
        elif len(text) < 5:
            form = (f"{len(text)} digits: leading zero restored (a spreadsheet such as Excel "
                    "drops it)")
        else:
            continue
        forms.setdefault(form, []).append((j, raw, result))
    for form, entries in forms.items():
        which = {j for j, _, _ in entries}
        pos = np.flatnonzero(np.isin(codes, list(which)))
        rows = [int(frame["source_row"].iloc[p]) for p in pos]
        _, raw, result = entries[0]
        ctx.add(f"{len(rows)} code(s) of {form}, e.g. row {rows[0]} '{raw}' -> '{result}'"
                + (f" (rows {', '.join(map(str, rows[:10]))}{' ...' if len(rows) > 10 else ''})"
                   if len(rows) > 1 else ""),
                severity="info", action="note", field=field)


def _typed(values, field):
    if field in BOOL_FIELDS:
        return pd.array(values, dtype="boolean")
    if field in INT_FIELDS:
        try:
            return pd.Series(values, dtype=object).astype("Int64").array
        except (TypeError, ValueError):         # e.g. 1970.0: int() each value
            return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
    if field in FLOAT_FIELDS:       # one C pass; None -> NaN
        return pd.Series(values, dtype=object).astype(float).to_numpy()
    return pd.Series(values, dtype=object).values


def require_columns(frame, kind: str, ctx: LayerContext, required=None):
    """Raise ``InputError`` naming the missing required fields and how to map them."""
    required = schema.REQUIRED.get(kind, ()) if required is None else required
    missing = [f for f in required if f not in frame.columns]
    if missing:
        hints = "; ".join(
            f"{f} (known names: {', '.join(schema.ALIASES.get(kind, {}).get(f, (f,))[:6])})"
            for f in missing)
        raise ctx.error(
            f"required field(s) missing for a {kind} layer: {hints}. Rename the column or "
            f"give a field_map such as {{'<your column>': '{missing[0]}'}}; columns found: "
            f"{', '.join(str(c) for c in frame.columns if c not in ('geometry', 'source_row'))}")


def skip_rows(frame, mask, kind: str, ctx: LayerContext, message, *, severity="error", field=None):
    """Remove rows where ``mask`` is True, reporting each one."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return frame
    for idx in frame.index[mask]:
        text = message(frame, idx) if callable(message) else message
        ctx.add(text, row=frame.at[idx, "source_row"], feature_id=feature_id_of(frame, kind, idx),
                severity=severity, action="skipped", field=field)
    return frame[~mask].copy()


def null_values(frame, mask, field, kind, ctx: LayerContext, message, severity="warning"):
    """Set ``field`` to missing where ``mask``, reporting each row."""
    mask = np.asarray(mask, dtype=bool)
    for idx in frame.index[mask]:
        value = frame.at[idx, field]
        ctx.add(message.format(value=value), row=frame.at[idx, "source_row"],
                feature_id=feature_id_of(frame, kind, idx), severity=severity, action="nulled", field=field)
    if mask.any():
        col = frame[field].copy()
        col[mask] = np.nan if field in FLOAT_FIELDS else pd.NA
        frame[field] = col
    return frame


def _blank(series) -> np.ndarray:
    """Missing, or text that is only white space (one pass over the column)."""
    values = np.asarray(series, dtype=object)
    blank = pd.isna(values)
    text = np.flatnonzero(~blank)
    if pd.api.types.infer_dtype(values[text], skipna=False) == "string":
        blank[text] = schema.blank_strings(values[text])       # all str: one pass in C
        return blank
    return blank | np.fromiter((isinstance(v, str) and not v.strip() for v in values), bool,
                               len(values))


def check_ids(frame, kind: str, ctx: LayerContext, *, generate_prefix=None, unique=True):
    """Missing ids: generate ``<prefix><source_row>`` (when ``generate_prefix``) or skip the
    row; duplicate ids: skip later rows (error) when ``unique``."""
    col = ID_FIELD.get(kind)
    if col is None:
        return frame
    if col not in frame.columns:
        if generate_prefix is None:
            return frame
        frame[col] = [f"{generate_prefix}{r}" for r in frame["source_row"]]
        ctx.add(f"no {col} column: ids '{generate_prefix}<row>' generated", severity="info",
                action="filled", field=col)
        return frame
    if col in ctx.distinct:         # convert_values saw every id distinct and none blank
        return frame
    blank = _blank(frame[col])
    if blank.any():
        if generate_prefix is not None:
            frame.loc[blank, col] = [f"{generate_prefix}{r}" for r in frame.loc[blank, "source_row"]]
            ctx.add(f"{int(blank.sum())} features without {col}: ids '{generate_prefix}<row>' "
                    "generated", severity="info", action="filled", field=col)
        else:
            frame = skip_rows(frame, blank, kind, ctx,
                              f"{col} is empty: every {kind[:-1]} needs an id; fill it in the source",
                              field=col)
    if unique:
        dup = frame[col].duplicated(keep="first").to_numpy()
        if dup.any():
            first_row = frame.drop_duplicates(col).set_index(col)["source_row"]
            frame = skip_rows(
                frame, dup, kind, ctx,
                lambda f, i: f"duplicate {col} '{f.at[i, col]}' (first used on row "
                             f"{first_row[f.at[i, col]]}): row skipped; give each row its own id",
                field=col)
    return frame


def check_ranges(frame, kind: str, ctx: LayerContext, io_settings):
    """Impossible values become missing (reported): years outside
    [min_built_year, max_built_year or this year], non-positive or too large
    lengths/widths/areas, negative traffic, speeds outside (0, 200] km/h."""
    max_year = io_settings.max_built_year or calendar_year()
    min_year = io_settings.min_built_year
    for field in ("built_year", "last_inspection_year"):
        if field in frame.columns:
            col = frame[field]
            bad = (col.notna() & ((col < min_year) | (col > max_year))).fillna(False).to_numpy(bool)
            null_values(frame, bad, field, kind, ctx,
                        f"{field} {{value}} is outside {min_year}..{max_year}; value set to missing")
    limits = {"length_m": io_settings.max_bridge_length_m, "width_m": io_settings.max_bridge_width_m,
              "deck_area_m2": io_settings.max_bridge_length_m * io_settings.max_bridge_width_m}
    if kind != "bridges":
        limits = {"width_m": 200.0}
    for field, upper in limits.items():
        if field in frame.columns:
            col = frame[field]
            bad = (col.notna() & ((col <= 0) | (col > upper))).to_numpy(bool)
            null_values(frame, bad, field, kind, ctx,
                        f"{field} {{value}} is impossible (must be > 0 and <= {upper:g}); "
                        "value set to missing")
    for field, lo, hi in (("aadt", 0.0, 1e6), ("speed_kmh", 0.0, 200.0), ("population", 0.0, 1e8),
                          ("inspection_hours", 0.0, 1e5)):
        if field in frame.columns:
            col = frame[field]
            bad = (col.notna() & ((col < lo) | (col > hi) | ((col == 0) & (field == "speed_kmh")))
                   ).to_numpy(bool)
            null_values(frame, bad, field, kind, ctx,
                        f"{field} {{value}} is outside {lo:g}..{hi:g}; value set to missing")
    return frame
