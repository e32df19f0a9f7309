"""The business's own profile: who it is, where (the default region for phone numbers and the public
holidays), its time zone and currency, its opening hours and closures, and how fast it replies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import BusinessCalendar, Closure, PublicHolidays, WeeklyHours
from clientdesk.domain.lifecycle import RetentionSettings
from clientdesk.domain.reply import ReplyPolicy

# The JSON keys of `business show`/`business set`, documented in README.md.
JSON_KEYS = ("name", "address", "country", "subdivision", "timezone", "currency", "hours", "closures",
             "public_holidays", "reply", "retention")


@dataclass(frozen=True, slots=True)
class BusinessProfile:
    name: str = ""
    address: str = ""
    country: str = "GB"  # ISO 3166-1 alpha-2
    time_zone: str = "Europe/London"  # IANA name
    currency: str = "GBP"  # ISO 4217
    subdivision: str = ""  # for public holidays, e.g. ENG, SCT; blank for the whole country
    hours: WeeklyHours = field(default_factory=WeeklyHours.office_default)
    closures: tuple[Closure, ...] = ()
    public_holidays: bool = False
    reply: ReplyPolicy = field(default_factory=ReplyPolicy)
    retention: RetentionSettings = field(default_factory=RetentionSettings)

    def calendar(self) -> BusinessCalendar:
        holidays = PublicHolidays(self.country, self.subdivision or None) if self.public_holidays else None
        return BusinessCalendar(hours=self.hours, time_zone=self.time_zone, closures=self.closures,
                                holidays=holidays)


class InvalidProfile(InvalidInput):
    pass


def check_profile(profile: BusinessProfile) -> list[FieldProblem]:
    import zoneinfo

    import phonenumbers

    problems = []
    if profile.country.upper() not in phonenumbers.SUPPORTED_REGIONS:
        problems.append(FieldProblem("country", f"“{profile.country}” is not a two-letter country code such as GB or US."))
    if profile.time_zone not in zoneinfo.available_timezones():
        problems.append(FieldProblem("timezone", f"“{profile.time_zone}” is not a time zone such as Europe/London."))
    if len(profile.currency) != 3 or not profile.currency.isalpha():
        problems.append(FieldProblem("currency", f"“{profile.currency}” is not a three-letter currency code such as GBP."))
    if profile.public_holidays or profile.subdivision:
        try:
            PublicHolidays(profile.country, profile.subdivision or None)
        except InvalidInput as error:
            problems.extend(error.problems)
    for index, closure in enumerate(profile.closures):
        if closure.end < closure.start:
            problems.append(FieldProblem(f"closures[{index}]", "A closure cannot end before it starts."))
    return problems


def profile_to_json(profile: BusinessProfile) -> dict:
    return {
        "name": profile.name, "address": profile.address, "country": profile.country,
        "subdivision": profile.subdivision, "timezone": profile.time_zone, "currency": profile.currency,
        "hours": profile.hours.to_json(), "closures": [closure.to_json() for closure in profile.closures],
        "public_holidays": profile.public_holidays, "reply": profile.reply.to_json(),
        "retention": profile.retention.to_json(),
    }


def profile_from_json(current: BusinessProfile, data: object) -> BusinessProfile:
    """`current` with the keys given in `data` replaced; keys left out keep their values. Every problem
    is reported at once and nothing is half-applied."""
    if not isinstance(data, dict):
        raise InvalidProfile([FieldProblem("(file)", "The settings must be a JSON object, {…}.")])
    problems: list[FieldProblem] = [FieldProblem(key, f"“{key}” is not a setting; use one of {', '.join(JSON_KEYS)}.")
                                    for key in data if key not in JSON_KEYS]
    changes: dict = {}
    for key, attribute in (("name", "name"), ("address", "address"), ("country", "country"),
                           ("subdivision", "subdivision"), ("timezone", "time_zone"), ("currency", "currency")):
        if key in data:
            if isinstance(data[key], str):
                value = data[key].strip()
                changes[attribute] = value.upper() if key in ("country", "subdivision", "currency") else value
            else:
                problems.append(FieldProblem(key, f"“{key}” must be text."))
    if "public_holidays" in data:
        if isinstance(data["public_holidays"], bool):
            changes["public_holidays"] = data["public_holidays"]
        else:
            problems.append(FieldProblem("public_holidays", "“public_holidays” must be true or false."))
    for key, parse in (("hours", lambda value: WeeklyHours.from_json(value, "hours")),
                       ("reply", lambda value: ReplyPolicy.from_json(value, "reply")),
                       ("closures", _closures_from_json),
                       ("retention", lambda value: RetentionSettings.from_json(value, "retention"))):
        if key in data:
            try:
                changes[key] = parse(data[key])
            except InvalidInput as error:
                problems.extend(error.problems)
    if problems:
        raise InvalidProfile(problems)
    updated = replace(current, **changes)
    problems = check_profile(updated)
    if problems:
        raise InvalidProfile(problems)
    return updated


def _closures_from_json(value: object) -> tuple[Closure, ...]:
    if not isinstance(value, list):
        raise InvalidInput([FieldProblem("closures", "“closures” must be a list of {start, end, reason}.")])
    closures, problems = [], []
    for index, item in enumerate(value):
        try:
            closures.append(Closure.from_json(item, f"closures[{index}]"))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return tuple(sorted(closures, key=lambda closure: closure.start))
