"""Opaque NextToken values: a position in a listing, encoded so clients treat it as opaque."""

from __future__ import annotations

import base64
import json
import math
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
        position = json.loads(base64.urlsafe_b64decode(token.encode("ascii")), parse_constant=_no_constant)
    except (ValueError, UnicodeError, RecursionError):
        position = None
    if position is None or not valid(position):
        raise InvalidParameter("NextToken: is not a token this service issued")
    return position


def _no_constant(name: str):
    raise ValueError(name)


def is_key(position: Any, text: bool = False) -> bool:
    """A sort key: [value, id], the value a number SQLite can compare (a string when `text`):
    the kind of value the listing sorts on, so the next page's query compares like with like."""
    if not (isinstance(position, list) and len(position) == 2 and isinstance(position[1], str)):
        return False
    return isinstance(position[0], str) if text else _is_sortable_number(position[0])


def _is_sortable_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and abs(value) <= _SQLITE_INTEGER_MAX)


_SQLITE_INTEGER_MAX = 2**63 - 1
