"""Leak scan: seed a convening with personal strings, make every public output, count which strings got out.

Run on demand (needs Chromium and pdftotext):  python tests/benchmarks/leak_scan.py [--keep DIR]

Only the ``lessonkit`` command is used, so the same script measures any checkout: put that checkout first on
PYTHONPATH (``PYTHONPATH=/path/to/checkout python tests/benchmarks/leak_scan.py``). The convening is seeded as in
issue 10: a Polish and a Ukrainian participant whose names are written inflected in the notes, a registered
organisation, phone numbers in several national formats, e-mail addresses, join codes, and a session whose title and
prompt name people. Outputs scanned, all at level public: the listening report and the summary as PDF (text via
pdftotext), HTML and Markdown, the notes as CSV and JSON, and a bundle of a clone of the convening.
Prints one table: for each personal string, the outputs it appeared in; then the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SLUG = "leak"

PEOPLE = [
    # name, organisation, attribution, share up to
    ("Zofia Kowalczyk", "Mathare Social Justice Centre", "pseudonym", "public"),
    ("Олена Шевченко", "Kharkiv Housing Collective", "named", "public"),
    ("Hope Wanjiru", "", "pseudonym", "public"),
]

# (label, what to look for, how): "text" is searched case-insensitively as written; "digits" is searched as a run
# of digits in the output with every non-digit removed (a phone number split across table cells still counts).
SECRETS: list[tuple[str, str, str]] = [
    ("first name (pl)", "Zofia", "text"),
    ("surname (pl)", "Kowalczyk", "text"),
    ("surname, genitive (pl)", "Kowalczyka", "text"),
    ("surname, dative (pl)", "Kowalczykowi", "text"),
    ("first name, genitive (pl)", "Zofii", "text"),
    ("first name (uk)", "Олена", "text"),
    ("first name, genitive (uk)", "Олени", "text"),
    ("surname (uk)", "Шевченко", "text"),
    ("surname (ke)", "Wanjiru", "text"),
    ("organisation", "Mathare", "text"),
    ("organisation 2", "Kharkiv Housing", "text"),
    ("phone +48 (pl)", "48601234567", "digits"),
    ("phone national (pl)", "602345678", "digits"),
    ("phone national (ke)", "0712345678", "digits"),
    ("phone +380 (uk)", "380671234567", "digits"),
    ("phone national (br)", "11912345678", "digits"),
    ("e-mail", "zofia.kowalczyk@example.org", "text"),
    ("e-mail (uk)", "olena.s@example.com.ua", "text"),
    ("join code 1", "", "code:0"),
    ("join code 2", "", "code:1"),
]

NOTES = [
    ("need", "public", 0, "Ask Zofia Kowalczyk or the Mathare Social Justice Centre; call +48 601 234 567."),
    ("what worked", "public", 0, "Thanks to Kowalczyka's group and to Kowalczykowi for the flyers; Zofii too."),
    ("risk", "public", 1, "Без Олени ми б не впоралися. Write to olena.s@example.com.ua or 067 123 4567."),
    ("question", "public", 2, "Hope is what we need. Reach me on 0712 345 678 or zofia.kowalczyk@example.org."),
    ("need", "public", 1, "The Kharkiv Housing Collective met Zofia\nKowalczyk; her number is 602 345 678."),
    ("what worked", "public", 2, "In São Paulo call (11) 91234-5678; the code {code0} opened the form."),
]
SESSION_TITLE = "Debrief with Zofia Kowalczyk"
SESSION_PROMPT = "Call Олена on +380 67 123 4567 before the session"


def run(home: Path, *args: str) -> str:
    env = dict(os.environ, LESSONKIT_HOME=str(home))
    done = subprocess.run(["lessonkit", *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"lessonkit {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def seed(home: Path) -> list[str]:
    """The convening; returns the participants' join codes."""
    run(home, "convening", "create", SLUG, "--title", "Leak scan", "--languages", "en")
    codes = []
    for name, org, attribution, share in PEOPLE:
        out = run(
            home, "participant", "add", SLUG, "--name", name, "--organization", org,
            "--attribution", attribution, "--share-up-to", share, "--format", "json",
        )
        codes.append(json.loads(out)["join_code"])
    run(home, "session", "add", SLUG, "--title", SESSION_TITLE, "--prompt", SESSION_PROMPT, "--anonymous")
    for category, level, who, text in NOTES:
        run(
            home, "notes", "add", SLUG, "--session", "1", "--category", category, "--sensitivity", level,
            "--text", text.format(code0=codes[0]), "--code", codes[who],
        )
    return codes


def outputs(home: Path, out: Path) -> dict[str, str]:
    """Every public output as text, by name."""
    texts: dict[str, str] = {}
    for fmt in ("pdf", "html", "md"):
        for kind in ("listening", "summary"):
            path = out / f"{kind}.{fmt}"
            run(home, "report", SLUG, "--kind", kind, "--format", fmt, "--level", "public", "--out", str(path))
            if fmt == "pdf":
                text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
            else:
                text = path.read_text(encoding="utf-8")
            texts[f"{kind}.{fmt}"] = text
    for fmt in ("csv", "json"):
        path = out / f"notes.{fmt}"
        run(home, "export", SLUG, "--what", "notes", "--format", fmt, "--level", "public", "--out", str(path))
        texts[f"notes.{fmt}"] = path.read_text(encoding="utf-8")
    run(home, "convening", "clone", SLUG, f"{SLUG}-next")
    bundle = out / "clone.zip"
    run(home, "convening", "export", f"{SLUG}-next", "--out", str(bundle))
    with zipfile.ZipFile(bundle) as zf:
        texts["clone"] = "\n".join(
            zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("tables/")
        )
    return texts


def found(text: str, needle: str, how: str, codes: list[str]) -> bool:
    if how == "digits":
        return needle in re.sub(r"\D", "", text)
    if how.startswith("code:"):
        code = codes[int(how[5:])]
        flat = re.sub(r"[\s-]", "", text).casefold()
        return code.replace("-", "").casefold() in flat
    # JSON files escape non-ASCII: compare with the escaped form too.
    escaped = json.dumps(needle)[1:-1]
    return needle.casefold() in text.casefold() or escaped.casefold() in text.casefold()


def over_redacted(texts: dict[str, str]) -> list[str]:
    """Outputs where "Hope is what we need" lost its first word."""
    return [name for name, text in texts.items() if name != "clone" and "is what we need" in text
            and "Hope is what we need" not in " ".join(text.split())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the workspace and outputs in this folder")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="lessonkit-leak-")) if args.keep is None else args.keep
    root.mkdir(parents=True, exist_ok=True)
    home, out = root / "ws", root / "out"
    out.mkdir(exist_ok=True)
    try:
        codes = seed(home)
        texts = outputs(home, out)
        report(texts, codes)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def report(texts: dict[str, str], codes: list[str]) -> None:
    leaked = 0
    print(f"{'personal string':<28} where it appeared (public outputs)")
    for label, needle, how in SECRETS:
        where = [name for name, text in texts.items() if found(text, needle, how, codes)]
        leaked += bool(where)
        print(f"{label:<28} {', '.join(where) or '-'}")
    per_output = {name: sum(found(t, n, h, codes) for _l, n, h in SECRETS) for name, t in texts.items()}
    print()
    print(f"{'output':<16} strings found")
    for name, n in per_output.items():
        print(f"{name:<16} {n}")
    print()
    print(f"leaked: {leaked} of {len(SECRETS)} personal strings appeared in at least one public output")
    print(f"over-redaction ('Hope is what we need' changed) in: {', '.join(over_redacted(texts)) or 'none'}")
    print(f"lessonkit imported from: {lessonkit_path()}")


def lessonkit_path() -> str:
    return subprocess.run(
        [sys.executable, "-c", "import lessonkit; print(lessonkit.__file__)"], capture_output=True, text=True, cwd="/"
    ).stdout.strip()


if __name__ == "__main__":
    main()
