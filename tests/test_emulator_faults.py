"""Fault injection: throttling, injected failures, connections dropped after commit,
latency; set by flags and changed at run time; counted in the stats.

Every verdict that says a fault happened rests on a count (the N-th request) or a clock the
test moves, never on how fast requests come."""

from __future__ import annotations

import threading

import botocore.exceptions
import pytest
from botocore.config import Config
from tests.support.emulator_support import TASK, all_contacts, create_task, describe, raises

from connect_contact_local.errors import InjectedFailure, Throttled
from connect_contact_local.faults import Faults, FaultSettings, TokenBucket
from connect_contact_local.testing import LocalConnect


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """A service of this module's own, started throttling every second CreateContact only."""
    service = LocalConnect(tmp_path_factory.mktemp("faults") / "connect.db", throttle_every=2,
                           operations=["CreateContact"])
    yield service.start()
    service.close()


@pytest.fixture
def service(faulty):
    """The module's service with fresh stats and a fresh instance; faults cleared afterwards."""
    faulty.reset_stats()
    yield faulty
    faulty.clear_faults()


@pytest.fixture
def instance(service):
    client = service.client(total_max_attempts=1)
    return client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                  OutboundCallsEnabled=True)["Id"]


def test_throttling_given_on_the_command_line_applies_per_operation(faulty):
    faulty.reset_stats()
    client = faulty.client(total_max_attempts=1)
    throttled = succeeded = 0
    for _ in range(20):
        try:
            contact_id = create_task(client, faulty.instance_id)
            succeeded += 1
        except client.exceptions.ThrottlingException as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 429
            throttled += 1
    assert (throttled, succeeded) == (10, 10)
    for _ in range(20):  # not throttled: the faults apply to CreateContact only
        describe(client, faulty.instance_id, contact_id)
    stats = faulty.stats()
    assert stats["throttled"]["CreateContact"] == throttled
    assert stats["succeeded"]["CreateContact"] == succeeded
    assert stats["throttled"].get("DescribeContact", 0) == 0


def test_throttling_is_retried_by_the_sdk(service, instance):
    service.set_faults(throttle_every=2, operations=None)
    client = service.client(config=Config(retries={"mode": "standard", "max_attempts": 20}))
    for _ in range(12):
        create_task(client, instance)
    # one request after another: every create after the first is throttled once, and its retry passes
    assert service.stats()["throttled"]["CreateContact"] == 11
    assert len(all_contacts(client, instance)) == 12


def test_the_first_n_requests_of_each_operation_are_throttled(service, instance):
    service.set_faults(throttle_first_n=3, operations=["CreateContact", "DescribeContact"])
    client = service.client(total_max_attempts=1)
    outcomes = []
    for _ in range(5):
        try:
            outcomes.append(create_task(client, instance) and "created")
        except client.exceptions.ThrottlingException:
            outcomes.append("throttled")
    assert outcomes == ["throttled"] * 3 + ["created"] * 2
    contact_id = create_task(client, instance)
    with raises(client, "ThrottlingException"):
        describe(client, instance, contact_id)
    throttled = {operation: count for operation, count in service.stats()["throttled"].items() if count}
    assert throttled == {"CreateContact": 3, "DescribeContact": 1}
    service.set_faults(throttle_first_n=1)  # a new setting counts again from zero
    with raises(client, "ThrottlingException"):
        create_task(client, instance)
    create_task(client, instance)


def test_fail_rate_one_fails_everything_before_it_happens(service, instance):
    service.set_faults(fail_rate=1.0, operations=["CreateContact"])
    client = service.client(total_max_attempts=1)
    with raises(client, "InternalServiceException") as raised:
        create_task(client, instance)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert all_contacts(client, instance) == []
    assert service.stats()["failed"]["CreateContact"] == 1


def test_a_drop_after_commit_loses_the_answer_not_the_contact(service, instance):
    service.set_faults(drop_after_commit_rate=1.0, operations=["CreateContact"])
    client = service.client(total_max_attempts=1)
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        client.create_contact(InstanceId=instance, **TASK, ClientToken="dropped")
    [contact] = all_contacts(client, instance)
    service.clear_faults()
    assert client.create_contact(InstanceId=instance, **TASK, ClientToken="dropped")["ContactId"] == contact["Id"]
    assert service.stats()["dropped"]["CreateContact"] == 1


def test_an_empty_answer_commits_and_answers_success_without_the_output(service, instance):
    """The next N writes are committed and answered 200 with no body; the count then runs out."""
    service.set_faults(empty_answers=1, operations=["CreateContact"])
    client = service.client(total_max_attempts=1)
    cut_off = client.create_contact(InstanceId=instance, **TASK, ClientToken="cut-off")
    assert cut_off["ResponseMetadata"]["HTTPStatusCode"] == 200 and "ContactId" not in cut_off
    [contact] = all_contacts(client, instance)
    assert client.create_contact(InstanceId=instance, **TASK, ClientToken="cut-off")["ContactId"] == contact["Id"]
    assert service.stats()["succeeded"]["CreateContact"] == 2


def test_sdk_retries_with_the_same_token_make_one_contact_per_call(service, instance):
    service.set_faults(drop_after_commit_rate=0.5, seed=7, operations=["CreateContact"])
    client = service.client(config=Config(retries={"mode": "standard", "max_attempts": 20}))
    created = [create_task(client, instance) for _ in range(10)]
    assert sorted(contact["Id"] for contact in all_contacts(client, instance)) == sorted(created)
    assert service.stats()["dropped"]["CreateContact"] > 0


def test_latency_delays_every_answer(service, instance):
    service.set_faults(latency_ms=500, operations=None)
    impatient = service.client(total_max_attempts=1, config=Config(read_timeout=0.1))
    with pytest.raises(botocore.exceptions.ReadTimeoutError):
        impatient.list_instances()
    service.clear_faults()
    service.client(total_max_attempts=1).list_instances()


def test_faults_can_be_read_changed_and_reset_at_run_time(service):
    assert service.set_faults(fail_rate=0.25)["fail_rate"] == 0.25
    assert service.faults()["fail_rate"] == 0.25
    assert service.clear_faults() == FaultSettings().to_json()
    with pytest.raises(ValueError, match="fail_rate must be between 0 and 1"):
        service.set_faults(fail_rate=2)
    with pytest.raises(ValueError, match="unknown fault settings: loss"):
        service.set_faults(loss=1)


# -- the fault machinery itself

class StoppedClock:
    """A clock that moves only when the test says."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_token_bucket_allows_a_burst_of_one_second():
    clock = StoppedClock()
    bucket = TokenBucket(3, clock)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.34  # a little over one token
    assert [bucket.take(), bucket.take()] == [True, False]
    clock.now += 10
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]


def test_count_based_throttles_count_each_operation_on_its_own():
    faults = Faults(FaultSettings(throttle_every=3, throttle_first_n=1))

    def outcomes(operation, n):
        results = []
        for _ in range(n):
            try:
                faults.before(operation)
                results.append("ok")
            except Throttled:
                results.append("throttled")
        return results

    assert outcomes("CreateContact", 7) == ["throttled", "ok", "throttled", "ok", "ok", "throttled", "ok"]
    assert outcomes("DescribeContact", 3) == ["throttled", "ok", "throttled"]


def test_requests_after_the_first_n_are_held_until_the_faults_change():
    faults = Faults(FaultSettings(hold_after_n=2, operations=("CreateContact",)))
    faults.before("CreateContact")
    faults.before("CreateContact")
    faults.before("DescribeContact")  # not listed: never held
    held = threading.Thread(target=faults.before, args=("CreateContact",))
    held.start()
    held.join(timeout=0.5)
    assert held.is_alive(), "the third CreateContact was not held"
    faults.reset()
    held.join(timeout=60)
    assert not held.is_alive()
    faults.before("CreateContact")  # no faults now


@pytest.mark.parametrize("settings, message", [
    ({"throttle_first_n": -1}, "throttle_first_n must be a whole number"),
    ({"throttle_every": 1.5}, "throttle_every must be a whole number"),
    ({"throttle_every": True}, "throttle_every must be a whole number"),
    ({"hold_after_n": "3"}, "hold_after_n must be a whole number"),
])
def test_count_based_throttles_take_whole_numbers(settings, message):
    with pytest.raises(ValueError, match=message):
        FaultSettings(**settings)


def test_random_faults_repeat_with_the_same_seed():
    def outcomes(seed):
        faults = Faults(FaultSettings(fail_rate=0.5, seed=seed))
        results = []
        for _ in range(40):
            try:
                faults.before("CreateContact")
                results.append("ok")
            except InjectedFailure:
                results.append("failed")
        return results

    assert outcomes(11) == outcomes(11)
    assert "ok" in outcomes(11) and "failed" in outcomes(11)


def test_faults_apply_only_to_the_listed_operations():
    faults = Faults(FaultSettings(throttle_rps=1, operations=("CreateContact",)), clock=StoppedClock())
    faults.before("CreateContact")
    with pytest.raises(Throttled):
        faults.before("CreateContact")
    for _ in range(5):
        faults.before("DescribeContact")


def test_each_operation_can_have_a_throttle_rate_of_its_own():
    faults = Faults(FaultSettings(throttle_rps=3, throttle_rps_by_operation={"CreateContact": 1},
                                  operations=("DescribeContact",)), clock=StoppedClock())
    faults.before("CreateContact")
    with pytest.raises(Throttled):
        faults.before("CreateContact")
    for _ in range(3):
        faults.before("DescribeContact")
    with pytest.raises(Throttled):
        faults.before("DescribeContact")
    for _ in range(5):
        faults.before("UpdateContact")  # neither listed nor given a rate


def test_per_operation_rates_are_set_at_run_time_and_checked(service, instance):
    # rates so low that no machine is slow enough for a second token to arrive during the test
    settings = service.set_faults(throttle_rps_by_operation={"CreateContact": 0.001, "DescribeContact": 0.002})
    assert settings["throttle_rps_by_operation"] == {"CreateContact": 0.001, "DescribeContact": 0.002}
    client = service.client(total_max_attempts=1)
    create_task(client, instance)
    with raises(client, "ThrottlingException"):
        create_task(client, instance)
    with pytest.raises(ValueError, match="throttle_rps_by_operation"):
        service.set_faults(throttle_rps_by_operation={"CreateContact": 0})
