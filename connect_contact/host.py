"""Integration with Pulumi's dynamic-provider host (`python -m pulumi.dynamic`).

Results carry secrets in the protocol's own form (`secret`), which the host passes on unchanged.

The host reports every exception a provider raises with
`traceback.format_exc()`. For expected failures (`ConnectContactError`) a
traceback is noise: the user needs the one line that says what failed and how
to fix it. `report_expected_errors_in_one_line` gives the host a `traceback`
whose `format_exc` does exactly that, and defers to the real module for
everything else, so genuine bugs keep their tracebacks.
"""

from __future__ import annotations

import sys
import traceback
import types
from typing import Any

from pulumi.runtime import rpc

from .aws import ConnectContactError

_HOST_SERVICER = "DynamicResourceProviderServicer"


def _format_exc(limit=None, chain=True) -> str:
    error = sys.exc_info()[1]
    if isinstance(error, ConnectContactError):
        return f"{error}\n"
    return traceback.format_exc(limit=limit, chain=chain)


def secret(value: Any) -> Any:
    """`value` marked secret in a result the host serialises as it is: the engine reads create, read
    and update results keeping secrets, so it is stored encrypted and shown masked."""
    return rpc.wrap_rpc_secret(value)


def report_expected_errors_in_one_line() -> None:
    """Install the one-line report in the running host; a no-op anywhere else."""
    host = sys.modules.get("__main__")
    if host is None or not hasattr(host, _HOST_SERVICER) or getattr(host, "traceback", None) is not traceback:
        return
    shim = types.ModuleType("traceback")
    shim.__dict__.update(traceback.__dict__)
    shim.format_exc = _format_exc
    host.traceback = shim
