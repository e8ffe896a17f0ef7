"""Amazon Connect contacts as a Pulumi dynamic provider.

The public surface (`Contact`, its argument types and enums, `ContactProvider`)
is loaded on first use, so that `connect_contact.model`, `connect_contact.rules`
and the local Connect service can be imported without the Pulumi SDK.
"""

import importlib

_PUBLIC = {
    "Contact": "resource",
    "ContactReferenceArgs": "resource",
    "UserInfoArgs": "resource",
    "SegmentAttributeValueArgs": "resource",
    "Channel": "enums",
    "InitiationMethod": "enums",
    "ReferenceType": "enums",
    "ReferenceStatus": "enums",
    "InitiateAs": "enums",
    "ContactProvider": "provider",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'connect_contact' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__():
    return __all__
