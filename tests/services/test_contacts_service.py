from __future__ import annotations

import pytest

from clientdesk.domain.contacts import ContactDraft, ContactKind, ListColumn
from clientdesk.domain.errors import InvalidContact, NotFound
from tests.helpers import person


def test_create_then_get_returns_what_was_typed(workspace):
    saved = workspace.contacts.create(person("Zoë", "Ålström", phones=(("mobile", "020 7946 0958"),),
                                             emails=(("work", "zoe@example.com"),), tags=("vip",)))
    contact = workspace.contacts.get(saved.contact_id)
    assert contact.display_name == "Zoë Ålström"
    assert [p.e164 for p in contact.fields.phones] == ["+442079460958"]
    assert contact.fields.tags == ("vip",)
    assert saved.changes.contacts and saved.contact_id in saved.changes.contact_ids


def test_an_invalid_contact_writes_nothing(workspace):
    with pytest.raises(InvalidContact):
        workspace.contacts.create(person("Ana", phones=(("mobile", "12"),)))
    assert workspace.contacts.count() == 0


def test_a_failed_update_leaves_the_contact_as_it_was(workspace):
    saved = workspace.contacts.create(person("Ana", "Silva"))
    with pytest.raises(InvalidContact):
        workspace.contacts.update(saved.contact_id, person("Ana", "Silva", referred_by_id=saved.contact_id))
    assert workspace.contacts.get(saved.contact_id).fields.referred_by_id is None


def test_an_organisation_named_on_create_is_found_or_made_once(workspace):
    first = workspace.contacts.create(person("Ana"), organisation_name="Acme Ltd")
    second = workspace.contacts.create(person("Ben"), organisation_name="acme ltd")
    a, b = workspace.contacts.get(first.contact_id), workspace.contacts.get(second.contact_id)
    assert a.fields.organisation_id == b.fields.organisation_id
    organisation = workspace.contacts.get(a.fields.organisation_id)
    assert organisation.fields.kind is ContactKind.ORGANISATION and organisation.member_count == 2


def test_undo_reverts_create_edit_and_delete_in_turn(workspace):
    saved = workspace.contacts.create(person("Ana", "Silva"))
    workspace.contacts.update(saved.contact_id, person("Ana", "Santos"))
    workspace.contacts.delete([saved.contact_id])
    assert workspace.contacts.undo_label() == "Delete “Ana Santos”"
    workspace.contacts.undo()
    assert workspace.contacts.get(saved.contact_id).display_name == "Ana Santos"
    workspace.contacts.undo()
    assert workspace.contacts.get(saved.contact_id).display_name == "Ana Silva"
    workspace.contacts.undo()
    with pytest.raises(NotFound):
        workspace.contacts.get(saved.contact_id)
    assert workspace.contacts.undo() is None


def test_undoing_a_delete_restores_links_from_other_contacts(workspace):
    member = workspace.contacts.create(person("Ana"), organisation_name="Acme Ltd").contact_id
    organisation = workspace.contacts.get(member).fields.organisation_id
    referred = workspace.contacts.create(person("Ben", referred_by_id=organisation)).contact_id
    workspace.contacts.delete([organisation, member])
    assert workspace.contacts.get(referred).fields.referred_by_id is None
    workspace.contacts.undo()
    assert workspace.contacts.get(member).organisation_name == "Acme Ltd"
    assert workspace.contacts.get(referred).fields.referred_by_id == organisation
    assert workspace.contacts.summaries([member])[0].organisation == "Acme Ltd"


def test_renaming_an_organisation_renames_it_in_its_members_rows(workspace):
    member = workspace.contacts.create(person("Ana"), organisation_name="Acme Ltd").contact_id
    organisation = workspace.contacts.get(member).fields.organisation_id
    workspace.contacts.update(organisation, ContactDraft(kind=ContactKind.ORGANISATION, display_name="Zenith Group"))
    assert workspace.contacts.summaries([member])[0].organisation == "Zenith Group"
    assert set(workspace.contacts.ordered_ids("zenith")) == {organisation, member}
    assert workspace.contacts.ordered_ids("acme") == []


def test_list_orders_by_each_column(workspace):
    for given, email in (("Cara", "a@x.com"), ("Ábel", "c@x.com"), ("bea", "b@x.com")):
        workspace.contacts.create(person(given, emails=(("work", email),)))
    names = lambda ids: [s.display_name for s in workspace.contacts.summaries(ids)]  # noqa: E731
    assert names(workspace.contacts.ordered_ids("", ListColumn.NAME)) == ["Ábel", "bea", "Cara"]
    assert names(workspace.contacts.ordered_ids("", ListColumn.EMAIL, descending=True)) == ["Ábel", "bea", "Cara"]


def test_the_business_profile_sets_the_phone_region(workspace):
    from dataclasses import replace

    workspace.business.save(replace(workspace.business.profile(), country="US"))
    saved = workspace.contacts.create(person("Al", phones=(("mobile", "(415) 555-2671"),)))
    assert workspace.contacts.get(saved.contact_id).fields.phones[0].e164 == "+14155552671"


def test_names_are_read_in_chunks_so_any_number_of_ids_fits_in_sqlites_limits(workspace, monkeypatch):
    from clientdesk.storage import contacts_repository

    ids = [workspace.contacts.create(person(f"Person{n}")).contact_id for n in range(5)]
    monkeypatch.setattr(contacts_repository, "NAMES_PER_QUERY", 2)
    assert workspace.contacts.names(ids + [999]) == {cid: f"Person{n}" for n, cid in enumerate(ids)}
