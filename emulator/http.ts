/** HTTP plumbing shared by every API: answers, bodies, Postmark's JSON header rules and path patterns. */
import * as http from "node:http";
import { ApiError, coreErrorCodes, invalid } from "./errors";

/** What a handler answers: a status and a JSON body, or no body at all (Postmark's bare 404). */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): Answer => ({ status: 200, body });

/** A bug or a failed state-file write: answered like a Postmark-side error, so clients see a 500. */
export const emulatorFailure = (error: unknown): Answer => ({ status: 500, body: { ErrorCode: 0, Message: `Emulator error: ${(error as Error).message}` } });

/** The methods whose requests carry a JSON body. */
export const bodyMethods = ["POST", "PUT", "PATCH"];

/** Postmark answers 415 (ErrorCode 409) unless Accept, and Content-Type on a body, say application/json. */
export function checkJsonHeaders(req: http.IncomingMessage): void {
  const mediaTypes = (header: string | undefined) => (header ?? "").split(",").map((part) => part.split(";")[0].trim().toLowerCase());
  const needed = (header: string) =>
    new ApiError(415, coreErrorCodes.JsonRequired, `JSON data required: set the '${header}' header to 'application/json'.`);
  if (!mediaTypes(req.headers.accept).includes("application/json")) throw needed("Accept");
  if (bodyMethods.includes(req.method ?? "") && mediaTypes(req.headers["content-type"])[0] !== "application/json") throw needed("Content-Type");
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function send(res: http.ServerResponse, answer: Answer): void {
  const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(text && { "Content-Type": "application/json; charset=utf-8" }),
    "Content-Length": Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

/**
 * A path pattern such as "/servers/{id:int}" or "/message-streams/{streamId}/archive": `{name}` matches one
 * segment, `{name:int}` only digits (so "/servers/abc" matches no route, as Postmark serves none).
 * Returns the parameters (URL-decoded), or undefined when the path does not match.
 */
export function compilePath(pattern: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)(:int)?\}/g, (_, name: string, int?: string) => {
    names.push(name);
    return int ? "(\\d+)" : "([^/]+)";
  });
  const regex = new RegExp(`^${source}$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    try {
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    } catch {
      return undefined; // a malformed %-escape names no resource
    }
  };
}

/** Postmark's query parameters are matched without case (the official client sends `messageStreamType`). */
export function queryParam(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * The count (1..500) and offset (>= 0) a paged list requires, each parameter read with `param`; Postmark answers
 * the API's `invalidQuery` ErrorCode otherwise, naming the parameter, what it must be and what it got.
 */
export function pagingQuery(param: (name: string) => string | undefined, invalidQuery: number): { count: number; offset: number } {
  const integer = (name: string, min: number, max: number) => {
    const text = param(name);
    const value = text !== undefined && /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      const range = max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
      const got = text === undefined ? "it is missing" : `got ${JSON.stringify(text)}`;
      throw invalid(invalidQuery, `Invalid query string parameter '${name}': it must be ${range}; ${got}.`);
    }
    return value;
  };
  return { count: integer("count", 1, 500), offset: integer("offset", 0, Infinity) };
}
