"""ipywidgets forms, boards and editors: the only layer that imports ipywidgets or IPython.

Workbooks call these one-liners, e.g. ``lessonkit.ui.listening_board("demo")``. Names are resolved lazily so that
importing ``lessonkit.ui`` stays cheap in participant kernels.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it
_EXPORTS: dict[str, str] = {}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lessonkit.ui' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
