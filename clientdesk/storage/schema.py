"""Schema versions. The revisions are listed here so opening an up-to-date file never imports Alembic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clientdesk.storage.problems import DamagedDatabase, NewerDatabase, NotADatabase

# Oldest first; a test checks this matches the Alembic chain in migrations/versions.
KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial", "0002_boundaries", "0003_interactions",
                                     "0004_email_lookup", "0005_purchases", "0006_lifecycle",
                                     "0007_client_reviews", "0008_reminders")
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def stored_revision(connection: sqlite3.Connection, path: Path) -> str | None:
    """None for an empty file; refuses files that are not ClientDesk's or come from a newer version."""
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if "alembic_version" not in tables or "contact" not in tables:
            raise NotADatabase(path, "it is an SQLite database, but not one of ClientDesk's")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise DamagedDatabase(path, str(error)) from None
    except UnicodeDecodeError:  # SQLite quoted a garbled name from the damaged schema in its message
        raise DamagedDatabase(path, "its table of contents is garbled") from None
    if row is None:
        raise DamagedDatabase(path, "its schema version is missing")
    if row[0] not in KNOWN_REVISIONS:
        raise NewerDatabase(path, row[0])
    return row[0]


def alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
