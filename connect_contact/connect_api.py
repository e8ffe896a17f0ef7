"""The Amazon Connect calls the provider makes, with AWS errors turned into one line.

Each method is one step of the provider's life cycle over one contact: create
(with the stable token, never handing back a contact this provider ended),
write the updatable fields, observe the live contact in state form, release
(end and mark) it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Optional

import botocore.exceptions
from botocore import xform_name

from . import arns, references, schema, token
from .aws import ConnectContactError, OperationClients, error_code, explain

RELEASED_TAG = schema.RELEASED_TAG
"""The mark left on a contact this provider ended, so that its token is never reused. Its value is
`RELEASED`, except on a token's first generation once a later one is released: `g<n>`, the latest
generation released (all the earlier ones are released too)."""
RELEASED = "true"
_RELEASED_THROUGH = re.compile(r"^g([1-9][0-9]{0,8})$")
MAX_TOKEN_GENERATIONS = 1000
REFERENCE_TYPES_PER_CALL = 6
NEW_CONTACT_READ_DELAYS = (0.2, 0.4, 0.8, 1.6)
"""Seconds between reads of a contact just created that Connect does not find yet (eventual
consistency): five reads over about three seconds, then the create fails in one line."""
CUT_OFF_ANSWER_DELAYS = (0.1, 0.2, 0.4)
"""Seconds before asking again, with the same request (so the same client token), when Connect
answers success without the member the answer must carry: an answer cut off after its status line."""
_ID_SEPARATOR = ":"


class ContactGone(ConnectContactError):
    """Connect does not find the contact (ResourceNotFoundException) in an instance it does find:
    the contact never existed, is past Connect's retention, or, just after its creation, is not
    visible yet."""


class InstanceNotFound(ConnectContactError):
    """Connect does not find the contact's instance either: a wrong instance ID, endpoint or region,
    which says nothing of the contact. Never taken for a contact that is gone."""


class ContactNotActive(ConnectContactError):
    """The contact has already ended (ContactNotFoundException)."""


class RequestRefused(ConnectContactError):
    """Connect refused the request as invalid (InvalidRequestException)."""


_ERROR_TYPES = {
    "ResourceNotFoundException": ContactGone,
    "ContactNotFoundException": ContactNotActive,
    "InvalidRequestException": RequestRefused,
}


@dataclass(frozen=True)
class Created:
    """What a create got: the contact (as DescribeContact shows it), the token that created it, and
    the first generation's contact when the token is a later generation reached from it."""

    contact: dict
    client_token: str
    first_generation_id: Optional[str] = None


def released_through(mark: str) -> int:
    """The latest generation a first generation's release mark says is released (0: none after it)."""
    match = _RELEASED_THROUGH.match(mark)
    return int(match.group(1)) if match else 0


def resource_id(instance_id: str, contact_id: str) -> str:
    return f"{instance_id}{_ID_SEPARATOR}{contact_id}"


def parse_resource_id(id_: str, props: dict[str, Any]) -> tuple[str, str]:
    """(instance ID, contact ID) from `<instanceId>:<contactId>` or a contact ARN."""
    if id_.startswith("arn:"):
        parsed = arns.parse_contact_arn(id_)
        if parsed is not None:
            return parsed
    elif id_.count(_ID_SEPARATOR) == 1:
        instance_id, contact_id = id_.split(_ID_SEPARATOR)
        if instance_id and contact_id:
            return instance_id, contact_id
    elif id_ and props.get(schema.INSTANCE_FIELD.state):
        return props[schema.INSTANCE_FIELD.state], id_
    raise ConnectContactError(
        f"contact ID {id_!r} is not '<instanceId>:<contactId>' or a contact ARN ({arns.CONTACT_ARN_FORM})")


class ConnectApi:
    def __init__(self, clients: OperationClients) -> None:
        self.clients = clients

    def call(self, operation: str, instance_id: str, contact_id: Optional[str] = None, *,
             answer: Optional[str] = None, **params) -> dict:
        """One API call; an AWS error becomes one line, of the type its code maps to (`ContactGone`, ...).
        A success without the `answer` member is asked again a few times, as a transient fault is."""
        delays = iter(CUT_OFF_ANSWER_DELAYS)
        while True:
            output = self._call_once(operation, instance_id, contact_id, **params)
            if answer is None or answer in output:
                return output
            delay = next(delays, None)
            if delay is None:
                raise ConnectContactError(
                    f"{operation} on instance {instance_id} answered success without {answer} "
                    f"{len(CUT_OFF_ANSWER_DELAYS) + 1} times (the answers were cut off); run `pulumi up` again")
            time.sleep(delay)

    def _call_once(self, operation: str, instance_id: str, contact_id: Optional[str], **params) -> dict:
        """One attempt; a contact not found counts as gone only once DescribeInstance finds its instance."""
        client = self.clients(operation)
        try:
            return getattr(client, xform_name(operation))(**params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            error_type = _ERROR_TYPES.get(error_code(error) or "", ConnectContactError)
            message = str(explain(error, operation, instance_id=instance_id, contact_id=contact_id,
                                  region=client.meta.region_name))
        if error_type is ContactGone and contact_id is not None:
            self.require_instance(instance_id, f"{operation} did not find contact {contact_id}")
        raise error_type(message)

    def require_instance(self, instance_id: str, what: str) -> None:
        """Raise `InstanceNotFound`, saying `what` failed, unless DescribeInstance finds the instance
        (a call spent only when a contact is not found, or a replace moves it to another instance)."""
        try:
            self.call("DescribeInstance", instance_id, InstanceId=instance_id)
            return
        except ContactGone:
            reason = "because Connect does not know its instance"
        except ConnectContactError as error:
            reason = f"and the instance could not be confirmed ({error})"
        meta = self.clients.first.meta
        raise InstanceNotFound(
            f"{what} {reason}: instance {instance_id} at endpoint {meta.endpoint_url}, region {meta.region_name}; "
            "check instanceId, connect-contact:endpoint and aws:region (the stack's state is kept as it was)")

    def find_contact(self, instance_id: str, contact_id: str, *, just_created: bool = False) -> dict:
        """The contact as DescribeContact shows it; `ContactGone` when Connect does not find it. A contact
        `just_created` is read again a few times before it counts as gone."""
        delays = iter(NEW_CONTACT_READ_DELAYS if just_created else ())
        while True:
            try:
                return self.call("DescribeContact", instance_id, contact_id, answer="Contact",
                                 InstanceId=instance_id, ContactId=contact_id)["Contact"]
            except ContactGone:
                delay = next(delays, None)
                if delay is None:
                    if just_created:
                        raise ContactGone(
                            f"CreateContact on instance {instance_id} created contact {contact_id}, but DescribeContact "
                            f"did not find it in {len(NEW_CONTACT_READ_DELAYS) + 1} reads over "
                            f"{sum(NEW_CONTACT_READ_DELAYS):.0f} seconds; run `pulumi up` again: the same inputs "
                            "hand back the same contact") from None
                    raise
                time.sleep(delay)

    def create_unreleased(self, request: dict) -> Created:
        """CreateContact with the request's token, stepping to a later generation of the token while
        Connect hands back a contact this provider has released: from the first generation straight
        past the latest one its mark names, from any other to the next. A mark that is stale (its
        update failed or was cut short) only means more steps: every released contact carries its
        own mark, so none is handed back and no generation is skipped that was not released."""
        instance_id, client_token = request["InstanceId"], request["ClientToken"]
        first_generation_id = None
        for _ in range(MAX_TOKEN_GENERATIONS):
            created = self.call("CreateContact", instance_id, answer="ContactId",
                                **{**request, "ClientToken": client_token})
            contact = self.find_contact(instance_id, created["ContactId"], just_created=True)
            mark = (contact.get("Tags") or {}).get(RELEASED_TAG)
            # An ended contact the request did not create ended is one this provider released even
            # when its mark was never written: it is never handed back either.
            ended = contact.get("DisconnectTimestamp") is not None and request.get("InitiateAs") != "COMPLETED"
            if mark is None and not ended:
                return Created(contact, client_token, first_generation_id)
            if not token.is_derived(client_token):
                raise ConnectContactError(
                    f"CreateContact on instance {instance_id}: client_token {client_token!r} belongs to contact "
                    f"{contact['Id']}, which has already ended; give the contact a new client_token")
            if token.generation(client_token) == 0:
                first_generation_id = contact["Id"]
                client_token = token.at_generation(client_token, released_through(mark or RELEASED) + 1)
            else:
                client_token = token.next_generation(client_token)
        raise ConnectContactError(f"CreateContact on instance {instance_id}: {MAX_TOKEN_GENERATIONS} generations of "
                                  f"client token {request['ClientToken']} were all used by ended contacts")

    def write(self, instance_id: str, contact_id: str, old: dict, new: dict) -> list[str]:
        """Apply the updatable fields that differ between `old` and `new`: one request per write
        (`schema.WRITES`) whose fields changed, each field merged as its row says. Returns
        warnings for the user."""
        warnings = []
        for mode, write in schema.WRITES.items():
            members: dict[str, Any] = {}
            removed: list[str] = []
            for field in schema.UPDATABLE:
                change = schema.change(field, old.get(field.state), new.get(field.state)) if field.mode is mode else None
                if change is None:
                    continue
                if change.value is not None:
                    members[str(field.member)] = change.value
                removed += change.removed
                if change.stays:
                    warnings.append(_stays_warning(field, change.stays, contact_id))
            # Removed first: a contact carries at most 6 tags, counting those about to be removed.
            if removed and write.remove_operation and write.remove_member:
                self.call(write.remove_operation, instance_id, contact_id,
                          **write.params(instance_id, contact_id, {write.remove_member: removed}))
            if members:
                self.call(write.operation, instance_id, contact_id, **write.params(instance_id, contact_id, members))
        return warnings

    def observe(self, instance_id: str, contact_id: str, managed: dict, importing: bool = False,
                contact: Optional[dict] = None, list_references: bool = True) -> dict:
        """The live contact in state form, from `contact` when already described: each field
        DescribeContact reports, converted by its row (`schema.read_back`). Of the maps Connect
        cannot delete entries from only the keys in `managed` are reported, or, when importing a
        contact without declared ones, all the user's keys. Fields DescribeContact does not show
        (references) are listed only when `list_references`."""
        contact = contact or self.find_contact(instance_id, contact_id)
        state: dict[str, Any] = {schema.INSTANCE_FIELD.state: instance_id}
        for field in schema.DESCRIBED:
            value = schema.read_back(field, contact.get(field.described_as), managed.get(field.state), importing)
            if value is not None:
                state[field.state] = value
        for field in schema.FIELDS:
            declared = managed.get(field.state)
            if field.listed_by and list_references and (declared or importing):
                state[field.state] = self._references(instance_id, contact_id, declared)
        return state

    def release(self, instance_id: str, contact_id: str, already_ended: bool,
                first_generation: Optional[tuple[str, int]] = None) -> list[str]:
        """Mark the contact as released by this provider, then end it if it is still active.
        A contact that is gone, already ended, or that the API cannot end is no failure.
        `first_generation` (its contact ID, and this contact's generation) is marked first with
        this generation, so that the next create of the same inputs starts past it."""
        warnings = []
        if first_generation is not None:
            self._mark_first_generation(instance_id, *first_generation)
        try:
            self.call("TagContact", instance_id, contact_id,
                      InstanceId=instance_id, ContactId=contact_id, Tags={RELEASED_TAG: RELEASED})
        except ContactGone:
            return [f"contact {contact_id} no longer exists in instance {instance_id}; nothing to end"]
        except ConnectContactError as error:
            warnings.append(f"contact {contact_id} could not be marked as released ({error}); if it cannot be ended "
                            "either, a later create with the same inputs within 7 days may take it back")
        if already_ended:
            return warnings
        try:
            self.call("StopContact", instance_id, contact_id, InstanceId=instance_id, ContactId=contact_id)
        except RequestRefused as error:
            warnings.append(f"contact {contact_id} cannot be ended through the API ({error}); it stays in "
                            "Connect until it ends there, and this stack no longer manages it")
        except (ContactNotActive, ContactGone):
            pass
        return warnings

    def _mark_first_generation(self, instance_id: str, first_id: str, generation: int) -> None:
        """Best effort: if this fails, the next create steps through the released generations one
        by one instead, each of which carries its own mark."""
        try:
            self.call("TagContact", instance_id, first_id,
                      InstanceId=instance_id, ContactId=first_id, Tags={RELEASED_TAG: f"g{generation}"})
        except ConnectContactError:
            pass

    def _references(self, instance_id: str, contact_id: str, declared: Optional[dict]) -> dict:
        """The contact's references in state form; of declared ones, only the declared members
        (a live status or ARN the program does not set is not drift)."""
        kinds = sorted({reference.get("type") for reference in declared.values()}) if declared else _ALL_REFERENCE_TYPES
        found: dict[str, dict] = {}
        for start in range(0, len(kinds), REFERENCE_TYPES_PER_CALL):
            params = {"InstanceId": instance_id, "ContactId": contact_id,
                      "ReferenceTypes": kinds[start:start + REFERENCE_TYPES_PER_CALL]}
            while True:
                page = self.call("ListContactReferences", instance_id, contact_id, **params)
                for summary in page.get("ReferenceSummaryList", []):
                    reference = references.from_summary(summary)
                    if reference is not None:
                        name, body = reference
                        found[name] = {schema.model.lower_camel(member): value for member, value in body.items()}
                if not page.get("NextToken"):
                    break
                params["NextToken"] = page["NextToken"]
        if not declared:
            return found
        return {key: {member: found[key].get(member, value) for member, value in reference.items()}
                for key, reference in declared.items() if key in found}


def _stays_warning(field: schema.Field, keys: tuple[str, ...], contact_id: str) -> str:
    if keys == ("",):
        return (f"{field.state} stays on contact {contact_id}: Amazon Connect cannot clear it, so it is no longer "
                "tracked")
    return (f"{field.state} {', '.join(keys)} stay on contact {contact_id}: Amazon Connect cannot delete "
            f"{field.state}, so they are no longer tracked")


_ALL_REFERENCE_TYPES = list(schema.BY_STATE["references"].shape.value.members["Type"].enum)
