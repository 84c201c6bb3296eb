#!/usr/bin/env bash
# Build the installable QGIS plugin: one zip per platform family, and a wheel folder.
#   scripts/build_plugin.sh [OUT_DIR] [--wheels]      (default OUT_DIR: dist)
#
# OUT_DIR/gunmane-<version>-{linux,windows,macos}.zip: the folder gunmane/ (qgis_plugin/gunmane
#   without caches) with every i18n/*.ts compiled to .qm by lrelease (Debian:
#   qttools5-dev-tools) and the gunmane_geo library inside it (gunmane/lib/gunmane_geo, pure
#   Python; the plugin puts gunmane/lib first on sys.path).  The zips differ only in
#   gunmane/release.txt (platform family, the wheel folder to use with it).  Install with
#   Plugins > Manage and Install Plugins > Install from ZIP.
# --wheels: also OUT_DIR/gunmane-<version>-wheels-<platform>-cp<XY>/, the plugin's dependencies
#   as wheels for this machine's QGIS Python (PYTHON, default /usr/bin/python3), made with
#   pip download --only-binary=:all: (needs the package index or pip's cache).  Ship it
#   beside the zip; the plugin's dependency dialog installs from it offline.  For Windows and
#   macOS, see docs/qgis_plugin.md (pip download --platform ...).
# Prints the zips, the wheel folder, and last the zip for this machine's platform family.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=qgis_plugin/gunmane
OUT_DIR=dist
WHEELS=0
for arg in "$@"; do
    case "$arg" in
        --wheels) WHEELS=1 ;;
        -*) echo "build_plugin: unknown option $arg (use: build_plugin.sh [OUT_DIR] [--wheels])" >&2; exit 2 ;;
        *) OUT_DIR=$arg ;;
    esac
done
PYTHON=${PYTHON:-/usr/bin/python3}
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
lib_version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
[ "$lib_version" = "$version" ] || { echo "build_plugin: plugin version $version (metadata.txt) differs from the library's $lib_version (pyproject.toml); make them equal" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
(cd qgis_plugin && tar --exclude='__pycache__' --exclude='*.pyc' --exclude='*.qm' -cf - gunmane) \
    | tar -xf - -C "$stage"
# the library, inside the plugin (pure Python + its data files)
mkdir -p "$stage/gunmane/lib"
tar --exclude='__pycache__' --exclude='*.pyc' -cf - gunmane_geo | tar -xf - -C "$stage/gunmane/lib"
cp LICENSE "$stage/gunmane/lib/gunmane_geo.LICENSE" 2>/dev/null || cp "$SRC/LICENSE" "$stage/gunmane/lib/gunmane_geo.LICENSE"

shopt -s nullglob
ts_files=("$stage"/gunmane/i18n/*.ts)
[ ${#ts_files[@]} -gt 0 ] || { echo "build_plugin: no translations in $SRC/i18n/*.ts" >&2; exit 1; }
for ts in "${ts_files[@]}"; do
    qm="${ts%.ts}.qm"
    "$LRELEASE" -silent "$ts" -qm "$qm"
    [ -s "$qm" ] || { echo "build_plugin: lrelease produced no $qm" >&2; exit 1; }
done

mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
case "$(uname -s)" in
    Linux) here=linux ;; Darwin) here=macos ;; MINGW*|MSYS*|CYGWIN*) here=windows ;; *) here=linux ;;
esac
for family in windows macos linux; do
    printf 'family=%s\nversion=%s\nwheels=gunmane-%s-wheels-<platform>-<python>\n' \
        "$family" "$version" "$version" > "$stage/gunmane/release.txt"
    zip_path="$OUT_DIR/gunmane-$version-$family.zip"
    rm -f "$zip_path"
    (cd "$stage" && zip -q -r -X "$zip_path" gunmane)
    [ "$family" = "$here" ] || echo "$zip_path"
done

if [ "$WHEELS" = 1 ]; then
    tag=$("$PYTHON" -c 'import sysconfig,sys; print(sysconfig.get_platform().replace("-","_").replace(".","_")+"-cp%d%d" % sys.version_info[:2])')
    wheels="$OUT_DIR/gunmane-$version-wheels-$tag"
    "$PYTHON" "$SRC/depcheck.py" requirements > "$stage/requirements.txt"
    mkdir -p "$wheels"
    if ! "$PYTHON" -m pip download --disable-pip-version-check --quiet --only-binary=:all: \
            --dest "$wheels" -r "$stage/requirements.txt" >&2; then
        echo "build_plugin: pip download failed for $PYTHON (needs the package index, or pip's cache); requirements: $(tr '\n' ' ' < "$stage/requirements.txt")" >&2
        exit 1
    fi
    cp "$stage/requirements.txt" "$wheels/requirements.txt"
    echo "$wheels"
fi
echo "$OUT_DIR/gunmane-$version-$here.zip"
