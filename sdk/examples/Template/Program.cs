using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pulumi;
using Postmark = PulumiPostmark.Postmark;

return await Deployment.RunAsync(() => 
{
    var billing = new Postmark.Server("billing", new()
    {
        Name = "Billing (prod)",
    });

    var @base = new Postmark.Template("base", new()
    {
        ServerId = billing.ServerId,
        Name = "Base",
        Alias = "base",
        TemplateType = Postmark.TemplateType.Layout,
        HtmlBody = File.ReadAllText("templates/base.html"),
    });

    var welcome = new Postmark.Template("welcome", new()
    {
        ServerId = billing.ServerId,
        Name = "Welcome",
        Alias = "welcome",
        Subject = "Welcome, {{name}}",
        HtmlBody = File.ReadAllText("templates/welcome.html"),
        LayoutTemplate = @base.Alias,
    });

});

