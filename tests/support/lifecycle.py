"""Shared steps of the lifecycle tests: a program declaring contacts, run under Pulumi's
mock monitor, whose registrations go through the real provider host against the
local Connect service."""

from __future__ import annotations

from typing import Any, Callable

from .program import Registration, run_program

from connect_contact import Contact, schema

PROJECT = "connect-contact-example"
STACK = "dev"
TASK = {"channel": "TASK", "initiation_method": "API"}
FULL_TASK = dict(
    name="Escalate order 1042", description="Customer waited too long",
    attributes={"priority": "high", "team": "billing"},
    references={"order": {"type": "URL", "value": "https://orders.example.com/1042"},
                "ticket": {"type": "STRING", "value": "T-1042"}},
    segment_attributes={"tier": {"value_string": "gold"}},
    expiry_duration_in_minutes=1440, related_contact_id="c-related",
    initiate_as="CONNECTED_TO_USER", user_info={"user_id": "agent-1"},
)
"""A TASK contact with every argument set (beyond channel and method): what a full create writes."""
CONTACT_OPERATIONS = tuple(operation for operation in schema.OPERATIONS if operation != schema.INSTANCE_OPERATION)
"""The operations the provider calls on contacts (every one the field table names but DescribeInstance)."""


def registrations(declare: Callable[[], Any], *, preview: bool = False, config=None) -> dict[str, Registration]:
    return {reg.name: reg for reg in run_program(declare, project=PROJECT, stack=STACK, preview=preview,
                                                 config=config)}


def contact(resource_name: str, instance_id: str, *, preview: bool = False, **args) -> Registration:
    """The registration of one `Contact(name, instance_id=..., **args)` (a TASK unless told)."""
    declared = {**TASK, **args}
    return registrations(lambda: Contact(resource_name, instance_id=instance_id, **declared), preview=preview)[resource_name]


def contact_calls(stats: dict) -> dict[str, int]:
    """Contact operations the local service answered since its stats were reset, by name."""
    requests = stats["requests"]
    return {operation: count for operation, count in requests.items() if operation in CONTACT_OPERATIONS and count}
