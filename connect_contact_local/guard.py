"""Who may talk to the service: what AWS refuses, and what a web page could forge.

A browser can make any page send a request to a port on this machine, but it
cannot add an `Authorization` header without the service agreeing (CORS), and a
DNS-rebinding page can only reach it under a name of its own in `Host`. So:

- every AWS request must be signed (SigV4) with credentials the service issued, as AWS
  requires (`signatures` checks it);
- `Host` must name the address the service listens on (or `localhost` when that
  address is loopback), with its port;
- a request with an `Origin` header (what browsers add, and SDKs never send) is refused;
- the `/_local/` admin endpoints need the admin token, a secret only the owner of
  the database's directory can read.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Optional

from werkzeug.wrappers import Request

from .files import ADMIN_TOKEN_HEADER

_WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")


def foreign_request(request: Request) -> Optional[str]:
    """Why a request must be refused whoever sends it (a foreign Host or Origin), or None."""
    if "Origin" in request.headers:
        return f"requests from web pages are refused (Origin {request.headers['Origin'][:80]!r})"
    host, port = _split_host(request.headers.get("Host", ""))
    listening = request.environ.get("SERVER_NAME", "")
    if port != str(request.environ.get("SERVER_PORT", "")) or not _names_listening_address(host, listening):
        return f"Host {request.headers.get('Host', '')[:80]!r} is not the address this service listens on"
    return None


def has_admin_token(request: Request, token: str) -> bool:
    given = request.headers.get(ADMIN_TOKEN_HEADER, "")
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def _split_host(header: str) -> tuple[str, str]:
    if header.startswith("["):
        host, _, rest = header[1:].partition("]")
        return host, rest[1:] if rest.startswith(":") else ""
    host, _, port = header.rpartition(":")
    return (host, port) if host else (header, "")


def _names_listening_address(host: str, listening: str) -> bool:
    if host == listening:
        return True
    if listening in _WILDCARD_ADDRESSES:
        return _is_ip(host) or host == "localhost"
    return host == "localhost" and _is_loopback(listening)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _is_loopback(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False
