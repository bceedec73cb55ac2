"""Make reports: run a report notebook with parameters, convert it with the lessonkit template, print the PDF.

``workbooks/reports/KIND.ipynb`` (listening, mou, transfer, summary, care, reflections) is executed in a kernel with
the job's parameters, then converted by nbconvert (``lessonkit`` HTML template, or Markdown) and, for PDF, printed
by the one browser of a :class:`~lessonkit.export.browser.PdfPrinter`. A :class:`ReportRunner` makes any number of
reports with ONE kernel and ONE browser; printing runs beside the next notebook. The kernel and the browser start
first and boot while nbconvert loads (in a thread), so a single report does not wait for them one after the other.
With no browser, each PDF job writes its HTML instead and says how to get a browser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.domain.privacy import parse_level
from lessonkit.errors import ValidationError
from lessonkit.export.browser import NoBrowserError, PdfPrinter
from lessonkit.export.report_kernel import KernelSession, read_notebook, with_parameters
from lessonkit.i18n import _
from lessonkit.resources import workbooks_path

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from lessonkit.export.pdf import LessonkitHTMLExporter

KINDS = ("listening", "mou", "transfer", "summary", "care", "reflections")
FORMATS = ("pdf", "html", "md")
Progress = Callable[[int, int, "ReportJob"], None]


@dataclass(frozen=True)
class ReportJob:
    """One report to make."""

    kind: str
    convening: str
    out: Path
    fmt: str = "pdf"
    level: str = "public"
    session: int | str | None = None
    round: int | None = None
    home: str | None = None
    language: str | None = None  # the report's language (None: the kernel's LESSONKIT_LANG / system locale)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValidationError("kind", _("'{k}' is not one of: {all}.").format(k=self.kind, all=", ".join(KINDS)))
        if self.fmt not in FORMATS:
            raise ValidationError("format", _("'{f}' is not one of: {all}.").format(f=self.fmt, all=", ".join(FORMATS)))
        object.__setattr__(self, "level", parse_level(self.level).value)
        object.__setattr__(self, "out", Path(self.out))

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "convening": self.convening,
            "level": self.level,
            "home": self.home,
            "language": self.language,
        }
        if self.kind == "listening":
            params["session"] = self.session
        if self.kind == "transfer":
            params["round"] = self.round
        return params


@dataclass
class ReportResult:
    job: ReportJob
    path: Path  # the file written (the HTML when a PDF could not be printed)
    message: str = ""  # why the PDF is missing, when it is

    @property
    def ok(self) -> bool:
        return not self.message


def _html_exporter() -> LessonkitHTMLExporter:
    """The HTML exporter with its template compiled (loading nbconvert takes a while: done in a thread)."""
    import nbformat

    from lessonkit.export.pdf import LessonkitHTMLExporter

    exporter = LessonkitHTMLExporter()
    exporter.from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {"name": "warm-up"}})
    return exporter


def report_notebook(kind: str) -> Path:
    return workbooks_path("reports", f"{kind}.ipynb")


def take_log(nb: NotebookNode) -> dict[str, Any]:
    """Take the export-log data out of the report's cover (it is never converted): counts and participant ids."""
    from lessonkit.export.report_data import COVER_MIME, LOG_KEY

    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            cover = (output.get("data") or {}).get(COVER_MIME)
            if isinstance(cover, dict):
                return {**cover, **(cover.pop(LOG_KEY, None) or {})}
    return {}


def log_report(job: ReportJob, path: Path, entry: dict[str, Any]) -> None:
    """Add a made report to its convening's export log."""
    from lessonkit.domain.privacy import Tally
    from lessonkit.services.convenings import open_convening
    from lessonkit.services.export_log import log_export

    tally = Tally(
        included=int(entry.get("included") or 0),
        withheld=int(entry.get("withheld") or 0),
        redacted=int(entry.get("redacted") or 0),
    )
    ids = [int(i) for i in entry.get("participant_ids") or []]
    log_export(open_convening(job.convening, job.home), f"report {job.kind}", parse_level(job.level), path, tally, ids)


def _results_only(nb: NotebookNode) -> NotebookNode:
    """Drop printed text and warnings (stdout/stderr): a report shows only its parts."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
    return nb


def _write_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def to_markdown(nb: NotebookNode, out: Path) -> Path:
    """The report as Markdown, charts as PNG files in ``NAME_files/`` beside it."""
    from nbconvert.exporters import MarkdownExporter
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = ["text/markdown", "image/png", "text/plain"]
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_markdown = True
    exporter = MarkdownExporter(config=config)
    resources: dict[str, Any] = {"metadata": {"name": out.stem}, "output_files_dir": f"{out.stem}_files"}
    body, resources = exporter.from_notebook_node(nb, resources=resources)
    for name, data in (resources.get("outputs") or {}).items():
        _write_atomic(out.parent / name, data)
    return _write_atomic(out, body.encode("utf-8"))


class ReportRunner:
    """Makes reports with one kernel and (for PDFs) one browser. Use as a context manager."""

    def __init__(
        self,
        *,
        pdf: bool = True,
        browser: str | None = None,
        cwd: str | Path | None = None,
        jobs: Sequence[ReportJob] = (),
    ) -> None:
        from lessonkit.store.keyring import handoff_env

        # the keys of the encrypted convenings among ``jobs`` (asked for now, where a passphrase can be asked)
        env = handoff_env(_store_paths(jobs))
        self.kernel = KernelSession(cwd or report_notebook("listening").parent, env)
        self.kernel.prestart()
        self.printer: PdfPrinter | None = PdfPrinter(browser) if pdf else None  # starts while notebooks run
        self._warm = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lessonkit-nbconvert")
        self._exporter: Future[LessonkitHTMLExporter] = self._warm.submit(_html_exporter)
        self._runs = 0
        self._notebooks: dict[str, NotebookNode] = {}

    @property
    def html(self) -> LessonkitHTMLExporter:
        return self._exporter.result()

    def execute(self, job: ReportJob) -> NotebookNode:
        if job.kind not in self._notebooks:
            self._notebooks[job.kind] = read_notebook(report_notebook(job.kind))
        nb = with_parameters(self._notebooks[job.kind], job.parameters(), reset=self._runs > 0)
        self._runs += 1
        return _results_only(self.kernel.execute(nb))

    def render_html(self, nb: NotebookNode, name: str) -> str:
        html, _resources = self.html.from_notebook_node(nb, resources={"metadata": {"name": name}})
        return html

    def start(self, job: ReportJob) -> Future[ReportResult] | ReportResult:
        """Run the notebook now; a PDF is printed in the background (a Future). Each file made is logged."""
        nb = self.execute(job)
        entry = take_log(nb)
        if job.fmt == "md":
            path = to_markdown(nb, job.out)
            log_report(job, path, entry)
            return ReportResult(job, path)
        html = self.render_html(nb, job.out.stem)
        if job.fmt == "html":
            path = _write_atomic(job.out, html.encode("utf-8"))
            log_report(job, path, entry)
            return ReportResult(job, path)
        return self._print(job, html, entry)

    def _print(self, job: ReportJob, html: str, entry: dict[str, Any]) -> Future[ReportResult] | ReportResult:
        if self.printer is None:
            self.printer = PdfPrinter()
        tmp = job.out.with_name(f".{job.out.name}.tmp-{os.getpid()}")
        try:
            self.printer.ready()
        except NoBrowserError as exc:
            page = _write_atomic(job.out.with_suffix(".html"), html.encode("utf-8"))
            log_report(job, page, entry)
            return ReportResult(job, page, _("{e} The HTML report was written to {path}.").format(e=exc, path=page))
        done: Future[ReportResult] = Future()

        def finished(printed: Future[Path]) -> None:
            try:
                os.replace(printed.result(), job.out)
                log_report(job, job.out, entry)
                done.set_result(ReportResult(job, job.out))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the Future
                done.set_exception(exc)

        self.printer.submit(html, tmp).add_done_callback(finished)
        return done

    def run(self, job: ReportJob) -> ReportResult:
        started = self.start(job)
        return started.result() if isinstance(started, Future) else started

    def run_all(self, jobs: Sequence[ReportJob], progress: Progress | None = None) -> list[ReportResult]:
        """Every job in order; ``progress(done, total, job)`` after each notebook has run."""
        pending: list[Future[ReportResult] | ReportResult] = []
        for i, job in enumerate(jobs, start=1):
            pending.append(self.start(job))
            if progress:
                progress(i, len(jobs), job)
        return [p.result() if isinstance(p, Future) else p for p in pending]

    def close(self) -> None:
        self.kernel.close()
        self._warm.shutdown(wait=True)
        if self.printer is not None:
            self.printer.close()
            self.printer = None

    def __enter__(self) -> ReportRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _store_paths(jobs: Sequence[ReportJob]) -> list[Path]:
    """The files of the convenings of ``jobs`` (each opened the one way: a locked one asks for its passphrase)."""
    from lessonkit.services.convenings import open_convening

    paths = []
    for key in dict.fromkeys((j.convening, j.home) for j in jobs):
        path = getattr(open_convening(*key), "path", None)
        if path is not None:
            paths.append(Path(path))
    return paths


def make_report(job: ReportJob, browser: str | None = None) -> ReportResult:
    """One report (a kernel and, for a PDF, a browser of its own)."""
    with ReportRunner(pdf=job.fmt == "pdf", browser=browser, jobs=[job]) as runner:
        return runner.run(job)


def make_reports(
    jobs: Sequence[ReportJob], progress: Progress | None = None, browser: str | None = None
) -> list[ReportResult]:
    """Several reports with one kernel and one browser."""
    with ReportRunner(pdf=any(j.fmt == "pdf" for j in jobs), browser=browser, jobs=jobs) as runner:
        return runner.run_all(jobs, progress)


@dataclass
class Plan:
    """The reports of a whole convening (``lessonkit report SLUG --all``)."""

    jobs: list[ReportJob] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def convening_plan(
    store: Any,
    slug: str,
    out_dir: str | Path,
    fmt: str = "pdf",
    level: str = "public",
    home: str | None = None,
    language: str | None = None,
) -> Plan:
    """A summary, a listening report per session, the memorandum (if any), a brief per scoring round, the care
    and accountability report (when the convening keeps a risk register or a ledger), the after-action reflections
    (if any)."""
    from lessonkit.services.ledger import list_lines
    from lessonkit.services.mou import has_mou
    from lessonkit.services.risks import list_risks
    from lessonkit.services.scoring_rounds import list_rounds
    from lessonkit.services.sessions import list_sessions

    out = Path(out_dir)
    ext = {"pdf": ".pdf", "html": ".html", "md": ".md"}[fmt]

    def job(kind: str, name: str, **kw: Any) -> ReportJob:
        return ReportJob(kind, slug, out / f"{slug}-{name}{ext}", fmt, level, home=home, language=language, **kw)

    plan = Plan([job("summary", "summary")])
    plan.jobs += [job("listening", f"listening-session-{s.id}", session=s.id) for s in list_sessions(store)]
    if has_mou(store):
        plan.jobs.append(job("mou", "memorandum"))
    else:
        plan.skipped.append(_("memorandum: this convening has none"))
    plan.jobs += [job("transfer", f"transfer-round-{r.id}", round=r.id) for r in list_rounds(store)]
    if list_risks(store) or list_lines(store):
        plan.jobs.append(job("care", "care"))
    else:
        plan.skipped.append(_("care and accountability: no risk register or ledger yet"))
    if store.all("reflections"):
        plan.jobs.append(job("reflections", "reflections"))
    return plan


def paths(results: Iterable[ReportResult]) -> list[Path]:
    return [r.path for r in results]
