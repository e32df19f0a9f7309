"""Importing contacts: counts, duplicates in all three modes, dry runs, undo, cancel, bad records."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientdesk.domain.contacts import ContactKind
from clientdesk.interchange.records import ColumnMapping, Field, SourceFormat
from clientdesk.services import imports
from clientdesk.services.imports import DuplicateAction, ImportCancelled, ImportOptions
from tests.helpers import person

CARDS = """BEGIN:VCARD
VERSION:3.0
N:Silva;Ana;;;
FN:Ana Silva
ORG:Acme Ltd
TEL;TYPE=CELL:07911 123456
EMAIL;TYPE=INTERNET,WORK:ana@acme.example
CATEGORIES:vip,referral
NOTE:Prefers mornings
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Jones;Ben;;;
FN:Ben Jones
ORG:Acme Ltd
TEL;TYPE=WORK:020 7946 0958
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Okafor;Chidi;;;
FN:Chidi Okafor
EMAIL:chidi@example.org
END:VCARD
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def everyone(workspace) -> dict[str, object]:
    ids = workspace.contacts.ordered_ids()
    return {contact.display_name: contact for contact in (workspace.contacts.get(i) for i in ids)}


def test_a_vcard_file_is_imported_with_its_organisation_tags_and_notes(workspace, tmp_path):
    summary = workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    assert (summary.imported, summary.merged, summary.skipped, summary.rejected) == (3, 0, 0, 0)
    assert summary.format is SourceFormat.VCARD
    contacts = everyone(workspace)
    assert set(contacts) == {"Ana Silva", "Ben Jones", "Chidi Okafor", "Acme Ltd"}
    acme = contacts["Acme Ltd"]
    assert acme.fields.kind is ContactKind.ORGANISATION and acme.member_count == 2
    ana = contacts["Ana Silva"].fields
    assert ana.organisation_id == acme.id
    assert [p.e164 for p in ana.phones] == ["+447911123456"] and ana.phones[0].raw == "07911 123456"
    assert set(ana.tags) == {"vip", "referral"} and ana.notes == "Prefers mornings"
    assert summary.changes.contacts


def test_importing_the_same_file_again_changes_nothing(workspace, tmp_path):
    path = write(tmp_path, "cards.vcf", CARDS)
    workspace.imports.run(path)
    before = {name: (c.fields, c.updated_at) for name, c in everyone(workspace).items()}
    again = workspace.imports.run(path)
    assert (again.imported, again.merged, again.skipped) == (0, 0, 3)
    assert {name: (c.fields, c.updated_at) for name, c in everyone(workspace).items()} == before


def _existing_ana(workspace) -> int:
    return workspace.contacts.create(person("Ana", "Silva", emails=(("work", "ANA@acme.example"),),
                                            tags=("old",))).contact_id


def test_a_duplicate_is_merged_field_by_field_by_default(workspace, tmp_path):
    ana = _existing_ana(workspace)
    summary = workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    assert (summary.imported, summary.merged) == (2, 1)
    [found] = summary.duplicates
    assert (found.line, found.existing_id, found.action) == (1, ana, DuplicateAction.MERGE)
    assert "email" in found.reasons
    merged = workspace.contacts.get(ana).fields
    assert [e.address for e in merged.emails] == ["ANA@acme.example"]  # nothing dropped, nothing doubled
    assert [p.e164 for p in merged.phones] == ["+447911123456"]
    assert set(merged.tags) == {"old", "vip", "referral"} and merged.notes == "Prefers mornings"


def test_a_duplicate_can_be_skipped(workspace, tmp_path):
    ana = _existing_ana(workspace)
    before = workspace.contacts.get(ana)
    summary = workspace.imports.run(write(tmp_path, "cards.vcf", CARDS),
                                    ImportOptions(on_duplicate=DuplicateAction.SKIP))
    assert (summary.imported, summary.merged, summary.skipped) == (2, 0, 1)
    assert workspace.contacts.get(ana) == before
    assert list(everyone(workspace)).count("Ana Silva") == 1


def test_a_duplicate_can_be_kept_as_a_second_contact(workspace, tmp_path):
    _existing_ana(workspace)
    summary = workspace.imports.run(write(tmp_path, "cards.vcf", CARDS),
                                    ImportOptions(on_duplicate=DuplicateAction.KEEP))
    assert (summary.imported, summary.merged, summary.skipped) == (3, 0, 0)
    names = [workspace.contacts.get(i).display_name for i in workspace.contacts.ordered_ids()]
    assert names.count("Ana Silva") == 2


def test_a_choice_for_one_line_overrides_the_general_one(workspace, tmp_path):
    _existing_ana(workspace)
    options = ImportOptions(on_duplicate=DuplicateAction.MERGE, decisions={1: DuplicateAction.KEEP})
    summary = workspace.imports.run(write(tmp_path, "cards.vcf", CARDS), options)
    assert (summary.imported, summary.merged) == (3, 0)


def test_records_repeated_within_one_file_become_one_contact(workspace, tmp_path):
    text = CARDS + "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Silva\nEMAIL:ana@acme.example\nNOTE:Owns a dog\nEND:VCARD\n"
    summary = workspace.imports.run(write(tmp_path, "twice.vcf", text))
    assert (summary.imported, summary.merged) == (3, 1)
    [found] = summary.duplicates
    assert found.existing_id is None and found.line == 24  # an earlier record of the same file
    ana = everyone(workspace)["Ana Silva"].fields
    assert ana.notes == "Prefers mornings\n\nOwns a dog"


def test_a_dry_run_reports_exactly_what_the_import_does_and_writes_nothing(workspace, tmp_path):
    _existing_ana(workspace)
    path = write(tmp_path, "cards.vcf", CARDS)
    dry = workspace.imports.run(path, dry_run=True)
    assert workspace.contacts.count() == 1
    assert workspace.imports.last_import_label() is None and workspace.contacts.undo_label() != "Import “cards.vcf”"
    real = workspace.imports.run(path)
    assert (dry.imported, dry.merged, dry.skipped, dry.rejected) == (real.imported, real.merged, real.skipped,
                                                                     real.rejected)
    assert [(d.line, d.existing_id) for d in dry.duplicates] == [(d.line, d.existing_id) for d in real.duplicates]
    assert dry.dry_run and not real.dry_run


def test_undoing_an_import_removes_what_it_added_and_restores_what_it_merged(workspace, tmp_path):
    ana = _existing_ana(workspace)
    before = workspace.contacts.get(ana)
    workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    assert workspace.contacts.count() == 4
    assert workspace.imports.last_import_label() == "Import “cards.vcf”"
    workspace.imports.undo_last()
    assert workspace.contacts.count() == 1
    assert workspace.contacts.get(ana).fields == before.fields
    assert workspace.imports.last_import_label() is None
    assert workspace.contacts.find("Ltd") == []  # the organisation it created went too, from the search as well


def test_edit_undo_undoes_the_import_as_one_step(workspace, tmp_path):
    workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    assert workspace.contacts.undo_label() == "Import “cards.vcf”"
    workspace.contacts.undo()
    assert workspace.contacts.count() == 0
    with pytest.raises(Exception, match="no import to undo"):
        workspace.imports.undo_last()


def test_a_cancelled_import_leaves_the_database_as_it_was(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 1)
    existing = _existing_ana(workspace)
    before = workspace.contacts.get(existing)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2  # after two records have been written

    with pytest.raises(ImportCancelled):
        workspace.imports.run(write(tmp_path, "cards.vcf", CARDS), cancelled=cancelled)
    assert workspace.contacts.count() == 1 and workspace.contacts.get(existing) == before
    assert workspace.imports.last_import_label() is None


def test_a_crash_in_the_middle_leaves_the_database_as_it_was(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 1)
    original = imports._Run._take
    taken = []

    def failing(self, batch):
        taken.append(batch)
        if len(taken) == 3:
            raise RuntimeError("disk on fire")
        original(self, batch)

    monkeypatch.setattr(imports._Run, "_take", failing)
    with pytest.raises(RuntimeError):
        workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    assert workspace.contacts.count() == 0


CSV = """Name,Phone,Email,Company,Birthday
Ana Silva,07911 123456,ana@acme.example,Acme Ltd,12/04/1980
Ben Jones,not a phone,ben@example.org,,
Cara Lee,,not an email,,1 April
,,,,
,020 7946 0000,,,
Dev Patel,020 7946 0958,dev@example.org,,31/02/1990
"""


def test_bad_records_are_reported_with_their_line_and_the_others_kept(workspace, tmp_path):
    path = write(tmp_path, "people.csv", CSV)
    summary = workspace.imports.run(path)
    assert summary.format is SourceFormat.CSV
    assert summary.imported == 4  # Ana, Ben, Cara, Dev (and Acme Ltd, created for Ana, is not a record)
    assert [(p.line, "name" in p.reason.lower()) for p in summary.rejects] == [(6, True)]
    warned = {p.line for p in summary.warnings}
    assert {3, 4, 7} <= warned
    contacts = everyone(workspace)
    assert "As imported, not valid" in contacts["Ben Jones"].fields.notes and "not a phone" in contacts["Ben Jones"].fields.notes
    assert contacts["Ben Jones"].fields.phones == ()
    assert contacts["Ana Silva"].fields.birthday.iso() == "1980-04-12"  # day first for a British business
    assert "31/02/1990" in contacts["Dev Patel"].fields.notes and contacts["Dev Patel"].fields.birthday is None
    report = summary.rejects_report()
    assert report.startswith("people.csv: 1 rejected record(s)") and "line 6:" in report


def test_a_column_mapping_says_what_each_column_holds(workspace, tmp_path):
    path = write(tmp_path, "odd.csv", "Who;Reach;Where\nAna Silva;07911 123456;Leeds\n")
    info = workspace.imports.inspect(path)
    assert info.delimiter == ";" and info.headers == ["Who", "Reach", "Where"]
    mapping = ColumnMapping({0: Field.DISPLAY_NAME, 1: Field.MOBILE, 2: Field.CITY})
    summary = workspace.imports.run(path, ImportOptions(format=SourceFormat.CSV, mapping=mapping))
    assert summary.imported == 1
    ana = everyone(workspace)["Ana Silva"].fields
    assert ana.phones[0].e164 == "+447911123456" and ana.addresses[0].city == "Leeds"


@pytest.mark.parametrize("fmt", ["vcard", "csv"])
def test_exporting_and_importing_again_gives_back_the_same_contacts(workspace, tmp_path, fmt, database_path):
    from clientdesk.services.exports import ExportFormat
    from clientdesk.services.workspace import Workspace
    from tests.conftest import GB

    workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    workspace.contacts.create(person("Zoë", "Ünal", phones=(("home", "+1 (212) 555-0100"),),
                                     notes='=SUM(A1), "quoted"; and \\ back\nsecond line', tags=("b-tag", "a-tag")))
    exported = workspace.exports.export(ExportFormat(fmt), tmp_path / f"all.{fmt}")
    assert exported.count == 5
    other = Workspace.open(tmp_path / "other.sqlite3")
    try:
        other.business.save(GB)
        summary = other.imports.run(exported.path)
        assert summary.rejected == 0 and not summary.warnings
        assert _comparable(other) == _comparable(workspace)
    finally:
        other.close()


def _comparable(workspace) -> dict[str, tuple]:
    """Everything but ids: organisations by name."""
    contacts = everyone(workspace)
    names = {c.id: name for name, c in contacts.items()}
    return {name: (c.fields.kind, c.fields.given_name, c.fields.family_name, names.get(c.fields.organisation_id),
                   c.fields.phones, c.fields.emails, c.fields.addresses, c.fields.birthday, set(c.fields.tags),
                   c.fields.notes) for name, c in contacts.items()}


def test_export_takes_a_search_a_tag_or_a_selection(workspace, tmp_path):
    from clientdesk.services.exports import ExportFormat

    workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    vcard = ExportFormat.VCARD
    assert workspace.exports.export(vcard, tmp_path / "q.vcf", query="Okafor").count == 1
    assert workspace.exports.export(vcard, tmp_path / "t.vcf", tag="VIP").count == 1
    chosen = workspace.contacts.ordered_ids()[:2]
    assert workspace.exports.export(vcard, tmp_path / "s.vcf", ids=chosen).count == 2
    assert (tmp_path / "q.vcf").read_text(encoding="utf-8").count("BEGIN:VCARD") == 1


def test_a_cancelled_export_leaves_no_file(workspace, tmp_path):
    from clientdesk.services.exports import ExportCancelled, ExportFormat

    workspace.imports.run(write(tmp_path, "cards.vcf", CARDS))
    target = tmp_path / "out.vcf"
    with pytest.raises(ExportCancelled):
        workspace.exports.export(ExportFormat.VCARD, target, cancelled=lambda: True)
    assert list(tmp_path.glob("*out.vcf*")) == []


def test_a_close_name_at_the_same_stored_organisation_is_a_duplicate(workspace, tmp_path):
    stored = workspace.contacts.create(person("Jonathan", "Smith", emails=(("work", "jon@acme.example"),)),
                                       organisation_name="Acme Ltd").contact_id
    workspace.contacts.create(person("Jonathan", "Smith", emails=(("work", "js@other.example"),)))  # no organisation
    card = ("BEGIN:VCARD\nVERSION:3.0\nFN:Jonathon Smith\nORG:ACME Ltd\nEMAIL:smith@acme.example\nEND:VCARD\n")
    summary = workspace.imports.run(write(tmp_path, "one.vcf", card))
    [found] = summary.duplicates
    assert found.existing_id == stored and found.reasons == "similar name at the same organisation"
    assert [e.address for e in workspace.contacts.get(stored).fields.emails] == ["jon@acme.example",
                                                                                "smith@acme.example"]
