"""`review` from the command line: one client's review to a file, and the plan reviews due in a month into a
folder (one PDF each, or one combined), each file printed on its own line and recorded on the timeline."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from clientdesk.domain.review import add_months
from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft
from clientdesk.services.workspace import Workspace
from tests.helpers import person, run_cli as run
from tests.reports.pdfs import Pdf


@pytest.fixture
def db(database_path):
    """Ana (an agreement whose first plan review falls next month), Ben (one due next month too), Cy (no
    agreement), each with a purchase."""
    workspace = Workspace.open(database_path)
    try:
        today = workspace.reviews.today()
        start = add_months(today.replace(day=1), -5)  # its first plan review: the first of next month
        for name in ("Ana Silva", "Ben Jones", "Cy Young"):
            given, family = name.split()
            client = workspace.contacts.create(person(given, family)).contact_id
            workspace.purchases.add_purchase(PurchaseDraft(client, today - timedelta(days=30), Decimal("120")))
            if name != "Cy Young":
                workspace.purchases.add_agreement(AgreementDraft(contact_id=client, starts_on=start,
                                                                 review_every_months=6, service_names=("Advice",)),
                                                  add_missing_services=True)
    finally:
        workspace.close()
    return str(database_path), add_months(start, 6)


def recorded(path: str, contact_id: int) -> list:
    workspace = Workspace.open(Path(path))
    try:
        return workspace.reviews.recorded(contact_id)
    finally:
        workspace.close()


def test_one_clients_review_is_written_printed_and_recorded(capsys, db, tmp_path):
    path, _ = db
    target = tmp_path / "ana.pdf"
    code, out, err = run(capsys, "--db", path, "review", "Ana Silva", "--from", "2025-01-01", "--to", "2025-12-31",
                         "--notes", "Thank you & <b>more</b>", "--prepared-by", "Sam", "--out", str(target))
    assert (code, err) == (0, "")
    assert out.splitlines() == [str(target.absolute())]
    pdf = Pdf(target.read_bytes())
    assert "Ana Silva" in pdf.pages[0] and "1 January 2025 to 31 December 2025" in pdf.pages[0]
    assert "Thank you & <b>more</b>" in pdf.text and "From Sam" in pdf.text
    (review,) = recorded(path, 1)
    assert review.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert (review.period.first, review.period.last, review.notes) == (date(2025, 1, 1), date(2025, 12, 31),
                                                                       "Thank you & <b>more</b>")


def test_the_reviews_due_are_written_one_file_each(capsys, db, tmp_path):
    path, month = db
    out_dir = tmp_path / "reviews"
    code, out, err = run(capsys, "--db", path, "review", "--due", "--month", f"{month:%Y-%m}", "--out-dir", str(out_dir))
    assert code == 0, err
    written = out.splitlines()
    assert len(written) == 2 and sorted(written) == sorted(str(p) for p in out_dir.iterdir())
    assert "Ana Silva" in written[0] and "Ben Jones" in written[1]
    assert len(recorded(path, 1)) == len(recorded(path, 2)) == 1 and recorded(path, 3) == []

    # Recorded, they are no longer due that month.
    code, out, err = run(capsys, "--db", path, "review", "--due", "--month", f"{month:%Y-%m}", "--out-dir", str(out_dir))
    assert (code, out) == (0, "") and "No plan reviews fall in" in err


def test_the_reviews_due_can_be_one_combined_pdf(capsys, db, tmp_path):
    path, month = db
    code, out, err = run(capsys, "--db", path, "review", "--due", "--month", f"{month:%Y-%m}", "--out-dir",
                         str(tmp_path / "out"), "--combined")
    assert code == 0, err
    (written,) = out.splitlines()
    titles = [entry for entry in Pdf(open(written, "rb").read()).outline_titles() if isinstance(entry, str)]
    assert titles == ["Ana Silva", "Ben Jones"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["review", "--out", "x.pdf"], "CONTACT: Name the client"),
    (["review", "1"], "--out: Give the file to write"),
    (["review", "--due"], "--out-dir: --due needs --out-dir"),
    (["review", "1", "--due", "--out-dir", "d"], "CONTACT: Give either a CONTACT or --due"),
    (["review", "1", "--combined", "--out", "x.pdf"], "--combined: --combined goes with --due."),
    (["review", "1", "--from", "2026-02-30", "--out", "x.pdf"], "--from: “2026-02-30” is not a date"),
    (["review", "1", "--from", "2026-05-01", "--to", "2026-04-01", "--out", "x.pdf"], "--to: The period ends"),
    (["review", "--due", "--month", "July", "--out-dir", "d"], "month: “July” is not a month"),
    (["review", "Nobody Here", "--out", "x.pdf"], "Nobody Here"),
])
def test_mistakes_are_explained_and_nothing_is_written(capsys, db, tmp_path, monkeypatch, arguments, message):
    path, _ = db
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", path, *arguments)
    assert code == 1 and message in err and out == ""
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "d").exists()
