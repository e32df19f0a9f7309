"""Persistence: the only package that imports SQLAlchemy. Repositories hand out domain objects."""

from clientdesk.storage.database import Database, open_database
from clientdesk.storage.problems import (
    DamagedDatabase,
    DatabaseProblem,
    LockedDatabase,
    NewerDatabase,
    NotADatabase,
    ReadOnlyDatabase,
)

__all__ = [
    "Database", "open_database", "DatabaseProblem", "DamagedDatabase", "LockedDatabase",
    "NewerDatabase", "NotADatabase", "ReadOnlyDatabase",
]
