import pulumi
import pulumi_postmark as postmark

billing = postmark.SenderSignature("billing",
    from_email="billing@example.com",
    name="Example Billing")
