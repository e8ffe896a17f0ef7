"""Helpers shared by the local Connect service's tests (tests/test_emulator_*.py)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from connect_contact import local
from connect_contact.launcher import PLACEHOLDER_CREDENTIALS

FAR_PAST = 0.0
FAR_FUTURE = 4_102_444_800.0  # 2100-01-01
TASK = {"Channel": "TASK", "InitiationMethod": "API"}
EMAIL_OUTBOUND = {"Channel": "EMAIL", "InitiationMethod": "OUTBOUND"}
VOICE_TRANSFER = {"Channel": "VOICE", "InitiationMethod": "TRANSFER"}
USER = {"UserInfo": {"UserId": "agent-1"}}

def signed(method: str, host: str, target: str, body: bytes = b"", region: str = "us-east-1",
           credentials: dict = PLACEHOLDER_CREDENTIALS) -> dict[str, str]:
    """The headers that sign a raw request (SigV4, by botocore's signer, over Host and X-Amz-Date)
    with the credentials the local service issues: `target` is the path and query as sent."""
    request = AWSRequest(method=method, url=f"http://{host}{target}", data=body, headers={"Host": host})
    SigV4Auth(Credentials(credentials["aws_access_key_id"], credentials["aws_secret_access_key"]),
              "connect", region).add_auth(request)
    return {"Authorization": request.headers["Authorization"], "X-Amz-Date": request.headers["X-Amz-Date"]}


LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": PLACEHOLDER_CREDENTIALS["aws_access_key_id"],
                     "AWS_SECRET_ACCESS_KEY": PLACEHOLDER_CREDENTIALS["aws_secret_access_key"]}
"""Environment variables that give a process (a provider host) credentials for the local service."""


def create_task(client, instance_id: str, **members) -> str:
    return client.create_contact(InstanceId=instance_id, **{**TASK, **members})["ContactId"]


def describe(client, instance_id: str, contact_id: str) -> dict:
    return client.describe_contact(InstanceId=instance_id, ContactId=contact_id)["Contact"]


def all_contacts(client, instance_id: str, time_type: str = "INITIATION_TIMESTAMP", **search) -> list[dict]:
    """Every contact a time-range search finds, page after page."""
    params = {"InstanceId": instance_id,
              "TimeRange": {"Type": time_type, "StartTime": FAR_PAST, "EndTime": FAR_FUTURE}, **search}
    found = []
    while True:
        page = client.search_contacts(**params)
        found += page["Contacts"]
        if not page.get("NextToken"):
            return found
        params["NextToken"] = page["NextToken"]


def raises(client, error_code: str):
    """pytest.raises for the modelled exception class boto3 maps `error_code` to."""
    return pytest.raises(getattr(client.exceptions, error_code))


def end_local_service(project_dir: Path) -> None:
    """End the local service a project started (`connect-contact:endpoint local`), if it runs."""
    try:
        os.kill(int((project_dir / local.PID_FILE).read_text()), signal.SIGTERM)
    except (OSError, ValueError):
        pass
