"""Project rules that keep the layout honest: the library never imports QGIS."""
import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2] / "gunmane_geo"


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_library_has_no_qgis_import():
    offenders = [
        f"{path.relative_to(LIBRARY.parent)} imports {name}"
        for path in sorted(LIBRARY.rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in {"qgis", "processing", "PyQt5", "PyQt6"}
    ]
    assert not offenders, offenders


def test_the_rule_sees_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from qgis.core import QgsProject\n", encoding="utf-8")
    assert list(_imported_modules(bad)) == ["qgis.core"]


def test_public_api_names_resolve():
    import gunmane_geo

    missing = [name for name in gunmane_geo.__all__ if not hasattr(gunmane_geo, name)]
    assert not missing, missing
