"""Each contact's stage history, kept in stage_change, and the list's copy of today's stage.

Triggers (migration 0006) mark a contact in stage_pending whenever its purchases, interactions, agreements
or end change. `settle` works out the marked contacts' histories again with the domain's rules and
clears the marks; it runs before every write transaction commits (see `Database.before_commit`), so a
reader never sees a history older than the data. A history runs past today — the lapse a year after
the last activity, the day after an agreement ends — so it stays true as days go by; only the list's
copy (`contact.list_stage`) is of one day, and `bring_list_to` moves it to another.

Most writes only add to a history's end: a call logged today, a sale recorded. For those the whole history
is not read again. Each connection keeps, in TEMP tables and triggers of its own (no schema change: they
live and die with the connection), a log of why each contact was marked since the last settle: how many
marks, how many of them came from inserting an interaction or a purchase, the earliest of those, and whether
the contact was already marked before (by another connection). A contact marked only by such inserts keeps
its stored history up to the earliest new day, and only the rest is worked out again from the rows on or
after that day and the last few before it (`_extend`). Any other mark — a delete, an update, an agreement,
an ended relationship, a trigger added later, a write on another connection — and the contact's whole
history is worked out again, as before. Both ways give the same history (tests/storage/test_lifecycle.py)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clientdesk.domain.lifecycle import Stage, StageChange, stage_history, stage_in_history
from clientdesk.storage.types import utc_text

# A history's changes are worked out to this day: far enough for every lapse still to come.
HORIZON = date(9000, 1, 1)
_CHUNK = 500
# Past this many contacts extended in one transaction (an import, the demo), working them out again in
# chunks of _CHUNK costs fewer statements than extending each.
MOST_EXTENDED = 64

# Why each contact was marked in this connection since its last settle. `marks` counts every attempt to
# mark it (a BEFORE trigger runs even when INSERT OR IGNORE then ignores the row), `explained` the inserts
# of an interaction or a purchase among them (each marks exactly once, in migration 0006's triggers),
# `was_pending` whether it was marked already at the first attempt, `first_at` the earliest new
# interaction (UTC text), `first_on` the earliest new purchase that counts (amount above zero).
# Past MOST_EXTENDED contacts the log is of no use (they are all worked out again): it stops, and a bulk
# write (the demo's million calls) pays only the triggers' WHEN for each row.
_LOG = "clientdesk_stage_log"
_LOG_STATE = "clientdesk_stage_log_state"
_LOG_TRIGGERS = ("clientdesk_stage_log_mark", "clientdesk_stage_log_interaction", "clientdesk_stage_log_purchase")
# Names inside a trigger's body cannot be qualified: the log's resolve to the TEMP tables, the others to main.
_COUNT_CONTACT = (f"UPDATE {_LOG_STATE} SET contacts = contacts + 1, overflowed = contacts + 1 > {MOST_EXTENDED} "
                  f"WHERE NOT EXISTS (SELECT 1 FROM {_LOG} WHERE contact_id = NEW.contact_id);")
_LOGGING = f"WHEN NOT (SELECT overflowed FROM temp.{_LOG_STATE})"
_LOG_SCHEMA = (
    f"""CREATE TEMP TABLE IF NOT EXISTS {_LOG} (
        contact_id INTEGER PRIMARY KEY, marks INTEGER NOT NULL DEFAULT 0, explained INTEGER NOT NULL DEFAULT 0,
        was_pending INTEGER, first_at TEXT, first_on TEXT)""",
    f"""CREATE TEMP TABLE IF NOT EXISTS {_LOG_STATE} (
        id INTEGER PRIMARY KEY CHECK (id = 1), contacts INTEGER NOT NULL, overflowed INTEGER NOT NULL)""",
    f"INSERT OR REPLACE INTO temp.{_LOG_STATE} (id, contacts, overflowed) VALUES (1, 0, 0)",
    f"""CREATE TEMP TRIGGER IF NOT EXISTS {_LOG_TRIGGERS[0]} BEFORE INSERT ON main.stage_pending {_LOGGING} BEGIN
        {_COUNT_CONTACT}
        INSERT INTO {_LOG} (contact_id, marks, was_pending)
        VALUES (NEW.contact_id, 1, EXISTS (SELECT 1 FROM main.stage_pending WHERE contact_id = NEW.contact_id))
        ON CONFLICT (contact_id) DO UPDATE SET marks = marks + 1,
            was_pending = coalesce(was_pending, excluded.was_pending);
    END""",
    f"""CREATE TEMP TRIGGER IF NOT EXISTS {_LOG_TRIGGERS[1]} AFTER INSERT ON main.interaction {_LOGGING} BEGIN
        {_COUNT_CONTACT}
        INSERT INTO {_LOG} (contact_id, explained, first_at) VALUES (NEW.contact_id, 1, NEW.at)
        ON CONFLICT (contact_id) DO UPDATE SET explained = explained + 1,
            first_at = coalesce(min(first_at, excluded.first_at), first_at, excluded.first_at);
    END""",
    f"""CREATE TEMP TRIGGER IF NOT EXISTS {_LOG_TRIGGERS[2]} AFTER INSERT ON main.purchase {_LOGGING} BEGIN
        {_COUNT_CONTACT}
        INSERT INTO {_LOG} (contact_id, explained, first_on)
        VALUES (NEW.contact_id, 1, CASE WHEN NEW.amount_minor > 0 THEN NEW."on" END)
        ON CONFLICT (contact_id) DO UPDATE SET explained = explained + 1,
            first_on = coalesce(min(first_on, excluded.first_on), first_on, excluded.first_on);
    END""",
)


class StageKeeper:
    def __init__(self, session: Session):
        self._session = session

    # Through the sqlite3 connection itself, in the session's transaction: a settle of every contact reads
    # millions of rows, and SQLAlchemy's result rows would double the time; a logged call's settle runs a
    # dozen statements, and SQLAlchemy's own cost per statement would be most of it.
    def _sql(self, sql: str, parameters: Sequence = ()) -> sqlite3.Cursor:
        return self._session.connection().connection.driver_connection.execute(sql, tuple(parameters))

    def _raw(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        return self._sql(sql, parameters).fetchall()

    def _scalar(self, sql: str, parameters: Sequence = ()):
        row = self._sql(sql, parameters).fetchone()
        return row[0] if row else None

    def _many(self, sql: str, rows: list[tuple]) -> None:
        self._session.connection().connection.driver_connection.executemany(sql, rows)

    def pending(self) -> bool:
        self._session.flush()
        return self._scalar("SELECT EXISTS (SELECT 1 FROM stage_pending)") == 1

    def settle(self, time_zone: str, lapse_days: int, today: date, progress=None) -> int:
        """Brings the history of every marked contact up to date (extending those the log allows, working
        out the others again), brings the list to `today`, and clears the marks and the log; returns how many
        contacts were settled. `progress(done, total)` is called between chunks of those worked out again."""
        if not self.pending():
            self.bring_list_to(today)
            return 0
        ids = [row[0] for row in self._sql("SELECT contact_id FROM stage_pending ORDER BY contact_id")]
        zone = ZoneInfo(time_zone)
        extensions = self._extensions()
        if len(extensions) > MOST_EXTENDED:
            extensions = {}
        again, stages_today = [], []
        for cid in ids:
            if cid not in extensions:
                again.append(cid)
                continue
            extended = self._extend(cid, extensions[cid], zone, lapse_days, today)
            if extended is _AGAIN:
                again.append(cid)
            elif extended is not None:
                stages_today.append((cid, extended))
        self._set_list_stages(stages_today)
        for start in range(0, len(again), _CHUNK):
            self._rewrite(again[start:start + _CHUNK], zone, lapse_days, today)
            if progress is not None:
                progress(min(start + _CHUNK, len(again)), len(again))
        self._sql("DELETE FROM stage_pending")
        self._start_log()
        self.bring_list_to(today)
        return len(ids)

    # -- the connection's log, and histories extended from it --------------------------------------------

    def _log_kept(self) -> bool:
        """Whether this connection keeps the log (created by its first settle; a rolled-back one takes it away)."""
        return self._scalar("SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger' AND name IN (?, ?, ?)",
                            _LOG_TRIGGERS) == len(_LOG_TRIGGERS)

    def _start_log(self) -> None:
        """An empty log from here on: every history is now settled. Created the first time, inside this
        transaction (so a rollback takes it away with the rest)."""
        if not self._log_kept():
            for statement in _LOG_SCHEMA:
                self._sql(statement)
        self._sql(f"DELETE FROM temp.{_LOG}")
        self._sql(f"UPDATE temp.{_LOG_STATE} SET contacts = 0, overflowed = 0")

    def _extensions(self) -> dict[int, _Cut]:
        """The marked contacts whose every mark since their last settle came from inserting an interaction or
        a purchase on this connection, with the day from which their history has to be worked out again
        (None: no purchase that counts and no interaction, so nothing changed)."""
        if not self._log_kept() or self._scalar(f"SELECT overflowed FROM temp.{_LOG_STATE}"):
            return {}
        return {cid: _cut(first_at, first_on) for cid, first_at, first_on in self._raw(
            f"SELECT contact_id, first_at, first_on FROM temp.{_LOG} WHERE marks = explained AND was_pending = 0 "
            "LIMIT ?", (MOST_EXTENDED + 1,))}

    def _extend(self, cid: int, cut: _Cut, zone: ZoneInfo, lapse_days: int, today: date):
        """The history kept before `cut` stays (nothing changed before that day); from `cut` on it is worked
        out again from the rows on or after it, the last interaction and the last two purchases before it,
        and every agreement: enough for the domain's rules to give each day from `cut` on the same stage
        as the whole history would. Returns the contact's stage today when it may have changed, None when
        it cannot have, or _AGAIN when the contact must be worked out in full."""
        if cut is None:
            return None
        day = cut.isoformat()
        kept = self._raw('SELECT "on", stage FROM stage_change WHERE contact_id = ? AND "on" < ? '
                         'ORDER BY "on" DESC LIMIT 1', (cid, day))
        before = StageChange(date.fromisoformat(kept[0][0]), Stage(kept[0][1])) if kept else None
        purchases = [date.fromisoformat(on) for (on,) in self._raw(
            'SELECT "on" FROM purchase WHERE contact_id = ? AND amount_minor > 0 AND "on" >= ? UNION ALL '
            'SELECT * FROM (SELECT "on" FROM purchase WHERE contact_id = ? AND amount_minor > 0 AND "on" < ? '
            'ORDER BY "on" DESC LIMIT 2)', (cid, day, cid, day))]
        # Every interaction whose local day may be `cut` or later (no zone is more than a day from UTC),
        # and the last one before those.
        since = (cut - timedelta(days=1)).isoformat()
        interactions = {_local_day(at, zone) for (at,) in self._raw(
            "SELECT at FROM interaction WHERE contact_id = ? AND at >= ? UNION ALL "
            "SELECT max(at) FROM interaction WHERE contact_id = ? AND at < ?", (cid, since, cid, since)) if at}
        agreements = [(date.fromisoformat(starts_on), date.fromisoformat(ends_on) if ends_on else None)
                      for starts_on, ends_on in self._raw(
                          "SELECT starts_on, ends_on FROM agreement WHERE contact_id = ?", (cid,))]
        ended = self._raw("SELECT ended_on FROM contact_ended WHERE contact_id = ?", (cid,))
        history = stage_history(purchases, sorted(interactions), agreements,
                                date.fromisoformat(ended[0][0]) if ended else None, HORIZON, lapse_days)
        if before is None:
            # Nothing before the cut: the rows read are all there are.
            tail = history
        else:
            on_cut = stage_in_history(history, cut)
            if on_cut is None:
                return _AGAIN
            tail = ([StageChange(cut, on_cut)] if on_cut != before.stage else []) + [
                change for change in history if change.on > cut]
        self._sql('DELETE FROM stage_change WHERE contact_id = ? AND "on" >= ?', (cid, day))
        if tail:
            self._many('INSERT INTO stage_change (contact_id, "on", stage) VALUES (?, ?, ?)',
                       [(cid, change.on.isoformat(), change.stage.value) for change in tail])
        if today < cut:
            return None
        return (stage_in_history([before, *tail] if before else tail, today) or Stage.PROSPECT).value

    def mark_all(self) -> None:
        """Every contact to be worked out again: the lapse in days has changed."""
        self._sql("INSERT OR IGNORE INTO stage_pending (contact_id) SELECT id FROM contact")

    def _rewrite(self, contact_ids: list[int], zone: ZoneInfo, lapse_days: int, today: date) -> None:
        marks = ",".join("?" * len(contact_ids))
        purchases: dict[int, list[date]] = defaultdict(list)
        for cid, on in self._raw(f'SELECT contact_id, "on" FROM purchase WHERE contact_id IN ({marks}) '
                                 "AND amount_minor > 0", contact_ids):
            purchases[cid].append(date.fromisoformat(on))
        interactions: dict[int, set[date]] = defaultdict(set)
        for cid, at in self._raw(f"SELECT contact_id, at FROM interaction WHERE contact_id IN ({marks})", contact_ids):
            interactions[cid].add(_local_day(at, zone))
        agreements: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
        for cid, starts_on, ends_on in self._sql(
                f"SELECT contact_id, starts_on, ends_on FROM agreement WHERE contact_id IN ({marks})", contact_ids):
            agreements[cid].append((date.fromisoformat(starts_on), date.fromisoformat(ends_on) if ends_on else None))
        ended = {cid: date.fromisoformat(on) for cid, on in self._sql(
            f"SELECT contact_id, ended_on FROM contact_ended WHERE contact_id IN ({marks})", contact_ids)}
        existing = {cid for (cid,) in self._sql(f"SELECT id FROM contact WHERE id IN ({marks})", contact_ids)}

        self._sql(f"DELETE FROM stage_change WHERE contact_id IN ({marks})", contact_ids)
        changes, stages_today = [], []
        for cid in contact_ids:
            if cid not in existing:
                continue
            history = stage_history(purchases.get(cid, ()), sorted(interactions.get(cid, ())), agreements.get(cid, ()),
                                    ended.get(cid), HORIZON, lapse_days)
            changes.extend((cid, change.on.isoformat(), change.stage.value) for change in history)
            stages_today.append((cid, (stage_in_history(history, today) or Stage.PROSPECT).value))
        if changes:
            self._many('INSERT INTO stage_change (contact_id, "on", stage) VALUES (?, ?, ?)', changes)
        self._set_list_stages(stages_today)

    def _set_list_stages(self, stages: list[tuple[int, str]]) -> None:
        """(contact id, stage) pairs onto the list's column; rows already showing the stage are not written."""
        if stages:
            self._many(
                "UPDATE contact SET list_stage = ? WHERE id = ? AND list_stage IS NOT ?",
                [(stage, cid, stage) for cid, stage in stages])

    def stages_on(self) -> date | None:
        value = self._scalar("SELECT stages_on FROM lifecycle_state WHERE id = 1")
        return date.fromisoformat(value) if value else None

    def bring_list_to(self, day: date) -> None:
        """The list's stage column as of `day`: going forward, only contacts with a change between the day
        it showed and `day` are touched; the first time, or going back, every contact."""
        shown = self.stages_on()
        if shown == day:
            return
        if shown is not None and day < shown:
            shown = None
        if shown is None:
            moved = self._raw(_LATEST_CHANGES.format(where=""), (day.isoformat(),))
        else:
            moved = self._sql(_LATEST_CHANGES.format(
                where='AND contact_id IN (SELECT contact_id FROM stage_change WHERE "on" > ? AND "on" <= ?)'),
                (day.isoformat(), shown.isoformat(), day.isoformat())).fetchall()
        self._set_list_stages(moved)
        if shown is None:
            # Contacts without a change on or before the day are prospects.
            self._sql("UPDATE contact SET list_stage = 'prospect' WHERE list_stage != 'prospect' AND id NOT IN "
                      '(SELECT contact_id FROM stage_change WHERE "on" <= ?)', (day.isoformat(),))
        self._sql("UPDATE lifecycle_state SET stages_on = ? WHERE id = 1", (day.isoformat(),))

    # -- reads ------------------------------------------------------------------------------------------

    def counts_today(self) -> dict[Stage, int]:
        """The list's stages counted: right for the day `stages_on` names, with nothing pending."""
        counts = dict.fromkeys(Stage, 0)
        for stage, count in self._sql("SELECT list_stage, count(*) FROM contact GROUP BY list_stage"):
            counts[Stage(stage)] = count
        return counts

    def counts_on(self, day: date, created_before: datetime) -> dict[Stage, int]:
        """Every contact created before the instant `created_before` or with a stage by `day`,
        in its stage on `day`; a contact with no change by then is a prospect."""
        counts = dict.fromkeys(Stage, 0)
        for stage, count in self._sql(f"SELECT stage, count(*) FROM ({_LATEST_CHANGES.format(where='')}) "
                                      "GROUP BY stage", (day.isoformat(),)):
            counts[Stage(stage)] += count
        counts[Stage.PROSPECT] += self._scalar(
            'SELECT count(*) FROM contact WHERE created_at < ? AND id NOT IN '
            '(SELECT contact_id FROM stage_change WHERE "on" <= ?)', (utc_text(created_before), day.isoformat()))
        return counts

    def history(self, contact_id: int) -> list[StageChange]:
        return [StageChange(date.fromisoformat(on), Stage(stage)) for on, stage in self._sql(
            'SELECT "on", stage FROM stage_change WHERE contact_id = ? ORDER BY "on"', (contact_id,))]


# Each contact's latest change on or before a day: its stage that day.
_LATEST_CHANGES = ('SELECT s.contact_id, s.stage FROM stage_change AS s JOIN (SELECT contact_id, max("on") AS last '
                   'FROM stage_change WHERE "on" <= ? {where} GROUP BY contact_id) AS l '
                   'ON s.contact_id = l.contact_id AND s."on" = l.last')


_Cut = date | None
_AGAIN = object()  # _extend's answer when the whole history has to be worked out


def _cut(first_at: str | None, first_on: str | None) -> _Cut:
    """A day on or before every day whose stage the new rows may change: the earliest new purchase's, or the
    day before the earliest new interaction's UTC date (no zone is more than 12 hours behind UTC, so no new
    interaction falls on an earlier local day, even where a clock change steps the date back)."""
    days = []
    if first_at is not None:
        days.append(date.fromisoformat(first_at[:10]) - timedelta(days=1))
    if first_on is not None:
        days.append(date.fromisoformat(first_on))
    return min(days, default=None)


def _local_day(stored: str, zone: ZoneInfo) -> date:
    return datetime.fromisoformat(stored + "+00:00").astimezone(zone).date()


__all__ = ["HORIZON", "MOST_EXTENDED", "StageKeeper"]
