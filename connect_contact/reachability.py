"""Whether a Connect endpoint can be reached at all, asked once before a process's first call.

botocore retries a connection that could not be opened as it retries throttling: 21 attempts with
exponential backoff took 113 s against a closed port and 130 s against an unknown host name
(BENCHMARKS.md), although nothing was ever sent. A few direct attempts to open a TCP connection
settle that within seconds. Through a proxy the endpoint is the proxy's to reach, so nothing is
probed."""

from __future__ import annotations

import socket
import time
from typing import Callable, Mapping, Optional
from urllib.parse import urlparse

RETRY_DELAYS = (0.5, 1.0)
"""Seconds between the attempts to open a connection: three over about a second and a half, so a
momentary fault (a service restarting, a resolver hiccup) is not taken for a wrong endpoint."""
CONNECT_TIMEOUT = 5.0
"""Seconds one attempt waits for a host that does not answer (a firewall dropping packets)."""
_DEFAULT_PORTS = {"https": 443, "http": 80}


def unreachable_reason(endpoint_url: str, proxies: Mapping[str, str],
                       sleep: Callable[[float], None] = time.sleep) -> Optional[str]:
    """Why no TCP connection to `endpoint_url` could be opened in any attempt, in words for the
    user; None once one opens, or when a proxy in `proxies` (by URL scheme) carries the requests."""
    parsed = urlparse(endpoint_url)
    host = parsed.hostname
    if not host or proxies.get(parsed.scheme):
        return None
    port = parsed.port or _DEFAULT_PORTS.get(parsed.scheme, 443)
    reason = ""
    for delay in (*RETRY_DELAYS, None):
        try:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
                return None
        except socket.gaierror:
            reason = f"the host name {host} is not known (DNS)"
        except socket.timeout:
            reason = f"{host}:{port} did not answer within {CONNECT_TIMEOUT:.0f} seconds"
        except ConnectionRefusedError:
            reason = f"nothing listens on {host}:{port} (connection refused)"
        except OSError as error:
            reason = f"{host}:{port}: {error.strerror or error}"
        if delay is not None:
            sleep(delay)
    attempts = len(RETRY_DELAYS) + 1
    return f"{reason}, in {attempts} attempt{'s' if attempts > 1 else ''}"
