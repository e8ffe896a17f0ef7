"""`python -m connect_contact.local_instance`: the ID of the project's local service's instance,
its own region's without `--region`, else the instance that region's requests see (the service
is regional, as Connect is), the same one on every ask; a region the service refuses is one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from connect_contact import local

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.timeout(240)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def run_in(project):
    env = {**os.environ, local.PORT_VARIABLE: str(free_port()), "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "connect_contact.local_instance", *args], cwd=project, env=env,
                              capture_output=True, text=True, timeout=60)
    return run


def test_each_region_has_its_instance_and_every_ask_gets_the_same(run_in, project):
    own, west, west_again, own_named = run_in(), run_in("--region", "eu-west-2"), run_in("--region", "eu-west-2"), \
        run_in("--region", "us-east-1")
    assert [result.returncode for result in (own, west, west_again, own_named)] == [0, 0, 0, 0], own.stderr + west.stderr
    service = local.ensure_running(project)
    assert own.stdout.strip() == own_named.stdout.strip() == service.instance_id
    assert west.stdout.strip() == west_again.stdout.strip() != service.instance_id

    in_west = local.client(service, region="eu-west-2").describe_instance(InstanceId=west.stdout.strip())["Instance"]
    assert in_west["Arn"] == f"arn:aws:connect:eu-west-2:123456789012:instance/{west.stdout.strip()}"
    east = local.client(service)
    assert [found["Id"] for found in east.list_instances()["InstanceSummaryList"]] == [service.instance_id]
    with pytest.raises(east.exceptions.ResourceNotFoundException):
        east.describe_instance(InstanceId=west.stdout.strip())


def test_a_region_no_partition_has_is_one_line(run_in, project):
    refused = run_in("--region", "zz-fake-9")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("connect_contact.local_instance: no instance in region 'zz-fake-9': ")
    assert "valid region" in refused.stderr, refused.stderr
