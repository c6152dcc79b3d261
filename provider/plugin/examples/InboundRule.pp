resource billing "postmark:index:Server" {
  name = "Billing (prod)"
}

resource noSpammer "postmark:index:InboundRule" {
  serverId = billing.serverId
  rule     = "spammer.example.com"
}
