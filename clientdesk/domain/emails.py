"""Email addresses, checked for form only: the desk must work offline, so no DNS look-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Email:
    address: str
    label: str = "work"


class InvalidEmail(ValueError):
    pass


# The plain local part nearly every address has (RFC 5322's dot-atom, in ASCII). email-validator leaves
# such a part as it is; all it has left to judge is the domain, which a list repeats by the thousand.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
MAX_LOCAL_LENGTH = 64
MAX_ADDRESS_LENGTH = 254


def normalize_email(address: str, label: str = "work") -> Email:
    text = address.strip()
    if not text:
        raise InvalidEmail("Enter an email address.")
    local, at, domain = text.rpartition("@")
    if at and len(local) <= MAX_LOCAL_LENGTH and _PLAIN_LOCAL.fullmatch(local):
        checked_domain = _checked_domain(domain)
        if checked_domain is not None and len(local) + 1 + len(checked_domain) <= MAX_ADDRESS_LENGTH:
            return Email(address=f"{local}@{checked_domain}", label=label.strip() or "work")
    return Email(address=_validated(text), label=label.strip() or "work")


@lru_cache(maxsize=4096)
def _checked_domain(domain: str) -> str | None:
    """The domain as email-validator normalises it, or None when it refuses it (the whole address is
    then checked again, for its message)."""
    try:
        return _validated(f"a@{domain}").rpartition("@")[2]
    except InvalidEmail:
        return None


def _validated(text: str) -> str:
    from email_validator import EmailNotValidError, validate_email  # slow import, needed only on edit

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(f"“{text}” is not a valid email address: {error}") from None
    return checked.normalized
