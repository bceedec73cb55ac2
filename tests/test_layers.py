"""The layering of DESIGN.md and the public API stay true."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import lessonkit
import lessonkit.export


def loaded_after(statement: str, modules: list[str]) -> list[str]:
    code = f"import sys; {statement}; print(','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return [m for m in out.split(",") if m]


def test_services_load_no_widgets_db_or_converters() -> None:
    assert loaded_after("import lessonkit.services", ["ipywidgets", "tinydb", "nbconvert", "pandas", "IPython"]) == []


def test_domain_loads_no_store() -> None:
    assert loaded_after("import lessonkit.domain", ["tinydb", "filelock", "lessonkit.store"]) == []


def test_public_api_is_explicit_and_sorted() -> None:
    assert lessonkit.__all__ == sorted(lessonkit.__all__)
    for name in lessonkit.__all__:
        assert hasattr(lessonkit, name)
    import lessonkit.services as services

    assert services.__all__ == sorted(services.__all__)
    assert all(hasattr(services, n) for n in services.__all__)


# The rule of who may see what has one home (domain/privacy.py, applied by services/disclosure.py); the front ends
# ui/ and cli/ ask the disclosure layer and use the export layer only through its public API (lessonkit.export).
RULE_INTERNALS = {"lessonkit.domain.privacy", "lessonkit.domain.redaction", "lessonkit.domain.redaction_names"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_front_ends_import_neither_export_internals_nor_the_rules_internals() -> None:
    root = Path(lessonkit.__file__).parent
    offences = []
    for layer in ("ui", "cli"):
        for path in sorted((root / layer).glob("*.py")):
            for module in imported_modules(path):
                inside_export = module.startswith("lessonkit.export.") and module.removeprefix(
                    "lessonkit.export."
                ) not in lessonkit.export.__all__
                if inside_export or module in RULE_INTERNALS or module.split(".")[-1] == "redactor_in":
                    offences.append(f"{layer}/{path.name}: {module}")
    assert offences == []


def test_export_api_is_lazy_and_complete() -> None:
    assert loaded_after("import lessonkit.export", ["nbconvert", "pandas", "lessonkit.export.reports"]) == []
    for name in lessonkit.export.__all__:
        assert getattr(lessonkit.export, name) is not None, name
