"""Where ClientDesk keeps its files by default."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "ClientDesk"
DATABASE_FILE = "clientdesk.sqlite3"


def default_database() -> Path:
    """`CLIENTDESK_DB` when set, else the platform's per-user data folder."""
    override = os.environ.get("CLIENTDESK_DB")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DATABASE_FILE
