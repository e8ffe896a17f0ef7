"""`Contact`: the typed Python face of an Amazon Connect contact in a Pulumi program."""

from __future__ import annotations

import copy
import dataclasses
import difflib
import enum
from typing import Any, Mapping, Optional, Union, overload

import pulumi

from . import argument_shapes, model, options, outputs, pulumi_compat, schema
from .args import *  # noqa: F403  (every generated Args type the signature below may name)
from .args import ContactArgs
from .argument_shapes import ArgumentShape
from .enums import *  # noqa: F403
from .options import ContactOptionError
from .provider import ContactProvider


class Contact(pulumi.dynamic.Resource, module="connect", name="Contact"):
    """An Amazon Connect contact, created once (with a stable client token) and kept in step
    with the program: create-only inputs replace it, the others update it in place.

    Deleting it ends the contact if it is still active; Connect never deletes a contact.
    Read an existing one into a program with `Contact.get`, or manage one with
    `existing_contact_id`.
    """


    @overload
    def __init__(self, resource_name: str, args: ContactArgs,
                 opts: Optional[pulumi.ResourceOptions] = None) -> None:
        """Declare an Amazon Connect contact from its `ContactArgs`.

        :param resource_name: The unique name of the resource.
        :param args: The contact's arguments.
        :param opts: Options for the resource.
        """

    # <generated: contact-keywords>
    @overload
    def __init__(
        self,
        resource_name: str,
        opts: Optional[pulumi.ResourceOptions] = None,
        *,
        instance_id: pulumi.Input[str],
        channel: pulumi.Input[Union[Channel, str]],
        initiation_method: pulumi.Input[Union[InitiationMethod, str]],
        client_token: Optional[pulumi.Input[str]] = None,
        existing_contact_id: Optional[pulumi.Input[str]] = None,
        related_contact_id: Optional[pulumi.Input[str]] = None,
        previous_contact_id: Optional[pulumi.Input[str]] = None,
        attributes: Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]] = None,
        references: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[ContactReferenceArgs, ContactReferenceArgsDict]]]]] = None,
        expiry_duration_in_minutes: Optional[pulumi.Input[int]] = None,
        user_info: Optional[pulumi.Input[Union[UserInfoArgs, UserInfoArgsDict]]] = None,
        initiate_as: Optional[pulumi.Input[Union[InitiateAs, str]]] = None,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        segment_attributes: Optional[pulumi.Input[Mapping[str, pulumi.Input[Union[SegmentAttributeValueArgs, SegmentAttributeValueArgsDict]]]]] = None,
        tags: Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]] = None,
        region: Optional[pulumi.Input[str]] = None,
    ) -> None:
        """Declare an Amazon Connect contact.

        :param resource_name: The unique name of the resource.
        :param opts: Options for the resource.
        :param instance_id: The identifier of the Amazon Connect instance (its ID, not its ARN). 1
            to 100 characters. Required. Amazon Connect: The identifier of the Connect Customer
            instance. You can find the instance ID in the Amazon Resource Name (ARN) of the
            instance.
        :param channel: The channel: TASK, EMAIL or VOICE (CHAT contacts cannot be created this
            way). Required. Amazon Connect: The channel for the contact.
        :param initiation_method: How the contact is initiated: API for TASK; OUTBOUND, AGENT_REPLY
            or FLOW for EMAIL; TRANSFER for VOICE. Required. Amazon Connect: Indicates how the
            contact was initiated.
        :param client_token: The idempotency token sent with CreateContact. Derived from the
            project, stack, parent type, resource name and create-only inputs when not given; a
            given token is used verbatim. 0 to 500 characters. Amazon Connect: A unique, case-
            sensitive identifier that you provide to ensure the idempotency of the request. If not
            provided, the Amazon Web Services SDK populates this field. For more information about
            idempotency, see Making retries safe with idempotent APIs.
        :param existing_contact_id: An existing contact of the instance to manage instead of
            creating one: the provider reads it, checks that its channel and initiation method are
            the declared ones, and writes the updatable fields; no CreateContact. Removing it later
            changes nothing; naming another contact replaces this one.
        :param related_contact_id: The contact this one is related to. 1 to 256 characters. Amazon
            Connect: The identifier of the contact in this instance of Connect Customer.
        :param previous_contact_id: The previous contact, for external audio contacts (VOICE /
            TRANSFER) only. 1 to 256 characters. Amazon Connect: The ID of the previous contact when
            creating a transfer contact. This value can be provided only for external audio
            contacts. For more information, see Integrate Connect Customer Contact Lens with
            external voice systems in the Connect Customer Administrator Guide.
        :param attributes: User-defined contact attributes. Removing one sets it to the empty
            string, as Amazon Connect documents. Amazon Connect: A custom key-value pair using an
            attribute map. The attributes are standard Connect Customer attributes, and can be
            accessed in flows just like any other contact attributes.
        :param references: Named references (URL, STRING, NUMBER, DATE, EMAIL, ATTACHMENT) shown to
            agents. Connect cannot delete a reference: removing one stops tracking it and leaves it
            on the contact. Amazon Connect: A formatted URL that is shown to an agent in the Contact
            Control Panel (CCP). Tasks can have the following reference types at the time of
            creation: URL | NUMBER | STRING | DATE | EMAIL | ATTACHMENT.
        :param expiry_duration_in_minutes: Minutes the contact stays active before it expires.
            Amazon Connect: Number of minutes the contact will be active for before expiring
        :param user_info: The user (agent) the contact is for; required for EMAIL contacts initiated
            by OUTBOUND or AGENT_REPLY. Amazon Connect: User details for the contact
        :param initiate_as: The state the contact is created in: CONNECTED_TO_USER, or COMPLETED
            (TASK only). Amazon Connect: Initial state of the contact when it's created. Only TASK
            channel contacts can be initiated with COMPLETED state.
        :param name: The name of the contact. 0 to 1024 characters. Secret in state. Amazon Connect:
            The name of a the contact.
        :param description: The description of the contact. 0 to 4096 characters. Secret in state.
            Amazon Connect: A description of the contact.
        :param segment_attributes: Segment attributes, including the system key
            connect:ContactExpiry. Connect cannot delete one: removing a key stops tracking it and
            leaves it on the contact. Amazon Connect: A set of system defined key-value pairs stored
            on individual contact segments (unique contact ID) using an attribute map. The
            attributes are standard Connect Customer attributes. They can be accessed in flows.
        :param tags: Tags on the contact (TagContact and UntagContact). The provider keeps one tag
            of its own for its release mark, so at most 5 here; keys may not start with aws:. Amazon
            Connect: The tags to be assigned to the contact resource. For example, { "Tags":
            {"key1":"value1", "key2":"value2"} }.
        :param region: The AWS region of the contact's instance, when it is not the stack's
            (aws:region); clients are made per region.
        """
    # </generated: contact-keywords>

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        contact_args, opts = _args_and_opts(args, kwargs)
        _refuse_unsupported_options(resource_name, opts)
        if opts.id is None:
            if contact_args is None:
                raise TypeError("Contact: missing arguments; pass a ContactArgs or the keywords "
                                "instance_id, channel and initiation_method")
            contact_args, opts = _safe_options(contact_args, opts)
            props = contact_props(resource_name, contact_args, opts)
        else:  # an existing contact, read by its ID (Contact.get)
            props = {field.state: None for field in schema.FIELDS}
        super().__init__(ContactProvider(), resource_name, props, _with_secret_outputs(opts))

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str],
            opts: Optional[pulumi.ResourceOptions] = None) -> "Contact":
        """Read an existing contact into the program without managing it.

        :param resource_name: The unique name of the resulting resource.
        :param id: `<instanceId>:<contactId>` or the contact's ARN.
        :param opts: Options for the resource.
        """
        read_opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        # The one call with neither arguments nor keywords, which the overloads (for programs) leave out.
        contact: Contact = Contact(resource_name, opts=read_opts)  # type: ignore[call-overload]
        return contact

    # The outputs: the engine's values, by their state names, read through Pulumi's getters (which
    # also give the SDK each output's type, so structures come back as the classes of `outputs`).
    # <generated: contact-outputs>
    @property
    @pulumi.getter(name="instanceId")
    def instance_id(self) -> pulumi.Output[str]:
        """The identifier of the Amazon Connect instance (its ID, not its ARN)."""
        return pulumi.get(self, "instanceId")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="channel")
    def channel(self) -> pulumi.Output[str]:
        """The channel: TASK, EMAIL or VOICE (CHAT contacts cannot be created this way)."""
        return pulumi.get(self, "channel")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="initiationMethod")
    def initiation_method(self) -> pulumi.Output[str]:
        """How the contact is initiated: API for TASK; OUTBOUND, AGENT_REPLY or FLOW for EMAIL; TRANSFER
        for VOICE.
        """
        return pulumi.get(self, "initiationMethod")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="clientToken")
    def client_token(self) -> pulumi.Output[str]:
        """The idempotency token sent with CreateContact. Derived from the project, stack, parent type,
        resource name and create-only inputs when not given; a given token is used verbatim.
        """
        return pulumi.get(self, "clientToken")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="existingContactId")
    def existing_contact_id(self) -> pulumi.Output[Optional[str]]:
        """An existing contact of the instance to manage instead of creating one: the provider reads it,
        checks that its channel and initiation method are the declared ones, and writes the updatable
        fields; no CreateContact. Removing it later changes nothing; naming another contact replaces
        this one.
        """
        return pulumi.get(self, "existingContactId")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="relatedContactId")
    def related_contact_id(self) -> pulumi.Output[Optional[str]]:
        """The contact this one is related to."""
        return pulumi.get(self, "relatedContactId")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="previousContactId")
    def previous_contact_id(self) -> pulumi.Output[Optional[str]]:
        """The previous contact, for external audio contacts (VOICE / TRANSFER) only."""
        return pulumi.get(self, "previousContactId")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="attributes")
    def attributes(self) -> pulumi.Output[Optional[Mapping[str, str]]]:
        """User-defined contact attributes. Removing one sets it to the empty string, as Amazon Connect
        documents.
        """
        return pulumi.get(self, "attributes")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="references")
    def references(self) -> pulumi.Output[Optional[Mapping[str, outputs.ContactReference]]]:
        """Named references (URL, STRING, NUMBER, DATE, EMAIL, ATTACHMENT) shown to agents. Connect
        cannot delete a reference: removing one stops tracking it and leaves it on the contact.
        """
        return pulumi.get(self, "references")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="expiryDurationInMinutes")
    def expiry_duration_in_minutes(self) -> pulumi.Output[Optional[int]]:
        """Minutes the contact stays active before it expires."""
        return pulumi.get(self, "expiryDurationInMinutes")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="userInfo")
    def user_info(self) -> pulumi.Output[Optional[outputs.UserInfo]]:
        """The user (agent) the contact is for; required for EMAIL contacts initiated by OUTBOUND or
        AGENT_REPLY.
        """
        return pulumi.get(self, "userInfo")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="initiateAs")
    def initiate_as(self) -> pulumi.Output[Optional[str]]:
        """The state the contact is created in: CONNECTED_TO_USER, or COMPLETED (TASK only)."""
        return pulumi.get(self, "initiateAs")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="name")
    def name(self) -> pulumi.Output[Optional[str]]:
        """The name of the contact."""
        return pulumi.get(self, "name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="description")
    def description(self) -> pulumi.Output[Optional[str]]:
        """The description of the contact."""
        return pulumi.get(self, "description")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="segmentAttributes")
    def segment_attributes(self) -> pulumi.Output[Optional[Mapping[str, outputs.SegmentAttributeValue]]]:
        """Segment attributes, including the system key connect:ContactExpiry. Connect cannot delete
        one: removing a key stops tracking it and leaves it on the contact.
        """
        return pulumi.get(self, "segmentAttributes")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="tags")
    def tags(self) -> pulumi.Output[Optional[Mapping[str, str]]]:
        """Tags on the contact (TagContact and UntagContact). The provider keeps one tag of its own for
        its release mark, so at most 5 here; keys may not start with aws:.
        """
        return pulumi.get(self, "tags")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="region")
    def region(self) -> pulumi.Output[Optional[str]]:
        """The AWS region of the contact's instance, when it is not the stack's (aws:region); clients
        are made per region.
        """
        return pulumi.get(self, "region")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="contactId")
    def contact_id(self) -> pulumi.Output[str]:
        """The identifier of the contact."""
        return pulumi.get(self, "contactId")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="contactArn")
    def contact_arn(self) -> pulumi.Output[str]:
        """The ARN of the contact."""
        return pulumi.get(self, "contactArn")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="initiationTimestamp")
    def initiation_timestamp(self) -> pulumi.Output[str]:
        """When the contact was initiated (ISO 8601, UTC)."""
        return pulumi.get(self, "initiationTimestamp")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="disconnectTimestamp")
    def disconnect_timestamp(self) -> pulumi.Output[Optional[str]]:
        """When the contact ended (ISO 8601, UTC); absent while it is active."""
        return pulumi.get(self, "disconnectTimestamp")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="lastUpdateTimestamp")
    def last_update_timestamp(self) -> pulumi.Output[str]:
        """When the contact was last updated (ISO 8601, UTC)."""
        return pulumi.get(self, "lastUpdateTimestamp")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="firstGenerationContactId")
    def first_generation_contact_id(self) -> pulumi.Output[Optional[str]]:
        """The contact of the client token's first generation, when this contact is a later one (created
        after a destroy within Connect's 7-day idempotency window): destroy marks it with the
        generation released, so the next create goes straight past every released generation. Absent
        otherwise.
        """
        return pulumi.get(self, "firstGenerationContactId")  # type: ignore[no-any-return]
    # </generated: contact-outputs>


def _safe_options(args: ContactArgs, opts: pulumi.ResourceOptions) -> tuple[ContactArgs, pulumi.ResourceOptions]:
    """Options under which no operation ends a contact the stack still holds.

    Every replace deletes first: the old contact is ended and marked released before the new one is
    created, so a replacement whose client token does not change (`up --replace`, `replace_on_changes`,
    a replaced parent) steps to the token's next generation and gets a new, live contact. Created
    first, it would get the old contact back from Connect, and deleting "the old one" would end the
    contact the stack keeps. `import_` is taken as `existing_contact_id`: the engine's own import
    never reaches a dynamic provider with its inputs (pulumi/pulumi#16175)."""
    if opts.delete_before_replace is False:
        raise ContactOptionError(
            "Contact: delete_before_replace=False is refused: a replacement created first gets the same contact "
            "back from Connect when its client token does not change, and deleting the old one would end it; "
            "leave delete_before_replace unset (every replace ends the old contact, then creates a new one)")
    opts = copy.copy(opts)
    opts.delete_before_replace = True
    if opts.import_ is not None:
        args = dataclasses.replace(args, existing_contact_id=_imported_contact(args, opts.import_))
        opts.import_ = None
    return args, opts


def _imported_contact(args: ContactArgs, import_id: str) -> str:
    """The contact ID of `import_`'s `<instanceId>:<contactId>`, contact ARN or bare contact ID."""
    from . import connect_api  # the provider's side (botocore), loaded only for an import
    from .aws import ConnectContactError

    try:
        instance_id, contact_id = connect_api.parse_resource_id(import_id, {"instanceId": args.instance_id})
    except ConnectContactError as error:
        raise ContactOptionError(f"Contact: import_: {error}") from None
    if isinstance(args.instance_id, str) and instance_id != args.instance_id:
        raise ContactOptionError(f"Contact: import_ {import_id!r} names instance {instance_id}, but instance_id is "
                                 f"{args.instance_id!r}; declare the contact's own instance")
    if args.existing_contact_id not in (None, contact_id):
        raise ContactOptionError(f"Contact: import_ {import_id!r} and existing_contact_id "
                                 f"{args.existing_contact_id!r} name different contacts; give one of them")
    return contact_id


def _args_and_opts(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Optional[ContactArgs], pulumi.ResourceOptions]:
    """`(args, opts)` from either calling form: a `ContactArgs` (positional or `args=`) or keywords."""
    if len(args) > 2:
        raise TypeError("Contact: too many positional arguments; pass the contact's fields as keywords")
    contact_args, opts = kwargs.pop("args", None), kwargs.pop("opts", None)
    if len(args) == 2:
        contact_args, opts = args
    elif len(args) == 1 and isinstance(args[0], pulumi.ResourceOptions):
        opts = args[0]
    elif len(args) == 1:
        contact_args = args[0]
    if contact_args is not None and not isinstance(contact_args, ContactArgs):
        raise TypeError(f"Contact: args must be a ContactArgs, not {type(contact_args).__name__}")
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"Contact: opts must be a pulumi.ResourceOptions, not {type(opts).__name__}")
    if contact_args is not None and kwargs:
        raise TypeError(f"Contact: pass either a ContactArgs or keywords, not both (got {', '.join(kwargs)})")
    if contact_args is None and kwargs:
        _refuse_unknown_keywords(kwargs)
        contact_args = ContactArgs(**kwargs)
    return contact_args, options.in_state_names(opts) if opts is not None else pulumi.ResourceOptions()


def _refuse_unsupported_options(resource_name: str, opts: pulumi.ResourceOptions) -> None:
    """Resource options a dynamic resource cannot honour stop the program in one line; a
    parent's aws provider, which cannot reach a contact, is named in a warning."""
    if opts.provider is not None or opts.providers:
        raise pulumi.RunError(
            f"Contact {resource_name}: the provider/providers options cannot apply: a contact is managed by its "
            "own dynamic provider, never by another package's (pulumi_aws.Provider included); remove them and set "
            "aws:region, aws:profile or the contact's region= instead")
    timeouts = opts.custom_timeouts
    if timeouts is not None and (timeouts.create or timeouts.update or timeouts.delete):
        raise pulumi.RunError(
            f"Contact {resource_name}: custom_timeouts cannot apply: Pulumi's dynamic-provider host does not pass "
            "timeouts to its provider; remove them (each Connect call is bounded by botocore's retries)")
    if isinstance(opts.deleted_with, Contact):
        raise pulumi.RunError(
            f"Contact {resource_name}: deleted_with cannot name another Contact: ending a contact never ends "
            "another, so this one would be dropped from the state and left live; remove it (deleted_with an "
            "instance the stack deletes, whose contacts go with it, is kept)")
    parent_providers = pulumi_compat.providers_of(opts.parent) if opts.parent is not None else {}
    if "aws" in parent_providers:
        pulumi.log.warn(f"Contact {resource_name}: its parent's aws provider does not apply to contacts; they use "
                        "the stack's aws:region and credentials, or the contact's region=")


def _refuse_unknown_keywords(kwargs: dict[str, Any]) -> None:
    known = [field.name for field in dataclasses.fields(ContactArgs)]
    for key in kwargs:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            fix = f"did you mean {close[0]}?" if close else f"use one of {', '.join(known)}"
            raise TypeError(f"Contact: unknown argument {key!r}; {fix}")


def contact_props(resource_name: str, args: ContactArgs, opts: Optional[pulumi.ResourceOptions]) -> dict[str, Any]:
    """The properties `Contact` registers: each field (None, which is not sent, when not given, so
    that every field is an output), the given arguments in state form, and the token scope."""
    props: dict[str, Any] = {field.state: None for field in schema.FIELDS}
    props.update({field.state: _registered(resource_name, field, getattr(args, field.python))
                  for field in schema.INPUTS if getattr(args, field.python) is not None})
    props[schema.TOKEN_SCOPE] = token_scope(resource_name, opts)
    return props


def token_scope(resource_name: str, opts: Optional[pulumi.ResourceOptions]) -> str:
    """Project, stack, the parent's type (if any) and the resource name: what makes a resource's
    URN unique, so two contacts of a stack never derive the same token."""
    parent = opts.parent if opts is not None else None
    parent_part = f"{parent.pulumi_resource_type}$" if parent is not None else ""
    return f"{pulumi.get_project()}/{pulumi.get_stack()}/{parent_part}{resource_name}"


class ArgumentError(TypeError, pulumi.RunError):
    """A nested argument the program spells wrongly. Pulumi reports a `RunError` as one line, with
    no traceback; other checks of the values are `check`'s, reported by the engine."""


def _registered(resource_name: str, field: schema.Field, value: Any) -> Any:
    """An input as registered: sensitive fields as secrets, so neither state nor a preview shows them."""
    state = to_state(argument_shapes.of_field(field.state), value, f"Contact {resource_name!r}: {field.python}")
    return pulumi.Output.secret(state) if field.state in schema.SECRET_OUTPUTS else state


def _with_secret_outputs(opts: Optional[pulumi.ResourceOptions]) -> pulumi.ResourceOptions:
    secrets = pulumi.ResourceOptions(additional_secret_outputs=list(schema.SECRET_OUTPUTS))
    return pulumi.ResourceOptions.merge(opts, secrets)


def to_state(shape: Optional[ArgumentShape], value: Any, path: str = "") -> Any:
    """A Python argument in state form: members in camelCase, user keys verbatim, enums as strings.
    Values of another type than the shape's are passed on as they are, for `check` to refuse.

    Raises `ArgumentError`, naming the argument's path (`path`, the argument) and the keys allowed,
    for a key the shape does not have."""
    if isinstance(value, pulumi.Output):
        return value.apply(lambda resolved: to_state(shape, resolved, path))
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {item.name: getattr(value, item.name) for item in dataclasses.fields(value)}
    if shape is None:  # a field that is no API member (a plain string)
        return value
    if shape.type_name == "structure" and isinstance(value, Mapping):
        return _structure_to_state(shape, value, path)
    if shape.type_name == "map" and isinstance(value, Mapping):
        return {key: to_state(shape.value, item, f"{path}.{key}") for key, item in value.items() if item is not None}
    if shape.type_name == "list" and isinstance(value, (list, tuple)):
        return [to_state(shape.member, item, f"{path}.{index}") for index, item in enumerate(value)]
    return value


def _structure_to_state(shape: ArgumentShape, value: Mapping[str, Any], path: str) -> dict[str, Any]:
    python_names, members = shape.python_names, shape.members
    member_by_key = {}
    for member, python in python_names.items():
        member_by_key[python] = member_by_key[model.lower_camel(member)] = member
    unknown = [key for key in value if key not in member_by_key]
    if unknown:
        raise ArgumentError(f"{path or shape.name}: unknown key {unknown[0]!r}; use {', '.join(python_names.values())}")
    return {model.lower_camel(member_by_key[key]): to_state(members[member_by_key[key]], item,
                                                            f"{path}.{python_names[member_by_key[key]]}")
            for key, item in value.items() if item is not None}
