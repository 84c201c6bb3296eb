"""Municipality codes as people write them (issue 12): 5 digits, 6 digits with the JIS X 0402
check digit (verified), a leading zero lost by Excel; normalised with a load-report note."""
from __future__ import annotations

import pytest

from gunmane_geo import schema
from gunmane_geo.io import LoadReport, read_layer


@pytest.mark.parametrize("raw, code", [
    ("01100", "01100"), ("1100", "01100"), (1100, "01100"), (1100.0, "01100"), ("1100.0", "01100"),
    ("011002", "01100"), ("131016", "13101"), ("１３１０１", "13101"), ("472018", "47201"),
    ("", None)])
def test_codes_as_written(raw, code):
    assert schema.parse_municipality_code(raw) == code


@pytest.mark.parametrize("code5, digit", [("01100", 2), ("13101", 6), ("47201", 8), ("01202", 5),
                                           ("13104", 1), ("13113", 0)])
def test_check_digit_jis_x_0402(code5, digit):
    # weights 6,5,4,3,2; check digit = (11 - sum mod 11) mod 10: 新宿区 131041 (remainder 0),
    # 渋谷区 131130 (remainder 1)
    assert schema.municipality_check_digit(code5) == digit


def test_wrong_check_digit_names_the_right_one():
    with pytest.raises(ValueError) as exc:
        schema.parse_municipality_code("011003")
    assert "check digit of 01100 is 2" in str(exc.value) and "011002" in str(exc.value)


@pytest.mark.parametrize("raw", ["12", "1234567", "01A00"])
def test_not_a_code(raw):
    with pytest.raises(ValueError):
        schema.parse_municipality_code(raw)


def test_staff_table_codes_normalised_with_notes(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("市区町村コード,技術系職員数\n1100,3\n131016,4\n01202,2\n472018,1\n"
                    "011003,2\n", encoding="utf-8")
    report = LoadReport()
    staff = read_layer(path, "staff", report=report)
    assert list(staff["municipality_code"]) == ["01100", "13101", "01202", "47201"]
    df = report.to_frame()
    notes = df[(df["field"] == "municipality_code") & (df["action"] == "note")]["message"]
    zero = [m for m in notes if "leading zero" in m]
    six = [m for m in notes if "check digit verified" in m]
    assert len(zero) == 1 and "1 code(s)" in zero[0] and "'1100' -> '01100'" in zero[0]
    assert len(six) == 1 and "2 code(s)" in six[0] and "rows 2, 4" in six[0]
    bad = df[(df["row"] == 5) & (df["action"] == "nulled")]["message"].iloc[0]
    assert "check digit" in bad
    assert (df[df["row"] == 5]["action"] == "skipped").any()     # reported, not dropped silently
    s = report.summary().iloc[0]
    assert (s["read"], s["kept"], s["skipped"]) == (5, 4, 1)
