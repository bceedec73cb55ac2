"""The encryption commands through CliRunner: create --encrypt, the passphrase asked (hidden) or from the
environment, wrong passphrase on one line, lock, breach, export/import, shred."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from crypto_support import PASSPHRASE, leaks

from lessonkit.cli import main
from lessonkit.store import Workspace, keyring

NAME, CODE_NOTE = "Nadia Benali", "The checkpoint on the north road closes at six"


def cli(home: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args], env=env or {}, input=input)


def ok(home: Path, *args: str, **kw: object) -> Result:
    result = cli(home, *args, **kw)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    return result


def test_an_encrypted_convening_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    env = {"LESSONKIT_PASSPHRASE": PASSPHRASE}
    made = json.loads(ok(home, "convening", "create", "north", "--title", "North", "--encrypt", "--recovery-sheet",
                         "--format", "json", env=env).stdout)
    assert made["encrypted"] and made["recovery_key"].startswith("AGE-SECRET-KEY-1")
    person = json.loads(ok(home, "participant", "add", "north", "--name", NAME, "--format", "json").stdout)
    ok(home, "session", "add", "north", "--title", "Roads")
    code = person["join_code"]
    ok(home, "notes", "add", "north", "--session", "1", "--category", "risk", "--text", CODE_NOTE, "--code", code)
    ok(home, "convening", "export", "north", "--out", str(home / "north.zip"))
    assert leaks(home, [NAME, CODE_NOTE, person["join_code"]]) == []

    ok(home, "convening", "lock", "north")
    listed = json.loads(ok(home, "convening", "list", "--format", "json").stdout)
    assert [(r["slug"], r["status"]) for r in listed] == [("north", "locked")]
    wrong = cli(home, "participant", "list", "north", input="not the passphrase\n")
    assert wrong.exit_code == 1 and "not the passphrase" not in wrong.output
    errors = [line for line in wrong.stderr.splitlines() if line.startswith("Error")]
    assert errors == ["Error: Wrong passphrase for 'north': nothing was read or changed. Type it again (capitals "
                      "count)."]
    assert "Traceback" not in wrong.output
    shown = ok(home, "participant", "list", "north", input=PASSPHRASE + "\n")
    assert NAME in shown.stdout and PASSPHRASE not in shown.output

    report = json.loads(ok(home, "convening", "breach", "north", "--format", "json").stdout)
    assert report["encrypted"] and [e["what"] for e in report["exports"]] == ["bundle (encrypted)"]
    assert report["warn_first"][0]["name"] == NAME and len(report["checklist"]) >= 6
    text = ok(home, "convening", "breach", "north").stdout
    assert "Checklist:" in text and "lessonkit convening lock north" in text

    refused = cli(home, "convening", "shred", "north", "--confirm", "south")
    assert refused.exit_code == 1 and "type the convening's short name" in refused.stderr
    ok(home, "convening", "shred", "north", "--confirm", "north")
    assert Workspace(home).slugs() == [] and keyring.unlocked(Workspace(home).path_for("north")) is None


def test_encrypt_asks_twice_and_refuses_a_short_passphrase(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    ok(home, "convening", "create", "open", "--title", "Open")
    short = cli(home, "convening", "encrypt", "open", input="short\nshort\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.stderr
    differ = cli(home, "convening", "encrypt", "open", input=f"{PASSPHRASE}\n{PASSPHRASE}!\n")
    assert differ.exit_code != 0 and not (home / "convenings" / "open.json.keys").exists()
    unknown = cli(home, "convening", "encrypt", "nowhere", input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert unknown.exit_code == 1 and "no convening 'nowhere'" in unknown.stderr
