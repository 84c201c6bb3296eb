"""The release as a town hall gets it: zip + wheel folder, into a QGIS without our packages.

The Python is Debian's own (``/usr/bin/python3``, which ``qgis_process.bin`` embeds) with a
clean environment: no ``PYTHONPATH``, no user site, no pip configuration, a fresh ``HOME``
and a fresh QGIS profile.  pandas, geopandas, shapely, pyogrio, networkx, rasterio and numba
are not installed there at all, and Debian's pyproj (3.4) is older than the library needs
(the test checks this first, so it proves something).  The network is cut for pip
(``--no-index``, no config, proxies to a closed port).
"""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import QGIS_PROCESS, ROOT, SAMPLE

SYSTEM_PYTHON = "/usr/bin/python3"
ABSENT = ("pandas", "geopandas", "shapely", "pyogrio", "networkx", "rasterio", "numba")


@pytest.fixture(scope="session")
def release(tmp_path_factory):
    """``make plugin`` into a temporary dist: the zips and the wheel folder (once a session)."""
    out = tmp_path_factory.mktemp("release")
    result = subprocess.run(["bash", str(ROOT / "scripts" / "build_plugin.sh"), str(out), "--wheels"],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout
    lines = result.stdout.strip().splitlines()
    wheels = Path(next(line for line in lines if "-wheels-" in line))
    assert any(wheels.glob("geopandas-*.whl")) and any(wheels.glob("pip-*.whl"))
    return {"zip": Path(lines[-1]), "wheels": wheels, "dist": out}


def clean_env(profile: Path, home: Path) -> dict:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(profile),
           "PYTHONNOUSERSITE": "1", "PIP_CONFIG_FILE": os.devnull,
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    return env


def fresh_profile(tmp_path: Path, plugin_zip: Path):
    profile, home = tmp_path / "profile", tmp_path / "home"
    plugins = profile / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    home.mkdir()
    with zipfile.ZipFile(plugin_zip) as archive:       # Plugins > Install from ZIP
        archive.extractall(plugins)
    return profile, home, plugins


def test_the_python_really_lacks_the_packages(tmp_path):
    env = clean_env(tmp_path, tmp_path)
    for module in ABSENT:
        probe = subprocess.run([SYSTEM_PYTHON, "-c", f"import {module}"], env=env,
                               capture_output=True, text=True)
        assert probe.returncode != 0, f"{module} is installed for {SYSTEM_PYTHON}: the release " \
                                      "test would prove nothing (uninstall it there)"
    old = subprocess.run([SYSTEM_PYTHON, "-c", "import pyproj; print(pyproj.__version__)"],
                         env=env, capture_output=True, text=True)
    assert old.returncode == 0 and old.stdout.startswith("3.4"), old


def _crit(table):
    return {str(r.bridge_id): r for r in table.itertuples()}


def test_release_offline_install_then_qgis_process(release, tmp_path):
    """Install from ZIP, the printed command (offline, wheel folder), then bridge_criticality."""
    profile, home, plugins = fresh_profile(tmp_path, release["zip"])
    # the wheel folder shipped beside the zip, in the user's Downloads
    (home / "Downloads").mkdir()
    (home / "Downloads" / release["wheels"].name).symlink_to(release["wheels"])
    env = clean_env(profile, home)
    run = [QGIS_PROCESS, "run", "gunmane:bridge_criticality", "--json", "--",
           f"ROADS={SAMPLE / 'roads.gpkg'}", f"BRIDGES={SAMPLE / 'bridges.gpkg'}",
           f"FACILITIES={SAMPLE / 'facilities.gpkg'}", f"POPULATION={SAMPLE / 'population_250m.tif'}",
           f"OUTPUT={tmp_path / 'criticality.gpkg'}"]
    enable = subprocess.run([QGIS_PROCESS, "plugins", "enable", "gunmane"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert enable.returncode == 0, enable.stdout + enable.stderr

    # 1. before: the algorithm stops, naming what is missing and the exact command
    before = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300)
    text = before.stdout + before.stderr
    assert before.returncode != 0
    for name in ("pandas", "geopandas", "shapely", "networkx", "pyproj"):
        assert name in text, (name, text[-3000:])
    assert "needs >=3.5" in text                       # pyproj 3.4.1: wrong version
    match = re.search(r'("/usr/bin/python3[.0-9]*" "[^"]+depcheck\.py" install --wheels "[^"]+")', text)
    assert match, text[-3000:]
    command = match.group(1)
    assert release["wheels"].name in command

    # 2. the printed command, run as printed: offline from the wheel folder
    install = subprocess.run(command, shell=True, env=env, capture_output=True, text=True,
                             timeout=600)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert "--no-index" in install.stdout and "Successfully installed" in install.stdout
    site = profile / "profiles" / "default" / "python" / "gunmane_packages" / "lib" / \
        f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    for module in ("geopandas", "shapely", "pyproj", "numba"):
        assert (site / module).is_dir(), module
    assert not (site / "scipy").exists() and not (site / "matplotlib").exists()  # QGIS's are used
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import geopandas"], env=env, capture_output=True)
    assert probe.returncode != 0            # nothing went into QGIS's own site-packages
    check = subprocess.run([SYSTEM_PYTHON, str(plugins / "gunmane" / "depcheck.py"), "check"],
                           env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout

    # 3. the algorithm through qgis_process on the sample region
    after = subprocess.run(run, env=env, capture_output=True, text=True, timeout=600)
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
    assert "numba is not installed" not in after.stdout + after.stderr
    results = json.loads(after.stdout[after.stdout.index("{"):])["results"]
    import geopandas as gpd
    got = gpd.read_file(tmp_path / "criticality.gpkg")

    from gunmane_geo.criticality import bridge_criticality
    from gunmane_geo.io.loader import load_region
    from gunmane_geo.pipeline import network_from_region
    from gunmane_geo.settings import Settings
    settings = Settings()
    region = load_region({"roads": str(SAMPLE / "roads.gpkg"), "bridges": str(SAMPLE / "bridges.gpkg"),
                          "facilities": str(SAMPLE / "facilities.gpkg"),
                          "population": str(SAMPLE / "population_250m.tif")}, settings)
    lib = bridge_criticality(network_from_region(region, settings), settings=settings)
    assert len(got) == len(lib) == 1121
    assert results["N_ISOLATING"] == int(lib["isolates"].fillna(False).astype(bool).sum()) > 0
    a, b = _crit(got), _crit(lib)
    assert set(a) == set(b)
    for bid, row in b.items():
        for col in ("detour_m", "isolated_population"):
            x, y = getattr(a[bid], col), getattr(row, col)
            assert (x != x and y != y) or x == pytest.approx(y, rel=1e-9, abs=1e-6), (bid, col, x, y)


def test_dependency_dialog_installs_offline_and_cancels(release, tmp_path):
    """The dialog in QGIS's own Python: lists missing/wrong, cancel, then one-click install."""
    profile, home, plugins = fresh_profile(tmp_path, release["zip"])
    env = clean_env(profile, home)
    shots = tmp_path / "shots"
    proc = subprocess.run([SYSTEM_PYTHON, str(Path(__file__).with_name("_dialog_driver.py")),
                           str(plugins), str(release["wheels"]), str(shots), "ja", "--cancel",
                           "--no-optional"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "RESULT " in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]
    r = json.loads(proc.stdout.split("RESULT ", 1)[1])
    assert Path(r["gunmane_file"]).parent == plugins / "gunmane"     # the installed plugin
    before = {row["name"]: row["status"] for row in r["before"]}
    assert before["geopandas"] == "missing" and before["pyproj"] == "wrong version"
    assert before["numpy"] == "ok" and before["scipy"] == "ok"       # QGIS's own
    assert before["numba"] == "missing"
    # cancelled while pip was working: stopped, the UI usable again, still missing
    assert r["cancel_started"] and r["cancel_finished"] and r["install_enabled_after_cancel"]
    assert "ユーザーが中止しました" in r["cancel_log"] and "中止しました。pip" in r["cancel_log"]
    assert any(row["name"] == "geopandas" for row in r["after_cancel"])
    # one click: everything installed; pyproj 3.4 was already loaded here, so restart
    assert r["finished"] and r["progress"] == 100
    after = {row["name"]: row["status"] for row in r["after"]}
    assert after["geopandas"] == "ok" and after["shapely"] == "ok" and after["pandas"] == "ok"
    assert after["pyproj"] == "restart" and "再起動" in r["summary"]
    assert after["numba"] == "missing"                                # left out on request
    assert "--no-index" in r["log"] and "Successfully installed" in r["log"]
    assert r["target"].startswith(str(profile))
    from qgis.PyQt.QtGui import QImage
    for name in ("missing", "installing", "done"):
        image = QImage(str(shots / f"deps_dialog_{name}_ja.png"))
        assert image.width() > 600 and image.height() > 600, name
    # after a restart (a new process) everything is ready
    check = subprocess.run([SYSTEM_PYTHON, str(plugins / "gunmane" / "depcheck.py"), "check"],
                           env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
