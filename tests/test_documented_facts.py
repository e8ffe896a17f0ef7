"""The independent facts the rule tests compare against: the quotes in `tests.support.documented`
are in botocore's model documentation, and botocore's own `ParamValidator` agrees with the
project's shape validation on every case of `tests/rule_cases.py`."""

from __future__ import annotations

import re

import pytest
from botocore.validate import ParamValidator

from connect_contact import model, schema
from tests.rule_cases import BROKEN, VALID, with_instance
from tests.support.documented import QUOTES

INSTANCE = "00000000-0000-4000-8000-000000000000"


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize("operation, member, quote", QUOTES, ids=lambda value: str(value)[:40])
def test_the_quote_is_in_the_model_documentation(operation, member, quote):
    shape = model.operation(operation)
    documentation = shape.input_shape.members[member].documentation if member else shape.documentation
    assert quote in plain(documentation)


def botocore_errors(request: dict) -> str:
    """What botocore's client-side validation says about a CreateContact request ("" when it passes)."""
    report = ParamValidator().validate(request, model.operation(schema.CREATE_OPERATION).input_shape)
    return report.generate_report() if report.has_errors() else ""


@pytest.mark.parametrize("case", VALID, ids=lambda case: case.name)
def test_botocore_accepts_every_valid_case(case):
    request = schema.api_request(with_instance(case.inputs, INSTANCE))
    assert botocore_errors(request) == ""
    assert model.validate_request(schema.CREATE_OPERATION, request) == []


def request_of(case) -> dict:
    return schema.api_request(with_instance(case.inputs, INSTANCE))


# botocore checks types, required members and minimums (not maximums, enums or patterns).
BOTOCORE_REFUSES = [case for case in BROKEN if botocore_errors(request_of(case))]


def test_botocore_refuses_some_broken_cases():
    assert {case.name for case in BOTOCORE_REFUSES} >= {"reference needs a type", "user id length"}


@pytest.mark.parametrize("case", BOTOCORE_REFUSES, ids=lambda case: case.name)
def test_what_botocore_refuses_the_shape_validation_refuses_at_the_same_member(case):
    """Wherever botocore refuses a case, the project's validation refuses the same member."""
    request = request_of(case)
    errors = botocore_errors(request)
    ours = {violation.api_path() for violation in model.validate_request(schema.CREATE_OPERATION, request)}
    member = case.property.split(".")[0]
    api_member = schema.BY_STATE[member].member
    assert any(path.startswith(api_member) for path in ours), (errors, ours)
    assert api_member in errors
