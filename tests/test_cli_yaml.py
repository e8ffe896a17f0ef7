"""Pulumi YAML programs of connect-contact, run by the plain `pulumi` CLI through Pulumi YAML's
language host against the plugin `pulumi-resource-connect-contact` (tests/support/yaml_project.py).

One project is shared by the module's tests, in order: up, preview of an edit, refresh, import,
destroy. The interruption case has a project and a local service of its own.
"""

from __future__ import annotations

import copy
import json
import signal

import pytest
import yaml
from tests.support.cli_project import contacts_by_name, converge, is_live, names, signal_group, wait_for
from tests.support.emulator_support import describe
from tests.support.lifecycle import contact_calls
from tests.support.yaml_project import CONTACT_TYPE, PROJECT, YamlProject, program

from connect_contact_local.testing import local_connect

pytestmark = pytest.mark.timeout(1500)

WRITE_OPERATIONS = {"CreateContact", "UpdateContact", "UpdateContactAttributes", "StopContact", "TagContact",
                    "UntagContact"}
ESCALATION = {"channel": "TASK", "initiationMethod": "API", "name": "Escalate order 1042",
              "description": "The customer asked twice for a refund", "attributes": {"priority": "high"},
              "expiryDurationInMinutes": 60}
REMINDER = {"channel": "TASK", "initiationMethod": "API", "name": "Call back before Friday",
            "expiryDurationInMinutes": 60}
CONFIRMATION = {"channel": "EMAIL", "initiationMethod": "OUTBOUND", "userInfo": {"userId": "agent-1"},
                "name": "Refund confirmation", "relatedContactId": "${escalation.contactId}"}
DECLARED_NAMES = {"escalation": ESCALATION["name"], "reminder": REMINDER["name"],
                  "confirmation": CONFIRMATION["name"]}


def writes(stats: dict) -> dict[str, int]:
    return {operation: count for operation, count in contact_calls(stats).items() if operation in WRITE_OPERATIONS}


@pytest.fixture(scope="module")
def module_service(tmp_path_factory):
    with local_connect(tmp_path_factory.mktemp("yaml-connect") / "connect.db") as service:
        yield service


@pytest.fixture(scope="module")
def stack(tmp_path_factory, pulumi_bin, module_service):
    """The module's YAML project: stack `dev`, the three contacts declared."""
    project = YamlProject(tmp_path_factory.mktemp("yaml") / "project", pulumi_bin, module_service)
    project.declare({"escalation": project.contact(**ESCALATION), "reminder": project.contact(**REMINDER),
                     "confirmation": project.contact(**CONFIRMATION)})
    project.init()
    yield project
    project.stop_strays()


@pytest.fixture(scope="module")
def created(stack):
    """The IDs of the contacts the first `pulumi up` made (resource name -> contact ID)."""
    stack.service.reset_stats()
    stack.up()
    return {name: state["contactId"] for name, state in stack.contact_states().items()}


def test_up_creates_the_contacts(stack, created):
    service = stack.service
    client, instance = service.client(), service.instance_id
    assert contact_calls(service.stats())["CreateContact"] == 3

    grouped = contacts_by_name(client, instance)
    assert sorted(grouped) == sorted(DECLARED_NAMES.values())
    assert all(len(found) == 1 and is_live(found[0]) for found in grouped.values())
    assert created == {name: grouped[contact_name][0]["Id"] for name, contact_name in DECLARED_NAMES.items()}
    assert describe(client, instance, created["confirmation"])["RelatedContactId"] == created["escalation"]

    export = stack.export()
    resources = stack.contact_resources(export)
    assert {resource["type"] for resource in resources.values()} == {CONTACT_TYPE}
    assert {name: resource["id"] for name, resource in resources.items()} == \
           {name: f"{instance}:{contact_id}" for name, contact_id in created.items()}
    [root] = [resource for resource in export["deployment"]["resources"] if resource["type"] == "pulumi:pulumi:Stack"]
    assert root["outputs"]["escalationId"] == created["escalation"]
    assert root["outputs"]["reminderArn"].endswith(f"instance/{instance}/contact/{created['reminder']}")
    # name and description are sensitive: state holds them encrypted only
    text = json.dumps(export)
    for secret in (ESCALATION["name"], ESCALATION["description"], REMINDER["name"], CONFIRMATION["name"]):
        assert secret not in text


@pytest.fixture(scope="module")
def edited_preview(stack, created):
    """`pulumi preview --diff` of an edit: the escalation's name (updatable) and the reminder's expiry
    (create-only); the program is put back afterwards. Also what Connect was asked meanwhile."""
    edited = copy.deepcopy(stack.resources)
    edited["escalation"]["properties"]["name"] = "Escalate order 1043"
    edited["reminder"]["properties"]["expiryDurationInMinutes"] = 120
    stack.write(program(edited))
    stack.service.reset_stats()
    try:
        return stack.run("preview", "--diff").stdout, writes(stack.service.stats())
    finally:
        stack.declare(stack.resources)


def test_preview_of_an_edit_names_each_changed_property(stack, created, edited_preview):
    preview, written = edited_preview
    instance = stack.service.instance_id
    urn = f"urn:pulumi:dev::{PROJECT}::{CONTACT_TYPE}"
    assert ("    ~ connect-contact:index:Contact: (update)\n"
            f"        [id={instance}:{created['escalation']}]\n"
            f"        [urn={urn}::escalation]\n"
            "      ~ name: [secret] => [secret]\n") in preview, preview
    assert ("    +-connect-contact:index:Contact: (replace)\n"
            f"        [id={instance}:{created['reminder']}]\n"
            f"        [urn={urn}::reminder]\n"
            "      ~ expiryDurationInMinutes: 60 => 120\n") in preview, preview
    assert written == {}


def test_preview_of_an_update_keeps_the_contact_id_a_dependent_reads(stack, created, edited_preview):
    preview, _ = edited_preview
    assert "::confirmation]" not in preview, preview
    assert "    ~ 1 to update\n    +-1 to replace\n" in preview, preview


@pytest.fixture(scope="module")
def refreshed(stack, created):
    """The contacts' state (secrets shown) before and after `pulumi refresh` of the unchanged stack,
    and what Connect was asked to write meanwhile."""
    before = stack.contact_resources(stack.export(show_secrets=True))
    stack.service.reset_stats()
    stack.run("refresh", "--yes", "--expect-no-changes")
    written = writes(stack.service.stats())
    return before, stack.contact_resources(stack.export(show_secrets=True)), written


def state_of(resources: dict[str, dict], leave_out: tuple[str, ...] = ()) -> dict[str, dict]:
    """Each contact's ID, inputs and outputs (less the outputs named)."""
    return {name: {"id": resource["id"], "inputs": resource["inputs"],
                   "outputs": {key: value for key, value in resource["outputs"].items() if key not in leave_out}}
            for name, resource in resources.items()}


def test_refresh_of_an_unchanged_stack_changes_nothing(refreshed):
    before, after, written = refreshed
    assert written == {}
    assert state_of(after, leave_out=("lastUpdateTimestamp",)) == state_of(before, leave_out=("lastUpdateTimestamp",))


def test_pulumi_import_generates_the_code_that_then_changes_nothing(stack, created, tmp_path):
    service = stack.service
    client, instance = service.client(), service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API", Name="made elsewhere",
                                     Description="by hand", Attributes={"legacy": "1"})["ContactId"]
    service.reset_stats()

    code = tmp_path / "adopted.yaml"
    stack.run("import", CONTACT_TYPE, "adopted", f"{instance}:{existing}", "--yes", "--protect=false",
              "--out", str(code))

    assert writes(service.stats()) == {}
    generated = yaml.safe_load(code.read_text())
    assert generated == {"resources": {"adopted": {
        "type": "connect-contact:Contact",
        "properties": {"attributes": {"legacy": "1"}, "channel": "TASK", "description": "by hand",
                       "initiationMethod": "API", "instanceId": instance, "name": "made elsewhere"}}}}, \
        code.read_text()
    assert stack.contact_states()["adopted"]["contactId"] == existing

    stack.declare({**stack.resources, "adopted": generated["resources"]["adopted"]})
    service.reset_stats()
    stack.up("--expect-no-changes")
    assert writes(service.stats()) == {}
    assert stack.contact_states()["adopted"]["contactId"] == existing
    assert is_live(describe(client, instance, existing))


def test_the_import_resource_option_adopts_the_contact(stack, created):
    service = stack.service
    client, instance = service.client(), service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                     Name="made elsewhere too")["ContactId"]
    declared = stack.contact(channel="TASK", initiationMethod="API", name="made elsewhere too")
    stack.write(program({**stack.resources, "optioned": {**declared, "options": {"import": f"{instance}:{existing}"}}}))
    service.reset_stats()

    output = stack.up().stdout

    assert "    = 1 imported\n" in output, output
    assert "CreateContact" not in contact_calls(service.stats())
    assert stack.contact_states()["optioned"]["contactId"] == existing
    # as Pulumi asks, the option is removed once imported: nothing changes
    stack.declare({**stack.resources, "optioned": declared})
    stack.run("preview", "--expect-no-changes")
    assert is_live(describe(client, instance, existing))


def test_destroy_ends_every_contact_of_the_stack(stack, created):
    client, instance = stack.service.client(), stack.service.instance_id
    in_state = {name: state["contactId"] for name, state in stack.contact_states().items()}
    assert sorted(in_state) == ["adopted", "confirmation", "escalation", "optioned", "reminder"]
    stack.service.reset_stats()

    stack.run("destroy", "--yes")

    assert contact_calls(stack.service.stats())["StopContact"] == 5
    assert not any(is_live(describe(client, instance, contact_id)) for contact_id in in_state.values())
    assert stack.contact_states() == {}


def test_pulumi_import_of_a_contact_that_is_not_there_fails_in_one_line(stack, created):
    instance = stack.service.instance_id
    missing = f"{instance}:00000000-0000-0000-0000-000000000000"
    result = stack.run("import", CONTACT_TYPE, "ghost", missing, "--yes", "--protect=false", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert (f"error: Preview failed: contact {missing} does not exist; check the import ID "
            "('<instanceId>:<contactId>' or the contact ARN) and the region\n") in output, output
    assert "ghost" not in stack.contact_states()


N = 50
HELD_AFTER = 10


def test_sigkill_mid_up_then_up_again_gives_exactly_one_contact_each(tmp_path, pulumi_bin, connect_service):
    service = connect_service
    # The file backend writes each checkpoint to a temporary file and renames it, but rewrites the
    # checkpoint's metadata sidecar (`.attrs`) in place: a SIGKILL in between leaves it empty, and
    # every later command stops with `failed to load checkpoint: EOF`. Without the sidecar
    # (fileblob's `metadata=skip`) a checkpoint is either the old one or the new one.
    project = YamlProject(tmp_path / "project", pulumi_bin, service, backend_query="metadata=skip")
    declared = list(names("contact-", N))
    project.declare({name: project.contact(channel="TASK", initiationMethod="API", name=name) for name in declared},
                    outputs={})
    project.init()
    service.set_faults(hold_after_n=HELD_AFTER, operations=["CreateContact"])
    service.reset_stats()

    log = tmp_path / "interrupted-up.log"
    running = project.start("up", "--yes", log=log)
    try:
        wait_for(lambda: contact_calls(service.stats()).get("CreateContact", 0) > HELD_AFTER, timeout=300,
                 what="a CreateContact held after the first answers")
        signal_group(running, signal.SIGKILL)
        service.clear_faults()  # the held creates go on; the killed engine never hears of them
        running.wait(timeout=120)
        project.stop_strays()  # the plugin, in a process group of its own
        in_state = len(project.contact_states())
        assert in_state < N, "the kill came after the last create:\n" + log.read_text()

        results = converge(project)
    finally:
        project.stop_strays()

    grouped = contacts_by_name(service.client(), service.instance_id)
    duplicated = {name: len(found) for name, found in grouped.items() if len(found) > 1}
    assert duplicated == {}, f"duplicated contacts: {duplicated}"
    assert sorted(grouped) == declared
    assert all(is_live(found[0]) for found in grouped.values())
    states = project.contact_states()
    assert {name: state["contactId"] for name, state in states.items()} == \
           {name: found[0]["Id"] for name, found in grouped.items()}
    assert project.pending_operations() == []
    print(f"SIGKILL: {in_state} of {N} contacts in state after the kill; commands to converge: "
          f"{[' '.join(result.args[1:]) for result in results]}")
