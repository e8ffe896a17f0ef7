"""Amazon Connect contacts as a Pulumi dynamic provider.

`Contact` declares a contact in a Pulumi program; `ContactArgs` and the nested Args types
(or their `...ArgsDict` plain-dict forms) are its arguments; the str enums name the closed sets
of values it takes; `ContactProvider` is the dynamic provider behind it.

The local Connect service is another package (`connect_contact_local`, the [local] extra),
which this one never imports: the provider starts it as a process of its own.
"""

from __future__ import annotations

from . import args, enums
from .args import *  # noqa: F403 -- the generated Args types, listed in args.__all__
from .enums import *  # noqa: F403 -- the generated enums, listed in enums.__all__
from .provider import ContactProvider
from .resource import Contact

__all__ = sorted(["Contact", "ContactProvider", *args.__all__, *enums.__all__])
