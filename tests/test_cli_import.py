"""Bringing an existing contact under a stack, with the real Pulumi CLI.

`existing_contact_id` does it: the provider reads the named contact instead of creating one,
then manages it like any other.

The `import_` resource option is taken as `existing_contact_id`: the engine's own import Read
carries no inputs, and Pulumi's dynamic-provider host could not find which provider to run
(pulumi/pulumi#16175).
"""

from __future__ import annotations

import pytest
from tests.support.cli_project import PROGRAM, CliProject
from tests.support.emulator_support import all_contacts, describe
from tests.support.lifecycle import contact_calls

pytestmark = pytest.mark.timeout(900)

IMPORTING_PROGRAM = PROGRAM.replace(
    "    contact = Contact(name, **args)",
    "    contact = Contact(name, **{k: v for k, v in args.items() if k != 'import'},\n"
    "                      opts=pulumi.ResourceOptions(import_=args.get('import')))")


def test_import_resource_option_adopts_the_contact(tmp_path, pulumi_bin, connect_service):
    project = CliProject(tmp_path / "project", pulumi_bin, connect_service, program=IMPORTING_PROGRAM)
    project.init()
    client, instance = connect_service.client(), connect_service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                     Name="made elsewhere")["ContactId"]
    project.declare({"adopted": {"channel": "TASK", "initiation_method": "API", "name": "adopted",
                                 "import": f"{instance}:{existing}"}})
    connect_service.reset_stats()

    project.up()

    assert "CreateContact" not in contact_calls(connect_service.stats())
    assert project.contact_states()["adopted"]["contactId"] == existing
    assert describe(client, instance, existing)["Name"] == "adopted"
    assert len(all_contacts(client, instance)) == 1
    # as Pulumi asks, the option is removed once imported: nothing changes
    project.declare({"adopted": {"channel": "TASK", "initiation_method": "API", "name": "adopted"}})
    project.run("preview", "--expect-no-changes")


def test_import_resource_option_naming_another_instance_fails_in_one_line(tmp_path, pulumi_bin, connect_service):
    project = CliProject(tmp_path / "project", pulumi_bin, connect_service, program=IMPORTING_PROGRAM)
    project.init()
    project.declare({"adopted": {"channel": "TASK", "initiation_method": "API",
                                 "import": "11111111-2222-3333-4444-555555555555:c-1"}})
    connect_service.reset_stats()

    result = project.up(check=False)

    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert ("Contact: import_ '11111111-2222-3333-4444-555555555555:c-1' names instance "
            "11111111-2222-3333-4444-555555555555, but instance_id is") in output, output
    assert contact_calls(connect_service.stats()) == {}


def test_an_existing_contact_is_adopted_then_managed(cli_project):
    service = cli_project.service
    client, instance = service.client(), service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                     Name="made elsewhere")["ContactId"]
    client.update_contact_attributes(InstanceId=instance, InitialContactId=existing, Attributes={"legacy": "1"})
    cli_project.init()
    adopted = {"channel": "TASK", "initiation_method": "API", "existing_contact_id": existing,
               "name": "adopted", "attributes": {"priority": "high"}}
    cli_project.declare({"adopted": adopted})

    service.reset_stats()
    cli_project.up()
    assert "CreateContact" not in contact_calls(service.stats())
    assert cli_project.outputs()["adoptedId"] == existing
    contact = describe(client, instance, existing)
    assert contact["Name"] == "adopted"
    assert {key: value for key, value in contact["Attributes"].items() if value} == {"priority": "high"}

    # managed from now on: an edit updates it in place; no longer naming it changes nothing
    cli_project.declare({"adopted": {**{k: v for k, v in adopted.items() if k != "existing_contact_id"},
                                     "name": "adopted and renamed"}})
    cli_project.up()
    assert cli_project.outputs()["adoptedId"] == existing
    assert describe(client, instance, existing)["Name"] == "adopted and renamed"
    cli_project.run("preview", "--expect-no-changes")
    assert len(all_contacts(client, instance)) == 1

    cli_project.run("destroy", "--yes")
    assert "DisconnectTimestamp" in describe(client, instance, existing)


def test_adopting_a_contact_of_another_kind_fails_in_one_line(cli_project):
    client, instance = cli_project.service.client(), cli_project.service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API")["ContactId"]
    cli_project.init()
    cli_project.declare({"adopted": {"channel": "EMAIL", "initiation_method": "FLOW", "existing_contact_id": existing}})

    result = cli_project.up(check=False)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "existing_contact_id: contact " + existing + " cannot be managed as declared" in output
    assert "channel is 'TASK', not 'EMAIL'" in output
    assert "Traceback" not in output
    assert len(all_contacts(client, instance)) == 1


def test_contact_get_reads_a_contact_without_managing_it(tmp_path, pulumi_bin, connect_service):
    program = ("import pulumi\nfrom connect_contact import Contact\n"
               "seen = Contact.get('seen', pulumi.Config().require('contact'))\n"
               "pulumi.export('name', seen.name)\npulumi.export('channel', seen.channel)\n")
    project = CliProject(tmp_path / "project", pulumi_bin, connect_service, program=program)
    client, instance = connect_service.client(), connect_service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                     Name="made elsewhere")["ContactId"]
    project.init(config={"contact": f"{instance}:{existing}"})

    project.up()

    assert project.outputs() == {"name": "made elsewhere", "channel": "TASK"}
    project.run("destroy", "--yes")
    assert "DisconnectTimestamp" not in describe(client, instance, existing)
