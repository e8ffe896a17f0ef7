"""Amazon Connect contacts as a Pulumi dynamic provider.

`Contact` declares a contact in a Pulumi program; `ContactArgs` and the nested Args types
(or their `...ArgsDict` plain-dict forms) are its arguments; the str enums name the closed sets
of values it takes; `ContactProvider` is the dynamic provider behind it.

Type checkers and editors read the imports below; at run time the names that need Pulumi load
on first use, so the local Connect service, which shares this package, runs without Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .enums import Channel, InitiateAs, InitiationMethod, ReferenceStatus, ReferenceType

if TYPE_CHECKING:
    from .args import (ContactArgs, ContactReferenceArgs, ContactReferenceArgsDict, SegmentAttributeValueArgs,
                       SegmentAttributeValueArgsDict, UserInfoArgs, UserInfoArgsDict)
    from .provider import ContactProvider
    from .resource import Contact

_NEEDING_PULUMI = {
    "Contact": ".resource",
    "ContactProvider": ".provider",
    **dict.fromkeys(("ContactArgs", "ContactReferenceArgs", "ContactReferenceArgsDict", "SegmentAttributeValueArgs",
                     "SegmentAttributeValueArgsDict", "UserInfoArgs", "UserInfoArgsDict"), ".args"),
}

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


def __getattr__(name: str) -> Any:
    if name not in _NEEDING_PULUMI:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_NEEDING_PULUMI[name], __name__), name)
    globals()[name] = value
    return value
