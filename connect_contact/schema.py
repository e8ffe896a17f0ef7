"""The contact's fields: one table that check, diff, create, update, read, the typed face, the
README's property table, the IAM list and the tests all derive from.

Each row names a field three ways (Python argument, state name, API member) and says what the
code would otherwise decide by name: how it changes (`Mode`: create-only, or the write that
updates it, in `WRITES`), how a write merges (`Merge`), which member of DescribeContact reports
it back (converted to state form through that member's shape), and the checks of its own
(reserved keys, an empty value refused). Types, limits, enums and sensitivity come from
botocore's model for the row's API member, in the input shape of the operation that carries it
(CreateContact when it takes the member, else the operation that writes it), never from here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Optional

from . import argument_facts, model, rules

if TYPE_CHECKING:
    from botocore.model import Shape

CREATE_OPERATION = "CreateContact"
READ_OPERATION = "DescribeContact"
END_OPERATION = "StopContact"
INSTANCE_OPERATION = "DescribeInstance"
"""Asked only when a contact is not found, or a replace moves one to another instance."""
RELEASED_TAG = "connect-contact:released"
"""The tag the provider keeps on a contact it ended (its release mark), never the user's."""


class Mode(enum.Enum):
    CREATE_ONLY = "create-only"
    UPDATE_CONTACT = "UpdateContact"
    UPDATE_ATTRIBUTES = "UpdateContactAttributes"
    UPDATE_TAGS = "TagContact / UntagContact"
    COMPUTED = "computed"


class Merge(enum.Enum):
    """What a write does with the value the contact holds."""

    REPLACE = "replace"
    """The value sent replaces the live one; a value removed from the program is written empty
    (`""` for text), or, for a shape with no empty value, stays (with a warning)."""
    MERGE_KEEP = "merge-keep"
    """A map Connect merges and cannot delete entries from: removed entries stay on the contact
    (with a warning), and only the declared keys are read back."""
    CLEAR_WITH_EMPTY = "clear-with-empty"
    """A map Connect merges: a removed entry is written as `""`, and `""` reads back as absent."""
    REMOVE_KEYS = "remove-keys"
    """A map whose removed keys the mode's remove operation deletes; changed entries are written."""


@dataclass(frozen=True)
class Write:
    """How one mode's fields are written: one request of `operation` naming the contact by
    `contact_member`, with each changed field's member; keys removed go first to `remove_operation`
    (`remove_member` holding them)."""

    operation: str
    contact_member: str
    remove_operation: Optional[str] = None
    remove_member: Optional[str] = None

    @property
    def operations(self) -> tuple[str, ...]:
        return (self.operation,) + ((self.remove_operation,) if self.remove_operation else ())

    def params(self, instance_id: str, contact_id: str, members: dict[str, Any]) -> dict[str, Any]:
        return {"InstanceId": instance_id, self.contact_member: contact_id, **members}


WRITES: dict[Mode, Write] = {
    Mode.UPDATE_CONTACT: Write("UpdateContact", "ContactId"),
    Mode.UPDATE_ATTRIBUTES: Write("UpdateContactAttributes", "InitialContactId"),
    Mode.UPDATE_TAGS: Write("TagContact", "ContactId", remove_operation="UntagContact", remove_member="TagKeys"),
}
"""The writes, in the order they are made."""


@dataclass(frozen=True)
class Field:
    python: str
    state: str
    member: Optional[str]
    """The API member: of CreateContact when it takes it, else of the operation that writes it."""
    mode: Mode
    doc: str
    described_as: Optional[str] = None
    """The member of DescribeContact's contact that reports the live value, when there is one."""
    merge: Merge = Merge.REPLACE
    listed_by: Optional[str] = None
    """The operation that reads the field back, when DescribeContact does not show it."""
    reserved_keys: tuple[str, ...] = ()
    """Map keys the provider keeps for itself: refused in the program, counted against the shape's
    maximum, never read back."""
    system_key_prefix: Optional[str] = None
    """Map keys Connect sets itself: not read into a contact adopted without declared ones."""
    empty_refused: Optional[str] = None
    """The fix to name when the field is given as "" (which Connect would take as a value)."""
    locates: bool = False
    """The field says where the contact lives: a replace that changes it first checks that Connect
    knows the new instance there (the old contact is ended before the new one exists)."""
    kind: bool = False
    """The field is the contact's kind: a contact adopted (existing_contact_id, import) must have
    the declared value, since it cannot be changed."""
    always_set: bool = False
    """An output every created or read contact has (the others may be absent)."""
    kept: bool = False
    """An output only the provider knows (Connect reports it nowhere), kept from state to state."""
    budget: Optional[Callable[..., list]] = None
    """The rule bounding the bytes the value takes on the contact (its API form): an update counts
    what the field's merge leaves there, not only what the program gives."""

    @property
    def operation(self) -> Optional[str]:
        """The operation whose input shape types the field: CreateContact when it takes the member,
        else the one that writes it."""
        if self.member is None or self.mode is Mode.COMPUTED:
            return None
        if self.member in model.operation(CREATE_OPERATION).input_shape.members or self.mode not in WRITES:
            return CREATE_OPERATION
        return WRITES[self.mode].operation

    @property
    def shape(self) -> Optional[Shape]:
        operation = self.operation
        return None if operation is None or self.member is None else model.input_member(operation, self.member)

    @property
    def read_shape(self) -> Optional[Shape]:
        """The shape of the DescribeContact member that reports the field."""
        if self.described_as is None:
            return None
        return model.operation(READ_OPERATION).output_shape.members["Contact"].members[self.described_as]

    @property
    def sensitive(self) -> bool:
        return self.shape is not None and model.is_sensitive(self.shape)

    @property
    def required(self) -> bool:
        """CreateContact requires the member (read from the model: the generators' source)."""
        return self.member is not None and self.is_input and \
            self.member in model.operation(CREATE_OPERATION).input_shape.required_members

    @property
    def updatable(self) -> bool:
        return self.mode in WRITES

    @property
    def is_input(self) -> bool:
        return self.mode is not Mode.COMPUTED


FIELDS: tuple[Field, ...] = (
    Field("instance_id", "instanceId", "InstanceId", Mode.CREATE_ONLY,
          "The identifier of the Amazon Connect instance (its ID, not its ARN).", locates=True),
    Field("channel", "channel", "Channel", Mode.CREATE_ONLY,
          "The channel: TASK, EMAIL or VOICE (CHAT contacts cannot be created this way).", "Channel", kind=True),
    Field("initiation_method", "initiationMethod", "InitiationMethod", Mode.CREATE_ONLY,
          "How the contact is initiated: API for TASK; OUTBOUND, AGENT_REPLY or FLOW for EMAIL; TRANSFER for VOICE.",
          "InitiationMethod", kind=True),
    Field("client_token", "clientToken", "ClientToken", Mode.CREATE_ONLY,
          "The idempotency token sent with CreateContact. Derived from the project, stack, parent type, "
          "resource name and create-only inputs when not given; a given token is used verbatim.",
          empty_refused="leave client_token unset to derive one", always_set=True, kept=True),
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
          "Attributes", merge=Merge.CLEAR_WITH_EMPTY, budget=rules.attribute_violations),
    Field("references", "references", "References", Mode.UPDATE_CONTACT,
          "Named references (URL, STRING, NUMBER, DATE, EMAIL, ATTACHMENT) shown to agents. Connect cannot delete a "
          "reference: removing one stops tracking it and leaves it on the contact.",
          merge=Merge.MERGE_KEEP, listed_by="ListContactReferences", budget=rules.reference_violations),
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
          "a key stops tracking it and leaves it on the contact.", "SegmentAttributes",
          merge=Merge.MERGE_KEEP, system_key_prefix=rules.SYSTEM_SEGMENT_PREFIX),
    Field("tags", "tags", "Tags", Mode.UPDATE_TAGS,
          "Tags on the contact (TagContact and UntagContact). The provider keeps one tag of its own for its release "
          "mark, so at most 5 here; keys may not start with aws:.", "Tags",
          merge=Merge.REMOVE_KEYS, reserved_keys=(RELEASED_TAG,)),
    Field("region", "region", None, Mode.CREATE_ONLY,
          "The AWS region of the contact's instance, when it is not the stack's (aws:region); clients are made per region.",
          locates=True),
    Field("contact_id", "contactId", None, Mode.COMPUTED, "The identifier of the contact.", "Id", always_set=True),
    Field("contact_arn", "contactArn", None, Mode.COMPUTED, "The ARN of the contact.", "Arn", always_set=True),
    Field("initiation_timestamp", "initiationTimestamp", None, Mode.COMPUTED,
          "When the contact was initiated (ISO 8601, UTC).", "InitiationTimestamp", always_set=True),
    Field("disconnect_timestamp", "disconnectTimestamp", None, Mode.COMPUTED,
          "When the contact ended (ISO 8601, UTC); absent while it is active.", "DisconnectTimestamp"),
    Field("last_update_timestamp", "lastUpdateTimestamp", None, Mode.COMPUTED,
          "When the contact was last updated (ISO 8601, UTC).", "LastUpdateTimestamp", always_set=True),
    Field("first_generation_contact_id", "firstGenerationContactId", None, Mode.COMPUTED,
          "The contact of the client token's first generation, when this contact is a later one (created after a "
          "destroy within Connect's 7-day idempotency window): destroy marks it with the generation released, so "
          "the next create goes straight past every released generation. Absent otherwise.", kept=True),
)

TOKEN_SCOPE = "tokenScope"
"""An input set by `Contact` (project/stack/resource name) that seeds the derived client token."""

BY_STATE = {field.state: field for field in FIELDS}
BY_MEMBER = {field.member: field for field in FIELDS if field.member}
INPUTS = tuple(field for field in FIELDS if field.is_input)
CREATE_ONLY = tuple(field for field in FIELDS if field.mode is Mode.CREATE_ONLY)
UPDATABLE = tuple(field for field in FIELDS if field.updatable)
COMPUTED = tuple(field for field in FIELDS if field.mode is Mode.COMPUTED)
DESCRIBED = tuple(field for field in FIELDS if field.described_as)
REQUIRED = tuple(BY_STATE[state] for state in argument_facts.REQUIRED)
"""The fields CreateContact requires, from the generated facts (as `Field.required` reads them), so
that a program declaring contacts never loads the model; the generators read `Field.required`."""
SECRET_OUTPUTS = argument_facts.SENSITIVE
"""The fields the model calls sensitive, from the generated facts (as `Field.sensitive` reads them),
so that a program declaring contacts never loads the model."""
KEPT = tuple(field.state for field in FIELDS if field.kept)
LOCATING = tuple(field.state for field in FIELDS if field.locates)
KINDS = tuple(field for field in FIELDS if field.kind)
INSTANCE_FIELD = BY_STATE["instanceId"]
CONTACT_ID_FIELD = BY_STATE["contactId"]
ARN_FIELD = BY_STATE["contactArn"]
INITIATION_FIELD = BY_STATE["initiationTimestamp"]
DISCONNECT_FIELD = BY_STATE["disconnectTimestamp"]
TOKEN_FIELD = BY_STATE["clientToken"]
EXISTING_FIELD = BY_STATE["existingContactId"]
TAGS_FIELD = BY_STATE["tags"]
REGION_FIELD = BY_STATE["region"]
FIRST_GENERATION_FIELD = BY_STATE["firstGenerationContactId"]
TOKEN_SEED_FIELDS = tuple(field for field in CREATE_ONLY if field is not TOKEN_FIELD)
OPERATIONS: tuple[str, ...] = tuple(dict.fromkeys(
    (CREATE_OPERATION, READ_OPERATION,
     *(operation for write in WRITES.values() for operation in write.operations),
     *(field.listed_by for field in FIELDS if field.listed_by), END_OPERATION, INSTANCE_OPERATION)))
"""Every Connect operation the provider calls: what a user's IAM policy must allow."""


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
    """An API member value in state form: members in camelCase, timestamps in ISO 8601 (UTC)."""
    if isinstance(value, dict) and shape.type_name == "structure":
        return {model.lower_camel(name): from_api(shape.members[name], item)
                for name, item in value.items() if name in shape.members and item is not None}
    if isinstance(value, dict) and shape.type_name == "map":
        return {key: from_api(shape.value, item) for key, item in value.items()}
    if isinstance(value, list) and shape.type_name == "list":
        return [from_api(shape.member, item) for item in value]
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
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
    """The form two values of `field` are compared in: None, {} and absent are one; an entry a
    clear-with-empty map holds as "" is an entry removed; "" clears an updatable text; a
    whole-number float (as numbers travel over gRPC) is an integer."""
    value = prune(value)
    if field.merge is Merge.CLEAR_WITH_EMPTY and isinstance(value, dict):
        value = {key: item for key, item in value.items() if item != ""}
    if field.updatable and field.merge is Merge.REPLACE and value == "":
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


def read_back(field: Field, live: Any, declared: Any = None, importing: bool = False) -> Any:
    """The value DescribeContact shows for `field` (`live`, API-shaped) in state form, as the
    field's merge reports it: of a merge-keep map only the `declared` keys (or, `importing` a
    contact with none declared, every key Connect did not set itself). A map is always reported
    (empty when the contact has none); an empty text is no value."""
    assert field.read_shape is not None, field.state
    value = from_api(field.read_shape, live) if live is not None else None
    if isinstance(value, dict) and field.read_shape.type_name == "map":
        value = {key: item for key, item in value.items() if key not in field.reserved_keys
                 and not (field.merge is Merge.CLEAR_WITH_EMPTY and item == "")}
        if field.merge is Merge.MERGE_KEEP:
            prefix = field.system_key_prefix
            value = ({key: item for key, item in value.items() if key in declared} if declared
                     else {key: item for key, item in value.items() if not (prefix and key.startswith(prefix))}
                     if importing else {})
    if value is None and field.read_shape.type_name == "map":
        return {}
    return None if value == "" else value


@dataclass(frozen=True)
class Change:
    """What a write sends for one field: `value` under its member (None: nothing), the `removed`
    keys for the mode's remove operation, and the keys (or, for a whole value, `[""]`) that stay
    on the contact because Connect cannot delete them."""

    value: Any = None
    removed: tuple[str, ...] = ()
    stays: tuple[str, ...] = ()


_EMPTY = {"string": ""}
"""The value that clears a member of each type, where Connect has one."""


def change(field: Field, old: Any, new: Any) -> Optional[Change]:
    """The write that takes `field` from `old` to `new` (state form), by its merge; None when
    they are the same."""
    before, after = normalized(field, old), normalized(field, new)
    if before == after:
        return None
    assert field.shape is not None, field.state
    if field.merge is Merge.REPLACE:
        if after is not None:
            return Change(to_api(field.shape, after))
        empty = _EMPTY.get(field.shape.type_name)
        return Change(empty) if empty is not None else Change(stays=("",))
    before, after = before or {}, after or {}
    changed = {key: item for key, item in after.items() if before.get(key) != item}
    removed = tuple(sorted(key for key in before if key not in after))
    if field.merge is Merge.MERGE_KEEP:
        return Change(to_api(field.shape, after) if after else None, stays=removed)
    if field.merge is Merge.CLEAR_WITH_EMPTY:
        return Change(to_api(field.shape, {**changed, **dict.fromkeys(removed, "")}))
    return Change(to_api(field.shape, changed) if changed else None, removed=removed)
