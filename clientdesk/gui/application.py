"""Starting the window: one instance per database, a clear message when the file cannot be used."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from clientdesk.domain.errors import ClientDeskError
from clientdesk.gui.single_instance import SingleInstance

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    QCoreApplication.setOrganizationName("ClientDesk")
    QCoreApplication.setApplicationName("ClientDesk")
    icon = RESOURCES / "icons" / "clientdesk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def add_fallback_font() -> None:
    """Chinese, Japanese and Korean names drawn on a system without a font for them (a minimal Linux install
    draws empty boxes): the font the client reviews embed joins the application's fonts — only then, so a
    system's own choice stays. Called after the first paint: asking which fonts cover a script reads them all."""
    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return
    path = RESOURCES / "fonts" / "DroidSansFallback.ttf"
    if path.is_file():
        QFontDatabase.addApplicationFont(str(path))


def _listen(instance: SingleInstance) -> None:
    try:
        instance.listen()
    except RuntimeError as error:  # the window still works; only the hand-over to it does not
        print(f"clientdesk: {error}", file=sys.stderr)


def run_gui(database: Path, *, demo: bool = False) -> int:
    app = make_application()
    instance = SingleInstance(database)
    if instance.activate_running_instance():
        print(f"ClientDesk is already open on {database}; brought its window forward.", file=sys.stderr)
        return 0

    from clientdesk.gui.main_window import MainWindow
    from clientdesk.services.workspace import Workspace

    try:
        workspace = Workspace.open(database)
    except ClientDeskError as error:
        QMessageBox.critical(None, "ClientDesk cannot open the database", str(error))
        print(f"clientdesk: {error}", file=sys.stderr)
        return 1
    window = MainWindow(workspace, demo_mode=demo)
    instance.activation_requested.connect(window.bring_forward)
    window.first_painted.connect(lambda: _listen(instance))
    window.show()
    try:
        return app.exec()
    finally:
        instance.close()
        window.operations.wait()
        workspace.close()
