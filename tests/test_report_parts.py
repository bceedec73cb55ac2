"""The report builders on both stores: what each level lets out, the cover's counts, escaping, the data exports."""

from __future__ import annotations

import json

import pytest
import report_seed

from lessonkit import services
from lessonkit.export.data_export import COLUMNS, dataframe, export_data, to_csv, to_json
from lessonkit.export.report_data import COVER_MIME
from lessonkit.export.report_listening import listening_report
from lessonkit.export.report_mou import mou_report
from lessonkit.export.report_summary import summary_report
from lessonkit.export.report_transfer import transfer_report
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store.workspace import BaseWorkspace


@pytest.fixture
def seeded(workspace: BaseWorkspace) -> BaseWorkspace:
    report_seed.seed(workspace)
    return workspace


def text_of(report: object) -> str:
    parts = [getattr(report, name) for name in vars(report)]
    return "\n".join(p._repr_mimebundle_()["text/html"] for p in parts if hasattr(p, "html"))


def test_listening_at_public_lets_out_only_public_consented_redacted_words(seeded: BaseWorkspace) -> None:
    report = listening_report(store=seeded.store("demo"))
    html = text_of(report)
    for secret in report_seed.SECRETS:
        assert secret not in html
    assert report_seed.RESTRICTED_NOTE not in html and report_seed.NETWORK_NOTE not in html
    assert "[e-mail]" in html and "[phone]" in html and "[join code]" in html and "[redacted]" in html
    assert "Kiri Moana" not in html and "Bright Otter" in html  # named, public: the name stays inside, the pseudonym
    cover = report.cover._repr_mimebundle_()[COVER_MIME]
    assert cover["level"] == "public" and cover["withheld"] == 7 and cover["redacted"] == 1
    assert cover["convening"] == "[redacted] Exchange (demo)"


def test_restricted_level_shows_restricted_notes_credited_as_consent_says(seeded: BaseWorkspace) -> None:
    report = listening_report(store=seeded.store("demo"), level="restricted", session=1)
    html = text_of(report)
    assert report_seed.RESTRICTED_NOTE in html and report_seed.NETWORK_NOTE in html
    assert "Falcon" not in html and "a participant" in html  # Falcon's consent: anonymous
    assert report.cover.cover.withheld == 0 and report.cover.cover.session.startswith("Listening:")


def test_participant_text_is_data_never_markup(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    services.submit_note(
        store, 1, "question", "<script>alert(1)</script> & <b>bold</b>", ["<i>x</i>"], "public", "DEMO-BBBB"
    )
    html = text_of(listening_report(store=store))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "<i>x</i>" not in html


def test_mou_reasons_wait_for_convening_level_and_consent(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    public = text_of(mou_report(store=store))
    assert "shared travel fund" not in public and "reason withheld" in public and "Falcon" not in public
    convening = text_of(mou_report(store=store, level="convening"))
    assert "cannot pay their own travel" in convening  # Green Valley's block: its only member consents
    assert "Photos should never be taken" not in convening  # Falcon's concern: Falcon shares up to restricted
    assert "Photos should never be taken" in text_of(mou_report(store=store, level="restricted"))


def test_transfer_brief_counts_only_consenting_assessors(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    public = transfer_report(store=store, library=seeded.library())
    assert "Assessors counted" in text_of(public) and public.cover.cover.withheld == 2
    restricted = transfer_report(store=store, library=seeded.library(), level="restricted", round=1)
    assert restricted.cover.cover.withheld == 0 and "Gaps, cautions and adaptation" in text_of(restricted)
    assert restricted.chart._repr_mimebundle_()["image/png"]


def test_summary_and_empty_convenings(seeded: BaseWorkspace) -> None:
    summary = text_of(summary_report(store=seeded.store("demo")))
    assert "Lakeview" not in summary and "Place" not in summary  # the place only from 'convening' level
    services.create_convening(seeded, "empty", "Empty")
    store = seeded.store("empty")
    assert "no memorandum" in text_of(mou_report(store=store))
    assert "no scoring round" in text_of(transfer_report(store=store))
    assert "No notes may be shown" in text_of(listening_report(store=store))


def test_data_exports_obey_the_same_rules(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    notes = export_data("notes", store=store)
    assert notes.columns == list(COLUMNS["notes"]) and [r["id"] for r in notes.rows] == [2, 7]
    assert all(s not in to_csv(notes) for s in report_seed.SECRETS)
    data = json.loads(to_json(export_data("positions", store=store)))
    assert data["level"] == "public" and data["withheld"] == 2 and data["columns"] == COLUMNS["positions"]
    assert [r["reason_withheld"] for r in data["rows"]] == [False, False, True, True]
    scores = export_data("scores", store=store, level="restricted")
    assert {r["assessors"] for r in scores.rows} == {3} and scores.rows[0]["criterion_id"]
    frame = dataframe("notes", store=store, level="restricted")
    assert list(frame.columns) == list(COLUMNS["notes"]) and frame.attrs["withheld"] == 0


def test_a_withdrawn_participants_words_appear_in_no_report_or_export(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    withdraw_participant(store, "DEMO-BBBB")
    everything = "\n".join(
        [
            text_of(listening_report(store=store, level="restricted")),
            text_of(mou_report(store=store, level="restricted")),
        ]
        + [to_json(export_data(w, store=store, level="restricted")) for w in ("notes", "positions", "scores")]
    )
    for words in ("Door-to-door surveys", "Write to", "cannot pay their own travel", "Kiri Moana"):
        assert words not in everything


def test_the_export_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support import run_cli

    from lessonkit.store import Workspace

    home = tmp_path / "ws"
    report_seed.seed(Workspace(home))
    services.submit_note(
        Workspace(home).store("demo"), 1, "need", "Überall: São Paulo, Kraków", [], "public", "DEMO-BBBB"
    )
    out = tmp_path / "notes.csv"
    done = run_cli("export", "demo", "--what", "notes", "--format", "csv", "--out", str(out), home=home)
    assert done.returncode == 0 and "Level public: records withheld: 7; redacted: 1." in done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS["notes"]) and "Überall: São Paulo, Kraków" in text
    printed = run_cli("export", "demo", "--what", "scores", "--format", "json", "--level", "restricted", home=home)
    assert json.loads(printed.stdout)["rows"][0]["assessors"] == 3
    columns = run_cli("export", "demo", "--what", "positions", "--columns", home=home)
    assert columns.stdout.startswith("id: ") and "reason_withheld:" in columns.stdout
