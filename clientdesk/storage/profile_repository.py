"""The single business-profile row."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from clientdesk.domain.business import BusinessProfile
from clientdesk.domain.hours import Closure, WeeklyHours
from clientdesk.domain.lifecycle import RetentionSettings
from clientdesk.domain.reply import ReplyPolicy
from clientdesk.storage.models import BusinessProfileRow


class BusinessProfileRepository:
    def __init__(self, session: Session):
        self._session = session

    def get(self) -> BusinessProfile | None:
        row = self._session.get(BusinessProfileRow, 1)
        if row is None:
            return None
        return BusinessProfile(
            name=row.name, address=row.address, country=row.country, time_zone=row.time_zone,
            currency=row.currency, subdivision=row.subdivision,
            hours=WeeklyHours.from_json(json.loads(row.hours_json)),
            closures=tuple(Closure.from_json(item, f"closures[{index}]")
                           for index, item in enumerate(json.loads(row.closures_json))),
            public_holidays=row.public_holidays, reply=ReplyPolicy.from_json(json.loads(row.reply_json)),
            retention=RetentionSettings.from_json(json.loads(row.retention_json)),
        )

    def save(self, profile: BusinessProfile) -> None:
        row = self._session.get(BusinessProfileRow, 1) or BusinessProfileRow(id=1)
        row.name, row.address = profile.name, profile.address
        row.country, row.time_zone, row.currency = profile.country.upper(), profile.time_zone, profile.currency.upper()
        row.subdivision = profile.subdivision.upper()
        row.hours_json = json.dumps(profile.hours.to_json())
        row.closures_json = json.dumps([closure.to_json() for closure in profile.closures])
        row.public_holidays = profile.public_holidays
        row.reply_json = json.dumps(profile.reply.to_json())
        row.retention_json = json.dumps(profile.retention.to_json())
        self._session.add(row)
