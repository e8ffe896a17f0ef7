"""HTTP requests in, HTTP responses out, by the operation's shapes in botocore's model.

Input members are read from where the model says they travel: URI labels,
query string (lists repeat their name), headers, or the JSON body. Output and
error responses follow REST-JSON: a JSON body, errors named in the
``x-amzn-ErrorType`` header with the model's HTTP status.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from botocore.model import OperationModel
from werkzeug.wrappers import Request, Response

from .errors import InvalidParameter, InvalidRequest, ServiceError
from .shapes import WireError, from_json, from_text, to_json

JSON = "application/json"


def parse_request(operation: OperationModel, request: Request, uri_values: dict[str, str]) -> dict[str, Any]:
    """The operation's parameters, by member name, as the SDK serialised them."""
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
                    params[name] = from_text(member, uri_values[wire_name], path)
            elif location == "querystring":
                _read_query(params, name, member, wire_name, request)
            elif location == "header":
                if wire_name in request.headers:
                    params[name] = from_text(member, request.headers[wire_name], path)
            elif location is None:
                body_members[name] = member
        if body_members:
            body = _json_body(request)
            for name, member in body_members.items():
                value = body.get(member.serialization.get("name", name))
                if value is not None:
                    params[name] = from_json(member, value, (name,))
    except WireError as error:
        raise InvalidParameter(str(error)) from None
    return params


_SIGNING_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")


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
    body = {"message": error.message, "Message": error.message}
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


def _json_body(request: Request) -> dict:
    data = request.get_data(cache=False)
    if not data.strip():
        return {}
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise InvalidRequest("the request body must be a JSON object")
    return body


def _request_id(response: Response) -> None:
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
