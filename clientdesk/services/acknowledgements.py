"""Acknowledging an inquiry at once: the business's text with the client's name and the promised time."""

from __future__ import annotations

from dataclasses import dataclass

from clientdesk.domain.acknowledgement import acknowledgement_subject, acknowledgement_text, mailto_url
from clientdesk.services.business import BusinessService
from clientdesk.storage import Database


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    client: str
    email: str            # the client's first address; empty when there is none
    subject: str
    text: str

    @property
    def mailto(self) -> str | None:
        """A draft for the system's mail program, or None when the client has no address."""
        return mailto_url(self.email, self.subject, self.text) if self.email else None


class AcknowledgementService:
    def __init__(self, database: Database, business: BusinessService):
        self._db = database
        self._business = business

    def for_inquiry(self, inquiry_id: int) -> Acknowledgement:
        with self._db.reading() as uow:
            inquiry = uow.inquiries.get(inquiry_id)
            contact = uow.contacts.get(inquiry.contact_id)
        profile = self._business.profile()
        emails = contact.fields.emails
        # A person is greeted by name as they are addressed; an organisation by its name.
        client = contact.fields.given_name or contact.display_name
        text = acknowledgement_text(profile.reply.acknowledgement, client=client, business=profile.name,
                                    target=inquiry.target, limit=inquiry.limit, time_zone=profile.time_zone)
        return Acknowledgement(contact.display_name, emails[0].address if emails else "",
                               acknowledgement_subject(profile.name), text)
