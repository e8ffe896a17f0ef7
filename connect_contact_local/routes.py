"""URL routing derived, at run time, from botocore's Connect service model.

Every operation of the model gets a Werkzeug rule built from its HTTP method
and request URI, so the service answers each operation on exactly the route
the SDK uses, whether or not it implements it.
"""

from __future__ import annotations

import functools
import re

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from .model import service_model

_GREEDY_LABEL = re.compile(r"\{(\w+)\+\}")
_LABEL = re.compile(r"\{(\w+)\}")


class NoSuchRoute(Exception):
    """No operation of the model is served at this method and path."""


def werkzeug_path(request_uri: str) -> str:
    """'/contacts/{InstanceId}/{Key+}?x' -> '/contacts/<InstanceId>/<path:Key>'."""
    path = request_uri.split("?", 1)[0]
    path = _GREEDY_LABEL.sub(r"<path:\1>", path)
    return _LABEL.sub(r"<\1>", path)


@functools.lru_cache(maxsize=1)
def operation_routes() -> Map:
    model = service_model()
    rules = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        rules.append(Rule(werkzeug_path(http["requestUri"]), methods=[http["method"]], endpoint=name))
    return Map(rules, strict_slashes=False, merge_slashes=False)


def match(method: str, path: str) -> tuple[str, dict[str, str]]:
    """The operation served at `method` `path`, and the URI labels' values."""
    adapter = operation_routes().bind("connect.local")
    try:
        return adapter.match(path, method=method)
    except HTTPException as error:
        raise NoSuchRoute(f"no Amazon Connect operation is served at {method} {path}") from error
