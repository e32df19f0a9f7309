from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.services.acknowledgements import AcknowledgementService
from tests.conftest import GB
from tests.helpers import person

RECEIVED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday


def opened_inquiry(workspace, **fields) -> int:
    contact_id = workspace.contacts.create(person("Zoë", "Ålström", **fields)).contact_id
    logged = workspace.interactions.log(InteractionDraft(contact_id, Channel.PHONE, Direction.IN, RECEIVED,
                                                         summary="Asked for a quote", needs_reply=True))
    return logged.opened.id


def test_the_acknowledgement_greets_the_client_and_promises_the_target(workspace):
    workspace.business.save(replace(GB, name="Bright & Co"))
    inquiry_id = opened_inquiry(workspace, emails=(("work", "zoe@example.com"),))
    ack = AcknowledgementService(workspace.database, workspace.business).for_inquiry(inquiry_id)
    assert ack.text.startswith("Dear Zoë,")
    assert "by Tuesday 24 November at 09:30." in ack.text  # 24 calendar hours, London time
    assert ack.text.endswith("Bright & Co")
    assert ack.email == "zoe@example.com"
    assert ack.mailto.startswith("mailto:zoe@example.com?subject=") and "Bright%20%26%20Co" in ack.mailto


def test_the_business_text_is_used_and_a_client_without_email_gets_no_draft(workspace):
    workspace.business.save(replace(GB, reply=replace(GB.reply, acknowledgement="Hello {client}, by {limit}.")))
    inquiry_id = opened_inquiry(workspace)
    ack = AcknowledgementService(workspace.database, workspace.business).for_inquiry(inquiry_id)
    assert ack.text == "Hello Zoë, by Wednesday 25 November at 09:30."
    assert ack.mailto is None
