"""A client's boundaries: reading and saving them, and applying them with the business's calendar."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from clientdesk.domain.boundaries import (
    Channel,
    ClientBoundaries,
    ContactCheck,
    check_contact,
    contact_now_summary,
    refusal_text,
)
from clientdesk.domain.reply import ReplyBy, reply_by
from clientdesk.services.business import BusinessService
from clientdesk.services.changes import Changes
from clientdesk.services.undo import UndoStack, UndoStep
from clientdesk.storage import Database


class BoundariesService:
    def __init__(self, database: Database, business: BusinessService, undo: UndoStack,
                 clock: Callable[[], datetime]):
        self._db = database
        self._business = business
        self._undo = undo
        self._clock = clock
        self._parsed: dict[str, ClientBoundaries] = {}  # the list reads the same few rule sets again and again

    def business_time_zone(self) -> str:
        """The zone a new client window starts in: most clients live where the business does."""
        return self._business.profile().time_zone

    def get(self, contact_id: int) -> ClientBoundaries:
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)  # NotFound for a contact deleted meanwhile
            return uow.boundaries.get(contact_id) or ClientBoundaries.default()

    def save(self, contact_id: int, boundaries: ClientBoundaries) -> Changes:
        with self._db.writing() as uow:
            contact = uow.contacts.get(contact_id)
            before = uow.boundaries.get(contact_id) or ClientBoundaries.default()
            uow.boundaries.save(contact_id, boundaries, self._clock())
        self._undo.push(UndoStep(f"Boundaries of “{contact.display_name}”",
                                 lambda: self._put_back(contact_id, before)))
        return Changes(contacts=True, contact_ids=frozenset({contact_id}))

    def save_json(self, contact_id: int, data: object) -> Changes:
        """`boundaries CONTACT set`: the whole rule set, validated before anything is written."""
        return self.save(contact_id, ClientBoundaries.from_json(data))

    def check(self, contact_id: int, channel: Channel, at: datetime, urgent: bool = False) -> ContactCheck:
        return check_contact(self.get(contact_id), self._business.calendar(), channel, at, urgent)

    def refusal(self, channel: Channel, check: ContactCheck, at: datetime) -> str:
        """The warning for a contact the rules do not allow, with the next allowed time in the business's zone."""
        return refusal_text(channel, check, self._business.calendar(), at)

    def summaries(self, contact_ids: Sequence[int], at: datetime) -> dict[int, str]:
        """The list's "contact now?" text for the rows on screen: one read, no ORM."""
        with self._db.listing() as listing:
            stored = listing.boundaries_json(contact_ids)
        calendar = self._business.calendar()
        # The text depends only on the rules and the moment, and most contacts share a few rule sets
        # (most have the defaults): each distinct set is worked out once.
        by_rules: dict[str | None, str] = {}
        texts = {}
        for cid in contact_ids:
            key = stored.get(cid)
            if key not in by_rules:
                rules = self._parse(key) if key is not None else ClientBoundaries.default()
                by_rules[key] = contact_now_summary(rules, calendar, at)
            texts[cid] = by_rules[key]
        return texts

    def reply_by(self, received: datetime) -> ReplyBy:
        profile = self._business.profile()
        return reply_by(received, profile.reply, self._business.calendar())

    def _parse(self, text: str) -> ClientBoundaries:
        parsed = self._parsed.get(text)
        if parsed is None:
            parsed = self._parsed[text] = ClientBoundaries.from_json(json.loads(text))
        return parsed

    def _put_back(self, contact_id: int, before: ClientBoundaries) -> Changes:
        with self._db.writing() as uow:
            uow.boundaries.save(contact_id, before, self._clock())
        return Changes(contacts=True, contact_ids=frozenset({contact_id}))

