"""The CouchDB adapter without a server: addresses, credentials never shown, one clear error per failure."""

from __future__ import annotations

import httpx
import pytest
from support import free_port

from lessonkit.errors import SyncAuthError, SyncError
from lessonkit.store.couch import CouchDatabase, parse_remote

SECRET = "s3cr%40t"  # percent-encoded "s3cr@t"


def test_credentials_are_split_from_the_address_and_masked() -> None:
    remote = parse_remote(f"https://ana:{SECRET}@couch.example.org:6984/library/")
    assert remote.url == "https://couch.example.org:6984/library"
    assert (remote.user, remote.password) == ("ana", "s3cr@t")
    assert remote.masked_url == "https://***@couch.example.org:6984/library"
    assert parse_remote("http://127.0.0.1:5984/lib").masked_url == "http://127.0.0.1:5984/lib"


@pytest.mark.parametrize("bad", ["ftp://x/lib", "https://host", f"https://ana:{SECRET}@host:99999/lib", "library"])
def test_unusable_addresses_are_refused_without_showing_the_password(bad: str) -> None:
    with pytest.raises(SyncError, match="not a database address") as err:
        parse_remote(bad)
    assert SECRET not in str(err.value) and "s3cr@t" not in str(err.value)


def db_answering(status: int, body: object = None, text: str | None = None) -> CouchDatabase:
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text)
        return httpx.Response(status, json=body if body is not None else {"error": "x", "reason": "it broke"})

    remote = parse_remote(f"https://ana:{SECRET}@couch.example.org/lib")
    return CouchDatabase(remote, transport=httpx.MockTransport(handler))


def test_refused_credentials_say_where_to_give_them() -> None:
    with pytest.raises(SyncAuthError, match="LESSONKIT_SYNC_USER") as err:
        db_answering(401).ensure()
    assert "***@couch.example.org" in str(err.value) and "s3cr" not in str(err.value)


def test_server_errors_and_non_couchdb_answers_are_one_line() -> None:
    with pytest.raises(SyncError, match="answered 500 to POST _bulk_docs: it broke"):
        db_answering(500).bulk_docs([{"_id": "module:x", "_rev": "1-a"}])
    with pytest.raises(SyncError, match="is not a CouchDB database"):
        db_answering(200, text="<html>a login page</html>").ensure()


def test_an_unreachable_server_is_named_and_a_dropped_one_can_be_resumed() -> None:
    url = f"http://ana:{SECRET}@127.0.0.1:{free_port()}/lib"  # nothing listens there
    with pytest.raises(SyncError, match="Cannot reach http://\\*\\*\\*@127.0.0.1") as err:
        CouchDatabase(parse_remote(url)).ensure()
    assert "s3cr" not in str(err.value)
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) > 1:
            raise httpx.ReadError("dropped", request=request)
        return httpx.Response(200, json={"db_name": "lib"})

    db = CouchDatabase(parse_remote(url), transport=httpx.MockTransport(handler))
    assert db.ensure()["db_name"] == "lib"
    with pytest.raises(SyncError, match="Run the same command again"):
        db.changes(0)
