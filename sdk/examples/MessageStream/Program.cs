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

    var newsletters = new Postmark.MessageStream("newsletters", new()
    {
        ServerId = billing.ServerId,
        StreamId = "newsletters",
        Name = "Newsletters",
        MessageStreamType = Postmark.MessageStreamType.Broadcasts,
    });

});

