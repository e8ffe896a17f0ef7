"""The local service's rules of Amazon Connect contacts: what the service refuses beyond the
model's shapes, and how long it remembers.

Written from the documented facts (the semantics of CreateContact, UpdateContact,
UpdateContactAttributes, StopContact and TagContact, and the documentation strings of
botocore's model), apart from the provider's `connect_contact.rules`: the provider's `check`
foresees these refusals with its own code, so a test that both agree compares two
implementations. Requests arrive whole (API member names, every value known).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Iterator, Optional

from .model import Key, Violation, input_member, operation

# CreateContact, "Which channel / initiation method pairs the API accepts"; CHAT: none.
METHODS = {"TASK": ("API",), "EMAIL": ("OUTBOUND", "AGENT_REPLY", "FLOW"), "VOICE": ("TRANSFER",)}
SUBTYPES = {("TASK", "API"): "connect:ExternalTask", ("VOICE", "TRANSFER"): "connect:ExternalAudio"}
EXTERNAL_AUDIO = ("VOICE", "TRANSFER")
OUTBOUND_EMAIL = (("EMAIL", "OUTBOUND"), ("EMAIL", "AGENT_REPLY"))
"""Needs UserInfo at creation; its endpoints can be updated while it is a draft."""
ATTRIBUTE_BYTES = 32_768
REFERENCE_BYTES = 4_096
TASK_REFERENCE_TYPES = ("URL", "NUMBER", "STRING", "DATE", "EMAIL", "ATTACHMENT")
EXPIRY_KEY, EXPIRY_DURATION = "connect:ContactExpiry", "ExpiryDuration"
KEY_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
IDEMPOTENCY_WINDOW = timedelta(days=7)
RETENTION = timedelta(days=730)
# AWS's tagging documentation: a resource carries at most 50 user-created tags (the model's TagMap
# bounds one request to the same number).
MAX_RESOURCE_TAGS = 50
# UpdateContact members "can only be updated for external audio contacts" (each one's documentation).
EXTERNAL_AUDIO_MEMBERS = ("QueueInfo", "UserInfo", "CustomerEndpoint", "SystemEndpoint")
DRAFT_EMAIL_MEMBERS = ("CustomerEndpoint", "SystemEndpoint")
UPDATABLE = tuple(name for name in operation("UpdateContact").input_shape.members
                  if name not in operation("UpdateContact").input_shape.required_members)


def ended_at(disconnected: Optional[float], expires: Optional[float], now: float) -> Optional[float]:
    """When a contact ended: stopped (or created COMPLETED) at `disconnected`, else expired at
    `expires` once that is past by `now`; None while it is active. The store's searches ask this
    same function (registered in SQLite), so a search and a describe never disagree."""
    if disconnected is not None:
        return disconnected
    return expires if expires is not None and expires <= now else None


def max_contact_tags() -> int:
    """The tags a contact may carry in all: the bound of TagContact's tag map in the model (the
    service counts a contact's tags after the merge, as Connect does; nothing of its own is kept)."""
    return input_member("TagContact", "Tags").metadata["max"]


class ASSUMED:
    """Readings the public documentation leaves open, as this service takes them."""

    # InitiateAs CONNECTED_TO_USER connects the contact to a user, so it needs UserInfo.UserId.
    CONNECTED_TO_USER_NEEDS_USER = True
    # The 4,096-byte reference budget counts each reference's name as well as its value.
    REFERENCE_KEYS_COUNT = True
    # A DATE reference's "epoch timestamp" is a whole number of seconds (or milliseconds).
    EPOCH_VALUE = re.compile(r"[0-9]{1,13}")
    # System segment attribute keys are "connect:" followed by the characters of other keys.
    SEGMENT_KEY = re.compile(r"(connect:)?[A-Za-z0-9_-]+")
    # A segment attribute value holds exactly one of these.
    SEGMENT_VALUE_KINDS = ("ValueString", "ValueMap", "ValueInteger", "ValueList", "ValueArn")
    # StopContact "does not work for voice contacts initiated by TRANSFER".
    UNSTOPPABLE = (EXTERNAL_AUDIO,)
    # SearchContacts' ContactTags: at most this many conditions and condition lists in all (the
    # model sets no limit).
    MAX_TAG_CONDITIONS = 50
    # Statuses of AWS's common authentication errors the reachable documentation does not give:
    # a wrong secret key and an unknown access key (as Connect is seen answering), and a request
    # signed more than 15 minutes away from the service's time.
    AUTHENTICATION_STATUSES = {"InvalidSignatureException": 403, "UnrecognizedClientException": 403,
                               "RequestExpired": 400}
    # A request body nests at most this many levels, the body itself the first (no published bound).
    MAX_REQUEST_DEPTH = 32
    # SearchContacts' Name criterion: a search text matches a name that contains it, compared
    # case-insensitively (MATCH_EXACT: the whole name is one of the texts, also case-insensitively).
    NAME_MATCH_IGNORES_CASE = True
    # SearchableContactAttributes: every user-defined attribute is searchable (AWS searches only the
    # keys an administrator configured); a criterion holds when the contact's attribute has one of
    # its values (with no values, any value); criteria combine with MATCH_ALL when no MatchType is
    # given, and MATCH_EXACT combines them as MATCH_ALL does.
    ATTRIBUTE_SEARCH_DEFAULT_MATCH = "MATCH_ALL"
    # ListInstanceAttributes: INBOUND_CALLS and OUTBOUND_CALLS are what CreateInstance was given;
    # CreateInstance "does not allow for any configurations on features", so every other attribute
    # of a new instance is off.
    INSTANCE_FEATURE_DEFAULT = "false"


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def refused_creation(request: dict) -> list[Violation]:
    """Every rule a CreateContact request breaks."""
    pair = (request.get("Channel"), request.get("InitiationMethod"))
    found: list[Violation] = []
    if pair[0] == "CHAT":
        found.append(Violation(("Channel",), "CHAT contacts cannot be created with CreateContact; use TASK, EMAIL "
                                             "or VOICE"))
    elif pair[1] not in METHODS.get(pair[0], (pair[1],)):
        found.append(Violation(("InitiationMethod",), f"{pair[1]!r} is not accepted for {pair[0]} contacts; use "
                                                      f"{' or '.join(METHODS[pair[0]])}"))
    user_id = (request.get("UserInfo") or {}).get("UserId")
    if pair in OUTBOUND_EMAIL and user_id is None:
        found.append(Violation(("UserInfo", "UserId"), f"is required for {pair[0]} contacts initiated by {pair[1]}"))
    initiate_as = request.get("InitiateAs")
    if initiate_as == "COMPLETED" and pair[0] != "TASK":
        found.append(Violation(("InitiateAs",), f"COMPLETED is allowed only for TASK contacts (channel is "
                                                f"{pair[0]}); use CONNECTED_TO_USER or remove it"))
    elif initiate_as == "CONNECTED_TO_USER" and ASSUMED.CONNECTED_TO_USER_NEEDS_USER and user_id is None:
        found.append(Violation(("UserInfo", "UserId"), "is required when InitiateAs is CONNECTED_TO_USER"))
    if request.get("PreviousContactId") is not None and pair != EXTERNAL_AUDIO:
        found.append(Violation(("PreviousContactId",), "may be given only for external audio contacts (channel "
                                                       "VOICE, initiation method TRANSFER); remove it"))
    minutes = request.get("ExpiryDurationInMinutes")
    if minutes is not None and minutes < 1:
        found.append(Violation(("ExpiryDurationInMinutes",), f"must be a positive number of minutes (got {minutes})"))
    found += refused_attributes(request.get("Attributes") or {})
    found += refused_references(request.get("References") or {}, task=pair[0] == "TASK")
    found += refused_segment_attributes(request.get("SegmentAttributes") or {})
    return found


def refused_update(request: dict, contact: dict) -> list[Violation]:
    """Every rule an UpdateContact request breaks on `contact` (its References and
    SegmentAttributes already merged over the contact's)."""
    given = [name for name in UPDATABLE if request.get(name) is not None]
    if not given:
        return [Violation((), "UpdateContact needs at least one of " + ", ".join(UPDATABLE))]
    pair = (contact["Channel"], contact["InitiationMethod"])
    found = []
    for name in given:
        if name not in EXTERNAL_AUDIO_MEMBERS or pair == EXTERNAL_AUDIO:
            continue
        if name in DRAFT_EMAIL_MEMBERS and pair in OUTBOUND_EMAIL:
            continue
        also = " or outbound email contacts (EMAIL / OUTBOUND or AGENT_REPLY)" if name in DRAFT_EMAIL_MEMBERS else ""
        found.append(Violation((name,), f"can be updated only on external audio contacts (VOICE / TRANSFER){also}"))
    found += refused_references(request.get("References") or {})
    found += refused_segment_attributes(request.get("SegmentAttributes") or {})
    return found


def refused_attributes(attributes: dict) -> list[Violation]:
    """Key characters and the contact's attribute budget (over the merged attributes)."""
    found = [Violation(("Attributes", Key(key)), "key may contain only letters, digits, '-' and '_'")
             for key in attributes if not KEY_CHARACTERS.fullmatch(key)]
    total = sum(size(key) + size(value) for key, value in attributes.items())
    if total > ATTRIBUTE_BYTES:
        found.append(Violation(("Attributes",), f"keys and values take {total} UTF-8 bytes; a contact allows at most "
                                                f"{ATTRIBUTE_BYTES}"))
    return found


def refused_references(references: dict, task: bool = False) -> list[Violation]:
    """DATE values, the types a TASK takes at creation (`task`), and the references' budget."""
    found, total = [], 0
    for name, reference in references.items():
        kind, value = reference.get("Type"), reference.get("Value")
        if kind == "DATE" and value is not None and not ASSUMED.EPOCH_VALUE.fullmatch(value):
            found.append(Violation(("References", Key(name), "Value"), "a DATE reference's value is an epoch "
                                   f"timestamp in seconds, e.g. 1767225600 (got {value!r})"))
        if task and kind not in TASK_REFERENCE_TYPES:
            found.append(Violation(("References", Key(name), "Type"), f"{kind!r} is not accepted on a TASK at "
                                   f"creation; use one of {', '.join(TASK_REFERENCE_TYPES)}"))
        total += (size(name) if ASSUMED.REFERENCE_KEYS_COUNT else 0) + size(value or "")
    if total > REFERENCE_BYTES:
        found.append(Violation(("References",), f"references take {total} UTF-8 bytes; a contact allows at most "
                                                f"{REFERENCE_BYTES}"))
    return found


def refused_segment_attributes(segment_attributes: dict) -> list[Violation]:
    found = []
    for key, value in segment_attributes.items():
        path = ("SegmentAttributes", Key(key))
        if not ASSUMED.SEGMENT_KEY.fullmatch(key):
            found.append(Violation(path, "key may contain only letters, digits, '-' and '_' (or be a system key "
                                         "'connect:...')"))
        found += _value_kinds(value, path)
        if key == EXPIRY_KEY and not isinstance(expiry_minutes({key: value}), int):
            found.append(Violation(path + ("ValueMap", Key(EXPIRY_DURATION), "ValueInteger"), "the contact expiry "
                                   "needs ValueMap.ExpiryDuration.ValueInteger, a positive number of minutes"))
    return found


def expiry_minutes(segment_attributes: Optional[dict]) -> Optional[int]:
    """The contact expiry's minutes in segment attributes, if they hold a positive whole number."""
    expiry = (segment_attributes or {}).get(EXPIRY_KEY) or {}
    minutes = ((expiry.get("ValueMap") or {}).get(EXPIRY_DURATION) or {}).get("ValueInteger")
    return minutes if isinstance(minutes, int) and minutes >= 1 else None


def _value_kinds(value: dict, path: tuple) -> Iterator[Violation]:
    kinds = [kind for kind in ASSUMED.SEGMENT_VALUE_KINDS if value.get(kind) is not None]
    if len(kinds) != 1:
        yield Violation(path, f"must hold exactly one of {', '.join(ASSUMED.SEGMENT_VALUE_KINDS)} "
                              f"(found {', '.join(kinds) or 'none'})")
    for name, item in (value.get("ValueMap") or {}).items():
        yield from _value_kinds(item, path + ("ValueMap", Key(name)))
    for index, item in enumerate(value.get("ValueList") or []):
        yield from _value_kinds(item, path + ("ValueList", Key(str(index))))


def refused_tags(tags: dict, member: str = "Tags") -> list[Violation]:
    """The tags a contact would carry after a tagging call, counted against the model's bound."""
    return _too_many_tags(tags, max_contact_tags(), "a contact", member)


def refused_resource_tags(tags: dict, member: str = "tags") -> list[Violation]:
    """The tags an instance would carry after TagResource, counted against AWS's per-resource limit."""
    return _too_many_tags(tags, MAX_RESOURCE_TAGS, "a resource", member)


def _too_many_tags(tags: dict, most: int, carrier: str, member: str) -> list[Violation]:
    if len(tags) > most:
        return [Violation((member,), f"{carrier} can carry at most {most} tags; this would make {len(tags)}")]
    return []
