"""The ``gunmane`` command line.

Each sub-command lives in its own module in this package and exposes
``add_parser(subparsers)`` (which registers the command and sets ``func``).
"""
from __future__ import annotations

import argparse
import importlib
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
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        # our own errors carry a message naming the file, row and fix
        print(f"gunmane {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
