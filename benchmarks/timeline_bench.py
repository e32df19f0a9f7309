"""Opening a contact's timeline on the 100,000-contact demo database: what the Timeline tab does when it is
shown (the model's reset, the count and the newest block), for a client with 5,000 interactions.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/timeline_bench.py [DB]

`bench_timeline(db_path)` returns the figure as a results.json entry. When no contact in the file has 5,000
interactions, it measures a scratch copy in which one contact is given 5,000 (with SQL, as an import would
write them, a tenth of the incoming ones opening an inquiry); the file itself is never changed.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

TARGET_MS = 50.0
INTERACTIONS = 5_000
WARMUP = 3
RUNS = 21
STORED = "%Y-%m-%d %H:%M:%S.%f"  # how UtcDateTime keeps an instant: naive UTC text
SUMMARIES = ("Asked to move the appointment to next week", "Left a voicemail about the renewal",
             "Sent the signed contract and the invoice for March", "Confirmed the visit; parking at the back",
             "Question about the quote: does it include fitting?", "Reminder sent for the annual review")
OUTCOMES = ("", "", "Booked", "Call back Friday", "Resolved", "Waiting for their documents")


def busiest_contact(path: Path) -> tuple[int | None, int]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT contact_id, count(*) AS n FROM interaction GROUP BY contact_id "
                                  "ORDER BY n DESC LIMIT 1").fetchone()
    finally:
        connection.close()
    return (row[0], row[1]) if row else (None, 0)


def give_interactions(path: Path, count: int) -> int:
    """Give the contact in the middle of the file `count` interactions over five years; returns its id."""
    rng = random.Random(5)
    channels = ("phone", "phone", "email", "email", "sms", "video", "in_person", "postal")
    connection = sqlite3.connect(path)
    try:
        contact_id = connection.execute("SELECT id FROM contact ORDER BY id LIMIT 1 OFFSET "
                                        "(SELECT count(*) / 2 FROM contact)").fetchone()[0]
        end = datetime(2026, 1, 1)
        with connection:
            for number in range(count):
                at = (end - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))).strftime(STORED)
                direction = rng.choice(("in", "out"))
                interaction_id = connection.execute(
                    "INSERT INTO interaction (contact_id, channel, direction, at, duration_minutes, summary, outcome, "
                    "urgent, logged_by, override_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
                    (contact_id, rng.choice(channels), direction, at, rng.choice((None, 3, 12, 45)),
                     rng.choice(SUMMARIES), rng.choice(OUTCOMES), number % 40 == 0, rng.choice(("Sam", "Priya", "")),
                     at)).lastrowid
                if direction == "in" and number % 10 == 0:
                    connection.execute(
                        "INSERT INTO inquiry (contact_id, received, status, close_reason, opened_by_interaction_id) "
                        "VALUES (?, ?, 'closed', 'Bench', ?)", (contact_id, at, interaction_id))
    finally:
        connection.close()
    return contact_id


@contextmanager
def busy_client(db_path: Path):
    """(the file to measure, a contact with at least INTERACTIONS interactions, whether it is a scratch copy)."""
    contact_id, count = busiest_contact(db_path)
    if count >= INTERACTIONS:
        yield db_path, contact_id, False
        return
    with tempfile.TemporaryDirectory(prefix="clientdesk-timeline-bench-") as folder:
        scratch = Path(folder) / "timeline.sqlite3"
        source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(scratch)
        try:
            source.backup(target)  # the backup API, never a file copy of a database that may have a WAL
        finally:
            target.close()
            source.close()
        yield scratch, give_interactions(scratch, INTERACTIONS), True


def raw_open(path: Path, contact_id: int) -> float:
    """The baseline: the same two statements through a bare sqlite3 connection, in one read transaction."""
    from clientdesk.gui.timeline_model import BLOCK
    from clientdesk.storage.timeline import BLOCK_SQL, COUNT_SQL

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        timings = []
        for _ in range(WARMUP + RUNS):
            started = time.perf_counter()
            connection.execute("BEGIN")
            connection.execute(COUNT_SQL, (contact_id,)).fetchone()
            connection.execute(BLOCK_SQL, (contact_id, BLOCK, 0)).fetchall()
            connection.execute("ROLLBACK")
            timings.append(time.perf_counter() - started)
    finally:
        connection.close()
    return statistics.median(timings[WARMUP:])


def median_ms(work) -> float:
    timings = []
    for _ in range(WARMUP + RUNS):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return common.ms(statistics.median(timings[WARMUP:]))


def bench_timeline(db_path: Path) -> dict:
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([sys.argv[0]])
    from clientdesk.gui.timeline_view import TimelineView
    from clientdesk.services.workspace import Workspace

    with busy_client(Path(db_path)) as (path, contact_id, scratch):
        workspace = Workspace.open(path)
        try:
            view = TimelineView(workspace.timeline)
            model = view.model
            opening = median_ms(lambda: model.show_contact(contact_id))  # reset + count + newest block
            if model.rowCount() < INTERACTIONS or model.rows_read > model.rowCount():
                raise AssertionError(f"the timeline shows {model.rowCount():,} rows, read {model.rows_read:,}")
            view.show_contact(contact_id)
            view.resize(900, 600)
            view.show()

            def first_screen() -> None:
                view.reload()
                view.table.viewport().repaint()  # the rows on screen are asked for and drawn

            painted = median_ms(first_screen)
            rows = model.rowCount()
            view.close()
            baseline = common.ms(raw_open(path, contact_id))
        finally:
            workspace.close()
    return {
        "value": round(opening, 3), "unit": "ms", "target": f"< {TARGET_MS:g} ms", "limit": TARGET_MS,
        "ok": opening < TARGET_MS, "interactions": rows, "runs": RUNS, "scratch_copy": scratch,
        "baseline": round(baseline, 3), "ratio": round(opening / baseline, 2) if baseline else None,
        "first_screen_ms": round(painted, 3),
        "display": f"{opening:.2f} ms to open {rows:,} interactions (painted: {painted:.1f} ms; "
                   f"raw sqlite3 {baseline:.2f} ms)",
    }


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else common.DEMO_DB
    if not path.is_file():
        print(f"{path} does not exist: `make bench` builds the 100,000-contact demo database.", file=sys.stderr)
        return 1
    result = bench_timeline(path)
    copy = " (a scratch copy given 5,000 interactions)" if result["scratch_copy"] else ""
    print(f"timeline_open: {result['display']}{copy}   target {result['target']}   "
          f"{'PASS' if result['ok'] else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
