"""The house's one rule of shape (docs/design.md): imports flow one way between the apps,

    regions ← checkpoints ← accounts ← travellers ← followup ← monitoring ← exchange

and no app imports the project package `sipantau/` (which wires them: settings, urls). Every
import statement of every module counts, those inside functions too; each app's tests may use
what they test, so `tests/` folders are left out.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["regions", "checkpoints", "accounts", "travellers", "followup", "monitoring", "exchange"]
APPS = [app for app in ORDER if (ROOT / app / "__init__.py").exists()]


def imported_packages(path: Path):
    """(line, top-level package) of every absolute import in a module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" not in path.relative_to(ROOT / app).parts:
            yield path


def wrong_imports(app: str):
    later = set(ORDER[ORDER.index(app) + 1 :]) | {"sipantau"}
    for path in modules(app):
        for line, package in imported_packages(path):
            if package in later:
                yield f"{path.relative_to(ROOT)}:{line} imports {package}"


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_before_it(app):
    assert list(wrong_imports(app)) == []


def test_the_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def view():\n    from monitoring.models import ArrivalTally\n\nimport sipantau.urls\n")
    assert sorted(package for _line, package in imported_packages(module)) == ["monitoring", "sipantau"]
