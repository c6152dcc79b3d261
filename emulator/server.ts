/**
 * A local Postmark API on node:http, faithful to Postmark's answers and quirks, with seeded fault injection and
 * an unauthenticated admin API under /__emulator/ (a prefix Postmark does not use).
 *
 * This file is the shared core: routing, auth, JSON header rules, faults, latency and the request log, for
 * every API module registered in ./apis/index.ts. What each Postmark API does lives in its module.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { adminPrefix, adminRouter } from "./admin";
import { ApiModule, RequestContext, Route } from "./api";
import { apiModules } from "./apis";
import { serverErrorCodes, serversCollection } from "./apis/servers";
import { authenticate, TokenOwner } from "./auth";
import { ApiError, coreErrorCodes, parseJsonBody } from "./errors";
import { drawFault, FaultName, FaultRates, seededRandom } from "./faults";
import { Answer, bodyMethods, checkJsonHeaders, compilePath, emulatorFailure, readBody, send } from "./http";
import { RequestLog, RequestLogEntry } from "./requestLog";
import { checkSettings, defaultSettings, EmulatorSettings } from "./settings";
import { StateStore } from "./store";

export { serverFields } from "./apis/servers";
export type { ServerRecord, WritableFields } from "./apis/servers";
export type { FaultName, FaultRates } from "./faults";
export type { EmulatorSettings } from "./settings";
export type { RequestLogEntry } from "./requestLog";

/** Postmark's ErrorCodes that the core and the Servers API answer with. */
export const ErrorCodes = { ...coreErrorCodes, ...serverErrorCodes } as const;

export interface EmulatorOptions {
  /** 0 = pick a free port (default 0). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** The account token it accepts; default "emulator-account-token". */
  token?: string;
  /** Persist every collection and the next IDs as JSON, written atomically; in memory when absent. */
  stateFile?: string;
  /** DELETE /servers/{id} answers 422 ErrorCode 604, like an account without delete access. */
  deleteDisabled?: boolean;
  /** Added to every API request. */
  latencyMs?: number;
  /** Added between doing a write and answering it (see EmulatorSettings). */
  answerDelayMs?: number;
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

export const defaultToken = "emulator-account-token";

/** Requests that change something, which `answerDelayMs` answers late. */
const writeMethods = ["POST", "PUT", "PATCH", "DELETE"];

/** A route of a module, ready to match. */
interface CompiledRoute {
  module: ApiModule;
  route: Route<never>;
  match: ReturnType<typeof compilePath>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings: EmulatorSettings = { ...defaultSettings, ...checkSettings(options) };
  const accountToken = options.token ?? defaultToken;
  const store = new StateStore(
    apiModules.flatMap((module) => module.collections ?? []),
    options.stateFile,
  );
  const apiSettings = new Map(apiModules.map((module) => [module.name, Object.fromEntries(Object.entries(module.settings ?? {}).map(([name, s]) => [name, s.default]))]));
  const requestLog = new RequestLog();
  let random = seededRandom(settings.seed);

  const routes: CompiledRoute[] = apiModules.flatMap((module) =>
    (module.routes as Route<never>[]).map((route) => ({ module, route, match: compilePath(route.path) })),
  );
  /** Each module owns the first path segment of its routes, e.g. "servers". */
  const ownerOfSegment = new Map(routes.map(({ module, route }) => [route.path.split("/")[1], module]));

  const answerAdmin = adminRouter(apiModules, {
    store,
    settings,
    apiSettings,
    requestLog,
    applySettings: (changed) => {
      Object.assign(settings, changed);
      if (changed.seed !== undefined) random = seededRandom(changed.seed);
    },
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const handled = url.pathname.startsWith(`${adminPrefix}/`) ? answerAdmin(req, url).then((answer) => send(res, answer)) : handleApi(req, res, url);
    handled.catch((error: unknown) => {
      if (!res.headersSent) send(res, emulatorFailure(error));
    });
  });
  // Like the load balancers in front of real APIs, keep idle connections longer than clients do (Node's agent
  // drops them after 5 s), so a client never sends on a socket the server is closing at that very moment.
  server.keepAliveTimeout = 65_000;

  function findRoute(method: string, path: string): { found?: CompiledRoute; params?: Record<string, string> } {
    for (const candidate of routes) {
      if (candidate.route.method !== method) continue;
      const params = candidate.match(path);
      if (params) return { found: candidate, params };
    }
    return {};
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const started = Date.now();
    const entry: RequestLogEntry = { method: req.method ?? "", path: req.url ?? "", status: 0, fault: null, time: new Date(started).toISOString(), durationMs: 0 };
    const { found, params } = findRoute(req.method ?? "", url.pathname);
    // Drawn on arrival (Retry-After too), so the sequence of faults follows the order requests come in.
    const isCreate = found?.route.create === true;
    const queue = isCreate && settings.createFaultQueue.length > 0 ? settings.createFaultQueue : settings.faultQueue;
    entry.fault = queue.length > 0 ? queuedFault(queue.shift()!, isCreate) : drawFault(settings.faults, random, isCreate);
    const injected = faultAnswer(entry.fault);
    const finish = (status: number) => {
      entry.status = status;
      entry.durationMs = Date.now() - started;
      requestLog.add(entry);
    };
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));

    if (entry.fault === "reset") {
      req.socket.destroy();
      return finish(0);
    }
    const answer = injected ?? (await answerApi(req, url, found, params));
    if (settings.answerDelayMs > 0 && writeMethods.includes(req.method ?? "")) await new Promise((resolve) => setTimeout(resolve, settings.answerDelayMs));
    if (entry.fault === "lost-create") {
      // The work is done (the resource exists) but the client never learns it.
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
      return { status: 429, headers, body: { ErrorCode: coreErrorCodes.RateLimitExceeded, Message: "Rate limit exceeded. Please slow down your requests and try again later." } };
    }
    if (fault === "500") return { status: 500, body: { ErrorCode: 0, Message: "Internal server error. Postmark could not process the request." } };
    if (fault === "503") return { status: 503, body: { ErrorCode: coreErrorCodes.Maintenance, Message: "Maintenance: the Postmark API is offline for planned maintenance." } };
    return undefined;
  }

  /**
   * A path of an API no module covers (sending, bounces, ...): said plainly, before any token check, so that a
   * client pointed at the emulator is not sent looking for a token problem.
   */
  const notCovered = (method: string, path: string): Answer => ({
    status: 404,
    body: {
      ErrorCode: 0,
      Message:
        `The Postmark emulator does not cover ${method} ${path}: it serves only ${[...ownerOfSegment.keys()].map((segment) => `/${segment}`).join(", ")} ` +
        "(see the emulator's README).",
    },
  });

  /**
   * Postmark's own processing: auth (the token of the API that owns the path), JSON headers, then the operation.
   * A path or method no route of a covered API serves is a bare 404.
   */
  async function answerApi(req: http.IncomingMessage, url: URL, found: CompiledRoute | undefined, params: Record<string, string> | undefined): Promise<Answer> {
    try {
      const owner = found?.module ?? ownerOfSegment.get(url.pathname.split("/")[1]);
      if (!owner) return notCovered(req.method ?? "", url.pathname);
      const serverId = authenticate(owner.token, req.headers, accountToken, () => store.list<TokenOwner>(serversCollection));
      checkJsonHeaders(req);
      const body = bodyMethods.includes(req.method ?? "") ? await readBody(req) : "";
      if (!found) return { status: 404 };
      const context: RequestContext = {
        params: params!,
        query: url.searchParams,
        bodyText: body,
        json: () => parseJsonBody(body),
        store,
        settings,
        apiSettings: apiSettings.get(found.module.name)!,
        // Server-token routes get the server the token belongs to.
        ...(serverId !== undefined && { serverId }),
      };
      return await found.route.handle(context as never);
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.status === 404 ? undefined : error.body };
      return emulatorFailure(error);
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
