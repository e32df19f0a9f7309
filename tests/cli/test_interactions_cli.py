"""`log`, `inquiries` and `responsiveness` as documented in README.md."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from tests.helpers import run_cli as run

HOURS = {"hours": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
         "timezone": "Europe/London", "reply": {"target_hours": 24, "limit_hours": 48, "clock": "calendar"}}


@pytest.fixture
def db(database_path, tmp_path, capsys):
    settings = tmp_path / "business.json"
    settings.write_text(json.dumps(HOURS))
    db = str(database_path)
    assert run(capsys, "--db", db, "business", "set", str(settings))[0] == 0
    assert run(capsys, "--db", db, "contacts", "add", "Ana Silva", "--email", "ana@example.com")[0] == 0
    return db


def log(capsys, db, *args) -> dict:
    code, out, err = run(capsys, "--db", db, "log", "ana@example.com", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_question_opens_an_inquiry_with_its_deadlines(capsys, db):
    logged = log(capsys, db, "--channel", "phone", "--direction", "in", "--summary", "Boiler noise?",
                 "--at", "2026-11-20T10:00", "--needs-reply")
    inquiry = logged["inquiry"]
    assert logged["interaction"]["direction"] == "in" and logged["interaction"]["at"] == "2026-11-20T10:00:00+00:00"
    assert inquiry["target"] == "2026-11-21T10:00:00+00:00" and inquiry["limit"] == "2026-11-22T10:00:00+00:00"
    assert inquiry["status"] == "open" and inquiry["contact"] == {"id": 1, "name": "Ana Silva"}


def test_the_queue_lists_open_inquiries_with_their_lateness(capsys, db):
    log(capsys, db, "--channel", "email", "--direction", "in", "--summary", "Quote?", "--at", "2026-11-16T10:00",
        "--needs-reply")
    log(capsys, db, "--channel", "email", "--direction", "in", "--summary", "Invoice?", "--at", "2026-11-17T12:00",
        "--needs-reply")
    rows = json.loads(run(capsys, "--db", db, "inquiries", "--open", "--as-of", "2026-11-18T13:00", "--json")[1])
    assert [(row["id"], row["overdue"]) for row in rows] == [(1, "limit"), (2, "target")]
    assert set(rows[0]) == {"id", "contact", "received", "target", "limit", "status", "answered_at", "overdue"}


def test_an_answer_closes_the_inquiry_and_counts_in_responsiveness(capsys, db):
    opened = log(capsys, db, "--channel", "phone", "--direction", "in", "--summary", "When can you come?",
                 "--at", "2026-11-16T10:00", "--needs-reply")["inquiry"]
    answer = log(capsys, db, "--channel", "email", "--direction", "out", "--summary", "Thursday 9am",
                 "--at", "2026-11-16T13:00", "--answers", str(opened["id"]))
    assert answer["answered"]["status"] == "answered" and answer["answered"]["answered_at"].startswith("2026-11-16T13:00")
    assert json.loads(run(capsys, "--db", db, "inquiries", "--open", "--json")[1]) == []
    figures = json.loads(run(capsys, "--db", db, "responsiveness", "--from", "2026-11-01", "--to", "2026-11-30",
                             "--json")[1])
    assert figures == {"inquiries": 1, "within_target": 1.0, "within_limit": 1.0, "median_hours": 3.0}


def test_inquiries_answer_and_close_by_id(capsys, db):
    for day in ("16", "17"):
        log(capsys, db, "--channel", "sms", "--direction", "in", "--summary", "Hi", "--at", f"2026-11-{day}T10:00",
            "--needs-reply")
    assert run(capsys, "--db", db, "inquiries", "answer", "1", "--at", "2026-11-16T15:00")[0] == 0
    assert run(capsys, "--db", db, "inquiries", "close", "2", "--reason", "Spam")[0] == 0
    statuses = {row["id"]: row["status"] for row in json.loads(run(capsys, "--db", db, "inquiries", "--json")[1])}
    assert statuses == {1: "answered", 2: "closed"}
    code, _, err = run(capsys, "--db", db, "inquiries", "answer", "2")
    assert code == 1 and "inquiry" in err.lower()


def test_an_answer_before_the_inquiry_is_refused(capsys, db):
    log(capsys, db, "--channel", "phone", "--direction", "in", "--summary", "Q", "--at", "2026-11-16T10:00",
        "--needs-reply")
    code, _, err = run(capsys, "--db", db, "inquiries", "answer", "1", "--at", "2026-11-16T09:00")
    assert code == 1 and "before" in err
    assert json.loads(run(capsys, "--db", db, "inquiries", "--json")[1])[0]["status"] == "open"


def test_an_outgoing_call_outside_the_clients_boundaries_needs_an_override(capsys, db):
    saturday = "2026-11-21T11:00"
    code, _, err = run(capsys, "--db", db, "log", "1", "--channel", "phone", "--direction", "out",
                       "--summary", "Follow-up", "--at", saturday)
    assert code == 1 and "not allowed" in err and "override" in err
    logged = log(capsys, db, "--channel", "phone", "--direction", "out", "--summary", "Follow-up", "--at", saturday,
                 "--override", "Burst pipe, client asked us to call")
    assert logged["interaction"]["override_reason"] == "Burst pipe, client asked us to call"


@pytest.mark.parametrize("args,words", [
    (("--channel", "phone", "--direction", "in", "--summary", "x" * 100_001), "10,000"),
    (("--channel", "phone", "--direction", "out", "--summary", "x", "--needs-reply"), "incoming"),
    (("--channel", "pigeon", "--direction", "in", "--summary", "x"), "pigeon"),
    (("--channel", "phone", "--direction", "in"), "summary"),
])
def test_bad_logs_are_refused_with_a_message_and_write_nothing(capsys, db, args, words):
    code, _, err = run(capsys, "--db", db, "log", "1", *args)
    assert code == 1 and words in err
    assert json.loads(run(capsys, "--db", db, "inquiries", "--json")[1]) == []


def test_logging_against_a_missing_contact_says_so(capsys, db):
    code, _, err = run(capsys, "--db", db, "log", "99", "--channel", "phone", "--direction", "in", "--summary", "x")
    assert code == 1 and "no contact with id 99" in err


def test_deleting_a_contact_and_undoing_brings_back_its_interactions(db, capsys):
    from pathlib import Path

    from clientdesk.services.workspace import Workspace

    log(capsys, db, "--channel", "phone", "--direction", "in", "--summary", "Q", "--at", "2026-11-16T10:00",
        "--needs-reply")
    workspace = Workspace.open(Path(db))
    try:
        workspace.contacts.delete([1])
        assert workspace.interactions.inquiries() == []
        workspace.contacts.undo()
        assert [inquiry.contact_id for inquiry in workspace.interactions.inquiries()] == [1]
        assert workspace.interactions.inquiries()[0].opened_by_interaction_id == 1
    finally:
        workspace.close()


def test_the_same_form_submitted_twice_logs_once(db):
    from pathlib import Path

    from clientdesk.domain.boundaries import Channel
    from clientdesk.domain.interactions import Direction, InteractionDraft
    from clientdesk.services.workspace import Workspace

    workspace = Workspace.open(Path(db))
    try:
        draft = InteractionDraft(contact_id=1, channel=Channel.PHONE, direction=Direction.IN,
                                 at=datetime.now().astimezone() - timedelta(minutes=1), summary="Hello",
                                 needs_reply=True)
        first = workspace.interactions.log(draft, request_key="form-1")
        second = workspace.interactions.log(draft, request_key="form-1")
        assert second.interaction_id == first.interaction_id and second.repeated
        assert len(workspace.interactions.inquiries()) == 1
    finally:
        workspace.close()
