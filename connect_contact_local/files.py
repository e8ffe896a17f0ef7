"""The files the service writes beside its database, all private to their owner (mode 0600): the
claim on the database, its admin token, and the records of where it runs.

These names are the service's half of its contract with its clients; the provider's half, what it
reads to find and prove its project's service, is `connect_contact.service_files`, and the tests
that start the service through the provider fail if the two ever disagree.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path

ADMIN_TOKEN_HEADER = "X-Local-Admin-Token"
PRIVATE_FILE_MODE = 0o600


def admin_token_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".admin-token")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by its owner only, atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.replace(temporary, path)


def new_admin_token(db_path: Path) -> str:
    token = secrets.token_urlsafe(32)
    write_private(admin_token_path(db_path), token + "\n")
    return token


class DatabaseInUse(RuntimeError):
    """Another local Connect service runs on this database."""


class DatabaseClaim:
    """An exclusive lock on a database's lock file, held while a service runs on the database
    (the operating system releases it when the process ends, however it ends)."""

    def __init__(self, descriptor: int):
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1


def claim_database(db_path: Path) -> DatabaseClaim:
    """The database for this process alone, or DatabaseInUse, before anything beside it is written."""
    descriptor = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise DatabaseInUse(f"another local Connect service runs on the database {db_path}") from None
    return DatabaseClaim(descriptor)
