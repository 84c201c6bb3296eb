"""The built plugin loads in headless QGIS, registers its provider and ships its .qm."""
from __future__ import annotations

import configparser
from pathlib import Path


def test_zip_contents(plugin_zip):
    import zipfile
    names = set(zipfile.ZipFile(plugin_zip).namelist())
    for required in ("gunmane/__init__.py", "gunmane/metadata.txt", "gunmane/plugin.py",
                     "gunmane/provider.py", "gunmane/convert.py", "gunmane/icon.svg",
                     "gunmane/i18n/gunmane_ja.qm", "gunmane/LICENSE", "gunmane/styling.py",
                     "gunmane/styles/bridge_criticality.qml", "gunmane/styles/plan.qml",
                     "gunmane/styles/groups.qml", "gunmane/styles/indicators.qml",
                     "gunmane/styles/effect.qml"):
        assert required in names, required
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert plugin_zip.name == "gunmane-0.1.0.zip"


def test_metadata_complete(installed_plugin):
    meta = configparser.ConfigParser()
    meta.read(installed_plugin / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    for key in ("name", "description", "about", "version", "author", "email", "repository",
                "tracker", "tags", "qgisMinimumVersion", "hasProcessingProvider"):
        assert general.get(key, "").strip(), key
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes"
    assert general["name"] == "gunmane"


def test_provider_registered(qgis_app, provider):
    from qgis.core import QgsApplication
    registered = QgsApplication.processingRegistry().providerById("gunmane")
    assert registered is provider
    ids = {alg.id() for alg in provider.algorithms()}
    assert "gunmane:load_layers" in ids
    for alg in provider.algorithms():
        assert alg.displayName() and alg.group() and alg.shortHelpString(), alg.id()


def test_only_qgis_pyqt_imports(installed_plugin):
    """Qt through qgis.PyQt (Qt5 and Qt6 builds of QGIS); no direct PyQt5/PyQt6 import."""
    for path in installed_plugin.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import PyQt5" not in text and "from PyQt5" not in text, path
        assert "import PyQt6" not in text and "from PyQt6" not in text, path
