"""String enums for the closed sets of values a contact takes.

Their members are botocore's: the classes below are generated from the service model
(`python -m connect_contact.typegen`), and a test keeps them in step with the installed
botocore. Being `str` enums, a plain string is accepted wherever one of these is.
"""

from __future__ import annotations

import enum

# <generated: enums>
class Channel(enum.StrEnum):
    """The channel of a contact. One of VOICE, CHAT, TASK, EMAIL; a plain string is accepted too."""

    VOICE = "VOICE"
    CHAT = "CHAT"
    TASK = "TASK"
    EMAIL = "EMAIL"


class InitiationMethod(enum.StrEnum):
    """How a contact is initiated. One of INBOUND, OUTBOUND, TRANSFER, QUEUE_TRANSFER, CALLBACK,
    API, DISCONNECT, MONITOR, EXTERNAL_OUTBOUND, WEBRTC_API, AGENT_REPLY, FLOW; a plain string is
    accepted too.
    """

    INBOUND = "INBOUND"
    OUTBOUND = "OUTBOUND"
    TRANSFER = "TRANSFER"
    QUEUE_TRANSFER = "QUEUE_TRANSFER"
    CALLBACK = "CALLBACK"
    API = "API"
    DISCONNECT = "DISCONNECT"
    MONITOR = "MONITOR"
    EXTERNAL_OUTBOUND = "EXTERNAL_OUTBOUND"
    WEBRTC_API = "WEBRTC_API"
    AGENT_REPLY = "AGENT_REPLY"
    FLOW = "FLOW"


class ReferenceType(enum.StrEnum):
    """The type of a contact reference. One of URL, ATTACHMENT, CONTACT_ANALYSIS, NUMBER, STRING,
    DATE, EMAIL, EMAIL_MESSAGE, EMAIL_MESSAGE_PLAIN_TEXT, EMAIL_MESSAGE_PLAIN_TEXT_REDACTED,
    EMAIL_MESSAGE_REDACTED, VOICEMAIL_RECORDING, VOICEMAIL_RECORDING_REDACTED,
    VOICEMAIL_ANALYSIS, VOICEMAIL_ANALYSIS_REDACTED; a plain string is accepted too.
    """

    URL = "URL"
    ATTACHMENT = "ATTACHMENT"
    CONTACT_ANALYSIS = "CONTACT_ANALYSIS"
    NUMBER = "NUMBER"
    STRING = "STRING"
    DATE = "DATE"
    EMAIL = "EMAIL"
    EMAIL_MESSAGE = "EMAIL_MESSAGE"
    EMAIL_MESSAGE_PLAIN_TEXT = "EMAIL_MESSAGE_PLAIN_TEXT"
    EMAIL_MESSAGE_PLAIN_TEXT_REDACTED = "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED"
    EMAIL_MESSAGE_REDACTED = "EMAIL_MESSAGE_REDACTED"
    VOICEMAIL_RECORDING = "VOICEMAIL_RECORDING"
    VOICEMAIL_RECORDING_REDACTED = "VOICEMAIL_RECORDING_REDACTED"
    VOICEMAIL_ANALYSIS = "VOICEMAIL_ANALYSIS"
    VOICEMAIL_ANALYSIS_REDACTED = "VOICEMAIL_ANALYSIS_REDACTED"


class ReferenceStatus(enum.StrEnum):
    """The status of an attachment reference. One of AVAILABLE, DELETED, APPROVED, REJECTED,
    PROCESSING, FAILED, DRAFTING; a plain string is accepted too.
    """

    AVAILABLE = "AVAILABLE"
    DELETED = "DELETED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    PROCESSING = "PROCESSING"
    FAILED = "FAILED"
    DRAFTING = "DRAFTING"


class InitiateAs(enum.StrEnum):
    """The state a contact is created in. One of CONNECTED_TO_USER, COMPLETED; a plain string is
    accepted too.
    """

    CONNECTED_TO_USER = "CONNECTED_TO_USER"
    COMPLETED = "COMPLETED"
# </generated: enums>
