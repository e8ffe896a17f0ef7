"""The files a local Connect service keeps beside its database, and who may read them.

The provider (`local`), the service (`connect_contact_local`) and its test helpers
(`connect_contact_local.testing`) all find them here, so the names are decided once. Every file is private to its
owner (mode 0600): the database holds contacts' sensitive fields, and the admin
token is what proves a caller owns the service.
"""

from __future__ import annotations

import os
from pathlib import Path

ADMIN_TOKEN_HEADER = "X-Local-Admin-Token"
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def admin_token_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".admin-token")


def log_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".log")


def read_admin_token(db_path: Path) -> str:
    return admin_token_path(db_path).read_text().strip()


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by its owner only, atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.replace(temporary, path)


def open_private_log(path: Path):
    """The log file, opened for appending, created readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
    os.chmod(path, PRIVATE_FILE_MODE)
    return os.fdopen(descriptor, "ab")
