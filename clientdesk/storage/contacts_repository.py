"""Contacts in and out of the database. Never commits: the unit of work owns the transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from clientdesk.domain.contacts import (
    Address,
    Birthday,
    Contact,
    ContactFields,
    ContactKind,
    check_links,
    sort_key,
)
from clientdesk.domain.duplicates import Candidate, close_names
from clientdesk.domain.emails import Email
from clientdesk.domain.errors import FieldProblem, InvalidContact, NotFound
from clientdesk.domain.phones import Phone
from clientdesk.storage.bulk_interactions import BulkInteractionWriter
from clientdesk.storage.contact_reader import read_contacts
from clientdesk.storage.models import AddressRow, ContactRow, ContactTagRow, EmailRow, PhoneRow, TagRow
from clientdesk.storage.search.documents import phone_fragments
from clientdesk.storage.search.sqlite_fts import SqliteFtsIndex
from clientdesk.storage.types import utc_text


@dataclass(frozen=True, slots=True)
class CandidateKeys:
    """What stored duplicate candidates are looked up by (`ContactRepository.candidate_keys`)."""

    emails: list[str]  # lower case; each list sorted, without repeats
    phones: list[str]  # E.164
    organisation_names: list[str]  # folded names of incoming organisations
    members_named: dict[str, set[str]]  # folded organisation → the names of incoming people there
    unreachable: list[str]  # folded names of people of no organisation, with no email or phone
    reachable: list[str]  # … with an email or phone


@dataclass(frozen=True, slots=True)
class DeletedContact:
    """Everything needed to bring a deleted contact back as it was, links from other contacts included."""

    contact: Contact
    member_ids: tuple[int, ...]
    referral_ids: tuple[int, ...]
    dependents: tuple[tuple[str, tuple[dict, ...]], ...] = ()  # (table, rows) that the delete cascaded to


# Rows that belong to a contact and go with it, in the order they can be put back (inquiries point at
# interactions).
DEPENDENT_TABLES = ("contact_boundaries", "interaction", "inquiry")


NAMES_PER_QUERY = 10_000
BULK_CACHE_KIB = 64 * 1024


class ContactRepository:
    def __init__(self, session: Session, search: SqliteFtsIndex):
        self._session = session
        self._search = search

    # -- reading -------------------------------------------------------------------------------

    def get(self, contact_id: int) -> Contact:
        row = self._session.scalars(
            select(ContactRow).where(ContactRow.id == contact_id).options(
                selectinload(ContactRow.phones), selectinload(ContactRow.emails),
                selectinload(ContactRow.addresses), selectinload(ContactRow.tags))
        ).one_or_none()
        if row is None:
            raise _missing(contact_id)
        return self._to_domain(row)

    def require(self, contact_id: int) -> None:
        """NotFound, with its message, for a contact that does not exist; reads one index entry."""
        if self._session.scalar(select(ContactRow.id).where(ContactRow.id == contact_id)) is None:
            raise _missing(contact_id)

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(ContactRow)) or 0

    def organisations(self, prefix: str = "", limit: int = 50) -> list[tuple[int, str]]:
        query = select(ContactRow.id, ContactRow.display_name).where(ContactRow.kind == ContactKind.ORGANISATION)
        if prefix:
            query = query.where(ContactRow.sort_name.startswith(sort_key(prefix), autoescape=True))
        return [(row.id, row.display_name) for row in self._session.execute(query.order_by(ContactRow.sort_name).limit(limit))]

    def organisation_named(self, name: str) -> int | None:
        return self._session.scalar(
            select(ContactRow.id).where(ContactRow.kind == ContactKind.ORGANISATION, ContactRow.sort_name == sort_key(name))
            .order_by(ContactRow.id).limit(1))

    def organisations_named(self, names: Iterable[str]) -> dict[str, int]:
        """Folded name → id of the organisations with these names (the oldest of two alike)."""
        found: dict[str, int] = {}
        for organisation_id, folded in sorted(self._organisation_ids({sort_key(name) for name in names}), reverse=True):
            found[folded] = organisation_id
        return found

    def ids_with_email(self, address: str) -> list[int]:
        return list(self._session.scalars(
            select(EmailRow.contact_id).where(func.lower(EmailRow.address) == address.strip().lower())
            .distinct().order_by(EmailRow.contact_id)))

    def ids_named(self, name: str) -> list[int]:
        """Contacts whose display name is `name`, ignoring case and accents."""
        return list(self._session.scalars(
            select(ContactRow.id).where(ContactRow.sort_name == sort_key(name)).order_by(ContactRow.id)))

    def many(self, contact_ids: Sequence[int]) -> list[Contact]:
        """Contacts in the order asked, fields only: no organisation or referrer names, no member counts
        (an export or a comparison reads hundreds at a time and needs none of them)."""
        self._session.flush()
        return read_contacts(self._session.connection(), list(contact_ids))

    def ids_tagged(self, tag: str) -> list[int]:
        """Contacts with the tag, ignoring case."""
        return list(self._session.scalars(
            select(ContactTagRow.contact_id).join(TagRow, TagRow.id == ContactTagRow.tag_id)
            .where(TagRow.name == tag.strip().lstrip("#")).order_by(ContactTagRow.contact_id)))

    def duplicate_candidates(self, incoming: Sequence[tuple[ContactFields, str]]) -> list[Candidate]:
        """Stored contacts that could be duplicates of the incoming ones (fields, organisation name): the
        same email or E.164 phone, people of the same organisation, and contacts of the same folded name
        that the domain's name rule could take (`duplicates.py`). Which really are, the domain decides."""
        return self.candidates_for(self.candidate_keys(incoming))

    @staticmethod
    def candidate_keys(incoming: Sequence[tuple[ContactFields, str]]) -> CandidateKeys:
        """What `duplicate_candidates` looks the incoming contacts up by, worked out without the connection
        (an import does it while another thread has the connection)."""
        emails = {e.address.lower() for fields, _ in incoming for e in fields.emails}
        phones = {p.e164 for fields, _ in incoming for p in fields.phones}
        organisation_names = {sort_key(fields.display_name) for fields, _ in incoming
                              if fields.kind is ContactKind.ORGANISATION}
        members_named: dict[str, set[str]] = {}  # folded organisation → the names of incoming people there
        for fields, name in incoming:
            if name and fields.kind is ContactKind.PERSON:
                members_named.setdefault(sort_key(name), set()).add(fields.display_name)
        # People of no organisation: one with an email or phone can be a duplicate by name only of one
        # with neither (`list_phone` and `list_email` hold the first of each, so empty means none).
        unreachable, reachable = set(), set()
        for fields, name in incoming:
            if fields.kind is ContactKind.PERSON and not name:
                (reachable if fields.emails or fields.phones else unreachable).add(sort_key(fields.display_name))
        return CandidateKeys(sorted(emails), sorted(phones), sorted(organisation_names), members_named,
                             sorted(unreachable), sorted(reachable))

    def candidates_for(self, keys: CandidateKeys) -> list[Candidate]:
        """`duplicate_candidates` by the keys `candidate_keys` worked out."""
        emails, phones, organisation_names = keys.emails, keys.phones, keys.organisation_names
        members_named, unreachable, reachable = keys.members_named, keys.unreachable, keys.reachable
        # Plain SQL through the driver: SQLAlchemy would compile each of these IN lists, a thousand values
        # long, again for every batch of an import.
        self._session.flush()
        driver = self._session.connection().connection.driver_connection
        # The unary pluses keep SQLite to the name's index: the others (no organisation, no phone) match
        # most of a large table.
        loose_people = f"SELECT id FROM contact WHERE kind = '{ContactKind.PERSON.value}' AND +organisation_id IS NULL"
        ids: set[int] = set()
        for values, query in (
            (emails, "SELECT contact_id FROM contact_email WHERE lower(address) IN ({})"),
            (phones, "SELECT contact_id FROM contact_phone WHERE e164 IN ({})"),
            (organisation_names,
             f"SELECT id FROM contact WHERE kind = '{ContactKind.ORGANISATION.value}' AND sort_name IN ({{}})"),
            (unreachable, loose_people + " AND sort_name IN ({})"),
            (reachable, loose_people + " AND +list_phone = '' AND +list_email = '' AND sort_name IN ({})"),
        ):
            listed = values
            for start in range(0, len(listed), NAMES_PER_QUERY):
                chunk = listed[start:start + NAMES_PER_QUERY]
                ids.update(cid for (cid,) in driver.execute(query.format(",".join("?" * len(chunk))), chunk))
        organisations = dict(self._organisation_ids(set(members_named)))
        members: dict[int, dict[int, str]] = {organisation_id: {} for organisation_id in organisations}
        listed = sorted(organisations)
        for start in range(0, len(listed), NAMES_PER_QUERY):
            # Only the names are read for every member; whole contacts only for those close to a newcomer's.
            chunk = listed[start:start + NAMES_PER_QUERY]
            for member_id, folded, organisation_id in driver.execute(
                    "SELECT id, sort_name, organisation_id FROM contact WHERE organisation_id IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                members[organisation_id][member_id] = folded
        for organisation_id, folded in organisations.items():
            for name in members_named[folded]:
                ids.update(close_names(name, members[organisation_id]))
        contacts = self.many(sorted(ids))
        organisation_names = self.names({c.fields.organisation_id for c in contacts
                                         if c.fields.organisation_id is not None})
        return [Candidate(c.id, c.fields, organisation_names.get(c.fields.organisation_id, "")
                          if c.fields.organisation_id is not None else "") for c in contacts]

    def _organisation_ids(self, folded_names: set[str]) -> list[tuple[int, str]]:
        """(id, folded name) of the organisations with these folded names."""
        listed = sorted(folded_names)
        found: list[tuple[int, str]] = []
        if not listed:
            return found
        # Plain SQL, as in duplicate_candidates: an import asks this for every batch, a different list each time.
        self._session.flush()
        driver = self._session.connection().connection.driver_connection
        for start in range(0, len(listed), NAMES_PER_QUERY):
            chunk = listed[start:start + NAMES_PER_QUERY]
            found += driver.execute(
                f"SELECT id, sort_name FROM contact WHERE kind = '{ContactKind.ORGANISATION.value}' "
                f"AND sort_name IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        return found

    def names(self, contact_ids: Iterable[int]) -> dict[int, str]:
        ids = list(contact_ids)
        names: dict[int, str] = {}
        # In chunks: SQLite binds at most 32,766 variables to one statement.
        for start in range(0, len(ids), NAMES_PER_QUERY):
            chunk = ids[start:start + NAMES_PER_QUERY]
            rows = self._session.execute(select(ContactRow.id, ContactRow.display_name).where(ContactRow.id.in_(chunk)))
            names.update((contact_id, name) for contact_id, name in rows)
        return names

    # -- writing -------------------------------------------------------------------------------

    def add(self, fields: ContactFields, now: datetime, *, contact_id: int | None = None,
            created_at: datetime | None = None) -> int:
        self._check_links(contact_id, fields)
        row = ContactRow(id=contact_id, created_at=created_at or now, updated_at=now)
        self._fill(row, fields)
        self._session.add(row)
        self._session.flush()
        self._search.reindex([row.id])
        return row.id

    def update(self, contact_id: int, fields: ContactFields, now: datetime) -> None:
        row = self._session.get(ContactRow, contact_id)
        if row is None:
            raise _missing(contact_id)
        self._check_links(contact_id, fields)
        was_organisation = row.kind == ContactKind.ORGANISATION
        self._fill(row, fields)
        row.updated_at = now
        self._session.flush()
        affected = [contact_id]
        if was_organisation or fields.kind is ContactKind.ORGANISATION:
            affected += self._refresh_members(contact_id)
        self._search.reindex(affected)

    def delete(self, contact_id: int) -> DeletedContact:
        snapshot = DeletedContact(
            contact=self.get(contact_id),
            member_ids=tuple(self._session.scalars(
                select(ContactRow.id).where(ContactRow.organisation_id == contact_id))),
            referral_ids=tuple(self._session.scalars(
                select(ContactRow.id).where(ContactRow.referred_by_id == contact_id))),
            dependents=self._dependents(contact_id),
        )
        self._session.execute(delete(ContactRow).where(ContactRow.id == contact_id))
        self._session.flush()
        # Foreign keys cleared the members' links; their copied organisation name must go too.
        if snapshot.member_ids:
            self._session.execute(update(ContactRow).where(ContactRow.id.in_(snapshot.member_ids))
                                  .values(list_organisation=""))
        self._search.reindex([contact_id, *snapshot.member_ids])
        self._session.expire_all()
        return snapshot

    def delete_many(self, contact_ids: Sequence[int]) -> None:
        """Remove contacts outright (an import being undone); their rows cascade, and contacts that
        belonged to one of them lose the copied organisation name too."""
        ids = list(contact_ids)
        affected: set[int] = set(ids)
        for start in range(0, len(ids), NAMES_PER_QUERY):
            chunk = ids[start:start + NAMES_PER_QUERY]
            members = list(self._session.scalars(select(ContactRow.id).where(
                ContactRow.organisation_id.in_(chunk), ContactRow.id.not_in(chunk))))
            self._session.execute(delete(ContactRow).where(ContactRow.id.in_(chunk)))
            if members:
                self._session.execute(update(ContactRow).where(ContactRow.id.in_(members)).values(list_organisation=""))
            affected.update(members)
        self._session.flush()
        self._search.reindex(sorted(affected))
        self._session.expire_all()

    def restore(self, deleted: DeletedContact) -> None:
        """Bring the contact back with its id and times; `relink` afterwards restores links to it."""
        contact = deleted.contact
        self.add(contact.fields, contact.updated_at, contact_id=contact.id, created_at=contact.created_at)
        connection = self._session.connection()
        for table, rows in deleted.dependents:
            for row in rows:
                columns = ", ".join(row)
                marks = ", ".join("?" * len(row))
                connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))

    def relink(self, deleted: DeletedContact) -> None:
        contact_id = deleted.contact.id
        if deleted.member_ids:
            self._session.execute(update(ContactRow).where(
                ContactRow.id.in_(deleted.member_ids), ContactRow.organisation_id.is_(None))
                .values(organisation_id=contact_id))
            self._search.reindex(self._refresh_members(contact_id))
        if deleted.referral_ids:
            self._session.execute(update(ContactRow).where(
                ContactRow.id.in_(deleted.referral_ids), ContactRow.referred_by_id.is_(None))
                .values(referred_by_id=contact_id))

    # -- helpers -------------------------------------------------------------------------------

    def _check_links(self, contact_id: int | None, fields: ContactFields) -> None:
        """The domain's rules for links, plus what only the database knows: that the targets exist."""
        problems = check_links(contact_id, fields)
        if fields.organisation_id is not None and fields.organisation_id != contact_id:
            organisation = self._session.get(ContactRow, fields.organisation_id)
            if organisation is None or organisation.kind != ContactKind.ORGANISATION:
                problems.append(FieldProblem("organisation", "Choose an existing organisation."))
        if fields.referred_by_id is not None and fields.referred_by_id != contact_id:
            if self._session.get(ContactRow, fields.referred_by_id) is None:
                problems.append(FieldProblem("referred_by", "Choose another existing contact as the referrer."))
        if problems:
            raise InvalidContact(problems)

    def _dependents(self, contact_id: int) -> tuple[tuple[str, tuple[dict, ...]], ...]:
        connection = self._session.connection()
        return tuple(
            (table, tuple(dict(row._mapping) for row in connection.exec_driver_sql(
                f"SELECT * FROM {table} WHERE contact_id = ?", (contact_id,))))
            for table in DEPENDENT_TABLES)

    def _refresh_members(self, organisation_id: int) -> list[int]:
        name = self._session.scalar(select(ContactRow.display_name).where(ContactRow.id == organisation_id)) or ""
        member_ids = list(self._session.scalars(select(ContactRow.id).where(ContactRow.organisation_id == organisation_id)))
        if member_ids:
            self._session.execute(update(ContactRow).where(ContactRow.id.in_(member_ids)).values(list_organisation=name))
        return member_ids

    def _fill(self, row: ContactRow, fields: ContactFields) -> None:
        row.kind = fields.kind.value
        row.given_name = fields.given_name
        row.family_name = fields.family_name
        row.display_name = fields.display_name
        row.sort_name = sort_key(fields.display_name)
        row.organisation_id = fields.organisation_id
        row.referred_by_id = fields.referred_by_id
        birthday = fields.birthday
        row.birthday_day = birthday.day if birthday else None
        row.birthday_month = birthday.month if birthday else None
        row.birthday_year = birthday.year if birthday else None
        row.notes = fields.notes
        row.phones = [PhoneRow(position=i, label=p.label, raw=p.raw, e164=p.e164) for i, p in enumerate(fields.phones)]
        row.emails = [EmailRow(position=i, label=e.label, address=e.address) for i, e in enumerate(fields.emails)]
        row.addresses = [
            AddressRow(position=i, label=a.label, street=a.street, city=a.city, region=a.region,
                       postcode=a.postcode, country=a.country)
            for i, a in enumerate(fields.addresses)
        ]
        row.tags = [self._tag(name) for name in fields.tags]
        row.list_organisation = (
            self._session.scalar(select(ContactRow.display_name).where(ContactRow.id == fields.organisation_id)) or ""
            if fields.organisation_id is not None else ""
        )
        row.list_phone = fields.phones[0].raw if fields.phones else ""
        row.list_email = fields.emails[0].address if fields.emails else ""
        row.list_tags = ", ".join(sorted(fields.tags, key=str.casefold))

    def _tag(self, name: str) -> TagRow:
        tag = self._session.scalar(select(TagRow).where(TagRow.name == name))
        if tag is None:
            tag = TagRow(name=name)
            self._session.add(tag)
            self._session.flush()
        return tag

    def _to_domain(self, row: ContactRow) -> Contact:
        fields = _fields(row)
        names = self.names(i for i in (row.organisation_id, row.referred_by_id) if i is not None)
        member_count = 0
        if row.kind == ContactKind.ORGANISATION:
            member_count = self._session.scalar(
                select(func.count()).select_from(ContactRow).where(ContactRow.organisation_id == row.id)) or 0
        return Contact(id=row.id, fields=fields, created_at=row.created_at, updated_at=row.updated_at,
                       organisation_name=names.get(row.organisation_id) if row.organisation_id else None,
                       referred_by_name=names.get(row.referred_by_id) if row.referred_by_id else None,
                       member_count=member_count)




_CONTACT_COLUMNS = (
    "id, kind, given_name, family_name, display_name, sort_name, organisation_id, referred_by_id, birthday_day, "
    "birthday_month, birthday_year, notes, list_organisation, list_phone, list_email, list_tags, created_at, updated_at")
_DETAILS = ("contact_phone", "contact_email", "contact_address", "contact_tag")
# The tables a batch writes, in the order their rows must go in (details and documents after their
# contacts), with the columns their rows give.
_STAGED = (
    ("contact", _CONTACT_COLUMNS),
    ("contact_phone", "contact_id, position, label, raw, e164"),
    ("contact_email", "contact_id, position, label, address"),
    ("contact_address", "contact_id, position, label, street, city, region, postcode, country"),
    ("contact_tag", "contact_id, tag_id"),
    ("contact_fts", "document_id, name, organisation, email, phone, tag, note"),
)


def _stage(table: str) -> str:
    return f"clientdesk_staged_{table}"


def _moved(tables) -> str:
    # Inside a trigger a table written is named without its schema: the staged ones are found in temp,
    # the real ones (no temp table has their names) in main.
    return " ".join(f"INSERT INTO {table} ({_real_columns(table, columns)}) "
                    f"SELECT {columns} FROM {_stage(table)} ORDER BY rowid; DELETE FROM {_stage(table)};"
                    for table, columns in tables)


def _real_columns(table: str, columns: str) -> str:
    return columns.replace("document_id", "rowid") if table == "contact_fts" else columns


def _marks(columns: str) -> str:
    return ", ".join("?" * len(columns.split(",")))


# Writing a row into this TEMP table moves the staged rows ('rows') or search documents ('documents') in.
_MOVE = "clientdesk_staged_move"
_STAGING_SCHEMA = (
    *(f"CREATE TEMP TABLE IF NOT EXISTS {_stage(table)} ({columns})" for table, columns in _STAGED),
    f"CREATE TEMP TABLE IF NOT EXISTS {_MOVE} (part TEXT NOT NULL)",
    f"CREATE TEMP TRIGGER IF NOT EXISTS {_MOVE}_rows AFTER INSERT ON {_MOVE} WHEN NEW.part = 'rows' BEGIN "
    + _moved(t for t in _STAGED if t[0] != "contact_fts") + f" DELETE FROM {_MOVE}; END",
    f"CREATE TEMP TRIGGER IF NOT EXISTS {_MOVE}_documents AFTER INSERT ON {_MOVE} WHEN NEW.part = 'documents' BEGIN "
    + _moved(t for t in _STAGED if t[0] == "contact_fts") + f" DELETE FROM {_MOVE}; END",
)


def _fields(row: ContactRow) -> ContactFields:
    birthday = (Birthday(row.birthday_day, row.birthday_month, row.birthday_year)
                if row.birthday_day and row.birthday_month else None)
    return ContactFields(
        kind=ContactKind(row.kind), given_name=row.given_name, family_name=row.family_name,
        display_name=row.display_name, organisation_id=row.organisation_id,
        phones=tuple(Phone(raw=p.raw, e164=p.e164, label=p.label) for p in row.phones),
        emails=tuple(Email(address=e.address, label=e.label) for e in row.emails),
        addresses=tuple(Address(street=a.street, city=a.city, region=a.region, postcode=a.postcode,
                                country=a.country, label=a.label) for a in row.addresses),
        birthday=birthday, tags=tuple(t.name for t in row.tags), notes=row.notes,
        referred_by_id=row.referred_by_id,
    )


def _missing(contact_id: int) -> NotFound:
    return NotFound(f"There is no contact with id {contact_id}; it may have been deleted.")


@dataclass(frozen=True, slots=True)
class PreparedRows:
    """A batch's rows made by `BulkContactWriter.prepare_many`, by table; its tags still by name."""

    rows: dict[str, list[tuple]]


class BulkContactWriter:
    """Fast inserts for generated or imported batches: plain executemany, ids chosen up front so
    rows in one batch can point at each other; the caller's transaction makes the batch all-or-nothing.
    `interactions` writes the contacts' interactions and inquiries the same way, in the same transaction."""

    def __init__(self, session: Session, search: SqliteFtsIndex):
        self._session = session
        self._search = search
        self._tag_ids: dict[str, int] = {}
        self._organisation_names: dict[int, str] = {}  # of organisations written or looked up so far
        self._staging = False  # the TEMP tables of stage_many made on this connection
        self.interactions = BulkInteractionWriter(session)

    @contextmanager
    def roomy_cache(self) -> Iterator[None]:
        """A bigger page cache while a long run of writes lasts: inserting into the indexes of a large
        table touches pages all over them, and SQLite's default 2 MB would read most of them from disk
        again and again. Bounded, so memory still does not grow with the work."""
        connection = self._session.connection()
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")

    def next_id(self) -> int:
        connection = self._session.connection()
        used = connection.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'contact'").scalar()
        highest = connection.exec_driver_sql("SELECT max(id) FROM contact").scalar()
        return max(used or 0, highest or 0) + 1

    def add_many(self, batch: Sequence[tuple[int, ContactFields, datetime, datetime]]) -> None:
        connection = self._session.connection()
        organisation_names = self._organisation_names_for(batch)
        connection.exec_driver_sql(
            f"INSERT INTO contact ({_CONTACT_COLUMNS}) VALUES ({_marks(_CONTACT_COLUMNS)})",
            self._contact_rows(batch, organisation_names))
        self._add_details([(contact_id, f) for contact_id, f, _, _ in batch])
        # Ids handed out by next_id() were never used (AUTOINCREMENT), so the index holds nothing for them.
        self._search.add(
            (contact_id, f"{f.display_name} {f.given_name} {f.family_name}",
             organisation_names.get(f.organisation_id, "") if f.organisation_id is not None else "",
             " ".join(e.address for e in f.emails), " ".join(p.e164 for p in f.phones), " ".join(f.tags), f.notes)
            for contact_id, f, _, _ in batch)

    def stage_many(self, batch: Sequence[tuple[int, ContactFields, datetime, datetime]]
                   ) -> tuple[Callable[[], None], Callable[[], None]]:
        """`add_many` in parts: `stage(prepare_many(batch))`."""
        return self.stage(self.prepare_many(batch))

    def prepare_many(self, batch: Sequence[tuple[int, ContactFields, datetime, datetime]],
                     phone_texts: Mapping[int, str] | None = None) -> PreparedRows:
        """Every row the batch needs — contacts, phones, emails, addresses, tags, search documents — made in
        Python, without the connection as long as the names of the organisations the batch's members belong
        to are known (written or looked up before, or `learn_organisation_names`), so that it may run while
        another thread moves an earlier batch in. `phone_texts`: search documents' phone columns
        (`phone_fragments`) made beforehand, by contact id."""
        organisation_names = self._organisation_names_for(batch)
        made = phone_texts or {}
        rows = self._detail_rows([(contact_id, f) for contact_id, f, _, _ in batch], tag_ids=False)
        rows["contact"] = self._contact_rows(batch, organisation_names)
        rows["contact_fts"] = [
            (contact_id, f"{f.display_name} {f.given_name} {f.family_name}",
             organisation_names.get(f.organisation_id, "") if f.organisation_id is not None else "",
             " ".join(e.address for e in f.emails),
             made[contact_id] if contact_id in made else phone_fragments(p.e164 for p in f.phones),
             " ".join(f.tags), f.notes)
            for contact_id, f, _, _ in batch]
        return PreparedRows(rows)

    def learn_organisation_names(self, organisation_ids: Iterable[int]) -> None:
        """Read the names of these organisations now, for `prepare_many` to copy without the connection."""
        self._read_organisation_names(organisation_ids)

    def stage(self, prepared: PreparedRows) -> tuple[Callable[[], None], Callable[[], None]]:
        """Stages the prepared rows in TEMP tables of this connection, which have no index to keep. The two
        functions it returns move them into the real tables, the rows then the search documents, with one
        INSERT … SELECT each: SQLite's own work (the indexes, the FTS5 index's tokens), during which Python
        lets go of the GIL, so they may run on another thread while the caller works on — provided nothing
        else uses the connection until they have returned, and the rows go in before the documents and
        before the next batch is staged."""
        connection = self._session.connection()
        if not self._staging:
            for statement in _STAGING_SCHEMA:
                connection.exec_driver_sql(statement)
            self._staging = True
        rows = dict(prepared.rows)
        rows["contact_tag"] = [(contact_id, self._tag_id(name)) for contact_id, name in rows["contact_tag"]]
        driver = connection.connection.driver_connection
        for table, columns in _STAGED:
            if rows[table]:
                driver.executemany(f"INSERT INTO temp.{_stage(table)} VALUES ({_marks(columns)})", rows[table])

        # One statement each, a trigger doing the work: the thread that runs it takes the GIL back once, not
        # after each table (each time it may wait for a busy thread to let go of it).
        def move(part: str) -> None:
            driver.execute(f"INSERT INTO temp.{_MOVE} VALUES (?)", (part,))
        return lambda: move("rows"), lambda: move("documents")

    def unstage(self) -> None:
        """The staging tables gone (at the end of an import; a rollback takes them away by itself)."""
        if self._staging:
            connection = self._session.connection()
            for name in (*(_stage(table) for table, _ in _STAGED), _MOVE):  # the triggers go with their table
                connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{name}")
            self._staging = False

    def _contact_rows(self, batch: Sequence[tuple[int, ContactFields, datetime, datetime]],
                      organisation_names: dict[int, str]) -> list[tuple]:
        texts: dict[datetime, str] = {}  # a batch's contacts mostly share their times: each written once
        return [(contact_id, *self._columns(f, organisation_names),
                 texts.get(created) or texts.setdefault(created, utc_text(created)),
                 texts.get(updated) or texts.setdefault(updated, utc_text(updated)))
                for contact_id, f, created, updated in batch]

    def replace_many(self, batch: Sequence[tuple[int, ContactFields, datetime]]) -> None:
        """New fields for stored contacts (an import's merges), their phones, emails, addresses and tags
        rewritten. Their names must stay as they were: members copy an organisation's name, and this does
        not refresh them."""
        if not batch:
            return
        connection = self._session.connection()
        organisation_names = self._organisation_names_for([(cid, f, updated, updated) for cid, f, updated in batch])
        connection.exec_driver_sql(
            "UPDATE contact SET kind = ?, given_name = ?, family_name = ?, display_name = ?, sort_name = ?, "
            "organisation_id = ?, referred_by_id = ?, birthday_day = ?, birthday_month = ?, birthday_year = ?, "
            "notes = ?, list_organisation = ?, list_phone = ?, list_email = ?, list_tags = ?, updated_at = ? "
            "WHERE id = ?",
            [(*self._columns(f, organisation_names), utc_text(updated), contact_id) for contact_id, f, updated in batch])
        ids = [contact_id for contact_id, _, _ in batch]
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for table in ("contact_phone", "contact_email", "contact_address", "contact_tag"):
                connection.exec_driver_sql(f"DELETE FROM {table} WHERE contact_id IN ({marks})", chunk)
        self._add_details([(contact_id, f) for contact_id, f, _ in batch])
        self._search.reindex(ids)
        self._session.expire_all()  # rows the ORM may hold for these contacts are stale now

    def _columns(self, f: ContactFields, organisation_names: dict[int, str]) -> tuple:
        """The contact row's values from `kind` to `list_tags`, in the table's order."""
        birthday = f.birthday
        return (
            f.kind.value, f.given_name, f.family_name, f.display_name, sort_key(f.display_name),
            f.organisation_id, f.referred_by_id, birthday.day if birthday else None,
            birthday.month if birthday else None, birthday.year if birthday else None, f.notes,
            organisation_names.get(f.organisation_id, "") if f.organisation_id is not None else "",
            f.phones[0].raw if f.phones else "", f.emails[0].address if f.emails else "",
            ", ".join(sorted(f.tags, key=str.casefold)),
        )

    def _add_details(self, batch: Sequence[tuple[int, ContactFields]]) -> None:
        connection = self._session.connection()
        rows = self._detail_rows(batch)
        for table in _DETAILS:
            if rows[table]:
                columns = dict(_STAGED)[table]
                connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({_marks(columns)})", rows[table])

    def _detail_rows(self, batch: Sequence[tuple[int, ContactFields]], tag_ids: bool = True) -> dict[str, list[tuple]]:
        """The rows of the contacts' details; `tag_ids` False leaves each tag by name, for `stage` to look up."""
        phones, emails, addresses, links = [], [], [], []
        tag = self._tag_id if tag_ids else str
        for contact_id, f in batch:
            phones += [(contact_id, i, p.label, p.raw, p.e164) for i, p in enumerate(f.phones)]
            emails += [(contact_id, i, e.label, e.address) for i, e in enumerate(f.emails)]
            addresses += [(contact_id, i, a.label, a.street, a.city, a.region, a.postcode, a.country)
                          for i, a in enumerate(f.addresses)]
            links += [(contact_id, tag(name)) for name in f.tags]
        return {"contact_phone": phones, "contact_email": emails, "contact_address": addresses, "contact_tag": links}

    def add_boundaries(self, batch: Sequence[tuple[int, dict, datetime]]) -> None:
        """Rules in their JSON form for contacts of this batch (checked when they are read, by the domain)."""
        if batch:
            self._session.connection().exec_driver_sql(
                "INSERT INTO contact_boundaries (contact_id, rules_json, updated_at) VALUES (?, ?, ?)",
                [(cid, json.dumps(rules, ensure_ascii=False), utc_text(updated)) for cid, rules, updated in batch])

    def _organisation_names_for(self, batch: Sequence[tuple[int, ContactFields, datetime, datetime]]) -> dict[int, str]:
        """The names the batch's members copy into their list column: organisations of this batch or an
        earlier one are known already; any other is read once. Copying them as the rows are inserted spares
        updating (and re-indexing) every member afterwards."""
        known = self._organisation_names
        known.update((contact_id, f.display_name) for contact_id, f, _, _ in batch
                     if f.kind is ContactKind.ORGANISATION)
        self._read_organisation_names(f.organisation_id for _, f, _, _ in batch if f.organisation_id is not None)
        return known

    def _read_organisation_names(self, organisation_ids: Iterable[int]) -> None:
        """Those of these organisations' names not known yet, read once."""
        known = self._organisation_names
        missing = list({organisation_id for organisation_id in organisation_ids if organisation_id not in known})
        if not missing:
            return
        connection = self._session.connection()
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            known.update(connection.exec_driver_sql(
                f"SELECT id, display_name FROM contact WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk)).all())

    def _tag_id(self, name: str) -> int:
        if name not in self._tag_ids:
            connection = self._session.connection()
            connection.exec_driver_sql("INSERT OR IGNORE INTO tag (name) VALUES (?)", (name,))
            self._tag_ids[name] = connection.exec_driver_sql("SELECT id FROM tag WHERE name = ?", (name,)).scalar()
        return self._tag_ids[name]


__all__ = ["BulkContactWriter", "CandidateKeys", "ContactRepository", "DeletedContact", "PreparedRows"]
