"""The dependency check and install command (unit level; the full release: test_release.py)."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture()
def depcheck(installed_plugin, qgis_app):
    from gunmane import depcheck as module
    return module


def test_requirements_follow_the_library(depcheck):
    """Each plugin requirement is the library's (pyproject.toml); pandas is capped below 3."""
    try:
        import tomllib
    except ImportError:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lib = {}
    for dep in project["dependencies"]:
        name = dep.split(";")[0]
        for i, ch in enumerate(name):
            if ch in "<>=!":
                lib[name[:i].strip()] = name[i:].strip()
                break
    for _, dist, spec, _ in depcheck.REQUIRED + depcheck.OPTIONAL:
        expected = lib[dist] + (",<3" if dist == "pandas" else "")
        assert spec == expected, (dist, spec, lib[dist])
    # what the plugin leaves out on purpose (command line / PDF maps only, or pulled in by others)
    left_out = set(lib) - {d for _, d, _, _ in depcheck.REQUIRED + depcheck.OPTIONAL}
    assert left_out == {"tqdm", "fonttools", "affine", "tomli"} - (
        {"tomli"} if sys.version_info < (3, 11) else set())


@pytest.mark.parametrize("version,spec,ok", [
    ("1.26.4", ">=1.24,<2", True), ("1.24.2", ">=1.24,<2", True), ("2.0.0", ">=1.24,<2", False),
    ("2.1.3", ">=1.24,<2", False), ("1.23.5", ">=1.24,<2", False), ("3.4.1", ">=3.5", False),
    ("3.7.2", ">=3.5", True), ("2.3.3", ">=2.0,<3", True), ("3.0.0rc1", ">=2.0,<3", False),
    ("0.68.1", ">=0.58", True), ("1.10.1", ">=1.10", True)])
def test_version_specs(depcheck, version, spec, ok):
    assert depcheck.satisfies(version, spec) is ok


def test_numpy_2_against_a_numpy_1_qgis_is_a_wrong_version(depcheck, monkeypatch):
    """A module present in a version outside the range is reported, with its location."""
    from gunmane import deps
    fake = types.ModuleType("gm_fake_numpy")
    fake.__version__ = "2.1.3"
    fake.__file__ = "/somewhere/site-packages/gm_fake_numpy/__init__.py"
    monkeypatch.setitem(sys.modules, "gm_fake_numpy", fake)
    monkeypatch.setattr(depcheck, "REQUIRED", [("gm_fake_numpy", "numpy", ">=1.24,<2", "arrays"),
                                               ("gm_absent_pkg", "gm-absent-pkg", ">=1", "x")])
    rows = {r["name"]: r for r in depcheck.check(include_optional=False)}
    assert rows["numpy"]["status"] == "wrong version" and rows["numpy"]["version"] == "2.1.3"
    assert rows["gm-absent-pkg"]["status"] == "missing"
    missing = deps.missing_dependencies(refresh=True)
    try:
        assert "needs >=1.24,<2" in missing["gm_fake_numpy"] and "gm_absent_pkg" in missing
        message = deps.missing_message(missing)
        assert "gm_fake_numpy" in message and "depcheck.py" in message and "install" in message
    finally:
        monkeypatch.undo()
        deps.missing_dependencies(refresh=True)


def test_install_command_writes_only_the_plugins_folder(depcheck, installed_plugin, tmp_path):
    argv, env = depcheck.pip_command(str(tmp_path), with_optional=False, python="/usr/bin/python3")
    assert argv[:4] == ["/usr/bin/python3", "-m", "pip", "install"]
    assert "--user" in argv and "--no-index" in argv and "--only-binary=:all:" in argv
    assert argv[argv.index("--find-links") + 1] == str(tmp_path.resolve())
    assert "numpy>=1.24,<2" in argv and "geopandas>=0.14" in argv and not any("numba" in a for a in argv)
    base = Path(env["PYTHONUSERBASE"])
    assert base == installed_plugin.parent.parent / "gunmane_packages"
    assert str(depcheck.site_dir()).startswith(str(base))
    online, _ = depcheck.pip_command(None, python="/usr/bin/python3")
    assert "--no-index" not in online and "numba>=0.58" in online
    if Path("/usr/lib/python3.11/EXTERNALLY-MANAGED").exists():
        assert "--break-system-packages" in argv


def test_headless_prints_what_is_missing(qgis_app, monkeypatch, capsys):
    from gunmane import deps
    from gunmane.plugin import GunmanePlugin
    monkeypatch.setattr(deps, "_cache", {"geopandas": "ModuleNotFoundError: No module named 'geopandas'"})
    plugin = GunmanePlugin(None)
    plugin.provider = object()       # registered already: only the message is under test
    plugin.initProcessing()
    err = capsys.readouterr().err
    assert "geopandas" in err and "depcheck.py" in err and "install --wheels" in err


def test_desktop_first_start_opens_the_dialog(qgis_app, monkeypatch):
    """initGui with packages missing: a menu entry, and the dialog opens by itself."""
    from qgis.PyQt.QtWidgets import QApplication, QMainWindow
    from gunmane import deps
    from gunmane.plugin import GunmanePlugin

    class Iface:
        def __init__(self):
            self.window, self.menus = QMainWindow(), []

        def mainWindow(self):  # noqa: N802
            return self.window

        def addPluginToMenu(self, name, action):  # noqa: N802
            self.menus.append((name, action))

        def removePluginMenu(self, name, action):  # noqa: N802
            self.menus.remove((name, action))

    monkeypatch.setattr(deps, "_cache", {"geopandas": "ModuleNotFoundError"})
    iface = Iface()
    plugin = GunmanePlugin(iface)
    plugin.provider = object()        # the session's provider is registered already
    plugin.initGui()
    assert [name for name, _ in iface.menus] == ["gunmane"]
    for _ in range(5):
        QApplication.processEvents()
    assert plugin.dialog is not None and plugin.dialog.isVisible()
    assert plugin.dialog.table.rowCount() >= 10
    names = [plugin.dialog.table.item(i, 0).text() for i in range(plugin.dialog.table.rowCount())]
    assert "geopandas" in names and "numba" in names
    plugin.provider = None            # leave the session's provider registered
    plugin.unload()
    assert iface.menus == [] and plugin.dialog is None


def test_a_wheel_folder_for_another_system_is_refused(depcheck, tmp_path):
    """Windows wheels on Linux (or another Python version) are named before pip runs."""
    py, plats = depcheck.platform_words()
    other = tmp_path / "win"
    other.mkdir()
    for name in ("numpy-1.26.4-cp312-cp312-win_amd64.whl", "geopandas-1.1.4-py3-none-any.whl"):
        (other / name).write_bytes(b"")
    if not plats[0].startswith("win"):
        problem = depcheck.wheel_folder_problem(other)
        assert problem and "win_amd64 cp312" in problem and py in problem
    good = tmp_path / "good"
    good.mkdir()
    (good / f"shapely-2.2.0-{py}-{py}-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl").write_bytes(b"")
    (good / "pyogrio-0.13.0-cp39-abi3-manylinux_2_28_x86_64.whl").write_bytes(b"")
    if plats[0] == "manylinux":
        assert depcheck.wheel_folder_problem(good) is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no .whl" in depcheck.wheel_folder_problem(empty)
    rc = depcheck.main(["install", "--wheels", str(other)]) if not plats[0].startswith("win") else 2
    assert rc == 2
