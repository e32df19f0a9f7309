"""`import` and `export` as documented in README.md."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli as run

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Silva;Ana;;;\r\nFN:Ana Silva\r\nEMAIL:ana@example.com\r\n"
    "CATEGORIES:vip\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Jones;Ben;;;\r\nFN:Ben Jones\r\nTEL;TYPE=CELL:07911 123456\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"
)


def cards(tmp_path: Path) -> Path:
    path = tmp_path / "cards.vcf"
    path.write_text(CARDS, encoding="utf-8", newline="")
    return path


def test_import_prints_a_summary_and_the_rejected_records_on_stderr(capsys, database_path, tmp_path):
    code, out, err = run(capsys, "--db", str(database_path), "import", str(cards(tmp_path)))
    assert code == 0
    assert out.strip() == "Imported 2, merged 0, skipped 0, rejected 1 from cards.vcf (vCard, utf-8)."
    assert f"{tmp_path / 'cards.vcf'}:14: rejected:" in err


def test_import_json_and_dry_run(capsys, database_path, tmp_path):
    db = str(database_path)
    code, out, _err = run(capsys, "--db", db, "import", str(cards(tmp_path)), "--dry-run", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["dry_run"] is True
    assert {k: summary[k] for k in ("format", "imported", "merged", "skipped", "rejected")} == {
        "format": "vcard", "imported": 2, "merged": 0, "skipped": 0, "rejected": 1}
    assert summary["rejects"][0]["line"] == 14 and summary["rejects"][0]["reason"]
    assert json.loads(run(capsys, "--db", db, "contacts", "find", "Silva", "--json")[1]) == []


def test_import_on_duplicate_modes(capsys, database_path, tmp_path):
    db = str(database_path)
    path = str(cards(tmp_path))
    run(capsys, "--db", db, "contacts", "add", "Ana Silva", "--email", "ana@example.com")
    skipped = json.loads(run(capsys, "--db", db, "import", path, "--on-duplicate", "skip", "--json")[1])
    assert (skipped["imported"], skipped["skipped"]) == (1, 1)
    assert skipped["duplicates"][0] == {"line": 1, "name": "Ana Silva", "existing_id": 1, "existing": "Ana Silva",
                                        "reasons": skipped["duplicates"][0]["reasons"], "action": "skip"}
    kept = json.loads(run(capsys, "--db", db, "import", path, "--on-duplicate", "keep", "--json")[1])
    assert kept["imported"] >= 1
    merged = json.loads(run(capsys, "--db", db, "import", path, "--json")[1])
    assert merged["imported"] == 0


def test_export_writes_the_chosen_contacts(capsys, database_path, tmp_path):
    db = str(database_path)
    run(capsys, "--db", db, "import", str(cards(tmp_path)))
    out_file = tmp_path / "out.csv"
    code, out, _err = run(capsys, "--db", db, "export", "csv", "--out", str(out_file), "--tag", "vip")
    assert code == 0 and out.strip() == f"Exported 1 contact to {out_file}"
    assert "Ana" in out_file.read_text(encoding="utf-8") and "Ben" not in out_file.read_text(encoding="utf-8")
    code, out, _err = run(capsys, "--db", db, "export", "vcard", "--out", str(tmp_path / "all.vcf"))
    assert out.strip().startswith("Exported 2 contacts")
    code, out, _err = run(capsys, "--db", db, "export", "vcard", "--out", str(tmp_path / "q.vcf"), "--query", "Jones")
    assert out.strip().startswith("Exported 1 contact ")


def test_an_unreadable_file_is_a_clear_error(capsys, database_path, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "--db", str(database_path), "import", str(empty))
    assert code == 1 and out == "" and "empty" in err
    code, _out, err = run(capsys, "--db", str(database_path), "import", str(tmp_path / "missing.vcf"))
    assert code == 1 and "missing.vcf" in err
