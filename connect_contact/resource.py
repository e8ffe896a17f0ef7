"""`Contact`: the typed Python face of an Amazon Connect contact in a Pulumi program."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Mapping, Optional, Sequence, Union

import pulumi
from botocore import xform_name
from botocore.model import Shape

from . import model, schema
from .enums import Channel, InitiateAs, InitiationMethod, ReferenceStatus, ReferenceType
from .provider import ContactProvider


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


@dataclasses.dataclass
class UserInfoArgs:
    """The user (agent) a contact is for."""

    user_id: pulumi.Input[str]
    """The identifier of the user."""


@dataclasses.dataclass
class SegmentAttributeValueArgs:
    """A segment attribute value: exactly one of its value kinds."""

    value_string: Optional[pulumi.Input[str]] = None
    """A string value."""
    value_map: Optional[pulumi.Input[Mapping[str, pulumi.Input["SegmentAttributeValueArgs"]]]] = None
    """A map of further values, e.g. {"ExpiryDuration": SegmentAttributeValueArgs(value_integer=60)}."""
    value_integer: Optional[pulumi.Input[int]] = None
    """A whole-number value."""
    value_list: Optional[pulumi.Input[Sequence[pulumi.Input["SegmentAttributeValueArgs"]]]] = None
    """A list of values."""
    value_arn: Optional[pulumi.Input[str]] = None
    """An ARN value."""


class Contact(pulumi.dynamic.Resource, module="connect", name="Contact"):
    """An Amazon Connect contact, created once (with a stable client token) and kept in step
    with the program: create-only inputs replace it, the others update it in place.

    Deleting it ends the contact if it is still active; Connect never deletes a contact.
    Import it with the ID `<instanceId>:<contactId>` (or the contact's ARN).
    """

    def __init__(
        self,
        resource_name: str,
        *,
        instance_id: pulumi.Input[str],
        channel: pulumi.Input[Union[Channel, str]],
        initiation_method: pulumi.Input[Union[InitiationMethod, str]],
        client_token: Optional[pulumi.Input[str]] = None,
        existing_contact_id: Optional[pulumi.Input[str]] = None,
        related_contact_id: Optional[pulumi.Input[str]] = None,
        previous_contact_id: Optional[pulumi.Input[str]] = None,
        attributes: Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]] = None,
        references: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[ContactReferenceArgs, Mapping]]]]] = None,
        expiry_duration_in_minutes: Optional[pulumi.Input[int]] = None,
        user_info: Optional[pulumi.Input[Union[UserInfoArgs, Mapping]]] = None,
        initiate_as: Optional[pulumi.Input[Union[InitiateAs, str]]] = None,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        segment_attributes: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[SegmentAttributeValueArgs, Mapping]]]]] = None,
        tags: Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]] = None,
        region: Optional[pulumi.Input[str]] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        """Declare a contact. Every argument accepts a `pulumi.Input`; nested arguments accept
        their Args class or a plain dict with the same snake_case (or camelCase) keys, and
        enums accept plain strings. See the README's property table for each field."""
        given = locals()
        props: dict[str, Any] = {
            field.state: _registered(field, given[field.python])
            for field in schema.INPUTS if given[field.python] is not None
        }
        props[schema.TOKEN_SCOPE] = token_scope(resource_name, opts)
        props.update({field.state: None for field in schema.COMPUTED})
        super().__init__(ContactProvider(), resource_name, props, _with_secret_outputs(opts))

    @classmethod
    def get(cls, resource_name: str, id: pulumi.Input[str],
            opts: Optional[pulumi.ResourceOptions] = None) -> "Contact":
        """Read an existing contact into the program without managing it.

        `id` is `<instanceId>:<contactId>` or the contact's ARN.
        """
        contact = cls.__new__(cls)
        props = {field.state: None for field in schema.FIELDS}
        pulumi.dynamic.Resource.__init__(contact, ContactProvider(), resource_name, props,
                                         _with_secret_outputs(pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))))
        return contact


def token_scope(resource_name: str, opts: Optional[pulumi.ResourceOptions]) -> str:
    """Project, stack, the parent's type (if any) and the resource name: what makes a resource's
    URN unique, so two contacts of a stack never derive the same token."""
    parent = opts.parent if opts is not None else None
    parent_part = f"{parent._type}$" if parent is not None else ""
    return f"{pulumi.get_project()}/{pulumi.get_stack()}/{parent_part}{resource_name}"


def _registered(field: schema.Field, value: Any) -> Any:
    """An input as registered: sensitive fields as secrets, so neither state nor a preview shows them."""
    state = to_state(field.shape, value)
    return pulumi.Output.secret(state) if field.sensitive else state


def _with_secret_outputs(opts: Optional[pulumi.ResourceOptions]) -> pulumi.ResourceOptions:
    secrets = pulumi.ResourceOptions(additional_secret_outputs=list(schema.SECRET_OUTPUTS))
    return pulumi.ResourceOptions.merge(opts, secrets)


def _output_property(field: schema.Field) -> property:
    return property(lambda self: self.__dict__[field.state], doc=field.doc)


for _field in schema.FIELDS:
    setattr(Contact, _field.python, _output_property(_field))


def to_state(shape: Optional[Shape], value: Any) -> Any:
    """A Python argument in state form: members in camelCase, user keys verbatim, enums as strings.

    Raises TypeError, naming the key and the keys allowed, for a member the shape does not have."""
    if isinstance(value, pulumi.Output):
        return value.apply(lambda resolved: to_state(shape, resolved))
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {item.name: getattr(value, item.name) for item in dataclasses.fields(value)}
    if shape is None:  # a field that is no API member (a plain string)
        return value
    if shape.type_name == "structure" and isinstance(value, Mapping):
        return _structure_to_state(shape, value)
    if shape.type_name == "map" and isinstance(value, Mapping):
        return {key: to_state(shape.value, item) for key, item in value.items() if item is not None}
    if shape.type_name == "list" and isinstance(value, (list, tuple)):
        return [to_state(shape.member, item) for item in value]
    return value


def _structure_to_state(shape: Shape, value: Mapping) -> dict:
    member_by_key = {}
    for member in shape.members:
        member_by_key[xform_name(member)] = member_by_key[model.lower_camel(member)] = member
    unknown = [key for key in value if key not in member_by_key]
    if unknown:
        allowed = ", ".join(xform_name(member) for member in shape.members)
        raise TypeError(f"{shape.name}: unknown key {unknown[0]!r}; use {allowed}")
    return {model.lower_camel(member_by_key[key]): to_state(shape.members[member_by_key[key]], item)
            for key, item in value.items() if item is not None}
