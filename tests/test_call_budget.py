"""The Connect calls each step of a contact's life may make, counted at the local service.

Every contact API has its own account-wide rate quota on AWS, shared with the contact
centre's production traffic, so these counts are part of the provider's contract:
create with only create-only fields 2, a fully specified TASK at most 4, an update of
one field at most 2, refresh 1 (2 with references), delete at most 2 (3 for a token's later
generation), no-op 0; a create after any number of destroy/up cycles 4. Both faces, the dynamic
provider and the plugin, run every case.
"""

from __future__ import annotations

import pytest
from tests.support.emulator_support import all_contacts
from tests.support.engine import Engine
from tests.support.faces import contact, face, host  # noqa: F401 (fixtures: each case on both faces)
from tests.support.lifecycle import FULL_TASK, contact_calls

from connect_contact import connect_api, token

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


def test_create_with_only_create_only_fields_makes_two_calls(engine: Engine, contact, service):
    registered = contact("budget-bare", service.instance_id, expiry_duration_in_minutes=60)
    calls = calls_of(service, lambda: engine.up(registered.urn, registered.object))
    assert calls == {"CreateContact": 1, "DescribeContact": 1}


def test_fully_specified_task_makes_at_most_four_calls_and_reads_once(engine: Engine, contact, service):
    registered = contact("budget-full", service.instance_id, **FULL_TASK)
    created = {}
    calls = calls_of(service, lambda: created.update(step=engine.up(registered.urn, registered.object)))
    assert calls == {"CreateContact": 1, "DescribeContact": 1, "UpdateContact": 1, "UpdateContactAttributes": 1}
    # Outputs built from the one read and what was written are what a refresh then reads.
    refreshed = engine.refresh(registered.urn).outputs
    outputs = created["step"].outputs
    assert _without(outputs, COMPUTED_BY_CONNECT_LATER) == _without(refreshed, COMPUTED_BY_CONNECT_LATER)


def test_create_with_a_name_makes_three_calls(engine: Engine, contact, service):
    registered = contact("budget-named", service.instance_id, name="Escalate order 1042")
    calls = calls_of(service, lambda: engine.up(registered.urn, registered.object))
    assert calls == {"CreateContact": 1, "DescribeContact": 1, "UpdateContact": 1}


def test_the_floor_of_two_calls_would_lose_an_interrupted_create_edited_before_its_retry(service, client):
    """Why a create writes the updatable fields after CreateContact (1 or 2 calls more than the floor,
    CreateContact with every field and DescribeContact). With every field in CreateContact, an
    interrupted create whose name is edited before the retry sends the same token with another
    request: Connect refuses it without the contact's ID. Nothing CreateContact carries can find that
    contact again in a stock instance: it takes no Tags (the only search criterion the provider could
    set on its own contacts is ContactTags), and the token is no criterion. A token derived from every
    field instead creates a second contact."""
    model = client.meta.service_model
    assert "Tags" not in model.operation_model("CreateContact").input_shape.members
    criteria = model.operation_model("SearchContacts").input_shape.members["SearchCriteria"].members
    assert "ContactTags" in criteria and "ClientToken" not in criteria
    before = {item["Id"] for item in all_contacts(client, service.instance_id)}
    first = {"InstanceId": service.instance_id, "Channel": "TASK", "InitiationMethod": "API", "Name": "first",
             "ClientToken": "floor-interrupted"}
    lost = client.create_contact(**first)["ContactId"]  # the answer the engine never got
    with pytest.raises(client.exceptions.IdempotencyException) as refused:
        client.create_contact(**{**first, "Name": "second"})
    assert lost not in str(refused.value.response)
    client.create_contact(**{**first, "Name": "second", "ClientToken": "floor-interrupted-second"})
    assert len([item for item in all_contacts(client, service.instance_id) if item["Id"] not in before]) == 2


@pytest.mark.parametrize("label, change", ONE_FIELD_CHANGES, ids=[case[0] for case in ONE_FIELD_CHANGES])
def test_update_of_one_field_makes_at_most_two_calls(engine: Engine, contact, service, label, change):
    name = "budget-update-" + label.replace(" ", "-")
    first = contact(name, service.instance_id, **FULL_TASK)
    engine.up(first.urn, first.object)
    changed = contact(name, service.instance_id, **{**FULL_TASK, **change})
    calls = calls_of(service, lambda: engine.up(changed.urn, changed.object))
    assert sum(calls.values()) <= 2 and calls.get("DescribeContact") == 1
    assert "ListContactReferences" not in calls


def test_refresh_makes_one_call_and_two_with_references(engine: Engine, contact, service):
    plain = contact("budget-refresh", service.instance_id, name="n", attributes={"a": "1"})
    referenced = contact("budget-refresh-references", service.instance_id, **FULL_TASK)
    for registered in (plain, referenced):
        engine.up(registered.urn, registered.object)
    assert calls_of(service, lambda: engine.refresh(plain.urn)) == {"DescribeContact": 1}
    assert calls_of(service, lambda: engine.refresh(referenced.urn)) == {"DescribeContact": 1,
                                                                          "ListContactReferences": 1}


def test_delete_makes_at_most_two_calls_and_no_op_none(engine: Engine, contact, service):
    registered = contact("budget-delete", service.instance_id, **FULL_TASK)
    engine.up(registered.urn, registered.object)
    assert calls_of(service, lambda: engine.up(registered.urn, registered.object)) == {}
    assert calls_of(service, lambda: engine.destroy(registered.urn)) == {"TagContact": 1, "StopContact": 1}


def test_replayed_create_writes_only_what_differs(engine: Engine, contact, service):
    """An interrupted create, run again unchanged: Connect hands the contact back, the one read
    shows it already written, and nothing is written again."""
    registered = contact("budget-replay", service.instance_id, name="n", attributes={"a": "1"})
    checked = engine.host.check(registered.urn, None, registered.object)
    lost = engine.host.create(registered.urn, checked.inputs_struct)
    created = {}
    calls = calls_of(service, lambda: created.update(step=engine.up(registered.urn, registered.object)))
    assert created["step"].outputs["contactId"] == lost.outputs["contactId"]
    assert calls == {"CreateContact": 1, "DescribeContact": 1}


def destroy_and_up(engine: Engine, service, registered, cycles: int) -> list[dict]:
    """`cycles` times: up, then destroy, each destroy's calls counted. Returns those counts."""
    destroys = []
    for _ in range(cycles):
        engine.up(registered.urn, registered.object)
        destroys.append(calls_of(service, lambda: engine.destroy(registered.urn)))
    return destroys


@pytest.mark.parametrize("cycles", [0, 1, 5, 20])
def test_a_create_after_any_number_of_destroy_up_cycles_makes_the_same_calls(engine: Engine, contact, service, client,
                                                                              cycles):
    """Within Connect's 7-day token window every destroy leaves a released contact behind the same
    token lineage; the first generation's mark names the latest released, so a create costs 2 calls
    with a fresh token and 4 after any number of cycles, never one pair per cycle. No contact is
    created twice, none handed back ended."""
    registered = contact(f"budget-cycles-{cycles}", service.instance_id, expiry_duration_in_minutes=60)
    before = {item["Id"] for item in all_contacts(client, service.instance_id)}
    destroys = destroy_and_up(engine, service, registered, cycles)
    created = {}
    calls = calls_of(service, lambda: created.update(step=engine.up(registered.urn, registered.object)))
    assert calls == ({"CreateContact": 1, "DescribeContact": 1} if cycles == 0 else
                     {"CreateContact": 2, "DescribeContact": 2})
    # The release of a later generation also marks the first one: 3 calls instead of 2.
    assert destroys == [{"TagContact": 1, "StopContact": 1}] + [{"TagContact": 2, "StopContact": 1}] * (cycles - 1) \
        if cycles else destroys == []
    outputs = created["step"].outputs
    assert outputs["clientToken"] == token.at_generation(outputs["clientToken"], cycles)
    contacts = {item["Id"]: item for item in all_contacts(client, service.instance_id) if item["Id"] not in before}
    assert len(contacts) == cycles + 1
    assert [contact_id for contact_id, item in contacts.items() if "DisconnectTimestamp" not in item] == [
        outputs["contactId"]]


def test_a_failed_mark_on_the_first_generation_costs_steps_never_a_duplicate(engine: Engine, contact, service, client):
    """The first generation's mark is not updated by one destroy (its TagContact fails): the next
    create steps through the released generations one by one, each carrying its own mark, and the
    destroy after that mends the first generation's mark."""
    registered = contact("budget-cycles-stale-mark", service.instance_id, expiry_duration_in_minutes=60)
    before = {item["Id"] for item in all_contacts(client, service.instance_id)}
    destroy_and_up(engine, service, registered, 2)  # generations 0 and 1 released, the first's mark names 1
    engine.up(registered.urn, registered.object)  # generation 2
    service.set_faults(stale_reads=1, operations=["TagContact"])  # the first generation's TagContact fails
    assert calls_of(service, lambda: engine.destroy(registered.urn)) == {"TagContact": 2, "StopContact": 1}
    service.clear_faults()
    stepped = calls_of(service, lambda: engine.up(registered.urn, registered.object))
    assert stepped == {"CreateContact": 3, "DescribeContact": 3}  # generations 0, 2 (released), 3
    engine.destroy(registered.urn)
    mended = calls_of(service, lambda: engine.up(registered.urn, registered.object))
    assert mended == {"CreateContact": 2, "DescribeContact": 2}
    contacts = [item for item in all_contacts(client, service.instance_id) if item["Id"] not in before]
    assert len(contacts) == 5 and sum("DisconnectTimestamp" not in item for item in contacts) == 1


def test_a_contact_ended_without_its_mark_is_never_handed_back(engine: Engine, contact, service, client):
    """Both marks of a destroy fail (the contact is ended, but unmarked): the next create still
    steps past it, to a new live contact."""
    registered = contact("budget-cycles-unmarked", service.instance_id, expiry_duration_in_minutes=60)
    before = {item["Id"] for item in all_contacts(client, service.instance_id)}
    destroy_and_up(engine, service, registered, 1)
    ended = engine.up(registered.urn, registered.object).outputs["contactId"]  # generation 1
    # Six tags set out of band leave no room for the contact's own mark; the first generation's fails too.
    client.tag_contact(InstanceId=service.instance_id, ContactId=ended, Tags={f"k{index}": "v" for index in range(6)})
    service.set_faults(stale_reads=1, operations=["TagContact"])
    engine.destroy(registered.urn)
    service.clear_faults()
    described = client.describe_contact(InstanceId=service.instance_id, ContactId=ended)["Contact"]
    assert "DisconnectTimestamp" in described and connect_api.RELEASED_TAG not in described.get("Tags", {})
    again = engine.up(registered.urn, registered.object).outputs
    assert again["contactId"] != ended and again["clientToken"].endswith("-g2")
    contacts = [item for item in all_contacts(client, service.instance_id) if item["Id"] not in before]
    assert len(contacts) == 3 and [item["Id"] for item in contacts if "DisconnectTimestamp" not in item] == [
        again["contactId"]]


def _without(outputs: dict, names) -> dict:
    return {key: value for key, value in outputs.items() if key not in names}
