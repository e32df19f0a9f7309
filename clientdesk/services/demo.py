"""Realistic, reproducible demo data: people from many countries, their organisations, referrals, tags and
boundaries, then about ten years of their calls, messages and visits and the inquiries those opened.

A Faker call costs tens of microseconds (an address more than a hundred), too much a hundred thousand times
over: each locale draws pools of names, streets, cities, postcodes and notes once, sized to the run, and the
seeded random.Random samples them, so one seed always gives the same data. Interactions come from small
phrase pools; inquiry deadlines from the database's own reply policy and business calendar, so they are
exactly what the app would have computed. Sales follow a long tail: many contacts never buy, some buy once,
and the rest buy at rates and basket sizes drawn from heavy-tailed distributions."""

from __future__ import annotations

import random
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo
from operator import attrgetter

from clientdesk.domain.boundaries import ChannelPolicy
from clientdesk.domain.business import BusinessProfile
from clientdesk.domain.contacts import Address, Birthday, ContactFields, ContactKind, compose_display_name, sort_key
from clientdesk.domain.emails import Email
from clientdesk.domain.hours import LOOKAHEAD_MICROS, MICROS_PER_HOUR, from_micros, to_micros
from clientdesk.domain.interactions import Inquiry, InquiryStatus
from clientdesk.domain.phones import Phone
from clientdesk.domain.reply import reply_by
from clientdesk.services.changes import Changes
from clientdesk.services.collector import cycle_collector_paused
from clientdesk.storage import Database
from clientdesk.storage.bulk_interactions import InteractionRecord

# (Faker locale, phone region): several scripts, so accents, Greek, Cyrillic and Japanese all appear.
LOCALES: tuple[tuple[str, str], ...] = (
    ("en_GB", "GB"), ("en_GB", "GB"), ("en_GB", "GB"), ("en_US", "US"), ("en_US", "US"), ("fr_FR", "FR"),
    ("de_DE", "DE"), ("es_ES", "ES"), ("it_IT", "IT"), ("pl_PL", "PL"), ("pt_BR", "BR"), ("sv_SE", "SE"),
    ("nl_NL", "NL"), ("el_GR", "GR"), ("ru_RU", "RU"), ("ja_JP", "JP"),
)
TAGS = ("vip", "retainer", "newsletter", "wholesale", "referral", "local", "supplier", "trade", "friend",
        "new-build", "maintenance", "priority")
PHONE_LABELS = ("mobile", "mobile", "work", "home")
ORGANISATION_SHARE = 0.08
BATCH = 2000
Progress = Callable[[int, int], None]

# Pools drawn from Faker per locale: at most this many of each, fewer for a small run (a pool never needs
# to be larger than the number of contacts the locale will have).
POOL_CAPS = {"given": 1500, "family": 1500, "street": 1000, "city": 400, "postcode": 1000, "note": 400,
             "user": 300}
POOL_FLOOR = 30

BOUNDARIES_SHARE = 0.25
_ZONES = {"GB": "Europe/London", "US": "America/New_York", "FR": "Europe/Paris", "DE": "Europe/Berlin",
          "ES": "Europe/Madrid", "IT": "Europe/Rome", "PL": "Europe/Warsaw", "BR": "America/Sao_Paulo",
          "SE": "Europe/Stockholm", "NL": "Europe/Amsterdam", "GR": "Europe/Athens", "RU": "Europe/Moscow",
          "JP": "Asia/Tokyo"}

# -- interactions and inquiries ------------------------------------------------------------------------

HISTORY = timedelta(days=3653)  # ten years before `now`
REPLY_HORIZON = timedelta(days=60)  # past `now`: further than any reply deadline of the latest inquiries
DAY_MICROS = 86_400_000_000
MINUTE_MICROS = 60_000_000
# How many interactions a client has: most about one a year (six in all on average), and a few hundred
# "key" clients known for two years or more a few hundred a year, so they have thousands. Together about
# ten per contact. The longest-standing client is the busiest of all, for the timeline's sake.
YEARLY_INTERACTIONS = 1.0
NEVER_CONTACTED_SHARE = 0.04  # imported once and never called
KEY_CLIENT_SHARE = 0.0025
KEY_CLIENT_MIN_YEARS = 2.0
KEY_CLIENT_YEARLY = (200, 450)
BUSIEST_INTERACTIONS = 6000
INCOMING_SHARE = 0.52
NEEDS_REPLY_SHARE = 0.065  # of incoming interactions
CLOSED_SHARE = 0.04  # of inquiries: no reply was needed after all
# Answered within the target mostly, between target and limit sometimes, after the limit now and then.
IN_TIME_SHARE, LATE_SHARE = 0.78, 0.15
# The desk's backlog: an inquiry received in the last BACKLOG_DAYS is still open with a chance that falls
# from BACKLOG_SHARE (today) to nothing (BACKLOG_DAYS ago): a few hundred for 100,000 contacts, most of them
# past their limit. Older ones have all been dealt with.
BACKLOG_DAYS = 90
BACKLOG_SHARE = 0.3
URGENT_SHARE = 0.02
INTERACTION_BATCH = 20_000  # rows written at a time
# Share of the progress bar the contacts take; the interactions the rest (they take a little longer).
CONTACTS_PROGRESS = 0.42
# Where the interactions' share ends, then the purchases, agreements and requests'; the stage histories
# take the rest.
HISTORY_PROGRESS = 0.80
SALES_PROGRESS = 0.90

# A channel appears in a tuple as often as it is used, so one random index picks it.
_INCOMING_CHANNELS = ("email",) * 40 + ("phone",) * 35 + ("sms",) * 12 + ("in_person",) * 5 + \
    ("video",) * 3 + ("postal",) * 5
_OUTGOING_CHANNELS = ("email",) * 45 + ("phone",) * 35 + ("sms",) * 8 + ("video",) * 4 + ("in_person",) * 4 + \
    ("postal",) * 4
# Calls, video calls and visits happen while the business is open; messages arrive at any hour.
_IN_OPEN_HOURS = frozenset({"phone", "video", "in_person"})
_DURATIONS = {"phone": (1, 6, 90), "video": (15, 20, 120), "in_person": (20, 30, 240)}  # shortest, typical, longest
_MESSAGES_IN_OPEN_HOURS = 0.6
_TOPICS = ("the quote", "the invoice", "next week's appointment", "the annual review", "the contract renewal",
           "a change of address", "the delivery date", "the missing paperwork", "the deposit", "a referral",
           "the new price list", "their account", "the warranty", "the booking", "a complaint", "the payment plan",
           "the site visit", "the order", "the estimate for the extra work", "a late payment", "the key handover",
           "the insurance claim", "the spare parts", "the cancellation policy")
_OPENERS = {
    ("in", "phone"): ("Called about", "Rang about", "Phoned about", "Called, briefly, about"),
    ("in", "email"): ("Emailed about", "Wrote about", "Email about", "Forwarded documents about"),
    ("in", "sms"): ("Texted about", "Text about"),
    ("in", "video"): ("Video call about",),
    ("in", "in_person"): ("Came in about", "Dropped by about"),
    ("in", "postal"): ("Letter about", "Posted papers about"),
    ("out", "phone"): ("Called them about", "Rang about", "Left a voicemail about", "Quick call about"),
    ("out", "email"): ("Emailed them about", "Sent a note about", "Sent details of", "Followed up on"),
    ("out", "sms"): ("Texted a reminder about", "Texted about"),
    ("out", "video"): ("Video call about",),
    ("out", "in_person"): ("Met them about", "Visited them about"),
    ("out", "postal"): ("Posted a letter about", "Posted the paperwork for"),
}
_QUESTIONS = ("Asked about", "Needs an answer about", "Asked us to call back about", "Question about",
              "Wants to know more about", "Unsure about")
_ANSWERS = {"phone": ("Called back about", "Rang with an answer about"),  # a reply by phone, email or text
            "email": ("Replied about", "Answered their question about", "Sent the answer on"),
            "sms": ("Texted the answer about",)}
_SUMMARIES = {key: tuple(f"{opener} {topic}" for opener in openers for topic in _TOPICS)
              for key, openers in _OPENERS.items()}
_OUTCOMES = {"in": ("", "", "", "Booked", "Passed to the team", "Resolved on the spot", "Waiting for their documents",
                    "Noted", "Quote to follow"),
             "out": ("", "", "Agreed", "No answer; left a message", "Booked", "Call back Friday", "Confirmed",
                     "Waiting for their reply", "Paid")}
_ANSWER_OUTCOMES = ("", "Answered", "Answered; they are happy", "Answered; quote to follow", "Sorted")
_CLOSE_REASONS = ("Answered in person at the visit", "They sorted it out themselves", "Duplicate of their email",
                  "Just a thank-you; no reply needed", "Withdrawn by the client", "Spam")
# Who was at the desk, as shares of the ten years: people come and go.
_DESK = (("Margaret", 0.0, 0.45), ("Sam", 0.0, 1.0), ("Priya", 0.3, 1.0), ("Tomasz", 0.6, 1.0), ("Aiko", 0.85, 1.0))
_ERAS = 20


class Cancelled(Exception):
    pass


@dataclass(frozen=True, slots=True)
class DemoContact:
    contact_id: int
    fields: ContactFields
    created: datetime
    updated: datetime
    boundaries: dict | None = None  # the rules' JSON form; None keeps the defaults


@dataclass(frozen=True, slots=True)
class DemoAdded:
    """What `generate` wrote; `changes` is what the open screens hear."""

    contacts: int
    interactions: int
    inquiries: int
    open_inquiries: int
    changes: Changes
    purchases: int = 0  # refunds included
    agreements: int = 0
    out_of_scope: int = 0
    reminders: int = 0  # one-off and repeating
    cadences: int = 0  # contacts' own and the tag's


class _Locale:
    """One Faker locale and the pools drawn from it."""

    def __init__(self, code: str, region: str, seed: int, expected_contacts: int):
        from faker import Faker  # heavy, and needed only here

        fake = Faker(code)
        fake.seed_instance(seed)
        self.faker = fake
        self.region = region
        self.country = fake.current_country()
        self.email_domains = [fake.free_email_domain() for _ in range(4)]

        def size(kind: str) -> int:
            return min(POOL_CAPS[kind], max(POOL_FLOOR, expected_contacts))

        # Each name with its letters for an email address ("" for a name in another script).
        self.given = [_with_slug(fake.first_name()) for _ in range(size("given"))]
        self.family = [_with_slug(fake.last_name()) for _ in range(size("family"))]
        self.streets = [fake.street_address() for _ in range(size("street"))]
        self.cities = [fake.city() for _ in range(size("city"))]
        self.postcodes = [fake.postcode() for _ in range(size("postcode"))]
        self.notes = [fake.sentence(nb_words=fake.random_int(6, 16)) for _ in range(size("note"))]
        self.user_names = [fake.user_name() for _ in range(size("user"))]


def _with_slug(name: str) -> tuple[str, str]:
    return name, re.sub(r"[^a-z0-9]+", "", sort_key(name))


class DemoGenerator:
    def __init__(self, seed: int, home_region: str, now: datetime, expected_contacts: int):
        self._rng = random.Random(seed)
        self._home = home_region
        self._now = now
        self._today = now.date()
        shared: dict[tuple[str, str], _Locale] = {}
        self._locales: list[_Locale] = []
        for index, (code, region) in enumerate(LOCALES):
            if (code, region) not in shared:
                slots = LOCALES.count((code, region))
                shared[code, region] = _Locale(code, region, seed * 1000 + index,
                                               expected_contacts * slots // len(LOCALES))
            self._locales.append(shared[code, region])
        self._phone_plans: dict[str, _PhonePlan] = {}

    def contacts(self, count: int, first_id: int) -> Iterator[DemoContact]:
        organisation_ids: list[int] = []
        for offset in range(count):
            contact_id = first_id + offset
            locale = self._locales[self._rng.randrange(len(self._locales))]
            created = self._now - timedelta(days=self._rng.uniform(0, 3650))
            updated = min(self._now, created + timedelta(days=self._rng.expovariate(1 / 200)))
            rules = None
            if self._rng.random() < ORGANISATION_SHARE or (offset < 5 and count > 20):
                organisation_ids.append(contact_id)
                fields = self._organisation(locale)
            else:
                fields = self._person(locale, organisation_ids, first_id, contact_id)
                if self._rng.random() < BOUNDARIES_SHARE:
                    rules = self._boundaries(locale)
            yield DemoContact(contact_id, fields, created, updated, rules)

    def _boundaries(self, locale: _Locale) -> dict:
        """Rules as a client would state them: texts unwelcome, email any time, calls in their own hours."""
        rng = self._rng
        channels = {"phone": rng.choice(("business_hours", "business_hours", "client_window", "never")),
                    "sms": rng.choice(("never", "never", "business_hours", "any_time")),
                    "email": rng.choice(("any_time", "any_time", "business_hours"))}
        rules: dict = {"channels": channels, "urgent_channels": ["phone"] if rng.random() < 0.3 else [],
                       "notes": rng.choice(("", "", "Prefers email.", "Please no calls before 10:00.",
                                            "Keep contact to the quarterly review."))}
        if "client_window" in channels.values():
            start = rng.choice(("08:00", "09:00", "10:00"))
            end = rng.choice(("12:00", "15:00", "16:00", "18:00"))
            rules["client_window"] = {"timezone": _ZONES.get(locale.region, "Europe/London"),
                                      "hours": {day: [[start, end]] for day in ("mon", "tue", "wed", "thu", "fri")}}
        if rng.random() < 0.05:
            rules["do_not_contact_until"] = (self._now + timedelta(days=rng.randint(3, 120))).date().isoformat()
        return rules

    def _person(self, locale: _Locale, organisations: list[int], first_id: int, contact_id: int) -> ContactFields:
        rng = self._rng
        given, given_slug = rng.choice(locale.given)
        family, family_slug = rng.choice(locale.family)
        birthday = None
        if rng.random() < 0.6:
            born = date.fromordinal(self._today.toordinal() - rng.randint(18 * 365 + 5, 90 * 365))
            birthday = Birthday(born.day, born.month, born.year if rng.random() < 0.7 else None)
        referred_by = rng.randrange(first_id, contact_id) if contact_id > first_id and rng.random() < 0.1 else None
        return ContactFields(
            kind=ContactKind.PERSON, given_name=given, family_name=family,
            display_name=compose_display_name(given, family),
            organisation_id=rng.choice(organisations) if organisations and rng.random() < 0.4 else None,
            phones=tuple(self._phone(locale.region) for _ in range(rng.choice((0, 1, 1, 1, 2)))),
            emails=tuple(self._email(locale, given_slug, family_slug, n) for n in range(rng.choice((0, 1, 1, 1, 2)))),
            addresses=(self._address(locale),) if rng.random() < 0.5 else (),
            birthday=birthday,
            tags=tuple(sorted(set(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3)))))),
            notes=rng.choice(locale.notes) if rng.random() < 0.3 else "",
            referred_by_id=referred_by,
        )

    def _organisation(self, locale: _Locale) -> ContactFields:
        # Drawn from Faker each time, not from a pool: an organisation's name should be its own. They are
        # few (ORGANISATION_SHARE), so this costs little.
        name = locale.faker.company()
        domain = re.sub(r"[^a-z0-9]+", "", sort_key(name)) or "example"
        return ContactFields(
            kind=ContactKind.ORGANISATION, given_name="", family_name="", display_name=name,
            phones=(self._phone(locale.region, "work"),),
            emails=(Email(f"info@{domain[:30]}.example", "work"),),
            addresses=(self._address(locale),),
            tags=tuple(sorted(set(self._rng.sample(TAGS, self._rng.choice((0, 1, 2)))))),
        )

    def _address(self, locale: _Locale) -> Address:
        rng = self._rng
        return Address(street=rng.choice(locale.streets), city=rng.choice(locale.cities),
                       postcode=rng.choice(locale.postcodes),
                       country=locale.country if locale.region != self._home else "", label="work")

    def _email(self, locale: _Locale, given_slug: str, family_slug: str, index: int) -> Email:
        local = f"{given_slug}.{family_slug}" if given_slug and family_slug else self._rng.choice(locale.user_names)
        if index:
            local += str(self._rng.randint(1, 99))
        return Email(f"{local}@{self._rng.choice(locale.email_domains)}", "home" if index else "work")

    def _phone(self, region: str, label: str | None = None) -> Phone:
        import phonenumbers

        plan = self._phone_plans.get(region)
        if plan is None:
            plan = self._phone_plans[region] = _PhonePlan.for_region(region)
        rng = self._rng
        while True:
            prefix, free, valid = rng.choice(plan.templates)
            national = int(prefix + str(rng.randrange(10 ** free)).zfill(free))
            if valid(str(national)):
                break
        number = phonenumbers.PhoneNumber(country_code=plan.country_code, national_number=national)
        # Numbers at home are typed the local way; numbers abroad with their country code.
        style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == self._home
                 else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return Phone(raw=phonenumbers.format_number(number, style),
                     e164=f"+{plan.country_code}{national}",  # what E164 formatting gives, for less
                     label=label or rng.choice(PHONE_LABELS))


@dataclass(frozen=True, slots=True)
class _PhonePlan:
    """How to make valid numbers of one region: the prefix of an example mobile or landline number with
    random digits after it, checked against the number plan's own patterns for that kind of number."""

    country_code: int
    templates: tuple[tuple[str, int, Callable[[str], bool]], ...]  # (prefix, random digits, is it valid?)

    @classmethod
    def for_region(cls, region: str) -> _PhonePlan:
        import phonenumbers

        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        templates = []
        for kind, description in ((phonenumbers.PhoneNumberType.MOBILE, metadata.mobile),
                                  (phonenumbers.PhoneNumberType.FIXED_LINE, metadata.fixed_line)):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            digits = str(example.national_number)
            keep = max(1, len(digits) - 6)  # keep the area or mobile prefix, vary the rest
            valid = _matches_both(metadata.general_desc, description)
            # A plan whose numbers start with 0 (Italy's landlines) loses it in an integer: never valid here.
            if valid(digits):
                templates.append((digits[:keep], len(digits) - keep, valid))
        return cls(phonenumbers.country_code_for_region(region), tuple(templates))


def _matches_both(general, specific) -> Callable[[str], bool]:
    """What phonenumbers.is_valid_number decides, narrowed to one kind of number, in two regular expressions
    instead of its dozen: a number that fits the region's general pattern and the pattern of a mobile or
    landline number is valid (the phones test checks every number with phonenumbers itself)."""
    checks = [(frozenset(description.possible_length), re.compile(description.national_number_pattern).fullmatch)
              for description in (general, specific)]

    def valid(digits: str) -> bool:
        return all((not lengths or len(digits) in lengths) and match(digits) is not None for lengths, match in checks)

    return valid


# -- histories --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Client:
    contact_id: int
    known_since: int  # micros: interactions start when the contact was created
    unwelcome: frozenset[str]  # channels the client never wants to be contacted on


def _client(item: DemoContact) -> _Client:
    channels = (item.boundaries or {}).get("channels", {})
    unwelcome = frozenset(name for name, policy in channels.items() if policy == ChannelPolicy.NEVER.value)
    return _Client(item.contact_id, to_micros(item.created), unwelcome)


@dataclass(slots=True)
class _Event:
    """An interaction before it has its id: they are numbered once a client's history is in time order."""

    at: int  # micros
    direction: str
    channel: str
    summary: str
    outcome: str
    duration: int | None
    id: int = 0


@dataclass(slots=True)
class _Pending:
    """An inquiry waiting for the ids of the interactions that opened and answered it."""

    opened_by: _Event
    answer: _Event | None
    received: datetime
    target: datetime | None
    limit: datetime | None
    closed_at: int | None = None
    close_reason: str = ""


class HistoryGenerator:
    """Each client's interactions from the day they became a contact until `now`, and the inquiries among
    them: deadlines by the business's reply policy and calendar, answered by a later outgoing interaction,
    now and then closed without one, and a backlog of recent ones still open."""

    def __init__(self, seed: int, profile: BusinessProfile, now: datetime, client_count: int):
        self._rng = random.Random(f"{seed}-interactions")
        # How many each client has comes from a stream of its own, so the totals do not depend on `now`
        # (which moves the business's open hours under the instants drawn from the other stream).
        self._sizes = random.Random(f"{seed}-history-sizes")
        self._policy = profile.reply
        self._calendar = profile.calendar()
        self._now = to_micros(now) - MINUTE_MICROS  # nothing is logged in the very instant of `now`
        self._start = self._now - HISTORY // timedelta(microseconds=1)
        # The business's open stretches over the ten years, to place calls and visits inside them, and over
        # the weeks ahead, where the deadlines of the latest inquiries fall.
        horizon = self._now + REPLY_HORIZON // timedelta(microseconds=1)
        spans = list(self._calendar.open_spans_micros(self._start, horizon))
        self._span_starts = [opening for opening, _ in spans]
        self._span_ends = [closing for _, closing in spans]
        self._past_spans = bisect_left(self._span_starts, self._now)  # those that opened before now
        self._busiest_count = min(BUSIEST_INTERACTIONS, client_count // 16)  # in proportion for a small demo
        # Who was at the desk in each twentieth of the ten years.
        self._era_length = (self._now - self._start) / _ERAS
        self._desk = [tuple(name for name, first, last in _DESK if first * _ERAS <= era < last * _ERAS)
                      for era in range(_ERAS)]

    def busiest(self, clients: list[_Client]) -> int | None:
        """The longest-standing client, who is given the longest history."""
        return min(clients, key=lambda client: client.known_since).contact_id if clients else None

    def history(self, client: _Client, busiest: bool) -> tuple[list[_Event], list[_Pending]]:
        rng = self._rng
        random = rng.random  # the loop below runs a million times: choices by index, names looked up once
        first = max(client.known_since, self._start)
        if first >= self._now:
            return [], []
        years = (self._now - first) / (365.25 * DAY_MICROS)
        sizes = self._sizes
        if busiest:
            count = self._busiest_count
        elif years >= KEY_CLIENT_MIN_YEARS and sizes.random() < KEY_CLIENT_SHARE:
            count = round(sizes.uniform(*KEY_CLIENT_YEARLY) * years)
        elif sizes.random() < NEVER_CONTACTED_SHARE:
            count = 0
        else:  # a contact is made because someone called or wrote: one interaction at least
            count = 1 + int(sizes.expovariate(1 / (YEARLY_INTERACTIONS * years)))
        # The business's open stretches since the client became one: calls and visits fall in them.
        span_starts, span_ends, now = self._span_starts, self._span_ends, self._now
        first_span = bisect_right(span_ends, first)
        open_spans = self._past_spans - first_span
        everything = now - first

        def moment(open_hours: bool) -> int:
            if not open_hours or open_spans <= 0:
                return first + int(random() * everything)
            index = first_span + int(random() * open_spans)
            opening = max(first, span_starts[index])
            return opening + int(random() * (min(now, span_ends[index]) - opening))

        events: list[_Event] = []
        pending: list[_Pending] = []
        for _ in range(count):
            if random() < INCOMING_SHARE:
                direction = "in"
                channel = _INCOMING_CHANNELS[int(random() * len(_INCOMING_CHANNELS))]
                at = moment(channel in _IN_OPEN_HOURS or random() < _MESSAGES_IN_OPEN_HOURS)
                if random() < NEEDS_REPLY_SHARE:
                    topic = rng.choice(_TOPICS)
                    question = _Event(at, "in", channel, f"{rng.choice(_QUESTIONS)} {topic}", "",
                                      self._duration(channel))
                    events.append(question)
                    inquiry = self._inquiry(client, question, topic)
                    pending.append(inquiry)
                    if inquiry.answer is not None:
                        events.append(inquiry.answer)
                    continue
            else:
                direction = "out"
                channel = _OUTGOING_CHANNELS[int(random() * len(_OUTGOING_CHANNELS))]
                if channel in client.unwelcome:
                    channel = "email"
                at = moment(True)
            summaries, outcomes = _SUMMARIES[direction, channel], _OUTCOMES[direction]
            events.append(_Event(at, direction, channel, summaries[int(random() * len(summaries))],
                                 outcomes[int(random() * len(outcomes))], self._duration(channel)))
        events.sort(key=_by_time)
        return events, pending

    def records(self, contact_id: int, events: list[_Event], first_id: int) -> list[InteractionRecord]:
        """Numbers the events from `first_id` in time order and turns them into rows."""
        random, desk, start, era_length = self._rng.random, self._desk, self._start, self._era_length
        rows = []
        for number, event in enumerate(events):
            event.id = first_id + number
            at = event.at
            # Logged as it ended, or a few minutes later.
            logged = min(self._now, at + (event.duration or 0) * MINUTE_MICROS + int(random() * 10 * MINUTE_MICROS))
            names = desk[min(_ERAS - 1, int((at - start) // era_length))]
            rows.append(InteractionRecord(
                event.id, contact_id, event.channel, event.direction, at, event.duration, event.summary,
                event.outcome, random() < URGENT_SHARE, names[int(random() * len(names))], logged))
        return rows

    @staticmethod
    def inquiries(contact_id: int, pending: list[_Pending], first_id: int) -> list[Inquiry]:
        """The pending inquiries, numbered from `first_id`, once their interactions have ids."""
        found = []
        for number, item in enumerate(pending):
            answer = item.answer
            status = (InquiryStatus.ANSWERED if answer is not None else
                      InquiryStatus.CLOSED if item.closed_at is not None else InquiryStatus.OPEN)
            found.append(Inquiry(
                id=first_id + number, contact_id=contact_id, received=item.received, target=item.target,
                limit=item.limit, status=status, answered_at=from_micros(answer.at) if answer else None,
                closed_at=from_micros(item.closed_at) if item.closed_at is not None else None,
                close_reason=item.close_reason, opened_by_interaction_id=item.opened_by.id,
                answered_by_interaction_id=answer.id if answer else None))
        return found

    def _inquiry(self, client: _Client, question: _Event, topic: str) -> _Pending:
        rng = self._rng
        received = from_micros(question.at)
        deadlines = reply_by(received, self._policy, self._calendar)
        pending = _Pending(question, None, received, deadlines.target, deadlines.limit)
        target = to_micros(deadlines.target) if deadlines.target else question.at + round(
            self._policy.target_hours * MICROS_PER_HOUR)
        limit = to_micros(deadlines.limit) if deadlines.limit else target + round(
            (self._policy.limit_hours - self._policy.target_hours) * MICROS_PER_HOUR)
        draw = rng.random()
        if draw < CLOSED_SHARE:
            closed_at = self._next_open(question.at + rng.randrange(MINUTE_MICROS, 30 * 60 * MINUTE_MICROS))
            if closed_at < self._now and not self._in_backlog(question.at):
                pending.closed_at = closed_at
                pending.close_reason = rng.choice(_CLOSE_REASONS)
            return pending
        # Replies go out while the business is open: in time when there is open time before the target (a
        # question from Friday evening may have none, and is answered late on Monday), or late.
        earliest = question.at + MINUTE_MICROS
        if draw < CLOSED_SHARE + IN_TIME_SHARE:
            answered_at = self._open_between(earliest, target) or self._next_open(max(earliest, target))
        elif draw < CLOSED_SHARE + IN_TIME_SHARE + LATE_SHARE:
            answered_at = self._open_between(max(earliest, target), limit) or self._next_open(max(earliest, limit))
        else:
            answered_at = self._next_open(max(earliest, limit) + round(
                rng.expovariate(1 / max(MINUTE_MICROS, limit - question.at))))
        if answered_at >= self._now or self._in_backlog(question.at):
            return pending  # still open
        channel = question.channel if question.channel in _ANSWERS and question.channel not in client.unwelcome \
            else "email"
        pending.answer = _Event(answered_at, "out", channel, f"{rng.choice(_ANSWERS[channel])} {topic}",
                                rng.choice(_ANSWER_OUTCOMES), self._duration(channel))
        return pending

    def _open_between(self, low: int, high: int) -> int | None:
        """A moment in [low, high) while the business is open, or None when it is closed all that time."""
        first = bisect_right(self._span_ends, low)
        last = bisect_left(self._span_starts, high)
        if first >= last:
            return None
        index = self._rng.randrange(first, last)
        opening, closing = max(low, self._span_starts[index]), min(high, self._span_ends[index])
        return opening + int(self._rng.random() * (closing - opening))

    def _in_backlog(self, received: int) -> bool:
        age_days = (self._now - received) / DAY_MICROS
        return age_days < BACKLOG_DAYS and self._rng.random() < BACKLOG_SHARE * (1 - age_days / BACKLOG_DAYS)

    def _next_open(self, moment: int) -> int:
        found = self._calendar.next_opening_micros(moment, moment + LOOKAHEAD_MICROS)
        return moment if found is None else found

    def _duration(self, channel: str) -> int | None:
        """Minutes for a call, a video call or a visit; None for a message."""
        if channel not in _DURATIONS:
            return None
        shortest, typical, longest = _DURATIONS[channel]
        return min(longest, shortest + int(self._rng.expovariate(1 / typical)))


_by_time = attrgetter("at")


# -- services, agreements and purchases -------------------------------------------------------------

# (name, description, price in pence, unit, how often it is bought): a small trade business's catalogue.
SERVICES = (
    ("Boiler service", "Annual boiler service and safety check", 8_500, "visit", 14),
    ("Boiler repair", "Diagnosis and repair, parts extra", 14_500, "job", 8),
    ("Emergency call-out", "Out-of-hours attendance, first hour included", 9_500, "call-out", 5),
    ("Plumbing labour", "General plumbing work", 5_500, "hour", 16),
    ("Leak repair", "Find and fix a leak", 12_000, "job", 8),
    ("Drain unblocking", "Sinks, toilets and outside drains", 9_000, "job", 6),
    ("Radiator installation", "Supply and fit one radiator", 32_000, "radiator", 3),
    ("Gas safety certificate", "Landlord gas safety record (CP12)", 7_500, "certificate", 9),
    ("Bathroom fitting", "Full bathroom refit, labour and fittings", 420_000, "job", 1),
    ("Office cleaning", "Regular office clean", 2_200, "hour", 14),
    ("Deep clean", "End-of-tenancy or one-off deep clean", 28_000, "job", 4),
    ("Window cleaning", "Inside and out", 3_500, "visit", 12),
)
_BY_HOUR = frozenset({"Plumbing labour", "Office cleaning"})
# Who buys: many contacts never do, some once; the rest at a yearly rate drawn from a heavy-tailed (Pareto)
# distribution, each with a basket size of their own from another, so a fifth of the payers bring about
# three quarters of the revenue. About ten purchases per contact in all.
NEVER_BUYS_SHARE = 0.35
BUYS_ONCE_SHARE = 0.12  # of those who buy
PURCHASE_RATE = (0.75, 1.3, 150.0)  # yearly purchases: scale × paretovariate(shape), at most this many
BASKET = (1.6, 25.0)  # a buyer's basket multiplier: paretovariate(shape), at most this
REFUND_SHARE = 0.004  # of purchases: refunded in full or in part a few days later
AGREEMENT_SHARE = 0.08  # of contacts
AGREEMENT_ENDED_SHARE = 0.25
OUT_OF_SCOPE_SHARE = 0.25  # of the contacts with an agreement: about 2 % of all contacts
_AGREEMENT_NOTES = ("", "", "", "Keys with the neighbour at number 12.", "Invoice the head office.",
                    "Annual review with the owner.", "Includes parts up to £50 a visit.", "Renewed after a price change.")
_FEES = {"monthly": (2_500, 25_000), "quarterly": (7_500, 60_000), "yearly": (15_000, 180_000)}
_OUT_OF_SCOPE_ASKS = ("Fit an extra radiator in the loft", "Move the boiler to the garage", "Clean the gutters too",
                      "Weekend visit for a party", "Replace the kitchen tap", "Look at the neighbour's leak",
                      "Paint the bathroom after the refit", "Power-wash the patio", "Install a smart thermostat",
                      "Extra clean before an inspection", "Clear the garden drain", "Same-day call-out on a Sunday")
PURCHASE_BATCH = 50_000  # rows written at a time
_DAY_ORDINAL_1970 = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class _Sales:
    purchases: int
    agreements: int
    out_of_scope: int


class SalesGenerator:
    """The catalogue, and each client's agreements, purchases, refunds and out-of-scope requests over the
    ten years, from a random stream of its own: the same seed gives the same sales whatever came before."""

    def __init__(self, seed: int, now: datetime, service_ids: dict[str, int]):
        self._rng = random.Random(f"{seed}-sales")
        self._now = now
        self._today = now.date().toordinal()
        self._first = self._today - HISTORY.days
        # Each day's ISO text and the instant a purchase of that day was recorded, made once.
        days = [date.fromordinal(day) for day in range(self._first, self._today + 1)]
        self._iso = [day.isoformat() for day in days]
        self._recorded = [f"{text} 17:30:00.000000" for text in self._iso[:-1]] + [
            now.astimezone(UTC).isoformat(" ", "microseconds")[:26]]
        self._services = [(service_ids[name], name, price, name in _BY_HOUR) for name, _, price, _, _ in SERVICES]
        self._picks = tuple(index for index, (*_, weight) in enumerate(SERVICES) for _ in range(weight))
        self._ids_by_name = service_ids

    def client(self, contact_id: int, known_since: int, agreement_id: int,
               purchases: list[tuple], agreements: list[tuple], links: list[tuple], asks: list[tuple]) -> int:
        """Appends the client's rows to the lists; returns how many agreements it was given (0 or 1)."""
        rng = self._rng
        random = rng.random
        first = max(self._first, _DAY_ORDINAL_1970 + known_since // DAY_MICROS)
        if first > self._today:
            return 0
        span = self._today - first + 1
        years = span / 365.25
        has_agreement = random() < AGREEMENT_SHARE
        rate_scale, rate_shape, rate_cap = PURCHASE_RATE
        if has_agreement:
            count = 1 + int(min(rate_cap, rate_scale * rng.paretovariate(rate_shape) + 4) * years)
        elif random() < NEVER_BUYS_SHARE:
            count = 0
        elif random() < BUYS_ONCE_SHARE:
            count = 1
        else:
            count = 1 + int(min(rate_cap, rate_scale * rng.paretovariate(rate_shape)) * years + random())
        if count:
            basket = min(BASKET[1], rng.paretovariate(BASKET[0]))
            favourite = self._picks[int(random() * len(self._picks))]  # what this client mostly buys
            services, picks, iso, recorded = self._services, self._picks, self._iso, self._recorded
            offset = first - self._first
            days = sorted(offset + int(random() * span) for _ in range(count))
            last = len(iso) - 1
            for day in days:
                service_id, name, price, hourly = services[
                    favourite if random() < 0.5 else picks[int(random() * len(picks))]]
                quantity = 1 + int(rng.expovariate(0.5)) if hourly else 1
                amount = max(500, int(price * quantity * basket * (0.8 + 0.4 * random())) // 50 * 50)
                purchases.append((contact_id, iso[day], amount, service_id, name, recorded[day]))
                if random() < REFUND_SHARE:
                    back = min(last, day + 1 + int(random() * 30))
                    refund = amount if random() < 0.6 else amount // 2 // 50 * 50
                    purchases.append((contact_id, iso[back], -refund, service_id, f"Refund: {name}", recorded[back]))
        if not has_agreement:
            return 0
        self._agreement(contact_id, agreement_id, first, agreements, links, asks)
        return 1

    def _agreement(self, contact_id: int, agreement_id: int, first: int, agreements: list[tuple],
                   links: list[tuple], asks: list[tuple]) -> None:
        rng = self._rng
        starts = rng.randint(first, max(first, self._today - 30))
        ends = None
        if rng.random() < AGREEMENT_ENDED_SHARE and starts < self._today - 60:
            ends = rng.randint(starts + 30, self._today - 1)
        period = rng.choice(("monthly", "monthly", "monthly", "quarterly", "yearly"))
        low, high = _FEES[period]
        fee = rng.randint(low // 100, high // 100) * 100
        renews = None
        if ends is None:  # renews on the next anniversary of its start
            renews = starts + 365 * (1 + (self._today - starts) // 365)
        start_day = date.fromordinal(starts)
        agreements.append((agreement_id, contact_id, start_day.isoformat(),
                           None if ends is None else date.fromordinal(ends).isoformat(),
                           None if renews is None else date.fromordinal(renews).isoformat(), fee, period,
                           rng.choice((6, 12, 12)), rng.choice(_AGREEMENT_NOTES), f"{start_day.isoformat()} 09:00:00.000000"))
        for index in sorted(set(rng.sample(range(len(self._services)), rng.randint(1, 3)))):
            links.append((agreement_id, self._services[index][0]))
        if rng.random() < OUT_OF_SCOPE_SHARE:
            for _ in range(rng.randint(1, 3)):
                day = rng.randint(starts, ends if ends is not None else self._today)
                at = f"{date.fromordinal(day).isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00.000000"
                decision = rng.choice(("declined", "quoted", "accepted", "accepted"))
                charge = None if decision == "declined" else rng.randint(40, 900) * 100
                asks.append((contact_id, at, rng.choice(_OUT_OF_SCOPE_ASKS), decision, charge, at))


def _catalogue_rows() -> list[tuple[str, str, int, str]]:
    return [(name, description, price, unit) for name, description, price, unit, _ in SERVICES]


# -- reminders and cadences ------------------------------------------------------------------------------

REMINDERS_PER_CONTACT = 0.5  # 50,000 for the 100,000-contact demo
RECURRING_SHARE = 0.10  # of the reminders; the rest are one-off follow-ups and call-backs
REMINDER_PAST_DAYS = 3 * 365  # follow-ups set over the last three years…
REMINDER_AHEAD_DAYS = 180  # …and for the next six months
OPEN_PAST_SHARE = 0.004  # of past follow-ups: still open, overdue (the rest were done, a few skipped)
SKIPPED_SHARE = 0.05  # of the past follow-ups handled
BUSINESS_WIDE_SHARE = 0.1  # reminders about no one client ("renew the insurance")
CADENCE_TAG = "retainer"
CADENCE_TAG_DAYS = 90
CADENCE_SHARE = 0.11  # of contacts, each with a cadence of its own; with the tagged ones about a fifth in all
CADENCE_DAYS = (30, 60, 90, 90, 180)
BEHIND_SHARE = 0.005  # of the contacts a cadence covers: never caught up, their round long overdue
# Repeating rules, as often as they appear: weekly and fortnightly few, monthly and quarterly most.
_RULES = (("FREQ=WEEKLY;BYDAY={day}", 3), ("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}", 7),
          ("FREQ=MONTHLY;BYMONTHDAY=1", 15), ("FREQ=MONTHLY;BYMONTHDAY=15", 15), ("FREQ=MONTHLY;BYMONTHDAY=-1", 10),
          ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", 30), ("FREQ=YEARLY", 20))
_RULE_PICKS = tuple(rule for rule, weight in _RULES for _ in range(weight))
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
_FOLLOW_UPS = ("Call back about", "Follow up on", "Send details of", "Chase", "Check in about", "Confirm",
               "Ask about")
_RECURRING_TITLES = ("Check the account", "Send the statement", "Review the plan", "Maintenance visit",
                     "Newsletter", "Check in", "Invoice")
_BUSINESS_TITLES = ("Renew the insurance", "Order stationery", "Back up the files", "Check the van",
                    "Pay the suppliers", "Update the price list")
_REMINDER_CHANNELS = ("phone", "phone", "email", "email", "sms", None)


@dataclass(frozen=True, slots=True)
class _Reminders:
    reminders: int
    cadences: int


def _write_reminders(uow, seed: int, now: datetime, profile: BusinessProfile, clients: list[_Client],
                     check: Callable[[], None]) -> _Reminders:
    """Half as many reminders as contacts (a tenth repeating), their past handled, and stay-in-touch cadences on about a fifth of the
    contacts (the retainer tag's and contacts' own), kept up with as a business using them would: each round
    falls between a few days ago and one cadence ahead, a few long overdue. Plan reviews likewise, and the rules:
    birthdays from today, thank-yous for first purchases from yesterday on, greetings before Christmas and New
    Year."""
    from clientdesk.domain.reminders.occasions import available_holidays
    from clientdesk.domain.reminders.plan_reviews import add_months
    from clientdesk.domain.reminders.recurrence import recurrence_of
    from clientdesk.storage.reminders_repository import BulkReminderWriter, ReminderRepository

    rng = random.Random(f"{seed}-reminders")
    writer = BulkReminderWriter(uow.session)
    zone = ZoneInfo(profile.time_zone)
    today = now.astimezone(zone).date()
    stamp = now.astimezone(UTC).isoformat(" ", "microseconds")[:26]
    ids = [client.contact_id for client in clients]
    rows: list[tuple] = []
    handled: list[tuple] = []
    next_id = writer.next_reminder_id()
    now_micros = to_micros(now)

    def wall(day: date) -> tuple[datetime, str]:
        at = f"{rng.choice((9, 10, 11, 14, 15, 16)):02d}:{rng.choice((0, 15, 30, 45)):02d}:00"
        local = datetime.fromisoformat(f"{day.isoformat()}T{at}").replace(tzinfo=zone)
        return local.astimezone(UTC), at

    count = round(len(ids) * REMINDERS_PER_CONTACT)
    for offset in range(count):
        reminder_id = next_id + offset
        contact_id = None if rng.random() < BUSINESS_WIDE_SHARE or not ids else ids[int(rng.random() * len(ids))]
        channel = None if contact_id is None else rng.choice(_REMINDER_CHANNELS)
        if rng.random() < RECURRING_SHARE:
            rule = rng.choice(_RULE_PICKS).format(day=rng.choice(_WEEKDAYS))
            starts_on = today - timedelta(days=rng.randint(7, 730))
            _, at = wall(starts_on)
            recurrence = recurrence_of(rule, starts_on, datetime.strptime(at, "%H:%M:%S").time(), profile.time_zone)
            # Kept up with: the occurrences before the last few days were handled.
            found = recurrence.next_after(now - timedelta(days=rng.choice((0, 0, 1, 2))), inclusive=True)
            next_due = found[0].astimezone(UTC).isoformat(" ", "microseconds")[:26] if found else None
            title = rng.choice(_RECURRING_TITLES) if contact_id else rng.choice(_BUSINESS_TITLES)
            rows.append((reminder_id, contact_id, title, channel, None, rule, starts_on.isoformat(), at,
                         profile.time_zone, next_due, stamp, stamp))
            continue
        day = today + timedelta(days=rng.randint(-REMINDER_PAST_DAYS, REMINDER_AHEAD_DAYS))
        due, _ = wall(day)
        due_text = due.isoformat(" ", "microseconds")[:26]
        title = (f"{rng.choice(_FOLLOW_UPS)} {rng.choice(_TOPICS)}" if contact_id else rng.choice(_BUSINESS_TITLES))
        next_due = due_text
        if to_micros(due) < now_micros and rng.random() >= OPEN_PAST_SHARE:
            next_due = None
            state = "skipped" if rng.random() < SKIPPED_SHARE else "done"
            handled.append((f"reminder:{reminder_id}", "follow_up", state, due_text, contact_id, reminder_id, due_text))
        rows.append((reminder_id, contact_id, title, channel, due_text, None, None, None, None, next_due,
                     stamp, stamp))
        if len(rows) >= BATCH * 5:
            check()
            writer.add_reminders(rows)
            rows.clear()
    writer.add_reminders(rows)
    writer.add_handlings(handled)
    check()

    # Cadences: the tag's, and contacts' own; each covered contact's round placed by its skipped_through.
    tagged = set(uow.contacts.ids_tagged(CADENCE_TAG))
    own = {contact_id: rng.choice(CADENCE_DAYS) for contact_id in ids if rng.random() < CADENCE_SHARE}
    skipped: list[tuple[int, str]] = []
    for contact_id in sorted(tagged | set(own)):
        every = min(own.get(contact_id, CADENCE_TAG_DAYS), CADENCE_TAG_DAYS if contact_id in tagged else 9999)
        if rng.random() < BEHIND_SHARE:
            continue
        round_on = today + timedelta(days=rng.randint(-3, every))
        skipped.append((contact_id, (round_on - timedelta(days=every)).isoformat()))
    writer.add_skipped_rounds(skipped)
    tag_id = ReminderRepository(uow.session).tag_id(CADENCE_TAG, create=True)
    starts = (today - timedelta(days=365)).isoformat()
    writer.add_cadences([(None, tag_id, CADENCE_TAG_DAYS, starts, "phone", stamp)]
                        + [(contact_id, None, every, starts, rng.choice(("phone", "phone", "email")), stamp)
                           for contact_id, every in sorted(own.items())])
    check()

    # Plan reviews kept up with: each agreement's next review between a few days ago and one period ahead.
    reviews = []
    for agreement_id, months in writer.reviewed_agreements(today):
        if rng.random() < BEHIND_SHARE * 4:
            continue
        due = today + timedelta(days=rng.randint(-5, months * 30))
        reviews.append((add_months(due, -months).isoformat(), agreement_id))
    writer.skip_reviews(reviews)

    greetings = sorted({name for _, name in available_holidays(profile.country, profile.subdivision or None,
                                                                today.year)
                        if "christmas" in name.casefold() or "new year" in name.casefold()})
    rules = {"birthdays": {"since": today.isoformat()},
             "thank_yous": {"since": (today - timedelta(days=1)).isoformat()},
             "holidays": {"holidays": greetings, "since": today.isoformat()} if greetings else None}
    writer.save_rules(rules)
    return _Reminders(count, len(own) + 1)


# -- the whole run ----------------------------------------------------------------------------------

def generate(database: Database, count: int, seed: int, home_region: str, *,
             progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
             now: datetime | None = None, stage: Callable[[str], None] | None = None) -> DemoAdded:
    """Add `count` demo contacts, then about ten years of their interactions and inquiries, then a catalogue
    of services and the contacts' agreements, purchases and out-of-scope requests, in one transaction: a
    cancel or a failure adds nothing.

    `progress(done, count)` covers the whole run (the contacts take the first CONTACTS_PROGRESS of it, the
    interactions up to HISTORY_PROGRESS, the sales up to SALES_PROGRESS, the stage histories the rest);
    `stage` hears "contacts", "interactions", "purchases", then "stages", as each part begins."""
    with cycle_collector_paused():
        return _generate(database, count, seed, home_region, progress, cancelled, now or datetime.now(UTC), stage)


def _generate(database: Database, count: int, seed: int, home_region: str, progress: Progress | None,
              cancelled: Callable[[], bool], now: datetime, stage: Callable[[str], None] | None) -> DemoAdded:
    from clientdesk.services.system_defaults import default_profile

    generator = DemoGenerator(seed, home_region, now, count)

    def report(share: float) -> None:
        if progress:
            progress(round(count * share), count)

    def check() -> None:
        if cancelled():
            raise Cancelled("Demo data generation was cancelled; nothing was added.")

    with database.writing() as uow:
        if stage:
            stage("contacts")
        first_id = uow.bulk.next_id()
        clients: list[_Client] = []
        batch: list[DemoContact] = []
        for item in generator.contacts(count, first_id):
            batch.append(item)
            if len(batch) == BATCH:
                check()
                _write(uow, batch, clients)
                report(CONTACTS_PROGRESS * len(clients) / count)
        _write(uow, batch, clients)
        report(CONTACTS_PROGRESS)

        if stage:
            stage("interactions")
        # The app's deadlines come from the stored profile, or the computer's defaults until one is saved.
        histories = HistoryGenerator(seed, uow.profile.get() or default_profile(), now, count)
        writer = uow.bulk.interactions
        next_interaction, next_inquiry = writer.next_interaction_id(), writer.next_inquiry_id()
        first_interaction, first_inquiry = next_interaction, next_inquiry
        open_count = 0
        busiest = histories.busiest(clients)
        rows: list[InteractionRecord] = []
        inquiries: list[Inquiry] = []
        step = max(1, min(BATCH, len(clients) // 20))  # clients between two progress reports
        with writer.time_index_rebuilt_after():
            for done, client in enumerate(clients, 1):
                events, pending = histories.history(client, client.contact_id == busiest)
                rows += histories.records(client.contact_id, events, next_interaction)
                next_interaction += len(events)
                found = histories.inquiries(client.contact_id, pending, next_inquiry)
                next_inquiry += len(found)
                open_count += sum(inquiry.status is InquiryStatus.OPEN for inquiry in found)
                inquiries += found
                if done % step == 0:
                    check()
                    report(CONTACTS_PROGRESS + (HISTORY_PROGRESS - CONTACTS_PROGRESS) * done / len(clients))
                if len(rows) >= INTERACTION_BATCH or done == len(clients):
                    writer.add_interactions(rows)
                    writer.add_inquiries(inquiries)  # after the interactions they point at
                    rows.clear()
                    inquiries.clear()
        report(HISTORY_PROGRESS)

        if stage:
            stage("purchases")
        sales = _write_sales(uow, seed, now, clients, check,
                             lambda share: report(HISTORY_PROGRESS + (SALES_PROGRESS - HISTORY_PROGRESS) * share))

        if stage:
            stage("reminders")
        reminders = _write_reminders(uow, seed, now, uow.profile.get() or default_profile(), clients, check)

        if stage:
            stage("stages")

        def stages_done(done: int, total: int) -> None:
            check()
            report(SALES_PROGRESS + (1 - SALES_PROGRESS) * done / total)

        # Worked out here, with the bar moving, rather than silently by the commit.
        profile = uow.profile.get() or default_profile()
        uow.stages.settle(profile.time_zone, profile.retention.lapse_days,
                          now.astimezone(ZoneInfo(profile.time_zone)).date(), stages_done)
        report(1.0)
    return DemoAdded(count, next_interaction - first_interaction, next_inquiry - first_inquiry, open_count,
                     Changes(contacts=True, everything=True, reminders=True), sales.purchases, sales.agreements,
                     sales.out_of_scope, reminders.reminders, reminders.cadences)


def _write_sales(uow, seed: int, now: datetime, clients: list[_Client], check: Callable[[], None],
                 report: Callable[[float], None]) -> _Sales:
    """The catalogue, then every client's agreements, purchases and out-of-scope requests, in batches."""
    writer = uow.bulk_purchases
    ids = writer.ensure_services(_catalogue_rows(), now.astimezone(UTC).isoformat(" ", "microseconds")[:26])
    sales = SalesGenerator(seed, now, ids)
    next_agreement = writer.next_agreement_id()
    purchases: list[tuple] = []
    agreements: list[tuple] = []
    links: list[tuple] = []
    asks: list[tuple] = []
    totals = [0, 0, 0]
    step = max(1, min(BATCH, len(clients) // 20))

    def flush() -> None:
        writer.add_agreements(agreements, links)
        writer.add_purchases(purchases)
        writer.add_out_of_scope(asks)
        totals[0] += len(purchases)
        totals[2] += len(asks)
        for rows in (purchases, agreements, links, asks):
            rows.clear()

    with writer.day_index_rebuilt_after():
        for done, client in enumerate(clients, 1):
            given = sales.client(client.contact_id, client.known_since, next_agreement, purchases, agreements,
                                 links, asks)
            next_agreement += given
            totals[1] += given
            if done % step == 0:
                check()
                report(done / len(clients))
            if len(purchases) >= PURCHASE_BATCH:
                flush()
        flush()
    return _Sales(*totals)


def _write(uow, batch: list[DemoContact], clients: list[_Client]) -> None:
    if batch:
        uow.bulk.add_many([(item.contact_id, item.fields, item.created, item.updated) for item in batch])
        uow.bulk.add_boundaries([(item.contact_id, item.boundaries, item.updated) for item in batch
                                 if item.boundaries])
        clients += (_client(item) for item in batch)
        batch.clear()
