"""One open database and the services that work on it: what the GUI and the command line are handed."""

from __future__ import annotations

from pathlib import Path

from clientdesk.services.boundaries import BoundariesService
from clientdesk.services.business import BusinessService
from clientdesk.services.contacts import ContactService, utc_now
from clientdesk.services.undo import UndoStack
from clientdesk.storage import Database, open_database


class Workspace:
    def __init__(self, database: Database):
        self.database = database
        self.undo = UndoStack()
        self.business = BusinessService(database)
        self.contacts = ContactService(database, self.undo, self.business.region)
        self.boundaries = BoundariesService(database, self.business, self.undo, utc_now)

    @classmethod
    def open(cls, path: Path) -> Workspace:
        """Raises a ClientDeskError subclass, with a message for the user, when the file cannot be used."""
        return cls(open_database(path))

    @property
    def path(self) -> Path:
        return self.database.path

    def close(self) -> None:
        self.database.close()
