"""How the engine finds and configures the plugin, through the plain CLI on Pulumi YAML programs: an
explicit provider (`pulumi:providers:connect-contact`) sending its contacts to its own endpoint and
region beside the default provider's, as pulumi-aws users do with two regions; the plugin named in
`Pulumi.yaml` (`plugins: providers:`); and the packaged plugin installed with `pulumi plugin install
--file`, each with the plugin's folder not on PATH.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.support.emulator_support import all_contacts
from tests.support.yaml_project import YamlProject, program

from connect_contact_local.testing import local_connect

pytestmark = pytest.mark.timeout(900)
REPO_ROOT = Path(__file__).resolve().parent.parent
TASK = {"channel": "TASK", "initiationMethod": "API"}


@pytest.fixture
def second_service(tmp_path):
    with local_connect(tmp_path / "second" / "connect.db", region="eu-west-2") as service:
        yield service


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
    # Where each provider's contacts go, in its own info line.
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


def _without_the_plugin_on_path(pulumi_bin) -> dict[str, str]:
    """A PATH with the CLI and the YAML host but not the folder the package installed the plugin in."""
    plugin_dir = str(Path(sys.executable).parent)
    kept = [entry for entry in os.environ.get("PATH", "").split(os.pathsep) if entry and entry != plugin_dir]
    return {"PATH": os.pathsep.join([str(pulumi_bin), *kept])}


def test_the_plugin_named_in_pulumi_yaml_is_used_with_no_ambient_warning(tmp_path, pulumi_bin, connect_service):
    project = YamlProject(tmp_path / "project", pulumi_bin, connect_service)
    project.env.update(_without_the_plugin_on_path(pulumi_bin))
    project.write({**program({"task": project.contact(name="Named", **TASK)}),
                   "plugins": {"providers": [{"name": "connect-contact", "path": str(Path(sys.executable).parent)}]}})
    project.init()
    output = project.up().stdout
    assert "+ 2 created" in output and "from $PATH" not in output, output
    assert project.contact_states()["task"]["contactId"]


def test_the_packaged_plugin_installs_from_its_archive_and_runs(tmp_path, pulumi_bin, connect_service):
    archive = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "package-plugin"), str(tmp_path / "dist")],
                             check=True, capture_output=True, text=True).stdout.strip()
    version = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]
    project = YamlProject(tmp_path / "project", pulumi_bin, connect_service)
    project.env.update({**_without_the_plugin_on_path(pulumi_bin), "CONNECT_CONTACT_PYTHON": sys.executable})
    project.run("plugin", "install", "resource", "connect-contact", version, "--file", archive)
    project.write(program({"task": project.contact(name="Packaged", **TASK)}))
    project.init()
    output = project.up().stdout
    assert "+ 2 created" in output and "from $PATH" not in output, output
    installed = project.run("plugin", "ls").stdout
    assert re.search(rf"^connect-contact\s+resource\s+{re.escape(version)}\s", installed, re.M), installed
