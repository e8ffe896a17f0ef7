"""Contact behaviour: the rules, idempotency and lifecycle of Amazon Connect contacts.

Requests arrive here already shaped and validated against botocore's model
(member names as in the API). What the model cannot say comes from this
package's own `rules`, written from the documented facts.

A contact is stored as a document of API member names. Three timestamps drive
its lifecycle: InitiationTimestamp; DisconnectTimestamp, set when it is
stopped or created COMPLETED; and ExpiryTimestamp (internal), after which it
counts as ended. Whether it ended is worked out against the clock at read
time, so an expiry needs no background job.
"""

from __future__ import annotations

import dataclasses
import uuid
from contextlib import contextmanager
from typing import Iterable, Iterator, Optional

from . import idempotency, paging, rules, search_criteria
from .clock import Clock
from .errors import ContactNotFound, IdempotencyConflict, InvalidRequest, ResourceNotFound, joined
from .identity import contact_arn
from .instances import require as require_instance
from .model import Violation, operation, service_model
from .store import Store, Transaction

IDEMPOTENCY_WINDOW_SECONDS = rules.IDEMPOTENCY_WINDOW.total_seconds()
RETENTION_SECONDS = rules.RETENTION.total_seconds()
SUBTYPE_KEY = "connect:Subtype"
# ListContactReferences has no MaxResults: the page size is the local service's choice.
REFERENCES_PAGE_SIZE = 100


def _shown_as_given(operation_name: str) -> tuple[str, ...]:
    """The members of a request that DescribeContact shows on the contact as they were sent (the model's
    request shape and its Contact shape name them alike)."""
    shown = service_model().shape_for("Contact").members
    return tuple(name for name in operation(operation_name).input_shape.members if name in shown)


CREATED_AS_GIVEN = _shown_as_given("CreateContact")
# UpdateContact's members the contact keeps under their own name (UserInfo becomes AgentInfo).
UPDATED_AS_GIVEN = tuple(member for member in rules.UPDATABLE if member != "UserInfo")


class Contacts:
    """The contact operations, one method each, taking and returning API-shaped dicts."""

    def __init__(self, store: Store, clock: Clock):
        self._store = store
        self._clock = clock

    def create_contact(self, params: dict) -> dict:
        _refuse(rules.refused_creation(params))
        instance_id = params["InstanceId"]
        with self._store.writing() as tx:
            now = self._clock.now()  # read under the store's lock: timestamps follow commit order
            instance = require_instance(tx, instance_id)
            token = idempotency.check(tx, instance_id, params, now, IDEMPOTENCY_WINDOW_SECONDS)
            if token.conflict:
                raise IdempotencyConflict("ClientToken: was already used with a different CreateContact request")
            if token.replay_id is not None:
                return _created(instance, token.replay_id)
            contact = new_contact(params, instance["Arn"], now)
            _join_chain(tx, instance_id, params, contact, now)
            tx.insert_contact(instance_id, contact)
            idempotency.remember(tx, instance_id, params, contact["Id"], now, IDEMPOTENCY_WINDOW_SECONDS)
        return _created(instance, contact["Id"])

    def describe_contact(self, params: dict) -> dict:
        with self._store.reading() as tx:
            now = self._clock.now()
            contact = _find(tx, params["InstanceId"], params["ContactId"], now)
        return {"Contact": view(contact, now)}

    @contextmanager
    def _changing(self, params: dict, id_member: str = "ContactId") -> Iterator[tuple[dict, float]]:
        """The contact `params` names and the time, under the store's write lock; the contact as
        the block leaves it is stored, unless the block raises (then nothing is)."""
        with self._store.writing() as tx:
            now = self._clock.now()
            contact = _find(tx, params["InstanceId"], params[id_member], now)
            yield contact, now
            tx.replace_contact(params["InstanceId"], contact)

    def update_contact(self, params: dict) -> dict:
        with self._changing(params) as (contact, now):
            merged = dict(params)
            for member in ("References", "SegmentAttributes"):
                if member in params:
                    merged[member] = {**contact.get(member, {}), **params[member]}
            _refuse(rules.refused_update(merged, contact))
            _apply_update(contact, params, merged, now)
        return {}

    def update_contact_attributes(self, params: dict) -> dict:
        with self._changing(params, "InitialContactId") as (contact, now):
            merged = {**contact.get("Attributes", {}), **params["Attributes"]}
            _refuse(rules.refused_attributes(merged))
            contact["Attributes"] = merged
            contact["LastUpdateTimestamp"] = now
        return {}

    def stop_contact(self, params: dict) -> dict:
        with self._changing(params) as (contact, now):
            channel, method = contact["Channel"], contact["InitiationMethod"]
            if (channel, method) in rules.ASSUMED.UNSTOPPABLE:
                raise InvalidRequest(f"StopContact does not work for {channel} contacts initiated by {method}")
            if ended_at(contact, now) is not None:
                raise ContactNotFound(f"Contact {contact['Id']} is no longer active")
            contact["DisconnectTimestamp"] = now
            contact["LastUpdateTimestamp"] = now
            reason = (params.get("DisconnectReason") or {}).get("Code")
            if reason is not None:
                contact["DisconnectReason"] = reason
        return {}

    def tag_contact(self, params: dict) -> dict:
        with self._changing(params) as (contact, _):
            tags = {**contact.get("Tags", {}), **params["Tags"]}
            _refuse(rules.refused_tags(tags))
            contact["Tags"] = tags
        return {}

    def untag_contact(self, params: dict) -> dict:
        with self._changing(params) as (contact, _):
            removed = set(params["TagKeys"])
            contact["Tags"] = {key: value for key, value in contact.get("Tags", {}).items() if key not in removed}
        return {}

    def search_contacts(self, params: dict) -> dict:
        with self._store.reading() as tx:
            now = self._clock.now()
            field = search_criteria.sort_field(params)
            position = paging.decode(params.get("NextToken"),
                                     valid=lambda position: search_criteria.is_search_position(position, field))
            query = search_criteria.contact_query(params, now, not_before=now - RETENTION_SECONDS,
                                                  after=position[:2] if position else None)
            require_instance(tx, params["InstanceId"])
            # Counted once, on the first page; the next pages carry the count in their token.
            total = position[2] if position else tx.count_contacts(query)
            # One more than a page: whether it comes back says whether there is a next page.
            rows = tx.search_contacts(dataclasses.replace(query, limit=query.limit + 1))
        page = rows[:query.limit]
        output = {"Contacts": [view(contact, now) for contact, _ in page], "TotalCount": total}
        if len(rows) > query.limit:
            output["NextToken"] = paging.encode([*page[-1][1], total])
        return output

    def list_contact_references(self, params: dict) -> dict:
        after = paging.decode(params.get("NextToken"), valid=lambda position: isinstance(position, str))
        with self._store.reading() as tx:
            now = self._clock.now()
            contact = _find(tx, params["InstanceId"], params["ContactId"], now)
        wanted = set(params["ReferenceTypes"])
        stored = contact.get("References", {})
        names = sorted(name for name, reference in stored.items()
                       if reference.get("Type") in wanted and (after is None or name > after))
        page = names[:REFERENCES_PAGE_SIZE]
        summaries = [reference_summary(name, stored[name]) for name in page]
        output: dict = {"ReferenceSummaryList": [summary for summary in summaries if summary]}
        if len(names) > REFERENCES_PAGE_SIZE:
            output["NextToken"] = paging.encode(page[-1])
        return output


def new_contact(params: dict, instance_arn: str, now: float) -> dict:
    """The stored document of a contact created by `params` at `now`."""
    contact_id = str(uuid.uuid4())
    channel, method = params["Channel"], params["InitiationMethod"]
    contact = {
        "Id": contact_id,
        "Arn": contact_arn(instance_arn, contact_id),
        "InitialContactId": contact_id,
        "Channel": channel,
        "InitiationMethod": method,
        **{member: params[member] for member in CREATED_AS_GIVEN if member in params},
        "InitiationTimestamp": now,
        "LastUpdateTimestamp": now,
        "Attributes": dict(params.get("Attributes", {})),
        "References": dict(params.get("References", {})),
        "SegmentAttributes": dict(params.get("SegmentAttributes", {})),
        "Tags": {},
    }
    subtype = rules.SUBTYPES.get((channel, method))
    if subtype is not None:
        contact["SegmentAttributes"][SUBTYPE_KEY] = {"ValueString": subtype}
    user_id = (params.get("UserInfo") or {}).get("UserId")
    if user_id is not None:
        contact["AgentInfo"] = {"Id": user_id}
    if params.get("InitiateAs") == "COMPLETED":
        contact["DisconnectTimestamp"] = now
    elif params.get("InitiateAs") == "CONNECTED_TO_USER":
        contact.setdefault("AgentInfo", {})["ConnectedToAgentTimestamp"] = now
    minutes = [value for value in (params.get("ExpiryDurationInMinutes"),
                                   rules.expiry_minutes(params.get("SegmentAttributes"))) if value is not None]
    if minutes:
        # Given both ways, the contact expires at the earlier of the two.
        contact["ExpiryTimestamp"] = now + 60 * min(minutes)
    return contact


def ended_at(contact: dict, now: float) -> Optional[float]:
    """When the contact ended by `now` (`rules.ended_at`); None while it is active."""
    return rules.ended_at(contact.get("DisconnectTimestamp"), contact.get("ExpiryTimestamp"), now)


def view(contact: dict, now: float) -> dict:
    """The contact as DescribeContact / SearchContacts show it at `now` (the output shape trims the rest)."""
    shown = dict(contact)
    ended = ended_at(contact, now)
    if ended is not None:
        shown["DisconnectTimestamp"] = ended
    for member in ("Tags", "Attributes", "SegmentAttributes"):
        if not shown.get(member):
            shown.pop(member, None)
    return shown


def _apply_update(contact: dict, params: dict, merged: dict, now: float) -> None:
    for member in UPDATED_AS_GIVEN:
        if member in merged:
            contact[member] = merged[member]
    if "UserInfo" in params and params["UserInfo"].get("UserId") is not None:
        contact.setdefault("AgentInfo", {})["Id"] = params["UserInfo"]["UserId"]
    minutes = rules.expiry_minutes(params.get("SegmentAttributes"))
    if minutes is not None and ended_at(contact, now) is None:
        # An expiry counts from initiation; one already past ends the contact now, not in the past.
        contact["ExpiryTimestamp"] = max(contact["InitiationTimestamp"] + 60 * minutes, now)
    contact["LastUpdateTimestamp"] = now


def _join_chain(tx: Transaction, instance_id: str, params: dict, contact: dict, now: float) -> None:
    """A contact transferred from one this service knows joins that contact's chain."""
    previous_id = params.get("PreviousContactId")
    previous = live_contact(tx, instance_id, previous_id, now) if previous_id is not None else None
    if previous is not None:
        contact["InitialContactId"] = previous.get("InitialContactId", previous["Id"])


def reference_summary(name: str, reference: dict) -> Optional[dict]:
    """A reference as ListContactReferences lists it: under the member of ReferenceSummary that
    its type names (URL -> Url, EMAIL_MESSAGE -> EmailMessage), or None for a type with none."""
    member = "".join(word.capitalize() for word in reference["Type"].split("_"))
    if member not in service_model().shape_for("ReferenceSummary").members:
        return None
    return {member: {**{key: value for key, value in reference.items() if key != "Type"}, "Name": name}}


def _find(tx: Transaction, instance_id: str, contact_id: str, now: float) -> dict:
    """The contact, or ResourceNotFoundException (unknown instance or contact, or past retention)."""
    require_instance(tx, instance_id)
    contact = live_contact(tx, instance_id, contact_id, now)
    if contact is None:
        raise ResourceNotFound(f"Contact {contact_id} not found in instance {instance_id}")
    return contact


def live_contact(tx: Transaction, instance_id: str, contact_id: str, now: float) -> Optional[dict]:
    contact = tx.contact(instance_id, contact_id)
    if contact is None or contact["InitiationTimestamp"] < now - RETENTION_SECONDS:
        return None
    return contact


def _created(instance: dict, contact_id: str) -> dict:
    return {"ContactId": contact_id, "ContactArn": contact_arn(instance["Arn"], contact_id)}


def _refuse(violations: Iterable[Violation]) -> None:
    violations = list(violations)
    if violations:
        raise InvalidRequest(joined(violations))
