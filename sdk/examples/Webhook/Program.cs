using System.Collections.Generic;
using System.Linq;
using Pulumi;
using Postmark = PulumiPostmark.Postmark;

return await Deployment.RunAsync(() => 
{
    var billing = new Postmark.Server("billing", new()
    {
        Name = "Billing (prod)",
    });

    var bounces = new Postmark.Webhook("bounces", new()
    {
        ServerId = billing.ServerId,
        Url = "https://hooks.example.com/postmark",
        Triggers = new Postmark.Inputs.WebhookTriggersArgs
        {
            Bounce = new Postmark.Inputs.WebhookTriggersBounceArgs
            {
                Enabled = true,
            },
            Open = new Postmark.Inputs.WebhookTriggersOpenArgs
            {
                Enabled = true,
                PostFirstOpenOnly = true,
            },
        },
    });

});

