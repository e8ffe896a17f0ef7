"""The typed Python face: `Contact`'s keywords, `ContactArgs` and the field table are one set; the
generated source is in step with the field table and botocore's model; a type checker sees it."""

from __future__ import annotations

import dataclasses
import inspect
import subprocess
import sys
import tomllib
import typing
from pathlib import Path

import pytest
from botocore import xform_name

import connect_contact
from connect_contact import Contact, ContactArgs, args, enums, model, outputs, schema
from tools import generate, typegen

ROOT = Path(__file__).resolve().parent.parent


def keyword_overload() -> inspect.Signature:
    signatures = [inspect.signature(overload) for overload in typing.get_overloads(Contact.__init__)]
    keyword = [s for s in signatures if any(p.kind is p.KEYWORD_ONLY for p in s.parameters.values())]
    assert len(keyword) == 1, signatures
    return keyword[0]


def test_keywords_contact_args_and_field_table_inputs_are_one_set():
    keywords = {name for name, p in keyword_overload().parameters.items() if p.kind is p.KEYWORD_ONLY}
    args_fields = {field.name for field in dataclasses.fields(ContactArgs)}
    table = {field.python for field in schema.INPUTS}
    assert keywords == args_fields == table


def test_required_keywords_are_the_members_create_contact_requires():
    required = {name for name, p in keyword_overload().parameters.items()
                if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
    assert required == {field.python for field in schema.REQUIRED} == {"instance_id", "channel", "initiation_method"}


def test_every_field_is_a_typed_output_property_under_its_state_name():
    properties = {name: value for name, value in vars(Contact).items() if isinstance(value, property)}
    assert set(properties) == {field.python for field in schema.FIELDS}
    for field in schema.FIELDS:
        hints = typing.get_type_hints(properties[field.python].fget)
        assert typing.get_origin(hints["return"]) is not None and "Output" in str(hints["return"]), field.python
    assert pulumi_types(Contact) == {field.state for field in schema.FIELDS}


def pulumi_types(cls):
    from pulumi import _types
    return set(_types.resource_types(cls))


def test_generated_files_are_in_step_with_the_field_table_and_botocore():
    """Regenerate with `python -m tools.generate` when this fails."""
    assert [path.name for path in generate.stale()] == []


def test_the_generators_are_not_in_the_package():
    assert not (Path(connect_contact.__file__).parent / "typegen.py").exists()
    assert not (Path(connect_contact.__file__).parent / "docs.py").exists()


def test_argument_docs_carry_the_field_table_and_botocore_documentation():
    doc = keyword_overload_doc()
    for field in schema.INPUTS:
        assert f":param {field.python}: {field.doc[:40]}" in " ".join(doc.split()), field.python
    assert "Amazon Connect: The identifier of the Connect Customer instance." in " ".join(doc.split())


def keyword_overload_doc() -> str:
    for overload in typing.get_overloads(Contact.__init__):
        if "instance_id" in inspect.signature(overload).parameters:
            return overload.__doc__ or ""
    raise AssertionError("no keyword overload")


ENUMS = {"Channel": "Channel", "InitiationMethod": "ContactInitiationMethod", "ReferenceType": "ReferenceType",
         "ReferenceStatus": "ReferenceStatus", "InitiateAs": "InitiateAs"}
"""The enums a program imports, and the botocore shape each holds."""


@pytest.mark.parametrize("name, shape_name", ENUMS.items())
def test_enums_hold_botocore_values(name, shape_name):
    assert [member.value for member in getattr(connect_contact, name)] == model.service_model().shape_for(shape_name).enum


NESTED = {"ContactReference": "Reference", "UserInfo": "UserInfo", "SegmentAttributeValue": "SegmentAttributeValue"}
"""The nested types a program imports (Args, ArgsDict, output class), and the botocore shape of each."""


@pytest.mark.parametrize("name, shape_name", NESTED.items())
def test_nested_types_have_the_members_of_their_botocore_shape(name, shape_name):
    shape = model.service_model().shape_for(shape_name)
    members = {xform_name(member) for member in shape.members}
    assert {field.name for field in dataclasses.fields(getattr(args, f"{name}Args"))} == members
    assert set(getattr(args, f"{name}ArgsDict").__annotations__) == members
    output = getattr(outputs, name)
    assert {key for key, value in vars(output).items() if isinstance(value, property)} == members
    required = {xform_name(member) for member in shape.required_members}
    assert {field.name for field in dataclasses.fields(getattr(args, f"{name}Args"))
            if field.default is dataclasses.MISSING} == required


def test_every_structure_an_argument_holds_has_its_types():
    """No structure becomes a plain `str`: each one the fields hold gets its Args, ArgsDict and output."""
    for shape in typegen.structures():
        name = typegen.python_name(shape)
        assert hasattr(args, f"{name}Args") and hasattr(args, f"{name}ArgsDict") and hasattr(outputs, name), name


def test_a_shape_without_a_python_rendering_stops_the_generator():
    shape = model.service_model().shape_for("Contact").members["InitiationTimestamp"]
    assert typegen.input_type(shape) == "str"
    blob = type("Shape", (), {"type_name": "blob", "name": "Payload", "enum": None})()
    with pytest.raises(LookupError, match="botocore shape Payload \\(blob\\) has no Python rendering"):
        typegen.input_type(blob)


def test_nested_outputs_read_back_typed_in_snake_case():
    """What the engine hands back (state form, camelCase members) becomes the output class."""
    from pulumi.runtime.rpc import translate_output_properties
    from pulumi import _types
    types = _types.resource_types(Contact)
    user = translate_output_properties({"userId": "agent-1"}, lambda name: name, types["userInfo"])
    assert isinstance(user, outputs.UserInfo) and user == outputs.UserInfo(user_id="agent-1")
    segments = translate_output_properties(
        {"connect:ContactExpiry": {"valueMap": {"ExpiryDuration": {"valueInteger": 60.0}}}}, lambda name: name,
        types["segmentAttributes"])
    expiry = segments["connect:ContactExpiry"]
    assert expiry.value_map["ExpiryDuration"].value_integer == 60  # user keys kept verbatim, members typed
    references = translate_output_properties({"userInfo": {"type": "URL", "value": "u"}}, lambda name: name,
                                             types["references"])
    assert references["userInfo"].type == "URL"  # a user key that is also a field name stays as written


def test_the_package_ships_its_type_marker():
    assert (Path(connect_contact.__file__).parent / "py.typed").is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["connect_contact"]


@pytest.mark.parametrize("call, message", [
    (lambda: Contact("c", instance="i", channel="TASK", initiation_method="API"),
     "Contact: unknown argument 'instance'; did you mean instance_id?"),
    (lambda: Contact("c", ContactArgs(instance_id="i", channel="TASK", initiation_method="API"), name="n"),
     "Contact: pass either a ContactArgs or keywords, not both (got name)"),
    (lambda: Contact("c"), "Contact: missing arguments; pass a ContactArgs or the keywords instance_id, channel "
                           "and initiation_method"),
    (lambda: Contact("c", {"instance_id": "i"}), "Contact: args must be a ContactArgs, not dict"),
])
def test_a_wrong_call_is_refused_in_one_line_before_anything_registers(call, message):
    with pytest.raises(TypeError) as refused:
        call()
    assert str(refused.value) == message


GOOD_PROGRAM = '''\
import pulumi
from connect_contact import Channel, Contact, ContactArgs, ContactReferenceArgs, SegmentAttributeValueArgs

escalation = Contact(
    "escalation",
    instance_id=pulumi.Config().require("instanceId"),
    channel=Channel.TASK,
    initiation_method="API",
    name="Escalate order 1042",
    references={"order": ContactReferenceArgs(type="URL", value="https://orders.example.com/1042")},
    segment_attributes={"connect:ContactExpiry": SegmentAttributeValueArgs(
        value_map={"ExpiryDuration": {"value_integer": 1440}})},
)
follow_up = Contact("follow-up", ContactArgs(instance_id=escalation.instance_id, channel="TASK",
                                             initiation_method="API", related_contact_id=escalation.contact_id))
seen = Contact.get("seen", escalation.id)
pulumi.export("contactId", escalation.contact_id.apply(lambda contact_id: contact_id.upper()))
'''


def mypy(program: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """mypy on `program`, finding connect_contact in this checkout; errors inside the package are
    silenced, as they are for an installed package."""
    path = tmp_path / "__main__.py"
    path.write_text(program)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--cache-dir", str(tmp_path / "cache"),
         "--no-error-summary", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=240)


@pytest.mark.slow  # mypy in a subprocess: seconds each
def test_mypy_accepts_a_correct_program(tmp_path):
    result = mypy(GOOD_PROGRAM, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy in a subprocess: seconds each
def test_mypy_refuses_a_misspelt_argument(tmp_path):
    result = mypy(GOOD_PROGRAM.replace("instance_id=pulumi", "instance=pulumi"), tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Unexpected keyword argument "instance" for overloaded function "Contact"; ' \
           'did you mean "instance_id"?' in result.stdout


@pytest.mark.slow  # mypy in a subprocess: seconds each
def test_mypy_refuses_a_wrong_output_type(tmp_path):
    result = mypy(GOOD_PROGRAM + "count: int = escalation.contact_arn\n", tmp_path)
    assert result.returncode == 1 and 'expression has type "Output[str]"' in result.stdout, result.stdout


@pytest.mark.slow  # mypy in a subprocess: seconds each
def test_the_typed_face_passes_mypy_strict(tmp_path):
    modules = ["__init__.py", "args.py", "enums.py", "outputs.py", "resource.py", "mocks.py", "local_instance.py",
               "pulumi_compat.py"]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--cache-dir", str(tmp_path),
         *(f"connect_contact/{module}" for module in modules)],
        capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert result.returncode == 0, result.stdout
