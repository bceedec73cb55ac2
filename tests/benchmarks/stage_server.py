"""The participant server with a stopwatch on each page request (benchmark only, never shipped).

``python tests/benchmarks/stage_server.py -`` behaves as ``python -m lessonkit.participant_server -`` and appends one
JSON line per page request to the file named by ``LK_STAGE_LOG``: seconds from the request's arrival to

- ``kernel``: the pool handed over a kernel (Voila's ``get_rendered_notebook`` returned),
- ``first``: the first bytes of the page were yielded to tornado,
- ``render``: the kernel had run the whole notebook (the pooled render task finished),
- ``end``: the last bytes were yielded.

It also prints ``lk-bench: pool of NOTEBOOK ready (N)`` each time every kernel of a notebook's pool has finished
its notebook (Voila's own "Kernel pool ... is filled" line counts a refill as done after its first kernel).

bench_serve.py starts the server through this file so that the same figures come from any version of lessonkit;
``stage_server.py --voila ARGS`` runs stock Voila (the anchor) the same way.
"""

from __future__ import annotations

import contextvars
import json
import os
import time
from typing import Any

_REQUEST: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar("lk_stage", default=None)


def _patch() -> None:
    from voila import handler as vh
    from voila import voila_kernel_manager as vkm

    log_path = os.environ.get("LK_STAGE_LOG")
    original_generator = vh.VoilaHandler.get_generator

    async def timed_generator(self: Any, path: Any = None) -> Any:
        rec: dict[str, float] = {"t": time.time()}
        t0 = time.monotonic()
        _REQUEST.set(rec)
        rec["_t0"] = t0
        async for chunk in original_generator(self, path):
            rec.setdefault("first", time.monotonic() - t0)
            yield chunk
        rec["end"] = time.monotonic() - t0
        rec.pop("_t0", None)
        if log_path:
            with open(log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")

    vh.VoilaHandler.get_generator = timed_generator
    original_factory = vkm.voila_kernel_manager_factory

    def factory(*args: Any, **kwargs: Any) -> Any:
        cls = original_factory(*args, **kwargs)
        if not hasattr(cls, "get_rendered_notebook"):
            return cls
        original_get = cls.get_rendered_notebook

        async def get_rendered_notebook(self: Any, *a: Any, **kw: Any) -> Any:
            result = await original_get(self, *a, **kw)
            rec = _REQUEST.get()
            if rec is not None:
                t0 = rec["_t0"]
                rec["kernel"] = time.monotonic() - t0
                task = result[0]

                def done(_task: Any) -> None:
                    rec["render"] = time.monotonic() - t0

                if task.done():
                    rec["render"] = rec["kernel"]
                else:
                    task.add_done_callback(done)
            return result

        cls.get_rendered_notebook = get_rendered_notebook
        original_fill = cls.fill_if_needed

        def fill_if_needed(self: Any, *a: Any, **kw: Any) -> Any:
            result = original_fill(self, *a, **kw)
            name = kw.get("notebook_name", a[1] if len(a) > 1 else None)
            pool = self._pools.get(name, [])

            config = self.kernel_pools_config
            size = config.get(name, config.get("default", {})).get("pool_size", 1)

            def check(_task: Any = None) -> None:
                current = self._pools.get(name, [])
                if len(current) >= size and all(t.done() for t in current):
                    print(f"lk-bench: pool of {name} ready ({len(current)})", flush=True)

            for task in pool:
                task.add_done_callback(check)
            return result

        cls.fill_if_needed = fill_if_needed
        return cls

    vkm.voila_kernel_manager_factory = factory
    import voila.app

    voila.app.voila_kernel_manager_factory = factory


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--voila"]:
        _patch()
        from voila.app import main as voila_main

        sys.argv = ["voila", *sys.argv[2:]]
        voila_main()
    else:  # patch only when the server builds its Voila, so that it starts as `lessonkit serve` starts it
        import lessonkit.participant_server as server

        build = server.participant_voila_class

        def patched() -> Any:
            _patch()
            return build()

        server.participant_voila_class = patched
        server.main()
