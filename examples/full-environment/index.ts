import * as pulumi from "@pulumi/pulumi";
import { PostmarkMessageStream, PostmarkServer, PostmarkWebhook } from "pulumi-postmark";

const config = new pulumi.Config();
const env = pulumi.getStack();

const server = new PostmarkServer("app", {
  name: `App (${env})`,
  color: "Purple",
  deliveryType: env === "prod" ? "Live" : "Sandbox",
  trackOpens: true,
});

// The default transactional stream exists with every server: declaring it manages its name, no create.
new PostmarkMessageStream("transactional", {
  serverId: server.serverId,
  streamId: "outbound",
  name: "Transactional",
  description: "Receipts, password resets and other mail a user asked for",
});

// Newsletters go through their own broadcast stream (destroy archives it; Postmark purges it 45 days later).
const newsletters = new PostmarkMessageStream("newsletters", {
  serverId: server.serverId,
  streamId: "newsletters",
  name: "Newsletters",
  messageStreamType: "Broadcasts",
  unsubscribeHandlingType: "Postmark",
});

// Engagement of the newsletters: opens, clicks and unsubscribes. `messageStream` takes the stream's output,
// so the engine creates the stream first and deletes it last.
new PostmarkWebhook("newsletter-engagement", {
  serverId: server.serverId,
  messageStream: newsletters.streamId,
  url: "https://hooks.example.com/postmark/engagement",
  triggers: {
    open: { enabled: true, postFirstOpenOnly: true },
    click: { enabled: true },
    subscriptionChange: { enabled: true },
  },
});

// Bounces and deliveries of transactional mail, with basic auth from secret config
// (`pulumi config set --secret hookPassword ...`): stored encrypted in state.
new PostmarkWebhook("transactional-delivery", {
  serverId: server.serverId,
  url: "https://hooks.example.com/postmark/delivery",
  httpAuth: { username: "postmark", password: config.requireSecret("hookPassword") },
  httpHeaders: [{ name: "X-Environment", value: env }],
  triggers: {
    bounce: { enabled: true, includeContent: true },
    spamComplaint: { enabled: true },
    delivery: { enabled: true },
  },
});

export const serverId = server.serverId;
export const apiTokens = server.apiTokens; // secret
