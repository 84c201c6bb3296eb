"""Council-ready maps and charts (matplotlib, no web basemap), A3/A4 landscape PDF and PNG.

Each map kind is a function taking GeoDataFrames and returning a :class:`Page`;
``page.save(stem)`` writes ``stem.pdf`` and ``stem.png``.  Japanese text uses
the font of ``settings.maps.font_family`` (Noto Sans CJK JP from the Debian
package fonts-noto-cjk); saving fails with a clear message rather than print a
missing glyph as a box.  See ``docs/maps.md``.
"""
from .details import detail_numbers, map_plan_details
from .fonts import figure_missing_glyphs, japanese_font, missing_chars
from .kinds import (CRITICALITY_CLASSES, OPTION_CLASSES, PLAN_CLASSES, chart_effect,
                    criticality_class, criticality_classes, drop_slivers, map_ageing, map_bridges, map_groups,
                    map_plan, place_labels, plan_class)
from .scenarios import chart_scenarios
from ..options.routes import detour_routes  # moved to options (analysis); kept here for compatibility
from .layout import PAPERS_MM, Page, crs_label, map_style, nice_length, true_north_angle

__all__ = [
    "Page", "map_style", "PAPERS_MM", "crs_label", "nice_length", "true_north_angle",
    "japanese_font", "missing_chars", "figure_missing_glyphs",
    "map_groups", "map_bridges", "map_plan", "map_plan_details", "detail_numbers", "place_labels", "map_ageing", "chart_effect", "chart_scenarios", "detour_routes",
    "criticality_class", "criticality_classes", "drop_slivers", "plan_class", "PLAN_CLASSES", "OPTION_CLASSES", "CRITICALITY_CLASSES",
]
