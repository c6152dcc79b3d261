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
		_, err = postmark.NewInboundRule(ctx, "noSpammer", &postmark.InboundRuleArgs{
			ServerId: billing.ServerId,
			Rule:     pulumi.String("spammer.example.com"),
		})
		if err != nil {
			return err
		}
		return nil
	})
}
