"""Values on the wire <-> values by member name, walking botocore shapes.

REST-JSON bodies name members by their serialised name (usually the member
name) and carry timestamps as epoch seconds. Parsing keeps only members the
shape defines and drops JSON nulls; serialising keeps only members of the
output shape, so a response never carries a field the model does not know.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from botocore.model import Shape
from botocore.utils import parse_timestamp


class WireError(ValueError):
    """A value that cannot be read as its shape says (e.g. a timestamp that is no time)."""

    def __init__(self, path: tuple[str, ...], reason: str):
        super().__init__(f"{'.'.join(path)}: {reason}" if path else reason)


def from_json(shape: Shape, value: Any, path: tuple[str, ...] = ()) -> Any:
    """A JSON body value as a request parameter. Values of the wrong JSON type are
    passed through unchanged, for the model validator to report."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        parsed = {}
        for name, member in shape.members.items():
            item = value.get(member.serialization.get("name", name))
            if item is not None:
                parsed[name] = from_json(member, item, path + (name,))
        return parsed
    if kind == "map" and isinstance(value, dict):
        return {key: from_json(shape.value, item, path + (key,)) for key, item in value.items() if item is not None}
    if kind == "list" and isinstance(value, list):
        return [from_json(shape.member, item, path + (str(index),)) for index, item in enumerate(value)]
    if kind == "timestamp":
        return epoch_seconds(value, path)
    return value


def to_json(shape: Shape, value: Any) -> Any:
    """A response value in wire form: output-shape members only, timestamps as epoch seconds."""
    kind = shape.type_name
    if kind == "structure":
        return {
            member.serialization.get("name", name): to_json(member, value[name])
            for name, member in shape.members.items()
            if value.get(name) is not None and member.serialization.get("location") is None
        }
    if kind == "map":
        return {key: to_json(shape.value, item) for key, item in value.items()}
    if kind == "list":
        return [to_json(shape.member, item) for item in value]
    if kind == "timestamp":
        if shape.serialization.get("timestampFormat") == "iso8601":
            return datetime.fromtimestamp(value, timezone.utc).isoformat().replace("+00:00", "Z")
        return value
    return value


def from_text(shape: Shape, text: str, path: tuple[str, ...]) -> Any:
    """A URI label, query string or header value as a request parameter."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            raise WireError(path, f"{text!r} is not a whole number") from None
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            raise WireError(path, f"{text!r} is not a number") from None
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise WireError(path, f"{text!r} is not true or false")
        return text.lower() == "true"
    if kind == "timestamp":
        return epoch_seconds(text, path)
    return text


def epoch_seconds(value: Any, path: tuple[str, ...]) -> float:
    """A timestamp as epoch seconds, between 1970 and the end of year 9999."""
    seconds = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value) if math.isfinite(value) and abs(value) < LATEST_EPOCH_SECONDS * 2 else None
    elif isinstance(value, str):
        try:
            seconds = parse_timestamp(value).timestamp()
        except Exception:  # botocore raises RuntimeError, datetime OverflowError, ...: all mean "no time"
            pass
    if seconds is None or not math.isfinite(seconds) or not 0 <= seconds <= LATEST_EPOCH_SECONDS:
        raise WireError(path, f"{str(value)[:40]!r} is not a timestamp (epoch seconds from 1970 to 9999)")
    return seconds


LATEST_EPOCH_SECONDS = 253_402_300_799.0  # 9999-12-31T23:59:59Z
