"""The workbook panels for what only the command line did (issue 14), without a browser: `.value` and `.click()`."""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from lessonkit import services
from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.services.library_io import import_library_json
from lessonkit.store import MemoryWorkspace, Workspace
from lessonkit.store.journal import forget
from lessonkit.ui.bundles import BundlePanel
from lessonkit.ui.cards import PaperCards
from lessonkit.ui.convening_create import ConveningCreator, convening_creator
from lessonkit.ui.convening_restore import RestorePanel
from lessonkit.ui.library_brief import BriefPanel
from lessonkit.ui.withdrawal import WithdrawalPanel


def shown(widget: Any) -> str:
    """What an HTML widget says, entities decoded."""
    return html.unescape(widget.value)


@pytest.fixture
def disk(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    load_demo(ws, data_path("demo", "convening.json"))
    return ws


def test_a_convening_is_created_once_from_the_parameters_and_again_by_the_form(disk: Workspace) -> None:
    first = convening_creator(str(disk.home), create="practice", title="Practice convening")
    assert disk.exists("practice") and "Created 'practice'" in shown(first.status)
    assert "Practice convening" in shown(first.listing) and "Riverbend Exchange" in shown(first.listing)
    again = convening_creator(str(disk.home), create="practice", title="Another title")  # a re-run changes nothing
    assert "exists already" in shown(again.status)
    assert services.get_convening(disk.store("practice")).title == "Practice convening"
    assert "Created" not in convening_creator(str(disk.home)).status.value  # no parameter: nothing is created

    form = ConveningCreator(disk)
    form.slug.value, form.title.value, form.languages.value = "Bad Slug!", "Lake 2027", "en,es"
    form.create.click()
    assert "Not created. Short name:" in shown(form.status) and form.title.value == "Lake 2027"
    form.slug.value = "lake-2027"
    form.create.click()
    made = services.get_convening(disk.store("lake-2027"))
    assert made.title == "Lake 2027" and made.languages == ("en", "es") and "lake-2027" in shown(form.listing)
    form.create.click()
    assert "already exists" in shown(form.status)


def test_a_damaged_convening_is_listed_and_repaired(disk: Workspace) -> None:
    services.create_convening(disk, "river", "River")
    path = disk.path_for("river")
    path.write_bytes(b'{"notes": {"1": {"te')
    forget(path)
    panel = RestorePanel(disk)
    assert "river (cannot be read)" in [label for label, _v in panel.which.options]
    assert panel.which.value == "river" and "cannot be read" in shown(panel.status)
    assert "cannot be read" in ConveningCreator(disk).listing.value
    panel.repair.click()
    assert "copied aside" in shown(panel.status) and services.get_convening(disk.store("river")).title == "River"
    assert sorted(p.name for p in path.parent.glob("river.json.damaged-*"))
    panel.which.value = "demo"
    panel.repair.click()
    assert "reads fine, so nothing was changed" in shown(panel.status)
    panel.which.value = ""
    panel.force.value = True
    panel.repair.click()
    assert "Nothing was changed" in shown(panel.status) and "no library" in shown(panel.status)


def test_withdrawal_needs_the_box_then_removes_the_words(demo_store: Any) -> None:
    panel = WithdrawalPanel(demo_store)
    panel.person.value = "DEMO-AAAA"
    before = len(services.list_notes(demo_store))
    panel.withdraw.click()
    assert "Tick the box" in shown(panel.status) and len(services.list_notes(demo_store)) == before
    panel.confirm.value, panel.by.value = True, "Fac"
    panel.withdraw.click()
    assert "Removed: notes 3," in shown(panel.status) and len(services.list_notes(demo_store)) == before - 3
    assert panel.confirm.value is False and "not recorded" in dict((v, k) for k, v in panel.person.options)["DEMO-AAAA"]
    assert services.participant_by_code(demo_store, "DEMO-AAAA").consent.record is False


def upload(name: str, content: bytes) -> tuple[dict[str, Any], ...]:
    when = datetime(2026, 5, 4, tzinfo=timezone.utc)
    return ({"name": name, "type": "text/csv", "size": len(content), "content": memoryview(content),
             "last_modified": when},)


def test_paper_cards_are_typed_in_or_imported_all_or_nothing(demo_store: Any) -> None:
    cards = PaperCards(demo_store)
    before = len(services.list_notes(demo_store))
    cards.session.value = 2  # closed: a paper card may still be typed in afterwards
    cards.text.value, cards.code.value = "Childcare at the back of the hall.", "DEMO-CCCC"
    cards.add.click()
    note = services.list_notes(demo_store)[-1]
    assert "Added note" in shown(cards.status) and note.source == "paper" and note.session_id == 2
    assert note.sensitivity.value == "restricted"  # the author's consent is stricter than convening
    cards.text.value, cards.code.value = "   ", ""
    cards.add.click()
    assert "Not added." in shown(cards.status) and len(services.list_notes(demo_store)) == before + 1
    cards.code.value, cards.text.value = "ZZZZ-ZZZZ", "Kept as typed."
    cards.add.click()
    assert "Not added." in shown(cards.status) and cards.text.value == "Kept as typed."

    cards.import_button.click()
    assert "Choose a CSV file first." in shown(cards.status)
    cards.upload.value = upload("bad.csv", b"session,category,text\n1,need,ok\n9,need,no such session\n")
    cards.import_button.click()
    assert "row 3" in shown(cards.status) and "Nothing was imported" in shown(cards.status)
    assert len(services.list_notes(demo_store)) == before + 1
    cards.upload.value = upload("cards.csv", data_path("demo", "paper-cards.csv").read_bytes())
    cards.import_button.click()
    imported = len(services.list_notes(demo_store)) - before - 1
    assert imported > 0 and f"Imported {imported} cards from cards.csv." in shown(cards.status)
    assert cards.upload.value == ()


def test_bundles_are_written_imported_and_cloned(disk: Workspace, tmp_path: Path) -> None:
    panel = BundlePanel(disk, "demo", disk.home / "exports")
    assert panel.out.value.startswith(str(disk.home / "exports" / "demo-"))
    panel.out.value = str(tmp_path / "demo.zip")
    panel.export.click()
    assert "keep it safe" in shown(panel.status) and (tmp_path / "demo.zip").exists()
    panel.scope.value, panel.out.value = "public", str(tmp_path / "public.zip")
    panel.export.click()
    assert "at level public" in shown(panel.status) and (tmp_path / "public.zip").exists()
    panel.bundle.value = str(tmp_path / "demo.zip")
    panel.import_button.click()
    assert "already exists" in shown(panel.status) and panel.bundle.value  # what was typed stays
    panel.import_as.value = "demo-copy"
    panel.import_button.click()
    assert "Imported convening 'demo-copy'" in shown(panel.status) and disk.exists("demo-copy")
    panel.new_slug.value, panel.new_title.value = "next-year", "Next year"
    panel.clone.click()
    assert "Created convening 'next-year'" in shown(panel.status)
    assert services.list_participants(disk.store("next-year")) == []
    panel.bundle.value = str(tmp_path / "missing.zip")
    panel.import_button.click()
    assert "Nothing was imported." in shown(panel.status)


class OnePagePrinter:
    def __init__(self, executable: str | None = None) -> None:
        pass

    def pdf_bytes(self, html: str, paper: str = "A4") -> bytes:
        return b"%PDF-1.4 /Type /Page"

    def close(self) -> None:
        pass


def test_the_brief_button_prints_one_module_or_the_whole_toolkit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.export import brief

    monkeypatch.setattr(brief, "PdfPrinter", OnePagePrinter)
    library = MemoryWorkspace().library()
    import_library_json(library, data_path("demo", "library.json"))
    panel = BriefPanel(library, tmp_path / "briefs", module="demo-kitchen-forum")
    assert panel.module.value == "demo-kitchen-forum"
    panel.one.click()
    assert (tmp_path / "briefs" / "demo-kitchen-forum.pdf").exists() and "Printed 1 brief" in shown(panel.status)
    panel.all.click()
    assert panel.progress.value == panel.progress.max == 7 and "Printed 7 briefs" in shown(panel.status)
    assert len(list((tmp_path / "briefs" / "toolkit").glob("*.pdf"))) == 7
    empty = BriefPanel(MemoryWorkspace().library(), tmp_path / "none")
    assert "library is empty" in shown(empty.status)
    empty.one.click()
    assert "Nothing printed." in shown(empty.status)
    assert json.dumps(panel.paper.options)  # A4 and Letter


def test_every_ui_name_is_the_function_not_a_module_of_the_same_name() -> None:
    """A panel module named like its function (ui/paper_cards.py defining paper_cards) shadows the function once
    imported: the workbook then calls a module."""
    import importlib
    import inspect

    import lessonkit.ui as ui

    for module in set(ui._EXPORTS.values()):
        importlib.import_module(module)
    assert [name for name in ui.__all__ if inspect.ismodule(getattr(ui, name))] == []
