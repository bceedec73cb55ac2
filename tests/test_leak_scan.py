"""The leak scan of issue 10, in process and without a browser: a convening seeded with names (inflected),
organisations, phones in several national formats, e-mails and join codes; none of them may reach a public report
(HTML and Markdown), the CSV and JSON exports, a clone or a bundle made for another convening. The same seed, with
PDFs and through the command line, is ``tests/benchmarks/leak_scan.py`` (it measures any checkout)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from benchmarks.leak_scan import NOTES, PEOPLE, SECRETS, SESSION_PROMPT, SESSION_TITLE, found, over_redacted

from lessonkit import services
from lessonkit.export.bundle_clone import clone_convening
from lessonkit.export.bundle_share import share_bundle
from lessonkit.export.data_export import export_data, to_csv, to_json
from lessonkit.export.report_listening import listening_report
from lessonkit.export.report_summary import summary_report
from lessonkit.services.convenings import set_countries
from lessonkit.services.export_log import list_exports
from lessonkit.store import Workspace

SLUG = "leak"


def seed(ws: Workspace) -> list[str]:
    services.create_convening(ws, SLUG, "Leak scan", languages="en")
    store = ws.store(SLUG)
    codes = []
    for name, org, attribution, share in PEOPLE:
        consent = {"attribution": attribution, "share_up_to": share}
        codes.append(services.add_participant(store, name, org, consent).join_code)
    services.add_session(store, SESSION_TITLE, [SESSION_PROMPT], allow_anonymous=True)
    for category, level, who, text in NOTES:
        services.submit_note(store, 1, category, text.format(code0=codes[0]), sensitivity=level, join_code=codes[who])
    return codes


def report_texts(store: object) -> dict[str, str]:
    texts = {}
    for name, report in (("listening", listening_report(store=store)), ("summary", summary_report(store=store))):
        parts = [getattr(report, field) for field in vars(report)]
        texts[f"{name}.html"] = "\n".join(p.html() for p in parts if hasattr(p, "html"))
        texts[f"{name}.md"] = "\n".join(p.markdown() for p in parts if hasattr(p, "markdown"))
    return texts


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())


def test_no_personal_string_reaches_a_public_output(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    codes = seed(ws)
    store = ws.store(SLUG)
    set_countries(store, "PL,KE,UA,BR")
    texts = report_texts(store)
    notes = export_data("notes", store=store, level="public")
    texts["notes.csv"], texts["notes.json"] = to_csv(notes), to_json(notes)
    clone_convening(ws, SLUG, "leak-next")
    with ws.store("leak-next").read() as tx:
        copied = {t: tx.all(t) for t in ("convening", "sessions", "mou_versions")}
    texts["clone"] = json.dumps(copied, ensure_ascii=False)
    path, _scope = share_bundle(ws, SLUG, tmp_path / "shared.zip", "public")
    texts["shared bundle"] = zip_text(path)
    leaks = {
        label: [name for name, text in texts.items() if found(text, needle, how, codes)]
        for label, needle, how in SECRETS
    }
    assert {label: where for label, where in leaks.items() if where} == {}
    assert over_redacted(texts) == []
    assert len(notes.rows) == len(NOTES)  # every note went out, redacted: nothing was simply dropped
    assert "[name]" in texts["notes.csv"] and "[phone]" in texts["notes.csv"] and "[organisation]" in texts["notes.csv"]
    zofia = services.list_participants(store)[0]
    assert zofia.pseudonym in texts["notes.csv"]  # the default byline is the pseudonym
    made = [(r.what, r.level.value) for r in list_exports(store)]
    assert ("clone", "network") in made and ("bundle", "public") in made


def test_the_redaction_preview_shows_each_match_and_what_to_check(tmp_path: Path) -> None:
    from lessonkit.export.report_preview import redaction_preview

    ws = Workspace(tmp_path / "ws")
    seed(ws)
    rows = redaction_preview(ws.store(SLUG), "public").rows
    kinds = {kind.value for kind, _found, _n in rows}
    assert {"name", "organisation", "phone", "e-mail", "join code", "possible name"} <= kinds
    assert ("possible name", "Hope") in {(k.value, f) for k, f, _n in rows}
