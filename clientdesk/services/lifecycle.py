"""Keeping every contact's stage history in step with its data, and the list's stage with the calendar.

Each write transaction ends by settling the contacts its writes touched (the triggers mark them), so the
histories are never behind the data. The list's stage is of one day; `keep_current` moves it to today,
at start-up and whenever the date has changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from clientdesk.services.business import BusinessService
from clientdesk.storage import Database


class LifecycleService:
    def __init__(self, database: Database, business: BusinessService, now: Callable[[], datetime]):
        self._db = database
        self._business = business
        self._now = now

    def today(self) -> date:
        return self._now().astimezone(ZoneInfo(self._business.profile().time_zone)).date()

    def settle_before_commit(self, uow) -> None:
        """The before-commit step of every write transaction: nothing to do unless a write touched a stage."""
        if uow.stages.pending():
            self.settle(uow)

    def settle(self, uow, progress: Callable[[int, int], None] | None = None) -> int:
        # The profile as this transaction sees it: a change of the lapse in days is being saved in it.
        profile = uow.profile.get() or self._business.profile()
        today = self._now().astimezone(ZoneInfo(profile.time_zone)).date()
        return uow.stages.settle(profile.time_zone, profile.retention.lapse_days, today, progress)

    def keep_current(self) -> bool:
        """Settles anything left pending and brings the list's stage to today; True when anything changed
        (the list then has to be read again)."""
        today = self.today()
        with self._db.reading() as uow:
            if uow.stages.stages_on() == today and not uow.stages.pending():
                return False
        with self._db.writing() as uow:
            self.settle(uow)
        return True

    def is_current(self) -> bool:
        with self._db.reading() as uow:
            return uow.stages.stages_on() == self.today() and not uow.stages.pending()
