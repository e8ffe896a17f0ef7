"""An example stack: a TASK contact with references and attributes, and an EMAIL contact.

With `connect-contact:endpoint: local` (the `dev` stack's config) it runs against the
project's local Connect service (started on demand, data in .connect-local/), on that
service's instance. Against AWS, set `aws:region`, `agentUserId` (a user of the
instance, for the EMAIL contact) and `instanceId`, or `createInstance: true` with
`instanceAlias` to make a new instance with pulumi-aws (the package's [aws] extra, imported only
then) and put the contacts in it.
"""

import os

import botocore.exceptions
import pulumi

from connect_contact import Contact, ContactReferenceArgs, SegmentAttributeValueArgs, UserInfoArgs
from connect_contact import aws, endpoints, local

config = pulumi.Config()


def stack_config(key: str):
    namespace, name = key.split(":", 1)
    return pulumi.Config(namespace).get(name)


def connect_instance_id() -> pulumi.Input[str]:
    """`instanceId` from config; else a new instance (`createInstance: true`, with `instanceAlias`,
    which must be unique across AWS); else, on the local Connect service, its instance."""
    if config.get("instanceId"):
        return config.get("instanceId")
    if config.get_bool("createInstance"):
        try:
            import pulumi_aws
        except ImportError:
            raise pulumi.RunError("createInstance: true makes the instance with pulumi-aws, which is not installed: "
                                  "`.venv/bin/python -m pip install -e '.[aws]'`, then `pulumi plugin install "
                                  "resource aws <its version>` (see the README)") from None

        instance = pulumi_aws.connect.Instance(
            "contact-centre",
            identity_management_type="CONNECT_MANAGED",
            inbound_calls_enabled=True,
            outbound_calls_enabled=True,
            instance_alias=config.require("instanceAlias"),
        )
        return instance.id
    try:
        settings = aws.ClientSettings.from_config(stack_config)
        endpoint = endpoints.resolve(settings.endpoint, settings.endpoint_source, os.environ)
        if endpoint.is_local:
            return local.ensure_running().instance_id
        if not endpoint.is_aws and endpoints.is_loopback(endpoint.url):
            # A service on this machine (another local Connect service): its first instance, asked
            # with the clients the provider will use.
            listed = aws.connect(settings).clients("ListInstances").list_instances()["InstanceSummaryList"]
            if listed:
                return listed[0]["Id"]
    except (aws.ConnectContactError, endpoints.EndpointError) as error:  # one line, as the provider's own errors are
        raise pulumi.RunError(str(error)) from None
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        raise pulumi.RunError(f"ListInstances at {endpoint.url} failed: {' '.join(str(error).split())}") from None
    raise pulumi.RunError("set the Connect instance: `pulumi config set instanceId <id>`, or createInstance: true "
                          "with instanceAlias (or, for the local Connect service, `pulumi config set "
                          f"{aws.CONFIG_ENDPOINT} local`)")


instance_id = connect_instance_id()

escalation = Contact(
    "escalation",
    instance_id=instance_id,
    channel="TASK",
    initiation_method="API",
    name="Escalate order 1042",
    description="The customer asked twice for a refund; call back before Friday.",
    references={
        "order": ContactReferenceArgs(type="URL", value="https://orders.example.com/1042"),
        "due": ContactReferenceArgs(type="DATE", value="1767225600"),
    },
    attributes={"priority": "high", "team": "billing"},
    segment_attributes={
        "connect:ContactExpiry": SegmentAttributeValueArgs(
            value_map={"ExpiryDuration": SegmentAttributeValueArgs(value_integer=1440)}),
    },
)

follow_up = Contact(
    "follow-up-email",
    instance_id=instance_id,
    channel="EMAIL",
    initiation_method="OUTBOUND",
    user_info=UserInfoArgs(user_id=config.get("agentUserId") or "agent-1"),
    name="Refund confirmation",
    attributes={"order": "1042"},
    related_contact_id=escalation.contact_id,
)

pulumi.export("escalationContactId", escalation.contact_id)
pulumi.export("escalationContactArn", escalation.contact_arn)
pulumi.export("followUpContactId", follow_up.contact_id)
pulumi.export("followUpContactArn", follow_up.contact_arn)
