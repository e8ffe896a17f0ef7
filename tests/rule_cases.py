"""One table of CreateContact inputs for every rule: each broken one with the property its
failure must name, each valid one that both the provider and the local service accept, and
each with the source of its expected outcome.

Inputs are in state form (what `Contact` registers); `schema.api_request` turns them
into the CreateContact request the local service receives on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INSTANCE = "{instance}"
"""Replaced by the instance ID of the local service the case runs against."""

TASK = {"instanceId": INSTANCE, "channel": "TASK", "initiationMethod": "API"}
EMAIL_OUTBOUND = {"instanceId": INSTANCE, "channel": "EMAIL", "initiationMethod": "OUTBOUND"}
VOICE_TRANSFER = {"instanceId": INSTANCE, "channel": "VOICE", "initiationMethod": "TRANSFER"}
AGENT = {"userId": "agent-1"}


@dataclass(frozen=True)
class Case:
    name: str
    inputs: dict
    property: str = ""
    """The property path a failure must name; empty for a valid case."""
    wire_error: str = ""
    """The modelled exception the local service answers with."""
    needs: dict = field(default_factory=dict)
    source: str = ""
    """Where the expected outcome comes from: botocore's model and its documentation strings, or
    connect-contact-semantics.md (rules it marks assumed say so)."""


def _attributes_of_size(total_bytes: int) -> dict:
    """Two attributes (one value may hold at most 32,767 characters) of `total_bytes` in all."""
    half = total_bytes // 2
    return {"a": "x" * (half - 1), "b": "é" * ((total_bytes - half - 1) // 2) + "x" * ((total_bytes - half - 1) % 2)}


def _references_of_size(total_bytes: int) -> dict:
    key = "r"
    return {key: {"type": "STRING", "value": "x" * (total_bytes - len(key))}}


RULE = "InvalidRequestException"
SHAPE = "InvalidParameterException"

BROKEN = [
    Case("chat cannot be created", {**TASK, "channel": "CHAT"}, "channel", RULE,
         source="connect-contact-semantics.md, CreateContact: channel / initiation method table (CHAT: none); model doc 'The CHAT channel is not supported'"),
    Case("task needs API", {**TASK, "initiationMethod": "OUTBOUND"}, "initiationMethod", RULE,
         source='connect-contact-semantics.md, CreateContact: channel / initiation method table (TASK: API)'),
    Case("email refuses API", {**EMAIL_OUTBOUND, "initiationMethod": "API"}, "initiationMethod", RULE,
         source='connect-contact-semantics.md, CreateContact: channel / initiation method table (EMAIL: OUTBOUND, AGENT_REPLY, FLOW)'),
    Case("voice needs TRANSFER", {**VOICE_TRANSFER, "initiationMethod": "INBOUND"}, "initiationMethod", RULE,
         source='connect-contact-semantics.md, CreateContact: channel / initiation method table (VOICE: TRANSFER)'),
    Case("email outbound needs a user", EMAIL_OUTBOUND, "userInfo.userId", RULE,
         source="model doc, UserInfo: 'required when creating an EMAIL contact with OUTBOUND and AGENT_REPLY'"),
    Case("email agent reply needs a user", {**EMAIL_OUTBOUND, "initiationMethod": "AGENT_REPLY"}, "userInfo.userId", RULE,
         source="model doc, UserInfo: 'required when creating an EMAIL contact with OUTBOUND and AGENT_REPLY'"),
    Case("completed only for task", {**EMAIL_OUTBOUND, "initiationMethod": "FLOW", "initiateAs": "COMPLETED"},
         "initiateAs", RULE,
         source="model doc, InitiateAs: 'Only TASK channel contacts can be initiated with COMPLETED state'"),
    Case("connected to user needs a user (assumed)", {**TASK, "initiateAs": "CONNECTED_TO_USER"}, "userInfo.userId", RULE,
         source='connect-contact-semantics.md, CreateContact: InitiateAs, marked assumed (rules.ASSUMED)'),
    Case("previous contact only for external audio", {**TASK, "previousContactId": "c-1"}, "previousContactId", RULE,
         source="model doc, PreviousContactId: 'can be provided only for external audio contacts'"),
    Case("attribute key charset", {**TASK, "attributes": {"bad key": "v"}}, "attributes.bad key", RULE,
         source="model doc, Attributes: 'keys can include only alphanumeric, dash, and underscore characters'"),
    Case("attribute budget", {**TASK, "attributes": _attributes_of_size(32_769)}, "attributes", RULE,
         source="model doc, Attributes: 'up to 32,768 UTF-8 bytes across all key-value pairs per contact'"),
    Case("attribute budget counts UTF-8 bytes", {**TASK, "attributes": {"k": "é" * (32_768 // 2)}}, "attributes", RULE,
         source="model doc, Attributes: 'up to 32,768 UTF-8 bytes' (bytes: an é takes two)"),
    Case("channel required", {"instanceId": INSTANCE, "initiationMethod": "API"}, "channel", SHAPE,
         source="botocore's CreateContact model: Channel is required"),
    Case("reference budget", {**TASK, "references": _references_of_size(4_097)}, "references", RULE,
         source='connect-contact-semantics.md, CreateContact: References, at most 4,096 UTF-8 bytes across all references'),
    Case("reference needs a type", {**TASK, "references": {"r": {"value": "v"}}}, "references.r.type", SHAPE,
         source="botocore's CreateContact model: Reference.Type is required"),
    Case("date reference is an epoch timestamp", {**TASK, "references": {"due": {"type": "DATE", "value": "tomorrow"}}},
         "references.due.value", RULE,
         source='connect-contact-semantics.md, CreateContact: References, a DATE value is an epoch timestamp'),
    Case("task reference types at creation", {**TASK, "references": {"m": {"type": "EMAIL_MESSAGE", "value": "v"}}},
         "references.m.type", RULE,
         source="model doc, References: 'Tasks can have the following reference types at the time of creation'"),
    Case("reference type enum", {**TASK, "references": {"m": {"type": "LINK", "value": "v"}}}, "references.m.type", SHAPE,
         source="botocore's CreateContact model: ReferenceType enum"),
    Case("reference arn pattern", {**TASK, "references": {"a": {"type": "ATTACHMENT", "value": "v", "arn": "!arn:aws:connect:us-east-1:1"}}},
         "references.a.arn", SHAPE,
         source="botocore's CreateContact model: Reference.Arn pattern"),
    Case("segment key charset", {**TASK, "segmentAttributes": {"bad key": {"valueString": "v"}}},
         "segmentAttributes.bad key", RULE,
         source='connect-contact-semantics.md, CreateContact: SegmentAttributes keys (letters, digits, -, _ and connect: keys)'),
    Case("contact expiry needs minutes", {**TASK, "segmentAttributes": {
        "connect:ContactExpiry": {"valueMap": {"ExpiryDuration": {"valueString": "60"}}}}},
        "segmentAttributes.connect:ContactExpiry.valueMap.ExpiryDuration.valueInteger", RULE,
         source='connect-contact-semantics.md, CreateContact: connect:ContactExpiry holds ExpiryDuration as a ValueInteger'),
    Case("one segment value kind (assumed)", {**TASK, "segmentAttributes": {"tier": {"valueString": "a", "valueInteger": 1}}},
         "segmentAttributes.tier", RULE,
         source='rules.ASSUMED: a segment attribute value holds exactly one value kind'),
    Case("expiry is positive", {**TASK, "expiryDurationInMinutes": 0}, "expiryDurationInMinutes", RULE,
         source="connect-contact-semantics.md, CreateContact: ExpiryDurationInMinutes, 'positive integer'"),
    Case("name length", {**TASK, "name": "n" * 1025}, "name", SHAPE,
         source="botocore's CreateContact model: Name 0..1024"),
    Case("description length", {**TASK, "description": "d" * 4097}, "description", SHAPE,
         source="botocore's CreateContact model: Description 0..4096"),
    Case("client token length", {**TASK, "clientToken": "t" * 501}, "clientToken", SHAPE,
         source="botocore's CreateContact model: ClientToken at most 500"),
    Case("channel enum", {**TASK, "channel": "FAX"}, "channel", SHAPE,
         source="botocore's CreateContact model: Channel enum"),
    Case("initiate as enum", {**TASK, "initiateAs": "LATER"}, "initiateAs", SHAPE,
         source="botocore's CreateContact model: InitiateAs enum"),
    Case("instance id length", {**TASK, "instanceId": "i" * 101}, "instanceId", SHAPE,
         source="botocore's CreateContact model: InstanceId 1..100"),
    Case("user id length", {**EMAIL_OUTBOUND, "userInfo": {"userId": ""}}, "userInfo.userId", SHAPE,
         source="botocore's CreateContact model: UserInfo.UserId at least 1"),
    Case("attribute key with a final newline", {**TASK, "attributes": {"key\n": "v"}}, "attributes.key\n", RULE,
         source='model doc, Attributes key charset (a newline is none of them)'),
    Case("segment key with a final newline", {**TASK, "segmentAttributes": {"tier\n": {"valueString": "v"}}},
         "segmentAttributes.tier\n", RULE,
         source='connect-contact-semantics.md, CreateContact: SegmentAttributes key charset (a newline is none of them)'),
    Case("date reference with a final newline", {**TASK, "references": {"due": {"type": "DATE", "value": "1767225600\n"}}},
         "references.due.value", RULE,
         source='connect-contact-semantics.md, CreateContact: a DATE value is an epoch timestamp (digits only)'),
    Case("expiry beyond the wire's integer", {**TASK, "expiryDurationInMinutes": 2**31}, "expiryDurationInMinutes", SHAPE,
         source="botocore's CreateContact model: ExpiryDurationInMinutes is an integer shape (32-bit on the wire)"),
    Case("expiry of 1e308", {**TASK, "expiryDurationInMinutes": 1e308}, "expiryDurationInMinutes", SHAPE,
         source="botocore's CreateContact model: ExpiryDurationInMinutes is an integer shape"),
    Case("segment integer beyond the wire's integer", {**TASK, "segmentAttributes": {"tier": {"valueInteger": -2**31 - 1}}},
         "segmentAttributes.tier.valueInteger", SHAPE,
         source="botocore's CreateContact model: SegmentAttributeValue.ValueInteger is an integer shape"),
]

VALID = [
    Case("task", TASK,
         source='connect-contact-semantics.md, CreateContact: channel / initiation method table'),
    Case("task completed", {**TASK, "initiateAs": "COMPLETED"},
         source='model doc, InitiateAs: TASK may be initiated COMPLETED'),
    Case("task connected to user", {**TASK, "initiateAs": "CONNECTED_TO_USER", "userInfo": AGENT},
         source='model doc, InitiateAs enum, with a user'),
    Case("email outbound with user", {**EMAIL_OUTBOUND, "userInfo": AGENT},
         source='model doc, UserInfo required and given'),
    Case("email agent reply with user", {**EMAIL_OUTBOUND, "initiationMethod": "AGENT_REPLY", "userInfo": AGENT},
         source='model doc, UserInfo required and given'),
    Case("email flow", {**EMAIL_OUTBOUND, "initiationMethod": "FLOW"},
         source='connect-contact-semantics.md, CreateContact: channel / initiation method table (EMAIL: FLOW, no user required)'),
    Case("voice transfer with previous contact", {**VOICE_TRANSFER, "previousContactId": "c-1"},
         source='model doc, PreviousContactId for external audio contacts'),
    Case("voice transfer", VOICE_TRANSFER,
         source='connect-contact-semantics.md, CreateContact: channel / initiation method table (VOICE: TRANSFER)'),
    Case("attribute keys with - and _", {**TASK, "attributes": {"a-b_C9": "v"}},
         source="model doc, Attributes: 'keys can include only alphanumeric, dash, and underscore characters'"),
    Case("email message reference on an email contact", {**EMAIL_OUTBOUND, "initiationMethod": "FLOW",
                                                          "references": {"m": {"type": "EMAIL_MESSAGE", "value": "v"}}},
         source="model doc, References: the reference types at creation are limited for Tasks only"),
    Case("attributes at the budget", {**TASK, "attributes": _attributes_of_size(32_768)},
         source='model doc, Attributes: up to 32,768 UTF-8 bytes'),
    Case("references at the budget", {**TASK, "references": _references_of_size(4_096)},
         source='connect-contact-semantics.md, CreateContact: References, 4,096 UTF-8 bytes'),
    Case("every task reference type", {**TASK, "references": {
        "url": {"type": "URL", "value": "https://example.com"}, "n": {"type": "NUMBER", "value": "42"},
        "s": {"type": "STRING", "value": "text"}, "due": {"type": "DATE", "value": "1767225600"},
        "mail": {"type": "EMAIL", "value": "someone@example.com"},
        "file": {"type": "ATTACHMENT", "value": "report.pdf",
                 "arn": "arn:aws:connect:us-east-1:123456789012:instance/i/file/f"}}},
         source='model doc, References: the six task reference types at creation'),
    Case("segment attributes and expiry", {**TASK, "segmentAttributes": {
        "tier": {"valueString": "gold"},
        "connect:ContactExpiry": {"valueMap": {"ExpiryDuration": {"valueInteger": 60}}}}},
         source='connect-contact-semantics.md, CreateContact: SegmentAttributes and connect:ContactExpiry'),
    Case("expiry of one minute", {**TASK, "expiryDurationInMinutes": 1},
         source='connect-contact-semantics.md, CreateContact: ExpiryDurationInMinutes, positive integer'),
    Case("names at their limits", {**TASK, "name": "n" * 1024, "description": "d" * 4096, "clientToken": "t" * 500},
         source="botocore's CreateContact model: Name 1024, Description 4096, ClientToken 500"),
]



def with_instance(inputs: dict, instance_id: str) -> dict:
    return {key: (instance_id if value == INSTANCE else value) for key, value in inputs.items()}
