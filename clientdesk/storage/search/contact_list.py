"""The contact list over SQLite FTS5, on a plain sqlite3 connection (see storage/connection.py).

Each query picks its plan from the number of matches: when many contacts match, walking the column's
index in order and stopping after one page beats sorting them all; when few match, sorting those few
is far cheaper than walking the index past every contact that does not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from clientdesk.domain.contacts import ContactKind, ContactSummary, ListColumn
from clientdesk.storage.search.documents import fts_expression, lookup_expression

# (sort expression, the index that holds it in order, ending in id)
ORDERS: dict[ListColumn, tuple[str, str]] = {
    ListColumn.NAME: ("c.sort_name", "ix_contact_sort_name_id"),
    ListColumn.ORGANISATION: ("c.list_organisation COLLATE NOCASE", "ix_contact_list_organisation_id"),
    ListColumn.PHONE: ("c.list_phone", "ix_contact_list_phone_id"),
    ListColumn.EMAIL: ("c.list_email COLLATE NOCASE", "ix_contact_list_email_id"),
    ListColumn.TAGS: ("c.list_tags COLLATE NOCASE", "ix_contact_list_tags_id"),
    ListColumn.STAGE: ("c.list_stage", "ix_contact_list_stage_id"),
    ListColumn.UPDATED: ("c.updated_at", "ix_contact_updated_at_id"),
}
SUMMARY_COLUMNS = ("c.id, c.display_name, c.list_organisation, c.list_phone, c.list_email, c.list_tags, c.updated_at, "
                   "c.kind, c.list_stage")
MATCHING = "c.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)"
IN_STAGE = "c.list_stage = ?"
# Walk the index when at least this share of contacts match: a page of hits then comes within ~50 pages.
INDEX_WALK_SHARE = 0.02


def page_sql(column: ListColumn, descending: bool, where: str, walk_index: bool) -> str:
    """The page's ids come from the covering index alone; only those rows are then read from the table.
    (Selecting the row's columns directly would read every row that OFFSET skips.)"""
    expression, index = ORDERS[column]
    direction = "DESC" if descending else "ASC"
    order = f"ORDER BY {expression} {direction}, c.id {direction}"
    source = f"contact AS c INDEXED BY {index}" if walk_index else "contact AS c"
    where = f"WHERE {where}" if where else ""
    return (f"SELECT {SUMMARY_COLUMNS} FROM (SELECT c.id AS id FROM {source} {where} {order} LIMIT ? OFFSET ?) AS p "
            f"JOIN contact AS c ON c.id = p.id {order}")


COUNT_ALL_SQL = "SELECT count(*) FROM contact"
LOOKUP_COUNT_CAP = 500
LOOKUP_COUNT_SQL = "SELECT count(*) FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? LIMIT ?)"
COUNT_MATCHES_SQL = "SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?"
NOTHING = ("0", ())  # a query of punctuation alone: nothing can match it


def _filter(query: str, stage: str | None) -> tuple[str, tuple]:
    """The WHERE clause (blank for every contact) and its parameters for a typed query and a stage."""
    expression = fts_expression(query)
    if expression is None and query.strip():
        return NOTHING
    clauses, parameters = [], []
    if expression is not None:
        clauses.append(MATCHING)
        parameters.append(expression)
    if stage is not None:
        clauses.append(IN_STAGE)
        parameters.append(stage)
    return " AND ".join(clauses), tuple(parameters)


class SqliteContactList:
    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def count(self, query: str = "", stage: str | None = None) -> int:
        expression = fts_expression(query)
        if stage is None:
            if expression is None:
                return 0 if query.strip() else self._connection.execute(COUNT_ALL_SQL).fetchone()[0]
            return self._connection.execute(COUNT_MATCHES_SQL, (expression,)).fetchone()[0]
        where, parameters = _filter(query, stage)
        return self._connection.execute(f"SELECT count(*) FROM contact AS c WHERE {where}", parameters).fetchone()[0]

    def page(self, query: str, column: ListColumn, descending: bool, offset: int, limit: int,
             matches: int | None = None, stage: str | None = None) -> list[ContactSummary]:
        """`matches`, when the caller already counted them, saves counting again to choose the plan."""
        where, parameters = _filter(query, stage)
        if (where, parameters) == NOTHING:
            return []
        if not where:
            rows = self._connection.execute(page_sql(column, descending, "", False), (limit, offset))
            return [_summary(row) for row in rows]
        if matches is None:
            matches = self.count(query, stage)
        return self._matching(where, parameters, column, descending, offset, limit, matches)

    def lookup(self, spellings_per_word: Sequence[Sequence[str]], limit: int) -> tuple[int, list[ContactSummary]]:
        """Contacts whose name, organisation or email has a word starting with one spelling of each typed
        word: how many (counted up to LOOKUP_COUNT_CAP) and `limit` of them — by name when they are few.

        Past the cap (a letter or two typed) ordering them all by name would cost more than a keystroke
        may; the caller's ranking puts the names that start as typed first, and they come from the name
        index (`names_starting`), so any `limit` of the matches serve."""
        expression = lookup_expression(spellings_per_word)
        if expression is None:
            return 0, []
        matches = self._connection.execute(LOOKUP_COUNT_SQL, (expression, LOOKUP_COUNT_CAP)).fetchone()[0]
        if not matches:
            return 0, []
        if matches < LOOKUP_COUNT_CAP:
            return matches, self._matching(MATCHING, (expression,), ListColumn.NAME, False, 0, limit, matches)
        rows = self._connection.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM contact AS c WHERE c.id IN "
            "(SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? LIMIT ?)", (expression, limit))
        return matches, [_summary(row) for row in rows]

    def _matching(self, where: str, parameters: tuple, column: ListColumn, descending: bool, offset: int,
                  limit: int, matches: int) -> list[ContactSummary]:
        # A stage alone, listed by name, is one range of its own index: nothing to choose.
        walk = (matches >= limit and matches >= INDEX_WALK_SHARE * self.count()
                and not (where == IN_STAGE and column is ListColumn.NAME))
        rows = self._connection.execute(page_sql(column, descending, where, walk), (*parameters, limit, offset))
        return [_summary(row) for row in rows]

    def names_starting(self, folded_prefix: str, limit: int) -> list[ContactSummary]:
        """Contacts whose whole name starts as typed ("john sm"), by name: a range of the name index."""
        rows = self._connection.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM contact AS c INDEXED BY ix_contact_sort_name_id "
            "WHERE c.sort_name >= ? AND c.sort_name < ? ORDER BY c.sort_name, c.id LIMIT ?",
            (folded_prefix, folded_prefix + "\U0010ffff", limit))
        return [_summary(row) for row in rows]

    def names_version(self) -> tuple:
        """Changes whenever a contact is added or renamed: tells when a cached vocabulary is stale.
        (Two statements: SQLite answers a lone max() from an index, but not several aggregates at once.)"""
        newest = self._connection.execute("SELECT max(id) FROM contact").fetchone()[0]
        edited = self._connection.execute("SELECT max(updated_at) FROM contact").fetchone()[0]
        return newest, edited

    def sort_names(self) -> Iterator[str]:
        """Every contact's folded name, read from the name index alone."""
        for (name,) in self._connection.execute("SELECT sort_name FROM contact INDEXED BY ix_contact_sort_name_id"):
            yield name

    def position(self, contact_id: int, query: str, column: ListColumn, descending: bool,
                 stage: str | None = None) -> int | None:
        expression, _index = ORDERS[column]
        key = self._connection.execute(f"SELECT {expression} FROM contact AS c WHERE c.id = ?", (contact_id,)).fetchone()
        if key is None:
            return None
        where, parameters = _filter(query, stage)
        if (where, parameters) == NOTHING:
            return None
        if where:
            if self._connection.execute(f"SELECT 1 FROM contact AS c WHERE c.id = ? AND {where}",
                                        (contact_id, *parameters)).fetchone() is None:
                return None
            where = f"AND {where}"
        before = ">" if descending else "<"
        sql = f"SELECT count(*) FROM contact AS c WHERE ({expression}, c.id) {before} (?, ?) {where}"
        return self._connection.execute(sql, (key[0], contact_id, *parameters)).fetchone()[0]

    def ordered_ids(self, query: str, column: ListColumn, descending: bool, stage: str | None = None) -> Sequence[int]:
        where, parameters = _filter(query, stage)
        if (where, parameters) == NOTHING:
            return []
        order, _index = ORDERS[column]
        direction = "DESC" if descending else "ASC"
        where = f"WHERE {where}" if where else ""
        sql = f"SELECT c.id FROM contact AS c {where} ORDER BY {order} {direction}, c.id {direction}"
        return [row[0] for row in self._connection.execute(sql, parameters).fetchall()]

    def boundaries_json(self, contact_ids: Sequence[int]) -> dict[int, str]:
        """Stored rules for these contacts; a contact without a row keeps the defaults."""
        ids = list(contact_ids)
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._connection.execute(
                f"SELECT contact_id, rules_json FROM contact_boundaries WHERE contact_id IN ({marks})", chunk))
        return found

    def summaries(self, contact_ids: Sequence[int]) -> list[ContactSummary]:
        """The list's rows for these ids, in the order given; ids that no longer exist are left out."""
        found: dict[int, ContactSummary] = {}
        ids = list(contact_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._connection.execute(f"SELECT {SUMMARY_COLUMNS} FROM contact AS c WHERE c.id IN ({marks})",
                                                chunk):
                found[row[0]] = _summary(row)
        return [found[cid] for cid in ids if cid in found]


def _summary(row: tuple) -> ContactSummary:
    return ContactSummary(row[0], row[1], row[2], row[3], row[4], row[5],
                          datetime.fromisoformat(row[6]).replace(tzinfo=UTC), ContactKind(row[7]), row[8])
