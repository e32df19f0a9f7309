"""`business`, `boundaries` and `reply-by` as documented in README.md, with their error cases."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli as run

BUSINESS = {
    "name": "Harbour Plumbing", "country": "GB", "subdivision": "ENG", "timezone": "Europe/London",
    "hours": {"mon": [["09:00", "12:30"], ["13:30", "17:00"]], "tue": [["09:00", "17:00"]],
              "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]],
              "sat": [], "sun": []},
    "closures": [{"start": "2026-12-24", "end": "2026-12-26", "reason": "Winter break"}],
    "public_holidays": True,
    "reply": {"target_hours": 24, "limit_hours": 48, "clock": "business_hours"},
}
RULES = {"channels": {"phone": "business_hours", "sms": "never", "email": "any_time", "video": "client_window"},
         "urgent_channels": ["phone"],
         "client_window": {"timezone": "Europe/Berlin", "hours": {"mon": [["10:00", "16:00"]]}},
         "do_not_contact_until": "2027-01-15", "notes": "Prefers email; phone only if the boiler fails"}


@pytest.fixture
def db(database_path, tmp_path, capsys):
    business = tmp_path / "business.json"
    business.write_text(json.dumps(BUSINESS))
    assert run(capsys, "--db", str(database_path), "business", "set", str(business))[0] == 0
    assert run(capsys, "--db", str(database_path), "contacts", "add", "Zoë Ålström", "--email", "zoe@example.com")[0] == 0
    return str(database_path)


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_business_show_returns_what_was_set(capsys, db):
    shown = json.loads(run(capsys, "--db", db, "business", "show", "--json")[1])
    for key, value in BUSINESS.items():
        if key == "reply":  # keys left out keep their defaults, the acknowledgement text among them
            assert shown[key] == {**value, "acknowledgement": shown[key]["acknowledgement"],
                                  "out_of_scope": shown[key]["out_of_scope"]}
            assert "{target}" in shown[key]["acknowledgement"] and "{offer}" in shown[key]["out_of_scope"]
        else:
            assert shown[key] == value
    assert shown["hours"]["sat"] == []


def test_business_set_keeps_keys_left_out(capsys, db, tmp_path):
    assert run(capsys, "--db", db, "business", "set", write(tmp_path, "name.json", {"name": "Harbour Heating"}))[0] == 0
    shown = json.loads(run(capsys, "--db", db, "business", "show", "--json")[1])
    assert shown["name"] == "Harbour Heating" and shown["hours"]["mon"] == BUSINESS["hours"]["mon"]


@pytest.mark.parametrize("bad,words", [
    ({"hours": {"mon": [["09:00", "25:00"]]}}, "25:00"),
    ({"hours": {"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}}, "overlap"),
    ({"hours": {"mon": [["09:00", "09:00"]]}}, "hours.mon"),
    ({"timezone": "Mars/Olympus"}, "Mars/Olympus"),
    ({"country": "XX", "public_holidays": True}, "XX"),
    ({"reply": {"clock": "sundial"}}, "sundial"),
    ({"colour": "blue"}, "colour"),
])
def test_business_set_refuses_bad_values_and_changes_nothing(capsys, db, tmp_path, bad, words):
    before = run(capsys, "--db", db, "business", "show", "--json")[1]
    code, out, err = run(capsys, "--db", db, "business", "set", write(tmp_path, "bad.json", bad))
    assert code == 1 and words in err and out == ""
    assert run(capsys, "--db", db, "business", "show", "--json")[1] == before


def test_malformed_json_is_reported_with_its_line_and_column(capsys, db, tmp_path):
    code, _, err = run(capsys, "--db", db, "business", "set", write(tmp_path, "broken.json", '{\n  "name": "x",\n}'))
    assert code == 1 and "line 3, column 1" in err


def test_boundaries_set_show_and_check(capsys, db, tmp_path):
    assert run(capsys, "--db", db, "boundaries", "zoe@example.com", "set", write(tmp_path, "r.json", RULES))[0] == 0
    shown = json.loads(run(capsys, "--db", db, "boundaries", "Zoë Ålström", "show", "--json")[1])
    assert shown["channels"]["sms"] == "never" and shown["channels"]["in_person"] == "business_hours"
    assert shown["urgent_channels"] == ["phone"] and shown["do_not_contact_until"] == "2027-01-15"
    # Before the do-not-contact date: not allowed, with the date as the reason.
    code, out, _ = run(capsys, "--db", db, "boundaries", "1", "check", "--channel", "email",
                       "--at", "2027-01-10T10:00", "--json")
    result = json.loads(out)
    assert code == 0 and result["allowed"] is False and result["next_allowed"].startswith("2027-01-15T00:00:00")
    assert set(result) == {"allowed", "reasons", "next_allowed"}
    # An urgent phone call is allowed at any time.
    urgent = json.loads(run(capsys, "--db", db, "boundaries", "1", "check", "--channel", "phone",
                            "--at", "2027-01-10T23:00", "--urgent", "--json")[1])
    assert urgent["allowed"] is True
    # Texting is never allowed: no next time.
    never = json.loads(run(capsys, "--db", db, "boundaries", "1", "check", "--channel", "sms",
                           "--at", "2027-02-01T10:00", "--json")[1])
    assert never == {"allowed": False, "reasons": never["reasons"], "next_allowed": None}
    # Phone after the date, on a Saturday: next opening is Monday 09:00, with the London offset.
    weekend = json.loads(run(capsys, "--db", db, "boundaries", "1", "check", "--channel", "phone",
                             "--at", "2027-01-16T10:00", "--json")[1])
    assert weekend["allowed"] is False and weekend["next_allowed"] == "2027-01-18T09:00:00+00:00"


@pytest.mark.parametrize("bad,words", [
    ({"channels": {"pigeon": "any_time"}}, "pigeon"),
    ({"channels": {"phone": "sometimes"}}, "sometimes"),
    ({"channels": {"video": "client_window"}}, "client's hours are not given"),
    ({"client_window": {"timezone": "Nowhere/Land", "hours": {}}}, "Nowhere/Land"),
])
def test_boundaries_set_refuses_bad_rules(capsys, db, tmp_path, bad, words):
    code, _, err = run(capsys, "--db", db, "boundaries", "1", "set", write(tmp_path, "bad.json", bad))
    assert code == 1 and words in err
    assert json.loads(run(capsys, "--db", db, "boundaries", "1", "show", "--json")[1])["channels"]["phone"] == \
        "business_hours"


def test_a_name_that_fits_several_contacts_lists_them(capsys, db):
    run(capsys, "--db", db, "contacts", "add", "Zoë Smith")
    code, _, err = run(capsys, "--db", db, "boundaries", "zoe", "show")
    assert code == 1 and "matches 2 contacts" in err and "Zoë Smith" in err
    code, _, err = run(capsys, "--db", db, "boundaries", "nobody-here", "show")
    assert code == 1 and "No contact matches" in err


def test_check_refuses_an_unknown_channel_and_a_bad_time(capsys, db):
    assert "not a channel" in run(capsys, "--db", db, "boundaries", "1", "check", "--channel", "fax")[2]
    assert "ISO" in run(capsys, "--db", db, "boundaries", "1", "check", "--channel", "email", "--at", "soon")[2]


def test_reply_by_counts_business_hours(capsys, db):
    code, out, _ = run(capsys, "--db", db, "reply-by", "--received", "2026-11-20T16:00", "--json")
    result = json.loads(out)
    assert code == 0 and result["clock"] == "business_hours"
    assert result["received"] == "2026-11-20T16:00:00+00:00"
    # Friday 16:00 with Mon 7 h, Tue-Thu 8 h a day: 1 h on Friday, 7 on Monday, 8 on Tuesday, 8 on Wednesday.
    assert result["target"] == "2026-11-25T17:00:00+00:00"
