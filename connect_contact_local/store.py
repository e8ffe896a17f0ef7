"""SQLite persistence: instances, contacts, client tokens and the clock offset.

Writes share one connection, guarded by a lock, and take SQLite's write lock up
front (``BEGIN IMMEDIATE``) so read-check-write sequences such as idempotent
creates are atomic, even against another process on the same file. Reads run on
read-only connections of their own, outside that lock: in WAL mode each sees the
last commit, so a long search never makes a write, or another read, wait.

Durability: WAL journal with ``synchronous=NORMAL``. A commit is in the WAL
file (the operating system's cache) before the response is sent, so killing
the process, even with SIGKILL, never loses an acknowledged write. (A power
cut could lose the last commits; that is not what this service is for.)

Contacts and instances are stored as JSON documents keyed by API member names,
next to the few columns searches filter and sort on.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import quote

from . import rules
from .files import PRIVATE_FILE_MODE

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY,
    alias TEXT UNIQUE,
    created_at REAL NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    instance_id TEXT NOT NULL,
    id TEXT NOT NULL,
    channel TEXT NOT NULL,
    initiation_method TEXT NOT NULL,
    initiated_at REAL NOT NULL,
    disconnected_at REAL,
    expires_at REAL,
    connected_at REAL,
    tags TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (instance_id, id)
);
DROP INDEX IF EXISTS contacts_by_initiation;
-- Serves a search on the initiation time in its own order: a page is an index range, at any size.
CREATE INDEX IF NOT EXISTS contacts_by_initiation_and_id ON contacts (instance_id, initiated_at, id);
CREATE TABLE IF NOT EXISTS client_tokens (
    scope TEXT NOT NULL,
    token TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    issued_at REAL NOT NULL,
    PRIMARY KEY (scope, token)
);
CREATE INDEX IF NOT EXISTS client_tokens_by_issue ON client_tokens (issued_at);
"""

# When a contact ended: `rules.ended_at`, registered on the connection under this name.
_ENDED_AT = "ended_at(disconnected_at, expires_at, :now)"
# The SQL value of each searchable / sortable field (SearchContacts' enums).
_FIELDS = {
    "INITIATION_TIMESTAMP": "initiated_at",
    "DISCONNECT_TIMESTAMP": _ENDED_AT,
    "CONNECTED_TO_AGENT_TIMESTAMP": "connected_at",
    "EXPIRY_TIMESTAMP": "expires_at",
    "SCHEDULED_TIMESTAMP": "NULL",
    "ENQUEUE_TIMESTAMP": "NULL",
    "CHANNEL": "channel",
    "INITIATION_METHOD": "initiation_method",
}
# Contacts without a timestamp sort after those with one (ascending).
_MISSING_TIME = 1e18
# Sort keys that are never NULL: sorted on the bare column, which an index can serve.
_NOT_NULL_FIELDS = ("INITIATION_TIMESTAMP", "CHANNEL", "INITIATION_METHOD")
_TEXT_FIELDS = ("CHANNEL", "INITIATION_METHOD")


def _make_private(path: Path) -> None:
    """The database and its WAL files readable by their owner only (they hold sensitive fields),
    including files an earlier version created with wider modes."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            os.chmod(file, PRIVATE_FILE_MODE)


class StoreClosed(RuntimeError):
    """The store was closed (the service is shutting down)."""


def supports_field(name: str) -> bool:
    return name in _FIELDS


def sorts_as_text(name: str) -> bool:
    """Whether a search sorted on `name` sorts on text (else on a number: timestamps, never null)."""
    return name in _TEXT_FIELDS


TagCondition = tuple[str, Optional[str]]
"""A tag key, and the value it must have (None: any value)."""


@dataclass(frozen=True)
class TagFilter:
    """Conditions that must all hold, and (unless None) AND-lists of conditions of which one must."""

    required: list[TagCondition]
    alternatives: Optional[list[list[TagCondition]]] = None


@dataclass(frozen=True)
class TextFilter:
    """Search texts and how they combine (SearchContactsMatchType) over one text of the contact."""

    texts: list[str]
    match_type: str
    ignore_case: bool = False  # the texts are then casefolded already


@dataclass(frozen=True)
class AttributeFilter:
    """(attribute key, values it may have; none: any value) criteria and how they combine."""

    criteria: list[tuple[str, list[str]]]
    match_type: str


@dataclass
class ContactQuery:
    """One page of a contact search."""

    instance_id: str
    time_field: str
    start: float
    end: float
    now: float
    not_before: float
    sort_field: str = "INITIATION_TIMESTAMP"
    descending: bool = False
    channels: list[str] = field(default_factory=list)
    initiation_methods: list[str] = field(default_factory=list)
    tag_filter: Optional[TagFilter] = None
    agent_ids: list[str] = field(default_factory=list)
    queue_ids: list[str] = field(default_factory=list)
    name: Optional[TextFilter] = None
    attributes: Optional[AttributeFilter] = None
    after: Optional[list] = None
    limit: int = 100


class Store:
    """The SQLite database file behind the service."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _make_private(self.path)
        self._lock = threading.Lock()
        self._db = _connect(str(self.path))
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._closed = False
        self._readers_lock = threading.Lock()
        self._idle_readers: list[sqlite3.Connection] = []

    @contextmanager
    def reading(self) -> Iterator["Transaction"]:
        """A read transaction on a read-only connection of its own: it waits for no writer."""
        reader = self._take_reader()
        try:
            reader.execute("BEGIN")
            try:
                yield Transaction(reader)
            finally:
                if reader.in_transaction:
                    reader.execute("ROLLBACK")
        finally:
            self._give_back(reader)

    @contextmanager
    def writing(self) -> Iterator["Transaction"]:
        """A write transaction: committed, durably, when the block ends without error."""
        with self._transaction("BEGIN IMMEDIATE") as transaction:
            yield transaction

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()
        with self._readers_lock:
            idle, self._idle_readers = self._idle_readers, []
        for reader in idle:
            reader.close()

    def _take_reader(self) -> sqlite3.Connection:
        with self._readers_lock:
            if self._closed:
                raise StoreClosed("the local Connect service is shutting down")
            if self._idle_readers:
                return self._idle_readers.pop()
        return _connect(f"file:{quote(str(self.path))}?mode=ro", uri=True)

    def _give_back(self, reader: sqlite3.Connection) -> None:
        with self._readers_lock:
            if not self._closed and len(self._idle_readers) < _IDLE_READERS:
                self._idle_readers.append(reader)
                return
        reader.close()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator["Transaction"]:
        with self._lock:
            if self._closed:
                raise StoreClosed("the local Connect service is shutting down")
            self._db.execute(begin)
            try:
                yield Transaction(self._db)
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise


_IDLE_READERS = 8
"""Read-only connections kept open between requests; more are opened while more threads read."""


def _connect(database: str, uri: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(database, uri=uri, isolation_level=None, check_same_thread=False, timeout=30.0)
    db.create_function("name_matches", 4, _name_matches, deterministic=True)
    db.create_function("ended_at", 3, rules.ended_at, deterministic=True)
    return db


class Transaction:
    """The queries the service runs, inside one transaction."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    # -- meta

    def meta(self, key: str) -> Optional[str]:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- instances

    def instance(self, instance_id: str) -> Optional[dict]:
        row = self._db.execute("SELECT doc FROM instances WHERE id = ?", (instance_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def alias_taken(self, alias: str) -> bool:
        return self._db.execute("SELECT 1 FROM instances WHERE alias = ?", (alias,)).fetchone() is not None

    def insert_instance(self, doc: dict) -> None:
        self._db.execute(
            "INSERT INTO instances (id, alias, created_at, doc) VALUES (?, ?, ?, ?)",
            (doc["Id"], doc.get("InstanceAlias"), doc["CreatedTime"], json.dumps(doc)),
        )

    def replace_instance(self, doc: dict) -> None:
        self._db.execute("UPDATE instances SET doc = ? WHERE id = ?", (json.dumps(doc), doc["Id"]))

    def delete_instance(self, instance_id: str) -> None:
        """The instance, its contacts and its client tokens: gone for good."""
        self._db.execute("DELETE FROM contacts WHERE instance_id = ?", (instance_id,))
        self._db.execute("DELETE FROM client_tokens WHERE scope = ?", (instance_id,))
        self._db.execute("DELETE FROM instances WHERE id = ?", (instance_id,))

    def instances(self, after: Optional[list], limit: int, region: Optional[str] = None) -> list[dict]:
        """Instances in creation order, after the (created_at, id) key `after`; only `region`'s when given."""
        created_at, instance_id = after if after else (-1.0, "")
        rows = self._db.execute(
            "SELECT doc FROM instances WHERE (created_at, id) > (?, ?)"
            " AND (? IS NULL OR json_extract(doc, '$.Arn') GLOB 'arn:*:connect:' || ? || ':*')"
            " ORDER BY created_at, id LIMIT ?",
            (created_at, instance_id, region, region, limit),
        )
        return [json.loads(doc) for (doc,) in rows]

    # -- contacts

    def contact(self, instance_id: str, contact_id: str) -> Optional[dict]:
        row = self._db.execute(
            "SELECT doc FROM contacts WHERE instance_id = ? AND id = ?", (instance_id, contact_id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def insert_contact(self, instance_id: str, doc: dict) -> None:
        self._db.execute(
            "INSERT INTO contacts (instance_id, id, channel, initiation_method, initiated_at, disconnected_at,"
            " expires_at, connected_at, tags, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (instance_id, doc["Id"], *_contact_columns(doc)),
        )

    def replace_contact(self, instance_id: str, doc: dict) -> None:
        self._db.execute(
            "UPDATE contacts SET channel = ?, initiation_method = ?, initiated_at = ?, disconnected_at = ?,"
            " expires_at = ?, connected_at = ?, tags = ?, doc = ? WHERE instance_id = ? AND id = ?",
            (*_contact_columns(doc), instance_id, doc["Id"]),
        )

    def search_contacts(self, query: ContactQuery) -> list[tuple[dict, list]]:
        """One page of matching contacts, each with its position (sort key). Sorted on the
        initiation time, a page is a range of the index: its cost does not grow with the table."""
        where, params = _search_filter(query, paging_on_initiation=query.after is not None
                                        and query.sort_field == "INITIATION_TIMESTAMP")
        column = _FIELDS[query.sort_field]
        sort = column if query.sort_field in _NOT_NULL_FIELDS else f"COALESCE({column}, {_MISSING_TIME})"
        direction = "DESC" if query.descending else "ASC"
        if query.after is not None:
            where += f" AND ({sort}, id) {'<' if query.descending else '>'} (:after_key, :after_id)"
            params = {**params, "after_key": query.after[0], "after_id": query.after[1]}
        rows = self._db.execute(
            f"SELECT doc, {sort}, id FROM contacts WHERE {where}"
            f" ORDER BY {sort} {direction}, id {direction} LIMIT :limit",
            {**params, "limit": query.limit},
        ).fetchall()
        return [(json.loads(doc), [key, contact_id]) for doc, key, contact_id in rows]

    def count_contacts(self, query: ContactQuery) -> int:
        """How many contacts match `query` (whatever its page)."""
        where, params = _search_filter(query)
        return self._db.execute(f"SELECT COUNT(*) FROM contacts WHERE {where}", params).fetchone()[0]

    # -- client tokens

    def client_token(self, scope: str, token: str) -> Optional[tuple[str, str, float]]:
        """(request hash, resource id, issued at) remembered for this token, if any."""
        return self._db.execute(
            "SELECT request_hash, resource_id, issued_at FROM client_tokens WHERE scope = ? AND token = ?",
            (scope, token),
        ).fetchone()

    def remember_client_token(self, scope: str, token: str, request_hash: str, resource_id: str, issued_at: float) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO client_tokens (scope, token, request_hash, resource_id, issued_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (scope, token, request_hash, resource_id, issued_at),
        )

    def forget_client_tokens(self, issued_before: float) -> None:
        self._db.execute("DELETE FROM client_tokens WHERE issued_at < ?", (issued_before,))


def _contact_columns(doc: dict) -> tuple[Any, ...]:
    return (
        doc["Channel"],
        doc["InitiationMethod"],
        doc["InitiationTimestamp"],
        doc.get("DisconnectTimestamp"),
        doc.get("ExpiryTimestamp"),
        (doc.get("AgentInfo") or {}).get("ConnectedToAgentTimestamp"),
        json.dumps(doc.get("Tags") or {}),
        json.dumps(doc),
    )


def _search_filter(query: ContactQuery, paging_on_initiation: bool = False) -> tuple[str, dict[str, Any]]:
    # One lower and one upper bound on initiated_at, so that SQLite narrows the index range with
    # both: the retention limit, the time range when it is on initiation, and the page's start.
    low, high = query.not_before, math.inf
    clauses = ["instance_id = :instance_id", "initiated_at BETWEEN :low AND :high"]
    if query.time_field == "INITIATION_TIMESTAMP":
        low, high = max(low, query.start), query.end
    else:
        clauses.append(f"{_FIELDS[query.time_field]} BETWEEN :start AND :end")
    if paging_on_initiation:
        if query.descending:
            high = min(high, query.after[0])
        else:
            low = max(low, query.after[0])
    params: dict[str, Any] = {
        "instance_id": query.instance_id, "low": low, "high": high,
        "start": query.start, "end": query.end, "now": query.now,
    }
    for column, values in (("channel", query.channels), ("initiation_method", query.initiation_methods)):
        if values:
            names = [f"{column}_{index}" for index in range(len(values))]
            clauses.append(f"{column} IN ({', '.join(':' + name for name in names)})")
            params.update(zip(names, values))
    for document_path, values in (("$.AgentInfo.Id", query.agent_ids), ("$.QueueInfo.Id", query.queue_ids)):
        if values:
            clauses.append(f"json_extract(doc, '{document_path}') IN ({_placeholders(params, values)})")
    if query.tag_filter is not None:
        clauses.extend(_tag_clauses(query.tag_filter, params))
    if query.name is not None and query.name.texts:
        clauses.append(_name_clause(query.name, params))
    if query.attributes is not None and query.attributes.criteria:
        clauses.append(_attribute_clause(query.attributes, params))
    return " AND ".join(clauses), params


@functools.lru_cache(maxsize=16)
def _texts(texts_json: str) -> tuple[str, ...]:
    return tuple(json.loads(texts_json))


def _name_matches(name: Optional[str], texts_json: str, match_type: str, ignore_case: int) -> bool:
    """Whether a name matches the search texts as the SearchContactsMatchType says (`texts_json` already
    casefolded when `ignore_case`): the texts it contains, all, any or none; or is one of them, exactly."""
    shown = name if isinstance(name, str) else ""
    if ignore_case:
        shown = shown.casefold()
    texts = _texts(texts_json)
    if match_type == "MATCH_EXACT":
        return shown in texts
    contained = (text in shown for text in texts)
    if match_type == "MATCH_ANY":
        return any(contained)
    if match_type == "MATCH_NONE":
        return not any(contained)
    return all(contained)


def _placeholders(params: dict[str, Any], values: list) -> str:
    """Named parameters for `values`, added to `params`: their names, comma-separated."""
    names = []
    for value in values:
        name = f"value_{len(params)}"
        params[name] = value
        names.append(":" + name)
    return ", ".join(names)


def _combined(terms: list[str], match_type: str) -> str:
    """Terms combined as a SearchContactsMatchType says: all, any, or none of them hold."""
    if match_type == "MATCH_ANY":
        return "(" + " OR ".join(terms) + ")"
    if match_type == "MATCH_NONE":
        return "NOT (" + " OR ".join(terms) + ")"
    return "(" + " AND ".join(terms) + ")"


def _name_clause(name: TextFilter, params: dict[str, Any]) -> str:
    """The contact's name against the search texts: one call per contact, however many texts."""
    texts = _placeholders(params, [json.dumps(name.texts)])
    match_type = _placeholders(params, [name.match_type])
    return f"name_matches(json_extract(doc, '$.Name'), {texts}, {match_type}, {int(name.ignore_case)})"


def _attribute_clause(attributes: AttributeFilter, params: dict[str, Any]) -> str:
    terms = []
    for key, values in attributes.criteria:
        value_test = f" AND value IN ({_placeholders(params, values)})" if values else ""
        terms.append(f"EXISTS (SELECT 1 FROM json_each(contacts.doc, '$.Attributes')"
                     f" WHERE key = {_placeholders(params, [key])}{value_test})")
    return _combined(terms, attributes.match_type)


def _tag_clauses(tags: TagFilter, params: dict[str, Any]) -> list[str]:
    """One EXISTS test per condition given (the required ones once, not once per alternative)."""
    def term(condition: TagCondition) -> str:
        key, value = condition
        index = len(params)
        params[f"tag_key_{index}"] = key
        match_value = ""
        if value is not None:
            params[f"tag_value_{index}"] = value
            match_value = f" AND value = :tag_value_{index}"
        return f"EXISTS (SELECT 1 FROM json_each(contacts.tags) WHERE key = :tag_key_{index}{match_value})"

    clauses = [term(condition) for condition in tags.required]
    if tags.alternatives is not None:
        alternatives = ["(" + " AND ".join([term(condition) for condition in group] or ["1"]) + ")"
                        for group in tags.alternatives]
        clauses.append("(" + " OR ".join(alternatives or ["0"]) + ")")
    return clauses
