"""Opaque NextToken values: a position in a listing, encoded so clients treat it as opaque."""

from __future__ import annotations

import base64
import json
from typing import Any, Callable, Optional

from .errors import InvalidParameter


def encode(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode("utf-8")).decode("ascii")


def decode(token: Optional[str], valid: Callable[[Any], bool]) -> Any:
    """The position a NextToken stands for (None for no token); InvalidParameterException
    for a token this service did not issue, i.e. one whose position is not `valid`."""
    if token is None:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError):
        position = None
    if position is None or not valid(position):
        raise InvalidParameter("NextToken: is not a token this service issued")
    return position


def is_key(position: Any) -> bool:
    """A sort key: [value, id]."""
    return isinstance(position, list) and len(position) == 2 and isinstance(position[1], str)
