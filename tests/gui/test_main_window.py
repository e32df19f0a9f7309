"""The receptionist's path through the window, by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import settle, tab_to
from tests.helpers import person


def names_in_list(window) -> list[str]:
    model = window.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_an_empty_database_shows_guidance_instead_of_a_blank_table(open_window):
    window = open_window()
    page = window.contacts_page
    assert page.stack.currentWidget() is page.empty
    assert "empty" in page.empty.heading.text()
    assert window.count_label.text() == "0 contacts"


def test_typing_in_the_search_box_narrows_the_list(qtbot, workspace, open_window):
    for given, family in (("Zoë", "Ålström"), ("John", "Smith"), ("Joan", "Smithers"), ("Ana", "Silva")):
        workspace.contacts.create(person(given, family))
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.contacts_page.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "smi")
    qtbot.waitUntil(lambda: names_in_list(window) == ["Joan Smithers", "John Smith"])
    assert window.count_label.text() == "2 of 4 match"
    qtbot.keyClicks(search, "thers")
    qtbot.waitUntil(lambda: names_in_list(window) == ["Joan Smithers"])
    search.clear()
    qtbot.keyClicks(search, "zoe")
    qtbot.waitUntil(lambda: names_in_list(window) == ["Zoë Ålström"])
    qtbot.keyClicks(search, "zzz")
    qtbot.waitUntil(lambda: window.contacts_page.stack.currentWidget() is window.contacts_page.no_match)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(names_in_list(window)) == 4)


def test_create_a_contact_by_keyboard(qtbot, open_window, workspace):
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.editor
    assert editor.given.hasFocus()
    qtbot.keyClicks(editor.given, "Ana")
    qtbot.keyClick(editor.given, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Silva")
    phone = editor.phones.edit(0)
    tab_to(qtbot, phone)
    qtbot.keyClicks(phone, "020 7946 0958")
    qtbot.keyClick(phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert names_in_list(window) == ["Ana Silva"]
    assert window.contacts_page.current_id() == editor.contact_id
    saved = workspace.contacts.get(editor.contact_id)
    assert saved.fields.phones[0].e164 == "+442079460958"
    assert window.contacts_page.table.hasFocus()


def test_edit_a_contact_by_keyboard(qtbot, open_window, workspace):
    for given in ("Ana", "Ben"):
        workspace.contacts.create(person(given, "Silva"))
    window = open_window()
    table = window.contacts_page.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.editor.title.text() == "Ben Silva"
    qtbot.keyClick(table, Qt.Key.Key_Return)
    given = window.editor.given
    assert given.hasFocus()
    given.selectAll()
    qtbot.keyClicks(given, "Bea")
    qtbot.keyClick(given, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert names_in_list(window) == ["Ana Silva", "Bea Silva"]
    assert window.editor.title.text() == "Bea Silva"


def test_delete_and_undo_by_keyboard(qtbot, open_window, workspace):
    for given in ("Ana", "Ben", "Cy"):
        workspace.contacts.create(person(given, "Silva"))
    window = open_window()
    table = window.contacts_page.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert names_in_list(window) == ["Ana Silva", "Cy Silva"]
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    # The next contact takes the deleted one's place, and the list keeps the keyboard focus.
    assert window.contacts_page.current_id() == window.editor.contact_id
    assert window.editor.title.text() == "Cy Silva"
    assert table.hasFocus()
    assert window.undo_action.text() == "&Undo Delete “Ben Silva”"
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert names_in_list(window) == ["Ana Silva", "Ben Silva", "Cy Silva"]
    assert workspace.contacts.count() == 3


def test_an_invalid_phone_blocks_the_save_and_says_why(qtbot, open_window, workspace):
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.editor
    qtbot.keyClicks(editor.given, "Ana")
    phone = editor.phones.edit(0)
    tab_to(qtbot, phone)
    qtbot.keyClicks(phone, "12345")
    qtbot.waitUntil(lambda: "not a valid number" in editor.phones._rows[0].error.text())
    assert editor.phones._rows[0].error.isVisible()
    assert not editor.save_button.isEnabled()
    qtbot.keyClick(phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert workspace.contacts.count() == 0
    phone.clear()
    qtbot.keyClicks(phone, "020 7946 0958")
    qtbot.waitUntil(editor.save_button.isEnabled)
    assert not editor.phones._rows[0].error.isVisible()


def test_a_new_form_does_not_complain_before_anything_is_typed(qtbot, open_window):
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(250)
    assert not window.editor.name_error.isVisible()
    qtbot.keyClick(window.editor.given, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.name_error.isVisible() and "name" in window.editor.name_error.text()


def test_demo_data_can_be_loaded_from_the_empty_state(qtbot, open_window, workspace, monkeypatch):
    import clientdesk.gui.main_window as main_window

    monkeypatch.setattr(main_window, "DEMO_CONTACTS", 40)
    window = open_window()
    window.load_demo_data()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 40)
    assert window.contacts_page.stack.currentWidget() is window.contacts_page.table
    assert window.count_label.text() == "40 contacts"


def test_the_list_reads_rows_in_blocks_not_all_at_once(qtbot, workspace, open_window, monkeypatch):
    from clientdesk.services import demo

    demo.generate(workspace.database, 1000, seed=2, home_region="GB")
    fetched: list[int] = []
    original = workspace.contacts.page
    monkeypatch.setattr(workspace.contacts, "page",
                        lambda *args, **kwargs: fetched.append(args[-1]) or original(*args, **kwargs))
    monkeypatch.setattr(workspace.contacts, "ordered_ids", lambda *args: pytest.fail("the list loaded every id"))
    window = open_window()
    window.contacts_page.table.scrollToBottom()
    qtbot.wait(50)
    assert window.model.rowCount() == 1000
    assert window.model.data(window.model.index(999, 0))
    assert fetched and max(fetched) <= 128 and len(fetched) <= 3


def test_the_selected_contact_stays_selected_when_the_order_changes(qtbot, workspace, open_window):
    for given, email in (("Ana", "z@x.com"), ("Ben", "a@x.com"), ("Cy", "m@x.com")):
        workspace.contacts.create(person(given, emails=(("work", email),)))
    window = open_window()
    window.contacts_page.select_row(0)
    assert window.editor.title.text() == "Ana"
    window.contacts_page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # by email: Ben, Cy, Ana
    qtbot.wait(20)
    assert window.contacts_page.table.currentIndex().row() == 2
    assert window.contacts_page.current_id() == window.editor.contact_id



def test_names_in_chinese_japanese_or_korean_have_a_font_once_the_window_is_up(qtbot, workspace, open_window):
    from PySide6.QtGui import QFontDatabase

    workspace.contacts.create(person("小明", "王"))
    open_window()
    # The system's own, or, on a system without one, the font ClientDesk brings for the reviews.
    for script in ("SimplifiedChinese", "Japanese", "Korean"):
        assert QFontDatabase.families(getattr(QFontDatabase.WritingSystem, script)), script
