"""Progress: the one callback convention of every long loop, and its sub-ranges.

A long function takes ``progress(fraction, message) -> bool`` (``fraction`` in 0..1;
returning True cancels it, which raises :class:`gunmane_geo.errors.Cancelled`).
The command line turns the callback into a tqdm bar or progress lines
(``cli/_common.py``), the QGIS plugin into ``QgsProcessingFeedback``
(``algorithms/base.py``).

* :func:`report_progress` calls an optional callback and raises on cancel.
* :func:`sub_progress` maps a step's own 0..1 onto a slice of its caller's range,
  so a stage that runs other stages hands each one its part of the bar.
"""
from __future__ import annotations

from collections.abc import Callable

from .errors import report_progress

#: ``progress(fraction, message="") -> bool``: True cancels the run.
Progress = Callable[..., bool]

__all__ = ["Progress", "report_progress", "sub_progress"]


def sub_progress(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A callback that maps 0..1 onto ``start``..``end`` of ``progress``.

    Parameters
    ----------
    progress : callable or None
        The caller's ``progress(fraction, message) -> bool``.
    start, end : float
        The slice of the caller's range (fractions, 0..1) the step reports into.

    Returns
    -------
    callable or None
        None when ``progress`` is None (nothing to report to).
    """
    if progress is None:
        return None
    return lambda fraction, message="": progress(start + (end - start) * fraction, message)
