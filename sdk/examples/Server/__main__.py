import pulumi
import pulumi_postmark as postmark

billing = postmark.Server("billing",
    name="Billing (prod)",
    color=postmark.ServerColor.RED,
    delivery_type=postmark.ServerDeliveryType.LIVE,
    track_opens=True)
pulumi.export("billingTokens", billing.api_tokens)
