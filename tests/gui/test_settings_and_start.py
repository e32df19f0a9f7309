from __future__ import annotations

from PySide6.QtWidgets import QDialog

from clientdesk.gui import settings_dialog
from clientdesk.gui.application import run_gui
from tests.gui.conftest import settle


def test_settings_save_the_business_profile(qtbot, open_window, workspace, monkeypatch):
    window = open_window()

    def fill_and_accept(dialog: settings_dialog.SettingsDialog) -> int:
        dialog.name.setText("Harbour Plumbing")
        dialog.country.setCurrentIndex(dialog.country.findData("US"))
        dialog.time_zone.setCurrentText("America/New_York")
        dialog.currency.setText("usd")
        dialog.acknowledgement.setPlainText("Hi {client}, we will answer by {target}.")
        dialog.out_of_scope.setPlainText("Sorry {client}, {request} is extra; {offer}.")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", fill_and_accept)
    window.open_settings()
    settle(qtbot, window)
    profile = workspace.business.profile()
    assert (profile.name, profile.country, profile.time_zone, profile.currency) == \
        ("Harbour Plumbing", "US", "America/New_York", "USD")
    assert profile.reply.acknowledgement == "Hi {client}, we will answer by {target}."
    assert profile.reply.out_of_scope == "Sorry {client}, {request} is extra; {offer}."
    assert window.statusBar().currentMessage() == "Settings saved."


def test_an_invalid_time_zone_keeps_the_dialog_open_with_a_message(qtbot, open_window, workspace, monkeypatch):
    window = open_window()
    answers = iter([QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])
    seen: list[str] = []

    def type_a_bad_zone(dialog: settings_dialog.SettingsDialog) -> int:
        if seen == []:
            dialog.time_zone.setCurrentText("Mars/Olympus")
        seen.append(dialog.error.text())
        return next(answers)

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", type_a_bad_zone)
    window.open_settings()
    settle(qtbot, window)
    assert "Mars/Olympus" in seen[1] and "time zone" in seen[1]
    assert workspace.business.profile().time_zone == "Europe/London"


def test_the_window_refuses_a_file_that_is_not_a_database_and_leaves_it_alone(qtbot, tmp_path, dialogs):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"Dear diary,\n" * 20)
    assert run_gui(path) == 1
    assert dialogs and dialogs[0][0] == "critical" and "not an SQLite database" in dialogs[0][1]
    assert path.read_bytes() == b"Dear diary,\n" * 20
