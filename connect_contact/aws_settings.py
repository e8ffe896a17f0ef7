"""pulumi-aws's provider settings (the `aws:` config keys), as this provider takes them.

A stack that uses pulumi-aws keeps its AWS settings under `aws:`, and a user who
set one expects it to apply to contacts too. Each key pulumi-aws reads is here,
exactly once: honoured (region, profile, credentials, `defaultTags`, the `connect`
entry of `endpoints`), refused (ignoring it could send contacts to another account
or identity, or skip a guard the user asked for: the run stops in one line), warned
about (ignoring it changes nothing that matters, but the user is told once), or
S3-only (nothing for Connect). A test keeps this table equal to the keys of the
installed pulumi-aws SDK (`pulumi_aws/config/vars.py`).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping, Optional

from . import endpoints

NAMESPACE = "aws"
DEFAULT_TAGS = "aws:defaultTags"
ENDPOINTS = "aws:endpoints"
CONNECT_SERVICE = "connect"

HONOURED = frozenset({"region", "profile", "accessKey", "secretKey", "token", "defaultTags", "endpoints"})

S3_ONLY = frozenset({"s3UsEast1RegionalEndpoint", "s3UsePathStyle"})
"""Settings of pulumi-aws's S3 client: they have no meaning for Connect, so nothing is said."""

_ASSUME_ROLE = ("this provider cannot assume a role, so contacts would be made with the base credentials; use "
                "aws:profile with a profile that has role_arn and source_profile (boto3 assumes it), or remove it")
_ACCOUNT_GUARD = ("this provider does not check the account it acts in; remove it, and choose the account with "
                  "aws:profile or aws:accessKey")

REFUSED: Mapping[str, str] = {
    "assumeRole": _ASSUME_ROLE,  # pulumi-aws 6's name for assumeRoles
    "assumeRoles": _ASSUME_ROLE,
    "assumeRoleWithWebIdentity": "this provider cannot assume a role with a web identity; set AWS_ROLE_ARN and "
                                 "AWS_WEB_IDENTITY_TOKEN_FILE (boto3 reads them) instead, or remove it",
    "allowedAccountIds": _ACCOUNT_GUARD,
    "forbiddenAccountIds": _ACCOUNT_GUARD,
    "sharedConfigFiles": "this provider reads one AWS config file, boto3's; set AWS_CONFIG_FILE instead, or remove it",
    "sharedCredentialsFiles": "this provider reads one AWS credentials file, boto3's; set AWS_SHARED_CREDENTIALS_FILE "
                              "instead, or remove it",
    "customCaBundle": "this provider does not read it; set AWS_CA_BUNDLE (boto3 reads it) instead, or remove it",
    "useFipsEndpoint": "this provider does not read it; set AWS_USE_FIPS_ENDPOINT=true (boto3 reads it) instead, "
                       "or remove it",
    "ignoreTags": "this provider does not ignore tags: tags set out of band show as drift and the next up removes "
                  "them; remove it, or keep those tags out of the contacts' instance",
}

_NO_SUCH_CALL = "this provider makes no such call, so there is nothing to skip"
_ENVIRONMENT = "this provider does not read it; boto3 reads {}"
_RETRIES = ("this provider does not read it; it retries with botocore's adaptive mode, up to 20 attempts with the "
            "same client token")

WARNED: Mapping[str, str] = {
    "skipCredentialsValidation": "this provider never validates credentials before use (no STS call)",
    "skipMetadataApiCheck": _NO_SUCH_CALL,
    "skipRegionValidation": "this provider does not validate the region; an unknown one fails on the first call",
    "skipRequestingAccountId": _NO_SUCH_CALL,
    "stsRegion": "this provider makes no STS call",
    "ec2MetadataServiceEndpoint": _ENVIRONMENT.format("AWS_EC2_METADATA_SERVICE_ENDPOINT"),
    "ec2MetadataServiceEndpointMode": _ENVIRONMENT.format("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
    "httpProxy": _ENVIRONMENT.format("HTTP_PROXY"),
    "httpsProxy": _ENVIRONMENT.format("HTTPS_PROXY"),
    "noProxy": _ENVIRONMENT.format("NO_PROXY"),
    "insecure": "this provider always verifies TLS certificates",
    "useDualstackEndpoint": _ENVIRONMENT.format("AWS_USE_DUALSTACK_ENDPOINT"),
    "maxRetries": _RETRIES,
    "retryMode": _RETRIES,
    "tokenBucketRateLimiterCapacity": _RETRIES,
    "userAgents": "this provider sends its own user agent (connect-contact)",
    "tagPolicyCompliance": "this provider does not check tags against the organisation's tag policies",
}

KNOWN = HONOURED | S3_ONLY | frozenset(REFUSED) | frozenset(WARNED)


class SettingError(ValueError):
    """A pulumi-aws setting this provider cannot take, in one line."""


def refusals(get: Callable[[str], Any]) -> list[str]:
    """One line per refused setting that is set in the stack's config."""
    return [f"{NAMESPACE}:{key} is not supported: {reason}" for key, reason in REFUSED.items() if _is_set(get, key)]


def warnings(get: Callable[[str], Any]) -> list[str]:
    """One line per setting, set in the stack's config, that this provider does not honour."""
    return [f"{NAMESPACE}:{key} is not used by connect-contact: {reason}"
            for key, reason in WARNED.items() if _is_set(get, key)]


def default_tags(value: Any) -> dict[str, str]:
    """`aws:defaultTags` (pulumi-aws's `{"tags": {...}}`, as JSON or an object) as a map of tags."""
    parsed = _json(DEFAULT_TAGS, value, '{"tags": {"team": "billing"}}')
    if parsed is None:
        return {}
    if not isinstance(parsed, dict) or set(parsed) - {"tags"}:
        raise SettingError(f'{DEFAULT_TAGS} must be an object with one key, "tags" (as pulumi-aws takes it), e.g. '
                           '{"tags": {"team": "billing"}}')
    tags = parsed.get("tags") or {}
    if not isinstance(tags, dict) or not all(isinstance(item, (str, int, float)) for item in tags.values()):
        raise SettingError(f"{DEFAULT_TAGS}: tags must map tag keys to strings")
    # `config set --path` stores 42 or true as a number or a boolean: tag values are their text, as in pulumi-aws
    return {key: _text(item) for key, item in tags.items()}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def connect_endpoint(value: Any) -> Optional[str]:
    """The `connect` entry of `aws:endpoints` (pulumi-aws's list of `{service: URL}` objects), if any."""
    parsed = _json(ENDPOINTS, value, '[{"connect": "https://connect.example.com"}]')
    if parsed is None:
        return None
    if isinstance(parsed, dict):
        parsed = [parsed]
    if not isinstance(parsed, list) or not all(isinstance(entry, dict) for entry in parsed):
        raise SettingError(f'{ENDPOINTS} must be a list of objects naming services, e.g. '
                           '[{"connect": "https://connect.example.com"}]')
    urls = [entry[CONNECT_SERVICE] for entry in parsed if entry.get(CONNECT_SERVICE)]
    if len(set(urls)) > 1:
        raise SettingError(f"{ENDPOINTS} names more than one connect endpoint ({', '.join(urls)}); keep one")
    if urls and not endpoints.is_url(urls[0]):
        raise SettingError(f"{ENDPOINTS}: connect must be an http:// or https:// URL, not {urls[0]!r}")
    return urls[0] if urls else None


def merged_tags(defaults: Mapping[str, str], own: Any) -> Any:
    """The tags a contact gets: `defaults` (aws:defaultTags) under its own, as pulumi-aws merges them.
    Own tags not known yet (a preview) stay unknown."""
    if not defaults or not (own is None or isinstance(own, dict)):
        return own
    return {**defaults, **(own or {})}


def from_defaults(defaults: Mapping[str, str], own: Any) -> list[str]:
    """The keys of the merged tags that come from aws:defaultTags (not overridden by the contact's own)."""
    own_keys = set(own) if isinstance(own, dict) else set()
    return [key for key in defaults if key not in own_keys]


def _is_set(get: Callable[[str], Any], key: str) -> bool:
    value = get(f"{NAMESPACE}:{key}")
    return value is not None and value != ""


def _json(key: str, value: Any, example: str) -> Any:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise SettingError(f"{key} is not valid JSON; set it as pulumi-aws takes it, e.g. {example}") from None
