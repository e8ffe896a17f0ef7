"""Requests are signed as AWS requires, checked with botocore's own signer against the credentials
the service issues: each kind of bad signature gets the answer AWS gives it."""

from __future__ import annotations

import http.client
import json
from datetime import datetime, timedelta, timezone
from unittest import mock

import boto3
import botocore.config
import botocore.exceptions
import pytest
from tests.support.emulator_support import signed

from connect_contact.launcher import PLACEHOLDER_CREDENTIALS

NO_RETRIES = botocore.config.Config(retries={"total_max_attempts": 1})


def client_with(service, region: str = "us-east-1", **credentials):
    return boto3.client("connect", endpoint_url=service.url, region_name=region, config=NO_RETRIES,
                        **{**PLACEHOLDER_CREDENTIALS, **credentials})


def error_of(call) -> tuple[int, str, str]:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def send(service, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers={"Host": f"127.0.0.1:{service.port}", **headers})
        response = connection.getresponse()
        return response.status, response.headers.get("x-amzn-ErrorType", ""), json.loads(response.read() or b"{}")
    finally:
        connection.close()


def test_the_issued_credentials_sign_for_any_region_each_seeing_its_own_instances(shared_connect_service):
    home = shared_connect_service.instance_id
    for region, sees_home in (("us-east-1", True), ("eu-west-2", False), ("ap-southeast-2", False)):
        listed = client_with(shared_connect_service, region).list_instances()["InstanceSummaryList"]
        assert (home in [instance["Id"] for instance in listed]) is sees_home, region
        assert all(instance["Arn"].startswith(f"arn:aws:connect:{region}:") for instance in listed), listed


@pytest.mark.parametrize("region, partition", [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
                                               ("us-iso-east-1", "aws-iso"), ("eu-west-2", "aws")])
def test_an_instance_and_its_contacts_have_arns_of_their_regions_partition(shared_connect_service, region, partition):
    """An ARN names the partition of its region (arn:aws-cn:connect:cn-north-1:...), and the tag
    operations find the instance and the contact by those ARNs, not by ones of another partition."""
    client = client_with(shared_connect_service, region)
    instance = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                      OutboundCallsEnabled=True)
    assert instance["Arn"] == f"arn:{partition}:connect:{region}:123456789012:instance/{instance['Id']}"
    contact = client.create_contact(InstanceId=instance["Id"], Channel="TASK", InitiationMethod="API", Name="p")
    assert contact["ContactArn"] == f"{instance['Arn']}/contact/{contact['ContactId']}"
    client.tag_resource(resourceArn=instance["Arn"], tags={"team": "a"})
    assert client.list_tags_for_resource(resourceArn=contact["ContactArn"])["tags"] == {}
    assert client.list_tags_for_resource(resourceArn=instance["Arn"])["tags"] == {"team": "a"}
    other = "aws-cn" if partition == "aws" else "aws"
    status, code, _ = error_of(lambda: client.list_tags_for_resource(
        resourceArn=instance["Arn"].replace(f"arn:{partition}:", f"arn:{other}:", 1)))
    assert (status, code) == (404, "ResourceNotFoundException")


@pytest.mark.parametrize("region", ["zz-fake-9", "eu-west", "US-EAST-1", "us-EAST-1"])  # botocore itself refuses "_"
def test_a_credential_scoped_to_a_region_no_partition_has_is_refused(shared_connect_service, region):
    status, code, message = error_of(lambda: client_with(shared_connect_service, region).list_instances())
    assert (status, code, message) == (403, "InvalidSignatureException",
                                       f"Credential should be scoped to a valid region, not {region!r}")


def test_a_wrong_secret_key_is_an_invalid_signature(shared_connect_service):
    wrong = client_with(shared_connect_service, aws_secret_access_key="not-the-secret")
    status, code, message = error_of(lambda: wrong.describe_instance(InstanceId=shared_connect_service.instance_id))
    assert (status, code) == (403, "InvalidSignatureException")
    assert message.startswith("The request signature we calculated does not match")


def test_an_unknown_access_key_is_an_unrecognized_client(shared_connect_service):
    stranger = client_with(shared_connect_service, aws_access_key_id="AKIDNOBODYISSUED")
    status, code, _ = error_of(lambda: stranger.describe_instance(InstanceId=shared_connect_service.instance_id))
    assert (status, code) == (403, "UnrecognizedClientException")


@pytest.mark.parametrize("skew, accepted", [(timedelta(minutes=14), True), (timedelta(minutes=-14), True),
                                            (timedelta(minutes=16), False), (timedelta(minutes=-16), False)])
def test_a_request_signed_more_than_15_minutes_away_has_expired(shared_connect_service, skew, accepted):
    client = client_with(shared_connect_service)
    signed_at = datetime.now(timezone.utc).replace(tzinfo=None) + skew
    with mock.patch("botocore.auth.get_current_datetime", return_value=signed_at):
        call = lambda: client.describe_instance(InstanceId=shared_connect_service.instance_id)  # noqa: E731
        if accepted:
            assert call()["Instance"]["Id"] == shared_connect_service.instance_id
        else:
            status, code, _ = error_of(call)
            assert (status, code) == (400, "RequestExpired")


def test_a_signature_over_other_content_is_refused(shared_connect_service):
    path = f"/instance/{shared_connect_service.instance_id}"
    host = f"127.0.0.1:{shared_connect_service.port}"
    assert send(shared_connect_service, "GET", path, signed("GET", host, path))[0] == 200
    for method, sent_path, body, headers in [
        ("GET", path + "x", b"", signed("GET", host, path)),            # another path
        ("GET", path + "?a=1", b"", signed("GET", host, path)),         # a query added
        ("POST", "/search-contacts", b'{"InstanceId": "x"}', signed("POST", host, "/search-contacts", b"{}")),
        ("GET", path, b"", {**signed("GET", host, path), "X-Amz-Date": "20200101T000000Z"}),
    ]:
        status, code, _ = send(shared_connect_service, method, sent_path, headers, body)
        assert (status, code) in ((403, "InvalidSignatureException"), (400, "RequestExpired")), (sent_path, code)


@pytest.mark.parametrize("authorization", [
    "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/connect/aws4_request",
    "Bearer abc", "AWS local:c2lnbmF0dXJl", "AWS4-HMAC-SHA256 Credential=local, SignedHeaders=host, Signature=00",
])
def test_a_malformed_authorization_is_an_incomplete_signature(shared_connect_service, authorization):
    path = f"/instance/{shared_connect_service.instance_id}"
    status, code, body = send(shared_connect_service, "GET", path, {"Authorization": authorization})
    assert (status, code) == (400, "IncompleteSignatureException") and list(body) == ["message"]


def test_no_signature_is_a_missing_authentication_token_boto3_reads(shared_connect_service):
    unsigned = boto3.client("connect", endpoint_url=shared_connect_service.url, region_name="us-east-1",
                            config=botocore.config.Config(signature_version=botocore.UNSIGNED,
                                                          retries={"total_max_attempts": 1}))
    status, code, message = error_of(lambda: unsigned.describe_instance(InstanceId=shared_connect_service.instance_id))
    assert (status, code, message) == (403, "MissingAuthenticationTokenException", "Missing Authentication Token")


def test_more_credentials_can_be_configured(tmp_path):
    from connect_contact_local.testing import LocalConnect

    with LocalConnect(tmp_path / "connect.db", credentials={"AKIDTEAMMATE": "teammate-secret"}) as service:
        teammate = client_with(service, aws_access_key_id="AKIDTEAMMATE", aws_secret_access_key="teammate-secret")
        assert teammate.describe_instance(InstanceId=service.instance_id)["Instance"]["Id"] == service.instance_id
        assert client_with(service).describe_instance(InstanceId=service.instance_id)
        status, code, _ = error_of(lambda: client_with(service, aws_access_key_id="AKIDTEAMMATE").describe_instance(
            InstanceId=service.instance_id))
        assert (status, code) == (403, "InvalidSignatureException")
