"""The stable ClientToken sent with CreateContact.

A derived token is a hash of the token scope (project, stack, resource name)
and the contact's create-only inputs, so every run of the same program sends
the same token and Amazon Connect hands back the same contact instead of
creating a second one. A contact the provider has ended (destroy) carries a
mark; creating again with the same inputs steps to the next *generation* of
the token (`...-g1`, `...-g2`), deterministically, so a destroy followed by
an up within the 7-day idempotency window yields a new, live contact. The
first generation's mark names the latest generation released, so a create
goes straight past all of them (see `connect_api.create_unreleased`).

A token the user gives is used verbatim and has no generations.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Optional

PREFIX = "ccp-"
WINDOW_SECONDS = 7 * 24 * 3600
"""How long Connect keeps a CreateContact client token: the same token within 7 days hands back
the same contact, after them it makes a new one."""
_DERIVED = re.compile(r"^ccp-([0-9a-f]{48})(?:-g([1-9][0-9]*))?$")


def derive(scope: str, create_only_inputs: dict[str, Any]) -> str:
    seed = json.dumps({"scope": scope, "inputs": _without_empty(create_only_inputs)},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return PREFIX + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:48]


def is_derived(token: Optional[str]) -> bool:
    return isinstance(token, str) and _DERIVED.match(token) is not None


def lineage(token: str) -> str:
    """The generation-0 token a derived token descends from; a user token is its own lineage."""
    match = _DERIVED.match(token)
    return PREFIX + match.group(1) if match else token


def generation(token: str) -> int:
    match = _DERIVED.match(token)
    return int(match.group(2) or 0) if match else 0


def next_generation(token: str) -> str:
    return at_generation(token, generation(token) + 1)


def at_generation(token: str, number: int) -> str:
    """The derived token's `number`th generation (0 is the lineage itself)."""
    return lineage(token) if number == 0 else f"{lineage(token)}-g{number}"


def _without_empty(inputs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in inputs.items() if value not in (None, {}, [])}
