"""Python dependencies of the plugin: checked once, reported in one clear message.

The plugin always loads; when the ``gunmane_geo`` library or one of its dependencies is
missing, the algorithms still appear in the toolbox and each one stops with the message
from :func:`missing_message` (how to install them) instead of a traceback.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from .i18n import tr

from . import depcheck

# import name -> pip requirement (the plugin's required packages; see depcheck.REQUIRED).
# gunmane_geo itself is bundled in the plugin (gunmane/lib); it is checked last.
REQUIRED = {module: f"{dist}{spec}" for module, dist, spec, _ in depcheck.REQUIRED}
REQUIRED["gunmane_geo"] = "gunmane_geo (bundled in the plugin zip: reinstall the zip)"

_cache: dict[str, str] | None = None

# Binary wheels that bundle their own GEOS / PROJ / GDAL / FreeType (pip's manylinux wheels).
BUNDLING_PACKAGES = ("shapely", "pyproj", "pyogrio", "rasterio", "fiona", "matplotlib")


def isolate_bundled_libraries() -> list[str]:
    """Import pip wheels that bundle GEOS/PROJ/GDAL so they use their own copies (Linux).

    Inside the QGIS executables (desktop ``qgis``, ``qgis_process``) QGIS's own GEOS,
    PROJ and GDAL are in the process's global symbol scope.  On Linux (ELF flat
    namespace) a wheel's bundled ``libgeos_c-*.so`` or ``libproj-*.so`` then has its calls
    bound to QGIS's versions: shapely fails with "WKB output dimension must be 2 or 3",
    pyproj frees memory it did not allocate and the process aborts at exit.  Loading
    every extension module of those packages with ``RTLD_DEEPBIND`` puts their own
    libraries first.  Packages built against the system libraries (distribution
    packages) are unaffected.  Windows and macOS resolve symbols per library and need
    nothing.  Returns the packages prepared this way (those not already imported).
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "RTLD_DEEPBIND"):
        return []
    prepared = []
    old_flags = sys.getdlopenflags()
    sys.setdlopenflags(os.RTLD_NOW | os.RTLD_DEEPBIND)
    try:
        for package in BUNDLING_PACKAGES:
            if package in sys.modules:
                continue
            try:
                module = importlib.import_module(package)
            except Exception:
                continue   # not installed: reported by missing_dependencies if required
            prepared.append(package)
            for directory in getattr(module, "__path__", []):
                for so in sorted(Path(directory).rglob("*.so")):
                    parts = list(so.relative_to(directory).with_suffix("").parts)
                    parts[-1] = parts[-1].split(".")[0]     # lib.cpython-311-x86_64-linux-gnu
                    if any(not p.isidentifier() for p in parts):
                        continue
                    try:
                        importlib.import_module(".".join([package] + parts))
                    except Exception:
                        pass   # optional extension (e.g. needs an absent extra)
    finally:
        sys.setdlopenflags(old_flags)
    return prepared


def binary_self_test() -> str | None:
    """A tiny GEOS/PROJ round trip; the error text when the binaries do not work together."""
    try:
        import pyproj
        import shapely
        from shapely.geometry import Point
        if len(Point(1.0, 2.0).wkb) != 21 or shapely.from_wkb(Point(1.0, 2.0).wkb).x != 1.0:
            return "shapely WKB round trip failed"
        x, y = pyproj.Transformer.from_crs("EPSG:6668", "EPSG:6677", always_xy=True) \
            .transform(139.8, 36.0)
        if not (abs(x + 3005.156) < 0.01 and abs(y - 0.514) < 0.01):
            return f"pyproj transformed (139.8, 36.0) to ({x:.3f}, {y:.3f})"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def missing_dependencies(refresh: bool = False) -> dict[str, str]:
    """``{import name: reason}`` for every required module that cannot be imported, has a
    version outside the plugin's range, or fails the binary self-test (key ``'binaries'``)."""
    global _cache
    if _cache is not None and not refresh:
        return dict(_cache)
    depcheck.activate()
    isolate_bundled_libraries()
    missing = {}
    for row in depcheck.problems(depcheck.check(include_optional=False)):
        if row["status"] == "missing":
            missing[row["module"]] = row["error"] or "missing"
        elif row["status"] == "restart":
            missing[row["module"]] = f"{row['version']} installed in {depcheck.site_dir()}: " \
                                     "restart QGIS"
        else:
            missing[row["module"]] = f"version {row['version']} at {row['location']}, " \
                                     f"needs {row['spec']}"
    if not missing:
        try:
            importlib.import_module("gunmane_geo")
        except Exception as exc:
            missing["gunmane_geo"] = f"{type(exc).__name__}: {exc}"
    if not missing:
        problem = binary_self_test()
        if problem:
            missing["binaries"] = problem
    _cache = missing
    return dict(missing)


def numba_note() -> str:
    """A log line when numba is absent (the detour kernels then run as plain Python)."""
    try:
        importlib.import_module("numba")
        return ""
    except Exception:
        return tr("numba is not installed: the detour searches run as plain Python "
                  "(correct, but several times slower). Install it with "
                  "Plugins > gunmane > Python dependencies.")


def install_command(wheels: str | None = None) -> str:
    """The exact command that installs the dependencies (shown headless and in the dialog)."""
    if wheels is None:
        found = depcheck.default_wheel_folders()
        wheels = str(found[-1]) if found else None
    try:
        python = depcheck.python_executable()
    except FileNotFoundError:
        python = "python3"
    script = depcheck.PLUGIN_DIR / "depcheck.py"
    source = f'--wheels "{wheels}"' if wheels else "--wheels <gunmane wheel folder>"
    return f'"{python}" "{script}" install {source}   ' + tr("(online: install --index)")


def missing_message(missing: dict[str, str] | None = None) -> str:
    """One message naming what is missing and how to install it, in the user's language."""
    if missing is None:
        missing = missing_dependencies()
    if not missing:
        return ""
    if "binaries" in missing:
        return tr(
            "The gunmane plugin found geopandas, shapely and pyproj, but they do not work "
            "inside QGIS ({problem}). Another plugin may have imported them first; restart "
            "QGIS, or install the versions built for your QGIS (Linux: sudo apt install "
            "python3-shapely python3-pyproj python3-geopandas). See the plugin documentation."
        ).format(problem=missing["binaries"])
    packages = " ".join(sorted(REQUIRED.get(m, m) for m in missing))
    names = ", ".join(f"{m} ({reason})" for m, reason in sorted(missing.items()))
    return tr(
        "The gunmane plugin needs Python packages that QGIS cannot use: {names}. "
        "In QGIS: Plugins > gunmane > Python dependencies... installs them with one click "
        "(from the wheel folder shipped beside the plugin zip, or from the internet) into "
        "{folder}, then restart QGIS. Without the QGIS window (qgis_process), run: {command} "
        "(Packages: {packages}; interpreter: {python}.)"
    ).format(names=names, folder=depcheck.site_dir(), command=install_command(),
             packages=packages, python=sys.executable)
