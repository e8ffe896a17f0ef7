"""The WSGI application: one AWS request in, one REST-JSON answer out.

For each request: route it by botocore's model, count it, apply faults, parse
and validate it against the model, hand it to the operation's handler, and
serialise the answer (or the modelled error). Paths under ``/_local/`` go to
the admin endpoints instead and are neither counted nor faulted.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from typing import Callable, Mapping

from werkzeug.wrappers import Request, Response

from ..model import operation, validate_request
from . import routes, wire
from .errors import InjectedFailure, InternalFailure, InvalidParameter, InvalidRequest, ServiceError, Throttled, joined
from .faults import Faults
from .stats import Stats
from .store import StoreClosed

ADMIN_PREFIX = "/_local/"
UNROUTED = "(no operation)"
log = logging.getLogger("connect_contact.emulator")


@dataclass(frozen=True)
class Handler:
    """An implemented operation; `commits` marks writes (the ones a dropped connection can hit)."""

    run: Callable[[dict], dict]
    commits: bool = False


class ConnectionDropped(ConnectionAbortedError):
    """Raised to make the HTTP server abandon the connection without answering."""


class ConnectApp:
    def __init__(self, handlers: Mapping[str, Handler], faults: Faults, stats: Stats,
                 admin: Callable[[Request], Response]):
        self._handlers = dict(handlers)
        self._faults = faults
        self._stats = stats
        self._admin = admin

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith(ADMIN_PREFIX):
            response = self._admin(request)
        else:
            response = self._answer(request, environ)
        return response(environ, start_response)

    def _answer(self, request: Request, environ) -> Response:
        try:
            name, uri_values = routes.match(request.method, request.path)
        except routes.NoSuchRoute as error:
            self._stats.received(UNROUTED)
            self._stats.finished(UNROUTED, "errors")
            return wire.error_response(InvalidRequest(str(error)))
        self._stats.received(name, wire.signing_region(request))
        try:
            output, handler = self._handle(name, request, uri_values)
        except ServiceError as error:
            self._stats.finished(name, _outcome(error))
            return wire.error_response(_as_declared(name, error))
        except StoreClosed as error:
            self._stats.finished(name, "errors")
            return wire.error_response(InternalFailure(str(error)))
        except Exception:
            log.exception("unexpected error while handling %s", name)
            self._stats.finished(name, "errors")
            return wire.error_response(InternalFailure(f"{name} failed unexpectedly in the local Connect service"))
        if handler.commits and self._faults.drop_after_commit(name):
            self._stats.finished(name, "dropped")
            _drop_connection(environ)
        self._stats.finished(name, "succeeded")
        return wire.success_response(operation(name), output)

    def _handle(self, name: str, request: Request, uri_values: dict) -> tuple[dict, Handler]:
        self._faults.before(name)
        handler = self._handlers.get(name)
        if handler is None:
            raise InvalidRequest(f"{name} is not implemented by the local Connect service")
        params = wire.parse_request(operation(name), request, uri_values)
        violations = validate_request(name, params)
        if violations:
            raise InvalidParameter(joined(violations))
        return handler.run(params), handler


def _as_declared(name: str, error: ServiceError) -> ServiceError:
    """The error, or the closest one the operation declares: operations that declare no
    InvalidParameterException (the instance operations) answer bad parameters with
    InvalidRequestException."""
    declared = {shape.name for shape in operation(name).error_shapes}
    if isinstance(error, InvalidParameter) and error.code not in declared and InvalidRequest.code in declared:
        return InvalidRequest(error.message)
    return error


def _outcome(error: ServiceError) -> str:
    if isinstance(error, Throttled):
        return "throttled"
    if isinstance(error, InjectedFailure):
        return "failed"
    return "errors"


def _drop_connection(environ) -> None:
    """Close the client's connection with no response, as a crash after commit would."""
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    # Werkzeug treats connection errors as the client having gone: it sends nothing more.
    raise ConnectionDropped("dropped after commit (fault injection)")
