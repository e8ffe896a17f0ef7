"""Hostile requests a client can send: each gets a client error (4xx) or its answer, never a 5xx,
and none holds the service up for the requests of others."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.request

import botocore.exceptions
import pytest
from botocore.config import Config
from tests.support.emulator_support import FAR_FUTURE, create_task, raises, signed


def raw(service, method: str, path: str, body: object = None):
    """A signed raw request, its body sent as given (JSON text or an object): (status, parsed body)."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(service.url + path, data=data, method=method,
                                     headers=signed(method, f"127.0.0.1:{service.port}", path, data or b""))
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def search(service, **members) -> dict:
    return {"InstanceId": service.instance_id,
            "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": FAR_FUTURE}, **members}


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "99999999999999999999999", "-1e308",
                                   "9999-99-99", "10000-01-01T00:00:00Z"])
def test_a_timestamp_no_clock_can_show_is_a_client_error(shared_connect_service, value):
    body = search(shared_connect_service)
    body["TimeRange"]["StartTime"] = value
    status, answer = raw(shared_connect_service, "POST", "/search-contacts", body)
    assert status == 400, answer
    assert "TimeRange.StartTime" in answer["Message"]


def forged(position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


@pytest.mark.parametrize("sort, key", [
    (None, "VOICE"), (None, None), ({"FieldName": "INITIATION_TIMESTAMP", "Order": "ASCENDING"}, "x"),
    ({"FieldName": "CHANNEL", "Order": "ASCENDING"}, 5), ({"FieldName": "CHANNEL", "Order": "DESCENDING"}, None),
    ({"FieldName": "DISCONNECT_TIMESTAMP", "Order": "ASCENDING"}, "x"),
])
def test_a_forged_next_token_whose_key_is_of_another_kind_is_refused(shared_connect_service, sort, key):
    members = {"NextToken": forged([key, "00000000-0000-4000-8000-000000000000", 3])}
    if sort is not None:
        members["Sort"] = sort
    status, answer = raw(shared_connect_service, "POST", "/search-contacts", search(shared_connect_service, **members))
    assert status == 400, answer
    assert answer["Message"] == "NextToken: is not a token this service issued"


def tag_conditions(count: int) -> list[dict]:
    return [{"TagKey": f"k{n}", "TagValue": "v"} for n in range(count)]


@pytest.mark.parametrize("contact_tags", [
    {"AndConditions": tag_conditions(1_001)},
    {"OrConditions": [tag_conditions(1) for _ in range(1_001)]},
    {"OrConditions": [tag_conditions(40) for _ in range(40)], "AndConditions": tag_conditions(40)},
    {"OrConditions": [[] for _ in range(5_000)]},
])
def test_too_many_tag_conditions_are_refused_before_any_query(shared_connect_service, contact_tags):
    body = search(shared_connect_service, SearchCriteria={"ContactTags": contact_tags})
    status, answer = raw(shared_connect_service, "POST", "/search-contacts", body)
    assert status == 400, answer
    assert "SearchCriteria.ContactTags" in answer["Message"] and "conditions" in answer["Message"]


def test_many_tag_conditions_within_the_limit_are_searched(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance, Name="tagged")
    connect_client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"k0": "v"})
    criteria = {"ContactTags": {"OrConditions": [[{"TagKey": "k0", "TagValue": "v"}]]
                                + [tag_conditions(1) for _ in range(24)]}}
    found = connect_client.search_contacts(**search(shared_connect_service, SearchCriteria=criteria))
    assert contact_id in [contact["Id"] for contact in found["Contacts"]]


def test_instance_tags_are_checked_with_the_models_unicode_patterns(connect_client):
    created = connect_client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                             OutboundCallsEnabled=True, Tags={"équipe": "café au lait", "n:1": "+=@"})
    tags = connect_client.describe_instance(InstanceId=created["Id"])["Instance"]["Tags"]
    assert tags == {"équipe": "café au lait", "n:1": "+=@"}
    for bad in ({"aws:reserved": "x"}, {"tab\tkey": "x"}, {"key!": "x"}):
        with raises(connect_client, "InvalidRequestException"):
            connect_client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                           OutboundCallsEnabled=True, Tags=bad)


def test_an_overlong_value_is_refused_for_its_length_before_its_pattern_is_tried(shared_connect_service):
    """EmailAddress (at most 255 characters) has a pattern whose search takes time that grows with
    the square of the length: 24 KB of it took seconds of CPU, a 1 MB body would take hours."""
    address = "a" * 12000 + "@" + "a" * 12000
    path = f"/contacts/{shared_connect_service.instance_id}/{'1' * 8}-1111-4111-8111-{'1' * 12}"
    status, answer = raw(shared_connect_service, "POST", path,
                         {"AdditionalRecipients": {"CcEmailAddresses": [{"EmailAddress": address}]}})
    assert status == 400, (status, answer)
    assert "must have at most 255 characters (got 24001)" in answer["Message"], answer
    assert "pattern" not in answer["Message"], answer


@pytest.mark.parametrize("member", ["Tags", "References"])
def test_a_refused_overlong_key_is_cut_short_in_the_answer(shared_connect_service, member):
    unchecked = shared_connect_service.client(total_max_attempts=1, config=Config(parameter_validation=False))
    instance = shared_connect_service.instance_id
    contact_id = create_task(unchecked, instance)
    key = "k" * 100_000
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        if member == "Tags":
            unchecked.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={key: "v"})
        else:
            unchecked.update_contact(InstanceId=instance, ContactId=contact_id,
                                     References={key: {"Type": "URL", "Value": "https://example.com"}})
    message = raised.value.response["Error"]["Message"]
    assert message.startswith(f"{member}.{key[:256]}...: key must have at most "), message[:200]
    assert len(message) < 400, len(message)


def test_a_long_list_of_channels_is_one_set_of_names(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance)
    body = search(shared_connect_service, SearchCriteria={"Channels": ["VOICE", "TASK"] * 20_000}, MaxResults=100)
    status, answer = raw(shared_connect_service, "POST", "/search-contacts", body)
    assert status == 200, answer
    assert contact_id in [contact["Id"] for contact in answer["Contacts"]]


PROMPT_SECONDS = 10.0
"""Far above an unloaded DescribeInstance's milliseconds on any machine; far below the tens of
seconds a quadratic search of 40,000 channels held the store for."""


def test_a_describe_sent_during_hostile_searches_is_answered_promptly(connect_client, shared_connect_service):
    hostile = [search(shared_connect_service, SearchCriteria={"Channels": ["VOICE"] * 40_000}),
               search(shared_connect_service, SearchCriteria={"InitiationMethods": ["API"] * 40_000}),
               search(shared_connect_service, SearchCriteria={"ContactTags": {"AndConditions": tag_conditions(5_000)}})]
    started = threading.Barrier(len(hostile) * 2 + 1)
    statuses: list[int] = []

    def attack(body):
        started.wait()
        statuses.append(raw(shared_connect_service, "POST", "/search-contacts", body)[0])

    threads = [threading.Thread(target=attack, args=(body,)) for body in hostile * 2]
    for thread in threads:
        thread.start()
    started.wait()
    began = time.monotonic()
    connect_client.describe_instance(InstanceId=shared_connect_service.instance_id)
    waited = time.monotonic() - began
    for thread in threads:
        thread.join()
    print(f"\nDescribeInstance during {len(threads)} hostile searches: {waited:.3f} s; statuses {sorted(statuses)}")
    assert sorted(statuses) == [200, 200, 200, 200, 400, 400]
    assert waited < PROMPT_SECONDS
