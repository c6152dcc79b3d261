import pulumi
import pulumi_postmark as postmark

billing = postmark.Server("billing", name="Billing (prod)")
no_spammer = postmark.InboundRule("noSpammer",
    server_id=billing.server_id,
    rule="spammer.example.com")
