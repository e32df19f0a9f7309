from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

from clientdesk.domain.acknowledgement import acknowledgement_text, mailto_url, spoken_time
from clientdesk.domain.reply import DEFAULT_ACKNOWLEDGEMENT

TARGET = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
LIMIT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_the_default_names_the_client_and_the_promised_time_in_the_business_zone():
    text = acknowledgement_text(DEFAULT_ACKNOWLEDGEMENT, client="Zoë Ålström", business="Bright Ltd",
                                target=TARGET, limit=LIMIT, time_zone="Europe/Paris")
    assert text.startswith("Dear Zoë Ålström,")
    assert "by Tuesday 24 November at 11:00." in text
    assert text.endswith("Bright Ltd")


def test_other_braces_are_kept_as_typed():
    text = acknowledgement_text("Hi {client} {unknown} {{target}} {limit}", client="Ann", business="",
                                target=TARGET, limit=None, time_zone="Europe/London")
    assert text == "Hi Ann {unknown} {Tuesday 24 November at 10:00} as soon as we can"


def test_spoken_time_without_a_deadline():
    assert spoken_time(None, "Europe/London") == "as soon as we can"


def test_a_mail_draft_keeps_every_character_and_line():
    body = "Dear O'Brien & Co,\nLine two? yes=no #1 100%"
    url = mailto_url("o.brien+desk@example.com", "Re: your message — Zoë", body)
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and unquote(parts.path) == "o.brien+desk@example.com"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Re: your message — Zoë"]
    assert query["body"] == [body.replace("\n", "\r\n")]
    assert " " not in url and "\n" not in url
