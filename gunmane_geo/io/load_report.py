"""The load report: every feature that was skipped, repaired or converted, and why.

Nothing is dropped silently: a loader that does not put a feature in its output
adds a row here with ``action="skipped"`` and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REPORT_COLUMNS = ["source", "layer", "row", "feature_id", "severity", "action", "field", "message"]
SEVERITIES = ("error", "warning", "info")


@dataclass
class LoadReport:
    """Collects report rows; ``to_frame()`` gives the ``load_report`` table.

    ``row`` is the 1-based feature/row number in the source file (the header line
    of a CSV is not counted), or ``None`` for whole-layer messages.
    """
    rows: list[dict] = field(default_factory=list)

    def add(self, source, layer, message, *, row=None, feature_id=None,
            severity="warning", action="note", field=None) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        self.rows.append({
            "source": str(source), "layer": layer, "row": row,
            "feature_id": None if feature_id is None else str(feature_id),
            "severity": severity, "action": action, "field": field, "message": message,
        })

    def extend(self, other: "LoadReport") -> None:
        self.rows.extend(other.rows)

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=REPORT_COLUMNS)
        df["row"] = df["row"].astype("Int64")
        return df

    def skipped(self, layer: str | None = None) -> pd.DataFrame:
        df = self.to_frame()
        df = df[df["action"] == "skipped"]
        return df if layer is None else df[df["layer"] == layer]

    @property
    def has_errors(self) -> bool:
        return any(r["severity"] == "error" for r in self.rows)

    def __len__(self) -> int:
        return len(self.rows)
