"""The Connect calls each step of a contact's life may make, counted at the local service.

Every contact API has its own account-wide rate quota on AWS, shared with the contact
centre's production traffic, so these counts are part of the provider's contract:
create with only create-only fields 2, a fully specified TASK at most 4, an update of
one field at most 2, refresh 1 (2 with references), delete at most 2, no-op 0.
"""

from __future__ import annotations

import pytest
from tests.support.engine import Engine
from tests.support.lifecycle import FULL_TASK, contact, contact_calls

ONE_FIELD_CHANGES = [
    ("name", {"name": "Escalate order 1043"}),
    ("description", {"description": "Now resolved"}),
    ("attribute", {"attributes": {"priority": "low", "team": "billing"}}),
    ("reference", {"references": {**FULL_TASK["references"],
                                  "order": {"type": "URL", "value": "https://orders.example.com/1043"}}}),
    ("segment attribute", {"segment_attributes": {"tier": {"value_string": "silver"}}}),
]
COMPUTED_BY_CONNECT_LATER = ("lastUpdateTimestamp",)


def calls_of(service, step) -> dict[str, int]:
    service.reset_stats()
    step()
    return contact_calls(service.stats())


def test_create_with_only_create_only_fields_makes_two_calls(engine: Engine, service):
    registered = contact("budget-bare", service.instance_id, expiry_duration_in_minutes=60)
    calls = calls_of(service, lambda: engine.up(registered.urn, registered.object))
    assert calls == {"CreateContact": 1, "DescribeContact": 1}


def test_fully_specified_task_makes_at_most_four_calls_and_reads_once(engine: Engine, service):
    registered = contact("budget-full", service.instance_id, **FULL_TASK)
    created = {}
    calls = calls_of(service, lambda: created.update(step=engine.up(registered.urn, registered.object)))
    assert calls == {"CreateContact": 1, "DescribeContact": 1, "UpdateContact": 1, "UpdateContactAttributes": 1}
    # Outputs built from the one read and what was written are what a refresh then reads.
    refreshed = engine.refresh(registered.urn).outputs
    outputs = created["step"].outputs
    assert _without(outputs, COMPUTED_BY_CONNECT_LATER) == _without(refreshed, COMPUTED_BY_CONNECT_LATER)


@pytest.mark.parametrize("label, change", ONE_FIELD_CHANGES, ids=[case[0] for case in ONE_FIELD_CHANGES])
def test_update_of_one_field_makes_at_most_two_calls(engine: Engine, service, label, change):
    name = "budget-update-" + label.replace(" ", "-")
    first = contact(name, service.instance_id, **FULL_TASK)
    engine.up(first.urn, first.object)
    changed = contact(name, service.instance_id, **{**FULL_TASK, **change})
    calls = calls_of(service, lambda: engine.up(changed.urn, changed.object))
    assert sum(calls.values()) <= 2 and calls.get("DescribeContact") == 1
    assert "ListContactReferences" not in calls


def test_refresh_makes_one_call_and_two_with_references(engine: Engine, service):
    plain = contact("budget-refresh", service.instance_id, name="n", attributes={"a": "1"})
    referenced = contact("budget-refresh-references", service.instance_id, **FULL_TASK)
    for registered in (plain, referenced):
        engine.up(registered.urn, registered.object)
    assert calls_of(service, lambda: engine.refresh(plain.urn)) == {"DescribeContact": 1}
    assert calls_of(service, lambda: engine.refresh(referenced.urn)) == {"DescribeContact": 1,
                                                                          "ListContactReferences": 1}


def test_delete_makes_at_most_two_calls_and_no_op_none(engine: Engine, service):
    registered = contact("budget-delete", service.instance_id, **FULL_TASK)
    engine.up(registered.urn, registered.object)
    assert calls_of(service, lambda: engine.up(registered.urn, registered.object)) == {}
    assert calls_of(service, lambda: engine.destroy(registered.urn)) == {"TagContact": 1, "StopContact": 1}


def test_replayed_create_writes_only_what_differs(engine: Engine, service):
    """An interrupted create, run again unchanged: Connect hands the contact back, the one read
    shows it already written, and nothing is written again."""
    registered = contact("budget-replay", service.instance_id, name="n", attributes={"a": "1"})
    checked = engine.host.check(registered.urn, None, registered.object)
    lost = engine.host.create(registered.urn, checked.inputs_struct)
    created = {}
    calls = calls_of(service, lambda: created.update(step=engine.up(registered.urn, registered.object)))
    assert created["step"].outputs["contactId"] == lost.outputs["contactId"]
    assert calls == {"CreateContact": 1, "DescribeContact": 1}


def _without(outputs: dict, names) -> dict:
    return {key: value for key, value in outputs.items() if key not in names}
