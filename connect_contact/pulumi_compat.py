"""Every assumption the provider makes about Pulumi's internals, in one place.

Where the SDK has a public hook or constant, it is used; what is left is named here, and each
assumption has a test (`tests/test_pulumi_compat.py`) that fails, by name, when a Pulumi upgrade
breaks it.
"""

from __future__ import annotations

import sys
import traceback
import types
from typing import Any, Callable, Mapping

import pulumi
from pulumi.dynamic import dynamic as _dynamic
from pulumi.output import Unknown
from pulumi.runtime import rpc

UNKNOWN: str = rpc.UNKNOWN
"""How the engine marks a value not known until apply (preview) on the wire: the SDK's own constant."""
PROVIDER_KEY: str = _dynamic.PROVIDER_KEY
"""The input under which `pulumi.dynamic.Resource` registers its serialised provider."""
DYNAMIC_PACKAGE = "pulumi-python"
"""The package of every dynamic resource's type token (`pulumi-python:dynamic/<module>:<name>`)."""
HOST_SERVICER = "DynamicResourceProviderServicer"
"""The class that marks the running dynamic-provider host (`python -m pulumi.dynamic`) as `__main__`."""


def is_unknown(value: Any) -> bool:
    """Unknown as the host hands it over (`pulumi.output.Unknown`) or as the wire sentinel."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def secret(value: Any) -> Any:
    """`value` marked secret in the protocol's own form, which the dynamic host passes on as it is:
    the engine stores it encrypted and shows it masked."""
    return rpc.wrap_rpc_secret(value)


def revealed(value: Any) -> Any:
    """`value` with its protocol secrets unwrapped, as the dynamic host hands inputs to `check`."""
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {key: revealed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [revealed(item) for item in value]
    return value


def dynamic_type(resource_class: type) -> str:
    """The type token a `pulumi.dynamic.Resource` subclass registers with: the SDK builds it from
    the class's `module=`/`name=` into `_resource_type_name`, with no public accessor."""
    return f"{DYNAMIC_PACKAGE}:{getattr(resource_class, '_resource_type_name')}"


def providers_of(resource: pulumi.Resource) -> Mapping[str, Any]:
    """The providers a resource passes to its children, by package (`_providers`; no public accessor)."""
    return getattr(resource, "_providers", None) or {}


def in_dynamic_host() -> bool:
    """Whether this process is Pulumi's dynamic-provider host (`python -m pulumi.dynamic`)."""
    host = sys.modules.get("__main__")
    return host is not None and hasattr(host, HOST_SERVICER)


def report_in_one_line(expected: type[BaseException]) -> bool:
    """Make the running dynamic host report `expected` errors as their message alone, without a
    traceback; other errors keep theirs. The host reports every exception a provider raises with
    its module global `traceback`'s `format_exc()`: it gets a `traceback` whose `format_exc` does
    that. Returns whether it was installed: False outside the host, or in a host that no longer
    reports that way (`tests/test_pulumi_compat.py` fails on such a Pulumi release)."""
    host = sys.modules.get("__main__")
    if not in_dynamic_host() or getattr(host, "traceback", None) is not traceback:
        return False
    shim = types.ModuleType("traceback")
    shim.__dict__.update(traceback.__dict__)
    shim.format_exc = _one_line_format_exc(expected)  # type: ignore[attr-defined]
    setattr(host, "traceback", shim)
    return True


def _one_line_format_exc(expected: type[BaseException]) -> Callable[..., str]:
    def format_exc(limit: Any = None, chain: bool = True) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, expected):
            return f"{error}\n"
        return traceback.format_exc(limit=limit, chain=chain)
    return format_exc
