"""Writes run off the UI thread; when one finishes, every screen hears what changed (cf. Anki's
CollectionOp/OpChanges). One worker thread serialises the writes, as SQLite allows one writer; long reads
(the dashboard's figures) have threads of their own beside it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from clientdesk.domain.errors import ClientDeskError
from clientdesk.services.changes import Changes

class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], relay: _Relay, with_progress: bool, cancel: threading.Event):
        super().__init__()
        self._work, self._relay, self._with_progress, self._cancel = work, relay, with_progress, cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            if self._with_progress:
                result = self._work(self._relay.progressed.emit, self._cancel.is_set)
            else:
                result = self._work()
        except BaseException as error:  # reported to the user, never lost in a worker thread
            if not isinstance(error, ClientDeskError):
                import logging
                import traceback

                logging.getLogger(__name__).error("Operation failed:\n%s", traceback.format_exc())
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


class Operation:
    """A running write; `cancel()` asks work that reports progress to stop at its next step."""

    def __init__(self, relay: _Relay, cancel: threading.Event):
        self._relay = relay
        self._cancel = cancel
        self.progressed = relay.progressed

    def cancel(self) -> None:
        self._cancel.set()


class Operations(QObject):
    """`changes_applied` is the broadcast; `busy_changed` lets the window show that it is saving."""

    changes_applied = Signal(object)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # Readers never wait for a write (WAL), and SQLite lets go of Python's lock while it reads, so two
        # reads at once use both cores.
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(2)
        self._running = 0
        self._relays: set[_Relay] = set()

    def run(self, work: Callable[..., Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, with_progress: bool = False,
            quiet: bool = False) -> Operation:
        """`work` returns Changes, or an object with a `changes` attribute, or None for nothing changed.
        A `quiet` write is bookkeeping the user did not ask for: the window does not say "Saving…" for it."""
        relay = _Relay()
        cancel = threading.Event()
        self._relays.add(relay)  # keeps the relay alive until its job reports back
        relay.succeeded.connect(lambda result: self._finish(relay, result, on_done, quiet))
        relay.failed.connect(lambda error: self._fail(relay, error, on_error, quiet))
        if not quiet:
            self._running += 1
            if self._running == 1:
                self.busy_changed.emit(True)
        self._pool.start(_Job(work, relay, with_progress, cancel))
        return Operation(relay, cancel)

    def read(self, work: Callable[[], Any], *, on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None]) -> None:
        """Runs a read that changes nothing beside the writes; its result comes back on the UI thread."""
        relay = _Relay()
        self._relays.add(relay)
        relay.succeeded.connect(lambda result: (self._relays.discard(relay), on_done(result)))
        relay.failed.connect(lambda error: (self._relays.discard(relay), on_error(error)))
        self._readers.start(_Job(work, relay, False, threading.Event()))

    def is_busy(self) -> bool:
        return self._running > 0

    def wait(self, timeout_ms: int = 30000) -> bool:
        return self._pool.waitForDone(timeout_ms) and self._readers.waitForDone(timeout_ms)

    @Slot()
    def _finish(self, relay: _Relay, result: Any, on_done: Callable[[Any], None] | None, quiet: bool = False) -> None:
        self._done(relay, quiet)
        changes = result if isinstance(result, Changes) else getattr(result, "changes", None)
        if isinstance(changes, Changes):
            self.changes_applied.emit(changes)
        if on_done is not None:
            on_done(result)

    def _fail(self, relay: _Relay, error: BaseException, on_error: Callable[[BaseException], None] | None,
              quiet: bool = False) -> None:
        self._done(relay, quiet)
        if on_error is not None:
            on_error(error)
        else:
            self.failed.emit(str(error) if isinstance(error, ClientDeskError)
                             else f"Something went wrong and nothing was saved: {error}")

    def _done(self, relay: _Relay, quiet: bool = False) -> None:
        self._relays.discard(relay)
        if quiet:
            return
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)
