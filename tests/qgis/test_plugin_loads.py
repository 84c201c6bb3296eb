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
    assert plugin_zip.name == "gunmane-0.1.0-linux.zip"
    # the library is inside the plugin, data files included, and it matches the source tree
    lib = [n for n in names if n.startswith("gunmane/lib/gunmane_geo/") and not n.endswith("/")]
    assert "gunmane/lib/gunmane_geo/__init__.py" in names
    assert "gunmane/lib/gunmane_geo/pipeline.py" in names
    src = Path(__file__).resolve().parents[2] / "gunmane_geo"
    expected = {"gunmane/lib/gunmane_geo/" + p.relative_to(src).as_posix()
                for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                and p.suffix != ".pyc"}
    assert set(lib) == expected
    assert "gunmane/release.txt" in names and "gunmane/depcheck.py" in names
    assert "gunmane/deps_dialog.py" in names


def test_one_zip_per_platform_family(plugin_zip):
    import zipfile
    for family in ("windows", "macos", "linux"):
        path = plugin_zip.with_name(f"gunmane-0.1.0-{family}.zip")
        archive = zipfile.ZipFile(path)
        release = archive.read("gunmane/release.txt").decode()
        assert f"family={family}" in release
        assert set(archive.namelist()) == set(zipfile.ZipFile(plugin_zip).namelist())


def test_plugin_puts_the_bundled_library_first(qgis_app, installed_plugin):
    """After the plugin loads, ``import gunmane_geo`` resolves to the copy inside the plugin.

    (Resolved, not imported: this test process may have imported the source tree's copy
    already; test_release.py proves the import in a QGIS that has no other copy.)
    """
    import importlib.machinery
    import sys
    lib = installed_plugin / "lib"
    assert str(lib) in sys.path
    spec = importlib.machinery.PathFinder.find_spec("gunmane_geo", sys.path)
    assert Path(spec.origin).parent == lib / "gunmane_geo"


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
