using System.Collections.Generic;
using System.Linq;
using Pulumi;
using Postmark = PulumiPostmark.Postmark;

return await Deployment.RunAsync(() => 
{
    var billing = new Postmark.SenderSignature("billing", new()
    {
        FromEmail = "billing@example.com",
        Name = "Example Billing",
    });

});

