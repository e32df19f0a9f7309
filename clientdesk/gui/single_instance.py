"""One running ClientDesk per database file.

Two windows writing the same database file would silently overwrite each
other's edits, so a second launch on the same database hands over to the
window that is already open (via a QLocalServer named after the database)
and exits instead.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import pathlib
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_ACTIVATE = b"activate"
# A legitimate client sends one short line; anything longer is garbage and
# must not make us buffer without bound.
_MAX_PENDING_BYTES = 1024


def _os_user() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        # Containers with an unnamed UID have neither $USER nor a passwd entry.
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    # The user goes into a file name (Unix) or pipe name (Windows).
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:24] or "user"


class SingleInstance(QObject):
    """Claims a database for this process, or asks its current owner to come forward."""

    activation_requested = Signal()

    def __init__(self, database_path: pathlib.Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database_path = pathlib.Path(database_path)
        self._name = self.server_name_for(self._database_path)
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._accept_connections)

    @staticmethod
    def server_name_for(database_path: pathlib.Path) -> str:
        # resolve(): relative paths and symlinks must map to the same instance.
        # normcase(): Windows paths differing only in case are the same file.
        resolved = os.path.normcase(str(pathlib.Path(database_path).expanduser().resolve()))
        digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
        # The user is part of the name because the socket directory is shared
        # by all users; without it, two users opening one shared database
        # would fight over one name.
        return f"clientdesk-{_os_user()}-{digest}"

    def activate_running_instance(self, timeout_ms: int = 500) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(timeout_ms):
            # No server or a crash leftover that refuses connections.
            return False
        socket.write(_ACTIVATE + b"\n")
        # waitForBytesWritten() returns False once nothing is pending, so it
        # is only a wait here, not a success test.
        if socket.bytesToWrite() > 0:
            socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(timeout_ms)
        # True even if the write stalled: a live server owns this database,
        # and starting a second window on it is the thing to avoid.
        return True

    def listen(self) -> None:
        if self._server.isListening():
            return
        # removeServer() unlinks whatever sits at the name, including a live
        # server's socket, so only clear the name when nobody answers on it.
        if self._server_answers():
            raise RuntimeError(
                f"Another ClientDesk process already has {self._database_path} open "
                f"(local server {self._name!r})."
            )
        QLocalServer.removeServer(self._name)
        if not self._server.listen(self._name):
            raise RuntimeError(
                f"ClientDesk could not listen on local server {self._name!r} for "
                f"{self._database_path}: {self._server.errorString()}"
            )

    def close(self) -> None:
        # On Unix this also unlinks the socket file, so the next start is clean.
        self._server.close()

    def _server_answers(self) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(self._name)
        if not probe.waitForConnected(100):
            return False
        probe.abort()
        return True

    def _accept_connections(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                continue
            socket.readyRead.connect(lambda s=socket: self._read_lines(s))
            socket.disconnected.connect(socket.deleteLater)
            # Data that arrived before readyRead was connected would
            # otherwise wait for the next readyRead, which may never come.
            self._read_lines(socket)

    def _read_lines(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            if line == _ACTIVATE:
                self.activation_requested.emit()
        if socket.bytesAvailable() > _MAX_PENDING_BYTES:
            socket.abort()
