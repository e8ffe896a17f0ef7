"""Play the Pulumi engine's side of the Python dynamic-provider protocol in tests.

``ProviderHost`` starts the real dynamic-provider host (``python -u -m pulumi.dynamic``,
the command the ``pulumi-resource-pulumi-python`` shim runs) and talks to it over gRPC
the way the engine's provider plugin wrapper (``sdk/go/common/resource/plugin/
provider_plugin.go``) does. ``Engine`` sits on top and plays the step generator and
step executor for one resource at a time, keeping per-URN state.

Reproduced engine behaviour
---------------------------
* Start-up: the host runs with the project directory as cwd (so modules next to the
  program import, which is how providers pickled by reference are found), with
  ``PULUMI_PROJECT`` and ``PULUMI_CONFIG`` set, and the port is read from the first
  stdout line. ``GetPluginInfo`` is called right after start, as the engine does.
* Configure: the dynamic provider receives the *whole* stack config with namespaced
  keys (``aws:region``). ``args`` is a Struct keyed by those names (secret config
  values stay secret-wrapped; the host unwraps them), ``variables`` uses the legacy
  ``pulumi-python:config:<key>`` spelling, and ``acceptSecrets``/``acceptResources``/
  ``sends_old_inputs*`` are true. The urn/name/type/id of the default provider are sent.
* The protocol the host answers in ``ConfigureResponse`` drives marshalling: the
  Python host answers ``acceptSecrets=False`` and ``supportsPreview=False``, so,
  like the engine, secrets are *unwrapped* before being sent (the host would receive
  plain values, ``__provider`` included), and secretness is copied back onto
  returned inputs/outputs from the properties that were sent (``annotateSecrets``).
* Unknowns (``rpc.UNKNOWN``) are only sent during a preview (Check and Diff with
  ``preview=True``); otherwise they are dropped, as the engine's marshaller does.
* Create/Update with ``preview=True`` make no RPC because the host does not support
  previews: the inputs are handed back as outputs (with an empty id on create).
* Check gets old *inputs* and new inputs (no olds for a create or a replacement);
  Diff and Update get old *outputs* as ``olds``, the new checked inputs as ``news``
  and old inputs as ``old_inputs``; Delete gets outputs as ``properties`` and inputs
  as ``old_inputs``; refresh Read gets outputs as ``properties`` plus inputs.
  ``__provider`` travels in every call with the value it was registered with (or
  the host returned), unwrapped from its secret like any other secret.
* ``DIFF_UNKNOWN`` (what the host answers when the provider's ``diff`` returns
  ``DiffResult()``) is resolved by the engine's own comparison of old and new
  inputs with secrets unwrapped: any change means an in-place update.
* Steps: create; same (new inputs stored, old outputs kept); update; replace, which
  re-runs Check with the new inputs only, then creates the replacement before
  deleting the old resource unless Diff asked for delete-before-replace; refresh
  (an empty id drops the resource, returned inputs replace the stored ones);
  destroy; import, whose Read carries the id only, followed by Check
  (olds = read inputs) and Diff, where a replacement is an error and a change is an
  update. A preview only ever calls Check and Diff.
* Errors: the host aborts failed calls with ``StatusCode.UNKNOWN`` and a Python
  traceback as details; they are raised as ``HostError(method, details)``. Check
  failures, an empty id from Create, an import the provider cannot read back and
  replacing an imported resource raise ``EngineError``.

Python dicts given to the API use ``secret(value)`` for secrets and ``UNKNOWN`` for
unknowns; deserialized results use the same forms. Structs are taken as wire form.

Not reproduced
--------------
No state file or checkpoints, no secrets encryption in state, no dependency graph
or parallel walk (one resource per call, so dependents are not replaced or
deleted), no plugin discovery or versions, no ``Handshake`` (the host does not
implement it anyway), no ``ignoreChanges``, ``replaceOnChanges``, ``protect``,
``retainOnDelete``, aliases, custom timeouts, targets, resource hooks, partial
failures / init errors, downgrading resource references for providers that refuse
them, asset content elision, or the detailed property diff shown by the CLI.

What the real CLI owns
----------------------
Whatever a user sees in `pulumi preview/up/refresh/destroy` is proven with the real CLI
(`tests/test_cli_*.py`): the plan and its diff, no-op updates, replacements, drift found
by refresh, destroy and up again, interrupted updates (SIGKILL, Ctrl-C, lost answers)
converging to one contact each, secrets in state and output, the `import_` option, the
Automation API and the example stack. This driver stays for what is finer or faster at the
protocol level: one call at a time, exact Connect call counts per provider method, fault
injection between two calls, and the property tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional, Union

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

REPO_ROOT = Path(__file__).resolve().parent.parent
PROVIDER_KEY = "__provider"
UNKNOWN = rpc.UNKNOWN
SIG_KEY = rpc._special_sig_key
SECRET_SIG = rpc._special_secret_sig
DYNAMIC_PACKAGE = "pulumi-python"
DYNAMIC_PROVIDER_TYPE = f"pulumi:providers:{DYNAMIC_PACKAGE}"
DEFAULT_PROJECT = "connect-contact-example"
DEFAULT_STACK = "dev"

Properties = Union[Mapping[str, Any], struct_pb2.Struct]

_DIFF_CHANGES = {
    provider_pb2.DiffResponse.DIFF_UNKNOWN: "unknown",
    provider_pb2.DiffResponse.DIFF_NONE: "none",
    provider_pb2.DiffResponse.DIFF_SOME: "some",
}


class HostError(Exception):
    """A gRPC call to the provider host failed; ``details`` holds the host's traceback."""

    def __init__(self, method: str, details: str, code: Optional[grpc.StatusCode] = None):
        super().__init__(f"{method} failed ({code}): {details}")
        self.method = method
        self.details = details
        self.code = code


class HostStartError(RuntimeError):
    """The provider host did not come up (it died or never printed its port)."""


class EngineError(Exception):
    """The engine would stop the deployment here (check failures, bad import, ...)."""


# --------------------------------------------------------------------------- wire helpers


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


# --------------------------------------------------------------------------- results


@dataclass
class Protocol:
    """What the host agreed to in ``ConfigureResponse``."""

    accept_secrets: bool = False
    accept_resources: bool = False
    supports_preview: bool = False
    accept_outputs: bool = False


@dataclass
class CheckResult:
    inputs: dict
    inputs_struct: struct_pb2.Struct
    failures: list[tuple[str, str]]


@dataclass
class DiffResult:
    changes: str
    replaces: list[str]
    delete_before_replace: bool
    raw: provider_pb2.DiffResponse
    stables: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)


@dataclass
class CreateResult:
    id: str
    outputs: dict
    outputs_struct: struct_pb2.Struct


@dataclass
class ReadResult:
    id: str
    outputs: dict
    inputs: Optional[dict]
    outputs_struct: struct_pb2.Struct
    inputs_struct: Optional[struct_pb2.Struct]


@dataclass
class UpdateResult:
    outputs: dict
    outputs_struct: struct_pb2.Struct


# --------------------------------------------------------------------------- provider host


REQUESTS_KEPT = 100
"""How many of its latest requests a ProviderHost keeps (`requests`); `calls` keeps every method name."""


class ProviderHost:
    """The dynamic-provider host process plus an engine-like gRPC client for it.

    ``engine_marshalling=True`` (default) applies the engine's marshalling rules
    described in the module docstring; with ``False`` every Struct is sent exactly
    as given and replies are returned untouched, for probing the host itself.
    """

    def __init__(
        self,
        cwd: Union[str, Path, None] = None,
        env: Optional[Mapping[str, str]] = None,
        *,
        project: Optional[str] = DEFAULT_PROJECT,
        stack: str = DEFAULT_STACK,
        pythonpath: tuple[Union[str, Path], ...] = (),
        engine_marshalling: bool = True,
        start_timeout: float = 30.0,
        call_timeout: float = 60.0,
    ):
        self.cwd = Path(cwd) if cwd is not None else REPO_ROOT
        self.project = project
        self.stack = stack
        self.engine_marshalling = engine_marshalling
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.protocol = Protocol()
        self.configured = False
        self.calls: list[str] = []
        # The last requests only: a host serving thousands of contacts must not keep every one.
        self.requests: deque[tuple[str, Any]] = deque(maxlen=REQUESTS_KEPT)
        self._env = self._build_env(env, pythonpath)
        self._process: Optional[subprocess.Popen] = None
        self._channel: Optional[grpc.Channel] = None
        self._stub: Optional[provider_pb2_grpc.ResourceProviderStub] = None
        self._logs: Optional[tempfile.TemporaryDirectory] = None
        self._final_output = ("", "")
        self.port: Optional[int] = None

    # ----------------------------------------------------------------- lifecycle

    def __enter__(self) -> "ProviderHost":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _build_env(self, extra: Optional[Mapping[str, str]], pythonpath) -> dict[str, str]:
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = "{}"
        if self.project:
            env["PULUMI_PROJECT"] = self.project
        paths = [str(p) for p in pythonpath]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths)
        env.update(extra or {})
        return env

    def start(self) -> None:
        """Start the host, wait for its port, connect, and ask for plugin info."""
        self._logs = tempfile.TemporaryDirectory(prefix="pulumi-dynamic-host-")
        logs = Path(self._logs.name)
        with open(logs / "stdout", "wb") as out, open(logs / "stderr", "wb") as err:
            self._process = subprocess.Popen(
                [sys.executable, "-u", "-m", "pulumi.dynamic"],
                cwd=self.cwd,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        try:
            self.port = self._wait_for_port()
            self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
            self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
            self._call("GetPluginInfo", empty_pb2.Empty())
        except BaseException:
            self.stop()
            raise

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            first_line, sep, _ = self._read_log("stdout").partition("\n")
            if sep:
                return int(first_line.strip())
            if self._process.poll() is not None:
                raise HostStartError(
                    f"provider host exited with code {self._process.returncode} before "
                    f"printing its port; stderr:\n{self._read_log('stderr')}"
                )
            time.sleep(0.01)
        raise HostStartError(
            f"provider host printed no port within {self.start_timeout}s; "
            f"stderr:\n{self._read_log('stderr')}"
        )

    def stop(self) -> None:
        """Terminate and reap the host, keeping what it printed."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._logs is not None:
            self._final_output = (self.stdout, self.stderr)
            self._logs.cleanup()
            self._logs = None

    @property
    def pid(self) -> Optional[int]:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _read_log(self, name: str) -> str:
        if self._logs is None:
            return self._final_output[0 if name == "stdout" else 1]
        return (Path(self._logs.name) / name).read_bytes().decode(errors="replace")

    @property
    def stdout(self) -> str:
        """What the host printed to stdout after its port line (e.g. ``print`` in providers)."""
        if self._logs is None:
            return self._final_output[0]
        return self._read_log("stdout").partition("\n")[2]

    @property
    def stderr(self) -> str:
        """What the host printed to stderr (``pulumi.log`` output, warnings, tracebacks)."""
        return self._read_log("stderr")

    # ----------------------------------------------------------------- plumbing

    def _call(self, method: str, request):
        if self._stub is None:
            raise RuntimeError("provider host is not running")
        self.calls.append(method)
        self.requests.append((method, request))
        try:
            return getattr(self._stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            raise HostError(method, exc.details() or "", exc.code()) from None

    def _wire(self, props: struct_pb2.Struct, keep_unknowns: bool) -> struct_pb2.Struct:
        if not self.engine_marshalling:
            return props
        return marshal(props, keep_secrets=self.protocol.accept_secrets, keep_unknowns=keep_unknowns)

    def _annotate(self, outs: struct_pb2.Struct, ins: Optional[struct_pb2.Struct]) -> struct_pb2.Struct:
        if not self.engine_marshalling or self.protocol.accept_secrets or ins is None:
            return outs
        return annotate_secrets(outs, ins)

    def _skips_preview(self, preview: bool) -> bool:
        return preview and self.engine_marshalling and not self.protocol.supports_preview

    @staticmethod
    def _names(urn: str) -> dict[str, str]:
        return {"urn": urn, "name": urn_name(urn), "type": urn_type(urn)}

    # ----------------------------------------------------------------- RPCs

    def configure(self, config: Optional[Mapping[str, Any]] = None) -> Protocol:
        """Send ``Configure`` with the stack config (``{"aws:region": "..."}``)."""
        config = dict(config or {})
        variables = {
            f"{DYNAMIC_PACKAGE}:config:{key}": _config_string(value)
            for key, value in config.items()
            if key != "version"
        }
        request = provider_pb2.ConfigureRequest(
            variables=variables,
            args=to_struct(config),
            acceptSecrets=True,
            acceptResources=True,
            sends_old_inputs=True,
            sends_old_inputs_to_delete=True,
            urn=make_urn(DYNAMIC_PROVIDER_TYPE, "default", stack=self.stack, project=self.project or ""),
            name="default",
            type=DYNAMIC_PROVIDER_TYPE,
            id=str(uuid.uuid4()),
        )
        response = self._call("Configure", request)
        self.protocol = Protocol(
            accept_secrets=response.acceptSecrets,
            accept_resources=response.acceptResources,
            supports_preview=response.supportsPreview,
            accept_outputs=response.acceptOutputs,
        )
        self.configured = True
        return self.protocol

    def check(self, urn: str, olds: Optional[Properties], news: Properties, *, preview: bool = False) -> CheckResult:
        """``Check``: olds are the previous *inputs* (empty for a create)."""
        news_struct = to_struct(news)
        request = provider_pb2.CheckRequest(
            olds=self._wire(to_struct(olds), preview),
            news=self._wire(news_struct, preview),
            randomSeed=os.urandom(32),
            **self._names(urn),
        )
        response = self._call("Check", request)
        inputs = self._annotate(response.inputs, news_struct)
        failures = [(f.property, f.reason) for f in response.failures]
        return CheckResult(from_struct(inputs), inputs, failures)

    def diff(
        self,
        id: str,
        urn: str,
        olds: Properties,
        news: Properties,
        *,
        old_inputs: Optional[Properties] = None,
        preview: bool = False,
    ) -> DiffResult:
        """``Diff``: olds are the previous *outputs*, news the checked inputs."""
        request = provider_pb2.DiffRequest(
            id=id,
            olds=self._wire(to_struct(olds), preview),
            news=self._wire(to_struct(news), preview),
            old_inputs=self._wire(to_struct(old_inputs), preview),
            **self._names(urn),
        )
        response = self._call("Diff", request)
        return DiffResult(
            changes=_DIFF_CHANGES[response.changes],
            replaces=list(response.replaces),
            delete_before_replace=response.deleteBeforeReplace,
            raw=response,
            stables=list(response.stables),
            diffs=list(response.diffs),
        )

    def create(self, urn: str, props: Properties, preview: bool = False) -> CreateResult:
        """``Create`` (skipped during a preview, as the host does not support previews)."""
        props_struct = to_struct(props)
        if self._skips_preview(preview):
            return CreateResult("", from_struct(props_struct), props_struct)
        request = provider_pb2.CreateRequest(
            properties=self._wire(props_struct, preview), preview=preview, **self._names(urn)
        )
        response = self._call("Create", request)
        if self.engine_marshalling and not response.id and not preview:
            raise EngineError(f"plugin returned empty resource.ID from create '{urn}'")
        outputs = self._annotate(response.properties, props_struct)
        return CreateResult(response.id, from_struct(outputs), outputs)

    def read(
        self,
        id: str,
        urn: str,
        props: Optional[Properties] = None,
        inputs: Optional[Properties] = None,
    ) -> ReadResult:
        """``Read``: props are the stored outputs (``properties``); ``None`` leaves a field unset."""
        props_struct = to_struct(props) if props is not None else None
        inputs_struct = to_struct(inputs) if inputs is not None else None
        request = provider_pb2.ReadRequest(id=id, **self._names(urn))
        if props_struct is not None:
            request.properties.CopyFrom(self._wire(props_struct, False))
        if inputs_struct is not None:
            request.inputs.CopyFrom(self._wire(inputs_struct, False))
        response = self._call("Read", request)
        outputs = self._annotate(response.properties, props_struct)
        new_inputs = None
        if response.HasField("inputs"):
            new_inputs = self._annotate(response.inputs, inputs_struct)
        return ReadResult(response.id, from_struct(outputs), from_struct(new_inputs), outputs, new_inputs)

    def update(
        self,
        id: str,
        urn: str,
        olds: Properties,
        news: Properties,
        preview: bool = False,
        *,
        old_inputs: Optional[Properties] = None,
    ) -> UpdateResult:
        """``Update``: olds are the previous *outputs* (skipped during a preview)."""
        news_struct = to_struct(news)
        if self._skips_preview(preview):
            return UpdateResult(from_struct(news_struct), news_struct)
        request = provider_pb2.UpdateRequest(
            id=id,
            olds=self._wire(to_struct(olds), False),
            news=self._wire(news_struct, preview),
            old_inputs=self._wire(to_struct(old_inputs), False),
            preview=preview,
            **self._names(urn),
        )
        response = self._call("Update", request)
        outputs = self._annotate(response.properties, news_struct)
        return UpdateResult(from_struct(outputs), outputs)

    def delete(self, id: str, urn: str, props: Properties, *, old_inputs: Optional[Properties] = None) -> None:
        """``Delete``: props are the stored *outputs*."""
        request = provider_pb2.DeleteRequest(
            id=id,
            properties=self._wire(to_struct(props), False),
            old_inputs=self._wire(to_struct(old_inputs), False),
            **self._names(urn),
        )
        self._call("Delete", request)


def _config_string(value: Any) -> str:
    value = unwrap_secrets(value)
    return value if isinstance(value, str) else json.dumps(value)


def host_fixture(*, scope: str = "module", config: Optional[Mapping[str, Any]] = None, **host_kwargs):
    """Build a pytest fixture yielding one configured ``ProviderHost`` for the whole ``scope``.

    The host caches providers by their serialized string and calls the provider's
    ``configure`` once per provider, with the config of the single ``Configure``.
    Usage in a test module: ``host = host_fixture(config={"aws:region": "eu-west-2"})``.
    """
    import pytest

    @pytest.fixture(scope=scope)
    def _host():
        with ProviderHost(**host_kwargs) as host:
            host.configure(config)
            yield host

    return _host


# --------------------------------------------------------------------------- mini engine


@dataclass
class ResourceState:
    """What the engine keeps for one resource (secrets stay wrapped, as in a snapshot)."""

    urn: str
    id: str
    inputs: struct_pb2.Struct
    outputs: struct_pb2.Struct

    @property
    def input_values(self) -> dict:
        return from_struct(self.inputs)

    @property
    def output_values(self) -> dict:
        return from_struct(self.outputs)


@dataclass
class Step:
    """The outcome of one engine operation on one resource."""

    op: str
    urn: str
    inputs: Optional[dict] = None
    outputs: Optional[dict] = None
    id: Optional[str] = None
    diff: Optional[DiffResult] = None


class Engine:
    """A one-resource-at-a-time engine over a ``ProviderHost``.

    ``news`` are the inputs the program registered (a Registration's ``object``
    Struct, or a dict), ``__provider`` included. ``calls`` lists the gRPC methods
    this engine's operations called, in order (a shared host keeps them all in
    ``host.calls``).
    """

    def __init__(self, host: ProviderHost, *, config: Optional[Mapping[str, Any]] = None):
        self.host = host
        self.state: dict[str, ResourceState] = {}
        self.calls: list[str] = []
        if not host.configured:
            host.configure(config)

    @contextlib.contextmanager
    def _recording(self):
        first = len(self.host.calls)
        try:
            yield
        finally:
            self.calls.extend(self.host.calls[first:])

    def preview(self, urn: str, news: Properties) -> Step:
        """Plan the step for ``news``; only Check and Diff are called."""
        with self._recording():
            return self._register(urn, to_struct(news), preview=True)

    def up(self, urn: str, news: Properties) -> Step:
        """Check, diff and create / update / replace, updating the state."""
        with self._recording():
            return self._register(urn, to_struct(news), preview=False)

    def refresh(self, urn: str) -> Step:
        """Read the resource with its stored outputs and inputs."""
        with self._recording():
            return self._refresh(urn)

    def destroy(self, urn: str) -> Step:
        """Delete the resource and drop it from the state."""
        with self._recording():
            old = self.state[urn]
            self._delete(old)
            del self.state[urn]
            return Step("delete", urn, id=old.id)

    def get(self, urn: str, id: str, props: Properties) -> Step:
        """Read an existing resource the way ``Resource.get`` / ``opts.id`` do (props as both inputs and state)."""
        with self._recording():
            return self._get(urn, id, to_struct(props))

    def import_(self, urn: str, id: str, news: Properties, *, send_inputs: bool = False) -> list[Step]:
        """Import ``id`` as the engine does for the ``import`` resource option.

        The engine's Read carries only the id: no ``properties`` and no ``inputs``,
        so the dynamic host cannot find ``__provider`` and fails (pulumi/pulumi#16175).
        ``send_inputs=True`` sends the program's inputs as ``inputs`` instead, which
        is not what the engine does but lets a provider's import path be exercised.
        """
        with self._recording():
            return self._import(urn, id, to_struct(news), send_inputs)

    # ----------------------------------------------------------------- steps

    def _refresh(self, urn: str) -> Step:
        old = self.state[urn]
        read = self.host.read(old.id, urn, old.outputs, old.inputs)
        if not read.id:
            del self.state[urn]
            return Step("delete", urn, id=old.id)
        inputs = read.inputs_struct if read.inputs_struct is not None else old.inputs
        new = ResourceState(urn, read.id, inputs, read.outputs_struct)
        self.state[urn] = new
        return self._step("refresh", new)

    def _get(self, urn: str, id: str, props_struct: struct_pb2.Struct) -> Step:
        read = self.host.read(id, urn, props_struct, props_struct)
        if not read.id:
            raise EngineError(f"resource '{id}' does not exist")
        inputs = read.inputs_struct if read.inputs_struct is not None else props_struct
        new = ResourceState(urn, read.id, inputs, read.outputs_struct)
        self.state[urn] = new
        return self._step("read", new)

    def _import(self, urn: str, id: str, news_struct: struct_pb2.Struct, send_inputs: bool) -> list[Step]:
        if urn in self.state:
            raise EngineError(f"resource '{urn}' already exists")
        read = self.host.read(id, urn, None, news_struct if send_inputs else None)
        if read.inputs_struct is None:
            raise EngineError("provider does not support importing resources")
        imported = ResourceState(urn, read.id or id, read.inputs_struct, read.outputs_struct)
        self.state[urn] = imported
        steps = [self._step("import", imported)]
        checked = self._check(urn, imported.inputs, news_struct, preview=False)
        diff, changed = self._diff(imported, checked, preview=False)
        if changed and diff.replaces:
            raise EngineError(
                "previously-imported resources that still specify an ID may not be replaced; "
                f"replace keys: {diff.replaces}"
            )
        if changed:
            steps.append(self._update(imported, checked, diff))
        return steps

    def _register(self, urn: str, news: struct_pb2.Struct, *, preview: bool) -> Step:
        old = self.state.get(urn)
        if old is None:
            checked = self._check(urn, None, news, preview)
            if preview:
                return Step("create", urn, from_struct(checked))
            return self._create(urn, checked)
        checked = self._check(urn, old.inputs, news, preview)
        diff, changed = self._diff(old, checked, preview)
        if not changed:
            return self._same(old, checked, diff, preview)
        if diff.replaces:
            checked = self._check(urn, None, news, preview)
            if preview:
                return Step("replace", urn, from_struct(checked), id=old.id, diff=diff)
            return self._replace(old, checked, diff)
        if preview:
            return Step("update", urn, from_struct(checked), id=old.id, diff=diff)
        return self._update(old, checked, diff)

    def _check(
        self, urn: str, olds: Optional[struct_pb2.Struct], news: struct_pb2.Struct, preview: bool
    ) -> struct_pb2.Struct:
        result = self.host.check(urn, olds, news, preview=preview)
        if result.failures:
            raise EngineError(f"resource {urn} has check errors: {result.failures}")
        return result.inputs_struct

    def _diff(self, old: ResourceState, checked: struct_pb2.Struct, preview: bool) -> tuple[DiffResult, bool]:
        diff = self.host.diff(old.id, old.urn, old.outputs, checked, old_inputs=old.inputs, preview=preview)
        if diff.changes == "unknown":
            return diff, inputs_differ(old.inputs, checked)
        return diff, diff.changes == "some"

    def _same(self, old: ResourceState, checked: struct_pb2.Struct, diff: DiffResult, preview: bool) -> Step:
        new = replace(old, inputs=checked)
        if not preview:
            self.state[old.urn] = new
        return self._step("same", new, diff)

    def _create(self, urn: str, checked: struct_pb2.Struct) -> Step:
        created = self.host.create(urn, checked)
        new = ResourceState(urn, created.id, checked, created.outputs_struct)
        self.state[urn] = new
        return self._step("create", new)

    def _update(self, old: ResourceState, checked: struct_pb2.Struct, diff: DiffResult) -> Step:
        updated = self.host.update(old.id, old.urn, old.outputs, checked, old_inputs=old.inputs)
        new = ResourceState(old.urn, old.id, checked, updated.outputs_struct)
        self.state[old.urn] = new
        return self._step("update", new, diff)

    def _replace(self, old: ResourceState, checked: struct_pb2.Struct, diff: DiffResult) -> Step:
        if diff.delete_before_replace:
            self._delete(old)
            del self.state[old.urn]
            created = self._create(old.urn, checked)
        else:
            created = self._create(old.urn, checked)
            self._delete(old)
        return replace(created, op="replace", diff=diff)

    def _delete(self, old: ResourceState) -> None:
        self.host.delete(old.id, old.urn, old.outputs, old_inputs=old.inputs)

    @staticmethod
    def _step(op: str, state: ResourceState, diff: Optional[DiffResult] = None) -> Step:
        return Step(op, state.urn, state.input_values, state.output_values, state.id, diff)


def inputs_differ(old: struct_pb2.Struct, new: struct_pb2.Struct) -> bool:
    """The engine's fallback diff: compare inputs with secrets unwrapped."""
    return unwrap_secrets(from_struct(old)) != unwrap_secrets(from_struct(new))
