"""The argument types of `Contact`: `ContactArgs`, and the nested arguments as Args
dataclasses and as `...ArgsDict` TypedDicts (plain dicts with the same snake_case keys)."""

from __future__ import annotations

import dataclasses
from typing import Mapping, NotRequired, Optional, Sequence, TypedDict, Union

import pulumi

from .enums import Channel, InitiateAs, InitiationMethod, ReferenceStatus, ReferenceType


@dataclasses.dataclass
class ContactReferenceArgs:
    """A named reference on a contact, shown to agents (a URL, a number, a date, ...)."""

    type: pulumi.Input[Union[ReferenceType, str]]
    """The type of the reference. A TASK accepts URL, NUMBER, STRING, DATE, EMAIL and ATTACHMENT."""
    value: Optional[pulumi.Input[str]] = None
    """The value; for DATE, an epoch timestamp in seconds."""
    status: Optional[pulumi.Input[Union[ReferenceStatus, str]]] = None
    """The status of an attachment reference."""
    arn: Optional[pulumi.Input[str]] = None
    """The ARN of an attachment reference."""
    status_reason: Optional[pulumi.Input[str]] = None
    """Why an attachment reference has its status."""


class ContactReferenceArgsDict(TypedDict):
    """A `ContactReferenceArgs` as a plain dict."""

    type: pulumi.Input[Union[ReferenceType, str]]
    """The type of the reference. A TASK accepts URL, NUMBER, STRING, DATE, EMAIL and ATTACHMENT."""
    value: NotRequired[pulumi.Input[str]]
    """The value; for DATE, an epoch timestamp in seconds."""
    status: NotRequired[pulumi.Input[Union[ReferenceStatus, str]]]
    """The status of an attachment reference."""
    arn: NotRequired[pulumi.Input[str]]
    """The ARN of an attachment reference."""
    status_reason: NotRequired[pulumi.Input[str]]
    """Why an attachment reference has its status."""


@dataclasses.dataclass
class UserInfoArgs:
    """The user (agent) a contact is for."""

    user_id: pulumi.Input[str]
    """The identifier of the user."""


class UserInfoArgsDict(TypedDict):
    """A `UserInfoArgs` as a plain dict."""

    user_id: pulumi.Input[str]
    """The identifier of the user."""


@dataclasses.dataclass
class SegmentAttributeValueArgs:
    """A segment attribute value: exactly one of its value kinds."""

    value_string: Optional[pulumi.Input[str]] = None
    """A string value."""
    value_map: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union["SegmentAttributeValueArgs",
                                                                    "SegmentAttributeValueArgsDict"]]]]] = None
    """A map of further values, e.g. {"ExpiryDuration": SegmentAttributeValueArgs(value_integer=60)}."""
    value_integer: Optional[pulumi.Input[int]] = None
    """A whole-number value."""
    value_list: Optional[pulumi.Input[Sequence[pulumi.Input[Union["SegmentAttributeValueArgs",
                                                                  "SegmentAttributeValueArgsDict"]]]]] = None
    """A list of values."""
    value_arn: Optional[pulumi.Input[str]] = None
    """An ARN value."""


class SegmentAttributeValueArgsDict(TypedDict, total=False):
    """A `SegmentAttributeValueArgs` as a plain dict."""

    value_string: pulumi.Input[str]
    """A string value."""
    value_map: pulumi.Input[Mapping[str, pulumi.Input[Union[SegmentAttributeValueArgs, "SegmentAttributeValueArgsDict"]]]]
    """A map of further values, e.g. {"ExpiryDuration": {"value_integer": 60}}."""
    value_integer: pulumi.Input[int]
    """A whole-number value."""
    value_list: pulumi.Input[Sequence[pulumi.Input[Union[SegmentAttributeValueArgs, "SegmentAttributeValueArgsDict"]]]]
    """A list of values."""
    value_arn: pulumi.Input[str]
    """An ARN value."""


# <generated: contact-args>
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
    """The AWS region of the contact's instance, when it is not the stack's (aws:region); one client
    per region.
    """
# </generated: contact-args>
