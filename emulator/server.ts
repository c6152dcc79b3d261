/**
 * A local Postmark Servers API on node:http, faithful to Postmark's answers and quirks, with seeded fault
 * injection and an unauthenticated admin API under /__emulator/ (a prefix Postmark does not use).
 */
import * as http from "node:http";
import { timingSafeEqual } from "node:crypto";
import { AddressInfo } from "node:net";
import { drawFault, FaultName, FaultRates, seededRandom } from "./faults";
import { checkSettings, defaultSettings, EmulatorSettings, SettingError } from "./settings";
import { ServerStore } from "./store";
import { ApiError, checkConflicts, ErrorCodes, parseJsonBody, parseListQuery, ServerRecord, validateServerBody } from "./validation";

export { ErrorCodes, serverFields } from "./validation";
export type { ServerRecord, WritableFields } from "./validation";
export type { FaultName, FaultRates } from "./faults";
export type { EmulatorSettings } from "./settings";

export interface EmulatorOptions {
  /** 0 = pick a free port (default 0). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** The account token it accepts; default "emulator-account-token". */
  token?: string;
  /** Persist servers and the next ID as JSON, written atomically; in memory when absent. */
  stateFile?: string;
  /** DELETE answers 422 ErrorCode 604, like an account without delete access. */
  deleteDisabled?: boolean;
  /** Added to every Servers API request. */
  latencyMs?: number;
  /** e.g. "429:0.2,500:0.05,503:0.05,reset:0.05,lost-create:0.1". */
  faults?: string | FaultRates;
  /** Seed of the fault PRNG (deterministic runs); default 1. */
  seed?: number;
  /** Share of 429 answers carrying Retry-After (default 0.5). */
  retryAfterRate?: number;
  /** The Retry-After value (default 1). */
  retryAfterSeconds?: number;
  /** A missing server: bare 404 with an EMPTY body (default), or 422 {"ErrorCode":601,...}. */
  missingServer?: "404" | "422";
}

export interface RunningEmulator {
  /** http://HOST:PORT, no trailing slash. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** One Servers API request as the emulator saw it; no headers, so never the token. */
export interface RequestLogEntry {
  method: string;
  /** With the query string. */
  path: string;
  /** 0 when the connection was dropped instead of answered. */
  status: number;
  fault: FaultName | null;
  /** When the request arrived (ISO 8601). */
  time: string;
  durationMs: number;
}

export const defaultToken = "emulator-account-token";
/** Bounds memory in long demo runs; the oldest entries go first. */
const maxLogEntries = 10_000;

/** What a handler answers: a status and a JSON body, or no body at all (Postmark's bare 404). */
interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings: EmulatorSettings = { ...defaultSettings, ...checkSettings(options) };
  const token = options.token ?? defaultToken;
  const store = new ServerStore(options.stateFile);
  const requestLog: RequestLogEntry[] = [];
  let random = seededRandom(settings.seed);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const handler = url.pathname.startsWith("/__emulator/") ? handleAdmin : handleApi;
    handler(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) send(res, emulatorFailure(error));
    });
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const started = Date.now();
    const entry: RequestLogEntry = { method: req.method ?? "", path: req.url ?? "", status: 0, fault: null, time: new Date(started).toISOString(), durationMs: 0 };
    // Drawn on arrival (Retry-After too), so the sequence of faults follows the order requests come in.
    const isCreate = req.method === "POST" && url.pathname === "/servers";
    entry.fault = settings.faultQueue.length > 0 ? queuedFault(settings.faultQueue.shift()!, isCreate) : drawFault(settings.faults, random, isCreate);
    const injected = faultAnswer(entry.fault);
    const finish = (status: number) => {
      entry.status = status;
      entry.durationMs = Date.now() - started;
      requestLog.push(entry);
      if (requestLog.length > maxLogEntries) requestLog.shift();
    };
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));

    if (entry.fault === "reset") {
      req.socket.destroy();
      return finish(0);
    }
    const answer = injected ?? (await serversApi(req, url));
    if (entry.fault === "lost-create") {
      // The work is done (the server exists) but the client never learns it.
      req.socket.destroy();
      return finish(0);
    }
    send(res, answer);
    finish(answer.status);
  }

  function queuedFault(fault: FaultName | "none", isCreate: boolean): FaultName | null {
    return fault === "none" || (fault === "lost-create" && !isCreate) ? null : fault;
  }

  function faultAnswer(fault: FaultName | null): Answer | undefined {
    if (fault === "429") {
      const headers: Record<string, string> = random() < settings.retryAfterRate ? { "Retry-After": String(settings.retryAfterSeconds) } : {};
      return { status: 429, headers, body: { ErrorCode: ErrorCodes.RateLimitExceeded, Message: "Rate limit exceeded. Please slow down your requests and try again later." } };
    }
    if (fault === "500") return { status: 500, body: { ErrorCode: 0, Message: "Internal server error. Postmark could not process the request." } };
    if (fault === "503") return { status: 503, body: { ErrorCode: ErrorCodes.Maintenance, Message: "Maintenance: the Postmark API is offline for planned maintenance." } };
    return undefined;
  }

  /** Postmark's own processing: auth, JSON headers, routing, then the operation. */
  async function serversApi(req: http.IncomingMessage, url: URL): Promise<Answer> {
    try {
      checkToken(req.headers["x-postmark-account-token"]);
      checkJsonHeaders(req);
      const body = req.method === "POST" || req.method === "PUT" ? await readBody(req) : "";
      const idMatch = /^\/servers\/(\d+)$/.exec(url.pathname);
      if (url.pathname === "/servers" && req.method === "GET") return listServers(url.searchParams);
      if (url.pathname === "/servers" && req.method === "POST") return createServer(body);
      if (idMatch && req.method === "GET") return ok(existing(Number(idMatch[1])));
      if (idMatch && req.method === "PUT") return editServer(Number(idMatch[1]), body);
      if (idMatch && req.method === "DELETE") return deleteServer(Number(idMatch[1]));
      return { status: 404 };
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.status === 404 ? undefined : error.body };
      return emulatorFailure(error);
    }
  }

  function checkToken(sent: string | string[] | undefined): void {
    if (typeof sent !== "string" || sent === "") {
      throw new ApiError(401, ErrorCodes.InvalidToken, "No Account API token was supplied in the HTTP headers. Please add the X-Postmark-Account-Token header.");
    }
    const a = Buffer.from(sent);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new ApiError(401, ErrorCodes.InvalidToken, "The Account API token in the X-Postmark-Account-Token header is not valid.");
    }
  }

  function listServers(query: URLSearchParams): Answer {
    const { count, offset, name } = parseListQuery(query);
    const matches = store.list().filter((s) => name === undefined || s.Name.toLowerCase().includes(name.toLowerCase()));
    return ok({ TotalCount: matches.length, Servers: matches.slice(offset, offset + count) });
  }

  function createServer(body: string): Answer {
    const fields = validateServerBody(parseJsonBody(body), "create");
    checkConflicts(fields, store.list());
    return ok(store.create(fields));
  }

  function editServer(id: number, body: string): Answer {
    const fields = validateServerBody(parseJsonBody(body), "edit");
    existing(id);
    checkConflicts(fields, store.list(), id);
    return ok(store.update(id, fields));
  }

  function deleteServer(id: number): Answer {
    // Permission is checked before the server is looked up.
    if (settings.deleteDisabled) {
      throw new ApiError(422, ErrorCodes.DeleteNotAllowed, "You don't have permission to delete servers through the API. Please contact support if you'd like to enable this feature.");
    }
    const removed = store.remove(existing(id).ID)!;
    return ok({ ErrorCode: 0, Message: `Server ${removed.Name} removed.` });
  }

  function existing(id: number): ServerRecord {
    const found = store.get(id);
    if (found) return found;
    // Live Postmark answers a bare 404 with an empty body; the published code list says 422 + 601.
    throw settings.missingServer === "404" ? new ApiError(404, 0, "") : new ApiError(422, ErrorCodes.ServerNotFound, `Server ${id} does not exist.`);
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    send(res, await adminApi(req, url));
  }

  /** Test and demo controls; no auth, faults, latency or header rules, and not in the request log. */
  async function adminApi(req: http.IncomingMessage, url: URL): Promise<Answer> {
    const route = `${req.method} ${url.pathname.replace(/^\/__emulator\/servers\/\d+$/, "/__emulator/servers/:id")}`;
    const id = Number(url.pathname.split("/").pop());
    const body = async (): Promise<Record<string, unknown>> => {
      const text = await readBody(req);
      let value: unknown;
      try {
        value = JSON.parse(text || "{}");
      } catch {
        value = undefined;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("the body must be a JSON object");
      return value as Record<string, unknown>;
    };
    try {
      switch (route) {
        case "GET /__emulator/servers":
          return ok(store.list());
        case "POST /__emulator/servers": {
          const fields = await body();
          if (typeof fields.Name !== "string" || "ID" in fields) throw badRequest("send a string Name, and no ID (it is assigned)");
          return ok(store.create({ ...fields, ...(typeof fields.Color === "string" && { Color: fields.Color.toLowerCase() }) }));
        }
        case "PATCH /__emulator/servers/:id": {
          const fields = await body();
          if ("ID" in fields) throw badRequest("the ID cannot be changed");
          return ok(store.update(id, fields) ?? notFound(id));
        }
        case "DELETE /__emulator/servers/:id":
          return ok(store.remove(id) ?? notFound(id));
        case "GET /__emulator/requests":
          return ok(requestLog);
        case "DELETE /__emulator/requests":
          requestLog.length = 0;
          return ok(requestLog);
        case "POST /__emulator/reset":
          store.clear();
          requestLog.length = 0;
          return ok({ servers: 0, requests: 0 });
        case "GET /__emulator/settings":
          return ok(settings);
        case "PUT /__emulator/settings": {
          const changed = checkSettings(await body());
          Object.assign(settings, changed);
          if (changed.seed !== undefined) random = seededRandom(changed.seed);
          return ok(settings);
        }
        default:
          return { status: 404, body: { Message: `No admin route ${req.method} ${url.pathname}` } };
      }
    } catch (error) {
      if (error instanceof SettingError) return { status: 400, body: { Message: error.message } };
      if (error instanceof ApiError) return { status: error.status, body: { Message: error.message } };
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const ok = (body: unknown): Answer => ({ status: 200, body });
/** A bug or a failed state-file write: answered like a Postmark-side error, so clients see a 500. */
const emulatorFailure = (error: unknown): Answer => ({ status: 500, body: { ErrorCode: 0, Message: `Emulator error: ${(error as Error).message}` } });
const badRequest = (message: string) => new ApiError(400, 0, message);
const notFound = (id: number): never => {
  throw new ApiError(404, 0, `No server with ID ${id}`);
};

/** Postmark answers 415 (ErrorCode 409) unless Accept, and Content-Type on a body, say application/json. */
function checkJsonHeaders(req: http.IncomingMessage): void {
  const mediaTypes = (header: string | undefined) => (header ?? "").split(",").map((part) => part.split(";")[0].trim().toLowerCase());
  const needed = (header: string) =>
    new ApiError(415, ErrorCodes.JsonRequired, `JSON data required: set the '${header}' header to 'application/json'.`);
  if (!mediaTypes(req.headers.accept).includes("application/json")) throw needed("Accept");
  if ((req.method === "POST" || req.method === "PUT") && mediaTypes(req.headers["content-type"])[0] !== "application/json") throw needed("Content-Type");
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, answer: Answer): void {
  const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(text && { "Content-Type": "application/json; charset=utf-8" }),
    "Content-Length": Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}
