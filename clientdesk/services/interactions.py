"""Logging interactions, and the inquiries they open and answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from clientdesk.domain.boundaries import CHANNEL_LABELS, ContactCheck
from clientdesk.domain.errors import ClientDeskError
from clientdesk.domain.interactions import (
    Direction,
    Inquiry,
    InquiryStatus,
    InteractionDraft,
    Responsiveness,
    answered,
    by_urgency,
    closed,
    responsiveness,
    validate_interaction,
)
from clientdesk.domain.services_catalogue import OutOfScopeDraft, validate_out_of_scope
from clientdesk.services.boundaries import BoundariesService
from clientdesk.services.changes import Changes
from clientdesk.storage import Database


class OutsideBoundaries(ClientDeskError):
    """An outgoing contact the client's rules do not allow now; saved only with a reason to override."""

    def __init__(self, channel_label: str, check: ContactCheck):
        self.check = check
        when = (f" Next allowed: {check.next_allowed.isoformat(timespec='minutes')}." if check.next_allowed
                else " It is never allowed on this channel.")
        super().__init__(f"{channel_label} is not allowed at that time: {' '.join(check.reasons)}{when} "
                         "To log it anyway, give a reason to override the client's boundaries.")


@dataclass(frozen=True, slots=True)
class Logged:
    interaction_id: int
    opened: Inquiry | None = None     # the inquiry this interaction opened ("needs a reply")
    answered: Inquiry | None = None   # the inquiry it answered
    repeated: bool = False            # the same form was submitted twice: nothing new was written
    changes: Changes = field(default_factory=lambda: Changes(contacts=True))


class InteractionService:
    def __init__(self, database: Database, boundaries: BoundariesService, clock: Callable[[], datetime]):
        self._db = database
        self._boundaries = boundaries
        self._clock = clock

    def log(self, draft: InteractionDraft, request_key: str | None = None, *,
            out_of_scope: OutOfScopeDraft | None = None) -> Logged:
        """One transaction: the interaction, the inquiry it opens, the inquiry it answers, and a request
        beyond the client's agreement made during it."""
        now = self._clock()
        draft = validate_interaction(draft, now)
        if out_of_scope is not None:
            out_of_scope = validate_out_of_scope(out_of_scope)
            if out_of_scope.contact_id != draft.contact_id:
                raise ValueError("an out-of-scope request is logged with its own contact's interaction")
        if draft.direction is Direction.OUT and not draft.override_reason:
            check = self._boundaries.check(draft.contact_id, draft.channel, draft.at, draft.urgent)
            if not check.allowed:
                raise OutsideBoundaries(CHANNEL_LABELS[draft.channel], check)
        changes = Changes(contacts=True, contact_ids=frozenset({draft.contact_id}))
        with self._db.writing() as uow:
            uow.contacts.require(draft.contact_id)  # a clear message for a contact deleted meanwhile
            if request_key is not None:
                existing = uow.interactions.id_for_request(request_key)
                if existing is not None:
                    return Logged(existing, repeated=True, changes=changes)
            interaction_id = uow.interactions.add(draft, now, request_key)
            opened = answered_now = None
            if draft.needs_reply:
                opened = uow.inquiries.open_for(draft.contact_id, self._boundaries.reply_by(draft.at), interaction_id)
            if draft.answers_inquiry_id is not None:
                inquiry = uow.inquiries.get(draft.answers_inquiry_id)
                answered_now = answered(inquiry, draft.at, interaction_id)
                uow.inquiries.save(answered_now)
            if out_of_scope is not None:
                uow.purchases.add_out_of_scope(out_of_scope, now)
        if out_of_scope is not None:
            changes = Changes(contacts=True, purchases=True, contact_ids=changes.contact_ids)
        return Logged(interaction_id, opened, answered_now, changes=changes)

    def inquiries(self, *, open_only: bool = False, as_of: datetime | None = None) -> list[Inquiry]:
        """Open inquiries by urgency (past the limit, past the target, due soonest); others by receipt."""
        with self._db.reading() as uow:
            found = uow.inquiries.listed(open_only=open_only)
        as_of = as_of or self._clock()
        open_ones = by_urgency([inquiry for inquiry in found if inquiry.status is InquiryStatus.OPEN], as_of)
        return open_ones + [inquiry for inquiry in found if inquiry.status is not InquiryStatus.OPEN]

    def open_inquiries_for(self, contact_id: int) -> list[Inquiry]:
        """What a reply to this client could answer, oldest first."""
        with self._db.reading() as uow:
            return uow.inquiries.listed(open_only=True, contact_id=contact_id)

    def answer(self, inquiry_id: int, at: datetime | None = None) -> Inquiry:
        with self._db.writing() as uow:
            inquiry = answered(uow.inquiries.get(inquiry_id), at or self._clock())
            uow.inquiries.save(inquiry)
        return inquiry

    def close(self, inquiry_id: int, reason: str) -> Inquiry:
        with self._db.writing() as uow:
            inquiry = closed(uow.inquiries.get(inquiry_id), reason, self._clock())
            uow.inquiries.save(inquiry)
        return inquiry

    def responsiveness(self, start: datetime, end: datetime, contact_id: int | None = None,
                       as_of: datetime | None = None) -> Responsiveness:
        with self._db.reading() as uow:
            found = uow.inquiries.listed(contact_id=contact_id, received_from=start, received_to=end)
        return responsiveness(found, start, end, as_of or self._clock())
