"""The library, score and rank commands, run as real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import run_cli

from lessonkit.resources import data_path

SAMPLE = str(data_path("demo", "library.json"))
CAPITAL = str(data_path("profiles", "capital-under-pressure.json"))
CORPUS = next(
    (p / "shared/corpora/beautiful-trouble/toolbox.json" for p in Path(__file__).resolve().parents
     if (p / "shared/corpora/beautiful-trouble/toolbox.json").exists()),
    Path(__file__).parents[2] / "shared/corpora/beautiful-trouble/toolbox.json",
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    result = run_cli("library", "import", SAMPLE, home=tmp_path)  # lessonkit JSON, read from the file's shape
    assert result.returncode == 0, result.stderr
    assert "Imported 7, updated 0, unchanged 0, skipped 0." in result.stdout
    return tmp_path


def test_list_search_show_and_export(home: Path, tmp_path: Path) -> None:
    listed = run_cli("library", "list", "--status", "endorsed", "--format", "json", home=home)
    assert {m["slug"] for m in json.loads(listed.stdout)} == {
        "demo-banner-relay",
        "demo-kitchen-forum",
        "demo-mock-award",
    }
    found = run_cli("library", "search", "trophy", home=home)
    assert "demo-mock-award" in found.stdout and "demo-kitchen-forum" not in found.stdout
    shown = run_cli("library", "show", "demo-mock-award-online", home=home)
    assert "## Why it failed" in shown.stdout and "demo-banner-relay (inspiration)" in shown.stdout
    out = tmp_path / "out.json"
    exported = run_cli("library", "export", "--up-to", "public", "-o", str(out), home=home)
    assert exported.returncode == 0 and {m["sensitivity"] for m in json.loads(out.read_text())["modules"]} == {"public"}


def test_score_and_rank(home: Path) -> None:
    table = run_cli("score", "demo-banner-relay", "--target", CAPITAL, home=home)
    assert table.returncode == 0, table.stderr
    assert "FAILS" in table.stdout and "do not transfer as is" in table.stdout and "?" in table.stdout
    as_json = json.loads(
        run_cli("score", "demo-kitchen-forum", "--target", CAPITAL, "--format", "json", home=home).stdout
    )
    assert as_json["do_not_transfer"] is False and len(as_json["criteria"]) == 9
    ranked = run_cli("rank", "--target", CAPITAL, "--format", "json", home=home)
    data = json.loads(ranked.stdout)
    assert data["rows"][0]["slug"] == "demo-kitchen-forum" and data["without_profile"] == 1


def test_bad_input_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    unknown = run_cli("score", "demo-banner-rely", "--target", CAPITAL, home=home)
    assert unknown.returncode == 1 and "demo-banner-relay" in unknown.stderr and "Traceback" not in unknown.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "ratings": {"civic_space": 9, "legal_risk": 1}}), encoding="utf-8")
    out = run_cli("rank", "--target", str(bad), home=home)
    assert out.returncode == 1 and "outside 0–4" in out.stderr
    wrong = run_cli("library", "import", SAMPLE, "--format", "beautiful-trouble", home=home)
    assert wrong.returncode == 1 and "not a Beautiful Trouble toolbox" in wrong.stderr
    review = run_cli("library", "status", "demo-phone-tree", "endorsed", home=home)
    assert review.returncode == 1 and "at least 2 organisations" in review.stderr
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps({"summary": "Edited here.", "risk_level": "extreme"}), encoding="utf-8")
    refused = run_cli("library", "edit", "demo-kitchen-forum", str(changes), home=home)
    assert refused.returncode == 1 and "risk_level" in refused.stderr
    changes.write_text(json.dumps({"summary": "Edited here.", "risk_level": "medium"}), encoding="utf-8")
    assert run_cli("library", "edit", "demo-kitchen-forum", str(changes), home=home).returncode == 0
    reimport = run_cli("library", "import", SAMPLE, "--from", "json", "--format", "json", home=home)
    skipped = json.loads(reimport.stdout)["skipped"]
    assert skipped[0]["item"] == "demo-kitchen-forum" and "edited here" in skipped[0]["reason"]


@pytest.mark.skipif(not CORPUS.exists(), reason="the Beautiful Trouble corpus is not in ../shared/corpora")
def test_import_the_real_corpus_with_summary(tmp_path: Path) -> None:
    first = run_cli("library", "import", str(CORPUS), "--format", "beautiful-trouble", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Imported 331, updated 0, unchanged 0, skipped 0." in first.stdout
    assert "82 related module names are not in the file" in first.stdout and "Importing" in first.stderr
    again = run_cli("library", "import", str(CORPUS), "--format", "json", home=tmp_path)
    data = json.loads(again.stdout)
    assert data["from"] == "beautiful-trouble" and len(data["unchanged"]) == 331 and data["imported"] == []
