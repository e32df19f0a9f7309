"""The JSON shapes of the command line, and its plain-text tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from clientdesk.domain.contacts import Contact, ContactSummary
from clientdesk.domain.services_catalogue import money_text


def instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def contact_json(contact: Contact, stage: str | None = None, lifetime_value: Decimal | None = None) -> dict:
    """`stage` and `lifetime_value` (money as a string with two decimals) are the contact's on the day asked."""
    f = contact.fields
    return {
        "id": contact.id,
        "kind": f.kind.value,
        "display_name": f.display_name,
        "given_name": f.given_name,
        "family_name": f.family_name,
        "organisation": ({"id": f.organisation_id, "name": contact.organisation_name}
                         if f.organisation_id is not None else None),
        "phones": [{"label": p.label, "raw": p.raw, "e164": p.e164} for p in f.phones],
        "emails": [{"label": e.label, "address": e.address} for e in f.emails],
        "addresses": [{"label": a.label, "street": a.street, "city": a.city, "region": a.region,
                       "postcode": a.postcode, "country": a.country} for a in f.addresses],
        "birthday": f.birthday.iso() if f.birthday else None,
        "tags": list(f.tags),
        "notes": f.notes,
        "referred_by": ({"id": f.referred_by_id, "name": contact.referred_by_name}
                        if f.referred_by_id is not None else None),
        "created_at": instant(contact.created_at),
        "updated_at": instant(contact.updated_at),
        "stage": stage,
        "lifetime_value": money_text(lifetime_value) if lifetime_value is not None else None,
    }


def summary_json(summary: ContactSummary) -> dict:
    return {
        "id": summary.id,
        "kind": summary.kind.value,
        "display_name": summary.display_name,
        "organisation": summary.organisation or None,
        "phone": summary.phone or None,
        "email": summary.email or None,
        "tags": [tag for tag in summary.tags.split(", ") if tag],
        "updated_at": instant(summary.updated_at),
    }


def contact_text(contact: Contact) -> str:
    f = contact.fields
    lines = [f"{f.display_name}  (#{contact.id}, {f.kind.value})"]
    if contact.organisation_name:
        lines.append(f"  organisation: {contact.organisation_name}")
    lines += [f"  {p.label}: {p.raw}  [{p.e164}]" for p in f.phones]
    lines += [f"  {e.label}: {e.address}" for e in f.emails]
    lines += [f"  {a.label} address: {a.one_line()}" for a in f.addresses]
    if f.birthday:
        lines.append(f"  birthday: {f.birthday.iso()}")
    if f.tags:
        lines.append(f"  tags: {', '.join(f.tags)}")
    if contact.referred_by_name:
        lines.append(f"  referred by: {contact.referred_by_name}")
    if f.notes:
        lines.append("  notes: " + f.notes.replace("\n", "\n         "))
    lines.append(f"  updated: {instant(contact.updated_at)}")
    return "\n".join(lines)


def summaries_table(rows: list[ContactSummary]) -> str:
    if not rows:
        return "No contacts match."
    table = [("ID", "NAME", "ORGANISATION", "PHONE", "EMAIL")] + [
        (str(r.id), r.display_name, r.organisation, r.phone, r.email) for r in rows]
    widths = [min(40, max(len(row[i]) for row in table)) for i in range(5)]
    return "\n".join("  ".join(cell[:widths[i]].ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
                     for row in table)
