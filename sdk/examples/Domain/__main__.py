import pulumi
import pulumi_postmark as postmark

example = postmark.Domain("example",
    name="example.com",
    return_path_domain="pm-bounces.example.com")
pulumi.export("dkimHost", example.dkim_host)
pulumi.export("dkimTextValue", example.dkim_text_value)
