"""`lessonkit mou init|show|diff|status|versions` through CliRunner, and once through the console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import run_cli

from lessonkit.cli import main
from lessonkit.resources import data_path
from lessonkit.services import add_participant, create_convening, load_demo
from lessonkit.services.mou import get_mou
from lessonkit.store import Workspace


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    return home


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def ok(home: Path, *args: str) -> str:
    result = cli(home, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def one_line_error(result: Result, needle: str) -> None:
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0], result.stderr


def test_init_from_the_template(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    ws = Workspace(home)
    create_convening(ws, "lake", "Lake meeting")
    add_participant(ws.store("lake"), "Ana", "Harbour Circle")
    one_line_error(cli(home, "mou", "init", "lake", "--author", "Fac", "--party", "Ghost Org"), "not a group")
    out = ok(home, "mou", "init", "lake", "--author", "Fac", "--party", "harbour circle")
    assert "version 1, 18 clauses" in out
    state = get_mou(ws.store("lake"))
    assert [p.name for p in state.record.parties] == ["Harbour Circle"] and state.latest.author == "Fac"
    one_line_error(cli(home, "mou", "init", "lake", "--author", "Fac"), "already has a memorandum")
    one_line_error(cli(home, "mou", "show", "nowhere"), "no convening 'nowhere'")


def test_show_markdown_json_and_html(demo_home: Path) -> None:
    md = ok(demo_home, "mou", "show", "demo")
    assert md.startswith("# Riverbend Exchange") and "Version 3 of 3" in md
    for part in ("Status: Proposed for decision", "Signature block", "Open blocks and concerns", "Change log"):
        assert part in md
    old = ok(demo_home, "mou", "show", "demo", "--version", "1")
    assert "Version 1 of 3" in old and "earlier version" in old
    data = json.loads(ok(demo_home, "mou", "show", "demo", "--format", "json"))
    assert data["version"] == 3 and data["status"] == "proposed" and len(data["clauses"]) == 18
    assert [b["party"] for b in data["open_blocks"]] == ["Green Valley Youth Forum (invented)"]
    page = ok(demo_home, "mou", "show", "demo", "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "<h2>6. Rotating leadership</h2>" in page
    one_line_error(cli(demo_home, "mou", "show", "demo", "--version", "9"), "no version 9")


def test_diff_text_json_html(demo_home: Path) -> None:
    text = ok(demo_home, "mou", "diff", "demo", "2", "3")
    assert "Purpose and objectives (changed)" in text and "[-work.-] {+work, above all" in text
    assert "Rotating leadership" not in text
    assert "Rotating leadership" in ok(demo_home, "mou", "diff", "demo", "2", "3", "--all")
    (item,) = json.loads(ok(demo_home, "mou", "diff", "demo", "2", "3", "--format", "json"))
    assert item["key"] == "purpose" and {"op": "delete", "text": "work."} in item["segments"]
    assert "<ins>" in ok(demo_home, "mou", "diff", "demo", "2", "3", "--format", "html")
    assert "No differences." in ok(demo_home, "mou", "diff", "demo", "3", "3")
    one_line_error(cli(demo_home, "mou", "diff", "demo", "1", "7"), "no version 7")


def test_status_and_versions(demo_home: Path) -> None:
    text = ok(demo_home, "mou", "status", "demo", "--today", "2026-11-21")
    assert "Status: Proposed for decision" in text and "Block: Green Valley" in text
    assert "[overdue] 2026-09-01: Re-evaluate the consent of Harbour Tenants Circle (invented)" in text
    data = json.loads(ok(demo_home, "mou", "status", "demo", "--today", "2026-11-21", "--format", "json"))
    assert data["next_steps"] == ["agreed", "draft"] and data["pending_proposals"] == 1
    assert {d["kind"] for d in data["due"]} >= {"consent", "review", "report"}
    one_line_error(cli(demo_home, "mou", "status", "demo", "--today", "soon"), "not a date")
    rows = json.loads(ok(demo_home, "mou", "versions", "demo", "--format", "json"))
    assert [r["version"] for r in rows] == [1, 2, 3]


def test_console_script(demo_home: Path) -> None:
    result = run_cli("mou", "status", "demo", "--format", "json", home=demo_home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["latest_version"] == 3
    missing = run_cli("mou", "status", "demo", home=demo_home.parent / "empty")
    assert missing.returncode == 1 and missing.stderr.startswith("Error:")
