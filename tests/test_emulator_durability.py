"""Durability: whatever the service acknowledged survives a SIGKILL and a restart."""

from __future__ import annotations

import threading
import time

import botocore.exceptions
from tests.support.emulator_support import TASK, all_contacts, create_task, describe

LOAD_THREADS = 3
ACKNOWLEDGED_BEFORE_KILL = 150


def test_sigkill_mid_load_loses_no_acknowledged_write(connect_service):
    instance = connect_service.instance_id
    acknowledged: list[str] = []
    counter_contact = create_task(connect_service.client(), instance)
    last_counter = [0]
    lock = threading.Lock()

    def create_load(worker: int) -> None:
        client = connect_service.client(total_max_attempts=1)
        for n in range(100_000):
            try:
                created = client.create_contact(InstanceId=instance, **TASK, Name=f"w{worker}-{n}",
                                                Attributes={"worker": str(worker), "n": str(n)})
            except botocore.exceptions.BotoCoreError:  # the service is gone
                return
            if "ContactId" not in created:  # a 200 whose body the kill cut off: nothing was acknowledged
                return
            with lock:
                acknowledged.append(created["ContactId"])

    def update_load() -> None:
        client = connect_service.client(total_max_attempts=1)
        for n in range(1, 100_000):
            try:
                client.update_contact_attributes(InstanceId=instance, InitialContactId=counter_contact,
                                                 Attributes={"counter": str(n)})
            except botocore.exceptions.BotoCoreError:
                return
            last_counter[0] = n

    threads = [threading.Thread(target=create_load, args=(worker,)) for worker in range(LOAD_THREADS)]
    threads.append(threading.Thread(target=update_load))
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.01)
    connect_service.kill()
    for thread in threads:
        thread.join()
    assert acknowledged, "no write was acknowledged before the kill"

    connect_service.restart()
    client = connect_service.client(total_max_attempts=1)
    for contact_id in acknowledged:
        assert describe(client, instance, contact_id)["Id"] == contact_id
    found = {contact["Id"] for contact in all_contacts(client, instance)}
    assert set(acknowledged) <= found
    # The kill may land after a commit and before its response: never below what was acknowledged.
    stored = int(describe(client, instance, counter_contact)["Attributes"]["counter"])
    assert stored >= last_counter[0]


def test_a_restart_keeps_the_instance_the_contacts_and_the_clock(connect_service):
    client = connect_service.client(total_max_attempts=1)
    instance, url = connect_service.instance_id, connect_service.url
    contact_id = create_task(client, instance, Name="kept", Attributes={"a": "1"})
    connect_service.stop()
    connect_service.restart()
    assert (connect_service.instance_id, connect_service.url) == (instance, url)
    assert describe(client, instance, contact_id)["Attributes"] == {"a": "1"}

    moved_to = connect_service.advance_clock(30 * 24 * 3600)
    connect_service.kill()
    connect_service.restart()
    assert connect_service.now() >= moved_to  # the clock offset is state too
    assert [summary["Id"] for summary in client.list_instances()["InstanceSummaryList"]] == [instance]
