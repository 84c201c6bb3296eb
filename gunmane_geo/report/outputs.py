"""The run's data outputs: ``results.gpkg`` (every layer and table), ``tables/*.csv``
(UTF-8 with BOM; indicators and effect with Japanese+English headers) and
``run_settings.json`` (every parameter used, the inputs, the stages, the versions)."""
from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pandas as pd

from ..io import write_csv, write_layers
from ..pipeline import RunResult


def write_tables(res: RunResult, out: Path) -> list[Path]:
    from ..effect import EFFECT_LABELS
    from ..indicators import bilingual
    tdir = out / "tables"
    files = []
    L = res.layers
    if "indicators" in L:
        files.append(write_csv(bilingual(L["indicators"], res.settings), tdir / "indicators.csv"))
    if "effect" in L:
        files.append(write_csv(bilingual(L["effect"], labels=EFFECT_LABELS), tdir / "effect.csv"))
    for name in ("effect_assumptions", "asset_type_counts", "bridge_criticality", "bridge_options",
                 "consolidation_sets", "plan", "plan_summary", "cost_curve", "plan_compare", "effect_drivers", "groups",
                 "group_members", "asset_packages", "multi_sector_areas", "road_pairs",
                 "skipped_features"):
        if L.get(name) is not None:
            files.append(write_csv(L[name], tdir / f"{name}.csv"))
    files.append(write_csv(res.stages_frame(), tdir / "stages.csv"))
    if res.region is not None:
        files.append(write_csv(res.region.report.to_frame(), tdir / "load_report.csv"))
    return files


def gpkg_layers(res: RunResult) -> dict:
    layers = {}
    region = res.region
    for kind in ("municipalities", "roads", "bridges", "facilities", "other_assets"):
        f = getattr(region, kind, None)
        if isinstance(f, pd.DataFrame):
            layers[f"input_{kind}"] = f
    if isinstance(getattr(region, "staff", None), pd.DataFrame):
        layers["input_staff"] = pd.DataFrame(region.staff)
    for name, f in res.layers.items():
        if isinstance(f, pd.DataFrame):
            layers[name] = f
    layers["stages"] = res.stages_frame()
    if res.network is not None:
        layers["network_edges"] = res.network.edges
    return layers


def settings_record(res: RunResult) -> dict:
    from ..maps.layout import map_date
    import platform
    versions = {}
    for mod in ("numpy", "pandas", "geopandas", "shapely", "pyproj", "matplotlib"):
        try:
            versions[mod] = importlib.import_module(mod).__version__
        except Exception:  # pragma: no cover
            pass
    from .. import __version__
    return {"config": str(res.config_path), "settings": res.settings.to_dict(),
            "resolved": {"reference_year": res.settings.reference_year(),
                         "map_date": map_date(res.settings).isoformat()},
            "inputs": getattr(res.region, "sources", {}),
            "stages": res.stages_frame().to_dict("records"),
            "versions": {"gunmane_geo": __version__, "python": platform.python_version(),
                         **versions}}


def write_results(res: RunResult, out: Path) -> list[Path]:
    """Write ``results.gpkg``, ``tables/*.csv``, ``run_settings.json`` and a copy of the
    run's config (``run_config.toml``) into ``out``; returns the files written."""
    files = [write_layers(out / "results.gpkg", gpkg_layers(res), settings=res.settings,
                          report=res.region.report)]
    files += write_tables(res, out)
    rec = settings_record(res)
    (out / "run_settings.json").write_text(json.dumps(rec, ensure_ascii=False, indent=2,
                                                      default=str), encoding="utf-8")
    shutil.copyfile(res.config_path, out / "run_config.toml")
    return files + [out / "run_settings.json", out / "run_config.toml"]
