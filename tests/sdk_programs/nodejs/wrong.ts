// Must not type-check: `initiationMethod` misspelt.
import * as connect from "@connect-contact/pulumi";

const contact = new connect.Contact("task", {
    instanceId: "instance",
    channel: connect.Channel.TASK,
    initiationMethd: connect.InitiationMethod.API,
});

export const contactId = contact.contactId;
