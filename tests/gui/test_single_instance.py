"""SingleInstance: one ClientDesk per database, and crash leftovers never block a start."""

from __future__ import annotations

import os
import pathlib
import socket
import sys
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket

from clientdesk.gui.single_instance import SingleInstance

MakeInstance = Callable[[pathlib.Path], SingleInstance]


def socket_file_for(database_path: pathlib.Path) -> pathlib.Path:
    # Where QLocalServer puts a plain (non-path) name on Unix.
    return pathlib.Path(QDir.tempPath()) / SingleInstance.server_name_for(database_path)


@pytest.fixture
def make_instance(qtbot) -> Iterator[MakeInstance]:
    created: list[tuple[SingleInstance, pathlib.Path]] = []

    def make(database_path: pathlib.Path) -> SingleInstance:
        instance = SingleInstance(database_path)
        created.append((instance, database_path))
        return instance

    yield make
    for instance, _ in created:
        instance.close()
    # A failed test must not leave a socket file behind in the shared temp dir.
    for _, database_path in created:
        leftover = socket_file_for(database_path)
        if leftover.is_socket():
            leftover.unlink()


def send_raw(server_name: str, payload: bytes) -> None:
    client = QLocalSocket()
    client.connectToServer(server_name)
    assert client.waitForConnected(1000), client.errorString()
    if payload:
        client.write(payload)
        if client.bytesToWrite() > 0:
            client.waitForBytesWritten(1000)
    client.disconnectFromServer()


def test_second_instance_activates_first(qtbot, tmp_path, make_instance):
    database = tmp_path / "clients.db"
    first = make_instance(database)
    first.listen()
    second = make_instance(database)

    with qtbot.waitSignal(first.activation_requested, timeout=2000):
        assert second.activate_running_instance() is True


def test_nothing_to_activate_without_a_running_instance(qtbot, tmp_path, make_instance):
    assert make_instance(tmp_path / "clients.db").activate_running_instance() is False


def test_server_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    relative = SingleInstance.server_name_for(pathlib.Path("clients.db"))
    absolute = SingleInstance.server_name_for(tmp_path / "clients.db")
    other = SingleInstance.server_name_for(tmp_path / "other.db")

    assert relative == absolute
    assert other != absolute
    assert absolute == SingleInstance.server_name_for(tmp_path / "clients.db")
    assert absolute.startswith("clientdesk-")
    assert len(absolute) <= 60 and len(other) <= 60


def test_server_name_depends_on_os_user(tmp_path, monkeypatch):
    database = tmp_path / "shared.db"
    monkeypatch.setenv("LOGNAME", "alice")
    alice = SingleInstance.server_name_for(database)
    monkeypatch.setenv("LOGNAME", "bob")
    bob = SingleInstance.server_name_for(database)
    monkeypatch.setenv("LOGNAME", "x" * 200 + "/ \\:")
    long_odd = SingleInstance.server_name_for(database)

    assert alice != bob
    assert len(long_odd) <= 60
    assert "/" not in long_odd and "\\" not in long_odd


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or sys.platform == "win32",
                    reason="stale socket files exist only on Unix")
def test_stale_socket_from_crash_does_not_block(qtbot, tmp_path, make_instance):
    database = tmp_path / "clients.db"
    path = socket_file_for(database)
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(os.fspath(path))
    leftover.close()  # like a crash: the file stays, nobody listens
    assert path.is_socket()

    instance = make_instance(database)
    assert instance.activate_running_instance() is False
    instance.listen()

    with qtbot.waitSignal(instance.activation_requested, timeout=2000):
        assert make_instance(database).activate_running_instance() is True


def test_listen_refuses_to_steal_a_live_server(qtbot, tmp_path, make_instance):
    database = tmp_path / "clients.db"
    first = make_instance(database)
    first.listen()

    with pytest.raises(RuntimeError, match="already"):
        make_instance(database).listen()
    with qtbot.waitSignal(first.activation_requested, timeout=2000):
        assert make_instance(database).activate_running_instance() is True


def test_garbage_input_is_ignored(qtbot, tmp_path, make_instance):
    instance = make_instance(tmp_path / "clients.db")
    instance.listen()
    name = SingleInstance.server_name_for(tmp_path / "clients.db")
    emitted: list[None] = []
    instance.activation_requested.connect(lambda: emitted.append(None))

    with qtbot.assertNotEmitted(instance.activation_requested, wait=300):
        send_raw(name, b"\x00\xff\xfe not utf-8 \x80\n")
        send_raw(name, b"activatex\nACTIVATE\nactivate please\n")
        send_raw(name, b"activate")  # no newline: not a complete request
        send_raw(name, b"")  # connects and leaves without a word

    # An endless line must not be buffered forever: the server hangs up.
    flooder = QLocalSocket()
    flooder.connectToServer(name)
    assert flooder.waitForConnected(1000)
    with qtbot.waitSignal(flooder.disconnected, timeout=2000):
        flooder.write(b"x" * 64 * 1024)
    assert emitted == []

    # The server survived all of it and still answers a real request.
    with qtbot.waitSignal(instance.activation_requested, timeout=2000):
        send_raw(name, b"activate\n")
    qtbot.wait(100)
    assert len(emitted) == 1
