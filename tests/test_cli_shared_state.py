"""A team sharing one stack, with the real Pulumi CLI: state in Pulumi's DIY backend on a real
S3-compatible server (MinIO on loopback, tests/support/s3_server.py), a passphrase secrets
provider, and two checkouts of the project, each with its own Pulumi home, as two teammates'
machines would have.

The backend and the provider sign with different credentials: the CLI's environment holds the
Connect credentials (AWS_ACCESS_KEY_ID, ...), and the login URL names an AWS profile
(`profile=state`) in AWS_SHARED_CREDENTIALS_FILE that holds the S3 server's keys. An explicit
profile wins over the AWS_* variables in the backend's AWS SDK, and boto3 in the provider reads
a profile only when one is named, so neither picks up the other's keys.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
from pathlib import Path

import pytest
from tests.support.cli_project import PROJECT, STACK, CliProject, contacts_by_name, is_live, wait_for
from tests.support.emulator_support import end_local_service

from connect_contact import local
from connect_contact_local.testing import LocalConnect

pytestmark = pytest.mark.timeout(1800)

STATE_PROFILE = "state"
LOCK_PREFIX = f".pulumi/locks/organization/{PROJECT}/{STACK}/"
STATE_KEY = f".pulumi/stacks/{PROJECT}/{STACK}.json"
LOCK_ERROR = ("the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or "
              "delete the lock file with `pulumi cancel`.")
"""The DIY backend's refusal of a second update while one holds the stack's lock (backend/diy/lock.go)."""
CHECKED_IN = ("Pulumi.yaml", "__main__.py", "contacts.json", f"Pulumi.{STACK}.yaml")
"""The project's files a teammate's clone of the repository has: the program, what it declares, and
the stack's config (its endpoint, and the passphrase provider's salt)."""

ESCALATION = {"channel": "TASK", "initiation_method": "API", "name": "Escalation for Jane Doe, order 1042",
              "description": "Call back Jane Doe about the refund of order 1042"}
FOLLOW_UP = {"channel": "TASK", "initiation_method": "API", "name": "Follow-up for Jane Doe, order 1042",
             "description": "Check that Jane Doe's refund of order 1042 arrived"}
SURVEY = {"channel": "TASK", "initiation_method": "API", "name": "Survey for Jane Doe, order 1042"}
LOCK_WAIT = 600.0
"""An upper bound for the first checkout's update to take the lock on a busy machine."""


class Team:
    """The shared pieces: one bucket, one passphrase, one credentials file with the state profile."""

    def __init__(self, tmp_path: Path, s3_server, pulumi_bin: Path):
        self.tmp_path, self.s3, self.pulumi_bin = tmp_path, s3_server, pulumi_bin
        self.bucket = s3_server.create_bucket("state-" + secrets.token_hex(6))
        self.passphrase = secrets.token_urlsafe(16)
        self.credentials_file = s3_server.write_credentials_file(tmp_path / "aws-credentials", STATE_PROFILE)
        (tmp_path / "aws-config").write_text("")
        self.backend_url = s3_server.backend_url(self.bucket, profile=STATE_PROFILE)

    def environment(self) -> dict[str, str]:
        return {"PULUMI_CONFIG_PASSPHRASE": self.passphrase, "AWS_SHARED_CREDENTIALS_FILE": str(self.credentials_file),
                "AWS_CONFIG_FILE": str(self.tmp_path / "aws-config")}

    def checkout(self, name: str, service, *, clone_of: CliProject | None = None) -> CliProject:
        """A teammate's checkout, logged in to the shared backend; a clone of another's files if given."""
        project = CliProject(self.tmp_path / name, self.pulumi_bin, service, env=self.environment())
        if clone_of is not None:
            for file in CHECKED_IN:
                shutil.copy(clone_of.directory / file, project.directory / file)
        login = project.run("login", self.backend_url)
        assert "Logged in to" in login.stdout and f"s3://{self.bucket}" in login.stdout, login.stdout
        return project

    def state_object(self) -> bytes:
        return self.s3.read(self.bucket, STATE_KEY)

    def locks(self) -> list[str]:
        return self.s3.objects(self.bucket, LOCK_PREFIX)


@pytest.fixture
def team(tmp_path, s3_server, pulumi_bin) -> Team:
    return Team(tmp_path, s3_server, pulumi_bin)


def first_checkout(team: Team, service, contacts: dict) -> CliProject:
    """The checkout that creates the stack: passphrase secrets, the shared Connect endpoint."""
    project = team.checkout("alice", service)
    project.run("stack", "init", STACK, "--secrets-provider", "passphrase")
    project.run("config", "set", "connect-contact:endpoint", service.url)
    project.declare(contacts)
    return project


STATE_FIELDS = ("urn", "type", "id", "inputs", "outputs", "parent", "dependencies", "provider")
"""What a resource's state says (its secrets decrypted, since each write encrypts them anew), and
not when it was last written."""


def resources(project: CliProject) -> list[dict]:
    """The stack's resources as `stack export --show-secrets` gives them, in STATE_FIELDS."""
    deployment = json.loads(project.run("stack", "export", "--show-secrets").stdout)["deployment"]
    return [{key: resource.get(key) for key in STATE_FIELDS} for resource in deployment["resources"]]


def without_outputs(resource: dict) -> dict:
    return {key: value for key, value in resource.items() if key != "outputs"}


def assert_exactly_live(client, instance_id: str, declared: dict, states: dict) -> None:
    """Each declared contact is in Connect exactly once, live, and is the contact the state names."""
    grouped = contacts_by_name(client, instance_id)
    assert sorted(grouped) == sorted(args["name"] for args in declared.values())
    for resource_name, args in declared.items():
        [contact] = grouped[args["name"]]
        assert is_live(contact)
        assert states[resource_name]["contactId"] == contact["Id"]


def test_the_backend_signs_with_its_profile_not_the_connect_credentials(team, connect_service):
    """The CLI's AWS_* variables hold the Connect credentials, which the S3 server refuses: a login
    URL without the profile fails, and with it succeeds (as every other test here does)."""
    project = CliProject(team.tmp_path / "alice", team.pulumi_bin, connect_service, env=team.environment())
    refused = project.run("login", team.s3.backend_url(team.bucket), check=False)
    assert refused.returncode != 0
    assert "InvalidAccessKeyId" in refused.stdout + refused.stderr, refused.stdout + refused.stderr
    assert "Logged in to" in project.run("login", team.backend_url).stdout


def test_a_teammate_sees_the_contacts_another_checkout_made(team, connect_service):
    declared = {"escalation": ESCALATION, "followUp": FOLLOW_UP}
    alice = first_checkout(team, connect_service, declared)
    alice.up()
    bob = team.checkout("bob", connect_service, clone_of=alice)
    bob.run("stack", "select", STACK)

    assert bob.outputs() == alice.outputs()
    assert {name: bob.outputs()[f"{name}Name"] for name in declared} == {
        name: args["name"] for name, args in declared.items()}
    assert resources(bob) == resources(alice)
    assert_exactly_live(connect_service.client(), connect_service.instance_id, declared, bob.contact_states())

    # Bob's update of the same program changes nothing and makes no contact.
    connect_service.reset_stats()
    bob.up("--expect-no-changes")
    assert connect_service.stats()["requests"].get("CreateContact", 0) == 0
    assert_exactly_live(connect_service.client(), connect_service.instance_id, declared, bob.contact_states())

    # The state object in the bucket holds the secrets encrypted with the team's passphrase, and no
    # object there (state, its backups, the update history) holds them in plaintext.
    keys = team.s3.objects(team.bucket)
    assert STATE_KEY in keys
    for key in keys:
        content = team.s3.read(team.bucket, key)
        for args in declared.values():
            for secret in (args["name"], args["description"]):
                assert secret.encode() not in content, key
    assert json.loads(team.state_object())["checkpoint"]["latest"]["secrets_providers"]["type"] == "passphrase"
    wrong = CliProject(bob.directory, team.pulumi_bin, connect_service,
                       env={**team.environment(), "PULUMI_CONFIG_PASSPHRASE": "not the team's passphrase"},
                       program=None, project_yaml=None)
    refused = wrong.run("stack", "output", "--show-secrets", check=False)
    assert refused.returncode != 0 and "incorrect passphrase" in refused.stdout + refused.stderr


def test_a_second_concurrent_up_is_refused_by_the_lock_and_nothing_is_lost(team, connect_service, tmp_path):
    first = {"escalation": ESCALATION, "followUp": FOLLOW_UP}
    alice = first_checkout(team, connect_service, first)
    bob = team.checkout("bob", connect_service, clone_of=alice)
    bob.run("stack", "select", STACK)
    both = {**first, "survey": SURVEY}  # Bob pulled Alice's program and added a contact
    bob.declare(both)

    # Alice's update holds the lock for as long as the Connect service is stopped: it cannot
    # create a contact before the service runs again.
    connect_service_process = connect_service.pid
    alice_update = None
    try:
        os.kill(connect_service_process, signal.SIGSTOP)
        alice_update = alice.start("up", "--yes", log=tmp_path / "alice-up.log")
        wait_for(lambda: lock_holder(team) is not None or alice_update.poll() is not None, LOCK_WAIT,
                 "Alice's update to take the stack's lock")
        assert alice_update.poll() is None, (tmp_path / "alice-up.log").read_text()
        assert os.getpgid(lock_holder(team)) == alice_update.pid  # the lock is Alice's CLI's

        refused = bob.up(check=False)
    finally:
        os.kill(connect_service_process, signal.SIGCONT)
        if alice_update is not None:
            alice_update.wait(timeout=900)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert LOCK_ERROR in output, output
    assert f"s3://{team.bucket}/{LOCK_PREFIX}" in output
    assert alice_update.returncode == 0, (tmp_path / "alice-up.log").read_text()
    assert team.locks() == []
    assert_exactly_live(connect_service.client(), connect_service.instance_id, first, alice.contact_states())

    # Bob's update, once the lock is free, adds his contact and nothing else.
    connect_service.reset_stats()
    bob.up()
    assert connect_service.stats()["requests"].get("CreateContact", 0) == 1
    assert_exactly_live(connect_service.client(), connect_service.instance_id, both, bob.contact_states())
    assert bob.pending_operations() == []
    assert resources(alice) == resources(bob)
    assert bob.outputs()["surveyName"] == SURVEY["name"]


def test_refresh_reads_where_the_last_update_wrote_whatever_a_checkouts_config_says(team, connect_service, tmp_path):
    """Bob points his checkout's config at his own local Connect service: `refresh` runs no program,
    so it uses the provider configuration the stack's last update recorded (Alice's endpoint), and
    keeps every contact."""
    declared = {"escalation": ESCALATION, "followUp": FOLLOW_UP}
    alice = first_checkout(team, connect_service, declared)
    alice.up()
    with LocalConnect(tmp_path / "bob-connect.db") as own_service:
        assert own_service.instance_id != connect_service.instance_id
        bob = team.checkout("bob", own_service, clone_of=alice)
        bob.run("stack", "select", STACK)
        bob.run("config", "set", "connect-contact:endpoint", own_service.url)
        before = resources(bob)

        output = bob.run("refresh", "--yes").stdout
        assert f"info: Connect: endpoint {connect_service.url} (us-east-1)" in output, output
        assert own_service.stats()["total"]["requests"] == 0
        # The same resources with the same inputs; outputs are what Connect says now.
        assert [without_outputs(resource) for resource in resources(bob)] == list(map(without_outputs, before))
    assert_exactly_live(connect_service.client(), connect_service.instance_id, declared, alice.contact_states())


def test_a_teammates_refresh_against_his_own_local_service_keeps_every_contact(team, connect_service):
    """The stack's endpoint is `local`, the project's own local service: in Bob's checkout that is a
    service of his own, where the stack's instance does not exist. His `refresh` fails in one line
    naming the instance, the endpoint and the region, and neither the state nor any contact changes."""
    alice = team.checkout("alice", connect_service)
    try:
        alice_service = local.ensure_running(alice.directory)
        alice.run("stack", "init", STACK, "--secrets-provider", "passphrase")
        alice.run("config", "set", "connect-contact:endpoint", "local")
        declared = {"escalation": {**ESCALATION, "instance_id": alice_service.instance_id},
                    "followUp": {**FOLLOW_UP, "instance_id": alice_service.instance_id}}
        alice.declare(declared)
        alice.up()
        bob = team.checkout("bob", connect_service, clone_of=alice)
        bob.run("stack", "select", STACK)
        bob_service = local.ensure_running(bob.directory)
        assert bob_service.instance_id != alice_service.instance_id
        before = resources(bob)

        result = bob.run("refresh", "--yes", check=False)
        output = result.stdout + result.stderr
        assert resources(bob) == before, output
        assert result.returncode != 0, output
        assert [line for line in output.splitlines() if alice_service.instance_id in line
                and bob_service.url in line and "us-east-1" in line], output
        assert_exactly_live(local.client(alice_service), alice_service.instance_id, declared,
                            alice.contact_states())
    finally:
        end_local_service(alice.directory)
        end_local_service(alice.directory.parent / "bob")


def lock_holder(team: Team) -> int | None:
    """The process ID recorded in the stack's lock object, if there is one."""
    keys = team.locks()
    if not keys:
        return None
    [key] = keys
    return json.loads(team.s3.read(team.bucket, key))["pid"]
