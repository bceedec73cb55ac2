"""The network's library server: one CouchDB database over HTTP (httpx). The only module that speaks HTTP to it.

Only the calls of CouchDB's replication protocol are used (``_changes``, ``_bulk_get``, ``_revs_diff``,
``_bulk_docs`` with ``new_edits: false``, ``_local/`` checkpoint documents), so Apache CouchDB, PouchDB Server and
Cloudant all work. Credentials travel as HTTP Basic auth; the address this module shows (``masked_url``) never holds
them, and neither do its errors.
"""

from __future__ import annotations

import functools
import json
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import httpx

from lessonkit.errors import SyncAuthError, SyncError
from lessonkit.i18n import _

Doc = dict[str, Any]


@dataclass(frozen=True)
class Remote:
    """A database address split into its public part and the credentials it carried."""

    url: str  # without credentials
    user: str | None = None
    password: str | None = None

    @property
    def masked_url(self) -> str:
        """The address to show a person: credentials replaced by ``***``."""
        if not self.user:
            return self.url
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(netloc="***@" + parts.netloc))


def parse_remote(url: str) -> Remote:
    """Split ``https://user:password@host/db`` into the address and its credentials; refuse what is not http(s)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") == "" or port == -1:
        raise SyncError(
            _("'{url}' is not a database address: give one like https://couch.example.org/library.").format(
                url=_masked(parts)
            )
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{port}" if port else "")
    public = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return Remote(public, user, password)


def _masked(parts: Any) -> str:
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=("***@" if "@" in parts.netloc else "") + netloc, query="", fragment=""))


@functools.lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """The system's certificate store, loaded once per process (loading it takes about 0.2 s)."""
    return ssl.create_default_context()


class CouchDatabase:
    """One database on a CouchDB-protocol server. ``transport`` lets tests drop the connection on purpose."""

    def __init__(self, remote: Remote, *, transport: httpx.BaseTransport | None = None, timeout_s: float = 60.0):
        self.remote = remote
        self._answered = False
        auth = httpx.BasicAuth(remote.user, remote.password or "") if remote.user else None
        self._client = httpx.Client(
            base_url=remote.url + "/",
            auth=auth,
            transport=transport,
            verify=_tls(),
            timeout=timeout_s,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CouchDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- one request -----------------------------------------------------------------------------------------
    def _request(self, method: str, path: str, *, ok: Sequence[int] = (200, 201), **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            message = (
                _(
                    "Lost the connection to {url} ({reason}). Run the same command again: the sync continues "
                    "from the last batch that arrived."
                )
                if self._answered
                else _("Cannot reach {url} ({reason}): check the address and the internet connection.")
            )
            raise SyncError(message.format(url=self.remote.masked_url, reason=type(exc).__name__)) from None
        self._answered = True
        if response.status_code in ok:
            return response
        if response.status_code in (401, 403):
            raise SyncAuthError(
                _(
                    "{url} refused access ({status}): give a user name and password in the address, or in "
                    "LESSONKIT_SYNC_USER and LESSONKIT_SYNC_PASSWORD."
                ).format(url=self.remote.masked_url, status=response.status_code)
            )
        raise SyncError(
            _("{url} answered {status} to {method} {path}: {reason}").format(
                url=self.remote.masked_url,
                status=response.status_code,
                method=method,
                path=path.split("?")[0] or "/",
                reason=_reason(response),
            )
        )

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        try:
            return response.json()
        except json.JSONDecodeError:
            raise SyncError(
                _("{url} is not a CouchDB database (its answer is not JSON).").format(url=self.remote.masked_url)
            ) from None

    # --- the replication protocol ------------------------------------------------------------------------------
    def ensure(self) -> Doc:
        """The database's information, creating the database when the server has none by that name."""
        response = self._request("GET", "", ok=(200, 404))
        if response.status_code == 404:
            self._request("PUT", "", ok=(201, 202, 412))
            response = self._request("GET", "")
        info = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
        if not isinstance(info, dict) or "db_name" not in info:
            raise SyncError(_("{url} is not a CouchDB database.").format(url=self.remote.masked_url))
        return info

    def changes(self, since: Any = 0, doc_ids: Sequence[str] | None = None) -> tuple[list[Doc], Any]:
        """Every change after ``since`` with all leaf revisions (``style=all_docs``), and the last sequence."""
        params = {"style": "all_docs", "since": json.dumps(since) if not isinstance(since, str) else since}
        if doc_ids is not None:
            params["filter"] = "_doc_ids"
            data = self._json("POST", "_changes", params=params, json={"doc_ids": list(doc_ids)})
        else:
            data = self._json("GET", "_changes", params=params)
        return list(data.get("results") or []), data.get("last_seq", since)

    def bulk_get(self, wanted: Sequence[tuple[str, str]]) -> list[Doc]:
        """The documents at the given (id, revision) pairs, each with its ``_revisions`` history."""
        if not wanted:
            return []
        data = self._json(
            "POST", "_bulk_get", params={"revs": "true"}, json={"docs": [{"id": i, "rev": r} for i, r in wanted]}
        )
        out: list[Doc] = []
        for result in data.get("results") or []:
            for item in result.get("docs") or []:
                if isinstance(item.get("ok"), dict):
                    out.append(item["ok"])
        return out

    def revs_diff(self, revs: dict[str, list[str]]) -> dict[str, list[str]]:
        """Which of these revisions the server lacks, by document id."""
        if not revs:
            return {}
        data = self._json("POST", "_revs_diff", json=revs)
        return {doc_id: list(entry.get("missing") or []) for doc_id, entry in data.items()}

    def bulk_docs(self, docs: Sequence[Doc]) -> list[Doc]:
        """Store revisions as they are (``new_edits: false``); returns the server's per-document errors."""
        if not docs:
            return []
        data = self._json("POST", "_bulk_docs", json={"docs": list(docs), "new_edits": False})
        return [d for d in data if isinstance(d, dict) and d.get("error")] if isinstance(data, list) else []

    def get_local(self, name: str) -> Doc | None:
        response = self._request("GET", f"_local/{quote(name, safe='')}", ok=(200, 404))
        return response.json() if response.status_code == 200 else None

    def put_local(self, name: str, doc: Doc) -> str:
        """Write a checkpoint document (pass the ``_rev`` it had); returns its new revision."""
        data = self._json("PUT", f"_local/{quote(name, safe='')}", json=doc)
        return str(data.get("rev") or "")


def _reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.reason_phrase
    if isinstance(data, dict):
        return str(data.get("reason") or data.get("error") or response.reason_phrase)
    return response.reason_phrase
