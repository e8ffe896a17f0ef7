// Must not build: `InitiationMethod` misspelt.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"connect-contact.example/sdk/go/connectcontact"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		contact, err := connectcontact.NewContact(ctx, "task", &connectcontact.ContactArgs{
			InstanceId:      pulumi.String("instance"),
			Channel:         connectcontact.ChannelTASK,
			InitiationMethd: connectcontact.InitiationMethodAPI,
		})
		if err != nil {
			return err
		}
		ctx.Export("contactId", contact.ContactId)
		return nil
	})
}
