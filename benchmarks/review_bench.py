"""Client reviews on the 100,000-contact demo database: one review of the client with the most history
(gathered, rendered, written and recorded: `ReviewService.produce`), and a batch of 1,000 reviews, one PDF
each, with the process's memory after the first 100 and after all 1,000.

    .venv/bin/python benchmarks/review_bench.py [DB] [--combined]

Works on a scratch copy of the database (the reviews are recorded in it), upgraded there when the cache is
at an older revision; the cache itself is only read. `--combined` also times 1,000 reviews in one PDF.
Each `bench_*` function returns its figure as a results.json entry (value, unit, target, ok, display, …).
"""

from __future__ import annotations

import gc
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

ONE_TARGET_MS = 150.0
BATCH_TARGET_S = 60.0
BATCH = 1000
FIRST = 100  # memory is read after this many reviews, and again after the whole batch
FLAT_LIMIT_MB = 25.0  # "flat": the batch's last 900 reviews may add at most this to the peak
WARMUP, RUNS = 2, 9


@contextmanager
def scratch_workspace(db_path: Path):
    """A Workspace on a scratch copy of `db_path` (backup API), in a temporary folder removed afterwards."""
    from clientdesk.services.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="clientdesk-review-bench-") as folder:
        copy = Path(folder) / "demo.sqlite3"
        common.copy_database(Path(db_path), copy)
        workspace = Workspace.open(copy)  # upgrades the copy (after backing it up beside it) when needed
        try:
            yield workspace, Path(folder)
        finally:
            workspace.close()


def busiest_client(path: Path) -> tuple[int, int, int]:
    """(contact id, purchases, interactions) of the client with the most interactions (the demo's busiest has
    thousands): the longest review to gather."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        contact_id, interactions = connection.execute(
            "SELECT contact_id, count(*) FROM interaction GROUP BY contact_id ORDER BY 2 DESC LIMIT 1").fetchone()
        purchases = connection.execute("SELECT count(*) FROM purchase WHERE contact_id = ?", (contact_id,)).fetchone()[0]
    finally:
        connection.close()
    return contact_id, purchases, interactions


def batch_clients(path: Path, count: int) -> list[int]:
    """`count` clients who bought, those with an agreement first (what a month's reviews would be)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT a.contact_id FROM contact_activity AS a WHERE a.purchase_count > 0 "
            "ORDER BY a.contact_id IN (SELECT contact_id FROM agreement) DESC, a.contact_id LIMIT ?", (count,))
        return [contact_id for (contact_id,) in rows]
    finally:
        connection.close()


def bench_one(db_path: Path = common.DEMO_DB) -> dict:
    """`produce` for the busiest client: the whole of what Save as does. Median of 9 after 2 warm-ups; the
    breakdown times gathering and rendering alone the same way."""
    from clientdesk.reports import render_review

    with scratch_workspace(db_path) as (workspace, folder):
        contact_id, purchases, interactions = busiest_client(workspace.path)
        service = workspace.reviews

        def timed(work) -> tuple[float, object]:
            timings, result = [], None
            for number in range(WARMUP + RUNS):
                started = time.perf_counter()
                result = work()
                if number >= WARMUP:
                    timings.append(time.perf_counter() - started)
            return common.ms(statistics.median(timings)), result

        produce_ms, produced = timed(lambda: service.produce(contact_id, None, folder / "one.pdf"))
        gather_ms, data = timed(lambda: service.gather(contact_id))
        render_ms, pdf = timed(lambda: render_review(data))
    ok = produce_ms < ONE_TARGET_MS
    return {
        "value": round(produce_ms, 1), "unit": "ms", "target": f"< {ONE_TARGET_MS:g} ms", "limit": ONE_TARGET_MS,
        "ok": ok, "gather_ms": round(gather_ms, 1), "render_ms": round(render_ms, 1), "contact_id": contact_id,
        "purchases": purchases, "interactions": interactions, "pages_bytes": len(pdf), "runs": RUNS,
        "display": (f"{produce_ms:.0f} ms median of {RUNS} to gather, render, write and record the review of the "
                    f"client with the most history ({purchases:,} purchases, {interactions:,} interactions, "
                    f"{data.interactions_total:,} in the year): gathering {gather_ms:.0f} ms, rendering "
                    f"{render_ms:.0f} ms, {produced.size / 1024:.0f} KB"),
    }


def bench_batch(db_path: Path = common.DEMO_DB, combined: bool = False) -> dict:
    """`produce_many` of 1,000 clients, one PDF each (or one combined PDF), as Reports → Reviews due runs it:
    the time, and the process's peak resident memory after the first 100 reviews and after all 1,000."""
    with scratch_workspace(db_path) as (workspace, folder):
        clients = batch_clients(workspace.path, BATCH)
        service = workspace.reviews
        service.gather(clients[0])  # the engine, fonts and styles loaded before the clock starts
        gc.collect()
        marks: dict[int, int] = {}

        def progress(done: int, _total: int) -> None:
            if done == FIRST:
                marks[FIRST] = common.own_peak_kib()

        started = time.perf_counter()
        result = service.produce_many(clients, None, folder / "out", combined=combined, progress=progress)
        seconds = time.perf_counter() - started
        marks[BATCH] = common.own_peak_kib()
        written = sum(path.stat().st_size for path in result.files)
    first_mb, all_mb = marks.get(FIRST, 0) / 1024, marks[BATCH] / 1024
    growth = all_mb - first_mb
    ok = seconds < BATCH_TARGET_S and growth <= FLAT_LIMIT_MB and result.produced == len(clients)
    kind = "one combined PDF" if combined else "one PDF each"
    return {
        "value": round(seconds, 1), "unit": "s", "target": f"< {BATCH_TARGET_S:g} s, flat memory",
        "limit": BATCH_TARGET_S, "ok": ok, "reviews": result.produced, "files": len(result.files),
        "peak_rss_mb_after_100": round(first_mb, 1), "peak_rss_mb_after_1000": round(all_mb, 1),
        "growth_mb": round(growth, 1), "bytes_written": written, "combined": combined,
        "display": (f"{seconds:.1f} s for {result.produced:,} reviews, {kind} ({seconds / max(result.produced, 1) * 1000:.0f} ms "
                    f"each, {written / 2**20:.0f} MB written); peak RSS {first_mb:.0f} MB after {FIRST}, "
                    f"{all_mb:.0f} MB after {BATCH:,} (+{growth:.1f} MB)"),
    }


def main(argv: list[str]) -> int:
    combined = "--combined" in argv
    paths = [arg for arg in argv if not arg.startswith("--")]
    if paths:
        path = Path(paths[0])
    elif common.cache_is_current()[0]:
        path = common.DEMO_DB
    elif common.DEMO_DB.exists():
        print(f"cached database: {common.cache_is_current()[1]}; measuring on an upgraded scratch copy", flush=True)
        path = common.DEMO_DB
    else:
        print(f"cached database: {common.ensure_demo_db()}", flush=True)
        path = common.DEMO_DB
    common.report("review_one", bench_one(path))
    common.report("review_batch", bench_batch(path))
    if combined:
        common.report("review_batch_combined", bench_batch(path, combined=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
