"""Amazon Connect's service model, as shipped inside the installed botocore.

Every limit, enum and pattern used to validate a request is read from here at
run time, so the provider and the local Connect service validate with the
same numbers boto3 itself ships.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:  # botocore is imported where the model is first read: a program never reads it
    import botocore.loaders
    import regex
    from botocore.model import OperationModel, ServiceModel, Shape


REQUIRED = "is required"


class Key(str):
    """A map key or list index inside a violation path: user data, kept verbatim unless it is too
    long to show in a one-line error (`shown`)."""

    @property
    def shown(self) -> str:
        return _shorten(self, KEY_SHOWN_LIMIT)


KEY_SHOWN_LIMIT = 256
"""A key longer than this is cut short in a violation's path (a refused key can be any length; one
just over its map's limit, 128 characters for tags, is still shown whole)."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (API member names and keys) and why."""

    path: tuple[str, ...]
    reason: str

    def api_path(self) -> str:
        return ".".join(part.shown if isinstance(part, Key) else part for part in self.path)

    def property_path(self) -> str:
        """The path in state names: members in camelCase, keys verbatim (cut short if too long)."""
        return ".".join(part.shown if isinstance(part, Key) else lower_camel(part) for part in self.path)

    def api_message(self) -> str:
        return f"{self.api_path()}: {self.reason}" if self.path else self.reason


def lower_camel(member: str) -> str:
    return member[:1].lower() + member[1:]


# The range of the wire's number types (Smithy: integer is 32-bit, long 64-bit, both signed).
NUMBER_RANGES = {"integer": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1)}


def _plain_json_files() -> botocore.loaders.JSONFileLoader:
    """botocore's data files (`.json`, `.json.gz`, in botocore's order) parsed into plain dicts,
    which keep the files' order as botocore's OrderedDicts do, in half the time: Connect's model is
    1.9 MB of JSON, parsed at every start of the provider host."""
    import botocore.loaders

    class PlainJsonFiles(botocore.loaders.JSONFileLoader):
        OPEN_METHODS = ((".json", open), (".json.gz", gzip.open))

        def load_file(self, file_path):
            for extension, open_method in self.OPEN_METHODS:
                if os.path.isfile(file_path + extension):
                    with open_method(file_path + extension, "rb") as data:
                        return json.loads(data.read())
            return None

    return PlainJsonFiles()


@functools.lru_cache(maxsize=1)
def data_loader() -> botocore.loaders.Loader:
    """The one loader of botocore's data files in this process: the provider's boto3 sessions use
    it too (`aws`), so Connect's model is parsed once however many clients are made."""
    import botocore.loaders

    loader = botocore.loaders.create_loader()
    loader.file_loader = _plain_json_files()
    return loader


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """Read from botocore's data files alone: no session, so no AWS profile or config file is
    read (a stale AWS_PROFILE or a malformed ~/.aws/config must not matter here)."""
    from botocore.model import ServiceModel

    # Asked as botocore's client asks (api_version=None), so the loader's cache serves both.
    return ServiceModel(data_loader().load_service_model("connect", "service-2", api_version=None),
                        service_name="connect")


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def input_member(operation_name: str, member: str) -> Shape:
    return operation(operation_name).input_shape.members[member]


def is_sensitive(shape: Shape) -> bool:
    return bool(shape.metadata.get("sensitive"))


def never_skip(_value: Any) -> bool:
    return False


def validate(
    shape: Shape,
    value: Any,
    path: tuple[str, ...] = (),
    skip: Callable[[Any], bool] = never_skip,
) -> list[Violation]:
    """Every way `value` breaks `shape`: type, required members, enums, lengths,
    ranges and patterns. Values for which `skip` is true (e.g. not yet known)
    count as present and valid."""
    return list(_violations(shape, value, path, skip))


def validate_request(operation_name: str, params: dict, skip: Callable[[Any], bool] = never_skip) -> list[Violation]:
    return validate(operation(operation_name).input_shape, params, (), skip)


def _violations(shape: Shape, value: Any, path: tuple[str, ...], skip) -> Iterator[Violation]:
    if skip(value):
        return
    check = _CHECKS_BY_TYPE.get(shape.type_name)
    if check is not None:
        yield from check(shape, value, path, skip)


def _structure(shape: Shape, value: Any, path, skip) -> Iterator[Violation]:
    if not isinstance(value, dict):
        yield Violation(path, "must be an object")
        return
    for name in shape.required_members:
        if value.get(name) is None:
            yield Violation(path + (name,), REQUIRED)
    for name, member_value in value.items():
        member = shape.members.get(name)
        if member is not None and member_value is not None:
            yield from _violations(member, member_value, path + (name,), skip)


def _map(shape: Shape, value: Any, path, skip) -> Iterator[Violation]:
    if not isinstance(value, dict):
        yield Violation(path, "must be a map")
        return
    yield from _size(shape, len(value), path, "entries")
    for key, item in value.items():
        item_path = path + (Key(key),)
        for violation in _violations(shape.key, key, item_path, skip):
            yield Violation(violation.path, "key " + violation.reason)
        if item is None:
            yield Violation(item_path, "must have a value")
        else:
            yield from _violations(shape.value, item, item_path, skip)


def _list(shape: Shape, value: Any, path, skip) -> Iterator[Violation]:
    if not isinstance(value, list):
        yield Violation(path, "must be a list")
        return
    yield from _size(shape, len(value), path, "items")
    member_facts = _facts(shape.member) if shape.member.type_name == "string" else None
    if member_facts and member_facts.enum and all(isinstance(item, str) for item in value) \
            and member_facts.enum.issuperset(value):
        return  # a list of allowed names (the common case) checked in one step, however long
    for index, item in enumerate(value):
        yield from _violations(shape.member, item, path + (Key(str(index)),), skip)


def _string(shape: Shape, value: Any, path, skip) -> Iterator[Violation]:
    if not isinstance(value, str):
        yield Violation(path, "must be a string")
        return
    facts = _facts(shape)
    if facts.enum and value not in facts.enum:
        yield Violation(path, f"{_shorten(value)!r} is not allowed; use one of {', '.join(shape.enum)}")
        return
    oversized = list(_size(shape, len(value), path, "characters"))
    yield from oversized
    # A pattern is matched only within the length bounds: some of the model's patterns take time
    # that grows with the square of the value's length (an email address's, searched).
    if facts.pattern and not oversized and not _compiled(facts.pattern).search(value):
        yield Violation(path, f"{_shorten(value)!r} does not match the pattern {facts.pattern}")


def _integer(shape: Shape, value: Any, path, skip) -> Iterator[Violation]:
    if isinstance(value, bool) or not isinstance(value, int):
        yield Violation(path, "must be a whole number")
        return
    wire_low, wire_high = NUMBER_RANGES[shape.type_name]
    facts = _facts(shape)
    low = wire_low if facts.low is None else facts.low
    high = wire_high if facts.high is None else facts.high
    if value < low:
        yield Violation(path, f"must be at least {low} (got {_shorten(str(value))})")
    if value > high:
        yield Violation(path, f"must be at most {high} (got {_shorten(str(value))})")


def _boolean(shape: Shape, value: Any, path, skip) -> Iterator[Violation]:
    if not isinstance(value, bool):
        yield Violation(path, "must be true or false")


def _size(shape: Shape, size: int, path, unit: str) -> Iterator[Violation]:
    facts = _facts(shape)
    low, high = facts.low, facts.high
    if low is not None and size < low:
        yield Violation(path, f"must have at least {low} {unit} (got {size})")
    if high is not None and size > high:
        yield Violation(path, f"must have at most {high} {unit} (got {size})")


@dataclass(frozen=True)
class _Facts:
    enum: frozenset[str]
    low: Any
    high: Any
    pattern: str | None


_FACTS: dict[tuple[str, str], _Facts] = {}


def _facts(shape: Shape) -> _Facts:
    """The shape's enum, bounds and pattern, read once per named shape (botocore builds its
    metadata anew on every access, and a request may hold thousands of values of one shape)."""
    key = (shape.name, shape.type_name)
    facts = _FACTS.get(key)
    if facts is None:
        metadata = shape.metadata
        facts = _FACTS[key] = _Facts(frozenset(metadata.get("enum") or ()), metadata.get("min"),
                                     metadata.get("max"), metadata.get("pattern"))
    return facts


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> regex.Pattern:
    """The model's pattern, its closing `$` made to mean the end of the value: Python's `$` also
    matches before a final newline, which the service does not accept. The model's patterns are
    Java's dialect (`\\p{L}` and the like), which the `regex` module reads and `re` does not."""
    import regex

    return regex.compile(whole_value(pattern))


def whole_value(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


_CHECKS_BY_TYPE = {
    "structure": _structure,
    "map": _map,
    "list": _list,
    "string": _string,
    "integer": _integer,
    "long": _integer,
    "boolean": _boolean,
}
