/** Drives a running emulator through its admin API (/__emulator/), as tests and the demo do. */
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
/** A template as GET /templates/{id} returns it (the emulator stores it so); AssociatedServerId is its server. */
export type StoredTemplate = Record<string, unknown> & {
  TemplateId: number;
  Name: string;
  Alias: string | null;
  Subject: string | null;
  HtmlBody: string | null;
  TextBody: string | null;
  AssociatedServerId: number;
  Active: boolean;
  TemplateType: string;
  LayoutTemplate: string | null;
};
/** An inbound rule as the emulator stores it: Postmark's {ID, Rule} plus the owning ServerID. */
export type StoredInboundRule = { ID: number; ServerID: number; Rule: string };

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
