#!/usr/bin/env bash
# Build the installable QGIS plugin zip: dist/gunmane-<version>.zip
#   scripts/build_plugin.sh [OUT_DIR]     (default: dist)
# The zip holds the folder gunmane/ (qgis_plugin/gunmane without caches) with every
# i18n/*.ts compiled to .qm by lrelease (Debian: qttools5-dev-tools).  Install it in
# QGIS with Plugins > Manage and Install Plugins > Install from ZIP.
# Prints the path of the zip on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=qgis_plugin/gunmane
OUT_DIR=${1:-dist}
LRELEASE=${LRELEASE:-}
if [ -z "$LRELEASE" ]; then
    for candidate in lrelease lrelease-qt5 /usr/lib/qt5/bin/lrelease /usr/lib/x86_64-linux-gnu/qt5/bin/lrelease; do
        if command -v "$candidate" >/dev/null 2>&1; then LRELEASE=$candidate; break; fi
    done
fi
if [ -z "$LRELEASE" ]; then
    echo "build_plugin: lrelease not found; install qttools5-dev-tools (Debian/Ubuntu) or set LRELEASE=/path/to/lrelease" >&2
    exit 1
fi
command -v zip >/dev/null 2>&1 || { echo "build_plugin: 'zip' not found; install it (apt-get install zip)" >&2; exit 1; }

version=$(sed -n 's/^version=//p' "$SRC/metadata.txt" | tr -d '[:space:]')
[ -n "$version" ] || { echo "build_plugin: no version= line in $SRC/metadata.txt" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
(cd qgis_plugin && tar --exclude='__pycache__' --exclude='*.pyc' --exclude='*.qm' -cf - gunmane) \
    | tar -xf - -C "$stage"

shopt -s nullglob
ts_files=("$stage"/gunmane/i18n/*.ts)
[ ${#ts_files[@]} -gt 0 ] || { echo "build_plugin: no translations in $SRC/i18n/*.ts" >&2; exit 1; }
for ts in "${ts_files[@]}"; do
    qm="${ts%.ts}.qm"
    "$LRELEASE" -silent "$ts" -qm "$qm"
    [ -s "$qm" ] || { echo "build_plugin: lrelease produced no $qm" >&2; exit 1; }
done

mkdir -p "$OUT_DIR"
zip_path="$(cd "$OUT_DIR" && pwd)/gunmane-$version.zip"
rm -f "$zip_path"
(cd "$stage" && zip -q -r -X "$zip_path" gunmane)
echo "$zip_path"
