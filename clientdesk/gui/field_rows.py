"""A growable list of labelled one-line fields (phones, emails), each with room for its own error."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clientdesk.gui.style import set_error


class _Row(QWidget):
    def __init__(self, labels: tuple[str, ...], placeholder: str, parent: QWidget):
        super().__init__(parent)
        self.label = QComboBox(self)
        self.label.setEditable(True)
        self.label.addItems(labels)
        self.label.setMinimumContentsLength(7)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.remove = QPushButton("✕", self)
        self.remove.setFixedWidth(28)
        # Out of the Tab chain: a receptionist tabs through numbers; clearing one removes it on save.
        self.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.error = QLabel(self)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.label)
        line.addWidget(self.edit, 1)
        line.addWidget(self.remove)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(line)
        column.addWidget(self.error)
        set_error(self.error, "")


class FieldRows(QWidget):
    changed = Signal()
    rows_changed = Signal()  # the form re-chains its Tab order

    def __init__(self, noun: str, labels: tuple[str, ...], placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._noun = noun
        self._labels = labels
        self._placeholder = placeholder
        self._rows: list[_Row] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.add_button = QPushButton(f"+ Add {noun}", self)
        self.add_button.setAccessibleName(f"Add {noun}")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.add_button.setFlat(True)
        self.add_button.setStyleSheet("text-align: left; color: palette(link); padding: 2px 4px;")
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def values(self) -> tuple[tuple[str, str], ...]:
        return tuple((row.label.currentText().strip(), row.edit.text()) for row in self._rows)

    def set_values(self, values: tuple[tuple[str, str], ...]) -> None:
        for row in self._rows:
            self._discard(row)
        self._rows.clear()
        for label, text in values:
            self.add_row(label, text)
        if not self._rows:
            self.add_row()

    def add_row(self, label: str = "", text: str = "", *, focus: bool = False) -> QLineEdit:
        row = _Row(self._labels, self._placeholder, self)
        if label:
            row.label.setCurrentText(label)
        row.edit.setText(text)
        row.edit.setAccessibleName(f"{self._noun.capitalize()} {len(self._rows) + 1}")
        row.edit.textEdited.connect(self.changed)
        row.label.currentTextChanged.connect(self.changed)
        row.remove.setToolTip(f"Remove this {self._noun}")
        row.remove.clicked.connect(lambda: self._remove(row))
        self._layout.insertWidget(len(self._rows), row)
        row.show()  # at once: a layout shows new children only on the next event-loop turn, after a fast Tab
        self._rows.append(row)
        self.rows_changed.emit()
        if focus:
            row.edit.setFocus()
            self.changed.emit()
        return row.edit

    def focus_chain(self) -> list[QWidget]:
        """Tab order inside the rows: the number or address first, then its label, then the add button."""
        chain: list[QWidget] = []
        for row in self._rows:
            chain += [row.edit, row.label]
        return chain + [self.add_button]

    def edit(self, index: int) -> QLineEdit:
        return self._rows[index].edit

    def show_errors(self, errors: dict[int, str]) -> None:
        for index, row in enumerate(self._rows):
            set_error(row.error, errors.get(index, ""))

    def _discard(self, row: _Row) -> None:
        # Hidden and unlinked at once: deleteLater alone would leave it on screen until the next event loop turn.
        row.hide()
        self._layout.removeWidget(row)
        row.deleteLater()

    def _remove(self, row: _Row) -> None:
        self._rows.remove(row)
        self._discard(row)
        if not self._rows:
            self.add_row(focus=True)
        self.rows_changed.emit()
        self.changed.emit()
