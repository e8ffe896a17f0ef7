"""Where contacts go, as the real `pulumi up` shows it: one info line naming the project's
local service (or the configured endpoint), and, with no credentials and no endpoint, one
line naming both fixes and nothing sent anywhere."""

from __future__ import annotations

import os

import pytest
from tests.support.aws_stand_in import AwsStandIn
from tests.support.emulator_support import all_contacts, end_local_service

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
    line = f"info: Connect: local service {service.url} (instance {service.instance_id})"
    assert line in output, output
    assert again == service and len(names) == 1
    assert all_contacts(cli_project.service.client(), cli_project.service.instance_id) == []


def test_up_names_the_configured_endpoint(cli_project):
    cli_project.init()
    cli_project.declare({"there": {"channel": "TASK", "initiation_method": "API", "name": "there"}})
    output = cli_project.up().stdout
    assert f"info: Connect: endpoint {cli_project.service.url} (us-east-1)" in output, output


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
