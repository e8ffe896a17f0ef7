"""The local service's rules beyond creation (CreateContact's are in tests/rule_cases.py, which
tests/test_rules.py runs against both the provider's check and the service): updates, attribute
merges, stops and tags, each refused with the right modelled exception naming the member.

The client here skips boto3's own parameter validation, so what answers is the
service's validation, as it would be AWS's.
"""

from __future__ import annotations

import pytest
from botocore.config import Config
from tests.support.emulator_support import EMAIL_OUTBOUND, TASK, USER, VOICE_TRANSFER, create_task, describe, raises
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.documented import ATTRIBUTES_MAX_BYTES, MAX_CONTACT_TAGS, REFERENCES_MAX_BYTES

RULE = "InvalidRequestException"
SHAPE = "InvalidParameterException"
EXPIRY = {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 60}}}}


def attributes_of_size(total_bytes: int, key: str = "k") -> dict:
    """Two attributes, `key` and `key`2, taking `total_bytes` together (each value within its shape's limit)."""
    first = total_bytes // 2
    return {key: "x" * (first - len(key)), key + "2": "x" * (total_bytes - first - len(key) - 1)}


def references_of_size(total_bytes: int, key: str = "r") -> dict:
    return {key: {"Type": "STRING", "Value": "x" * (total_bytes - len(key))}}


@pytest.fixture(scope="module")
def client(shared_connect_service):
    return shared_connect_service.client(config=Config(parameter_validation=False), total_max_attempts=1)


@pytest.fixture(scope="module")
def instance(shared_connect_service):
    return shared_connect_service.instance_id


def test_unknown_instance_is_not_found(client):
    with raises(client, "ResourceNotFoundException"):
        client.create_contact(InstanceId="00000000-0000-4000-8000-000000000000", **TASK)


def test_all_violations_are_reported_at_once(client, instance):
    with raises(client, RULE) as raised:
        client.create_contact(InstanceId=instance, **EMAIL_OUTBOUND, InitiateAs="COMPLETED",
                              Attributes={"bad key": "v"})
    message = raised.value.response["Error"]["Message"]
    assert all(f"{path}:" in message for path in ("UserInfo.UserId", "InitiateAs", "Attributes.bad key"))


# -- UpdateContact

def test_update_contact_needs_a_field(client, instance):
    contact_id = create_task(client, instance)
    with raises(client, RULE):
        client.update_contact(InstanceId=instance, ContactId=contact_id)
    client.update_contact(InstanceId=instance, ContactId=contact_id, Description="d")


@pytest.mark.parametrize("member, value", [
    ("QueueInfo", {"Id": "queue-1"}), ("UserInfo", {"UserId": "agent-1"}),
    ("CustomerEndpoint", {"Type": "TELEPHONE_NUMBER", "Address": "+15555550100"}),
    ("SystemEndpoint", {"Type": "TELEPHONE_NUMBER", "Address": "+15555550101"}),
])
def test_external_audio_members_only_on_external_audio_contacts(member, value, client, instance):
    task_id = create_task(client, instance)
    with raises(client, RULE) as raised:
        client.update_contact(InstanceId=instance, ContactId=task_id, **{member: value})
    assert f"{member}:" in raised.value.response["Error"]["Message"]
    voice_id = client.create_contact(InstanceId=instance, **VOICE_TRANSFER)["ContactId"]
    client.update_contact(InstanceId=instance, ContactId=voice_id, **{member: value})


@pytest.mark.parametrize("method", ["OUTBOUND", "AGENT_REPLY"])
@pytest.mark.parametrize("member, value", [
    ("CustomerEndpoint", {"Type": "EMAIL_ADDRESS", "Address": "customer@example.com"}),
    ("SystemEndpoint", {"Type": "EMAIL_ADDRESS", "Address": "support@example.com"}),
])
def test_outbound_email_endpoints_can_be_updated(member, value, method, client, instance):
    """The model's documentation of both members: "For email contacts with an OUTBOUND or AGENT_REPLY
    initiation method, this value can be updated while the outbound email is still a draft"."""
    email_id = client.create_contact(InstanceId=instance, Channel="EMAIL", InitiationMethod=method, **USER)["ContactId"]
    client.update_contact(InstanceId=instance, ContactId=email_id, **{member: value})
    assert describe(client, instance, email_id)[member] == value
    flow_id = client.create_contact(InstanceId=instance, Channel="EMAIL", InitiationMethod="FLOW")["ContactId"]
    with raises(client, RULE):
        client.update_contact(InstanceId=instance, ContactId=flow_id, **{member: value})


def test_external_audio_members_show_on_the_contact(client, instance):
    voice_id = client.create_contact(InstanceId=instance, **VOICE_TRANSFER)["ContactId"]
    client.update_contact(InstanceId=instance, ContactId=voice_id, QueueInfo={"Id": "q"}, UserInfo={"UserId": "u"},
                          CustomerEndpoint={"Type": "TELEPHONE_NUMBER", "Address": "+15555550100"})
    contact = describe(client, instance, voice_id)
    assert contact["QueueInfo"]["Id"] == "q" and contact["AgentInfo"]["Id"] == "u"
    assert contact["CustomerEndpoint"] == {"Type": "TELEPHONE_NUMBER", "Address": "+15555550100"}


def test_update_contact_checks_date_references(client, instance):
    contact_id = create_task(client, instance)
    with raises(client, RULE):
        client.update_contact(InstanceId=instance, ContactId=contact_id,
                              References={"due": {"Type": "DATE", "Value": "2026-01-01"}})
    client.update_contact(InstanceId=instance, ContactId=contact_id,
                          References={"due": {"Type": "DATE", "Value": "1767225600"}})


def test_update_contact_shape_is_validated(client, instance):
    contact_id = create_task(client, instance)
    with raises(client, SHAPE):
        client.update_contact(InstanceId=instance, ContactId=contact_id, Name="n" * 1025)


# -- UpdateContactAttributes

@pytest.mark.parametrize("member, budget, sized, merge, id_member, accepted", [
    # References: UpdateContact merges, so the budget counts the references kept.
    ("References", REFERENCES_MAX_BYTES, references_of_size, "update_contact", "ContactId", ("b", 0)),
    # Attributes: overwriting a key replaces its bytes rather than adding to them.
    ("Attributes", ATTRIBUTES_MAX_BYTES, attributes_of_size, "update_contact_attributes", "InitialContactId",
     ("a", 1)),
], ids=["UpdateContact references", "UpdateContactAttributes"])
def test_a_byte_budget_applies_to_what_the_contact_would_keep(member, budget, sized, merge, id_member, accepted,
                                                              client, instance):
    half = budget // 2
    contact_id = create_task(client, instance, **{member: sized(half, key="a")})

    def merged(value):
        return getattr(client, merge)(InstanceId=instance, **{id_member: contact_id, member: value})

    with raises(client, RULE) as raised:
        merged(sized(half + 1, key="b"))
    assert f"{member}:" in raised.value.response["Error"]["Message"]
    key, extra = accepted
    merged(sized(half + extra, key=key))


def test_update_contact_attributes_checks_key_charset(client, instance):
    contact_id = create_task(client, instance)
    with raises(client, RULE):
        client.update_contact_attributes(InstanceId=instance, InitialContactId=contact_id, Attributes={"a b": "v"})
    client.update_contact_attributes(InstanceId=instance, InitialContactId=contact_id, Attributes={"a_b": "v"})


def utf8_size(attributes: dict) -> int:
    return sum(len(key.encode()) + len(value.encode()) for key, value in attributes.items())


attribute_keys = st.text(alphabet="abcXYZ019-_", min_size=1, max_size=8)
attribute_values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=30, deadline=None)
@given(base=st.dictionaries(attribute_keys, attribute_values, max_size=5), slack=st.integers(-6, 6))
def test_attribute_budget_edge_on_create(client, instance, base, slack):
    """Attributes whose UTF-8 size lands a few bytes either side of the budget."""
    pad_key = "pad-key"
    base.pop(pad_key, None)
    target = ATTRIBUTES_MAX_BYTES + slack
    attributes = {**base, pad_key: "p" * (target - utf8_size(base) - len(pad_key))}
    assert utf8_size(attributes) == target
    if target <= ATTRIBUTES_MAX_BYTES:
        client.create_contact(InstanceId=instance, **TASK, Attributes=attributes)
    else:
        with raises(client, RULE):
            client.create_contact(InstanceId=instance, **TASK, Attributes=attributes)


@settings(max_examples=15, deadline=None)
@given(first=st.dictionaries(attribute_keys, attribute_values, min_size=1, max_size=4),
       second=st.dictionaries(attribute_keys, attribute_values, min_size=1, max_size=4), slack=st.integers(-4, 4))
def test_attribute_budget_edge_on_merge(client, instance, first, second, slack):
    """The merged set decides: keys sent overwrite, keys not sent are kept."""
    contact_id = create_task(client, instance, Attributes=first)
    merged = {**first, **second}
    pad_key = "pad-key"
    merged.pop(pad_key, None)
    pad = "p" * (ATTRIBUTES_MAX_BYTES + slack - utf8_size(merged) - len(pad_key))
    update = {**{key: merged[key] for key in second if key != pad_key}, pad_key: pad}
    final = {**first, **update}
    if utf8_size(final) <= ATTRIBUTES_MAX_BYTES:
        client.update_contact_attributes(InstanceId=instance, InitialContactId=contact_id, Attributes=update)
        assert describe(client, instance, contact_id)["Attributes"] == final
    else:
        with raises(client, RULE):
            client.update_contact_attributes(InstanceId=instance, InitialContactId=contact_id, Attributes=update)
        assert describe(client, instance, contact_id).get("Attributes", {}) == first


# -- StopContact, TagContact

def test_stop_refuses_voice_transfer_contacts(client, instance):
    voice_id = client.create_contact(InstanceId=instance, **VOICE_TRANSFER)["ContactId"]
    with raises(client, RULE):
        client.stop_contact(InstanceId=instance, ContactId=voice_id)
    client.stop_contact(InstanceId=instance, ContactId=create_task(client, instance))


def test_a_contact_carries_at_most_six_tags_in_total(client, instance):
    contact_id = create_task(client, instance)
    client.tag_contact(InstanceId=instance, ContactId=contact_id,
                       Tags={f"k{n}": "v" for n in range(MAX_CONTACT_TAGS - 1)})
    with raises(client, RULE) as raised:
        client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"x": "1", "y": "2"})
    assert "Tags:" in raised.value.response["Error"]["Message"]
    client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"k0": "again", "x": "1"})
    assert len(describe(client, instance, contact_id)["Tags"]) == MAX_CONTACT_TAGS


def test_tag_keys_may_not_start_with_aws(client, instance):
    contact_id = create_task(client, instance)
    with raises(client, SHAPE):
        client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"aws:owner": "me"})
    client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"owner": "me"})


def test_tag_values_hold_at_most_256_characters(client, instance):
    contact_id = create_task(client, instance)
    with raises(client, SHAPE):
        client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"team": "x" * 257})
    client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"team": "x" * 256})
    assert describe(client, instance, contact_id)["Tags"] == {"team": "x" * 256}
