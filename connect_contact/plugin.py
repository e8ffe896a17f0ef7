"""The plugin face of the core: `pulumi-resource-connect-contact`, a Pulumi provider plugin serving
`connect-contact:index:Contact` to programs in any Pulumi language, on Pulumi's Python provider SDK
(`pulumi.provider.experimental`).

Like the dynamic face (`provider.ContactProvider`) it is a thin adapter over `lifecycle`: it turns
property values into the core's plain maps and back, marks the sensitive fields secret, and sends
the core's lines to the engine's log, on the resource they are about. What the dynamic host cannot
do, it does: a detailed diff (each changed property with its kind, so plans name exactly what
changes and `replaceOnChanges` applies), import by reading the contact, its own resource type, and
inputs with no internals (the token scope comes from the URN; a derived client token is an output).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextvars
import json
import re
import sys
from importlib import resources
from typing import Any, Callable, Mapping, Optional, TypeVar

import grpc
import grpc.aio
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2, provider_pb2_grpc

from . import arns, plugin_settings, schema, token
from .aws import ConnectContactError
from .lifecycle import Lifecycle, contains_unknown, derived_token
from .pulumi_compat import UNKNOWN, is_unknown

PROPERTIES = frozenset(field.state for field in schema.FIELDS)
"""What the plugin's state holds: the table's fields (the dynamic face's also keeps the token scope)."""
PROVIDER_OUTPUTS = frozenset(field.state for field in schema.FIELDS if field.mode is schema.Mode.COMPUTED or field.kept)
"""The outputs no input gives: an update keeps them (the contact's ID, ARN, token, ...)."""
PLANNED_UNKNOWN_ON_CREATE = ("contactId", "contactArn", "initiationTimestamp", "lastUpdateTimestamp")
"""What a planned create leaves unknown; the derived client token is no input, so not shown in the plan."""
PLANNED_UNKNOWN_ON_UPDATE = ("lastUpdateTimestamp",)
WORKERS = 64
"""Requests served at once: each is mostly waiting on Connect, and the engine sends up to `--parallel`."""
_URN: contextvars.ContextVar[str] = contextvars.ContextVar("urn", default="")
T = TypeVar("T")


# --------------------------------------------------------------------------- property values


def plain(value: PropertyValue) -> Any:
    """A property value as the core takes it: secrets revealed, unknowns as the wire sentinel."""
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, Mapping):
        return {key: plain(item) for key, item in inner.items()}
    if isinstance(inner, tuple):
        return [plain(item) for item in inner]
    if isinstance(inner, float) and inner.is_integer():
        return int(inner)
    return inner


def plain_map(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {key: plain(value) for key, value in values.items()}


def wire(value: Any, secret: bool = False) -> PropertyValue:
    """A plain value as a property value (`secret`: marked secret as a whole)."""
    if is_unknown(value):
        converted = PropertyValue(UNKNOWN)  # the wire sentinel: the SDK cannot marshal its own Computed
    elif isinstance(value, dict):
        converted = PropertyValue({key: wire(item) for key, item in value.items()})
    elif isinstance(value, (list, tuple)):
        converted = PropertyValue([wire(item) for item in value])
    elif isinstance(value, int) and not isinstance(value, bool):
        converted = PropertyValue(float(value))
    else:
        converted = PropertyValue(value)
    return converted.with_secret(True) if secret else converted


def wire_map(values: Mapping[str, Any], secret_keys: frozenset[str] = frozenset()) -> dict[str, PropertyValue]:
    """Plain values as property values, the sensitive fields (and `secret_keys`) secret."""
    return {key: wire(value, key in schema.SECRET_OUTPUTS or key in secret_keys) for key, value in values.items()}


def _secret_keys(values: Mapping[str, PropertyValue]) -> frozenset[str]:
    return frozenset(key for key, value in values.items() if value.contains_secret())


# --------------------------------------------------------------------------- URNs and tokens


def token_scope(urn: str) -> str:
    """Project, stack, the parent's type (if any) and the resource name, as the dynamic face derives
    them from its resource: what makes a resource's URN unique."""
    stack, project, qualified_type, name = urn.removeprefix("urn:pulumi:").split("::", 3)
    types = qualified_type.split("$")
    parent_part = f"{types[-2]}$" if len(types) > 1 else ""
    return f"{project}/{stack}/{parent_part}{name}"


def _without_internals(inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the user sees them: no token scope, and a client token only when the user gave it."""
    return {key: value for key, value in inputs.items()
            if key != schema.TOKEN_SCOPE and not (key == schema.TOKEN_FIELD.state and token.is_derived(value))}


def _state(outs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in outs.items() if key in PROPERTIES}


# --------------------------------------------------------------------------- the provider


class ContactPlugin(sdk.Provider):
    """The provider behind `connect-contact:index:Contact`. `log(severity, message, urn)` takes the
    lines the user is to see."""

    def __init__(self, log: Callable[[int, str, str], None]) -> None:
        self._log = log
        self._core = Lifecycle(warn=self._say(engine_pb2.WARNING), info=self._say(engine_pb2.INFO), reads_imports=True)

    def _say(self, severity: int) -> Callable[[str], None]:
        return lambda message: self._log(severity, plugin_settings.in_plugin_terms(message), _URN.get())

    async def _run(self, urn: str, work: Callable[[], T], timeout: float = 0, operation: str = "") -> T:
        """`work` on a worker thread (the core waits on Connect), its lines logged on `urn`; given a
        `timeout` (the resource's customTimeouts for `operation`), the step fails when it passes."""
        _URN.set(urn)
        try:
            return await asyncio.wait_for(asyncio.to_thread(work), timeout or None)
        except ConnectContactError as error:
            raise ExpectedError(plugin_settings.in_plugin_terms(str(error))) from None
        except TimeoutError:
            # The calls under way still finish; the contact's client token lets the next `up` find
            # what they did.
            raise ExpectedError(f"the {operation} did not finish within customTimeouts.{operation} ({timeout:g} s); "
                                "run `pulumi up` again, or allow more time") from None

    async def get_schema(self, request: sdk.GetSchemaRequest) -> sdk.GetSchemaResponse:
        return sdk.GetSchemaResponse(schema_text())

    async def check_config(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        given = plain_map(request.new_inputs)
        failures = [sdk.CheckFailure(key, f"is not a setting of {plugin_settings.PACKAGE}; use one of "
                                          f"{', '.join(plugin_settings.BY_KEY)}")
                    for key in plugin_settings.unknown_keys(given)]
        inputs = {key: value.with_secret(True) if key in plugin_settings.BY_KEY and plugin_settings.BY_KEY[key].secret
                  else value for key, value in request.new_inputs.items()}
        return sdk.CheckResponse(inputs=inputs, failures=failures)

    async def configure(self, request: sdk.ConfigureRequest) -> sdk.ConfigureResponse:
        values = plain_map(request.args)  # the engine always sends them; `variables` is the older spelling
        await self._run("", lambda: self._core.configure(plugin_settings.getter(values)))
        return sdk.ConfigureResponse(accept_secrets=True, supports_preview=True, accept_resources=False,
                                     accept_outputs=False)

    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        olds, news = plain_map(request.old_inputs), plain_map(request.new_inputs)
        news[schema.TOKEN_SCOPE] = token_scope(request.urn)
        checked = await self._run(request.urn, lambda: self._core.check(olds, news))
        inputs = _without_internals(checked.inputs)
        if schema.TOKEN_FIELD.state not in request.new_inputs:  # derived (or, in a preview, not yet known)
            inputs.pop(schema.TOKEN_FIELD.state, None)
        return sdk.CheckResponse(inputs=wire_map(inputs, _secret_keys(request.new_inputs)),
                                 failures=[sdk.CheckFailure(path, reason) for path, reason in checked.failures])

    async def diff(self, request: sdk.DiffRequest) -> sdk.DiffResponse:
        olds, news = plain_map(request.old_state), plain_map(request.new_inputs)
        diffed = await self._run(request.urn, lambda: self._core.diff(request.resource_id, olds, news))
        detailed = detailed_diff(diffed.replaces, diffed.updates, olds, news)
        if diffed.changes and not detailed:  # an imported state the dynamic face adopts; never here
            raise ExpectedError("the contact's state cannot be diffed; run `pulumi refresh`")
        return sdk.DiffResponse(changes=bool(detailed), replaces=diffed.replaces, stables=diffed.stables,
                                delete_before_replace=diffed.delete_before_replace, diffs=list(detailed),
                                detailed_diff=detailed)

    async def create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        props = plain_map(request.properties)
        if request.preview:  # no Connect call: what Connect will say is unknown
            planned = {**dict.fromkeys(PLANNED_UNKNOWN_ON_CREATE, UNKNOWN), **props}
            return sdk.CreateResponse("", wire_map(planned, _secret_keys(request.properties)))
        props[schema.TOKEN_SCOPE] = token_scope(request.urn)
        if not props.get(schema.TOKEN_FIELD.state):
            props[schema.TOKEN_FIELD.state] = derived_token({}, props)
        made = await self._run(request.urn, lambda: self._core.create(props), request.timeout, "create")
        return sdk.CreateResponse(made.id, wire_map(_state(made.outs), _secret_keys(request.properties)))

    async def read(self, request: sdk.ReadRequest) -> sdk.ReadResponse:
        props = plain_map(request.properties)
        importing = not props
        region = arns.region_of(request.resource_id)
        configured = self._core.settings.region
        if importing and region and configured and region != configured:
            props[schema.REGION_FIELD.state] = region  # an ARN names the contact's region
        made = await self._run(request.urn, lambda: self._core.read(request.resource_id, props))
        if not made.id:
            if importing:  # an empty answer would import an empty state
                raise ExpectedError(f"contact {request.resource_id} does not exist; check the import ID "
                                    f"('<instanceId>:<contactId>' or the contact ARN) and the region")
            return sdk.ReadResponse("", {}, {})  # gone: the engine drops it from the stack
        secrets = _secret_keys(request.properties) | _secret_keys(request.inputs)
        inputs = _without_internals(made.inputs or {})
        return sdk.ReadResponse(made.id, wire_map(_state(made.outs), secrets), wire_map(inputs, secrets))

    async def update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        olds, news = plain_map(request.olds), plain_map(request.news)
        if request.preview:  # no Connect call: the same contact, with the new inputs
            kept = {key: value for key, value in olds.items() if key in PROVIDER_OUTPUTS}
            planned = {**kept, **news, **dict.fromkeys(PLANNED_UNKNOWN_ON_UPDATE, UNKNOWN)}
            return sdk.UpdateResponse(wire_map(planned, _secret_keys(request.news)))
        made = await self._run(request.urn, lambda: self._core.update(request.resource_id, olds, news),
                               request.timeout, "update")
        return sdk.UpdateResponse(wire_map(_state(made.outs), _secret_keys(request.news)))

    async def delete(self, request: sdk.DeleteRequest) -> None:
        props = plain_map(request.properties)
        await self._run(request.urn, lambda: self._core.delete(request.resource_id, props), request.timeout, "delete")


def detailed_diff(replaces: list[str], updates: list[str], olds: dict[str, Any],
                  news: dict[str, Any]) -> dict[str, sdk.PropertyDiff]:
    """Each change with its kind, against the old state (not the old inputs); a map changed in part,
    entry by entry (`attributes.team`, `tags["cost-centre"]`), so a plan names exactly what changes
    and `replaceOnChanges` can name one entry."""
    detailed: dict[str, sdk.PropertyDiff] = {}
    for key in [*replaces, *updates]:
        replace, field = key in replaces, schema.BY_STATE[key]
        old, new = schema.normalized(field, olds.get(key)), schema.normalized(field, news.get(key))
        entries = {}
        if isinstance(old, dict) and isinstance(new, dict) and field.shape is not None \
                and field.shape.type_name == "map" and not contains_unknown(new):
            entries = {_entry_path(key, entry): _kind(old.get(entry), new.get(entry), replace)
                       for entry in sorted(set(old) | set(new)) if old.get(entry) != new.get(entry)}
        for path, kind in (entries or {key: _kind(old, new, replace)}).items():
            detailed[path] = sdk.PropertyDiff(kind, False)
    return detailed


def _entry_path(key: str, entry: str) -> str:
    """A map entry's property path, as the engine parses one."""
    return f"{key}.{entry}" if _IDENTIFIER.fullmatch(entry) else f"{key}[{json.dumps(entry)}]"


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _kind(old: Any, new: Any, replaces: bool) -> sdk.PropertyDiffKind:
    if schema.is_empty(old):
        return sdk.PropertyDiffKind.ADD_REPLACE if replaces else sdk.PropertyDiffKind.ADD
    if schema.is_empty(new):
        return sdk.PropertyDiffKind.DELETE_REPLACE if replaces else sdk.PropertyDiffKind.DELETE
    return sdk.PropertyDiffKind.UPDATE_REPLACE if replaces else sdk.PropertyDiffKind.UPDATE


def schema_text() -> str:
    """The package schema, as generated from the field table (`python -m tools.generate`)."""
    return resources.files(__package__).joinpath("pulumi-schema.json").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the gRPC server


class ExpectedError(Exception):
    """An error the user is to see as its one line."""


class _Servicer(ProviderServicer):
    """Pulumi's servicer, answering an expected error with its one line instead of a Python traceback
    (the SDK's servicer raises every error again with its traceback appended; the original is the
    raised error's context), and with a DiffConfig of its own (the SDK's cannot send a detailed diff)."""

    async def DiffConfig(self, request, context):
        olds, news = plain_map(PropertyValue.unmarshal_map(request.olds)), plain_map(
            PropertyValue.unmarshal_map(request.news))
        # A changed setting updates the provider: its contacts stay, and are found by their IDs.
        changed = sorted(key for key in plugin_settings.BY_KEY if olds.get(key) != news.get(key))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed, hasDetailedDiff=True,
            detailedDiff={key: provider_pb2.PropertyDiff(kind=provider_pb2.PropertyDiff.UPDATE, inputDiff=True)
                          for key in changed})


def _one_line(method: Callable) -> Callable:
    async def served(self, request, context):
        try:
            return await method(self, request, context)
        except Exception as error:
            expected = error if isinstance(error, ExpectedError) else error.__context__
            if isinstance(expected, ExpectedError):
                await context.abort(grpc.StatusCode.UNKNOWN, str(expected))
            raise
    return served


for _name in ("CheckConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete"):
    setattr(_Servicer, _name, _one_line(getattr(ProviderServicer, _name)))


def _engine_log(address: str) -> Callable[[int, str, str], None]:
    engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))

    def log(severity: int, message: str, urn: str) -> None:
        try:
            engine.Log(engine_pb2.LogRequest(severity=severity, message=message, urn=urn), timeout=30)
        except grpc.RpcError:  # the engine has gone: the line still reaches the plugin's log
            print(message, file=sys.stderr, flush=True)
    return log


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("connect-contact")
    except PackageNotFoundError:
        return "0.0.0"


async def _serve(engine_address: str, args: list[str]) -> None:
    asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(WORKERS))
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", 256 * 1024 * 1024),
                                      ("grpc.max_send_message_length", 256 * 1024 * 1024)])
    plugin = ContactPlugin(_engine_log(engine_address))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        _Servicer(args, _version(), plugin, engine_address=engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await server.wait_for_termination()


def main(argv: Optional[list[str]] = None) -> None:
    """The plugin's entry point: the engine runs it with its own address, and reads the port it
    serves on from its first line of output."""
    parser = argparse.ArgumentParser(prog="pulumi-resource-connect-contact",
                                     description="The connect-contact Pulumi provider plugin (a gRPC server).")
    parser.add_argument("engine", help="the Pulumi engine's address")
    parser.add_argument("--logflow", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--logtostderr", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tracing", help=argparse.SUPPRESS)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    try:
        asyncio.run(_serve(known.engine, sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
