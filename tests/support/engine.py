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

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Optional

from google.protobuf import struct_pb2

from .host import DiffResult, EngineError, ProviderHost
from .marshal import Properties, from_struct, to_struct, unwrap_secrets


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
        """One step, as one deployment of the real engine: each runs its provider plugins afresh."""
        self.host.begin_deployment()
        first = self.host.call_count
        try:
            yield
        finally:
            made = self.host.call_count - first
            self.calls.extend(list(self.host.calls)[-made:] if made else [])

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
