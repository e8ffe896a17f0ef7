// A task contact declared with the generated Node.js SDK; tests/test_plugin_sdks.py type-checks it.
import * as pulumi from "@pulumi/pulumi";
import * as connect from "@connect-contact/pulumi";

const config = new pulumi.Config();

const contact = new connect.Contact("task", {
    instanceId: config.require("instanceId"),
    channel: connect.Channel.TASK,
    initiationMethod: connect.InitiationMethod.API,
    name: "Call back about order 1234",
    attributes: { orderId: "1234" },
    references: {
        order: { type: connect.ReferenceType.URL, value: "https://example.com/orders/1234" },
    },
});

export const contactId: pulumi.Output<string> = contact.contactId;
