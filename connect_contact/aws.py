"""The boto3 `connect` client built from stack config, and AWS errors as one clear line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import boto3
import botocore.config
import botocore.exceptions

from . import local

CONFIG_REGION = "aws:region"
CONFIG_PROFILE = "aws:profile"
CONFIG_ENDPOINT = "connect-contact:endpoint"
LOCAL_ENDPOINT = "local"
ENDPOINT_ENV = ("AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL")
LOCAL_REGION = "us-east-1"
IAM_ACTIONS = (
    "connect:CreateContact",
    "connect:DescribeContact",
    "connect:UpdateContact",
    "connect:UpdateContactAttributes",
    "connect:ListContactReferences",
    "connect:StopContact",
    "connect:TagContact",
)
# botocore's retries, with the same ClientToken on every attempt. Measured at the rate limit with
# every contact API throttled (BENCHMARKS.md): "adaptive" ran at 0.96-1.24 x N / R (median 1.05),
# "standard" at 0.96-1.02, but adaptive drew about 20x fewer throttled responses: it slows down
# when throttled, leaving the account's quotas, shared with the contact centre's traffic, to that
# traffic. 20 attempts absorb throttling even at 2 requests per second; against an endpoint that
# is down, botocore's retry quota ends the retrying within seconds.
RETRIES = {"mode": "adaptive", "max_attempts": 20}


class ConnectContactError(Exception):
    """An expected failure, reported to the user as one line."""


@dataclass(frozen=True)
class ClientSettings:
    region: Optional[str] = None
    profile: Optional[str] = None
    endpoint: Optional[str] = None

    @classmethod
    def from_config(cls, get) -> "ClientSettings":
        """Settings from stack config, `get` being `pulumi.dynamic.Config.get` or `dict.get`."""
        return cls(region=get(CONFIG_REGION) or None, profile=get(CONFIG_PROFILE) or None,
                   endpoint=get(CONFIG_ENDPOINT) or None)


def resolve_endpoint(settings: ClientSettings, environ: Mapping[str, str] = os.environ,
                     session: Optional[boto3.session.Session] = None) -> tuple[Optional[str], dict]:
    """(endpoint URL, or None for boto3's own; credentials the client must be given, if any).

    The local Connect service is used when the endpoint is `local`, or when no endpoint
    is configured and boto3 finds no AWS credentials at all; it is started if needed. A
    service on this machine gets placeholder credentials when boto3 finds none.
    """
    endpoint = settings.endpoint
    if endpoint == LOCAL_ENDPOINT:
        return local.ensure_running(), dict(local.CREDENTIALS)
    has_credentials = (session or _session(settings)).get_credentials() is not None
    if not endpoint and not _environment_endpoint(environ) and not has_credentials:
        return local.ensure_running(), dict(local.CREDENTIALS)
    if endpoint and local.is_loopback(endpoint) and not has_credentials:
        return endpoint, dict(local.CREDENTIALS)
    return endpoint, {}


def make_client(settings: ClientSettings, environ: Mapping[str, str] = os.environ):
    """A `connect` client: AWS through boto3's own chain, or the local Connect service."""
    try:
        session = _session(settings)
        endpoint, credentials = resolve_endpoint(settings, environ, session)
        region = session.region_name or (LOCAL_REGION if endpoint or _environment_endpoint(environ) else None)
        if region is None:
            raise ConnectContactError(f"no AWS region: set it with `pulumi config set {CONFIG_REGION} <region>`")
        config = botocore.config.Config(retries=dict(RETRIES), user_agent_extra="connect-contact")
        return session.client("connect", region_name=region, endpoint_url=endpoint, config=config, **credentials)
    except botocore.exceptions.BotoCoreError as error:
        raise ConnectContactError(f"cannot make the Amazon Connect client: {_one_line(str(error))}") from None


def _environment_endpoint(environ: Mapping[str, str]) -> bool:
    """Whether boto3's own endpoint variables point the client somewhere."""
    return any(environ.get(name) for name in ENDPOINT_ENV)


def _session(settings: ClientSettings) -> boto3.session.Session:
    try:
        return boto3.session.Session(profile_name=settings.profile, region_name=settings.region)
    except botocore.exceptions.ProfileNotFound:
        raise ConnectContactError(f"the AWS profile {settings.profile!r} ({CONFIG_PROFILE}) is not in the AWS "
                                  "config files; fix the name or `pulumi config rm aws:profile`") from None


def error_code(error: Exception) -> Optional[str]:
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code")
    return None


def explain(error: Exception, operation: str, *, instance_id: Any = None, contact_id: Any = None) -> ConnectContactError:
    """One line: the operation, the contact or instance, AWS's code and message, and the fix where known."""
    target = f"contact {contact_id} in instance {instance_id}" if contact_id else f"instance {instance_id}"
    if isinstance(error, botocore.exceptions.ClientError):
        code = error_code(error) or "Error"
        message = error.response.get("Error", {}).get("Message") or str(error)
        fix = _FIXES.get(code, "")
        return ConnectContactError(f"{operation} on {target} failed: {code}: {_one_line(message)}{fix and '. ' + fix}")
    if isinstance(error, botocore.exceptions.NoCredentialsError):
        return ConnectContactError(f"{operation} on {target} failed: no AWS credentials. Set aws:profile, the AWS_* "
                                   f"environment variables, or `pulumi config set {CONFIG_ENDPOINT} local`")
    if isinstance(error, botocore.exceptions.BotoCoreError):
        return ConnectContactError(f"{operation} on {target} failed: {_one_line(str(error))}")
    return ConnectContactError(f"{operation} on {target} failed: {_one_line(repr(error))}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


_FIXES = {
    "AccessDeniedException": "Allow these IAM actions on the instance's contacts: " + ", ".join(IAM_ACTIONS),
    "ResourceNotFoundException": f"Check instanceId (the instance's ID, not its ARN) and the region ({CONFIG_REGION})",
    "IdempotencyException": "The clientToken was already used for a CreateContact with other values, by another "
                            "resource or program; give this contact its own client_token, or leave it unset",
    "ThrottlingException": "Connect kept throttling after every retry; apply with fewer resources at once (--parallel)",
    "ServiceQuotaExceededException": "Raise the Amazon Connect service quota, or create fewer contacts",
    "InvalidRequestException": "Correct the contact's inputs",
    "InvalidParameterException": "Correct the contact's inputs",
}
