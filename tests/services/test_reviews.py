"""The review service: what a review prints is what the database holds (read back from the PDF with pypdf),
a client without history gets a sensible review, a saved review is recorded with its file's hash and shows
on the timeline, the plan reviews due in a month, and batches (one file each or combined) that can be
cancelled without leaving half a file."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from clientdesk.domain.boundaries import Channel, ClientBoundaries
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.review import ReviewPeriod
from clientdesk.domain.services_catalogue import AgreementDraft, Decision, OutOfScopeDraft, PurchaseDraft, ServiceDraft
from clientdesk.domain.timeline import EntryKind
from clientdesk.reports import ReportNotWritten
from clientdesk.reports.files import PART_SUFFIX
from clientdesk.reports.review_document import NO_AGREEMENT, NO_INTERACTIONS, NO_REVENUE, NO_SERVICES
from clientdesk.services.reviews import ReviewOptions, ReviewService, month_of
from tests.helpers import person
from tests.reports.pdfs import Pdf

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)  # 20 June 2026, 13:00 in London
PERIOD = ReviewPeriod(date(2025, 7, 1), date(2026, 6, 20))
HOSTILE = 'Thanks & <b>welcome</b> <img src="http://example.com/x.png"/> — Zoë'


@pytest.fixture
def reviews(workspace) -> ReviewService:
    return ReviewService(workspace.database, workspace.business, lambda: NOW)


def add_client(workspace, given="Zoë", family="Łukasz") -> int:
    return workspace.contacts.create(person(given, family)).contact_id


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def log(workspace, contact_id: int, when: datetime, channel=Channel.EMAIL, direction=Direction.IN, **fields):
    return workspace.interactions.log(InteractionDraft(contact_id=contact_id, channel=channel, direction=direction,
                                                       at=when, summary="x", **fields))


@pytest.fixture
def busy(workspace):
    """A client with a year of history in every section; returns its id."""
    purchases = workspace.purchases
    for name in ("Bookkeeping", "Payroll", "Year-end accounts"):
        purchases.add_service(ServiceDraft(name))
    client = add_client(workspace)
    purchases.add_agreement(AgreementDraft(contact_id=client, starts_on=date(2024, 3, 1), renews_on=date(2027, 3, 1),
                                           fee=Decimal("450"), review_every_months=6,
                                           service_names=("Bookkeeping", "Payroll")))
    for on, amount, service in [
        (date(2024, 5, 1), "450.00", "Bookkeeping"),  # before the period: lifetime value only
        (date(2025, 7, 3), "450.00", "Bookkeeping"), (date(2025, 9, 30), "1200.00", "Year-end accounts"),
        (date(2026, 1, 5), "450.00", "Bookkeeping"), (date(2026, 3, 15), "180.00", "Payroll"),
        (date(2026, 3, 16), "-180.00", "Payroll"), (date(2026, 5, 19), "75.50", None),
    ]:
        purchases.add_purchase(PurchaseDraft(client, on, Decimal(amount), service_name=service))
    purchases.record_out_of_scope(OutOfScopeDraft(client, at(date(2025, 9, 12)), "A cash-flow forecast for the bank",
                                                  Decision.ACCEPTED, Decimal("350")))
    purchases.record_out_of_scope(OutOfScopeDraft(client, at(date(2024, 9, 12)), "Outside the period",
                                                  Decision.ACCEPTED, Decimal("999")))
    # Three inquiries: answered in 3 hours, answered in 30 hours (past the 24-hour target, within the 48-hour
    # limit), and one still open (received yesterday: not yet decided, but a follow-up).
    quick = log(workspace, client, at(date(2026, 2, 2)), needs_reply=True).opened
    log(workspace, client, at(date(2026, 2, 2), 13), direction=Direction.OUT, answers_inquiry_id=quick.id)
    slow = log(workspace, client, at(date(2026, 3, 2)), channel=Channel.PHONE, needs_reply=True).opened
    log(workspace, client, at(date(2026, 3, 3), 16), channel=Channel.PHONE, direction=Direction.OUT,
        answers_inquiry_id=slow.id)
    log(workspace, client, at(date(2026, 6, 19)), needs_reply=True)
    log(workspace, client, at(date(2024, 2, 5)))  # before the period
    workspace.boundaries.save(client, ClientBoundaries.from_json(
        {"channels": {"sms": "never", "email": "any_time"}, "urgent_channels": ["phone"]}))
    return client


def database_sum(workspace, client: int, first: date, last: date) -> Decimal:
    connection = sqlite3.connect(workspace.path)
    try:
        (total,) = connection.execute('SELECT sum(amount_minor) FROM purchase WHERE contact_id = ? AND "on" BETWEEN ? '
                                      "AND ?", (client, first.isoformat(), last.isoformat())).fetchone()
    finally:
        connection.close()
    return Decimal(total).scaleb(-2)


def database_count(workspace, client: int, period: ReviewPeriod) -> int:
    """Interactions in the period's days in London (the business's zone), straight from the table."""
    connection = sqlite3.connect(workspace.path)
    try:
        return connection.execute("SELECT count(*) FROM interaction WHERE contact_id = ? AND at >= ? AND at < ?",
                                  (client, "2025-06-30 23:00", "2026-06-20 23:00")).fetchone()[0]
    finally:
        connection.close()


def test_the_figures_printed_match_the_database(workspace, reviews, busy):
    pdf = Pdf(reviews.render(busy, PERIOD, ReviewOptions(notes=HOSTILE, prepared_by="Sam Taylor")))
    text = pdf.text
    in_period = database_sum(workspace, busy, PERIOD.first, PERIOD.last)
    assert in_period == Decimal("2175.50")
    assert f"GBP {in_period:,.2f}" in text  # revenue in the period, on the cover and in the facts
    lifetime = database_sum(workspace, busy, date(2000, 1, 1), NOW.date())
    assert f"Lifetime value GBP {lifetime:,.2f}" in text
    assert "Client since 1 March 2024 (2 years)" in text  # the agreement began before the first purchase
    assert "Stage Regular client" in text
    # The services: covered ones first, then the extras; the refund lowers Payroll's amount without a use.
    assert "Bookkeeping Included 2 GBP 900.00" in text
    assert "Payroll Included 1 GBP 0.00" in text
    assert "Year-end accounts Extra 1 GBP 1,200.00" in text
    assert "Other purchases Extra 1 GBP 75.50" in text
    assert "A cash-flow forecast for the bank Accepted GBP 350.00" in text and "Outside the period" not in text
    # Keeping in touch: five interactions in the period (the one in 2024 is not), two replies counted.
    assert database_count(workspace, busy, PERIOD) == 5
    assert "Phone 1 1 2 Email 2 1 3 Total 3 2 5" in text
    assert "2 of your messages needed a reply" in text
    assert "50% answered within our target of 24 hours (1 of 2)" in text
    assert "100% answered within our limit of 48 hours (2 of 2)" in text
    assert "16.5 hours median time to answer" in text
    # What comes next: the next plan review six months after this one, the renewal, the open inquiry.
    assert "20 December 2026 Plan review" in text
    assert "1 March 2027 Agreement renews (Bookkeeping, Payroll)" in text
    assert "20 June 2026 Our answer to your message of 19 June 2026" in text
    # Boundaries restated; the notes printed exactly as typed, signed.
    assert "As agreed, we do not contact you by text message." in text
    assert "For urgent matters we may reach you by phone at any time." in text
    assert "From Sam Taylor" in text and HOSTILE in text
    assert "Zoë Łukasz" in pdf.pages[0]
    assert pdf.reader.metadata.title == "Client review — Zoë Łukasz"


def test_a_client_with_no_history_gets_a_sensible_review(workspace, reviews):
    client = add_client(workspace, "Дмитрий", "Новиков")
    data = reviews.gather(client)
    assert data.period == ReviewPeriod(date(2025, 7, 1), date(2026, 6, 20))  # the default: the last 12 months
    assert (data.lifetime_value, data.stage, data.client_since, data.follow_ups) == (None, None, None, ())
    pdf = Pdf(reviews.render(client))
    for line in (NO_REVENUE, NO_AGREEMENT, NO_SERVICES, NO_INTERACTIONS, "Lifetime value (no purchases yet)",
                 "Дмитрий Новиков", "Test Ltd"):
        assert line in pdf.text
    assert pdf.pages[-1].endswith(f"Page {len(pdf.pages)} of {len(pdf.pages)}")


def test_an_unnamed_business_is_named_as_something_to_set(workspace, reviews):
    from dataclasses import replace

    workspace.business.save(replace(workspace.business.profile(), name=""))
    pages = Pdf(reviews.render(add_client(workspace))).pages
    assert "Your business name (Settings → Business)" in pages[0]  # the cover: what to set
    assert "hand this page back to us." in " ".join(pages[-1].split())  # addressed to the client: left out
    assert "send it to" not in pages[-1]


def test_producing_records_the_review_with_its_hash_and_puts_it_on_the_timeline(workspace, reviews, busy, tmp_path):
    before = workspace.timeline.count(busy)
    target = tmp_path / "review.pdf"
    produced = reviews.produce(busy, PERIOD, target, ReviewOptions(notes="For the file"))
    data = target.read_bytes()
    record = produced.record
    assert (produced.path, produced.size) == (target, len(data))
    assert record.sha256 == hashlib.sha256(data).hexdigest() and record.short_hash == record.sha256[:12]
    assert (record.contact_id, record.period, record.produced_at, record.notes) == (busy, PERIOD, NOW, "For the file")
    assert record.file_name == str(target) and record.base_name == "review.pdf"
    assert reviews.recorded(busy) == [record]
    assert busy in produced.changes.contact_ids and produced.changes.reminders
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(PART_SUFFIX)]

    assert workspace.timeline.count(busy) == before + 1
    newest = workspace.timeline.block(busy, 0, 1)[0]  # produced after every interaction
    assert (newest.kind, newest.review, newest.at) == (EntryKind.REVIEW, record, NOW)
    assert newest.summary == "Client review, 1 July 2025 to 20 June 2026" and newest.outcome == "review.pdf"


def test_the_timeline_merges_reviews_with_interactions_in_time_order(workspace, busy, tmp_path):
    def service(moment):
        return ReviewService(workspace.database, workspace.business, lambda: moment)

    service(at(date(2026, 2, 2), 12)).produce(busy, PERIOD, tmp_path / "a.pdf")  # between two interactions
    entries = workspace.timeline.block(busy, 0, 100)
    kinds = [(entry.kind, entry.at) for entry in entries]
    assert kinds == sorted(kinds, key=lambda pair: pair[1], reverse=True)
    position = [entry.kind for entry in entries].index(EntryKind.REVIEW)
    assert entries[position - 1].at == at(date(2026, 2, 2), 13) and entries[position + 1].at == at(date(2026, 2, 2))
    assert workspace.timeline.block(busy, position, 1)[0].kind is EntryKind.REVIEW  # paging finds it too


def test_a_review_that_cannot_be_saved_is_not_recorded(workspace, reviews, busy, tmp_path):
    with pytest.raises(ReportNotWritten):
        reviews.produce(busy, PERIOD, tmp_path / "missing folder" / "review.pdf")
    assert reviews.recorded(busy) == []


# --- plan reviews due -------------------------------------------------------------------------------------

def agreement(workspace, client: int, starts: date, every: int | None, ends: date | None = None) -> None:
    workspace.purchases.add_agreement(AgreementDraft(contact_id=client, starts_on=starts, ends_on=ends,
                                                     review_every_months=every, service_names=("Cleaning",)),
                                      add_missing_services=True)


def test_the_reviews_due_in_a_month_follow_the_plan_review_rule(workspace, reviews, tmp_path):
    due_in_july, overdue, no_frequency, ended = (add_client(workspace, name, "") for name in ("Ana", "Ben", "Cy", "Di"))
    agreement(workspace, due_in_july, date(2026, 1, 10), 6)  # first review 10 July 2026
    agreement(workspace, overdue, date(2025, 1, 5), 3)  # first review 5 April 2025, never made
    agreement(workspace, no_frequency, date(2025, 1, 5), None)
    agreement(workspace, ended, date(2026, 1, 10), 6, ends=date(2026, 6, 30))  # ends before its review
    july = month_of("2026-07")
    assert [(item.contact_name, item.due_on) for item in reviews.reviews_due(july)] == [("Ana", date(2026, 7, 10))]
    assert [item.contact_name for item in reviews.reviews_due(july, overdue=True)] == ["Ana", "Ben"]
    assert reviews.reviews_due(month_of("2026-08")) == []
    due = reviews.reviews_due(july)[0]
    assert (due.services, due.last_review_on, due.description) == (("Cleaning",), None, "Cleaning")

    # A review recorded is the plan review done: the next falls six months after it.
    reviews.produce(due_in_july, None, tmp_path / "ana.pdf")
    assert [item.contact_name for item in reviews.reviews_due(july, overdue=True)] == ["Ben"]
    assert [(item.contact_name, item.due_on, item.last_review_on)
            for item in reviews.reviews_due(month_of("2026-12"))] == [("Ana", date(2026, 12, 20), date(2026, 6, 20))]


def test_a_month_is_given_as_year_and_month():
    assert month_of(" 2026-07 ") == date(2026, 7, 1)
    with pytest.raises(Exception, match="YYYY-MM"):
        month_of("July")


# --- batches ----------------------------------------------------------------------------------------------

@pytest.fixture
def clients(workspace) -> list[int]:
    ids = [add_client(workspace, name, "Example") for name in ("Ana", "Ben", "Cy", "Di", "Eve")]
    for client in ids:
        workspace.purchases.add_purchase(PurchaseDraft(client, date(2026, 3, 1), Decimal("100")))
    return ids


def test_a_batch_writes_one_file_per_client_and_records_each(workspace, reviews, clients, tmp_path):
    steps = []
    result = reviews.produce_many(clients, PERIOD, tmp_path / "out", progress=lambda done, total: steps.append(done))
    assert steps == [1, 2, 3, 4, 5] and not result.cancelled and result.produced == 5
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == sorted(path.name for path in result.files)
    assert names[0] == "Review - Ana Example - 2025-07 to 2026-06.pdf"
    for path, record in zip(result.files, result.recorded, strict=True):
        assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert Pdf(path.read_bytes()).pages[0].count("Example") >= 1
    assert result.changes.contact_ids == frozenset(clients)


def test_cancelling_a_batch_keeps_the_finished_files_and_leaves_no_partial_one(workspace, reviews, clients, tmp_path):
    done = []
    asked = []

    def cancelled() -> bool:  # Cancel pressed while the third review is being made
        asked.append(len(done))
        return len(done) >= 2 and asked.count(2) >= 2

    result = reviews.produce_many(clients, PERIOD, tmp_path / "out", progress=lambda count, _total: done.append(count),
                                  cancelled=cancelled)
    assert result.cancelled and result.produced == 2 and len(result.files) == 2
    assert sorted((tmp_path / "out").iterdir()) == sorted(result.files)  # no third file, whole or partial
    assert [review.contact_id for review in result.recorded] == clients[:2]
    assert [len(reviews.recorded(client)) for client in clients] == [1, 1, 0, 0, 0]
    for path in result.files:
        assert len(Pdf(path.read_bytes()).pages) >= 3  # complete PDFs


def test_a_combined_batch_is_one_file_recorded_for_every_client(workspace, reviews, clients, tmp_path):
    result = reviews.produce_many(clients, PERIOD, tmp_path, combined=True)
    (path,) = result.files
    pdf = Pdf(path.read_bytes())
    assert [entry for entry in pdf.outline_titles() if isinstance(entry, str)] == [
        f"{name} Example" for name in ("Ana", "Ben", "Cy", "Di", "Eve")]
    assert pdf.reader.metadata.subject == "5 client reviews, 1 July 2025 to 20 June 2026"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert {(review.file_name, review.sha256) for review in result.recorded} == {(str(path), digest)}
    assert sorted(review.contact_id for review in result.recorded) == sorted(clients)


def test_cancelling_a_combined_batch_writes_and_records_nothing(workspace, reviews, clients, tmp_path):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    result = reviews.produce_many(clients, PERIOD, tmp_path / "out", combined=True, cancelled=cancelled)
    assert result.cancelled and result.files == () and result.recorded == ()
    assert list((tmp_path / "out").iterdir()) == []
    assert all(reviews.recorded(client) == [] for client in clients)


def test_two_clients_with_the_same_name_get_two_files(workspace, reviews, tmp_path):
    twins = [add_client(workspace, "Sam", "Lee") for _ in range(2)]
    result = reviews.produce_many(twins, PERIOD, tmp_path)
    assert len({path.name for path in result.files}) == 2
    assert result.files[1].name == f"Review - Sam Lee - 2025-07 to 2026-06 - id {twins[1]}.pdf"


def test_a_period_of_one_day_a_decade_ago_still_renders(workspace, reviews, busy):
    day = NOW.date() - timedelta(days=3650)
    assert "No purchases in this period." in Pdf(reviews.render(busy, ReviewPeriod(day, day))).text
