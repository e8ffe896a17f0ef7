"""The plugin's Pulumi package schema (`connect_contact/pulumi-schema.json`), generated from the field
table, the plugin's settings and botocore's model: types and nested object types, enums,
descriptions from the model's documentation, required inputs, secrets, and `replaceOnChanges` for
the create-only fields. The plugin serves it as is (`GetSchema`); Pulumi generates each language's
SDK from it. A development tool: not part of the package.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Optional

from botocore.model import Shape

from connect_contact import model, plugin_settings, schema

from . import typegen

PACKAGE = plugin_settings.PACKAGE
RESOURCE = plugin_settings.RESOURCE_TYPE
PATH = typegen.PACKAGE / "pulumi-schema.json"
_SCALARS = {"string": "string", "timestamp": "string", "integer": "integer", "long": "integer",
            "boolean": "boolean", "double": "number", "float": "number"}


def type_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/types/{PACKAGE}:index:{name}"}


def type_spec(shape: Optional[Shape]) -> dict[str, Any]:
    """The schema type of a value of `shape` (no shape: a string)."""
    if shape is None:
        return {"type": "string"}
    if shape.type_name == "structure" or (shape.type_name == "string" and shape.enum):
        return type_ref(typegen.python_name(shape))
    if shape.type_name == "map":
        return {"type": "object", "additionalProperties": type_spec(shape.value)}
    if shape.type_name == "list":
        return {"type": "array", "items": type_spec(shape.member)}
    if shape.type_name not in _SCALARS:
        raise LookupError(f"botocore shape {shape.name} ({shape.type_name}) has no schema type; add one to "
                          "tools/pulumi_schema.py")
    return {"type": _SCALARS[shape.type_name]}


def _described(spec: dict[str, Any], description: str) -> dict[str, Any]:
    return {**spec, "description": description} if description else spec


def _object_type(shape: Shape) -> dict[str, Any]:
    properties = {model.lower_camel(name): _described(type_spec(member), typegen.botocore_summary(member))
                  for name, member in shape.members.items()}
    spec: dict[str, Any] = {"type": "object",
                            "description": typegen.botocore_summary(shape) or f"Amazon Connect's {shape.name}.",
                            "properties": properties}
    required = sorted(model.lower_camel(name) for name in shape.required_members)
    return {**spec, "required": required} if required else spec


def _enum_type(shape: Shape) -> dict[str, Any]:
    summary = typegen.botocore_summary(shape) or f"Amazon Connect's {shape.name} values."
    return {"type": "string", "description": summary,
            "enum": [{"name": typegen._enum_member(value), "value": value} for value in shape.enum]}


def _property(field: schema.Field, *, as_input: bool) -> dict[str, Any]:
    spec = _described(type_spec(field.shape), typegen.argument_doc(field) if field.is_input else field.doc)
    if field.sensitive:
        spec["secret"] = True
    if not as_input and field.mode is schema.Mode.CREATE_ONLY:
        spec["replaceOnChanges"] = True  # where SDK generators read it; the plugin's diff replaces anyway
    return spec


def _settings() -> dict[str, dict[str, Any]]:
    specs = {}
    for setting in plugin_settings.SETTINGS:
        spec = type_ref(setting.object_type) if setting.object_type else {"type": "string"}
        specs[setting.key] = {**spec, "description": setting.doc, **({"secret": True} if setting.secret else {})}
    return specs


def _version() -> str:
    return tomllib.loads((typegen.PACKAGE.parent / "pyproject.toml").read_text())["project"]["version"]


def package_schema() -> dict[str, Any]:
    types = {f"{PACKAGE}:index:{typegen.python_name(shape)}": _object_type(shape) for shape in typegen.structures()}
    types |= {f"{PACKAGE}:index:{typegen.python_name(shape)}": _enum_type(shape) for shape in typegen.enums()}
    types[f"{PACKAGE}:index:DefaultTags"] = {
        "type": "object", "description": "Tags every contact of the provider gets under its own.",
        "properties": {"tags": {"type": "object", "additionalProperties": {"type": "string"},
                                "description": "The tags, by key."}}}
    settings = _settings()
    contact = {
        "description": "An Amazon Connect contact (CreateContact), managed as infrastructure: created once with a "
                       "stable ClientToken, updated in place where Connect allows it, replaced where it does not, "
                       "and ended (StopContact) on delete. Import ID: `<instanceId>:<contactId>` or the contact ARN.",
        "properties": {field.state: _property(field, as_input=False) for field in schema.FIELDS},
        # An imported contact has no client token: Connect reports none.
        "required": [field.state for field in schema.FIELDS
                     if (field.always_set and field is not schema.TOKEN_FIELD) or field.required],
        "inputProperties": {field.state: _property(field, as_input=True) for field in schema.INPUTS},
        "requiredInputs": [field.state for field in schema.INPUTS if field.required],
    }
    return {
        "name": PACKAGE,
        "displayName": "Amazon Connect contact",
        "version": _version(),
        "description": "Amazon Connect contacts as infrastructure: exact plans, no duplicate contact, import.",
        "keywords": ["pulumi", "aws", "amazon-connect", "category/cloud"],
        "license": "Apache-2.0",
        "meta": {"moduleFormat": "(.*)"},
        "config": {"variables": settings},
        "provider": {"description": "The connect-contact provider: where contacts go and with which AWS settings.",
                     "properties": settings, "inputProperties": settings},
        "resources": {RESOURCE: contact},
        "types": types,
        "language": {
            # Each SDK carries the schema's version and asks for the plugin of that version.
            "nodejs": {"packageName": "@connect-contact/pulumi", "packageDescription": "Amazon Connect contacts.",
                       "respectSchemaVersion": True},
            "python": {"packageName": "pulumi_connect_contact", "respectSchemaVersion": True},
            "go": {"importBasePath": "connect-contact.example/sdk/go/connectcontact",
                   "generateResourceContainerTypes": True, "respectSchemaVersion": True},
            "csharp": {"rootNamespace": "ConnectContact"},
        },
    }


def rendered() -> dict[Path, str]:
    return {PATH: json.dumps(package_schema(), indent=2, sort_keys=False) + "\n"}
