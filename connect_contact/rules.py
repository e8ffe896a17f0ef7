"""The rules of Amazon Connect contacts that the service model cannot express, as the provider's
`check` applies them before any call.

They come from the operation and member documentation of the model and from
the Amazon Connect API Reference. `check` applies them to API-shaped requests
(botocore member names) whose values may be unknown at preview, and reports
`Violation`s whose paths name the offending member. The local Connect service
(`connect_contact_local.rules`) applies its own implementation of them.

Rules the public documentation is silent about are gathered in `ASSUMED`
below, so they can be corrected in one place.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

from .model import Key, Violation, never_skip, operation

# CreateContact: which initiation methods each channel accepts.
INITIATION_METHODS_BY_CHANNEL: dict[str, tuple[str, ...]] = {
    "TASK": ("API",),
    "EMAIL": ("OUTBOUND", "AGENT_REPLY", "FLOW"),
    "VOICE": ("TRANSFER",),
    "CHAT": (),
}
EXTERNAL_AUDIO = ("VOICE", "TRANSFER")
USER_REQUIRED_FOR: tuple[tuple[str, str], ...] = (("EMAIL", "OUTBOUND"), ("EMAIL", "AGENT_REPLY"))
COMPLETED_ONLY_FOR_CHANNEL = "TASK"
ATTRIBUTES_MAX_BYTES = 32_768
ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
REFERENCES_MAX_BYTES = 4_096
TASK_REFERENCE_TYPES_AT_CREATION = ("URL", "NUMBER", "STRING", "DATE", "EMAIL", "ATTACHMENT")
CONTACT_EXPIRY_KEY = "connect:ContactExpiry"
CONTACT_EXPIRY_DURATION = "ExpiryDuration"
SYSTEM_SEGMENT_PREFIX = "connect:"
# Members UpdateContact accepts only for external audio contacts (VOICE / TRANSFER): "This parameter
# can only be updated for external audio contacts" (each member's documentation in the model).
EXTERNAL_AUDIO_ONLY_UPDATES = ("QueueInfo", "UserInfo", "CustomerEndpoint", "SystemEndpoint")
# ... except the endpoints of an outbound email: "For email contacts with an OUTBOUND or AGENT_REPLY
# initiation method, this value can be updated while the outbound email is still a draft".
DRAFT_EMAIL_UPDATES: dict[str, tuple[tuple[str, str], ...]] = {
    "CustomerEndpoint": (("EMAIL", "OUTBOUND"), ("EMAIL", "AGENT_REPLY")),
    "SystemEndpoint": (("EMAIL", "OUTBOUND"), ("EMAIL", "AGENT_REPLY")),
}


@functools.cache
def update_contact_fields() -> tuple[str, ...]:
    """What UpdateContact can change: every member of its request but the required ones that name
    the contact (InstanceId, ContactId). Read when first asked: a program never loads the model."""
    shape = operation("UpdateContact").input_shape
    return tuple(name for name in shape.members if name not in shape.required_members)


class ASSUMED:
    """Readings the public documentation leaves open; the conservative choice."""

    # InitiateAs CONNECTED_TO_USER connects the contact to a user, so it needs UserInfo.UserId.
    CONNECTED_TO_USER_NEEDS_USER = True
    # The 4,096-byte reference budget counts every reference's key and value.
    REFERENCE_BYTES_COUNT_KEYS = True
    # A DATE reference's "epoch timestamp" is a whole number of seconds (or milliseconds).
    DATE_REFERENCE_VALUE = re.compile(r"[0-9]{1,13}")
    # System segment attribute keys are "connect:" followed by letters, digits, "-" and "_".
    SEGMENT_KEY = re.compile(r"(connect:)?[A-Za-z0-9_-]+")
    # A segment attribute value carries exactly one of its value kinds.
    ONE_SEGMENT_VALUE_KIND = True
    # An expiry duration, given either way, is a positive number of minutes.
    EXPIRY_MINUTES_MIN = 1
    # A request body nests at most 32 levels, the body itself being the first (segment attribute
    # values hold maps and lists of values; no published bound). `check` refuses arguments that
    # would make a deeper one.
    MAX_REQUEST_DEPTH = 32


Skip = Callable[[Any], bool]


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def create_contact_violations(request: dict, skip: Skip = never_skip) -> list[Violation]:
    """The rules of a CreateContact request beyond its shape."""
    known = {name: value for name, value in request.items() if value is not None and not skip(value)}
    channel, method = known.get("Channel"), known.get("InitiationMethod")
    user_id = _user_id(request.get("UserInfo"), skip)
    violations = list(_channel_method_violations(channel, method))
    if (channel, method) in USER_REQUIRED_FOR and user_id is None:
        violations.append(Violation(("UserInfo", "UserId"), f"is required for {channel} contacts initiated by {method}"))
    violations += _initiate_as_violations(known.get("InitiateAs"), channel, user_id)
    if "PreviousContactId" in known and channel and method and (channel, method) != EXTERNAL_AUDIO:
        violations.append(Violation(("PreviousContactId",),
                                    "may be given only for external audio contacts (channel VOICE, initiation method TRANSFER); remove it"))
    expiry = known.get("ExpiryDurationInMinutes")
    if isinstance(expiry, int) and expiry < ASSUMED.EXPIRY_MINUTES_MIN:
        violations.append(Violation(("ExpiryDurationInMinutes",), f"must be a positive number of minutes (got {expiry})"))
    violations += attribute_violations(known.get("Attributes"), skip)
    violations += reference_violations(known.get("References"), skip, task_at_creation=channel == "TASK")
    violations += segment_attribute_violations(known.get("SegmentAttributes"), skip)
    return violations


def update_contact_violations(request: dict, skip: Skip = never_skip,
                              channel_method: tuple[str, str] | None = None) -> list[Violation]:
    """The rules of an UpdateContact request; `channel_method` is the contact's, when known."""
    present = [name for name in update_contact_fields() if request.get(name) is not None]
    if not present:
        return [Violation((), "UpdateContact needs at least one of " + ", ".join(update_contact_fields()))]
    violations: list[Violation] = []
    if channel_method is not None and channel_method != EXTERNAL_AUDIO:
        for name in present:
            if name in EXTERNAL_AUDIO_ONLY_UPDATES and channel_method not in DRAFT_EMAIL_UPDATES.get(name, ()):
                also = " or outbound email contacts (EMAIL / OUTBOUND or AGENT_REPLY)" if name in DRAFT_EMAIL_UPDATES else ""
                violations.append(Violation((name,), f"can be updated only on external audio contacts (VOICE / TRANSFER){also}"))
    violations += reference_violations(request.get("References"), skip)
    violations += segment_attribute_violations(request.get("SegmentAttributes"), skip)
    return violations


def attribute_violations(attributes: dict | None, skip: Skip = never_skip) -> list[Violation]:
    """Attribute keys' charset and the per-contact byte budget."""
    if not isinstance(attributes, dict) or skip(attributes):
        return []
    violations = [
        Violation(("Attributes", Key(key)), "key may contain only letters, digits, '-' and '_'")
        for key in attributes if isinstance(key, str) and not ATTRIBUTE_KEY.fullmatch(key)
    ]
    known = [(k, v) for k, v in attributes.items() if isinstance(v, str) and not skip(v)]
    size = sum(utf8_size(k) + utf8_size(v) for k, v in known)
    if size > ATTRIBUTES_MAX_BYTES:
        violations.append(Violation(("Attributes",),
                                    f"keys and values take {size} UTF-8 bytes; a contact allows at most {ATTRIBUTES_MAX_BYTES}"))
    return violations


def reference_violations(references: dict | None, skip: Skip = never_skip,
                         task_at_creation: bool = False) -> list[Violation]:
    """DATE values, the types a TASK accepts at creation, and the byte budget."""
    if not isinstance(references, dict) or skip(references):
        return []
    violations: list[Violation] = []
    size = 0
    for key, reference in references.items():
        if not isinstance(reference, dict) or skip(reference):
            continue
        path = ("References", Key(key))
        kind, value = reference.get("Type"), reference.get("Value")
        known_value = isinstance(value, str) and not skip(value)
        if kind == "DATE" and known_value and not ASSUMED.DATE_REFERENCE_VALUE.fullmatch(value):
            violations.append(Violation(path + ("Value",), f"a DATE reference's value is an epoch timestamp in seconds, e.g. 1767225600 (got {value!r})"))
        if task_at_creation and isinstance(kind, str) and not skip(kind) and kind not in TASK_REFERENCE_TYPES_AT_CREATION:
            violations.append(Violation(path + ("Type",), f"{kind!r} is not accepted on a TASK at creation; use one of {', '.join(TASK_REFERENCE_TYPES_AT_CREATION)}"))
        size += (utf8_size(key) if ASSUMED.REFERENCE_BYTES_COUNT_KEYS else 0) + (utf8_size(value) if known_value else 0)
    if size > REFERENCES_MAX_BYTES:
        violations.append(Violation(("References",),
                                    f"references take {size} UTF-8 bytes; a contact allows at most {REFERENCES_MAX_BYTES}"))
    return violations


def segment_attribute_violations(segment_attributes: dict | None, skip: Skip = never_skip) -> list[Violation]:
    """Segment keys' charset, one value kind per value, and the shape of the contact expiry."""
    if not isinstance(segment_attributes, dict) or skip(segment_attributes):
        return []
    violations: list[Violation] = []
    for key, value in segment_attributes.items():
        path = ("SegmentAttributes", Key(key))
        if isinstance(key, str) and not ASSUMED.SEGMENT_KEY.fullmatch(key):
            violations.append(Violation(path, "key may contain only letters, digits, '-' and '_' (or be a system key 'connect:...')"))
        violations += list(_value_kind_violations(value, path, skip))
        if key == CONTACT_EXPIRY_KEY:
            violations += _contact_expiry_violations(value, path, skip)
    return violations


def _channel_method_violations(channel, method) -> Iterator[Violation]:
    # A channel of the wrong type (a list, a map) is the shape's failure to report, not a crash here.
    if not isinstance(channel, str) or channel not in INITIATION_METHODS_BY_CHANNEL or not isinstance(method, str):
        return
    allowed = INITIATION_METHODS_BY_CHANNEL[channel]
    if not allowed:
        yield Violation(("Channel",), f"{channel} contacts cannot be created with CreateContact; use TASK, EMAIL or VOICE")
    elif method not in allowed:
        yield Violation(("InitiationMethod",), f"{method!r} is not accepted for {channel} contacts; use {' or '.join(allowed)}")


def _initiate_as_violations(initiate_as, channel, user_id) -> list[Violation]:
    path = ("InitiateAs",)
    if initiate_as == "COMPLETED" and channel and channel != COMPLETED_ONLY_FOR_CHANNEL:
        return [Violation(path, f"COMPLETED is allowed only for TASK contacts (channel is {channel}); use CONNECTED_TO_USER or remove it")]
    if initiate_as == "CONNECTED_TO_USER" and ASSUMED.CONNECTED_TO_USER_NEEDS_USER and user_id is None:
        return [Violation(("UserInfo", "UserId"), "is required when InitiateAs is CONNECTED_TO_USER")]
    return []


def _user_id(user_info, skip: Skip):
    if not isinstance(user_info, dict):
        return user_info if skip(user_info) else None
    return user_info.get("UserId")


def _value_kind_violations(value, path, skip: Skip) -> Iterator[Violation]:
    if not isinstance(value, dict) or skip(value):
        return
    kinds = [name for name, item in value.items() if item is not None and name.startswith("Value")]
    if ASSUMED.ONE_SEGMENT_VALUE_KIND and len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        yield Violation(path, f"must hold exactly one of ValueString, ValueMap, ValueInteger, ValueList, ValueArn (found {found})")
    value_map, value_list = value.get("ValueMap"), value.get("ValueList")
    if isinstance(value_map, dict):
        for name, item in value_map.items():
            yield from _value_kind_violations(item, path + ("ValueMap", Key(name)), skip)
    if isinstance(value_list, list):
        for index, item in enumerate(value_list):
            yield from _value_kind_violations(item, path + ("ValueList", Key(str(index))), skip)


def _contact_expiry_violations(value, path, skip: Skip) -> list[Violation]:
    if not isinstance(value, dict) or skip(value):
        return []
    value_map = value.get("ValueMap")
    if skip(value_map):
        return []
    duration = value_map.get(CONTACT_EXPIRY_DURATION) if isinstance(value_map, dict) else None
    minutes = duration.get("ValueInteger") if isinstance(duration, dict) else None
    if skip(minutes) or skip(duration):
        return []
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < ASSUMED.EXPIRY_MINUTES_MIN:
        return [Violation(path + ("ValueMap", Key(CONTACT_EXPIRY_DURATION), "ValueInteger"),
                          "the contact expiry needs ValueMap.ExpiryDuration.ValueInteger, a positive number of minutes")]
    return []
