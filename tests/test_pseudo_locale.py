"""Every participant form and every `--help` in a pseudo-locale: English that did not pass through `_()` fails.

The pseudo-locale is built at test time from a fresh extraction: each message becomes ⟦message⟧ under the tag
"ar" (so the run also exercises right-to-left direction and Arabic's six plural forms). Data typed by people is
seeded in Greek, so any Latin word left outside ⟦…⟧ is an interface string that skipped the catalogue.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from i18n_support import build_catalogue, leaks, pseudo_letters, untranslated

from lessonkit import services
from lessonkit.domain.rubric import Rubric
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.i18n import ENV_LOCALE_PATH
from lessonkit.services.mou import create_in, load_template
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import ROUNDS
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.ui.mou_amend import AmendmentForm
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.reflect import ReflectionForm
from lessonkit.ui.scoring import ScoringForm
from lessonkit.ui.vote import VoteForm

PSEUDO = "ar"


@pytest.fixture(scope="module")
def pseudo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo-locale")
    build_catalogue(folder, PSEUDO)
    return folder


@pytest.fixture
def pseudo(pseudo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_LOCALE_PATH, str(pseudo_dir))
    return pseudo_dir


@pytest.fixture
def greek() -> Store:
    """A convening whose every piece of data is Greek: any Latin word on a form is the interface's."""
    ws = MemoryWorkspace()
    services.create_convening(ws, "demo", "Συνάντηση", languages="en,ar")
    store = ws.store("demo")
    services.add_session(store, "Ακρόαση", ["Τι χρειάζεστε;"], allow_anonymous=True)
    services.add_participant(store, "Ελένη")
    services.add_participant(store, "Νίκος", consent={"record": False})
    return store


def code_of(store: Store, name: str) -> str:
    return next(p.join_code for p in services.list_participants(store) if p.name == name)


def assert_no_leaks(form: object, step: str) -> None:
    found = leaks(form)
    assert not found, f"after {step}: English outside the catalogue:\n" + "\n".join(found)


def test_listening_form_speaks_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    form = ListeningForm(greek, title="Συνάντηση", languages=["en", "ar"], language=PSEUDO)
    assert "lk-dir-rtl" in form._dom_classes and "lk-lang-ar" in form._dom_classes
    assert_no_leaks(form, "opening")
    form.submit.click()
    assert_no_leaks(form, "submitting without a join code")
    form.code.value = "ZZZZ-ZZZZ"
    assert_no_leaks(form, "an unknown join code")
    form.code.value = code_of(greek, "Νίκος")
    assert_no_leaks(form, "a join code whose consent says not to record")
    form.code.value = code_of(greek, "Ελένη")
    form.submit.click()
    assert_no_leaks(form, "submitting an empty note")
    form.text.value = "Ψωμί και τριαντάφυλλα"
    form.submit.click()
    assert "Ψωμί" in form.status.value
    assert_no_leaks(form, "saving a note")
    form.anonymous.value = True
    form.code.value = ""
    form.text.value = "Ανώνυμο"
    form.submit.click()
    assert_no_leaks(form, "an anonymous note")
    form.set_language("en")
    form.set_language(PSEUDO)
    assert_no_leaks(form, "switching languages back and forth")


def test_listening_form_notices_speak_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    assert_no_leaks(ListeningForm(greek, session_id="99", language=PSEUDO), "a link to a closed session")
    sid = services.list_sessions(greek)[0].id
    services.set_session_open(greek, sid, False)  # type: ignore[arg-type]
    assert_no_leaks(ListeningForm(greek, language=PSEUDO), "no session open")


def greek_library() -> Store:
    from lessonkit.services.library import add_module

    library = MemoryWorkspace().library()
    add_module(library, {"slug": "trapezi", "title": "Τραπέζι γειτονιάς", "type": "tactic"})
    return library


def test_reflection_form_speaks_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    form = ReflectionForm(greek, greek_library(), title="Συνάντηση", languages=["en", "ar"], language=PSEUDO)
    assert "lk-dir-rtl" in form._dom_classes and "lk-lang-ar" in form._dom_classes
    assert_no_leaks(form, "opening")
    form.submit.click()
    assert_no_leaks(form, "submitting without a join code")
    form.code.value = code_of(greek, "Νίκος")
    form.changed.value = "Τίποτα"
    form.submit.click()
    assert_no_leaks(form, "a join code whose consent says not to record")
    form.code.value = code_of(greek, "Ελένη")
    form.changed.value = ""
    form.submit.click()
    assert_no_leaks(form, "submitting nothing")
    form.rows[0].how.value = "Καλά"
    form.submit.click()
    assert_no_leaks(form, "a tactic without its name")
    form.rows[0].module.value = "trapezi"
    form.rows[0].went.value = "mixed"
    form.rows[0].outcome.value = "policy-win"
    form.rows[0].value.value = "πολλά"
    form.submit.click()
    assert_no_leaks(form, "a measured value that is not a number")
    form.rows[0].value.value = "3"
    form.add_tactic.click()
    form.questions.value = "Γιατί;"
    form.submit.click()
    assert "lk-ok" in form.status.value
    assert_no_leaks(form, "saving a reflection")
    form.set_language("en")
    form.set_language(PSEUDO)
    assert_no_leaks(form, "switching languages back and forth")

def test_following_the_room_speaks_only_the_catalogue(
    pseudo: Path, greek: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = ListeningForm(greek, language=PSEUDO)
    follower = form.following()
    form.text.value = "Μισή σκέψη"
    sid = services.list_sessions(greek)[0].id
    services.set_session_open(greek, sid, False)  # type: ignore[arg-type]
    follower.check()
    assert_no_leaks(form, "the session closes while a note is being written")
    services.set_session_open(greek, sid, True)  # type: ignore[arg-type]
    follower.check()
    assert_no_leaks(form, "a session opens")
    scoring = ScoringForm(greek, None, None, languages=["en", "ar"], language=PSEUDO)
    assert_no_leaks(scoring, "waiting for a scoring round")
    rubric = greek_rubric()
    stored = ScoringRound(module_slug="x", module_title="Τακτική", target_name="Πόλη", source={}, rubric=rubric.id)
    greek.insert(ROUNDS, stored.to_dict())
    monkeypatch.setattr("lessonkit.ui.scoring.load_rubric", lambda name: rubric)  # Greek: only the interface speaks
    scoring.show_followed(scoring.followed())
    assert scoring.ratings
    assert_no_leaks(scoring, "a round opens")


def greek_rubric() -> Rubric:
    base = load_rubric()
    criteria = tuple(
        dataclasses.replace(
            c,
            name=f"Κριτήριο {i}",
            description="Περιγραφή",
            question="Ερώτηση;",
            levels=tuple(f"Επίπεδο {n}" for n in range(len(c.levels))),
            translations={},  # the Greek words in every language: only the interface's are under test
        )
        for i, c in enumerate(base.criteria)
    )
    return dataclasses.replace(base, title="Ρουμπρίκα", criteria=criteria, translations={})


def test_scoring_form_speaks_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    rubric = greek_rubric()
    stored = ScoringRound(module_slug="x", module_title="Τακτική", target_name="Πόλη", source={}, rubric=rubric.id)
    round_id = greek.insert(ROUNDS, stored.to_dict())
    scoring_round = ScoringRound.from_dict({**stored.to_dict(), "id": round_id})
    form = ScoringForm(greek, rubric, scoring_round, languages=["en", "ar"], language=PSEUDO)
    assert_no_leaks(form, "opening")
    form.submit.click()
    assert_no_leaks(form, "submitting without a join code")
    form.code.value = code_of(greek, "Ελένη")
    form.submit.click()
    assert_no_leaks(form, "submitting with ratings missing")
    for radio in form.ratings.values():
        radio.value = 2
    form.submit.click()
    assert_no_leaks(form, "saving ratings")
    form.code.value = code_of(greek, "Νίκος")
    form.submit.click()
    assert_no_leaks(form, "a consent that says not to record")


def test_amendment_form_speaks_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    assert_no_leaks(AmendmentForm(greek, language=PSEUDO), "no memorandum yet")
    template = load_template()
    clauses = tuple(
        dataclasses.replace(c, title=f"Άρθρο {i}", text="Κείμενο", guidance="")
        for i, c in enumerate(template.clauses)
    )
    with greek.transaction() as tx:
        create_in(tx, "Ελένη", "Μνημόνιο", (), dataclasses.replace(template, clauses=clauses))
    form = AmendmentForm(greek, languages=["en", "ar"], language=PSEUDO)
    assert_no_leaks(form, "opening")
    form.code.value = "ZZZZ-ZZZZ"
    form.go.click()
    assert_no_leaks(form, "an unknown join code")
    form.code.value = code_of(greek, "Ελένη")
    form.go.click()
    form.reason.value = ""
    form.text.value = ""
    form.submit.click()
    assert_no_leaks(form, "proposing an empty text")
    form.text.value = "Νέο κείμενο"
    form.reason.value = "Γιατί"
    form.submit.click()
    assert_no_leaks(form, "proposing an amendment")
    other = AmendmentForm(greek, code=code_of(greek, "Νίκος"), language=PSEUDO)
    assert_no_leaks(other, "a consent that says not to record")


def test_vote_form_speaks_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    from lessonkit.services.votes import close_vote, open_vote

    for text in ("Ψωμί", "Νερό"):
        services.submit_note(greek, 1, "need", text, sensitivity="convening")
    vote = open_vote(greek, 1, 2, "notes", anonymous=True)
    form = VoteForm(greek, vote, languages=["en", "ar"], language=PSEUDO)
    assert "lk-dir-rtl" in form._dom_classes
    assert_no_leaks(form, "opening")
    form.submit.click()
    assert_no_leaks(form, "casting without a join code")
    form.code.value = "ZZZZ-ZZZZ"
    assert_no_leaks(form, "an unknown join code")
    form.code.value = code_of(greek, "Ελένη")
    form.submit.click()
    assert_no_leaks(form, "casting no dot")
    for box in form.dots.values():
        box.value = 2
    assert_no_leaks(form, "too many dots")
    form.submit.click()
    assert_no_leaks(form, "casting too many dots")
    next(iter(form.dots.values())).value = 0
    form.submit.click()
    assert "⟦" in form.status.value
    assert_no_leaks(form, "casting")
    form.code.value = code_of(greek, "Νίκος")
    form.submit.click()
    assert_no_leaks(form, "a consent that says not to record")
    close_vote(greek, vote.id)  # type: ignore[arg-type]
    form.submit.click()
    assert_no_leaks(form, "a closed vote")


def test_agree_form_speaks_only_the_catalogue(pseudo: Path, greek: Store) -> None:
    from lessonkit.domain.opinions import Answer
    from lessonkit.services.opinions import add_statement
    from lessonkit.ui.agree import AgreeForm

    assert_no_leaks(AgreeForm(greek, 1, language=PSEUDO), "no statements yet")
    for text in ("Συμφωνούμε", "Διαφωνούμε"):
        add_statement(greek, 1, text, "el")
    form = AgreeForm(greek, 1, languages=["en", "ar"], language=PSEUDO)
    assert_no_leaks(form, "opening")
    form.buttons[Answer.AGREE].click()
    assert_no_leaks(form, "answering without a join code")
    form.code.value = "ZZZZ-ZZZZ"
    assert_no_leaks(form, "an unknown join code")
    form.code.value = code_of(greek, "Ελένη")
    form.buttons[Answer.AGREE].click()
    assert_no_leaks(form, "answering")
    form.previous.click()
    assert_no_leaks(form, "going back")
    form.buttons[Answer.PASS].click()
    form.buttons[Answer.DISAGREE].click()
    assert_no_leaks(form, "answering everything")
    form.code.value = code_of(greek, "Νίκος")
    form.buttons[Answer.AGREE].click()
    assert_no_leaks(form, "a consent that says not to record")


def test_the_forms_of_an_encrypted_convening_speak_only_the_catalogue(
    pseudo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The participant server of an encrypted convening: the consent box's note and the forms it cannot offer."""
    from crypto_support import encrypted_convening

    from lessonkit.store import Workspace, keyring
    from lessonkit.ui.sealed import not_on_sealed

    ws = Workspace(tmp_path / "ws")
    encrypted_convening(ws, "safe", "Συνάντηση")
    store = ws.store("safe")
    services.set_languages(store, "en,ar")
    services.add_session(store, "Ακρόαση", ["Τι χρειάζεστε;"])
    code = services.add_participant(store, "Ελένη").join_code
    monkeypatch.setenv("LESSONKIT_ROLE", "participant")
    keyring.forget_all()
    sealed = ws.store("safe")
    form = ListeningForm(sealed, languages=["en", "ar"], language=PSEUDO)
    form.code.value = code
    assert_no_leaks(form, "a join code recognised from its sealed entry")
    form.text.value = "Ψωμί"
    form.submit.click()
    assert "Ψωμί" in form.status.value
    assert_no_leaks(form, "a note appended, encrypted")
    notice = not_on_sealed(sealed, {"lang": PSEUDO})
    assert notice is not None
    assert_no_leaks(notice, "a form the participant server cannot offer")


def test_untranslated_finds_english_outside_the_brackets() -> None:
    assert untranslated("⟦Join code⟧") == []
    assert untranslated("⟦Not saved. ⟦Join code⟧: ⟦must not be empty⟧⟧") == []
    assert untranslated("⟦Language⟧ Submit") == ["Submit"]
    assert untranslated("Ψωμί, lessonkit, English") == []


# --- the command line ---------------------------------------------------------------------------------------

WALK = r"""
import json, sys
import click
from lessonkit.cli import main

out = []
def walk(cmd, ctx):
    out.append({"path": ctx.command_path, "help": cmd.get_help(ctx), "words": sorted(words(cmd))})
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        walk(sub, click.Context(sub, info_name=name, parent=ctx))

def words(cmd):
    found = set()
    for p in cmd.get_params(click.Context(cmd)):
        found.update(p.opts + p.secondary_opts)
        if p.metavar:
            found.add(p.metavar)
        if isinstance(p.type, click.Choice):
            found.update(str(c) for c in p.type.choices)
        if p.default not in (None, False, True) and not callable(p.default):
            found.add(str(p.default))
    found.update(getattr(cmd, "commands", {}))
    return found

walk(main, click.Context(main, info_name="lessonkit"))
json.dump(out, sys.stdout)
"""

# Words of a help screen that are syntax, not sentences: usage metavariables and type names click prints.
USAGE_SYNTAX = {"OPTIONS", "COMMAND", "ARGS", "TEXT", "INTEGER", "FLOAT", "DIRECTORY", "FILE", "PATH", "FILENAME",
                "BOOLEAN", "LANG", "SLUG", "RANGE"}


def cli_env(pseudo_dir: Path, **extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "LESSONKIT_LANG"}
    return {**env, ENV_LOCALE_PATH: str(pseudo_dir), **extra}


def test_every_help_screen_speaks_only_the_catalogue(pseudo_dir: Path) -> None:
    env = cli_env(pseudo_dir, LESSONKIT_LANG=PSEUDO)
    run = subprocess.run([sys.executable, "-c", WALK], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    screens = json.loads(run.stdout)
    assert len(screens) > 40
    problems = []
    for screen in screens:
        allowed = {*screen["words"], *screen["path"].split(), *USAGE_SYNTAX}
        text = _without_command_list(screen["help"])
        words = {w for w in untranslated(text, allowed) if not w.isupper()}
        words -= {w for a in allowed for w in a.replace("-", " ").replace("_", " ").split()}
        if words:
            problems.append(f"{screen['path']}: {sorted(words)}")
    assert not problems, "English outside the catalogue in --help:\n" + "\n".join(problems)


def _without_command_list(text: str) -> str:
    """The list of subcommands shows each one's help shortened (cut at a sentence or with '...', losing the closing
    bracket); every subcommand's own screen is checked in full, so the list is left out here."""
    head, sep, rest = text.partition("⟦Commands⟧:\n")
    return head + rest.partition("\n\n")[2] if sep else text


@pytest.mark.parametrize(
    ("args", "env_lang"),
    [(["--help"], PSEUDO), (["--lang", PSEUDO, "--help"], None), ([f"--lang={PSEUDO}", "session", "--help"], "en")],
)
def test_help_follows_lang_option_and_environment(pseudo_dir: Path, args: list[str], env_lang: str | None) -> None:
    env = cli_env(pseudo_dir, **({"LESSONKIT_LANG": env_lang} if env_lang else {}))
    run = subprocess.run(["lessonkit", *args], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "⟦Usage:⟧" in run.stdout and "⟦Show this message and exit.⟧" in run.stdout


def test_system_locale_is_the_last_resort(pseudo_dir: Path) -> None:
    env = cli_env(pseudo_dir, LC_ALL="", LC_MESSAGES="", LANG="ar_EG.UTF-8")
    run = subprocess.run(["lessonkit", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert "⟦Usage:⟧" in run.stdout
    env["LESSONKIT_LANG"] = "en"
    run = subprocess.run(["lessonkit", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert "Usage:" in run.stdout and "⟦" not in run.stdout


def test_usage_errors_speak_the_catalogue(pseudo_dir: Path) -> None:
    env = cli_env(pseudo_dir, LESSONKIT_LANG=PSEUDO)
    run = subprocess.run(["lessonkit", "session", "add"], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 2
    assert not untranslated(run.stderr, {"lessonkit", "session", "add", "SLUG", "--help"}), run.stderr
    run = subprocess.run(["lessonkit", "--lang", "xx", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 2 and "xx" in run.stderr


def test_spanish_help_is_the_spanish_catalogues() -> None:
    """`LESSONKIT_LANG=es lessonkit --help` speaks the shipped Spanish catalogue (its words, whatever they are)."""
    import os

    from lessonkit.i18n import translations

    es = translations("es")
    env = {**os.environ, "LESSONKIT_LANG": "es"}
    env.pop(ENV_LOCALE_PATH, None)
    run = subprocess.run(["lessonkit", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(es.gettext("Usage:") + " lessonkit")
    assert es.gettext("Show this message and exit.") in " ".join(run.stdout.split())
    assert es.gettext("lessonkit: listen, agree, adapt and carry on across convenings.") in " ".join(run.stdout.split())


# --- reports: headings, tables, covers and chart labels ------------------------------------------------------


def report_texts(report: object) -> list[tuple[str, str]]:
    """(part, text) of every text node of every part of a report, and of its cover's rows."""
    from i18n_support import html_texts

    from lessonkit.export.report_blocks import Chart, CoverPart, Part

    found: list[tuple[str, str]] = []
    for name, part in vars(report).items():
        if isinstance(part, CoverPart):
            found += [(f"{name}.title", part.cover.title)]
            found += [(f"{name}.row", text) for row in part.cover.rows() for text in row]
            found += [(f"{name}.note", n) for n in part.cover.notes]
        if isinstance(part, Part):
            found += [(name, t) for t in html_texts(part.html())]
        if isinstance(part, Chart):
            found.append((f"{name}.alt", part.alt))
    return found


@pytest.fixture
def chart_words(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text drawn on a chart (labels, titles, axis names), seen where charts shape their text."""
    from lessonkit.export import plots, report_charts

    drawn: list[str] = []
    real = report_charts.shaped

    def recording(text: str) -> str:
        drawn.append(text)
        return real(text)

    monkeypatch.setattr(report_charts, "shaped", recording)
    monkeypatch.setattr(plots, "shaped", recording)
    return drawn


def greek_reports_store() -> Store:
    from lessonkit.services.mou import create_in

    ws = MemoryWorkspace()
    services.create_convening(ws, "demo", "Συνάντηση", languages="el", start="2026-03-10", end="2026-03-12")
    store = ws.store("demo")
    services.add_session(store, "Ακρόαση", ["Τι χρειάζεστε;"])
    services.add_participant(
        store, "Ελένη", consent={"share_up_to": "public", "attribution": "named"}, pseudonym="Χρυσός Λαγός"
    )
    code = code_of(store, "Ελένη")
    services.submit_note(store, 1, "need", "Ψωμί", ["σπίτι"], "public", code)
    services.submit_note(store, 1, "risk", "Κίνδυνος", [], "public", code)
    template = load_template()
    clauses = tuple(
        dataclasses.replace(c, title=f"Άρθρο {i}", text="Κείμενο", guidance="") for i, c in enumerate(template.clauses)
    )
    from lessonkit.i18n import using_language

    with using_language(PSEUDO), store.transaction() as tx:  # what is stored is written in the creator's language
        create_in(tx, "Ελένη", "Μνημόνιο", (), dataclasses.replace(template, clauses=clauses))
    rubric = greek_rubric()
    source = {c.id: 3.0 for c in rubric.criteria}
    stored = ScoringRound(
        module_slug="x", module_title="Τακτική", target_name="Πόλη", source=source, rubric=rubric.id
    )
    round_id = store.insert(ROUNDS, stored.to_dict())
    from lessonkit.services.scoring_rounds import submit_ratings

    submit_ratings(store, round_id, code, {c.id: 1 for c in rubric.criteria}, rubric)
    seed_the_room(store, code)
    return store


def seed_the_room(store: Store, code: str) -> None:
    """A theme, a dot vote and opinion groups, in Greek, so the report's parts for them are drawn."""
    from lessonkit.services.opinions import add_statement, answer_statement
    from lessonkit.services.themes import accept_theme
    from lessonkit.services.votes import cast_ballot, open_vote

    accept_theme(store, 1, [1, 2])
    vote = open_vote(store, 1, 2, "themes")
    cast_ballot(store, vote.id, code, [vote.items[0]])  # type: ignore[arg-type]
    other = services.add_participant(store, "Άννα", consent={"share_up_to": "public"}).join_code
    for i in range(8):
        statement = add_statement(store, 1, f"Δήλωση {i}", "el")
        for who, answer in ((code, "agree"), (other, "agree" if i < 4 else "disagree")):
            answer_statement(store, statement.id, who, answer)  # type: ignore[arg-type]


def test_reports_speak_only_the_catalogue(
    pseudo: Path, chart_words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.export import report_transfer
    from lessonkit.export.report_listening import listening_report
    from lessonkit.export.report_mou import mou_report
    from lessonkit.export.report_summary import summary_report

    monkeypatch.setattr(report_transfer, "load_rubric", lambda _name: greek_rubric())
    store = greek_reports_store()
    from lessonkit.export.report_reflections import reflections_report
    from lessonkit.services.reflections import submit_reflection

    submit_reflection(store, "Άλλαξε", "Έμεινε", "Γιατί;", [{"module": "trapezi", "went": "success", "how": "Καλά",
                                                           "outcome": "policy-win", "value": 3}],
                      "public", code_of(store, "Ελένη"), language="el")
    reports = {
        "reflections": reflections_report(store=store, language=PSEUDO, library=greek_library()),
        "listening": listening_report(store=store, language=PSEUDO),
        "summary": summary_report(store=store, language=PSEUDO),
        "mou": mou_report(store=store, language=PSEUDO),
        "transfer": report_transfer.transfer_report(store=store, language=PSEUDO),
    }
    problems = [
        f"{kind}/{where}: {text!r}"
        for kind, report in reports.items()
        for where, text in report_texts(report)
        if untranslated(text)
    ]
    problems += [f"chart: {text!r}" for text in chart_words if untranslated(text)]
    assert chart_words, "no chart was drawn"
    assert not problems, "English outside the catalogue in reports:\n" + "\n".join(problems)


def test_a_tactic_brief_speaks_only_the_catalogue(pseudo: Path) -> None:
    """Headings, labels and notes in the brief's language; the module's own (Greek) text as it is."""
    from i18n_support import html_texts

    from lessonkit.domain.brief import LineageStep, make_brief
    from lessonkit.domain.library import Module
    from lessonkit.export.brief_html import brief_html
    from lessonkit.i18n import using_language

    module = Module.from_dict(
        {
            "slug": "greek-tactic",
            "title": "Τακτική",
            "type": "tactic",
            "summary": "Περίληψη.",
            "sections": {
                "how_to_use": "Οδηγίες. " * 900,
                "why_it_worked": "Επιτυχία.",
                "why_it_failed": "Αποτυχία.",
                "risks": "Κίνδυνοι.",
            },
            "context": {"legal": "Νόμος.", "media": "Μέσα."},
            "signals": [{"what": "Συμμετοχή", "value": 30, "unit": "άτομα"}],
            "authors": [{"name": "Ελένη", "organisation": "Ομάδα"}],
            "attribution": "Ομάδα: Ελένη",
            "licence": "Άδεια",
            "funding": "Κανένα",
        }
    )
    steps = (LineageStep("up", "Γονέας", "emulation"), LineageStep("down", "Παιδί", "inspiration"))
    bare = Module.from_dict({"slug": "x", "title": "Χ", "type": "story"})
    for brief in (make_brief(module, steps), make_brief(bare)):
        with using_language(PSEUDO):
            page = brief_html(brief)
        assert '<html lang="ar" dir="rtl">' in page
        problems = [text for text in html_texts(page) if untranslated(text)]
        assert not problems, "English outside the catalogue in a brief:\n" + "\n".join(problems)


# --- the facilitator's screens (built without a server) -------------------------------------------------------


@pytest.fixture
def greek_workshop() -> tuple[MemoryWorkspace, Store]:
    """A convening in full swing, every piece of data Greek: people with pseudonyms, notes in two sessions, a
    consent changed, a redaction term, and a library of two modules (one derived from the other, reviewed)."""
    ws = MemoryWorkspace()
    services.create_convening(ws, "demo", "Συνάντηση", languages="en,ar", start="2026-03-10", place="Γιάννενα")
    store = ws.store("demo")
    services.add_session(store, "Ακρόαση", ["Τι χρειάζεστε;"], allow_anonymous=True)
    services.add_session(store, "Δεύτερη", ["Τι λείπει;"])
    services.set_session_open(store, 1, True)
    services.add_participant(store, "Ελένη", "Ομάδα", {"share_up_to": "public"}, pseudonym="Χρυσός Λαγός")
    services.add_participant(store, "Νίκος", consent={"review_date": "2020-01-01"}, pseudonym="Γλάρος")
    code = code_of(store, "Ελένη")
    for text, level in (("Ψωμί", "public"), ("Νερό", "network"), ("Στέγη", "restricted"), ("Ψωμί ξανά", "public")):
        services.submit_note(store, 1, "need", text, ["σπίτι"], level, code)
    services.submit_note(store, 1, "risk", "Ανώνυμο", [], "convening", None)
    from lessonkit.services.consent import change_consent
    from lessonkit.services.redact_terms import add_terms

    change_consent(store, code, {"share_up_to": "network"}, by="Μαρία")
    add_terms(store, ["Γιάννενα"])
    library = ws.library()
    from lessonkit.services.library import add_module, change_status, review_module

    body = {
        "type": "tactic", "summary": "Περίληψη", "sections": {"problem": "Πρόβλημα", "risks": "Κίνδυνοι"},
        "context": {"legal": "Νόμος"}, "tags": ["σπίτι"], "regions": ["Ήπειρος"], "anonymised": True,
        "authors": [{"name": "Ελένη", "organisation": "Ομάδα"}], "risk_level": "medium", "sensitivity": "network",
        "signals": [{"what": "Ψήφοι", "value": 3, "unit": "%", "baseline": 1, "source": "Πηγή"}],
    }
    add_module(library, {**body, "slug": "x-0", "title": "Πρώτη τακτική"})
    add_module(library, {**body, "slug": "x-1", "title": "Δεύτερη τακτική", "related": ["x-0"],
                         "lineage": [{"parent": "x-0", "mode": "emulation", "adapted": "Αλλαγή"}]})
    change_status(library, "x-1", "in review")
    review_module(library, "x-1", "Σοφία", "Άλλη ομάδα", "endorse", "Καλό")
    return ws, store


@pytest.fixture(scope="module")
def letters_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pseudo-locale with full-width letters inside ⟦…⟧: a Latin word shown is English, even inside a message."""
    folder = tmp_path_factory.mktemp("pseudo-letters")
    build_catalogue(folder, PSEUDO, translate=pseudo_letters)
    return folder


@pytest.fixture
def facilitator_pseudo(letters_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The facilitator's screens speak the process's language (not a form's own): here the pseudo-locale."""
    from lessonkit.i18n import using_language

    monkeypatch.setenv(ENV_LOCALE_PATH, str(letters_dir))
    with using_language(PSEUDO):
        yield letters_dir


def latin_words(text: str) -> set[str]:
    """The runs of Latin letters ``untranslated`` would find in ``text``."""
    import re

    return set(re.findall("[A-Za-z]{2,}", text))


def data_words(store: Store) -> set[str]:
    """Latin letters that are data, not interface: join codes (shown to the facilitator), language codes."""
    return latin_words(" ".join(p.join_code for p in services.list_participants(store))) | {"en", "ar"}


def assert_no_facilitator_leaks(widget: object, store: Store, step: str, extra: Iterable[str] = ()) -> None:
    found = leaks(widget, [*data_words(store), *extra], inside=True)
    assert not found, f"after {step}: English outside the catalogue:\n" + "\n".join(found)


def test_setup_screen_speaks_only_the_catalogue(
    facilitator_pseudo: Path, greek_workshop: tuple[MemoryWorkspace, Store]
) -> None:
    from lessonkit.ui.setup import ConveningSetup

    _ws, store = greek_workshop
    screen = ConveningSetup(store, "demo", None)
    command = ["lessonkit", "serve", "convening", "lan", "demo"]  # the command to type, in every language
    assert_no_facilitator_leaks(screen, store, "opening", command)
    screen.people.add.click()
    assert_no_facilitator_leaks(screen, store, "adding a participant without a name", command)
    screen.people.name.value, screen.people.pseudonym.value = "Σοφία", "Κύκνος"
    screen.people.add.click()
    assert_no_facilitator_leaks(screen, store, "adding a participant", command)
    screen.consent.person.value = 1
    screen.consent.share_up_to.value = "restricted"
    screen.consent.save.click()
    assert_no_facilitator_leaks(screen, store, "narrowing a consent", command)
    screen.consent.share_up_to.value = "public"
    screen.consent.save.click()
    assert_no_facilitator_leaks(screen, store, "widening a consent without a confirmation", command)
    screen.sessions.add.click()
    assert_no_facilitator_leaks(screen, store, "adding a session without a title", command)
    screen.sessions.choice.value = 2
    screen.sessions.open_session.click()
    screen.sessions.close_session.click()
    assert_no_facilitator_leaks(screen, store, "opening and closing a session", command)


def test_board_and_moderation_speak_only_the_catalogue(
    facilitator_pseudo: Path, greek_workshop: tuple[MemoryWorkspace, Store]
) -> None:
    from lessonkit.ui.board import LiveBoard
    from lessonkit.ui.moderation import ModerationPanel

    _ws, store = greek_workshop
    board = LiveBoard(store, session=1, refresh_s=0, audience="network")
    panel = ModerationPanel(store, 1, on_change=lambda: board.refresh(force=True))
    assert_no_facilitator_leaks(widgets_box(board, panel), store, "opening")
    panel.note.value = 2
    panel.hide.click()
    panel.note.value = 4
    panel.into.value = 1
    panel.merge.click()
    assert_no_facilitator_leaks(widgets_box(board, panel), store, "hiding and merging notes")
    panel.note.value = 3
    panel.level.value = "public"
    panel.raise_level.click()
    assert_no_facilitator_leaks(widgets_box(board, panel), store, "lowering a level (refused)")
    panel.note.value = 1
    panel.level.value = "restricted"
    panel.raise_level.click()
    assert_no_facilitator_leaks(widgets_box(board, panel), store, "raising a level")


def widgets_box(*children: object) -> object:
    import ipywidgets as widgets

    return widgets.VBox(children=list(children))


def test_reports_panel_speaks_only_the_catalogue(
    facilitator_pseudo: Path, greek_workshop: tuple[MemoryWorkspace, Store], tmp_path: Path
) -> None:
    from lessonkit.ui.reports import RedactionPanel, ReportsPanel, level_chooser

    _ws, store = greek_workshop
    chooser = level_chooser("public")
    redaction = RedactionPanel(store, chooser)
    reports = ReportsPanel(store, "demo", tmp_path, chooser, tmp_path / "reports")
    screen = widgets_box(chooser, redaction, reports)
    # File formats are named alike in every language; the report language picker names each language in itself.
    formats = ["pdf", "html", "md", "csv", "json", *latin_words("Español Français Português")]
    assert_no_facilitator_leaks(screen, store, "opening", formats)
    redaction.preview_button.click()
    assert_no_facilitator_leaks(screen, store, "previewing the redaction", formats)
    redaction.term.value = "Άγνωστο"
    redaction.remove.click()
    assert_no_facilitator_leaks(screen, store, "removing a term that is not listed", formats)
    reports.export.click()
    written = latin_words(str(tmp_path / "reports" / "demo-notes.csv"))  # a file name is not translated
    assert_no_facilitator_leaks(screen, store, "exporting data", [*formats, *written])


def test_library_screens_speak_only_the_catalogue(
    facilitator_pseudo: Path, greek_workshop: tuple[MemoryWorkspace, Store], tmp_path: Path
) -> None:
    from lessonkit.store import Workspace
    from lessonkit.ui.library import LibraryBrowser, library_browser, library_status

    ws, store = greek_workshop
    browser = LibraryBrowser(ws.library())
    slugs = ["x"]
    assert_no_facilitator_leaks(browser, store, "opening", slugs)
    for slug in ("x-0", "x-1"):
        browser.results.value = slug
        assert_no_facilitator_leaks(browser, store, f"showing {slug}", slugs)
    browser.status.value = "endorsed"
    assert_no_facilitator_leaks(browser, store, "filtering by review status", slugs)
    empty = Workspace(tmp_path)
    assert_no_facilitator_leaks(library_status(str(empty.home)), store, "an empty library", ["lessonkit", "ui"])
    assert_no_facilitator_leaks(library_browser(str(empty.home)), store, "an empty library", ["lessonkit", "ui"])


def test_refusals_name_levels_statuses_and_counts_in_the_catalogue(facilitator_pseudo: Path) -> None:
    """Refusals built from values (a consent's level, a memorandum's status, a count of blocks) carry those values in
    the reader's language too, never the English code."""
    from lessonkit.domain.levels import Sensitivity
    from lessonkit.domain.mou import Party
    from lessonkit.domain.mou_decisions import Position
    from lessonkit.domain.mou_status import MouRecord, MouStatus, move
    from lessonkit.domain.records import Participant
    from lessonkit.domain.rules import check_sensitivity
    from lessonkit.errors import ValidationError

    person = Participant.from_dict(
        {"name": "Ελένη", "join_code": "ABCD-EFGH", "consent": {"share_up_to": "convening"}}
    )
    block = Position.from_dict(
        {"party": "Ομάδα", "clause_key": "σκοπός", "stance": "block", "reason": "Όχι", "version": 1}
    )
    record = MouRecord("Μνημόνιο", MouStatus.PROPOSED, (Party("Ομάδα"),))
    refusals = []
    for attempt in (
        lambda: check_sensitivity(person, Sensitivity.PUBLIC),
        lambda: move(record, "agreed", "Μαρία", 1, [block]),
        lambda: move(MouRecord("Μνημόνιο"), "signed", "Μαρία", 1, []),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        refusals.append(caught.value.message)
    assert [r for r in refusals if untranslated(r, inside=True)] == []


def test_agenda_panel_and_projector_speak_only_the_catalogue(
    facilitator_pseudo: Path, greek_workshop: tuple[MemoryWorkspace, Store]
) -> None:
    from datetime import datetime

    import ipywidgets as widgets

    from lessonkit.domain.levels import Sensitivity
    from lessonkit.services.agenda import list_blocks
    from lessonkit.services.votes import get_vote, prepare_vote
    from lessonkit.ui.agenda import AgendaPanel
    from lessonkit.ui.projector_view import Projector
    from lessonkit.ui.vote_board import vote_section

    _ws, store = greek_workshop
    vote = prepare_vote(store, 1, 2, "notes")  # a vote for a block to open: the picker names it
    prepared = widgets.HTML(vote_section(store, 1, Sensitivity.CONVENING))
    assert_no_facilitator_leaks(prepared, store, "the board's section for a vote not opened yet")
    now = datetime(2026, 3, 10, 8, 55)
    panel = AgendaPanel(store, refresh_s=0, tick_s=0, clock=lambda: now)
    assert_no_facilitator_leaks(panel, store, "opening an empty agenda")
    panel.add_button.click()
    assert_no_facilitator_leaks(panel, store, "adding a block without a start time")
    panel.title.value, panel.start.value, panel.minutes.value = "Υποδοχή", "09:00", 20
    panel.links.value = tuple(link for _label, link in panel.links.options)
    panel.add_button.click()
    panel.title.value, panel.start.value, panel.facilitator.value = "Διάλειμμα", "", "Μαρία"
    panel.add_button.click()
    assert_no_facilitator_leaks(panel, store, "adding two blocks")
    assert "vote" in [link.kind for link in list_blocks(store)[0].links]
    panel.start_button.click()
    assert_no_facilitator_leaks(panel, store, "starting a block that opens a session and a vote")
    assert get_vote(store, vote.id or 0).is_open
    panel.late_button.click()
    assert_no_facilitator_leaks(panel, store, "running late")
    screen = Projector(store, refresh_s=0, tick_s=0, clock=lambda: now)
    assert_no_facilitator_leaks(screen, store, "the projector during a block")
    panel.next_button.click()
    panel.next_button.click()
    assert_no_facilitator_leaks(panel, store, "the day is done")
