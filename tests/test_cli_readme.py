"""The README's own-program example, run as the README says: the program as written, on the local
Connect service, its instance ID from `python -m connect_contact.local_instance`, by the real CLI."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from tests.support.cli_project import CliProject
from tests.support.emulator_support import end_local_service
from tests.support.readme import code_blocks

pytestmark = pytest.mark.timeout(900)

HEADING = "## Using it in your own program"
COMMANDS = ["pulumi config set connect-contact:endpoint local",
            'pulumi config set instanceId "$(python -m connect_contact.local_instance)"',
            "pulumi up"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_readme_names_these_commands():
    shell = code_blocks(HEADING, "sh")
    assert [line.strip() for line in shell[1].strip().splitlines()] == COMMANDS
    # without pulumi-aws first: with it installed, Pulumi's language host asks for the aws plugin
    assert shell[0].splitlines()[1].startswith("pip install ./connect-contact ")
    assert 'pip install "./connect-contact[aws]"' in shell[0]


def test_the_readme_program_runs_on_the_local_service_as_written(tmp_path, pulumi_bin):
    [program] = code_blocks(HEADING, "python")
    port = free_port()  # a port of the test's own, not the default one other runs may hold
    project = CliProject(tmp_path / "project", pulumi_bin, None, program=program,
                         env={"CONNECT_CONTACT_LOCAL_PORT": str(port)})
    instance = subprocess.run([sys.executable, "-m", "connect_contact.local_instance"], cwd=project.directory,
                              env=project.env, capture_output=True, text=True, timeout=60)
    try:
        assert instance.returncode == 0, instance.stderr
        instance_id = instance.stdout.strip()
        project.init(endpoint="local", config={"instanceId": instance_id})

        project.up()

        outputs = project.outputs()
        assert outputs["contactArn"] == (f"arn:aws:connect:us-east-1:123456789012:instance/{instance_id}"
                                         f"/contact/{outputs['contactId']}")
    finally:
        end_local_service(project.directory)
