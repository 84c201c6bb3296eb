"""gunmane_geo.money: yen amounts for people, checked against values worked out by hand."""
import math

import numpy as np
import pytest

from gunmane_geo.money import yen_en, yen_ja
from gunmane_geo import wording as text


@pytest.mark.parametrize("value, expected", [
    (0, "0円"),
    (8_000, "8,000円"),
    (9_999.4, "9,999円"),            # rounds to 9,999 yen: stays in 円
    (9_999.6, "1万円"),              # rounds to 10,000 yen: 1万円, not "10,000円"
    (12_345, "1万円"),               # 1.2345万 -> 1
    (15_000, "2万円"),               # 1.5万 -> 2 (half to even)
    (25_000, "2万円"),               # 2.5万 -> 2 (half to even)
    (45_600_000, "4,560万円"),
    (99_994_999, "9,999万円"),       # 9,999.4999万 -> 9,999万
    (99_995_000, "1.00億円"),        # 9,999.5万 would print as 10,000万円: 億 instead
    (100_000_000, "1.00億円"),       # 1億 exactly
    (123_456_789, "1.23億円"),
    (2_183_000_000, "21.83億円"),
    (1_234_567_890_000, "12,345.68億円"),
    (-0.4, "0円"),                   # rounds to 0: no "-0円"
    (-8_000, "-8,000円"),
    (-45_600_000, "-4,560万円"),
    (-123_456_789, "-1.23億円"),
])
def test_yen_ja(value, expected):
    assert yen_ja(value) == expected


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, math.inf, -math.inf])
def test_unknown_amounts(value):
    assert yen_ja(value) == "不明"
    assert yen_en(value) == "unknown"
    assert text.option_yen_ja(value) == "不明"


def test_yen_ja_oku_format_and_option_texts():
    assert yen_ja(123_456_789, oku_format=".1f") == "1.2億円"
    assert yen_ja(99_995_000, oku_format=".1f") == "1.0億円"
    assert yen_ja(-590_000_000, oku_format=".0f") == "-6億円"
    # option reasons: 億 with one decimal and no thousands separator, 万 and 円 as usual
    assert text.option_yen_ja(587_000_000) == "5.9億円"
    assert text.option_yen_ja(137_238_951_250) == "1372.4億円"
    assert text.option_yen_ja(2_770_000) == "277万円"
    assert text.option_yen_ja(np.int64(8_000)) == "8,000円"


@pytest.mark.parametrize("value, expected", [
    (0, "¥0"),
    (8_000, "¥8,000"),
    (999_999.4, "¥999,999"),
    (999_999.6, "¥1.0 million"),     # rounds to 1,000,000 yen
    (3_450_000, "¥3.5 million"),     # 3.45 is stored just above: rounds up
    (386_900_000, "¥386.9 million"),
    (999_949_999, "¥999.9 million"),
    (999_950_000, "¥1.00 billion"),  # 999.95 million would print as 1,000.0 million
    (1_015_000_000, "¥1.01 billion"),  # 1.015 is stored just below: rounds down
    (-0.4, "¥0"),
    (-3_500_000, "-¥3.5 million"),
    (-1_200_000_000, "-¥1.20 billion"),
])
def test_yen_en(value, expected):
    assert yen_en(value) == expected


def test_yen_en_without_billions():
    assert yen_en(2_182_500_000, billions=False) == "¥2,182.5 million"
    assert yen_en(999_950_000, billions=False) == "¥1,000.0 million"
    assert yen_en(8_000, billions=False) == "¥8,000"
    assert text.yen_en is yen_en
