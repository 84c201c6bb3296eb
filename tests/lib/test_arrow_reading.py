"""Large layers are read through Arrow with their own text conversion
(``io.sources._read_arrow``) and ids found distinct once (``LayerContext.distinct``).

Both are speed paths for millions of features; here they must give exactly what GDAL's
classic row-by-row read gives (a different reader) on a small layer with every awkward
value: missing text, ids blank, padded or repeated, numbers and flags with gaps, Japanese
text, and a date column (which takes pyogrio's own conversion).
"""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from gunmane_geo.io import sources
from gunmane_geo.io.load_report import LoadReport
from gunmane_geo.io.readers import read_layer

CRS = "EPSG:6677"
N = 300


def roads_file(tmp_path, ids, with_date=False):
    rng = np.random.default_rng(1)
    classes = np.array(["municipal", "prefectural", "national", None], dtype=object)
    frame = gpd.GeoDataFrame({
        "road_id": ids,
        "road_class": classes[rng.integers(0, 4, N)],
        "route_name": np.array(["東西1号線", "市道 南北線", None], dtype=object)[
            rng.integers(0, 3, N)],
        "width_m": np.where(rng.random(N) < 0.1, np.nan, rng.uniform(3, 12, N)),
        "layer": pd.array(np.where(rng.random(N) < 0.1, None, rng.integers(-1, 2, N)),
                          dtype="Int64"),
        "is_bridge": rng.random(N) < 0.05,
    }, geometry=[LineString([(i * 10.0, 0), (i * 10.0 + 10, 0)]) for i in range(N)], crs=CRS)
    if with_date:
        frame["surveyed"] = [dt.date(2020, 1, 1 + i % 28) for i in range(N)]
    path = tmp_path / "roads.gpkg"
    frame.to_file(path, engine="pyogrio")
    return path


def read_both(monkeypatch, path):
    """The layer read through Arrow and by the classic GDAL read, with their reports."""
    out = []
    for limit in (1, 10**9):
        monkeypatch.setattr(sources, "ARROW_MIN_FEATURES", limit)
        report = LoadReport()
        out.append((read_layer(path, "roads", report=report), report.rows))
    return out


def clean_ids():
    return [f"r{i}" for i in range(N)]


def test_arrow_read_equals_the_classic_read(tmp_path, monkeypatch):
    ids = clean_ids()
    ids[5], ids[6], ids[7], ids[8] = None, "   ", " r9 ", "r1"     # missing, blank, padded, repeated
    (arrow, arrow_rows), (classic, classic_rows) = read_both(monkeypatch, roads_file(tmp_path, ids))
    pd.testing.assert_frame_equal(arrow, classic)
    assert arrow_rows == classic_rows
    # by hand: the missing and blank ids are generated from the row (rows 6, 7), the
    # padded one is stripped and so repeats r9, the repeats are renamed
    got = dict(zip(arrow.source_row, arrow.road_id))
    assert got[6] == "r6" and got[7] == "r7"
    assert got[8] == "r9" and got[10] == "r9#2"
    assert got[9] == "r1#2" and got[2] == "r1"


def test_distinct_ids_skip_the_second_pass_but_not_the_answer(tmp_path, monkeypatch):
    (arrow, rows), (classic, _) = read_both(monkeypatch, roads_file(tmp_path, clean_ids()))
    pd.testing.assert_frame_equal(arrow, classic)
    assert arrow.road_id.tolist() == clean_ids()
    assert not [r for r in rows if r["field"] == "road_id"]


def test_date_columns_take_pyogrios_conversion(tmp_path, monkeypatch):
    (arrow, _), (classic, _) = read_both(monkeypatch, roads_file(tmp_path, clean_ids(), True))
    pd.testing.assert_frame_equal(arrow, classic, check_dtype=False)
    assert pd.to_datetime(arrow.surveyed).dt.day.tolist()[:3] == [1, 2, 3]
