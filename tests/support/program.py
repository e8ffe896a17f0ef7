"""Run a Pulumi program under the SDK's mock monitor and capture what it registers.

For every resource the program registers, a ``Registration`` keeps the raw
``RegisterResourceRequest.object`` Struct, which is exactly what the SDK would send
to the engine: secrets are secret-signature structs (``__provider`` of a dynamic
resource is one by default) and unknowns are the ``rpc.UNKNOWN`` string. That
Struct can be handed to ``engine.Engine.up`` / ``preview`` as the program's
inputs.

Differences from the real engine that matter here:

* URNs are built the engine's way (children of the root stack get no
  ``pulumi:pulumi:Stack$`` prefix, nested parents keep their full qualified type);
  the SDK's ``MockMonitor.make_urn`` gets both wrong.
* With the default ``EchoMocks``, ``preview=True`` models a preview of a new stack:
  every resource is a create, so ids are unknown and only the inputs come back as
  outputs (anything else resolves as unknown), like the engine's create preview.
  Without preview, ids are ``"<name>-id"`` and outputs are the inputs. Both can be
  overridden per resource name.
* Like the mock monitor, the ``outputValues`` feature is off; the SDK does not use
  it for custom resources anyway.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from .marshal import unknowns_as_sentinel
from google.protobuf import struct_pb2
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks as runtime_mocks
from pulumi.runtime import rpc, settings

DEFAULT_PROJECT = "connect-contact-example"
DEFAULT_STACK = "dev"
STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class Registration:
    """One ``RegisterResource`` call as the SDK made it."""

    type: str
    name: str
    urn: str
    object: struct_pb2.Struct
    inputs: dict  # deserialized object: secrets as rpc secret dicts, unknowns as rpc.UNKNOWN
    custom: bool
    id: str
    parent: str = ""
    provider: str = ""
    import_id: str = ""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    additional_secret_outputs: list[str] = field(default_factory=list)


class EchoMocks(runtime_mocks.Mocks):
    """Mocks that echo inputs back as outputs, with per-name overrides.

    ``ids`` and ``outputs`` map a resource name to its id / extra outputs; an
    explicit entry also applies during a preview (a resource that already exists).
    """

    def __init__(
        self,
        *,
        preview: bool = False,
        ids: Optional[Mapping[str, str]] = None,
        outputs: Optional[Mapping[str, Mapping[str, Any]]] = None,
        calls: Optional[Mapping[str, Mapping[str, Any]]] = None,
    ):
        self.preview = preview
        self.ids = dict(ids or {})
        self.outputs = {name: dict(values) for name, values in (outputs or {}).items()}
        self.calls = {token: dict(values) for token, values in (calls or {}).items()}

    def new_resource(self, args: runtime_mocks.MockResourceArgs):
        default_id = "" if self.preview else f"{args.name}-id"
        state = {**args.inputs, **self.outputs.get(args.name, {})}
        return self.ids.get(args.name, default_id), state

    def call(self, args: runtime_mocks.MockCallArgs):
        return dict(self.calls.get(args.token, {}))


class RecordingMonitor(runtime_mocks.MockMonitor):
    """A mock monitor that records every resource registration request."""

    def __init__(self, mocks: runtime_mocks.Mocks):
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                type_ = f"{parent_type}${type_}"
        return f"urn:pulumi:{settings.get_stack()}::{settings.get_project()}::{type_}::{name}"

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != STACK_TYPE:
            self.registrations.append(_registration(request, response))
        return response


def _registration(request, response) -> Registration:
    obj = struct_pb2.Struct()
    obj.CopyFrom(request.object)
    return Registration(
        type=request.type,
        name=request.name,
        urn=response.urn,
        object=obj,
        inputs=unknowns_as_sentinel(rpc.deserialize_properties(obj, keep_unknowns=True)),
        custom=request.custom,
        id=response.id,
        parent=request.parent,
        provider=request.provider,
        import_id=request.importId,
        dependencies=list(request.dependencies),
        property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
        additional_secret_outputs=list(request.additionalSecretOutputs),
    )


@contextlib.contextmanager
def _runtime(
    monitor: RecordingMonitor,
    *,
    project: str,
    stack: str,
    config: Mapping[str, str],
    secret_keys: list[str],
    preview: bool,
):
    """Install fresh global Pulumi runtime state, restoring config and root stack afterwards."""
    old_config = runtime_config.CONFIG.get()
    old_secret_keys = runtime_config._SECRET_KEYS.get()
    settings.ROOT.set(None)
    settings.SETTINGS.outputs.clear()
    runtime_config.set_all_config(dict(config), secret_keys)
    try:
        runtime_mocks.set_mocks(monitor.mocks, project=project, stack=stack, preview=preview, monitor=monitor)
        yield
    finally:
        settings.ROOT.set(None)
        settings.SETTINGS.outputs.clear()
        runtime_config.CONFIG.set(old_config)
        runtime_config._SECRET_KEYS.set(old_secret_keys)


def run_program(
    fn: Callable[[], Any],
    *,
    project: str = DEFAULT_PROJECT,
    stack: str = DEFAULT_STACK,
    config: Optional[Mapping[str, str]] = None,
    secret_keys: Optional[list[str]] = None,
    preview: bool = False,
    mocks: Optional[runtime_mocks.Mocks] = None,
) -> list[Registration]:
    """Run ``fn`` as a Pulumi program and return its registrations in order.

    ``config`` maps ``"ns:key"`` to string values (as in ``Pulumi.<stack>.yaml``);
    ``secret_keys`` lists the keys that are secrets. Whatever ``fn`` returns (an
    Output or awaitable included) is awaited before the run ends.
    """
    monitor = RecordingMonitor(mocks if mocks is not None else EchoMocks(preview=preview))
    with _runtime(
        monitor,
        project=project,
        stack=stack,
        config=config or {},
        secret_keys=list(secret_keys or []),
        preview=preview,
    ):
        runtime_mocks.test(fn)()  # runs the program and awaits what it returns
    return list(monitor.registrations)


def run_program_file(path: Union[str, Path], **kwargs) -> list[Registration]:
    """Run a program file (or a directory holding ``__main__.py``) as ``__main__``.

    As with ``pulumi up``, the program's directory is the working directory and is
    on ``sys.path`` while it runs. Keyword arguments are those of ``run_program``.
    """
    path = Path(path).resolve()
    program_dir = path if path.is_dir() else path.parent

    def program() -> None:
        with contextlib.chdir(program_dir), _on_sys_path(program_dir):
            runpy.run_path(str(path), run_name="__main__")

    return run_program(program, **kwargs)


@contextlib.contextmanager
def _on_sys_path(directory: Path):
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(directory))


def by_name(registrations: list[Registration]) -> dict[str, Registration]:
    """Index registrations by resource name."""
    return {registration.name: registration for registration in registrations}
