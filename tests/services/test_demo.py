from __future__ import annotations

import sqlite3

import phonenumbers

from clientdesk.services import demo


def test_demo_phones_store_the_e164_form_of_what_they_show(workspace, database_path):
    demo.generate(workspace.database, 300, seed=4, home_region="GB")
    with sqlite3.connect(database_path) as connection:
        phones = connection.execute("SELECT raw, e164 FROM contact_phone").fetchall()
    connection.close()
    assert len(phones) > 100
    for raw, e164 in phones:
        parsed = phonenumbers.parse(raw, "GB")  # numbers at home are shown the local way
        assert phonenumbers.is_valid_number(parsed), raw
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164, raw


def test_demo_gives_some_clients_their_own_boundaries(workspace):
    demo.generate(workspace.database, 300, seed=4, home_region="GB")
    with workspace.database.listing() as listing:
        stored = listing.boundaries_json(range(1, 301))
    assert 30 < len(stored) < 120
    for contact_id in list(stored)[:20]:
        workspace.boundaries.get(contact_id)  # every stored rule set is valid for the domain
