"""Forms that follow the room: one small mechanism every participant form (and the facilitator's screens) uses.

A :class:`Follower` checks ``store.version()`` — two ``stat`` calls on the TinyDB store, nothing read — every
``interval_s`` seconds. Only when the token changed does it read what the form follows (the form's own cheap read,
e.g. the open sessions) and only when *that* changed does it hand it to the form, which updates its widgets in
place and keeps everything typed. After ``quiet_after_s`` without any change in the store it checks every
``slow_interval_s`` instead; the first change brings it back to ``interval_s``.

Inside a Jupyter kernel (Voila, JupyterLab) the checks run on the kernel's own event loop, on the main thread,
between the messages of the page: no extra thread per participant kernel, and widgets are never changed from a
background thread while the person types. Outside a kernel (a script, a test) a daemon thread does the same.

A form takes part by mixing in :class:`FollowsRoom` and defining three methods:

- ``showing()``: what it shows now (no store read), e.g. ``tuple(self.sessions)``;
- ``followed()``: the same read fresh from the store (only what the form already reads: an encrypted convening's
  participant server can serve it from its readable index);
- ``show_followed(state)``: update the widgets for ``state`` without losing what was typed, and say what changed.

Following starts when a visitor is there, never in a pool kernel waiting for one (30 waiting kernels look at
nothing): :func:`lessonkit.ui.arrival.participant_page` starts it at the end of the arrival hand-off, once the link's
parameters have been applied (a page built some other way calls :func:`follow_in_kernel` when its visitor is there).
It does not matter how the form was built. ``form.close()`` stops it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from lessonkit.store.base import Store

__all__ = ["FOLLOW_S", "Follower", "FollowsRoom", "Repeater", "follow_in_kernel", "kernel_loop"]

log = logging.getLogger(__name__)

#: Seconds between checks while the room is active (a participant sees a change within about this long).
FOLLOW_S = 2.0
#: Seconds between checks after ``QUIET_AFTER_S`` without any change in the store.
SLOW_S = 5.0
QUIET_AFTER_S = 600.0

_UNSEEN = object()


def kernel_loop() -> Any | None:
    """The running kernel's event loop (tornado IOLoop, main thread), or None outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None) if shell is not None else None
    return getattr(kernel, "io_loop", None)


class Repeater:
    """Call ``step()`` again and again, ``delay()`` seconds apart, until :meth:`stop`: on the kernel's loop when there
    is one, else on a daemon thread. A step that raises is logged and the repeating goes on."""

    def __init__(self, step: Callable[[], object], delay: Callable[[], float], name: str = "lessonkit-follow") -> None:
        self._step = step
        self._delay = delay
        self._name = name
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: Any | None = None
        self.started = False

    def start(self) -> Repeater:
        if self.started:
            return self
        self.started = True
        self._stopped.clear()
        self._loop = kernel_loop()
        if self._loop is not None:
            self._loop.add_callback(self._schedule)  # thread-safe: the timer is set on the loop's own thread
        else:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        return self

    def _safe_step(self) -> None:
        try:
            self._step()
        except Exception:  # a passing fault (a file being replaced) must not end the following
            log.exception("%s: a check failed", self._name)

    def _schedule(self) -> None:
        if not self._stopped.is_set() and self._loop is not None:
            self._loop.call_later(self._delay(), self._tick)

    def _tick(self) -> None:
        if self._stopped.is_set():
            return
        self._safe_step()
        self._schedule()

    def _run(self) -> None:
        while not self._stopped.wait(self._delay()):
            self._safe_step()

    @property
    def running(self) -> bool:
        return self.started and not self._stopped.is_set()

    def stop(self) -> None:
        self._stopped.set()
        self.started = False
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self._delay() + 1.0)


class Follower:
    """Watch ``store.version()``; on a change read ``read()``; when that differs from what is shown, call
    ``show(new)``. What is shown is ``showing()`` when given (the form's own answer, so a form that updated itself,
    e.g. after a submit, is not redrawn), else the last state shown, starting from ``initial``. The first check always
    reads, so a change made while the form was being built is not missed."""

    def __init__(
        self,
        store: Store,
        read: Callable[[], object],
        show: Callable[[Any], None],
        initial: object = _UNSEEN,
        showing: Callable[[], object] | None = None,
        interval_s: float = FOLLOW_S,
        slow_interval_s: float = SLOW_S,
        quiet_after_s: float = QUIET_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.read = read
        self.show = show
        self.showing = showing
        self.interval_s = float(interval_s)
        self.slow_interval_s = max(float(slow_interval_s), self.interval_s)
        self.quiet_after_s = float(quiet_after_s)
        self._clock = clock
        self._seen: object = _UNSEEN
        self._state: object = initial
        self._changed_at = clock()
        self.checks = 0  # how many times the version was looked at
        self.reads = 0  # how many times what is followed was read
        self.shown = 0  # how many times the form was updated
        self._lock = threading.Lock()
        self._repeater = Repeater(self.check, self.delay)

    def check(self) -> bool:
        """One look: True when the form was updated."""
        with self._lock:
            self.checks += 1
            version = self.store.version()
            if version == self._seen:
                return False
            self._changed_at = self._clock()
            state = self.read()  # raises: the version stays unseen, and the next look reads again
            self.reads += 1
            self._seen = version
            shown = self.showing() if self.showing is not None else self._state
            if state == shown:
                return False
            self._state = state
        self.show(state)
        self.shown += 1
        return True

    def delay(self) -> float:
        """Seconds until the next look: quick while the store changes, slower once it has been quiet a while."""
        quiet = self._clock() - self._changed_at >= self.quiet_after_s
        return self.slow_interval_s if quiet else self.interval_s

    def start(self) -> Follower:
        self._repeater.start()
        return self

    def stop(self) -> None:
        self._repeater.stop()

    @property
    def running(self) -> bool:
        return self._repeater.running


class FollowsRoom:
    """Mixin for a form that follows the room (see the module's docstring). Mix it in before the widget class."""

    store: Store
    follower: Follower | None = None

    def showing(self) -> object:
        raise NotImplementedError

    def followed(self) -> object:
        raise NotImplementedError

    def show_followed(self, state: Any) -> None:
        raise NotImplementedError

    def following(self, **options: Any) -> Follower:
        """The form's follower (made once, from what the form shows now), not started: ``check()`` looks once."""
        if self.follower is None:
            self.follower = Follower(self.store, self.followed, self.show_followed, showing=self.showing, **options)
        return self.follower

    def start_following(self, **options: Any) -> Follower:
        """Start following (once; a second call returns the running follower). Call when a visitor is there."""
        return self.following(**options).start()

    def stop_following(self) -> None:
        if self.follower is not None:
            self.follower.stop()

    def close(self) -> None:
        self.stop_following()
        super().close()  # type: ignore[misc]


def follow_in_kernel(form: FollowsRoom) -> None:
    """Start ``form`` following the room when it runs in a kernel, i.e. it is a page a visitor sees (the arrival
    hand-off calls this once the visitor's link is applied). Outside a kernel (tests, scripts) nothing starts by
    itself: call ``form.start_following()`` or drive ``form.follower.check()`` yourself."""
    if kernel_loop() is not None:
        form.start_following()
