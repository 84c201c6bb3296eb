"""The report of a run: ``gunmane report`` = the pipeline's run + this rendering.

``run_report(config, out_dir)`` runs :func:`gunmane_geo.pipeline.run_analysis` and
:func:`write_report` writes into ``out_dir``:

* ``results.gpkg``   every layer and table, plus ``run_settings``, ``load_report``,
  ``stages`` (what ran, what failed, and why)
* ``tables/*.csv``   UTF-8 with BOM; indicators and effect with Japanese+English headers
* ``maps/*.pdf|png`` the council maps (``settings.maps.paper``, A3 by default)
* ``report_ja.html``, ``report_en.html``, ``report_ja.pdf``, ``report_en.pdf`` (page 1:
  the findings, also as ``summary_ja|en.pdf|png``; technical tables in an appendix)
* ``run_settings.json`` every parameter used (and the config file copied as ``run_config.toml``)

The folder belongs to the run: everything is written into a temporary folder beside it
(``.NAME.partial-PID``) and swapped in only when complete, so an interrupted run leaves
the previous report as it was (or no folder), never a mix, and a rerun leaves no stale
file of an earlier run.  A folder that holds files gunmane did not write (no
``run_settings.json``) is refused before any work (``check_report_folder``).

One module a job: ``figures.py`` (the maps and their sentences), ``outputs.py``
(results.gpkg, tables, run_settings.json), ``sections.py`` (what the report says),
``html.py`` and ``pdf.py`` (laying it out).  A stage that did not run is listed
with its reason; no number is ever made up for it.  See ``docs/report.md``.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ..errors import GunmaneError, InputError, check_interrupt
from ..pipeline import RunResult, Stage, run_analysis
from ..progress import Progress, report_progress, sub_progress
from .figures import build_maps
from .html import write_html
from .outputs import write_results
from .pdf import write_pdf
from .summary import summary_page

__all__ = ["run_report", "write_report", "check_report_folder", "build_maps", "write_html",
           "write_pdf"]

#: the file that marks a folder as a gunmane report (written by ``write_results``)
MARKER = "run_settings.json"


def check_report_folder(out_dir) -> None:
    """Refuse, before any work, a report folder the run cannot own.

    The folder may be missing, empty, or an earlier gunmane report (it holds
    ``run_settings.json``; the run replaces it whole).  A folder with other files, a
    read-only folder or a file of that name raise ``InputError`` with the fix.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("the report folder names an existing file; fix: give a folder name",
                         source=out)
    parent = out.parent if str(out.parent) else Path(".")
    base = next((p for p in [parent, *parent.parents] if p.exists()), Path("."))
    if not os.access(base, os.W_OK | os.X_OK):
        raise InputError(f"the folder {base} is read-only, so the report cannot be written "
                         "there; fix: choose an --out folder you may write to", source=out)
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        names = sorted(p.name for p in out.iterdir())[:5]
        raise InputError(f"the folder holds files that gunmane did not write ({', '.join(names)}"
                         f"{', ...' if len(names) == 5 else ''}); a report folder is replaced "
                         "whole by each run, so it must be new, empty or an earlier gunmane "
                         "report; fix: choose a new --out folder", source=out)


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace ``out`` by the complete folder ``tmp`` (two renames in the same folder).

    Ctrl-C is held back during the two renames (and acted on right after), so an
    interruption never leaves the old folder moved away and the new one not yet in place.
    """
    import signal
    import threading
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    interrupted = []
    main_thread = threading.current_thread() is threading.main_thread()
    previous = (signal.signal(signal.SIGINT, lambda *a: interrupted.append(True))
                if main_thread else None)
    try:
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    if interrupted:
        raise KeyboardInterrupt


def run_report(config, out_dir, *, progress: Progress | None = None, dpi: int | None = None,
               stages=None, region=None, settings=None) -> RunResult:
    """Run every stage and write results.gpkg, tables, maps and the report (ja, en; HTML, PDF).

    Parameters
    ----------
    config : path
        run.toml (``[inputs]`` and settings sections).
    out_dir : path
        Output folder: new, empty, or an earlier report (replaced whole when this run is
        complete; see ``check_report_folder``).
    progress : callable, optional
        ``progress(fraction, message) -> bool``; True cancels.
    dpi : int, optional
        PNG resolution (default ``settings.maps.dpi``).
    stages : iterable of str, optional
        Run only these analysis stages (and what they need); the others are
        listed in the report as not requested.
    region, settings : Region, Settings, optional
        Layers already loaded and the settings to use (``pipeline.run_analysis``): one
        region of ``gunmane report --regions-by`` (``report.regions``).

    Returns
    -------
    RunResult
    """
    out = Path(out_dir)
    check_report_folder(out)
    res = run_analysis(config, out, progress=sub_progress(progress, 0.0, 0.9), stages=stages,
                       region=region, settings=settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        write_report(res, tmp, progress=progress, dpi=dpi)
        check_interrupt()
        _swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    res.files = [out / Path(f).relative_to(tmp) for f in res.files]
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
    for lang in ("ja", "en"):     # page 1 of each report: the findings (report/summary.py)
        res.pages[f"summary_{lang}"] = (summary_page(res, lang), "", "")
    report_progress(progress, 0.93, "writing maps")
    for name, (page, _, _) in res.pages.items():
        # page 1 of each report beside the reports; the council maps under maps/
        res.files += page.save((out / name) if name.startswith("summary_") else
                               (out / "maps" / name), dpi=dpi)
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
