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
		ctx.Export("dkimHost", example.DkimHost)
		ctx.Export("dkimTextValue", example.DkimTextValue)
		return nil
	})
}
