"""The load report: every feature that was skipped, repaired or converted, and why.

Nothing is dropped silently: a loader that does not put a feature in its output
adds a row here with ``action="skipped"`` and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REPORT_COLUMNS = ["source", "layer", "row", "feature_id", "severity", "action", "field", "message"]
SEVERITIES = ("error", "warning", "info")
#: what happened to the feature: skipped (not in the output), repaired (geometry fixed),
#: nulled (a value set to missing), filled (a value computed or generated),
#: converted (geometry type changed), note (nothing changed)
ACTIONS = ("skipped", "repaired", "nulled", "filled", "converted", "note")
SUMMARY_COLUMNS = ["source", "layer", "read", "kept", "skipped", "repaired", "nulled",
                   "errors", "warnings", "features"]


@dataclass
class LoadReport:
    """Collects report rows; ``to_frame()`` gives the ``load_report`` table.

    ``row`` is the 1-based feature/row number in the source file (the header line
    of a CSV is not counted), or ``None`` for whole-layer messages.
    """
    rows: list[dict] = field(default_factory=list)
    layers: list[dict] = field(default_factory=list)   # one summary per layer read
    #: what the command line prints on the console besides the report: one entry per
    #: check that changes results without failing (``alert``)
    console: list[dict] = field(default_factory=list)

    def add(self, source, layer, message, *, row=None, feature_id=None,
            severity="warning", action="note", field=None) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        self.rows.append({
            "source": str(source), "layer": layer, "row": row,
            "feature_id": None if feature_id is None else str(feature_id),
            "severity": severity, "action": action, "field": field, "message": message,
        })

    def alert(self, source, layer, message, *, kind: str, strong: bool = False,
              field=None) -> None:
        """A whole-layer warning row that the command line also prints on the console
        (``kind`` groups them: ``outside_municipalities``, ``far_from_roads``,
        ``staff_missing``); ``strong`` marks a likely wrong input (printed as WARNING)."""
        self.add(source, layer, message, severity="warning", action="note", field=field)
        self.console.append({"kind": kind, "strong": bool(strong), "source": str(source),
                             "layer": layer, "message": message})

    def extend(self, other: "LoadReport") -> None:
        self.rows.extend(other.rows)
        self.layers.extend(other.layers)
        self.console.extend(other.console)

    def add_layer(self, source, layer, *, read: int, kept: int, features: int) -> None:
        """Record that ``read`` features were read from ``source`` and ``kept`` of them are
        in the output as ``features`` output features (more after exploding multi-parts,
        fewer after dissolving)."""
        self.layers.append({"source": str(source), "layer": layer, "read": int(read),
                            "kept": int(kept), "features": int(features)})

    def summary(self) -> pd.DataFrame:
        """One row per layer read: features read, kept, skipped, repaired, nulled, and the
        number of error / warning rows (``SUMMARY_COLUMNS``).

        ``skipped`` counts the source rows (or whole-layer features) with a skipped row in
        the report, also those skipped after loading (the network build drops a road that
        collapses when snapped); ``kept = read - skipped``, so the three always add up."""
        df = self.to_frame()
        out = []
        for entry in self.layers:
            sub = df[(df["source"] == entry["source"]) & (df["layer"] == entry["layer"])]

            def n_rows(action):
                s = sub[sub["action"] == action]
                # whole-layer rows (row is NA) count their features via feature_id
                return int(s["row"].dropna().nunique() + s[s["row"].isna()]["feature_id"]
                           .dropna().nunique())

            # rows skipped after reading (e.g. by the network build) count as skipped, so
            # that read = kept + skipped holds in every summary
            skipped = min(n_rows("skipped"), entry["read"])
            out.append({**entry, "kept": min(entry["kept"], entry["read"] - skipped),
                        "skipped": skipped, "repaired": n_rows("repaired"),
                        "nulled": n_rows("nulled"),
                        "errors": int((sub["severity"] == "error").sum()),
                        "warnings": int((sub["severity"] == "warning").sum())})
        return pd.DataFrame(out, columns=SUMMARY_COLUMNS)

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
