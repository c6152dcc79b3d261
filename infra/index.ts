/**
 * This environment's Postmark setup. Each stack (dev, staging, prod) declares it in its own
 * Pulumi.<stack>.yaml, keyed by stable resource names:
 *
 *   postmark-servers:servers:
 *     billing: { name: "Billing (dev)", color: Red, deliveryType: Sandbox, trackOpens: true }
 *   postmark-servers:streams:          # per server: its message streams
 *     billing:
 *       newsletters: { streamId: newsletters, name: Newsletters, messageStreamType: Broadcasts }
 *   postmark-servers:webhooks:         # per server: its webhooks; a messageStream naming a declared stream waits for it
 *     billing:
 *       bounces: { url: "https://hooks.example.com/bounce", triggers: { bounce: { enabled: true } } }
 */
import * as pulumi from "@pulumi/pulumi";
import {
  PostmarkMessageStream,
  PostmarkMessageStreamArgs,
  PostmarkServer,
  PostmarkServerArgs,
  PostmarkWebhook,
  PostmarkWebhookArgs,
} from "pulumi-postmark";

const config = new pulumi.Config();

/** A config key holding a map of resource name to definition (or, with `perServer`, such a map per server). */
function mapOf<T>(key: string, value: unknown, what: string): Record<string, T> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`postmark-servers:${key} must be a map of resource name to ${what}, not ${JSON.stringify(value)}`);
  }
  return value as Record<string, T>;
}

const serverDefinitions = mapOf<PostmarkServerArgs>("servers", config.requireObject("servers"), "server definition");
const streamDefinitions = mapOf<Record<string, Omit<PostmarkMessageStreamArgs, "serverId">>>("streams", config.getObject("streams") ?? {}, "a server's streams");
const webhookDefinitions = mapOf<Record<string, Omit<PostmarkWebhookArgs, "serverId">>>("webhooks", config.getObject("webhooks") ?? {}, "a server's webhooks");

for (const key of [...Object.keys(streamDefinitions), ...Object.keys(webhookDefinitions)]) {
  if (!(key in serverDefinitions)) throw new Error(`postmark-servers: streams and webhooks of "${key}", which is not a declared server`);
}

const servers = Object.entries(serverDefinitions).map(([key, args]) => {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new Error(`postmark-servers:servers.${key} must be an object of PostmarkServer inputs, not ${JSON.stringify(args)}`);
  }
  const server = new PostmarkServer(key, args);
  const streams = Object.entries(streamDefinitions[key] ?? {}).map(
    ([name, stream]) => new PostmarkMessageStream(`${key}-${name}`, { ...stream, serverId: server.serverId }),
  );
  for (const [name, webhook] of Object.entries(webhookDefinitions[key] ?? {})) {
    // A webhook on a declared stream takes the stream's output, so the engine makes the stream first.
    const stream = streams.find((s, i) => Object.values(streamDefinitions[key])[i].streamId === webhook.messageStream);
    new PostmarkWebhook(`${key}-${name}`, { ...webhook, serverId: server.serverId, messageStream: stream?.streamId ?? webhook.messageStream });
  }
  return [key, server] as const;
});

export const serverIds = Object.fromEntries(servers.map(([key, s]) => [key, s.serverId]));
export const serverLinks = Object.fromEntries(servers.map(([key, s]) => [key, s.serverLink]));
// Secret: shown as [secret] unless asked for with --show-secrets.
export const apiTokens = Object.fromEntries(servers.map(([key, s]) => [key, s.apiTokens]));
