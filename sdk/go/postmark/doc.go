// Postmark servers, message streams, webhooks, templates, inbound rules, domains and sender signatures as code.
package postmark
