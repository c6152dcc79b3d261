package main

import (
	"github.com/pulumi-postmark/pulumi-postmark/sdk/go/postmark"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := postmark.NewSenderSignature(ctx, "billing", &postmark.SenderSignatureArgs{
			FromEmail: pulumi.String("billing@example.com"),
			Name:      pulumi.String("Example Billing"),
		})
		if err != nil {
			return err
		}
		return nil
	})
}
