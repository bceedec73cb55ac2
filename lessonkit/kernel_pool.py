"""How the participant server fills and hands out Voila's preheated kernel pools.

Voila 0.5 keeps, per notebook, a list of tasks that each start a kernel and render the notebook in it; a visitor
gets the first task of the list and the pool is refilled after ``fill_delay``. lessonkit changes three things
(:func:`install`, called by :mod:`lessonkit.participant_server` before Voila starts):

- **Start lanes.** Voila starts every missing kernel at once; here at most ``lanes`` kernels get ready at the same
  time, and a kernel holds its lane until its notebook has run (no fixed settle time), so on 2 cores the pool fills
  as fast as the cores allow and a refill after a burst never starves the visitors who just arrived.
- **Ready kernels first.** A visitor gets a kernel whose page is complete whenever there is one, not the oldest task
  (which may still be starting); a task that failed is dropped and replaced rather than handed out.
- **Templates compiled once.** Voila builds a new nbconvert exporter, with a new Jinja environment, for every pooled
  kernel and compiled the page template again each time (a few hundred ms of the server's single thread per kernel,
  during which no page went out); a shared bytecode cache makes that a lookup.

The server logs ``Kernel pool of NOTEBOOK is filled`` (Voila's line) when every kernel of a pool has run its
notebook; :meth:`lessonkit.serve.RunningServer.wait_ready` reads it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

START_LANES = 2


class _TemplateCache:
    """One Jinja bytecode cache for every exporter Voila creates (in memory; the server's own templates only)."""

    cache: Any = None

    @classmethod
    def get(cls) -> Any:
        if cls.cache is None:
            from jinja2 import BytecodeCache

            class MemoryBytecodeCache(BytecodeCache):
                def __init__(self) -> None:
                    self.store: dict[str, bytes] = {}

                def load_bytecode(self, bucket: Any) -> None:
                    code = self.store.get(bucket.key)
                    if code is not None:
                        bucket.bytecode_from_string(code)

                def dump_bytecode(self, bucket: Any) -> None:
                    self.store[bucket.key] = bucket.bytecode_to_string()

            cls.cache = MemoryBytecodeCache()
        return cls.cache


def _share_compiled_templates() -> None:
    from voila import notebook_renderer
    from voila.exporter import VoilaExporter

    class SharedTemplatesExporter(VoilaExporter):  # type: ignore[misc]
        def _create_environment(self) -> Any:
            env = super()._create_environment()
            env.bytecode_cache = _TemplateCache.get()
            return env

    notebook_renderer.VoilaExporter = SharedTemplatesExporter


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
