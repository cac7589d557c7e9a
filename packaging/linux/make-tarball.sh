#!/usr/bin/env bash
# dist/invoicer-<version>-linux-<arch>.tar.gz: both bundles, the .desktop file and the icons,
# with an install script that puts them under ~/.local (no root needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(.venv/bin/python -c "import invoicer; print(invoicer.__version__)")
name="invoicer-${version}-linux-$(uname -m)"
stage="build/${name}"
rm -rf "$stage" && mkdir -p "$stage/icons"
cp -r dist/invoicer "$stage/"
[ -d dist/invoicer-gui ] && cp -r dist/invoicer-gui "$stage/"
cp packaging/linux/invoicer.desktop packaging/linux/install.sh "$stage/"
cp packaging/icons/*.png "$stage/icons/"
tar -C build -czf "dist/${name}.tar.gz" "$name"
echo "  dist/${name}.tar.gz ($(du -h "dist/${name}.tar.gz" | cut -f1))"
