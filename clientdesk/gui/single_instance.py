"""One running ClientDesk per database file.

Two windows writing the same database file would silently overwrite each
other's edits, so a second launch on the same database hands over to the
window that is already open (via a QLocalServer named after the database)
and exits instead.

The check runs before the window paints, so on POSIX it speaks to the
server's Unix socket with the standard library; QtNetwork (and the server)
load only when `listen()` is called, after the first paint.
"""

from __future__ import annotations

import os
import pathlib
import re
import socket as posix_socket
import zlib

from PySide6.QtCore import QDir, QObject, Signal

_ACTIVATE = b"activate"
# A legitimate client sends one short line; anything longer is garbage and
# must not make us buffer without bound.
_MAX_PENDING_BYTES = 1024


def _login_name() -> str:
    import getpass  # loads termios: only when the environment does not name the user

    return getpass.getuser()


def _os_user() -> str:
    try:
        user = os.environ.get("LOGNAME") or os.environ.get("USER") or os.environ.get("USERNAME") or _login_name()
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
        self._server = None  # a QLocalServer, made by listen()

    @staticmethod
    def server_name_for(database_path: pathlib.Path) -> str:
        # resolve(): relative paths and symlinks must map to the same instance.
        # normcase(): Windows paths differing only in case are the same file.
        resolved = os.path.normcase(str(pathlib.Path(database_path).expanduser().resolve()))
        # Two checksums make 64 bits: plenty to tell one user's databases apart, and zlib is already loaded
        # where hashlib would load OpenSSL before the first paint.
        data = os.fsencode(resolved)
        digest = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
        # The user is part of the name because the socket directory is shared
        # by all users; without it, two users opening one shared database
        # would fight over one name.
        return f"clientdesk-{_os_user()}-{digest}"

    def activate_running_instance(self, timeout_ms: int = 500) -> bool:
        if hasattr(posix_socket, "AF_UNIX") and os.name == "posix":
            return self._activate_over_unix_socket(timeout_ms)
        from PySide6.QtNetwork import QLocalSocket

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

    def _activate_over_unix_socket(self, timeout_ms: int) -> bool:
        """QLocalServer listens on a Unix socket in Qt's temporary folder; same protocol, no QtNetwork."""
        path = os.path.join(QDir.tempPath(), self._name)
        with posix_socket.socket(posix_socket.AF_UNIX, posix_socket.SOCK_STREAM) as client:
            client.settimeout(timeout_ms / 1000)
            try:
                client.connect(path)
            except OSError:
                return False  # no server, or a crash leftover that refuses connections
            try:
                client.sendall(_ACTIVATE + b"\n")
            except OSError:
                pass  # a live server owns this database all the same
        return True

    def listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        if self._server is None:
            self._server = QLocalServer(self)
            self._server.newConnection.connect(self._accept_connections)
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
        if self._server is not None:
            self._server.close()

    def _server_answers(self) -> bool:
        from PySide6.QtNetwork import QLocalSocket

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

    def _read_lines(self, socket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            if line == _ACTIVATE:
                self.activation_requested.emit()
        if socket.bytesAvailable() > _MAX_PENDING_BYTES:
            socket.abort()
