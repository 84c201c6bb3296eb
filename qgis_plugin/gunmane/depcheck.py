"""The plugin's Python dependencies: what is needed, what is there, how to install it.

No QGIS import here: the same file runs inside QGIS (the dependency dialog, the
start-up check) and as a script with QGIS's own Python interpreter::

    python3 depcheck.py check                         # table of what is missing / wrong
    python3 depcheck.py install --wheels DIR          # offline, from a local wheel folder
    python3 depcheck.py install --index               # from the package index (online)

Where packages go: a folder the plugin owns, ``<QGIS profile>/python/gunmane_packages``
(``packages_base()``), used as pip's *user base* (``PYTHONUSERBASE`` + ``pip install
--user``).  So pip installs only what QGIS's own Python does not already satisfy (numpy,
matplotlib, scipy, GDAL ... of the QGIS installer are used as they are) and never writes
into QGIS's site-packages.  The plugin puts that folder's site-packages first on
``sys.path`` when it loads (``activate()``); the folder survives plugin updates.
"""
from __future__ import annotations

import os
import re
import sys
import sysconfig
from pathlib import Path

# (import name, distribution, version spec, why).  The specs are those of the library's
# pyproject.toml (tests/qgis/test_dependencies.py keeps them in step).
REQUIRED = [
    ("numpy", "numpy", ">=1.24,<2", "arrays (usually QGIS's own; numpy 2 breaks QGIS 3.22-3.34's GDAL)"),
    ("pandas", "pandas", ">=2.0,<3", "tables (pandas 3 is not yet tested with the library)"),
    ("geopandas", "geopandas", ">=0.14", "GeoDataFrames"),
    ("shapely", "shapely", ">=2.0", "geometry"),
    ("pyproj", "pyproj", ">=3.5", "coordinate systems"),
    ("pyogrio", "pyogrio", ">=0.7", "reading and writing layers"),
    ("networkx", "networkx", ">=3.0", "graphs"),
    ("scipy", "scipy", ">=1.10", "sparse graphs, nearest neighbours"),
    ("rasterio", "rasterio", ">=1.3", "population grid rasters"),
    ("matplotlib", "matplotlib", ">=3.6", "map classes and colours"),
]
if sys.version_info < (3, 11):
    REQUIRED.append(("tomli", "tomli", ">=2.0", "settings files (Python < 3.11)"))
# Optional: without numba the detour kernels run as plain Python (slower; the log says so).
OPTIONAL = [("numba", "numba", ">=0.58", "compiled detour kernels (optional, faster)")]

PLUGIN_DIR = Path(__file__).resolve().parent


# --- versions ------------------------------------------------------------------
def _version_tuple(text: str) -> tuple:
    parts = []
    for piece in re.split(r"[.+-]", str(text)):
        m = re.match(r"\d+", piece)
        if not m:
            break
        parts.append(int(m.group()))
    return tuple(parts) or (0,)


def satisfies(version: str, spec: str) -> bool:
    """``'1.26.4'`` against ``'>=1.24,<2'`` (the operators >=, >, <=, <, ==, !=)."""
    have = _version_tuple(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        m = re.match(r"(>=|<=|==|!=|>|<)\s*(\S+)", clause)
        if not m:
            raise ValueError(f"unsupported version clause {clause!r}")
        op, want = m.group(1), _version_tuple(m.group(2))
        n = max(len(have), len(want))
        a, b = have + (0,) * (n - len(have)), want + (0,) * (n - len(want))
        ok = {">=": a >= b, "<=": a <= b, "==": a == b, "!=": a != b, ">": a > b, "<": a < b}[op]
        if not ok:
            return False
    return True


def installed_version(module_name: str, dist: str) -> tuple[str | None, str | None, str]:
    """``(version, location, error)`` of the module Python would import (imported here)."""
    import importlib
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # ImportError, or a broken binary raising something else
        return None, None, f"{type(exc).__name__}: {exc}"
    version = getattr(module, "__version__", None)
    if not version:
        try:
            from importlib.metadata import version as dist_version
            version = dist_version(dist)
        except Exception:
            version = "0"
    where = str(Path(getattr(module, "__file__", "") or "").parent)
    return str(version), where, ""


def check(include_optional: bool = True) -> list[dict]:
    """One row per dependency: name, spec, version, location, status, optional, error.

    ``status`` is ``'ok'``, ``'missing'``, ``'wrong version'``, or ``'restart'`` (a good
    version is installed in the plugin's folder, but another one is already loaded: restart
    QGIS).
    """
    rows = []
    entries = [(r, False) for r in REQUIRED] + ([(o, True) for o in OPTIONAL] if include_optional else [])
    for (module, dist, spec, why), optional in entries:
        version, where, error = installed_version(module, dist)
        if version is None:
            status = "missing"
        elif not satisfies(version, spec):
            status = "wrong version"
        else:
            status = "ok"
        if status != "ok":
            staged = staged_version(dist)
            if staged and satisfies(staged, spec):
                status, version = "restart", staged   # installed, but the old one is loaded
        rows.append({"name": dist, "module": module, "spec": spec, "version": version,
                     "location": where, "status": status, "optional": optional,
                     "error": error, "why": why})
    return rows


def staged_version(dist: str, base: Path | None = None) -> str | None:
    """Version of ``dist`` installed in the plugin's folder (its ``.dist-info``), or None."""
    site = site_dir(base)
    norm = re.sub(r"[-_.]+", "_", dist).lower()
    for info in site.glob("*.dist-info") if site.is_dir() else []:
        name, _, version = info.name[:-len(".dist-info")].rpartition("-")
        if re.sub(r"[-_.]+", "_", name).lower() == norm:
            return version
    return None


def problems(rows: list[dict] | None = None, include_optional: bool = False) -> list[dict]:
    rows = check() if rows is None else rows
    return [r for r in rows if r["status"] != "ok" and (include_optional or not r["optional"])]


# --- where the packages go -----------------------------------------------------
def packages_base(plugin_dir: Path | None = None) -> Path:
    """``<profile>/python/gunmane_packages``: the plugin lives in ``<profile>/python/plugins/gunmane``.

    ``GUNMANE_PACKAGES`` overrides it (one folder for several profiles).
    """
    if os.environ.get("GUNMANE_PACKAGES"):
        return Path(os.environ["GUNMANE_PACKAGES"]).expanduser().resolve()
    plugin_dir = Path(plugin_dir or PLUGIN_DIR)
    return plugin_dir.parent.parent / "gunmane_packages"


def _user_scheme() -> str:
    if hasattr(sysconfig, "get_preferred_scheme"):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"


def site_dir(base: Path | None = None) -> Path:
    """The site-packages folder pip's ``--user`` scheme uses under ``base`` for this Python."""
    base = Path(base or packages_base())
    return Path(sysconfig.get_path("purelib", _user_scheme(),
                                   vars={"userbase": str(base), "base": str(base)}))


def activate(base: Path | None = None) -> Path:
    """Put the plugin's packages folder (and the bundled library) first on ``sys.path``."""
    site = site_dir(base)
    lib = PLUGIN_DIR / "lib"
    for path in (site, lib):           # lib ends up first: the library bundled with this plugin
        text = str(path)
        if path.is_dir() and text not in sys.path:
            sys.path.insert(0, text)
        elif path.is_dir():
            sys.path.remove(text)
            sys.path.insert(0, text)
    import importlib
    importlib.invalidate_caches()
    return site


# --- the interpreter and the pip command -----------------------------------------
def find_python() -> str:
    """QGIS's own Python interpreter (``sys.executable`` is qgis.exe/QGIS.app inside QGIS)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    exe = Path(sys.executable or "")
    if exe.name.lower().startswith("python") and exe.exists():
        return str(exe)
    candidates = [exe.parent / "bin" / f"python{version}", exe.parent / "bin" / "python3"] \
        if exe.name else []            # macOS: QGIS.app/Contents/MacOS/{QGIS,bin/python3}
    for prefix in {sys.exec_prefix, sys.prefix, getattr(sys, "base_exec_prefix", sys.exec_prefix)}:
        p = Path(prefix)
        candidates += [p / "python.exe", p / "python3.exe", p / "bin" / f"python{version}",
                       p / "bin" / "python3", p.parent / "bin" / "python3"]
    candidates += [Path(f"/usr/bin/python{version}"), Path("/usr/bin/python3")]
    for c in candidates:
        if c.exists():
            return str(c)
    import shutil
    found = shutil.which(f"python{version}") or shutil.which("python3") or shutil.which("python")
    if found:
        return found
    raise FileNotFoundError(
        f"QGIS's Python {version} interpreter was not found next to {sys.exec_prefix}; "
        "set GUNMANE_PYTHON to its path")


def python_executable() -> str:
    return os.environ.get("GUNMANE_PYTHON") or find_python()


def _externally_managed() -> bool:
    stdlib = sysconfig.get_path("stdlib")
    return bool(stdlib) and Path(stdlib, "EXTERNALLY-MANAGED").exists()


def requirement_strings(with_optional: bool = True) -> list[str]:
    reqs = [f"{dist}{spec}" for _, dist, spec, _ in REQUIRED]
    if with_optional:
        reqs += [f"{dist}{spec}" for _, dist, spec, _ in OPTIONAL]
    return reqs


def pip_command(wheels: str | None = None, with_optional: bool = True,
                python: str | None = None) -> tuple[list[str], dict]:
    """``(argv, extra environment)`` of the pip run that installs the dependencies.

    ``wheels``: a local folder of wheels (offline: ``--no-index --find-links``); None uses
    the package index.  pip's ``--user`` scheme with ``PYTHONUSERBASE`` = the plugin's
    folder installs only what QGIS's Python does not already satisfy.
    """
    python = python or python_executable()
    argv = [python, "-m", "pip"]
    if wheels:
        pip_wheels = sorted(Path(wheels).glob("pip-*.whl"))
        if pip_wheels and not _has_pip(python):
            argv = [python, str(pip_wheels[-1] / "pip")]   # pip runs from its own wheel
    argv += ["install", "--user", "--only-binary=:all:", "--disable-pip-version-check",
             "--no-warn-script-location", "--progress-bar", "off"]
    if _externally_managed():
        argv.append("--break-system-packages")   # PEP 668 (Debian): we write only our own folder
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--root-user-action=ignore")  # root: our own folder, not the system's
    if wheels:
        argv += ["--no-index", "--find-links", str(Path(wheels).resolve())]
    argv += requirement_strings(with_optional)
    env = {"PYTHONUSERBASE": str(packages_base()), "PIP_REQUIRE_VIRTUALENV": "0"}
    return argv, env


def pip_environment(extra: dict, base: dict | None = None) -> dict:
    """The environment of the pip run: ``extra`` added; user site enabled (pip --user)."""
    env = dict(os.environ if base is None else base, **extra)
    env.pop("PYTHONNOUSERSITE", None)
    return env


def _has_pip(python: str) -> bool:
    if python == sys.executable or Path(python).resolve() == Path(sys.executable).resolve():
        import importlib.util
        return importlib.util.find_spec("pip") is not None
    import subprocess
    try:
        return subprocess.run([python, "-c", "import pip"], capture_output=True,
                              timeout=60).returncode == 0
    except Exception:
        return False


def shell_command(argv: list[str], env: dict) -> str:
    """The command as a user would type it (POSIX shell or Windows cmd)."""
    def quote(a):
        return f'"{a}"' if (" " in a or "<" in a or ">" in a) else a
    if os.name == "nt":
        return f'set PYTHONUSERBASE={env["PYTHONUSERBASE"]} && ' + " ".join(quote(a) for a in argv)
    import shlex
    return f'PYTHONUSERBASE={shlex.quote(env["PYTHONUSERBASE"])} ' + " ".join(shlex.quote(a) for a in argv)


def default_wheel_folders() -> list[Path]:
    """Wheel folders shipped beside the zip, where a user is likely to have put them."""
    home = Path.home()
    places = [PLUGIN_DIR, PLUGIN_DIR.parent, packages_base().parent, home,
              home / "Downloads", home / "Desktop", home / "ダウンロード", home / "デスクトップ"]
    found = []
    for place in places:
        try:
            found += sorted(p for p in place.glob("gunmane*wheels*") if p.is_dir()
                            and any(p.glob("*.whl")))
        except OSError:
            continue
    return found


def platform_words() -> tuple[str, tuple[str, ...]]:
    """This Python's wheel tag ``cpXY`` and the platform-tag prefixes its wheels may carry."""
    py = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    if sys.platform.startswith("win"):
        plats = ("win_amd64",) if sys.maxsize > 2 ** 32 else ("win32",)
    elif sys.platform == "darwin":
        plats = ("macosx",)
    else:
        plats = ("manylinux", "musllinux", "linux")
    return py, plats


def wheel_folder_problem(folder) -> str | None:
    """Why ``folder`` cannot serve this QGIS (no wheels, or wheels for another system or
    Python version), or None.  Only compiled wheels tell; pure ones (``none-any``) fit all."""
    folder = Path(folder)
    wheels = sorted(folder.glob("*.whl")) if folder.is_dir() else []
    if not wheels:
        return f"{folder} has no .whl files"
    py, plats = platform_words()
    compiled = []
    for w in wheels:
        parts = w.name[:-4].split("-")
        if len(parts) >= 5 and parts[-1] != "any":
            compiled.append((parts[-3], parts[-2], parts[-1]))
    if not compiled:
        return None
    fits = [c for c in compiled if (py in c[0].split(".") or "abi3" in c[1])
            and any(tag.startswith(plats) for tag in c[2].split("."))]
    if fits:
        return None
    seen = sorted({f"{c[2].split('.')[0]} {c[0]}" for c in compiled})[:3]
    return (f"the wheels in {folder} are for {', '.join(seen)}; this QGIS needs "
            f"{plats[0]} {py} (build the wheel folder for it: see docs/qgis_plugin.md)")


def format_table(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        tag = " (optional)" if r["optional"] else ""
        have = r["version"] or "-"
        lines.append(f"  {r['name']}{r['spec']}{tag}: {r['status']} (found {have})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import subprocess
    parser = argparse.ArgumentParser(description="Check or install the gunmane plugin's Python "
                                                 "dependencies into the plugin's own folder.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="list what is missing or has a wrong version")
    sub.add_parser("requirements", help="print the requirements (one a line, for pip download)")
    inst = sub.add_parser("install", help="install what is missing")
    src = inst.add_mutually_exclusive_group(required=True)
    src.add_argument("--wheels", help="local wheel folder (offline)")
    src.add_argument("--index", action="store_true", help="use the package index (online)")
    inst.add_argument("--no-optional", action="store_true", help="leave out numba")
    inst.add_argument("--print-only", action="store_true", help="print the command, run nothing")
    args = parser.parse_args(argv)
    if args.command == "requirements":
        print("\n".join(requirement_strings(True) + ["pip"]))
        return 0
    activate()
    if args.command == "check":
        rows = check()
        print(format_table(rows))
        return 1 if problems(rows) else 0
    if args.wheels and not Path(args.wheels).is_dir():
        print(f"wheel folder {args.wheels} does not exist: give the folder shipped beside the "
              "plugin zip (gunmane-<version>-wheels-...)", file=sys.stderr)
        return 2
    problem = wheel_folder_problem(args.wheels) if args.wheels else None
    if problem:
        print(f"wrong wheel folder: {problem}", file=sys.stderr)
        return 2
    cmd, extra = pip_command(args.wheels, with_optional=not args.no_optional,
                             python=sys.executable)
    print(shell_command(cmd, extra), flush=True)
    if args.print_only:
        return 0
    env = pip_environment(extra)
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
