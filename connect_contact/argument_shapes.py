"""The shapes of `Contact`'s arguments, as a program converts them to state form: the members of
a structure (with their Python names), what a map or a list holds.

A program reads them from `argument_facts`, which `python -m tools.generate` renders from the field
table and botocore's model, so that declaring contacts loads neither botocore nor Connect's model
(1.9 MB of JSON). The provider host, which validates requests, reads the model itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

from . import argument_facts


@dataclass(frozen=True)
class ArgumentShape:
    """One named shape of botocore's model, reduced to what converting an argument needs (one
    instance per name, see `shape`, so each structure's member tables are built once)."""

    name: str

    @property
    def type_name(self) -> str:
        return argument_facts.SHAPES[self.name]["type"]

    @functools.cached_property
    def members(self) -> dict[str, ArgumentShape]:
        """A structure's members by API name (none for other shapes)."""
        return {member: shape(held) for member, (_python, held) in self._members().items()}

    @functools.cached_property
    def python_names(self) -> dict[str, str]:
        """A structure's members: API name to the Python (snake_case) name a program writes."""
        return {member: python for member, (python, _held) in self._members().items()}

    @property
    def value(self) -> Optional[ArgumentShape]:
        """What a map holds."""
        return self._held("map")

    @property
    def member(self) -> Optional[ArgumentShape]:
        """What a list holds."""
        return self._held("list")

    def _members(self) -> dict[str, tuple[str, str]]:
        return argument_facts.SHAPES[self.name].get("members", {})

    def _held(self, type_name: str) -> Optional[ArgumentShape]:
        facts = argument_facts.SHAPES[self.name]
        return shape(facts["holds"]) if facts["type"] == type_name else None


@functools.cache
def shape(name: str) -> ArgumentShape:
    return ArgumentShape(name)


def of_field(state: str) -> Optional[ArgumentShape]:
    """The shape of the input field named `state` in state form (None: a plain string, no API member)."""
    name = argument_facts.FIELD_SHAPES.get(state)
    return None if name is None else shape(name)
