"""The business's own profile: its country is the default region for phone numbers (and holidays)."""

from __future__ import annotations

from dataclasses import dataclass

from clientdesk.domain.errors import FieldProblem, InvalidInput


@dataclass(frozen=True, slots=True)
class BusinessProfile:
    name: str = ""
    address: str = ""
    country: str = "GB"  # ISO 3166-1 alpha-2
    time_zone: str = "Europe/London"  # IANA name
    currency: str = "GBP"  # ISO 4217


class InvalidProfile(InvalidInput):
    pass


def check_profile(profile: BusinessProfile) -> list[FieldProblem]:
    import zoneinfo

    import phonenumbers

    problems = []
    if profile.country.upper() not in phonenumbers.SUPPORTED_REGIONS:
        problems.append(FieldProblem("country", f"“{profile.country}” is not a two-letter country code such as GB or US."))
    if profile.time_zone not in zoneinfo.available_timezones():
        problems.append(FieldProblem("time_zone", f"“{profile.time_zone}” is not a time zone such as Europe/London."))
    if len(profile.currency) != 3 or not profile.currency.isalpha():
        problems.append(FieldProblem("currency", f"“{profile.currency}” is not a three-letter currency code such as GBP."))
    return problems
