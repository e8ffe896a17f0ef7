"""The engine's marshalling of properties over the provider protocol: Structs and Python
values, secrets and unknowns, and URNs (see `tests.support.engine` for the rules)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Optional, Union

from google.protobuf import struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc

PROVIDER_KEY = "__provider"
UNKNOWN = rpc.UNKNOWN
# The protocol's marks of a secret value: {SIG_KEY: SECRET_SIG, "value": ...} (the SDK keeps them private).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
DEFAULT_PROJECT = "connect-contact-example"
DEFAULT_STACK = "dev"

Properties = Union[Mapping[str, Any], struct_pb2.Struct]

def secret(value: Any) -> dict:
    """Mark ``value`` as secret in a Python property dict (the SDK's rpc representation)."""
    return rpc.wrap_rpc_secret(value)


def is_unknown(value: Any) -> bool:
    """True for the unknown sentinel in either its wire (string) or deserialized form."""
    return isinstance(value, Unknown) or value == UNKNOWN


def run_async(coro):
    """Run ``coro`` to completion on a fresh event loop."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def to_struct(props: Optional[Properties]) -> struct_pb2.Struct:
    """Serialize a Python dict the SDK's way; a Struct is returned unchanged."""
    if props is None:
        return struct_pb2.Struct()
    if isinstance(props, struct_pb2.Struct):
        return props
    return run_async(rpc.serialize_properties(dict(props), {}))


def from_struct(struct: Optional[struct_pb2.Struct]) -> Optional[dict]:
    """Deserialize a Struct the SDK's way, keeping unknowns as the ``UNKNOWN`` string."""
    if struct is None:
        return None
    return unknowns_as_sentinel(rpc.deserialize_properties(struct, keep_unknowns=True))


def unknowns_as_sentinel(value: Any) -> Any:
    """Replace the SDK's ``Unknown()`` objects (equal only to themselves) with ``UNKNOWN``."""
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: unknowns_as_sentinel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unknowns_as_sentinel(v) for v in value]
    return value


def copy_struct(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    """Return a deep copy of ``struct``."""
    result = struct_pb2.Struct()
    result.CopyFrom(struct)
    return result


def _is_unknown_value(value: struct_pb2.Value) -> bool:
    return value.WhichOneof("kind") == "string_value" and value.string_value == UNKNOWN


def _is_secret_value(value: struct_pb2.Value) -> bool:
    if value.WhichOneof("kind") != "struct_value":
        return False
    sig = value.struct_value.fields.get(SIG_KEY)
    return sig is not None and sig.string_value == SECRET_SIG


def _is_object_value(value: struct_pb2.Value) -> bool:
    return value.WhichOneof("kind") == "struct_value" and SIG_KEY not in value.struct_value.fields


def _contains_secrets(value: struct_pb2.Value) -> bool:
    kind = value.WhichOneof("kind")
    if _is_secret_value(value):
        return True
    if kind == "struct_value":
        return any(_contains_secrets(v) for v in value.struct_value.fields.values())
    if kind == "list_value":
        return any(_contains_secrets(v) for v in value.list_value.values)
    return False


def _wrap_secret(value: struct_pb2.Value) -> struct_pb2.Value:
    wrapped = struct_pb2.Value()
    wrapped.struct_value.fields[SIG_KEY].string_value = SECRET_SIG
    wrapped.struct_value.fields["value"].CopyFrom(value)
    return wrapped


def _marshal_value(
    value: struct_pb2.Value, keep_secrets: bool, keep_unknowns: bool
) -> Optional[struct_pb2.Value]:
    kind = value.WhichOneof("kind")
    if _is_unknown_value(value):
        return value if keep_unknowns else None
    if _is_secret_value(value):
        inner = _marshal_value(value.struct_value.fields["value"], keep_secrets, keep_unknowns)
        if inner is None or not keep_secrets:
            return inner
        return _wrap_secret(inner)
    if _is_object_value(value):
        return struct_pb2.Value(
            struct_value=marshal(value.struct_value, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns)
        )
    if kind == "list_value":
        items = (_marshal_value(v, keep_secrets, keep_unknowns) for v in value.list_value.values)
        return struct_pb2.Value(
            list_value=struct_pb2.ListValue(values=[v for v in items if v is not None])
        )
    return value


def marshal(struct: struct_pb2.Struct, *, keep_secrets: bool, keep_unknowns: bool) -> struct_pb2.Struct:
    """Apply the engine's MarshalOptions: unwrap secrets / drop unknowns unless kept."""
    result = struct_pb2.Struct()
    for key, value in struct.fields.items():
        marshalled = _marshal_value(value, keep_secrets, keep_unknowns)
        if marshalled is not None:
            result.fields[key].CopyFrom(marshalled)
    return result


def annotate_secrets(outs: struct_pb2.Struct, ins: struct_pb2.Struct) -> struct_pb2.Struct:
    """Copy secretness from ``ins`` onto same-named properties of ``outs`` (engine's annotateSecrets)."""
    result = copy_struct(outs)
    _annotate_in_place(result, ins)
    return result


def _annotate_in_place(outs: struct_pb2.Struct, ins: struct_pb2.Struct) -> None:
    for key, in_value in ins.fields.items():
        if key not in outs.fields:
            continue
        out_value = outs.fields[key]
        if _is_object_value(out_value) and _is_object_value(in_value):
            _annotate_in_place(out_value.struct_value, in_value.struct_value)
        elif not _is_secret_value(out_value) and _contains_secrets(in_value):
            outs.fields[key].CopyFrom(_wrap_secret(out_value))


def unwrap_secrets(value: Any) -> Any:
    """Strip secret wrappers from a deserialized value, recursively."""
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


def urn_name(urn: str) -> str:
    """The resource name part of a URN."""
    return urn.split("::", 3)[3]


def urn_type(urn: str) -> str:
    """The resource type of a URN (the last ``$``-separated part of its qualified type)."""
    return urn.split("::")[2].split("$")[-1]


def make_urn(
    type_: str,
    name: str,
    *,
    stack: str = DEFAULT_STACK,
    project: str = DEFAULT_PROJECT,
    parent_type: str = "",
) -> str:
    """Build a URN the way the engine does (children of the root stack get no parent prefix)."""
    if parent_type and parent_type != "pulumi:pulumi:Stack":
        type_ = f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"
