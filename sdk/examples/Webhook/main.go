package main

import (
	"github.com/pulumi-postmark/pulumi-postmark/sdk/go/postmark"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		billing, err := postmark.NewServer(ctx, "billing", &postmark.ServerArgs{
			Name: pulumi.String("Billing (prod)"),
		})
		if err != nil {
			return err
		}
		_, err = postmark.NewWebhook(ctx, "bounces", &postmark.WebhookArgs{
			ServerId: billing.ServerId,
			Url:      pulumi.String("https://hooks.example.com/postmark"),
			Triggers: &postmark.WebhookTriggersArgs{
				Bounce: &postmark.WebhookTriggersBounceArgs{
					Enabled: pulumi.Bool(true),
				},
				Open: &postmark.WebhookTriggersOpenArgs{
					Enabled:           pulumi.Bool(true),
					PostFirstOpenOnly: pulumi.Bool(true),
				},
			},
		})
		if err != nil {
			return err
		}
		return nil
	})
}
