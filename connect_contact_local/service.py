"""Wires the parts into one running local Connect service (no HTTP server here)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from botocore import xform_name

from .admin import CLOCK_OFFSET_KEY, Admin
from .app import ConnectApp, Handler
from .clock import Clock
from .contacts import Contacts
from .faults import Faults, FaultSettings
from .identity import Identity
from .instances import Instances
from .stats import Stats
from .store import Store
from .tagging import ResourceTags


ISSUED_CREDENTIALS = {"local": "local"}
"""Access key -> secret key: the credentials every local service accepts (and the provider signs
with for `connect-contact:endpoint local`: `connect_contact.launcher.PLACEHOLDER_CREDENTIALS`)."""


HANDLED_BY = {
    # operation: (the part whose method of the operation's snake_case name handles it, Handler options)
    "CreateContact": ("contacts", {"commits": True}),
    "DescribeContact": ("contacts", {}),
    "UpdateContact": ("contacts", {"commits": True}),
    "UpdateContactAttributes": ("contacts", {"commits": True}),
    "StopContact": ("contacts", {"commits": True}),
    "TagContact": ("contacts", {"commits": True}),
    "UntagContact": ("contacts", {"commits": True}),
    "SearchContacts": ("contacts", {}),
    "ListContactReferences": ("contacts", {}),
    "CreateInstance": ("instances", {"commits": True, "regional": True}),
    "DescribeInstance": ("instances", {}),
    "ListInstances": ("instances", {"regional": True}),
    "DeleteInstance": ("instances", {"commits": True, "regional": True}),
    "ListInstanceAttributes": ("instances", {}),
    "TagResource": ("tags", {"commits": True}),
    "UntagResource": ("tags", {"commits": True}),
    "ListTagsForResource": ("tags", {}),
}
IMPLEMENTED_OPERATIONS = tuple(HANDLED_BY)
"""The operations the service answers; every other operation of the model is "not implemented"."""


@dataclass
class LocalConnectService:
    """The WSGI `app`, the instance a fresh database gets, and what to close at the end."""

    app: ConnectApp
    store: Store
    clock: Clock
    faults: Faults
    stats: Stats
    instance: Optional[dict]

    def close(self) -> None:
        self.store.close()


def open_service(db_path: str | Path, admin_token: str, region: str = "us-east-1",
                 faults: FaultSettings = FaultSettings(),
                 credentials: Mapping[str, str] = ISSUED_CREDENTIALS,
                 default_instance: bool = True) -> LocalConnectService:
    """The service on `db_path`; a fresh database gets an instance unless `default_instance` is false
    (for clients that create their own)."""
    store = Store(db_path)
    with store.reading() as tx:
        clock = Clock(float(tx.meta(CLOCK_OFFSET_KEY) or 0.0))
    identity = Identity(region=region)
    instances = Instances(store, clock, identity)
    contacts = Contacts(store, clock)
    tags = ResourceTags(store, clock)
    instance = instances.ensure_one() if default_instance else instances.first()
    fault_injector = Faults(faults)
    stats = Stats()

    def save_clock(offset_seconds: float) -> None:
        # The clock offset is state: a restarted service must not travel back in time.
        with store.writing() as tx:
            tx.set_meta(CLOCK_OFFSET_KEY, repr(offset_seconds))

    def info() -> dict:
        # The default instance while it exists; else (none, or deleted) the first one there is.
        first = (instance and instances.get(instance["Id"])) or instances.first()
        return {"instance_id": first and first["Id"], "instance_arn": first and first["Arn"], "region": region,
                "account_id": identity.account_id, "db_path": str(store.path.resolve()), "pid": os.getpid()}

    parts = {"contacts": contacts, "instances": instances, "tags": tags}
    handlers = {operation: Handler(getattr(parts[part], xform_name(operation)), **options)
                for operation, (part, options) in HANDLED_BY.items()}
    admin = Admin(info, clock, save_clock, fault_injector, stats)

    def instance_arn(instance_id: str) -> Optional[str]:
        found = instances.get(instance_id)
        return found and found["Arn"]

    app = ConnectApp(handlers, fault_injector, stats, admin, admin_token, credentials, instance_arn)
    return LocalConnectService(app, store, clock, fault_injector, stats, instance)
