"""The command line: `python -m connect_contact_local`."""

from __future__ import annotations

import json
import re
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import botocore.config
import botocore.exceptions
import pytest
from tests.support.readme import code_blocks

from connect_contact.launcher import PLACEHOLDER_CREDENTIALS
from connect_contact.service_files import ADMIN_TOKEN_HEADER, read_admin_token

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "connect_contact_local"]


def launch(*args: str, cwd: Path | None = None) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*COMMAND, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=environment)


def first_lines(process: subprocess.Popen, count: int = 3) -> list[str]:
    return [process.stdout.readline() for _ in range(count)]


def end(process: subprocess.Popen, signal_number: int = signal.SIGTERM) -> tuple[int, str]:
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=20)
    return process.returncode, stderr


def get_json(url: str, db_path: Path) -> dict:
    """An admin endpoint's answer, asked with the token the service wrote beside its database."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers={ADMIN_TOKEN_HEADER: read_admin_token(db_path)})
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read())


def connect_client(url: str):
    return boto3.client("connect", endpoint_url=url, region_name="us-east-1", **PLACEHOLDER_CREDENTIALS)


def test_help_documents_every_option_and_the_admin_endpoints():
    result = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0
    for option in ("--host", "--port", "--db", "--region", "--throttle-rps", "--fail-rate",
                   "--drop-after-commit-rate", "--latency-ms", "--seed", "--fault-operations", "--idle-timeout"):
        assert option in result.stdout
    for endpoint in ("/_local/clock", "/_local/faults", "/_local/stats", "/_local/stats/reset"):
        assert endpoint in result.stdout


def test_the_readme_shows_the_first_lines_as_they_are(tmp_path):
    [documented] = [block for block in code_blocks("## The local Connect service", "")
                    if block.startswith("Local Amazon Connect service")]
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"))
    lines = first_lines(process)
    end(process)
    for pattern, line in zip(documented.splitlines(), [line.rstrip("\n") for line in lines], strict=True):
        assert re.fullmatch(re.sub(r"[A-Z][A-Z_]+", r"\\S+", re.escape(pattern)), line), (pattern, line)


def test_start_prints_url_and_instance_then_ends_cleanly_on_sigterm(tmp_path):
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"))
    url_line, instance_line, database_line = first_lines(process)
    url = url_line.split()[-1]
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
    _, instance_id, instance_arn = instance_line.split()
    assert instance_arn == f"arn:aws:connect:us-east-1:123456789012:instance/{instance_id}"
    assert str(tmp_path / "c.db") in database_line
    [listed] = connect_client(url).list_instances()["InstanceSummaryList"]
    assert (listed["Id"], listed["Arn"]) == (instance_id, instance_arn)
    code, stderr = end(process)
    assert code == 0 and "Traceback" not in stderr


def test_sigint_ends_it_cleanly_too(tmp_path):
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"))
    first_lines(process)
    code, stderr = end(process, signal.SIGINT)
    assert code == 0 and "Traceback" not in stderr


def test_the_default_database_lives_under_connect_local(tmp_path):
    process = launch("--port", "0", cwd=tmp_path)
    first_lines(process)
    end(process)
    assert (tmp_path / ".connect-local" / "connect.db").exists()


def test_region_and_fault_flags_are_applied(tmp_path):
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"), "--region", "eu-west-2", "--throttle-rps", "7",
                     "--fail-rate", "0.1", "--latency-ms", "3", "--seed", "5", "--fault-operations",
                     "CreateContact,StopContact", "--throttle-rps-by-operation", "DescribeContact=12,TagContact=20",
                     "--throttle-first-n", "4", "--throttle-every", "9", "--hold-after-n", "1000")
    url = first_lines(process)[0].split()[-1]
    try:
        assert get_json(url + "/_local/faults", tmp_path / "c.db") == {
            "throttle_rps": 7.0, "fail_rate": 0.1, "drop_after_commit_rate": 0.0, "latency_ms": 3.0,
            "operations": ["CreateContact", "StopContact"], "seed": 5,
            "throttle_rps_by_operation": {"DescribeContact": 12.0, "TagContact": 20.0}, "stale_reads": 0,
            "empty_answers": 0, "throttle_first_n": 4, "throttle_every": 9, "hold_after_n": 1000}
        assert ":eu-west-2:" in get_json(url + "/_local/info", tmp_path / "c.db")["instance_arn"]
    finally:
        end(process)


def test_a_busy_port_is_reported_without_a_traceback(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = subprocess.run([*COMMAND, "--port", str(busy.getsockname()[1]), "--db", str(tmp_path / "c.db")],
                                capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("flag, value", [("--fail-rate", "2"), ("--throttle-rps", "0")])
def test_bad_fault_flags_are_refused(flag, value, tmp_path):
    result = subprocess.run([*COMMAND, "--port", "0", "--db", str(tmp_path / "c.db"), flag, value],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_idle_timeout_ends_an_unused_service(tmp_path):
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"), "--idle-timeout", "0.5")
    first_lines(process)
    assert process.wait(timeout=30) == 0


def test_the_service_imports_neither_pulumi_nor_the_provider():
    """The local service runs with Pulumi unimportable, and loads none of the provider's modules."""
    code = ("import sys; sys.modules['pulumi'] = None;"
            "import connect_contact_local.__main__, connect_contact_local.service;"
            "loaded = [m for m in sys.modules if m.split('.')[0] == 'pulumi' and sys.modules[m] is not None or m in"
            " ('connect_contact.provider', 'connect_contact.resource', 'connect_contact.schema')];"
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr


def test_expected_errors_leave_no_traceback_in_the_log(tmp_path):
    """With every request logged (--verbose), each kind of expected error is one line, never a traceback."""
    process = launch("--port", "0", "--db", str(tmp_path / "c.db"), "--verbose", "--fail-rate", "1",
                     "--fault-operations", "ListInstances", "--throttle-rps-by-operation", "SearchContacts=0.001")
    url_line, instance_line, _ = first_lines(process)
    url, instance = url_line.split()[-1], instance_line.split()[1]
    no_retries = boto3.client("connect", endpoint_url=url, region_name="us-east-1", **PLACEHOLDER_CREDENTIALS,
                              config=botocore.config.Config(retries={"total_max_attempts": 1}))
    time_range = {"Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": 4_102_444_800}
    expected = [
        ("ResourceNotFoundException", lambda: no_retries.describe_contact(
            InstanceId=instance, ContactId="00000000-0000-4000-8000-000000000000")),
        ("InvalidRequestException", lambda: no_retries.create_contact(
            InstanceId=instance, Channel="CHAT", InitiationMethod="API")),
        ("InternalServiceException", no_retries.list_instances),
        ("ThrottlingException", lambda: [no_retries.search_contacts(InstanceId=instance, TimeRange=time_range)
                                         for _ in range(2)]),
    ]
    for code, call in expected:
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            call()
        assert raised.value.response["Error"]["Code"] == code
    _, log = end(process)
    for status in ("404", "400", "500", "429"):
        assert f'" {status} ' in log, (status, log)
    assert "Traceback" not in log


@pytest.mark.parametrize("region", ["zz-fake-9", "eu-west", "US-EAST-1", "us-EAST-1", "eu-we_st-1"])
def test_a_region_no_partition_has_is_refused_before_anything_is_written(region, tmp_path):
    result = subprocess.run([*COMMAND, "--port", "0", "--db", str(tmp_path / "c.db"), "--region", region],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (result.returncode, result.stderr) == (
        2, f"connect_contact_local: --region {region!r} is in no AWS partition; use one such as us-east-1\n")
    assert not (tmp_path / "c.db").exists()
