"""Every user-visible step of a contact's life, the way the Pulumi engine drives the
provider: through the real dynamic-provider host over gRPC, with the properties a
program registers under Pulumi's mock monitor, against the local Connect service.
Connect calls are counted at the local service and asserted for every step."""

from __future__ import annotations

import re

import pulumi
import pytest
from tests.support.emulator_support import all_contacts
from tests.support.engine import Engine
from tests.support.host import HostError, ProviderHost
from tests.support.marshal import SECRET_SIG, SIG_KEY, from_struct, secret
from tests.support.lifecycle import contact, contact_calls, registrations

from connect_contact import Contact, connect_api
from connect_contact_local.testing import LocalConnect


def live(client, instance_id, contact_id) -> dict:
    return client.describe_contact(InstanceId=instance_id, ContactId=contact_id)["Contact"]


def test_preview_with_unknown_instance_calls_nothing(engine, service):
    import pulumi_aws

    def program():
        instance = pulumi_aws.connect.Instance("centre", identity_management_type="CONNECT_MANAGED",
                                               inbound_calls_enabled=True, outbound_calls_enabled=True)
        Contact("escalation", instance_id=instance.id, channel="TASK", initiation_method="API", name="n")

    registered = registrations(program, preview=True)["escalation"]
    step = engine.preview(registered.urn, registered.object)
    assert step.op == "create"
    assert step.inputs["instanceId"] == step.inputs["clientToken"] == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert engine.calls == ["Check"]
    assert contact_calls(service.stats()) == {}


def test_up_creates_exactly_one_contact(engine, service, client):
    before = len(all_contacts(client, service.instance_id))
    registered = contact("created", service.instance_id, name="Escalate", attributes={"team": "billing"},
                         references={"order": {"type": "URL", "value": "https://example.com/1"}})
    step = engine.up(registered.urn, registered.object)
    assert step.op == "create"
    outputs = step.outputs
    assert outputs["contactArn"].endswith("/contact/" + outputs["contactId"])
    assert step.id == f"{service.instance_id}:{outputs['contactId']}"
    assert outputs["clientToken"].startswith("ccp-")
    assert len(all_contacts(client, service.instance_id)) == before + 1
    assert contact_calls(service.stats()) == {"CreateContact": 1, "DescribeContact": 1, "UpdateContact": 1,
                                              "UpdateContactAttributes": 1}
    remote = live(client, service.instance_id, outputs["contactId"])
    assert remote["Name"] == "Escalate" and remote["Attributes"] == {"team": "billing"}


def test_up_again_unchanged_is_a_no_op(engine, service):
    registered = contact("unchanged", service.instance_id, name="n", attributes={"a": "1"})
    engine.up(registered.urn, registered.object)
    service.reset_stats()
    again = contact("unchanged", service.instance_id, name="n", attributes={"a": "1"})
    step = engine.up(again.urn, again.object)
    assert step.op == "same" and step.diff.changes == "none"
    assert contact_calls(service.stats()) == {}


def test_absent_none_and_empty_maps_are_the_same(engine, service):
    first = contact("empties", service.instance_id, attributes={}, references=None)
    engine.up(first.urn, first.object)
    again = contact("empties", service.instance_id)
    assert engine.up(again.urn, again.object).op == "same"


UPDATES = [
    ("name", {"name": "before"}, {"name": "after"}, {"UpdateContact": 1}),
    ("description", {"description": "before"}, {"description": "after"}, {"UpdateContact": 1}),
    ("attribute added", {"attributes": {"a": "1"}}, {"attributes": {"a": "1", "b": "2"}}, {"UpdateContactAttributes": 1}),
    ("attribute changed", {"attributes": {"a": "1"}}, {"attributes": {"a": "2"}}, {"UpdateContactAttributes": 1}),
    ("attribute removed", {"attributes": {"a": "1", "b": "2"}}, {"attributes": {"a": "1"}}, {"UpdateContactAttributes": 1}),
    ("references", {"references": {"r": {"type": "URL", "value": "https://a.example"}}},
     {"references": {"r": {"type": "URL", "value": "https://b.example"}}}, {"UpdateContact": 1}),
    ("segment attributes", {"segment_attributes": {"tier": {"value_string": "silver"}}},
     {"segment_attributes": {"tier": {"value_string": "gold"}}}, {"UpdateContact": 1}),
]


@pytest.mark.parametrize("label, before, after, calls", UPDATES, ids=[case[0] for case in UPDATES])
def test_update_in_place(engine, service, client, label, before, after, calls):
    first, step = _up_then_change(engine, service, "update-" + label.replace(" ", "-"), before, after)
    assert step.op == "update" and step.diff.replaces == []
    assert step.outputs["contactId"] == first.outputs["contactId"]
    assert step.outputs["clientToken"] == first.outputs["clientToken"]
    assert contact_calls(service.stats()) == {**calls, "DescribeContact": 1}
    remote = live(client, service.instance_id, first.outputs["contactId"])
    if "attributes" in after:
        expected = {**{key: "" for key in before["attributes"]}, **after["attributes"]}
        assert remote["Attributes"] == expected
    if "name" in after:
        assert remote["Name"] == after["name"]
    if "segment_attributes" in after:
        assert remote["SegmentAttributes"]["tier"] == {"ValueString": "gold"}


REPLACEMENTS = [
    ("channel", {**{"channel": "TASK", "initiation_method": "API"}}, {"channel": "EMAIL", "initiation_method": "FLOW"},
     ["channel", "initiationMethod"]),
    ("related contact", {}, {"related_contact_id": "c-related"}, ["relatedContactId"]),
    ("expiry", {"expiry_duration_in_minutes": 60}, {"expiry_duration_in_minutes": 90}, ["expiryDurationInMinutes"]),
    ("user", {"channel": "EMAIL", "initiation_method": "OUTBOUND", "user_info": {"user_id": "agent-1"}},
     {"channel": "EMAIL", "initiation_method": "OUTBOUND", "user_info": {"user_id": "agent-2"}}, ["userInfo"]),
    ("initiate as", {"initiate_as": "CONNECTED_TO_USER", "user_info": {"user_id": "agent-1"}},
     {"initiate_as": "COMPLETED", "user_info": {"user_id": "agent-1"}}, ["initiateAs"]),
    ("client token", {"client_token": "my-token-1"}, {"client_token": "my-token-2"}, ["clientToken"]),
]


@pytest.mark.parametrize("label, before, after, replaced", REPLACEMENTS, ids=[case[0] for case in REPLACEMENTS])
def test_replace_on_create_only_change(engine, service, client, label, before, after, replaced):
    first, step = _up_then_change(engine, service, "replace-" + label.replace(" ", "-"), before, after)
    assert step.op == "replace"
    assert sorted(step.diff.replaces) == sorted(replaced)
    assert step.outputs["contactId"] != first.outputs["contactId"]
    assert step.outputs["clientToken"] != first.outputs["clientToken"]
    assert "DisconnectTimestamp" in live(client, service.instance_id, first.outputs["contactId"])
    new = live(client, service.instance_id, step.outputs["contactId"])
    assert ("DisconnectTimestamp" in new) == (after.get("initiate_as") == "COMPLETED")
    assert contact_calls(service.stats())["CreateContact"] == 1


def test_replace_into_another_instance(engine, service, client):
    other = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                   OutboundCallsEnabled=True)["Id"]
    first = engine.up(*_object(contact("moving", service.instance_id)))
    step = engine.up(*_object(contact("moving", other)))
    assert step.op == "replace" and step.diff.replaces == ["instanceId"]
    assert live(client, other, step.outputs["contactId"])["Id"] == step.outputs["contactId"]
    assert "DisconnectTimestamp" in live(client, service.instance_id, first.outputs["contactId"])


def test_interrupted_create_gets_the_same_contact_back(engine, service, client):
    registered = contact("interrupted", service.instance_id, name="n", attributes={"a": "1"})
    lost = engine.host.create(registered.urn, engine.host.check(registered.urn, None, registered.object).inputs_struct)
    before = len(all_contacts(client, service.instance_id))
    step = engine.up(registered.urn, registered.object)
    assert step.op == "create"
    assert step.outputs["contactId"] == lost.outputs["contactId"]
    assert len(all_contacts(client, service.instance_id)) == before


def test_interrupted_create_then_edited_inputs_still_one_contact(engine, service, client):
    registered = contact("interrupted-edited", service.instance_id, name="first", attributes={"a": "1"})
    lost = engine.host.create(registered.urn, engine.host.check(registered.urn, None, registered.object).inputs_struct)
    before = len(all_contacts(client, service.instance_id))
    edited = contact("interrupted-edited", service.instance_id, name="second", attributes={"a": "2"})
    step = engine.up(edited.urn, edited.object)
    assert step.outputs["contactId"] == lost.outputs["contactId"]
    assert len(all_contacts(client, service.instance_id)) == before
    assert live(client, service.instance_id, lost.outputs["contactId"])["Name"] == "second"


def test_destroy_then_up_gives_a_new_live_contact(engine, service, client):
    registered = contact("reborn", service.instance_id, name="n")
    first = engine.up(registered.urn, registered.object)
    service.reset_stats()
    engine.destroy(registered.urn)
    assert contact_calls(service.stats()) == {"TagContact": 1, "StopContact": 1}
    ended = live(client, service.instance_id, first.outputs["contactId"])
    assert "DisconnectTimestamp" in ended and connect_api.RELEASED_TAG in ended["Tags"]
    second = engine.up(registered.urn, registered.object)
    assert second.outputs["contactId"] != first.outputs["contactId"]
    assert second.outputs["clientToken"] == first.outputs["clientToken"] + "-g1"
    assert "DisconnectTimestamp" not in live(client, service.instance_id, second.outputs["contactId"])
    assert engine.up(registered.urn, registered.object).op == "same"


def test_refresh_shows_drift_made_out_of_band(engine, service, client):
    registered = contact("drifting", service.instance_id, name="declared", attributes={"a": "1"})
    created = engine.up(registered.urn, registered.object)
    contact_id = created.outputs["contactId"]
    client.update_contact(InstanceId=service.instance_id, ContactId=contact_id, Name="changed by hand")
    client.update_contact_attributes(InstanceId=service.instance_id, InitialContactId=contact_id,
                                     Attributes={"b": "added by hand"})
    service.reset_stats()
    refreshed = engine.refresh(registered.urn)
    assert refreshed.outputs["name"] == secret("changed by hand")
    assert refreshed.outputs["attributes"] == {"a": "1", "b": "added by hand"}
    assert contact_calls(service.stats()) == {"DescribeContact": 1}
    plan = engine.preview(registered.urn, registered.object)
    assert plan.op == "update" and plan.diff.replaces == []
    engine.up(registered.urn, registered.object)
    remote = live(client, service.instance_id, contact_id)
    assert remote["Name"] == "declared" and remote["Attributes"] == {"a": "1", "b": ""}
    assert engine.up(registered.urn, registered.object).op == "same"


def test_refresh_of_a_vanished_contact_drops_it(engine, service):
    registered = contact("vanishing", service.instance_id)
    engine.up(registered.urn, registered.object)
    service.advance_clock(seconds=25 * 31 * 24 * 3600)
    try:
        step = engine.refresh(registered.urn)
    finally:
        service.advance_clock(seconds=-25 * 31 * 24 * 3600)
    assert step.op == "delete" and registered.urn not in engine.state


def test_import_of_a_contact_made_out_of_band(engine, service, client):
    made = client.create_contact(InstanceId=service.instance_id, Channel="TASK", InitiationMethod="API",
                                 Name="by hand", Attributes={"source": "cli"})
    registered = contact("imported", service.instance_id, name="by hand", attributes={"source": "cli"})
    service.reset_stats()
    steps = engine.import_(registered.urn, f"{service.instance_id}:{made['ContactId']}", registered.object,
                           send_inputs=True)
    # the imported state is adopted by the update that follows: read again, nothing to write
    assert [step.op for step in steps] == ["import", "update"]
    assert engine.state[registered.urn].output_values["contactId"] == made["ContactId"]
    calls = contact_calls(service.stats())
    assert calls["DescribeContact"] == 2 and set(calls) <= {"DescribeContact", "ListContactReferences"}
    assert engine.up(registered.urn, registered.object).op == "same"


def test_import_by_contact_arn(engine, service, client):
    made = client.create_contact(InstanceId=service.instance_id, Channel="TASK", InitiationMethod="API")
    registered = contact("imported-by-arn", service.instance_id)
    steps = engine.import_(registered.urn, made["ContactArn"], registered.object, send_inputs=True)
    assert steps[0].outputs["contactId"] == made["ContactId"]


def test_destroy_of_a_contact_already_ended(engine, service, client):
    registered = contact("ended-by-hand", service.instance_id)
    created = engine.up(registered.urn, registered.object)
    client.stop_contact(InstanceId=service.instance_id, ContactId=created.outputs["contactId"])
    service.reset_stats()
    engine.destroy(registered.urn)
    assert contact_calls(service.stats()) == {"TagContact": 1, "StopContact": 1}


def test_destroy_of_a_contact_that_is_gone(engine, service):
    registered = contact("gone", service.instance_id)
    engine.up(registered.urn, registered.object)
    service.advance_clock(seconds=25 * 31 * 24 * 3600)
    try:
        engine.destroy(registered.urn)
    finally:
        service.advance_clock(seconds=-25 * 31 * 24 * 3600)
    assert registered.urn not in engine.state


def test_destroy_of_a_voice_contact_the_api_cannot_end(engine, service, client):
    registered = contact("voice", service.instance_id, channel="VOICE", initiation_method="TRANSFER")
    created = engine.up(registered.urn, registered.object)
    engine.destroy(registered.urn)
    remote = live(client, service.instance_id, created.outputs["contactId"])
    assert connect_api.RELEASED_TAG in remote["Tags"]
    assert "cannot be ended through the API" in engine.host.stderr


def test_bad_input_fails_check_naming_the_property_and_calls_nothing(engine, service):
    registered = contact("bad", service.instance_id, channel="EMAIL", initiation_method="OUTBOUND",
                         references={"due": {"type": "DATE", "value": "next week"}})
    result = engine.host.check(registered.urn, None, registered.object)
    failed = {path for path, _ in result.failures}
    assert {"userInfo.userId", "references.due.value"} <= failed
    assert contact_calls(service.stats()) == {}


def test_program_rejects_unknown_nested_keys_before_registering(service):
    with pytest.raises(Exception, match="unknown key 'url'"):
        contact("typo", service.instance_id, references={"r": {"type": "URL", "url": "https://x"}})


def test_expected_aws_error_is_one_line(engine, service):
    registered = contact("nowhere", "11111111-2222-4333-8444-555555555555")
    with pytest.raises(HostError) as raised:
        engine.up(registered.urn, registered.object)
    details = raised.value.details.strip()
    assert "\n" not in details and "Traceback" not in details
    assert "ResourceNotFoundException" in details and "Check instanceId" in details
    assert details.endswith(f"the request went to {service.region}"), details


def test_config_reaches_the_provider_and_stays_out_of_state(tmp_path):
    secret = "AKIA-THIS-MUST-NOT-LEAK"
    env = {"AWS_ACCESS_KEY_ID": secret, "AWS_SECRET_ACCESS_KEY": secret + "-key"}
    with LocalConnect(tmp_path / "connect.db", credentials={secret: secret + "-key"}, region="eu-west-2") as service:
        _config_reaches_the_provider_and_stays_out_of_state(service, secret, env)


def _config_reaches_the_provider_and_stays_out_of_state(service, secret: str, env: dict):
    service.reset_stats()
    with ProviderHost(env=env) as host:
        host.configure({"aws:region": "eu-west-2", "connect-contact:endpoint": service.url})
        engine = Engine(host)
        registered = contact("configured", service.instance_id, name="n")
        engine.up(registered.urn, registered.object)
    stats = service.stats()
    assert stats["regions"] == {"eu-west-2": stats["total"]["requests"]} and stats["total"]["requests"] > 0
    state = engine.state[registered.urn]
    provider = state.input_values["__provider"]
    for text in (str(state.inputs), str(state.outputs), provider):
        assert secret not in text
        assert service.url not in text
        # the configured region is not kept; the contact's ARN names the region it lives in
        assert "eu-west-2" not in re.sub(r"arn:aws:connect:eu-west-2:[0-9]{12}:instance/[^\"]*", "ARN", text)


def test_name_and_description_are_secret_wherever_they_are_kept(engine, service):
    registered = registrations(lambda: Contact(
        "secretive", instance_id=service.instance_id, channel="TASK", initiation_method="API",
        name="Customer Jane Doe", description=pulumi.Output.secret("card ending 4242")))["secretive"]
    assert is_secret(registered.inputs["name"]) and is_secret(registered.inputs["description"])
    assert not is_secret(registered.inputs["channel"])
    step = engine.up(registered.urn, registered.object)
    state = engine.state[registered.urn]
    for kept in (from_struct(state.inputs), from_struct(state.outputs)):
        assert kept["name"] == secret("Customer Jane Doe") and kept["description"] == secret("card ending 4242")
        assert kept["channel"] == "TASK"
    assert step.outputs["contactId"]


def _object(registration):
    return registration.urn, registration.object


def _up_then_change(engine, service, name, before, after):
    """The contact created as `before`, then declared as `after` with the service's counts reset
    in between: the first step and the second."""
    first = engine.up(*_object(contact(name, service.instance_id, **before)))
    service.reset_stats()
    return first, engine.up(*_object(contact(name, service.instance_id, **after)))


def test_get_reads_an_existing_contact_without_managing_it(engine, service, client):
    from pulumi.dynamic.dynamic import serialize_provider

    from connect_contact import ContactProvider

    made = client.create_contact(InstanceId=service.instance_id, Channel="TASK", InitiationMethod="API",
                                 Name="existing", References={"doc": {"Type": "URL", "Value": "https://example.com"}})
    urn = "urn:pulumi:dev::connect-contact-example::pulumi-python:dynamic/connect:Contact::looked-up"
    service.reset_stats()
    step = engine.get(urn, made["ContactArn"], {"__provider": serialize_provider(ContactProvider())})
    assert step.outputs["contactId"] == made["ContactId"] and step.outputs["name"] == secret("existing")
    assert step.outputs["references"] == {"doc": {"type": "URL", "value": "https://example.com"}}
    assert "CreateContact" not in contact_calls(service.stats())


def test_a_contact_in_an_instance_connect_does_not_know_is_not_gone(engine, service, client):
    """Not found because its instance is unknown (a wrong instance, endpoint or region) is no proof
    that the contact is gone: the read fails in one line instead of dropping it."""
    from pulumi.dynamic.dynamic import serialize_provider

    from connect_contact import ContactProvider

    unknown = "00000000-0000-4000-8000-000000000000"
    urn = "urn:pulumi:dev::connect-contact-example::pulumi-python:dynamic/connect:Contact::elsewhere"
    service.reset_stats()
    with pytest.raises(HostError) as raised:
        engine.get(urn, f"{unknown}:some-contact", {"__provider": serialize_provider(ContactProvider())})
    details = raised.value.details.strip()
    assert "\n" not in details and "Traceback" not in details
    assert (f"DescribeContact did not find contact some-contact because Connect does not know its instance: "
            f"instance {unknown} at endpoint {service.url}, region us-east-1") in details
    assert service.stats()["requests"]["DescribeInstance"] == 1


def test_attachment_reference_with_status_set_by_connect_is_not_drift(engine, service):
    attachment = {"type": "ATTACHMENT", "value": "report.pdf",
                  "arn": "arn:aws:connect:us-east-1:123456789012:instance/i/file/f"}
    registered = contact("attachment", service.instance_id, references={"report": attachment})
    engine.up(registered.urn, registered.object)
    engine.refresh(registered.urn)
    assert engine.up(registered.urn, registered.object).op == "same"


def test_replace_on_previous_contact_of_a_voice_contact(engine, service, client):
    voice = {"channel": "VOICE", "initiation_method": "TRANSFER"}
    first = engine.up(*_object(contact("voice-previous", service.instance_id, previous_contact_id="c-1", **voice)))
    step = engine.up(*_object(contact("voice-previous", service.instance_id, previous_contact_id="c-2", **voice)))
    assert step.op == "replace" and step.diff.replaces == ["previousContactId"]
    old = live(client, service.instance_id, first.outputs["contactId"])
    assert connect_api.RELEASED_TAG in old["Tags"]  # released; the API cannot end VOICE / TRANSFER contacts
    new = live(client, service.instance_id, step.outputs["contactId"])
    assert new["PreviousContactId"] == "c-2" and "DisconnectTimestamp" not in new


def is_secret(value) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def test_a_contact_not_found_just_after_its_creation_is_read_again(engine, service, client):
    """Eventual consistency: the first DescribeContact calls after CreateContact may not find it yet."""
    service.set_faults(stale_reads=2, operations=["DescribeContact"])
    registered = contact("eventually", service.instance_id, name="n")
    step = engine.up(registered.urn, registered.object)
    assert contact_calls(service.stats())["DescribeContact"] == 3
    assert live(client, service.instance_id, step.outputs["contactId"])["Name"] == "n"


def test_a_contact_never_found_after_its_creation_fails_in_one_line(engine, service):
    service.set_faults(stale_reads=100, operations=["DescribeContact"])
    registered = contact("never-visible", service.instance_id)
    with pytest.raises(HostError) as raised:
        engine.up(registered.urn, registered.object)
    details = raised.value.details.strip()
    assert "\n" not in details and "Traceback" not in details
    assert "DescribeContact did not find it in 5 reads" in details
    assert contact_calls(service.stats())["DescribeContact"] == 5


def test_a_create_answered_success_without_a_body_is_asked_again_with_the_same_token(engine, service, client):
    """A CreateContact committed, then cut off after its status line (200, no body): the provider
    asks again with the same token and gets the one contact back."""
    before = len(all_contacts(client, service.instance_id))
    service.set_faults(empty_answers=2, operations=["CreateContact"])
    registered = contact("cut-off", service.instance_id, name="n")
    step = engine.up(registered.urn, registered.object)
    assert contact_calls(service.stats())["CreateContact"] == 3
    assert len(all_contacts(client, service.instance_id)) == before + 1
    assert live(client, service.instance_id, step.outputs["contactId"])["Name"] == "n"


def test_a_create_never_answered_with_a_body_fails_in_one_line_and_makes_one_contact(engine, service, client):
    before = len(all_contacts(client, service.instance_id))
    service.set_faults(empty_answers=100, operations=["CreateContact"])
    registered = contact("always-cut-off", service.instance_id)
    with pytest.raises(HostError) as raised:
        engine.up(registered.urn, registered.object)
    details = raised.value.details.strip()
    assert "\n" not in details and "Traceback" not in details and "KeyError" not in details
    assert "CreateContact on instance" in details and "without ContactId 4 times" in details
    assert len(all_contacts(client, service.instance_id)) == before + 1


def test_updating_a_vanished_contact_fails_in_one_line(engine, service):
    registered = contact("vanishing", service.instance_id, name="before")
    engine.up(registered.urn, registered.object)
    service.set_faults(stale_reads=100, operations=["UpdateContact", "DescribeContact"])
    changed = contact("vanishing", service.instance_id, name="after")
    with pytest.raises(HostError) as raised:
        engine.up(changed.urn, changed.object)
    details = raised.value.details.strip()
    assert "\n" not in details and "Traceback" not in details
    assert "no longer exists" in details and "pulumi refresh" in details


def test_a_refresh_hands_back_a_description_set_by_hand_as_a_secret_input_and_output(engine, service, client):
    """A field read only (not declared) is secret in the read's inputs too: the engine shows inputs in a refresh."""
    registered = contact("by-hand", service.instance_id, name="n")
    created = engine.up(registered.urn, registered.object)
    client.update_contact(InstanceId=service.instance_id, ContactId=created.outputs["contactId"],
                          Description="Set by hand")
    old = engine.state[registered.urn]
    read = engine.host.read(old.id, registered.urn, old.outputs, old.inputs)
    assert is_secret(from_struct(read.inputs_struct)["description"])
    assert is_secret(from_struct(read.outputs_struct)["description"])
