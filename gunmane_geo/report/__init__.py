"""The report of a run: ``gunmane report`` = the pipeline's run + this rendering.

``run_report(config, out_dir)`` runs :func:`gunmane_geo.pipeline.run_analysis` and
:func:`write_report` writes into ``out_dir``:

* ``results.gpkg``   every layer and table, plus ``run_settings``, ``load_report``,
  ``stages`` (what ran, what failed, and why)
* ``tables/*.csv``   UTF-8 with BOM; indicators and effect with Japanese+English headers
* ``maps/*.pdf|png`` the council maps (``settings.maps.paper``, A3 by default)
* ``report_ja.html``, ``report_en.html``, ``report_ja.pdf``, ``report_en.pdf``
* ``run_settings.json`` every parameter used (and the config file copied as ``run_config.toml``)

One module a job: ``figures.py`` (the maps and their sentences), ``outputs.py``
(results.gpkg, tables, run_settings.json), ``sections.py`` (what the report says),
``html.py`` and ``pdf.py`` (laying it out).  A stage that did not run is listed
with its reason; no number is ever made up for it.  See ``docs/report.md``.
"""
from __future__ import annotations

import time
from pathlib import Path

from ..errors import GunmaneError
from ..pipeline import RunResult, Stage, run_analysis
from ..progress import Progress, report_progress, sub_progress
from .figures import build_maps
from .html import write_html
from .outputs import write_results
from .pdf import write_pdf

__all__ = ["run_report", "write_report", "build_maps", "write_html", "write_pdf"]


def run_report(config, out_dir, *, progress: Progress | None = None, dpi: int | None = None,
               stages=None) -> RunResult:
    """Run every stage and write results.gpkg, tables, maps and the report (ja, en; HTML, PDF).

    Parameters
    ----------
    config : path
        run.toml (``[inputs]`` and settings sections).
    out_dir : path
        Output folder (created).
    progress : callable, optional
        ``progress(fraction, message) -> bool``; True cancels.
    dpi : int, optional
        PNG resolution (default ``settings.maps.dpi``).
    stages : iterable of str, optional
        Run only these analysis stages (and what they need); the others are
        listed in the report as not requested.

    Returns
    -------
    RunResult
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    res = run_analysis(config, out, progress=sub_progress(progress, 0.0, 0.9), stages=stages)
    write_report(res, out, progress=progress, dpi=dpi)
    return res


def write_report(res: RunResult, out_dir, *, progress: Progress | None = None,
                 dpi: int | None = None) -> list[Path]:
    """Write the maps, ``results.gpkg``, the tables and the report of ``res`` into ``out_dir``.

    Adds the ``maps`` and ``report`` stages to ``res.stages``, the map pages to
    ``res.pages`` and every file written to ``res.files`` (also returned).
    ``progress`` runs from 0.9 (the analysis done) to 1.
    """
    out = Path(out_dir)
    t0 = time.perf_counter()
    st = Stage("maps")
    res.stages["maps"] = st
    try:
        res.pages = build_maps(res)
        st.status = "ok"
        st.message = ", ".join(res.pages)
    except GunmaneError as exc:
        st.status, st.message = "failed", str(exc)
    report_progress(progress, 0.93, "writing maps")
    for name, (page, _, _) in res.pages.items():
        res.files += page.save(out / "maps" / name, dpi=dpi)
    st.seconds = time.perf_counter() - t0
    res.stages["report"] = Stage("report", "ok")
    report_progress(progress, 0.96, "writing results.gpkg and tables")
    res.files += write_results(res, out)
    report_progress(progress, 0.98, "writing the report")
    for lang in ("ja", "en"):
        res.files.append(write_html(res, out / f"report_{lang}.html", lang))
        res.files.append(write_pdf(res, out / f"report_{lang}.pdf", lang))
    report_progress(progress, 1.0, "done")
    return res.files
