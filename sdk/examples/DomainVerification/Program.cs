using System.Collections.Generic;
using System.Linq;
using Pulumi;
using Postmark = PulumiPostmark.Postmark;

return await Deployment.RunAsync(() => 
{
    var example = new Postmark.Domain("example", new()
    {
        Name = "example.com",
        ReturnPathDomain = "pm-bounces.example.com",
    });

    var exampleVerification = new Postmark.DomainVerification("exampleVerification", new()
    {
        DomainId = example.DomainId,
        WaitTimeout = 300,
    });

});

