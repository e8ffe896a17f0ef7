"""Reliability at scale: not one duplicate or lost contact whatever fails, and no error
surfaced by throttling alone.

Every test drives the real dynamic-provider host with the engine-side driver, 4 creates in
flight (the host's gRPC worker pool), against a local Connect service of its own (fault
settings and kills must not leak into other tests). A failed create leaves no state; the
next "pulumi up" (`Fleet.up`) checks and creates again every resource without state, until
all have state (bounded rounds). The verdict is always the same: the instance, used by this
run only, holds exactly one contact per declared resource, each held by exactly one state.

Times are never asserted: the benchmark (bench/run.py) prints them.
"""

from __future__ import annotations

import threading
import time

import pytest
from tests.support.cli_project import wait_for
from tests.support.marshal import unwrap_secrets
from tests.support.fleet import Fleet, audit, declare, new_instance, retry_override, start_host

N = 300
"""Contacts per fault run: enough that a 10 % or 30 % fault hits dozens of them."""
THROTTLED_N, THROTTLED_FIRST = 150, 12
"""The first 12 requests of each throttled operation get ThrottlingException, by count: with 4 in
flight they land on at most 4 calls, and even one call taking all 12 stays within the shipped 20
attempts, so the verdict is the same however fast the machine is."""
MAX_ROUNDS = 60
"""`pulumi up` re-runs allowed; with retries off and every call faulted a round creates ~20 %."""
ARGS = {"name": "reliability", "attributes": {"team": "billing", "tier": "gold"}}
"""Inputs that make a create write with UpdateContact and UpdateContactAttributes too, so that
faults hit every write the provider makes, not only CreateContact."""
RETRIES_OFF = {"mode": "standard", "total_max_attempts": 1}
SHIPPED = None


@pytest.fixture
def service(connect_service):
    """A service of this test's own: its faults and kills must not leak into other tests."""
    return connect_service


@pytest.fixture
def client(service):
    return service.client(total_max_attempts=1)


@pytest.fixture
def host_for(service, tmp_path):
    """`host_for(retries)`: a provider host on `service`, its provider using `retries` (None: as shipped)."""
    hosts = []

    def start(retries):
        env, pythonpath = retry_override(tmp_path / "retries", retries)
        hosts.append(start_host(service.url, env=env, pythonpath=pythonpath))
        return hosts[-1]

    yield start
    for host in hosts:
        host.stop()


def assert_exact(fleet: Fleet, client, instance_id: str) -> None:
    assert not fleet.pending(), (f"{len(fleet.pending())} resources still have no state after {len(fleet.rounds)} "
                                 f"rounds; last errors: {fleet.rounds[-1].errors[:3]}")
    found = audit(fleet, client, instance_id)
    assert found.duplicates == 0, found
    assert found.lost == 0, found
    assert found.exact, found


def assert_written(client, instance_id: str, fleet: Fleet) -> None:
    """Every contact carries the updatable inputs: no create was left half-written."""
    for created in fleet.state.values():
        outputs = unwrap_secrets(created.outputs)
        assert outputs["name"] == ARGS["name"] and outputs["attributes"] == ARGS["attributes"], outputs
    sample = list(fleet.state.values())[::25]
    for created in sample:
        live = client.describe_contact(InstanceId=instance_id, ContactId=created.outputs["contactId"])["Contact"]
        assert live["Name"] == ARGS["name"] and live["Attributes"] == ARGS["attributes"]


@pytest.mark.parametrize("retries", [SHIPPED, RETRIES_OFF], ids=["shipped-retries", "retries-off"])
def test_dropped_answers_and_500s_rerun_to_exactly_n(service, client, host_for, retries):
    """30 % of writes committed then answered with a closed connection, 10 % of all calls 500.
    As shipped, botocore retries with the same ClientToken; with retries off every fault reaches
    the user and only re-running `up` (same derived token) recovers."""
    instance_id = new_instance(client)
    fleet = Fleet(host_for(retries), declare(N, instance_id, **ARGS))
    service.set_faults(drop_after_commit_rate=0.3, fail_rate=0.1, seed=7, operations=None)
    fleet.converge(MAX_ROUNDS)
    service.clear_faults()
    stats = service.stats()
    assert stats["dropped"].get("CreateContact", 0) >= N // 10 and stats["failed"].get("CreateContact", 0) >= N // 50
    if retries is RETRIES_OFF:
        assert fleet.rounds[0].errors, "the faults never reached the user: the re-run path was not exercised"
        assert len(fleet.rounds) > 1
    assert_exact(fleet, client, instance_id)
    assert_written(client, instance_id, fleet)


@pytest.mark.parametrize("retries", [SHIPPED, RETRIES_OFF], ids=["shipped-retries", "retries-off"])
def test_service_killed_mid_run_and_restarted_converges_to_exactly_n(service, client, host_for, retries):
    """SIGKILL while a create is in flight (held by the service), restart on the same database and
    port; re-run.
    As shipped, the creates in flight retry into the restarted service with their token; with
    retries off, they and every create tried while it is down fail, and only re-runs recover."""
    instance_id = new_instance(client)
    fleet = Fleet(host_for(retries), declare(N, instance_id, **ARGS))
    url, killed_at = service.url, []

    def kill_then_restart() -> None:
        deadline = time.monotonic() + 120
        while len(fleet.state) < N // 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        # Hold every CreateContact after the next one, and kill once one is held: the kill then
        # always lands on a create in flight, however fast or slow the machine is.
        service.set_faults(hold_after_n=1, operations=["CreateContact"])
        received = service.stats()["requests"].get("CreateContact", 0)
        wait_for(lambda: service.stats()["requests"].get("CreateContact", 0) >= received + 2, timeout=120,
                 what="a CreateContact held by the service")
        killed_at.append(len(fleet.state))
        service.kill()
        service.restart()  # with no faults: they were set at run time

    killer = threading.Thread(target=kill_then_restart, name="killer")
    killer.start()
    try:
        fleet.up()
    finally:
        killer.join()
    assert service.url == url, "the service came back on another port; the provider still points at the old one"
    assert 0 < killed_at[0] < N, f"the kill did not happen mid-run (after {killed_at[0]} creates)"
    if retries is RETRIES_OFF:
        assert fleet.rounds[0].errors, "no create failed: the re-run path was not exercised"
    fleet.converge(MAX_ROUNDS)
    assert_exact(fleet, client, instance_id)
    assert_written(client, instance_id, fleet)


@pytest.mark.parametrize("operations", [["CreateContact"], None], ids=["CreateContact", "every-operation"])
def test_throttling_alone_surfaces_no_error(service, client, host_for, operations):
    """Throttled, with 4 in flight, the shipped retry strategy absorbs every throttle."""
    instance_id = new_instance(client)
    fleet = Fleet(host_for(SHIPPED), declare(THROTTLED_N, instance_id))
    service.reset_stats()
    service.set_faults(throttle_first_n=THROTTLED_FIRST, operations=operations)
    first = fleet.up()
    service.clear_faults()
    throttled = {operation: count for operation, count in service.stats()["throttled"].items() if count}
    assert throttled == {operation: THROTTLED_FIRST for operation in operations or ("CreateContact", "DescribeContact")}
    assert first.errors == []
    assert_exact(fleet, client, instance_id)

