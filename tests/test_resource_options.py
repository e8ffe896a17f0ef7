"""Property paths in resource options, in the names the engine compares (connect_contact.options).

The expected paths are the state's names (the README's property table) and the member names of
botocore's Connect model (`UserInfo.UserId`, `SegmentAttributeValue.ValueString`), written as
literals. The real engine's side of it is tests/test_cli_matrix.py (ignore_changes).
"""

from __future__ import annotations

import pulumi
import pytest

from connect_contact.options import ContactOptionError, in_state_names, state_path


@pytest.mark.parametrize("path, expected", [
    ("name", "name"),
    ("expiry_duration_in_minutes", "expiryDurationInMinutes"),
    ("expiryDurationInMinutes", "expiryDurationInMinutes"),
    ("existing_contact_id", "existingContactId"),
    ('["instance_id"]', "instanceId"),
    ("user_info.user_id", "userInfo.userId"),
    ("user_info.userId", "userInfo.userId"),
    ("segment_attributes.tier.value_string", "segmentAttributes.tier.valueString"),
    ('segment_attributes["connect:ContactExpiry"].value_map.ExpiryDuration.value_integer',
     'segmentAttributes["connect:ContactExpiry"].valueMap.ExpiryDuration.valueInteger'),
    ("attributes.due_date", "attributes.due_date"),  # a user's key, as written
    ('tags["cost_centre"]', 'tags["cost_centre"]'),
    ('references["order"].value', 'references["order"].value'),
    ("*", "*"),
])
def test_a_path_is_given_in_state_names(path, expected):
    assert state_path(path, "ignore_changes") == expected


@pytest.mark.parametrize("path, message", [
    ("expiry_duration", "Contact: ignore_changes names 'expiry_duration', which is not an argument of Contact; "
                        "did you mean expiry_duration_in_minutes?"),
    ("contact_id", "Contact: ignore_changes names 'contact_id', an output; ignore_changes applies to arguments only"),
    ("disconnectTimestamp", "Contact: ignore_changes names 'disconnectTimestamp', an output; ignore_changes applies "
                            "to arguments only"),
])
def test_a_path_naming_no_argument_is_refused_in_one_line(path, message):
    with pytest.raises(ContactOptionError) as refused:
        state_path(path, "ignore_changes")
    assert str(refused.value) == message
    assert isinstance(refused.value, (TypeError, pulumi.RunError))


def test_the_options_given_are_left_as_they_were():
    given = pulumi.ResourceOptions(ignore_changes=["expiry_duration_in_minutes"], protect=True)
    translated = in_state_names(given)
    assert (translated.ignore_changes, translated.protect) == (["expiryDurationInMinutes"], True)
    assert given.ignore_changes == ["expiry_duration_in_minutes"]
    unchanged = pulumi.ResourceOptions(protect=True)
    assert in_state_names(unchanged) is unchanged


def test_additional_secret_outputs_are_registered_in_state_names():
    """Through the SDK's own registration (the engine-less monitor): the Python names a program
    writes arrive as the state's names, beside the ones the field table makes secret."""
    from connect_contact import Contact
    from tests.support.program import by_name, run_program

    def program() -> None:
        Contact("c", instance_id="i", channel="TASK", initiation_method="API",
                opts=pulumi.ResourceOptions(additional_secret_outputs=["contact_arn", "initiationTimestamp"]))

    [registration] = by_name(run_program(program)).values()
    assert sorted(registration.additional_secret_outputs) == ["contactArn", "description", "initiationTimestamp",
                                                              "name"]


def test_additional_secret_outputs_naming_no_property_are_refused_in_one_line():
    with pytest.raises(ContactOptionError) as refused:
        in_state_names(pulumi.ResourceOptions(additional_secret_outputs=["contact_ar"]))
    assert str(refused.value) == ("Contact: additional_secret_outputs names 'contact_ar', which is not a property of "
                                  "Contact; did you mean contact_arn?")
