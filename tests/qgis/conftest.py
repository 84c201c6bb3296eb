"""Real headless QGIS for the plugin tests: one QgsApplication per session.

The plugin under test is the one users install: ``scripts/build_plugin.sh`` builds the
zip (compiling ``i18n/*.ts`` to ``.qm`` with lrelease) and the zip is unpacked into a
throw-away QGIS profile (``QGIS_CUSTOM_CONFIG_PATH``), whose ``python/plugins`` folder is
put on ``sys.path``.  ``qgis_process.bin`` tests use the same profile.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_SRC = ROOT / "qgis_plugin" / "gunmane"
QGIS_PROCESS = "/usr/bin/qgis_process.bin"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

# One throw-away profile for the whole session (set before QgsApplication is created).
_PROFILE_ROOT = Path(tempfile.mkdtemp(prefix="gunmane-qgis-profile-"))
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(_PROFILE_ROOT)
PLUGINS_DIR = _PROFILE_ROOT / "profiles" / "default" / "python" / "plugins"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qgis)


def pytest_unconfigure(config):
    shutil.rmtree(_PROFILE_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def plugin_zip(tmp_path_factory) -> Path:
    """Build the plugin zip with the project's build script (as ``make plugin`` does)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(["bash", str(ROOT / "scripts" / "build_plugin.sh"), str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr + result.stdout
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def installed_plugin(plugin_zip) -> Path:
    """The zip unpacked into the session profile's python/plugins folder."""
    PLUGINS_DIR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(PLUGINS_DIR / "gunmane", ignore_errors=True)
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(PLUGINS_DIR)
    return PLUGINS_DIR / "gunmane"


@pytest.fixture(scope="session")
def qgis_app(installed_plugin):
    """Start QGIS once, initialise Processing and load our plugin as qgis_process does."""
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    plugins_dir = Path(QgsApplication.pkgDataPath()) / "python" / "plugins"
    sys.path.insert(0, str(plugins_dir))
    sys.path.insert(0, str(PLUGINS_DIR))
    from processing.core.Processing import Processing
    Processing.initialize()
    import gunmane
    assert Path(gunmane.__file__).parent == installed_plugin, gunmane.__file__
    plugin = gunmane.classFactory(None)
    plugin.initProcessing()
    app._gunmane_plugin = plugin  # keep a Python reference (provider included)
    yield app
    plugin.unload()
    # exitQgis() at interpreter shutdown can segfault with Processing loaded; let the
    # process end instead.


@pytest.fixture(scope="session")
def provider(qgis_app):
    return qgis_app._gunmane_plugin.provider


def _qgis_process_env() -> dict:
    """Environment for ``qgis_process.bin``: our profile, the venv's packages and the repo."""
    env = dict(os.environ)
    site = sysconfig.get_paths()["purelib"]   # the venv's site-packages (pytest runs in it)
    env["PYTHONPATH"] = os.pathsep.join([site, str(ROOT)] + (
        [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(_PROFILE_ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture(scope="session")
def qgis_process_env():
    """``(path of qgis_process.bin, environment)`` for runs with a profile of one's own."""
    return QGIS_PROCESS, _qgis_process_env()


@pytest.fixture(scope="session")
def update_ts():
    """``qgis_plugin/update_ts.py`` as a module (the translation checker)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("update_ts", ROOT / "qgis_plugin" / "update_ts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def qgis_process(installed_plugin):
    """Run ``qgis_process.bin`` with the plugin enabled in the session profile."""
    assert Path(QGIS_PROCESS).exists(), f"{QGIS_PROCESS} missing: apt-get install qgis"
    env = _qgis_process_env()
    enable = subprocess.run([QGIS_PROCESS, "plugins", "enable", "gunmane"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert enable.returncode == 0, enable.stdout + enable.stderr

    def run(*args, timeout=300):
        return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True,
                              text=True, timeout=timeout)
    return run


@pytest.fixture(scope="session")
def tiny_region(tmp_path_factory):
    """Two municipalities, one road, three bridges (Japanese column names), EPSG:6668."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point, Polygon

    path = tmp_path_factory.mktemp("tiny") / "tiny.gpkg"
    munis = gpd.GeoDataFrame(
        {"N03_007": ["99201", "99202"], "N03_004": ["甲市", "乙町"]},
        geometry=[Polygon([(139.0, 36.0), (139.1, 36.0), (139.1, 36.1), (139.0, 36.1)]),
                  Polygon([(139.1, 36.0), (139.2, 36.0), (139.2, 36.1), (139.1, 36.1)])],
        crs="EPSG:6668")
    munis.to_file(path, layer="municipalities", driver="GPKG")
    roads = gpd.GeoDataFrame({"道路種別": ["市道"]},
                             geometry=[LineString([(139.02, 36.05), (139.18, 36.05)])], crs="EPSG:6668")
    roads.to_file(path, layer="roads", driver="GPKG")
    bridges = gpd.GeoDataFrame(
        {"橋梁ID": ["B1", "B2", "B3", None], "橋梁名": ["一の橋", "二の橋", "三の橋", "名無し橋"],
         "橋長(m)": [12.0, 30.5, 8.0, 5.0], "判定区分": ["Ⅱ", "III", "V", "I"]},
        geometry=[Point(139.05, 36.05), Point(139.12, 36.05), Point(139.15, 36.05),
                  Point(139.16, 36.05)], crs="EPSG:6668")
    bridges.to_file(path, layer="bridges", driver="GPKG")
    return path


SAMPLE = ROOT / "sample_layers"
#: the clip used by the analysis tests: 桜台町 and 美杉町 (two neighbouring towns)
CLIP_CODES = ("99343", "99344")


@pytest.fixture(scope="session")
def sample_clip(tmp_path_factory):
    """The sample region (EPSG:6673) clipped to two towns, as one GeoPackage.

    Layers: municipalities (all 9, for grouping), clip_municipalities, roads, bridges,
    facilities, other_assets (features intersecting the two towns) and staff (table).
    Returns ``{"gpkg": path, "population": raster path, "staff_csv": path}``.
    """
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    assert (SAMPLE / "roads.gpkg").exists(), f"sample region missing in {SAMPLE}"
    path = tmp_path_factory.mktemp("sample") / "clip.gpkg"
    munis = gpd.read_file(SAMPLE / "municipalities.gpkg")
    munis.to_file(path, layer="municipalities", driver="GPKG")
    area = munis[munis["municipality_code"].isin(CLIP_CODES)]
    area.to_file(path, layer="clip_municipalities", driver="GPKG")
    shape = area.union_all()
    for kind in ("roads", "bridges", "facilities", "other_assets"):
        frame = gpd.read_file(SAMPLE / f"{kind}.gpkg")
        frame[frame.intersects(shape)].to_file(path, layer=kind, driver="GPKG")
    staff = pd.read_csv(SAMPLE / "staff.csv", dtype={"municipality_code": str})
    pyogrio.write_dataframe(staff, path, layer="staff", driver="GPKG")
    return {"gpkg": path, "population": SAMPLE / "population_250m.tif",
            "staff_csv": SAMPLE / "staff.csv"}


def layer_uri(gpkg, name: str) -> str:
    return f"{gpkg}|layername={name}"


def val(value):
    """A QGIS attribute value as plain Python (NULL -> None)."""
    from qgis.PyQt.QtCore import QVariant
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    return value


def same_number(a, b, tol=1e-6) -> bool:
    """QGIS value ``a`` equals library value ``b`` (NULL == NaN/NA), relative tolerance."""
    import math
    a = val(a)
    if isinstance(a, float) and math.isnan(a):
        a = None
    b_missing = b is None or str(b) in ("<NA>", "nan", "NaT")
    if a is None:
        return b_missing
    if b_missing:
        return False
    if float(a) == float(b):
        return True
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))
