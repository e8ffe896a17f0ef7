"""Amazon Connect's service model as the local service reads it: botocore's data files, and the
check of a request against its operation's input shape (InvalidParameterException's verdict).

The service reads the model itself rather than through the provider's package: it imports
nothing of `connect_contact`, so it runs, and is checked, as a program of its own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterator

import botocore.loaders
import regex
from botocore.model import OperationModel, ServiceModel, Shape

# Smithy's number types on the wire: integer is 32-bit, long 64-bit, both signed.
WIRE_RANGES = {"integer": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1)}
UNITS = {"string": "characters", "list": "items", "map": "entries"}


class Key(str):
    """A map key or list index in a violation's path: the client's data, kept as sent, and shown
    cut short past KEY_SHOWN_LIMIT characters (a refused key can be any length)."""


KEY_SHOWN_LIMIT = 256


@dataclass(frozen=True)
class Violation:
    """What a request breaks: where (member names and keys) and why."""

    path: tuple[str, ...]
    reason: str

    def api_message(self) -> str:
        shown = (part[:KEY_SHOWN_LIMIT] + "..." if isinstance(part, Key) and len(part) > KEY_SHOWN_LIMIT else part
                 for part in self.path)
        return f"{'.'.join(shown)}: {self.reason}" if self.path else self.reason


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """Connect's model from botocore's data files alone (no session: no AWS config is read)."""
    return ServiceModel(botocore.loaders.create_loader().load_service_model("connect", "service-2"),
                        service_name="connect")


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def input_member(operation_name: str, member: str) -> Shape:
    return operation(operation_name).input_shape.members[member]


def request_violations(operation_name: str, params: dict) -> list[Violation]:
    """Every way `params` breaks the operation's input shape."""
    return list(_check(operation(operation_name).input_shape, params, ()))


@dataclass(frozen=True)
class _Bounds:
    enum: frozenset
    low: Any
    high: Any
    pattern: Any


_BOUNDS: dict[tuple[str, str], _Bounds] = {}


def _bounds(shape: Shape) -> _Bounds:
    """A named shape's enum, bounds and compiled pattern, read once: botocore rebuilds a shape's
    metadata on every access, and one request may hold thousands of values of one shape."""
    key = (shape.name, shape.type_name)
    if key not in _BOUNDS:
        metadata = shape.metadata
        pattern = metadata.get("pattern")
        if pattern and pattern.endswith("$") and not pattern.endswith("\\$"):
            pattern = pattern[:-1] + r"\Z"  # the value's end, not before a final newline as `$` allows
        # The model's patterns are Java's dialect (\p{L} and the like): `regex` reads them, `re` does not.
        _BOUNDS[key] = _Bounds(frozenset(metadata.get("enum") or ()), metadata.get("min"), metadata.get("max"),
                               regex.compile(pattern) if pattern else None)
    return _BOUNDS[key]


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _count(shape: Shape, count: int, path: tuple) -> Iterator[Violation]:
    bounds, unit = _bounds(shape), UNITS[shape.type_name]
    if bounds.low is not None and count < bounds.low:
        yield Violation(path, f"must have at least {bounds.low} {unit} (got {count})")
    if bounds.high is not None and count > bounds.high:
        yield Violation(path, f"must have at most {bounds.high} {unit} (got {count})")


def _check(shape: Shape, value: Any, path: tuple) -> Iterator[Violation]:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            yield Violation(path, "must be an object")
            return
        for name in shape.required_members:
            if value.get(name) is None:
                yield Violation(path + (name,), "is required")
        for name, item in value.items():
            if name in shape.members and item is not None:
                yield from _check(shape.members[name], item, path + (name,))
    elif kind == "map":
        if not isinstance(value, dict):
            yield Violation(path, "must be a map")
            return
        yield from _count(shape, len(value), path)
        for key, item in value.items():
            where = path + (Key(key),)
            yield from (Violation(found.path, "key " + found.reason) for found in _check(shape.key, key, where))
            yield from _check(shape.value, item, where)
    elif kind == "list":
        if not isinstance(value, list):
            yield Violation(path, "must be a list")
            return
        yield from _count(shape, len(value), path)
        member = shape.member
        names = _bounds(member).enum if member.type_name == "string" else frozenset()
        if names and all(isinstance(item, str) for item in value) and names.issuperset(value):
            return  # names from a closed set, the common case, checked at once however many
        for index, item in enumerate(value):
            yield from _check(member, item, path + (Key(str(index)),))
    elif kind == "string":
        yield from _string(shape, value, path)
    elif kind in WIRE_RANGES:
        yield from _number(shape, value, path)
    elif kind == "boolean" and not isinstance(value, bool):
        yield Violation(path, "must be true or false")


def _string(shape: Shape, value: Any, path: tuple) -> Iterator[Violation]:
    if not isinstance(value, str):
        yield Violation(path, "must be a string")
        return
    bounds = _bounds(shape)
    if bounds.enum and value not in bounds.enum:
        yield Violation(path, f"{_shown(value)!r} is not allowed; use one of {', '.join(shape.enum)}")
        return
    out_of_bounds = list(_count(shape, len(value), path))
    yield from out_of_bounds
    # A pattern is matched only within the length bounds: some of the model's patterns take time
    # that grows with the square of the value's length (an email address's, searched).
    if bounds.pattern is not None and not out_of_bounds and not bounds.pattern.search(value):
        yield Violation(path, f"{_shown(value)!r} does not match the pattern {shape.metadata['pattern']}")


def _number(shape: Shape, value: Any, path: tuple) -> Iterator[Violation]:
    if isinstance(value, bool) or not isinstance(value, int):
        yield Violation(path, "must be a whole number")
        return
    bounds, (wire_low, wire_high) = _bounds(shape), WIRE_RANGES[shape.type_name]
    low = wire_low if bounds.low is None else bounds.low
    high = wire_high if bounds.high is None else bounds.high
    if value < low:
        yield Violation(path, f"must be at least {low} (got {_shown(value)})")
    if value > high:
        yield Violation(path, f"must be at most {high} (got {_shown(value)})")
