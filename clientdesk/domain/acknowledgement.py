"""The acknowledgement sent as soon as an inquiry arrives: the client learns when to expect the answer."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

PLACEHOLDERS = ("client", "business", "target", "limit")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def spoken_time(moment: datetime | None, time_zone: str) -> str:
    """ "Tuesday 24 November at 10:00", in the business's zone: how a person writes a promise."""
    if moment is None:
        return "as soon as we can"
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} at {local:%H:%M}"


def acknowledgement_text(template: str, *, client: str, business: str, target: datetime | None,
                         limit: datetime | None, time_zone: str) -> str:
    """The template with {client}, {business}, {target} and {limit} filled in. Other braces are kept as
    typed, so a template can never fail to render."""
    values = {"client": client, "business": business or "us",
              "target": spoken_time(target, time_zone), "limit": spoken_time(limit, time_zone)}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def acknowledgement_subject(business: str) -> str:
    return f"We have received your message{f' — {business}' if business else ''}"


def mailto_url(address: str, subject: str, body: str) -> str:
    """A mail draft for the system's mail program (RFC 6068): every reserved character percent-encoded,
    line breaks as CRLF."""
    encode = lambda text: quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")  # noqa: E731
    return f"mailto:{quote(address, safe='@')}?subject={encode(subject)}&body={encode(body)}"
