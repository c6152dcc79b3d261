import pulumi
import pulumi_postmark as postmark

billing = postmark.Server("billing", name="Billing (prod)")
newsletters = postmark.MessageStream("newsletters",
    server_id=billing.server_id,
    stream_id="newsletters",
    name="Newsletters",
    message_stream_type=postmark.MessageStreamType.BROADCASTS)
