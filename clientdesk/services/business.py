"""The business profile and its calendar: read once, cached, and saved in one transaction."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import TYPE_CHECKING

from clientdesk.services.changes import Changes
from clientdesk.storage import Database

if TYPE_CHECKING:
    from clientdesk.domain.business import BusinessProfile
    from clientdesk.domain.hours import BusinessCalendar


class BusinessService:
    def __init__(self, database: Database):
        self._db = database
        self._lock = threading.Lock()
        self._cached: BusinessProfile | None = None
        self._calendar: BusinessCalendar | None = None

    def profile(self) -> BusinessProfile:
        # The profile (and with it the rules engine) loads on first use, which is after the first paint.
        from clientdesk.services.system_defaults import default_profile

        with self._lock:
            if self._cached is None:
                with self._db.reading() as uow:
                    self._cached = uow.profile.get() or default_profile()
            return self._cached

    def calendar(self) -> BusinessCalendar:
        """Hours, closures and holidays as one engine; kept while the profile stays the same, because
        the engine caches each day's opening times and the holiday tables."""
        profile = self.profile()
        with self._lock:
            if self._calendar is None:
                self._calendar = profile.calendar()
            return self._calendar

    def region(self) -> str:
        return self.profile().country

    def out_of_scope_reply(self, request: str, charge: Decimal | None, client: str = "") -> str:
        """The business's own wording (Settings → Texts) for a request beyond the agreement, with the
        extra charge in its currency, or an offer to quote."""
        from clientdesk.domain.services_catalogue import out_of_scope_reply

        profile = self.profile()
        return out_of_scope_reply(request, charge, profile.currency, profile.reply.out_of_scope, client=client,
                                  business=profile.name)

    def save(self, profile: BusinessProfile) -> Changes:
        from clientdesk.domain.business import InvalidProfile, check_profile

        problems = check_profile(profile)
        if problems:
            raise InvalidProfile(problems)
        with self._db.writing() as uow:
            before = uow.profile.get()
            uow.profile.save(profile)
            # A stage's history hangs on the lapse and on the time zone that turns instants into days.
            if before is None or (before.retention.lapse_days, before.time_zone) != (
                    profile.retention.lapse_days, profile.time_zone):
                uow.stages.mark_all()
        with self._lock:
            self._cached = None
            self._calendar = None
        return Changes(profile=True)

    def update_from_json(self, data: object) -> Changes:
        """`business set`: the keys given replace the current values; nothing changes on any problem."""
        from clientdesk.domain.business import profile_from_json

        return self.save(profile_from_json(self.profile(), data))
