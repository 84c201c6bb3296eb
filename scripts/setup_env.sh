#!/usr/bin/env bash
# One-shot, idempotent set-up on Debian 12: system packages (QGIS, fonts, poppler),
# then one venv on Debian's /usr/bin/python3 that sees QGIS's bindings
# (--system-site-packages) with the library installed in editable mode.
# Quick when everything is already there (a stamp file keyed on pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
APT_PACKAGES=(qgis python3-qgis qgis-providers python3-venv fonts-noto-cjk poppler-utils qttools5-dev-tools zip)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "setup: creating $VENV on /usr/bin/python3 with system site packages (QGIS bindings)"
    /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi

stamp="$VENV/.gunmane-installed"
want="$(cat pyproject.toml scripts/constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing gunmane-geo (editable) and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -c scripts/constraints.txt -e ".[test,osm,bench,arrow,dask]"
    # compile the route searches now (cached next to the code), not in the first real run
    "$VENV/bin/python" -m gunmane_geo.warm_up
    echo "$want" > "$stamp"
fi

# Debian's python3-matplotlib (pulled in by QGIS) registers mpl_toolkits at start-up
# (matplotlib-3.6.3-nspkg.pth), so its old mplot3d shadows pip's and every pyplot import
# warns "Unable to import Axes3D".  Make the venv's mpl_toolkits a regular package and
# import it from a .pth of the venv, which runs before Debian's: Debian's path is then only
# appended to its __path__.
site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
if [ -d "$site/mpl_toolkits" ]; then
    [ -f "$site/mpl_toolkits/__init__.py" ] || : > "$site/mpl_toolkits/__init__.py"
    echo "import mpl_toolkits" > "$site/00-gunmane-mpl-toolkits.pth"
fi
