"""HTTP requests in, HTTP responses out, by the operation's shapes in botocore's model.

Input members are read from where the model says they travel: URI labels,
query string (lists repeat their name), headers, or the JSON body. Output and
error responses follow REST-JSON: a JSON body, errors named in the
``x-amzn-ErrorType`` header with the model's HTTP status.
"""

from __future__ import annotations

import functools
import json
import math
import re
import uuid
from typing import Any
from urllib.parse import unquote

from botocore.model import OperationModel
from werkzeug.wrappers import Request, Response

from .errors import InvalidParameter, InvalidRequest, ServiceError
from .model import service_model
from .rules import ASSUMED
from .shapes import WireError, from_json, from_text, to_json

JSON = "application/json"


MAX_JSON_DEPTH = ASSUMED.MAX_REQUEST_DEPTH
"""Deeper than any Connect request needs (segment attribute values nest a few levels)."""


def parse_request(operation: OperationModel, request: Request, uri_values: dict[str, str],
                  body: bytes) -> dict[str, Any]:
    """The operation's parameters, by member name, as the SDK serialised them; `uri_values`
    are the path's labels as sent (percent-encoded)."""
    shape = operation.input_shape
    if shape is None:
        return {}
    params: dict[str, Any] = {}
    body_members = {}
    try:
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            path = (name,)
            if location == "uri":
                if wire_name in uri_values:
                    params[name] = from_text(member, _label(uri_values[wire_name], path), path)
            elif location == "querystring":
                _read_query(params, name, member, wire_name, request)
            elif location == "header":
                if wire_name in request.headers:
                    params[name] = from_text(member, request.headers[wire_name], path)
            elif location is None:
                body_members[name] = member
        if body_members:
            document = json_object(body)
            for name, member in body_members.items():
                value = document.get(member.serialization.get("name", name))
                if value is not None:
                    params[name] = from_json(member, value, (name,))
    except WireError as error:
        raise InvalidParameter(str(error)) from None
    return params


_SIGNING_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/")  # as `signatures` reads it


def signing_region(request: Request) -> str | None:
    """The region a SigV4-signed request was signed for, from its credential scope."""
    match = _SIGNING_SCOPE.search(request.headers.get("Authorization", ""))
    return match.group(1) if match else None


def success_response(operation: OperationModel, output: dict[str, Any]) -> Response:
    shape = operation.output_shape
    body = to_json(shape, output) if shape is not None else {}
    response = Response(json.dumps(body), status=200, content_type=JSON)
    _request_id(response)
    return response


def error_response(error: ServiceError) -> Response:
    body = {member: error.message for member in _message_members(error.code)}
    response = Response(json.dumps(body), status=error.status, content_type=JSON)
    response.headers["x-amzn-ErrorType"] = error.code
    _request_id(response)
    return response


def _read_query(params: dict, name: str, member, wire_name: str, request: Request) -> None:
    path = (name,)
    if member.type_name == "list":
        values = request.args.getlist(wire_name)
        if values:
            params[name] = [from_text(member.member, value, path) for value in values]
    elif member.type_name == "map":
        params[name] = {key: from_text(member.value, value, path + (key,)) for key, value in request.args.items()}
    elif wire_name in request.args:
        params[name] = from_text(member, request.args[wire_name], path)


def json_object(data: bytes) -> dict:
    """A request body as a JSON object: valid UTF-8 without lone surrogates, no NaN or
    Infinity, nested at most MAX_JSON_DEPTH levels. InvalidRequestException otherwise."""
    if not data.strip():
        return {}
    try:
        body = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise InvalidRequest(f"the request body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise InvalidRequest("the request body must be a JSON object")
    _check_values(body)
    return body


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _check_values(document: Any) -> None:
    """Depth and text of every value, without recursion (the document may be deep)."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidRequest(f"the request body nests deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise InvalidRequest("the request body holds a number too large to represent")


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequest("the request body holds text that is not valid Unicode (a lone surrogate)") from None


def _label(raw: str, path: tuple[str, ...]) -> str:
    """A URI label as AWS reads it: percent-decoded after the path was split at its slashes."""
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise WireError(path, "is not valid percent-encoded UTF-8") from None


@functools.lru_cache(maxsize=None)
def _message_members(code: str) -> tuple[str, ...]:
    """The error shape's message member, spelled as the model spells it."""
    if code not in service_model().shape_names:
        return ("message",)  # AWS's common errors (authentication) carry a lower-case message
    return tuple(name for name in service_model().shape_for(code).members if name.lower() == "message")


def _request_id(response: Response) -> None:
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
