#!/usr/bin/env bash
# Build the one-folder bundles into dist/: dist/invoicer (CLI + terminal UI) and, when the
# desktop app is present, dist/invoicer-gui; then a tarball per bundle (Linux).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap >/dev/null
PYI=(.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller)
start=$SECONDS
"${PYI[@]}" packaging/invoicer.spec
if [ -d ui_qt ] && [ -f ui_qt/command.py ]; then
    "${PYI[@]}" packaging/invoicer-gui.spec
fi
echo "built in $((SECONDS - start)) s:" && du -sh dist/* | sed 's/^/  /'
if [ "$(uname -s)" = Linux ]; then
    packaging/linux/make-tarball.sh
fi
