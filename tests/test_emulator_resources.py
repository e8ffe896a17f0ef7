"""The tag family on instance and contact ARNs, DeleteInstance, ListInstanceAttributes and the
SearchContacts criteria on agents, queues, names and attributes, through boto3. Expected answers
come from botocore's model (limits, enums), the semantics file (at most 6 tags on a contact) and
the assumed readings in `connect_contact_local.rules.ASSUMED`."""

from __future__ import annotations

import pytest
from tests.support.emulator_support import (FAR_FUTURE, FAR_PAST, VOICE_TRANSFER, all_contacts, create_task,
                                            describe, raises)

from connect_contact.model import service_model
from connect_contact_local.testing import LocalConnect


def arn_of(client, instance_id: str) -> str:
    return client.describe_instance(InstanceId=instance_id)["Instance"]["Arn"]


def test_a_contact_arn_and_tag_contact_share_one_set_of_tags(connect_client, fresh_connect_instance):
    contact_id = create_task(connect_client, fresh_connect_instance)
    arn = describe(connect_client, fresh_connect_instance, contact_id)["Arn"]
    connect_client.tag_resource(resourceArn=arn, tags={"team": "billing"})
    connect_client.tag_contact(InstanceId=fresh_connect_instance, ContactId=contact_id, Tags={"tier": "gold"})
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "billing", "tier": "gold"}
    assert describe(connect_client, fresh_connect_instance, contact_id)["Tags"] == {"team": "billing", "tier": "gold"}
    found = all_contacts(connect_client, fresh_connect_instance,
                         SearchCriteria={"ContactTags": {"TagCondition": {"TagKey": "team", "TagValue": "billing"}}})
    assert [contact["Id"] for contact in found] == [contact_id]
    connect_client.untag_resource(resourceArn=arn, tagKeys=["team", "never-set"])
    assert describe(connect_client, fresh_connect_instance, contact_id)["Tags"] == {"tier": "gold"}


def test_a_contact_carries_at_most_six_tags_whichever_operation_adds_them(connect_client, fresh_connect_instance):
    contact_id = create_task(connect_client, fresh_connect_instance)
    arn = describe(connect_client, fresh_connect_instance, contact_id)["Arn"]
    connect_client.tag_resource(resourceArn=arn, tags={f"k{n}": "v" for n in range(6)})
    with raises(connect_client, "InvalidRequestException"):
        connect_client.tag_resource(resourceArn=arn, tags={"seventh": "v"})
    assert len(connect_client.list_tags_for_resource(resourceArn=arn)["tags"]) == 6


def test_instance_tags_are_listed_described_and_removed(connect_client, fresh_connect_instance):
    arn = arn_of(connect_client, fresh_connect_instance)
    connect_client.tag_resource(resourceArn=arn, tags={"env": "dev", "owner": "ops"})
    assert connect_client.describe_instance(InstanceId=fresh_connect_instance)["Instance"]["Tags"] == {
        "env": "dev", "owner": "ops"}
    connect_client.untag_resource(resourceArn=arn, tagKeys=["env", "owner"])
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {}
    assert "Tags" not in connect_client.describe_instance(InstanceId=fresh_connect_instance)["Instance"]


@pytest.mark.parametrize("tags, code", [
    ({"aws:owner": "x"}, "InvalidParameterException"),  # the model's TagKey pattern: (?!aws:)
    ({"k" * 129: "x"}, "InvalidParameterException"),    # TagKey max 128
    ({"k": "v" * 257}, "InvalidParameterException"),    # TagValue max 256
    ({"bad<key>": "x"}, "InvalidParameterException"),   # outside \p{L}\p{Z}\p{N}_.:/=+-@
    ({f"k{n}": "v" for n in range(51)}, "InvalidParameterException"),  # TagMap max 50
], ids=["aws prefix", "long key", "long value", "key charset", "51 tags"])
def test_tag_resource_refuses_what_the_model_refuses(tags, code, shared_connect_service, fresh_connect_instance):
    from botocore.config import Config
    client = shared_connect_service.client(config=Config(parameter_validation=False), total_max_attempts=1)
    arn = arn_of(client, fresh_connect_instance)
    with raises(client, code):
        client.tag_resource(resourceArn=arn, tags=tags)
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {}


def test_a_key_of_letters_of_any_script_is_a_tag_key(connect_client, fresh_connect_instance):
    arn = arn_of(connect_client, fresh_connect_instance)
    connect_client.tag_resource(resourceArn=arn, tags={"équipe Ω 7": "x"})
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"équipe Ω 7": "x"}


@pytest.mark.parametrize("forge", [
    lambda arn: arn.replace("instance/", "instance/0"),
    lambda arn: arn.replace(":connect:us-east-1:", ":connect:eu-west-1:"),
    lambda arn: arn + "/contact/no-such-contact",
    lambda arn: arn + "/queue/q",
    lambda arn: "not-an-arn",
], ids=["unknown instance", "other region", "unknown contact", "other resource type", "no arn"])
def test_an_arn_naming_nothing_here_is_resource_not_found(forge, connect_client, fresh_connect_instance):
    with raises(connect_client, "ResourceNotFoundException"):
        connect_client.list_tags_for_resource(resourceArn=forge(arn_of(connect_client, fresh_connect_instance)))


def test_a_client_signed_for_another_region_cannot_see_or_tag_an_instance_or_its_contacts(
        shared_connect_service, connect_client, fresh_connect_instance):
    arn = arn_of(connect_client, fresh_connect_instance)
    contact_id = create_task(connect_client, fresh_connect_instance)
    contact_arn = describe(connect_client, fresh_connect_instance, contact_id)["Arn"]
    elsewhere = shared_connect_service.client(region_name="eu-west-1", total_max_attempts=1)
    for resource in (arn, contact_arn):
        for call in (lambda: elsewhere.list_tags_for_resource(resourceArn=resource),
                     lambda: elsewhere.tag_resource(resourceArn=resource, tags={"from": "elsewhere"})):
            with raises(elsewhere, "ResourceNotFoundException"):
                call()
        assert connect_client.list_tags_for_resource(resourceArn=resource)["tags"] == {}


def test_a_create_instance_client_token_is_its_regions_own(shared_connect_service):
    """Each region's endpoint is its own service: the same token in another region is a new request."""
    token = "instance-token-per-region"
    made = {}
    for region, alias in (("eu-west-1", "token-west"), ("ap-southeast-2", "token-south")):
        regional = shared_connect_service.client(region_name=region, total_max_attempts=1)
        request = {"IdentityManagementType": "CONNECT_MANAGED", "InboundCallsEnabled": True,
                   "OutboundCallsEnabled": True, "ClientToken": token}
        made[region] = regional.create_instance(InstanceAlias=alias, **request)["Id"]
        again = regional.create_instance(InstanceAlias=alias, **request)  # a replay, here
        assert again["Id"] == made[region] and again["Arn"].startswith(f"arn:aws:connect:{region}:")
    assert made["eu-west-1"] != made["ap-southeast-2"]


def test_a_database_opened_for_another_region_gets_that_regions_own_instance(tmp_path):
    database = tmp_path / "connect.db"
    with LocalConnect(database) as east:
        first_east = east.instance_id
    with LocalConnect(database, region="eu-west-2") as west:
        client = west.client(total_max_attempts=1)
        instance = client.describe_instance(InstanceId=west.instance_id)["Instance"]
        assert west.instance_id != first_east
        assert instance["Arn"] == f"arn:aws:connect:eu-west-2:123456789012:instance/{west.instance_id}"
        assert instance["InstanceAlias"] == "local-connect-eu-west-2"  # aliases are unique across regions
    with LocalConnect(database) as east_again:
        assert east_again.instance_id == first_east


def test_delete_instance_makes_it_and_its_contacts_unknown(connect_client, fresh_connect_instance):
    contact_id = create_task(connect_client, fresh_connect_instance)
    contact_arn = describe(connect_client, fresh_connect_instance, contact_id)["Arn"]
    connect_client.delete_instance(InstanceId=fresh_connect_instance)
    for call in (lambda: connect_client.describe_instance(InstanceId=fresh_connect_instance),
                 lambda: describe(connect_client, fresh_connect_instance, contact_id),
                 lambda: connect_client.list_tags_for_resource(resourceArn=contact_arn),
                 lambda: connect_client.list_instance_attributes(InstanceId=fresh_connect_instance),
                 lambda: connect_client.delete_instance(InstanceId=fresh_connect_instance)):
        with raises(connect_client, "ResourceNotFoundException"):
            call()
    listed = connect_client.list_instances()["InstanceSummaryList"]
    assert fresh_connect_instance not in {instance["Id"] for instance in listed}


def test_a_delete_retried_with_its_client_token_succeeds(connect_client, fresh_connect_instance):
    connect_client.delete_instance(InstanceId=fresh_connect_instance, ClientToken="delete-once")
    connect_client.delete_instance(InstanceId=fresh_connect_instance, ClientToken="delete-once")
    with raises(connect_client, "ResourceNotFoundException"):
        connect_client.delete_instance(InstanceId=fresh_connect_instance, ClientToken="another")


def test_a_create_instance_replayed_after_its_instance_was_deleted_gets_the_first_answer(connect_client):
    request = {"IdentityManagementType": "CONNECT_MANAGED", "InboundCallsEnabled": True,
               "OutboundCallsEnabled": True, "ClientToken": "create-then-delete"}
    first = connect_client.create_instance(**request)
    connect_client.delete_instance(InstanceId=first["Id"])
    again = connect_client.create_instance(**request)
    assert (again["Id"], again["Arn"]) == (first["Id"], first["Arn"])
    with raises(connect_client, "ResourceNotFoundException"):
        connect_client.describe_instance(InstanceId=first["Id"])


def test_a_delete_instance_client_token_is_its_regions_own(shared_connect_service):
    """Replayed to another region's endpoint, a delete's token is unknown there: the instance it
    deleted is not found, as any instance of another region is."""
    west = shared_connect_service.client(region_name="eu-west-1", total_max_attempts=1)
    south = shared_connect_service.client(region_name="ap-southeast-2", total_max_attempts=1)
    instance = west.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                    OutboundCallsEnabled=True)["Id"]
    west.delete_instance(InstanceId=instance, ClientToken="delete-in-west")
    with raises(south, "ResourceNotFoundException"):
        south.delete_instance(InstanceId=instance, ClientToken="delete-in-west")
    west.delete_instance(InstanceId=instance, ClientToken="delete-in-west")  # a replay, where it was made


def test_instance_attributes_list_every_type_page_by_page(connect_client):
    created = connect_client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=False,
                                             OutboundCallsEnabled=True)
    listed, token = [], None
    while True:
        page = connect_client.list_instance_attributes(InstanceId=created["Id"], MaxResults=5,
                                                       **({"NextToken": token} if token else {}))
        assert len(page["Attributes"]) <= 5
        listed += page["Attributes"]
        token = page.get("NextToken")
        if not token:
            break
    values = {attribute["AttributeType"]: attribute["Value"] for attribute in listed}
    assert list(values) == service_model().shape_for("InstanceAttributeType").enum
    assert values["INBOUND_CALLS"] == "false" and values["OUTBOUND_CALLS"] == "true"
    assert {values[name] for name in values if name not in ("INBOUND_CALLS", "OUTBOUND_CALLS")} == {"false"}


def search_ids(client, instance_id: str, criteria: dict) -> set[str]:
    return {contact["Id"] for contact in all_contacts(client, instance_id, SearchCriteria=criteria)}


def test_search_by_agent_queue_name_and_attributes(connect_client, fresh_connect_instance):
    instance = fresh_connect_instance
    billing = create_task(connect_client, instance, Name="Billing question", Attributes={"tier": "gold"},
                          UserInfo={"UserId": "agent-1"})
    refund = create_task(connect_client, instance, Name="Refund for BILLING error", Attributes={"tier": "silver"})
    call = connect_client.create_contact(InstanceId=instance, Name="Call", **VOICE_TRANSFER)["ContactId"]
    connect_client.update_contact(InstanceId=instance, ContactId=call, QueueInfo={"Id": "queue-1"})
    every = {billing, refund, call}

    assert search_ids(connect_client, instance, {"AgentIds": ["agent-1", "agent-1", "other"]}) == {billing}
    assert search_ids(connect_client, instance, {"QueueIds": ["queue-1"]}) == {call}
    by_name = {match: search_ids(connect_client, instance, {"Name": {"SearchText": texts, "MatchType": match}})
               for match, texts in (("MATCH_ANY", ["billing", "call"]), ("MATCH_ALL", ["billing", "refund"]),
                                    ("MATCH_EXACT", ["billing QUESTION"]), ("MATCH_NONE", ["billing"]))}
    assert by_name == {"MATCH_ANY": every, "MATCH_ALL": {refund}, "MATCH_EXACT": {billing}, "MATCH_NONE": {call}}
    gold = {"Key": "tier", "Values": ["gold"]}
    silver = {"Key": "tier", "Values": ["silver"]}
    attributes = {match: search_ids(connect_client, instance,
                                    {"SearchableContactAttributes": {"Criteria": [gold, silver], "MatchType": match}})
                  for match in ("MATCH_ALL", "MATCH_ANY", "MATCH_NONE")}
    assert attributes == {"MATCH_ALL": set(), "MATCH_ANY": {billing, refund}, "MATCH_NONE": {call}}
    assert search_ids(connect_client, instance, {"SearchableContactAttributes": {
        "Criteria": [{"Key": "tier", "Values": []}]}}) == {billing, refund}
    assert search_ids(connect_client, instance, {"AgentIds": ["agent-1"], "Name": {
        "SearchText": ["refund"], "MatchType": "MATCH_ANY"}}) == set()


@pytest.mark.parametrize("criteria", [
    {"AgentIds": ["a"] * 101},
    {"QueueIds": ["q"] * 101},
    {"Name": {"SearchText": ["x"] * 101, "MatchType": "MATCH_ANY"}},
    {"Name": {"SearchText": ["x" * 129], "MatchType": "MATCH_ANY"}},
    {"Name": {"SearchText": ["x"]}},
    {"SearchableContactAttributes": {"Criteria": [{"Key": "k", "Values": []}] * 16}},
    {"SearchableContactAttributes": {"Criteria": [{"Key": "k", "Values": ["v"] * 21}]}},
], ids=["101 agents", "101 queues", "101 texts", "long text", "no match type", "16 criteria", "21 values"])
def test_search_criteria_beyond_the_model_bounds_are_refused(criteria, shared_connect_service):
    from botocore.config import Config
    client = shared_connect_service.client(config=Config(parameter_validation=False), total_max_attempts=1)
    with raises(client, "InvalidParameterException"):
        client.search_contacts(InstanceId=shared_connect_service.instance_id, SearchCriteria=criteria, TimeRange={
            "Type": "INITIATION_TIMESTAMP", "StartTime": FAR_PAST, "EndTime": FAR_FUTURE})
