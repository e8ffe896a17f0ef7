"""The two faces of the provider, for tests that prove one guarantee of both: the dynamic-provider
host (`ProviderHost`) and the plugin `pulumi-resource-connect-contact` (`PluginHost`), each driven
over gRPC by the same engine-side driver (`tests.support.engine`).

`PluginHost` plays the engine's side for a provider plugin: it runs the plugin's executable with
the address of an engine log service it serves itself (the plugin sends its warnings and info
lines there, on the resource they are about), and configures it as the engine configures a
package's default provider: the package's own `connect-contact:` keys only, as `args` keyed by
the bare key. A program's registration becomes the plugin's: its own resource type, no
`__provider`, no token scope and no unset fields.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Mapping
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import grpc
import pytest
from pulumi.runtime.proto import engine_pb2_grpc, provider_pb2
from google.protobuf import empty_pb2

from connect_contact import plugin_settings, schema

from .emulator_support import LOCAL_CREDENTIALS
from .host import Protocol, ProviderHost
from .lifecycle import contact as registration
from .marshal import make_urn, to_struct

NAMES = ("dynamic", "plugin")
PLUGIN_TYPE = "connect-contact:index:Contact"
PLUGIN_PROVIDER_TYPE = f"pulumi:providers:{plugin_settings.PACKAGE}"
PLUGIN = Path(sys.executable).parent / "pulumi-resource-connect-contact"
DYNAMIC_ONLY = ("__provider", schema.TOKEN_SCOPE)
CONFIG = {"aws:region": "us-east-1"}
"""The stack config both faces get (beside the endpoint), in the dynamic face's keys."""


class EngineLog(engine_pb2_grpc.EngineServicer):
    """The engine's log service: keeps what the plugin logs, as (severity, message, urn)."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str, str]] = []
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        engine_pb2_grpc.add_EngineServicer_to_server(self, self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self._server.start()

    def Log(self, request, context):
        self.lines.append((request.severity, request.message, request.urn))
        return empty_pb2.Empty()

    def close(self) -> None:
        self._server.stop(grace=None)


class PluginHost(ProviderHost):
    """The plugin's process plus the engine-like client of `ProviderHost`."""

    def start(self) -> None:
        if not PLUGIN.is_file():
            raise FileNotFoundError(f"{PLUGIN} is missing: install the package (`pip install -e .`)")
        if getattr(self, "log", None) is None:
            self.log = EngineLog()
        super().start()

    def stop(self) -> None:
        super().stop()
        if getattr(self, "log", None) is not None:
            self.log.close()
            self.log = None

    def command(self) -> list[str]:
        return [str(PLUGIN), f"127.0.0.1:{self.log.port}"]

    def begin_deployment(self) -> None:
        """A fresh plugin process, configured as before, as the engine runs one per deployment: the
        plugin remembers the contacts its creates made for the rest of the deployment."""
        if self.configured and self.alive:
            log, config = self.log, self._config
            super(PluginHost, self).stop()
            super(PluginHost, self).start()
            self.log = log
            self.configure(config)

    def configure(self, config: Optional[Mapping[str, Any]] = None) -> Protocol:
        """`Configure` with the dynamic face's config keys (`aws:region`, ...) as the plugin's."""
        self._config = dict(config or {})
        args = {plugin_settings.BY_STANDS_FOR[key].key: value for key, value in self._config.items()}
        request = provider_pb2.ConfigureRequest(
            variables={f"{plugin_settings.PACKAGE}:config:{key}": str(value) for key, value in args.items()},
            args=to_struct(args), acceptSecrets=True, acceptResources=True,
            sends_old_inputs=True, sends_old_inputs_to_delete=True,
            urn=make_urn(PLUGIN_PROVIDER_TYPE, "default", stack=self.stack, project=self.project or ""),
            name="default", type=PLUGIN_PROVIDER_TYPE, id=str(uuid.uuid4()))
        response = self._call("Configure", request)
        self.protocol = Protocol(accept_secrets=response.acceptSecrets, accept_resources=response.acceptResources,
                                 supports_preview=response.supportsPreview, accept_outputs=response.acceptOutputs)
        self.configured = True
        return self.protocol


def host_for(face: str, **kwargs) -> ProviderHost:
    return PluginHost(**kwargs) if face == "plugin" else ProviderHost(**kwargs)


@dataclass(frozen=True)
class Declared:
    """A resource as a face's engine registers it."""

    name: str
    urn: str
    object: Any


def as_declared(face: str, registration) -> Declared:
    """A `Contact` registration (`tests.support.program.Registration`) as `face` receives it."""
    if face != "plugin":
        return Declared(registration.name, registration.urn, registration.object)
    stack, project = registration.urn.removeprefix("urn:pulumi:").split("::")[:2]
    props = {key: value for key, value in registration.inputs.items()
             if key not in DYNAMIC_ONLY and value is not None}
    return Declared(registration.name, make_urn(PLUGIN_TYPE, registration.name, stack=stack, project=project), props)


# Fixtures for a test module whose cases run on both faces: `from tests.support.faces import contact, face, host`.


@pytest.fixture(scope="module", params=NAMES)
def face(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def host(face, shared_connect_service):
    with host_for(face, env=LOCAL_CREDENTIALS) as started:
        started.configure({**CONFIG, "connect-contact:endpoint": shared_connect_service.url})
        yield started


@pytest.fixture
def contact(face):
    """`Contact(name, instance_id=..., **args)` as the face's engine registers it (named for the face: the
    same name in the same stack derives the same client token)."""
    return lambda resource_name, instance_id, **args: as_declared(
        face, registration(f"{resource_name}-{face}", instance_id, **args))
