"""Shared steps of the lifecycle tests: a program declaring contacts, run under Pulumi's
mock monitor, whose registrations go through the real provider host against the
local Connect service."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from connect_contact import Contact
from program import Registration, run_program

PROJECT = "connect-contact-example"
STACK = "dev"
TASK = {"channel": "TASK", "initiation_method": "API"}
FAR_PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=timezone.utc)
CONTACT_OPERATIONS = ("CreateContact", "DescribeContact", "UpdateContact", "UpdateContactAttributes",
                      "StopContact", "TagContact", "UntagContact", "ListContactReferences")


def registrations(declare: Callable[[], Any], *, preview: bool = False, config=None) -> dict[str, Registration]:
    return {reg.name: reg for reg in run_program(declare, project=PROJECT, stack=STACK, preview=preview,
                                                 config=config)}


def contact(resource_name: str, instance_id: str, *, preview: bool = False, **args) -> Registration:
    """The registration of one `Contact(name, instance_id=..., **args)` (a TASK unless told)."""
    declared = {**TASK, **args}
    return registrations(lambda: Contact(resource_name, instance_id=instance_id, **declared), preview=preview)[resource_name]


def all_contacts(client, instance_id: str) -> list[dict]:
    found, params = [], {"InstanceId": instance_id,
                         "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": FAR_PAST, "EndTime": FAR_FUTURE}}
    while True:
        page = client.search_contacts(**params)
        found += page["Contacts"]
        if not page.get("NextToken"):
            return found
        params["NextToken"] = page["NextToken"]


def contact_calls(stats: dict) -> dict[str, int]:
    """Contact operations the local service answered since its stats were reset, by name."""
    requests = stats["requests"]
    return {operation: count for operation, count in requests.items() if operation in CONTACT_OPERATIONS and count}
