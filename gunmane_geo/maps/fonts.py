"""The Japanese font for maps and charts, and the check that no glyph is missing.

Maps need a font with kanji and kana; the set-up installs the Debian package
``fonts-noto-cjk`` (family "Noto Sans CJK JP").  When the configured family is
not installed, a few common Japanese families are tried; when none is, the
error names the package to install.  Fonts are embedded in PDFs as Type 3
subsets (matplotlib's default), which poppler and Acrobat read without warnings.
"""
from __future__ import annotations

import functools
import warnings
from pathlib import Path

from ..errors import GunmaneError

FALLBACK_FAMILIES = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic",
                     "TakaoGothic", "VL Gothic", "Source Han Sans JP")
_PROBE = "橋梁群マネ"
INSTALL_HINT = ("install a Japanese font: on Debian/Ubuntu `sudo apt-get install fonts-noto-cjk` "
                "(the set-up script scripts/setup_env.sh does it), then run again")


def _candidates(family: str):
    from matplotlib import font_manager as fm
    seen = []
    for fam in (family, *FALLBACK_FAMILIES):
        if fam in seen:
            continue
        seen.append(fam)
        try:
            path = fm.findfont(fm.FontProperties(family=fam), fallback_to_default=False)
        except ValueError:
            continue
        yield fam, path


@functools.lru_cache(maxsize=8)
def japanese_font(family: str = "Noto Sans CJK JP") -> tuple[str, str]:
    """Find an installed font that has Japanese glyphs.

    Parameters
    ----------
    family : str
        Preferred family (``settings.maps.font_family``).

    Returns
    -------
    (family, path)
        The family matplotlib will use and its font file.

    Raises
    ------
    GunmaneError
        When no installed font has kanji and kana; the message names the
        Debian package ``fonts-noto-cjk``.
    """
    from matplotlib import font_manager as fm
    for attempt in (0, 1):
        for fam, path in _candidates(family):
            if not missing_chars(_PROBE, path):
                return fam, path
        if attempt == 0:   # the cache may predate the font's installation
            fm.fontManager = fm._load_fontmanager(try_read_cache=False)
    raise GunmaneError(f"no Japanese font found (tried '{family}' and "
                       f"{', '.join(FALLBACK_FAMILIES)}): {INSTALL_HINT}")


@functools.lru_cache(maxsize=16)
def _charmap(path: str) -> frozenset:
    from matplotlib.ft2font import FT2Font
    return frozenset(FT2Font(str(path)).get_charmap())


def missing_chars(text: str, font_path: str | Path) -> list[str]:
    """Characters of ``text`` (other than white space) that the font has no glyph for."""
    cmap = _charmap(str(font_path))
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


def rc_params(family: str = "Noto Sans CJK JP") -> dict:
    """matplotlib rc settings for Japanese maps (use with ``matplotlib.rc_context``)."""
    fam, _ = japanese_font(family)
    return {
        "font.family": [fam],
        "pdf.fonttype": 3,
        "ps.fonttype": 3,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "hatch.linewidth": 0.6,
    }


def figure_missing_glyphs(fig, family: str = "Noto Sans CJK JP") -> dict[str, list[str]]:
    """Every text of a figure whose characters the Japanese font cannot draw.

    Returns
    -------
    dict
        ``text -> missing characters``; empty when all text renders.
    """
    from matplotlib.text import Text
    _, path = japanese_font(family)
    out = {}
    for t in fig.findobj(Text):
        s = t.get_text()
        if s and t.get_visible():
            miss = missing_chars(s, path)
            if miss:
                out[s] = miss
    return out


class GlyphWarnings(warnings.catch_warnings):
    """Collect matplotlib's "Glyph ... missing from font(s)" warnings while saving."""

    def __init__(self):
        super().__init__(record=True)
        self.missing: list[str] = []

    def __enter__(self):
        self._log = super().__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        result = super().__exit__(*exc)
        for w in self._log:
            msg = str(w.message)
            if "missing from font" in msg or ("Glyph" in msg and "missing" in msg):
                self.missing.append(msg)
            elif "Axes3D" not in msg:   # a matplotlib packaging notice, not ours
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return result
