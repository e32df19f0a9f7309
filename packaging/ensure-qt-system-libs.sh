#!/bin/sh
# Qt's wheels bring Qt itself but rely on a few system libraries (OpenGL, EGL, xkbcommon, fontconfig,
# D-Bus, and the XCB ones for an X11 screen). Minimal systems lack some; install them only when Qt
# cannot start, and only where we may (root with apt-get). Otherwise say what is missing.
PY="${1:-python3}"
probe() {
    QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6 import QtWidgets, QtGui, QtNetwork" 2>/dev/null || return 1
    # With a screen, the real platform plugin must load too (xcb needs libxcb-cursor0 and friends).
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
        timeout 20 "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1 || return 1
    fi
    return 0
}
probe && exit 0
PACKAGES="libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 \
libxcb-image0"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Qt needs system libraries; installing: $PACKAGES"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
    probe && exit 0
fi
echo "Qt cannot start: it needs system libraries. Install them with your package manager, e.g.:" >&2
echo "  sudo apt-get install $PACKAGES" >&2
QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6 import QtWidgets" >&2
exit 1
