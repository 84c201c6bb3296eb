"""The ``gunmane`` command line.

Each sub-command lives in its own module in this package and exposes
``add_parser(subparsers)`` (which registers the command and sets ``func``).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

# module names in this package, in the order they appear in --help
COMMAND_MODULES = [
    "validate",      # gunmane validate PATH...
    "load",          # gunmane load (the demo's load step)
    "criticality",   # gunmane criticality / scenario
    "options",       # gunmane options / plan
    "groups",        # gunmane groups / packages / road-pairs
    "indicators",    # gunmane indicators / effect
    "maps",          # gunmane map
    "report",        # gunmane report
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gunmane",
        description="gunmane-geo: 群マネ (regional infrastructure group management) analyses.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # command not built yet
            raise
        module.add_parser(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("gunmane-geo")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    import signal
    import threading
    from ..errors import request_interrupt

    def on_sigint(signum, frame):
        request_interrupt()
        raise KeyboardInterrupt

    request_interrupt(False)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if main_thread else None
    try:
        return _run(args)
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
        request_interrupt(False)


def _run(args) -> int:
    """Run the command; errors become one line on stderr and an exit status."""
    try:
        _check_output_paths(args)
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        # our own errors carry a message naming the file, row and fix
        print(f"gunmane {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # cannot read or write a file: name it and say what to do (docs/errors.md)
        where = exc.filename or ""
        print(f"gunmane {args.command}: error: {where}{': ' if where else ''}"
              f"{exc.strerror or exc}; fix: check the path and that you may write there "
              "(and that the file is not open in another program such as QGIS or Excel)",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"gunmane {args.command}: interrupted; nothing was written (outputs of an "
              "earlier run are left as they were)", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an input we do not check yet: no traceback for users
        if os.environ.get("GUNMANE_TRACEBACK"):
            raise
        print(f"gunmane {args.command}: unexpected error ({type(exc).__name__}: {exc}). "
              "This is a bug in gunmane-geo or an input it does not check yet: please report "
              "it with the command line; set GUNMANE_TRACEBACK=1 to see the details",
              file=sys.stderr)
        return 1


#: output arguments checked before any work; a value ending in .gpkg/.csv names a file,
#: any other value a folder
OUTPUT_ARGS = ("out", "csv", "report")


def _check_output_paths(args) -> None:
    """Refuse an output path that cannot be created, before any work is done: a part of it
    that is an existing file, or an output folder that is an existing file.  Missing
    folders are fine (they are created)."""
    from pathlib import Path
    from ..errors import InputError
    for name in OUTPUT_ARGS:
        value = getattr(args, name, None)
        if not isinstance(value, str) or not value:
            continue
        path = Path(value)
        is_file = path.suffix.lower() in (".gpkg", ".csv")
        if not is_file and path.is_file():
            raise InputError(f"--{name} names an existing file, but an output folder is "
                             "needed; give a folder name", source=path)
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise InputError(f"--{name}: '{parent}' is a file, not a folder, so "
                                     "nothing can be written below it; choose another "
                                     "output path", source=path)
                break
        if is_file and path.is_dir():
            raise InputError(f"--{name} names an existing folder; give a file name ending "
                             f"in {path.suffix or '.gpkg'}", source=path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
