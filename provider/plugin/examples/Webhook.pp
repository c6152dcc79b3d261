resource billing "postmark:index:Server" {
  name = "Billing (prod)"
}

resource bounces "postmark:index:Webhook" {
  serverId = billing.serverId
  url      = "https://hooks.example.com/postmark"
  triggers = {
    bounce = { enabled = true }
    open   = { enabled = true, postFirstOpenOnly = true }
  }
}
