import pulumi
import pulumi_postmark as postmark

billing = postmark.Server("billing", name="Billing (prod)")
base = postmark.Template("base",
    server_id=billing.server_id,
    name="Base",
    alias="base",
    template_type=postmark.TemplateType.LAYOUT,
    html_body=(lambda path: open(path).read())("templates/base.html"))
welcome = postmark.Template("welcome",
    server_id=billing.server_id,
    name="Welcome",
    alias="welcome",
    subject="Welcome, {{name}}",
    html_body=(lambda path: open(path).read())("templates/welcome.html"),
    layout_template=base.alias)
