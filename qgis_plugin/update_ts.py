#!/usr/bin/env python3
"""Keep ``gunmane/i18n/gunmane_ja.ts`` in step with the plugin's source strings.

pylupdate is not part of Qt 5's tools on Debian (and Qt 5's ``lupdate`` does not read
Python), so this script does its job for our one convention: every user-facing string is
an English literal passed to ``tr("...")``, ``self.tr("...")`` or the no-op marker
``N_("...")`` (for class constants translated later, e.g. ``DISPLAY_NAME``).

    python3 qgis_plugin/update_ts.py            # add new strings (unfinished), mark gone ones vanished
    python3 qgis_plugin/update_ts.py --check    # exit 1 listing strings without a finished translation
    python3 qgis_plugin/update_ts.py --set translations.json   # fill translations from {source: text}

Only the Python standard library is used (no QGIS needed).
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent / "gunmane"
TS_PATH = PLUGIN_DIR / "i18n" / "gunmane_ja.ts"
CONTEXT = "gunmane"
MARKERS = {"tr", "N_"}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def source_strings(plugin_dir: Path = PLUGIN_DIR) -> dict[str, str]:
    """``{english source: 'file:line'}`` for every marked literal in the plugin's Python files."""
    found: dict[str, str] = {}
    for path in sorted(plugin_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None)
            if name not in MARKERS:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                found.setdefault(arg.value, f"{path.relative_to(plugin_dir)}:{node.lineno}")
    return found


def read_ts(path: Path = TS_PATH) -> dict[str, tuple[str, str | None]]:
    """``{source: (translation, type)}`` from a .ts file (type None = finished)."""
    if not path.exists():
        return {}
    root = ET.parse(path).getroot()
    entries = {}
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            text = (translation.text or "") if translation is not None else ""
            kind = translation.get("type") if translation is not None else "unfinished"
            entries[source] = (text, kind)
    return entries


def write_ts(entries: dict[str, tuple[str, str | None]], locations: dict[str, str],
             path: Path = TS_PATH) -> None:
    root = ET.Element("TS", version="2.1", language="ja_JP", sourcelanguage="en")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    def order(source):
        where = locations.get(source)
        if where is None:
            return (1, "", 0, source)
        filename, line = where.rsplit(":", 1)
        return (0, filename, int(line), source)
    ordered = sorted(entries, key=order)
    for source in ordered:
        text, kind = entries[source]
        message = ET.SubElement(context, "message")
        if source in locations:
            filename, line = locations[source].rsplit(":", 1)
            ET.SubElement(message, "location", filename=filename, line=line)
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        translation.text = text
        if kind:
            translation.set("type", kind)
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def problems(entries=None, sources=None) -> list[str]:
    """Strings in the code without a finished translation, or whose placeholders differ."""
    entries = read_ts() if entries is None else entries
    sources = source_strings() if sources is None else sources
    found = []
    for source, where in sorted(sources.items(), key=lambda kv: kv[1]):
        text, kind = entries.get(source, ("", "unfinished"))
        if source not in entries:
            found.append(f"{where}: not in {TS_PATH.name}: {source!r}")
        elif kind or not text.strip():
            found.append(f"{where}: translation unfinished: {source!r}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            found.append(f"{where}: placeholders differ: {source!r} -> {text!r}")
    return found


def update() -> tuple[int, int]:
    """Merge the code's strings into the .ts; returns (new, vanished) counts."""
    sources = source_strings()
    entries = read_ts()
    new = vanished = 0
    for source in sources:
        if source not in entries:
            entries[source] = ("", "unfinished")
            new += 1
        elif entries[source][1] == "vanished":
            entries[source] = (entries[source][0], None if entries[source][0] else "unfinished")
    for source, (text, kind) in list(entries.items()):
        if source not in sources and kind != "vanished":
            entries[source] = (text, "vanished")
            vanished += 1
    write_ts(entries, sources)
    return new, vanished


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="list untranslated strings, exit 1 if any")
    parser.add_argument("--set", metavar="JSON", help="fill translations from a {source: translation} file")
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    new, vanished = update()
    if args.set:
        values = json.loads(Path(args.set).read_text(encoding="utf-8"))
        entries = read_ts()
        for source, text in values.items():
            if source in entries:
                entries[source] = (text, None)
            else:
                print(f"not in the code (ignored): {source!r}", file=sys.stderr)
        write_ts(entries, source_strings())
    print(f"{TS_PATH}: {new} new, {vanished} vanished; {len(problems())} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
