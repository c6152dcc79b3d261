package main

import (
	"github.com/pulumi-postmark/pulumi-postmark/sdk/go/postmark"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		billing, err := postmark.NewServer(ctx, "billing", &postmark.ServerArgs{
			Name:         pulumi.String("Billing (prod)"),
			Color:        postmark.ServerColorRed,
			DeliveryType: postmark.ServerDeliveryTypeLive,
			TrackOpens:   pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		ctx.Export("billingTokens", billing.ApiTokens)
		return nil
	})
}
