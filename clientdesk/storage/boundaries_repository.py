"""A client's boundaries, stored as the domain's JSON (no row: the defaults)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from clientdesk.domain.boundaries import ClientBoundaries
from clientdesk.storage.models import ContactBoundariesRow


class BoundariesRepository:
    def __init__(self, session: Session):
        self._session = session

    def get(self, contact_id: int) -> ClientBoundaries | None:
        row = self._session.get(ContactBoundariesRow, contact_id)
        return None if row is None else ClientBoundaries.from_json(json.loads(row.rules_json))

    def save(self, contact_id: int, boundaries: ClientBoundaries, now: datetime) -> None:
        row = self._session.get(ContactBoundariesRow, contact_id) or ContactBoundariesRow(contact_id=contact_id)
        row.rules_json = json.dumps(boundaries.to_json(), ensure_ascii=False)
        row.updated_at = now
        self._session.add(row)
