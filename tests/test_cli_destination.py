"""Where contacts go, as the real `pulumi up` shows it: one info line naming the project's
local service (or the configured endpoint), and, with no credentials and no endpoint, one
line naming both fixes and nothing sent anywhere."""

from __future__ import annotations

import os

import pytest
from tests.support.aws_stand_in import AwsStandIn
from tests.support.emulator_support import all_contacts, end_local_service
from tests.support.lifecycle import contact_calls

from connect_contact import local

pytestmark = pytest.mark.timeout(900)


def test_up_says_it_uses_the_projects_own_local_service(cli_project):
    service = local.ensure_running(cli_project.directory)
    try:
        cli_project.init(endpoint="local")
        cli_project.declare({"here": {"channel": "TASK", "initiation_method": "API", "name": "here",
                                      "instance_id": service.instance_id}})
        output = cli_project.up().stdout
        again = local.ensure_running(cli_project.directory)
        names = [found.get("Name") for found in all_contacts(local.client(again), again.instance_id)]
    finally:
        end_local_service(cli_project.directory)
    line = f"info: Connect: local service {service.url} (us-east-1, instance {service.instance_id})"
    assert line in output, output
    assert again == service and len(names) == 1
    assert all_contacts(cli_project.service.client(), cli_project.service.instance_id) == []


def test_up_names_the_configured_endpoint(cli_project):
    cli_project.init()
    cli_project.declare({"there": {"channel": "TASK", "initiation_method": "API", "name": "there"}})
    output = cli_project.up().stdout
    assert f"info: Connect: endpoint {cli_project.service.url} (us-east-1)" in output, output


def test_an_update_with_no_aws_region_set_connects_once(cli_project):
    """aws:region unset, the region from the environment: the update's diff connects for the stack's
    region and its write for the region the contact's ARN names, the same one, so one connection
    and one line say where contacts go."""
    cli_project.init()
    cli_project.declare({"renamed": {"channel": "TASK", "initiation_method": "API", "name": "before"}})
    cli_project.up()
    cli_project.declare({"renamed": {"channel": "TASK", "initiation_method": "API", "name": "after"}})
    output = cli_project.up().stdout
    line = f"info: Connect: endpoint {cli_project.service.url} (us-east-1)"
    diagnostics = output.partition("Diagnostics:")[2]
    assert "~ 1 updated" in output and diagnostics.count(line) == 1, output


def test_no_credentials_and_no_endpoint_fails_in_one_line_and_sends_nothing(cli_project):
    stand_in = AwsStandIn()
    cli_project.env.update({"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": "",
                            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                            **stand_in.environment()})
    try:
        cli_project.run("stack", "init", "dev")
        cli_project.run("config", "set", "aws:region", "eu-west-2")
        cli_project.declare({"nowhere": {"channel": "TASK", "initiation_method": "API", "name": "nowhere"}})
        result = cli_project.up(check=False)
    finally:
        stand_in.close()
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no AWS credentials" in text and "pulumi config set connect-contact:endpoint local" in text, text
    assert "Traceback" not in text
    assert stand_in.reached() == [] and not (cli_project.directory / local.DATA_DIR).exists()
    assert all_contacts(cli_project.service.client(), cli_project.service.instance_id) == []


def test_the_stacks_region_and_a_contacts_own_are_honoured_on_the_local_service(cli_project):
    """The local service is regional: with aws:region eu-west-2 a contact goes to that region's
    instance (from `local_instance --region`), one with region= to its own region's; the service's
    own instance, in us-east-1, is not known to eu-west-2's requests, and nothing is made for it."""
    directory = cli_project.directory
    try:
        service = local.ensure_running(directory)
        west = local.instance_in(service, "eu-west-2")
        cli_project.init(endpoint="local", config={"aws:region": "eu-west-2"})

        cli_project.declare({"misplaced": {"channel": "TASK", "initiation_method": "API", "name": "misplaced",
                                           "instance_id": service.instance_id}})
        refused = cli_project.up(check=False)
        output = refused.stdout + refused.stderr
        assert refused.returncode != 0 and "Traceback" not in output, output
        assert f"info: Connect: local service {service.url} (eu-west-2)" in output, output
        assert (f"error: CreateContact on instance {service.instance_id} failed: ResourceNotFoundException: "
                f"Instance {service.instance_id} not found. Check instanceId (the instance's ID, not its ARN) and the "
                "region (aws:region, or the contact's region): the request went to eu-west-2\n") in output, output
        assert all_contacts(local.client(service), service.instance_id) == []

        cli_project.declare({
            "west": {"channel": "TASK", "initiation_method": "API", "name": "west", "instance_id": west},
            "east": {"channel": "TASK", "initiation_method": "API", "name": "east", "instance_id": service.instance_id,
                     "region": "us-east-1"},
        })
        output = cli_project.up().stdout
        assert f"info: Connect: local service {service.url} (eu-west-2)" in output, output
        assert f"info: Connect: local service {service.url} (us-east-1, instance {service.instance_id})" in output
        states = cli_project.contact_states()
        for name, region, instance in (("west", "eu-west-2", west), ("east", "us-east-1", service.instance_id)):
            arn = states[name]["contactArn"]
            assert arn == f"arn:aws:connect:{region}:123456789012:instance/{instance}/contact/{states[name]['contactId']}"
            listed = all_contacts(local.client(service, region=region), instance)
            assert [(found["Id"], found.get("Name")) for found in listed] == [(states[name]["contactId"], name)]
        assert "misplaced" not in states
        cli_project.run("preview", "--expect-no-changes")  # fails on any change
    finally:
        end_local_service(directory)


def test_a_change_of_aws_region_is_planned_and_a_contact_pinned_where_it_is_stays(cli_project):
    """A contact that names no region follows aws:region: changing it plans a move, which fails at
    the plan when the contact's instance is not in the new region, ending nothing. Pinned with
    region= where it is, the contact is unchanged, and refresh and destroy reach it in the region
    its ARN names, whatever aws:region now says."""
    service, client, instance = cli_project.service, cli_project.service.client(), cli_project.service.instance_id
    cli_project.init(config={"aws:region": "us-east-1"})
    cli_project.declare({"kept": {"channel": "TASK", "initiation_method": "API", "name": "kept"}})
    cli_project.up()
    contact_id = cli_project.contact_states()["kept"]["contactId"]

    cli_project.run("config", "set", "aws:region", "eu-west-2")
    service.reset_stats()
    planned = cli_project.run("preview", check=False)
    text = planned.stdout + planned.stderr
    assert planned.returncode != 0 and "Traceback" not in text, text
    assert "the replacement cannot be created because Connect does not know its instance" in text, text
    assert f"instance {instance} at endpoint {service.url}, region eu-west-2" in text, text
    assert {"StopContact", "TagContact", "CreateContact"}.isdisjoint(contact_calls(service.stats()))

    cli_project.declare({"kept": {"channel": "TASK", "initiation_method": "API", "name": "kept",
                                  "region": "us-east-1"}})
    cli_project.run("preview", "--expect-no-changes")
    service.reset_stats()
    cli_project.up("--expect-no-changes")
    assert contact_calls(service.stats()) == {}
    cli_project.declare({"kept": {"channel": "TASK", "initiation_method": "API", "name": "kept"}})
    cli_project.run("config", "set", "aws:region", "us-east-1")
    cli_project.run("preview", "--expect-no-changes")  # unpinned, in the region the stack names again

    cli_project.run("config", "set", "aws:region", "eu-west-2")
    service.reset_stats()
    cli_project.run("refresh", "--yes")
    assert set(service.stats()["regions"]) == {"us-east-1"}, service.stats()
    assert cli_project.contact_states()["kept"]["contactId"] == contact_id
    cli_project.run("destroy", "--yes")
    assert set(service.stats()["regions"]) == {"us-east-1"}, service.stats()
    ended = client.describe_contact(InstanceId=instance, ContactId=contact_id)["Contact"]
    assert "DisconnectTimestamp" in ended and cli_project.contact_states() == {}
