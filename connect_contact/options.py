"""Resource options that name a Contact's properties, in the names the engine compares.

Pulumi's Python SDK translates the property names of `ignore_changes` (and
`replace_on_changes`) for resources whose
arguments are an input type (pulumi-aws's, for instance), so Python programs write them in
snake_case. A dynamic resource gets no such translation: the names go to the engine as written,
and a name the state does not hold matches nothing, silently. `Contact` translates them itself,
so `ignore_changes=["expiry_duration_in_minutes"]` works as it would on a pulumi-aws resource,
the state's own names (`expiryDurationInMinutes`) keep working, and a name that is no argument
of `Contact` is refused in one line.
"""

from __future__ import annotations

import copy
import difflib
import re
from typing import Optional

import pulumi

from . import argument_shapes, model, schema
from .argument_shapes import ArgumentShape

_TOKEN = re.compile(r"\[[^\]]*\]|[^.\[\]]+")
"""One step of a property path: a name, or a `[...]` key or index (Pulumi's property-path syntax)."""
WILDCARD = "*"


class ContactOptionError(TypeError, pulumi.RunError):
    """A resource option that names no argument of `Contact`. A RunError, so that Pulumi reports it
    in one line, without the program's traceback."""


OUTPUTS = {name for field in schema.COMPUTED for name in (field.python, field.state)}
BY_NAME = {**{field.state: field for field in schema.INPUTS}, **{field.python: field for field in schema.INPUTS}}


PATH_OPTIONS = ("ignore_changes", "replace_on_changes")
"""The resource options that name properties by path."""


NAME_OPTIONS = ("additional_secret_outputs",)
"""The resource options that name whole properties, inputs or outputs alike."""
BY_ANY_NAME = {name: field for field in schema.FIELDS for name in (field.python, field.state)}


def in_state_names(opts: pulumi.ResourceOptions) -> pulumi.ResourceOptions:
    """`opts` with the paths of `PATH_OPTIONS` and the names of `NAME_OPTIONS` in state names (a
    copy; `opts` is left as it was)."""
    if not any(getattr(opts, option) for option in PATH_OPTIONS + NAME_OPTIONS):
        return opts
    translated = copy.copy(opts)
    for option in PATH_OPTIONS:
        if getattr(opts, option):
            setattr(translated, option, [state_path(path, option) for path in getattr(opts, option)])
    for option in NAME_OPTIONS:
        if getattr(opts, option):
            setattr(translated, option, [state_name(name, option) for name in getattr(opts, option)])
    return translated


def state_name(name: str, option: str) -> str:
    """A property's state name from its Python or state name. Raises ContactOptionError, naming the
    option and the closest property, when `name` is neither."""
    field = BY_ANY_NAME.get(name)
    if field is None:
        close = difflib.get_close_matches(name, list(BY_ANY_NAME), n=1)
        fix = f"did you mean {close[0]}?" if close else f"use one of {', '.join(f.python for f in schema.FIELDS)}"
        raise ContactOptionError(f"Contact: {option} names {name!r}, which is not a property of Contact; {fix}")
    return field.state


def state_path(path: str, option: str) -> str:
    """A property path in state names: the argument (`user_info`) and structure members
    (`user_id`) in camelCase; map keys and list indexes as written.

    Raises ContactOptionError, naming the option and the arguments allowed, when the path names no argument."""
    steps = _TOKEN.findall(path)
    if not steps or path == WILDCARD:
        return path
    head = _unquoted(steps[0])
    field = BY_NAME.get(head)
    if field is None and head in OUTPUTS:
        raise ContactOptionError(f"Contact: {option} names {path!r}, an output; {option} applies to arguments only")
    if field is None:
        close = difflib.get_close_matches(head, list(BY_NAME), n=1)
        fix = f"did you mean {close[0]}?" if close else f"use one of {', '.join(f.python for f in schema.INPUTS)}"
        raise ContactOptionError(f"Contact: {option} names {path!r}, which is not an argument of Contact; {fix}")
    translated, shape = field.state, argument_shapes.of_field(field.state)
    for step in steps[1:]:
        translated, shape = _step(translated, shape, step)
    return translated


def _step(translated: str, shape: Optional[ArgumentShape], step: str) -> tuple[str, Optional[ArgumentShape]]:
    if shape is not None and shape.type_name == "structure" and not step.startswith("["):
        for member, python in shape.python_names.items():
            if step in (python, model.lower_camel(member)):
                return f"{translated}.{model.lower_camel(member)}", shape.members[member]
    inner = None
    if shape is not None and shape.type_name == "map":
        inner = shape.value
    elif shape is not None and shape.type_name == "list":
        inner = shape.member
    return (translated + step if step.startswith("[") else f"{translated}.{step}"), inner


def _unquoted(step: str) -> str:
    if step.startswith("[") and step.endswith("]"):
        return step[1:-1].strip("\"'")
    return step
