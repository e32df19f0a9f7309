"""Client reviews in and out of the database: the reviews produced (`client_review`), and the reads one review
is gathered from. Never commits: the unit of work does.

Every read is about one contact and goes through an index that starts with the contact's id (purchases by
(contact, day), interactions by (contact, instant), out-of-scope requests by (contact, instant), reviews by
(contact, produced)), on the session's own sqlite3 connection: a review of a client with ten years of history
costs a dozen small queries, whatever the size of the database. Money comes back as Decimal, days as dates,
instants as aware UTC datetimes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clientdesk.domain.errors import NotFound
from clientdesk.domain.review import RecordedReview, ReviewPeriod
from clientdesk.domain.services_catalogue import Agreement, BillingPeriod, from_minor
from clientdesk.storage.types import from_utc_text, utc_text

_REVIEW_COLUMNS = "id, contact_id, period_from, period_to, produced_at, file_name, sha256, notes"

# The agreements with a review frequency still running on a day, each with its services, its client's name and
# the client's latest review since the agreement began: what "reviews due" works from.
_PLAN_REVIEWS_SQL = (
    "SELECT a.id, a.contact_id, a.starts_on, a.ends_on, a.renews_on, a.fee_minor, a.billing_period, "
    "a.review_every_months, a.notes, c.display_name, "
    "(SELECT max(r.produced_at) FROM client_review AS r WHERE r.contact_id = a.contact_id "
    "AND r.produced_at >= a.starts_on), "
    "(SELECT group_concat(name, char(31)) FROM (SELECT s.name AS name FROM agreement_service AS x "
    "JOIN service AS s ON s.id = x.service_id WHERE x.agreement_id = a.id ORDER BY s.name)) "
    "FROM agreement AS a JOIN contact AS c ON c.id = a.contact_id "
    "WHERE a.review_every_months IS NOT NULL AND (a.ends_on IS NULL OR a.ends_on >= ?) "
    "ORDER BY c.sort_name, c.id, a.starts_on, a.id"
)


class ReviewRepository:
    def __init__(self, session: Session):
        self._session = session

    def _rows(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        self._session.flush()
        return self._session.connection().connection.driver_connection.execute(sql, parameters).fetchall()

    # -- reviews produced ------------------------------------------------------------------------------

    def add(self, contact_id: int, period: ReviewPeriod, produced_at: datetime, file_name: str, sha256: str,
            notes: str = "") -> RecordedReview:
        connection = self._session.connection()
        result = connection.exec_driver_sql(
            "INSERT INTO client_review (contact_id, period_from, period_to, produced_at, file_name, sha256, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (contact_id, period.first.isoformat(), period.last.isoformat(), utc_text(produced_at), file_name, sha256,
             notes))
        return RecordedReview(result.lastrowid, contact_id, period, from_utc_text(utc_text(produced_at)), file_name,
                              sha256, notes)

    def for_contact(self, contact_id: int) -> list[RecordedReview]:
        """The contact's reviews, newest first."""
        return [_recorded(row) for row in self._rows(
            f"SELECT {_REVIEW_COLUMNS} FROM client_review WHERE contact_id = ? ORDER BY produced_at DESC, id DESC",
            (contact_id,))]

    def get(self, review_id: int) -> RecordedReview:
        rows = self._rows(f"SELECT {_REVIEW_COLUMNS} FROM client_review WHERE id = ?", (review_id,))
        if not rows:
            raise NotFound(f"There is no client review with id {review_id}.")
        return _recorded(rows[0])

    # -- what one review is gathered from -------------------------------------------------------------------

    def contact_name(self, contact_id: int) -> str:
        rows = self._rows("SELECT display_name FROM contact WHERE id = ?", (contact_id,))
        if not rows:
            raise NotFound(f"There is no contact with id {contact_id}; it may have been deleted.")
        return rows[0][0]

    def purchases(self, contact_id: int, first: date, last: date) -> list[tuple[date, Decimal, str | None]]:
        """(day, amount, service name or None) of each purchase (refunds negative) over first..last."""
        rows = self._rows(
            'SELECT p."on", p.amount_minor, s.name FROM purchase AS p LEFT JOIN service AS s ON s.id = p.service_id '
            'WHERE p.contact_id = ? AND p."on" BETWEEN ? AND ? ORDER BY p."on", p.id',
            (contact_id, first.isoformat(), last.isoformat()))
        return [(date.fromisoformat(on), from_minor(amount), name) for on, amount, name in rows]

    def totals_until(self, contact_id: int, day: date) -> tuple[int, Decimal, date | None, date | None]:
        """(purchases, net total, first purchase day, first agreement day) up to and including `day`."""
        ((count, total, first),) = self._rows(
            'SELECT count(CASE WHEN amount_minor > 0 THEN 1 END), coalesce(sum(amount_minor), 0), '
            'min(CASE WHEN amount_minor > 0 THEN "on" END) FROM purchase WHERE contact_id = ? AND "on" <= ?',
            (contact_id, day.isoformat()))
        ((agreement,),) = self._rows("SELECT min(starts_on) FROM agreement WHERE contact_id = ? AND starts_on <= ?",
                                     (contact_id, day.isoformat()))
        return (count, from_minor(total), date.fromisoformat(first) if first else None,
                date.fromisoformat(agreement) if agreement else None)

    def out_of_scope(self, contact_id: int, start: datetime, end: datetime
                     ) -> list[tuple[datetime, str, str, Decimal | None]]:
        """(instant, what was asked, decision, extra charge) of the requests made in [start, end), oldest first."""
        rows = self._rows(
            "SELECT at, asked, decision, extra_charge_minor FROM out_of_scope_request "
            "WHERE contact_id = ? AND at >= ? AND at < ? ORDER BY at, id",
            (contact_id, utc_text(start), utc_text(end)))
        return [(from_utc_text(at), asked, decision, from_minor(charge)) for at, asked, decision, charge in rows]

    def channel_counts(self, contact_id: int, start: datetime, end: datetime) -> list[tuple[str, str, int]]:
        """(channel, direction, count) of the interactions in [start, end)."""
        return self._rows(
            "SELECT channel, direction, count(*) FROM interaction WHERE contact_id = ? AND at >= ? AND at < ? "
            "GROUP BY channel, direction", (contact_id, utc_text(start), utc_text(end)))

    # -- plan reviews -------------------------------------------------------------------------------------

    def plan_review_agreements(self, running_on: date) -> list[tuple[Agreement, str, datetime | None]]:
        """Every agreement with a review frequency that has not ended before `running_on`, with its client's
        name and the client's latest review produced since the agreement began (None when none was), in the
        clients' list order."""
        found = []
        for row in self._rows(_PLAN_REVIEWS_SQL, (running_on.isoformat(),)):
            (agreement_id, contact_id, starts_on, ends_on, renews_on, fee, billing, every, notes, name, latest,
             services) = row
            agreement = Agreement(agreement_id, contact_id, date.fromisoformat(starts_on),
                                  date.fromisoformat(ends_on) if ends_on else None,
                                  date.fromisoformat(renews_on) if renews_on else None, from_minor(fee),
                                  BillingPeriod(billing), every, notes,
                                  tuple(services.split("\x1f")) if services else ())
            found.append((agreement, name, from_utc_text(latest)))
        return found


def _recorded(row: tuple) -> RecordedReview:
    review_id, contact_id, first, last, produced_at, file_name, sha256, notes = row
    return RecordedReview(review_id, contact_id, ReviewPeriod(date.fromisoformat(first), date.fromisoformat(last)),
                          from_utc_text(produced_at), file_name, sha256, notes)


__all__ = ["ReviewRepository"]
