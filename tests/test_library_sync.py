"""Two workspaces share a library through a real CouchDB-protocol server (PouchDB Server, or Apache CouchDB at
LESSONKIT_COUCHDB_URL): both ways, edit back, review, retire, delete, conflicts, nothing below network, resumption."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from couch_support import CouchServer, couch_db, couch_server  # noqa: F401  (fixtures)
from support import run_cli

from lessonkit.cli import main
from lessonkit.domain.modules import ReviewStatus
from lessonkit.errors import SyncError
from lessonkit.services.library import (
    add_module,
    change_status,
    edit_module,
    get_module,
    list_modules,
    review_module,
)
from lessonkit.services.library_conflicts import list_conflicts, resolve_conflict
from lessonkit.services.library_io import import_library_json
from lessonkit.services.library_share import delete_module, share_modules
from lessonkit.services.library_sync import SyncReport, sync_library
from lessonkit.store import Workspace
from lessonkit.store.base import Store
from lessonkit.store.couch import CouchDatabase, parse_remote

pytestmark = pytest.mark.couchdb


class Laptop:
    """One organisation's workspace on disk, syncing with the test database."""

    def __init__(self, home: Path, server: CouchServer, db: str) -> None:
        self.home, self.server, self.db = home, server, db
        self.store: Store = Workspace(home).library()

    def sync(self, transport: httpx.BaseTransport | None = None, batch: int = 100) -> SyncReport:
        with CouchDatabase(parse_remote(self.server.url(self.db)), transport=transport) as db:
            return sync_library(self.store, db, batch=batch)


@pytest.fixture
def laptops(tmp_path: Path, couch_server: CouchServer, couch_db: str) -> tuple[Laptop, Laptop]:  # noqa: F811
    return Laptop(tmp_path / "a", couch_server, couch_db), Laptop(tmp_path / "b", couch_server, couch_db)


def add(target: Laptop | Store, slug: str, share: str = "network", **fields: object) -> None:
    store = target.store if isinstance(target, Laptop) else target
    add_module(store, {"slug": slug, "title": slug.title(), "type": "tactic", "summary": "v1", **fields})
    if share != "local":
        share_modules(store, [slug], share)


def live_docs(server: CouchServer, db: str) -> dict[str, dict]:
    return {d["_id"]: d for d in server.all_docs(db) if not d.get("_deleted")}


def test_first_sync_both_ways_then_edit_back(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "from-a")
    add(b, "from-b", sensitivity="public", share="public")
    assert a.sync().summary()["sent"] == 1
    first_b = b.sync().summary()
    assert first_b["received"] == 1 and first_b["sent"] == 1
    assert a.sync().summary()["received"] == 1
    assert {m.slug for m in list_modules(a.store)} == {"from-a", "from-b"}
    assert {m.slug for m in list_modules(b.store)} == {"from-a", "from-b"}
    edit_module(b.store, "from-a", {"summary": "improved by B"})
    assert b.sync().summary()["sent"] == 1
    assert a.sync().summary()["received"] == 1
    assert get_module(a.store, "from-a").summary == "improved by B"
    nothing = {"sent": 0, "received": 0, "conflicts": 0, "withdrawn": 0, "deleted": 0, "held_back": 0, "skipped": 0}
    assert a.sync().summary() == nothing and b.sync().summary() == nothing  # checkpoints: nothing twice
    reader = Laptop(a.home.parent / "reader", a.server, a.db)  # a laptop that only ever receives
    assert reader.sync().summary()["received"] == 2
    for laptop in (reader, b):
        quiet = Counting()
        assert laptop.sync(quiet).summary() == nothing
        assert not [p for p in quiet.paths if p.endswith(("_revs_diff", "_bulk_get", "_bulk_docs"))], quiet.paths


def test_review_and_retirement_travel_with_the_module(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "tactic", authors=[{"name": "Ana", "organisation": "Org A"}])
    change_status(a.store, "tactic", "in review")
    a.sync()
    b.sync()
    review_module(b.store, "tactic", "Bo", "Org B", "endorse", "Worked for us")
    b.sync()
    a.sync()
    reviews = get_module(a.store, "tactic").reviews
    assert [(r.reviewer, r.organisation, r.comments) for r in reviews] == [("Bo", "Org B", "Worked for us")]
    review_module(a.store, "tactic", "Cy", "Org C", "endorse")  # a second organisation, recorded on A's laptop
    change_status(a.store, "tactic", "endorsed")
    a.sync()
    b.sync()
    endorsed = get_module(b.store, "tactic")
    assert endorsed.status is ReviewStatus.ENDORSED and [r.organisation for r in endorsed.reviews] == ["Org B", "Org C"]
    change_status(a.store, "tactic", "retired")
    a.sync()
    b.sync()
    assert get_module(b.store, "tactic").status is ReviewStatus.RETIRED


def test_nothing_below_network_ever_reaches_the_server(laptops: tuple[Laptop, Laptop], tmp_path: Path) -> None:
    a, _b = laptops
    add(a, "draft-local", share="local")
    add(a, "convening-only", share="local", sensitivity="convening")
    add(a, "shared-then-restricted")
    add(a, "shared")
    add(a, "deleted-before-sharing")
    delete_module(a.store, "deleted-before-sharing")
    path = tmp_path / "bad.json"  # a file that claims network sharing for restricted content
    bad = {"slug": "claims-network", "title": "X", "type": "story", "sensitivity": "restricted", "share": "network"}
    path.write_text(json.dumps({"format": "lessonkit-library", "modules": [bad]}))
    import_library_json(a.store, path)
    a.sync()
    edit_module(a.store, "shared-then-restricted", {"sensitivity": "restricted", "summary": "names and places"})
    report = a.sync()
    assert report.withdrawn == ["shared-then-restricted"]
    everything = a.server.all_docs(a.db)
    assert {d["_id"] for d in everything} == {"module:shared", "module:shared-then-restricted"}
    live = live_docs(a.server, a.db)
    assert set(live) == {"module:shared"}
    for doc in live.values():
        assert doc["share"] in ("network", "public") and doc["sensitivity"] in ("network", "public")
    assert "names and places" not in json.dumps(everything)


def test_deletion_after_sharing_reaches_the_other_laptop(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "short-lived")
    a.sync()
    b.sync()
    delete_module(a.store, "short-lived")
    assert a.sync().summary()["deleted"] == 1
    assert b.sync().summary()["received"] == 1
    assert [m.slug for m in list_modules(b.store)] == []


def test_conflict_is_shown_on_both_and_the_choice_syncs(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "contested", sections={"how_to_use": "Meet at the square at dawn."})
    a.sync()
    b.sync()
    edit_module(a.store, "contested", {"sections": {"how_to_use": "Meet at the square at noon."}})
    edit_module(b.store, "contested", {"sections": {"how_to_use": "Meet at the park at dawn."}})
    a.sync()
    assert b.sync().conflicts == ["contested"]
    assert a.sync().conflicts == ["contested"]
    on_a, on_b = list_conflicts(a.store)[0], list_conflicts(b.store)[0]
    assert on_a.versions[0].rev == on_b.versions[0].rev  # every laptop shows the same version meanwhile
    assert {v.here for v in on_a.versions} == {True, False}
    diff = on_a.differences()[0]
    assert diff.key == "sections.how_to_use" and "[-" in diff.as_text() and "{+" in diff.as_text()
    b_version = next(v for v in on_a.versions if not v.here)
    resolve_conflict(a.store, "contested", keep=b_version.rev)
    assert a.sync().conflicts == [] and b.sync().conflicts == []
    assert get_module(a.store, "contested").section("how_to_use") == "Meet at the park at dawn."
    assert get_module(b.store, "contested").section("how_to_use") == "Meet at the park at dawn."
    with a.server.client() as c:
        doc = c.get(f"/{a.db}/module:contested", params={"conflicts": "true"}).json()
    assert "_conflicts" not in doc and doc["sections"]["how_to_use"] == "Meet at the park at dawn."


class Counting(httpx.HTTPTransport):
    """A connection that remembers the paths it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return super().handle_request(request)


class DropOn(httpx.HTTPTransport):
    """A connection that drops on the ``n``-th request to an endpoint (counting from 1)."""

    def __init__(self, endpoint: str, n: int) -> None:
        super().__init__()
        self.endpoint, self.n, self.seen = endpoint, n, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(self.endpoint):
            self.seen += 1
            if self.seen == self.n:
                raise httpx.ConnectError("connection dropped", request=request)
        return super().handle_request(request)


def test_an_interrupted_sync_resumes_from_its_checkpoint(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    for i in range(25):
        add(a, f"m{i:02d}")
    with pytest.raises(SyncError, match="Run the same command again"):
        a.sync(DropOn("_bulk_docs", 2), batch=10)
    assert len(live_docs(a.server, a.db)) == 10  # the first batch arrived and was checkpointed
    assert a.sync(batch=10).summary()["sent"] == 15  # only the rest is sent again
    with pytest.raises(SyncError):
        b.sync(DropOn("_bulk_get", 3), batch=10)
    assert len(list_modules(b.store)) == 20
    assert b.sync(batch=10).summary()["received"] == 5
    assert len(list_modules(b.store)) == 25


def test_a_recreated_server_database_gets_everything_again(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "kept")
    a.sync()
    add(b, "from-b")
    b.sync()
    a.sync()
    a.server.drop(a.db)
    with a.server.client() as c:
        c.put(f"/{a.db}")
    assert a.sync().summary()["sent"] == 2  # its checkpoint is gone with it: the push starts over
    assert set(live_docs(a.server, a.db)) == {"module:kept", "module:from-b"}
    again = b.sync().summary()  # B starts over too (checkpoints differ) and finds nothing new either way
    assert again["received"] == 0 and again["sent"] == 0 and again["conflicts"] == 0


def test_the_same_import_on_two_laptops_does_not_conflict(laptops: tuple[Laptop, Laptop], tmp_path: Path) -> None:
    a, b = laptops
    path = tmp_path / "corpus.json"
    mods = [{"slug": f"bt-{i}", "title": f"T{i}", "type": "tactic", "sensitivity": "public", "share": "public"}
            for i in range(5)]
    path.write_text(json.dumps({"format": "lessonkit-library", "modules": mods}))
    import_library_json(a.store, path)
    import_library_json(b.store, path)
    assert a.sync().summary()["sent"] == 5
    second = b.sync().summary()
    assert second["sent"] == 0 and second["conflicts"] == 0  # identical first revisions


def cli(home: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args], env=env, input=input)


def test_cli_sync_takes_credentials_from_the_environment_and_never_shows_them(
    couch_server: CouchServer, couch_db: str, tmp_path: Path  # noqa: F811
) -> None:
    home = tmp_path / "ws"
    add(Workspace(home).library(), "cli-module")
    url = couch_server.url(couch_db, with_credentials=False)
    env = {"LESSONKIT_SYNC_USER": couch_server.user, "LESSONKIT_SYNC_PASSWORD": couch_server.password}
    done = run_cli("library", "sync", url, "--format", "json", home=home, env=env)  # the real console script
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["sent"] == 1 and summary["conflicts"] == 0 and summary["server"] == url.replace("//", "//***@")
    assert "Syncing" in done.stderr and couch_server.password not in done.stdout + done.stderr
    wrong = couch_server.url(couch_db).replace(couch_server.password, "not-the-password")
    refused = cli(home, "library", "sync", wrong)
    assert refused.exit_code == 1 and refused.output.count("\n") == 1  # one line, no traceback
    assert "not-the-password" not in refused.output and "***@" in refused.output and "refused access" in refused.output
    asked = url.replace("//", f"//{couch_server.user}@")
    prompted = cli(home, "library", "sync", asked, input=couch_server.password + "\n")
    assert prompted.exit_code == 0, prompted.output
    assert "sent 0, received 0, conflicts 0" in prompted.output and couch_server.password not in prompted.output
    for path in home.rglob("*"):
        if path.is_file():
            assert couch_server.password not in path.read_text(errors="replace"), path


def test_cli_conflicts_and_resolve(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "two-views")
    a.sync()
    b.sync()
    edit_module(a.store, "two-views", {"summary": "the view from A"})
    edit_module(b.store, "two-views", {"summary": "the view from B"})
    a.sync()
    b.sync()
    found = json.loads(cli(b.home, "library", "conflicts", "--format", "json").output)
    assert [c["slug"] for c in found] == ["two-views"] and len(found[0]["versions"]) == 2
    assert found[0]["differences"][0][0]["field"] == "summary"
    text = cli(b.home, "library", "conflicts").output
    assert "two-views: 2 versions" in text and "[-" in text and "library resolve" in text
    merged = b.home / "merged.json"
    merged.write_text(json.dumps({**found[0]["versions"][0]["module"], "summary": "both views"}))
    done = cli(b.home, "library", "resolve", "two-views", "--merged", str(merged))
    assert done.exit_code == 0, done.output
    assert cli(b.home, "library", "resolve", "two-views", "--keep", "1-x").output.startswith("Error: ")
    b.sync()
    a.sync()
    assert get_module(a.store, "two-views").summary == "both views" and list_conflicts(a.store) == []
    assert "No conflicts" in cli(a.home, "library", "conflicts").output


def test_cli_share_and_delete(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    add(Workspace(home).library(), "mine", share="local")
    add(Workspace(home).library(), "private", share="local", sensitivity="restricted")
    shared = cli(home, "library", "share", "mine", "--level", "network")
    assert shared.exit_code == 0 and "1 module is now: Network" in shared.output
    refused = cli(home, "library", "share", "private", "--level", "network")
    assert refused.exit_code == 1 and "never leaves this laptop" in refused.output
    gone = cli(home, "library", "delete", "mine", "--yes")
    assert gone.exit_code == 0 and "never shared" in gone.output


def test_a_name_clash_is_skipped_then_becomes_a_conflict_once_shared(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    add(a, "same-name", summary="A's tactic")
    add(b, "same-name", share="local", summary="B's own, never shared")
    a.sync()
    first = b.sync()
    assert [item for item, _reason in first.skipped] == ["same-name"] and first.summary()["received"] == 0
    assert get_module(b.store, "same-name").summary == "B's own, never shared"  # never overwritten
    share_modules(b.store, ["same-name"], "network")
    second = b.sync()  # the skipped document is fetched again: now both versions are kept, for a person to settle
    assert second.conflicts == ["same-name"] and second.skipped == []
    assert {v.module.summary for v in list_conflicts(b.store)[0].versions} == {"A's tactic", "B's own, never shared"}


# --- signals as evidence (issue 16): module schema version 3 --------------------------------------------------


def test_signals_and_their_peer_reviews_travel_with_the_module(laptops: tuple[Laptop, Laptop]) -> None:
    from lessonkit.services.signals import add_signal, review_signal

    a, b = laptops
    add(a, "forum")
    add_signal(a.store, "forum", {"what": "Tenants", "value": 40, "baseline": 12, "outcome": "turnout-shift",
                                  "period": "2025-03/2025-05", "factors": ["shared meals"], "organisation": "Org A"})
    a.sync()
    assert b.sync().summary()["received"] == 1
    (received,) = get_module(b.store, "forum").signals
    assert received.outcome.value == "turnout-shift" and received.factors == ("shared meals",)
    assert received.period is not None and received.period.end.isoformat() == "2025-05-31"
    review_signal(b.store, "forum", 1, "Bo", "Org B", "success")
    assert b.sync().summary()["sent"] == 1
    a.sync()
    assert get_module(a.store, "forum").signals[0].result is not None
    assert get_module(a.store, "forum").signals[0].result.value == "success"  # type: ignore[union-attr]
    assert list_conflicts(a.store) == [] and list_conflicts(b.store) == []


def test_a_module_stored_before_version_3_syncs_and_reads_as_evidence(laptops: tuple[Laptop, Laptop]) -> None:
    """A module written by a lessonkit of schema version 2 (signals without outcome, period or reviews), shared as it
    is stored, reaches the other laptop and reads as version 3; an edit there comes back as version 3."""
    a, b = laptops
    old = {"schema_version": 2, "slug": "old", "title": "Old", "type": "tactic", "share": "local",
           "sensitivity": "network", "signals": [{"what": "Turnout", "value": 3, "unit": "", "baseline": None,
                                                  "source": "count"}]}
    a.store.insert("modules", old)
    share_modules(a.store, ["old"], "network")
    assert a.sync().summary()["sent"] == 1
    b.sync()
    (signal,) = get_module(b.store, "old").signals
    assert signal.what == "Turnout" and signal.outcome.value == "other" and signal.reviews == ()
    edit_module(b.store, "old", {"summary": "now with a summary"})
    assert b.store.all("modules")[0]["schema_version"] == 3
    b.sync()
    assert a.sync().summary()["received"] == 1
    assert get_module(a.store, "old").summary == "now with a summary"
    assert list_conflicts(a.store) == []
