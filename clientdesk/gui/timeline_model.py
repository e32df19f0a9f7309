"""A contact's timeline as a table model: it knows how many entries the contact has (interactions and the
client reviews produced for them) and reads the rows a view asks for in blocks, newest first, through a small
cache, as the contact list's model does. A client with 10,000 interactions opens as fast as one with ten."""

from __future__ import annotations

from enum import IntEnum
from html import escape

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from clientdesk.domain.boundaries import CHANNEL_LABELS, long_date
from clientdesk.domain.interactions import Direction
from clientdesk.domain.timeline import EntryKind, TimelineEntry
from clientdesk.gui.row_blocks import BLOCK, RowBlocks
from clientdesk.services.timeline import TimelineService

URGENT_BACKGROUND = "#fbe7c2"
TOOLTIP_SUMMARY_LIMIT = 1_500  # characters: a summary may hold 10,000, more than a tooltip can show
DIRECTION_WORDS = {Direction.IN: "↓ in", Direction.OUT: "↑ out"}
REVIEW_LABEL = "Client review"


class TimelineColumn(IntEnum):
    # The summary comes early: beside the form the timeline is narrow, and the summary is what people read.
    WHEN = 0
    CHANNEL = 1
    SUMMARY = 2
    OUTCOME = 3
    DURATION = 4
    LOGGED_BY = 5


HEADERS = {
    TimelineColumn.WHEN: "When", TimelineColumn.CHANNEL: "Channel", TimelineColumn.SUMMARY: "Summary",
    TimelineColumn.OUTCOME: "Outcome", TimelineColumn.DURATION: "Duration", TimelineColumn.LOGGED_BY: "Logged by",
}


def duration_text(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def first_line(text: str) -> str:
    """A table cell shows one line; an ellipsis says there is more (the tooltip has it all)."""
    line, newline, _rest = text.strip().partition("\n")
    return line.rstrip() + ("…" if newline else "")


def channel_text(entry: TimelineEntry) -> str:
    if entry.kind is EntryKind.REVIEW:
        return REVIEW_LABEL
    return f"{CHANNEL_LABELS[entry.channel]}  {DIRECTION_WORDS[entry.direction]}"


def review_outcome(entry: TimelineEntry) -> str:
    """The file and a short hash: 'Review - Zoë Kent - 2025-07 to 2026-06.pdf · SHA-256 3f9a…'."""
    review = entry.review
    return "" if review is None else f"{review.base_name} · SHA-256 {review.short_hash}…"


def review_tooltip(entry: TimelineEntry) -> str:
    review = entry.review
    local = entry.at.astimezone()
    parts = [f"<b>Client review</b> for {escape(review.period.text()) if review else ''}<br>"
             f"Produced {long_date(local.date())}, {local:%H:%M} ({escape(local.tzname() or '')})"]
    if review is not None:
        parts.append(f"Saved as {escape(review.file_name)}")
        parts.append(f"SHA-256 <tt>{review.sha256}</tt>")
        notes = review.notes.strip()
        if len(notes) > TOOLTIP_SUMMARY_LIMIT:
            notes = notes[:TOOLTIP_SUMMARY_LIMIT].rstrip() + "…"
        if notes:
            parts.append(f"<b>Notes:</b> {_paragraphs(notes)}")
    return "<p>" + "</p><p>".join(parts) + "</p>"


def tooltip(entry: TimelineEntry) -> str:
    """Everything about the interaction (or the review), as rich text so that a long summary wraps."""
    if entry.kind is EntryKind.REVIEW:
        return review_tooltip(entry)
    local = entry.at.astimezone()
    way = "Incoming" if entry.direction is Direction.IN else "Outgoing"
    parts = [f"<b>{way} · {escape(CHANNEL_LABELS[entry.channel])}</b>"
             f"{' · <b>urgent</b>' if entry.urgent else ''}<br>"
             f"{long_date(local.date())}, {local:%H:%M} ({escape(local.tzname() or '')})"]
    summary = entry.summary.strip()
    if len(summary) > TOOLTIP_SUMMARY_LIMIT:
        summary = summary[:TOOLTIP_SUMMARY_LIMIT].rstrip() + "…"
    if summary:
        parts.append(_paragraphs(summary))
    if entry.outcome.strip():
        parts.append(f"<b>Outcome:</b> {_paragraphs(entry.outcome.strip())}")
    if entry.override_reason:
        parts.append(f"<b>Made outside the client's boundaries:</b> {escape(entry.override_reason)}")
    if entry.opened_inquiry_id is not None:
        parts.append(f"Opened inquiry #{entry.opened_inquiry_id}: it needed a reply.")
    if entry.answered_inquiry_id is not None:
        parts.append(f"Answered inquiry #{entry.answered_inquiry_id}.")
    if entry.logged_by:
        parts.append(f"Logged by {escape(entry.logged_by)}")
    return "<p>" + "</p><p>".join(parts) + "</p>"


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n", "<br>")


class TimelineModel(QAbstractTableModel):
    reloaded = Signal()  # the count may have changed: the view updates its count line and empty state

    def __init__(self, timeline: TimelineService, parent=None):
        super().__init__(parent)
        self._timeline = timeline
        self._contact_id: int | None = None
        self._rows = 0
        self._blocks: RowBlocks[TimelineEntry] = RowBlocks(self._read_rows)
        self._rows_read = 0
        self._locale = QLocale()
        self._urgent_background = QColor(URGENT_BACKGROUND)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what the view asks ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(TimelineColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[TimelineColumn(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole,
                        Qt.ItemDataRole.DecorationRole):
            return None
        entry = self.entry(index.row())
        if entry is None:
            return None
        column = TimelineColumn(index.column())
        if role == Qt.ItemDataRole.DecorationRole:
            if entry.kind is EntryKind.REVIEW and column is TimelineColumn.CHANNEL:
                return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(entry)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._urgent_background if entry.urgent else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if entry.urgent and column is TimelineColumn.SUMMARY else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is TimelineColumn.DURATION:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if column is TimelineColumn.WHEN:
            return self._when(entry)
        if column is TimelineColumn.CHANNEL:
            return channel_text(entry)
        if column is TimelineColumn.DURATION:
            return duration_text(entry.duration_minutes)
        if column is TimelineColumn.SUMMARY:
            # Said in words too, not only in colour.
            return ("Urgent: " if entry.urgent else "") + first_line(entry.summary)
        if column is TimelineColumn.OUTCOME:
            return review_outcome(entry) if entry.kind is EntryKind.REVIEW else first_line(entry.outcome)
        return entry.logged_by

    def _when(self, entry: TimelineEntry) -> str:
        local = entry.at.astimezone()
        if self._locale.language() == QLocale.Language.C:
            # The C locale (no language set) has no real short date: ISO reads well everywhere.
            return local.strftime("%Y-%m-%d %H:%M")
        return f"{self._locale.toString(local.date(), QLocale.FormatType.ShortFormat)} {local:%H:%M}"

    # -- what the timeline view asks --------------------------------------------------------------

    @property
    def contact_id(self) -> int | None:
        return self._contact_id

    @property
    def rows_read(self) -> int:
        """Entries read from the database since the last reload: what laziness saves is visible here."""
        return self._rows_read

    def show_contact(self, contact_id: int | None) -> None:
        self._contact_id = contact_id
        self.reload()

    def reload(self) -> None:
        """Count again and read the newest block: what opening the timeline costs, whatever its length."""
        start = self._timeline.start(self._contact_id, BLOCK) if self._contact_id is not None else None
        self.beginResetModel()
        self._rows = start.count if start is not None else 0
        self._rows_read = len(start.entries) if start is not None else 0
        self._blocks.reset(start.entries if start is not None else None)
        self.endResetModel()
        self.reloaded.emit()

    def entry(self, row: int) -> TimelineEntry | None:
        if not 0 <= row < self._rows or self._contact_id is None:
            return None
        # None past the end of a block cut short by interactions deleted since the count: a blank row.
        return self._blocks.row(row)

    def _read_rows(self, offset: int, limit: int) -> list[TimelineEntry]:
        assert self._contact_id is not None
        block = self._timeline.block(self._contact_id, offset, limit)
        self._rows_read += len(block)
        return block
