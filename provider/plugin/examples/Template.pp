resource billing "postmark:index:Server" {
  name = "Billing (prod)"
}

resource base "postmark:index:Template" {
  serverId     = billing.serverId
  name         = "Base"
  alias        = "base"
  templateType = "Layout"
  htmlBody     = readFile("templates/base.html")
}

resource welcome "postmark:index:Template" {
  serverId       = billing.serverId
  name           = "Welcome"
  alias          = "welcome"
  subject        = "Welcome, {{name}}"
  htmlBody       = readFile("templates/welcome.html")
  layoutTemplate = base.alias
}
