"""Inputs the apply would refuse fail `pulumi preview` (and `up`) before any Connect call, with
the real Pulumi CLI: one line naming the argument and the fix, no traceback.

The cases are inputs an apply refused after check had passed them: a region that is no region
(botocore's format check, `botocore.utils.validate_region_name`), an `existing_contact_id`
longer than the model's ContactId (1 to 256 characters), segment attribute values nested deeper
than a Connect request may be (check refuses these; the engine reports them on the resource),
and a member the model's `Reference` shape does not have (the program refuses it as it builds
the contact's inputs; Pulumi reports it on the stack).
"""

from __future__ import annotations

import pytest
from tests.support.cli_project import CONTACT_TYPE
from tests.support.lifecycle import contact_calls

pytestmark = pytest.mark.timeout(900)


def nested_segment(levels: int) -> dict:
    value: dict = {"value_string": "leaf"}
    for _ in range(levels):
        value = {"value_map": {"inner": value}}
    return {"deep": value}


TASK = {"channel": "TASK", "initiation_method": "API"}
REFUSED = [
    ("badregion", {"region": "us-east-1/../x"}, f"error: {CONTACT_TYPE} resource 'badregion': property region ",
     "is not a region name"),
    ("longid", {"existing_contact_id": "c" * 300}, f"error: {CONTACT_TYPE} resource 'longid': property existingContactId ",
     "must have at most 256 characters (got 300); the argument is existing_contact_id"),
    ("deep", {"segment_attributes": nested_segment(20)},
     f"error: {CONTACT_TYPE} resource 'deep': property segmentAttributes ", "levels deep"),
    # Pulumi shows the program's error, then repeats it as "an unhandled error occurred: ...".
    ("bogus", {"references": {"k": {"type": "STRING", "value": "v", "bogus": "x"}}}, "error: Contact 'bogus': ",
     "references.k: unknown key 'bogus'; use value, type, status, arn, status_reason"),
]


def diagnostics(output: str, start: str, reason: str) -> list[str]:
    """The lines of the CLI's Diagnostics section that start with `start` and give `reason`."""
    section = output.split("Diagnostics:", 1)[1]
    return [line.strip() for line in section.splitlines() if line.strip().startswith(start) and reason in line]


@pytest.mark.parametrize("name, args, prop, reason", REFUSED, ids=[case[0] for case in REFUSED])
def test_preview_refuses_what_the_apply_would_refuse_in_one_line_and_calls_nothing(cli_project, name, args, prop,
                                                                                   reason):
    service = cli_project.service
    cli_project.init()
    cli_project.declare({name: {**TASK, **args}})
    service.reset_stats()

    for command in (("preview",), ("up", "--yes")):
        result = cli_project.run(*command, check=False)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert len(diagnostics(output, prop, reason)) == 1, output
        assert "Traceback" not in output
    assert contact_calls(service.stats()) == {}
    assert cli_project.contact_states() == {}
