/**
 * A small but whole Postmark environment: what `npm run demo` deploys against the emulator. One of each kind:
 * a server with a Broadcasts stream and a webhook with secret auth, a layout and a template using it, an inbound
 * rule, a sending domain with its DNS verification, and a sender signature.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  PostmarkDomain,
  PostmarkDomainVerification,
  PostmarkInboundRule,
  PostmarkMessageStream,
  PostmarkSenderSignature,
  PostmarkServer,
  PostmarkTemplate,
  PostmarkWebhook,
} from "pulumi-postmark";

const config = new pulumi.Config();

const server = new PostmarkServer("app", { name: "App (demo)", color: "Purple", deliveryType: "Sandbox", trackOpens: true });
// Everything inside the server takes only its serverId: the provider finds the server's token with the account token.
const serverId = server.serverId;

const newsletters = new PostmarkMessageStream("newsletters", {
  serverId,
  streamId: "newsletters",
  name: "Newsletters",
  messageStreamType: "Broadcasts",
});

// The password comes from secret config (`pulumi config set --secret hookPassword ...`): encrypted in state, [secret] in output.
const engagement = new PostmarkWebhook("engagement", {
  serverId,
  messageStream: newsletters.streamId,
  url: "https://hooks.example.com/postmark/engagement",
  httpAuth: { username: "postmark", password: config.requireSecret("hookPassword") },
  triggers: { open: { enabled: true }, click: { enabled: true } },
});

/** Template bodies live in the repo as files: a pull request shows the change, `pulumi preview` names the field. */
const file = (name: string) => fs.readFileSync(path.join(__dirname, "templates", name), "utf8");

const layout = new PostmarkTemplate("base", { serverId, name: "Base layout", alias: "base", templateType: "Layout", htmlBody: file("base.html") });
const welcome = new PostmarkTemplate("welcome", {
  serverId,
  name: "Welcome",
  alias: "welcome",
  subject: "Welcome to ACME, {{name}}",
  htmlBody: file("welcome.html"),
  layoutTemplate: layout.alias, // the layout is created first and deleted last
});

new PostmarkInboundRule("blocked", { serverId, rule: "spam.example.com" });

// The domain's outputs are the DNS records to publish. In your program they feed your DNS provider's records, which the
// verification depends on (examples/sending-domain); here the demo publishes them in the emulator's DNS while `up` runs,
// and the verification waits for them.
const domain = new PostmarkDomain("example-com", { name: "example.com", returnPathDomain: "pm-bounces.example.com" });
const verification = new PostmarkDomainVerification("example-com", { domainId: domain.domainId, waitTimeout: 60 });

// Postmark emails hello@example.com a confirmation link; `confirmed` shows the click after a refresh.
const sender = new PostmarkSenderSignature("hello", { fromEmail: "hello@example.com", name: "ACME" }, { dependsOn: [domain] });

export const serverLink = server.serverLink;
export const apiTokens = server.apiTokens; // secret
export const webhookAuth = engagement.httpAuth; // secret
export const welcomeTemplateId = welcome.templateId;
// The records to publish, as a zone file writes them.
export const dkimRecord = pulumi.interpolate`${domain.dkimHost} TXT "${domain.dkimTextValue}"`;
export const returnPathRecord = pulumi.interpolate`${domain.returnPathDomain} CNAME ${domain.returnPathCnameValue}`;
export const domainVerified = { dkim: verification.dkimVerified, returnPath: verification.returnPathVerified };
export const senderConfirmed = sender.confirmed;
