"""PDF by a headless Chromium, found and launched without Playwright's own download.

The browser is found in this order: ``LESSONKIT_CHROMIUM``, a Chromium installed by Playwright, then the system's
chromium / google-chrome / msedge. Playwright launches it with ``executable_path`` (stock ``--to webpdf`` cannot).
A :class:`PdfPrinter` keeps ONE browser open for any number of PDFs (about 0.3 s each once it runs) and works on
its own thread, so it can start while a report notebook is still running. Pages are printed offline with every
request refused and recorded: a report asks no other host for anything.

With no browser, :class:`NoBrowserError` says how to get one (and the callers still write the HTML).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lessonkit.errors import LessonkitError
from lessonkit.i18n import _

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge", "microsoft-edge")
# Headless flags that work as root, without a network, and keep Chromium from calling home (DESIGN.md).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MARGIN = {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
FOOTER = (
    '<div style="width:100%;font-size:8px;font-family:sans-serif;color:#607d8b;padding:0 16mm;'
    'display:flex;justify-content:space-between"><span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


class NoBrowserError(LessonkitError):
    """No Chromium-family browser to print PDFs with."""


def no_browser_message() -> str:
    env = os.environ.get("LESSONKIT_CHROMIUM")
    if env:
        return _(
            "No Chromium browser found to make the PDF (LESSONKIT_CHROMIUM={path} does not exist). Install one with "
            "`apt-get install chromium` (Debian/Ubuntu) or set LESSONKIT_CHROMIUM to the path of chromium, "
            "google-chrome or msedge."
        ).format(path=env)
    return _(
        "No Chromium browser found to make the PDF. Install one with `apt-get install chromium` (Debian/"
        "Ubuntu) or set LESSONKIT_CHROMIUM to the path of chromium, google-chrome or msedge."
    )


def _runnable(path: str | None) -> str | None:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def find_browser(playwright: Any = None) -> str | None:
    """The browser to use: LESSONKIT_CHROMIUM, Playwright's own Chromium, then a system browser; None if none."""
    found = _runnable(os.environ.get("LESSONKIT_CHROMIUM"))
    if found:
        return found
    if playwright is not None:
        try:
            found = _runnable(playwright.chromium.executable_path)
        except Exception:  # noqa: BLE001 - Playwright without browsers raises on lookup
            found = None
        if found:
            return found
    for name in SYSTEM_BROWSERS:
        found = _runnable(shutil.which(name))
        if found:
            return found
    return None


class PdfPrinter:
    """One headless browser for many PDFs. Use as a context manager (or call :meth:`close`)."""

    def __init__(self, executable: str | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lessonkit-pdf")
        self.requests: list[str] = []  # every request a page tried to make (all refused)
        self.executable: str | None = None
        self._pw: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._page: Any = None
        self._started: Future[str] = self._pool.submit(self._start, executable)

    def _start(self, executable: str | None) -> str:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        path = _runnable(executable) or find_browser(self._pw)
        if path is None:
            self._pw.stop()
            self._pw = None
            raise NoBrowserError(no_browser_message())
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=path,
                headless=True,
                args=CHROMIUM_FLAGS,
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
            )
        except Exception as exc:  # noqa: BLE001 - Playwright's launch errors are long; keep the first line
            self._pw.stop()
            self._pw = None
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise NoBrowserError(
                _("The browser {path} could not be started ({error}).").format(path=path, error=first)
                + " "
                + no_browser_message()
            ) from None
        self._context = self._browser.new_context(offline=True, java_script_enabled=False)
        self._context.route("**/*", self._refuse)
        self.executable = path
        return path

    def _refuse(self, route: Any) -> None:
        self.requests.append(route.request.url)
        route.abort()

    def ready(self) -> str:
        """Wait until the browser runs; its path, or NoBrowserError."""
        return self._started.result()

    def submit(self, html: str, out: str | os.PathLike[str], paper: str = "A4") -> Future[Path]:
        """Print ``html`` to the PDF file ``out`` on the browser's thread; returns at once. ``paper``: a paper
        format Chromium knows (A4, Letter, …)."""
        return self._pool.submit(self._print, html, Path(out), paper)

    def print(self, html: str, out: str | os.PathLike[str], paper: str = "A4") -> Path:
        return self.submit(html, out, paper).result()

    def pdf_bytes(self, html: str, paper: str = "A4") -> bytes:
        with tempfile.TemporaryDirectory(prefix="lessonkit-pdf-") as tmp:
            return self.print(html, Path(tmp) / "report.pdf", paper).read_bytes()

    def _print(self, html: str, out: Path, paper: str = "A4") -> Path:
        self._started.result()
        if self._page is None or self._page.is_closed():
            self._page = self._context.new_page()  # one tab for every report: a new one costs more than a reload
            self._page.emulate_media(media="print")
        self._page.set_content(html, wait_until="load")
        out.parent.mkdir(parents=True, exist_ok=True)
        self._page.pdf(
            path=str(out),
            format=paper,
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            margin=MARGIN,
        )
        return out

    def close(self) -> None:
        def stop() -> None:
            for thing in (self._page, self._context, self._browser, self._pw):
                if thing is None:
                    continue
                try:
                    thing.close() if thing is not self._pw else thing.stop()
                except Exception:  # noqa: BLE001 - closing a browser that already went away
                    pass

        self._pool.submit(stop).result()
        self._pool.shutdown(wait=True)

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
