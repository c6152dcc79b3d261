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

    return new Dictionary<string, object?>
    {
        ["dkimHost"] = example.DkimHost,
        ["dkimTextValue"] = example.DkimTextValue,
    };
});

