"""Harness of the real-CLI tests: a Pulumi project in a temporary folder, run by the real Pulumi
CLI in the project's offline environment (scripts/offline_pulumi.py) against a local Connect
service the test starts.

The project's program declares one `Contact` per entry of `contacts.json` beside it, so a test
edits the program between two runs by rewriting that file (`CliProject.declare`). Each contact
exports its ID, ARN and name (`<name>Id`, `<name>Arn`, `<name>Name`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional

from scripts.offline_pulumi import backend_dir

from .emulator_support import LOCAL_CREDENTIALS, all_contacts
from .host import REPO_ROOT

RUNNER = REPO_ROOT / "scripts" / "offline_pulumi.py"
PROJECT = "contact-cli-test"
STACK = "dev"
COMMAND_TIMEOUT = 600
CONTACT_TYPE = "pulumi-python:dynamic/connect:Contact"

PROJECT_YAML = f"""name: {PROJECT}
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: {json.dumps(sys.prefix)}
"""

PROGRAM = '''\
import json

import pulumi

from connect_contact import Contact

for name, args in json.load(open("contacts.json")).items():
    contact = Contact(name, **args)
    pulumi.export(f"{name}Id", contact.contact_id)
    pulumi.export(f"{name}Arn", contact.contact_arn)
    pulumi.export(f"{name}Name", contact.name)
'''

AWS_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                 "AWS_ENDPOINT_URL_CONNECT", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")


class CommandFailed(AssertionError):
    pass


def cli_environment(extra: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """This process's environment, with placeholder credentials for the local service and no
    AWS profile or endpoint of the machine's own."""
    env = {name: value for name, value in os.environ.items() if name not in AWS_VARIABLES}
    env.update(LOCAL_CREDENTIALS)
    env.update({"AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
    env.update(extra or {})
    return env


class CliCommands:
    """`pulumi` commands in a project folder (`directory`), in `env`; `command(*args)` is the command
    line that runs `pulumi <args>`."""

    directory: Path
    env: dict[str, str]

    def command(self, *args: str) -> list[str]:
        raise NotImplementedError

    def run(self, *args: str, check: bool = True, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
        """`pulumi <args>` to the end; with `check`, a failure fails the test with the CLI's output."""
        result = subprocess.run(self.command(*args), cwd=self.directory, env=self.env, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise CommandFailed(f"`pulumi {' '.join(args)}` exited with {result.returncode}\n"
                                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
        return result

    def start(self, *args: str, log: Path) -> subprocess.Popen:
        """`pulumi <args>` in the background, in a process group of its own (so a test can signal
        the CLI and the provider processes together, as a terminal would)."""
        with open(log, "wb") as output:
            return subprocess.Popen(self.command(*args), cwd=self.directory, env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


class CliProject(CliCommands):
    """A project folder with its own file backend, and the real CLI to run on it."""

    def __init__(self, directory: Path, pulumi_bin: Path, service, *, program: Optional[str] = PROGRAM,
                 project_yaml: Optional[str] = PROJECT_YAML, env: Optional[Mapping[str, str]] = None):
        """`program` and `project_yaml` are written into the folder; None keeps the files there."""
        self.directory = directory
        self.pulumi_bin = pulumi_bin
        self.service = service
        self.env = cli_environment(env)
        directory.mkdir(parents=True, exist_ok=True)
        if project_yaml is not None:
            (directory / "Pulumi.yaml").write_text(project_yaml)
        if program is not None:
            (directory / "__main__.py").write_text(program)

    # -- the program

    def declare(self, contacts: Mapping[str, Mapping[str, Any]]) -> None:
        """The contacts the program declares: resource name -> Contact arguments (the instance
        is the local service's unless given)."""
        declared = {name: {"instance_id": self.service.instance_id, **args} for name, args in contacts.items()}
        (self.directory / "contacts.json").write_text(json.dumps(declared, indent=2))

    # -- the CLI

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(RUNNER), "--pulumi-bin", str(self.pulumi_bin), "-C", str(self.directory),
                *args]

    def init(self, *, endpoint: Optional[str] = None, config: Optional[Mapping[str, str]] = None) -> None:
        """Stack `dev` on the project's file backend, its endpoint the test's local service."""
        self.run("stack", "init", STACK)
        self.run("config", "set", "connect-contact:endpoint", endpoint or self.service.url)
        for key, value in (config or {}).items():
            self.run("config", "set", key, value)

    def up(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.run("up", "--yes", *args, **kwargs)

    def outputs(self, *, show_secrets: bool = True) -> dict[str, Any]:
        args = ["stack", "output", "--json"] + (["--show-secrets"] if show_secrets else [])
        return json.loads(self.run(*args).stdout)

    def export(self) -> dict[str, Any]:
        return json.loads(self.run("stack", "export").stdout)

    def contact_states(self) -> dict[str, dict]:
        """The contacts in the stack's state: resource name -> outputs."""
        resources = self.export()["deployment"].get("resources") or []
        return {resource["urn"].rsplit("::", 1)[1]: resource.get("outputs", {})
                for resource in resources if resource["type"] == CONTACT_TYPE}

    def stop_strays(self) -> None:
        stop_strays(self.backend_url)

    @property
    def backend_url(self) -> str:
        return backend_dir(self.directory).as_uri()

    def pending_operations(self) -> list[dict]:
        return self.export()["deployment"].get("pending_operations") or []


def stop_strays(backend_url: str) -> None:
    """End the provider hosts a killed CLI on `backend_url` left behind: the engine starts each plugin
    in a process group of its own, so a signal to the CLI's group does not reach them."""
    backend = f"PULUMI_BACKEND_URL={backend_url}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if backend in (entry / "environ").read_bytes().split(b"\0"):
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def converge(project: CliProject, attempts: int = 5) -> list[subprocess.CompletedProcess]:
    """`pulumi up` until it succeeds, doing what the engine asks about an interrupted update on the
    way: `pulumi cancel` for the lock a killed CLI left, and, when it warns of pending operations
    from the interrupted update, `pulumi refresh --clear-pending-creates` once `up` has made every
    contact (the creates it re-ran found their contacts by client token). Returns every command's
    result; fails after `attempts` ups."""
    results = []
    for _ in range(attempts):
        result = project.up(check=False)
        results.append(result)
        text = result.stdout + result.stderr
        if "currently locked" in text:
            results.append(project.run("cancel", "--yes"))
            continue
        if "pending operations" in text and result.returncode == 0:
            results.append(project.run("refresh", "--yes", "--clear-pending-creates"))
        if result.returncode == 0:
            return results
    raise CommandFailed(f"`pulumi up` did not succeed in {attempts} attempts; last output:\n"
                        + results[-1].stdout + results[-1].stderr)


def wait_for(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def contacts_by_name(client, instance_id: str) -> dict[str, list[dict]]:
    """The instance's contacts grouped by name (DescribeContact, since searches do not return names)."""
    grouped: dict[str, list[dict]] = {}
    for summary in all_contacts(client, instance_id):
        contact = client.describe_contact(InstanceId=instance_id, ContactId=summary["Id"])["Contact"]
        grouped.setdefault(contact.get("Name", ""), []).append(contact)
    return grouped


def is_live(contact: Mapping[str, Any]) -> bool:
    return "DisconnectTimestamp" not in contact


def names(prefix: str, count: int) -> Iterable[str]:
    return (f"{prefix}{index:03d}" for index in range(count))

