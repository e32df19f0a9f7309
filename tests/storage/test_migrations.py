"""The schema: a linear Alembic chain that schema.py knows about, building exactly what the models
describe, opened with the right pragmas, and backed up before any upgrade touches a user's file."""

from __future__ import annotations

import stat
import threading
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Index
from sqlalchemy.sql.elements import TextClause

from clientdesk.services.workspace import Workspace
from clientdesk.storage import open_database, schema
from clientdesk.storage.database import Database
from clientdesk.storage.models import Base

from .conftest import add_contacts, contact_names, make_database, query_closed, raw_contact_count, side_files

EXPECTED_TABLES = {"contact", "contact_phone", "contact_email", "contact_address", "tag", "contact_tag",
                   "business_profile", "contact_fts"}


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(schema.alembic_config(None))


def stored_version(path: Path) -> list[str]:
    return [row[0] for row in query_closed(path, "SELECT version_num FROM alembic_version")]


@pytest.fixture
def database(tmp_path: Path):
    opened = open_database(tmp_path / "clients.sqlite3")
    yield opened
    opened.close()


# -- the chain -----------------------------------------------------------------------------------------

def test_the_migration_chain_is_linear_and_is_the_one_schema_py_lists():
    scripts = script_directory()
    heads, bases = scripts.get_heads(), scripts.get_bases()
    assert len(heads) == 1, f"more than one head: {heads}"
    assert len(bases) == 1, f"more than one base: {bases}"

    newest_first = list(scripts.walk_revisions("base", "heads"))
    for revision in newest_first:
        assert revision.down_revision is None or isinstance(revision.down_revision, str), (
            f"{revision.revision} merges {revision.down_revision}")
        assert not revision.is_branch_point, f"{revision.revision} has more than one child"
        assert not revision.branch_labels, f"{revision.revision} starts a labelled branch"
        assert not revision.dependencies, f"{revision.revision} depends on another branch"
    chain = [revision.revision for revision in reversed(newest_first)]
    assert newest_first[-1].down_revision is None and newest_first[-1].revision == bases[0]
    for older, newer in zip(newest_first[1:], newest_first):
        assert newer.down_revision == older.revision

    assert tuple(chain) == schema.KNOWN_REVISIONS
    assert schema.HEAD_REVISION == heads[0] == chain[-1]


def test_every_file_in_versions_is_part_of_the_chain():
    files = {p.stem for p in (schema.MIGRATIONS_DIR / "versions").glob("*.py") if p.stem != "__init__"}
    revisions = {revision.revision for revision in script_directory().walk_revisions()}
    assert len(files) == len(revisions), f"files {sorted(files)} vs revisions {sorted(revisions)}"


# -- building the schema --------------------------------------------------------------------------------

def test_a_new_database_is_upgraded_to_head_with_every_table(tmp_path: Path):
    path = tmp_path / "new.sqlite3"
    open_database(path).close()
    assert stored_version(path) == [schema.HEAD_REVISION]
    tables = {row[0] for row in query_closed(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    ((fts_sql,),) = query_closed(path, "SELECT sql FROM sqlite_master WHERE name = 'contact_fts'")
    assert EXPECTED_TABLES <= tables, f"missing: {EXPECTED_TABLES - tables}"
    assert "fts5" in fts_sql.lower() and "remove_diacritics 2" in fts_sql
    assert not (tmp_path / "backups").exists(), "a brand-new database has nothing to back up"


def test_opening_an_up_to_date_database_again_neither_upgrades_nor_backs_up(tmp_path: Path, monkeypatch):
    path = make_database(tmp_path / "clients.sqlite3", count=2)
    monkeypatch.setattr(schema, "upgrade_to_head", lambda engine: pytest.fail("upgraded an up-to-date file"))
    open_database(path).close()
    assert not (tmp_path / "backups").exists()


# Tables Alembic finds in the file but the ORM does not map: the FTS5 index is created by raw SQL in the
# migration (SQLAlchemy cannot declare virtual tables), and FTS5 creates its shadow tables itself.
def _not_the_search_index(name, type_, parent_names) -> bool:
    return not (type_ == "table" and (name == "contact_fts" or name.startswith("contact_fts_")))


# Indexes on expressions (`list_email COLLATE NOCASE`): SQLite's reflection loses the COLLATE, so Alembic
# reports each as removed-and-added under the same name. They are left out of the comparison and checked
# instead against the SQL SQLite stored for them (test below).
EXPRESSION_INDEXES = {
    index.name for table in Base.metadata.tables.values() for index in table.indexes
    if any(isinstance(expression, TextClause) for expression in index.expressions)
}


def _differences(database: Database) -> list:
    with warnings.catch_warnings():
        # Alembic may warn that it skipped expression-based indexes it cannot reflect: those are the ones
        # EXPRESSION_INDEXES covers.
        warnings.filterwarnings("ignore", message=".*(expression|functional).*index.*")
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "compare_server_default": True, "include_name": _not_the_search_index})
            found = compare_metadata(context, Base.metadata)
    flattened = []
    for diff in found:
        flattened.extend(diff if isinstance(diff, list) else [diff])
    return [diff for diff in flattened
            if not (diff[0] in ("add_index", "remove_index") and diff[1].name in EXPRESSION_INDEXES)]


def test_the_schema_the_migrations_build_matches_the_models(database: Database):
    assert EXPRESSION_INDEXES == {"ix_contact_list_organisation_id", "ix_contact_list_email_id",
                                  "ix_contact_list_tags_id", "ix_contact_email_lower_address"}
    assert _differences(database) == []


def test_the_comparison_would_notice_a_schema_drift(database: Database):
    # Guards the filters above: a real difference must still be reported.
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_contact_phone_e164")
        connection.exec_driver_sql("ALTER TABLE contact ADD COLUMN stray TEXT")
    found = _differences(database)
    assert any(diff[0] == "add_index" and diff[1].name == "ix_contact_phone_e164" for diff in found), found
    assert any(diff[0] == "remove_column" and diff[3].name == "stray" for diff in found), found


def _expected_index_sql(index: Index) -> list[str]:
    """`list_email COLLATE NOCASE`, `id`: each part as it must appear in the CREATE INDEX statement."""
    return [str(expression) if isinstance(expression, TextClause) else expression.name
            for expression in index.expressions]


def test_expression_indexes_exist_with_their_collation(database: Database):
    with database.reading() as uow:
        stored = dict(uow.session.connection().exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            if index.name in EXPRESSION_INDEXES:
                assert index.name in stored, f"{index.name} was not created"
                sql = " ".join(stored[index.name].split()).lower()
                for part in _expected_index_sql(index):
                    assert part.lower() in sql, f"{part!r} missing from {stored[index.name]!r}"


def test_table_options_that_reflection_ignores_are_in_the_file(database: Database):
    with database.reading() as uow:
        sql = dict(uow.session.connection().exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
    # An id never handed out twice is what lets undoing a delete bring the same id back.
    assert "autoincrement" in sql["contact"].lower()
    assert "kind in ('person', 'organisation')" in sql["contact"].lower()
    assert "id = 1" in sql["business_profile"]
    assert "nocase" in sql["tag"].lower()


# -- every connection is set up the same way ------------------------------------------------------------

def _pragmas(uow) -> dict[str, object]:
    connection = uow.session.connection()
    return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}


def _assert_configured(pragmas: dict[str, object]) -> None:
    assert str(pragmas["journal_mode"]).lower() == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["synchronous"] == 1, "synchronous should be NORMAL (1)"
    assert pragmas["busy_timeout"] > 0


def test_every_connection_has_wal_foreign_keys_normal_sync_and_a_busy_timeout(database: Database):
    with database.reading() as first, database.reading() as second:
        pragmas = [_pragmas(first), _pragmas(second)]
        raw = {id(uow.session.connection().connection.dbapi_connection) for uow in (first, second)}
    assert len(raw) == 2, "the two units of work should have used two connections"
    with database.writing() as uow:
        pragmas.append(_pragmas(uow))

    from_thread: list[dict] = []

    def read_in_thread() -> None:
        with database.reading() as uow:
            from_thread.append(_pragmas(uow))

    worker = threading.Thread(target=read_in_thread)
    worker.start()
    worker.join(10)
    pragmas += from_thread
    assert len(pragmas) == 4
    for each in pragmas:
        _assert_configured(each)


def test_connections_are_set_up_again_after_the_pool_is_emptied(database: Database):
    database.engine.dispose()
    with database.reading() as uow:
        _assert_configured(_pragmas(uow))


def test_foreign_keys_are_enforced(database: Database):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with database.writing() as uow:
            uow.session.connection().exec_driver_sql(
                "INSERT INTO contact_phone (contact_id, position, label, raw, e164) VALUES (999, 0, 'w', '1', '+1')")


# -- a backup before an upgrade ---------------------------------------------------------------------------

def test_an_older_file_is_backed_up_before_it_is_upgraded(tmp_path: Path, monkeypatch):
    path = make_database(tmp_path / "clients.sqlite3", count=4)
    old_revision = schema.HEAD_REVISION
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", (old_revision, "0002_next"))
    monkeypatch.setattr(schema, "HEAD_REVISION", "0002_next")
    backups = tmp_path / "backups"
    seen: dict[str, object] = {}

    def fake_upgrade(engine) -> None:
        # What is on disk at the very moment the upgrade starts.
        copies = sorted(backups.glob("*")) if backups.exists() else []
        seen["copies"] = copies
        seen["contents"] = [(stored_version(p), raw_contact_count(p)) for p in copies]
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0002_next'")

    monkeypatch.setattr(schema, "upgrade_to_head", fake_upgrade)
    open_database(path).close()

    assert "copies" in seen, "the upgrade was not run"
    assert len(seen["copies"]) == 1, f"expected one backup before the upgrade, found {seen['copies']}"
    assert seen["contents"] == [([old_revision], 4)]
    backup = seen["copies"][0]
    assert "before-upgrade" in backup.name and backup.suffix == path.suffix
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) & 0o077 == 0, "the backups folder should be private"
    assert not side_files(backup)
    assert query_closed(backup, "PRAGMA integrity_check") == [("ok",)]
    names = sorted(row[0] for row in query_closed(backup, "SELECT display_name FROM contact"))
    assert names == contact_names(4)
    assert stored_version(path) == ["0002_next"]
    assert stored_version(backup) == [old_revision]


def test_the_backup_before_an_upgrade_holds_changes_still_in_the_wal(tmp_path: Path, monkeypatch):
    # Another ClientDesk still has the file open with its latest changes in the WAL, not yet checkpointed.
    path = make_database(tmp_path / "clients.sqlite3", count=1)
    other = Workspace.open(path)
    try:
        add_contacts(other, ["Late Comer"])
        assert side_files(path), "the change should still be in the WAL"
        monkeypatch.setattr(schema, "KNOWN_REVISIONS", (schema.HEAD_REVISION, "0002_next"))
        monkeypatch.setattr(schema, "HEAD_REVISION", "0002_next")
        monkeypatch.setattr(schema, "upgrade_to_head", lambda engine: None)
        open_database(path).close()
    finally:
        other.close()
    (backup,) = (tmp_path / "backups").glob("*before-upgrade*")
    assert raw_contact_count(backup) == 2
