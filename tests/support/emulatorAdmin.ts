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
