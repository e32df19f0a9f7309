"""Weekly opening hours: one line per weekday, each with any number of time ranges.

Midnight as an end: a range's end of 00:00 means midnight at the end of that day (24:00), so
"18:00 – 00:00" is open until midnight and "00:00 – 00:00" is open all day. A range whose end is
before its start (22:00 – 02:00) runs past midnight into the next day. A small note after each range
says which of these it is ("to midnight", "all day", "next day"), so nobody has to remember the rule.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QTime, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QLabel, QPushButton, QTimeEdit, QToolButton, QVBoxLayout, QWidget,
)

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import WEEKDAYS, WeeklyHours
from clientdesk.gui.style import ERROR_STYLE, HINT_STYLE, set_error

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Alt+letter moves to a day. Free of the letters the dialogs around the editor use (B, H, C, S, O …).
_MNEMONICS = ("&Mon", "&Tue", "&Wed", "Th&u", "&Fri", "S&at", "Su&n")
_DAY_IN_FIELD = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_MIDNIGHT = QTime(0, 0)
_DAY = 24 * 60


def _qtime(minutes: int) -> QTime:
    return QTime((minutes // 60) % 24, minutes % 60)


def _minutes(time: QTime) -> int:
    return time.hour() * 60 + time.minute()


def _time_edit(parent: QWidget) -> QTimeEdit:
    edit = QTimeEdit(parent)
    edit.setDisplayFormat("HH:mm")
    edit.setWrapping(True)
    edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
    edit.setButtonSymbols(QTimeEdit.ButtonSymbols.NoButtons)  # arrow keys and the wheel still step
    return edit


class _Range:
    """The widgets of one time range; they live in the editor's grid."""

    def __init__(self, editor: WeeklyHoursEditor, start: int, end: int):
        self.start = _time_edit(editor)
        self.start.setTime(_qtime(start))
        self.dash = QLabel("–", editor)
        self.end = _time_edit(editor)
        self.end.setTime(_qtime(end))
        self.end.setToolTip("00:00 as an end is midnight (24:00); an end before the start runs past midnight.")
        self.note = QLabel(editor)
        self.note.setStyleSheet(HINT_STYLE)
        self.remove = QToolButton(editor)
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        self.refresh_note()

    def widgets(self) -> tuple[QWidget, ...]:
        return self.start, self.dash, self.end, self.note, self.remove

    def strings(self) -> list[str]:
        end = self.end.time()
        return [self.start.time().toString("HH:mm"), "24:00" if end == _MIDNIGHT else end.toString("HH:mm")]

    def minutes(self) -> tuple[int, int]:
        end = _minutes(self.end.time())
        return _minutes(self.start.time()), end or _DAY

    def refresh_note(self) -> None:
        start, end = self.minutes()
        if start == 0 and end == _DAY:
            note = "all day"
        elif end == _DAY:
            note = "to midnight"
        elif end < start:
            note = "next day"
        else:
            note = ""
        self.note.setText(note)

    def discard(self) -> None:
        for widget in self.widgets():
            widget.hide()
            widget.deleteLater()


class WeeklyHoursEditor(QWidget):
    """Edits a `WeeklyHours`. Problems (overlaps, empty ranges) show under their day as they are made;
    `is_valid()` tells a dialog whether to allow saving."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, field: str = "hours", mnemonics: bool = True):
        super().__init__(parent)
        self._field = field
        self._ranges: list[list[_Range]] = [[] for _ in WEEKDAYS]
        self._problems: list[FieldProblem] = []

        # First in the Tab order and never re-created, so the ranges can be chained after it.
        self.copy_button = QPushButton("C&opy Monday to weekdays" if mnemonics else "Copy Monday to weekdays", self)
        self.copy_button.setToolTip("Give Tuesday to Friday the same hours as Monday")
        self.copy_button.setAccessibleName("Copy Monday to weekdays")
        self.copy_button.clicked.connect(self.copy_monday_to_weekdays)

        self._day_labels: list[QLabel] = []
        self._add_buttons: list[QToolButton] = []
        self._closed: list[QLabel] = []
        self._day_errors: list[QLabel] = []
        for index, day in enumerate(DAY_NAMES):
            label = QLabel(_MNEMONICS[index] if mnemonics else _LABELS[index], self)
            label.setToolTip(day)
            add = QToolButton(self)
            add.setText("+")
            add.setAutoRaise(True)
            add.setToolTip(f"Add opening hours on {day}")
            add.setAccessibleName(f"Add hours on {day}")
            add.clicked.connect(lambda _checked=False, i=index: self.add_range(i, focus=True))
            closed = QLabel("Closed", self)
            closed.setStyleSheet(HINT_STYLE)
            error = QLabel(self)
            set_error(error, "")
            self._day_labels.append(label)
            self._add_buttons.append(add)
            self._closed.append(closed)
            self._day_errors.append(error)

        self.error = QLabel(self)  # problems that belong to no single day
        set_error(self.error, "")
        self.hint = QLabel("End at 00:00 for midnight. A range that ends before it starts runs into the next day.",
                           self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(4)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnMinimumWidth(0, self.fontMetrics().horizontalAdvance("Wed") + 12)
        self._grid.setColumnMinimumWidth(4, self.fontMetrics().horizontalAdvance("to midnight") + 4)
        self._grid.setColumnStretch(7, 1)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.copy_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(self._grid)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        self.set_hours(WeeklyHours.always_closed())

    # --- the value -------------------------------------------------------------------------------

    def set_hours(self, hours: WeeklyHours) -> None:
        for index, ranges in enumerate(hours.days):
            self._set_day(index, [(daily.start, daily.end) for daily in ranges])
        self._rebuild()
        self._validate()
        self.changed.emit()  # as QLineEdit.setText emits textChanged: whoever shows the state updates it

    def hours(self) -> WeeklyHours:
        """The hours as entered; InvalidInput (every problem) if they overlap or a range is empty."""
        return WeeklyHours.from_json(self.to_json(), self._field)

    def to_json(self) -> dict[str, list[list[str]]]:
        """The entered ranges in the JSON shape of `WeeklyHours.from_json`, valid or not."""
        return {day: [line.strings() for line in self._ranges[index]] for index, day in enumerate(WEEKDAYS)}

    def problems(self) -> list[str]:
        """Every problem of the entered hours, each naming its day, for a dialog's status line."""
        shown = []
        for problem in self._problems:
            index = self._day_of(problem)
            name = DAY_NAMES[index] if index is not None else ""
            shown.append(f"{name}: {problem.message}" if name and name not in problem.message else problem.message)
        return shown

    def is_valid(self) -> bool:
        return not self._problems

    # --- editing ---------------------------------------------------------------------------------

    def day_ranges(self, index: int) -> list[tuple[QTimeEdit, QTimeEdit]]:
        """The (from, until) time edits of one day, Monday being 0: for tests and for focus."""
        return [(line.start, line.end) for line in self._ranges[index]]

    def add_range(self, index: int, *, focus: bool = False) -> tuple[QTimeEdit, QTimeEdit]:
        """Adds a range to a day: 09:00–17:00 on a closed day, else the afternoon after its last range."""
        ranges = self._ranges[index]
        start, end = 9 * 60, 17 * 60
        if ranges:
            last_end = ranges[-1].minutes()[1]
            if ranges[-1].minutes()[0] < last_end <= _DAY - 120:
                start, end = last_end + 60, min(last_end + 60 + 4 * 60, _DAY)
        line = self._new_range(index, start, end)
        self._rebuild()
        self._validate()
        if focus:
            line.start.setFocus(Qt.FocusReason.TabFocusReason)
        self.changed.emit()
        return line.start, line.end

    def remove_range(self, index: int, position: int) -> None:
        line = self._ranges[index].pop(position)
        had_focus = any(widget.hasFocus() for widget in line.widgets())
        line.discard()
        self._rebuild()
        self._validate()
        if had_focus:
            remaining = self._ranges[index]
            (remaining[min(position, len(remaining) - 1)].start if remaining else self._add_buttons[index]).setFocus()
        self.changed.emit()

    def copy_monday_to_weekdays(self) -> None:
        monday = [line.minutes() for line in self._ranges[0]]
        for index in range(1, 5):
            self._set_day(index, monday)
        self._rebuild()
        self._validate()
        self.changed.emit()

    # --- inside ----------------------------------------------------------------------------------

    def _set_day(self, index: int, ranges: list[tuple[int, int]]) -> None:
        for line in self._ranges[index]:
            line.discard()
        self._ranges[index] = []
        for start, end in ranges:
            self._new_range(index, start, end)

    def _new_range(self, index: int, start: int, end: int) -> _Range:
        line = _Range(self, start, end)
        self._ranges[index].append(line)
        line.start.timeChanged.connect(lambda _time: self._edited(line))
        line.end.timeChanged.connect(lambda _time: self._edited(line))
        line.remove.clicked.connect(lambda: self.remove_range(index, self._ranges[index].index(line)))
        return line

    def _edited(self, line: _Range) -> None:
        line.refresh_note()
        self._validate()
        self.changed.emit()

    def _rebuild(self) -> None:
        """Lays the days out again after ranges came or went, renames them, and chains the Tab order."""
        while self._grid.count():
            self._grid.takeAt(0)
        row = 0
        chain: list[QWidget] = [self.copy_button]
        for index, ranges in enumerate(self._ranges):
            day = DAY_NAMES[index]
            label = self._day_labels[index]
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(self._add_buttons[index], row, 6)
            if not ranges:
                self._grid.addWidget(self._closed[index], row, 1, 1, 5)
                self._closed[index].show()
                row += 1
            else:
                self._closed[index].hide()
            for position, line in enumerate(ranges):
                number = f" {position + 1}" if len(ranges) > 1 else ""
                line.start.setAccessibleName(f"{day} from{number}")
                line.end.setAccessibleName(f"{day} until{number}")
                line.remove.setToolTip(f"Remove these hours on {day}")
                line.remove.setAccessibleName(f"Remove {day} hours{number}")
                for column, widget in enumerate(line.widgets(), start=1):
                    self._grid.addWidget(widget, row, column)
                    widget.show()  # at once, not on the next event-loop turn, so a fast Tab finds them
                chain += [line.start, line.end, line.remove]
                row += 1
            chain.append(self._add_buttons[index])
            self._grid.addWidget(self._day_errors[index], row, 1, 1, 7)
            row += 1
            label.setBuddy(ranges[0].start if ranges else self._add_buttons[index])
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _day_of(self, problem: FieldProblem) -> int | None:
        found = _DAY_IN_FIELD.search(problem.field)
        return WEEKDAYS.index(found.group(1)) if found else None

    def _validate(self) -> None:
        try:
            WeeklyHours.from_json(self.to_json(), self._field)
            self._problems = []
        except InvalidInput as error:
            self._problems = list(error.problems)
        by_day: dict[int, list[str]] = {}
        general: list[str] = []
        for problem in self._problems:
            index = self._day_of(problem)
            (by_day.setdefault(index, []) if index is not None else general).append(problem.message)
        for index, label in enumerate(self._day_errors):
            set_error(label, "\n".join(by_day.get(index, [])))
            self._day_labels[index].setStyleSheet(ERROR_STYLE if index in by_day else "")
        set_error(self.error, "\n".join(general))
