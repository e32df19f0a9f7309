"""SQLite FTS5 search: one index row per contact, rowid = contact id, written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from clientdesk.domain.contacts import ListColumn
from clientdesk.storage.search.documents import fts_expression, phone_fragments

# The expression each list column sorts by; every one is backed by an index ending in `id`.
ORDER_BY: dict[ListColumn, str] = {
    ListColumn.NAME: "c.sort_name",
    ListColumn.ORGANISATION: "c.list_organisation COLLATE NOCASE",
    ListColumn.PHONE: "c.list_phone",
    ListColumn.EMAIL: "c.list_email COLLATE NOCASE",
    ListColumn.TAGS: "c.list_tags COLLATE NOCASE",
    ListColumn.UPDATED: "c.updated_at",
}

_DOCUMENT_SQL = """
SELECT c.id,
       c.display_name || ' ' || c.given_name || ' ' || c.family_name,
       c.list_organisation,
       (SELECT group_concat(address, ' ') FROM contact_email WHERE contact_id = c.id),
       (SELECT group_concat(e164, ' ') FROM contact_phone WHERE contact_id = c.id),
       (SELECT group_concat(t.name, ' ') FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id
         WHERE ct.contact_id = c.id),
       c.notes
  FROM contact AS c
"""


def order_clause(column: ListColumn, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    return f"ORDER BY {ORDER_BY[column]} {direction}, c.id {direction}"


def matches_sql(column: ListColumn, descending: bool, filtered: bool) -> str:
    where = "WHERE c.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)" if filtered else ""
    return f"SELECT c.id FROM contact AS c {where} {order_clause(column, descending)}"


class SqliteFtsContactSearch:
    def __init__(self, session: Session):
        self._session = session

    def _driver(self):
        return self._session.connection()

    def reindex(self, contact_ids: Iterable[int]) -> None:
        ids = list(dict.fromkeys(contact_ids))
        if not ids:
            return
        connection = self._driver()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            connection.exec_driver_sql(f"DELETE FROM contact_fts WHERE rowid IN ({marks})", tuple(chunk))
            rows = connection.exec_driver_sql(f"{_DOCUMENT_SQL} WHERE c.id IN ({marks})", tuple(chunk)).all()
            self._insert(rows)

    def rebuild(self) -> None:
        connection = self._driver()
        connection.exec_driver_sql("DELETE FROM contact_fts")
        result = connection.exec_driver_sql(_DOCUMENT_SQL)
        while rows := result.fetchmany(5000):
            self._insert(rows)

    def _insert(self, rows) -> None:
        documents = [
            (cid, name, organisation or "", emails or "", phone_fragments((phones or "").split()), tags or "",
             notes or "")
            for cid, name, organisation, emails, phones, tags, notes in rows
        ]
        if documents:
            self._driver().exec_driver_sql(
                "INSERT INTO contact_fts (rowid, name, organisation, email, phone, tag, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", documents)

    def ordered_matches(self, query: str, column: ListColumn, descending: bool) -> Sequence[int]:
        expression = fts_expression(query)
        if expression is None and query.strip():
            return []  # only punctuation: nothing can match it
        sql = matches_sql(column, descending, expression is not None)
        params = (expression,) if expression is not None else ()
        return [row[0] for row in self._driver().exec_driver_sql(sql, params)]

    def first_matches(self, query: str, column: ListColumn, descending: bool, limit: int) -> Sequence[int]:
        expression = fts_expression(query)
        if expression is None and query.strip():
            return []
        sql = matches_sql(column, descending, expression is not None) + f" LIMIT {int(limit)}"
        params = (expression,) if expression is not None else ()
        return [row[0] for row in self._driver().exec_driver_sql(sql, params)]
