"""`remind`, `cadence`, `reminders`, `agenda` and `export ics` as the README documents them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from clientdesk.interchange.icalendar_writer import read_events
from tests.helpers import run_cli

KINDS = {"follow_up", "recurring", "cadence", "birthday", "holiday", "thank_you", "plan_review", "reply_by"}


def _db(tmp_path, capsys) -> str:
    db = str(tmp_path / "cli.sqlite3")
    assert run_cli(capsys, "--db", db, "contacts", "add", "Ana Silva", "--tag", "vip")[0] == 0
    return db


def test_remind_then_agenda_lists_it_in_the_documented_shape(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    due = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    code, out, _ = run_cli(capsys, "--db", db, "remind", "Ana Silva", "--on", due.isoformat(), "--title",
                           "Call back about the quote", "--channel", "phone", "--json")
    assert code == 0
    added = json.loads(out)
    assert added["id"] == f"reminder:{added['reminder']}" and added["contact"] == {"id": 1, "name": "Ana Silva"}
    code, out, _ = run_cli(capsys, "--db", db, "agenda", "--days", "7", "--json")
    assert code == 0
    [item] = json.loads(out)
    assert set(item) == {"id", "kind", "contact", "title", "due", "suggested", "channel", "overdue"}
    assert (item["id"], item["kind"], item["channel"], item["overdue"]) == (added["id"], "follow_up", "phone", False)
    assert datetime.fromisoformat(item["due"]) == due


def test_a_repeating_reminder_in_plain_words_and_its_occurrences(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    code, out, _ = run_cli(capsys, "--db", db, "remind", "1", "--on", "2026-01-05T09:00", "--title", "Weekly check",
                           "--rrule", "every week on Monday", "--json")
    assert code == 0 and json.loads(out)["rrule"] == "FREQ=WEEKLY;BYDAY=MO"
    code, out, _ = run_cli(capsys, "--db", db, "agenda", "--on", "2026-01-05", "--days", "13", "--json")
    items = json.loads(out)
    assert [item["kind"] for item in items] == ["recurring"] * 2
    assert [item["due"][:10] for item in items] == ["2026-01-05", "2026-01-12"]
    assert items == sorted(items, key=lambda item: item["due"])


def test_done_snooze_and_skip_by_id(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    ids = []
    for title in ("One", "Two", "Three"):
        _, out, _ = run_cli(capsys, "--db", db, "remind", "1", "--on",
                            (datetime.now(UTC) - timedelta(hours=1)).isoformat(), "--title", title, "--json")
        ids.append(json.loads(out)["id"])
    assert run_cli(capsys, "--db", db, "reminders", "done", ids[0])[0] == 0
    assert run_cli(capsys, "--db", db, "reminders", "skip", ids[1])[0] == 0
    code, out, _ = run_cli(capsys, "--db", db, "reminders", "snooze", ids[2], "--for", "next_week", "--json")
    assert code == 0 and json.loads(out)[0]["state"] == "snoozed"
    _, out, _ = run_cli(capsys, "--db", db, "agenda", "--days", "0", "--json")
    assert json.loads(out) == []
    _, out, _ = run_cli(capsys, "--db", db, "agenda", "--days", "8", "--json")
    assert [item["id"] for item in json.loads(out)] == [ids[2]]


def test_cadence_for_a_contact_and_a_tag_and_bad_input(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    code, out, _ = run_cli(capsys, "--db", db, "cadence", "Ana Silva", "--every", "1", "--json")
    assert code == 0 and json.loads(out)["every_days"] == 1
    assert run_cli(capsys, "--db", db, "cadence", "--tag", "vip", "--every", "90")[0] == 0
    _, out, _ = run_cli(capsys, "--db", db, "agenda", "--days", "2", "--json")
    kinds = {item["kind"] for item in json.loads(out)}
    assert kinds == {"cadence"} and kinds <= KINDS
    code, _, err = run_cli(capsys, "--db", db, "cadence", "1", "--tag", "vip", "--every", "9")
    assert code == 1 and "not both" in err
    code, _, err = run_cli(capsys, "--db", db, "reminders", "done", "nonsense:1")
    assert code == 1 and "not an agenda item id" in err


def test_export_ics_writes_every_reminder(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    run_cli(capsys, "--db", db, "remind", "1", "--on", "2030-03-01T10:00", "--title", "Far away")
    out_file = tmp_path / "reminders.ics"
    code, out, _ = run_cli(capsys, "--db", db, "export", "ics", "--out", str(out_file))
    assert code == 0 and "Exported 1 reminder" in out
    [event] = read_events(out_file.read_bytes())
    assert event.summary == "Far away" and event.uid == "reminder-1@clientdesk"
