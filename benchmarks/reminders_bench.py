"""The Today agenda and the stay-in-touch rounds on the 100,000-contact demo database (about a million
interactions, 50,000 reminders, cadences on about a fifth of the contacts, 8,000 agreements).

    .venv/bin/python benchmarks/reminders_bench.py [DB]

Each `bench_*` function returns its figure as a results.json entry (value, unit, target, ok, display, …).
The database defaults to the cached benchmarks/.cache/demo-100k.sqlite3, built first when it is missing or
stale. Both figures write to a scratch copy of it.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

AGENDA_TARGET_MS = 50.0
LOG_TARGET_MS = 50.0
AGENDA_WARMUP, AGENDA_RUNS, AGENDA_COLD_RUNS, AGENDA_PHASE_RUNS = 2, 15, 5, 5
AGENDA_AFTER_CALL_RUNS = 10
LOG_RUNS = 30


def bench_agenda(db_path: Path = common.DEMO_DB) -> dict:
    """`ReminderService.agenda(now, 7)`: what the Today page reads, overdue + today + the next 7 days, grouped and
    counted, with every item's boundary-shifted suggestion. As the page reads it: once a minute, so each run is a
    minute after the one before (overdue items are suggested from now, which moves; upcoming ones keep their
    suggestion, which the service remembers for the day, and the rows read come back mostly as they were, so
    only new and changed ones are made into items again: RowMemo). Median of 15 after two warm-ups (the first
    parses the repeating rules and the clients' rules, which the service then keeps).

    And as the page reads it after a change: each of AGENDA_AFTER_CALL_RUNS runs follows a call logged to
    another contact a cadence covers (on a scratch copy), which moves that contact's round and activity. Both
    medians must be within target.

    Also the cold figure: each of 5 runs with nothing remembered from an earlier agenda but the parsed repeating
    rules and clients' rules: a fresh SuggestionMemo and RowMemos, and the expanded occurrences and built
    birthdays forgotten — the first agenda after a start or on a new day. The phases are timed separately in 5
    more runs (medians): the narrowed SQL reads with the engine's sources, the handling and boundaries read, and
    build_agenda."""
    from clientdesk.domain.interactions import Direction, InteractionDraft
    from clientdesk.domain.reminders import follow_ups
    from clientdesk.domain.reminders.agenda import build_agenda
    from clientdesk.domain.reminders.clock import agenda_end
    from clientdesk.domain.reminders.suggestions import SuggestionMemo
    from clientdesk.services.workspace import Workspace
    from clientdesk.storage import reminders_repository

    def forget() -> None:
        service._memo = (None, SuggestionMemo(), {})  # noqa: SLF001 - the cold figure: nothing learnt
        service._rules_memo = (None, None)  # noqa: SLF001
        follow_ups._occurrences.cache_clear()  # noqa: SLF001
        reminders_repository._birthday.cache_clear()  # noqa: SLF001

    with tempfile.TemporaryDirectory(prefix="clientdesk-bench-") as folder:
        scratch = Path(folder) / "scratch.sqlite3"
        common.copy_database(db_path, scratch)
        connection = sqlite3.connect(scratch)
        try:
            # From the other end than bench_cadence_log's.
            callers = _covered_contacts(connection, AGENDA_AFTER_CALL_RUNS, last=True)
        finally:
            connection.close()
        workspace = Workspace.open(scratch)
        try:
            service = workspace.reminders
            start = datetime.now(UTC)
            timings, cold, after_call = [], [], []
            agenda = None
            for number in range(AGENDA_WARMUP + AGENDA_RUNS):
                now = start + timedelta(minutes=number)
                started = time.perf_counter()
                agenda = service.agenda(now, 7)
                if number >= AGENDA_WARMUP:
                    timings.append(time.perf_counter() - started)
            for contact_id in callers:
                now += timedelta(minutes=1)
                workspace.interactions.log(InteractionDraft(contact_id, "phone", Direction.OUT, datetime.now(UTC),
                                                            summary="Checked in", override_reason="benchmark"))
                started = time.perf_counter()
                service.agenda(now, 7)
                after_call.append(time.perf_counter() - started)
            for number in range(AGENDA_COLD_RUNS):
                forget()
                started = time.perf_counter()
                service.agenda(now, 7)
                cold.append(time.perf_counter() - started)
            # By phase, a minute apart again (after one run to learn again what the cold runs forgot).
            service.agenda(now + timedelta(minutes=1), 7)
            calendar = workspace.business.calendar()
            phase_runs: list[list[float]] = []
            for number in range(AGENDA_PHASE_RUNS):
                now += timedelta(minutes=2 + number)
                end = agenda_end(now, calendar, 7)
                marks = [time.perf_counter()]
                with workspace.database.reading() as uow:
                    dues = service._dues(uow, now, end,  # noqa: SLF001 - the phases of agenda(), timed apart
                                         memo=service._read_memo_for(calendar, 7))  # noqa: SLF001
                    marks.append(time.perf_counter())
                    handled, boundaries = service._handling_and_rules(uow, dues, end)  # noqa: SLF001
                    marks.append(time.perf_counter())
                build_agenda(dues, now, calendar, handled=handled, boundaries=boundaries, days=7,
                             memo=service._memo_for(calendar))  # noqa: SLF001
                marks.append(time.perf_counter())
                phase_runs.append([b - a for a, b in zip(marks, marks[1:])])
        finally:
            workspace.close()
    value = common.ms(statistics.median(timings))
    after_call_value = common.ms(statistics.median(after_call))
    cold_value = common.ms(statistics.median(cold))
    kinds: dict[str, int] = {}
    for item in agenda.items:
        kinds[item.kind.value] = kinds.get(item.kind.value, 0) + 1
    counts = agenda.counts
    phases = {name: round(common.ms(statistics.median(run[index] for run in phase_runs)), 1) for index, name in
              enumerate(("sources_ms", "handling_and_rules_ms", "build_agenda_ms"))}
    return {
        "value": round(value, 1), "unit": "ms", "target": f"< {AGENDA_TARGET_MS:g} ms", "limit": AGENDA_TARGET_MS,
        "ok": value < AGENDA_TARGET_MS and after_call_value < AGENDA_TARGET_MS,
        "runs_ms": [round(common.ms(t), 1) for t in timings],
        "after_call_ms": round(after_call_value, 1), "after_call_runs_ms": [round(common.ms(t), 1) for t in after_call],
        "cold_ms": round(cold_value, 1), "cold_runs_ms": [round(common.ms(t), 1) for t in cold],
        "items": len(agenda.items), "dues": len(dues), "by_kind": kinds, **phases,
        "counts": counts.to_json(),
        "display": (f"{value:.1f} ms median of {AGENDA_RUNS} a minute apart (worst {common.ms(max(timings)):.1f} ms); "
                    f"{after_call_value:.1f} ms median of {len(after_call)} each after a call logged (worst "
                    f"{common.ms(max(after_call)):.1f} ms); cold {cold_value:.1f} ms; for "
                    f"{len(agenda.items):,} items ({counts.overdue:,} overdue, {counts.today:,} today, "
                    f"{counts.upcoming:,} upcoming; " + ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items()))
                    + f"); by phase (medians of {AGENDA_PHASE_RUNS}): sources {phases['sources_ms']} ms, handling and "
                    f"rules {phases['handling_and_rules_ms']} ms, build_agenda {phases['build_agenda_ms']} ms"),
    }


def bench_cadence_log(db_path: Path = common.DEMO_DB) -> dict:
    """`InteractionService.log()` of an outgoing call to a contact a cadence covers, on a scratch copy: the
    interaction's triggers keep contact_activity, and the cadence's trigger works that one contact's next round
    out again (by primary key and the cadence indexes: no scan). Median of 30, each call to another covered
    contact; checks every round moved. Also the same for contacts no cadence covers, as the baseline, and the
    plan SQLite uses for the round's UPDATE."""
    from clientdesk.domain.interactions import Direction, InteractionDraft
    from clientdesk.services.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="clientdesk-bench-") as folder:
        scratch = Path(folder) / "scratch.sqlite3"
        common.copy_database(db_path, scratch)
        connection = sqlite3.connect(scratch)
        try:
            covered = _covered_contacts(connection, LOG_RUNS)
            uncovered = [row[0] for row in connection.execute(
                "SELECT id FROM contact WHERE id NOT IN (SELECT contact_id FROM cadence_round) ORDER BY id LIMIT ?",
                (LOG_RUNS,))]
            before = dict(connection.execute(
                f"SELECT contact_id, round_on FROM cadence_round WHERE contact_id IN ({','.join('?' * len(covered))})",
                covered))
            plan = " / ".join(row[3] for row in connection.execute(
                "EXPLAIN QUERY PLAN UPDATE cadence_round SET round_on = NULL WHERE contact_id = ?", (covered[0],)))
        finally:
            connection.close()
        workspace = Workspace.open(scratch)
        try:
            service = workspace.interactions
            service.log(InteractionDraft(uncovered[-1], "email", Direction.IN, datetime.now(UTC), summary="warm-up"))

            def timed(contacts: list[int]) -> list[float]:
                found = []
                for contact_id in contacts:
                    draft = InteractionDraft(contact_id, "email", Direction.OUT, datetime.now(UTC),
                                             summary="Checked in", override_reason="benchmark")
                    started = time.perf_counter()
                    service.log(draft)
                    found.append(time.perf_counter() - started)
                return found

            with_cadence = timed(covered)
            without = timed(uncovered)
        finally:
            workspace.close()
        connection = sqlite3.connect(scratch)
        try:
            after = dict(connection.execute(
                f"SELECT contact_id, round_on FROM cadence_round WHERE contact_id IN ({','.join('?' * len(covered))})",
                covered))
        finally:
            connection.close()
    moved = sum(after[cid] != before[cid] for cid in covered)
    value = common.ms(statistics.median(with_cadence))
    baseline = common.ms(statistics.median(without))
    return {
        "value": round(value, 2), "unit": "ms", "target": f"< {LOG_TARGET_MS:g} ms", "limit": LOG_TARGET_MS,
        "ok": value < LOG_TARGET_MS and moved == len(covered), "baseline": round(baseline, 2),
        "ratio": round(value / baseline, 2) if baseline else None, "rounds_moved": moved, "plan": plan,
        "display": (f"{value:.2f} ms median of {LOG_RUNS} logging a call to a contact with a cadence "
                    f"({moved}/{len(covered)} rounds moved), {baseline:.2f} ms to one without; the round's "
                    f"update: {plan}"),
    }



def _covered_contacts(connection, count: int, last: bool = False) -> list[int]:
    """The first (or last) `count` contacts by id that a cadence covers, with a round to move."""
    order = "DESC" if last else "ASC"
    return [row[0] for row in connection.execute(
        f"SELECT contact_id FROM cadence_round WHERE round_on IS NOT NULL ORDER BY contact_id {order} LIMIT ?",
        (count,))]


def main(argv: list[str]) -> int:
    return common.run_alone(argv, {"agenda": bench_agenda, "cadence_log": bench_cadence_log})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
