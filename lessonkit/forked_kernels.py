"""The participant server's side of forked kernels (see :mod:`lessonkit.kernel_zygote`).

:class:`ForkingKernelManager` is jupyter_server's kernel manager, except that an ipykernel is forked by the zygote
instead of started with ``Popen``; everything else (connection file, ports, shutdown, restart, culling) is
jupyter_client's own. The kernel process is not the server's child, so :class:`ForkedProcess` watches it through a
pidfd (``os.pidfd_open``) and signals it (and its process group) by pid. If the zygote cannot be started or stops,
kernels are started the usual way and the server keeps working.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import subprocess
from typing import Any

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

from lessonkit.kernel_zygote import running_zygote

log = logging.getLogger(__name__)


class ForkedProcess:
    """Enough of ``subprocess.Popen`` for jupyter_client's provisioner, for a process that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # already gone
            self._fd = None
            self.returncode = 0

    def _exited(self, timeout_s: float) -> bool:
        if self._fd is None:
            return True
        readable, _w, _x = select.select([self._fd], [], [], timeout_s)
        if readable:
            os.close(self._fd)
            self._fd = None
            self.returncode = 0  # the zygote reaps it: the exit status is not ours to read
        return bool(readable)

    def poll(self) -> int | None:
        return self.returncode if self._exited(0) else None

    def wait(self, timeout: float | None = None) -> int:
        if not self._exited(timeout if timeout is not None else 1e9):
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingKernelManager(ServerKernelManager):  # type: ignore[misc]
    """jupyter_server's kernel manager; ipykernels come from the zygote when there is one."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        zygote = running_zygote()
        if zygote is None or zygote.broken or "ipykernel_launcher" not in kernel_cmd or self.provisioner is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        env = {str(k): str(v) for k, v in (kw.get("env") or os.environ).items()}
        cwd = str(kw.get("cwd") or os.getcwd())
        try:
            pid = await zygote.fork(kernel_cmd, env, cwd)
        except (OSError, ValueError) as exc:
            log.warning("kernels are started the usual way from now on: %s", exc)
            zygote.broken = True
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner: Any = self.provisioner
        provisioner.process = ForkedProcess(pid)
        provisioner.pid = provisioner.pgid = pid
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
