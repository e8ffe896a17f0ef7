"""The Pulumi YAML example (examples/yaml) exactly as the README runs it: its commands, word for word,
in a copy of the repository's tracked files, with the virtualenv and the CLI folder of this test run
in the places the README's set-up makes them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.cli_project import AWS_VARIABLES
from tests.support.emulator_support import end_local_service
from tests.support.readme import code_blocks
from tests.test_cli_example import fresh_checkout

pytestmark = pytest.mark.timeout(900)
HEADING = "### Pulumi YAML"


def test_the_yaml_example_runs_as_the_readme_says(tmp_path, pulumi_bin):
    [commands] = code_blocks(HEADING, "sh")
    checkout = fresh_checkout(tmp_path / "connect-contact")
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    (checkout / ".pulumi-cli").mkdir()
    (checkout / ".pulumi-cli" / "bin").symlink_to(pulumi_bin)
    env = {name: value for name, value in os.environ.items() if name not in AWS_VARIABLES}
    env.update({"PULUMI_HOME": str(tmp_path / "pulumi-home"), "PULUMI_SKIP_UPDATE_CHECK": "true"})
    try:
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", commands], cwd=checkout, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        output = result.stdout
        assert "+ 3 to create" in output, output  # the preview: the stack and two contacts
        assert "+ 3 created" in output, output
        outputs = output[output.rindex("Outputs:"):]
        instance = (checkout / "examples" / "yaml" / "Pulumi.dev.yaml").read_text()
        [instance_id] = re.findall(r"instanceId: (\S+)", instance)
        for name in ("escalation", "followUp"):
            [contact_id] = re.findall(rf'{name}ContactId\s*: "([^"]+)"', outputs)
            arn = f"arn:aws:connect:us-east-1:123456789012:instance/{instance_id}/contact/{contact_id}"
            assert re.search(rf'{name}ContactArn\s*: "{re.escape(arn)}"', outputs), outputs
    finally:
        end_local_service(checkout / "examples" / "yaml")
