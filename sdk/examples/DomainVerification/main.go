package main

import (
	"github.com/pulumi-postmark/pulumi-postmark/sdk/go/postmark"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		example, err := postmark.NewDomain(ctx, "example", &postmark.DomainArgs{
			Name:             pulumi.String("example.com"),
			ReturnPathDomain: pulumi.String("pm-bounces.example.com"),
		})
		if err != nil {
			return err
		}
		_, err = postmark.NewDomainVerification(ctx, "exampleVerification", &postmark.DomainVerificationArgs{
			DomainId:    example.DomainId,
			WaitTimeout: pulumi.Int(300),
		})
		if err != nil {
			return err
		}
		return nil
	})
}
