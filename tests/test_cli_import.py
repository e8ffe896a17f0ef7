"""Bringing an existing contact under a stack, with the real Pulumi CLI.

The `import_` resource option reaches the provider host without the serialised provider: the
engine's import Read carries no inputs, and Pulumi's dynamic-provider host cannot find which
provider to run (pulumi/pulumi#16175). This test pins that engine behaviour, so the README's
account of it is noticed when a Pulumi release changes it.
"""

from __future__ import annotations

import pytest
from cli_project import PROGRAM, CliProject

pytestmark = pytest.mark.timeout(900)

IMPORTING_PROGRAM = PROGRAM.replace(
    "    contact = Contact(name, **args)",
    "    contact = Contact(name, **{k: v for k, v in args.items() if k != 'import'},\n"
    "                      opts=pulumi.ResourceOptions(import_=args.get('import')))")


def test_import_resource_option_is_refused_by_the_dynamic_provider_host(tmp_path, pulumi_bin, connect_service):
    project = CliProject(tmp_path / "project", pulumi_bin, connect_service, program=IMPORTING_PROGRAM)
    project.init()
    client, instance = connect_service.client(), connect_service.instance_id
    existing = client.create_contact(InstanceId=instance, Channel="TASK", InitiationMethod="API",
                                     Name="made elsewhere")["ContactId"]
    project.declare({"adopted": {"channel": "TASK", "initiation_method": "API", "name": "made elsewhere",
                                 "import": f"{instance}:{existing}"}})

    result = project.up(check=False)

    assert result.returncode != 0
    assert "KeyError: '__provider'" in result.stdout + result.stderr
    assert project.contact_states() == {}
