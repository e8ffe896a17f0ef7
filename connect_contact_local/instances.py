"""Connect instances: the containers contacts live in.

A fresh database gets one instance, so a client can start creating contacts
at once. CreateInstance makes more (tests use one per test for isolation).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Optional

from . import idempotency, instance_attributes, paging
from .clock import Clock
from .errors import InvalidRequest, instance_not_found
from .identity import Identity
from .model import operation
from .rules import IDEMPOTENCY_WINDOW
from .store import Store, Transaction

DEFAULT_ALIAS = "local-connect"
ACCOUNT_SCOPE = "account"
DELETE_SCOPE = "account:DeleteInstance"  # DeleteInstance's tokens, apart from CreateInstance's (per region)


class Instances:
    def __init__(self, store: Store, clock: Clock, identity: Identity):
        self._store = store
        self._clock = clock
        self._identity = identity

    def first(self) -> Optional[dict]:
        """The first instance of the service's own region."""
        with self._store.reading() as tx:
            existing = tx.instances(after=None, limit=1, region=self._identity.region)
        return existing[0] if existing else None

    def ensure_one(self) -> dict:
        """The first instance of the service's own region, created if it has none."""
        region = self._identity.region
        with self._store.writing() as tx:
            existing = tx.instances(after=None, limit=1, region=region)
            if existing:
                return existing[0]
            alias = f"{DEFAULT_ALIAS}-{region}" if tx.alias_taken(DEFAULT_ALIAS) else DEFAULT_ALIAS
            doc = self._new_instance({
                "IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": alias,
                "InboundCallsEnabled": True, "OutboundCallsEnabled": True,
            })
            tx.insert_instance(doc)
            return doc

    def create_instance(self, params: dict, region: Optional[str] = None) -> dict:
        """A new instance; its ARN names `region`, the one the request was signed for (else the service's)."""
        scope = f"{ACCOUNT_SCOPE}:{region or self._identity.region}"  # each region's endpoint is its own service
        with self._store.writing() as tx:
            now = self._clock.now()
            token = idempotency.check(tx, scope, params, now, IDEMPOTENCY_WINDOW.total_seconds())
            if token.conflict:
                raise InvalidRequest("ClientToken: was already used for a different CreateInstance request")
            if token.replay_id is not None:
                # The same answer as the first time, even once that instance has been deleted.
                doc = tx.instance(token.replay_id) or {"Id": token.replay_id,
                                                       "Arn": self._identity_in(region).instance_arn(token.replay_id)}
            else:
                alias = params.get("InstanceAlias")
                if alias is not None and tx.alias_taken(alias):
                    raise InvalidRequest(f"InstanceAlias: an instance with the alias {alias!r} already exists")
                doc = self._new_instance(params, region)
                tx.insert_instance(doc)
                idempotency.remember(tx, scope, params, doc["Id"], now, IDEMPOTENCY_WINDOW.total_seconds())
        return {"Id": doc["Id"], "Arn": doc["Arn"]}

    def get(self, instance_id: str) -> Optional[dict]:
        with self._store.reading() as tx:
            return tx.instance(instance_id)

    def delete_instance(self, params: dict, region: Optional[str] = None) -> dict:
        """The instance and its contacts, gone: every later call naming them is ResourceNotFoundException.
        A retry with the same ClientToken within the window, to the same region, succeeds again."""
        scope = f"{DELETE_SCOPE}:{region or self._identity.region}"  # each region's endpoint is its own service
        with self._store.writing() as tx:
            now = self._clock.now()
            window = IDEMPOTENCY_WINDOW.total_seconds()
            token = idempotency.check(tx, scope, params, now, window)
            if token.conflict:
                raise InvalidRequest("ClientToken: was already used for a different DeleteInstance request")
            if token.replay_id is None:
                require(tx, params["InstanceId"])
                tx.delete_instance(params["InstanceId"])
                idempotency.remember(tx, scope, params, params["InstanceId"], now, window)
        return {}

    def list_instance_attributes(self, params: dict) -> dict:
        listed = instance_attributes.attribute_types()
        limit = params.get("MaxResults") or _max_results("ListInstanceAttributes")
        start = paging.decode(params.get("NextToken"), valid=lambda position: _is_index(position, len(listed)))
        start = start or 0
        with self._store.reading() as tx:
            instance = require(tx, params["InstanceId"])
        output: dict = {"Attributes": instance_attributes.attributes(instance)[start:start + limit]}
        if start + limit < len(listed):
            output["NextToken"] = paging.encode(start + limit)
        return output

    def describe_instance(self, params: dict) -> dict:
        with self._store.reading() as tx:
            return {"Instance": require(tx, params["InstanceId"])}

    def list_instances(self, params: dict, region: str) -> dict:
        """The instances of `region`, the one the request was signed for."""
        limit = params.get("MaxResults") or _max_results("ListInstances")
        with self._store.reading() as tx:
            page = tx.instances(after=paging.decode(params.get("NextToken"), valid=paging.is_key), limit=limit + 1,
                                region=region)
        output: dict = {"InstanceSummaryList": page[:limit]}
        if len(page) > limit:
            last = page[limit - 1]
            output["NextToken"] = paging.encode([last["CreatedTime"], last["Id"]])
        return output

    def _identity_in(self, region: Optional[str]) -> Identity:
        return dataclasses.replace(self._identity, region=region) if region else self._identity

    def _new_instance(self, params: dict, region: Optional[str] = None) -> dict:
        instance_id = str(uuid.uuid4())
        alias = params.get("InstanceAlias")
        doc = {
            "Id": instance_id,
            "Arn": self._identity_in(region).instance_arn(instance_id),
            "IdentityManagementType": params["IdentityManagementType"],
            "InstanceAlias": alias,
            "CreatedTime": self._clock.now(),
            "ServiceRole": self._identity.service_role_arn(),
            "InstanceStatus": "ACTIVE",
            "InboundCallsEnabled": params["InboundCallsEnabled"],
            "OutboundCallsEnabled": params["OutboundCallsEnabled"],
            "InstanceAccessUrl": f"https://{alias}.my.connect.aws" if alias else None,
            "Tags": params.get("Tags"),
        }
        return {name: value for name, value in doc.items() if value is not None}


def _max_results(operation_name: str) -> int:
    return operation(operation_name).input_shape.members["MaxResults"].metadata["max"]


def _is_index(position, size: int) -> bool:
    return isinstance(position, int) and not isinstance(position, bool) and 0 < position < size


def require(tx: Transaction, instance_id: str) -> dict:
    """The instance, or ResourceNotFoundException."""
    instance = tx.instance(instance_id)
    if instance is None:
        raise instance_not_found(instance_id)
    return instance
