/**
 * A Postmark account built by hand through the emulator's admin API (never by this package), as a team has one before
 * adopting pulumi-postmark: two servers, each with a custom Broadcasts stream, two webhooks (one with basic auth and
 * a header), a layout and three templates using it, two inbound rules; two domains (one with a custom Return-Path);
 * two sender signatures. The scan tests read it.
 */
import { EmulatorAdmin, StoredServer } from "./emulatorAdmin";

export interface HandMadeServer {
  server: StoredServer;
  /** The secrets of its webhook with basic auth and a header: never in plaintext in a file the scan writes. */
  secrets: { password: string; headerValue: string };
}

export interface HandMadeAccount {
  billing: HandMadeServer;
  marketing: HandMadeServer;
}

const layoutHtml = "<html><body><h1>ACME</h1>\n{{{@content}}}\n<footer>ACME Inc.</footer></body></html>\n";

async function serverByHand(admin: EmulatorAdmin, fields: Record<string, unknown>, secretSeed: string): Promise<HandMadeServer> {
  const server = await admin.createByHand(fields);
  const secrets = { password: `hand-made-password-${secretSeed}`, headerValue: `hand-made-header-${secretSeed}` };
  await admin.createStreamByHand(server.ID, { ID: "newsletters", Name: "Newsletters", MessageStreamType: "Broadcasts", Description: "Monthly news" });
  await admin.createWebhookByHand(server.ID, {
    Url: "https://hooks.example.com/postmark/engagement",
    MessageStream: "newsletters",
    HttpAuth: { Username: "postmark", Password: secrets.password },
    HttpHeaders: [{ Name: "X-Api-Key", Value: secrets.headerValue }],
    Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Click: { Enabled: true } },
  });
  await admin.createWebhookByHand(server.ID, {
    Url: "https://hooks.example.com/postmark/bounces",
    MessageStream: "outbound",
    Triggers: { Bounce: { Enabled: true, IncludeContent: true }, Delivery: { Enabled: true } },
  });
  await admin.createTemplateByHand(server.ID, { Name: "Base", Alias: "base", TemplateType: "Layout", HtmlBody: layoutHtml, TextBody: "ACME\n\n{{{@content}}}" });
  await admin.createTemplateByHand(server.ID, { Name: "Welcome", Alias: "welcome", Subject: "Welcome, {{name}}", HtmlBody: "<p>Hello {{name}}</p>", TextBody: "Hello {{name}}", LayoutTemplate: "base" });
  await admin.createTemplateByHand(server.ID, { Name: "Receipt", Alias: "receipt", Subject: "Your receipt {{number}}", HtmlBody: "<p>Total: {{total}}</p>", LayoutTemplate: "base" });
  await admin.createTemplateByHand(server.ID, { Name: "Password reset", Subject: "Reset your password", TextBody: "Follow {{link}}\n", LayoutTemplate: "base" });
  await admin.createInboundRuleByHand(server.ID, "spammer@example.com");
  await admin.createInboundRuleByHand(server.ID, "junk.example.com");
  return { server, secrets };
}

export async function buildHandMadeAccount(admin: EmulatorAdmin): Promise<HandMadeAccount> {
  const billing = await serverByHand(admin, { Name: "Billing (prod)", Color: "Red", TrackOpens: true, InboundHookUrl: "https://hooks.example.com/inbound" }, "billing");
  const marketing = await serverByHand(admin, { Name: "Marketing (prod)", Color: "Blue", TrackLinks: "HtmlAndText", DeliveryType: "Sandbox" }, "marketing");
  await admin.createDomainByHand({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
  await admin.createDomainByHand({ Name: "example.org" });
  await admin.createSenderByHand({ EmailAddress: "billing@example.com", Name: "ACME Billing", ReplyToEmail: "help@example.com" });
  await admin.createSenderByHand({ EmailAddress: "news@example.org", Name: "ACME News", Confirmed: true });
  return { billing, marketing };
}
