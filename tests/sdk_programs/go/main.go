// A task contact declared with the generated Go SDK; tests/test_plugin_sdks.py builds and vets it.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"connect-contact.example/sdk/go/connectcontact"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		contact, err := connectcontact.NewContact(ctx, "task", &connectcontact.ContactArgs{
			InstanceId:       pulumi.String(cfg.Require("instanceId")),
			Channel:          connectcontact.ChannelTASK,
			InitiationMethod: connectcontact.InitiationMethodAPI,
			Name:             pulumi.String("Call back about order 1234"),
			Attributes:       pulumi.StringMap{"orderId": pulumi.String("1234")},
			References: connectcontact.ContactReferenceMap{
				"order": connectcontact.ContactReferenceArgs{
					Type:  connectcontact.ReferenceTypeURL,
					Value: pulumi.String("https://example.com/orders/1234"),
				},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("contactId", contact.ContactId)
		return nil
	})
}
