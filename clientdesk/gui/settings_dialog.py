"""Settings: the business profile (name, address, country, time zone, currency)."""

from __future__ import annotations

import zoneinfo

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.business import BusinessProfile
from clientdesk.domain.errors import InvalidInput
from clientdesk.gui.style import HINT_STYLE, set_error


def _country_names() -> list[tuple[str, str]]:
    import phonenumbers

    named = []
    for code in sorted(phonenumbers.SUPPORTED_REGIONS):
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyCountry else code
        named.append((name, code))
    return sorted(named, key=lambda pair: pair[0].casefold())


class SettingsDialog(QDialog):
    def __init__(self, profile: BusinessProfile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings — ClientDesk")
        self.name = QLineEdit(profile.name, self)
        self.address = QPlainTextEdit(profile.address, self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.country = QComboBox(self)
        for name, code in _country_names():
            self.country.addItem(f"{name} ({code})", code)
        self.country.setCurrentIndex(max(0, self.country.findData(profile.country.upper())))
        self.country.setEditable(True)
        self.country.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.country.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone = QComboBox(self)
        self.time_zone.addItems(sorted(zoneinfo.available_timezones()))
        self.time_zone.setEditable(True)
        self.time_zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.time_zone.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone.setCurrentText(profile.time_zone)
        self.currency = QLineEdit(profile.currency, self)
        self.currency.setMaxLength(3)
        self.currency.setInputMask(">AAA")
        self.error = QLabel(self)
        set_error(self.error, "")
        hint = QLabel("The country is the default for phone numbers typed without a country code.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)

        form = QFormLayout()
        form.addRow("Business &name", self.name)
        form.addRow("&Address", self.address)
        form.addRow("&Country", self.country)
        form.addRow("", hint)
        form.addRow("&Time zone", self.time_zone)
        form.addRow("C&urrency", self.currency)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def profile(self) -> BusinessProfile:
        code = self.country.currentData() if self.country.currentIndex() >= 0 else ""
        typed = self.country.currentText().strip()
        if self.country.itemText(self.country.currentIndex()) != typed:
            code = typed.upper()
        return BusinessProfile(name=self.name.text().strip(), address=self.address.toPlainText().strip(),
                               country=code, time_zone=self.time_zone.currentText().strip(),
                               currency=self.currency.text().strip().upper())

    def show_problems(self, error: InvalidInput) -> None:
        set_error(self.error, "\n".join(problem.message for problem in error.problems))
