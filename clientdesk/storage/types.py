"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Instants are stored as naive UTC and always come back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Refusing a naive datetime: instants must carry a time zone.")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# The same instants for plain-SQL reads and bulk writes, which bypass the type above. The text is what
# SQLAlchemy writes for it ("2026-03-01 09:30:00.000000"): its text order is time order, so SQL compares
# instants bound this way with stored ones.

def utc_text(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("Refusing a naive datetime: instants must carry a time zone.")
    if instant.tzinfo is not UTC:
        instant = instant.astimezone(UTC)
    return instant.isoformat(" ", "microseconds")[:26]


def utc_text_or_none(instant: datetime | None) -> str | None:
    return None if instant is None else utc_text(instant)


def from_utc_text(text: str | None) -> datetime | None:
    # Parsed with its offset rather than given one by replace(tzinfo=…), which costs five times as much.
    return None if text is None else datetime.fromisoformat(text + "+00:00")
