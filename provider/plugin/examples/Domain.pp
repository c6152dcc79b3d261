resource example "postmark:index:Domain" {
  name             = "example.com"
  returnPathDomain = "pm-bounces.example.com"
}

output dkimHost {
  value = example.dkimHost
}

output dkimTextValue {
  value = example.dkimTextValue
}
