"""The Automation API, as teams that embed Pulumi in their own services use it: a Python inline
program in this process, run by the real Pulumi CLI, that creates, updates and destroys contacts."""

from __future__ import annotations

import pulumi
import pytest
from tests.support.cli_project import cli_environment, is_live
from tests.support.emulator_support import all_contacts, describe
from scripts.offline_pulumi import stack as offline_stack
from pulumi import automation

from connect_contact import Contact

pytestmark = pytest.mark.timeout(900)


def test_inline_program_creates_updates_and_destroys_contacts(tmp_path, pulumi_bin, connect_service, monkeypatch):
    client, instance = connect_service.client(), connect_service.instance_id
    for name, value in cli_environment().items():
        monkeypatch.setenv(name, value)
    priority = {"value": "high"}

    def program() -> None:
        for name in ("first", "second"):
            contact = Contact(name, instance_id=instance, channel="TASK", initiation_method="API",
                              name=f"{name} task", attributes={"priority": priority["value"]})
            pulumi.export(f"{name}Id", contact.contact_id)

    settings = automation.ProjectSettings(name="embedded-contacts", runtime="python")
    stack = offline_stack(tmp_path / "embedded", pulumi_bin, "prod", program, project_settings=settings)
    stack.set_config("connect-contact:endpoint", automation.ConfigValue(connect_service.url))

    created = stack.up()
    ids = {name: created.outputs[f"{name}Id"].value for name in ("first", "second")}
    assert created.summary.resource_changes == {"create": 3}
    assert sorted(found["Id"] for found in all_contacts(client, instance)) == sorted(ids.values())

    priority["value"] = "low"
    updated = stack.up()
    assert updated.summary.resource_changes == {"update": 2, "same": 1}
    assert {name: updated.outputs[f"{name}Id"].value for name in ids} == ids
    assert all(describe(client, instance, contact_id)["Attributes"] == {"priority": "low"}
               for contact_id in ids.values())

    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 3}
    assert not any(is_live(describe(client, instance, contact_id)) for contact_id in ids.values())

