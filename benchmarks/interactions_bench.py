"""Interactions on the 100,000-contact demo database (about a million interactions over ten years): the
Inquiries page with 10,000 open inquiries, logging a call, and how long the demo takes to write it all.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/interactions_bench.py [--generation] [DB]

Each `bench_*` function returns its figure as a results.json entry (value, unit, target, ok, display, …).
The database defaults to the cached benchmarks/.cache/demo-100k.sqlite3, built first when it is missing or
stale. The page and the log are measured on scratch copies, so the cached file is never changed.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

PAGE_TARGET_MS = 100.0
LOG_TARGET_MS = 50.0
GENERATION_TARGET_S = 120.0  # the whole demo: contacts, interactions and inquiries
CONTACTS_TARGET_S = 60.0  # its contacts part
OPEN_INQUIRIES = 10_000
PAGE_WARMUP, PAGE_RUNS = 2, 9
LOG_WARMUP, LOG_RUNS = 3, 50
STORED = "%Y-%m-%d %H:%M:%S.%f"  # how UtcDateTime keeps an instant: naive UTC text
QUESTIONS = ("Can you send the quote again?", "When can you come round?", "Is the invoice right?",
             "Could we move Thursday's appointment?", "Question about the warranty")


def _median_ms(timings: list[float]) -> float:
    return common.ms(statistics.median(timings))


def _stopwatch(function, spent: list[float]):
    """`function`, adding the seconds each call takes to `spent`."""
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)
    return timed


def _timed(work, warmup: int, runs: int) -> list[float]:
    timings = []
    for number in range(warmup + runs):
        started = time.perf_counter()
        work()
        if number >= warmup:
            timings.append(time.perf_counter() - started)
    return timings


# -- the Inquiries page -----------------------------------------------------------------------------

def fill_open_inquiries(path: Path, wanted: int) -> int:
    """Bring the file's open inquiries up to `wanted` with SQL, as an import would: questions from random
    contacts over the last fortnight, each with the deadlines the business's rules give (so some are due,
    some past the target, many past the limit). Returns how many were open before."""
    from clientdesk.services.workspace import Workspace

    connection = sqlite3.connect(path)
    try:
        (already,) = connection.execute("SELECT count(*) FROM inquiry WHERE status = 'open'").fetchone()
        contact_ids = [row[0] for row in connection.execute("SELECT id FROM contact")]
    finally:
        connection.close()
    missing = max(0, wanted - already)
    rng = random.Random(10)
    now = datetime.now(UTC)
    workspace = Workspace.open(path)
    try:
        rows = []
        for _ in range(missing):
            received = now - timedelta(minutes=rng.randrange(14 * 24 * 60))
            deadlines = workspace.boundaries.reply_by(received)
            rows.append((rng.choice(contact_ids), _stored(received), _stored(deadlines.target),
                         _stored(deadlines.limit)))
    finally:
        workspace.close()
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO inquiry (contact_id, received, target_at, limit_at, status, close_reason) "
                "VALUES (?, ?, ?, ?, 'open', '')", rows)
    finally:
        connection.close()
    return already


def _stored(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime(STORED)


def raw_page_reads(path: Path, rows: int) -> list[float]:
    """The baseline: what the page reads, through a bare sqlite3 connection in one read transaction: the
    count of open inquiries, the first `rows` of them by urgency with their clients' names (the queue's
    own SQL), and those clients' boundaries; no objects made."""
    from clientdesk.storage.inquiry_queue import BLOCK_SQL, COUNT_SQL

    connection = sqlite3.connect(path, isolation_level=None)

    def read() -> None:
        connection.execute("BEGIN")
        connection.execute(COUNT_SQL).fetchone()
        as_of = _stored(datetime.now(UTC))
        block = connection.execute(BLOCK_SQL, {"as_of": as_of, "limit": rows, "offset": 0}).fetchall()
        ids = sorted({row[1] for row in block})
        connection.execute("SELECT contact_id, rules_json FROM contact_boundaries "
                           "WHERE contact_id IN (SELECT value FROM json_each(?))", (str(ids),)).fetchall()
        connection.execute("ROLLBACK")

    try:
        return _timed(read, PAGE_WARMUP, PAGE_RUNS)
    finally:
        connection.close()


def bench_inquiries_page(db_path: Path = common.DEMO_DB) -> dict:
    """`InquiriesPage.reload()` with 10,000 open inquiries (what the page does on start, on every change
    and once a minute) and the paint of the rows it shows, with where the time goes: the queue's count and
    first block (its SQL), the "contact now?" texts of those rows, and the rest (the model's reset,
    selecting the row, painting)."""
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication([sys.argv[0]])
    from clientdesk.gui.inquiries_page import InquiriesPage
    from clientdesk.gui.operations import Operations
    from clientdesk.gui.row_blocks import BLOCK
    from clientdesk.services.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="clientdesk-inquiries-bench-") as folder:
        path = Path(folder) / "inquiries.sqlite3"
        common.copy_database(db_path, path)
        already_open = fill_open_inquiries(path, OPEN_INQUIRIES)
        workspace = Workspace.open(path)
        operations = Operations()
        try:
            # The reads InquiryModel.reload() makes, timed inside the very reloads that are measured.
            spent: dict[str, list[float]] = {"queue": [], "summaries": []}
            queue = workspace.inquiry_queue
            queue.start = _stopwatch(queue.start, spent["queue"])
            workspace.boundaries.summaries = _stopwatch(workspace.boundaries.summaries, spent["summaries"])
            page = InquiriesPage(workspace, operations)
            page.resize(1100, 700)
            page.show()
            application.processEvents()

            def reload_and_paint() -> None:
                page.reload()
                page.table.viewport().repaint()

            reloads = _timed(reload_and_paint, PAGE_WARMUP, PAGE_RUNS)
            rows = page.model.rowCount()
            shown = page.table.rowAt(page.table.viewport().height() - 1) + 1 or rows
            clients = len({page.model.inquiry(row).contact_id for row in range(rows)})  # reads every block
            if rows < OPEN_INQUIRIES:
                raise AssertionError(f"the page shows {rows:,} inquiries, not {OPEN_INQUIRIES:,}")
            page.close()
        finally:
            operations.wait()
            workspace.close()
        baseline = _median_ms(raw_page_reads(path, BLOCK))
    value = _median_ms(reloads)
    # The summaries are made inside start(): the queue's own part is what is left of it.
    measured = {name: times[PAGE_WARMUP:] for name, times in spent.items()}  # the warm-up reloads left out
    queue_ms = _median_ms([q - s for q, s in zip(measured["queue"], measured["summaries"])])
    summaries_ms = _median_ms(measured["summaries"])
    rest_ms = _median_ms([total - q for total, q in zip(reloads, measured["queue"])])
    return {
        "value": round(value, 2), "unit": "ms", "target": f"< {PAGE_TARGET_MS:g} ms", "limit": PAGE_TARGET_MS,
        "ok": value < PAGE_TARGET_MS, "open_inquiries": rows, "open_in_demo": already_open, "clients": clients,
        "rows_on_screen": shown, "runs": PAGE_RUNS, "worst_ms": round(common.ms(max(reloads)), 2),
        "baseline": round(baseline, 2), "ratio": round(value / baseline, 2) if baseline else None,
        "queue_ms": round(queue_ms, 2), "summaries_ms": round(summaries_ms, 2), "rest_ms": round(rest_ms, 2),
        "display": (f"{value:.1f} ms for {rows:,} open inquiries, {shown} on screen (queue SQL {queue_ms:.1f}, "
                    f"contact now? {summaries_ms:.1f}, model, selection and paint {rest_ms:.1f}; raw sqlite3 "
                    f"reads of the first block {baseline:.1f} ms)"),
    }


# -- logging a call ---------------------------------------------------------------------------------

def raw_log(path: Path, contact_id: int) -> list[float]:
    """The baseline: the statements a log runs (the contact is there, the form's key is new, the insert)
    and its commit, through a bare sqlite3 connection with ClientDesk's pragmas."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
        connection.execute(f"PRAGMA {pragma}")

    def log() -> None:
        now = datetime.now(UTC).strftime(STORED)
        key = uuid.uuid4().hex
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("SELECT id FROM contact WHERE id = ?", (contact_id,)).fetchone()
        connection.execute("SELECT id FROM interaction WHERE request_key = ?", (key,)).fetchone()
        connection.execute(
            "INSERT INTO interaction (contact_id, channel, direction, at, duration_minutes, summary, outcome, urgent, "
            "logged_by, override_reason, request_key, created_at) VALUES (?, 'phone', 'in', ?, 4, ?, '', 0, "
            "'Bench', '', ?, ?)", (contact_id, now, "Asked about the invoice; we will check the dates.", key, now))
        connection.execute("COMMIT")

    try:
        return _timed(log, LOG_WARMUP, LOG_RUNS)
    finally:
        connection.close()


def bench_log_call(db_path: Path = common.DEMO_DB) -> dict:
    """`InteractionService.log()` for an incoming call with a summary, each with its own form key, to the
    client with the longest history; also the same call when it needs a reply (it opens an inquiry)."""
    from clientdesk.domain.boundaries import Channel
    from clientdesk.domain.interactions import Direction, InteractionDraft
    from clientdesk.services.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="clientdesk-log-bench-") as folder:
        path = Path(folder) / "log.sqlite3"
        common.copy_database(db_path, path)
        connection = sqlite3.connect(path)
        try:
            contact_id, history = connection.execute(
                "SELECT contact_id, count(*) AS n FROM interaction GROUP BY contact_id ORDER BY n DESC LIMIT 1"
            ).fetchone()
            (total,) = connection.execute("SELECT count(*) FROM interaction").fetchone()
        finally:
            connection.close()
        workspace = Workspace.open(path)
        try:
            service = workspace.interactions

            def call(needs_reply: bool):
                def log() -> None:
                    service.log(InteractionDraft(
                        contact_id=contact_id, channel=Channel.PHONE, direction=Direction.IN, at=datetime.now(UTC),
                        summary="Asked about the invoice; we will check the dates and call back.",
                        duration_minutes=4, logged_by="Bench", needs_reply=needs_reply), request_key=uuid.uuid4().hex)
                return log

            plain = _timed(call(False), LOG_WARMUP, LOG_RUNS)
            opening = _timed(call(True), LOG_WARMUP, LOG_RUNS)
        finally:
            workspace.close()
        baseline = _median_ms(raw_log(path, contact_id))
    value = _median_ms(plain)
    with_inquiry = _median_ms(opening)
    return {
        "value": round(value, 2), "unit": "ms", "target": f"< {LOG_TARGET_MS:g} ms", "limit": LOG_TARGET_MS,
        "ok": value < LOG_TARGET_MS and with_inquiry < LOG_TARGET_MS, "runs": LOG_RUNS,
        "worst_ms": round(common.ms(max(plain)), 2), "needs_reply_ms": round(with_inquiry, 2),
        "baseline": round(baseline, 2), "ratio": round(value / baseline, 2) if baseline else None,
        "client_interactions": history, "interactions_in_file": total,
        "display": (f"{value:.2f} ms median (needing a reply {with_inquiry:.2f} ms; raw sqlite3 {baseline:.2f} ms), "
                    f"a client with {history:,} of the file's {total:,} interactions"),
    }


# -- generating the demo ----------------------------------------------------------------------------

def generation_figure(run: common.DemoRun, cache_was: str) -> dict:
    """The demo's figure from one timed generation (run_all makes it as it builds or checks the cache)."""
    added, total, contacts = run.added, run.seconds, run.contacts_seconds
    return {
        "value": round(total, 1), "unit": "s",
        "target": f"< {GENERATION_TARGET_S:g} s, contacts < {CONTACTS_TARGET_S:g} s",
        "limit": GENERATION_TARGET_S, "ok": total < GENERATION_TARGET_S and contacts < CONTACTS_TARGET_S,
        "contacts_s": round(contacts, 1), "interactions_s": round(total - contacts, 1), "contacts": added.contacts,
        "interactions": added.interactions, "inquiries": added.inquiries, "open_inquiries": added.open_inquiries,
        "cache_was": cache_was,
        "display": (f"{total:.1f} s: {added.contacts:,} contacts in {contacts:.1f} s, then {added.interactions:,} "
                    f"interactions and {added.inquiries:,} inquiries ({added.open_inquiries:,} open) in "
                    f"{total - contacts:.1f} s"),
    }


def bench_demo_generation() -> dict:
    """The whole 100,000-contact demo into a scratch file beside the cache. Takes about a minute."""
    common.CACHE_DIR.mkdir(parents=True, exist_ok=True)  # beside the cache: the disk the benchmarks use
    with tempfile.TemporaryDirectory(prefix="clientdesk-demo-bench-", dir=common.CACHE_DIR) as folder:
        return generation_figure(common.generate_demo(Path(folder) / "demo.sqlite3"), "not used")


def main(argv: list[str]) -> int:
    arguments = [argument for argument in argv if argument != "--generation"]
    if "--generation" in argv:
        common.report("demo_generation", bench_demo_generation())
    if arguments:
        path = Path(arguments[0])
    else:
        print(f"cached database: {common.ensure_demo_db()}", flush=True)
        path = common.DEMO_DB
    common.report("inquiries_page", bench_inquiries_page(path))
    common.report("log_call", bench_log_call(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
