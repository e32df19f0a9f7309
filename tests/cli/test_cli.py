"""The command line is a contract: these are the forms and JSON shapes documented in README.md."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import run_cli as run


@pytest.fixture
def db(database_path):
    return str(database_path)


def test_add_prints_the_new_id_and_show_returns_the_documented_shape(capsys, db):
    code, out, _ = run(capsys, "--db", db, "contacts", "add", "Zoë Ålström", "--email", "zoe@example.com",
                       "--phone", "+44 20 7946 0958", "--org", "Acme Ltd", "--tag", "vip", "--tag", "retainer")
    assert code == 0
    contact_id = int(out.strip())
    code, out, _ = run(capsys, "--db", db, "contacts", "show", str(contact_id), "--json")
    shown = json.loads(out)
    assert set(shown) == {"id", "kind", "display_name", "given_name", "family_name", "organisation", "phones",
                          "emails", "addresses", "birthday", "tags", "notes", "referred_by", "created_at",
                          "updated_at", "stage", "lifetime_value"}
    assert (shown["stage"], shown["lifetime_value"]) == ("prospect", "0.00")
    assert shown["display_name"] == "Zoë Ålström" and shown["family_name"] == "Ålström"
    assert shown["phones"] == [{"label": "mobile", "raw": "+44 20 7946 0958", "e164": "+442079460958"}]
    assert shown["organisation"]["name"] == "Acme Ltd"
    assert shown["tags"] == ["retainer", "vip"] and shown["updated_at"].endswith("Z")


def test_find_json_lists_matching_summaries(capsys, db):
    for name in ("John Smith", "Joan Jones", "Mary Smith"):
        run(capsys, "--db", db, "contacts", "add", name)
    code, out, _ = run(capsys, "--db", db, "contacts", "find", "smi", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["display_name"] for r in rows] == ["John Smith", "Mary Smith"]
    assert set(rows[0]) == {"id", "kind", "display_name", "organisation", "phone", "email", "tags", "updated_at"}
    code, out, _ = run(capsys, "--db", db, "contacts", "find", "jo", "--limit", "1", "--json")
    assert len(json.loads(out)) == 1


def test_find_without_json_prints_a_table_or_says_nothing_matches(capsys, db):
    run(capsys, "--db", db, "contacts", "add", "John Smith", "--phone", "+44 20 7946 0958")
    assert "John Smith" in run(capsys, "--db", db, "contacts", "find", "7946 0958")[1]
    assert run(capsys, "--db", db, "contacts", "find", "nobody")[1].strip() == "No contacts match."


def test_bad_input_goes_to_stderr_with_a_non_zero_status_and_writes_nothing(capsys, db):
    code, out, err = run(capsys, "--db", db, "contacts", "add", "Ana", "--phone", "12", "--email", "nope")
    assert code == 1 and out == ""
    assert "phones[0]" in err and "emails[0]" in err
    assert json.loads(run(capsys, "--db", db, "contacts", "find", "ana", "--json")[1]) == []


def test_showing_a_missing_contact_says_so(capsys, db):
    code, _, err = run(capsys, "--db", db, "contacts", "show", "42", "--json")
    assert code == 1 and "no contact with id 42" in err


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(capsys, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"just some notes\n")
    code, _, err = run(capsys, "--db", str(path), "contacts", "find", "x")
    assert code == 1 and "not an SQLite database" in err
    assert path.read_bytes() == b"just some notes\n"


def test_demo_is_reproducible_for_a_seed(capsys, tmp_path):
    listings = []
    for name in ("a", "b"):
        db = str(tmp_path / f"{name}.sqlite3")
        code, _out, err = run(capsys, "--db", db, "demo", "--contacts", "300", "--seed", "7")
        assert code == 0 and "300/300" in err
        listings.append(run(capsys, "--db", db, "contacts", "find", "a", "--limit", "300", "--json")[1])
    first, second = (json.loads(listing) for listing in listings)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "updated_at"} for r in rows]  # noqa: E731
    assert strip(first) == strip(second) and len(first) > 20


def test_demo_data_has_accents_and_other_scripts(capsys, db):
    run(capsys, "--db", db, "demo", "--contacts", "600")
    names = " ".join(r["display_name"] for r in json.loads(
        run(capsys, "--db", db, "contacts", "find", "", "--limit", "600", "--json")[1]))
    assert any(ch in names for ch in "éèöüåłńçã")
    assert any("\u0370" <= ch <= "\u03ff" or "\u0400" <= ch <= "\u04ff" or "\u3040" <= ch <= "\u30ff" for ch in names)


def test_backup_and_restore_round_trip(capsys, db, tmp_path):
    run(capsys, "--db", db, "contacts", "add", "Ana Silva")
    backup = tmp_path / "copy.sqlite3"
    assert run(capsys, "--db", db, "backup", "--out", str(backup))[0] == 0
    run(capsys, "--db", db, "contacts", "add", "Ben Stone")
    code, out, _ = run(capsys, "--db", db, "restore", str(backup))
    assert code == 0 and "kept as" in out
    assert [r["display_name"] for r in json.loads(run(capsys, "--db", db, "contacts", "find", "", "--json")[1])] == \
        ["Ana Silva"]


def test_python_m_clientdesk_runs_the_command_line(tmp_path):
    env_db = tmp_path / "env.sqlite3"
    result = subprocess.run([sys.executable, "-m", "clientdesk", "contacts", "add", "Ana Silva", "--json"],
                            capture_output=True, text=True, env={"CLIENTDESK_DB": str(env_db), "PATH": ""},
                            check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"id": 1} and env_db.exists()
