"""The quick log on the 100,000-contact demo database: the lookup on every keystroke, as a receptionist
types a name (typos included) or a number digit by digit.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/quick_log_bench.py [DB]

`bench_lookup(db_path)` returns the figure as a results.json entry. Each keystroke is timed twice: the
service's lookup alone, and the whole keystroke in the dialog (the lookup and refilling the list of
matches), which is what the target is about. The raw baseline is the FTS count and first page in bare
sqlite3 for the same prefixes.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

TARGET_MS = 16.0
SAVE_TARGET_MS = 50.0
SAVES = 30
ROUNDS = 5
# What is said on the phone, typed one key at a time: names, a surname first, typos, a company, numbers.
TYPED = ("John Smith", "Jonh Smtih", "smith j", "Maria Garcia", "Mraia Gracia", "Zoe", "Dmitri",
         "Müller", "info@", "0207 946", "+44 20 7946 0958", "7946-0958")


def keystrokes(text: str) -> list[str]:
    return [text[:end] for end in range(1, len(text) + 1) if text[:end].strip()]


def bench_lookup(db_path: Path = common.DEMO_DB) -> dict:
    from PySide6.QtWidgets import QApplication

    from clientdesk.gui.operations import Operations
    from clientdesk.gui.quick_log_dialog import QuickLogDialog
    from clientdesk.services.workspace import Workspace

    app = QApplication.instance() or QApplication([])
    workspace = Workspace.open(db_path)
    try:
        contacts = workspace.contacts
        contacts.caller_lookup.warm_up()  # what the dialog does in the background as it opens
        import phonenumbers  # noqa: F401 - likewise

        dialog = QuickLogDialog(workspace, Operations())
        service_ms: list[float] = []
        dialog_ms: list[float] = []
        worst: tuple[float, str] = (0.0, "")
        for round_number in range(ROUNDS + 1):
            for text in TYPED:
                for typed in keystrokes(text):
                    started = time.perf_counter()
                    contacts.lookup(typed)
                    middle = time.perf_counter()
                    dialog.search.setText(typed)
                    dialog._search_edited(typed)  # what a keystroke in the field runs
                    app.processEvents()
                    ended = time.perf_counter()
                    if round_number == 0:
                        continue  # warm-up: the first pass reads the pages into the cache
                    service_ms.append((middle - started) * 1000)
                    dialog_ms.append((ended - middle) * 1000)
                    worst = max(worst, (dialog_ms[-1], typed))
        dialog.deleteLater()
        baseline = raw_baseline(db_path)
    finally:
        workspace.close()
    median, p99 = statistics.median(dialog_ms), statistics.quantiles(dialog_ms, n=100)[-1]
    # Judged on the 99th percentile: on a shared 2-core machine a lone keystroke in several hundred can
    # be held up by something else; the worst is printed beside it.
    return {
        "value": round(p99, 2), "unit": "ms per keystroke (99th percentile)",
        "target": f"< {TARGET_MS:g} ms per keystroke (99th percentile)",
        "limit": TARGET_MS, "ok": p99 < TARGET_MS,
        "median_ms": round(median, 2), "worst_ms": round(worst[0], 2), "worst_typed": worst[1],
        "service_median_ms": round(statistics.median(service_ms), 2),
        "service_worst_ms": round(max(service_ms), 2),
        "raw_fts_median_ms": round(baseline, 2), "keystrokes": len(dialog_ms),
        "display": f"median {median:.2f} ms, 99% {p99:.2f} ms, worst {worst[0]:.2f} ms ({worst[1]!r}) "
                   f"per keystroke over {len(dialog_ms)} keystrokes",
    }


def raw_baseline(db_path: Path) -> float:
    """The plain FTS count and first ten names for each typed prefix, in bare sqlite3."""
    from clientdesk.storage.search.documents import fts_expression

    connection = sqlite3.connect(db_path)
    times = []
    try:
        for text in TYPED:
            for typed in keystrokes(text):
                expression = fts_expression(typed)
                if expression is None:
                    continue
                started = time.perf_counter()
                connection.execute("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", (expression,)).fetchone()
                connection.execute("SELECT c.id, c.display_name FROM contact AS c WHERE c.id IN "
                                   "(SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?) "
                                   "ORDER BY c.sort_name LIMIT 10", (expression,)).fetchall()
                times.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return statistics.median(times)


def bench_save(db_path: Path = common.DEMO_DB) -> dict:
    """Logging a call in the dialog, from the Ctrl+Enter keystroke to the interaction committed and the
    dialog told so, on a scratch copy of the database (the file itself is never changed)."""
    import tempfile

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from clientdesk.gui.operations import Operations
    from clientdesk.gui.quick_log_dialog import QuickLogDialog
    from clientdesk.services.workspace import Workspace

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "quick-log.sqlite3"
        source, target = sqlite3.connect(db_path), sqlite3.connect(scratch)
        try:
            source.backup(target)  # the backup API, never a file copy of a database that may have a WAL
        finally:
            source.close()
            target.close()
        workspace = Workspace.open(scratch)
        operations = Operations()
        try:
            contact_id = workspace.contacts.lookup("John Smith").matches[0].id
            times = []
            for number in range(SAVES + 2):
                dialog = QuickLogDialog(workspace, operations, contact_id=contact_id)
                dialog.show()
                dialog.activateWindow()  # shortcuts follow the active window
                QTest.qWaitForWindowActive(dialog)
                dialog.summary.setPlainText(f"Asked about invoice {number}; said we would check the dates.")
                loop = QEventLoop()
                dialog.logged.connect(lambda _logged: loop.quit())
                QTimer.singleShot(5000, loop.quit)
                started = time.perf_counter()
                QTest.keyClick(dialog.summary, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
                loop.exec()
                elapsed = (time.perf_counter() - started) * 1000
                if dialog.result() != dialog.DialogCode.Accepted:
                    raise AssertionError(f"the log was not saved: {dialog.error.text()!r}")
                if number >= 2:  # two warm-up saves
                    times.append(elapsed)
                dialog.deleteLater()
                app.processEvents()
            with sqlite3.connect(scratch) as check:
                interactions = check.execute("SELECT count(*) FROM interaction").fetchone()[0]
        finally:
            operations.wait()
            workspace.close()
    median = statistics.median(times)
    return {
        "value": round(median, 2), "unit": "ms", "target": f"< {SAVE_TARGET_MS:g} ms", "limit": SAVE_TARGET_MS,
        "ok": median < SAVE_TARGET_MS, "worst_ms": round(max(times), 2), "saves": len(times),
        "interactions_in_file": interactions,
        "display": f"{median:.1f} ms median, worst {max(times):.1f} ms, Ctrl+Enter to saved "
                   f"({len(times)} saves, {interactions:,} interactions in the file)",
    }


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else common.DEMO_DB
    result = bench_lookup(path)
    print(f"quick-log lookup: {result['display']}   target {result['target']}   "
          f"{'PASS' if result['ok'] else 'FAIL'}")
    result = bench_save(path)
    print(f"quick-log save: {result['display']}   target {result['target']}   {'PASS' if result['ok'] else 'FAIL'}")
