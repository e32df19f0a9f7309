"""The layers' guard rail: arrows point one way, and each heavy library stays in its own layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "clientdesk"

# What each layer may import from the package.
ALLOWED = {
    "domain": {"domain"},
    "storage": {"domain", "storage"},
    "interchange": {"domain", "interchange"},
    "reports": {"domain", "reports"},
    "services": {"domain", "storage", "interchange", "reports", "services"},
    "gui": {"domain", "services", "gui"},
    "cli": {"domain", "services", "cli"},
}
# Libraries only one layer may import.
OWNED_BY = {"PySide6": "gui", "shiboken6": "gui", "sqlalchemy": "storage", "alembic": "storage", "reportlab": "reports"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):  # imports inside functions count too
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def layer_of(path: Path) -> str | None:
    relative = path.relative_to(PACKAGE).parts
    return relative[0] if len(relative) > 1 else None


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = layer_of(path)
        for name in imports_of(path):
            top = name.split(".")[0]
            if top in OWNED_BY and OWNED_BY[top] != layer:
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}: only {OWNED_BY[top]}/ may")
            if top == "clientdesk" and layer is not None:
                parts = name.split(".")
                target = parts[1] if len(parts) > 1 else ""
                if target in ALLOWED and target not in ALLOWED[layer]:
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}: {layer} may not depend on {target}")
    return found


def test_no_import_points_the_wrong_way():
    assert violations() == []


def test_every_layer_has_a_rule():
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert layers <= set(ALLOWED), f"a new layer needs its rule: {layers - set(ALLOWED)}"


def test_the_guard_catches_a_wrong_arrow(tmp_path, monkeypatch):
    domain = tmp_path / "clientdesk" / "domain"
    domain.mkdir(parents=True)
    (domain / "leak.py").write_text("from sqlalchemy import select\nfrom clientdesk.services import x\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "clientdesk")
    assert len(violations()) == 2


@pytest.mark.parametrize("module", ["clientdesk.app", "clientdesk.cli.main"])
def test_the_command_line_never_loads_qt(module):
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

