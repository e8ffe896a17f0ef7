"""A read holds no lock a write or another read waits for: a long search cannot stall the service.

Reads run on read-only connections of their own; in WAL mode each read transaction sees the last
commit made before it began reading. The verdicts here are about what completes while a read is
held open, never about how long anything took.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from connect_contact_local.store import Store, StoreClosed

INSTANCE = {"Id": "i-1", "InstanceAlias": "one", "CreatedTime": 1.0}


def contact(contact_id: str) -> dict:
    return {"Id": contact_id, "Channel": "TASK", "InitiationMethod": "API", "InitiationTimestamp": 2.0}


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "connect.db")
    with store.writing() as tx:
        tx.insert_instance(INSTANCE)
        tx.insert_contact("i-1", contact("c-1"))
    yield store
    store.close()


def test_a_write_and_a_read_complete_while_another_read_is_held_open(store):
    reading, release, seen_by_held = threading.Event(), threading.Event(), []

    def long_read() -> None:
        with store.reading() as tx:
            seen_by_held.append(tx.contact("i-1", "c-1") is not None)
            reading.set()
            release.wait()
            seen_by_held.append(tx.contact("i-1", "c-2") is not None)

    held = threading.Thread(target=long_read, daemon=True)
    held.start()
    assert reading.wait(60)
    done = []

    def write_then_read() -> None:
        with store.writing() as tx:
            tx.insert_contact("i-1", contact("c-2"))
        with store.reading() as tx:
            done.append((tx.contact("i-1", "c-2") is not None, tx.instance("i-1")))

    other = threading.Thread(target=write_then_read, daemon=True)
    other.start()
    # with one lock around every transaction, the write would wait for the held read to end
    other.join(60)
    finished = not other.is_alive()
    release.set()
    held.join(60)
    other.join(60)
    assert finished, "a write waited for a read held open"
    assert done == [(True, INSTANCE)]
    # the held read kept the snapshot it began with
    assert seen_by_held == [True, False]


def test_a_read_cannot_write(store):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        with store.reading() as tx:
            tx.insert_contact("i-1", contact("c-9"))
    with store.reading() as tx:
        assert tx.contact("i-1", "c-9") is None


def test_reads_after_close_are_refused_as_a_shutdown(store):
    store.close()
    with pytest.raises(StoreClosed):
        with store.reading():
            pass
