"""Client reviews: gathering what one client's review shows from the database, rendering it as a PDF, saving
it and recording it on the client's timeline; the reviews due in a month; and batches of them.

- `gather` reads one contact's review in one read transaction of about a dozen indexed queries
  (storage/reviews_repository.py) and hands `domain.review.ReviewData` to the report.
- `render` is the preview: the real PDF's bytes, nothing recorded.
- `produce` renders, stages the file beside its target, records the review (period, when, file, SHA-256 of
  the bytes) and moves the file in place inside that one write transaction: a review is recorded only if its
  file is there, and a file that could not be recorded is not left under its name. A recorded review is what
  "done" means for the plan-review reminder (domain/reminders/plan_reviews.py).
- `reviews_due(month)` lists the clients whose plan review falls in the month.
- `produce_many` makes a batch: one PDF per client, or one combined PDF, with progress and a cancel check.
  Memory stays flat: one review is gathered, rendered and written at a time (a combined document keeps only
  each finished page's compressed stream until the file is written).

Cancelling a batch: the review being made when Cancel is seen is dropped and its temporary file removed;
reviews already finished are complete files and stay, each recorded on its client's timeline (the result
says how many). A combined document is one file: cancelled, nothing is written nor recorded.

What comes next in a review: the next plan review, the agreements' renewals and ends, and the client's open
inquiries. Other follow-ups (stored reminders, when they land) join through `add_follow_up_source`."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from clientdesk.domain.boundaries import ClientBoundaries, long_date
from clientdesk.domain.errors import ClientDeskError, FieldProblem, InvalidInput
from clientdesk.domain.interactions import Inquiry, responsiveness
from clientdesk.domain.lifecycle import stage_in_history
from clientdesk.domain.metrics import LifetimeValue, Purchase, lifetime_value
from clientdesk.domain.reminders.plan_reviews import PlanReviewFacts, plan_review_due_on
from clientdesk.domain.reply import ReplyClock
from clientdesk.domain.review import (
    FollowUp,
    Logo,
    OutOfScopeItem,
    RecordedReview,
    ReviewData,
    ReviewPeriod,
    add_months,
    agreement_dates,
    boundary_sentences,
    channel_counts,
    plan_review_after,
    review_file_name,
    revenue_buckets,
    service_usage,
)
from clientdesk.domain.services_catalogue import Decision
from clientdesk.services.business import BusinessService
from clientdesk.services.changes import Changes
from clientdesk.storage import Database
from clientdesk.storage.reviews_repository import ReviewRepository

Progress = Callable[[int, int], None]  # (reviews done, reviews in the batch)
FollowUpSource = Callable[[object, int, date], Iterable[FollowUp]]  # (unit of work, contact id, produced on)


class ReviewsCancelled(ClientDeskError):
    """A batch was cancelled: raised only by a combined batch, inside its rendering, to stop it."""


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    """What the owner adds to a review: notes, who prepared it, the logo (bytes, or a path read once)."""

    notes: str = ""
    prepared_by: str = ""
    logo: Logo | None = None


@dataclass(frozen=True, slots=True)
class ProducedReview:
    """A review saved and recorded: what the window shows and the timeline lists."""

    record: RecordedReview
    path: Path
    size: int  # bytes
    changes: Changes


@dataclass(frozen=True, slots=True)
class DueReview:
    """A client whose plan review falls in the month asked about (the earliest, when several agreements have one)."""

    contact_id: int
    contact_name: str
    due_on: date
    agreement_id: int
    services: tuple[str, ...]
    last_review_on: date | None  # the latest review since the agreement began; None: never reviewed

    @property
    def description(self) -> str:
        return ", ".join(self.services) or "Agreement"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch wrote: the files in order (one, when combined), the reviews recorded, and whether it was
    cancelled before the end."""

    requested: int
    files: tuple[Path, ...]
    recorded: tuple[RecordedReview, ...]
    cancelled: bool
    combined: bool
    changes: Changes = field(default_factory=Changes)

    @property
    def produced(self) -> int:
        """How many clients' reviews were written."""
        return len(self.recorded)


def month_of(text: str) -> date:
    """'2026-07' → 1 July 2026; InvalidInput for anything else."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise InvalidInput([FieldProblem("month", f"“{text}” is not a month; use YYYY-MM, e.g. 2026-07.")]) from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ReviewService:
    def __init__(self, database: Database, business: BusinessService, clock: Callable[[], datetime]):
        self._db = database
        self._business = business
        self._clock = clock
        self._follow_up_sources: list[FollowUpSource] = [self._open_inquiries]

    # -- days and periods ---------------------------------------------------------------------------------

    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self._business.profile().time_zone)

    def today(self) -> date:
        """The business's day now."""
        return self._clock().astimezone(self._zone()).date()

    def default_period(self, day: date | None = None) -> ReviewPeriod:
        """The last 12 months up to `day` (today): whole calendar months, this one so far included."""
        return ReviewPeriod.ending(day or self.today())

    def add_follow_up_source(self, source: FollowUpSource) -> None:
        """`source(uow, contact_id, produced_on)` → follow-ups shown under "What comes next", read in the
        review's own transaction (e.g. the contact's open reminders, once they are stored)."""
        self._follow_up_sources.append(source)

    def _open_inquiries(self, uow, contact_id: int, produced_on: date) -> list[FollowUp]:
        """The client's messages still waiting for an answer, each due by its target (else its limit)."""
        zone = self._zone()
        found: list[Inquiry] = uow.inquiries.listed(open_only=True, contact_id=contact_id)
        follow_ups = []
        for inquiry in found:
            due = inquiry.target or inquiry.limit
            received = inquiry.received.astimezone(zone).date()
            follow_ups.append(FollowUp(f"Our answer to your message of {long_date(received)}",
                                       due.astimezone(zone).date() if due is not None else None))
        return follow_ups

    # -- one review ---------------------------------------------------------------------------------------

    def gather(self, contact_id: int, period: ReviewPeriod | None = None, options: ReviewOptions = ReviewOptions(),
               ) -> ReviewData:
        """Everything one client's review shows, for `period` (default: the last 12 months), read in one
        transaction."""
        profile = self._business.profile()
        zone = ZoneInfo(profile.time_zone)
        now = self._clock()
        produced_on = now.astimezone(zone).date()
        period = period or self.default_period(produced_on)
        start = datetime.combine(period.first, time(), zone)
        end = datetime.combine(period.last + timedelta(days=1), time(), zone)
        with self._db.reading() as uow:
            reads = ReviewRepository(uow.session)
            name = reads.contact_name(contact_id)
            bought = reads.purchases(contact_id, period.first, period.last)
            count, net, first_purchase, first_agreement = reads.totals_until(contact_id, produced_on)
            agreements = uow.purchases.agreements_for(contact_id)
            requests = reads.out_of_scope(contact_id, start, end)
            channels = reads.channel_counts(contact_id, start, end)
            inquiries = uow.inquiries.listed(contact_id=contact_id, received_from=start, received_to=end)
            history = uow.stages.history(contact_id)
            boundaries = uow.boundaries.get(contact_id) or ClientBoundaries.default()
            follow_ups = [item for source in self._follow_up_sources
                          for item in source(uow, contact_id, produced_on)]
        beginnings = [day for day in (first_purchase, first_agreement) if day is not None]
        since = min(beginnings, default=None)
        value: LifetimeValue | None = None
        if count:  # the domain's rule (per year of the relationship, at least one) on the total summed in SQL
            value = lifetime_value([Purchase(contact_id, since or produced_on, net)], since or produced_on, produced_on)
        in_force = [agreement for agreement in agreements
                    if agreement.starts_on <= period.last and (agreement.ends_on is None or agreement.ends_on >= period.first)]
        running = [agreement for agreement in agreements if agreement.ends_on is None or agreement.ends_on >= produced_on]
        reply = profile.reply
        return ReviewData(
            business_name=profile.name.strip(),
            client_name=name,
            period=period,
            produced_on=produced_on,
            currency=profile.currency,
            logo=options.logo,
            prepared_by=options.prepared_by.strip(),
            stage=stage_in_history(history, produced_on),
            client_since=since,
            lifetime_value=value,
            revenue=revenue_buckets([(on, amount) for on, amount, _ in bought], period),
            agreements=in_force,
            services_used=service_usage([(service, amount) for _, amount, service in bought]),
            out_of_scope=[OutOfScopeItem(at.astimezone(zone).date(), asked, Decision(decision), charge)
                          for at, asked, decision, charge in requests],
            interactions=channel_counts(channels),
            responsiveness=responsiveness(inquiries, start, end, now),
            reply_target_hours=reply.target_hours,
            reply_limit_hours=reply.limit_hours,
            reply_in_open_hours=reply.clock is ReplyClock.BUSINESS_HOURS,
            # The reply times are stated under "How quickly we replied"; not repeated here.
            boundary_lines=boundary_sentences(boundaries, profile.hours, profile.time_zone, today=produced_on),
            next_plan_review=plan_review_after(running, produced_on),
            renewals=agreement_dates(running, produced_on),
            follow_ups=follow_ups,
            owner_notes=options.notes,
        )

    def render(self, contact_id: int, period: ReviewPeriod | None = None, options: ReviewOptions = ReviewOptions(),
               ) -> bytes:
        """The review's PDF, as it would be saved: the preview. Nothing is recorded."""
        from clientdesk.reports import render_review

        return render_review(self.gather(contact_id, period, options))

    def produce(self, contact_id: int, period: ReviewPeriod | None, path: str | os.PathLike,
                options: ReviewOptions = ReviewOptions()) -> ProducedReview:
        """Render the review, save it to `path` (never half a file) and record it on the client's timeline, in
        one transaction: if the record cannot be written the file is not left, and the reverse."""
        from clientdesk.reports import StagedFile, render_review

        data = self.gather(contact_id, period, options)
        pdf = render_review(data)
        target = Path(path).expanduser().absolute()
        with StagedFile(target, pdf) as staged, self._db.writing() as uow:
            record = ReviewRepository(uow.session).add(contact_id, data.period, self._clock(), str(target),
                                                       sha256_hex(pdf), options.notes)
            staged.commit()
        return ProducedReview(record, target, len(pdf), _changed({contact_id}))

    def recorded(self, contact_id: int) -> list[RecordedReview]:
        """The contact's reviews produced, newest first."""
        with self._db.reading() as uow:
            return ReviewRepository(uow.session).for_contact(contact_id)

    # -- plan reviews due ---------------------------------------------------------------------------------

    def reviews_due(self, month: date | None = None, *, overdue: bool = False) -> list[DueReview]:
        """The clients whose plan review falls in `month` (any day of it; default this month), one line each
        (their earliest), in the list's order by name. A plan review falls `review_every_months` after the
        latest client review since the agreement began, or after its start (domain/reminders/plan_reviews.py);
        none falls after the agreement ends. `overdue` adds the reviews that fell earlier and were not made."""
        zone = self._zone()
        first = (month or self.today()).replace(day=1)
        last = add_months(first, 1) - timedelta(days=1)
        with self._db.reading() as uow:
            candidates = ReviewRepository(uow.session).plan_review_agreements(date.min if overdue else first)
        found: dict[int, DueReview] = {}
        for agreement, name, latest in candidates:
            reviewed_on = latest.astimezone(zone).date() if latest is not None else None
            due = plan_review_due_on(PlanReviewFacts(agreement, name, last_review_on=reviewed_on))
            if due is None or due > last or (due < first and not overdue):
                continue
            known = found.get(agreement.contact_id)
            if known is None or due < known.due_on:
                found[agreement.contact_id] = DueReview(agreement.contact_id, name, due, agreement.id,
                                                        agreement.service_names, reviewed_on)
        return list(found.values())  # candidates come in the list's order, and so do the first of each

    # -- batches ------------------------------------------------------------------------------------------

    def produce_many(self, contact_ids: Sequence[int], period: ReviewPeriod | None, out_dir: str | os.PathLike,
                     combined: bool = False, progress: Progress | None = None,
                     cancelled: Callable[[], bool] = lambda: False, options: ReviewOptions = ReviewOptions(),
                     combined_name: str | None = None) -> BatchResult:
        """The reviews of `contact_ids` into `out_dir`: one PDF each (named after the client and the period),
        or one combined PDF (`combined_name`, by default named after the period). `progress(done, total)` is
        called after each review; `cancelled()` is asked before each. See the module's notes on cancelling."""
        folder = Path(out_dir).expanduser().absolute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ClientDeskError(f"The folder {folder} could not be created: {error.strerror or error}.") from None
        contact_ids = list(dict.fromkeys(contact_ids))
        period = period or self.default_period()
        if options.logo is not None and not isinstance(options.logo, bytes | bytearray):
            options = _with_logo_bytes(options)  # read once for the whole batch
        if combined:
            return self._produce_combined(contact_ids, period, folder, progress, cancelled, options, combined_name)
        return self._produce_each(contact_ids, period, folder, progress, cancelled, options)

    def _produce_each(self, contact_ids: list[int], period: ReviewPeriod, folder: Path, progress: Progress | None,
                      cancelled: Callable[[], bool], options: ReviewOptions) -> BatchResult:
        from clientdesk.reports import StagedFile, render_review

        total = len(contact_ids)
        taken = {entry.name for entry in _listing(folder)}
        written: list[Path] = []
        recorded: list[RecordedReview] = []
        stopped = False
        for done, contact_id in enumerate(contact_ids):
            if cancelled():
                stopped = True
                break
            data = self.gather(contact_id, period, options)
            pdf = render_review(data)
            target = folder / review_file_name(data.client_name, period, taken, contact_id)
            with StagedFile(target, pdf) as staged:
                if cancelled():  # seen while this one was being made: dropped, its temporary file removed
                    stopped = True
                    break
                with self._db.writing() as uow:
                    recorded.append(ReviewRepository(uow.session).add(contact_id, period, self._clock(), str(target),
                                                                      sha256_hex(pdf), options.notes))
                    staged.commit()
            written.append(target)
            del data, pdf
            if progress is not None:
                progress(done + 1, total)
        return BatchResult(total, tuple(written), tuple(recorded), stopped, False,
                           _changed({review.contact_id for review in recorded}))

    def _produce_combined(self, contact_ids: list[int], period: ReviewPeriod, folder: Path,
                          progress: Progress | None, cancelled: Callable[[], bool], options: ReviewOptions,
                          name: str | None) -> BatchResult:
        from clientdesk.reports import StagedFile, render_combined

        total = len(contact_ids)
        if not total:
            return BatchResult(0, (), (), False, True)

        def reviews() -> Iterator[ReviewData]:
            for done, contact_id in enumerate(contact_ids):
                if cancelled():
                    raise ReviewsCancelled("The reviews were cancelled; nothing was saved.")
                if progress is not None and done:
                    progress(done, total)  # the previous review is laid out when the next is asked for
                yield self.gather(contact_id, period, options)

        try:
            pdf = render_combined(reviews(), title=f"Client reviews, {period.text()}")
        except ReviewsCancelled:
            return BatchResult(total, (), (), True, True)
        target = folder / (name or f"Client reviews - {period.first:%Y-%m} to {period.last:%Y-%m}.pdf")
        digest = sha256_hex(pdf)
        with StagedFile(target, pdf) as staged:
            if cancelled():
                return BatchResult(total, (), (), True, True)
            with self._db.writing() as uow:
                repository = ReviewRepository(uow.session)
                now = self._clock()
                recorded = tuple(repository.add(contact_id, period, now, str(target), digest, options.notes)
                                 for contact_id in contact_ids)
                staged.commit()
        if progress is not None:
            progress(total, total)
        return BatchResult(total, (target,), recorded, False, True, _changed(set(contact_ids)))


def _changed(contact_ids: set[int]) -> Changes:
    # A review is on the timeline and moves the plan review on: the contacts' screens and the reminders refresh.
    return Changes(contacts=True, contact_ids=frozenset(contact_ids), reminders=True)


def _with_logo_bytes(options: ReviewOptions) -> ReviewOptions:
    try:
        logo = Path(options.logo).read_bytes()  # type: ignore[arg-type]
    except OSError:
        logo = None  # the report leaves an unreadable logo out with a warning; so does a batch
    return ReviewOptions(options.notes, options.prepared_by, logo)


def _listing(folder: Path) -> Iterator[Path]:
    try:
        yield from folder.iterdir()
    except OSError:
        return


__all__ = ["BatchResult", "DueReview", "ProducedReview", "ReviewOptions", "ReviewService", "ReviewsCancelled",
           "month_of", "sha256_hex"]
