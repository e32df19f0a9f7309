"""The business's reminder rules as one value and its JSON form: birthdays, holiday greetings, thank-yous and
the channel of plan reviews. Storage keeps the JSON; only this module turns it into rules, validating them.

    {"birthdays": {"since": "2026-12-01", "days_before": 0, "keep_days": 7, "channel": "email"},
     "holidays": {"holidays": ["Christmas Day"], "since": "2026-12-01", "days_before": 3, "keep_days": 7,
                  "channel": "email", "tag": null},
     "thank_yous": {"since": "2026-12-01", "first_purchase": true, "above": "500.00", "days_after": 1,
                    "channel": "email"},
     "plan_reviews": {"channel": "phone"}}

A rule set to null is off. A key left out keeps its default: birthdays and thank-yous for first purchases on
(from the day the rules were first stored, so switching ClientDesk on raises no backlog), holiday greetings
off (they need holidays chosen), plan reviews by phone. Holiday greetings with a `tag` are one item per
contact with that tag; without one, one item for the whole business.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.contacts import normalize_tag
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.reminders.occasions import DEFAULT_KEEP_DAYS, BirthdayRule, HolidayGreetingRule
from clientdesk.domain.reminders.thank_yous import ThankYouRule

KEYS = ("birthdays", "holidays", "thank_yous", "plan_reviews")


@dataclass(frozen=True, slots=True)
class ReminderRules:
    birthdays: BirthdayRule | None = None
    holidays: HolidayGreetingRule | None = None
    holiday_tag: str | None = None  # greet each contact with this tag, rather than one item for everyone
    thank_yous: ThankYouRule | None = None
    plan_review_channel: Channel | None = Channel.PHONE

    @classmethod
    def defaults(cls, since: date) -> ReminderRules:
        """Birthdays and first-purchase thank-yous from `since`; holiday greetings off; plan reviews by phone."""
        return cls(birthdays=BirthdayRule(since), thank_yous=ThankYouRule(since))

    def to_json(self) -> dict:
        def channel(value: Channel | None) -> str | None:
            return None if value is None else value.value

        birthdays = self.birthdays
        holidays = self.holidays
        thanks = self.thank_yous
        return {
            "birthdays": None if birthdays is None else {
                "since": birthdays.since.isoformat(), "days_before": birthdays.days_before,
                "keep_days": birthdays.keep_days, "channel": channel(birthdays.channel)},
            "holidays": None if holidays is None else {
                "holidays": list(holidays.holidays), "since": holidays.since.isoformat(),
                "days_before": holidays.days_before, "keep_days": holidays.keep_days,
                "channel": channel(holidays.channel), "tag": self.holiday_tag},
            "thank_yous": None if thanks is None else {
                "since": thanks.since.isoformat(), "first_purchase": thanks.first_purchase,
                "above": None if thanks.above is None else f"{thanks.above:.2f}", "days_after": thanks.days_after,
                "channel": channel(thanks.channel)},
            "plan_reviews": {"channel": channel(self.plan_review_channel)},
        }

    @classmethod
    def from_json(cls, data: object, default_since: date) -> ReminderRules:
        """The rules a JSON object describes, keys left out at their defaults (see the module), or InvalidInput
        with every problem."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem("(rules)", "The reminder rules must be a JSON object, {…}.")])
        problems = [FieldProblem(key, f"“{key}” is not a reminder rule; use one of {', '.join(KEYS)}.")
                    for key in data if key not in KEYS]
        rules = cls.defaults(default_since)
        reader = _Reader(problems, default_since)
        if "birthdays" in data:
            part = reader.part(data["birthdays"], "birthdays")
            rules = replace(rules, birthdays=None if part is None else reader.build(lambda: BirthdayRule(
                reader.day(part, "since"), reader.number(part, "days_before", 0),
                reader.keep(part), reader.channel(part, Channel.EMAIL)), "birthdays"))
        if "holidays" in data:
            part = reader.part(data["holidays"], "holidays")
            if part is None:
                rules = replace(rules, holidays=None, holiday_tag=None)
            else:
                names = part.get("holidays", [])
                if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
                    problems.append(FieldProblem("holidays.holidays", "List the holidays' names, e.g. "
                                                                      "[\"Christmas Day\"]."))
                    names = []
                tag = part.get("tag")
                if tag is not None and not (isinstance(tag, str) and normalize_tag(tag)):
                    problems.append(FieldProblem("holidays.tag", "The tag must be text, or null."))
                    tag = None
                rules = replace(rules, holiday_tag=normalize_tag(tag) if tag else None,
                                holidays=reader.build(lambda: HolidayGreetingRule(
                                    tuple(names), reader.day(part, "since"), reader.number(part, "days_before", 3),
                                    reader.keep(part), reader.channel(part, Channel.EMAIL)), "holidays"))
        if "thank_yous" in data:
            part = reader.part(data["thank_yous"], "thank_yous")
            rules = replace(rules, thank_yous=None if part is None else reader.build(lambda: ThankYouRule(
                reader.day(part, "since"), bool(part.get("first_purchase", True)), reader.amount(part),
                reader.number(part, "days_after", 1), reader.channel(part, Channel.EMAIL)), "thank_yous"))
        if "plan_reviews" in data:
            part = reader.part(data["plan_reviews"], "plan_reviews")
            rules = replace(rules, plan_review_channel=None if part is None else reader.build(
                lambda: reader.channel(part, Channel.PHONE), "plan_reviews"))
        if problems:
            raise InvalidInput(problems)
        return rules


class _Reader:
    def __init__(self, problems: list[FieldProblem], default_since: date):
        self.problems = problems
        self.default_since = default_since
        self.where = ""

    def part(self, value: object, key: str) -> dict | None:
        self.where = key
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(FieldProblem(key, f"“{key}” must be an object {{…}}, or null to switch it off."))
            return None
        return value

    def build(self, make, key: str):
        try:
            return make()
        except InvalidInput as error:
            self.problems.extend(FieldProblem(f"{key}.{problem.field}", problem.message) for problem in error.problems)
        except (TypeError, ValueError) as error:
            self.problems.append(FieldProblem(key, str(error)))
        return None

    def day(self, part: dict, key: str) -> date:
        value = part.get(key)
        if value is None:
            return self.default_since
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise InvalidInput([FieldProblem(key, f"“{value}” is not a date such as 2026-12-01.")]) from None

    def number(self, part: dict, key: str, default: int) -> int:
        value = part.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput([FieldProblem(key, f"“{value}” is not a whole number of days.")])
        return value

    def keep(self, part: dict) -> int | None:
        if "keep_days" in part and part["keep_days"] is None:
            return None
        return self.number(part, "keep_days", DEFAULT_KEEP_DAYS)

    def channel(self, part: dict, default: Channel | None) -> Channel | None:
        if "channel" not in part:
            return default
        value = part["channel"]
        if value is None:
            return None
        try:
            return Channel(value)
        except ValueError:
            names = ", ".join(channel.value for channel in Channel)
            raise InvalidInput([FieldProblem("channel", f"“{value}” is not a channel; use {names}.")]) from None

    def amount(self, part: dict) -> Decimal | None:
        value = part.get("above")
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise InvalidInput([FieldProblem("above", f"“{value}” is not an amount such as 500.00.")]) from None


__all__ = ["KEYS", "ReminderRules"]
