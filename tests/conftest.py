"""Every test gets its own database and its own settings folders; nothing touches the user's files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Set before Qt or platformdirs are imported anywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SANDBOX = Path(tempfile.mkdtemp(prefix="clientdesk-tests-"))
for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[variable] = str(_SANDBOX / variable.lower())
os.environ.pop("CLIENTDESK_DB", None)

import pytest  # noqa: E402

from clientdesk.domain.business import BusinessProfile  # noqa: E402
from clientdesk.services.workspace import Workspace  # noqa: E402

GB = BusinessProfile(name="Test Ltd", country="GB", time_zone="Europe/London", currency="GBP")


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "clientdesk.sqlite3"


@pytest.fixture
def workspace(database_path: Path):
    """An open, empty database whose business is in Great Britain (so 020… numbers are London's)."""
    opened = Workspace.open(database_path)
    opened.business.save(GB)
    yield opened
    opened.close()
