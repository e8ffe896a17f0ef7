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


class EndpointError(ValueError):
    """An endpoint that is neither `local` nor a URL botocore can send to."""


def resolve(configured: Optional[str], source: Optional[str], environ: Mapping[str, str]) -> Endpoint:
    """The endpoint from stack config (`configured`, from the key `source`), else boto3's variables.
    Raises EndpointError, naming where it came from, for one that is neither `local` nor a URL."""
    if configured:
        return _checked(Endpoint(configured, source))
    if environ.get(IGNORE_ENDPOINTS_ENV, "").lower() == "true":
        return Endpoint()
    for name in ENDPOINT_ENV:
        if environ.get(name):
            return _checked(Endpoint(environ[name], name))
    return Endpoint()


def is_url(url: object) -> bool:
    """Whether `url` is an http(s) URL botocore can send to: a host, and a port in 0-65535 if any."""
    if not isinstance(url, str) or url != url.strip():
        return False
    parsed = urlparse(url)
    try:
        parsed.port  # raises for a port that is not a number in 0-65535
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def _checked(endpoint: Endpoint) -> Endpoint:
    url = endpoint.url or ""
    if url != LOCAL and not is_url(url):
        raise EndpointError(f"{endpoint.source or 'the endpoint'} must be `{LOCAL}` or an http:// or https:// URL "
                            f"with a host and an optional port (http://127.0.0.1:8911), not {url!r}; fix it or remove it")
    return endpoint


def is_loopback(url: str) -> bool:
    """Whether `url` is a service on this machine."""
    host = urlparse(url).hostname or ""
    return host == "localhost" or host == "::1" or host.startswith("127.")
