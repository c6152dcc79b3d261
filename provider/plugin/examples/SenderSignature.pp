resource billing "postmark:index:SenderSignature" {
  fromEmail = "billing@example.com"
  name      = "Example Billing"
}
