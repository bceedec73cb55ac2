"""The ``lessonkit_html`` and ``lessonkit_pdf`` nbconvert exporters (registered by entry point in pyproject).

``jupyter nbconvert --to lessonkit_pdf NB.ipynb`` converts a notebook with lessonkit's report template (no code, a
cover, print styling, page numbers, no outside requests) and prints it with the browser that
:func:`lessonkit.export.browser.find_browser` finds: ``LESSONKIT_CHROMIUM``, Playwright's Chromium, then the
system's chromium / google-chrome / msedge. With no browser it says how to get one and writes ``NB.html`` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from traitlets import default

from lessonkit.export.browser import NoBrowserError, PdfPrinter
from lessonkit.i18n import _

TEMPLATES = Path(__file__).parent / "templates"


class LessonkitHTMLExporter(HTMLExporter):
    """nbconvert ``--to lessonkit_html``: the report template, no code, no outside requests."""

    export_from_notebook = "lessonkit report (HTML)"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "lessonkit"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True


class LessonkitPDFExporter(LessonkitHTMLExporter):
    """nbconvert ``--to lessonkit_pdf``: the report template printed by Chromium (see :func:`find_browser`).

    With no browser it logs how to get one and writes the HTML instead (``NAME.html``).
    """

    export_from_notebook = "lessonkit report (PDF)"
    printer: PdfPrinter | None = None

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[Any, Any]:
        html, resources = super().from_notebook_node(nb, resources=resources, **kw)
        try:
            if self.printer is None:
                self.printer = PdfPrinter()
            return self.printer.pdf_bytes(html), resources
        except NoBrowserError as exc:
            self.printer = None
            self.log.error("%s %s", exc, _("The HTML report was written instead."))
            resources["output_extension"] = ".html"
            return html, resources

    def __del__(self) -> None:
        if self.printer is not None:
            try:
                self.printer.close()
            except Exception:  # noqa: BLE001 - interpreter shutdown
                pass
