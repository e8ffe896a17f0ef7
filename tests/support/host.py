"""The real dynamic-provider host (`python -u -m pulumi.dynamic`) and an engine-like gRPC
client for it (see `tests.support.engine` for the engine behaviour it reproduces)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .marshal import (DEFAULT_PROJECT, DEFAULT_STACK, Properties, annotate_secrets, from_struct, make_urn, marshal,
                      to_struct, unwrap_secrets, urn_name, urn_type)

REPO_ROOT = Path(__file__).resolve().parents[2]
DYNAMIC_PACKAGE = "pulumi-python"
DYNAMIC_PROVIDER_TYPE = f"pulumi:providers:{DYNAMIC_PACKAGE}"

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


class EngineError(Exception):
    """The engine would stop the deployment here (check failures, bad import, ...)."""


class HostStartError(RuntimeError):
    """The provider host did not come up (it died or never printed its port)."""


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
"""How many of its latest requests a ProviderHost keeps (`requests`)."""
CALLS_KEPT = 10_000
"""How many of its latest method names a ProviderHost keeps (`calls`); `call_count` counts them all."""


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
        self._config: dict[str, Any] = {}
        self.calls: deque[str] = deque(maxlen=CALLS_KEPT)
        self.call_count = 0
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
                self.command(),
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

    def begin_deployment(self) -> None:
        """Called as a step of the engine-side driver begins: a fresh host, configured as before, as
        the engine runs a provider's process afresh for each deployment (the provider remembers the
        contacts its creates made for the rest of the deployment)."""
        if self.configured and self.alive:
            self.stop()
            self.start()
            self.configure(self._config)

    def command(self) -> list[str]:
        """What the engine runs for this provider: the dynamic-provider host."""
        return [sys.executable, "-u", "-m", "pulumi.dynamic"]

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
        self.call_count += 1
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
        config = self._config = dict(config or {})
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
