"""`lessonkit risk …` and `lessonkit ledger …`: the commands, flags and JSON keys issue 16 names, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.store import Workspace

HARBOUR = "Harbour Tenants Circle (invented)"
VALLEY = "Green Valley Youth Forum (invented)"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    return home


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
    for needle in needles:
        assert needle in lines[0]


def test_risk_add_rate_list_review(home: Path) -> None:
    made = as_json(home, "risk", "add", "demo", "--title", "Rain on the march", "--category", "logistics",
                   "--likelihood", "5", "--impact", "4", "--mitigation", "tarps", "--mitigation", "indoor plan B",
                   "--contingency", "move to the hall", "--contingency-who", VALLEY, "--contingency-channel",
                   "phone tree", "--owner", VALLEY, "--review-date", "2026-05-01", "--group", "harbour tenants "
                   "circle (invented)")
    assert made["id"] == 1 and made["score"] == 20 and made["group"] == HARBOUR
    assert made["mitigations"] == ["tarps", "indoor plan B"] and made["contingency"]["channel"] == "phone tree"
    ok(home, "risk", "add", "demo", "--title", "Police kettle", "--category", "legal", "--likelihood", "4",
       "--impact", "5", "--sensitivity", "restricted")
    ok(home, "risk", "add", "demo", "--title", "Flu", "--category", "public-health", "--likelihood", "2",
       "--impact", "2", "--code", "demo-aaaa", "--sensitivity", "network")
    promoted = as_json(home, "risk", "add", "demo", "--note", "3", "--category", "digital-security",
                       "--likelihood", "3", "--impact", "3")
    assert promoted["note_id"] == 3 and promoted["sensitivity"] == "restricted"
    rated = ok(home, "risk", "rate", "demo", "1", "--group", HARBOUR, "--likelihood", "2", "--impact", "4")
    assert "likelihood 2, impact 4" in rated.stdout
    rated = ok(home, "risk", "rate", "demo", "1", "--group", VALLEY, "--likelihood", "5", "--impact", "5")
    assert "disagree" in rated.stdout
    listed = as_json(home, "risk", "list", "demo")
    assert [r["id"] for r in listed] == [2, 1, 4, 3]  # 20 (impact 5) before 20 (impact 4), then 9, 4
    assert all(list(r) == ["id", "title", "category", "likelihood", "impact", "score"] for r in listed)
    assert [r["id"] for r in as_json(home, "risk", "list", "demo", "--level", "network")] == [3]
    rows = list(csv.DictReader(io.StringIO(ok(home, "risk", "list", "demo", "--format", "csv").stdout)))
    assert rows[1]["groups"] == f"{VALLEY} 5×5; {HARBOUR} 2×4" and rows[1]["spread"] == "3/1"
    assert [r["raised_by"] for r in rows] == ["anonymous", HARBOUR, "a participant", "Patient Heron"]
    reviewed = as_json(home, "risk", "review", "demo", "1", "--likelihood", "3", "--next-review", "2026-08-01",
                       "--note", "tarps bought", "--by", "Harbour", "--on", "2026-05-01")
    assert (reviewed["likelihood"], reviewed["score"], reviewed["review_date"]) == (3, 12, "2026-08-01")
    assert reviewed["reviews"][0]["note"] == "tarps bought" and reviewed["contingency"]["how"] == "move to the hall"


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["risk", "add", "demo", "--title", "x", "--category", "weather", "--likelihood", "3", "--impact", "3"],
         ["--category", "digital-security"]),
        (["risk", "add", "demo", "--title", "x", "--category", "legal", "--likelihood", "6", "--impact", "3"],
         ["--likelihood"]),
        (["risk", "add", "demo", "--category", "legal", "--likelihood", "3", "--impact", "3"], ["title"]),
        (["risk", "rate", "demo", "1", "--group", "Nobody", "--likelihood", "3", "--impact", "3"], ["no risk 1"]),
        (["risk", "review", "demo", "abc"], ["no risk abc"]),
        (["ledger", "add", "demo", "--from", "Nobody", "--to", HARBOUR, "--kind", "money", "--quantity", "5",
          "--unit", "EUR", "--what", "x"], ["not a party", HARBOUR]),
        (["ledger", "add", "demo", "--from", VALLEY, "--to", HARBOUR, "--kind", "money", "--quantity", "-5",
          "--unit", "EUR", "--what", "x"], ["quantity", "greater than zero"]),
        (["ledger", "add", "demo", "--from", VALLEY, "--to", HARBOUR, "--kind", "love", "--quantity", "5",
          "--unit", "EUR", "--what", "x"], ["--kind"]),
        (["ledger", "correct", "demo", "7", "--reason", "x", "--quantity", "3"], ["no line 7"]),
        (["ledger", "status", "demo", "1", "--status", "used"], ["no line 1"]),
    ],
)
def test_mistakes_are_one_line(home: Path, args: list[str], needles: list[str]) -> None:
    one_line_error(cli(home, *args), *needles)


def test_ledger_add_correct_status_list_balance(home: Path) -> None:
    first = as_json(home, "ledger", "add", "demo", "--from", "falcon", "--to", HARBOUR, "--kind", "money",
                    "--quantity", "100", "--unit", "EUR", "--what", "bus tickets", "--due", "2026-01-10",
                    "--evidence", "receipt in the red folder", "--evidence-by", "DEMO-BBBB")
    assert first["id"] == 1 and first["from"] == "Falcon" and first["status"] == "pledged" and first["quantity"] == 100
    ok(home, "ledger", "add", "demo", "--from", VALLEY, "--to", HARBOUR, "--kind", "goods", "--quantity", "20.5",
       "--unit", "kg", "--what", "rice", "--status", "delivered")
    status = as_json(home, "ledger", "status", "demo", "2", "--status", "used")
    assert (status["id"], status["op"], status["refers_to"], status["status"]) == (3, "status", 2, "used")
    fixed = as_json(home, "ledger", "correct", "demo", "1", "--reason", "it was 120", "--quantity", "120")
    assert fixed["reversal"]["refers_to"] == 1 and fixed["correction"]["quantity"] == 120
    assert fixed["correction"]["id"] == 5 and fixed["correction"]["reason"] == "it was 120"
    one_line_error(cli(home, "ledger", "correct", "demo", "1", "--reason", "again", "--quantity", "130"),
                   "act on line 5")
    ok(home, "ledger", "status", "demo", "5", "--status", "delivered")
    lines = as_json(home, "ledger", "list", "demo")
    assert [(x["id"], x["op"], x["live"], x["status_now"]) for x in lines] == [
        (1, "entry", False, None), (2, "entry", True, "used"), (3, "status", False, None),
        (4, "reversal", False, None), (5, "correction", True, "delivered"), (6, "status", False, None),
    ]
    assert lines[0]["quantity"] == 100 and lines[0]["evidence"] == "receipt in the red folder"
    balance = as_json(home, "ledger", "balance", "demo")
    assert balance == [
        {"party": "Falcon", "unit": "EUR", "received": 0, "given": 120, "net": -120},
        {"party": VALLEY, "unit": "kg", "received": 0, "given": 20.5, "net": -20.5},
        {"party": HARBOUR, "unit": "EUR", "received": 120, "given": 0, "net": 120},
        {"party": HARBOUR, "unit": "kg", "received": 20.5, "given": 0, "net": 20.5},
    ]
    assert as_json(home, "ledger", "balance", "demo", "--level", "network") == []  # every line is 'convening'
    table = ok(home, "ledger", "balance", "demo").stdout
    assert table.splitlines()[0].split() == ["party", "unit", "received", "given", "net"]
    cancelled = as_json(home, "ledger", "correct", "demo", "2", "--reason", "never came", "--cancel")
    assert cancelled["correction"] is None and cancelled["reversal"]["op"] == "reversal"
    assert [b["unit"] for b in as_json(home, "ledger", "balance", "demo")] == ["EUR", "EUR"]


def test_text_output_speaks_to_a_person(home: Path) -> None:
    added = ok(home, "ledger", "add", "demo", "--from", VALLEY, "--to", HARBOUR, "--kind", "time", "--quantity",
               "6", "--unit", "hours", "--what", "childcare").stdout
    assert added.startswith("Added line 1:") and "6 hours of time for 'childcare', pledged" in added
    risk = ok(home, "risk", "add", "demo", "--title", "Rain", "--category", "logistics", "--likelihood", "5",
              "--impact", "4").stdout
    assert "Added risk 1: 'Rain' (Logistics), agreed likelihood 5 × impact 4 = 20 (severe)." in risk


def test_withdrawal_says_what_left_the_register_and_the_ledger(home: Path) -> None:
    ok(home, "risk", "add", "demo", "--title", "They film the door", "--category", "reputational", "--likelihood",
       "3", "--impact", "3", "--code", "DEMO-AAAA")
    ok(home, "ledger", "add", "demo", "--from", VALLEY, "--to", HARBOUR, "--kind", "goods", "--quantity", "4",
       "--unit", "kg", "--what", "rice", "--evidence", "Sol weighed it", "--evidence-by", "DEMO-AAAA")
    out = ok(home, "participant", "withdraw", "demo", "DEMO-AAAA", "--yes").stdout
    assert "gone from the register's risks (1) and from the evidence of ledger lines (1)" in out
    assert "They film the door" not in ok(home, "risk", "list", "demo").stdout
    assert as_json(home, "ledger", "balance", "demo") == []  # a pledge: nothing moved, and nothing was lost
    (line,) = as_json(home, "ledger", "list", "demo")
    assert line["quantity"] == 4 and line["evidence"] == ""  # withheld: the marker never shows
