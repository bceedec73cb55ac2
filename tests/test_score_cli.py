"""`lessonkit score round …` and `score profile …` do what workbook 05 does; `score MODULE --target …` still works."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import submit_ratings
from lessonkit.store import Workspace

CAPITAL = str(data_path("profiles", "capital-under-pressure.json"))


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def ok(home: Path, *args: str) -> str:
    result = cli(home, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(home: Path, *args: str) -> Any:
    return json.loads(ok(home, *args, "--format", "json"))


def one_line_error(result: Result, needle: str) -> None:
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0], result.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    ws = Workspace(tmp_path / "ws")
    load_demo(ws, data_path("demo", "convening.json"))
    import_library_json(ws.library(), data_path("demo", "library.json"))
    return ws.home


def test_a_round_from_open_to_saved_profile(home: Path) -> None:
    assert as_json(home, "score", "round", "list", "demo") == []
    one_line_error(
        cli(home, "score", "round", "open", "demo", "--module", "demo-phone-tree", "--target", "Here"), "not endorsed"
    )
    opened = as_json(home, "score", "round", "open", "demo", "--module", "demo-kitchen-forum", "--target", "Our town")
    assert opened["open"] is True and opened["page"] == f"score.ipynb?round={opened['id']}"
    rid = str(opened["id"])
    assert "Nobody has rated this round yet." in ok(home, "score", "round", "results", "demo", rid)
    one_line_error(cli(home, "score", "profile", "save", "demo", rid), "nobody has rated")

    store, rubric = Workspace(home).store("demo"), load_rubric()
    for code, value in (("DEMO-AAAA", 1), ("DEMO-BBBB", 3)):
        submit_ratings(store, opened["id"], code, {c.id: value for c in rubric.criteria}, rubric)
    assert as_json(home, "score", "round", "list", "demo")[0]["ratings"] == 2
    result = as_json(home, "score", "round", "results", "demo", rid)
    assert result["ratings"] == 2 and result["result"]["assessors"] == 2
    assert all(c["ratings"] == [1, 3] and c["target"] == 2 for c in result["result"]["criteria"])
    table = ok(home, "score", "round", "results", "demo", rid)
    assert "Kitchen forum → Our town" in table and "it does not decide" in table

    closed = as_json(home, "score", "round", "close", "demo", rid)
    assert closed["open"] is False
    with pytest.raises(Exception, match="closed"):
        submit_ratings(store, opened["id"], "DEMO-AAAA", {c.id: 2 for c in rubric.criteria}, rubric)
    assert as_json(home, "score", "round", "reopen", "demo", rid)["open"] is True

    saved = as_json(home, "score", "profile", "save", "demo", rid, "--name", "Our town, 2026")
    assert saved["name"] == "Our town, 2026" and set(saved["ratings"].values()) == {2}
    from_file = as_json(home, "score", "profile", "save", "demo", "--file", CAPITAL)
    assert from_file["name"] == json.loads(Path(CAPITAL).read_text(encoding="utf-8"))["name"]
    names = [p["name"] for p in as_json(home, "score", "profile", "list", "demo")]
    assert "Our town, 2026" in names and from_file["name"] in names
    one_line_error(cli(home, "score", "profile", "save", "demo"), "round ID or --file")
    one_line_error(cli(home, "score", "round", "close", "demo", "42"), "no scoring round 42")


def test_score_module_keeps_its_old_form(home: Path) -> None:
    old = as_json(home, "score", "demo-kitchen-forum", "--target", CAPITAL)
    assert old == as_json(home, "score", "module", "demo-kitchen-forum", "--target", CAPITAL)
    assert old["module"] == "demo-kitchen-forum" and len(old["criteria"]) == 9
    options_first = json.loads(ok(home, "score", "--target", CAPITAL, "--format", "json", "demo-kitchen-forum"))
    assert options_first == old
    assert "round" in ok(home, "score", "--help") and "module" in ok(home, "score", "--help")
    one_line_error(cli(home, "score", "demo-banner-rely", "--target", CAPITAL), "demo-banner-relay")
