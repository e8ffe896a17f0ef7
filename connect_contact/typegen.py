"""The generated parts of the typed Python face: the str enums, `ContactArgs`, `Contact`'s
keyword signature and its output annotations, each with its docstrings.

They are rendered from the field table (`schema`) and botocore's service model (enum values,
limits, documentation), and written into the source between `# <generated: NAME>` and
`# </generated: NAME>` so that type checkers and editors read them as plain code.
`python -m connect_contact.typegen` rewrites them in place; a test keeps them in step.
"""

from __future__ import annotations

import html
import re
import sys
import textwrap
from pathlib import Path
from typing import Callable, Optional

from botocore.model import Shape

from . import model, schema
from .docs import TypeNames, length_limits, type_name

PACKAGE = Path(__file__).resolve().parent
WIDTH = 100

ENUM_SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Channel", "The channel of a contact.", ("Channel",)),
    ("InitiationMethod", "How a contact is initiated.", ("InitiationMethod",)),
    ("ReferenceType", "The type of a contact reference.", ("References", "Type")),
    ("ReferenceStatus", "The status of an attachment reference.", ("References", "Status")),
    ("InitiateAs", "The state a contact is created in.", ("InitiateAs",)),
)
"""Each enum: its name, its summary and its member path in CreateContact's request."""


def enum_shape(path: tuple[str, ...]) -> Shape:
    shape = model.operation(schema.CREATE_OPERATION).input_shape
    for member in path:
        shape = shape.members[member] if shape.type_name == "structure" else shape.value.members[member]
    return shape


def botocore_summary(shape: Optional[Shape]) -> str:
    """The first paragraph of botocore's documentation of `shape`, as plain text."""
    if shape is None or not shape.documentation:
        return ""
    paragraph = re.split(r"</p>", shape.documentation, maxsplit=1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", paragraph)).split())


def _limits(shape: Optional[Shape]) -> str:
    limits = length_limits(shape)
    return f" {limits[0]} to {limits[1]} characters." if limits else ""


def argument_doc(field: schema.Field) -> str:
    text = field.doc + _limits(field.shape)
    text += " Required." if field in schema.REQUIRED else ""
    text += " Secret in state." if field.sensitive else ""
    summary = botocore_summary(field.shape)
    return f"{text} Amazon Connect: {summary}" if summary else text


INPUT_TYPES = TypeNames(args=lambda name: f"Union[{name}, {name}Dict]",
                        map_of=lambda value: f"Mapping[str, pulumi.Input[{value}]]",
                        enum=lambda name: f"Union[{name}, str]", string=lambda _shape: "str")
"""The Python type a `pulumi.Input` of a field takes."""


def input_type(field: schema.Field) -> str:
    typ = f"pulumi.Input[{type_name(field.shape, INPUT_TYPES)}]"
    return typ if field in schema.REQUIRED else f"Optional[{typ}]"


def _state_type(shape: Optional[Shape]) -> str:
    """The Python type of `shape` in state form (what an output resolves to)."""
    if shape is None or shape.type_name == "string":
        return "str"
    if shape.type_name in ("integer", "long"):
        return "int"
    if shape.type_name == "map":
        return f"Mapping[str, {_state_type(shape.value)}]"
    return "Mapping[str, Any]"


ALWAYS_SET = ("contactId", "contactArn", "initiationTimestamp", "lastUpdateTimestamp", schema.TOKEN_FIELD.state)
"""Outputs every created or read contact has; the others may be absent (None)."""


def output_type(field: schema.Field) -> str:
    typ = _state_type(field.shape)
    always = field in schema.REQUIRED or field.state in ALWAYS_SET
    return f"pulumi.Output[{typ if always else f'Optional[{typ}]'}]"


def _ordered() -> list[schema.Field]:
    """Inputs, required first (as a dataclass and a keyword signature need them)."""
    return sorted(schema.INPUTS, key=lambda field: field not in schema.REQUIRED)


def _docstring(text: str, indent: str) -> list[str]:
    lines = textwrap.wrap(text, WIDTH - len(indent) - 3)
    if len(lines) == 1 and len(lines[0]) + len(indent) + 6 <= WIDTH:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" for line in lines[1:]), f'{indent}"""']


def render_enums() -> str:
    out: list[str] = []
    for name, summary, path in ENUM_SOURCES:
        values = enum_shape(path).enum
        out += ["", "", f"class {name}(enum.StrEnum):"]
        out += _docstring(f"{summary} One of {', '.join(values)}; a plain string is accepted too.", "    ")
        out += [""] + [f'    {_member(value)} = "{value}"' for value in values]
    return "\n".join(out[2:])


def _member(value: str) -> str:
    return re.sub(r"\W", "_", value)


def render_contact_args() -> str:
    out = ["@dataclasses.dataclass", "class ContactArgs:"]
    out += _docstring("The arguments of a `Contact`, as one value: "
                      "`Contact(name, ContactArgs(...))` is `Contact(name, ...)`.", "    ")
    for field in _ordered():
        default = "" if field in schema.REQUIRED else " = None"
        out += ["", f"    {field.python}: {input_type(field)}{default}"]
        out += _docstring(argument_doc(field), "    ")
    return "\n".join(out)


def render_contact_keywords() -> str:
    out = ["@overload", "def __init__(",
           "    self,", "    resource_name: str,", "    opts: Optional[pulumi.ResourceOptions] = None,", "    *,"]
    for field in _ordered():
        default = "" if field in schema.REQUIRED else " = None"
        out.append(f"    {field.python}: {input_type(field)}{default},")
    out.append(") -> None:")
    params = [":param resource_name: The unique name of the resource.",
              ":param opts: Options for the resource."]
    params += [f":param {field.python}: {argument_doc(field)}" for field in _ordered()]
    body = ["Declare an Amazon Connect contact.", ""]
    for param in params:
        body += textwrap.wrap(param, WIDTH - 8, subsequent_indent="    ")
    out += ['    """' + body[0], *(f"    {line}".rstrip() for line in body[1:]), '    """']
    return textwrap.indent("\n".join(out), "    ", lambda line: bool(line.strip()))


def render_contact_outputs() -> str:
    out: list[str] = []
    for field in schema.FIELDS:
        out += [f"{field.python}: {output_type(field)}"]
        out += _docstring(field.doc, "")
    return textwrap.indent("\n".join(out), "    ")


BLOCKS: dict[str, tuple[str, Callable[[], str]]] = {
    "enums": ("enums.py", render_enums),
    "contact-args": ("args.py", render_contact_args),
    "contact-outputs": ("resource.py", render_contact_outputs),
    "contact-keywords": ("resource.py", render_contact_keywords),
}


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^[ ]*# <generated: {name}>\n)(.*?)(^[ ]*# </generated: {name}>$)", re.S | re.M)


def current(name: str) -> str:
    """The block `name` as the source has it now."""
    filename, _ = BLOCKS[name]
    match = _pattern(name).search((PACKAGE / filename).read_text())
    if match is None:
        raise LookupError(f"{filename} has no generated block {name}")
    return match.group(2).rstrip("\n")


def write() -> list[str]:
    """Rewrite every block from the field table and botocore's model; the files changed."""
    changed = []
    for name, (filename, render) in BLOCKS.items():
        path = PACKAGE / filename
        text = path.read_text()
        updated = _pattern(name).sub(lambda match: f"{match.group(1)}{render()}\n{match.group(3)}", text, count=1)
        if updated != text:
            path.write_text(updated)
            changed.append(filename)
    return changed


if __name__ == "__main__":
    for filename in write():
        print(f"rewrote {filename}", file=sys.stderr)
