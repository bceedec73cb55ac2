"""A demo workspace seeded with things a report must never let out (importable as `report_seed`).

On top of the demo convening: the sample library, a scoring round with ratings, extra redaction terms, and notes
whose text mentions names, join codes, e-mail addresses, phone numbers and extra terms, at every sensitivity.
"""

from __future__ import annotations

from lessonkit.resources import data_path
from lessonkit.services import load_demo, submit_note
from lessonkit.services.library_io import import_library_json
from lessonkit.services.redact_terms import add_terms
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, submit_ratings
from lessonkit.store.workspace import BaseWorkspace

EXTRA_TERMS = ["Lakeview Community Hall", "Riverbend", "Pinecrest Workers Union"]
# Text in public notes that must come out redacted at level public.
SECRETS = [
    "Falcon",
    "Observer Jo",
    "DEMO-CCCC",
    "kiri.moana@example.org",
    "+44 20 7946 0958",
    "(555) 123-4567",
    "Lakeview Community Hall",
    "Pinecrest Workers Union",
]
# The same as single words, for text extracted from a PDF (table cells wrap: phrases may be split across lines).
SECRET_WORDS = [
    "Falcon",
    "Observer",
    "DEMO-CCCC",
    "kiri.moana@example.org",
    "7946",
    "123-4567",
    "Lakeview",
    "Pinecrest",
    "Riverbend",
]
PUBLIC_NOTE = (
    "We met Falcon and Observer Jo at Lakeview Community Hall; the Pinecrest Workers Union helped. "
    "Write to kiri.moana@example.org or call +44 20 7946 0958 or (555) 123-4567; Falcon's card said DEMO-CCCC."
)
RESTRICTED_NOTE = "Safe house keys are kept by the night shift; never write this down."
NETWORK_NOTE = "Tenant unions share legal aid lists across the river."
RUBRIC_NAME = "default"


def all_ratings(value: int, **override: int) -> dict[str, int]:
    rubric = load_rubric(RUBRIC_NAME)
    return {**{c.id: value for c in rubric.criteria}, **override}


def seed(ws: BaseWorkspace, notes: int = 0) -> None:
    """The demo convening plus everything above; ``notes`` more public notes by Kiri (for benchmarks)."""
    load_demo(ws, data_path("demo", "convening.json"))
    store = ws.store("demo")
    add_terms(store, EXTRA_TERMS)
    submit_note(store, 1, "what worked", PUBLIC_NOTE, ["space"], "public", "DEMO-BBBB")
    submit_note(store, 1, "risk", RESTRICTED_NOTE, ["security"], "restricted", "DEMO-CCCC")
    submit_note(store, 1, "need", NETWORK_NOTE, ["legal"], "network", "DEMO-AAAA")
    for i in range(notes):
        category = ("need", "what worked", "risk", "question")[i % 4]
        text = f"Note {i}: door-to-door work in block {i % 17} went well; ask Kiri Moana for the list."
        submit_note(store, 1, category, text, ["bench", f"t{i % 9}"], "public", "DEMO-BBBB")
    library = ws.library()
    import_library_json(library, data_path("demo", "library.json"))
    rubric = load_rubric(RUBRIC_NAME)
    rnd = open_round(store, library, "demo-banner-relay", "Riverbend town", rubric, target_description="Invented.")
    submit_ratings(store, rnd.id, "DEMO-AAAA", all_ratings(2, civic_space=4), rubric)
    submit_ratings(store, rnd.id, "DEMO-BBBB", all_ratings(3, civic_space=1), rubric)
    submit_ratings(store, rnd.id, "DEMO-CCCC", all_ratings(1), rubric)
