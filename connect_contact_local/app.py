"""The WSGI application: one AWS request in, one REST-JSON answer out.

For each request: refuse it if `guard` says so, read its body within bounds,
route it by botocore's model, count it, apply faults, parse and validate it
against the model, hand it to the operation's handler, and serialise the answer
(or the modelled error). Paths under ``/_local/`` go to the admin endpoints
instead and are neither counted nor faulted.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from typing import Callable, Mapping, Optional

from werkzeug.wrappers import Request, Response

from . import guard, regions, routes, signatures, wire
from .body import BadBody, ClientGone, read_body, request_read
from .errors import (AccessDenied, InjectedFailure, InternalFailure, InvalidParameter, InvalidRequest,
                     MissingAuthenticationToken, ServiceError, Throttled, joined)
from .faults import Faults
from .files import ADMIN_TOKEN_HEADER
from .model import operation, request_violations
from .stats import Stats
from .store import StoreClosed

ADMIN_PREFIX = "/_local/"
UNROUTED = "(no operation)"
log = logging.getLogger("connect_contact_local")


@dataclass(frozen=True)
class Handler:
    """An implemented operation; `commits` marks writes (the ones a dropped connection can hit)."""

    run: Callable[..., dict]
    commits: bool = False
    regional: bool = False  # `run` also takes the region the request was signed for (beyond the scope check)


class ConnectionDropped(ConnectionAbortedError):
    """Raised to make the HTTP server abandon the connection without answering."""


class ConnectApp:
    def __init__(self, handlers: Mapping[str, Handler], faults: Faults, stats: Stats,
                 admin: Callable[[Request, bytes], Response], admin_token: str, credentials: Mapping[str, str],
                 instance_arn: Callable[[str], Optional[str]]):
        self._handlers = dict(handlers)
        self._faults = faults
        self._stats = stats
        self._admin = admin
        self._admin_token = admin_token
        self._credentials = dict(credentials)
        self._instance_arn = instance_arn

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self._respond(request, environ)
        finally:
            request_read(environ)  # a refused request's body is not read either
        return response(environ, start_response)

    def _respond(self, request: Request, environ) -> Response:
        is_admin = request.path.startswith(ADMIN_PREFIX)
        refusal = guard.foreign_request(request)
        if refusal is None and is_admin and not guard.has_admin_token(request, self._admin_token):
            refusal = f"the admin endpoints need the admin token (header {ADMIN_TOKEN_HEADER})"
        if refusal is not None:
            return wire.error_response(AccessDenied(refusal))
        if not is_admin and "Authorization" not in request.headers:
            return wire.error_response(MissingAuthenticationToken("Missing Authentication Token"))
        try:
            body = read_body(environ)
        except BadBody as error:
            return wire.error_response(InvalidRequest(str(error)))
        except ClientGone as error:
            log.warning("%s %s: %s", request.method, request.path[:200], error)
            raise ConnectionDropped(str(error)) from None
        if is_admin:
            return self._admin(request, body)
        unsigned = signatures.refusal(request.method, raw_target(environ), request.headers, body, self._credentials)
        if unsigned is not None:
            return wire.error_response(unsigned)
        return self._answer(request, environ, body)

    def _answer(self, request: Request, environ, body: bytes) -> Response:
        try:
            name, uri_values = routes.match(request.method, raw_path(environ))
        except routes.NoSuchRoute as error:
            self._stats.received(UNROUTED)
            self._stats.finished(UNROUTED, "errors")
            return wire.error_response(InvalidRequest(str(error)))
        self._stats.received(name, wire.signing_region(request))
        try:
            output, handler = self._handle(name, request, uri_values, body)
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
        if handler.commits and self._faults.empty_answer(name):
            return Response(b"", status=200, content_type="application/json")
        return wire.success_response(operation(name), output)

    def _handle(self, name: str, request: Request, uri_values: dict, body: bytes) -> tuple[dict, Handler]:
        self._faults.before(name)
        handler = self._handlers.get(name)
        if handler is None:
            raise InvalidRequest(f"{name} is not implemented by the local Connect service")
        params = _valid_input(name, request, uri_values, body)
        region = wire.signing_region(request)
        regions.check_scope(params, region, self._instance_arn)
        if handler.regional:
            return handler.run(params, region), handler
        return handler.run(params), handler


def _valid_input(name: str, request: Request, uri_values: dict, body: bytes) -> dict:
    """The request's parameters, checked against the operation's input shape. Whatever the client
    sent, this ends in the parameters or a client error: an input no rule foresaw is still the
    client's error, answered 400 (and logged, so it can become a rule of its own)."""
    try:
        params = wire.parse_request(operation(name), request, uri_values, body)
        violations = request_violations(name, params)
    except ServiceError:
        raise
    except Exception:
        log.exception("input of %s could not be read by the rules", name)
        raise InvalidParameter(f"the {name} request could not be read as its input shape says") from None
    if violations:
        raise InvalidParameter(joined(violations))
    return params


def raw_path(environ) -> str:
    """The path as the client sent it, still percent-encoded: labels may hold an encoded "/"."""
    return raw_target(environ).split("?", 1)[0]


def raw_target(environ) -> str:
    """The path and query as the client sent them (what its signature covers)."""
    raw = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ.get("PATH_INFO") or "/"
    if "://" in raw.split("?", 1)[0]:  # an absolute-form request target
        raw = "/" + raw.split("://", 1)[1].partition("/")[2]
    return raw


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
