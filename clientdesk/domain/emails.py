"""Email addresses, checked for form only: the desk must work offline, so no DNS look-ups."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Email:
    address: str
    label: str = "work"


class InvalidEmail(ValueError):
    pass


def normalize_email(address: str, label: str = "work") -> Email:
    from email_validator import EmailNotValidError, validate_email  # slow import, needed only on edit

    text = address.strip()
    if not text:
        raise InvalidEmail("Enter an email address.")
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(f"“{text}” is not a valid email address: {error}") from None
    return Email(address=checked.normalized, label=label.strip() or "work")
