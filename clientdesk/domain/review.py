"""What a client review shows: the figures, lists and texts of one client's review for a period, as plain
frozen values, and the small rules that shape them (the default period, month or quarter buckets for the
revenue chart, grouping by channel and by service, the next plan review, the wording of a share or a
duration).

A service gathers a `ReviewData` from the database; `clientdesk.reports` lays it out as a PDF. Nothing
here knows about either: every figure arrives already worked out, and every text arrives as the user
typed it (the report escapes it).

Money is Decimal in the business's currency (see services_catalogue.py); dates are plain dates in the
business's zone."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel, ChannelPolicy, ClientBoundaries, long_date
from clientdesk.domain.hours import DAY_NAMES, WeeklyHours
from clientdesk.domain.interactions import Direction, Responsiveness
from clientdesk.domain.lifecycle import Stage
from clientdesk.domain.metrics import LifetimeValue
from clientdesk.domain.reminders.plan_reviews import PlanReviewFacts, plan_review_due_on
from clientdesk.domain.reply import ReplyClock, ReplyPolicy
from clientdesk.domain.services_catalogue import Agreement, BillingPeriod, Decision, currency_text

ZERO = Decimal(0)
DEFAULT_MONTHS = 12
# A period touching more months than this is charted by quarter, one touching more quarters than
# QUARTERS_AT_MOST by year: a chart with more than a few dozen bars cannot be read.
MONTHS_AT_MOST = 18
QUARTERS_AT_MOST = 48
OTHER_PURCHASES = "Other purchases"  # purchases not tied to a service in the catalogue

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")

STAGE_WORDS = {
    Stage.PROSPECT: "Prospective client",
    Stage.CUSTOMER: "Customer",
    Stage.CLIENT: "Regular client",
    Stage.LAPSED: "Not active recently",
    Stage.FORMER: "Former client",
}
DECISION_WORDS = {Decision.DECLINED: "Declined", Decision.QUOTED: "Quoted", Decision.ACCEPTED: "Accepted"}
PERIOD_WORDS = {BillingPeriod.ONE_OFF: "one-off", BillingPeriod.WEEKLY: "a week", BillingPeriod.MONTHLY: "a month",
                BillingPeriod.QUARTERLY: "a quarter", BillingPeriod.YEARLY: "a year"}

# "How am I doing?": each answered on a scale of 1 (poor) to 5 (excellent), by hand on the printed page.
DEFAULT_QUESTIONS = (
    "How well do our services meet your needs?",
    "How quickly do we respond when you get in touch?",
    "How clearly do we explain what we are doing and why?",
    "How good value for money are we?",
    "How likely are you to recommend us to others?",
)
SCALE_LOW, SCALE_HIGH = "Poor", "Excellent"


# --- dates ----------------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months; a day the target month lacks becomes its last day
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def _month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True, slots=True)
class ReviewPeriod:
    """The days a review covers, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a review period cannot end ({self.last}) before it starts ({self.first})")

    @classmethod
    def ending(cls, day: date, months: int = DEFAULT_MONTHS) -> ReviewPeriod:
        """The `months` calendar months up to and including `day`'s month, ending on `day`: reviewed on
        20 June 2026, the last 12 months run from 1 July 2025 to 20 June 2026. Whole months make a chart
        of twelve bars rather than thirteen with a sliver at each end; this month's activity so far is in."""
        if months < 1:
            raise ValueError("a review covers at least one month")
        return cls(add_months(_month_start(day), -(months - 1)), day)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def text(self) -> str:
        """'1 July 2025 to 20 June 2026'."""
        return f"{long_date(self.first)} to {long_date(self.last)}"


# --- revenue by month or quarter ------------------------------------------------------------------------

class Granularity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def _bucket_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.MONTH:
        return date(day.year, day.month, 1)
    if granularity is Granularity.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


_STEP_MONTHS = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}


def _bucket_starts(period: ReviewPeriod, granularity: Granularity) -> list[date]:
    starts = []
    start = _bucket_start(period.first, granularity)
    while start <= period.last:
        starts.append(start)
        start = add_months(start, _STEP_MONTHS[granularity])
    return starts


def choose_granularity(period: ReviewPeriod) -> Granularity:
    """Months for a period of up to 18 calendar months (a year's review has 12 bars), quarters up to
    twelve years, years beyond."""
    if len(_bucket_starts(period, Granularity.MONTH)) <= MONTHS_AT_MOST:
        return Granularity.MONTH
    if len(_bucket_starts(period, Granularity.QUARTER)) <= QUARTERS_AT_MOST:
        return Granularity.QUARTER
    return Granularity.YEAR


@dataclass(frozen=True, slots=True)
class RevenueBucket:
    """The revenue of one calendar month, quarter or year (only the days inside the review period count)."""

    start: date  # the first day of the calendar month, quarter or year
    granularity: Granularity
    amount: Decimal

    @property
    def label(self) -> str:
        """'June 2025', 'Q3 2025', '2025'."""
        if self.granularity is Granularity.MONTH:
            return f"{_MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.granularity is Granularity.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return str(self.start.year)

    @property
    def short_label(self) -> str:
        """'Jun', 'Q3', '2025': the year goes on a line of its own in a chart."""
        if self.granularity is Granularity.MONTH:
            return _MONTH_NAMES[self.start.month - 1][:3]
        if self.granularity is Granularity.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)


def revenue_buckets(purchases: Iterable[tuple[date, Decimal]], period: ReviewPeriod,
                    granularity: Granularity | None = None) -> tuple[RevenueBucket, ...]:
    """Every month (or quarter, or year) the period touches, in order, with the total of the purchases
    (refunds negative) made inside the period; a bucket without purchases is there with zero, so a chart
    shows the quiet months too."""
    granularity = granularity or choose_granularity(period)
    starts = _bucket_starts(period, granularity)
    totals = dict.fromkeys(starts, ZERO)
    for on, amount in purchases:
        if on in period:
            start = _bucket_start(on, granularity)
            totals[start] += amount
    return tuple(RevenueBucket(start, granularity, totals[start]) for start in starts)


# --- services ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ServiceUse:
    """What the client bought of one service in the period: how many purchases, and their net amount."""

    name: str
    times: int
    amount: Decimal


def service_usage(lines: Iterable[tuple[str | None, Decimal]]) -> tuple[ServiceUse, ...]:
    """(service name or None, amount) per purchase → one ServiceUse per service, the largest amount
    first. A refund (negative amount) lowers the amount without counting as a use; purchases without a
    service are grouped as "Other purchases"."""
    times: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for name, amount in lines:
        key = " ".join(name.split()) if name and name.strip() else OTHER_PURCHASES
        times[key] = times.get(key, 0) + (1 if amount > 0 else 0)
        amounts[key] = amounts.get(key, ZERO) + amount
    uses = [ServiceUse(name, times[name], amounts[name]) for name in amounts]
    return tuple(sorted(uses, key=lambda use: (use.name == OTHER_PURCHASES, -use.amount, use.name.casefold())))


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One line of the review's services table."""

    name: str
    covered: bool  # part of an agreement in force
    times: int
    amount: Decimal


def service_rows(covered: Sequence[str], used: Sequence[ServiceUse]) -> tuple[ServiceRow, ...]:
    """The services the agreement covers, in its order, each with what was used of it (nothing, when it
    was not used), then everything else that was bought."""
    by_name = {use.name.casefold(): use for use in used}
    rows = []
    for name in covered:
        use = by_name.pop(name.casefold(), None)
        rows.append(ServiceRow(name, True, use.times if use else 0, use.amount if use else ZERO))
    rows += [ServiceRow(use.name, False, use.times, use.amount) for use in used if use.name.casefold() in by_name]
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class OutOfScopeItem:
    """A request beyond the agreement, what was decided, and the extra charge named (if any)."""

    on: date
    asked: str
    decision: Decision
    extra_charge: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "decision", Decision(self.decision))


# --- contact ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ChannelCount:
    """How many interactions there were on one channel: started by the client, and by the business."""

    channel: Channel
    from_client: int = 0
    from_us: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "channel", Channel(self.channel))

    @property
    def total(self) -> int:
        return self.from_client + self.from_us

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self.channel]


def channel_counts(rows: Iterable[tuple[Channel | str, Direction | str, int]]) -> tuple[ChannelCount, ...]:
    """(channel, direction, count) rows — a GROUP BY's output — → one ChannelCount per channel used, in
    the channels' usual order (phone, text, email, video call, in person, post)."""
    incoming: dict[Channel, int] = {}
    outgoing: dict[Channel, int] = {}
    for channel, direction, count in rows:
        side = incoming if Direction(direction) is Direction.IN else outgoing
        side[Channel(channel)] = side.get(Channel(channel), 0) + count
    return tuple(ChannelCount(channel, incoming.get(channel, 0), outgoing.get(channel, 0))
                 for channel in Channel if incoming.get(channel, 0) + outgoing.get(channel, 0) > 0)


NO_INQUIRIES = Responsiveness(0, None, None, None)


def answered_count(share: float | None, inquiries: int) -> int:
    """How many of `inquiries` a share stands for (the share was made from whole counts)."""
    return 0 if share is None else round(share * inquiries)


def percent_text(share: float | Decimal | None) -> str:
    """0.926 → '93%'; None → '—'. Never rounds up to 100% what is not all of it, nor down to 0% what is not
    none of it."""
    if share is None:
        return "—"
    percent = float(share) * 100
    rounded = round(percent)
    if rounded == 100 and percent < 100:
        rounded = 99
    elif rounded == 0 and percent > 0:
        rounded = 1
    return f"{rounded}%"


def duration_text(hours: float | None) -> str:
    """A time to answer in words: '40 minutes', '1 hour', '3.5 hours', '2.5 days'; None → '—'."""
    if hours is None:
        return "—"
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if hours < 48:
        value = round(hours, 1)
        text = f"{value:g}"
        return f"{text} hour{'s' if text != '1' else ''}"
    return f"{round(hours / 24, 1):g} days"


def relationship_length(since: date, day: date) -> str:
    """How long a relationship has lasted, in the largest whole unit: '7 years', '1 year', '5 months';
    '' for less than a month (or a start after `day`)."""
    months = (day.year - since.year) * 12 + day.month - since.month - (day.day < since.day)
    if months < 1:
        return ""
    if months < 12:
        return f"{months} month{'s' if months != 1 else ''}"
    years = months // 12
    return f"{years} year{'s' if years != 1 else ''}"


def hours_phrase(hours: float, open_hours: bool = False) -> str:
    """'24 hours', or '16 working hours' when the reply clock counts only opening hours."""
    return f"{hours:g} {'working ' if open_hours else ''}hour{'s' if hours != 1 else ''}"


# --- what comes next -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class UpcomingDate:
    on: date
    what: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    what: str
    due: date | None = None


def next_plan_review(agreements: Iterable[Agreement], after: date) -> date | None:
    """The first plan review after `after`: each agreement with a review interval is reviewed every so
    many months from its start, while it runs. None when no agreement has one ahead."""
    found: list[date] = []
    for agreement in agreements:
        months = agreement.review_every_months
        if not months:
            continue
        step = 1
        review = add_months(agreement.starts_on, months)
        while review <= after:
            step += 1
            review = add_months(agreement.starts_on, months * step)
        if agreement.ends_on is None or review <= agreement.ends_on:
            found.append(review)
    return min(found, default=None)


def agreement_dates(agreements: Iterable[Agreement], after: date) -> tuple[UpcomingDate, ...]:
    """Renewals and ends of agreements on or after `after`, earliest first."""
    dates = []
    for agreement in agreements:
        covers = f" ({', '.join(agreement.service_names)})" if agreement.service_names else ""
        if agreement.renews_on is not None and agreement.renews_on >= after:
            dates.append(UpcomingDate(agreement.renews_on, f"Agreement renews{covers}"))
        if agreement.ends_on is not None and agreement.ends_on >= after:
            dates.append(UpcomingDate(agreement.ends_on, f"Agreement ends{covers}"))
    return tuple(sorted(dates, key=lambda upcoming: (upcoming.on, upcoming.what)))


def plan_review_after(agreements: Iterable[Agreement], reviewed_on: date) -> date | None:
    """The next plan review once a review is made on `reviewed_on`: the plan-review rule of the reminders
    (domain/reminders/plan_reviews.py: that many months after the latest review, while the agreement runs),
    the earliest over the agreements still running that day. None when none has a review frequency ahead."""
    found = [plan_review_due_on(PlanReviewFacts(agreement, "", last_review_on=reviewed_on))
             for agreement in agreements if agreement.ends_on is None or agreement.ends_on >= reviewed_on]
    return min((day for day in found if day is not None), default=None)


# --- the agreed boundaries, restated ---------------------------------------------------------------------

_CHANNEL_WAYS = {
    Channel.PHONE: "by phone", Channel.SMS: "by text message", Channel.EMAIL: "by email",
    Channel.VIDEO: "by video call", Channel.IN_PERSON: "in person", Channel.POSTAL: "by post",
}


def _joined(words: Sequence[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def weekly_hours_text(hours: WeeklyHours) -> str:
    """'Monday to Friday 09:00–17:00; Saturday 10:00–13:00': days with the same hours run together; closed
    days are left out. '' when there are no hours at all."""
    groups: list[tuple[int, int, str]] = []
    for weekday in range(7):
        ranges = hours.describe(weekday)
        if groups and groups[-1][2] == ranges and groups[-1][1] == weekday - 1:
            groups[-1] = (groups[-1][0], weekday, ranges)
        else:
            groups.append((weekday, weekday, ranges))
    parts = []
    for first, last, ranges in groups:
        if not ranges:
            continue
        days = DAY_NAMES[first] if first == last else (
            f"{DAY_NAMES[first]} and {DAY_NAMES[last]}" if last == first + 1 else f"{DAY_NAMES[first]} to {DAY_NAMES[last]}")
        parts.append(f"{days} {ranges}")
    return "; ".join(parts)


def zone_words(time_zone: str) -> str:
    """A time zone as a client reads it: "London" for Europe/London, "New York" for America/New_York, "UTC"."""
    if time_zone.upper() in ("UTC", "ETC/UTC", "GMT", "ETC/GMT", "ETC/UCT", "UCT", "ZULU", "ETC/ZULU"):
        return "UTC"
    return time_zone.rsplit("/", 1)[-1].replace("_", " ")


def boundary_sentences(boundaries: ClientBoundaries, business_hours: WeeklyHours, time_zone: str,
                       reply: ReplyPolicy | None = None, *, today: date | None = None) -> tuple[str, ...]:
    """The client's contact arrangements as sentences addressed to the client: when the business is open,
    which channels it uses when, the urgent line, a pause agreed, and how fast it replies. The rules are
    those the business checks before contacting the client (domain/boundaries.py); nothing here is private
    (the boundaries' own notes are for the business and are left out)."""
    lines: list[str] = []
    if business_hours.is_round_the_clock():
        lines.append("We are available around the clock.")
    elif opening := weekly_hours_text(business_hours):
        lines.append(f"Our opening hours are {opening} ({zone_words(time_zone)} time).")
    by_policy: dict[ChannelPolicy, list[str]] = {}
    for channel in Channel:
        by_policy.setdefault(boundaries.policy(channel), []).append(_CHANNEL_WAYS[channel])
    if ways := by_policy.get(ChannelPolicy.BUSINESS_HOURS):
        lines.append(f"We contact you {_joined(ways, 'or')} during our opening hours.")
    if ways := by_policy.get(ChannelPolicy.CLIENT_WINDOW):
        window = boundaries.window
        if window is not None and (hours := weekly_hours_text(window.hours)):
            lines.append(f"We contact you {_joined(ways, 'or')} only within the hours you gave us: {hours} "
                         f"({zone_words(window.time_zone)} time).")
        else:
            lines.append(f"We contact you {_joined(ways, 'or')} during our opening hours.")
    if ways := by_policy.get(ChannelPolicy.ANY_TIME):
        lines.append(f"We may contact you {_joined(ways, 'or')} at any time.")
    if ways := by_policy.get(ChannelPolicy.NEVER):
        lines.append(f"As agreed, we do not contact you {_joined(ways, 'or')}.")
    urgent = [_CHANNEL_WAYS[channel] for channel in Channel if channel in boundaries.urgent_channels]
    if urgent:
        lines.append(f"For urgent matters we may reach you {_joined(urgent, 'or')} at any time.")
    pause = boundaries.do_not_contact_until
    if pause is not None and (today is None or pause > today):
        lines.append(f"As you asked, we will not contact you before {long_date(pause)}.")
    if reply is not None:
        open_hours = reply.clock is ReplyClock.BUSINESS_HOURS
        lines.append(f"We aim to answer your messages within {hours_phrase(reply.target_hours, open_hours)} and "
                     f"always within {hours_phrase(reply.limit_hours, open_hours)}.")
    return tuple(lines)


# --- a review produced ------------------------------------------------------------------------------------

SHORT_HASH = 12  # hexadecimal digits of a file's SHA-256 shown beside it: enough to tell two files apart


@dataclass(frozen=True, slots=True)
class RecordedReview:
    """A review that was produced and saved: for the contact's timeline and the plan reviews. `file_name` is
    the path the PDF was saved to, `sha256` the hexadecimal hash of its bytes (whoever holds the file can
    check it is the one produced), `produced_at` an aware UTC instant."""

    id: int
    contact_id: int
    period: ReviewPeriod
    produced_at: datetime
    file_name: str
    sha256: str
    notes: str = ""

    @property
    def short_hash(self) -> str:
        return self.sha256[:SHORT_HASH]

    @property
    def base_name(self) -> str:
        """The file's name without its folder, whichever system's separators the path has."""
        return re.split(r"[\\/]", self.file_name)[-1] or self.file_name


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def review_file_name(client_name: str, period: ReviewPeriod, taken: set[str] | None = None,
                     contact_id: int | None = None) -> str:
    """A file name for a client's review that works on every system: 'Review - Zoë Kent - 2025-07 to
    2026-06.pdf'. Characters no file system accepts become spaces; a name already in `taken` (compared
    without case: Windows and macOS do not tell case apart) gets the contact's id, then a number. The name
    chosen is added to `taken`."""
    name = unicodedata.normalize("NFC", " ".join(_UNSAFE.sub(" ", client_name).split())).strip(" .")[:80].strip()
    stem = f"Review - {name or 'client'} - {period.first:%Y-%m} to {period.last:%Y-%m}"
    candidate = f"{stem}.pdf"
    if taken is not None:
        folded = {item.casefold() for item in taken}
        number = 1
        while candidate.casefold() in folded:
            suffix = f" - id {contact_id}" if contact_id is not None and number == 1 else f" ({number})"
            candidate = f"{stem}{suffix}.pdf"
            number += 1
        taken.add(candidate)
    return candidate


# --- the review -----------------------------------------------------------------------------------------

Logo = bytes | str | os.PathLike


@dataclass(frozen=True, slots=True)
class ReviewData:
    """Everything one client's review shows. Only the first four fields are needed: everything else
    defaults to "nothing yet", which the report shows as a line saying so.

    Lists may be given as any sequence; they are kept as tuples. `logo` is the image file's bytes (read
    once and shared by every review of a batch) or its path."""

    business_name: str
    client_name: str
    period: ReviewPeriod
    produced_on: date
    currency: str = "GBP"  # ISO 4217
    logo: Logo | None = None
    prepared_by: str = ""  # the owner's name: signs the notes, and is the PDF's author when given
    # the relationship
    stage: Stage | None = None
    client_since: date | None = None
    lifetime_value: LifetimeValue | None = None  # None when the client has never bought
    revenue: tuple[RevenueBucket, ...] = ()  # see revenue_buckets: every bucket of the period
    # services
    agreements: tuple[Agreement, ...] = ()  # in force during the period
    services_used: tuple[ServiceUse, ...] = ()  # see service_usage
    out_of_scope: tuple[OutOfScopeItem, ...] = ()  # oldest first
    # contact
    interactions: tuple[ChannelCount, ...] = ()  # see channel_counts
    responsiveness: Responsiveness = NO_INQUIRIES
    reply_target_hours: float = 24
    reply_limit_hours: float = 48
    reply_in_open_hours: bool = False  # the reply clock counts opening hours only
    boundary_lines: tuple[str, ...] = ()  # prepared sentences, e.g. from domain.boundaries
    # what comes next
    next_plan_review: date | None = None
    renewals: tuple[UpcomingDate, ...] = ()  # see agreement_dates
    follow_ups: tuple[FollowUp, ...] = ()
    # the owner's words, and the client's
    owner_notes: str = ""
    questions: tuple[str, ...] = DEFAULT_QUESTIONS

    def __post_init__(self) -> None:
        for name in ("revenue", "agreements", "services_used", "out_of_scope", "interactions", "boundary_lines",
                     "renewals", "follow_ups", "questions"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        if self.stage is not None:
            object.__setattr__(self, "stage", Stage(self.stage))
        if not isinstance(self.period, ReviewPeriod):
            raise TypeError(f"period must be a ReviewPeriod, not {type(self.period).__name__}")
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"{self.currency!r} is not a three-letter currency code")

    # the figures the report prints, worked out once here so a test can compare with them
    def money(self, amount: Decimal) -> str:
        """'GBP 1,234.50'."""
        return currency_text(amount, self.currency)

    @property
    def revenue_in_period(self) -> Decimal:
        return sum((bucket.amount for bucket in self.revenue), ZERO)

    @property
    def services_covered(self) -> tuple[str, ...]:
        """The services of every agreement, each once, in the agreements' order."""
        return tuple(dict.fromkeys(name for agreement in self.agreements for name in agreement.service_names))

    @property
    def service_rows(self) -> tuple[ServiceRow, ...]:
        return service_rows(self.services_covered, self.services_used)

    @property
    def extra_charges(self) -> Decimal:
        """The extra charges of the out-of-scope requests that were accepted (a quote is not a charge)."""
        return sum((item.extra_charge for item in self.out_of_scope
                    if item.decision is Decision.ACCEPTED and item.extra_charge), ZERO)

    @property
    def interactions_total(self) -> int:
        return sum(count.total for count in self.interactions)

    @property
    def upcoming(self) -> tuple[UpcomingDate | FollowUp, ...]:
        """The plan review, renewals and follow-ups, by date; follow-ups without a date last."""
        dated: list[tuple[date, int, UpcomingDate | FollowUp]] = []
        if self.next_plan_review is not None:
            dated.append((self.next_plan_review, 0, UpcomingDate(self.next_plan_review, "Plan review")))
        dated += [(upcoming.on, 1, upcoming) for upcoming in self.renewals]
        dated += [(follow_up.due, 2, follow_up) for follow_up in self.follow_ups if follow_up.due is not None]
        undated = [follow_up for follow_up in self.follow_ups if follow_up.due is None]
        return tuple(item for _, _, item in sorted(dated, key=lambda entry: (entry[0], entry[1]))) + tuple(undated)


__all__ = [
    "DECISION_WORDS", "DEFAULT_MONTHS", "DEFAULT_QUESTIONS", "NO_INQUIRIES", "OTHER_PURCHASES", "PERIOD_WORDS",
    "SCALE_HIGH", "SCALE_LOW", "STAGE_WORDS", "ChannelCount", "FollowUp", "Granularity", "Logo", "OutOfScopeItem",
    "ReviewData", "ReviewPeriod", "RevenueBucket", "ServiceRow", "ServiceUse", "UpcomingDate", "add_months",
    "agreement_dates", "answered_count", "channel_counts", "choose_granularity", "duration_text", "hours_phrase",
    "next_plan_review", "percent_text", "relationship_length", "revenue_buckets", "service_rows", "service_usage",
    "RecordedReview", "SHORT_HASH", "boundary_sentences", "plan_review_after", "review_file_name", "weekly_hours_text",
]
