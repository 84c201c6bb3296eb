"""Colour-blind-safe palettes that also read in black-and-white print.

Every class differs by colour AND by a second, colour-free cue: a hatch
pattern for areas, a marker shape for points, a dash pattern for lines.
Qualitative colours are the Okabe-Ito palette (safe for protanopia,
deuteranopia and tritanopia); sequential fills are the lightness-monotonic
``cividis`` map sampled in equal steps, so darker always means more, in
colour and in grey.
"""
from __future__ import annotations

import numpy as np

#: Okabe & Ito (2008), "Color Universal Design"; black last.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"]
GREY = "#BBBBBB"
LIGHT_GREY = "#EEEEEE"
DARK = "#222222"

#: area hatches in the order used for qualitative classes ("" = plain fill)
HATCHES = ["", "//", "\\\\", "..", "xx", "--", "||", "++", "oo", "**"]
#: point markers, all distinguishable without colour
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
#: line dash patterns
LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]


def qualitative(i: int) -> dict:
    """Style of the i-th qualitative class: ``color``, ``hatch``, ``marker``, ``linestyle``.

    The first 8 classes differ in colour; colour and hatch/marker run through
    lists of different length (8 and 10), so the pair stays unique for 40 classes.
    """
    return {"color": OKABE_ITO[i % len(OKABE_ITO)], "hatch": HATCHES[i % len(HATCHES)],
            "marker": MARKERS[i % len(MARKERS)], "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def sequential(n: int, cmap: str = "cividis", light: float = 0.95, dark: float = 0.15) -> list:
    """``n`` colours from light to dark (cividis: readable for colour-blind readers and in grey)."""
    from matplotlib import colormaps
    cm = colormaps[cmap].reversed()
    return [cm(x) for x in np.linspace(1 - light, 1 - dark, n)]


#: hatches that darken with the class for sequential (choropleth) fills
SEQUENTIAL_HATCHES = ["", "..", "//", "x", "xx", "xxx"]


def text_halo(width: float = 2.5):
    """A white outline that keeps labels readable over any fill."""
    from matplotlib import patheffects
    return [patheffects.withStroke(linewidth=width, foreground="white")]
