"""Helpers shared by the local Connect service's tests (tests/test_emulator_*.py)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from connect_contact import local

FAR_PAST = 0.0
FAR_FUTURE = 4_102_444_800.0  # 2100-01-01
TASK = {"Channel": "TASK", "InitiationMethod": "API"}
EMAIL_OUTBOUND = {"Channel": "EMAIL", "InitiationMethod": "OUTBOUND"}
VOICE_TRANSFER = {"Channel": "VOICE", "InitiationMethod": "TRANSFER"}
USER = {"UserInfo": {"UserId": "agent-1"}}

SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/connect/aws4_request, "
                           "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64}
"""The header of a SigV4-signed request, for raw HTTP requests (the service checks that requests are
signed, as AWS does, but not the signature)."""

LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret-key"}
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
