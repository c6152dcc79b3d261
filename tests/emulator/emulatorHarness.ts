/**
 * Raw HTTP against the emulator. node:http rather than fetch, because the tests need requests that fetch
 * will not send: no Accept header, malformed JSON, a dropped connection seen as an error.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorOptions, RunningEmulator, ServerRecord, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";

export const token = "test-account-token";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (throws on an empty or non-JSON body). */
  json: any;
}

export interface RawRequest {
  method?: string;
  /** Replace the default headers; a header set to undefined is not sent. */
  headers?: Record<string, string | undefined>;
  /** Sent as is when a string, as JSON otherwise. */
  body?: unknown;
}

/** The headers Postmark requires on an account-level call. */
export const postmarkHeaders = (accountToken = token): Record<string, string> => ({
  Accept: "application/json",
  "Content-Type": "application/json",
  "X-Postmark-Account-Token": accountToken,
});

export function request(baseUrl: string, path: string, options: RawRequest = {}): Promise<RawResponse> {
  const headers = Object.fromEntries(
    Object.entries({ ...postmarkHeaders(), ...options.headers }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    // agent: false, so a socket the emulator destroys on purpose is never reused by the next request.
    const req = http.request(`${baseUrl}${path}`, { method: options.method ?? "GET", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          get json() {
            return JSON.parse(text);
          },
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The JSON of a 200 answer; any other answer throws, naming what was asked, the status and the body. */
export async function okJson(what: string, answer: Promise<RawResponse>): Promise<any> {
  const res = await answer;
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${res.text}`);
  return res.json;
}

/** The headers of a server-level call (Message Streams, Webhooks): the server token and no account token. */
export const serverTokenHeaders = (serverToken: string): Record<string, string | undefined> => ({
  "X-Postmark-Account-Token": undefined,
  "X-Postmark-Server-Token": serverToken,
});

/** Starts an emulator (with the test token) before each test and stops it after. */
export function useEmulator(options: EmulatorOptions = {}) {
  const context = {
    emulator: undefined as unknown as RunningEmulator,
    /** A Servers API (or admin) request with Postmark's headers unless overridden. */
    call: (method: string, path: string, body?: unknown, headers?: Record<string, string | undefined>) =>
      request(context.emulator.url, path, { method, body, headers }),
    /** Creates a server through the API and returns it. */
    create: (body: Record<string, unknown>): Promise<ServerRecord> => okJson("create", context.call("POST", "/servers", body)),
    /** The raw stored servers, through the admin API. */
    stored: async (): Promise<ServerRecord[]> => (await context.call("GET", "/__emulator/servers")).json,
    settings: async (settings: Record<string, unknown>) => context.call("PUT", "/__emulator/settings", settings),
    /** A server-level request made with `serverToken` (and Postmark's JSON headers unless overridden). */
    serverCall: (serverToken: string, method: string, path: string, body?: unknown, headers?: Record<string, string | undefined>) =>
      context.call(method, path, body, { ...serverTokenHeaders(serverToken), ...headers }),
    /** Creates a server and returns its ID and first token. */
    server: async (name: string): Promise<{ id: number; token: string }> => {
      const server = await context.create({ Name: name });
      return { id: server.ID, token: server.ApiTokens[0] };
    },
    admin: () => new EmulatorAdmin(context.emulator.url),
    /** The official postmark client's options to reach this emulator: requestHost and useHttps are its (4.x) options for another API host. */
    officialClientOptions: () => ({ useHttps: false, requestHost: context.emulator.url.replace(/^http:\/\//, "") }),
  };
  beforeEach(async () => {
    context.emulator = await startEmulator({ token, ...options });
  });
  afterEach(async () => {
    await context.emulator.stop();
  });
  return context;
}

/** The connection errors Node reports when the emulator destroys the socket unanswered (a reset, a lost create). */
export const droppedConnection = /socket hang up|ECONNRESET/;

/** The error body Postmark sends with a 4xx/5xx. */
export const postmarkError = (errorCode: number, message: string | RegExp = expect.any(String)) => ({
  ErrorCode: errorCode,
  Message: message instanceof RegExp ? expect.stringMatching(message) : message,
});

/**
 * An emulator over a state file, for tests that stop it and start it again: the file lives in a directory that is
 * made empty before each test and removed after it, with the emulator still running.
 */
export function useStateFileEmulator(dirPrefix: string, fileName = "state.json") {
  // A path fixed for the whole block (not a mkdtemp per test), so that tests can name it from the start.
  const dir = path.join(os.tmpdir(), `${dirPrefix}${randomUUID()}`);
  const stateFile = path.join(dir, fileName);
  let running: RunningEmulator | undefined;
  const url = () => {
    if (!running) throw new Error("no emulator is running over the state file: start() it first");
    return running.url;
  };
  const context = {
    dir,
    stateFile,
    /** The emulator running now: the one the test started last. */
    emulator: {
      get url() {
        return url();
      },
    },
    start: async (): Promise<void> => {
      running = await startEmulator({ token, stateFile });
    },
    stop: async (): Promise<void> => {
      await running?.stop();
      running = undefined;
    },
    /** An account-level request, with Postmark's headers. */
    api: (method: string, route: string, body?: unknown) => request(url(), route, { method, body }),
    /** A server-level request made with `serverToken`. */
    asServer: (serverToken: string, method: string, route: string, body?: unknown) =>
      request(url(), route, { method, body, headers: serverTokenHeaders(serverToken) }),
    readState: () => JSON.parse(fs.readFileSync(stateFile, "utf8")),
  };
  beforeEach(() => {
    fs.mkdirSync(dir);
  });
  afterEach(async () => {
    await context.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return context;
}
