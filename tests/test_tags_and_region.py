"""User tags (TagContact / UntagContact) and a per-resource region, through Pulumi's
dynamic-provider host against the local Connect service.

Expected values are literal: Connect allows at most 6 tags on a contact and keys that do not
start with `aws:` (botocore's TagContact model), and the provider keeps one tag,
`connect-contact:released`, for the contact it ends.
"""

from __future__ import annotations

import pytest
from tests.support.engine import Engine
from tests.support.host import EngineError, HostError
from tests.support.lifecycle import contact, contact_calls

RELEASE_MARK = "connect-contact:released"


def live_tags(client, instance_id: str, contact_id: str) -> dict:
    return client.describe_contact(InstanceId=instance_id, ContactId=contact_id)["Contact"].get("Tags", {})


def test_tags_are_written_after_create_with_one_tag_contact(engine: Engine, service, client):
    registered = contact("tagged", service.instance_id, tags={"team": "billing", "cost-centre": "42"})
    service.reset_stats()
    step = engine.up(registered.urn, registered.object)
    assert contact_calls(service.stats()) == {"CreateContact": 1, "DescribeContact": 1, "TagContact": 1}
    assert live_tags(client, service.instance_id, step.outputs["contactId"]) == {"team": "billing", "cost-centre": "42"}
    assert step.outputs["tags"] == {"team": "billing", "cost-centre": "42"}


def test_tags_update_in_place_tagging_and_untagging_only_what_changed(engine: Engine, service, client):
    first = contact("retagged", service.instance_id, tags={"team": "billing", "old": "yes"})
    contact_id = engine.up(first.urn, first.object).outputs["contactId"]
    changed = contact("retagged", service.instance_id, tags={"team": "refunds", "new": "yes"})
    service.reset_stats()
    step = engine.up(changed.urn, changed.object)
    assert step.op == "update" and step.outputs["contactId"] == contact_id
    calls = contact_calls(service.stats())
    assert calls["TagContact"] == 1 and calls["UntagContact"] == 1 and "CreateContact" not in calls
    assert live_tags(client, service.instance_id, contact_id) == {"team": "refunds", "new": "yes"}


def test_five_tags_replaced_by_five_others_untag_first(engine: Engine, service, client):
    """Connect allows 6 tags on a contact (botocore's ContactTagMap, max 6): tagging the new five
    before untagging the old five would make 10."""
    first = contact("swapped", service.instance_id, tags={f"old{index}": "v" for index in range(5)})
    contact_id = engine.up(first.urn, first.object).outputs["contactId"]
    swapped = contact("swapped", service.instance_id, tags={f"new{index}": "v" for index in range(5)})
    assert engine.up(swapped.urn, swapped.object).op == "update"
    assert live_tags(client, service.instance_id, contact_id) == {f"new{index}": "v" for index in range(5)}


def test_tags_added_out_of_band_are_drift_and_the_release_mark_is_not(engine: Engine, service, client):
    registered = contact("drifting-tags", service.instance_id, tags={"team": "billing"})
    contact_id = engine.up(registered.urn, registered.object).outputs["contactId"]
    client.tag_contact(InstanceId=service.instance_id, ContactId=contact_id, Tags={"added": "by hand"})
    assert engine.refresh(registered.urn).outputs["tags"] == {"team": "billing", "added": "by hand"}
    engine.up(registered.urn, registered.object)
    assert live_tags(client, service.instance_id, contact_id) == {"team": "billing"}

    engine.destroy(registered.urn)
    assert live_tags(client, service.instance_id, contact_id) == {"team": "billing", RELEASE_MARK: "true"}


@pytest.mark.parametrize("tags, path, reason", [
    ({f"k{index}": "v" for index in range(6)}, "tags", "must have at most 5 tags"),
    ({"aws:owner": "me"}, "tags.aws:owner", "pattern"),
    ({RELEASE_MARK: "true"}, f"tags.{RELEASE_MARK}", "release mark"),
    ({"team": "x" * 257}, "tags.team", "at most 256"),
], ids=["six tags", "aws prefix", "release mark", "long value"])
def test_tags_connect_or_the_provider_refuse_fail_check(engine: Engine, service, tags, path, reason):
    registered = contact("refused-tags", service.instance_id, tags=tags)
    service.reset_stats()
    with pytest.raises(EngineError) as raised:
        engine.up(registered.urn, registered.object)
    assert path in str(raised.value) and reason in str(raised.value)
    assert contact_calls(service.stats()) == {}


def test_five_user_tags_leave_room_for_the_release_mark(engine: Engine, service, client):
    tags = {f"k{index}": "v" for index in range(5)}
    registered = contact("five-tags", service.instance_id, tags=tags)
    contact_id = engine.up(registered.urn, registered.object).outputs["contactId"]
    engine.destroy(registered.urn)
    assert live_tags(client, service.instance_id, contact_id) == {**tags, RELEASE_MARK: "true"}


def instance_in(service, region: str) -> str:
    """A new instance of `region` (Connect's instances are regional: each lives in one region)."""
    return service.client(region_name=region).create_instance(
        IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]


def test_a_region_of_its_own_signs_for_that_region_and_changing_it_replaces(engine: Engine, service):
    west, south = instance_in(service, "eu-west-2"), instance_in(service, "ap-southeast-2")
    registered = contact("elsewhere", west, region="eu-west-2")
    service.reset_stats()
    engine.up(registered.urn, registered.object)
    assert set(service.stats()["regions"]) == {"eu-west-2"}
    moved = contact("elsewhere", south, region="ap-southeast-2")
    service.reset_stats()
    assert engine.up(moved.urn, moved.object).op == "replace"
    assert set(service.stats()["regions"]) == {"ap-southeast-2", "eu-west-2"}  # created there, old one ended here


def test_a_region_its_instance_is_not_in_fails_and_ends_nothing(engine: Engine, service, client):
    west = instance_in(service, "eu-west-2")
    registered = contact("stays", west, region="eu-west-2")
    contact_id = engine.up(registered.urn, registered.object).outputs["contactId"]
    moved = contact("stays", west, region="ap-southeast-2")
    service.reset_stats()
    with pytest.raises(HostError) as raised:
        engine.up(moved.urn, moved.object)
    assert "the replacement cannot be created because Connect does not know its instance" in str(raised.value)
    assert "region ap-southeast-2" in str(raised.value) and "the stack's state is kept" in str(raised.value)
    assert "StopContact" not in contact_calls(service.stats())
    west_client = service.client(region_name="eu-west-2")
    assert "DisconnectTimestamp" not in west_client.describe_contact(InstanceId=west, ContactId=contact_id)["Contact"]


def test_declaring_the_region_a_contact_is_in_or_leaving_it_out_changes_nothing(engine: Engine, service, client):
    """The region a contact is in is its ARN's; the stack's (here the local service's own, as
    aws:region is unset) is where a contact naming none goes. Naming that same region, or ceasing to,
    neither replaces nor writes anything, and the client token stays the one that made it."""
    registered = contact("placed", service.instance_id, name="placed")
    made = engine.up(registered.urn, registered.object).outputs
    assert made["contactArn"].startswith(f"arn:aws:connect:{service.region}:")
    for declared in ({"region": service.region}, {}):
        step = contact("placed", service.instance_id, name="placed", **declared)
        service.reset_stats()
        assert engine.preview(step.urn, step.object).op == "same"
        outputs = engine.up(step.urn, step.object).outputs
        assert (outputs["contactId"], outputs["clientToken"]) == (made["contactId"], made["clientToken"])
        assert contact_calls(service.stats()) == {}
    assert "DisconnectTimestamp" not in client.describe_contact(InstanceId=service.instance_id,
                                                                ContactId=made["contactId"])["Contact"]


def test_an_empty_region_fails_check_naming_it(engine: Engine, service):
    registered = contact("nowhere", service.instance_id, region="")
    service.reset_stats()
    with pytest.raises(EngineError) as raised:
        engine.up(registered.urn, registered.object)
    assert "region" in str(raised.value) and "must not be empty" in str(raised.value)
    assert contact_calls(service.stats()) == {}
