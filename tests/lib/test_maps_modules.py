"""Module layering of gunmane_geo.maps: kinds and details share maps/common.py and never
import each other (at module level or inside functions); routes are analysis, in options."""
from __future__ import annotations

import ast
from pathlib import Path

import gunmane_geo

MAPS = Path(gunmane_geo.__file__).parent / "maps"


def _relative_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.add(node.module)
    return names


def test_kinds_and_details_do_not_import_each_other():
    assert "details" not in _relative_imports(MAPS / "kinds.py")
    assert "kinds" not in _relative_imports(MAPS / "details.py")
    assert {"kinds", "details"}.isdisjoint(_relative_imports(MAPS / "common.py"))
    assert "common" in _relative_imports(MAPS / "kinds.py") & _relative_imports(MAPS / "details.py")


def test_maps_draw_routes_computed_in_options():
    from gunmane_geo import maps, options
    from gunmane_geo.maps import common, details, kinds
    assert maps.detour_routes is options.detour_routes
    assert maps.detour_routes.__module__ == "gunmane_geo.options.routes"
    assert not hasattr(kinds, "detour_routes")
    # the shared names are the same objects wherever they are imported from
    assert kinds.PLAN_CLASSES is details.PLAN_CLASSES is common.PLAN_CLASSES
    assert kinds.detail_numbers is details.detail_numbers is maps.detail_numbers
