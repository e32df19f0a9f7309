"""The list appears before the heavy parts load: the ORM and the phone library wait for the first paint."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import person

CHILD = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from clientdesk.gui.main_window import MainWindow
from clientdesk.services.workspace import Workspace
window = MainWindow(Workspace.open(Path(sys.argv[1])))
window.show()
HEAVY = ("sqlalchemy", "phonenumbers", "clientdesk.domain.hours", "clientdesk.domain.boundaries")
seen = {"before_paint": sorted(m for m in HEAVY if m in sys.modules),
        "rows": window.model.rowCount()}
def report():
    seen["after_paint"] = sorted(m for m in HEAVY if m in sys.modules)
    seen["form"] = window.editor.title.text()
    print(json.dumps(seen))
    app.quit()
QTimer.singleShot(500, report)
app.exec()
"""


def test_the_list_paints_before_the_orm_and_the_form_fills_in_after(workspace, database_path):
    workspace.contacts.create(person("Ana", "Silva", phones=(("mobile", "020 7946 0958"),)))
    workspace.close()
    result = subprocess.run([sys.executable, "-c", CHILD, str(database_path)], capture_output=True, text=True,
                            timeout=60, check=True)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 1
    assert seen["before_paint"] == []
    assert seen["after_paint"] == ["clientdesk.domain.boundaries", "clientdesk.domain.hours", "phonenumbers",
                                   "sqlalchemy"]
    assert seen["form"] == "Ana Silva"
