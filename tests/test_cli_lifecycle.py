"""preview, up, update, replace, refresh and destroy of contacts with the real Pulumi CLI.

Connect calls are counted at the local service around each command.
"""

from __future__ import annotations

import re

import pytest
from tests.support.cli_project import CONTACT_TYPE, is_live
from tests.support.emulator_support import all_contacts, describe
from tests.support.lifecycle import contact_calls

WRITE_OPERATIONS = {"CreateContact", "UpdateContact", "UpdateContactAttributes", "StopContact", "TagContact",
                    "UntagContact"}
ESCALATION = {"channel": "TASK", "initiation_method": "API", "name": "Escalate order 1042",
              "attributes": {"priority": "high"}, "expiry_duration_in_minutes": 60}
REMINDER = {"channel": "TASK", "initiation_method": "API", "name": "Call back", "expiry_duration_in_minutes": 60}

pytestmark = pytest.mark.timeout(1200)


def writes(stats: dict) -> dict[str, int]:
    return {operation: count for operation, count in contact_calls(stats).items() if operation in WRITE_OPERATIONS}


def step(output: str, name: str) -> str:
    """The step the CLI shows for contact `name` in a preview: create, update, replace, ..."""
    match = re.search(rf"[-+~ ]+{re.escape(CONTACT_TYPE)}: \((\w[\w-]*)\)\n\s+\[(?:id=[^\]]*\]\n\s+\[)?urn=[^\]]*::{re.escape(name)}\]",
                      output)
    assert match, f"no step for {name} in:\n{output}"
    return match.group(1)


def test_preview_plans_the_creates_and_calls_nothing(cli_project):
    service = cli_project.service
    cli_project.init()
    cli_project.declare({"escalation": ESCALATION, "reminder": REMINDER})
    service.reset_stats()

    preview = cli_project.run("preview", "--diff").stdout

    assert step(preview, "escalation") == "create"
    assert step(preview, "reminder") == "create"
    assert "+ 3 to create" in preview  # the stack and the two contacts
    assert contact_calls(service.stats()) == {}
    assert all_contacts(service.client(), service.instance_id) == []


def test_up_noop_update_replace_refresh_destroy_and_up_again(cli_project):
    service, client, instance = cli_project.service, cli_project.service.client(), cli_project.service.instance_id
    cli_project.init()
    cli_project.declare({"escalation": ESCALATION, "reminder": REMINDER})

    # up: two live contacts, the IDs the stack exports
    service.reset_stats()
    cli_project.up()
    outputs = cli_project.outputs()
    first = {name: outputs[f"{name}Id"] for name in ("escalation", "reminder")}
    assert contact_calls(service.stats())["CreateContact"] == 2
    assert sorted(found["Id"] for found in all_contacts(client, instance)) == sorted(first.values())
    assert describe(client, instance, first["escalation"])["Attributes"] == {"priority": "high"}
    assert outputs["escalationArn"].endswith(f"instance/{instance}/contact/{first['escalation']}")

    # up with no change: nothing to do, no Connect call at all
    service.reset_stats()
    unchanged = cli_project.up().stdout
    assert "2 unchanged" in unchanged or "3 unchanged" in unchanged
    assert contact_calls(service.stats()) == {}

    # an updatable field (attributes) and a create-only one (expiry): the preview says which is which
    cli_project.declare({"escalation": {**ESCALATION, "attributes": {"priority": "low"}},
                         "reminder": {**REMINDER, "expiry_duration_in_minutes": 120}})
    service.reset_stats()
    preview = cli_project.run("preview", "--diff").stdout
    assert step(preview, "escalation") == "update"
    assert re.search(r'~ priority\s*:\s*"high" => "low"', preview), preview
    assert step(preview, "reminder") == "replace"
    assert re.search(r"~ expiryDurationInMinutes\s*:\s*60 => 120", preview), preview
    assert writes(service.stats()) == {}

    # up: the escalation keeps its contact, the reminder gets a new one and the old one ends
    cli_project.up()
    outputs = cli_project.outputs()
    assert outputs["escalationId"] == first["escalation"]
    assert describe(client, instance, first["escalation"])["Attributes"] == {"priority": "low"}
    replaced = outputs["reminderId"]
    assert replaced != first["reminder"]
    assert is_live(describe(client, instance, replaced))
    assert not is_live(describe(client, instance, first["reminder"]))

    # drift made out of band: refresh shows it, the next up puts the declared value back
    client.update_contact_attributes(InstanceId=instance, InitialContactId=first["escalation"],
                                     Attributes={"priority": "urgent"})
    refreshed = cli_project.run("refresh", "--yes", "--diff").stdout
    assert re.search(r'priority\s*:\s*"low" => "urgent"', refreshed), refreshed
    assert step(cli_project.run("preview", "--diff").stdout, "escalation") == "update"
    cli_project.up()
    assert describe(client, instance, first["escalation"])["Attributes"] == {"priority": "low"}

    # destroy: every contact of the stack ended; Connect keeps them
    cli_project.run("destroy", "--yes")
    contacts = all_contacts(client, instance)
    assert len(contacts) == 3
    assert not any(is_live(describe(client, instance, found["Id"])) for found in contacts)
    assert cli_project.contact_states() == {}

    # up after destroy: fresh, live contacts, not the ended ones back
    cli_project.up()
    outputs = cli_project.outputs()
    again = {name: outputs[f"{name}Id"] for name in ("escalation", "reminder")}
    assert not set(again.values()) & ({*first.values(), replaced})
    assert all(is_live(describe(client, instance, contact_id)) for contact_id in again.values())
    assert len(all_contacts(client, instance)) == 5


def test_tags_update_in_place_through_the_cli(cli_project):
    client, instance = cli_project.service.client(), cli_project.service.instance_id
    cli_project.init()
    cli_project.declare({"tagged": {**REMINDER, "tags": {"team": "billing"}}})
    cli_project.up()
    contact_id = cli_project.outputs()["taggedId"]
    assert describe(client, instance, contact_id)["Tags"] == {"team": "billing"}

    cli_project.declare({"tagged": {**REMINDER, "tags": {"team": "refunds", "tier": "gold"}}})
    preview = cli_project.run("preview", "--diff").stdout
    assert step(preview, "tagged") == "update"
    assert re.search(r'~ team\s*:\s*"billing" => "refunds"', preview), preview
    cli_project.up()
    assert cli_project.outputs()["taggedId"] == contact_id
    assert describe(client, instance, contact_id)["Tags"] == {"team": "refunds", "tier": "gold"}


def test_destroy_and_up_cycles_cost_the_same_calls_through_the_cli(cli_project):
    """Each `up` after a `destroy` (inside Connect's 7-day token window) makes the same calls, however
    many cycles came before: the first generation's ID rides in state to the destroy that marks it."""
    service, client, instance = cli_project.service, cli_project.service.client(), cli_project.service.instance_id
    cli_project.init()
    cli_project.declare({"reminder": REMINDER})
    cli_project.up()
    first = cli_project.contact_states()["reminder"]["contactId"]
    for cycle in range(1, 4):
        service.reset_stats()
        cli_project.run("destroy", "--yes")
        assert contact_calls(service.stats()) == ({"TagContact": 1, "StopContact": 1} if cycle == 1 else
                                                  {"TagContact": 2, "StopContact": 1})
        service.reset_stats()
        cli_project.up()
        assert contact_calls(service.stats()) == {"CreateContact": 2, "DescribeContact": 2, "UpdateContact": 1}
        state = cli_project.contact_states()["reminder"]
        assert state["clientToken"].endswith(f"-g{cycle}") and state["firstGenerationContactId"] == first
    contacts = all_contacts(client, instance)
    assert len(contacts) == 4
    assert [found["Id"] for found in contacts if is_live(describe(client, instance, found["Id"]))] == [
        state["contactId"]]
