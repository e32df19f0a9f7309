"""A child process for the start and memory benchmarks; the parent times it from just before Popen.

    start_probe.py bare          a bare PySide6 window with an empty QTableView (the baseline)
    start_probe.py start DB      ClientDesk's window through run_gui(DB)
    start_probe.py memory DB     ClientDesk's window, then scroll, search, and report the peak RSS

Every mode prints "painted" on the first paint of a table view's viewport (for ClientDesk: of a view
whose model has rows, i.e. the contact list showing contacts). `bare` and `start` then exit at once
with os._exit, without shutting anything down.
"""

from __future__ import annotations

import os
import sys

# Qt first, exactly as a script that owns its QApplication would.
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView

VIEWPORT_NAME = "qt_scrollarea_viewport"  # QAbstractScrollArea names its viewport so


class FirstPaint(QObject):
    """Application-wide filter: calls `on_paint(view)` once, at the first paint of a table's viewport."""

    def __init__(self, on_paint, need_rows: bool):
        super().__init__()
        self._on_paint = on_paint
        self._need_rows = need_rows
        self._done = False

    def eventFilter(self, watched, event) -> bool:
        if self._done or event.type() != QEvent.Type.Paint:
            return False
        if watched.objectName() != VIEWPORT_NAME:
            return False
        view = watched.parent()
        if not isinstance(view, QTableView):
            return False
        if self._need_rows:
            model = view.model()
            if model is None or model.rowCount() <= 0:
                return False
        self._done = True
        self._on_paint(view)
        return False


def painted_and_exit(_view) -> None:
    print("painted", flush=True)
    os._exit(0)


def bare() -> None:
    from PySide6.QtWidgets import QMainWindow

    app = QApplication(sys.argv)
    watcher = FirstPaint(painted_and_exit, need_rows=False)
    app.installEventFilter(watcher)
    window = QMainWindow()
    window.setCentralWidget(QTableView(window))
    window.resize(1400, 820)  # the size ClientDesk's window opens at
    window.show()
    app.exec()
    os._exit(3)  # only reached if no paint ever came


def start(database: str) -> None:
    from pathlib import Path

    app = QApplication(sys.argv)
    watcher = FirstPaint(painted_and_exit, need_rows=True)
    app.installEventFilter(watcher)
    from clientdesk.gui.application import run_gui

    run_gui(Path(database))
    os._exit(3)


def memory(database: str) -> None:
    import common  # beside this script; only the standard library
    from pathlib import Path

    from PySide6.QtWidgets import QLineEdit

    app = QApplication(sys.argv)
    state: dict = {}

    def report() -> None:
        view = state["view"]
        try:
            import psutil

            current = psutil.Process().memory_info().rss // 1024
        except ImportError:
            current = -1
        peak_kib = common.own_peak_kib()  # read last
        print(f"rows_after_search {view.model().rowCount()}", flush=True)
        print(f"current_rss_kib {current}", flush=True)
        print(f"maxrss_kib {peak_kib}", flush=True)
        os._exit(0)

    def exercise() -> None:
        from PySide6.QtTest import QTest

        view = state["view"]
        print(f"rows_at_start {view.model().rowCount()}", flush=True)
        view.scrollToBottom()
        app.processEvents()
        view.scrollTo(view.model().index(50_000, 0))
        app.processEvents()
        boxes = [box for box in view.window().findChildren(QLineEdit) if box.accessibleName() == "Search contacts"]
        if not boxes:
            print("error no search box", flush=True)
            os._exit(4)
        QTest.keyClicks(boxes[0], "jo")
        QTimer.singleShot(300, report)

    def on_paint(view) -> None:
        print("painted", flush=True)
        state["view"] = view
        QTimer.singleShot(0, exercise)  # not inside the paint event

    watcher = FirstPaint(on_paint, need_rows=True)
    app.installEventFilter(watcher)
    from clientdesk.gui.application import run_gui

    run_gui(Path(database))
    os._exit(3)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "bare":
        bare()
    elif mode == "start" and len(sys.argv) == 3:
        start(sys.argv[2])
    elif mode == "memory" and len(sys.argv) == 3:
        memory(sys.argv[2])
    else:
        sys.exit(__doc__)
