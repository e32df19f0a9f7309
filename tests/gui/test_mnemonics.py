"""Alt+letter reaches one thing: among what a window shows at once (its menus, the page's labels, buttons, check
boxes, group boxes and tabs), no two share a mnemonic; otherwise Qt opens the menu, or cycles between them, and a
receptionist's Alt+E lands on Edit instead of Emails."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget

from tests.helpers import person

_MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Each letter and what it names, among the visible, enabled widgets of `window`."""
    found: dict[str, list[str]] = defaultdict(list)

    def note(text: str) -> None:
        letter = _letter(text)
        if letter:
            found[letter].append(text.replace("&", ""))

    for widget in window.findChildren(QWidget):  # disabled ones too: they are enabled as the selection moves
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None and widget.buddy().isVisibleTo(window):
            note(widget.text())
        elif isinstance(widget, QAbstractButton):
            note(widget.text())
        elif isinstance(widget, QGroupBox):
            note(widget.title())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabEnabled(index) and widget.isTabVisible(index):
                    note(widget.tabText(index))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if action.isVisible():
                    note(action.text())
    return dict(found)


def clashes(window: QWidget) -> dict[str, list[str]]:
    return {letter: names for letter, names in mnemonics(window).items() if len(names) > 1}


def test_alt_letters_reach_one_thing_on_every_page_whichever_tab_the_contact_form_shows(qtbot, workspace,
                                                                                      open_window):
    workspace.contacts.create(person("Ana", "Silva"))
    window = open_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.contacts_page.table.selectRow(0)
    qtbot.waitUntil(lambda: window.editor.isVisible())
    found = {}
    for page, page_name in enumerate(("Contacts", "Inquiries", "Dashboard", "Today")):
        window.show_page(page)
        for tab in range(window.editor.tabs.count()):
            window.editor.tabs.setCurrentIndex(tab)
            qtbot.waitUntil(lambda: window.editor.tabs.currentWidget().isVisible())
            found.update({f"{page_name} page, {window.editor.tabs.tabText(tab).replace('&', '')} tab, Alt+{letter}":
                          names for letter, names in clashes(window).items()})
    assert found == {}


def test_a_form_letter_moves_the_focus_instead_of_opening_a_menu(qtbot, workspace, open_window):
    workspace.contacts.create(person("Ana", "Silva"))
    window = open_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.contacts_page.table.selectRow(0)
    qtbot.waitUntil(lambda: window.editor.isVisible())
    editor = window.editor
    editor.given.setFocus()
    qtbot.keyClick(editor.given, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert editor.family.hasFocus() and QApplication.activePopupWidget() is None
