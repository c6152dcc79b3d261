/**
 * This environment's Postmark servers. Each stack (dev, staging, prod) lists its servers in its own
 * Pulumi.<stack>.yaml under `postmark-servers:servers`, keyed by a stable resource name:
 *
 *   postmark-servers:servers:
 *     billing: { name: "Billing (dev)", color: Red, deliveryType: Sandbox, trackOpens: true }
 */
import * as pulumi from "@pulumi/pulumi";
import { PostmarkServer, PostmarkServerArgs } from "pulumi-postmark";

const definitions = new pulumi.Config().requireObject<Record<string, PostmarkServerArgs>>("servers");
if (typeof definitions !== "object" || definitions === null || Array.isArray(definitions)) {
  throw new Error("postmark-servers:servers must be a map of resource name to server definition");
}

const servers = Object.entries(definitions).map(([key, args]) => {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new Error(`postmark-servers:servers.${key} must be an object of PostmarkServer inputs, not ${JSON.stringify(args)}`);
  }
  return [key, new PostmarkServer(key, args)] as const;
});

export const serverIds = Object.fromEntries(servers.map(([key, s]) => [key, s.serverId]));
export const serverLinks = Object.fromEntries(servers.map(([key, s]) => [key, s.serverLink]));
// Secret: shown as [secret] unless asked for with --show-secrets.
export const apiTokens = Object.fromEntries(servers.map(([key, s]) => [key, s.apiTokens]));
