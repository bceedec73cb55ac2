"""Run report notebooks with parameters (nbclient), many of them in ONE kernel.

Parameters are injected the way papermill does it: a cell tagged ``injected-parameters`` right after the cell
tagged ``parameters``. When a kernel runs several reports, a first cell clears the previous report's variables
(imported modules stay loaded, which is what makes a batch fast). The kernel process can be started before
nbformat and nbclient are even imported (:meth:`KernelSession.prestart`), so it boots while they load.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.errors import LessonkitError
from lessonkit.i18n import _

if TYPE_CHECKING:
    from nbformat import NotebookNode

# Forget the previous report's variables (what ``%reset -f`` does, without its costly garbage collection).
RESET = (
    "_ns = get_ipython().user_ns\n"
    "for _name in [n for n in _ns if not n.startswith('_') and n not in get_ipython().user_ns_hidden]:\n"
    "    del _ns[_name]"
)
CELL_TIMEOUT = 300  # seconds; a report cell that runs longer is stopped
# Run by the kernel while it boots, i.e. while this process is still loading nbformat and nbclient.
WARM_IMPORTS = (
    "import lessonkit.export.report_listening, lessonkit.export.report_summary, lessonkit.export.report_charts",
    "import matplotlib.figure, matplotlib.backends.backend_agg",
)


def read_notebook(path: str | Path) -> NotebookNode:
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except (OSError, ValueError) as exc:
        raise LessonkitError(_("Cannot read the report notebook {path}: {e}").format(path=path, e=exc)) from exc


def with_parameters(nb: NotebookNode, params: dict[str, Any], *, reset: bool = False) -> NotebookNode:
    """A copy of ``nb`` with ``params`` set after its ``parameters`` cell (or first, if it has none)."""
    import nbformat

    nb = copy.deepcopy(nb)
    lines = ["# Parameters of this run"] + [f"{name} = {value!r}" for name, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    nb.cells.insert(at, cell)
    if reset:
        first = nbformat.v4.new_code_cell(RESET)
        first.metadata["tags"] = ["lessonkit-reset"]
        nb.cells.insert(0, first)
    return nb


class KernelSession:
    """One Python kernel that runs notebook after notebook until :meth:`close`."""

    def __init__(self, cwd: str | Path | None = None, env: dict[str, str] | None = None) -> None:
        self.cwd = str(cwd) if cwd else None
        self.env = env or {}  # added to the kernel's environment (the key hand-off of an encrypted convening)
        self._km: Any = None
        self._kc: Any = None
        self._ipc: str | None = None

    def prestart(self) -> None:
        """Launch the kernel process now (it boots in the background until the first notebook runs)."""
        if self._km is not None:
            return
        atexit.register(self.close)
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name="python3")
        if os.name == "posix":  # Unix sockets in a private folder: no open port, no warning about one
            self._ipc = tempfile.mkdtemp(prefix="lessonkit-kernel-")
            km.transport, km.ip = "ipc", str(Path(self._ipc) / "kernel")
        args = ["--HistoryManager.hist_file=:memory:", f"--IPKernelApp.exec_lines={list(WARM_IMPORTS)!r}"]
        env = {**os.environ, **self.env} if self.env else None
        run_sync(km.start_kernel)(cwd=self.cwd, extra_arguments=args, **({"env": env} if env else {}))
        self._km = km

    def execute(self, nb: NotebookNode) -> NotebookNode:
        """Run every cell of ``nb`` in place; a failing cell raises a LessonkitError with the kernel's message."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        self.prestart()
        resources = {"metadata": {"path": self.cwd}} if self.cwd else {}
        client = NotebookClient(
            nb, km=self._km, kernel_name="python3", timeout=CELL_TIMEOUT, resources=resources, allow_errors=False
        )
        client.kc = self._kc
        try:
            client.execute(cleanup_kc=False)
        except CellExecutionError as exc:
            raise LessonkitError(str(exc.evalue) or str(exc.ename)) from None
        except (CellTimeoutError, DeadKernelError) as exc:
            self._kc = client.kc
            self.close()  # a stopped or stuck kernel is not reused: the next report starts a new one
            raise LessonkitError(
                _("The report kernel stopped or took longer than {s} s: {e}").format(s=CELL_TIMEOUT, e=exc)
            ) from None
        finally:
            if self._km is not None:
                self._kc = client.kc
        return nb

    def close(self) -> None:
        atexit.unregister(self.close)
        km, kc = self._km, self._kc
        self._km = self._kc = None
        if km is None:
            return
        ipc, self._ipc = self._ipc, None
        from jupyter_core.utils import ensure_async, run_sync

        async def shutdown() -> None:
            if kc is not None:
                kc.stop_channels()
            await ensure_async(km.shutdown_kernel(now=True))

        try:
            run_sync(shutdown)()
        except Exception:  # noqa: BLE001 - the kernel may already be gone (interpreter shutting down)
            pass
        if ipc:
            shutil.rmtree(ipc, ignore_errors=True)

    def __enter__(self) -> KernelSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
