"""A CouchDB-protocol server for the sync tests and benchmark.

PouchDB Server from npm (``pouchdb-server``, in memory, installed by .ci/run under ~/.cache/lessonkit-npm), started
once per test session on a free port with an admin account; or Apache CouchDB when ``LESSONKIT_COUCHDB_URL`` names
one (``http://admin:password@127.0.0.1:5984``): then the same tests run against it. Each test gets a fresh
database, deleted afterwards. Without node or pouchdb-server the tests skip, unless CI strictness is asked
(``LESSONKIT_REQUIRE_SERVERS=1`` or ``LESSONKIT_REQUIRE_BROWSER=1``): then they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from support import free_port

NPM_PREFIX = Path(os.environ.get("LESSONKIT_NPM_PREFIX", "~/.cache/lessonkit-npm")).expanduser()


def strict() -> bool:
    return "1" in (os.environ.get("LESSONKIT_REQUIRE_SERVERS"), os.environ.get("LESSONKIT_REQUIRE_BROWSER"))


def npm_bin(name: str) -> Path | None:
    path = NPM_PREFIX / "node_modules" / ".bin" / name
    return path if path.exists() and shutil.which("node") else None


@dataclass
class CouchServer:
    """A running server: its address without credentials and an admin account."""

    base: str
    user: str
    password: str
    proc: subprocess.Popen[bytes] | None = None
    folder: Path | None = None
    kind: str = "pouchdb-server"
    dbs: list[str] = field(default_factory=list)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, auth=(self.user, self.password), timeout=30)

    def url(self, db: str, *, with_credentials: bool = True) -> str:
        parts = urlsplit(self.base)
        netloc = f"{self.user}:{self.password}@{parts.netloc}" if with_credentials else parts.netloc
        return urlunsplit((parts.scheme, netloc, f"/{db}", "", ""))

    def new_db(self) -> str:
        name = f"lk-{uuid.uuid4().hex[:12]}"
        with self.client() as c:
            assert c.put(f"/{name}").status_code in (201, 202)
        self.dbs.append(name)
        return name

    def drop(self, name: str) -> None:
        with self.client() as c:
            c.delete(f"/{name}")

    def all_docs(self, name: str) -> list[dict]:
        """Every document on the server, deleted ones too, with every leaf revision (conflicts included)."""
        with self.client() as c:
            rows = c.get(f"/{name}/_changes").json()["results"]
            docs = []
            for row in rows:
                resp = c.get(
                    f"/{name}/{row['id']}", params={"open_revs": "all"}, headers={"Accept": "application/json"}
                )
                docs += [d["ok"] for d in resp.json() if "ok" in d]
            return docs

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_pouchdb_server(timeout_s: float = 60.0) -> CouchServer:
    """PouchDB Server in memory on a free port, with an admin account (so the credentials path is exercised)."""
    binary = npm_bin("pouchdb-server")
    if binary is None:
        raise FileNotFoundError("pouchdb-server")
    folder = Path(tempfile.mkdtemp(prefix="lessonkit-pouchdb-"))  # it writes config.json and log.txt in its cwd
    port = free_port()
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen(
        [str(binary), "--in-memory", "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    server = CouchServer(f"http://127.0.0.1:{port}", "admin", secrets.token_urlsafe(12), proc, folder)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(server.base + "/", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            text = (folder / "server.log").read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"pouchdb-server did not start: {text}")
        time.sleep(0.1)
    resp = httpx.put(f"{server.base}/_config/admins/{server.user}", json=server.password, timeout=10)
    assert resp.status_code == 200, resp.text
    return server


def external_couchdb(url: str) -> CouchServer:
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], "", "", ""))
    return CouchServer(base, parts.username or "", parts.password or "", kind="couchdb")


@pytest.fixture(scope="session")
def couch_server() -> Iterator[CouchServer]:
    """Apache CouchDB at LESSONKIT_COUCHDB_URL, else PouchDB Server from npm (one per test session)."""
    url = os.environ.get("LESSONKIT_COUCHDB_URL")
    if url:
        yield external_couchdb(url)
        return
    try:
        server = start_pouchdb_server()
    except FileNotFoundError:
        message = f"pouchdb-server is not installed under {NPM_PREFIX} (see .ci/run), or node is missing"
        if strict():
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def couch_db(couch_server: CouchServer) -> Iterator[str]:
    """A fresh, empty database on the server (its name); deleted after the test."""
    name = couch_server.new_db()
    yield name
    couch_server.drop(name)
