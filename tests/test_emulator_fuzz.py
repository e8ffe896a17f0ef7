"""Over a thousand malformed requests on the wire (tests/wire_fuzz.py): the local service
answers each with a 4xx (or drops a connection that never finished its request), never
a 5xx, never hangs, changes no contact, and its database stays sound."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from tests.support.emulator_support import create_task, describe
from tests.support.wire_fuzz import (ENCODED_ARN, Target, all_attempts, exchange, member_attempts,
                                     send_member_attempt)

from connect_contact_local.service import IMPLEMENTED_OPERATIONS
from connect_contact_local.testing import LocalConnect

READ_TIMEOUT = 1.0
PATIENCE = READ_TIMEOUT + 10.0
"""How long a client waits before it counts the service as hung: the read timeout plus ample slack."""
SEED = 20_261_125
MINIMUM_ATTEMPTS = 1_000


@pytest.fixture
def fuzzed_service(tmp_path):
    service = LocalConnect(tmp_path / "connect.db", read_timeout=READ_TIMEOUT)
    service.start()
    yield service
    service.close()


@pytest.mark.timeout(240)
def test_malformed_requests_get_4xx_never_5xx_never_hang_and_change_nothing(fuzzed_service):
    client = fuzzed_service.client(total_max_attempts=1)
    instance = fuzzed_service.instance_id
    contacts = [create_task(client, instance, Name=f"kept {n}", Attributes={"a": str(n)}) for n in range(3)]
    before = {contact_id: describe(client, instance, contact_id) for contact_id in contacts}
    contact_arn = before[contacts[0]]["Arn"]
    target = Target("127.0.0.1", fuzzed_service.port, instance, contacts[0], contact_arn)
    attempts = all_attempts(target, SEED)
    assert len(attempts) >= MINIMUM_ATTEMPTS

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(lambda attempt: exchange(target, attempt, PATIENCE), attempts))
    elapsed = time.monotonic() - started

    server_errors = [outcome for outcome in outcomes if outcome.status is not None and outcome.status >= 500]
    hangs = [outcome for outcome in outcomes if outcome.hung]
    answered = Counter(outcome.status for outcome in outcomes)
    print(f"\n{len(outcomes)} malformed requests in {elapsed:.1f} s: {len(server_errors)} answers >= 500, "
          f"{len(hangs)} hangs; statuses {dict(answered)}")
    assert server_errors == [], Counter(outcome.kind for outcome in server_errors)
    assert hangs == [], Counter(outcome.kind for outcome in hangs)
    assert [outcome.kind for outcome in outcomes if outcome.headless] == []
    # a forged token may decode to a position the listing can start from: then a 200 is right
    accepted = [outcome for outcome in outcomes
                if (outcome.status or 400) < 400 and outcome.kind not in ("forged NextToken", ENCODED_ARN)]
    assert accepted == [], Counter(outcome.kind for outcome in accepted)

    after = {contact_id: describe(client, instance, contact_id) for contact_id in contacts}
    assert after == before
    assert client.search_contacts(InstanceId=instance, TimeRange={
        "Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": 4102444800})["TotalCount"] == len(contacts)
    with sqlite3.connect(f"file:{fuzzed_service.db_path}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    log = fuzzed_service.log_path.read_text(errors="replace")
    assert "Traceback" not in log and "unexpected error" not in log


@pytest.mark.timeout(600)
def test_every_member_of_every_operation_with_hostile_values_gets_no_5xx(fuzzed_service):
    """Wrong types, boundary values and hostile strings in each member of each implemented operation,
    serialised as the SDK would: never a 5xx, never a hang; the time each takes is printed, never judged."""
    client = fuzzed_service.client(total_max_attempts=1)
    instance = fuzzed_service.instance_id
    contact_id = create_task(client, instance, Name="fuzzed")
    target = Target("127.0.0.1", fuzzed_service.port, instance, contact_id, describe(client, instance, contact_id)["Arn"])
    attempts = member_attempts(target, IMPLEMENTED_OPERATIONS)
    assert {attempt.operation for attempt in attempts} == set(IMPLEMENTED_OPERATIONS)

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda attempt: send_member_attempt(target, attempt, PATIENCE), attempts))
    server_errors = [outcome.kind for outcome in outcomes if outcome.status is not None and outcome.status >= 500]
    hangs = [outcome.kind for outcome in outcomes if outcome.hung or outcome.status is None]
    seconds = sorted(outcome.seconds for outcome in outcomes)
    by_operation = Counter(attempt.operation for attempt in attempts)
    print(f"\n{len(outcomes)} hostile member values over {len(by_operation)} operations: {len(server_errors)} answers"
          f" >= 500, {len(hangs)} hangs; per request median {seconds[len(seconds) // 2] * 1000:.1f} ms,"
          f" slowest {seconds[-1] * 1000:.0f} ms, {sum(s > 1.0 for s in seconds)} over 1 s;"
          f" statuses {dict(Counter(outcome.status for outcome in outcomes))}")
    assert server_errors == [], Counter(server_errors)
    assert hangs == [], Counter(hangs)
    log = fuzzed_service.log_path.read_text(errors="replace")
    assert "Traceback" not in log and "unexpected error" not in log and "could not be read" not in log
