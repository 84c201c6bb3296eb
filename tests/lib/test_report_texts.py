"""The report's (Japanese, English) text table: both languages take the same values."""
import string

import pytest

from gunmane_geo import wording


def _fields(template) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(wording.REPORT_TEXTS))
def test_both_languages_use_the_same_values(key):
    ja, en = wording.REPORT_TEXTS[key]
    assert isinstance(ja, type(en))
    if isinstance(ja, str):
        assert ja and en and _fields(ja) == _fields(en), key
    else:                                   # column headings: one per column in both
        assert len(ja) == len(en) > 0, key


def test_text_fills_the_template_of_the_language():
    assert wording.report_text("h_figure", "ja", i=3, title="導入効果試算") == "図3 導入効果試算"
    assert wording.report_text("h_figure", "en", i=3, title="Effect estimate") == \
        "Figure 3. Effect estimate"
    assert wording.report_text("road_pairs", "en", n=2, km=1234.56, nb=5) == (
        "2 pairs of a prefectural and a municipal road run parallel between the same places: "
        "candidates for joint review (municipal roads 1,234.6 km in all, 5 bridges; "
        "tables/road_pairs.csv).")
    assert wording.report_text("list_sep", "ja") == "、"
