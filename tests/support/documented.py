"""Facts of Amazon Connect written as literals, each with where it is documented, so that tests
compare the project against them and not against `connect_contact.rules`, which the provider and
the local service share. `tests/test_documented_facts.py` checks each quote of the model's documentation."""

from __future__ import annotations

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
