"""Each contact's stage history, kept in stage_change, and the list's copy of today's stage.

Triggers (migration 0006) mark a contact in stage_pending whenever its purchases, interactions, agreements
or end change. `settle` works out the marked contacts' histories again with the domain's rules and
clears the marks; it runs before every write transaction commits (see `Database.before_commit`), so a
reader never sees a history older than the data. A history runs past today — the lapse a year after
the last activity, the day after an agreement ends — so it stays true as days go by; only the list's
copy (`contact.list_stage`) is of one day, and `bring_list_to` moves it to another."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clientdesk.domain.lifecycle import Stage, StageChange, stage_history, stage_in_history
from clientdesk.storage.types import utc_text

# A history's changes are worked out to this day: far enough for every lapse still to come.
HORIZON = date(9000, 1, 1)
_CHUNK = 500


class StageKeeper:
    def __init__(self, session: Session):
        self._session = session

    def _sql(self, sql: str, parameters: Sequence = ()):
        return self._session.connection().exec_driver_sql(sql, tuple(parameters))

    def _raw(self, sql: str, parameters: Sequence) -> list[tuple]:
        # The sqlite3 cursor itself: a settle of every contact reads millions of rows, and SQLAlchemy's
        # result rows would double the time.
        return self._session.connection().connection.driver_connection.execute(sql, tuple(parameters)).fetchall()

    def pending(self) -> bool:
        self._session.flush()
        return self._sql("SELECT EXISTS (SELECT 1 FROM stage_pending)").scalar() == 1

    def settle(self, time_zone: str, lapse_days: int, today: date, progress=None) -> int:
        """Works out again the history of every marked contact, brings the list to `today`, and clears the
        marks; returns how many contacts were settled. `progress(done, total)` is called between chunks."""
        if not self.pending():
            self.bring_list_to(today)
            return 0
        ids = [row[0] for row in self._sql("SELECT contact_id FROM stage_pending ORDER BY contact_id")]
        zone = ZoneInfo(time_zone)
        for start in range(0, len(ids), _CHUNK):
            self._rewrite(ids[start:start + _CHUNK], zone, lapse_days, today)
            if progress is not None:
                progress(min(start + _CHUNK, len(ids)), len(ids))
        self._sql("DELETE FROM stage_pending")
        self.bring_list_to(today)
        return len(ids)

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
            self._session.connection().exec_driver_sql(
                'INSERT INTO stage_change (contact_id, "on", stage) VALUES (?, ?, ?)', changes)
        self._set_list_stages(stages_today)

    def _set_list_stages(self, stages: list[tuple[int, str]]) -> None:
        """(contact id, stage) pairs onto the list's column; rows already showing the stage are not written."""
        if stages:
            self._session.connection().exec_driver_sql(
                "UPDATE contact SET list_stage = ? WHERE id = ? AND list_stage IS NOT ?",
                [(stage, cid, stage) for cid, stage in stages])

    def stages_on(self) -> date | None:
        value = self._sql("SELECT stages_on FROM lifecycle_state WHERE id = 1").scalar()
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
            moved = self._sql(_LATEST_CHANGES.format(where=""), (day.isoformat(),)).all()
        else:
            moved = self._sql(_LATEST_CHANGES.format(
                where='AND contact_id IN (SELECT contact_id FROM stage_change WHERE "on" > ? AND "on" <= ?)'),
                (day.isoformat(), shown.isoformat(), day.isoformat())).all()
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
        counts[Stage.PROSPECT] += self._sql(
            'SELECT count(*) FROM contact WHERE created_at < ? AND id NOT IN '
            '(SELECT contact_id FROM stage_change WHERE "on" <= ?)', (utc_text(created_before), day.isoformat())).scalar()
        return counts

    def history(self, contact_id: int) -> list[StageChange]:
        return [StageChange(date.fromisoformat(on), Stage(stage)) for on, stage in self._sql(
            'SELECT "on", stage FROM stage_change WHERE contact_id = ? ORDER BY "on"', (contact_id,))]


# Each contact's latest change on or before a day: its stage that day.
_LATEST_CHANGES = ('SELECT s.contact_id, s.stage FROM stage_change AS s JOIN (SELECT contact_id, max("on") AS last '
                   'FROM stage_change WHERE "on" <= ? {where} GROUP BY contact_id) AS l '
                   'ON s.contact_id = l.contact_id AND s."on" = l.last')


def _local_day(stored: str, zone: ZoneInfo) -> date:
    return datetime.fromisoformat(stored + "+00:00").astimezone(zone).date()


__all__ = ["HORIZON", "StageKeeper"]
