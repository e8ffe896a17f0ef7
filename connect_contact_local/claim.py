"""What the service writes beside its database before it serves: the claim on the database and
its admin token (the names of those files are the provider's, in `connect_contact.service_files`)."""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path

from connect_contact.service_files import PRIVATE_FILE_MODE, admin_token_path, write_private


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


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
