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
