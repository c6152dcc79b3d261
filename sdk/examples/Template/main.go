package main

import (
	"os"

	"github.com/pulumi-postmark/pulumi-postmark/sdk/go/postmark"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func readFileOrPanic(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err.Error())
	}
	return string(data)
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		billing, err := postmark.NewServer(ctx, "billing", &postmark.ServerArgs{
			Name: pulumi.String("Billing (prod)"),
		})
		if err != nil {
			return err
		}
		base, err := postmark.NewTemplate(ctx, "base", &postmark.TemplateArgs{
			ServerId:     billing.ServerId,
			Name:         pulumi.String("Base"),
			Alias:        pulumi.String("base"),
			TemplateType: postmark.TemplateTypeLayout,
			HtmlBody:     pulumi.String(readFileOrPanic("templates/base.html")),
		})
		if err != nil {
			return err
		}
		_, err = postmark.NewTemplate(ctx, "welcome", &postmark.TemplateArgs{
			ServerId:       billing.ServerId,
			Name:           pulumi.String("Welcome"),
			Alias:          pulumi.String("welcome"),
			Subject:        pulumi.String("Welcome, {{name}}"),
			HtmlBody:       pulumi.String(readFileOrPanic("templates/welcome.html")),
			LayoutTemplate: base.Alias,
		})
		if err != nil {
			return err
		}
		return nil
	})
}
