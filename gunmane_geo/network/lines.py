"""Edge lines kept as coordinate arrays (``EdgeLines``), not as one shapely object each.

A national network has millions of edges; a shapely line costs about 265 bytes with its
GEOS copy, two coordinates 32.  The ``Network`` keeps its edge and node geometry as
arrays and makes shapely objects when a caller asks for them: all of them on the first
read of ``Network.edges`` / ``Network.nodes`` (maps, options, the plugin), or only the
rows it needs (``EdgeLines.geometry(ids)``: matching bridges, the output rows of
``bridge_criticality``).
"""
from __future__ import annotations

import numpy as np
import shapely


class EdgeLines:
    """Line strings as one coordinate table: line ``i`` is ``xy[offsets[i]:offsets[i + 1]]``.

    Parameters
    ----------
    xy : ndarray, shape (n_vertices, 2)
        Coordinates in the network's projected metric CRS (metres), line after line.
    offsets : ndarray of int64, shape (n_lines + 1,)
        Where each line starts in ``xy``; the last entry is ``len(xy)``.  Every line has
        at least two coordinates (an edge of the network always has).
    """

    __slots__ = ("xy", "offsets")

    def __init__(self, xy: np.ndarray, offsets: np.ndarray):
        self.xy = np.ascontiguousarray(xy, dtype=float).reshape(-1, 2)
        self.offsets = np.ascontiguousarray(offsets, dtype=np.int64)
        if len(self.offsets) == 0 or self.offsets[0] != 0 or self.offsets[-1] != len(self.xy):
            raise ValueError("offsets must run from 0 to the number of coordinates")
        if (np.diff(self.offsets) < 2).any():
            raise ValueError("every line needs at least two coordinates")

    @classmethod
    def from_line_index(cls, xy: np.ndarray, line: np.ndarray, n_lines: int) -> "EdgeLines":
        """From coordinates sorted by ``line`` (the line number of each coordinate)."""
        offsets = np.zeros(n_lines + 1, np.int64)
        np.cumsum(np.bincount(line, minlength=n_lines), out=offsets[1:])
        return cls(xy, offsets)

    @classmethod
    def from_geometry(cls, geoms) -> "EdgeLines":
        """From shapely line strings (an array or list)."""
        geoms = np.asarray(geoms, dtype=object)
        xy, line = shapely.get_coordinates(geoms, return_index=True)
        return cls.from_line_index(xy, line, len(geoms))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getstate__(self):
        return self.xy, self.offsets

    def __setstate__(self, state):
        self.xy, self.offsets = state

    def counts(self) -> np.ndarray:
        """Number of coordinates of each line."""
        return np.diff(self.offsets)

    def lengths(self) -> np.ndarray:
        """Length of each line in metres, summed segment by segment from the first
        coordinate as GEOS sums them (so equal to ``shapely.length`` to the last bit)."""
        d = np.diff(self.xy, axis=0)
        seg = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1])
        # segment k joins coordinates k and k + 1; it belongs to a line unless it jumps
        # from one line's last coordinate to the next line's first
        inside = np.ones(len(seg), bool)
        inside[self.offsets[1:-1] - 1] = False
        line_of = np.repeat(np.arange(len(self)), np.maximum(self.counts() - 1, 0))
        return np.bincount(line_of, weights=seg[inside], minlength=len(self))

    def end_points(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last coordinate of each line, as (n, 2) arrays."""
        return self.xy[self.offsets[:-1]], self.xy[self.offsets[1:] - 1]

    def geometry(self, ids=None) -> np.ndarray:
        """Shapely line strings of lines ``ids`` (all lines when None), as an object array."""
        if ids is None:
            if len(self) == 0:
                return np.empty(0, dtype=object)
            line = np.repeat(np.arange(len(self)), self.counts())
            return shapely.linestrings(self.xy, indices=line)
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(ids) == 0:
            return np.empty(0, dtype=object)
        return self.take(ids).geometry()

    def take(self, ids) -> "EdgeLines":
        """The lines ``ids``, in that order."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        counts = self.counts()[ids]
        offsets = np.zeros(len(ids) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        # position of every coordinate to take: its line's start plus its rank in the line
        rank = np.arange(offsets[-1]) - np.repeat(offsets[:-1], counts)
        return EdgeLines(self.xy[np.repeat(self.offsets[:-1][ids], counts) + rank], offsets)

    def updated(self, rows, geoms) -> "EdgeLines":
        """A copy with line ``rows[k]`` replaced by ``geoms[k]``; rows at ``len(self)`` and
        beyond are appended (in increasing order, without gaps)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        if len(rows) == 0:
            return self
        new = EdgeLines.from_geometry(geoms)
        n = len(self)
        n_out = max(n, int(rows.max()) + 1)
        if n_out - n != int((rows >= n).sum()):
            raise ValueError("appended rows must follow the last line without gaps")
        counts = np.zeros(n_out, np.int64)
        counts[:n] = self.counts()
        counts[rows] = new.counts()
        offsets = np.zeros(n_out + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        xy = np.empty((offsets[-1], 2))
        kept = np.ones(n, bool)
        kept[rows[rows < n]] = False
        old_counts = self.counts()
        keep_vertex = np.repeat(kept, old_counts)
        shift = np.repeat(offsets[:n] - self.offsets[:-1], old_counts)
        xy[(np.arange(len(self.xy)) + shift)[keep_vertex]] = self.xy[keep_vertex]
        rank = np.arange(len(new.xy)) - np.repeat(new.offsets[:-1], new.counts())
        xy[np.repeat(offsets[:-1][rows], new.counts()) + rank] = new.xy
        return EdgeLines(xy, offsets)
