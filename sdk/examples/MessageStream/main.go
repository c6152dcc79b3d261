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
		_, err = postmark.NewMessageStream(ctx, "newsletters", &postmark.MessageStreamArgs{
			ServerId:          billing.ServerId,
			StreamId:          pulumi.String("newsletters"),
			Name:              pulumi.String("Newsletters"),
			MessageStreamType: postmark.MessageStreamTypeBroadcasts,
		})
		if err != nil {
			return err
		}
		return nil
	})
}
