"""What `check` refuses beyond CreateContact's shape and rules, so that nothing it accepts is
refused later, at apply.

The provider sends a contact's inputs in several requests: CreateContact (the create-only
fields), UpdateContact / UpdateContactAttributes / TagContact (the updatable ones, each by the
operation that writes it), DescribeContact and the writes again with `existing_contact_id`, and
it signs them for `region`. Each input is checked against the shape of every request that
carries it, and against what no shape says: the region's format (botocore's own check and its
partitions' region patterns), members the shape does not have (boto3 refuses them client-side),
the container type of an empty value, text that is not Unicode, and nesting deeper than a
request may be.

Values are in state form (camelCase members, user keys verbatim). Violations name the state
path; `python_path` gives the argument path a program writes.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import botocore.exceptions
from botocore import xform_name
from botocore.model import Shape

from . import model, region_names, rules, schema
from .model import Key, Violation

Skip = Callable[[Any], bool]

MAX_ARGUMENT_DEPTH = rules.ASSUMED.MAX_REQUEST_DEPTH - 1
"""The levels one argument may nest: every argument is a member of its request's body, which is
a level of its own."""


CARRIED_BY: dict[str, tuple[tuple[str, str], ...]] = {
    "instanceId": (("CreateContact", "InstanceId"), ("DescribeContact", "InstanceId"), ("UpdateContact", "InstanceId"),
                   ("UpdateContactAttributes", "InstanceId"), ("TagContact", "InstanceId")),
    "existingContactId": (("DescribeContact", "ContactId"), ("UpdateContact", "ContactId"),
                          ("UpdateContactAttributes", "InitialContactId"), ("TagContact", "ContactId")),
}
"""Inputs that name what the requests act on, and the members that carry them."""


# --------------------------------------------------------------------------- values no walk may enter


def unwalkable(inputs: dict[str, Any]) -> dict[str, Violation]:
    """The arguments whose values no recursive check may walk: nested deeper than a request may
    be, holding text that is not Unicode (a lone surrogate) or a key that is not text. At most one
    violation per argument, found without recursion."""
    found = {}
    for state, value in inputs.items():
        violation = _first_unwalkable(state, value)
        if violation is not None:
            found[state] = violation
    return found


def _first_unwalkable(state: str, value: Any) -> Optional[Violation]:
    pending: list[tuple[Any, int, tuple[str, ...]]] = [(value, 1, (Key(state),))]
    while pending:
        item, depth, path = pending.pop()
        if depth > MAX_ARGUMENT_DEPTH:
            return Violation((Key(state),), _too_deep(state))
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    return Violation(path, f"has the key {key!r}, which is not text; map keys must be strings")
                child_path = path + (Key(key),)
                broken = _not_unicode(key, child_path, "key ")
                if broken is not None:
                    return broken
                pending.append((child, depth + 1, child_path))
        elif isinstance(item, (list, tuple)):
            pending.extend((child, depth + 1, path + (Key(str(index)),)) for index, child in enumerate(item))
        elif isinstance(item, str):
            broken = _not_unicode(item, path)
            if broken is not None:
                return broken
    return None


def _too_deep(state: str) -> str:
    levels = " (each value_map or value_list level takes two)" if state == "segmentAttributes" else ""
    return (f"nests more than {MAX_ARGUMENT_DEPTH} levels deep, more than one argument of a Connect request may"
            f"{levels}; flatten it")


def _not_unicode(text: str, path: tuple[str, ...], what: str = "") -> Optional[Violation]:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return Violation(path, f"{what}holds the lone surrogate U+{ord(text[error.start]):04X} at index {error.start}, "
                               "which is not Unicode text and cannot be sent; remove it")
    return None


# --------------------------------------------------------------------------- empty values


_CONTAINERS = {"map": dict, "structure": dict, "list": list}
_KINDS = {"map": "a map", "structure": "an object", "list": "a list", "string": "a string",
          "integer": "a whole number", "long": "a whole number", "boolean": "true or false"}


def container_violations(inputs: dict[str, Any]) -> list[Violation]:
    """An empty map or list given where the argument is of another type. (Empty values of the
    right type mean "not set" and are dropped; a wrong one must be refused, not dropped.)"""
    violations = []
    for state, value in inputs.items():
        field = schema.BY_STATE.get(state)
        if field is None or not isinstance(value, (dict, list)) or value:
            continue
        kind = field.shape.type_name if field.shape is not None else "string"
        if not isinstance(value, _CONTAINERS.get(kind, ())):
            given = "list" if isinstance(value, list) else "map"
            violations.append(Violation((Key(state),), f"must be {_KINDS.get(kind, kind)}, not an empty {given}"))
    return violations


# --------------------------------------------------------------------------- what an update leaves


def merged_violations(olds: dict[str, Any], inputs: dict[str, Any], skip: Skip) -> list[Violation]:
    """What an update leaves on the contact counts in the byte budgets of the fields that have one:
    a merge that clears (attributes: one the program stops giving is set to "", its key kept) or
    keeps (references: Connect cannot delete one, so it stays as it was)."""
    found = []
    for field in schema.INPUTS:
        if field.budget is None or field.merge not in _LEFT_ON_THE_CONTACT:
            continue
        old, new = olds.get(field.state), inputs.get(field.state, {})
        if not isinstance(old, dict) or not isinstance(new, dict) or skip(old) or skip(new):
            continue
        leaves = _LEFT_ON_THE_CONTACT[field.merge]
        kept = {key: leaves(value) for key, value in old.items() if isinstance(key, str) and key not in new}
        member = (field.member,)
        over = [violation for violation in field.budget(schema.to_api(field.shape, {**kept, **new}), skip)
                if violation.path == member]
        alone = [violation for violation in field.budget(schema.to_api(field.shape, new), skip)
                 if violation.path == member]
        if kept and over and not alone:
            emptied = " as empty values" if field.merge is schema.Merge.CLEAR_WITH_EMPTY else ""
            found.append(Violation(member, f"{over[0].reason}, counting the {len(kept)} {field.state} removed from "
                                           f"the program, which stay on the contact{emptied}"))
    return found


_LEFT_ON_THE_CONTACT: dict[schema.Merge, Callable[[Any], Any]] = {
    schema.Merge.CLEAR_WITH_EMPTY: lambda _old: "",
    schema.Merge.MERGE_KEEP: lambda old: old,
}
"""What a value the program stops giving becomes on the contact, by the field's merge."""


# --------------------------------------------------------------------------- everything else


def violations(inputs: dict[str, Any], skip: Skip) -> list[Violation]:
    """The rules above for walkable, non-empty inputs (state form)."""
    found: list[Violation] = []
    found += region_violations(inputs.get(schema.REGION_FIELD.state), skip)
    for state, carriers in CARRIED_BY.items():
        found += _carried_violations(state, inputs.get(state), carriers, skip)
    for field in schema.INPUTS:
        value = inputs.get(field.state)
        if value is not None and field.shape is not None:
            found += unknown_members(field.shape, value, (Key(field.state),), skip)
    found += write_violations(inputs, skip)
    return found


def region_violations(region: Any, skip: Skip) -> list[Violation]:
    """A region botocore accepts (its own format check) and that one of its partitions names."""
    if region is None or skip(region):
        return []
    path = (Key(schema.REGION_FIELD.state),)
    if not isinstance(region, str):
        return [Violation(path, f"must be a string such as 'eu-west-2', not {type(region).__name__}")]
    if region == "":
        return [Violation(path, "must not be empty; leave region unset for the stack's aws:region")]
    problem = region_names.region_problem(region)
    return [Violation(path, problem)] if problem else []


def _carried_violations(state: str, value: Any, carriers: tuple[tuple[str, str], ...], skip: Skip) -> list[Violation]:
    if value is None:
        return []
    found = []
    for operation, member in carriers:
        shape = model.input_member(operation, member)
        found += [Violation((Key(state),) + violation.path[1:], violation.reason)
                  for violation in model.validate(shape, value, (member,), skip)]
    return found


def unknown_members(shape: Shape, value: Any, path: tuple[str, ...], skip: Skip) -> list[Violation]:
    """Keys of a state-form value that its structure shapes do not have (boto3 refuses them)."""
    return list(_unknown(shape, value, path, skip))


def _unknown(shape: Shape, value: Any, path: tuple[str, ...], skip: Skip) -> Iterator[Violation]:
    if skip(value):
        return
    if shape.type_name == "structure" and isinstance(value, dict):
        by_state = {model.lower_camel(name): name for name in shape.members}
        for key, item in value.items():
            if key not in by_state:
                allowed = ", ".join(xform_name(name) for name in shape.members)
                yield Violation(path + (Key(key),), f"is not a member of {shape.name}; use {allowed}")
            elif item is not None:
                yield from _unknown(shape.members[by_state[key]], item, path + (by_state[key],), skip)
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            yield from _unknown(shape.value, item, path + (Key(key),), skip)
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unknown(shape.member, item, path + (Key(str(index)),), skip)


def write_violations(inputs: dict[str, Any], skip: Skip) -> list[Violation]:
    """Each updatable field against the operation that writes it (tags are the provider's own
    check, which leaves room for its release mark), and that operation's rules."""
    found: list[Violation] = []
    requests: dict[str, dict] = {}
    for field in schema.UPDATABLE:
        value = inputs.get(field.state)
        if value is None or field.reserved_keys:
            continue  # a map with keys of the provider's own is checked by the provider, leaving their room
        operation = schema.WRITES[field.mode].operation
        shape = model.input_member(operation, field.member)
        request_value = schema.to_api(shape, value)
        requests.setdefault(operation, {})[field.member] = request_value
        found += model.validate(shape, request_value, (field.member,), skip)
    if requests.get("UpdateContact"):
        pair = (inputs.get("channel"), inputs.get("initiationMethod"))
        found += rules.update_contact_violations(requests["UpdateContact"], skip,
                                                 pair if all(isinstance(part, str) for part in pair) else None)
    if requests.get("UpdateContactAttributes"):
        found += rules.attribute_violations(requests["UpdateContactAttributes"].get("Attributes"), skip)
    return found


# --------------------------------------------------------------------------- naming the argument


def python_path(violation: Violation) -> str:
    """The violation's path as a program writes it: the argument's Python name, members in
    snake_case, user keys verbatim."""
    parts = []
    for index, part in enumerate(violation.path):
        if index == 0:
            field = schema.BY_STATE.get(part) or schema.BY_MEMBER.get(part)
            parts.append(field.python if field is not None else xform_name(part))
        elif isinstance(part, Key):
            parts.append(part.shown)
        else:
            parts.append(xform_name(part))
    return ".".join(parts)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
