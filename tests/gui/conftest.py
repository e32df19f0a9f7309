from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from clientdesk.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    """Modal message boxes would wait forever for a click: record them and answer "Discard"/OK instead."""
    shown: list[tuple[str, str]] = []

    def answer(kind, reply):
        def show(_parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return reply
        return show

    monkeypatch.setattr(QMessageBox, "question", answer("question", QMessageBox.StandardButton.Discard))
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, answer(kind, QMessageBox.StandardButton.Ok))
    return shown


@pytest.fixture
def open_window(qtbot, workspace):
    """Opens the main window on the test's workspace, after the test has filled it as it wishes."""
    windows = []

    def opener() -> MainWindow:
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        # Focus and shortcuts follow the active window, as on a desktop.
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        qtbot.waitUntil(lambda: window.ready)
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.operations.wait()


def settle(qtbot, window: MainWindow) -> None:
    """Wait for background writes, and for the screens they refresh."""
    qtbot.waitUntil(lambda: not window.operations.is_busy(), timeout=5000)
    qtbot.wait(10)


def tab_to(qtbot, target: QWidget, limit: int = 40) -> None:
    """Press Tab until `target` has the keyboard focus, as a person would."""
    for _ in range(limit):
        if target.hasFocus():
            return
        focused = QApplication.focusWidget()
        assert focused is not None, "nothing has the keyboard focus"
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert target.hasFocus(), f"Tab never reached {target.accessibleName() or target}"
