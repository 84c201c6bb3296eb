"""What the analysis commands share: input layer arguments, run.toml, running stages,
progress bar and progress lines, the warning about skipped features."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..progress import sub_progress
from ..settings import Settings, read_toml

LAYER_HELP = {
    "roads": "road lines (Shapefile/GeoPackage/GeoJSON/FlatGeobuf) or an OSM PBF",
    "bridges": "bridge inventory (points/lines, or CSV with 緯度/経度)",
    "population": "population: raster (persons per cell) or polygons/points with a population column",
    "facilities": "facilities (hospital, school, office, fire_station)",
    "rivers": "river lines/polygons (help matching bridges to roads)",
}


def add_layer_arguments(parser, kinds=tuple(LAYER_HELP), help_overrides=None) -> None:
    """``--roads``, ``--bridges``, ... ``--config``: the inputs of a network analysis."""
    helps = {**LAYER_HELP, **(help_overrides or {})}
    for kind in kinds:
        parser.add_argument(f"--{kind}", help=helps[kind])
    parser.add_argument("--config", help="run.toml: settings tables ([network], [costs], ...) and "
                                         "optionally [inputs]; layers on the command line win")


def add_dask_arguments(parser, with_option: str, scheduler_note: str = "") -> None:
    """``--workers`` and ``--scheduler``, which go with ``with_option`` (``--partition``,
    ``--compare``, ``--regions-by``): the local Dask cluster's size, or an existing
    scheduler (``distributed.open_client``)."""
    parser.add_argument("--workers", type=int, default=None,
                        help=f"with {with_option}: workers of the local Dask cluster "
                             "(default: the number of CPU cores)")
    parser.add_argument("--scheduler", default=None,
                        help=f"with {with_option}: address of an existing Dask scheduler "
                             f"(e.g. tcp://10.0.0.5:8786{scheduler_note}) instead of a "
                             "local cluster")


def add_run_arguments(parser, *, quiet_help: str = "no progress messages or summary") -> None:
    """``--config run.toml`` (required), ``--out`` folder and ``--quiet``: the arguments of
    the commands that run stages of a whole run (load, indicators, effect, map, report)."""
    parser.add_argument("--config", required=True, help="run.toml with an [inputs] table")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--quiet", action="store_true", help=quiet_help)


def run_stages(args, stages, *, effect_inputs=None):
    """Run ``stages`` of run.toml (``args.config``) into ``args.out``, with progress lines
    unless ``args.quiet``; returns the ``RunResult`` (see :func:`require_stages`).

    ``effect_inputs`` is the CSV of ``gunmane effect --inputs`` (None: from run.toml).
    """
    from ..pipeline import run_analysis
    return run_analysis(args.config, args.out, progress=progress_printer(args.quiet),
                        stages=stages, effect_inputs=effect_inputs)


def require_stages(res, names, what: str = "") -> None:
    """Raise ``GunmaneError`` (``{what}stage NAME did not run (STATUS): reason``) for the
    first of ``names`` that did not run in ``res``."""
    from ..errors import GunmaneError
    for name in names:
        st = res.stages[name]
        if st.status != "ok":
            raise GunmaneError(f"{what}stage {name} did not run ({st.status}): {st.message}")


def progress_printer(quiet: bool):
    """A ``progress(fraction, message)`` callback printing ``[ 45%] message`` lines on stderr,
    one per 5 % step and stage (None with ``quiet``)."""
    if quiet:
        return None
    state = {"last": None}

    def cb(fraction, message=""):
        key = (int(fraction * 20), message.split(":")[0])
        if key != state["last"]:
            state["last"] = key
            print(f"[{fraction * 100:3.0f}%] {message}", file=sys.stderr)
        return False
    return cb


def inputs_and_settings(args, kinds=tuple(LAYER_HELP), required=("roads",)):
    """Inputs dict and ``Settings`` from ``--config`` (settings or a full run.toml) and flags."""
    inputs, settings = {}, Settings()
    if getattr(args, "config", None):
        path = Path(args.config)
        try:
            data, _ = read_toml(path)      # UTF-8 (BOM dropped) or CP932; syntax errors
        except FileNotFoundError:
            raise InputError("configuration file not found", source=path) from None
        if "inputs" in data:
            from ..io.loader import load_run_config
            inputs, settings = load_run_config(path)
        else:
            settings = Settings.from_dict(data, source=str(path))   # already read above
    for kind in kinds:
        if getattr(args, kind, None):
            inputs[kind] = getattr(args, kind)
    for kind in required:
        if kind not in inputs:
            raise InputError(f"no {kind} given: add --{kind} PATH (or [inputs] {kind} = \"...\" "
                             "in the --config file)", source="command line")
    return inputs, settings


def warn_skipped(report, command: str, out=None, limit: int = 3) -> int:
    """One warning line on stderr when the load report skipped input features (rows or
    features that are in no output), with the first ``limit`` of them; returns how many.

    Printed even with ``--quiet``: a skipped feature is data the user gave and does not
    get back (docs/errors.md).
    """
    import pandas as pd
    if report is None:
        return 0
    df = report.skipped()
    if not len(df):
        return 0
    examples = []
    for r in df.head(limit).itertuples():
        where = Path(str(r.source)).name
        if pd.notna(r.row):
            where += f" row {r.row}"
        fid = f" ({r.feature_id})" if isinstance(r.feature_id, str) else ""
        examples.append(f"{where}{fid}: {r.message}")
    more = f"; and {len(df) - limit} more" if len(df) > limit else ""
    table = f" in {out}" if out else ""
    print(f"gunmane {command}: warning: {len(df)} input feature(s) left out of the analysis: "
          + "; ".join(examples) + more + f" (all of them, with the reasons: the load_report "
          f"table{table})", file=sys.stderr)
    return len(df)


def require_gpkg(path, inputs=None) -> set[str]:
    """Check ``--out`` before any work: a .gpkg name, a folder and file that can be written,
    no lock by another program (``io.writers.check_gpkg_target``).  Returns the layers of
    that file which are inputs of the run (``inputs``: the run's inputs dict), which the
    run must never overwrite (pass them to ``write_layers(..., protected=)``)."""
    from ..io.writers import check_gpkg_target
    if not str(path).lower().endswith(".gpkg"):
        raise InputError("--out must be a GeoPackage file name ending in .gpkg",
                         source="command line")
    protected = input_layers_in(path, inputs or {})
    check_gpkg_target(path, (), protected=protected)
    return protected


def input_layers_in(gpkg_path, inputs: dict) -> set[str]:
    """The layers of ``gpkg_path`` that ``inputs`` (kind -> path or {path, layer}) read."""
    from ..io.sources import choose_layer
    target = Path(gpkg_path).resolve()
    out = set()
    for kind, spec in inputs.items():
        path = spec.get("path") if isinstance(spec, dict) else spec
        if path is None or Path(path).resolve() != target or not target.exists():
            continue
        layer = spec.get("layer") if isinstance(spec, dict) else None
        try:
            out.add(choose_layer(target, kind, layer))
        except InputError:          # several layers and none named: protect them all
            from ..io.writers import gpkg_layer_names
            out |= set(gpkg_layer_names(target))
    return out


class ProgressBar:
    """A tqdm progress bar on stderr as a ``progress(fraction, message)`` callback.

    ``quiet=True`` gives a silent callback.  ``part(start, width)`` maps a stage's
    own 0..1 onto a slice of the bar.
    """

    def __init__(self, quiet: bool, desc: str):
        self.bar = None
        if not quiet:
            from tqdm import tqdm
            self.bar = tqdm(total=1000, desc=desc, unit="‰", file=sys.stderr,
                            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} {postfix}")

    def __call__(self, fraction, message=""):
        if self.bar is not None:
            n = int(fraction * 1000)
            if n > self.bar.n:
                self.bar.update(n - self.bar.n)
            self.bar.set_postfix_str(str(message)[:60], refresh=False)
        return False

    def part(self, start: float, width: float):
        """The callback for a stage that fills ``start``..``start + width`` of the bar."""
        return sub_progress(self, start, start + width)

    def close(self):
        if self.bar is not None:
            self.bar.close()
