resource billing "postmark:index:Server" {
  name = "Billing (prod)"
}

resource newsletters "postmark:index:MessageStream" {
  serverId          = billing.serverId
  streamId          = "newsletters"
  name              = "Newsletters"
  messageStreamType = "Broadcasts"
}
