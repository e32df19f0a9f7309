"""The single business-profile row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clientdesk.domain.business import BusinessProfile
from clientdesk.storage.models import BusinessProfileRow


class BusinessProfileRepository:
    def __init__(self, session: Session):
        self._session = session

    def get(self) -> BusinessProfile | None:
        row = self._session.get(BusinessProfileRow, 1)
        if row is None:
            return None
        return BusinessProfile(name=row.name, address=row.address, country=row.country,
                               time_zone=row.time_zone, currency=row.currency)

    def save(self, profile: BusinessProfile) -> None:
        row = self._session.get(BusinessProfileRow, 1) or BusinessProfileRow(id=1)
        row.name, row.address = profile.name, profile.address
        row.country, row.time_zone, row.currency = profile.country.upper(), profile.time_zone, profile.currency.upper()
        self._session.add(row)
