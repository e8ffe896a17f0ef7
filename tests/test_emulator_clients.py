"""What clients other than the provider expect: ARNs in the region the request was signed for, and
a database that starts empty for clients that make their own instances."""

from __future__ import annotations

import boto3
from tests.test_emulator_cli import end, first_lines, launch

from connect_contact.launcher import PLACEHOLDER_CREDENTIALS


def test_an_instance_and_its_contacts_carry_the_region_the_request_was_signed_for(shared_connect_service):
    client = boto3.client("connect", endpoint_url=shared_connect_service.url, region_name="eu-west-2",
                          **PLACEHOLDER_CREDENTIALS)
    created = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                     OutboundCallsEnabled=True)
    assert created["Arn"] == f"arn:aws:connect:eu-west-2:123456789012:instance/{created['Id']}"
    contact = client.create_contact(InstanceId=created["Id"], Channel="TASK", InitiationMethod="API")
    assert contact["ContactArn"].startswith(f"arn:aws:connect:eu-west-2:123456789012:instance/{created['Id']}/contact/")


def test_a_database_can_start_without_the_default_instance(tmp_path):
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"), "--no-default-instance")
    try:
        url_line, instance_line, _ = first_lines(process)
        assert instance_line.strip() == "Instance none (--no-default-instance)"
        client = boto3.client("connect", endpoint_url=url_line.split()[-1], region_name="us-east-1",
                              **PLACEHOLDER_CREDENTIALS)
        assert client.list_instances()["InstanceSummaryList"] == []
        created = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                         OutboundCallsEnabled=True, InstanceAlias="mine")
        assert [summary["Id"] for summary in client.list_instances()["InstanceSummaryList"]] == [created["Id"]]
    finally:
        returncode, stderr = end(process)
    assert returncode == 0 and "Traceback" not in stderr
