"""`pulumi up --replace` of a plugin Contact, through the plain CLI on a Pulumi YAML program.

A targeted replace asks the provider no diff, so the engine creates the replacement before it
deletes the old contact unless the resource says `deleteBeforeReplace: true`; with an unchanged
client token Connect hands the same contact back to that create. The stack must never end up holding
an ended contact: the plugin keeps it live and says so. With `deleteBeforeReplace: true` the old
contact ends first and the replacement is a new, live contact (the token's next generation).
"""

from __future__ import annotations

import pytest
from tests.support.cli_project import is_live
from tests.support.emulator_support import describe
from tests.support.yaml_project import CONTACT_TYPE, PROJECT, YamlProject, program

from connect_contact import lifecycle

pytestmark = pytest.mark.timeout(900)
URN = f"urn:pulumi:dev::{PROJECT}::{CONTACT_TYPE}::task"


def _project(tmp_path, pulumi_bin, service, options: dict) -> YamlProject:
    project = YamlProject(tmp_path / "project", pulumi_bin, service)
    entry = project.contact(channel="TASK", initiationMethod="API", name="Kept")
    project.declare({"task": {**entry, **({"options": options} if options else {})}})
    project.init()
    project.up()
    return project


def test_a_targeted_replace_created_first_keeps_the_contact_live(tmp_path, pulumi_bin, connect_service):
    project = _project(tmp_path, pulumi_bin, connect_service, {})
    before = project.contact_states()["task"]["contactId"]

    output = project.up("--replace", URN).stdout

    after = project.contact_states()["task"]["contactId"]
    assert after == before
    assert is_live(describe(connect_service.client(), connect_service.instance_id, after))
    warning = lifecycle.REPLACED_BY_ITSELF.format(id=f"{connect_service.instance_id}:{after}")
    assert " ".join(warning.split()) in " ".join(output.split()), output


def test_a_targeted_replace_deleting_first_makes_a_new_contact(tmp_path, pulumi_bin, connect_service):
    project = _project(tmp_path, pulumi_bin, connect_service, {"deleteBeforeReplace": True})
    before = project.contact_states()["task"]

    project.up("--replace", URN)

    after = project.contact_states()["task"]
    client, instance = connect_service.client(), connect_service.instance_id
    assert after["contactId"] != before["contactId"] and after["clientToken"].endswith("-g1")
    assert is_live(describe(client, instance, after["contactId"]))
    assert not is_live(describe(client, instance, before["contactId"]))
