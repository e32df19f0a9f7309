"""Small builders shared by the tests."""

from __future__ import annotations

from clientdesk.domain.contacts import ContactDraft


def person(given: str, family: str = "", **fields) -> ContactDraft:
    return ContactDraft(given_name=given, family_name=family, **fields)
