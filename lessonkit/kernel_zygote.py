"""Participant kernels forked from one warm process (a "zygote") instead of each started from nothing.

A participant kernel started the usual way (``python -m ipykernel_launcher -f CONNECTION_FILE``) spends most of a
second of CPU importing ipykernel, IPython, ipywidgets and the form's modules before it runs the form: thirty of
them took 27-30 s to fill a pool on a 2-core laptop, and each held about 57 MB. The participant server
(:mod:`lessonkit.forked_kernels`) instead starts this process once: it imports all of that, then forks one child per
kernel. A child only sets up its kernel (sockets from the connection file jupyter_client wrote, the shell) and runs
the notebook; it shares the zygote's memory pages until it writes to them.

``python -m lessonkit.kernel_zygote FD ROOT``: ``FD`` is this end of a socket pair the server created (nothing on
disk, nobody else can ask for a kernel); ``ROOT`` the folder of participant notebooks, whose imports are loaded here
once. Requests are JSON lines ``{"argv": [...], "env": {...}, "cwd": "..."}``; each answer is ``{"pid": N}`` or
``{"error": "..."}``. A child starts a new session (its own process group, for interrupts), takes the request's
environment and folder, reads stdin from /dev/null and writes to the server's log like any kernel. The zygote exits
when the server's end of the socket closes; its children then exit too (``JPY_PARENT_PID`` names the zygote, and
ipykernel stops a kernel whose parent is gone).

Linux only (fork without exec is unsafe where system frameworks are loaded, as on macOS); elsewhere the server
starts kernels the usual way.
"""

from __future__ import annotations

import ast
import gc
import importlib
import json
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger("lessonkit.kernel_zygote")

#: What every participant kernel imports while it starts and runs a form (found with ``-X importtime``).
PRELOAD = [
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.eventloops",
    "ipykernel.jsonutil",
    "ipykernel.displayhook",
    "IPython.core.interactiveshell",
    "IPython.core.completer",
    "IPython.core.formatters",
    "IPython.core.history",
    "IPython.core.magics",
    "IPython.display",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "ipykernel.debugger",  # debugpy: half of a kernel's start when imported by each kernel
    "sqlite3",
    "pydoc",
    "http.server",
    "xmlrpc.client",
    "encodings.idna",
    "unicodedata",
    "faulthandler",
    "tornado.gen",
    "tornado.locks",
    "tornado.queues",
    "tornado.platform.asyncio",
    "comm",
    "ipywidgets",
    "websockets.sync.client",
    "tornado.ioloop",
]


def forking_supported() -> bool:
    """Kernels are forked from the zygote on Linux (with pidfd, to watch a process that is not our child)."""
    return sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and hasattr(os, "fork")


def notebook_imports(root: Path) -> list[str]:
    """The modules the code cells of the notebooks under ``root`` import (so new forms are preloaded too)."""
    found: list[str] = []
    for path in sorted(root.glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.append(node.module)
    return list(dict.fromkeys(found))


def preload(root: Path) -> None:
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet debugpy's note about frozen modules
    for name in [*PRELOAD, *notebook_imports(root)]:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a module that cannot load here is imported (and reported) by the kernel itself
            log.warning("kernel zygote could not preload %s: %s", name, exc)
    gc.collect()
    gc.freeze()  # keep what was loaded out of the collector's way: children then share these pages


def run_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: become the kernel jupyter_client asked for (``argv`` is its command)."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    logging.root.handlers.clear()  # the kernel logs as a kernel started the usual way does
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    import random

    random.seed()  # each kernel its own sequence (os.urandom-based APIs need nothing)
    # ipykernel read JPY_PARENT_PID when the zygote imported it: name the zygote here, so that the kernel stops
    # when the zygote does (ipykernel's parent poller)
    args = [*argv[argv.index("ipykernel_launcher") + 1 :], f"--IPKernelApp.parent_handle={os.getppid()}"]
    # no IPython history: nobody reads it in a participant kernel, and thirty kernels committing to one SQLite
    # file (with an fsync each) took a third of a forked kernel's start
    args.append("--HistoryManager.enabled=False")
    sys.argv = [argv[0], *args]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=args)


def serve(sock: socket.socket) -> None:
    """Fork a kernel for each request until the server closes its end."""
    reader = sock.makefile("rb")
    for line in reader:
        try:
            request: dict[str, Any] = json.loads(line)
            argv, env, cwd = list(request["argv"]), dict(request["env"]), str(request["cwd"])
            if "ipykernel_launcher" not in argv:
                raise ValueError("not an ipykernel command")
        except (ValueError, KeyError, TypeError) as exc:
            sock.sendall(json.dumps({"error": str(exc)}).encode() + b"\n")
            continue
        pid = os.fork()
        if pid == 0:  # the kernel
            code = 0
            try:
                reader.close()
                sock.close()
                run_kernel(argv, env, cwd)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                log.exception("forked kernel failed")
                code = 1
            finally:
                os._exit(code)
        sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")


# --- the server's side: starting the zygote and asking it for kernels ------------------------------------------


class Zygote:
    """The zygote process and the socket to ask it for kernels (one request at a time)."""

    def __init__(self, root: Path) -> None:
        import asyncio
        import subprocess

        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lessonkit.kernel_zygote", str(theirs.fileno()), str(root)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.sock = ours
        self.lock = asyncio.Lock()
        self.broken = False
        self._reader: Any = None
        self._writer: Any = None

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Ask for a kernel; its pid (OSError when the zygote stopped or refused)."""
        import asyncio

        async with self.lock:
            if self._reader is None:
                self._reader, self._writer = await asyncio.open_unix_connection(sock=self.sock)
            assert self._writer is not None
            self._writer.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            await self._writer.drain()
            line = await self._reader.readline()
        if not line:
            raise OSError("the kernel zygote stopped")
        answer = json.loads(line)
        if "pid" not in answer:
            raise OSError(answer.get("error", "the kernel zygote refused"))
        return int(answer["pid"])

    def stop(self) -> None:
        import subprocess

        self.sock.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


_ZYGOTE: dict[str, Zygote] = {}


def start_zygote(root: Path) -> None:
    """Start the zygote for the notebooks under ``root`` (once per server; a no-op where forking is unsupported)."""
    if forking_supported() and "zygote" not in _ZYGOTE:
        _ZYGOTE["zygote"] = Zygote(root)


def running_zygote() -> Zygote | None:
    return _ZYGOTE.get("zygote")


def stop_zygote() -> None:
    zygote = _ZYGOTE.pop("zygote", None)
    if zygote is not None:
        zygote.stop()


# --- the zygote process ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(format="[lessonkit.kernel_zygote] %(levelname)s | %(message)s")
    sock = socket.socket(fileno=int(argv[0]))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the OS: no zombies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is for `lessonkit serve`, which stops the server
    preload(Path(argv[1]))
    if threading.active_count() != 1:  # forking a process with threads could copy a held lock into every kernel
        log.warning("kernel zygote has threads after preloading: kernels are started the usual way")
        return
    serve(sock)


if __name__ == "__main__":
    main()
