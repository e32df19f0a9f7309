"""A first guess at the business profile from the computer's own settings, until the owner sets it."""

from __future__ import annotations

import os
from pathlib import Path

from clientdesk.domain.business import BusinessProfile

_CURRENCY_BY_COUNTRY = {
    "GB": "GBP", "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "IE": "EUR", "FR": "EUR", "DE": "EUR",
    "ES": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR", "AT": "EUR", "PT": "EUR", "FI": "EUR", "GR": "EUR",
    "CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN", "CZ": "CZK", "JP": "JPY", "IN": "INR",
    "ZA": "ZAR", "BR": "BRL", "MX": "MXN",
}


def system_time_zone() -> str:
    if os.environ.get("TZ", "").count("/") >= 1:
        return os.environ["TZ"].lstrip(":")
    try:
        target = Path("/etc/localtime").resolve()
        if "zoneinfo" in target.parts:
            return "/".join(target.parts[target.parts.index("zoneinfo") + 1:])
    except OSError:
        pass
    return "UTC"


def system_country() -> str | None:
    import locale

    name = locale.getlocale()[0] or os.environ.get("LANG", "")
    if "_" in name:
        country = name.split("_", 1)[1][:2].upper()
        if country.isalpha() and len(country) == 2:
            return country
    return None


def default_profile() -> BusinessProfile:
    country = system_country() or "GB"
    return BusinessProfile(country=country, time_zone=system_time_zone(),
                           currency=_CURRENCY_BY_COUNTRY.get(country, "EUR" if country != "GB" else "GBP"))
