"""Email addresses: the quick path for plain addresses gives exactly what email-validator gives."""

from __future__ import annotations

import pytest

from clientdesk.domain import emails
from clientdesk.domain.emails import InvalidEmail, normalize_email

ADDRESSES = [
    "Ana.Silva@Example.COM", "a..b@x.com", ".a@x.com", "a.@x.com", "a@localhost", "a@x.test", "ann@münchen.de",
    "zoë@example.com", "o'brien@example.co.uk", "a@b", "a@-x.com", "a@x..com", "x" * 64 + "@x.com",
    "x" * 65 + "@x.com", "a@" + "b" * 63 + ".com", "a@" + "b" * 64 + ".com", "a+tag@example.org", "a@[1.2.3.4]",
    '"a b"@x.com', "a@x.invalid", "a@x.123", "A@EXAMPLE.com", "a@xn--mnchen-3ya.de", "a@x_y.com", "a@.com",
    "x" * 60 + "@" + ".".join(["d" * 60] * 3) + ".com", "a@b@c.com", "  ana@example.com  ",
]


def _slow(text: str) -> str:
    try:
        return emails._validated(text.strip())
    except InvalidEmail:
        return "invalid"


@pytest.mark.parametrize("text", ADDRESSES)
def test_the_quick_path_agrees_with_email_validator(text):
    try:
        quick = normalize_email(text).address
    except InvalidEmail:
        quick = "invalid"
    assert quick == _slow(text)


def test_a_refused_domain_still_gets_email_validators_message():
    with pytest.raises(InvalidEmail, match="a@localhost"):
        normalize_email("a@localhost")


def test_the_quick_path_is_taken_for_a_plain_address(monkeypatch):
    normalize_email("warm@example.com")
    monkeypatch.setattr(emails, "_validated", lambda text: pytest.fail(f"validated {text} in full"))
    assert normalize_email("Jo.Bloggs@EXAMPLE.com", "home") == emails.Email("Jo.Bloggs@example.com", "home")
