"""ClientToken idempotency: the same token and request within 7 days replay the same
contact; the same token with another request is refused; after 7 days it is forgotten."""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest
from tests.support.emulator_support import TASK, all_contacts, create_task, describe, raises, signed

from tests.support.documented import IDEMPOTENCY_WINDOW_SECONDS
from connect_contact_local.testing import LocalConnect

WINDOW = IDEMPOTENCY_WINDOW_SECONDS


@pytest.fixture(scope="module")
def clock_service(tmp_path_factory):
    """A service of this module's own, whose clock the tests move."""
    service = LocalConnect(tmp_path_factory.mktemp("idempotency") / "connect.db")
    yield service.start()
    service.close()


def test_same_token_and_request_replays_the_same_contact(connect_client, fresh_connect_instance):
    request = {"InstanceId": fresh_connect_instance, **TASK, "Name": "n", "Attributes": {"a": "1"},
               "ClientToken": "token-1"}
    first = connect_client.create_contact(**request)
    again = connect_client.create_contact(**request)
    assert (again["ContactId"], again["ContactArn"]) == (first["ContactId"], first["ContactArn"])
    assert len(all_contacts(connect_client, fresh_connect_instance)) == 1


def test_replay_returns_the_contact_whatever_its_state(connect_client, fresh_connect_instance):
    request = {"InstanceId": fresh_connect_instance, **TASK, "ClientToken": "token-2"}
    contact_id = connect_client.create_contact(**request)["ContactId"]
    connect_client.update_contact(InstanceId=fresh_connect_instance, ContactId=contact_id, Name="renamed")
    connect_client.stop_contact(InstanceId=fresh_connect_instance, ContactId=contact_id)
    assert connect_client.create_contact(**request)["ContactId"] == contact_id
    assert len(all_contacts(connect_client, fresh_connect_instance)) == 1


@pytest.mark.parametrize("change", [{"Name": "other"}, {"Attributes": {"a": "2"}}, {"InitiateAs": "COMPLETED"}],
                         ids=["name", "attribute value", "initiate as"])
def test_same_token_with_another_request_is_refused(change, connect_client, fresh_connect_instance):
    request = {"InstanceId": fresh_connect_instance, **TASK, "Name": "n", "Attributes": {"a": "1"},
               "ClientToken": "token-3"}
    connect_client.create_contact(**request)
    with raises(connect_client, "IdempotencyException") as raised:
        connect_client.create_contact(**{**request, **change})
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert len(all_contacts(connect_client, fresh_connect_instance)) == 1


def test_request_fingerprint_ignores_member_order(connect_client, fresh_connect_instance):
    first = connect_client.create_contact(InstanceId=fresh_connect_instance, **TASK, ClientToken="token-4",
                                          Attributes={"a": "1", "b": "2"})
    again = connect_client.create_contact(InstanceId=fresh_connect_instance, **TASK, ClientToken="token-4",
                                          Attributes={"b": "2", "a": "1"})
    assert again["ContactId"] == first["ContactId"]


def test_tokens_are_scoped_per_instance(connect_client, fresh_connect_instance, shared_connect_service):
    token = f"token-{uuid.uuid4()}"
    here = connect_client.create_contact(InstanceId=fresh_connect_instance, **TASK, ClientToken=token)
    there = connect_client.create_contact(InstanceId=shared_connect_service.instance_id, **TASK, ClientToken=token)
    assert here["ContactId"] != there["ContactId"]


def test_boto3_fills_in_a_fresh_token_per_call(connect_client, fresh_connect_instance):
    sent = []
    connect_client.meta.events.register("before-send.connect.CreateContact",
                                        lambda request, **_: sent.append(json.loads(request.body)))
    create_task(connect_client, fresh_connect_instance)
    create_task(connect_client, fresh_connect_instance)
    tokens = [body["ClientToken"] for body in sent]
    assert len(set(tokens)) == 2 and all(uuid.UUID(token) for token in tokens)
    assert len(all_contacts(connect_client, fresh_connect_instance)) == 2


def test_without_a_token_every_call_creates(shared_connect_service, connect_client, fresh_connect_instance):
    body = json.dumps({"InstanceId": fresh_connect_instance, **TASK}).encode()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(2):
        request = urllib.request.Request(shared_connect_service.url + "/contact/create-contact", data=body, method="PUT",
                                         headers=signed("PUT", f"127.0.0.1:{shared_connect_service.port}",
                                                        "/contact/create-contact", body))
        opener.open(request, timeout=30).close()
    assert len(all_contacts(connect_client, fresh_connect_instance)) == 2


def test_a_token_is_remembered_for_seven_days_then_forgotten(clock_service):
    client = clock_service.client(total_max_attempts=1)
    request = {"InstanceId": clock_service.instance_id, **TASK, "ClientToken": "weekly", "Name": "first"}
    first = client.create_contact(**request)["ContactId"]
    clock_service.advance_clock(WINDOW - 60)
    assert client.create_contact(**request)["ContactId"] == first
    with raises(client, "IdempotencyException"):
        client.create_contact(**{**request, "Name": "second"})
    clock_service.advance_clock(120)
    second = client.create_contact(**{**request, "Name": "second"})["ContactId"]
    assert second != first
    assert client.create_contact(**{**request, "Name": "second"})["ContactId"] == second
    assert describe(client, clock_service.instance_id, first)["Name"] == "first"


def test_spent_tokens_past_the_window_are_purged_from_the_database(clock_service):
    import sqlite3

    client = clock_service.client(total_max_attempts=1)
    spent = [f"spent-{uuid.uuid4().hex}" for _ in range(3)]
    for token in spent:
        create_task(client, clock_service.instance_id, ClientToken=token)
    clock_service.advance_clock(WINDOW + 60)
    fresh = f"fresh-{uuid.uuid4().hex}"
    create_task(client, clock_service.instance_id, ClientToken=fresh)
    with sqlite3.connect(clock_service.db_path) as db:
        kept = {token for (token,) in db.execute("SELECT token FROM client_tokens")}
    assert fresh in kept and not kept & set(spent)
