"""Loopback endpoints that fail as a mistyped one does."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port bound and never listening: connections to it are refused, and no other
    process can take it while the block runs (so no test races for a free port)."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]
