"""Concurrency: many clients at once, distinct tokens make distinct contacts, one token
makes one contact, and request counts stay exact."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.support.emulator_support import TASK, all_contacts, create_task

THREADS = 8
PER_THREAD = 12


def run_in_threads(work, threads: int = THREADS) -> list:
    """`work(index)` in `threads` threads released together; the results in index order."""
    barrier = threading.Barrier(threads)

    def released(index):
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(released, range(threads)))


def test_distinct_tokens_make_distinct_contacts(shared_connect_service, fresh_connect_instance):
    def create_many(index):
        client = shared_connect_service.client(total_max_attempts=1)
        return [client.create_contact(InstanceId=fresh_connect_instance, **TASK,
                                      ClientToken=f"thread-{index}-{n}")["ContactId"] for n in range(PER_THREAD)]

    created = [contact_id for batch in run_in_threads(create_many) for contact_id in batch]
    assert len(set(created)) == THREADS * PER_THREAD
    found = all_contacts(shared_connect_service.client(), fresh_connect_instance)
    assert sorted(contact["Id"] for contact in found) == sorted(created)


def test_one_token_from_many_clients_at_once_makes_one_contact(shared_connect_service, fresh_connect_instance):
    def create_once(_index):
        client = shared_connect_service.client(total_max_attempts=1)
        return client.create_contact(InstanceId=fresh_connect_instance, **TASK, Name="once",
                                     ClientToken="the-same-token")["ContactId"]

    created = run_in_threads(create_once)
    assert len(set(created)) == 1
    assert [contact["Id"] for contact in all_contacts(shared_connect_service.client(), fresh_connect_instance)] == \
        created[:1]


def test_concurrent_attribute_updates_all_land(shared_connect_service, fresh_connect_instance):
    contact_id = create_task(shared_connect_service.client(), fresh_connect_instance)

    def update(index):
        client = shared_connect_service.client(total_max_attempts=1)
        for n in range(PER_THREAD):
            client.update_contact_attributes(InstanceId=fresh_connect_instance, InitialContactId=contact_id,
                                             Attributes={f"t{index}_{n}": "x"})

    run_in_threads(update)
    attributes = shared_connect_service.client().describe_contact(
        InstanceId=fresh_connect_instance, ContactId=contact_id)["Contact"]["Attributes"]
    assert len(attributes) == THREADS * PER_THREAD


def test_request_counts_are_exact_under_concurrency(connect_service):
    contact_id = create_task(connect_service.client(), connect_service.instance_id)
    connect_service.reset_stats()

    def describe_many(index):
        client = connect_service.client(total_max_attempts=1)
        for _ in range(PER_THREAD):
            client.describe_contact(InstanceId=connect_service.instance_id, ContactId=contact_id)
        for _ in range(2):
            try:
                client.describe_contact(InstanceId=connect_service.instance_id, ContactId="missing")
            except client.exceptions.ResourceNotFoundException:
                pass

    run_in_threads(describe_many)
    stats = connect_service.stats()
    assert stats["requests"]["DescribeContact"] == THREADS * (PER_THREAD + 2)
    assert stats["succeeded"]["DescribeContact"] == THREADS * PER_THREAD
    assert stats["errors"]["DescribeContact"] == THREADS * 2
