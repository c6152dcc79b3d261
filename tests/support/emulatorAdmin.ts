/** Drives a running emulator through its admin API (/__emulator/), as tests and the demo do. */
import type { DnsRecord } from "../../emulator/apis/domains";
import type { StoredInboundRule } from "../../emulator/apis/inboundRules";
import type { StoredSignature as StoredSenderSignature } from "../../emulator/apis/senderSignatures";
import type { StoredTemplate } from "../../emulator/apis/templates";

// The records the admin API answers with are the emulator's own: their types are declared once, in its modules.
export type { DnsRecord, StoredInboundRule, StoredSenderSignature, StoredTemplate };

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  fault: string | null;
  /** When the request arrived (ISO). */
  time: string;
  durationMs: number;
}

/** The most requests the emulator was answering at the same time, from its log. */
export function mostInFlight(log: LoggedRequest[]): number {
  const events = log.flatMap((r) => [
    { at: Date.parse(r.time), delta: 1 },
    { at: Date.parse(r.time) + r.durationMs, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  return events.reduce((most, e) => Math.max(most, (now += e.delta)), 0);
}

export type StoredServer = Record<string, unknown> & { ID: number; Name: string };
/** A message stream as Postmark returns it (and the emulator stores it). */
export type StoredStream = Record<string, unknown> & { ID: string; ServerID: number; Name: string; MessageStreamType: string; ArchivedAt: string | null };
/** A webhook as the emulator stores it: Postmark's fields plus the owning ServerID. */
export type StoredWebhook = Record<string, unknown> & { ID: number; ServerID: number; Url: string; MessageStream: string };

/** A domain as the emulator stores it and GET /domains/{id} returns it. */
export type StoredDomain = Record<string, unknown> & {
  ID: number;
  Name: string;
  DKIMVerified: boolean;
  DKIMHost: string;
  DKIMTextValue: string;
  DKIMPendingHost: string;
  DKIMPendingTextValue: string;
  DKIMUpdateStatus: string;
  ReturnPathDomain: string;
  ReturnPathDomainVerified: boolean;
};
/** Whether the records Postmark asks a domain's owner to publish are in the emulator's DNS. */
export type DomainDnsStatus = { dkim: boolean; returnPath: boolean };

export class EmulatorAdmin {
  constructor(readonly url: string) {}

  async servers(): Promise<StoredServer[]> {
    return this.call("GET", "servers");
  }

  async requests(): Promise<LoggedRequest[]> {
    return this.call("GET", "requests");
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "requests");
  }

  /** A server made "by hand", as in Postmark's web UI. */
  async createByHand(fields: Record<string, unknown>): Promise<StoredServer> {
    return this.call("POST", "servers", fields);
  }

  async editByHand(id: number | string, fields: Record<string, unknown>): Promise<StoredServer> {
    return this.call("PATCH", `servers/${id}`, fields);
  }

  async deleteByHand(id: number | string): Promise<void> {
    await this.call("DELETE", `servers/${id}`);
  }

  /** A server's streams, archived ones included (the three defaults are stored on first use). */
  async streams(serverId: number): Promise<StoredStream[]> {
    return this.call("GET", `servers/${serverId}/message-streams`);
  }

  /** A stream made by hand: needs ID, Name and MessageStreamType; no limits or ID rules. */
  async createStreamByHand(serverId: number, fields: Record<string, unknown>): Promise<StoredStream> {
    return this.call("POST", `servers/${serverId}/message-streams`, fields);
  }

  async editStreamByHand(serverId: number, streamId: string, fields: Record<string, unknown>): Promise<StoredStream> {
    return this.call("PATCH", `servers/${serverId}/message-streams/${encodeURIComponent(streamId)}`, fields);
  }

  /** Archives by hand, even outbound or inbound, which the API refuses. */
  async archiveStreamByHand(serverId: number, streamId: string): Promise<StoredStream> {
    return this.call("POST", `servers/${serverId}/message-streams/${encodeURIComponent(streamId)}/archive`);
  }

  /** What Postmark's purge does: the stream and its webhooks are gone. */
  async purgeStreamByHand(serverId: number, streamId: string): Promise<void> {
    await this.call("DELETE", `servers/${serverId}/message-streams/${encodeURIComponent(streamId)}`);
  }

  /** Every stored webhook, or one server's. */
  async webhooks(serverId?: number): Promise<StoredWebhook[]> {
    return this.call("GET", serverId === undefined ? "webhooks" : `webhooks?serverId=${serverId}`);
  }

  async createWebhookByHand(serverId: number, fields: Record<string, unknown>): Promise<StoredWebhook> {
    return this.call("POST", `servers/${serverId}/webhooks`, fields);
  }

  async editWebhookByHand(id: number, fields: Record<string, unknown>): Promise<StoredWebhook> {
    return this.call("PATCH", `webhooks/${id}`, fields);
  }

  async deleteWebhookByHand(id: number): Promise<void> {
    await this.call("DELETE", `webhooks/${id}`);
  }

  /** The Message Streams API's own settings: customUnsubscribeHandling, archiveUnavailable. */
  async messageStreamSettings(changes: { customUnsubscribeHandling?: boolean; archiveUnavailable?: boolean }): Promise<void> {
    await this.call("PUT", "settings/message-streams", changes);
  }

  /** A server's templates with their bodies, a deleted one kept readable (Active false) included. */
  async templates(serverId: number): Promise<StoredTemplate[]> {
    return this.call("GET", `servers/${serverId}/templates`);
  }

  /** A template made by hand, as in Postmark's web UI: needs a Name; Standard unless TemplateType says Layout; only the alias is checked (free). */
  async createTemplateByHand(serverId: number, fields: Record<string, unknown>): Promise<StoredTemplate> {
    return this.call("POST", `servers/${serverId}/templates`, fields);
  }

  /** Edits by hand, bypassing every check (e.g. a body changed in the web UI, or `{LayoutTemplate: null}`). */
  async editTemplateByHand(serverId: number, idOrAlias: number | string, fields: Record<string, unknown>): Promise<StoredTemplate> {
    return this.call("PATCH", `servers/${serverId}/templates/${encodeURIComponent(String(idOrAlias))}`, fields);
  }

  /** Deletes as the web UI does (kept readable when deletedTemplatesReadable is on), even a layout in use. */
  async deleteTemplateByHand(serverId: number, idOrAlias: number | string): Promise<void> {
    await this.call("DELETE", `servers/${serverId}/templates/${encodeURIComponent(String(idOrAlias))}`);
  }

  /** The Templates API's own settings: deletedTemplatesReadable (a deleted template answers GET with Active false). */
  async templateSettings(changes: { deletedTemplatesReadable?: boolean }): Promise<void> {
    await this.call("PUT", "settings/templates", changes);
  }

  /** A server's inbound rules, in ID order. */
  async inboundRules(serverId: number): Promise<StoredInboundRule[]> {
    return this.call("GET", `servers/${serverId}/inbound-rules`);
  }

  /** A rule made by hand: any string, not checked (not even for duplicates). */
  async createInboundRuleByHand(serverId: number, rule: string): Promise<StoredInboundRule> {
    return this.call("POST", `servers/${serverId}/inbound-rules`, { Rule: rule });
  }

  async deleteInboundRuleByHand(serverId: number, id: number): Promise<void> {
    await this.call("DELETE", `servers/${serverId}/inbound-rules/${id}`);
  }

  /** The Inbound Rules API's own settings: removalUnavailable (DELETE answers 811). */
  async inboundRuleSettings(changes: { removalUnavailable?: boolean }): Promise<void> {
    await this.call("PUT", "settings/inbound-rules", changes);
  }

  /** Every stored domain (added through /domains, by a sender signature, or by hand), in ID order. */
  async domains(): Promise<StoredDomain[]> {
    return this.call("GET", "domains");
  }

  /** A domain made by hand, as in Postmark's web UI: needs a Name (free); gets an ID and a pending DKIM key. */
  async createDomainByHand(fields: { Name: string } & Record<string, unknown>): Promise<StoredDomain> {
    return this.call("POST", "domains", fields);
  }

  /** Edits by hand, bypassing every check (e.g. `{DKIMUpdateStatus: "Failed"}`); not ID or Name. */
  async editDomainByHand(id: number, fields: Record<string, unknown>): Promise<StoredDomain> {
    return this.call("PATCH", `domains/${id}`, fields);
  }

  /** Deletes by hand, with the domain's sender signatures. */
  async deleteDomainByHand(id: number): Promise<void> {
    await this.call("DELETE", `domains/${id}`);
  }

  /** Whether the domain's DKIM TXT record (the pending key, else the active one) and Return-Path CNAME are published. */
  async domainDns(id: number): Promise<DomainDnsStatus> {
    return this.call("GET", `domains/${id}/dns`);
  }

  /**
   * What the domain's owner does at their DNS provider: `true` publishes, `false` removes, absent leaves as is.
   * dkim: the TXT records of the active and pending keys (false also removes the revoked key's); returnPath:
   * the CNAME of the domain's ReturnPathDomain to pm.mtasv.net. Publishing both is the default.
   */
  async publishDomainDns(id: number, records: { dkim?: boolean; returnPath?: boolean } = { dkim: true, returnPath: true }): Promise<DomainDnsStatus> {
    return this.call("PUT", `domains/${id}/dns`, records);
  }

  /**
   * A domain verified as its owner verifies it: its records published, then Postmark's DKIM and Return-Path checks run
   * through the API with the account token.
   */
  async verifyDomainAsOwner(id: number, accountToken: string): Promise<void> {
    await this.publishDomainDns(id);
    for (const check of ["verifyDkim", "verifyReturnPath"]) {
      const answer = await fetch(`${this.url}/domains/${id}/${check}`, {
        method: "PUT",
        headers: { "X-Postmark-Account-Token": accountToken, Accept: "application/json", "Content-Type": "application/json" },
        body: "{}",
      });
      if (!answer.ok) throw new Error(`PUT /domains/${id}/${check}: HTTP ${answer.status} ${await answer.text()}`);
    }
  }

  /** The emulator's DNS: every published record. */
  async dnsRecords(): Promise<DnsRecord[]> {
    return this.call("GET", "dns");
  }

  /** Publishes any record, e.g. a Return-Path CNAME before its domain exists, or a wrong one. */
  async publishDnsRecord(type: "TXT" | "CNAME", host: string, value: string): Promise<DnsRecord[]> {
    return this.call("PUT", `dns/${type}/${encodeURIComponent(host)}`, { Value: value });
  }

  /** The CNAME Postmark's Return-Path check (verifyReturnPath) looks for: `host` to pm.mtasv.net. */
  async publishReturnPathCname(host: string): Promise<DnsRecord[]> {
    return this.publishDnsRecord("CNAME", host, "pm.mtasv.net");
  }

  async removeDnsRecord(type: "TXT" | "CNAME", host: string): Promise<DnsRecord[]> {
    return this.call("DELETE", `dns/${type}/${encodeURIComponent(host)}`);
  }

  /** Every stored sender signature, in ID order. */
  async senders(): Promise<StoredSenderSignature[]> {
    return this.call("GET", "senders");
  }

  /** A signature made by hand: needs EmailAddress and Name; its domain is added if missing; unconfirmed unless `Confirmed: true`. */
  async createSenderByHand(fields: { EmailAddress: string; Name: string } & Record<string, unknown>): Promise<StoredSenderSignature> {
    return this.call("POST", "senders", fields);
  }

  /** What a person clicking the link in Postmark's confirmation email does: Confirmed becomes true. */
  async confirmSenderByHand(id: number): Promise<StoredSenderSignature> {
    return this.call("POST", `senders/${id}/confirm`);
  }

  /** Edits by hand, bypassing every check (e.g. `{Confirmed: false}` or a new Name); not ID, Domain or EmailAddress. */
  async editSenderByHand(id: number, fields: Record<string, unknown>): Promise<StoredSenderSignature> {
    return this.call("PATCH", `senders/${id}`, fields);
  }

  async deleteSenderByHand(id: number): Promise<void> {
    await this.call("DELETE", `senders/${id}`);
  }

  /** The Sender Signatures API's own settings: missingSignature, a missing signature's HTTP status ("422" by default, or "404"), ErrorCode 501 either way. */
  async senderSettings(changes: { missingSignature?: "422" | "404" }): Promise<void> {
    await this.call("PUT", "settings/senders", changes);
  }

  async settings(changes: Record<string, unknown>): Promise<void> {
    await this.call("PUT", "settings", changes);
  }

  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__emulator/${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator admin ${method} ${path}: HTTP ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
