"""Real headless QGIS for the plugin tests: one QgsApplication per session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_PARENT = ROOT / "qgis_plugin"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qgis)


@pytest.fixture(scope="session")
def qgis_app(tmp_path_factory):
    """Start QGIS once, initialise Processing and register our provider."""
    profile = tmp_path_factory.mktemp("qgis-profile")
    os.environ.setdefault("QGIS_CUSTOM_CONFIG_PATH", str(profile))
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    plugins_dir = Path(QgsApplication.pkgDataPath()) / "python" / "plugins"
    sys.path.insert(0, str(plugins_dir))
    sys.path.insert(0, str(PLUGIN_PARENT))
    from processing.core.Processing import Processing
    Processing.initialize()
    from gunmane.provider import GunmaneProvider
    provider = GunmaneProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    app._gunmane_provider = provider  # keep a Python reference
    yield app
    QgsApplication.processingRegistry().removeProvider(provider)
    # exitQgis() at interpreter shutdown can segfault with Processing loaded; let the
    # process end instead.
