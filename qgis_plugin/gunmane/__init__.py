"""gunmane: QGIS plugin for gunmane-geo (群マネ, regional infrastructure group management).

The plugin adds a Processing provider ``gunmane``.  It holds no analysis of its own:
every algorithm converts layers to GeoDataFrames (``convert.py``), calls the
``gunmane_geo`` library and writes the results to feature sinks and files.
"""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """Called by QGIS (desktop and qgis_process) to create the plugin object."""
    from .depcheck import activate
    activate()                    # the bundled library and the plugin's packages folder first
    from .deps import isolate_bundled_libraries
    isolate_bundled_libraries()   # before anything imports shapely/pyproj (see deps.py)
    from .plugin import GunmanePlugin
    return GunmanePlugin(iface)


def plugin_version() -> str:
    """The ``version`` line of ``metadata.txt``."""
    from pathlib import Path
    for line in (Path(__file__).resolve().parent / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("version="):
            return line.split("=", 1)[1].strip()
    return "unknown"
