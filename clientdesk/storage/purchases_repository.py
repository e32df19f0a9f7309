"""Services, agreements, purchases, out-of-scope requests and ended relationships in and out of the
database, and the grouped reads the figures are computed from. Never commits: the unit of work does.

Money is stored in whole minor units (pence) and handed back as Decimal; dates are ISO dates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clientdesk.domain.lifecycle import Stage, StageSpan
from clientdesk.domain.services_catalogue import (
    Agreement,
    AgreementDraft,
    BillingPeriod,
    OutOfScopeDraft,
    PurchaseDraft,
    PurchaseRecord,
    Service,
    ServiceDraft,
    from_minor,
    to_minor,
)
from clientdesk.storage.models import (
    AgreementRow,
    AgreementServiceRow,
    ContactEndedRow,
    OutOfScopeRequestRow,
    PurchaseRow,
    ServiceRow,
)


class PurchaseRepository:
    def __init__(self, session: Session):
        self._session = session

    # -- the catalogue ------------------------------------------------------------------------------------

    def add_service(self, draft: ServiceDraft, now: datetime) -> Service:
        row = ServiceRow(name=draft.name, description=draft.description,
                         price_minor=None if draft.price is None else to_minor(draft.price), unit=draft.unit,
                         created_at=now)
        self._session.add(row)
        self._session.flush()
        return _service(row)

    def update_service(self, service_id: int, draft: ServiceDraft) -> Service | None:
        """None when there is no such service."""
        row = self._session.get(ServiceRow, service_id)
        if row is None:
            return None
        row.name, row.description, row.unit = draft.name, draft.description, draft.unit
        row.price_minor = None if draft.price is None else to_minor(draft.price)
        self._session.flush()
        return _service(row)

    def remove_service(self, service_id: int) -> None:
        self._session.execute(delete(ServiceRow).where(ServiceRow.id == service_id))

    def agreements_per_service(self) -> dict[int, int]:
        """How many agreements cover each service (services in none are left out)."""
        rows = self._session.execute(select(AgreementServiceRow.service_id, func.count())
                                     .group_by(AgreementServiceRow.service_id))
        return {service_id: count for service_id, count in rows}

    def service_use(self, service_id: int) -> tuple[int, int]:
        """(agreements, purchases) that name the service."""
        agreements = self._session.scalar(select(func.count()).select_from(AgreementServiceRow)
                                          .where(AgreementServiceRow.service_id == service_id)) or 0
        purchases = self._session.scalar(select(func.count()).select_from(PurchaseRow)
                                         .where(PurchaseRow.service_id == service_id)) or 0
        return agreements, purchases

    def service_named(self, name: str) -> Service | None:
        row = self._session.scalar(select(ServiceRow).where(func.lower(ServiceRow.name) == name.strip().lower()))
        return None if row is None else _service(row)

    def services(self) -> list[Service]:
        return [_service(row) for row in self._session.scalars(select(ServiceRow).order_by(ServiceRow.name))]

    # -- agreements ---------------------------------------------------------------------------------------

    def add_agreement(self, draft: AgreementDraft, service_ids: Iterable[int], now: datetime) -> int:
        row = AgreementRow(contact_id=draft.contact_id, starts_on=draft.starts_on, ends_on=draft.ends_on,
                           renews_on=draft.renews_on, fee_minor=None if draft.fee is None else to_minor(draft.fee),
                           billing_period=draft.billing_period.value, review_every_months=draft.review_every_months,
                           notes=draft.notes, created_at=now)
        self._session.add(row)
        self._session.flush()
        self._session.add_all(AgreementServiceRow(agreement_id=row.id, service_id=service_id)
                              for service_id in dict.fromkeys(service_ids))
        self._session.flush()
        return row.id

    def agreements_for(self, contact_id: int) -> list[Agreement]:
        rows = list(self._session.scalars(select(AgreementRow).where(AgreementRow.contact_id == contact_id)
                                          .order_by(AgreementRow.starts_on, AgreementRow.id)))
        names: dict[int, list[str]] = {}
        if rows:
            linked = self._session.execute(
                select(AgreementServiceRow.agreement_id, ServiceRow.name)
                .join(ServiceRow, ServiceRow.id == AgreementServiceRow.service_id)
                .where(AgreementServiceRow.agreement_id.in_([row.id for row in rows])).order_by(ServiceRow.name))
            for agreement_id, name in linked:
                names.setdefault(agreement_id, []).append(name)
        return [Agreement(row.id, row.contact_id, row.starts_on, row.ends_on, row.renews_on, from_minor(row.fee_minor),
                          BillingPeriod(row.billing_period), row.review_every_months, row.notes,
                          tuple(names.get(row.id, ()))) for row in rows]

    # -- purchases ----------------------------------------------------------------------------------------

    def add_purchase(self, draft: PurchaseDraft, service_id: int | None, now: datetime) -> int:
        row = PurchaseRow(contact_id=draft.contact_id, on=draft.on, amount_minor=to_minor(draft.amount),
                          service_id=service_id, description=draft.description, created_at=now)
        self._session.add(row)
        self._session.flush()
        return row.id

    def purchases_for(self, contact_id: int, until: date | None = None) -> list[PurchaseRecord]:
        query = select(PurchaseRow).where(PurchaseRow.contact_id == contact_id)
        if until is not None:
            query = query.where(PurchaseRow.on <= until)
        return [PurchaseRecord(row.id, row.contact_id, row.on, from_minor(row.amount_minor), row.description,
                               row.service_id)
                for row in self._session.scalars(query.order_by(PurchaseRow.on, PurchaseRow.id))]

    # -- out-of-scope requests ----------------------------------------------------------------------------

    def add_out_of_scope(self, draft: OutOfScopeDraft, now: datetime) -> int:
        row = OutOfScopeRequestRow(
            contact_id=draft.contact_id, at=draft.at, asked=draft.asked, decision=draft.decision.value,
            extra_charge_minor=None if draft.extra_charge is None else to_minor(draft.extra_charge), created_at=now)
        self._session.add(row)
        self._session.flush()
        return row.id

    def out_of_scope_for(self, contact_id: int) -> list[tuple[int, datetime, str, str, Decimal | None]]:
        rows = self._session.scalars(select(OutOfScopeRequestRow).where(OutOfScopeRequestRow.contact_id == contact_id)
                                     .order_by(OutOfScopeRequestRow.at, OutOfScopeRequestRow.id))
        return [(row.id, row.at, row.asked, row.decision, from_minor(row.extra_charge_minor)) for row in rows]

    # -- relationships ended by hand ----------------------------------------------------------------------

    def set_ended(self, contact_id: int, ended_on: date, reason: str) -> None:
        row = self._session.get(ContactEndedRow, contact_id)
        if row is None:
            self._session.add(ContactEndedRow(contact_id=contact_id, ended_on=ended_on, reason=reason))
        else:
            row.ended_on, row.reason = ended_on, reason
        self._session.flush()

    def ended(self, contact_id: int) -> tuple[date, str] | None:
        row = self._session.get(ContactEndedRow, contact_id)
        return None if row is None else (row.ended_on, row.reason)

    def clear_ended(self, contact_id: int) -> bool:
        return self._session.execute(delete(ContactEndedRow).where(ContactEndedRow.contact_id == contact_id)).rowcount > 0


class PurchaseFigures:
    """Grouped reads over the purchases, in plain SQL: the figures aggregate in the database, and only one
    row per contact comes back. Refunds (negative amounts) count towards revenue but not as purchases.
    The sums over a span of days read the covering index on (day, contact, amount) alone."""

    def __init__(self, session: Session):
        self._session = session

    def _rows(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        # The sqlite3 cursor itself: SQLAlchemy's result rows would cost more than the query on 100,000 rows.
        self._session.flush()
        return self._session.connection().connection.driver_connection.execute(sql, parameters).fetchall()

    def revenue_by_contact(self, first: date, last: date) -> tuple[dict[int, Decimal], set[int]]:
        """Each contact's net total over first..last, and the contacts who bought (not only refunded) then."""
        rows = self._rows('SELECT contact_id, SUM(amount_minor), MAX(amount_minor > 0) FROM purchase '
                          'WHERE "on" BETWEEN ? AND ? GROUP BY contact_id', (first.isoformat(), last.isoformat()))
        return ({contact_id: from_minor(total) for contact_id, total, _ in rows},
                {contact_id for contact_id, _, bought in rows if bought})

    def any_purchases(self) -> bool:
        return bool(self._rows("SELECT EXISTS (SELECT 1 FROM purchase)")[0][0])

    def latest_day(self) -> date | None:
        value = self._rows('SELECT max("on") FROM purchase')[0][0]
        return date.fromisoformat(value) if value else None

    def buyers(self, first: date, last: date) -> set[int]:
        rows = self._rows('SELECT DISTINCT contact_id FROM purchase WHERE "on" BETWEEN ? AND ? AND amount_minor > 0',
                          (first.isoformat(), last.isoformat()))
        return {contact_id for (contact_id,) in rows}

    def buyer_totals(self, until: date) -> dict[int, tuple[int, Decimal]]:
        """(purchases, net total) of every contact who bought on or before `until`. From the running totals
        when no purchase is dated later (the usual case: the figures of today), else summed up to the day."""
        latest = self.latest_day()
        if latest is None or latest <= until:
            rows = self._rows("SELECT contact_id, purchase_count, net_minor FROM contact_activity "
                              "WHERE purchase_count > 0")
        else:
            rows = self._rows('SELECT contact_id, count(CASE WHEN amount_minor > 0 THEN 1 END), sum(amount_minor) '
                              'FROM purchase WHERE "on" <= ? GROUP BY contact_id '
                              'HAVING count(CASE WHEN amount_minor > 0 THEN 1 END) > 0', (until.isoformat(),))
        return {contact_id: (count, from_minor(total)) for contact_id, count, total in rows}

    def monthly_new_and_repeat(self, first: date, last: date) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
        """(year, month) → (revenue of first purchases, revenue of every later one) over first..last. A
        contact's first purchases are its positive ones on the day of its earliest (kept in
        contact_activity); refunds count with the repeat revenue, a refund never being a first purchase.
        Two small reads rather than a join per purchase: each month's total from the day index alone, and
        the first purchases of the few contacts whose first day falls in the span (CROSS JOIN keeps SQLite
        from starting at the purchases instead, which reads the whole year)."""
        span = (first.isoformat(), last.isoformat())
        totals = self._rows('SELECT substr("on", 1, 7), SUM(amount_minor) FROM purchase WHERE "on" BETWEEN ? AND ? '
                            "GROUP BY 1", span)
        firsts = dict(self._rows(
            "SELECT substr(a.first_purchase_on, 1, 7), SUM(p.amount_minor) FROM contact_activity AS a CROSS "
            'JOIN purchase AS p ON p.contact_id = a.contact_id AND p."on" = a.first_purchase_on AND p.amount_minor > 0 '
            "WHERE a.first_purchase_on BETWEEN ? AND ? GROUP BY 1", span))
        months = {}
        for month, total in totals:
            new = firsts.get(month, 0)
            months[(int(month[:4]), int(month[5:7]))] = (from_minor(new), from_minor(total - new))
        return months

    def months_bought(self, first: date, last: date) -> dict[int, int]:
        """Each contact who bought over first..last, with the months it bought in as bits: bit n is the
        n-th month from `first`'s month (0 for that month itself)."""
        base = first.year * 12 + first.month
        return dict(self._rows(
            'SELECT contact_id, SUM(DISTINCT 1 << (CAST(substr("on", 1, 4) AS INTEGER) * 12 '
            '+ CAST(substr("on", 6, 2) AS INTEGER) - ?)) FROM purchase WHERE "on" BETWEEN ? AND ? AND amount_minor > 0 '
            "GROUP BY contact_id", (base, first.isoformat(), last.isoformat())))

    def stage_spans(self) -> list[StageSpan]:
        """Every stage each contact held, as grouped spans by the months it began and ended (see
        domain.lifecycle.funnel_by_month), and each contact's time before its first stage as a prospect from
        the month it was added. The window function walks stage_change in its key's order: no sort."""
        held = self._rows(
            'SELECT stage, began, ended, count(*) FROM (SELECT stage, substr("on", 1, 7) AS began, '
            'substr(lead("on") OVER (PARTITION BY contact_id ORDER BY "on"), 1, 7) AS ended FROM stage_change) '
            "GROUP BY stage, began, ended")
        before = self._rows(
            "SELECT substr(c.created_at, 1, 7) AS added, substr(f.first_on, 1, 7) AS first, count(*) FROM contact AS c "
            'LEFT JOIN (SELECT contact_id, min("on") AS first_on FROM stage_change GROUP BY contact_id) AS f '
            "ON f.contact_id = c.id WHERE f.first_on IS NULL OR substr(c.created_at, 1, 7) < substr(f.first_on, 1, 7) "
            "GROUP BY added, first")
        return ([StageSpan(Stage(stage), began, ended, count) for stage, began, ended, count in held]
                + [StageSpan(Stage.PROSPECT, added, first, count) for added, first, count in before])

    def agreement_holders(self, until: date) -> set[int]:
        """Contacts with an agreement that started on or before `until`."""
        return {cid for (cid,) in self._rows("SELECT DISTINCT contact_id FROM agreement WHERE starts_on <= ?",
                                             (until.isoformat(),))}

    def first_agreement(self, contact_id: int) -> date | None:
        value = self._rows("SELECT min(starts_on) FROM agreement WHERE contact_id = ?", (contact_id,))[0][0]
        return date.fromisoformat(value) if value else None


def _service(row: ServiceRow) -> Service:
    return Service(row.id, row.name, row.description, from_minor(row.price_minor), row.unit)


# -- bulk loads -------------------------------------------------------------------------------------------

_PURCHASE_SQL = ('INSERT INTO purchase (contact_id, "on", amount_minor, service_id, description, created_at) '
                 "VALUES (?, ?, ?, ?, ?, ?)")
_AGREEMENT_SQL = ("INSERT INTO agreement (id, contact_id, starts_on, ends_on, renews_on, fee_minor, billing_period, "
                  "review_every_months, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_AGREEMENT_SERVICE_SQL = "INSERT OR IGNORE INTO agreement_service (agreement_id, service_id) VALUES (?, ?)"
_OUT_OF_SCOPE_SQL = ("INSERT INTO out_of_scope_request (contact_id, at, asked, decision, extra_charge_minor, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?)")
# The index that starts with the day: a load written contact by contact reaches it in random order; built again whole
# from the finished table it costs much less.
_DAY_INDEX = next(index for index in PurchaseRow.__table__.indexes if list(index.columns.keys())[0] == "on")


class BulkPurchaseWriter:
    """Fast inserts of generated purchases, agreements (with their services) and out-of-scope requests:
    executemany of plain tuples, as stored (money in minor units, days as ISO text, instants as naive UTC
    text). Agreement ids are chosen up front so their services can point at them. Never commits."""

    def __init__(self, session: Session):
        self._session = session

    def ensure_services(self, rows: Iterable[tuple[str, str, int | None, str]], created_at: str) -> dict[str, int]:
        """Adds the (name, description, price_minor, unit) services not already in the catalogue (names
        compare without case) and returns every one's id by the name given."""
        rows = list(rows)
        connection = self._session.connection()
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO service (name, description, price_minor, unit, created_at) VALUES (?, ?, ?, ?, ?)",
            [(name, description, price, unit, created_at) for name, description, price, unit in rows])
        ids = {}
        for name, *_ in rows:
            ids[name] = connection.exec_driver_sql("SELECT id FROM service WHERE name = ? COLLATE NOCASE",
                                                   (name,)).scalar()
        return ids

    def next_agreement_id(self) -> int:
        connection = self._session.connection()
        return (connection.exec_driver_sql("SELECT max(id) FROM agreement").scalar() or 0) + 1

    @contextmanager
    def day_index_rebuilt_after(self) -> Iterator[None]:
        """Writes inside the block skip the purchases' index on the day, built again when the block ends, in
        the caller's transaction."""
        connection = self._session.connection()
        _DAY_INDEX.drop(connection)
        yield
        _DAY_INDEX.create(connection)

    def add_purchases(self, rows: Sequence[tuple[int, str, int, int | None, str, str]]) -> None:
        """(contact_id, on, amount_minor, service_id, description, created_at) rows."""
        if rows:
            self._session.connection().exec_driver_sql(_PURCHASE_SQL, rows)

    def add_agreements(self, rows: Sequence[tuple], services: Sequence[tuple[int, int]]) -> None:
        """(id, contact_id, starts_on, ends_on, renews_on, fee_minor, billing_period, review_every_months,
        notes, created_at) rows, then their (agreement_id, service_id) links."""
        connection = self._session.connection()
        if rows:
            connection.exec_driver_sql(_AGREEMENT_SQL, rows)
        if services:
            connection.exec_driver_sql(_AGREEMENT_SERVICE_SQL, services)

    def add_out_of_scope(self, rows: Sequence[tuple]) -> None:
        """(contact_id, at, asked, decision, extra_charge_minor, created_at) rows."""
        if rows:
            self._session.connection().exec_driver_sql(_OUT_OF_SCOPE_SQL, rows)
