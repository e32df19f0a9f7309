"""A database saved by the first ClientDesk (schema 0001) opens in this one: backed up, upgraded, data kept."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from clientdesk.services.workspace import Workspace
from clientdesk.storage import schema

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "clientdesk-0001.sqlite3"


def test_a_version_1_database_is_backed_up_then_upgraded_with_its_data(tmp_path: Path):
    path = tmp_path / "clients.sqlite3"
    shutil.copy(FIXTURE, path)
    workspace = Workspace.open(path)
    try:
        contact = workspace.contacts.get(1)
        assert contact.display_name == "Zoë Ålström"
        assert contact.fields.phones[0].e164 == "+442079460958"
        assert workspace.contacts.find("7946 0958")[0].id == 1
        assert workspace.business.profile().name == "Harbour Plumbing"
    finally:
        workspace.close()
    backups = list((tmp_path / "backups").glob("clients-*-before-upgrade.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as kept:  # the copy is the database as it was, still at version 1
        assert kept.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001_initial"
        assert kept.execute("SELECT display_name FROM contact").fetchall() == [("Zoë Ålström",)]
    kept.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD_REVISION
    connection.close()
