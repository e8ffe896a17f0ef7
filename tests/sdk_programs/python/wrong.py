"""Must not type-check: `initiation_method` misspelt."""

import pulumi
import pulumi_connect_contact as connect

contact = connect.Contact(
    "task",
    instance_id="instance",
    channel=connect.Channel.TASK,
    initiation_methd=connect.InitiationMethod.API,
)

pulumi.export("contactId", contact.contact_id)
