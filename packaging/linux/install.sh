#!/bin/sh
# Install Invoicer for the current user: binaries under ~/.local/lib/invoicer, commands in
# ~/.local/bin, the menu entry and icons in ~/.local/share.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lib="$HOME/.local/lib/invoicer"
mkdir -p "$lib" "$HOME/.local/bin" "$HOME/.local/share/applications"
cp -r "$here/invoicer" "$lib/"
ln -sf "$lib/invoicer/invoicer" "$HOME/.local/bin/invoicer"
if [ -d "$here/invoicer-gui" ]; then
    cp -r "$here/invoicer-gui" "$lib/"
    ln -sf "$lib/invoicer-gui/invoicer-gui" "$HOME/.local/bin/invoicer-gui"
fi
for size in 16 24 32 48 64 128 256 512; do
    dir="$HOME/.local/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir" && cp "$here/icons/invoicer-${size}.png" "$dir/invoicer.png"
done
sed "s|^Exec=.*|Exec=$HOME/.local/bin/invoicer-gui|" "$here/invoicer.desktop" \
    > "$HOME/.local/share/applications/invoicer.desktop"
echo "Installed. Run 'invoicer' in a terminal, or Invoicer from your applications menu."
