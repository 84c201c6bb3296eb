"""An input kind given as a list of files (``facilities = ["P04.geojson", "P29.geojson"]``)."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from gunmane_geo.errors import InputError
from gunmane_geo.io.loader import load_region, load_run_config


def _write(path, rows, crs):
    gpd.GeoDataFrame(rows, geometry="geometry", crs=crs).to_file(path, driver="GeoJSON")


def test_facility_files_are_joined_with_distinct_ids(tmp_path):
    # two files whose ids repeat, one in plane coordinates and one in lon/lat
    _write(tmp_path / "a.geojson", [
        {"facility_id": "1", "name": "甲病院", "facility_type": "hospital",
         "geometry": Point(-44000, -157000)},
        {"facility_id": "2", "name": "乙病院", "facility_type": "hospital",
         "geometry": Point(-43000, -157000)}], "EPSG:6673")
    _write(tmp_path / "b.geojson", [
        {"facility_id": "1", "name": "丙小学校", "facility_type": "school",
         "geometry": Point(133.8, 34.6)}], "EPSG:6668")
    (tmp_path / "run.toml").write_text(
        '[inputs]\nfacilities = ["a.geojson", "b.geojson"]\n[io]\ntarget_crs = "EPSG:6673"\n',
        encoding="utf-8")
    inputs, settings = load_run_config(tmp_path / "run.toml")
    region = load_region(inputs, settings)
    fac = region.facilities.set_index("facility_id")
    assert list(fac.index) == ["1", "2", "b:1"]      # the repeated id is prefixed
    assert list(fac["source_file"]) == ["a.geojson", "a.geojson", "b.geojson"]
    # 133.8 E 34.6 N in plane zone V (origin 36 N, 134 20' E), worked by hand: 0.5333 deg
    # west x 91.7 km per degree of longitude at 34.6 N = -48.9 km; 1.4 deg south x 111.0 km
    # = -155.4 km (to within a km: the projection is not a plain scaling)
    x, y = fac.loc["b:1"].geometry.x, fac.loc["b:1"].geometry.y
    assert -50_000 < x < -47_800 and -156_500 < y < -154_300
    assert "a.geojson" in region.sources["facilities"] and "b.geojson" in region.sources["facilities"]


def test_ids_that_do_not_repeat_are_kept(tmp_path):
    _write(tmp_path / "a.geojson", [{"facility_id": "H1", "name": "甲病院",
                                     "facility_type": "hospital", "geometry": Point(0, 0)}],
           "EPSG:6673")
    _write(tmp_path / "b.geojson", [{"facility_id": "S1", "name": "丙小学校",
                                     "facility_type": "school", "geometry": Point(10, 0)}],
           "EPSG:6673")
    region = load_region({"facilities": [str(tmp_path / "a.geojson"), str(tmp_path / "b.geojson")]},
                         None)
    assert list(region.facilities["facility_id"]) == ["H1", "S1"]


@pytest.mark.parametrize("kind,value,words", [
    ("bridges", ["a.csv", "b.csv"], "merge the bridges into one file"),
    ("facilities", [], "empty list; name at least one file"),
])
def test_list_inputs_refused_with_the_fix(tmp_path, kind, value, words):
    items = ", ".join(f'"{v}"' for v in value)
    (tmp_path / "run.toml").write_text(f"[inputs]\n{kind} = [{items}]\n", encoding="utf-8")
    with pytest.raises(InputError, match=words):
        load_run_config(tmp_path / "run.toml")
