"""Realistic, reproducible demo data: people from many countries, their organisations, referrals and tags."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from clientdesk.domain.contacts import Address, Birthday, ContactFields, ContactKind, compose_display_name, sort_key
from clientdesk.domain.emails import Email
from clientdesk.domain.phones import Phone
from clientdesk.services.changes import Changes
from clientdesk.storage import Database

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


BOUNDARIES_SHARE = 0.25
_ZONES = {"GB": "Europe/London", "US": "America/New_York", "FR": "Europe/Paris", "DE": "Europe/Berlin",
          "ES": "Europe/Madrid", "IT": "Europe/Rome", "PL": "Europe/Warsaw", "BR": "America/Sao_Paulo",
          "SE": "Europe/Stockholm", "NL": "Europe/Amsterdam", "GR": "Europe/Athens", "RU": "Europe/Moscow",
          "JP": "Asia/Tokyo"}


class Cancelled(Exception):
    pass


@dataclass(frozen=True, slots=True)
class DemoContact:
    contact_id: int
    fields: ContactFields
    created: datetime
    updated: datetime
    boundaries: dict | None = None  # the rules' JSON form; None keeps the defaults


@dataclass
class _Locale:
    faker: object
    region: str
    email_domains: list[str]


class DemoGenerator:
    def __init__(self, seed: int, home_region: str, now: datetime):
        from faker import Faker  # heavy, and needed only here

        self._rng = random.Random(seed)
        self._home = home_region
        self._now = now
        self._locales: list[_Locale] = []
        for index, (code, region) in enumerate(LOCALES):
            faker = Faker(code)
            faker.seed_instance(seed * 1000 + index)
            self._locales.append(_Locale(faker, region, [faker.free_email_domain() for _ in range(4)]))
        self._phone_templates: dict[str, list[str]] = {}

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
        rng, fake = self._rng, locale.faker
        given, family = fake.first_name(), fake.last_name()
        birthday = None
        if rng.random() < 0.6:
            born = fake.date_of_birth(minimum_age=18, maximum_age=90)
            birthday = Birthday(born.day, born.month, born.year if rng.random() < 0.7 else None)
        referred_by = rng.randrange(first_id, contact_id) if contact_id > first_id and rng.random() < 0.1 else None
        return ContactFields(
            kind=ContactKind.PERSON, given_name=given, family_name=family,
            display_name=compose_display_name(given, family),
            organisation_id=rng.choice(organisations) if organisations and rng.random() < 0.4 else None,
            phones=tuple(self._phone(locale.region) for _ in range(rng.choice((0, 1, 1, 1, 2)))),
            emails=tuple(self._email(locale, given, family, n) for n in range(rng.choice((0, 1, 1, 1, 2)))),
            addresses=(self._address(locale),) if rng.random() < 0.5 else (),
            birthday=birthday,
            tags=tuple(sorted(set(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3)))))),
            notes=fake.sentence(nb_words=rng.randint(6, 16)) if rng.random() < 0.3 else "",
            referred_by_id=referred_by,
        )

    def _organisation(self, locale: _Locale) -> ContactFields:
        fake = locale.faker
        name = fake.company()
        domain = re.sub(r"[^a-z0-9]+", "", sort_key(name)) or "example"
        return ContactFields(
            kind=ContactKind.ORGANISATION, given_name="", family_name="", display_name=name,
            phones=(self._phone(locale.region, "work"),),
            emails=(Email(f"info@{domain[:30]}.example", "work"),),
            addresses=(self._address(locale),),
            tags=tuple(sorted(set(self._rng.sample(TAGS, self._rng.choice((0, 1, 2)))))),
        )

    def _address(self, locale: _Locale) -> Address:
        fake = locale.faker
        return Address(street=fake.street_address(), city=fake.city(), postcode=fake.postcode(),
                       country=fake.current_country() if locale.region != self._home else "", label="work")

    def _email(self, locale: _Locale, given: str, family: str, index: int) -> Email:
        local = ".".join(re.sub(r"[^a-z0-9]+", "", sort_key(part)) for part in (given, family))
        if not re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+", local):
            local = locale.faker.user_name()
        if index:
            local += str(self._rng.randint(1, 99))
        return Email(f"{local}@{self._rng.choice(locale.email_domains)}", "home" if index else "work")

    def _phone(self, region: str, label: str | None = None) -> Phone:
        import phonenumbers

        if region not in self._phone_templates:
            self._phone_templates[region] = self._templates_for(region)
        templates = self._phone_templates[region]
        country_code = phonenumbers.country_code_for_region(region)
        while True:
            national = "".join(ch if ch != "#" else str(self._rng.randrange(10)) for ch in self._rng.choice(templates))
            number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
            if phonenumbers.is_valid_number(number):
                break
        # Numbers at home are typed the local way; numbers abroad with their country code.
        style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == self._home
                 else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return Phone(raw=phonenumbers.format_number(number, style),
                     e164=f"+{country_code}{number.national_number}",  # what E164 formatting gives, for less
                     label=label or self._rng.choice(PHONE_LABELS))

    @staticmethod
    def _templates_for(region: str) -> list[str]:
        import phonenumbers

        templates = []
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                digits = str(example.national_number)
                keep = max(1, len(digits) - 6)  # keep the area or mobile prefix, vary the rest
                templates.append(digits[:keep] + "#" * (len(digits) - keep))
        return templates


def generate(database: Database, count: int, seed: int, home_region: str, *,
             progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
             now: datetime | None = None) -> Changes:
    """Add `count` demo contacts in one transaction: a cancel or a failure adds none."""
    generator = DemoGenerator(seed, home_region, now or datetime.now(UTC))
    with database.writing() as uow:
        first_id = uow.bulk.next_id()
        batch: list[DemoContact] = []
        done = 0
        for item in generator.contacts(count, first_id):
            batch.append(item)
            if len(batch) == BATCH:
                if cancelled():
                    raise Cancelled("Demo data generation was cancelled; nothing was added.")
                _write(uow, batch)
                done += len(batch)
                batch.clear()
                if progress:
                    progress(done, count)
        if batch:
            _write(uow, batch)
            done += len(batch)
        if progress:
            progress(done, count)
    return Changes(contacts=True, everything=True)


def _write(uow, batch: list[DemoContact]) -> None:
    uow.bulk.add_many([(item.contact_id, item.fields, item.created, item.updated) for item in batch])
    uow.bulk.add_boundaries([(item.contact_id, item.boundaries, item.updated) for item in batch if item.boundaries])
