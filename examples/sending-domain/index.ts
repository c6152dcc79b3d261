import * as pulumi from "@pulumi/pulumi";
import { PostmarkDomain, PostmarkDomainVerification, returnPathCnameTarget } from "pulumi-postmark";
import { PublishRecord } from "./dns/records";

const config = new pulumi.Config();
const domainName = config.require("domain"); // e.g. example.com, a zone you hold at your DNS provider
const returnPathDomain = `${config.get("returnPathSubdomain") ?? "pm-bounces"}.${domainName}`;

// Each DNS provider's module is loaded only when chosen, so the emulator twin runs without Cloudflare's plugin.
const dnsProviders: Record<string, () => PublishRecord> = {
  cloudflare: () => require("./dns/cloudflare").cloudflareRecords(config.require("cloudflareZoneId")),
  emulator: () => require("./dns/emulator").emulatorRecords(),
};
const dnsProvider = config.get("dnsProvider") ?? "cloudflare";
if (!dnsProviders[dnsProvider]) throw new Error(`dnsProvider is "${dnsProvider}"; use one of ${Object.keys(dnsProviders).join(", ")}`);
const publish = dnsProviders[dnsProvider]();

// 1. The domain: its outputs are the DKIM record to publish. Postmark takes the Return-Path domain before its CNAME
//    exists; only the verification (4.) looks for it.
const domain = new PostmarkDomain("sending-domain", { name: domainName, returnPathDomain });

// 2. The Return-Path CNAME: its target is fixed, so it needs nothing from the domain.
const returnPathRecord = publish("postmark-return-path", { type: "CNAME", name: returnPathDomain, content: returnPathCnameTarget });

// 3. The DKIM TXT record, from the domain's outputs (the pending key, which stays the same once verified).
const dkimRecord = publish("postmark-dkim", { type: "TXT", name: domain.dkimHost, content: domain.dkimTextValue });

// 4. Postmark's checks, once both records exist; up waits for them (DNS takes a while to be seen), then fails
//    naming the record that is still missing. A record replaced later (a new Return-Path domain, a new DKIM key)
//    replaces the verification too, so its checks run again in the same `up`.
const verification = new PostmarkDomainVerification(
  "sending-domain",
  { domainId: domain.domainId, waitTimeout: config.getNumber("waitTimeout") ?? 600 },
  { dependsOn: [dkimRecord, returnPathRecord], replaceWith: [dkimRecord, returnPathRecord] },
);

export const domainId = domain.domainId;
export const dkimHost = domain.dkimHost;
export const dkimVerified = verification.dkimVerified;
export const returnPathVerified = verification.returnPathVerified;
