"""Amazon Connect contacts as a Pulumi dynamic provider.

`Contact` declares a contact in a Pulumi program; `ContactArgs` and the nested Args types
(or their `...ArgsDict` plain-dict forms) are its arguments; the str enums name the closed sets
of values it takes; `ContactProvider` is the dynamic provider behind it.

The local Connect service is another package (`connect_contact_local`, the [local] extra),
which this one never imports: the provider starts it as a process of its own.
"""

from __future__ import annotations

from .args import (ContactArgs, ContactReferenceArgs, ContactReferenceArgsDict, SegmentAttributeValueArgs,
                   SegmentAttributeValueArgsDict, UserInfoArgs, UserInfoArgsDict)
from .enums import Channel, InitiateAs, InitiationMethod, ReferenceStatus, ReferenceType
from .provider import ContactProvider
from .resource import Contact

__all__ = [
    "Channel",
    "Contact",
    "ContactArgs",
    "ContactProvider",
    "ContactReferenceArgs",
    "ContactReferenceArgsDict",
    "InitiateAs",
    "InitiationMethod",
    "ReferenceStatus",
    "ReferenceType",
    "SegmentAttributeValueArgs",
    "SegmentAttributeValueArgsDict",
    "UserInfoArgs",
    "UserInfoArgsDict",
]
