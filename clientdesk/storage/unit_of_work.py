"""The repositories of one transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clientdesk.storage.boundaries_repository import BoundariesRepository
from clientdesk.storage.interactions_repository import InquiryRepository, InteractionRepository
from clientdesk.storage.contacts_repository import BulkContactWriter, ContactRepository
from clientdesk.storage.lifecycle import StageKeeper
from clientdesk.storage.profile_repository import BusinessProfileRepository
from clientdesk.storage.purchases_repository import BulkPurchaseWriter, PurchaseFigures, PurchaseRepository
from clientdesk.storage.search.sqlite_fts import SqliteFtsIndex


class UnitOfWork:
    def __init__(self, session: Session):
        self.session = session
        self.search = SqliteFtsIndex(session)
        self.contacts = ContactRepository(session, self.search)
        self.profile = BusinessProfileRepository(session)
        self.bulk = BulkContactWriter(session, self.search)
        self.boundaries = BoundariesRepository(session)
        self.interactions = InteractionRepository(session)
        self.inquiries = InquiryRepository(session)
        self.purchases = PurchaseRepository(session)
        self.purchase_figures = PurchaseFigures(session)
        self.bulk_purchases = BulkPurchaseWriter(session)
        self.stages = StageKeeper(session)
