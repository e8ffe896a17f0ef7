"""Amazon Connect's ARNs for instances and contacts: the one place their format is written."""

from __future__ import annotations

from typing import Optional


def instance_arn(region: str, account: str, instance_id: str) -> str:
    return f"arn:aws:connect:{region}:{account}:instance/{instance_id}"


def contact_arn(instance: str, contact_id: str) -> str:
    """The ARN of contact `contact_id` of the instance whose ARN is `instance`."""
    return f"{instance}/contact/{contact_id}"


CONTACT_ARN_FORM = contact_arn(instance_arn("<region>", "<account>", "<instanceId>"), "<contactId>")
"""The format, in words, for messages."""


def parse_contact_arn(arn: str) -> Optional[tuple[str, str]]:
    """(instance ID, contact ID) of a contact ARN, or None if `arn` is not one."""
    if not arn.startswith("arn:"):
        return None
    parts = arn.split(":", 5)[-1].split("/")
    if len(parts) == 4 and parts[0] == "instance" and parts[2] == "contact":
        return parts[1], parts[3]
    return None


def region_of(arn: str) -> Optional[str]:
    """The region an ARN names (its fourth field), or None if `arn` is not one."""
    parts = arn.split(":", 5)
    return parts[3] or None if len(parts) == 6 and parts[0] == "arn" else None
