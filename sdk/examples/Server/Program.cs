using System.Collections.Generic;
using System.Linq;
using Pulumi;
using Postmark = PulumiPostmark.Postmark;

return await Deployment.RunAsync(() => 
{
    var billing = new Postmark.Server("billing", new()
    {
        Name = "Billing (prod)",
        Color = Postmark.ServerColor.Red,
        DeliveryType = Postmark.ServerDeliveryType.Live,
        TrackOpens = true,
    });

    return new Dictionary<string, object?>
    {
        ["billingTokens"] = billing.ApiTokens,
    };
});

