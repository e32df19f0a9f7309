"""The SQLite FTS5 index: one row per contact, rowid = contact id, written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from clientdesk.storage.search.documents import phone_fragments

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


class SqliteFtsIndex:
    """Keeps contact_fts in step with the contacts, inside the caller's ORM transaction."""

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

    def add(self, documents: Iterable[tuple[int, str, str, str, str, str, str]]) -> None:
        """Contacts just inserted with ids never used before, their documents made by the caller from the
        fields it wrote (id, names, organisation, emails, E.164 numbers, tags, notes; each a space-joined
        string as _DOCUMENT_SQL makes it), sparing the read back."""
        self._insert(list(documents))

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
