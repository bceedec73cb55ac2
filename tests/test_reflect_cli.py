"""`lessonkit reflect add|list` and `lessonkit library signal add|list|review` through CliRunner."""

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
from lessonkit.store import Workspace


@pytest.fixture
def home(tmp_path: Path) -> Path:
    ws = Workspace(tmp_path / "ws")
    load_demo(ws, data_path("demo", "convening.json"))
    import_library_json(ws.library(), data_path("demo", "library.json"))
    return tmp_path / "ws"


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def ok(home: Path, *args: str) -> Result:
    result = cli(home, *args)
    assert result.exit_code == 0, result.output
    return result


def as_json(home: Path, *args: str) -> Any:
    return json.loads(ok(home, *args, "--format", "json").stdout)


def one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert all(n in lines[0] for n in needles), lines[0]


def test_paper_reflections_are_typed_in_and_listed_as_consent_allows(home: Path) -> None:
    made = as_json(home, "reflect", "add", "demo", "--code", "DEMO-AAAA", "--changed", "We meet in pairs",
                   "--stubborn", "Landlords", "--questions", "How do we fund travel?", "--tactic",
                   "demo-kitchen-forum", "--went", "success", "--how", "Forty came", "--sensitivity", "network")
    assert made["id"] == 1 and made["sensitivity"] == "network" and made["author"] != "Sol"
    assert made["tactics"] == [{"module": "demo-kitchen-forum", "went": "success", "how": "Forty came",
                                "outcome": None, "value": None, "unit": "", "baseline": None}]
    text = ok(home, "reflect", "add", "demo", "--questions", "Anonymous question?").stdout
    assert "Added reflection 2 (convening)." in text
    listed = as_json(home, "reflect", "list", "demo")
    assert [r["id"] for r in listed] == [1, 2] and listed[1]["author"] == "a participant"
    assert set(listed[0]) == {"id", "author", "sensitivity", "changed", "stubborn", "questions", "tactics",
                              "language", "source", "created"}
    at_network = cli(home, "reflect", "list", "demo", "--level", "network", "--format", "json")
    assert [r["id"] for r in json.loads(at_network.stdout)] == [1]
    assert "1 reflection not listed: it may not be shown at level 'network'." in at_network.stderr
    table = ok(home, "reflect", "list", "demo").stdout
    assert table.splitlines()[0].split() == ["id", "author", "sensitivity", "tactics", "changed", "stubborn",
                                             "questions"]
    csv = ok(home, "reflect", "list", "demo", "--format", "csv").stdout
    assert "demo-kitchen-forum (success): Forty came" in csv


def test_reflect_add_refuses_in_one_line_and_saves_nothing(home: Path) -> None:
    one_line_error(cli(home, "reflect", "add", "demo", "--changed", "x", "--tactic", "demo-kitchen-forun"),
                   "demo-kitchen-forum")
    one_line_error(cli(home, "reflect", "add", "demo", "--code", "DEMO-DDDD", "--changed", "x"), "not to be recorded")
    one_line_error(cli(home, "reflect", "add", "demo"), "at least one answer")
    one_line_error(cli(home, "reflect", "add", "nope", "--changed", "x"), "nope")
    assert Workspace(home).store("demo").all("reflections") == []


def test_signals_are_added_listed_and_peer_reviewed(home: Path) -> None:
    added = as_json(home, "library", "signal", "add", "demo-phone-tree", "--outcome", "harm-avoided", "--what",
                    "Evictions delayed", "--value", "9", "--unit", "evictions", "--baseline", "0", "--period",
                    "2025-01/2025-03", "--factor", "fast alerts", "--factor", "trusted circles", "--place", "South",
                    "--by", "Jo", "--organisation", "Harbour")
    assert added["number"] == 1 and added["period"] == {"start": "2025-01-01", "end": "2025-03-31"}
    assert added["factors"] == ["fast alerts", "trusted circles"] and added["result"] is None
    one_line_error(cli(home, "library", "signal", "review", "demo-phone-tree", "1", "--reviewer", "Al",
                       "--organisation", "harbour", "--result", "success"), "another organisation")
    reviewed = as_json(home, "library", "signal", "review", "demo-phone-tree", "1", "--reviewer", "Bo",
                       "--organisation", "Valley", "--result", "success", "--date", "2025-04-01")
    assert reviewed["result"] == "success" and reviewed["reviews"][0]["date"] == "2025-04-01"
    rows = as_json(home, "library", "signal", "list", "demo-phone-tree")
    assert [(r["module"], r["number"], r["outcome"]) for r in rows] == [("demo-phone-tree", 1, "harm-avoided")]
    assert len(as_json(home, "library", "signal", "list")) == 5
    table = ok(home, "library", "signal", "list", "demo-phone-tree").stdout
    assert "2025-01-01/2025-03-31" in table and "success" in table
    one_line_error(cli(home, "library", "signal", "add", "demo-phone-tree"), "--what")
    one_line_error(cli(home, "library", "signal", "review", "demo-phone-tree", "7", "--reviewer", "Bo",
                       "--organisation", "V", "--result", "mixed"), "no signal 7")


def test_a_signal_is_drawn_from_a_reflection_from_the_command_line(home: Path) -> None:
    ok(home, "reflect", "add", "demo", "--code", "DEMO-AAAA", "--changed", "Pairs", "--tactic", "demo-kitchen-forum",
       "--how", "Forty households came", "--sensitivity", "network")
    ok(home, "reflect", "add", "demo", "--code", "DEMO-AAAA", "--changed", "Inside only")
    one_line_error(cli(home, "library", "signal", "add", "demo-kitchen-forum", "--from-reflection", "1"),
                   "--convening")
    drawn = as_json(home, "library", "signal", "add", "demo-kitchen-forum", "--from-reflection", "1", "--convening",
                    "demo", "--outcome", "turnout-shift", "--value", "40")
    assert drawn["what"] == "Forty households came" and drawn["origin"] == "reflection" and drawn["value"] == 40
    one_line_error(cli(home, "library", "signal", "add", "demo-kitchen-forum", "--from-reflection", "2",
                       "--convening", "demo"), "Reflection 2 may not go into the library")
    exports = as_json(home, "convening", "exports", "demo")
    assert [e["what"] for e in exports] == ["signal"]


def test_withdrawal_and_clone_say_what_happened_to_reflections(home: Path) -> None:
    ok(home, "reflect", "add", "demo", "--code", "DEMO-BBBB", "--questions", "Who pays?", "--sensitivity", "public")
    ok(home, "reflect", "add", "demo", "--code", "DEMO-AAAA", "--questions", "Secret?", "--sensitivity", "convening")
    clone = ok(home, "convening", "clone", "demo", "next").stdout
    assert "1 open question from the reflections is among the first session's prompts." in clone
    assert "The questions of 1 reflection stayed behind" in clone
    gone = ok(home, "participant", "withdraw", "demo", "DEMO-BBBB", "--yes").stdout
    assert "Removed 1 after-action reflection." in gone
