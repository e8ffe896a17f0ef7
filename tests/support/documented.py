"""Facts of Amazon Connect written as literals, each with where it is documented, so that tests
compare the project against them and not against either implementation of the rules (the
provider's `connect_contact.rules`, the local service's `connect_contact_local.rules`). `tests/test_documented_facts.py` checks each quote of the model's documentation."""

from __future__ import annotations

import re

ATTRIBUTES_MAX_BYTES = 32_768
"""CreateContact `Attributes`: "There can be up to 32,768 UTF-8 bytes across all key-value pairs per contact"."""
REFERENCES_MAX_BYTES = 4_096
"""References: "at most 4,096 UTF-8 bytes across all references of a contact" (connect-contact-semantics.md)."""
MAX_CONTACT_TAGS = 6
"""TagContact `Tags`: the model's map of at most 6 entries ("at most 6" in connect-contact-semantics.md)."""
IDEMPOTENCY_WINDOW_SECONDS = 7 * 24 * 3600
"""ClientToken: "The same token with the same request within 7 days" (connect-contact-semantics.md)."""
RETENTION_SECONDS = 730 * 24 * 3600
"""DescribeContact: "Retained for 24 months after InitiationTimestamp" (connect-contact-semantics.md)."""
CONTACT_SUBTYPES = {("TASK", "API"): "connect:ExternalTask", ("VOICE", "TRANSFER"): "connect:ExternalAudio"}
"""CreateContact's documentation: TASK contacts "have a sub-type of connect:ExternalTask"; VOICE / TRANSFER
contacts "have a subtype connect:ExternalAudio"."""

QUOTES = [
    # (operation, member or None for the operation's own documentation, the quote)
    ("CreateContact", "Attributes", "There can be up to 32,768 UTF-8 bytes across all key-value pairs per contact"),
    ("CreateContact", "Attributes", "Attribute keys can include only alphanumeric, dash, and underscore characters"),
    ("CreateContact", "References", "Tasks can have the following reference types at the time of creation: "
                                             "<code>URL</code> | <code>NUMBER</code> | <code>STRING</code> | "
                                             "<code>DATE</code> | <code>EMAIL</code> | <code>ATTACHMENT</code>"),
    ("CreateContact", "UserInfo", "UserInfo is required when creating an EMAIL contact with <code>OUTBOUND</code> "
                                           "and <code>AGENT_REPLY</code> contact initiation methods"),
    ("CreateContact", "InitiateAs", "Only TASK channel contacts can be initiated with <code>COMPLETED</code> state"),
    ("CreateContact", "PreviousContactId", "This value can be provided only for external audio contacts"),
    ("CreateContact", None, "Contacts created with this API have a sub-type of <code>connect:ExternalTask</code>"),
    ("CreateContact", None, "The contacts created with this initiation method have a subtype "
                                     "<code>connect:ExternalAudio</code>"),
    ("CreateContact", "Channel", "The CHAT channel is not supported"),
    ("UpdateContact", "QueueInfo", "This parameter can only be updated for external audio contacts"),
    ("UpdateContact", "UserInfo", "This parameter can only be updated for external audio contacts"),
    ("UpdateContact", "CustomerEndpoint", "For email contacts with an <code>OUTBOUND</code> or "
                                                   "<code>AGENT_REPLY</code> initiation method, this value can be updated"),
    ("UpdateContact", "SystemEndpoint", "For email contacts with an <code>OUTBOUND</code> or "
                                                 "<code>AGENT_REPLY</code> initiation method, this value can be updated"),
    ("UpdateContact", None, "At least one field to be updated must be present in the request"),
]
"""Quotes from the documentation strings of botocore's model (operation, member or None for the operation)."""

INITIATION_METHODS_BY_CHANNEL = {"TASK": ("API",), "EMAIL": ("OUTBOUND", "AGENT_REPLY", "FLOW"), "VOICE": ("TRANSFER",)}
"""The channel / initiation method pairs CreateContact accepts (connect-contact-semantics.md, CreateContact:
"Which channel / initiation method pairs the API accepts"; CHAT: none)."""
USER_REQUIRED_FOR = (("EMAIL", "OUTBOUND"), ("EMAIL", "AGENT_REPLY"))
"""CreateContact `UserInfo`: required for EMAIL with OUTBOUND or AGENT_REPLY (quoted above)."""
EXTERNAL_AUDIO = ("VOICE", "TRANSFER")
"""External audio contacts: the only ones that take a PreviousContactId (quoted above)."""
COMPLETED_ONLY_FOR_CHANNEL = "TASK"
"""CreateContact `InitiateAs`: only TASK contacts can be initiated COMPLETED (quoted above)."""
TASK_REFERENCE_TYPES_AT_CREATION = ("URL", "NUMBER", "STRING", "DATE", "EMAIL", "ATTACHMENT")
"""CreateContact `References`: the types a TASK may have at creation (quoted above)."""
CONTACT_EXPIRY_KEY, CONTACT_EXPIRY_DURATION = "connect:ContactExpiry", "ExpiryDuration"
"""SegmentAttributes: contact expiry as `connect:ContactExpiry` holding `ExpiryDuration` (connect-contact-semantics.md)."""
EXPIRY_MINUTES_MIN = 1
"""ExpiryDurationInMinutes: "a positive integer" is all that is documented (connect-contact-semantics.md)."""
ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
"""CreateContact `Attributes`: "Attribute keys can include only alphanumeric, dash, and underscore characters"."""
