"""A task contact declared with the generated Python SDK: tests/test_plugin_sdks.py type-checks it
with mypy and runs it through the Automation API against the plugin."""

import pulumi
import pulumi_connect_contact as connect

config = pulumi.Config()

contact = connect.Contact(
    "task",
    instance_id=config.require("instanceId"),
    channel=connect.Channel.TASK,
    initiation_method=connect.InitiationMethod.API,
    name="Call back about order 1234",
    attributes={"orderId": "1234"},
    references={"order": connect.ContactReferenceArgs(type=connect.ReferenceType.URL,
                                                      value="https://example.com/orders/1234")},
)

pulumi.export("contactId", contact.contact_id)
