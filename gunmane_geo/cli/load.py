"""``gunmane load --config run.toml --out DIR``: load, validate and reproject every input."""
from __future__ import annotations

from pathlib import Path

from ._common import add_run_arguments, warn_skipped
from ._inputs import warn_inputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "load", help="load every input of run.toml into DIR/loaded.gpkg (canonical, one CRS)",
        description="Read the [inputs] of run.toml, validate them, bring all layers into one "
                    "metric CRS and write DIR/loaded.gpkg (layers + load_report, load_summary, "
                    "run_settings and sources tables) and DIR/load_report.csv.")
    add_run_arguments(p, quiet_help="print only the summary")
    p.set_defaults(func=run_load)


def run_load(args) -> int:
    import pandas as pd

    from ..io.loader import load_region, load_run_config
    from ..io.writers import write_csv, write_layers
    from ..io.region import PopulationRaster
    from .validate import format_report

    inputs, settings = load_run_config(args.config)

    def progress(fraction, message):
        if not args.quiet:
            print(f"[{fraction * 100:3.0f}%] {message}", flush=True)

    region = load_region(inputs, settings, progress=progress)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    layers = {}
    sources = []
    for kind in ("municipalities", "roads", "bridges", "rivers", "railways", "facilities",
                 "staff", "other_assets", "population", "emergency_routes"):
        frame = getattr(region, kind)
        if frame is None:
            continue
        if isinstance(frame, PopulationRaster):
            sources.append({"kind": kind, "path": str(frame.path), "crs": frame.crs,
                            "stored": "raster file (not copied)"})
            continue
        layers[kind] = frame
        sources.append({"kind": kind, "path": region.sources.get(kind, ""), "crs": region.crs,
                        "stored": f"layer {kind}"})
    layers["sources"] = pd.DataFrame(sources, columns=["kind", "path", "crs", "stored"])
    gpkg = write_layers(out / "loaded.gpkg", layers, settings=settings, report=region.report)
    csv = write_csv(region.report.to_frame(), out / "load_report.csv")
    print(format_report(region.report, show_info=False) if not args.quiet
          else region.report.summary().to_string(index=False))
    print(f"\nCRS: {region.crs}\nwritten: {gpkg}\n         {csv}")
    warn_skipped(region.report, "load", csv)
    warn_inputs(region.report, "load", csv)
    return 0
