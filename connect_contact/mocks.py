"""`ContactMocks`: Pulumi's unit-test mocks, with each `Contact` checked as the provider checks it.

Under `pulumi.runtime.set_mocks` the engine and the provider never run, so without this a
contact with `channel="FAX"` would be accepted. `ContactMocks` runs each `Contact`'s inputs
through `ContactProvider.check` (in process, no network, no AWS) and fails the registration with
its failures; a contact that passes gets the outputs a created contact has (ID, ARN, timestamps,
the derived client token). Other resources go to the mocks given as `others` (by default their
inputs come back as their outputs, with the ID `<name>-id`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Optional

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

from . import arns, connect_api, pulumi_compat, schema
from .provider import ContactProvider
from .resource import Contact

CONTACT_TYPE = pulumi_compat.dynamic_type(Contact)
ACCOUNT = "123456789012"


class ContactCheckError(ValueError):
    """A `Contact`'s inputs failed the provider's check: each failure names the property and why."""

    def __init__(self, resource_name: str, failures: list[tuple[str, str]]):
        self.resource_name = resource_name
        self.failures = failures
        details = "; ".join(f"{prop}: {reason}" for prop, reason in failures)
        super().__init__(f"Contact {resource_name!r} is invalid: {details}")


class ContactMocks(Mocks):
    """`pulumi.runtime.Mocks` for unit tests of programs that declare `Contact`s.

    :param region: The region in the contacts' ARNs.
    :param account: The account in the contacts' ARNs.
    :param others: Mocks for every other resource type and for calls (default: inputs as outputs).
    """

    def __init__(self, *, region: str = "us-east-1", account: str = ACCOUNT, others: Optional[Mocks] = None):
        self.region = region
        self.account = account
        self.others = others
        self._provider = ContactProvider()

    def new_resource(self, args: MockResourceArgs) -> tuple[Optional[str], dict[str, Any]]:
        if args.typ != CONTACT_TYPE:
            if self.others is not None:
                return self.others.new_resource(args)
            return f"{args.name}-id", dict(args.inputs)
        if args.resource_id:  # Contact.get: the contact the ID names, as a read shows it
            instance_id, contact_id = connect_api.parse_resource_id(args.resource_id, {})
            return args.resource_id, self._computed(instance_id, contact_id)
        inputs = {key: pulumi_compat.revealed(value) for key, value in args.inputs.items()
                  if key != pulumi_compat.PROVIDER_KEY}
        result = self._provider.check({}, inputs)
        if result.failures:
            raise ContactCheckError(args.name, [(failure.property, failure.reason) for failure in result.failures])
        checked = dict(result.inputs or {})
        instance_id = checked["instanceId"]
        contact_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{instance_id}/{checked['clientToken']}"))
        outputs = {**checked, **self._computed(instance_id, contact_id)}
        return connect_api.resource_id(instance_id, contact_id), outputs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], Optional[list[tuple[str, str]]]]:
        if self.others is not None:
            return self.others.call(args)
        return {}, None

    def _computed(self, instance_id: str, contact_id: str) -> dict[str, Any]:
        """The outputs Connect computes for a new contact, read from it as DescribeContact shows it."""
        now = datetime.now(timezone.utc)
        arn = arns.contact_arn(arns.instance_arn(self.region, self.account, instance_id), contact_id)
        described = {"Id": contact_id, "Arn": arn, "InitiationTimestamp": now, "LastUpdateTimestamp": now}
        return {field.state: schema.read_back(field, described[field.described_as])
                for field in schema.COMPUTED if field.described_as in described}


__all__ = ["ContactCheckError", "ContactMocks"]
