"""Where contacts go, resolved in one place: the project's local service, a configured URL, or AWS.

The endpoint is configuration alone (`connect-contact:endpoint`, then the `connect` entry of
pulumi-aws's `aws:endpoints`, then boto3's own endpoint variables), never a guess from whether
credentials happen to exist or where a URL points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import urlparse

LOCAL = "local"
"""`connect-contact:endpoint local`: the project's own local Connect service."""
ENDPOINT_ENV = ("AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL")
IGNORE_ENDPOINTS_ENV = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"


@dataclass(frozen=True)
class Endpoint:
    """`local`, a URL (`url`), or AWS (`url` None: boto3 resolves it, an AWS profile's
    `endpoint_url` included); `source` names the setting it came from."""

    url: Optional[str] = None
    source: Optional[str] = None

    @property
    def is_local(self) -> bool:
        return self.url == LOCAL

    @property
    def is_aws(self) -> bool:
        return self.url is None


def resolve(configured: Optional[str], source: Optional[str], environ: Mapping[str, str]) -> Endpoint:
    """The endpoint from stack config (`configured`, from the key `source`), else boto3's variables."""
    if configured:
        return Endpoint(configured, source)
    if environ.get(IGNORE_ENDPOINTS_ENV, "").lower() == "true":
        return Endpoint()
    for name in ENDPOINT_ENV:
        if environ.get(name):
            return Endpoint(environ[name], name)
    return Endpoint()


def is_loopback(url: str) -> bool:
    """Whether `url` is a service on this machine."""
    host = urlparse(url).hostname or ""
    return host == "localhost" or host == "::1" or host.startswith("127.")
