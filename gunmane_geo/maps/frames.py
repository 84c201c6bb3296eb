"""Which ground each detail frame of a council map shows: the rule for choosing the
detour close-ups, shared by the library's maps and the QGIS plugin's print layout.

Plain numbers in, plain numbers out (bounds are ``(xmin, ymin, xmax, ymax)`` in the
map's CRS units), so that matplotlib pages and QGIS layouts apply the same rule.
"""
from __future__ import annotations

from dataclasses import dataclass

DETAIL_MARGIN = 0.15        # share of a detour's extent added on each side of its detail map
MIN_DETAIL_SPAN_M = 200.0   # a detail map shows at least this much ground (metres)

Bounds = tuple[float, float, float, float]


@dataclass
class DetailFrame:
    """The ground one detail map shows: one detour route, or overlapping ones merged.

    Attributes
    ----------
    bounds : tuple of float
        ``(xmin, ymin, xmax, ymax)`` in the map CRS units.
    detours : list of (float, str)
        ``(detour_m, bridge_id)`` of the routes it shows, the longest detour first
        (``detour_m``: metres the removal adds to the trip).
    """
    bounds: Bounds
    detours: list

    @property
    def bridge_ids(self) -> list:
        return [bridge for _, bridge in self.detours]

    @property
    def detour_m(self) -> float:
        """The longest detour shown (metres)."""
        return self.detours[0][0]


def square_frame(bounds: Bounds, *, min_span: float, margin: float = DETAIL_MARGIN) -> Bounds:
    """The square around ``bounds``: its longer side, at least ``min_span`` (map units),
    plus ``margin`` of that on each side, about the same centre."""
    xmin, ymin, xmax, ymax = bounds
    cx, cy = xmin + (xmax - xmin) / 2, ymin + (ymax - ymin) / 2
    half = max(xmax - xmin, ymax - ymin, min_span) * (0.5 + margin)
    return (cx - half, cy - half, cx + half, cy + half)


def _overlap(a: Bounds, b: Bounds) -> bool:
    """True when the two bounds overlap or touch."""
    return max(a[0], b[0]) <= min(a[2], b[2]) and max(a[1], b[1]) <= min(a[3], b[3])


def detail_frames(routes, *, min_span: float, margin: float = DETAIL_MARGIN,
                  max_frames: int = 4) -> tuple[list[DetailFrame], int]:
    """Detail frames for detour routes, the longest detour first.

    Each route's frame is :func:`square_frame` of its bounds; frames that overlap are
    merged into one (repeated until none overlap) and ranked by their longest
    ``detour_m``.

    Parameters
    ----------
    routes : iterable of (bounds, float, str)
        ``(bounds, detour_m, bridge_id)`` of each route with a finite detour (metres).
    min_span : float
        The least ground a frame shows, in map units (``MIN_DETAIL_SPAN_M`` metres
        converted).
    margin : float
        Share of the frame added on each side.
    max_frames : int
        How many frames to keep.

    Returns
    -------
    (list of DetailFrame, int)
        The frames kept, and how many more were found than kept.
    """
    frames = [DetailFrame(square_frame(b, min_span=min_span, margin=margin),
                          [(detour, str(bridge))]) for b, detour, bridge in routes]
    while True:                              # merge overlapping frames until none overlap
        pair = next(((i, j) for i in range(len(frames)) for j in range(i + 1, len(frames))
                     if _overlap(frames[i].bounds, frames[j].bounds)), None)
        if pair is None:
            break
        first, second = frames[pair[0]], frames.pop(pair[1])
        a, b = first.bounds, second.bounds
        frames[pair[0]] = DetailFrame((min(a[0], b[0]), min(a[1], b[1]),
                                       max(a[2], b[2]), max(a[3], b[3])),
                                      sorted(first.detours + second.detours, key=lambda d: -d[0]))
    frames.sort(key=lambda frame: -frame.detour_m)
    return frames[:max_frames], len(frames) - min(len(frames), max_frames)
