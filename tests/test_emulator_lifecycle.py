"""Lifecycle and reads: timestamps, ending (stop, COMPLETED, expiry), retention, merges,
DescribeContact, ListContactReferences and SearchContacts."""

from __future__ import annotations

import pytest
from tests.support.emulator_support import EMAIL_OUTBOUND, FAR_FUTURE, FAR_PAST, TASK, USER, VOICE_TRANSFER, all_contacts, create_task, describe, raises

from tests.support.documented import CONTACT_SUBTYPES, RETENTION_SECONDS
from connect_contact_local.testing import LocalConnect

MINUTE = 60.0


@pytest.fixture(scope="module")
def clock_service(tmp_path_factory):
    """A service of this module's own, whose clock the tests move."""
    service = LocalConnect(tmp_path_factory.mktemp("lifecycle") / "connect.db")
    yield service.start()
    service.close()


@pytest.fixture
def clocked(clock_service):
    """(client, instance ID, service) on the module's clock-moving service."""
    return clock_service.client(total_max_attempts=1), clock_service.instance_id, clock_service


# -- creation

def test_a_new_contact_is_ongoing_with_its_timestamps(clocked):
    client, instance, service = clocked
    before = service.now()
    contact = describe(client, instance, create_task(client, instance, Name="n", Description="d"))
    assert contact["InitiationTimestamp"].timestamp() >= before
    assert contact["LastUpdateTimestamp"] == contact["InitiationTimestamp"]
    assert "DisconnectTimestamp" not in contact
    assert contact["Id"] == contact["InitialContactId"]
    assert contact["Arn"] == f"{service.instance_arn}/contact/{contact['Id']}"
    assert (contact["Name"], contact["Description"], contact["Channel"], contact["InitiationMethod"]) == (
        "n", "d", "TASK", "API")


@pytest.mark.parametrize("members, subtype", [
    (TASK, "connect:ExternalTask"), (VOICE_TRANSFER, "connect:ExternalAudio"),
    ({**EMAIL_OUTBOUND, "InitiationMethod": "FLOW"}, None)], ids=["task", "voice", "email"])
def test_created_contacts_get_their_subtype(members, subtype, connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = connect_client.create_contact(InstanceId=instance, **members)["ContactId"]
    segments = describe(connect_client, instance, contact_id).get("SegmentAttributes", {})
    assert segments.get("connect:Subtype") == ({"ValueString": subtype} if subtype else None)
    assert CONTACT_SUBTYPES.get((members["Channel"], members["InitiationMethod"])) == subtype


def test_linked_contacts_are_shown(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    first = connect_client.create_contact(InstanceId=instance, **VOICE_TRANSFER)["ContactId"]
    second = connect_client.create_contact(InstanceId=instance, **VOICE_TRANSFER, PreviousContactId=first)["ContactId"]
    related = create_task(connect_client, instance, RelatedContactId=first)
    assert describe(connect_client, instance, second)["PreviousContactId"] == first
    assert describe(connect_client, instance, second)["InitialContactId"] == first
    assert describe(connect_client, instance, related)["RelatedContactId"] == first


def test_connected_to_user_records_the_agent(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact = describe(connect_client, instance,
                       create_task(connect_client, instance, InitiateAs="CONNECTED_TO_USER", **USER))
    assert contact["AgentInfo"]["Id"] == "agent-1"
    assert contact["AgentInfo"]["ConnectedToAgentTimestamp"] == contact["InitiationTimestamp"]


# -- ending

def test_stop_ends_a_contact_once(clocked):
    client, instance, service = clocked
    contact_id = create_task(client, instance)
    service.advance_clock(5)
    client.stop_contact(InstanceId=instance, ContactId=contact_id)
    contact = describe(client, instance, contact_id)
    assert contact["DisconnectTimestamp"] == contact["LastUpdateTimestamp"] > contact["InitiationTimestamp"]
    with raises(client, "ContactNotFoundException") as raised:
        client.stop_contact(InstanceId=instance, ContactId=contact_id)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_a_contact_created_completed_has_ended(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact = describe(connect_client, instance, create_task(connect_client, instance, InitiateAs="COMPLETED"))
    assert contact["DisconnectTimestamp"] == contact["InitiationTimestamp"]
    with raises(connect_client, "ContactNotFoundException"):
        connect_client.stop_contact(InstanceId=instance, ContactId=contact["Id"])


@pytest.mark.parametrize("expiry", [
    {"ExpiryDurationInMinutes": 10},
    {"SegmentAttributes": {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 10}}}}},
], ids=["ExpiryDurationInMinutes", "connect:ContactExpiry"])
def test_a_contact_ends_when_it_expires(expiry, clocked):
    client, instance, service = clocked
    contact_id = create_task(client, instance, **expiry)
    service.advance_clock(9 * MINUTE)
    assert "DisconnectTimestamp" not in describe(client, instance, contact_id)
    service.advance_clock(2 * MINUTE)
    contact = describe(client, instance, contact_id)
    assert contact["DisconnectTimestamp"].timestamp() == pytest.approx(
        contact["InitiationTimestamp"].timestamp() + 10 * MINUTE)
    with raises(client, "ContactNotFoundException"):
        client.stop_contact(InstanceId=instance, ContactId=contact_id)


def test_the_earlier_of_two_expiries_wins(clocked):
    client, instance, service = clocked
    contact_id = create_task(client, instance, ExpiryDurationInMinutes=30, SegmentAttributes={
        "connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 5}}}})
    service.advance_clock(6 * MINUTE)
    assert "DisconnectTimestamp" in describe(client, instance, contact_id)


def test_update_contact_moves_the_expiry_of_an_ongoing_contact(clocked):
    client, instance, service = clocked
    contact_id = create_task(client, instance, ExpiryDurationInMinutes=10)
    client.update_contact(InstanceId=instance, ContactId=contact_id, SegmentAttributes={
        "connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 60}}}})
    service.advance_clock(30 * MINUTE)
    assert "DisconnectTimestamp" not in describe(client, instance, contact_id)
    service.advance_clock(31 * MINUTE)
    assert "DisconnectTimestamp" in describe(client, instance, contact_id)


def test_contacts_are_gone_after_the_retention_period(clocked):
    client, instance, service = clocked
    contact_id = create_task(client, instance)
    service.advance_clock(RETENTION_SECONDS - MINUTE)
    describe(client, instance, contact_id)
    service.advance_clock(2 * MINUTE)
    with raises(client, "ResourceNotFoundException"):
        describe(client, instance, contact_id)
    with raises(client, "ResourceNotFoundException"):
        client.update_contact(InstanceId=instance, ContactId=contact_id, Name="n")
    assert contact_id not in {contact["Id"] for contact in all_contacts(client, instance)}


def test_unknown_contacts_and_instances_are_not_found(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    unknown = "00000000-0000-4000-8000-000000000000"
    calls = [
        lambda: connect_client.describe_contact(InstanceId=instance, ContactId=unknown),
        lambda: connect_client.update_contact(InstanceId=instance, ContactId=unknown, Name="n"),
        lambda: connect_client.update_contact_attributes(InstanceId=instance, InitialContactId=unknown,
                                                         Attributes={"a": "1"}),
        lambda: connect_client.stop_contact(InstanceId=instance, ContactId=unknown),
        lambda: connect_client.tag_contact(InstanceId=instance, ContactId=unknown, Tags={"a": "1"}),
        lambda: connect_client.untag_contact(InstanceId=instance, ContactId=unknown, TagKeys=["a"]),
        lambda: connect_client.list_contact_references(InstanceId=instance, ContactId=unknown, ReferenceTypes=["URL"]),
        lambda: connect_client.describe_contact(InstanceId=unknown, ContactId=unknown),
        lambda: connect_client.search_contacts(InstanceId=unknown, TimeRange={
            "Type": "INITIATION_TIMESTAMP", "StartTime": FAR_PAST, "EndTime": FAR_FUTURE}),
    ]
    for call in calls:
        with raises(connect_client, "ResourceNotFoundException") as raised:
            call()
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# -- changes, on ongoing and ended contacts

@pytest.mark.parametrize("ended", [False, True], ids=["ongoing", "ended"])
def test_updates_work_on_ongoing_and_ended_contacts(ended, connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance, Name="before", Attributes={"a": "1", "b": "2"},
                             References={"r1": {"Type": "STRING", "Value": "one"}},
                             SegmentAttributes={"tier": {"ValueString": "gold"}})
    if ended:
        connect_client.stop_contact(InstanceId=instance, ContactId=contact_id)
    connect_client.update_contact(InstanceId=instance, ContactId=contact_id, Name="after",
                                  References={"r2": {"Type": "URL", "Value": "https://example.com"},
                                              "r1": {"Type": "STRING", "Value": "uno"}},
                                  SegmentAttributes={"region": {"ValueString": "eu"}})
    connect_client.update_contact_attributes(InstanceId=instance, InitialContactId=contact_id,
                                             Attributes={"b": "", "c": "3"})
    contact = describe(connect_client, instance, contact_id)
    assert contact["Name"] == "after"
    assert contact["Attributes"] == {"a": "1", "b": "", "c": "3"}
    assert {"tier", "region", "connect:Subtype"} <= set(contact["SegmentAttributes"])
    assert contact["LastUpdateTimestamp"] >= contact["InitiationTimestamp"]
    references = connect_client.list_contact_references(InstanceId=instance, ContactId=contact_id,
                                                        ReferenceTypes=["STRING", "URL"])["ReferenceSummaryList"]
    assert references == [{"String": {"Name": "r1", "Value": "uno"}},
                          {"Url": {"Name": "r2", "Value": "https://example.com"}}]


def test_tags_show_only_when_there_are_some(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance)
    assert "Tags" not in describe(connect_client, instance, contact_id)
    connect_client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"team": "billing"})
    assert describe(connect_client, instance, contact_id)["Tags"] == {"team": "billing"}
    connect_client.untag_contact(InstanceId=instance, ContactId=contact_id, TagKeys=["team", "absent"])
    assert "Tags" not in describe(connect_client, instance, contact_id)


# -- ListContactReferences

def test_references_come_in_the_union_form_of_the_model(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    arn = "arn:aws:connect:us-east-1:123456789012:instance/i/file/f"
    contact_id = create_task(connect_client, instance, References={
        "file": {"Type": "ATTACHMENT", "Value": "report.pdf", "Status": "AVAILABLE", "Arn": arn},
        "due": {"Type": "DATE", "Value": "1767225600"}, "mail": {"Type": "EMAIL", "Value": "a@example.com"}})
    listed = connect_client.list_contact_references(InstanceId=instance, ContactId=contact_id,
                                                    ReferenceTypes=["ATTACHMENT", "DATE", "EMAIL"])
    assert listed["ReferenceSummaryList"] == [
        {"Date": {"Name": "due", "Value": "1767225600"}},
        {"Attachment": {"Name": "file", "Value": "report.pdf", "Status": "AVAILABLE", "Arn": arn}},
        {"Email": {"Name": "mail", "Value": "a@example.com"}},
    ]
    assert "NextToken" not in listed


def test_references_are_paged(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    references = {f"r{n:03}": {"Type": "NUMBER", "Value": str(n)} for n in range(150)}
    contact_id = create_task(connect_client, instance, References={**references, "u": {"Type": "URL", "Value": "x"}})
    names, params = [], {"InstanceId": instance, "ContactId": contact_id, "ReferenceTypes": ["NUMBER"]}
    pages = 0
    while True:
        page = connect_client.list_contact_references(**params)
        names += [summary["Number"]["Name"] for summary in page["ReferenceSummaryList"]]
        pages += 1
        if "NextToken" not in page:
            break
        params["NextToken"] = page["NextToken"]
    assert names == sorted(references) and pages > 1


# -- SearchContacts

def test_search_lists_every_contact_of_an_instance_page_by_page(connect_client, fresh_connect_instance):
    created = [create_task(connect_client, fresh_connect_instance) for _ in range(7)]
    page = connect_client.search_contacts(InstanceId=fresh_connect_instance, MaxResults=3, TimeRange={
        "Type": "INITIATION_TIMESTAMP", "StartTime": FAR_PAST, "EndTime": FAR_FUTURE})
    assert len(page["Contacts"]) == 3 and page["TotalCount"] == 7 and page["NextToken"]
    found = all_contacts(connect_client, fresh_connect_instance, MaxResults=3)
    assert sorted(contact["Id"] for contact in found) == sorted(created)
    summary = found[0]
    assert {"Arn", "Id", "InitialContactId", "Channel", "InitiationMethod", "InitiationTimestamp"} <= set(summary)


def test_search_sorts_by_initiation_time(clocked):
    client, _, service = clocked
    instance = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias="sorting",
                                      InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
    created = []
    for _ in range(4):
        created.append(create_task(client, instance))
        service.advance_clock(1)
    ascending = all_contacts(client, instance, MaxResults=2,
                             Sort={"FieldName": "INITIATION_TIMESTAMP", "Order": "ASCENDING"})
    assert [contact["Id"] for contact in ascending] == created
    assert [contact["Id"] for contact in all_contacts(client, instance)] == created[::-1]  # newest first by default


def test_search_filters_by_channel_method_and_tags(connect_client, fresh_connect_instance):
    instance = fresh_connect_instance
    task = create_task(connect_client, instance)
    flow = connect_client.create_contact(InstanceId=instance, **{**EMAIL_OUTBOUND, "InitiationMethod": "FLOW"})[
        "ContactId"]
    outbound = connect_client.create_contact(InstanceId=instance, **EMAIL_OUTBOUND, **USER)["ContactId"]
    connect_client.tag_contact(InstanceId=instance, ContactId=task, Tags={"team": "a", "tier": "1"})
    connect_client.tag_contact(InstanceId=instance, ContactId=flow, Tags={"team": "b"})

    def ids(criteria):
        return {contact["Id"] for contact in all_contacts(connect_client, instance, SearchCriteria=criteria)}

    assert ids({"Channels": ["EMAIL"]}) == {flow, outbound}
    assert ids({"Channels": ["EMAIL"], "InitiationMethods": ["FLOW"]}) == {flow}
    assert ids({"ContactTags": {"TagCondition": {"TagKey": "team", "TagValue": "a"}}}) == {task}
    assert ids({"ContactTags": {"AndConditions": [{"TagKey": "team"}, {"TagKey": "tier", "TagValue": "1"}]}}) == {task}
    assert ids({"ContactTags": {"OrConditions": [[{"TagKey": "team", "TagValue": "a"}],
                                                 [{"TagKey": "team", "TagValue": "b"}]]}}) == {task, flow}


def test_search_by_disconnect_time_finds_ended_contacts(connect_client, fresh_connect_instance):
    instance = fresh_connect_instance
    ongoing = create_task(connect_client, instance)
    completed = create_task(connect_client, instance, InitiateAs="COMPLETED")
    found = {contact["Id"] for contact in all_contacts(connect_client, instance, time_type="DISCONNECT_TIMESTAMP")}
    assert completed in found and ongoing not in found


def test_search_time_range_bounds_the_results(connect_client, fresh_connect_instance):
    contact_id = create_task(connect_client, fresh_connect_instance)
    started = describe(connect_client, fresh_connect_instance, contact_id)["InitiationTimestamp"].timestamp()
    page = connect_client.search_contacts(InstanceId=fresh_connect_instance, TimeRange={
        "Type": "INITIATION_TIMESTAMP", "StartTime": started + 1, "EndTime": FAR_FUTURE})
    assert page["Contacts"] == [] and page["TotalCount"] == 0


@pytest.mark.parametrize("params, code", [
    ({"SearchCriteria": {"AgentHierarchyGroups": {"L1Ids": ["a"]}}}, "InvalidRequestException"),
    ({"TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": FAR_FUTURE, "EndTime": FAR_PAST}},
     "InvalidRequestException"),
    ({"NextToken": "not-a-token"}, "InvalidParameterException"),
    ({"MaxResults": 101}, "InvalidParameterException"),
], ids=["unsupported criterion", "reversed range", "bad token", "max results"])
def test_search_refuses(params, code, shared_connect_service):
    from botocore.config import Config
    client = shared_connect_service.client(config=Config(parameter_validation=False), total_max_attempts=1)
    request = {"InstanceId": shared_connect_service.instance_id,
               "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": FAR_PAST, "EndTime": FAR_FUTURE}, **params}
    with raises(client, code):
        client.search_contacts(**request)
