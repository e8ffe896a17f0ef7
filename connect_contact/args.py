"""The argument types of `Contact`: `ContactArgs`, and for every structure an argument holds an Args
dataclass and an `...ArgsDict` TypedDict (a plain dict with the same snake_case keys). Generated
by `python -m tools.generate` from the field table and botocore's model; do not edit.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping, NotRequired, Optional, Sequence, TypedDict, Union

import pulumi

from .enums import Channel, InitiateAs, InitiationMethod, ReferenceStatus, ReferenceType


@dataclasses.dataclass
class ContactReferenceArgs:
    """Well-formed data on a contact, used by agents to complete a contact request. You can have up
    to 4,096 UTF-8 bytes across all references for a contact.
    """

    type: pulumi.Input[Union[ReferenceType, str]]
    """The type of the reference. DATE must be of type Epoch timestamp."""

    value: Optional[pulumi.Input[str]] = None
    """A valid value for the reference. For example, for a URL reference, a formatted URL that is
    displayed to an agent in the Contact Control Panel (CCP).
    """

    status: Optional[pulumi.Input[Union[ReferenceStatus, str]]] = None
    """Status of the attachment reference type."""

    arn: Optional[pulumi.Input[str]] = None
    """The Amazon Resource Name (ARN) of the reference"""

    status_reason: Optional[pulumi.Input[str]] = None
    """Relevant details why the reference was not successfully created."""


class ContactReferenceArgsDict(TypedDict):
    """A `ContactReferenceArgs` as a plain dict."""

    type: pulumi.Input[Union[ReferenceType, str]]
    """The type of the reference. DATE must be of type Epoch timestamp."""

    value: NotRequired[pulumi.Input[str]]
    """A valid value for the reference. For example, for a URL reference, a formatted URL that is
    displayed to an agent in the Contact Control Panel (CCP).
    """

    status: NotRequired[pulumi.Input[Union[ReferenceStatus, str]]]
    """Status of the attachment reference type."""

    arn: NotRequired[pulumi.Input[str]]
    """The Amazon Resource Name (ARN) of the reference"""

    status_reason: NotRequired[pulumi.Input[str]]
    """Relevant details why the reference was not successfully created."""


@dataclasses.dataclass
class UserInfoArgs:
    """User details for the contact"""

    user_id: Optional[pulumi.Input[str]] = None
    """The user identifier for the contact."""


class UserInfoArgsDict(TypedDict):
    """A `UserInfoArgs` as a plain dict."""

    user_id: NotRequired[pulumi.Input[str]]
    """The user identifier for the contact."""


@dataclasses.dataclass
class SegmentAttributeValueArgs:
    """A value for a segment attribute. This is structured as a map where the key is valueString and
    the value is a string.
    """

    value_string: Optional[pulumi.Input[str]] = None
    """The value of a segment attribute."""

    value_map: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[SegmentAttributeValueArgs, SegmentAttributeValueArgsDict]]]]] = None
    """The value of a segment attribute."""

    value_integer: Optional[pulumi.Input[int]] = None
    """The value of a segment attribute."""

    value_list: Optional[pulumi.Input[Sequence[pulumi.Input[Union[SegmentAttributeValueArgs, SegmentAttributeValueArgsDict]]]]] = None
    """The value of a segment attribute. This is only supported for system-defined attributes, not
    for user-defined attributes.
    """

    value_arn: Optional[pulumi.Input[str]] = None
    """The value of a segment attribute that has to be a valid ARN. This is only supported for
    system-defined attributes, not for user-defined attributes.
    """


class SegmentAttributeValueArgsDict(TypedDict):
    """A `SegmentAttributeValueArgs` as a plain dict."""

    value_string: NotRequired[pulumi.Input[str]]
    """The value of a segment attribute."""

    value_map: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[Union[SegmentAttributeValueArgs, SegmentAttributeValueArgsDict]]]]]
    """The value of a segment attribute."""

    value_integer: NotRequired[pulumi.Input[int]]
    """The value of a segment attribute."""

    value_list: NotRequired[pulumi.Input[Sequence[pulumi.Input[Union[SegmentAttributeValueArgs, SegmentAttributeValueArgsDict]]]]]
    """The value of a segment attribute. This is only supported for system-defined attributes, not
    for user-defined attributes.
    """

    value_arn: NotRequired[pulumi.Input[str]]
    """The value of a segment attribute that has to be a valid ARN. This is only supported for
    system-defined attributes, not for user-defined attributes.
    """


@dataclasses.dataclass
class ContactArgs:
    """The arguments of a `Contact`, as one value: `Contact(name, ContactArgs(...))` is
    `Contact(name, ...)`.
    """

    instance_id: pulumi.Input[str]
    """The identifier of the Amazon Connect instance (its ID, not its ARN). 1 to 100 characters.
    Required. Amazon Connect: The identifier of the Connect Customer instance. You can find the
    instance ID in the Amazon Resource Name (ARN) of the instance.
    """

    channel: pulumi.Input[Union[Channel, str]]
    """The channel: TASK, EMAIL or VOICE (CHAT contacts cannot be created this way). Required.
    Amazon Connect: The channel for the contact.
    """

    initiation_method: pulumi.Input[Union[InitiationMethod, str]]
    """How the contact is initiated: API for TASK; OUTBOUND, AGENT_REPLY or FLOW for EMAIL; TRANSFER
    for VOICE. Required. Amazon Connect: Indicates how the contact was initiated.
    """

    client_token: Optional[pulumi.Input[str]] = None
    """The idempotency token sent with CreateContact. Derived from the project, stack, parent type,
    resource name and create-only inputs when not given; a given token is used verbatim. 0 to 500
    characters. Amazon Connect: A unique, case-sensitive identifier that you provide to ensure
    the idempotency of the request. If not provided, the Amazon Web Services SDK populates this
    field. For more information about idempotency, see Making retries safe with idempotent APIs.
    """

    existing_contact_id: Optional[pulumi.Input[str]] = None
    """An existing contact of the instance to manage instead of creating one: the provider reads it,
    checks that its channel and initiation method are the declared ones, and writes the updatable
    fields; no CreateContact. Removing it later changes nothing; naming another contact replaces
    this one.
    """

    related_contact_id: Optional[pulumi.Input[str]] = None
    """The contact this one is related to. 1 to 256 characters. Amazon Connect: The identifier of
    the contact in this instance of Connect Customer.
    """

    previous_contact_id: Optional[pulumi.Input[str]] = None
    """The previous contact, for external audio contacts (VOICE / TRANSFER) only. 1 to 256
    characters. Amazon Connect: The ID of the previous contact when creating a transfer contact.
    This value can be provided only for external audio contacts. For more information, see
    Integrate Connect Customer Contact Lens with external voice systems in the Connect Customer
    Administrator Guide.
    """

    attributes: Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]] = None
    """User-defined contact attributes. Removing one sets it to the empty string, as Amazon Connect
    documents. Amazon Connect: A custom key-value pair using an attribute map. The attributes are
    standard Connect Customer attributes, and can be accessed in flows just like any other
    contact attributes.
    """

    references: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[ContactReferenceArgs, ContactReferenceArgsDict]]]]] = None
    """Named references (URL, STRING, NUMBER, DATE, EMAIL, ATTACHMENT) shown to agents. Connect
    cannot delete a reference: removing one stops tracking it and leaves it on the contact.
    Amazon Connect: A formatted URL that is shown to an agent in the Contact Control Panel (CCP).
    Tasks can have the following reference types at the time of creation: URL | NUMBER | STRING |
    DATE | EMAIL | ATTACHMENT.
    """

    expiry_duration_in_minutes: Optional[pulumi.Input[int]] = None
    """Minutes the contact stays active before it expires. Amazon Connect: Number of minutes the
    contact will be active for before expiring
    """

    user_info: Optional[pulumi.Input[Union[UserInfoArgs, UserInfoArgsDict]]] = None
    """The user (agent) the contact is for; required for EMAIL contacts initiated by OUTBOUND or
    AGENT_REPLY. Amazon Connect: User details for the contact
    """

    initiate_as: Optional[pulumi.Input[Union[InitiateAs, str]]] = None
    """The state the contact is created in: CONNECTED_TO_USER, or COMPLETED (TASK only). Amazon
    Connect: Initial state of the contact when it's created. Only TASK channel contacts can be
    initiated with COMPLETED state.
    """

    name: Optional[pulumi.Input[str]] = None
    """The name of the contact. 0 to 1024 characters. Secret in state. Amazon Connect: The name of a
    the contact.
    """

    description: Optional[pulumi.Input[str]] = None
    """The description of the contact. 0 to 4096 characters. Secret in state. Amazon Connect: A
    description of the contact.
    """

    segment_attributes: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[SegmentAttributeValueArgs, SegmentAttributeValueArgsDict]]]]] = None
    """Segment attributes, including the system key connect:ContactExpiry. Connect cannot delete
    one: removing a key stops tracking it and leaves it on the contact. Amazon Connect: A set of
    system defined key-value pairs stored on individual contact segments (unique contact ID)
    using an attribute map. The attributes are standard Connect Customer attributes. They can be
    accessed in flows.
    """

    tags: Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]] = None
    """Tags on the contact (TagContact and UntagContact). The provider keeps one tag of its own for
    its release mark, so at most 5 here; keys may not start with aws:. Amazon Connect: The tags
    to be assigned to the contact resource. For example, { "Tags": {"key1":"value1",
    "key2":"value2"} }.
    """

    region: Optional[pulumi.Input[str]] = None
    """The AWS region of the contact's instance, when it is not the stack's (aws:region); clients
    are made per region.
    """


__all__ = [
    "ContactArgs",
    "ContactReferenceArgs",
    "ContactReferenceArgsDict",
    "SegmentAttributeValueArgs",
    "SegmentAttributeValueArgsDict",
    "UserInfoArgs",
    "UserInfoArgsDict",
]
