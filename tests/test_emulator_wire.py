"""The wire: routes, shapes and errors come from botocore's model, so unmodified boto3
talks to the local service as to AWS and raises its modelled exception classes."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.awsrequest import HeadersDict
from botocore.parsers import create_parser
from tests.support.emulator_support import TASK, create_task, describe, raises, signed

from connect_contact_local import routes, wire
from connect_contact_local.errors import ServiceError
from connect_contact.model import service_model

MODELLED_ERRORS = ["ThrottlingException", "IdempotencyException", "ContactNotFoundException",
                   "ResourceNotFoundException", "InvalidRequestException", "InvalidParameterException",
                   "InternalServiceException", "ServiceQuotaExceededException", "ConflictException",
                   "AccessDeniedException"]


def raw(service, method: str, path: str, body: bytes | None = None):
    """A raw HTTP request straight to the service: (status, headers, parsed JSON body)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(service.url + path, data=body, method=method,
                                     headers=signed(method, f"127.0.0.1:{service.port}", path, body or b""))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"{}")


def test_every_operation_of_the_model_is_routed_to_itself():
    model = service_model()
    for name in model.operation_names:
        http = model.operation_model(name).http
        sample_path = re.sub(r"\{(\w+)\+?\}", "x1", http["requestUri"].split("?")[0])
        assert routes.match(http["method"], sample_path)[0] == name


def test_route_templates_become_werkzeug_rules():
    assert routes.werkzeug_path("/contacts/{InstanceId}/{ContactId}") == "/contacts/<InstanceId>/<ContactId>"
    assert routes.werkzeug_path("/files/{Key+}?x-id=Get") == "/files/<path:Key>"


@pytest.mark.parametrize("code", MODELLED_ERRORS)
def test_each_error_is_what_boto3_parses_into_its_modelled_class(code):
    error = type(code, (ServiceError,), {"code": code})("the reason")
    response = wire.error_response(error)
    assert response.status_code == service_model().shape_for(code).metadata["error"]["httpStatusCode"]
    assert response.headers["x-amzn-ErrorType"] == code
    parsed = create_parser("rest-json").parse(
        {"status_code": response.status_code, "headers": HeadersDict(response.headers.items()), "body": response.get_data()},
        service_model().operation_model("CreateContact").output_shape)
    assert parsed["Error"] == {"Code": code, "Message": "the reason"}
    client = boto3.client("connect", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                          aws_access_key_id="x", aws_secret_access_key="x")
    assert client.exceptions.from_code(code).__name__ == code


def test_error_answers_carry_the_type_header_and_only_the_model_members(shared_connect_service):
    status, headers, body = raw(shared_connect_service, "GET",
                                f"/contacts/{shared_connect_service.instance_id}/no-such-contact")
    assert status == 404
    assert headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert list(body) == ["Message"] and "no-such-contact" in body["Message"]


@pytest.mark.parametrize("call", [
    lambda client, instance: client.list_queues(InstanceId=instance),
    lambda client, instance: client.describe_instance_attribute(InstanceId=instance, AttributeType="INBOUND_CALLS"),
    lambda client, instance: client.start_chat_contact(InstanceId=instance, ContactFlowId="f",
                                                       ParticipantDetails={"DisplayName": "d"}),
    lambda client, instance: client.describe_user(InstanceId=instance, UserId="u"),
], ids=["ListQueues", "DescribeInstanceAttribute", "StartChatContact", "DescribeUser"])
def test_operations_not_implemented_say_so(call, connect_client, shared_connect_service):
    with raises(connect_client, "InvalidRequestException") as raised:
        call(connect_client, shared_connect_service.instance_id)
    operation = raised.value.operation_name
    assert raised.value.response["Error"]["Message"] == f"{operation} is not implemented by the local Connect service"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_path_no_operation_serves_is_a_modelled_error(shared_connect_service):
    status, headers, body = raw(shared_connect_service, "GET", "/no/such/path")
    assert status == 400 and headers["x-amzn-ErrorType"] == "InvalidRequestException"
    assert "GET /no/such/path" in body["Message"]


def test_a_body_that_is_not_json_is_refused(shared_connect_service):
    status, headers, _ = raw(shared_connect_service, "PUT", "/contact/create-contact", b"{not json")
    assert status == 400 and headers["x-amzn-ErrorType"] == "InvalidRequestException"


def test_shape_violations_name_every_member_path_in_one_line(connect_client, shared_connect_service):
    with raises(connect_client, "InvalidParameterException") as raised:
        connect_client.create_contact(InstanceId=shared_connect_service.instance_id, **TASK,
                                      Name="n" * 1025, References={"r": {"Type": "LINK", "Value": "v"}})
    message = raised.value.response["Error"]["Message"]
    assert "Name: must have at most 1024 characters" in message
    assert "References.r.Type: 'LINK' is not allowed" in message
    assert "; " in message and "\n" not in message


def test_required_members_are_checked_by_the_service_not_only_by_boto3(shared_connect_service):
    status, headers, body = raw(shared_connect_service, "PUT", "/contact/create-contact",
                                json.dumps({"InstanceId": shared_connect_service.instance_id}).encode())
    assert status == 400 and headers["x-amzn-ErrorType"] == "InvalidParameterException"
    assert "Channel: is required" in body["Message"] and "InitiationMethod: is required" in body["Message"]


def test_responses_hold_only_output_members_with_epoch_timestamps(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance, ExpiryDurationInMinutes=60,
                             References={"r": {"Type": "STRING", "Value": "v"}})
    status, _, body = raw(shared_connect_service, "GET", f"/contacts/{instance}/{contact_id}")
    contact = body["Contact"]
    assert status == 200
    output_members = set(service_model().shape_for("Contact").members)
    assert set(contact) <= output_members  # no stored-only fields such as References or ExpiryTimestamp
    assert isinstance(contact["InitiationTimestamp"], float)


def test_unknown_body_members_are_ignored(shared_connect_service):
    body = {"InstanceId": shared_connect_service.instance_id, **TASK, "NotAMember": 1}
    status, _, created = raw(shared_connect_service, "PUT", "/contact/create-contact", json.dumps(body).encode())
    assert status == 200 and created["ContactId"]


def test_repeated_query_string_members_arrive_as_lists(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance, References={
        "u": {"Type": "URL", "Value": "https://example.com"}, "s": {"Type": "STRING", "Value": "x"},
        "n": {"Type": "NUMBER", "Value": "1"}})
    listed = connect_client.list_contact_references(InstanceId=instance, ContactId=contact_id,
                                                    ReferenceTypes=["URL", "NUMBER"])
    assert sorted(list(summary)[0] for summary in listed["ReferenceSummaryList"]) == ["Number", "Url"]
    connect_client.tag_contact(InstanceId=instance, ContactId=contact_id, Tags={"a": "1", "b": "2", "c": "3"})
    connect_client.untag_contact(InstanceId=instance, ContactId=contact_id, TagKeys=["a", "c"])
    assert describe(connect_client, instance, contact_id)["Tags"] == {"b": "2"}


def test_instances_are_listed_described_and_paged(connect_client, shared_connect_service):
    created = [connect_client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=f"page-{n}",
                                              InboundCallsEnabled=True, OutboundCallsEnabled=False)["Id"]
               for n in range(3)]
    pages = connect_client.get_paginator("list_instances").paginate(PaginationConfig={"PageSize": 1})
    listed = [summary["Id"] for page in pages for summary in page["InstanceSummaryList"]]
    assert len(listed) == len(set(listed))
    assert {shared_connect_service.instance_id, *created} <= set(listed)
    instance = connect_client.describe_instance(InstanceId=created[0])["Instance"]
    assert instance["Arn"] == f"arn:aws:connect:us-east-1:123456789012:instance/{created[0]}"
    assert instance["InstanceStatus"] == "ACTIVE" and instance["OutboundCallsEnabled"] is False


def test_instance_errors(connect_client):
    with raises(connect_client, "ResourceNotFoundException"):
        connect_client.describe_instance(InstanceId="00000000-0000-4000-8000-000000000000")
    connect_client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias="taken-alias",
                                   InboundCallsEnabled=True, OutboundCallsEnabled=True)
    with raises(connect_client, "InvalidRequestException"):
        connect_client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias="taken-alias",
                                       InboundCallsEnabled=True, OutboundCallsEnabled=True)


def test_operations_declaring_no_invalid_parameter_get_invalid_request(shared_connect_service):
    from botocore.config import Config
    client = shared_connect_service.client(config=Config(parameter_validation=False), total_max_attempts=1)
    assert "InvalidParameterException" not in {shape.name for shape in
                                               service_model().operation_model("CreateInstance").error_shapes}
    with raises(client, "InvalidRequestException") as raised:
        client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias="d-not allowed",
                               InboundCallsEnabled=True, OutboundCallsEnabled=True)
    assert "InstanceAlias:" in raised.value.response["Error"]["Message"]
    with raises(client, "InvalidRequestException"):
        client.list_instances(NextToken="bm90LWEta2V5")
    with raises(client, "InvalidParameterException"):
        client.list_contact_references(InstanceId=shared_connect_service.instance_id, ContactId="c",
                                       ReferenceTypes=["URL"], NextToken="%%%")


def exchanged(service, request: bytes) -> tuple[int, dict[str, str], dict]:
    """One raw request on its own connection, read to its end: (status, headers, JSON body)."""
    with socket.create_connection(("127.0.0.1", service.port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split(" ")[1]), headers, json.loads(body)


UNREADABLE_HEADS = [
    # (what, the request, the status Python's HTTP server gives it)
    ("an HTTP version above 2", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    ("HTTP/2 on a plain HTTP/1.1 connection", b"GET / HTTP/2.0\r\n\r\n", 400),
    ("a version that is no number", b"GET / HTTP/1.x\r\n\r\n", 400),
    ("four words in the request line", b"GET / HTTP/1.1 more\r\n\r\n", 400),
    ("a request line over 64 KiB", b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ("a header line over 64 KiB", b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    ("a request line without a version (HTTP/0.9)", b"GET /instance\r\n\r\n", 400),
]


@pytest.mark.parametrize("request_bytes, status", [case[1:] for case in UNREADABLE_HEADS],
                         ids=[case[0] for case in UNREADABLE_HEADS])
def test_a_request_head_the_server_cannot_read_gets_a_modelled_client_error(shared_connect_service,
                                                                           request_bytes, status):
    answered, headers, body = exchanged(shared_connect_service, request_bytes)
    assert (answered, headers["x-amzn-ErrorType"], headers["Content-Type"]) == (
        status, "InvalidRequestException", "application/json")
    assert list(body) == ["Message"] and "\n" not in body["Message"]


def list_instances_request(service) -> bytes:
    host = f"127.0.0.1:{service.port}"
    head = ["GET /instance HTTP/1.1", f"Host: {host}", *(f"{name}: {value}" for name, value in
                                                          signed("GET", host, "/instance").items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode()


def test_empty_lines_before_a_request_line_are_ignored(shared_connect_service):
    """RFC 9112 2.2: a server ignores empty lines before a request line, on a new connection or
    between two requests of a kept-alive one."""
    request = list_instances_request(shared_connect_service)
    closing = request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
    with socket.create_connection(("127.0.0.1", shared_connect_service.port), timeout=30) as sock:
        sock.sendall(b"\r\n" + request + b"\r\n\r\n" + closing)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.count(b"HTTP/1.1 200 OK\r\n") == 2, answer[:300]
    assert answer.count(f'"Id": "{shared_connect_service.instance_id}"'.encode()) == 2


def test_differing_content_lengths_are_refused_and_change_nothing(connect_client, shared_connect_service):
    instance = shared_connect_service.instance_id
    contact_id = create_task(connect_client, instance, Name="before")
    path = f"/contacts/{instance}/{contact_id}"
    host = f"127.0.0.1:{shared_connect_service.port}"
    body = b'{"Name": "after"}'
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
            *(f"{name}: {value}" for name, value in signed("POST", host, path, body).items()),
            f"Content-Length: {len(body)}", f"Content-Length: {len(body) + 40}"]
    answered, headers, message = exchanged(shared_connect_service, ("\r\n".join(head) + "\r\n\r\n").encode() + body)
    assert (answered, headers["x-amzn-ErrorType"]) == (400, "InvalidRequestException")
    assert message == {"Message": f"the request has Content-Length headers that differ ({len(body)}, "
                                  f"{len(body) + 40}); send one"}
    assert describe(connect_client, instance, contact_id)["Name"] == "before"
