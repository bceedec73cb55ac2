"""A memorandum's whole life from the command line alone: init → versions → positions (a block and its lifting) →
agreed → signed by every party → review due; then proposals accepted and declined, and every refusal in one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.services.mou_amendments import propose_amendment
from lessonkit.store import Workspace


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def ok(home: Path, *args: str) -> str:
    result = cli(home, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(home: Path, *args: str) -> Any:
    return json.loads(ok(home, *args, "--format", "json"))


def refused(result: Result, *needles: str) -> str:
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    ok(home, "convening", "create", "lake", "--title", "Lake meeting")
    codes = {}
    for name, org in (("Ana", "Harbour Circle"), ("Ben", "Lake Org"), ("Cai", "Hill Group")):
        codes[name] = as_json(home, "participant", "add", "lake", "--name", name, "--organization", org)["join_code"]
    (home / "codes.json").write_text(json.dumps(codes), encoding="utf-8")
    return home


def edited(home: Path, path: Path, **texts: str) -> Path:
    """``mou show --format json`` with some clauses' texts replaced, written to ``path``."""
    data = as_json(home, "mou", "show", "lake")
    for clause in data["clauses"]:
        if clause["key"] in texts:
            clause["text"] = texts[clause["key"]]
        if clause["key"] == "duration":
            clause["review_date"] = "2027-03-01"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_memorandum_from_start_to_review_on_the_command_line(home: Path, tmp_path: Path) -> None:
    started = as_json(home, "mou", "init", "lake", "--author", "Fac", "--party", "Harbour Circle")
    assert started["version"] == 1 and started["status"] == "draft" and started["parties"] == ["Harbour Circle"]
    assert as_json(home, "mou", "party", "add", "lake", "Lake Org", "--by", "Fac")["parties"] == [
        "Harbour Circle",
        "Lake Org",
    ]
    ok(home, "mou", "party", "add", "lake", "Hill Group", "--by", "Fac")
    assert as_json(home, "mou", "party", "remove", "lake", "Hill Group", "--by", "Fac")["parties"][-1] == "Lake Org"
    refused(cli(home, "mou", "party", "add", "lake", "Ghost Org", "--by", "Fac"), "not a group")

    # versions from files: the file says which version it was based on; a stale one is refused
    draft = edited(home, tmp_path / "v2.json", purpose="We share what works, above all with the people at risk.")
    saved = as_json(home, "mou", "save", "lake", "--file", str(draft), "--summary", "Purpose", "--author", "Fac")
    assert saved["version"] == 2 and saved["status"] == "draft"
    line = refused(
        cli(home, "mou", "save", "lake", "--file", str(draft), "--summary", "Again", "--author", "Bo"),
        "version 2",
        "nothing was saved",
    )
    assert "version 1" in line
    refused(
        cli(home, "mou", "save", "lake", "--file", str(draft), "--summary", "x", "--author", "Bo", "--base", "2"),
        "based on version 1, but version 2 was given",
    )
    shapeless = tmp_path / "shapeless.json"
    shapeless.write_text('{"title": "no clauses"}', encoding="utf-8")
    refused(cli(home, "mou", "save", "lake", "--file", str(shapeless), "--summary", "x", "--author", "Bo"), "clauses")
    listed = as_json(home, "mou", "versions", "lake")
    assert [v["version"] for v in listed] == [1, 2] and listed[1]["summary"] == "Purpose"
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(as_json(home, "mou", "show", "lake")["clauses"]), encoding="utf-8")
    refused(cli(home, "mou", "save", "lake", "--file", str(bare), "--summary", "x", "--author", "Fac"), "--base")
    refused(
        cli(home, "mou", "save", "lake", "--file", str(bare), "--summary", "x", "--author", "Fac", "--base", "2"),
        "nothing changed since version 2",
    )

    # positions: a block needs a reason, stops agreement and signing, and is lifted by a new position
    refused(
        cli(home, "mou", "position", "lake", "--party", "Lake Org", "--clause", "purpose", "--stance", "block"),
        "a block needs a reason",
    )
    block = as_json(
        home, "mou", "position", "lake", "--party", "Lake Org", "--clause", "purpose", "--stance", "block",
        "--reason", "Name the people at risk first.",
    )
    assert block["stance"] == "block" and block["version"] == 2 and block["open_blocks"] == 1
    ok(home, "mou", "position", "lake", "--party", "Harbour Circle", "--clause", "purpose", "--stance", "agree")
    refused(cli(home, "mou", "set-status", "lake", "agreed", "--by", "Fac"), "cannot become 'Agreed'")
    assert as_json(home, "mou", "set-status", "lake", "proposed", "--by", "Fac")["status"] == "proposed"
    refused(cli(home, "mou", "set-status", "lake", "agreed", "--by", "Fac"), "while 1 block is open", "Lake Org")
    lifted = as_json(
        home, "mou", "position", "lake", "--party", "Lake Org", "--clause", "purpose", "--stance", "concern",
        "--reason", "We will watch this.",
    )
    assert lifted["open_blocks"] == 0
    refused(cli(home, "mou", "sign", "lake", "--party", "Lake Org", "--by", "Ben", "--role", "chair"), "no version")
    agreed = as_json(home, "mou", "set-status", "lake", "agreed", "--by", "Fac", "--note", "Consent in the room")
    assert agreed["status"] == "agreed" and agreed["agreed_version"] == 2

    # signatures: bound to the latest agreed version; the last party's makes it signed
    refused(
        cli(home, "mou", "sign", "lake", "--party", "Lake Org", "--by", "Ben", "--role", "chair", "--version", "1"),
        "only the latest agreed version",
    )
    refused(cli(home, "mou", "sign", "lake", "--party", "Hill Group", "--by", "Cai", "--role", "chair"), "Hill Group")
    first = as_json(home, "mou", "sign", "lake", "--party", "lake org", "--by", "Ben", "--role", "chair")
    assert first["party"] == "Lake Org" and first["version"] == 2 and first["memorandum"]["status"] == "agreed"
    refused(cli(home, "mou", "sign", "lake", "--party", "Lake Org", "--by", "Ben", "--role", "chair"), "already")
    out = ok(home, "mou", "sign", "lake", "--party", "Harbour Circle", "--by", "Ana", "--role", "coordinator",
             "--on", "2026-05-06")
    assert "Every party has signed: version 2 is in force." in out
    status = as_json(home, "mou", "status", "lake")
    assert status["status"] == "signed" and status["signed_version"] == 2
    assert {s["party"] for s in status["signatures"]} == {"Lake Org", "Harbour Circle"}

    # the review comes due
    assert as_json(home, "mou", "due", "lake", "--today", "2026-06-01") == []
    (item,) = as_json(home, "mou", "due", "lake", "--today", "2027-02-15")
    assert item == {"state": "due soon", "on": "2027-03-01", "kind": "review", "what": "Review of the memorandum",
                    "party": ""}
    assert as_json(home, "mou", "due", "lake", "--today", "2027-03-02")[0]["state"] == "overdue"
    assert "Review of the memorandum" in ok(home, "mou", "due", "lake", "--today", "2027-03-02")
    assert as_json(home, "mou", "set-status", "lake", "under review", "--by", "Fac")["status"] == "under review"
    assert as_json(home, "mou", "due", "lake", "--today", "2027-03-02") == []


def test_proposals_are_listed_accepted_and_declined(home: Path) -> None:
    ok(home, "mou", "init", "lake", "--author", "Fac", "--party", "Harbour Circle", "--party", "Lake Org")
    codes = json.loads((home / "codes.json").read_text(encoding="utf-8"))
    store = Workspace(home).store("lake")
    first = propose_amendment(store, codes["Ana"], "purpose", "We share tools with Ana's group.", "Be concrete")
    second = propose_amendment(store, codes["Ben"], "scope", "Only the river towns.", "Smaller is safer")
    pending = as_json(home, "mou", "proposals", "lake")
    assert [p["id"] for p in pending] == [first.id, second.id]
    assert pending[0]["proposer"].endswith("(Harbour Circle)") and pending[0]["text"].startswith("We share")
    public = as_json(home, "mou", "proposals", "lake", "--level", "public")
    assert public == []  # their words are convening-level: not shown to the public
    refused(cli(home, "mou", "decline", "lake", str(second.id), "--by", "Fac", "--note", ""), "note")
    done = as_json(home, "mou", "accept", "lake", str(first.id), "--by", "Fac", "--note", "Thanks")
    assert done["status"] == "accepted" and done["result_version"] == 2
    refused(cli(home, "mou", "accept", "lake", str(first.id), "--by", "Fac"), "already accepted")
    assert "declined" in ok(home, "mou", "decline", "lake", str(second.id), "--by", "Fac", "--note", "Too narrow")
    decided = as_json(home, "mou", "proposals", "lake", "--status", "all")
    assert [(p["status"], p["note"]) for p in decided] == [("accepted", "Thanks"), ("declined", "Too narrow")]
    assert "(nothing)" in ok(home, "mou", "proposals", "lake")
    refused(cli(home, "mou", "accept", "lake", "99", "--by", "Fac"), "no proposal 99")
    assert as_json(home, "mou", "versions", "lake")[-1]["summary"].startswith("Accepted proposal")
