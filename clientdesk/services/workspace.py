"""One open database and the services that work on it: what the GUI and the command line are handed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clientdesk.services.business import BusinessService
from clientdesk.services.contacts import ContactService, utc_now
from clientdesk.services.undo import UndoStack
from clientdesk.storage import Database, open_database

if TYPE_CHECKING:
    from clientdesk.services.acknowledgements import AcknowledgementService
    from clientdesk.services.boundaries import BoundariesService
    from clientdesk.services.calendar_export import CalendarExportService
    from clientdesk.services.exports import ExportService
    from clientdesk.services.imports import ImportService
    from clientdesk.services.inquiry_queue import InquiryQueueService
    from clientdesk.services.interactions import InteractionService
    from clientdesk.services.lifecycle import LifecycleService
    from clientdesk.services.metrics import MetricsService
    from clientdesk.services.purchases import PurchaseService
    from clientdesk.services.reminders import ReminderService
    from clientdesk.services.reviews import ReviewService
    from clientdesk.services.timeline import TimelineService


class Workspace:
    def __init__(self, database: Database):
        self.database = database
        self.undo = UndoStack()
        self.business = BusinessService(database)
        self.contacts = ContactService(database, self.undo, self.business.region)
        self._boundaries = None
        self._interactions = None
        self._timeline = None
        self._inquiry_queue = None
        self._imports = None
        self._purchases = None
        self._metrics = None
        self._lifecycle = None
        self._reminders = None
        self._calendar_export = None
        database.before_commit(lambda uow: self.lifecycle.settle_before_commit(uow))

    @classmethod
    def open(cls, path: Path) -> Workspace:
        """Raises a ClientDeskError subclass, with a message for the user, when the file cannot be used."""
        return cls(open_database(path))

    @property
    def boundaries(self) -> BoundariesService:
        """Built on first use: the rules engine need not load before the window's first paint."""
        if self._boundaries is None:
            from clientdesk.services.boundaries import BoundariesService

            self._boundaries = BoundariesService(self.database, self.business, self.undo, utc_now)
        return self._boundaries

    @property
    def interactions(self) -> InteractionService:
        if self._interactions is None:
            from clientdesk.services.interactions import InteractionService

            self._interactions = InteractionService(self.database, self.boundaries, utc_now)
        return self._interactions

    @property
    def timeline(self) -> TimelineService:
        """Built on first use, like the interactions it reads: their types load after the first paint."""
        if self._timeline is None:
            from clientdesk.services.timeline import TimelineService

            self._timeline = TimelineService(self.database)
        return self._timeline

    @property
    def inquiry_queue(self) -> InquiryQueueService:
        if self._inquiry_queue is None:
            from clientdesk.services.inquiry_queue import InquiryQueueService

            self._inquiry_queue = InquiryQueueService(self.database, self.boundaries)
        return self._inquiry_queue

    @property
    def imports(self) -> ImportService:
        """Keeps the latest import, so that it can be undone."""
        if self._imports is None:
            from clientdesk.services.imports import ImportService

            self._imports = ImportService(self.database, self.undo, self.business.region, utc_now)
        return self._imports

    @property
    def exports(self) -> ExportService:
        from clientdesk.services.exports import ExportService

        return ExportService(self.database)  # holds nothing worth keeping

    @property
    def acknowledgements(self) -> AcknowledgementService:
        from clientdesk.services.acknowledgements import AcknowledgementService

        return AcknowledgementService(self.database, self.business)  # holds nothing worth keeping

    @property
    def purchases(self) -> PurchaseService:
        """Services, agreements, purchases, out-of-scope requests and relationships ended by hand."""
        if self._purchases is None:
            from clientdesk.services.purchases import PurchaseService

            self._purchases = PurchaseService(self.database, utc_now)
        return self._purchases

    @property
    def metrics(self) -> MetricsService:
        """The figures and each contact's stage and lifetime value."""
        if self._metrics is None:
            from clientdesk.services.metrics import MetricsService

            self._metrics = MetricsService(self.database, self.business, self.lifecycle)
        return self._metrics

    @property
    def lifecycle(self) -> LifecycleService:
        """Stage histories kept in step with every write; the list's stage kept to today."""
        if self._lifecycle is None:
            from clientdesk.services.lifecycle import LifecycleService

            self._lifecycle = LifecycleService(self.database, self.business, utc_now)
        return self._lifecycle

    @property
    def reminders(self) -> ReminderService:
        """Reminders, cadences and the Today agenda; every change refreshes a subscribed calendar file."""
        if self._reminders is None:
            from clientdesk.services.reminders import ReminderService

            self._reminders = ReminderService(self.database, self.business, self.boundaries, self.undo, utc_now,
                                              on_change=lambda: self.calendar_export.refresh_subscribed_file())
        return self._reminders

    @property
    def calendar_export(self) -> CalendarExportService:
        """The reminders as an .ics file, once or kept up to date."""
        if self._calendar_export is None:
            from clientdesk.services.calendar_export import CalendarExportService

            self._calendar_export = CalendarExportService(self.database, self.business, utc_now,
                                                          agenda=lambda now, days: self.reminders.agenda(now, days))
        return self._calendar_export

    @property
    def reviews(self) -> ReviewService:
        """Client reviews: gathered, previewed, saved and recorded on the timeline; plan reviews due; batches."""
        if getattr(self, "_reviews", None) is None:
            from clientdesk.services.reviews import ReviewService

            self._reviews = ReviewService(self.database, self.business, utc_now)
        return self._reviews

    @property
    def path(self) -> Path:
        return self.database.path

    def close(self) -> None:
        self.database.close()
