import axios, { AxiosInstance } from "axios";
import { PostmarkApiError, PostmarkProviderError } from "./errors";
import { everyPagedItem } from "./paging";
import { RequestGate, sleep } from "./requestGate";

/** An object as Postmark's API returns it (PascalCase). */
export type ApiObject = Record<string, unknown>;
/** A server as Postmark's API returns it. */
export type ApiServer = ApiObject & { ID: number; Name: string };

/** The promise cached under `key`, else `make()`'s, cached; a failed one is dropped, so that the next caller asks again. */
export function cachedUntilFailure<Key, Value>(cache: Map<Key, Promise<Value>>, key: Key, make: () => Promise<Value>): Promise<Value> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

/** Which token a request carries: the account's, or the token of the server that owns what it touches. */
export type Auth = { kind: "account" } | { kind: "server"; token: string };
export const accountAuth: Auth = { kind: "account" };

/** The server that owns a resource does not exist (any more): neither does the resource. */
export class ServerGoneError extends PostmarkProviderError {
  constructor(readonly serverId: string) {
    super(`serverId is ${serverId}, but Postmark has no server with that ID in this account.`);
  }
}

export interface ClientSettings {
  apiUrl: string;
  accountToken: string;
  /** Per request. */
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First retry delay; doubles on each further attempt, with jitter. */
  retryBaseDelayMs: number;
  /** Cap on any one delay, Retry-After included. */
  maxRetryDelayMs: number;
  maxConcurrentRequests: number;
}

export const defaultClientSettings: Omit<ClientSettings, "accountToken"> = {
  apiUrl: "https://api.postmarkapp.com",
  timeoutMs: 30_000,
  maxAttempts: 6,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 30_000,
  maxConcurrentRequests: 4,
};

/** Postmark may have acted on the request before this answer: the outcome is unknown. */
const ambiguousStatuses = new Set([0, 500, 502, 503, 504]);
const retryableStatuses = new Set([...ambiguousStatuses, 429]);

export const isAmbiguous = (e: PostmarkApiError) => ambiguousStatuses.has(e.status);

export interface Call {
  /** What the provider is doing, for errors: e.g. "create server". */
  operation: string;
  /** What it concerns, for errors: an ID, or a name before there is one. */
  target: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  params?: Record<string, string | number | boolean>;
  body?: Record<string, unknown>;
  /** Retry answers after which Postmark may have acted (5xx, lost connection). Off for creates, which recover themselves. */
  retryAmbiguous: boolean;
  auth: Auth;
}

/**
 * Calls to Postmark's APIs, with bounded, jittered retries that never leak a token. The token goes with each
 * request (never set on the shared HTTP client), so one client serves the account and every server.
 */
export class PostmarkClient {
  private readonly http: AxiosInstance;
  private readonly gate: RequestGate;
  /** Server tokens found through the account API, per server ID: held in memory only, never stored or logged. */
  private readonly serverTokens = new Map<string, Promise<string>>();
  /** The server each given server token belongs to (keyed by the token, in memory only). */
  private readonly tokenServers = new Map<string, Promise<ApiServer>>();

  constructor(readonly settings: ClientSettings) {
    this.gate = new RequestGate(settings.maxConcurrentRequests);
    const baseURL = settings.apiUrl.replace(/\/+$/, "");
    this.http = axios.create({
      baseURL,
      timeout: settings.timeoutMs,
      // Postmark's API never redirects, and axios would carry the token header to wherever a redirect points,
      // another host included: a 3xx is an answer like any other (see errors.ts).
      maxRedirects: 0,
      // Otherwise axios takes the proxy from HTTP(S)_PROXY / ALL_PROXY / NO_PROXY (README, "Proxies"). An apiUrl on
      // this machine (the emulator) never goes through one: a proxy could not reach it, only read its token.
      ...(isLoopback(new URL(baseURL).hostname) && { proxy: false as const }),
      // Every status is handled here, so axios never builds an error that carries our headers.
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      headers: { Accept: "application/json" },
    });
  }

  getServer(id: string): Promise<ApiServer> {
    return this.send({ operation: "read server", target: id, method: "GET", path: `/servers/${id}`, retryAmbiguous: true, auth: accountAuth });
  }

  /** Servers whose name equals `name` ignoring case (Postmark's filter is a substring match). */
  async findServersByName(name: string): Promise<ApiServer[]> {
    const matches = await this.listServers(name);
    return matches.filter((s) => s.Name.toLowerCase() === name.toLowerCase());
  }

  /** Every server of the account, or those whose name contains `nameFilter`, page by page. */
  async listServers(nameFilter?: string): Promise<ApiServer[]> {
    const page = (count: number, offset: number) =>
      this.send({
        operation: "list servers",
        target: nameFilter ?? "all",
        method: "GET",
        path: "/servers",
        params: { count, offset, ...(nameFilter !== undefined && { name: nameFilter }) },
        retryAmbiguous: true,
        auth: accountAuth,
      });
    return (await everyPagedItem(page, "Servers", 100)) as ApiServer[];
  }

  /**
   * The token of server `serverId`, from the account API (`GET /servers/{id}`, its first API token), once per
   * process (a failed lookup is asked again): resources inside a server (streams, webhooks...) need it, and users
   * configure only the account token.
   */
  serverToken(serverId: string): Promise<string> {
    return cachedUntilFailure(this.serverTokens, serverId, () =>
      this.getServer(serverId).then(
        (server) => {
          const first = (server.ApiTokens as string[] | undefined)?.[0];
          if (!first) throw new PostmarkProviderError(`Postmark server ${serverId} has no API token to act on its behalf.`);
          return first;
        },
        (e: unknown) => {
          if (e instanceof PostmarkApiError && e.isNotFound) throw new ServerGoneError(serverId);
          throw e;
        },
      ),
    );
  }

  /**
   * The server a server token belongs to (`GET /server` with that token), once per token and process: a token the
   * program gives is checked against its serverId before it is used, so that it never acts on another server.
   */
  serverOfToken(token: string): Promise<ApiServer> {
    const auth: Auth = { kind: "server", token };
    return cachedUntilFailure(this.tokenServers, token, () =>
      this.send<ApiServer>({ operation: "read server", target: "the server of serverToken", method: "GET", path: "/server", retryAmbiguous: true, auth }),
    );
  }

  /** Forgets a server's token after Postmark refused it, so that the next operation asks the account API again. */
  forgetServerToken(serverId: string): void {
    this.serverTokens.delete(serverId);
  }

  /** One call, with retries as its kind allows; the answer's JSON body. */
  async send<T = ApiObject>(call: Call): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { status, body, retryAfterSeconds } = await this.gate.run(async () => {
        const answer = await this.attempt(call);
        // Pause everyone before this slot is handed on, so that no waiting request slips past a 429.
        if (answer.status === 429) this.gate.pauseFor(this.backoffDelay(attempt, answer.retryAfterSeconds));
        return answer;
      });
      if (status >= 200 && status < 300) return body as T;

      // A proxy's error page may quote the request it refused, headers and all.
      const text = withoutTokens(message(status, body), [this.settings.accountToken, call.auth.kind === "server" ? call.auth.token : ""]);
      const error = new PostmarkApiError(call.operation, call.target, status, errorCode(body), text, attempt);
      const retryable = retryableStatuses.has(status) && (call.retryAmbiguous || !ambiguousStatuses.has(status));
      if (!retryable || attempt >= this.settings.maxAttempts) throw error;
      // After a 429 the gate itself holds the retry back until the pause is over.
      if (status !== 429) await sleep(this.backoffDelay(attempt, retryAfterSeconds));
    }
  }

  private async attempt(call: Call): Promise<{ status: number; body: unknown; retryAfterSeconds?: number }> {
    try {
      const response = await this.http.request({
        method: call.method,
        url: call.path,
        params: call.params,
        data: call.body === undefined ? undefined : JSON.stringify(call.body),
        headers: {
          ...(call.auth.kind === "account"
            ? { "X-Postmark-Account-Token": this.settings.accountToken }
            : { "X-Postmark-Server-Token": call.auth.token }),
          ...(call.body !== undefined && { "Content-Type": "application/json" }),
        },
      });
      const retryAfter = Number(response.headers["retry-after"] ?? NaN);
      return {
        status: response.status,
        body: parseBody(response.data),
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
      };
    } catch (e) {
      // Only the failure's code and text are kept: the axios error holds the request headers.
      const err = e as { code?: string; message?: string };
      return { status: 0, body: { Message: [err.code, err.message].filter(Boolean).join(": ") || "request failed" } };
    }
  }

  /** How long to wait before attempt `attempt + 1`: Retry-After when Postmark sent one, else jittered exponential. */
  backoffDelay(attempt: number, retryAfterSeconds?: number): number {
    const backoff = this.settings.retryBaseDelayMs * 2 ** (attempt - 1);
    // Full jitter over the upper half, so parallel retries spread out instead of arriving together.
    const jittered = backoff / 2 + Math.random() * (backoff / 2);
    const wanted = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : jittered;
    return Math.min(wanted, this.settings.maxRetryDelayMs);
  }
}

/** Loopback host names, as URL.hostname gives them (IPv6 in brackets). */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** `text` with every occurrence of each (non-empty) token replaced by a placeholder. */
function withoutTokens(text: string, tokens: string[]): string {
  return tokens.filter(Boolean).reduce((scrubbed, token) => scrubbed.split(token).join("[token]"), text);
}

/** Postmark's bodies are JSON, except the bare 404 for a missing server, which is empty. */
function parseBody(text: unknown): unknown {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { Message: text.slice(0, 200) };
  }
}

const errorCode = (body: unknown): number | undefined => {
  const code = (body as { ErrorCode?: unknown } | undefined)?.ErrorCode;
  return typeof code === "number" ? code : undefined;
};

function message(status: number, body: unknown): string {
  const text = (body as { Message?: unknown } | undefined)?.Message;
  if (typeof text === "string" && text !== "") return text;
  if (status === 404) return "not found (empty body)";
  return "no message";
}
