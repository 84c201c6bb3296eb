"""Console lines about inputs that change results without failing (docs/errors.md,
"Inputs: what is skipped, repaired, warned"): printed by every command that loads a run,
next to the skipped-features warning, also with ``--quiet``.

One line per kind:

* the load-time checks of ``gunmane_geo.io.loader.check_plausibility``
  (``LoadReport.console``): bridges outside every municipality, bridges far from every
  road (``gunmane <cmd>: WARNING: ...`` with the likely cause when a large share is
  affected), municipalities without a staff row;
* values set to missing (``action = nulled``: a rating '5', a decimal comma, a year out
  of range ...), counted per field;
* municipalities counted as 0 staff by the grouping, and bridges left unmatched by the
  network, when the load-time checks did not already say so.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def _where(r) -> str:
    where = Path(str(r.source)).name
    if pd.notna(r.row):
        where += f" row {r.row}"
    if isinstance(r.feature_id, str):
        where += f" ({r.feature_id})"
    return where


def input_lines(report, command: str, out=None) -> list[str]:
    """The console lines (without printing them)."""
    if report is None:
        return []
    table = f" (all of them: the load_report table in {out})" if out else \
        " (all of them: the load report)"
    lines = []
    kinds = set()
    for entry in getattr(report, "console", []):
        kinds.add(entry["kind"])
        level = "WARNING" if entry["strong"] else "warning"
        lines.append(f"gunmane {command}: {level}: {entry['message']}")
    df = report.to_frame()
    if not len(df):
        return lines
    nulled = df[df["action"] == "nulled"]
    if len(nulled):      # a row skipped anyway is in the skipped-features line
        sk = df[(df["action"] == "skipped") & df["row"].notna()]
        skipped = set(zip(sk["source"], sk["layer"], sk["row"]))
        nulled = nulled[[(s, la, r) not in skipped for s, la, r in
                         zip(nulled["source"], nulled["layer"], nulled["row"])]]
    if len(nulled):
        counts = nulled["field"].fillna("?").value_counts()
        first = next(nulled.itertuples())
        lines.append(
            f"gunmane {command}: warning: {len(nulled)} value(s) set to missing and counted "
            "as unknown: " + ", ".join(f"{f} {c}" for f, c in counts.items())
            + f"; e.g. {_where(first)}: {first.message}{table}")
    if "staff_missing" not in kinds:
        staff = df[(df["layer"] == "staff") & df["message"].str.contains(
            "no row in the staff table|no staff table given", regex=True)]
        if len(staff):
            if staff["message"].str.contains("no staff table given").any():
                lines.append(f"gunmane {command}: warning: no staff table given: technical "
                             "staff counted as 0 in every municipality")
            else:
                codes = staff["feature_id"].dropna().astype(str).tolist()
                lines.append(
                    f"gunmane {command}: warning: {len(codes)} municipalities have no row in "
                    f"the staff table, counted as 0 technical staff: {', '.join(codes[:5])}"
                    + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
                    + "; fix: add their rows")
    if "far_from_roads" not in kinds:
        unmatched = df[df["action"] == "unmatched"]
        if len(unmatched):
            first = next(unmatched.itertuples())
            lines.append(f"gunmane {command}: warning: {len(unmatched)} bridge(s) not matched "
                         f"to a road (kept with matched = false, no criticality); e.g. "
                         f"{_where(first)}: {first.message}{table}")
    return lines


def warn_inputs(report, command: str, out=None) -> int:
    """Print ``input_lines`` on stderr; returns how many lines."""
    lines = input_lines(report, command, out)
    for line in lines:
        print(line, file=sys.stderr)
    return len(lines)
