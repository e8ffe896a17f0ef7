"""Shared pytest fixtures, grouped by what they provide. Add new groups below, each
under its own header."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from tests.support.emulator_support import LOCAL_CREDENTIALS, end_local_service

from connect_contact_local.testing import LocalConnect

REPO_ROOT = Path(__file__).resolve().parent.parent
SLOW_MODULES = ("test_reliability", "test_properties", "test_cli_", "test_emulator_durability", "test_emulator_fuzz",
                "test_local_ownership", "test_aws_cli_cases")
"""Modules of the slow tier (every real-CLI module is one, the AWS CLI's cases, and the kill, fuzz and race tests):
`pytest -m "not slow"` leaves them out."""


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1].startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)

# ---------------------------------------------------------------------------
# Local Connect service (connect_contact_local.testing)
#
#   shared_connect_service  session-wide service for tests that need no isolation
#   connect_client          no-retry boto3 client on the shared service, faults cleared
#   fresh_connect_instance  a new Connect instance on the shared service: a clean
#                           slate for counting contacts without a new process
#   connect_service         a service of the test's own: kill, restart, fault at will
#
# Tests that set faults or move the clock of the shared service must undo it.
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def shared_connect_service(tmp_path_factory):
    """One local Connect service (a subprocess) for the whole session."""
    service = LocalConnect(tmp_path_factory.mktemp("shared-connect") / "connect.db")
    service.start()
    yield service
    service.close()


@pytest.fixture
def connect_client(shared_connect_service):
    """A boto3 Connect client on the shared service, retries off, with no faults active."""
    shared_connect_service.clear_faults()
    yield shared_connect_service.client(total_max_attempts=1)
    shared_connect_service.clear_faults()


@pytest.fixture
def fresh_connect_instance(shared_connect_service, connect_client) -> str:
    """The ID of a Connect instance created for this test on the shared service."""
    created = connect_client.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias=f"test-{uuid.uuid4().hex[:12]}",
        InboundCallsEnabled=True, OutboundCallsEnabled=True,
    )
    return created["Id"]


@pytest.fixture
def connect_service(tmp_path):
    """A local Connect service of this test's own, stopped (and its files removed) afterwards."""
    service = LocalConnect(tmp_path / "connect.db")
    service.start()
    yield service
    service.close()


# ---------------------------------------------------------------------------
# Pulumi's dynamic-provider host, driven as the engine drives it (tests/engine.py)
#
#   host     one host per test module, configured for the shared local service
#   service  the shared local service, faults cleared and stats zeroed for this test
#   engine   an engine (state per test) over that host
#   client   a boto3 client on the shared service
# ---------------------------------------------------------------------------



@pytest.fixture(scope="module")
def host(shared_connect_service):
    from tests.support.host import ProviderHost

    with ProviderHost(env=LOCAL_CREDENTIALS) as host:
        host.configure({"aws:region": "us-east-1", "connect-contact:endpoint": shared_connect_service.url})
        yield host


@pytest.fixture
def service(shared_connect_service):
    shared_connect_service.clear_faults()
    shared_connect_service.reset_stats()
    yield shared_connect_service
    shared_connect_service.clear_faults()


@pytest.fixture
def engine(host, service):
    from tests.support.engine import Engine

    return Engine(host)


@pytest.fixture
def client(service):
    return service.client()


# ---------------------------------------------------------------------------
# A project directory (connect_contact.local)
#
#   project  an empty project directory; the local service a test starts in it
#            (`connect-contact:endpoint local`) is ended afterwards
# ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    directory = tmp_path / "project"
    directory.mkdir()
    yield directory
    end_local_service(directory)


# ---------------------------------------------------------------------------
# The real Pulumi CLI (tests/test_cli_*.py)
#
#   pulumi_bin   the folder of the pinned CLI, installed by scripts/install-pulumi
#                (built from Pulumi's Go modules when it is not there yet). A CLI that
#                cannot be installed fails these tests: they are never skipped.
#   cli_project  a project folder of the test's own, on its own file backend, with a
#                local Connect service of its own (tests/support/cli_project.py)
# ---------------------------------------------------------------------------


def installed(script: str, what: str) -> Path:
    """The folder `scripts/<script>` installs `what` into (its last line); fails the test if it cannot."""
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / script)], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        pytest.fail(f"{what} could not be installed (scripts/{script} exited with "
                    f"{result.returncode}):\n{result.stderr}", pytrace=False)
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    return installed("install-pulumi", "the Pulumi CLI")


@pytest.fixture
def cli_project(tmp_path, pulumi_bin, connect_service):
    from tests.support.cli_project import CliProject

    project = CliProject(tmp_path / "project", pulumi_bin, connect_service)
    yield project
    project.stop_strays()


# ---------------------------------------------------------------------------
# A real S3-compatible server (tests/test_cli_shared_state.py)
#
#   minio_bin  the folder of the pinned MinIO server, installed by scripts/install-minio
#              (built from its Go module when it is not there yet). A server that cannot be
#              installed fails these tests: they are never skipped.
#   s3_server  MinIO on a free loopback port, data in a folder of the module's own, random
#              root credentials (tests/support/s3_server.py); tests make buckets of their own
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def minio_bin() -> Path:
    return installed("install-minio", "the MinIO server")


@pytest.fixture(scope="module")
def s3_server(minio_bin, tmp_path_factory):
    from tests.support import s3_server

    server = s3_server.start(minio_bin / "minio", tmp_path_factory.mktemp("s3-server"))
    yield server
    server.stop()
