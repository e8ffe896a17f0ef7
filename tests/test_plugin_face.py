"""The plugin face (`pulumi-resource-connect-contact`) over gRPC, beside the dynamic face: the
guarantees both give, proven by the same cases on each (an interrupted create finds its one
contact, destroy ends and marks it and the next up makes a fresh one, secrets stay secret), and
what only the plugin can do: a detailed diff, import by reading the contact, its schema, and
its settings under its own namespace. The call budgets of both faces are in test_call_budget.py;
what a user sees through the real CLI, in test_cli_yaml.py.
"""

from __future__ import annotations

import json

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import engine_pb2, provider_pb2

from connect_contact import arns, connect_api, plugin
from tests.support import faces
from tests.support.emulator_support import LOCAL_CREDENTIALS, all_contacts
from tests.support.engine import Engine
from tests.support.faces import CONFIG, contact, face, host  # noqa: F401 (fixtures: both faces)
from tests.support.host import HostError
from tests.support.lifecycle import contact as registration
from tests.support.marshal import UNKNOWN, from_struct, secret

CREATE_ONLY_INPUTS = {"instanceId", "channel", "initiationMethod", "clientToken", "existingContactId",
                      "relatedContactId", "previousContactId", "expiryDurationInMinutes", "userInfo", "initiateAs",
                      "region"}
"""What UpdateContact, UpdateContactAttributes and TagContact cannot change (the semantics file), plus
the provider's own create-only inputs (the token, the contact adopted, the region)."""


def _new_contacts(client, instance_id: str, before: set[str]) -> list[dict]:
    return [item for item in all_contacts(client, instance_id) if item["Id"] not in before]


# --------------------------------------------------------------------------- both faces


def test_an_interrupted_create_run_again_finds_its_one_contact(engine: Engine, contact, service, client):
    """The engine never gets the answer of a create Connect committed (the `up` was killed): the next
    `up` creates again, and finds the one contact."""
    declared = contact("interrupted", service.instance_id, name="Order 1042", attributes={"team": "billing"})
    before = {item["Id"] for item in all_contacts(client, service.instance_id)}
    checked = engine.host.check(declared.urn, None, declared.object)
    lost = engine.host.create(declared.urn, checked.inputs_struct).outputs["contactId"]
    created = engine.up(declared.urn, declared.object).outputs
    assert [item["Id"] for item in _new_contacts(client, service.instance_id, before)] == [lost]
    assert created["contactId"] == lost
    described = client.describe_contact(InstanceId=service.instance_id, ContactId=lost)["Contact"]
    assert described["Name"] == "Order 1042" and described["Attributes"] == {"team": "billing"}


def test_destroy_ends_and_marks_the_contact_and_the_next_up_makes_a_fresh_one(engine: Engine, contact, service,
                                                                             client):
    declared = contact("released", service.instance_id, expiry_duration_in_minutes=60)
    first = engine.up(declared.urn, declared.object).outputs["contactId"]
    engine.destroy(declared.urn)
    ended = client.describe_contact(InstanceId=service.instance_id, ContactId=first)["Contact"]
    assert "DisconnectTimestamp" in ended and connect_api.RELEASED_TAG in ended["Tags"]
    second = engine.up(declared.urn, declared.object).outputs
    assert second["contactId"] != first and second["clientToken"].endswith("-g1")
    live = client.describe_contact(InstanceId=service.instance_id, ContactId=second["contactId"])["Contact"]
    assert "DisconnectTimestamp" not in live


def test_name_and_description_are_secret_in_inputs_and_outputs(engine: Engine, contact, service):
    declared = contact("secretive", service.instance_id, name="Customer Jane Doe", description="card ending 4242")
    engine.up(declared.urn, declared.object)
    state = engine.state[declared.urn]
    for kept in (from_struct(state.inputs), from_struct(state.outputs)):
        assert kept["name"] == secret("Customer Jane Doe") and kept["description"] == secret("card ending 4242")
        assert kept["channel"] == "TASK"


# --------------------------------------------------------------------------- the plugin only


@pytest.fixture(scope="module")
def plugin_host(shared_connect_service):
    with faces.host_for("plugin", env=LOCAL_CREDENTIALS) as started:
        started.configure({**CONFIG, "connect-contact:endpoint": shared_connect_service.url})
        yield started


@pytest.fixture
def plugin_engine(plugin_host, service) -> Engine:
    return Engine(plugin_host)


@pytest.fixture
def plugin_contact():
    return lambda resource_name, instance_id, **args: faces.as_declared(
        "plugin", registration(f"{resource_name}-plugin-only", instance_id, **args))


def _detailed(diff) -> dict[str, int]:
    return {key: value.kind for key, value in diff.raw.detailedDiff.items()}


def test_the_diff_names_each_changed_property_with_its_kind(plugin_engine: Engine, plugin_contact, service):
    before = plugin_contact("detailed", service.instance_id, name="n", expiry_duration_in_minutes=60,
                            attributes={"a": "1", "b": "2"}, tags={"team": "ops"})
    plugin_engine.up(before.urn, before.object)
    after = plugin_contact("detailed", service.instance_id, name="m", expiry_duration_in_minutes=90,
                           description="new", related_contact_id="c-1",
                           attributes={"a": "1", "b": "3", "cost-centre": "7"})
    diff = plugin_engine.preview(after.urn, after.object).diff
    assert diff.raw.hasDetailedDiff
    assert _detailed(diff) == {"name": provider_pb2.PropertyDiff.UPDATE,
                               "description": provider_pb2.PropertyDiff.ADD,
                               "attributes.b": provider_pb2.PropertyDiff.UPDATE,
                               'attributes["cost-centre"]': provider_pb2.PropertyDiff.ADD,
                               "tags": provider_pb2.PropertyDiff.DELETE,
                               "expiryDurationInMinutes": provider_pb2.PropertyDiff.UPDATE_REPLACE,
                               "relatedContactId": provider_pb2.PropertyDiff.ADD_REPLACE}
    assert not any(value.inputDiff for value in diff.raw.detailedDiff.values())  # against the old state
    assert sorted(diff.replaces) == ["expiryDurationInMinutes", "relatedContactId"]
    unchanged = plugin_engine.preview(before.urn, before.object).diff
    assert unchanged.changes == "none" and _detailed(unchanged) == {}


def test_check_keeps_the_provider_internals_out_of_the_inputs(plugin_engine: Engine, plugin_contact, service):
    declared = plugin_contact("internals", service.instance_id, name="n")
    checked = plugin_engine.host.check(declared.urn, None, declared.object)
    assert set(checked.inputs) == {"instanceId", "channel", "initiationMethod", "name"}
    unknown = {**declared.object, "relatedContactId": UNKNOWN}  # another resource's output, in a preview
    planned = plugin_engine.host.check(declared.urn, None, unknown, preview=True)
    assert set(planned.inputs) == {"instanceId", "channel", "initiationMethod", "name", "relatedContactId"}
    assert planned.inputs["relatedContactId"] == UNKNOWN
    given = plugin_contact("given-token", service.instance_id, client_token="my-own-token")
    assert plugin_engine.host.check(given.urn, None, given.object).inputs["clientToken"] == "my-own-token"


@pytest.mark.parametrize("form", ["id", "arn"])
def test_import_reads_the_contact_and_the_next_up_changes_nothing(plugin_engine: Engine, plugin_contact, service,
                                                                  client, form):
    made = client.create_contact(InstanceId=service.instance_id, Channel="TASK", InitiationMethod="API",
                                 Name="Made by hand", Attributes={"k": "v"},
                                 References={"doc": {"Type": "URL", "Value": "https://example.com/doc"}})
    contact_id = made["ContactId"]
    import_id = (f"{service.instance_id}:{contact_id}" if form == "id"
                 else arns.contact_arn(arns.instance_arn("us-east-1", "123456789012", service.instance_id), contact_id))
    declared = plugin_contact(f"imported-{form}", service.instance_id, name="Made by hand", attributes={"k": "v"},
                       references={"doc": {"type": "URL", "value": "https://example.com/doc"}})
    steps = plugin_engine.import_(declared.urn, import_id, declared.object)
    assert [step.op for step in steps] == ["import"]
    assert steps[0].id == f"{service.instance_id}:{contact_id}"
    assert steps[0].inputs == {"instanceId": service.instance_id, "channel": "TASK", "initiationMethod": "API",
                               "name": secret("Made by hand"), "attributes": {"k": "v"},
                               "references": {"doc": {"type": "URL", "value": "https://example.com/doc"}}}
    service.reset_stats()
    assert plugin_engine.up(declared.urn, declared.object).op == "same"
    assert service.stats()["requests"] == {}


def test_an_expected_error_is_its_one_line(plugin_engine: Engine, plugin_contact, service):
    declared = plugin_contact("bad-import", service.instance_id)
    with pytest.raises(HostError) as raised:
        plugin_engine.import_(declared.urn, "not-an-id", declared.object)
    assert raised.value.details == (f"contact ID 'not-an-id' is not '<instanceId>:<contactId>' or a contact ARN "
                                    f"({arns.CONTACT_ARN_FORM})")


def test_warnings_go_to_the_engine_on_the_resource(plugin_engine: Engine, plugin_contact, service):
    references = {"doc": {"type": "URL", "value": "https://example.com/doc"},
                  "ticket": {"type": "STRING", "value": "T-1"}}
    declared = plugin_contact("warned", service.instance_id, references=references)
    plugin_engine.up(declared.urn, declared.object)
    fewer = plugin_contact("warned", service.instance_id, references={"doc": references["doc"]})
    plugin_engine.up(fewer.urn, fewer.object)
    warnings = [(message, urn) for severity, message, urn in plugin_engine.host.log.lines
                if severity == engine_pb2.WARNING]
    assert any("ticket" in message and urn == fewer.urn for message, urn in warnings), warnings


def test_the_schema_served_is_the_generated_one_and_agrees_with_the_table(plugin_engine: Engine):
    served = plugin_engine.host._call("GetSchema", provider_pb2.GetSchemaRequest(version=0)).schema
    assert served == plugin.schema_text()
    contact = json.loads(served)["resources"]["connect-contact:index:Contact"]
    inputs = contact["inputProperties"]
    assert contact["requiredInputs"] == ["instanceId", "channel", "initiationMethod"]
    assert {name for name, spec in contact["properties"].items() if spec.get("replaceOnChanges")} == CREATE_ONLY_INPUTS
    assert "clientToken" not in contact["required"]  # an imported contact has none
    assert {name for name, spec in contact["properties"].items() if spec.get("secret")} == {"name", "description"}
    assert set(contact["properties"]) - set(inputs) == {
        "contactId", "contactArn", "initiationTimestamp", "disconnectTimestamp", "lastUpdateTimestamp",
        "firstGenerationContactId"}
    assert "tokenScope" not in inputs and "__provider" not in inputs
    assert inputs["channel"] == {**inputs["channel"], "$ref": "#/types/connect-contact:index:Channel"}


def test_a_setting_the_plugin_does_not_take_is_refused_by_name(plugin_engine: Engine):
    news = struct_pb2.Struct()
    news.update({"endpoint": "local", "regoin": "eu-west-2"})
    checked = plugin_engine.host._call("CheckConfig", provider_pb2.CheckRequest(
        urn="urn:pulumi:dev::p::pulumi:providers:connect-contact::default", news=news))
    assert [(failure.property, failure.reason) for failure in checked.failures] == [
        ("regoin", "is not a setting of connect-contact; use one of endpoint, region, profile, accessKey, "
                   "secretKey, token, defaultTags")]


def test_the_engines_version_input_is_not_refused(plugin_engine: Engine):
    """The engine gives a default provider the package version a generated SDK's resources ask for."""
    news = struct_pb2.Struct()
    news.update({"endpoint": "local", "version": "0.0.0"})
    checked = plugin_engine.host._call("CheckConfig", provider_pb2.CheckRequest(
        urn="urn:pulumi:dev::p::pulumi:providers:connect-contact::default_0_0_0", news=news))
    assert list(checked.failures) == []


def test_a_refused_setting_names_the_plugin_keys(plugin_contact, service):
    declared = plugin_contact("half-credentials", service.instance_id)
    with faces.host_for("plugin", env=LOCAL_CREDENTIALS) as started:
        started.configure({**CONFIG, "connect-contact:endpoint": service.url, "aws:accessKey": "AKIAEXAMPLE"})
        with pytest.raises(HostError) as raised:
            Engine(started).up(declared.urn, declared.object)
    assert "connect-contact:accessKey" in raised.value.details
    assert "connect-contact:secretKey" in raised.value.details and "aws:" not in raised.value.details
    assert "\n" not in raised.value.details


def test_importing_a_contact_that_does_not_exist_fails_in_one_line(plugin_engine: Engine, plugin_contact, service):
    declared = plugin_contact("missing", service.instance_id)
    missing = f"{service.instance_id}:00000000-0000-4000-8000-000000000000"
    with pytest.raises(HostError) as raised:
        plugin_engine.import_(declared.urn, missing, declared.object)
    assert raised.value.details == (f"contact {missing} does not exist; check the import ID "
                                    "('<instanceId>:<contactId>' or the contact ARN) and the region")
    assert declared.urn not in plugin_engine.state


def test_an_input_the_program_marks_secret_stays_secret_in_outputs_and_after_a_refresh(plugin_engine: Engine, service):
    import pulumi
    from connect_contact import Contact
    from tests.support.lifecycle import registrations

    registered = registrations(lambda: Contact("secret-attributes-plugin-only", instance_id=service.instance_id,
                                               channel="TASK", initiation_method="API",
                                               attributes=pulumi.Output.secret({"card": "4242"})))
    declared = faces.as_declared("plugin", registered["secret-attributes-plugin-only"])
    plugin_engine.up(declared.urn, declared.object)
    plugin_engine.refresh(declared.urn)
    state = plugin_engine.state[declared.urn]
    for kept in (from_struct(state.inputs), from_struct(state.outputs)):
        assert kept["attributes"] == secret({"card": "4242"}) and kept["channel"] == "TASK"


def test_a_changed_setting_updates_the_provider(plugin_engine: Engine):
    def diff_config(olds: dict, news: dict):
        old_struct, new_struct = struct_pb2.Struct(), struct_pb2.Struct()
        old_struct.update(olds)
        new_struct.update(news)
        return plugin_engine.host._call("DiffConfig", provider_pb2.DiffRequest(
            urn="urn:pulumi:dev::p::pulumi:providers:connect-contact::default", olds=old_struct, news=new_struct))

    changed = diff_config({"endpoint": "local", "region": "us-east-1"}, {"endpoint": "local", "region": "eu-west-2"})
    assert changed.changes == provider_pb2.DiffResponse.DIFF_SOME and list(changed.replaces) == []
    assert {key: value.kind for key, value in changed.detailedDiff.items()} == {
        "region": provider_pb2.PropertyDiff.UPDATE}
    same = diff_config({"endpoint": "local"}, {"endpoint": "local", "version": "0.1.0"})
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE and dict(same.detailedDiff) == {}


def test_a_create_past_its_custom_timeout_fails_in_one_line_and_the_next_up_finds_its_contact(
        plugin_engine: Engine, plugin_contact, service, client):
    """The create is held at the service (by count, not by time) until after its timeout has passed."""
    declared = plugin_contact("timed-out", service.instance_id, name="Slow")
    before = {item["Id"] for item in all_contacts(client, service.instance_id)}
    checked = plugin_engine.host.check(declared.urn, None, declared.object)
    service.set_faults(hold_after_n=1, operations=["CreateContact"])
    first = plugin_contact("timed-out-first", service.instance_id)
    plugin_engine.up(first.urn, first.object)  # the first CreateContact passes; the next is held
    with pytest.raises(HostError) as raised:
        plugin_engine.host._call("Create", provider_pb2.CreateRequest(
            urn=declared.urn, properties=checked.inputs_struct, timeout=2))
    assert raised.value.details == ("the create did not finish within customTimeouts.create (2 s); run `pulumi up` "
                                    "again, or allow more time")
    service.clear_faults()  # the held CreateContact goes through now
    created = plugin_engine.up(declared.urn, declared.object).outputs
    new = [item["Id"] for item in _new_contacts(client, service.instance_id, before)]
    assert created["contactId"] in new and len(new) == 2  # this one and the first, no duplicate
