"""Yen amounts as people read them: 億円/万円/円 in Japanese, ¥ billion/million in English.

Every text, map label and report sentence that shows a yen amount uses these two
functions, so the same amount reads the same everywhere.  The unit is chosen
from the *rounded* amount: 99,999,999 円 is ``1.00億円``, not ``10,000万円``.
"""
from __future__ import annotations

import math

__all__ = ["yen_ja", "yen_en"]


def _magnitude(value) -> float | None:
    """``abs(value)`` in yen, or None when the amount is unknown (None, NaN, ±inf)."""
    if value is None:
        return None
    v = float(value)
    return abs(v) if math.isfinite(v) else None


def _sign(value, yen: float) -> str:
    """``-`` for a negative amount that does not round to 0 yen (no ``-0円``)."""
    return "-" if float(value) < 0 and round(yen) >= 1 else ""


def yen_ja(value, *, oku_format: str = ",.2f") -> str:
    """A yen amount in Japanese units.

    Parameters
    ----------
    value : float, int or None
        Amount in yen; negative amounts keep their sign.
    oku_format : str
        Format spec of the number before 億円 (``",.2f"``: ``1,234.57億円``; the option
        texts' ``".1f"``: ``1234.6億円``).

    Returns
    -------
    str
        ``1.23億円`` from 1億 (10^8) yen, ``4,560万円`` from 1万 (10^4) yen, else
        ``8,000円``; ``不明`` for None or NaN.
    """
    yen = _magnitude(value)
    if yen is None:
        return "不明"
    if round(yen / 1e4) >= 10_000:          # 10,000万円 or more is 億
        text = f"{yen / 1e8:{oku_format}}億円"
    elif round(yen) >= 10_000:
        text = f"{yen / 1e4:,.0f}万円"
    else:
        text = f"{yen:,.0f}円"
    return _sign(value, yen) + text


def yen_en(value, *, billions: bool = True) -> str:
    """A yen amount in English units.

    Parameters
    ----------
    value : float, int or None
        Amount in yen; negative amounts keep their sign (``-¥3.5 million``).
    billions : bool
        Write ``¥1.20 billion`` from 1,000 million yen; with False, stay in
        millions (``¥1,200.0 million``).

    Returns
    -------
    str
        ``¥1.20 billion``, ``¥3.5 million`` (from 1 million yen) or ``¥8,000``;
        ``unknown`` for None or NaN.
    """
    yen = _magnitude(value)
    if yen is None:
        return "unknown"
    if billions and round(yen / 1e5) >= 10_000:     # 1,000.0 million or more
        text = f"¥{yen / 1e9:,.2f} billion"
    elif round(yen) >= 1_000_000:
        text = f"¥{yen / 1e6:,.1f} million"
    else:
        text = f"¥{yen:,.0f}"
    return _sign(value, yen) + text
