"""An explicit provider of the plugin (`pulumi:providers:connect-contact`), through the plain CLI on a
Pulumi YAML program: one program sends one contact to the stack's endpoint (the default provider's
`connect-contact:endpoint`) and another, through an explicit provider with its own `endpoint` and
`region`, to a second Connect endpoint, as pulumi-aws users do with two regions.
"""

from __future__ import annotations

import pytest
from tests.support.emulator_support import all_contacts
from tests.support.yaml_project import YamlProject, program

from connect_contact_local.testing import LocalConnect

pytestmark = pytest.mark.timeout(900)
TASK = {"channel": "TASK", "initiationMethod": "API"}


@pytest.fixture
def second_service(tmp_path):
    service = LocalConnect(tmp_path / "second" / "connect.db")
    service.start()
    yield service
    service.close()


def test_an_explicit_provider_sends_its_contacts_to_its_own_endpoint_and_region(tmp_path, pulumi_bin,
                                                                                 connect_service, second_service):
    project = YamlProject(tmp_path / "project", pulumi_bin, connect_service)
    project.write(program({
        "london": {"type": "pulumi:providers:connect-contact",
                   "properties": {"endpoint": second_service.url, "region": "eu-west-2"}},
        "home": {"type": "connect-contact:index:Contact",
                 "properties": {"instanceId": connect_service.instance_id, "name": "At home", **TASK}},
        "away": {"type": "connect-contact:index:Contact",
                 "properties": {"instanceId": second_service.instance_id, "name": "Away", **TASK},
                 "options": {"provider": "${london}"}},
    }))
    project.init()
    output = project.up().stdout
    states = project.contact_states()
    home = [item["Id"] for item in all_contacts(connect_service.client(), connect_service.instance_id)]
    away = [item["Id"] for item in all_contacts(second_service.client(), second_service.instance_id)]
    assert home == [states["home"]["contactId"]] and away == [states["away"]["contactId"]]
    # Where each provider's contacts go, in its own info line (the local service's ARNs name its own region).
    assert f"Connect: endpoint {second_service.url} (eu-west-2)" in output, output
    assert f"Connect: endpoint {connect_service.url} (us-east-1)" in output, output
    providers = [resource for resource in project.export()["deployment"]["resources"]
                 if resource["type"] == "pulumi:providers:connect-contact"]
    assert {resource["urn"].rsplit("::", 1)[1]: resource["inputs"].get("region") for resource in providers} == {
        "london": "eu-west-2", "default": None}
    project.run("destroy", "--yes")
    for service, contact_id in ((connect_service, states["home"]["contactId"]),
                                (second_service, states["away"]["contactId"])):
        described = service.client().describe_contact(InstanceId=service.instance_id, ContactId=contact_id)
        assert "DisconnectTimestamp" in described["Contact"]
