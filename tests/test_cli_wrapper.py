"""`up` and `preview` through scripts/offline_pulumi.py keep the CLI's own rules: an update is
previewed and confirmed (or stopped, with no terminal to ask at) unless `--yes` or
`--skip-preview` is given; `--stack` names a stack that exists and leaves the selection as it was;
a flag the CLI's command does not have is refused, never dropped."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest
from tests.support.emulator_support import all_contacts
from tests.support.lifecycle import contact_calls

from scripts.offline_pulumi import CONFIRM, UNCONFIRMED

pytestmark = pytest.mark.timeout(900)

TASK = {"channel": "TASK", "initiation_method": "API", "name": "asked"}


def at_a_terminal(project, answer: str, *args: str) -> tuple[int, str]:
    """`pulumi <args>` with a terminal as its input, `answer` typed ahead: (exit status, output)."""
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode() + b"\n")
        result = subprocess.run(project.command(*args), cwd=project.directory, env=project.env, stdin=terminal,
                                capture_output=True, text=True, timeout=600)
    finally:
        os.close(terminal)
        os.close(controller)
    return result.returncode, result.stdout + result.stderr


def test_up_without_yes_and_no_terminal_stops_before_anything(cli_project):
    service = cli_project.service
    cli_project.init()
    cli_project.declare({"asked": TASK})
    service.reset_stats()
    result = cli_project.run("up", check=False)
    assert result.returncode == 1 and result.stderr.strip() == UNCONFIRMED, result.stdout + result.stderr
    assert contact_calls(service.stats()) == {}
    assert cli_project.contact_states() == {}


def test_up_at_a_terminal_is_previewed_and_applies_only_on_yes(cli_project):
    service = cli_project.service
    cli_project.init()
    cli_project.declare({"asked": TASK})

    status, output = at_a_terminal(cli_project, "no", "up")
    assert status == 1 and CONFIRM.strip() in output and "+ 2 to create" in output, output
    assert "confirmation declined" in output and cli_project.contact_states() == {}
    assert all_contacts(service.client(), service.instance_id) == []

    status, output = at_a_terminal(cli_project, "yes", "up")
    assert status == 0 and "+ 2 created" in output, output
    contact_id = cli_project.contact_states()["asked"]["contactId"]
    assert [found["Id"] for found in all_contacts(service.client(), service.instance_id)] == [contact_id]


def test_stack_names_a_stack_that_exists_and_leaves_the_selection_alone(cli_project):
    service = cli_project.service
    cli_project.init()
    cli_project.declare({"asked": TASK})

    missing = cli_project.run("preview", "--stack", "typo", check=False)
    assert missing.returncode == 1 and "error: no stack named 'typo' found" in missing.stderr, missing.stderr
    assert "typo" not in cli_project.run("stack", "ls").stdout

    cli_project.run("stack", "init", "other")
    cli_project.run("config", "set", "connect-contact:endpoint", service.url, "--stack", "other")
    cli_project.run("stack", "select", "dev")
    cli_project.run("preview", "--stack", "other", "--message", "checking other")
    cli_project.up("--stack", "other")
    assert cli_project.run("stack", "--show-name").stdout.strip() == "dev"
    assert cli_project.contact_states() == {}  # dev's state: the contact is other's
    assert len(all_contacts(service.client(), service.instance_id)) == 1


@pytest.mark.parametrize("args", [("up", "--yes", "--import-file", "import.json"), ("preview", "--yes")],
                         ids=["up --import-file", "preview --yes"])
def test_a_flag_the_command_does_not_have_is_refused(cli_project, args):
    cli_project.init()
    result = cli_project.run(*args, check=False)
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr, result.stderr
