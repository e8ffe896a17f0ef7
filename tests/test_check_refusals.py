"""`check` refuses every input the apply would refuse, in one line naming the argument, and
never raises: literal cases, each with the fact it comes from.

Inputs are in state form, as the engine hands them to the provider (camelCase members, user
keys verbatim). Through Pulumi's dynamic-provider host where the apply went wrong before (a
traceback at create, a contact created and then reported failed): the engine stops at check and
the local service sees no call. In process where gRPC cannot carry the input (lone surrogates
are not UTF-8) or where only `check`'s verdict matters.
"""

from __future__ import annotations

import pytest
from tests.support.host import EngineError, HostError
from tests.support.lifecycle import contact, contact_calls

from pulumi.runtime import MockResourceArgs

from connect_contact.mocks import CONTACT_TYPE
from connect_contact.provider import UNKNOWN, ContactProvider
from connect_contact.mocks import ContactCheckError, ContactMocks

TASK = {"instanceId": "{instance}", "channel": "TASK", "initiationMethod": "API", "tokenScope": "refusals/{name}"}
CONTACT_ID_SOURCE = "botocore model: DescribeContact / UpdateContact ContactId is the ContactId shape, a string of 1 to 256"
REGION_FORMAT_SOURCE = "botocore.utils.validate_region_name: ^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
PARTITIONS_SOURCE = "botocore data partitions.json: each partition's regionRegex, e.g. ^(us|eu|ap|sa|ca|me|af|il|mx)-\\w+-\\d+$"
LOWER_CASE_SOURCE = ("every region of every partition in botocore's endpoints data is lower case; Connect refuses "
                     "a credential scoped to another spelling (the local service, like AWS)")
DEPTH_SOURCE = ("the local service refuses a request body nested deeper than 32 levels (the body itself the first); "
                "a value_map level is two (the map and its value)")


def segment_nested(levels: int) -> dict:
    """Segment attributes with `levels` value_map levels around a string value."""
    value: dict = {"valueString": "leaf"}
    for _ in range(levels):
        value = {"valueMap": {"inner": value}}
    return {"deep": value}


# (name, extra inputs, the property the failure names, words of the reason, the source)
REFUSED = [
    ("region a number", {"region": 5}, "region", "must be a string", "the create's TypeError: boto3 takes a str"),
    ("region with a path", {"region": "us-east-1/../x"}, "region", "is not a region name", REGION_FORMAT_SOURCE),
    ("region of 1,000 characters", {"region": "u" * 1000}, "region", "is not a region name", REGION_FORMAT_SOURCE),
    ("region with an underscore", {"region": "us-east_x-1"}, "region", "is not a region name", REGION_FORMAT_SOURCE),
    ("region with capitals", {"region": "us-EAST-1"}, "region", "is not a region name (they are lower case); use "
     "'us-east-1'", LOWER_CASE_SOURCE),
    ("region of no partition", {"region": "xx-east-1"}, "region", "is in no AWS partition", PARTITIONS_SOURCE),
    ("region without its number", {"region": "eu-west"}, "region", "is in no AWS partition", PARTITIONS_SOURCE),
    ("region empty", {"region": ""}, "region", "must not be empty", "an empty region would be the stack's"),
    ("existing contact ID a number", {"existingContactId": 5}, "existingContactId", "must be a string",
     CONTACT_ID_SOURCE),
    ("existing contact ID a map", {"existingContactId": {"id": "c-1"}}, "existingContactId", "must be a string",
     CONTACT_ID_SOURCE),
    ("existing contact ID of 300 characters", {"existingContactId": "c" * 300}, "existingContactId",
     "must have at most 256 characters", CONTACT_ID_SOURCE),
    ("existing contact ID empty", {"existingContactId": ""}, "existingContactId", "must have at least 1 characters",
     CONTACT_ID_SOURCE),
    ("segment attributes 15 value_map levels deep", {"segmentAttributes": segment_nested(15)}, "segmentAttributes",
     "levels deep", DEPTH_SOURCE),
    ("segment attributes 40 value_map levels deep", {"segmentAttributes": segment_nested(40)}, "segmentAttributes",
     "levels deep", DEPTH_SOURCE),
    ("segment attributes 200 value_map levels deep", {"segmentAttributes": segment_nested(200)}, "segmentAttributes",
     "levels deep", DEPTH_SOURCE),
    ("a reference member the model does not have", {"references": {"k": {"type": "STRING", "value": "v", "bogus": 1}}},
     "references.k.bogus", "is not a member of Reference; use value, type, status, arn, status_reason",
     "botocore model: Reference has Value, Type, Status, Arn, StatusReason"),
    ("a user info member the model does not have", {"userInfo": {"userId": "agent-1", "junk": "x"}}, "userInfo.junk",
     "is not a member of UserInfo; use user_id", "botocore model: UserInfo has UserId"),
    ("a segment value member the model does not have", {"segmentAttributes": {"tier": {"valueString": "a", "colour": "b"}}},
     "segmentAttributes.tier.colour", "is not a member of SegmentAttributeValue",
     "botocore model: SegmentAttributeValue has ValueString, ValueMap, ValueInteger, ValueList, ValueArn"),
    ("references an empty list", {"references": []}, "references", "must be a map, not an empty list",
     "botocore model: References is a map (ContactReferences)"),
    ("attributes an empty list", {"attributes": []}, "attributes", "must be a map, not an empty list",
     "botocore model: Attributes is a map"),
    ("tags an empty list", {"tags": []}, "tags", "must be a map, not an empty list",
     "botocore model: TagContact Tags is a map (ContactTagMap)"),
    ("user info an empty list", {"userInfo": []}, "userInfo", "must be an object, not an empty list",
     "botocore model: UserInfo is a structure"),
    ("name an empty map", {"name": {}}, "name", "must be a string, not an empty map", "botocore model: Name is a string"),
    ("region an empty list", {"region": []}, "region", "must be a string, not an empty list",
     "the region is a name (boto3's region_name is a str)"),
]

ACCEPTED = [
    ("a region of the aws partition", {"region": "eu-west-2"}, PARTITIONS_SOURCE),
    ("a region of the aws-cn partition", {"region": "cn-north-1"}, PARTITIONS_SOURCE),
    ("a region of the aws-us-gov partition", {"region": "us-gov-west-1"}, PARTITIONS_SOURCE),
    ("a region of the aws-iso-b partition", {"region": "us-isob-east-1"}, PARTITIONS_SOURCE),
    ("a region of the aws-eusc partition", {"region": "eusc-de-east-1"}, PARTITIONS_SOURCE),
    ("an existing contact ID of 256 characters", {"existingContactId": "c" * 256}, CONTACT_ID_SOURCE),
    ("segment attributes 14 value_map levels deep", {"segmentAttributes": segment_nested(14)}, DEPTH_SOURCE),
    ("references an empty map (not set)", {"references": {}}, "an empty map is no references"),
    ("a region not known yet", {"region": UNKNOWN}, "unknown values are checked once known"),
    ("an existing contact ID not known yet", {"existingContactId": UNKNOWN}, "unknown values are checked once known"),
]


def with_instance(inputs: dict, instance_id: str, name: str) -> dict:
    return {key: (value.format(instance=instance_id, name=name) if isinstance(value, str) else value)
            for key, value in inputs.items()}


def in_process(extra: dict) -> dict[str, str]:
    result = ContactProvider().check({}, {**with_instance(TASK, "i-1", "in-process"), **extra})
    return {failure.property: failure.reason for failure in result.failures}


@pytest.mark.parametrize("name, extra, prop, reason, source", REFUSED, ids=[case[0] for case in REFUSED])
def test_check_refuses_in_one_line_naming_the_argument(name, extra, prop, reason, source):
    failures = in_process(extra)
    assert prop in failures and reason in failures[prop], (source, failures)
    assert all("\n" not in text for text in failures.values())


@pytest.mark.parametrize("name, extra, source", ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_check_accepts(name, extra, source):
    assert in_process(extra) == {}, source


@pytest.mark.parametrize("extra, prop", [
    ({"name": "a\ud800b"}, "name"),
    ({"description": "\udfff"}, "description"),
    ({"attributes": {"k": "v\ud83d"}}, "attributes.k"),
    ({"attributes": {"k\udc00": "v"}}, "attributes.k\udc00"),
    ({"references": {"r": {"type": "STRING", "value": "\ud800"}}}, "references.r.value"),
    ({"tags": {"team": "\ud800"}}, "tags.team"),
    ({"region": "eu-west-2\ud800"}, "region"),
    ({"clientToken": "t\ud800"}, "clientToken"),
    ({"segmentAttributes": {"s": {"valueList": [{"valueString": "\ud800"}]}}}, "segmentAttributes.s.valueList.0.valueString"),
], ids=["name", "description", "attribute value", "attribute key", "reference value", "tag value", "region",
        "client token", "segment list value"])
def test_a_lone_surrogate_is_refused_not_raised(extra, prop):
    """A lone surrogate is not Unicode text: UTF-8 cannot carry it (Python's str.encode raises), so
    no request can hold it."""
    failures = in_process(extra)
    assert prop in failures and "lone surrogate" in failures[prop], failures


@pytest.mark.parametrize("extra, prop", [
    ({"tags": {"k" * 100_000: "v"}}, "tags." + "k" * 256 + "..."),
    ({"attributes": {"k" * 100_000: "v"}}, "attributes." + "k" * 256 + "..."),
    ({"references": {"r" * 100_000: {"type": "URL", "value": "https://example.com"}}}, "references." + "r" * 256 + "..."),
], ids=["tag key", "attribute key", "reference name"])
def test_an_overlong_key_is_cut_short_in_the_refusal(extra, prop):
    """A key is at most 128 characters on any map Connect takes (the model's limits); one of
    100,000 is refused in a line that shows its first 256, never the whole key."""
    failures = in_process(extra)
    assert prop in failures, list(failures)[:3]
    assert all(len(path) + len(reason) < 900 for path, reason in failures.items()), failures


def test_a_program_under_mocks_gets_the_refusal_naming_the_argument():
    """ContactMocks checks as the provider does: the region of no partition is one named failure."""
    message = mocks_refusal({"region": "xx-east-1", "existingContactId": "c" * 300})
    assert "region: 'xx-east-1' is in no AWS partition" in message
    assert "existingContactId: must have at most 256 characters (got 300); the argument is existing_contact_id" in message


def mocks_refusal(extra: dict) -> str:
    args = MockResourceArgs(typ=CONTACT_TYPE, name="refused", inputs={**with_instance(TASK, "i-1", "mocks"), **extra},
                            provider=None, resource_id=None)
    with pytest.raises(ContactCheckError) as raised:
        ContactMocks().new_resource(args)
    return str(raised.value)


# --------------------------------------------------------------------------- through the provider host


@pytest.mark.parametrize("extra, prop", [
    ({"region": 5}, "region"),
    ({"region": "us-east-1/../x"}, "region"),
    ({"existingContactId": 5}, "existingContactId"),
    ({"segmentAttributes": segment_nested(40)}, "segmentAttributes"),
    ({"segmentAttributes": segment_nested(60)}, "segmentAttributes"),
    ({"references": {"k": {"type": "STRING", "value": "v", "bogus": "x"}}}, "references.k.bogus"),
    ({"userInfo": {"userId": "agent-1", "junk": "x"}}, "userInfo.junk"),
    ({"references": []}, "references"),
], ids=["region a number", "region with a path", "existing contact ID a number", "segments 40 deep",
        "segments 60 deep", "unknown reference member", "unknown user info member", "references an empty list"])
def test_through_the_host_the_engine_stops_at_check_and_connect_sees_no_call(engine, service, extra, prop):
    registered = contact("refused", service.instance_id)
    service.reset_stats()
    with pytest.raises(EngineError) as raised:
        engine.up(registered.urn, {**registered.object, **extra})
    assert prop in str(raised.value) and "Traceback" not in str(raised.value)
    assert contact_calls(service.stats()) == {}


def test_the_deepest_segment_attributes_check_accepts_the_service_accepts_on_update(engine, service, client):
    """At the bound: 14 value_map levels are created and updated; 15 are refused by check here and
    by the local service's UpdateContact (a body of 33 levels)."""
    registered = contact("deep", service.instance_id)
    deepest = {**registered.object, "segmentAttributes": segment_nested(14)}
    step = engine.up(registered.urn, deepest)
    live = client.describe_contact(InstanceId=service.instance_id, ContactId=step.outputs["contactId"])["Contact"]
    assert "deep" in live["SegmentAttributes"]
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.update_contact(InstanceId=service.instance_id, ContactId=step.outputs["contactId"],
                              SegmentAttributes={"deep": api_nested(15)})
    assert "segmentAttributes" in in_process({"segmentAttributes": segment_nested(15)})


def api_nested(levels: int) -> dict:
    value: dict = {"ValueString": "leaf"}
    for _ in range(levels):
        value = {"ValueMap": {"inner": value}}
    return value


def test_an_adopted_contact_id_the_model_allows_reaches_describe_contact(engine, service):
    """256 characters pass check (the ContactId shape allows them); the apply then finds no such
    contact and says so in one line."""
    registered = contact("adopt", service.instance_id)
    with pytest.raises(HostError) as raised:
        engine.up(registered.urn, {**registered.object, "existingContactId": "c" * 256})
    details = raised.value.details.strip()
    assert "does not exist" in details and "\n" not in details and "Traceback" not in details


@pytest.mark.parametrize("state, first, then", [
    ("attributes", {"old": "v"}, {"k": "x" * 32_766}),
    ("references", {"a": {"type": "STRING", "value": "x" * 3000}}, {"b": {"type": "STRING", "value": "y" * 2000}}),
], ids=["attributes", "references"])
def test_what_an_update_leaves_on_the_contact_counts_in_its_budget(engine, service, state, first, then):
    """The semantics: UpdateContactAttributes merges (a removed attribute is set to "", its key
    kept) and references cannot be deleted; a contact holds at most 32,768 bytes of attributes and
    4,096 of references. The new values alone fit; with what stays, they do not: check refuses."""
    registered = contact("budget", service.instance_id)
    engine.up(registered.urn, {**registered.object, state: first})
    service.reset_stats()
    with pytest.raises(EngineError) as raised:
        engine.up(registered.urn, {**registered.object, state: then})
    assert f"('{state}', " in str(raised.value) and "removed from the program, which stay on the contact" in str(raised.value)
    assert contact_calls(service.stats()) == {}
