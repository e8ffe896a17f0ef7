"""Secrets with the real Pulumi CLI: `name` and `description` (sensitive in Connect's model) and
the credentials the provider host runs with appear nowhere in plaintext in the stack's state or
in the CLI's output, and `stack output` masks them."""

from __future__ import annotations

import json

import pytest
from tests.support.cli_project import CliProject

from connect_contact_local.testing import LocalConnect

NAME = "Customer Jane Doe, card ending 4242"
DESCRIPTION = "Refund the duplicate charge of 2024-11-02 to Jane Doe"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLESECRET042", "AWS_SECRET_ACCESS_KEY": "never-in-state-or-output-9f8e7d"}
pytestmark = pytest.mark.timeout(900)


@pytest.fixture
def connect_service(tmp_path):
    """A local service that accepts the credentials the provider host runs with."""
    with LocalConnect(tmp_path / "connect.db", credentials={
            CREDENTIALS["AWS_ACCESS_KEY_ID"]: CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}) as service:
        yield service


def test_name_description_and_credentials_are_never_in_plaintext(tmp_path, pulumi_bin, connect_service):
    cli_project = CliProject(tmp_path / "project", pulumi_bin, connect_service, env=CREDENTIALS)
    cli_project.init()
    cli_project.declare({"refund": {"channel": "TASK", "initiation_method": "API", "name": NAME,
                                    "description": DESCRIPTION, "attributes": {"order": "1042"}}})
    shown = [cli_project.run("preview", "--diff"), cli_project.up(), cli_project.run("refresh", "--yes", "--diff")]

    state = json.dumps(cli_project.export())
    secrets = (NAME, DESCRIPTION, *CREDENTIALS.values())
    for secret in secrets:
        assert secret not in state
        for result in shown:
            assert secret not in result.stdout + result.stderr
    # the values are there, encrypted: Connect has them, and the stack gives them back on request
    [resource] = [resource for resource in cli_project.export()["deployment"]["resources"]
                  if resource["urn"].endswith("::refund")]
    for section in ("inputs", "outputs"):
        for key in ("name", "description"):
            assert resource[section][key]["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"
    contact = cli_project.service.client().describe_contact(InstanceId=cli_project.service.instance_id,
                                                            ContactId=resource["outputs"]["contactId"])["Contact"]
    assert (contact["Name"], contact["Description"]) == (NAME, DESCRIPTION)
    assert cli_project.outputs()["refundName"] == NAME

    masked = cli_project.run("stack", "output").stdout
    assert "refundName" in masked and "[secret]" in masked and NAME not in masked
    assert cli_project.outputs(show_secrets=False)["refundName"] == "[secret]"
