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

    var noSpammer = new Postmark.InboundRule("noSpammer", new()
    {
        ServerId = billing.ServerId,
        Rule = "spammer.example.com",
    });

});

