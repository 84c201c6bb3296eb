"""Tables without geometry inside a GeoPackage (e.g. a staff table) load like CSV tables."""
import pandas as pd
import pyogrio

from gunmane_geo.io import read_layer


def test_staff_table_inside_geopackage(tmp_path):
    path = tmp_path / "tables.gpkg"
    frame = pd.DataFrame({"市区町村コード": ["99201", "99202"], "技術系職員数": [18, 0]})
    pyogrio.write_dataframe(frame, path, layer="staff")
    staff = read_layer(path, "staff")
    assert list(staff["municipality_code"]) == ["99201", "99202"]
    assert list(staff["technical_staff"]) == [18, 0]
