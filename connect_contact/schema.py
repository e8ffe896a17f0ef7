"""The contact's fields: one table that check, diff, create, update, read,
the README's property table and the tests all derive from.

Each row names a field three ways (Python argument, state name, API member)
and says how it changes: create-only (a change replaces the contact),
updated through UpdateContact, updated through UpdateContactAttributes, or
computed by Connect. Types, limits, enums and sensitivity come from
botocore's model for the row's API member, never from this table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Optional

from botocore.model import Shape

from . import model

CREATE_OPERATION = "CreateContact"


class Mode(enum.Enum):
    CREATE_ONLY = "create-only"
    UPDATE_CONTACT = "UpdateContact"
    UPDATE_ATTRIBUTES = "UpdateContactAttributes"
    UPDATE_TAGS = "TagContact / UntagContact"
    COMPUTED = "computed"


@dataclass(frozen=True)
class Field:
    python: str
    state: str
    member: Optional[str]
    mode: Mode
    doc: str
    described_as: Optional[str] = None
    """The DescribeContact member that reports the live value, when there is one."""
    operation: str = CREATE_OPERATION
    """The operation whose input member `member` is (its shape is the field's type)."""

    @property
    def shape(self) -> Optional[Shape]:
        if self.member is None or self.mode is Mode.COMPUTED:
            return None
        return model.input_member(self.operation, self.member)

    @property
    def sensitive(self) -> bool:
        return self.shape is not None and model.is_sensitive(self.shape)

    @property
    def updatable(self) -> bool:
        return self.mode in (Mode.UPDATE_CONTACT, Mode.UPDATE_ATTRIBUTES, Mode.UPDATE_TAGS)

    @property
    def is_input(self) -> bool:
        return self.mode is not Mode.COMPUTED


FIELDS: tuple[Field, ...] = (
    Field("instance_id", "instanceId", "InstanceId", Mode.CREATE_ONLY,
          "The identifier of the Amazon Connect instance (its ID, not its ARN)."),
    Field("channel", "channel", "Channel", Mode.CREATE_ONLY,
          "The channel: TASK, EMAIL or VOICE (CHAT contacts cannot be created this way).", "Channel"),
    Field("initiation_method", "initiationMethod", "InitiationMethod", Mode.CREATE_ONLY,
          "How the contact is initiated: API for TASK; OUTBOUND, AGENT_REPLY or FLOW for EMAIL; TRANSFER for VOICE.",
          "InitiationMethod"),
    Field("client_token", "clientToken", "ClientToken", Mode.CREATE_ONLY,
          "The idempotency token sent with CreateContact. Derived from the project, stack, parent type, "
          "resource name and create-only inputs when not given; a given token is used verbatim."),
    Field("existing_contact_id", "existingContactId", None, Mode.CREATE_ONLY,
          "An existing contact of the instance to manage instead of creating one: the provider reads it, checks that "
          "its channel and initiation method are the declared ones, and writes the updatable fields; no CreateContact. "
          "Removing it later changes nothing; naming another contact replaces this one."),
    Field("related_contact_id", "relatedContactId", "RelatedContactId", Mode.CREATE_ONLY,
          "The contact this one is related to.", "RelatedContactId"),
    Field("previous_contact_id", "previousContactId", "PreviousContactId", Mode.CREATE_ONLY,
          "The previous contact, for external audio contacts (VOICE / TRANSFER) only.", "PreviousContactId"),
    Field("attributes", "attributes", "Attributes", Mode.UPDATE_ATTRIBUTES,
          "User-defined contact attributes. Removing one sets it to the empty string, as Amazon Connect documents.",
          "Attributes"),
    Field("references", "references", "References", Mode.UPDATE_CONTACT,
          "Named references (URL, STRING, NUMBER, DATE, EMAIL, ATTACHMENT) shown to agents. Connect cannot delete a "
          "reference: removing one stops tracking it and leaves it on the contact."),
    Field("expiry_duration_in_minutes", "expiryDurationInMinutes", "ExpiryDurationInMinutes", Mode.CREATE_ONLY,
          "Minutes the contact stays active before it expires."),
    Field("user_info", "userInfo", "UserInfo", Mode.CREATE_ONLY,
          "The user (agent) the contact is for; required for EMAIL contacts initiated by OUTBOUND or AGENT_REPLY."),
    Field("initiate_as", "initiateAs", "InitiateAs", Mode.CREATE_ONLY,
          "The state the contact is created in: CONNECTED_TO_USER, or COMPLETED (TASK only)."),
    Field("name", "name", "Name", Mode.UPDATE_CONTACT,
          "The name of the contact.", "Name"),
    Field("description", "description", "Description", Mode.UPDATE_CONTACT,
          "The description of the contact.", "Description"),
    Field("segment_attributes", "segmentAttributes", "SegmentAttributes", Mode.UPDATE_CONTACT,
          "Segment attributes, including the system key connect:ContactExpiry. Connect cannot delete one: removing "
          "a key stops tracking it and leaves it on the contact.", "SegmentAttributes"),
    Field("tags", "tags", "Tags", Mode.UPDATE_TAGS,
          "Tags on the contact (TagContact and UntagContact). The provider keeps one tag of its own for its release "
          "mark, so at most 5 here; keys may not start with aws:.", "Tags", operation="TagContact"),
    Field("region", "region", None, Mode.CREATE_ONLY,
          "The AWS region of the contact's instance, when it is not the stack's (aws:region); one client per region."),
    Field("contact_id", "contactId", None, Mode.COMPUTED, "The identifier of the contact.", "Id"),
    Field("contact_arn", "contactArn", None, Mode.COMPUTED, "The ARN of the contact.", "Arn"),
    Field("initiation_timestamp", "initiationTimestamp", None, Mode.COMPUTED,
          "When the contact was initiated (ISO 8601, UTC).", "InitiationTimestamp"),
    Field("disconnect_timestamp", "disconnectTimestamp", None, Mode.COMPUTED,
          "When the contact ended (ISO 8601, UTC); absent while it is active.", "DisconnectTimestamp"),
    Field("last_update_timestamp", "lastUpdateTimestamp", None, Mode.COMPUTED,
          "When the contact was last updated (ISO 8601, UTC).", "LastUpdateTimestamp"),
    Field("first_generation_contact_id", "firstGenerationContactId", None, Mode.COMPUTED,
          "The contact of the client token's first generation, when this contact is a later one (created after a "
          "destroy within Connect's 7-day idempotency window): destroy marks it with the generation released, so "
          "the next create goes straight past every released generation. Absent otherwise."),
)

TOKEN_SCOPE = "tokenScope"
"""An input set by `Contact` (project/stack/resource name) that seeds the derived client token."""

BY_STATE = {field.state: field for field in FIELDS}
BY_MEMBER = {field.member: field for field in FIELDS if field.member}
INPUTS = tuple(field for field in FIELDS if field.is_input)
CREATE_ONLY = tuple(field for field in FIELDS if field.mode is Mode.CREATE_ONLY)
UPDATABLE = tuple(field for field in FIELDS if field.updatable)
COMPUTED = tuple(field for field in FIELDS if field.mode is Mode.COMPUTED)
REQUIRED = tuple(field for field in INPUTS if field.member in model.operation(CREATE_OPERATION).input_shape.required_members)
SECRET_OUTPUTS = tuple(field.state for field in FIELDS if field.sensitive)
TOKEN_FIELD = BY_STATE["clientToken"]
EXISTING_FIELD = BY_STATE["existingContactId"]
TAGS_FIELD = BY_STATE["tags"]
REGION_FIELD = BY_STATE["region"]
FIRST_GENERATION_FIELD = BY_STATE["firstGenerationContactId"]
TOKEN_SEED_FIELDS = tuple(field for field in CREATE_ONLY if field is not TOKEN_FIELD)


def to_api(shape: Shape, value: Any) -> Any:
    """A state value (camelCase members, verbatim keys) as the API member value."""
    if isinstance(value, dict) and shape.type_name == "structure":
        by_state = {model.lower_camel(name): name for name in shape.members}
        return {by_state.get(key, key): to_api(shape.members[by_state[key]], item) if key in by_state else item
                for key, item in value.items() if item is not None}
    if isinstance(value, dict) and shape.type_name == "map":
        return {key: to_api(shape.value, item) for key, item in value.items()}
    if isinstance(value, list) and shape.type_name == "list":
        return [to_api(shape.member, item) for item in value]
    if isinstance(value, float) and value.is_integer() and shape.type_name in ("integer", "long"):
        return int(value)
    return value


def from_api(shape: Shape, value: Any) -> Any:
    """An API member value in state form."""
    if isinstance(value, dict) and shape.type_name == "structure":
        return {model.lower_camel(name): from_api(shape.members[name], item)
                for name, item in value.items() if name in shape.members and item is not None}
    if isinstance(value, dict) and shape.type_name == "map":
        return {key: from_api(shape.value, item) for key, item in value.items()}
    if isinstance(value, list) and shape.type_name == "list":
        return [from_api(shape.member, item) for item in value]
    return value


def api_request(state: dict, fields=INPUTS, operation: str = CREATE_OPERATION) -> dict:
    """The `operation`'s members for `fields` present in `state`."""
    return {field.member: to_api(field.shape, state[field.state])
            for field in fields
            if field.member is not None and field.operation == operation and state.get(field.state) is not None}


def is_empty(value: Any) -> bool:
    return value is None or value == {} or value == []


def prune(value: Any) -> Any:
    """`value` without None members, recursively."""
    if isinstance(value, dict):
        return {key: prune(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value


def normalized(field: Field, value: Any) -> Any:
    """The form two values of `field` are compared in: None, {} and absent are one;
    an attribute set to "" is an attribute removed; "" clears a name or description;
    a whole-number float (as numbers travel over gRPC) is an integer."""
    value = prune(value)
    if field.mode is Mode.UPDATE_ATTRIBUTES and isinstance(value, dict):
        value = {key: item for key, item in value.items() if item != ""}
    if field.mode is Mode.UPDATE_CONTACT and value == "":
        return None
    value = _integral(value)
    return None if is_empty(value) else value


def _integral(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
