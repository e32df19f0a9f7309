"""Repeat rules in plain words, both ways: "every 3 months on the 1st" <-> FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1.

People set a repeat by typing words and read it back as words; RRULE text is for storage and calendars. The
grammar is small on purpose, and every rule it produces is canonical (recurrence.normalise_rule), so a
rule read back as words and parsed again is the same rule. A rule outside the grammar (BYSETPOS, BYWEEKNO,
a UNTIL at a time of day …) is still a valid rule; it is shown as its text, and the form can take raw RRULE
text too (`rule_from_text`).

The grammar (case and extra spaces do not matter; a trailing full stop is ignored):

    repeat  := how-often [","] [ending]
    how-often :=
        "every day" | "daily" | "every N days" | "every other day"
      | "every weekday"
      | ("every week" | "weekly" | "every N weeks" | "every other week" | "fortnightly") ["on" days]
      | "every" days                                   e.g. "every Monday and Thursday"
      | ("every month" | "monthly" | "every N months" | "quarterly") ["on the" month-days | "on the" nth day]
      | ("every year" | "yearly" | "annually" | "every N years") ["on" day-of-year]
    days       := Monday ["," | "and"] Thursday …      (Mon, Tues, Thursdays … also understood)
    month-days := 1st ["," | "and"] 15th … | "last day"   e.g. "the 1st and 15th", "the last day"
    nth day    := ("first" … "fifth" | "last" | "1st" …) weekday     e.g. "the first Monday", "the last Friday"
    day-of-year:= 15 March | March 15 | the 15th of March
    ending     := "until" date | N "times" | "once"     date: 31 December 2027, December 31 2027, 2027-12-31

N is digits or a word from one to twelve. "until" a date includes that whole day (UNTIL=…T235959, local).
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.reminders.recurrence import FIELD, WEEKDAY_CODES, normalise_rule, rule_parts

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_WEEKDAYS: dict[str, int] = {}
for _index, _name in enumerate(_DAY_NAMES):
    for _form in (_name, _name[:3], _name[:2]):
        _WEEKDAYS[_form.lower()] = _WEEKDAYS[_form.lower() + "s"] = _index
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_MONTHS: dict[str, int] = {}
for _index, _name in enumerate(_MONTH_NAMES, start=1):
    _MONTHS[_name.lower()] = _MONTHS[_name[:3].lower()] = _index
_MONTHS["sept"] = 9
_NUMBER_WORDS = {word: n for n, word in enumerate(
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), start=1)}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_POSITION_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORKING_WEEK = "MO,TU,WE,TH,FR"
_UNITS = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_EXAMPLES = ("“every week on Tuesday”, “every 2 weeks on Monday and Thursday”, "
             "“every month on the last day”, “yearly on 15 March, 10 times”")


class _NotUnderstood(Exception):
    """A sentence for the user about the part of the text that went wrong."""


# --- words to a rule --------------------------------------------------------------------------------------

def rule_from_words(text: object) -> str:
    """The canonical RRULE for a repeat in plain words, or InvalidInput saying what was not understood."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput([FieldProblem(FIELD, f"Say how often it repeats, e.g. {_EXAMPLES}.")])
    try:
        parts = _Parser(text).parse()
    except _NotUnderstood as problem:
        raise InvalidInput([FieldProblem(FIELD, str(problem))]) from None
    return normalise_rule(";".join(f"{key}={value}" for key, value in parts.items()))


def rule_from_text(text: object, zone: ZoneInfo | None = None) -> str:
    """Plain words or a raw RRULE (starting FREQ= or RRULE:), whichever was typed, as a canonical rule."""
    if isinstance(text, str) and text.strip().upper().startswith(("FREQ=", "RRULE:")):
        return normalise_rule(text, zone)
    return rule_from_words(text)


class _Parser:
    def __init__(self, text: str):
        self.text = " ".join(text.split())
        cleaned = self.text.rstrip(".").replace(",", " , ")
        self.shown = cleaned.split()  # as typed, for the messages
        self.tokens = [token.lower() for token in self.shown]
        self.position = 0

    # --- the cursor ---

    def peek(self, ahead: int = 0) -> str | None:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, *words: str) -> str | None:
        token = self.peek()
        if token is not None and token in words:
            self.position += 1
            return token
        return None

    def rest(self) -> str:
        return self.spelled(self.position, len(self.tokens))

    def spelled(self, start: int, end: int) -> str:
        """Tokens start…end as the user typed them."""
        return " ".join(self.shown[start:end]).replace(" , ", ", ")

    def fail(self, message: str | None = None) -> _NotUnderstood:
        if message is None:
            rest = self.rest()
            where = f"“{rest}” in “{self.text}”" if rest and self.position else f"“{self.text}”"
            message = f"ClientDesk does not understand {where} as a repeat; write e.g. {_EXAMPLES}."
        return _NotUnderstood(message)

    # --- the grammar ---

    def parse(self) -> dict[str, str]:
        parts = self.how_often()
        self.take(",")
        if self.peek() is not None:
            parts.update(self.ending())
        if self.peek() is not None:
            raise self.fail()
        return parts

    def how_often(self) -> dict[str, str]:
        fixed = {"daily": ("DAILY", 1), "weekly": ("WEEKLY", 1), "fortnightly": ("WEEKLY", 2),
                 "monthly": ("MONTHLY", 1), "quarterly": ("MONTHLY", 3), "yearly": ("YEARLY", 1),
                 "annually": ("YEARLY", 1)}
        word = self.take(*fixed)
        if word is not None:
            frequency, interval = fixed[word]
        elif self.take("every", "each"):
            if self.take("weekday", "weekdays"):
                return {"FREQ": "WEEKLY", "BYDAY": _WORKING_WEEK}
            if self.peek() in _WEEKDAYS:
                return {"FREQ": "WEEKLY", "BYDAY": self.weekdays()}
            if self.take("fortnight"):
                frequency, interval = "WEEKLY", 2
            else:
                interval = self.count(default=1)
                unit = self.take(*_UNITS, *(unit + "s" for unit in _UNITS))
                if unit is None:
                    raise self.fail()
                frequency = _UNITS[unit.rstrip("s")]
        else:
            raise self.fail()
        parts = {"FREQ": frequency}
        if interval != 1:
            parts["INTERVAL"] = str(interval)
        if self.take("on"):
            parts.update(self.on(frequency))
        return parts

    def count(self, default: int | None = None) -> int:
        token = self.peek()
        if token is not None and token.isdigit():
            self.position += 1
            number = int(token)
            if number < 1:
                raise self.fail(f"“{self.shown[self.position - 1]}” is too few; use 1 or more.")
            return number
        if token in _NUMBER_WORDS:
            self.position += 1
            return _NUMBER_WORDS[token]
        if token == "other":
            self.position += 1
            return 2
        if default is None:
            raise self.fail()
        return default

    def on(self, frequency: str) -> dict[str, str]:
        if frequency == "WEEKLY":
            return {"BYDAY": self.weekdays()}
        if frequency == "MONTHLY":
            self.take("the")
            return self.month_days()
        if frequency == "YEARLY":
            month, day = self.day_of_year()
            return {"BYMONTH": str(month), "BYMONTHDAY": str(day)}
        raise self.fail(f"“every day” cannot be on a particular day; write e.g. “every week on Monday” "
                        f"instead of “{self.text}”.")

    def weekdays(self) -> str:
        days: list[str] = []
        while True:
            token = self.peek()
            if token not in _WEEKDAYS:
                known = token is None or token in (",", "and")
                raise self.fail(None if known else f"“{self.shown[self.position]}” is not a day of the week.")
            self.position += 1
            days.append(WEEKDAY_CODES[_WEEKDAYS[token]])
            if not self._another(lambda following: following in _WEEKDAYS):
                return ",".join(days)

    def _another(self, is_item) -> bool:
        """After an item of a list: is another coming ("," / "and" / ", and" [the], then an item)? When not,
        nothing is consumed: in "…, 10 times" the comma belongs to the ending, not the list."""
        start = self.position
        if self.take(",") is not None:
            self.take("and")
        elif self.take("and") is None:
            return False
        self.take("the")
        if is_item(self.peek()):
            return True
        self.position = start
        return False

    def month_days(self) -> dict[str, str]:
        first, following = self.peek(), self.peek(1)
        position = self.ordinal(first)
        if position is not None and following in _WEEKDAYS:  # the first Monday, the last Friday
            if position not in _POSITION_WORDS:
                raise self.fail(f"“{self.spelled(self.position, self.position + 2)}”: a month has at most five "
                                "of each weekday.")
            self.position += 2
            return {"BYDAY": f"{position}{WEEKDAY_CODES[_WEEKDAYS[following]]}"}
        days: list[int] = []
        while True:
            token = self.peek()
            position = self.ordinal(token)
            if position is None or position < -1 or position > 31:
                raise self.fail(None if token is None else f"“{self.shown[self.position]}” is not a day of the "
                                                           "month such as 1st, 15th or last day.")
            self.position += 1
            self.take("day")
            if position not in days:
                days.append(position)
            if not self._another(lambda following: self.ordinal(following) is not None):
                return {"BYMONTHDAY": ",".join(str(day) for day in days)}

    @staticmethod
    def ordinal(token: str | None) -> int | None:
        if token is None:
            return None
        if token in _ORDINAL_WORDS:
            return _ORDINAL_WORDS[token]
        match = _ORDINAL.fullmatch(token)
        if match and match[2] == _suffix(int(match[1])):
            return int(match[1])
        return None

    def day_of_year(self) -> tuple[int, int]:
        self.take("the")
        token = self.peek()
        if token in _MONTHS:  # March 15, March 15th
            self.position += 1
            return _MONTHS[token], self.day_number()
        day = self.day_number()
        self.take("of")
        month = self.take(*_MONTHS)
        if month is None:
            raise self.fail(f"“{self.shown[self.position]}” is not a month." if self.peek() else None)
        return _MONTHS[month], day

    def day_number(self) -> int:
        token = self.peek()
        if token is not None and (token.isdigit() or _ORDINAL.fullmatch(token)):
            number = int(token) if token.isdigit() else self.ordinal(token)
            if number is not None and 1 <= number <= 31:
                self.position += 1
                return number
            raise self.fail(f"“{self.shown[self.position]}” is not a day of the month.")
        raise self.fail()

    def ending(self) -> dict[str, str]:
        if self.take("until"):
            return {"UNTIL": self.date().strftime("%Y%m%dT235959")}
        if self.take("once"):
            return {"COUNT": "1"}
        self.take("for")
        count = self.count()
        if self.take("times", "time", "occurrences") is None:
            raise self.fail()
        return {"COUNT": str(count)}

    def date(self) -> date:
        token = self.peek()
        spelled = self.spelled(self.position, self.position + 4).rstrip(", ")
        try:
            if token is not None and (match := _ISO_DATE.fullmatch(token)):
                self.position += 1
                return date(int(match[1]), int(match[2]), int(match[3]))
            if token in _MONTHS:
                self.position += 1
                month, day = _MONTHS[token], self.day_number()
            else:
                day = self.day_number()
                self.take("of")
                name = self.take(*_MONTHS)
                if name is None:
                    raise self.fail()
                month = _MONTHS[name]
            self.take(",")
            year = self.peek()
            if year is None or not (year.isdigit() and len(year) == 4):
                raise self.fail("Give the year of the last day, e.g. “until 31 December 2027”.")
            self.position += 1
            return date(int(year), month, day)
        except ValueError:
            raise self.fail(f"“{spelled}” is not a date.") from None


# --- a rule to words --------------------------------------------------------------------------------------

def describe_rule(rule: str) -> str:
    """The rule in plain words, in the grammar's own spelling, or the rule's text when the grammar cannot
    say it (the text is still a valid rule; the form shows it as typed)."""
    try:
        canonical = normalise_rule(rule)
    except InvalidInput:
        return rule.strip() if isinstance(rule, str) else str(rule)
    phrase = _phrase(rule_parts(canonical))
    return canonical if phrase is None else phrase


def is_plain(rule: str) -> bool:
    """Whether describe_rule can say the rule in words (a form then offers the words, not the raw text)."""
    try:
        return _phrase(rule_parts(normalise_rule(rule))) is not None
    except InvalidInput:
        return False


def _phrase(parts: dict[str, str]) -> str | None:
    parts = dict(parts)
    frequency = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    ending = _ending(parts.pop("COUNT", None), parts.pop("UNTIL", None))
    if ending is None:
        return None
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[frequency]
    every = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    if frequency == "DAILY":
        head = every if not parts else None
    elif frequency == "WEEKLY":
        days = parts.pop("BYDAY", None)
        if parts:
            return None
        if days is None:
            head = every
        elif days == _WORKING_WEEK and interval == 1:
            head = "every weekday"
        else:
            head = f"{every} on {_listed([_DAY_NAMES[WEEKDAY_CODES.index(code)] for code in days.split(',')])}"
    elif frequency == "MONTHLY":
        head = _monthly(every, parts)
    else:
        head = _yearly("yearly" if interval == 1 else every, parts)
    return None if head is None else head + ending


def _ending(count: str | None, until: str | None) -> str | None:
    if count is not None:
        return ", once" if count == "1" else f", {count} times"
    if until is not None:
        if not until.endswith("T235959"):
            return None  # an end at a time of day: the grammar only has whole days
        day = date(int(until[:4]), int(until[4:6]), int(until[6:8]))
        return f" until {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"
    return ""


def _monthly(every: str, parts: dict[str, str]) -> str | None:
    if not parts:
        return every
    if set(parts) == {"BYMONTHDAY"}:
        days = [int(n) for n in parts["BYMONTHDAY"].split(",")]
        if any(day < -1 for day in days):
            return None
        return f"{every} on the {_listed([f'{day}{_suffix(day)}' if day > 0 else 'last day' for day in days])}"
    if set(parts) == {"BYDAY"} and "," not in parts["BYDAY"]:
        match = re.fullmatch(r"(-?\d+)([A-Z]{2})", parts["BYDAY"])
        if match and int(match[1]) in _POSITION_WORDS:
            return f"{every} on the {_POSITION_WORDS[int(match[1])]} {_DAY_NAMES[WEEKDAY_CODES.index(match[2])]}"
    return None


def _yearly(every: str, parts: dict[str, str]) -> str | None:
    if not parts:
        return every
    if set(parts) == {"BYMONTH", "BYMONTHDAY"} and "," not in parts["BYMONTH"] + parts["BYMONTHDAY"]:
        day = int(parts["BYMONTHDAY"])
        if day > 0:
            return f"{every} on {day} {_MONTH_NAMES[int(parts['BYMONTH']) - 1]}"
    return None


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["describe_rule", "is_plain", "rule_from_text", "rule_from_words"]
