/**
 * Postmark's checks on Servers API requests, driven by one table of the server's fields.
 * ErrorCodes and their meaning come from Postmark's published list (see /work/shared/postmark-facts.md).
 */
import { isIP } from "node:net";

/** Postmark's ErrorCodes that the Servers API can answer with. */
export const ErrorCodes = {
  InvalidToken: 10,
  Maintenance: 100,
  InvalidJson: 402,
  InvalidRequestFields: 403,
  JsonRequired: 409,
  RateLimitExceeded: 429,
  InvalidQuery: 600,
  ServerNotFound: 601,
  DuplicateInboundDomain: 602,
  DuplicateName: 603,
  DeleteNotAllowed: 604,
  InvalidHookUrl: 606,
  InvalidColor: 607,
  InvalidName: 608,
  NoUpdateData: 609,
  InvalidSpamThreshold: 611,
} as const;

/** An answer in Postmark's error shape: HTTP status plus {"ErrorCode", "Message"}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }

  get body() {
    return { ErrorCode: this.errorCode, Message: this.message };
  }
}

/** Postmark answers every semantic problem with 422 and an ErrorCode in the body. */
const invalid = (errorCode: number, message: string) => new ApiError(422, errorCode, message);
const invalidField = (message: string) => invalid(ErrorCodes.InvalidRequestFields, message);

export const colors = ["Purple", "Blue", "Turquoise", "Green", "Red", "Yellow", "Grey", "Orange"];

type Check = (value: never, field: string) => ApiError | undefined;

/** Enum values are matched exactly, and an empty string is not a value (Postmark rejects it). */
const oneOf =
  (values: string[]): Check =>
  (value: string, field) =>
    values.includes(value) ? undefined : invalidField(`Invalid value for '${field}': ${JSON.stringify(value)}. Allowed values: ${values.join(", ")}.`);

const nameMissing = () => invalid(ErrorCodes.InvalidName, "Server name is missing or invalid: 'Name' must be a non-empty string.");
const nameIsPresent: Check = (value: string) => (value.trim() === "" ? nameMissing() : undefined);

const knownColor: Check = (value: string) =>
  colors.some((c) => c.toLowerCase() === value.toLowerCase())
    ? undefined
    : invalid(ErrorCodes.InvalidColor, `Invalid server color in 'Color': ${JSON.stringify(value)}. Allowed values: ${colors.join(", ")}.`);

const spamThreshold: Check = (value: number) =>
  value >= 0 && value <= 30 && value % 5 === 0
    ? undefined
    : invalid(ErrorCodes.InvalidSpamThreshold, `Invalid 'InboundSpamThreshold': ${value}. It must be from 0 to 30 in steps of 5.`);

/** Postmark refuses hook URLs that are not absolute http(s) or that point into an internal IP range. */
const hookUrl: Check = (value: string, field) => {
  if (value === "") return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const ok = url !== undefined && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !isInternalHost(url.hostname);
  return ok
    ? undefined
    : invalid(ErrorCodes.InvalidHookUrl, `Invalid webhook URL in '${field}': ${JSON.stringify(value)}. It must be an absolute http(s) URL outside internal IP ranges.`);
};

function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split(".").map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIP(host) === 6) return host === "::" || host === "::1" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  return false;
}

interface ServerField {
  /** The JSON type Postmark deserializes the field as; anything else is ErrorCode 403. */
  type: "string" | "boolean" | "integer" | "string[]";
  /** Set by Postmark, never by a request: sending it is an unknown field (403). */
  readOnly?: boolean;
  /** DeliveryType: accepted on create only; an edit that sends it is refused (403). */
  createOnly?: boolean;
  /** What Postmark stores when a create does not send the field. */
  default?: string | boolean | number;
  check?: Check;
  /** Postmark stores colours in lower case whatever case they were sent in. */
  normalize?: (value: string) => string;
}

const readOnly = <T extends ServerField["type"]>(type: T) => ({ type, readOnly: true }) as const;
const flag = (value: boolean) => ({ type: "boolean", default: value }) as const;
const hook = { type: "string", default: "", check: hookUrl } as const;

/**
 * Every field of a server, in the order Postmark returns them. The one list that the record type,
 * create defaults, edit and validation all come from.
 */
export const serverFields = {
  ID: readOnly("integer"),
  Name: { type: "string", check: nameIsPresent },
  ApiTokens: readOnly("string[]"),
  Color: { type: "string", default: "purple", check: knownColor, normalize: (v: string) => v.toLowerCase() },
  SmtpApiActivated: flag(false),
  RawEmailEnabled: flag(false),
  DeliveryType: { type: "string", default: "Live", createOnly: true, check: oneOf(["Live", "Sandbox"]) },
  ServerLink: readOnly("string"),
  InboundAddress: readOnly("string"),
  InboundHookUrl: hook,
  BounceHookUrl: hook,
  OpenHookUrl: hook,
  DeliveryHookUrl: hook,
  PostFirstOpenOnly: flag(false),
  InboundDomain: { type: "string", default: "" },
  InboundHash: readOnly("string"),
  InboundSpamThreshold: { type: "integer", default: 0, check: spamThreshold },
  TrackOpens: flag(false),
  TrackLinks: { type: "string", default: "None", check: oneOf(["None", "HtmlAndText", "HtmlOnly", "TextOnly"]) },
  IncludeBounceContentInHook: flag(true),
  ClickHookUrl: hook,
  EnableSmtpApiErrorHooks: flag(false),
} satisfies Record<string, ServerField>;

type JsonTypes = { string: string; boolean: boolean; integer: number; "string[]": string[] };

/** A server as Postmark returns it: its 22 PascalCase fields. */
export type ServerRecord = { -readonly [K in keyof typeof serverFields]: JsonTypes[(typeof serverFields)[K]["type"]] };

/** The fields a create or edit request may set. */
export type WritableFields = Partial<Omit<ServerRecord, "ID" | "ApiTokens" | "ServerLink" | "InboundAddress" | "InboundHash">>;

const fieldTable: Record<string, ServerField> = serverFields;

function hasType(value: unknown, type: ServerField["type"]): boolean {
  if (type === "integer") return Number.isInteger(value);
  if (type === "string[]") return Array.isArray(value) && value.every((v) => typeof v === "string");
  return typeof value === type;
}

/** Postmark answers a body it cannot parse with ErrorCode 402. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(ErrorCodes.InvalidJson, `Problems parsing JSON: the request body is not valid JSON (${(error as Error).message}).`);
  }
}

/**
 * Checks a create or edit body the way Postmark does and returns the fields to store (colour in lower case).
 * Deserialization problems (shape, unknown fields, types) come before the semantic checks.
 */
export function validateServerBody(body: unknown, mode: "create" | "edit"): WritableFields {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidField("The request body must be a JSON object of server fields.");
  }
  const entries = Object.entries(body);
  for (const [name, value] of entries) {
    const field = Object.hasOwn(fieldTable, name) ? fieldTable[name] : undefined;
    if (!field || field.readOnly) throw invalidField(`Unknown or read-only field '${name}' in the request body.`);
    if (mode === "edit" && field.createOnly) throw invalidField(`'${name}' cannot be changed after the server has been created.`);
    if (!hasType(value, field.type)) throw invalidField(`Invalid type for '${name}': expected ${field.type}, got ${JSON.stringify(value)}.`);
  }
  if (mode === "create" && !("Name" in body)) throw nameMissing();
  if (mode === "edit" && entries.length === 0) throw invalid(ErrorCodes.NoUpdateData, "No updated server data received: send at least one field to change.");
  const fields: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const field = fieldTable[name];
    const problem = field.check?.(value as never, name);
    if (problem) throw problem;
    fields[name] = field.normalize ? field.normalize(value as string) : value;
  }
  return fields as WritableFields;
}

/** Names are unique per account, compared without case; so are inbound domains. */
export function checkConflicts(fields: WritableFields, servers: ServerRecord[], selfId?: number): void {
  const others = servers.filter((s) => s.ID !== selfId);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (fields.Name !== undefined && others.some((s) => same(s.Name, fields.Name!))) {
    throw invalid(ErrorCodes.DuplicateName, `A server named ${JSON.stringify(fields.Name)} already exists: 'Name' must be unique in the account.`);
  }
  if (fields.InboundDomain && others.some((s) => same(s.InboundDomain, fields.InboundDomain!))) {
    throw invalid(ErrorCodes.DuplicateInboundDomain, `The inbound domain ${JSON.stringify(fields.InboundDomain)} in 'InboundDomain' is already used by another server.`);
  }
}

export interface ListQuery {
  count: number;
  offset: number;
  name?: string;
}

/** GET /servers requires count (1..500) and offset (>= 0); Postmark answers ErrorCode 600 otherwise. */
export function parseListQuery(query: URLSearchParams): ListQuery {
  const integer = (param: string, min: number, max: number) => {
    const text = query.get(param);
    const value = text !== null && /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      const range = max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
      const got = text === null ? "it is missing" : `got ${JSON.stringify(text)}`;
      throw invalid(ErrorCodes.InvalidQuery, `Invalid query string parameter '${param}': it must be ${range}; ${got}.`);
    }
    return value;
  };
  return { count: integer("count", 1, 500), offset: integer("offset", 0, Infinity), name: query.get("name") ?? undefined };
}
