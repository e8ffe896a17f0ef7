"""The example stack (`__main__.py`) as a whole: what it registers under Pulumi's mock
monitor, how it composes with pulumi-aws, and whole-stack runs through the real
dynamic-provider host against the local Connect service.

How a whole `pulumi up` is played here
--------------------------------------
The engine answers each `RegisterResource` only once the resource's step has been
applied, so a program sees real outputs of the resources it already declared (the
follow-up e-mail's `related_contact_id` is the escalation's new contact ID).
`EngineMocks` does exactly that: it is the mock monitor's `new_resource`, and it
sends what the program registered through `Engine.up` and hands the engine's id
and outputs back to the program. The program therefore runs once, in its own
order, and dependents register after what they depend on has been applied.

Mocks receive the registered inputs deserialized; they are serialized back before
going to the engine, and each test checks that this gives back the very Struct the
SDK sent (`RecordingMonitor` keeps it), so nothing is lost on the way.

Previews are played with the program's preview run under `EchoMocks(preview=True)`
(what the engine hands a program for resources it would create: inputs only, ids
and other outputs unknown), each registration then planned by `Engine.preview`.
Resources in state that a revision no longer declares are deleted after the
revision's registrations, as the engine does.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import textwrap
from pathlib import Path

import pulumi
import pytest
from tests.support.emulator_support import LOCAL_CREDENTIALS, all_contacts
from tests.support.engine import Engine, Step
from tests.support.network import refusing_port
from tests.support.marshal import UNKNOWN, make_urn, secret, to_struct, unwrap_secrets
from tests.support.lifecycle import contact_calls
from tests.support.program import EchoMocks, Registration, by_name, run_program, run_program_file
from pulumi.runtime import mocks as runtime_mocks
from pulumi.runtime import settings

from connect_contact import schema

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "__main__.py"
PROJECT = "connect-contact-example"
STACK = "dev"
CONTACT_TYPE = "pulumi-python:dynamic/connect:Contact"
INSTANCE_TYPE = "aws:connect/instance:Instance"
INSTANCE_ID_KEY = "connect-contact-example:instanceId"


def urn(name: str, type_: str = CONTACT_TYPE) -> str:
    return make_urn(type_, name, stack=STACK, project=PROJECT)


def run_example(**kwargs) -> tuple[dict[str, Registration], dict]:
    """Run the repo's `__main__.py` as `pulumi up`/`preview` would (cwd = project directory);
    returns its registrations by name and the stack outputs it exported (known ones only)."""
    exports: dict = {}

    def program():
        with contextlib.chdir(REPO_ROOT):
            runpy.run_path(str(EXAMPLE), run_name="__main__")
        return pulumi.Output.all(**settings.get_root_resource().outputs).apply(exports.update)

    return by_name(run_program(program, project=PROJECT, stack=STACK, **kwargs)), exports


class EngineMocks(runtime_mocks.Mocks):
    """The engine's side of `RegisterResource` during `pulumi up`: apply the step, answer with
    the resource's real id and outputs. Records each step, what was sent, and the Connect
    calls it made."""

    def __init__(self, engine: Engine, service):
        self.engine = engine
        self.service = service
        self.steps: dict[str, Step] = {}
        self.sent: dict = {}
        self.connect_calls: dict[str, dict[str, int]] = {}

    def new_resource(self, args: runtime_mocks.MockResourceArgs):
        self.sent[args.name] = news = to_struct(args.inputs)
        self.service.reset_stats()
        step = self.engine.up(urn(args.name, args.typ), news)
        self.connect_calls[args.name] = contact_calls(self.service.stats())
        self.steps[args.name] = step
        return step.id, step.outputs

    def call(self, args: runtime_mocks.MockCallArgs):
        raise AssertionError(f"the example stack makes no provider calls, but called {args.token}")




def describe(client, instance_id: str, contact_id: str) -> dict:
    return client.describe_contact(InstanceId=instance_id, ContactId=contact_id)["Contact"]


# --------------------------------------------------------------------------- a. what the example registers


ESCALATION_INPUTS = {
    "channel": "TASK",
    "initiationMethod": "API",
    "name": "Escalate order 1042",
    "description": "The customer asked twice for a refund; call back before Friday.",
    "references": {
        "order": {"type": "URL", "value": "https://orders.example.com/1042"},
        "due": {"type": "DATE", "value": "1767225600"},
    },
    "attributes": {"priority": "high", "team": "billing"},
    "segmentAttributes": {"connect:ContactExpiry": {"valueMap": {"ExpiryDuration": {"valueInteger": 1440}}}},
    "tokenScope": f"{PROJECT}/{STACK}/escalation",
}
FOLLOW_UP_INPUTS = {
    "channel": "EMAIL",
    "initiationMethod": "OUTBOUND",
    "userInfo": {"userId": "agent-1"},
    "name": "Refund confirmation",
    "attributes": {"order": "1042"},
    "tokenScope": f"{PROJECT}/{STACK}/follow-up-email",
}


def declared(registration: Registration) -> dict:
    """The registered inputs, without the serialized provider, secrets unwrapped."""
    return {key: unwrap_secrets(value) for key, value in registration.inputs.items() if key != "__provider"}


def test_example_registers_two_contacts_with_state_names():
    mocks = EchoMocks(outputs={"escalation": {"contactId": "c-escalation",
                                              "contactArn": "arn:aws:connect:::contact/c-escalation"}})
    registered, exports = run_example(config={INSTANCE_ID_KEY: "instance-1"}, mocks=mocks)

    assert list(registered) == ["escalation", "follow-up-email"]
    escalation, follow_up = registered["escalation"], registered["follow-up-email"]
    for registration in (escalation, follow_up):
        assert registration.type == CONTACT_TYPE and registration.custom
        assert registration.urn == urn(registration.name)
        assert isinstance(registration.inputs["__provider"], str)
    # camelCase members, user keys (order, due, priority, connect:ContactExpiry, ExpiryDuration) verbatim
    assert declared(escalation) == {"instanceId": "instance-1", **ESCALATION_INPUTS}
    assert declared(follow_up) == {"instanceId": "instance-1", **FOLLOW_UP_INPUTS,
                                   "relatedContactId": "c-escalation"}
    assert escalation.dependencies == []
    assert follow_up.dependencies == [escalation.urn]
    assert follow_up.property_dependencies["relatedContactId"] == [escalation.urn]
    assert all(urns == [] for key, urns in follow_up.property_dependencies.items() if key != "relatedContactId")
    assert exports["escalationContactId"] == "c-escalation"
    assert exports["followUpContactId"] is None  # EchoMocks gave the follow-up no contactId


def test_example_asks_for_name_and_description_as_secret_outputs():
    registered, _ = run_example(config={INSTANCE_ID_KEY: "instance-1"})
    for registration in registered.values():
        assert sorted(registration.additional_secret_outputs) == ["description", "name"]
        assert sorted(registration.additional_secret_outputs) == sorted(schema.SECRET_OUTPUTS)


def test_example_preview_has_the_related_contact_unknown():
    registered, exports = run_example(config={INSTANCE_ID_KEY: "instance-1"}, preview=True)
    escalation, follow_up = registered["escalation"], registered["follow-up-email"]
    assert escalation.id == follow_up.id == ""
    assert declared(escalation) == {"instanceId": "instance-1", **ESCALATION_INPUTS}
    assert declared(follow_up) == {"instanceId": "instance-1", **FOLLOW_UP_INPUTS, "relatedContactId": UNKNOWN}
    assert follow_up.property_dependencies["relatedContactId"] == [escalation.urn]
    assert exports == {}  # every export waits on a contact ID the preview does not know


def test_example_finds_the_instance_of_the_configured_local_service(service, monkeypatch):
    for name, value in LOCAL_CREDENTIALS.items():  # a URL endpoint is signed with the user's credentials
        monkeypatch.setenv(name, value)
    registered, _ = run_example(config={"connect-contact:endpoint": service.url})
    first_listed = service.client().list_instances()["InstanceSummaryList"][0]["Id"]
    assert {registration.inputs["instanceId"] for registration in registered.values()} == {first_listed}


def test_example_cannot_reach_a_configured_local_endpoint_in_one_line(monkeypatch):
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    with refusing_port() as port:
        endpoint = f"http://127.0.0.1:{port}"
        with pytest.raises(pulumi.RunError) as refused:
            run_example(config={"connect-contact:endpoint": endpoint})
    assert str(refused.value).startswith(f"cannot reach Connect at {endpoint}: nothing listens on "), refused.value


def test_example_without_credentials_for_a_local_endpoint_says_so_in_one_line(service, monkeypatch):
    for name in LOCAL_CREDENTIALS:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    with pytest.raises(pulumi.RunError, match="^no AWS credentials: configure them"):
        run_example(config={"connect-contact:endpoint": service.url})


def test_example_with_an_endpoint_elsewhere_and_no_instance_names_the_setting():
    with pytest.raises(pulumi.RunError, match=r"^set the Connect instance: `pulumi config set instanceId <id>`"):
        run_example(config={"connect-contact:endpoint": "https://connect.example.com"})


# --------------------------------------------------------------------------- b. composed with pulumi-aws

CREATE_INSTANCE = {"connect-contact-example:createInstance": "true", "connect-contact-example:instanceAlias": "support"}


def test_create_instance_composes_with_pulumi_aws():
    registered, _ = run_example(config=CREATE_INSTANCE,
                                mocks=EchoMocks(ids={"contact-centre": "instance-from-aws"}))
    assert list(registered) == ["contact-centre", "escalation", "follow-up-email"]
    instance = registered["contact-centre"]
    assert instance.type == INSTANCE_TYPE and instance.custom
    assert instance.urn == urn("contact-centre", INSTANCE_TYPE)
    assert instance.inputs == {"identityManagementType": "CONNECT_MANAGED", "inboundCallsEnabled": True,
                               "outboundCallsEnabled": True, "instanceAlias": "support"}
    for name in ("escalation", "follow-up-email"):
        assert registered[name].inputs["instanceId"] == "instance-from-aws"
        assert registered[name].property_dependencies["instanceId"] == [instance.urn]
        assert instance.urn in registered[name].dependencies


def test_create_instance_needs_an_alias():
    with pytest.raises(Exception, match="instanceAlias"):
        run_example(config={"connect-contact-example:createInstance": "true"})


def test_create_instance_preview_leaves_the_instance_id_unknown():
    registered, _ = run_example(config=CREATE_INSTANCE, preview=True)
    instance = registered["contact-centre"]
    assert instance.id == ""
    for name in ("escalation", "follow-up-email"):
        assert registered[name].inputs["instanceId"] == UNKNOWN
        assert registered[name].property_dependencies["instanceId"] == [instance.urn]


def test_create_instance_preview_calls_no_connect_api(engine, service):
    registered, _ = run_example(config=CREATE_INSTANCE, preview=True)
    escalation = registered["escalation"]
    step = engine.preview(escalation.urn, escalation.object)
    assert step.op == "create" and step.inputs["instanceId"] == UNKNOWN
    assert step.inputs["clientToken"] == UNKNOWN  # derived from create-only inputs, one of them unknown
    assert engine.calls == ["Check"]
    assert contact_calls(service.stats()) == {}


# --------------------------------------------------------------------------- c. the example end to end


def test_example_stack_up_refresh_up_again_and_destroy(engine, service, client, fresh_connect_instance):
    config = {INSTANCE_ID_KEY: fresh_connect_instance}

    # pulumi preview on a new stack: two creates, the follow-up's related contact unknown, no Connect call
    planned, _ = run_example(config=config, preview=True)
    plan = {name: engine.preview(registration.urn, registration.object) for name, registration in planned.items()}
    assert {name: step.op for name, step in plan.items()} == {"escalation": "create", "follow-up-email": "create"}
    assert plan["follow-up-email"].inputs["relatedContactId"] == UNKNOWN
    assert engine.calls == ["Check", "Check"] and engine.state == {}
    assert contact_calls(service.stats()) == {}

    # pulumi up: each resource applied as it registers, the follow-up after the escalation
    mocks = EngineMocks(engine, service)
    registered, exports = run_example(config=config, mocks=mocks)
    assert list(mocks.steps) == ["escalation", "follow-up-email"]
    assert {name: step.op for name, step in mocks.steps.items()} == {"escalation": "create",
                                                                      "follow-up-email": "create"}
    for name, registration in registered.items():
        assert mocks.sent[name] == registration.object  # the engine got exactly what the SDK sent
    escalation, follow_up = (mocks.steps[name].outputs for name in ("escalation", "follow-up-email"))
    assert registered["follow-up-email"].inputs["relatedContactId"] == escalation["contactId"]
    for step in mocks.steps.values():
        assert step.id == f"{fresh_connect_instance}:{step.outputs['contactId']}"
        assert step.outputs["contactArn"].endswith(f"/contact/{step.outputs['contactId']}")
        assert fresh_connect_instance in step.outputs["contactArn"]
    assert exports == {
        "escalationContactId": escalation["contactId"], "escalationContactArn": escalation["contactArn"],
        "followUpContactId": follow_up["contactId"], "followUpContactArn": follow_up["contactArn"],
    }
    # CreateContact with the create-only fields, one read, then the updatable ones through their own APIs
    written = {"CreateContact": 1, "DescribeContact": 1, "UpdateContact": 1, "UpdateContactAttributes": 1}
    assert mocks.connect_calls == {"escalation": written, "follow-up-email": written}

    contacts = all_contacts(client, fresh_connect_instance)
    assert sorted(found["Id"] for found in contacts) == sorted([escalation["contactId"], follow_up["contactId"]])
    live_escalation = describe(client, fresh_connect_instance, escalation["contactId"])
    live_follow_up = describe(client, fresh_connect_instance, follow_up["contactId"])
    assert live_escalation["Channel"] == "TASK" and live_escalation["Name"] == "Escalate order 1042"
    assert live_escalation["Attributes"] == {"priority": "high", "team": "billing"}
    assert live_follow_up["Channel"] == "EMAIL" and live_follow_up["RelatedContactId"] == escalation["contactId"]
    assert "DisconnectTimestamp" not in live_escalation and "DisconnectTimestamp" not in live_follow_up

    # pulumi refresh: both read back as they are
    service.reset_stats()
    for name in ("escalation", "follow-up-email"):
        assert engine.refresh(urn(name)).op == "refresh"
    assert contact_calls(service.stats()) == {"DescribeContact": 2, "ListContactReferences": 1}

    # pulumi up again, nothing changed: two sames, no Connect call
    again = EngineMocks(engine, service)
    run_example(config=config, mocks=again)
    assert {name: step.op for name, step in again.steps.items()} == {"escalation": "same", "follow-up-email": "same"}
    assert again.connect_calls == {"escalation": {}, "follow-up-email": {}}
    assert again.steps["follow-up-email"].outputs["contactId"] == follow_up["contactId"]

    # pulumi destroy: dependents first; both contacts ended, none deleted (Connect never deletes one)
    service.reset_stats()
    for name in ("follow-up-email", "escalation"):
        assert engine.destroy(urn(name)).op == "delete"
    assert engine.state == {}
    assert contact_calls(service.stats()) == {"TagContact": 2, "StopContact": 2}
    assert len(all_contacts(client, fresh_connect_instance)) == 2
    for contact_id in (escalation["contactId"], follow_up["contactId"]):
        assert "DisconnectTimestamp" in describe(client, fresh_connect_instance, contact_id)


# --------------------------------------------------------------------------- d. a program edited between two runs


REVISION_HEADER = '''
import pulumi
from connect_contact import Contact

instance_id = pulumi.Config().require("instanceId")


def task(resource_name, **args):
    return Contact(resource_name, instance_id=instance_id, channel="TASK", initiation_method="API", **args)

'''
REVISION_1 = REVISION_HEADER + textwrap.dedent('''
    task("a", name="A")
    task("b", name="B before")
    task("c", name="C", expiry_duration_in_minutes=60)
    task("e", name="E", attributes={"kept": "yes"})
''')
REVISION_2 = REVISION_HEADER + textwrap.dedent('''
    task("b", name="B after")
    task("c", name="C", expiry_duration_in_minutes=90)
    task("d", name="D")
    task("e", name="E", attributes={"kept": "yes"})
''')
DESCRIBE_AFTER_WRITE = {"DescribeContact": 1}
RELEASE = {"TagContact": 1, "StopContact": 1}
CREATE = {"CreateContact": 1, "DescribeContact": 1, "UpdateContact": 1}


def preview_revision(engine: Engine, registrations: list[Registration]) -> dict[str, Step]:
    """`pulumi preview`: plan every registration, and a delete for what is in state but not declared."""
    plan = {reg.name: engine.preview(reg.urn, reg.object) for reg in registrations}
    declared_urns = {reg.urn for reg in registrations}
    for gone in engine.state.keys() - declared_urns:
        plan[urn_name(gone)] = Step("delete", gone, id=engine.state[gone].id)
    return plan


def up_revision(engine: Engine, service, registrations: list[Registration]) -> tuple[dict[str, Step], dict]:
    """`pulumi up`: apply the registrations in program order, then delete what is no longer declared.
    Returns the steps and the Connect calls of each."""
    steps, calls = {}, {}
    declared_urns = {reg.urn for reg in registrations}
    gone = [state_urn for state_urn in engine.state if state_urn not in declared_urns]
    for reg in registrations:
        service.reset_stats()
        steps[reg.name] = engine.up(reg.urn, reg.object)
        calls[reg.name] = contact_calls(service.stats())
    for state_urn in reversed(gone):
        service.reset_stats()
        steps[urn_name(state_urn)] = engine.destroy(state_urn)
        calls[urn_name(state_urn)] = contact_calls(service.stats())
    return steps, calls


def urn_name(full_urn: str) -> str:
    return full_urn.split("::")[-1]


def ops(steps: dict[str, Step]) -> dict[str, str]:
    return {name: step.op for name, step in steps.items()}


def test_program_edited_between_two_runs(engine, service, client, fresh_connect_instance, tmp_path):
    program = tmp_path / "__main__.py"
    config = {INSTANCE_ID_KEY: fresh_connect_instance}

    def registrations(preview: bool) -> list[Registration]:
        return run_program_file(program, project=PROJECT, stack=STACK, config=config, preview=preview)

    # revision 1 on a new stack: four creates
    program.write_text(REVISION_1)
    assert ops(preview_revision(engine, registrations(preview=True))) == dict.fromkeys("abce", "create")
    first, first_calls = up_revision(engine, service, registrations(preview=False))
    assert ops(first) == dict.fromkeys("abce", "create")
    assert all(calls["CreateContact"] == 1 for calls in first_calls.values())
    ids_1 = {name: step.outputs["contactId"] for name, step in first.items()}

    # revision 2: b renamed, c's expiry changed, d added, e kept, a dropped
    program.write_text(REVISION_2)
    service.reset_stats()
    engine.calls.clear()
    plan = preview_revision(engine, registrations(preview=True))
    expected = {"b": "update", "c": "replace", "d": "create", "e": "same", "a": "delete"}
    assert ops(plan) == expected
    # the dynamic host sends no per-property diffs (nor stables): the CLI's --diff comes from the engine
    assert plan["b"].diff.replaces == [] and plan["b"].inputs["name"] == secret("B after")
    assert plan["c"].diff.replaces == ["expiryDurationInMinutes"]
    assert plan["e"].diff.changes == "none"
    assert contact_calls(service.stats()) == {}  # a preview reads and writes nothing
    assert set(engine.calls) == {"Check", "Diff"}

    second, second_calls = up_revision(engine, service, registrations(preview=False))
    assert ops(second) == expected
    assert second_calls["e"] == {}
    assert second_calls["b"] == {"UpdateContact": 1, **DESCRIBE_AFTER_WRITE}
    assert second_calls["c"] == {**CREATE, **RELEASE}  # create-before-delete: the new c, then the old one ended
    assert second_calls["d"] == CREATE
    assert second_calls["a"] == RELEASE
    assert second["b"].outputs["contactId"] == ids_1["b"] and second["e"].outputs["contactId"] == ids_1["e"]
    assert second["c"].outputs["contactId"] != ids_1["c"]
    assert set(engine.state) == {urn(name) for name in "bcde"}

    # the service: every contact ever created is there; the dropped and the replaced ones ended
    ids_2 = {name: engine.state[urn(name)].output_values["contactId"] for name in "bcde"}
    remote = {found["Id"]: describe(client, fresh_connect_instance, found["Id"])
              for found in all_contacts(client, fresh_connect_instance)}
    assert set(remote) == set(ids_1.values()) | set(ids_2.values())
    assert len(remote) == 6
    ended = {contact_id for contact_id, contact in remote.items() if "DisconnectTimestamp" in contact}
    assert ended == {ids_1["a"], ids_1["c"]}
    assert remote[ids_2["b"]]["Name"] == "B after"

    # and the same revision once more: nothing to do
    service.reset_stats()
    third, third_calls = up_revision(engine, service, registrations(preview=False))
    assert ops(third) == dict.fromkeys("bcde", "same")
    assert all(calls == {} for calls in third_calls.values())


def test_example_with_an_endpoint_that_is_no_url_says_so_in_one_line():
    with pytest.raises(pulumi.RunError, match="^connect-contact:endpoint must be `local` or an http:// or https:// URL"):
        run_example(config={"connect-contact:endpoint": "LOCAL"})
