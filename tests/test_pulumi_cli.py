"""The example stack under the real Pulumi CLI, against a local Connect service the test starts.

Skipped when `pulumi` is not on PATH. What it sets up:

* A temporary copy of the project: `__main__.py`, the `connect_contact` package next to
  it (so both the program and the dynamic-provider host, which runs with the project
  directory as its working directory, import it as a user's project would), and a
  `Pulumi.yaml` that is the repository's with `virtualenv:` pointing at the virtualenv
  running the tests (`sys.prefix`, an absolute path). The CLI then runs the program
  and the provider with this interpreter and installs nothing. Outside a virtualenv
  the option is dropped and `PULUMI_PYTHON_CMD` names this interpreter instead.
* A local file backend in the temporary directory (`PULUMI_BACKEND_URL=file://...`)
  and an empty passphrase (`PULUMI_CONFIG_PASSPHRASE=""`), so no Pulumi Cloud login.
  `PULUMI_HOME` is left alone: pulumi-aws is installed in the virtualenv, so the CLI
  wants its plugin, and the user's plugin cache spares a download on every run (the
  first run may still fetch it).
* Stack config: `connect-contact:endpoint` = the local service's URL,
  `connect-contact-example:instanceId` = its instance, `aws:region` = us-east-1, and
  dummy AWS credentials in the environment.

Every command runs with `--non-interactive` and `--stack`; the mutating ones with `--yes`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PULUMI = shutil.which("pulumi")
if PULUMI is None:
    pytest.skip("the Pulumi CLI is not on PATH; install it to run this test", allow_module_level=True)

from emulator_support import all_contacts
from lifecycle import contact_calls

from connect_contact.testing import local_connect

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = "connect-contact-example"
STACK = "dev"
COMMAND_TIMEOUT = 300
CONTACT_URNS = [f"urn:pulumi:{STACK}::{PROJECT}::pulumi-python:dynamic/connect:Contact::{name}"
                for name in ("escalation", "follow-up-email")]
EXPORTS = ("escalationContactId", "escalationContactArn", "followUpContactId", "followUpContactArn")


def project_yaml() -> str:
    """The repository's Pulumi.yaml, running the program with the interpreter of this test run."""
    text = (REPO_ROOT / "Pulumi.yaml").read_text()
    assert "    virtualenv: .venv\n" in text, "Pulumi.yaml changed shape; update this test"
    if sys.prefix != sys.base_prefix:
        return text.replace("    virtualenv: .venv\n", f"    virtualenv: {json.dumps(sys.prefix)}\n")
    return text.replace("    virtualenv: .venv\n", "")


@pytest.fixture
def project(tmp_path) -> Path:
    directory = tmp_path / "project"
    directory.mkdir()
    shutil.copy(REPO_ROOT / "__main__.py", directory / "__main__.py")
    shutil.copytree(REPO_ROOT / "connect_contact", directory / "connect_contact",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (directory / "Pulumi.yaml").write_text(project_yaml())
    return directory


@pytest.fixture
def service(tmp_path):
    with local_connect(tmp_path / "connect" / "connect.db") as service:
        yield service


@pytest.fixture
def pulumi(project, tmp_path):
    """Run `pulumi <args>` in the project on the local backend; fail with its output if it fails."""
    state = tmp_path / "state"
    state.mkdir()
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": state.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing-secret-key",
        "AWS_REGION": "us-east-1",
    }
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CONNECT",
                 "PULUMI_ACCESS_TOKEN"):
        env.pop(name, None)
    if sys.prefix == sys.base_prefix:
        env["PULUMI_PYTHON_CMD"] = sys.executable

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([PULUMI, *args, "--non-interactive"], check=False, cwd=project, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        if result.returncode != 0:
            pytest.fail(f"`pulumi {' '.join(args)}` exited with {result.returncode}\n"
                        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
        return result

    return run


def describe(client, instance_id: str, contact_id: str) -> dict:
    return client.describe_contact(InstanceId=instance_id, ContactId=contact_id)["Contact"]


@pytest.mark.timeout(1200)
def test_example_stack_through_the_pulumi_cli(pulumi, service):
    client = service.client()
    instance_id = service.instance_id
    pulumi("stack", "init", STACK)
    pulumi("config", "set", "connect-contact:endpoint", service.url, "--stack", STACK)
    pulumi("config", "set", "connect-contact-example:instanceId", instance_id, "--stack", STACK)
    pulumi("config", "set", "aws:region", "us-east-1", "--stack", STACK)

    # preview: both contacts planned, nothing written to Connect
    preview = pulumi("preview", "--diff", "--stack", STACK)
    for urn in CONTACT_URNS:
        assert urn in preview.stdout
    assert all_contacts(client, instance_id) == []
    assert "CreateContact" not in contact_calls(service.stats())

    # up: exactly two contacts, the follow-up related to the escalation
    pulumi("up", "--yes", "--skip-preview", "--stack", STACK)
    outputs = json.loads(pulumi("stack", "output", "--json", "--stack", STACK).stdout)
    assert set(EXPORTS) <= set(outputs)
    escalation_id, follow_up_id = outputs["escalationContactId"], outputs["followUpContactId"]
    assert outputs["escalationContactArn"].endswith(f"instance/{instance_id}/contact/{escalation_id}")
    assert outputs["followUpContactArn"].endswith(f"instance/{instance_id}/contact/{follow_up_id}")
    contacts = all_contacts(client, instance_id)
    assert sorted(found["Id"] for found in contacts) == sorted([escalation_id, follow_up_id])
    assert contact_calls(service.stats())["CreateContact"] == 2
    assert describe(client, instance_id, follow_up_id)["RelatedContactId"] == escalation_id

    # nothing changed: a second preview plans no change
    pulumi("preview", "--expect-no-changes", "--stack", STACK)

    # refresh: both contacts read back, still the only two, still live
    pulumi("refresh", "--yes", "--skip-preview", "--stack", STACK)
    assert len(all_contacts(client, instance_id)) == 2
    for contact_id in (escalation_id, follow_up_id):
        assert "DisconnectTimestamp" not in describe(client, instance_id, contact_id)

    # destroy: both contacts ended (Connect keeps them)
    pulumi("destroy", "--yes", "--skip-preview", "--stack", STACK)
    assert len(all_contacts(client, instance_id)) == 2
    for contact_id in (escalation_id, follow_up_id):
        assert "DisconnectTimestamp" in describe(client, instance_id, contact_id)
