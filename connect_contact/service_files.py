"""The provider's half of its contract with a local Connect service: the files beside the
service's database that the provider reads (the admin token) or writes (the service's log, which
the launcher redirects there), and who may read them.

The service states its own half (`connect_contact_local.files`), which it writes by; a test holds
the two together. Every file is private to its owner (mode 0600): the database holds contacts'
sensitive fields, and the admin token is what proves a caller owns the service.
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


def open_private_log(path: Path):
    """The log file, opened for appending, created readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
    os.chmod(path, PRIVATE_FILE_MODE)
    return os.fdopen(descriptor, "ab")
