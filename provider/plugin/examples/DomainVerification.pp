resource example "postmark:index:Domain" {
  name             = "example.com"
  returnPathDomain = "pm-bounces.example.com"
}

resource exampleVerification "postmark:index:DomainVerification" {
  domainId    = example.domainId
  waitTimeout = 300
}
