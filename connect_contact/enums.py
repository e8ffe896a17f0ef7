"""String enums for the closed sets of values a contact takes.

Their members are read from botocore's service model, so a value Amazon
Connect adds next year appears here with the botocore that ships it. Being
`str` enums, a plain string is accepted wherever one of these is.
"""

from __future__ import annotations

import enum

from . import model


def _model_enum(name: str, doc: str, operation: str, *member_path: str) -> type[enum.Enum]:
    shape = model.operation(operation).input_shape
    for member in member_path:
        shape = shape.members[member] if shape.type_name == "structure" else shape.value.members[member]
    values = shape.enum
    generated = enum.Enum(name, {value: value for value in values}, type=str, module=__name__)
    generated.__doc__ = doc
    generated.__str__ = lambda self: self.value
    return generated


Channel = _model_enum("Channel", "The channel of a contact: VOICE, CHAT, TASK or EMAIL.",
                      "CreateContact", "Channel")
InitiationMethod = _model_enum("InitiationMethod", "How a contact was initiated (API for tasks, OUTBOUND/AGENT_REPLY/FLOW for email, TRANSFER for voice).",
                               "CreateContact", "InitiationMethod")
ReferenceType = _model_enum("ReferenceType", "The type of a contact reference (URL, STRING, NUMBER, DATE, EMAIL, ATTACHMENT, ...).",
                            "CreateContact", "References", "Type")
ReferenceStatus = _model_enum("ReferenceStatus", "The status of an attachment reference.",
                              "CreateContact", "References", "Status")
InitiateAs = _model_enum("InitiateAs", "The state a contact is created in: CONNECTED_TO_USER, or COMPLETED (TASK only).",
                         "CreateContact", "InitiateAs")
