resource billing "postmark:index:Server" {
  name         = "Billing (prod)"
  color        = "Red"
  deliveryType = "Live"
  trackOpens   = true
}

output billingTokens {
  value = billing.apiTokens
}
