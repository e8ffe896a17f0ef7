"""A contact reference from its ListContactReferences summary (the local service writes them
with its own code, `connect_contact_local.contacts.reference_summary`).

ReferenceSummary is a union with one member per reference type (URL -> Url,
EMAIL_MESSAGE -> EmailMessage, ...), read from botocore's model; a type
without a member of its own has no summary.
"""

from __future__ import annotations

import functools
from typing import Optional

from .model import service_model


@functools.lru_cache(maxsize=1)
def summary_members() -> dict[str, str]:
    """Reference type -> its member of ReferenceSummary."""
    model = service_model()
    members = model.shape_for("ReferenceSummary").members
    types = model.shape_for("Reference").members["Type"].enum
    pascal = {kind: "".join(word.capitalize() for word in kind.split("_")) for kind in types}
    return {kind: name for kind, name in pascal.items() if name in members}


def from_summary(summary: dict) -> Optional[tuple[str, dict]]:
    """(name, API-shaped reference with its Type) from one summary, or None for a kind not known."""
    types = {member: kind for kind, member in summary_members().items()}
    for member, body in summary.items():
        if member in types and isinstance(body, dict) and body.get("Name") is not None:
            return body["Name"], {"Type": types[member], **{key: value for key, value in body.items() if key != "Name"}}
    return None
