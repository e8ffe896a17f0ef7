"""`connect_contact/argument_facts.py`, rendered from the field table and botocore's model: the
facts a program needs to declare contacts (the shapes of the arguments, the required and the secret
ones), so that it never loads the model. A development tool: not part of the package."""

from __future__ import annotations

import pprint
from pathlib import Path
from typing import Any

from botocore import xform_name
from botocore.model import Shape

from connect_contact import schema

from .typegen import GENERATED, PACKAGE

PATH = PACKAGE / "argument_facts.py"


def _shapes(shape: Shape, into: dict[str, dict[str, Any]]) -> None:
    """`shape` and every shape it holds, by name, once each (a shape may hold itself)."""
    if shape.name in into:
        return
    facts: dict[str, Any] = {"type": shape.type_name}
    into[shape.name] = facts
    if shape.type_name == "structure":
        facts["members"] = {member: (xform_name(member), held.name) for member, held in shape.members.items()}
        for held in shape.members.values():
            _shapes(held, into)
    elif shape.type_name in ("map", "list"):
        held = shape.value if shape.type_name == "map" else shape.member
        facts["holds"] = held.name
        _shapes(held, into)


def render() -> str:
    shapes: dict[str, dict[str, Any]] = {}
    field_shapes = {}
    for field in schema.INPUTS:
        if field.shape is not None:
            field_shapes[field.state] = field.shape.name
            _shapes(field.shape, shapes)
    required = tuple(field.state for field in schema.INPUTS if field.required)
    secret = tuple(field.state for field in schema.FIELDS if field.sensitive)
    return "\n".join([
        f'"""{GENERATED}',
        "",
        "What a program needs of Connect's model to declare contacts (`argument_shapes` reads it): the",
        'required inputs, the sensitive fields, and the shape of each input by name."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        f"REQUIRED: tuple[str, ...] = {required!r}",
        f"SENSITIVE: tuple[str, ...] = {secret!r}",
        f"FIELD_SHAPES: dict[str, str] = {pprint.pformat(field_shapes, width=100, sort_dicts=False)}",
        f"SHAPES: dict[str, dict[str, Any]] = {pprint.pformat(shapes, width=100, sort_dicts=False)}",
        "",
    ])


def rendered() -> dict[Path, str]:
    return {PATH: render()}
