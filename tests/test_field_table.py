"""The field table (`connect_contact/schema.py`): each row is consistent with botocore's model, and
the merge each row names does what Amazon Connect documents (the semantics file: UpdateContactAttributes
merges and clears with "", references and segment attributes cannot be deleted, tags are removed by
UntagContact, a name is cleared with "")."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from connect_contact import model, schema
from connect_contact.aws import IAM_ACTIONS
from connect_contact.schema import Change, Field, Merge, Mode


@pytest.mark.parametrize("field", schema.UPDATABLE, ids=lambda field: field.state)
def test_every_updatable_field_is_a_member_of_the_operation_that_writes_it(field):
    write = schema.WRITES[field.mode]
    assert field.member in model.operation(write.operation).input_shape.members
    assert write.contact_member in model.operation(write.operation).input_shape.required_members
    if write.remove_operation:
        assert write.remove_member in model.operation(write.remove_operation).input_shape.members


@pytest.mark.parametrize("field", schema.DESCRIBED, ids=lambda field: field.state)
def test_every_described_field_is_a_member_of_describe_contacts_contact(field):
    assert field.read_shape is not None
    assert field.read_shape.name == model.service_model().shape_for("Contact").members[field.described_as].name


def test_the_required_and_sensitive_fields_read_from_the_model_are_the_generated_facts_a_program_reads():
    # CreateContact requires InstanceId, Channel and InitiationMethod; Name and Description are sensitive
    # (in botocore's model the shapes Name and Description carry "sensitive": true).
    assert {field.state for field in schema.FIELDS if field.required} == {"instanceId", "channel", "initiationMethod"}
    assert schema.REQUIRED == tuple(field for field in schema.INPUTS if field.required)
    sensitive = {field.state for field in schema.FIELDS if field.sensitive}
    assert sensitive == {"name", "description"} == set(schema.SECRET_OUTPUTS)


def test_the_iam_list_is_every_operation_the_table_names():
    assert IAM_ACTIONS == (
        "connect:CreateContact", "connect:DescribeContact", "connect:UpdateContact", "connect:UpdateContactAttributes",
        "connect:TagContact", "connect:UntagContact", "connect:ListContactReferences", "connect:StopContact",
        "connect:DescribeInstance")


@pytest.mark.parametrize("state, old, new, expected", [
    ("name", "a", "b", Change("b")),
    ("name", "a", None, Change("")),  # UpdateContact clears a name with ""
    ("name", "a", "a", None),
    ("attributes", {"a": "1", "b": "2"}, {"a": "3"}, Change({"a": "3", "b": ""})),  # merged: removed set to ""
    ("attributes", {"a": "1"}, {"a": "1", "b": ""}, None),  # "" is removed already
    ("references", {"r": {"type": "URL", "value": "u"}, "s": {"type": "URL", "value": "v"}},
     {"r": {"type": "URL", "value": "w"}}, Change({"r": {"Type": "URL", "Value": "w"}}, stays=("s",))),
    ("segmentAttributes", {"k": {"valueString": "x"}}, None, Change(None, stays=("k",))),
    ("tags", {"a": "1", "b": "2"}, {"a": "1", "c": "3"}, Change({"c": "3"}, removed=("b",))),
])
def test_a_change_is_written_as_the_rows_merge_says(state, old, new, expected):
    assert schema.change(schema.BY_STATE[state], old, new) == expected


def test_read_back_converts_describe_contacts_values_to_state_form():
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert schema.read_back(schema.BY_STATE["initiationTimestamp"], moment) == "2026-01-02T03:04:05+00:00"
    assert schema.read_back(schema.BY_STATE["attributes"], {"a": "1", "b": ""}) == {"a": "1"}
    assert schema.read_back(schema.BY_STATE["tags"], {"a": "1", schema.RELEASED_TAG: "true"}) == {"a": "1"}
    assert schema.read_back(schema.BY_STATE["tags"], None) == {}
    assert schema.read_back(schema.BY_STATE["name"], "") is None
    segments = {"connect:Subtype": {"ValueString": "connect:ExternalTask"}, "tier": {"ValueString": "gold"},
                "other": {"ValueInteger": 1}}
    assert schema.read_back(schema.BY_STATE["segmentAttributes"], segments, {"tier": {}}) == {
        "tier": {"valueString": "gold"}}
    assert schema.read_back(schema.BY_STATE["segmentAttributes"], segments, None, importing=True) == {
        "tier": {"valueString": "gold"}, "other": {"valueInteger": 1}}


UPDATE_ONLY = Field("customer_endpoint", "customerEndpoint", "CustomerEndpoint", Mode.UPDATE_CONTACT,
                    "The customer's endpoint.", "CustomerEndpoint")
"""A row for a structure only UpdateContact takes (botocore: UpdateContact.CustomerEndpoint, an
Endpoint; DescribeContact reports it as an EndpointInfo)."""


def test_a_member_only_update_contact_takes_is_typed_and_validated_by_update_contacts_shape():
    assert UPDATE_ONLY.member not in model.operation("CreateContact").input_shape.members
    assert UPDATE_ONLY.operation == "UpdateContact" and UPDATE_ONLY.shape is not None
    assert UPDATE_ONLY.shape.name == "Endpoint"
    violations = model.validate(UPDATE_ONLY.shape, {"Type": "FAX"}, ("CustomerEndpoint",))
    assert [violation.api_path() for violation in violations] == ["CustomerEndpoint.Type"]


def test_a_structure_read_back_in_state_form_shows_no_change():
    """DescribeContact's PascalCase structure becomes the state's camelCase one: no change on every plan."""
    declared = {"type": "TELEPHONE_NUMBER", "address": "+15550100"}
    live = {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"}
    assert schema.read_back(UPDATE_ONLY, live) == declared
    assert schema.change(UPDATE_ONLY, schema.read_back(UPDATE_ONLY, live), declared) is None
    assert schema.change(UPDATE_ONLY, None, declared) == Change(live)  # written in the API's form
    assert schema.change(UPDATE_ONLY, declared, None) == Change(stays=("",))  # a structure has no empty value


def test_create_contact_members_are_sent_only_to_create_contact():
    state = {"instanceId": "i", "channel": "TASK", "initiationMethod": "API", "name": "n", "tags": {"a": "1"}}
    assert schema.api_request(state, schema.CREATE_ONLY) == {"InstanceId": "i", "Channel": "TASK",
                                                             "InitiationMethod": "API"}
    assert "Tags" not in schema.api_request(state)  # TagContact's member, not CreateContact's
    assert Merge.REPLACE is schema.BY_STATE["name"].merge
