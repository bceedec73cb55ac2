"""The layering of DESIGN.md and the public API stay true."""

from __future__ import annotations

import subprocess
import sys

import lessonkit


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
