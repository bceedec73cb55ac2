"""How the participant server fills and hands out Voila's preheated kernel pools.

Voila 0.5 keeps, per notebook, a list of tasks that each start a kernel and render the notebook in it; a visitor
gets the first task of the list and the pool is refilled after ``fill_delay``. lessonkit changes three things
(:func:`install`, called by :mod:`lessonkit.participant_server` before Voila starts):

- **Start lanes.** Voila starts every missing kernel at once; here at most ``lanes`` kernels get ready at the same
  time, and a kernel holds its lane until its notebook has run (no fixed settle time), so on 2 cores the pool fills
  as fast as the cores allow and a refill after a burst never starves the visitors who just arrived.
- **Ready kernels first.** A visitor gets a kernel whose page is complete whenever there is one, not the oldest task
  (which may still be starting); a task that failed is dropped and replaced rather than handed out.
- **Templates loaded once.** Voila builds a new nbconvert exporter, with a new Jinja environment, for every pooled
  kernel, and loaded and compiled the page's templates again each time (a few hundred ms of the server's single
  thread per kernel, during which no page went out); the exporters share one environment and its templates.
- **The same page set up once.** For every pooled kernel Voila read and validated the notebook again and gathered
  the page configuration from the lab extensions on disk; both are kept (the notebook per file modification time,
  copied for each kernel since rendering changes it).
- **Cheaper kernel messages.** Every widget of a form reaches the server as a message, read twice (by the notebook
  runner and by the activity watcher used for culling); jupyter_client parses each header's date with dateutil,
  which took a tenth of the server's time while a pool filled: Python's own ISO parser does it (dateutil remains the
  fallback).

The server logs ``Kernel pool of NOTEBOOK is filled`` (Voila's line) when every kernel of a pool has run its
notebook; :meth:`lessonkit.serve.RunningServer.wait_ready` reads it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

START_LANES = 2


def _share_compiled_templates() -> None:
    """One Jinja environment (with its cache of loaded templates) per set of template folders, for every exporter.

    An environment holds the exporter's filters; every pooled exporter has the same configuration, so the filters
    one registers are the ones the next would register."""
    from voila import notebook_renderer
    from voila.exporter import VoilaExporter

    environments: dict[tuple[str, ...], Any] = {}

    class SharedTemplatesExporter(VoilaExporter):  # type: ignore[misc]
        def _create_environment(self) -> Any:
            key = (self.template_name, *self.template_paths)
            if key not in environments:
                environments[key] = super()._create_environment()
            return environments[key]

    notebook_renderer.VoilaExporter = SharedTemplatesExporter


def _page_setup_once() -> None:
    import copy
    import os

    from voila import voila_kernel_manager as vkm
    from voila.notebook_renderer import NotebookRenderer

    page_config = vkm.get_page_config
    configs: dict[str, Any] = {}

    def cached_page_config(**kwargs: Any) -> Any:
        key = repr(sorted((k, v) for k, v in kwargs.items() if k in ("base_url",)))
        if key not in configs:
            configs[key] = page_config(**kwargs)
        return copy.deepcopy(configs[key])

    notebooks: dict[str, tuple[float, Any]] = {}

    class PooledNotebookRenderer(NotebookRenderer):  # type: ignore[misc]
        async def load_notebook(self, path: str) -> Any:
            try:
                mtime = os.stat(os.path.join(self.contents_manager.root_dir, path)).st_mtime
            except OSError:
                return await super().load_notebook(path)
            cached = notebooks.get(path)
            if cached is None or cached[0] != mtime:
                cached = (mtime, await super().load_notebook(path))
                notebooks[path] = cached
            return copy.deepcopy(cached[1])

    vkm.get_page_config = cached_page_config
    vkm.NotebookRenderer = PooledNotebookRenderer


def _fast_message_dates() -> None:
    from datetime import datetime

    from jupyter_client import jsonutil

    slow = jsonutil._dateutil_parse

    def parse(text: str) -> datetime:
        try:
            return datetime.fromisoformat(text)
        except ValueError:  # a form Python's parser does not take (Python 3.10: a trailing Z)
            return slow(text)  # type: ignore[no-any-return]

    jsonutil._dateutil_parse = parse


def _usable(task: asyncio.Future[Any]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


def install(lanes: int = START_LANES) -> None:
    """Patch Voila's pool (see the module docstring); call before the Voila application is built."""
    from voila import app as voila_app
    from voila import voila_kernel_manager as vkm

    lane: list[asyncio.Semaphore] = []

    async def wait_before(delay: float, aw: Any) -> Any:
        if delay:
            await asyncio.sleep(delay)
        if not lane:
            lane.append(asyncio.Semaphore(lanes))
        async with lane[0]:
            result = await aw
            try:  # hold the lane until the kernel has run the notebook: the pool item is then a finished page
                await asyncio.shield(result["task"])
            except Exception:  # reported by whoever awaits the render (the visitor's request)
                log.warning("a pooled kernel could not render its notebook", exc_info=True)
        return result

    vkm.wait_before = wait_before
    original_factory = vkm.voila_kernel_manager_factory

    def factory(*args: Any, **kwargs: Any) -> Any:
        base = original_factory(*args, **kwargs)
        if not hasattr(base, "get_rendered_notebook"):
            return base

        class ParticipantKernelManager(base):  # type: ignore[misc, valid-type]
            async def get_rendered_notebook(self, notebook_name: str, *a: Any, **kw: Any) -> Any:
                pool = self._pools.get(notebook_name, [])
                failed = [t for t in pool if t.done() and not _usable(t)]
                for task in failed:  # never hand out a kernel that did not start: replace it
                    pool.remove(task)
                ready = next((t for t in pool if _usable(t)), None)
                if ready is not None:
                    pool.remove(ready)
                    pool.insert(0, ready)
                if failed:
                    self.fill_if_needed(delay=0, notebook_name=notebook_name)
                return await super().get_rendered_notebook(notebook_name, *a, **kw)

        return ParticipantKernelManager

    vkm.voila_kernel_manager_factory = factory
    voila_app.voila_kernel_manager_factory = factory
    _share_compiled_templates()
    _page_setup_once()
    _fast_message_dates()
