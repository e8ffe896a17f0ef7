"""One `connect` client per Connect operation (`aws.OperationClients`): botocore's adaptive retry
mode learns a send rate per client, and Connect's rate quotas are per API (the semantics file), so
each operation gets a client, and so a rate, of its own. The rate it brings at the limit is
measured in `bench.run --only throughput` and `bench.cli` (BENCHMARKS.md), not asserted here."""

from __future__ import annotations

import threading

from connect_contact import aws, connect_api
from connect_contact.aws import ClientSettings, OperationClients
from tests.support.emulator_support import LOCAL_CREDENTIALS

from connect_contact_local.testing import LocalConnect


def test_each_operation_has_one_client_of_its_own_the_first_asked_taking_the_first_made():
    made: list[object] = []

    def make() -> object:
        made.append(object())
        return made[-1]

    clients = OperationClients(make)
    create = clients("CreateContact")
    describe = clients("DescribeContact")
    assert create is made[0] and describe is made[1] and create is not describe
    assert clients("CreateContact") is create and clients("DescribeContact") is describe
    assert len(made) == 2


def test_threads_asking_at_once_get_one_client_per_operation():
    made: list[object] = []
    inside = threading.Semaphore(0)
    release = threading.Event()

    def make() -> object:
        made.append(object())
        if len(made) > 1:  # a later client: hold its maker until every thread has asked
            inside.release()
            release.wait()
        return made[-1]

    clients = OperationClients(make)
    clients("CreateContact")
    start = threading.Barrier(8)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(clients("UpdateContact"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    inside.acquire()  # a thread is making UpdateContact's client: without the lock, every other would too
    assert got == []
    release.set()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and got == [made[1]] * 8


def test_a_connection_calls_each_operation_through_its_own_adaptive_client_on_one_endpoint(tmp_path, monkeypatch):
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    with LocalConnect(tmp_path / "connect.db", region="eu-west-2") as service:
        _calls_each_operation_through_its_own_client(service)


def _calls_each_operation_through_its_own_client(service) -> None:
    connection = aws.connect(ClientSettings(endpoint=service.url, region="eu-west-2"), environ={})
    api = connect_api.ConnectApi(connection.clients)
    instance_id = service.instance_id
    contact_id = api.call("CreateContact", instance_id, InstanceId=instance_id, Channel="TASK",
                          InitiationMethod="API", Name="per operation")["ContactId"]
    assert api.call("DescribeContact", instance_id, contact_id, InstanceId=instance_id,
                    ContactId=contact_id)["Contact"]["Id"] == contact_id
    create, describe = connection.clients("CreateContact"), connection.clients("DescribeContact")
    assert create is connection.client and describe is not create
    for client in (create, describe):
        assert client.meta.endpoint_url == service.url
        assert client.meta.region_name == "eu-west-2"
        assert client.meta.config.retries["mode"] == "adaptive"
        assert client.meta.config.retries["total_max_attempts"] == aws.RETRIES["max_attempts"] + 1
