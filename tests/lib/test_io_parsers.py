"""Value parsers of gunmane_geo.schema and coordinate/mesh helpers; expected values by hand."""
import pytest
import shapely

from gunmane_geo import schema
from gunmane_geo.io.sources import mesh_polygon, parse_degrees


@pytest.mark.parametrize("text, year", [
    ("昭和45年", 1970), ("昭和45年度", 1970), ("S45", 1970), ("s.45", 1970), ("Ｓ４５", 1970),
    ("昭和４５年", 1970), ("昭和四十五年", 1970), ("昭和45年3月", 1970), ("H元年", 1989),
    ("平成元年度", 1989), ("令和元年度", 2019), ("R3", 2021), ("大正15年", 1926),
    ("明治45年", 1912), ("平成2年度", 1990), ("平成二十年", 2008), ("1970", 1970),
    ("1970年度", 1970), ("１９７０", 1970), ("1970/04/01", 1970), (1970, 1970), (1970.0, 1970),
])
def test_wareki_years(text, year):
    assert schema.parse_wareki_year(text) == year


@pytest.mark.parametrize("text", ["", "不明", "-", None, float("nan")])
def test_wareki_blank_is_none(text):
    assert schema.parse_wareki_year(text) is None


@pytest.mark.parametrize("text", ["昭和70年", "大正16年", "平成32年", "昭和ぐらい", "45", "abc",
                                  "明治0年"])
def test_wareki_rejects(text):
    with pytest.raises(ValueError):
        schema.parse_wareki_year(text)


@pytest.mark.parametrize("text, rating", [
    ("I", 1), ("II", 2), ("III", 3), ("IV", 4), ("Ⅰ", 1), ("Ⅱ", 2), ("Ⅲ", 3), ("Ⅳ", 4),
    ("1", 1), ("4", 4), (3.0, 3), ("Ⅲ（早期措置段階）", 3), ("II 予防保全段階", 2),
    ("判定区分Ⅳ", 4), ("健全", 1), ("緊急措置段階", 4), ("ｉｉ", 2),
])
def test_ratings(text, rating):
    assert schema.parse_rating(text) == rating


@pytest.mark.parametrize("text", ["7", "0", "V", "IIII", "5", "A"])
def test_rating_rejects(text):
    with pytest.raises(ValueError):
        schema.parse_rating(text)


@pytest.mark.parametrize("text, flag", [
    ("○", True), ("◯", True), ("有", True), ("あり", True), ("Yes", True), ("1", True),
    ("true", True), ("第1次", True), ("×", False), ("無", False), ("なし", False),
    ("no", False), ("0", False), ("", None), (1, True), (0, False),
])
def test_flags(text, flag):
    assert schema.parse_flag(text) is flag


def test_flag_rejects():
    with pytest.raises(ValueError):
        schema.parse_flag("たぶん")


@pytest.mark.parametrize("text, cls", [
    ("国道", "national"), ("一般国道", "national"), ("県道", "prefectural"),
    ("都道府県道", "prefectural"), ("主要地方道", "prefectural"), ("市道", "municipal"),
    ("町道", "municipal"), ("村道", "municipal"), ("市町村道", "municipal"),
    ("農道", "other"), ("primary", "prefectural"), ("trunk_link", "national"),
    ("residential", "municipal"), ("service", "other"), ("municipal", "municipal"),
])
def test_road_classes(text, cls):
    assert schema.parse_road_class(text) == cls


@pytest.mark.parametrize("text, manager", [
    ("国", "national"), ("国土交通省", "national"), ("近畿地方整備局", "national"),
    ("兵庫県", "prefecture"), ("東京都", "prefecture"), ("北海道", "prefecture"),
    ("大阪府", "prefecture"), ("湊川市", "municipality"), ("美杉町", "municipality"),
    ("北山村", "municipality"), ("市町村", "municipality"),
])
def test_managers(text, manager):
    assert schema.parse_manager(text) == manager


def test_municipality_codes():
    # check digits worked out by hand: 01100 -> 6*0+5*1+4*1+3*0+2*0 = 9 -> 11-9 = 2
    assert schema.municipality_check_digit("01100") == 2
    assert schema.municipality_check_digit("13101") == 6       # 千代田区 131016
    assert schema.parse_municipality_code("011002") == "01100"
    assert schema.parse_municipality_code(1101) == "01101"
    assert schema.parse_municipality_code("１３１０１") == "13101"
    with pytest.raises(ValueError):
        schema.parse_municipality_code("011003")               # wrong check digit
    with pytest.raises(ValueError):
        schema.parse_municipality_code("12")


def test_numbers_and_column_names():
    assert schema.parse_number("１，２３４．５ｍ") == 1234.5
    assert schema.parse_number("12㎡") == 12.0
    assert schema.parse_number("3,500台/日") == 3500.0
    assert schema.parse_number("-") is None
    with pytest.raises(ValueError):
        schema.parse_number("十二")
    assert schema.normalize_column_name("橋長（ｍ）") == "橋長"
    assert schema.normalize_column_name("橋長 [m]") == "橋長"
    assert schema.normalize_column_name("Built_Year") == "builtyear"


def test_degrees():
    assert parse_degrees("135.5") == 135.5
    assert parse_degrees("135度30分") == pytest.approx(135.5)
    assert parse_degrees("34°41'24\"N") == pytest.approx(34 + 41 / 60 + 24 / 3600)
    assert parse_degrees("") is None
    with pytest.raises(ValueError):
        parse_degrees("北のほう")


def test_mesh_codes():
    # 5339: lat 53/1.5 = 35.3333, lon 139; 533945: + 4*5' lat, + 5*7.5' lon
    # 53394547: + 4*30" lat, + 7*45" lon -> SW corner 35.7 N, 139.7125 E (1 km mesh)
    g = mesh_polygon("53394547")
    x0, y0, x1, y1 = g.bounds
    assert (x0, y0) == pytest.approx((139.7125, 35.7))
    assert (x1 - x0, y1 - y0) == pytest.approx((45 / 3600, 30 / 3600))
    # half mesh 4 = north-east quarter
    h = mesh_polygon("533945474")
    assert h.bounds == pytest.approx((139.7125 + 22.5 / 3600, 35.7 + 15 / 3600,
                                      139.7125 + 45 / 3600, 35.7 + 30 / 3600))
    assert shapely.box(*g.bounds).contains(mesh_polygon("5339454712").buffer(-1e-9))
    with pytest.raises(ValueError):
        mesh_polygon("5339459")


def test_lengths_written_in_kilometres_become_metres():
    from gunmane_geo.schema import PARSERS
    assert PARSERS["length_m"]("1.5km") == 1500.0
    assert PARSERS["length_m"]("１．５ｋｍ") == 1500.0          # full-width, as typed in Excel
    assert PARSERS["length_m"]("35m") == 35.0
    assert PARSERS["width_m"]("0.012 km") == 12.0
    assert PARSERS["speed_kmh"]("40km") == 40.0               # a speed stays km/h
