"""Every rule on both sides: the provider's check rejects it before any API call,
and the local Connect service rejects it on the wire as AWS would."""

import pytest
from botocore.config import Config
from tests.rule_cases import BROKEN, VALID, with_instance

from connect_contact import model, schema
from connect_contact.provider import ContactProvider

PLACEHOLDER_INSTANCE = "00000000-0000-4000-8000-000000000000"
CREATE_CONTACT = model.operation("CreateContact").input_shape


def check(inputs):
    result = ContactProvider().check({}, dict(inputs))
    return {failure.property: failure.reason for failure in result.failures}


@pytest.mark.parametrize("case", BROKEN, ids=lambda case: case.name)
def test_check_names_the_property(case):
    failures = check(with_instance(case.inputs, PLACEHOLDER_INSTANCE))
    assert case.property in failures, failures
    assert failures[case.property].strip()


@pytest.mark.parametrize("case", VALID, ids=lambda case: case.name)
def test_check_accepts(case):
    assert check(with_instance(case.inputs, PLACEHOLDER_INSTANCE)) == {}


@pytest.fixture(scope="module")
def unvalidated_client(shared_connect_service):
    """A client that sends whatever it is given, so the service's own validation is what answers."""
    return shared_connect_service.client(config=Config(parameter_validation=False, retries={"max_attempts": 1}))


@pytest.mark.parametrize("case", BROKEN, ids=lambda case: case.name)
def test_local_service_rejects_on_the_wire(case, unvalidated_client, shared_connect_service):
    inputs = with_instance(case.inputs, shared_connect_service.instance_id)
    request = schema.api_request(inputs)
    error_class = getattr(unvalidated_client.exceptions, case.wire_error)
    with pytest.raises(error_class) as raised:
        unvalidated_client.create_contact(**request)
    assert f"{request_member_path(case.property)}:" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("case", VALID, ids=lambda case: case.name)
def test_local_service_accepts(case, unvalidated_client, shared_connect_service):
    request = schema.api_request(with_instance(case.inputs, shared_connect_service.instance_id))
    created = unvalidated_client.create_contact(**request)
    assert created["ContactId"] and created["ContactArn"].endswith(created["ContactId"])
    described = unvalidated_client.describe_contact(InstanceId=request["InstanceId"], ContactId=created["ContactId"])
    assert described["Contact"]["Channel"] == request["Channel"]


def request_member_path(property_path: str) -> str:
    """A property path as the path of API members and keys the service's message names
    (references.r.type -> References.r.Type), walked through CreateContact's input shape."""
    shape, parts = CREATE_CONTACT, []
    for part in property_path.split("."):
        if shape.type_name == "map":
            parts.append(part)
            shape = shape.value
        else:
            member = part[:1].upper() + part[1:]
            parts.append(member)
            shape = shape.members[member]
        if shape.type_name == "list":
            shape = shape.member
    return ".".join(parts)


def test_check_reports_every_failure_at_once():
    inputs = {"instanceId": PLACEHOLDER_INSTANCE, "channel": "EMAIL", "initiationMethod": "OUTBOUND",
              "initiateAs": "COMPLETED", "attributes": {"bad key": "v"}, "name": "n" * 2000}
    assert {"userInfo.userId", "initiateAs", "attributes.bad key", "name"} <= set(check(inputs))


def test_check_requires_the_create_members():
    failures = check({})
    assert {"instanceId", "channel", "initiationMethod"} <= set(failures)
    assert "instance_id" in failures["instanceId"]


def test_check_skips_values_unknown_at_preview():
    from connect_contact.provider import UNKNOWN
    inputs = {"instanceId": UNKNOWN, "channel": "TASK", "initiationMethod": UNKNOWN,
              "references": {"due": {"type": "DATE", "value": UNKNOWN}}, "attributes": UNKNOWN}
    result = ContactProvider().check({}, inputs)
    assert result.failures == []
    assert result.inputs["clientToken"] == UNKNOWN


def test_every_rule_case_names_its_source():
    assert all(case.source.strip() for case in BROKEN + VALID)
