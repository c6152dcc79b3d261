import pulumi
import pulumi_postmark as postmark

billing = postmark.Server("billing", name="Billing (prod)")
bounces = postmark.Webhook("bounces",
    server_id=billing.server_id,
    url="https://hooks.example.com/postmark",
    triggers={
        "bounce": {
            "enabled": True,
        },
        "open": {
            "enabled": True,
            "post_first_open_only": True,
        },
    })
