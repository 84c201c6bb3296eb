"""Errors that carry a message a GIS user can act on (file, row or feature, fix)."""
from __future__ import annotations


class GunmaneError(ValueError):
    """Base class: bad input or impossible request, with a readable message."""


class InputError(GunmaneError):
    """An input file or layer cannot be used as it is.

    The message names the file, the row or feature where known, and the fix.
    """

    def __init__(self, message: str, *, source=None, row=None, field=None):
        prefix = ""
        if source is not None:
            prefix += f"{source}"
            if row is not None:
                prefix += f", row {row}"
            if field is not None:
                prefix += f", field '{field}'"
            prefix += ": "
        super().__init__(prefix + message)
        self.source, self.row, self.field = source, row, field


class Cancelled(GunmaneError):
    """The user cancelled a long run (a progress callback returned True)."""


#: set by the command line's Ctrl-C handler: a Ctrl-C that Python had to drop (it landed
#: in a finaliser or a C callback) still stops the run at its next check
_interrupt = {"requested": False}


def request_interrupt(requested: bool = True) -> None:
    """Record (or, with False, clear) a Ctrl-C for ``check_interrupt``."""
    _interrupt["requested"] = requested


def check_interrupt() -> None:
    """Raise ``KeyboardInterrupt`` when a Ctrl-C was recorded (progress reports and every
    output's final move call this, so an interrupted run never puts outputs in place)."""
    if _interrupt["requested"]:
        raise KeyboardInterrupt


def report_progress(progress, fraction: float, message: str = "") -> None:
    """Call an optional ``progress(fraction, message)`` callback; raise ``Cancelled`` if it returns True."""
    check_interrupt()
    if progress is not None and progress(max(0.0, min(1.0, float(fraction))), message):
        raise Cancelled("cancelled by the user")
