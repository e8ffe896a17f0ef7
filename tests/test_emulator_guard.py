"""The local service refuses what AWS refuses and what a web page can forge, and keeps its
files private: unsigned requests, browser requests (text/plain bodies, a foreign Origin),
a foreign Host (DNS rebinding) and admin calls without the token change nothing."""

from __future__ import annotations

import http.client
import json
import math
import socket
import stat
import time

import pytest
from tests.support.emulator_support import create_task, describe, raises, signed

from connect_contact import service_files

EVIL_ORIGIN = {"Origin": "http://attacker.example"}
TEXT_PLAIN = {"Content-Type": "text/plain"}


SIGN = {"X-Sign-This-Request": "with the service's credentials"}
"""Headers that stand for a valid signature: `send` puts the signature of the request in their place."""


def send(service, method: str, path: str, body: object = None, headers: dict | None = None, host: str | None = None):
    """(status, headers, JSON body) of one request exactly as given (Host included)."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    host = host or f"127.0.0.1:{service.port}"
    all_headers = {"Host": host, **(headers or {})}
    if all_headers.pop(next(iter(SIGN)), None) is not None:
        all_headers.update(signed(method, host, path, data or b""))
    try:
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.headers, json.loads(response.read() or b"{}")
    finally:
        connection.close()


@pytest.fixture
def contact(connect_service):
    client = connect_service.client(total_max_attempts=1)
    contact_id = create_task(client, connect_service.instance_id, Name="Customer Jane Doe")
    return client, contact_id


def forged_requests(service, contact_id: str):
    instance = service.instance_id
    rename = ("POST", f"/contacts/{instance}/{contact_id}", {"Name": "renamed by a web page"})
    stop = ("POST", "/contact/stop", {"InstanceId": instance, "ContactId": contact_id})
    clock = ("POST", "/_local/clock", {"advance_seconds": 2 * 365 * 86_400})
    faults = ("POST", "/_local/faults", {"fail_rate": 1.0})
    token = {service_files.ADMIN_TOKEN_HEADER: service.admin_token}
    rebinding_host = f"attacker.example:{service.port}"
    for method, path, body in (rename, stop):
        yield "unsigned", method, path, body, TEXT_PLAIN, None
        yield "unsigned, foreign Origin", method, path, body, {**TEXT_PLAIN, **EVIL_ORIGIN}, None
        yield "signed, foreign Origin", method, path, body, {**SIGN, **EVIL_ORIGIN}, None
        yield "signed, foreign Host", method, path, body, SIGN, rebinding_host
        yield "signed, Host on another port", method, path, body, SIGN, f"127.0.0.1:{service.port + 1}"
    for method, path, body in (clock, faults):
        yield "admin without token", method, path, body, TEXT_PLAIN, None
        yield "admin with a wrong token", method, path, body, {service_files.ADMIN_TOKEN_HEADER: "guess"}, None
        yield "admin with a signature instead", method, path, body, SIGN, None
        yield "admin with token, foreign Origin", method, path, body, {**token, **EVIL_ORIGIN}, None
        yield "admin with token, foreign Host", method, path, body, token, rebinding_host


def test_forged_browser_requests_are_refused_and_change_nothing(connect_service, contact):
    client, contact_id = contact
    before = describe(client, connect_service.instance_id, contact_id)
    clock_before, faults_before = connect_service.now(), connect_service.faults()
    refused = 0
    for case, method, path, body, headers, host in forged_requests(connect_service, contact_id):
        status, answer_headers, answer = send(connect_service, method, path, body, headers, host)
        assert status == 403, (case, path, status, answer)
        if case == "unsigned":  # a request of no web page: what AWS answers a request without a signature
            assert answer_headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException", case
            assert list(answer) == ["message"], case
        else:
            assert answer_headers["x-amzn-ErrorType"] == "AccessDeniedException" and list(answer) == ["Message"], case
        refused += 1
    assert refused == 20
    assert describe(client, connect_service.instance_id, contact_id) == before
    assert abs(connect_service.now() - clock_before) < 60 and connect_service.faults() == faults_before


def test_unsigned_request_gets_aws_error_shape_that_boto3_reads(connect_service, contact):
    client, contact_id = contact
    status, headers, body = send(connect_service, "GET", f"/contacts/{connect_service.instance_id}/{contact_id}")
    assert (status, headers["x-amzn-ErrorType"]) == (403, "MissingAuthenticationTokenException")
    assert body["message"] == "Missing Authentication Token"
    status, _, body = send(connect_service, "GET", f"/contacts/{connect_service.instance_id}/{contact_id}",
                           headers=SIGN, host=f"localhost:{connect_service.port}")
    assert status == 200 and body["Contact"]["Name"] == "Customer Jane Doe"


@pytest.mark.parametrize("path, body", [
    ("/_local/clock", {"set": math.nan}), ("/_local/clock", {"set": math.inf}), ("/_local/clock", {"set": 1e308}),
    ("/_local/clock", {"set": -1}), ("/_local/clock", {"advance_seconds": 1e308}),
    ("/_local/clock", {"advance_seconds": -1e12}), ("/_local/clock", {"set": "soon"}),
    ("/_local/faults", {"latency_ms": 1e308}), ("/_local/faults", {"latency_ms": math.nan}),
    ("/_local/faults", {"latency_ms": -1}), ("/_local/faults", {"throttle_rps": math.inf}),
    ("/_local/faults", {"fail_rate": math.nan}), ("/_local/faults", {"drop_after_commit_rate": 2}),
    ("/_local/faults", {"operations": "CreateContact"}), ("/_local/faults", {"no_such_setting": 1}),
], ids=lambda value: json.dumps(value) if isinstance(value, dict) else value)
def test_admin_values_are_checked_before_use(shared_connect_service, path, body):
    """On the shared service: a value that got through would change it, and this test would fail."""
    connect_service = shared_connect_service
    token = {service_files.ADMIN_TOKEN_HEADER: connect_service.admin_token}
    clock_before, faults_before = connect_service.now(), connect_service.faults()
    connection = http.client.HTTPConnection("127.0.0.1", connect_service.port, timeout=30)
    connection.request("POST", path, body=json.dumps(body, allow_nan=True), headers=token)
    response = connection.getresponse()
    assert response.status == 400, json.loads(response.read())
    connection.close()
    assert abs(connect_service.now() - clock_before) < 60 and connect_service.faults() == faults_before
    client = connect_service.client(total_max_attempts=1)
    assert client.list_instances()["InstanceSummaryList"]


def test_database_log_and_token_are_private(connect_service, contact):
    client, contact_id = contact
    client.update_contact(InstanceId=connect_service.instance_id, ContactId=contact_id, Name="written")
    files = [connect_service.db_path, connect_service.log_path, service_files.admin_token_path(connect_service.db_path)]
    files += [connect_service.db_path.with_name(connect_service.db_path.name + suffix) for suffix in ("-wal", "-shm")]
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files if path.exists()}
    assert len(modes) == 5 and set(modes.values()) == {0o600}, modes


def test_path_labels_are_matched_after_percent_decoding(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    with raises(connect_client, "ResourceNotFoundException") as raised:
        connect_client.describe_contact(InstanceId=instance, ContactId="a/b")
    assert "a/b" in raised.value.response["Error"]["Message"]
    contact_id = create_task(connect_client, instance)
    arn = describe(connect_client, instance, contact_id)["Arn"]
    # The ARN travels as one label with its "/" percent-encoded: the tag family finds the contact.
    connect_client.tag_resource(resourceArn=arn, tags={"team": "billing"})
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "billing"}
    assert describe(connect_client, instance, contact_id)["Tags"] == {"team": "billing"}
    connect_client.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {}


def test_a_client_that_disconnects_mid_body_is_one_log_line(connect_service):
    path = f"/contacts/{connect_service.instance_id}/c-1"
    signature = signed("POST", f"127.0.0.1:{connect_service.port}", path)
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{connect_service.port}\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in signature.items())
            + "Content-Length: 100\r\n\r\n").encode()
    lines_before = len(connect_service.log_path.read_text().splitlines())
    with socket.create_connection(("127.0.0.1", connect_service.port)) as sock:
        sock.sendall(head + b'{"Name": ')
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(1024) == b""  # no answer: nobody is left to read it
    deadline = time.monotonic() + 10
    while len(connect_service.log_path.read_text().splitlines()) == lines_before and time.monotonic() < deadline:
        time.sleep(0.05)
    new_lines = connect_service.log_path.read_text().splitlines()[lines_before:]
    assert len(new_lines) == 1 and "closed the connection" in new_lines[0], new_lines
