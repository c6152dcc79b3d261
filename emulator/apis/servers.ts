/**
 * Postmark's Servers API (account token): /servers. One table of the server's fields drives the record type,
 * create defaults, edits and validation. ErrorCodes and their meaning come from Postmark's published list
 * (see /work/shared/postmark-facts.md).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { isIP } from "node:net";
import { AdminContext, AdminRoute, ApiModule, RequestContext } from "../api";
import { adminNotFound, ApiError, badRequest, coreErrorCodes, invalid } from "../errors";
import { Answer, ok, pagingQuery } from "../http";
import { StateStore, StoreDraft } from "../store";

/** Postmark's ErrorCodes that the Servers API answers with, beside the shared ones. */
export const serverErrorCodes = {
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

const invalidField = (message: string) => invalid(coreErrorCodes.InvalidRequestFields, message);

export const colors = ["Purple", "Blue", "Turquoise", "Green", "Red", "Yellow", "Grey", "Orange"];

type Check = (value: never, field: string) => ApiError | undefined;

/** Enum values are matched exactly, and an empty string is not a value (Postmark rejects it). */
const oneOf =
  (values: string[]): Check =>
  (value: string, field) =>
    values.includes(value) ? undefined : invalidField(`Invalid value for '${field}': ${JSON.stringify(value)}. Allowed values: ${values.join(", ")}.`);

const nameMissing = () => invalid(serverErrorCodes.InvalidName, "Server name is missing or invalid: 'Name' must be a non-empty string.");
const nameIsPresent: Check = (value: string) => (value.trim() === "" ? nameMissing() : undefined);

const knownColor: Check = (value: string) =>
  colors.some((c) => c.toLowerCase() === value.toLowerCase())
    ? undefined
    : invalid(serverErrorCodes.InvalidColor, `Invalid server color in 'Color': ${JSON.stringify(value)}. Allowed values: ${colors.join(", ")}.`);

const spamThreshold: Check = (value: number) =>
  value >= 0 && value <= 30 && value % 5 === 0
    ? undefined
    : invalid(serverErrorCodes.InvalidSpamThreshold, `Invalid 'InboundSpamThreshold': ${value}. It must be from 0 to 30 in steps of 5.`);

/** Postmark refuses hook URLs that are not absolute http(s) or that point into an internal IP range. */
/** An absolute http(s) URL whose host is outside internal IP ranges: what Postmark calls back (server hooks, webhooks). */
export function isPublicHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !isInternalHost(url.hostname);
}

const hookUrl: Check = (value: string, field) => {
  if (value === "") return undefined;
  return isPublicHttpUrl(value)
    ? undefined
    : invalid(serverErrorCodes.InvalidHookUrl, `Invalid webhook URL in '${field}': ${JSON.stringify(value)}. It must be an absolute http(s) URL outside internal IP ranges.`);
};

/** Postmark refuses to call back into private networks. */
export function isInternalHost(hostname: string): boolean {
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
  if (mode === "edit" && entries.length === 0) throw invalid(serverErrorCodes.NoUpdateData, "No updated server data received: send at least one field to change.");
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
    throw invalid(serverErrorCodes.DuplicateName, `A server named ${JSON.stringify(fields.Name)} already exists: 'Name' must be unique in the account.`);
  }
  if (fields.InboundDomain && others.some((s) => same(s.InboundDomain, fields.InboundDomain!))) {
    throw invalid(serverErrorCodes.DuplicateInboundDomain, `The inbound domain ${JSON.stringify(fields.InboundDomain)} in 'InboundDomain' is already used by another server.`);
  }
}

export interface ListQuery {
  count: number;
  offset: number;
  name?: string;
}

/** GET /servers requires count (1..500) and offset (>= 0); Postmark answers ErrorCode 600 otherwise. */
export function parseListQuery(query: URLSearchParams): ListQuery {
  // Names matched with case here; the Domains and Sender Signatures lists match them without (queryParam).
  return { ...pagingQuery((name) => query.get(name) ?? undefined, serverErrorCodes.InvalidQuery), name: query.get("name") ?? undefined };
}

/** The state-file collection of servers; other modules find a server's existence and tokens here. */
export const serversCollection = "servers";

/** All servers in ID order. */
export const storedServers = (store: StateStore | StoreDraft): ServerRecord[] =>
  store.list<ServerRecord>(serversCollection).sort((a, b) => a.ID - b.ID);

/** A new server: Postmark's defaults, a fresh ID, server token and inbound hash, then `fields` on top. */
function insertServer(draft: StoreDraft, fields: Partial<ServerRecord>): ServerRecord {
  const record: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(serverFields)) record[name] = "default" in field ? field.default : undefined;
  const id = draft.takeId(serversCollection);
  const hash = randomBytes(16).toString("hex");
  Object.assign(record, {
    ID: id,
    ApiTokens: [randomUUID()],
    ServerLink: `https://postmarkapp.com/servers/${id}/streams`,
    InboundAddress: `${hash}@inbound.postmarkapp.com`,
    InboundHash: hash,
    ...fields,
  });
  const server = record as ServerRecord;
  draft.replace(serversCollection, [...storedServers(draft), server]);
  return server;
}

/** Changes only the fields given; undefined when the server does not exist. */
function updateServer(store: StateStore, id: number, fields: Record<string, unknown>): ServerRecord | undefined {
  return store.change((draft) => {
    const server = storedServers(draft).find((s) => s.ID === id);
    if (!server) return undefined;
    const updated = { ...server, ...fields };
    draft.replace(serversCollection, storedServers(draft).map((s) => (s.ID === id ? updated : s)));
    return updated;
  });
}

/** Removes the server and everything that belongs to it (streams, webhooks, ...). */
function removeServer(store: StateStore, id: number): ServerRecord | undefined {
  return store.change((draft) => {
    const server = storedServers(draft).find((s) => s.ID === id);
    if (!server) return undefined;
    draft.replace(serversCollection, storedServers(draft).filter((s) => s.ID !== id));
    draft.removeOwnedBy(id);
    return server;
  });
}

function existing({ store, settings }: RequestContext, id: number): ServerRecord {
  const found = storedServers(store).find((s) => s.ID === id);
  if (found) return found;
  // Live Postmark answers a bare 404 with an empty body; the published code list says 422 + 601.
  throw settings.missingServer === "404" ? new ApiError(404, 0, "") : invalid(serverErrorCodes.ServerNotFound, `Server ${id} does not exist.`);
}

function listServers({ store, query }: RequestContext): Answer {
  const { count, offset, name } = parseListQuery(query);
  const matches = storedServers(store).filter((s) => name === undefined || s.Name.toLowerCase().includes(name.toLowerCase()));
  return ok({ TotalCount: matches.length, Servers: matches.slice(offset, offset + count) });
}

function createServer(context: RequestContext): Answer {
  const fields = validateServerBody(context.json(), "create");
  return ok(
    context.store.change((draft) => {
      checkConflicts(fields, storedServers(draft));
      return insertServer(draft, fields);
    }),
  );
}

function editServer(context: RequestContext): Answer {
  const id = Number(context.params.id);
  const fields = validateServerBody(context.json(), "edit");
  existing(context, id);
  checkConflicts(fields, storedServers(context.store), id);
  return ok(updateServer(context.store, id, fields));
}

function deleteServer(context: RequestContext): Answer {
  // Permission is checked before the server is looked up.
  if (context.settings.deleteDisabled) {
    throw invalid(serverErrorCodes.DeleteNotAllowed, "You don't have permission to delete servers through the API. Please contact support if you'd like to enable this feature.");
  }
  const removed = removeServer(context.store, existing(context, Number(context.params.id)).ID)!;
  return ok({ ErrorCode: 0, Message: `Server ${removed.Name} removed.` });
}

const missingByHand = (id: string): never => adminNotFound(`No server with ID ${id}`);

/** The server an admin route names in its `serverId` path parameter, or the admin API's 404. */
export function serverByHand({ store, params }: Pick<AdminContext, "store" | "params">): number {
  const id = Number(params.serverId);
  if (!storedServers(store).some((s) => s.ID === id)) missingByHand(params.serverId);
  return id;
}

const adminRoutes: AdminRoute[] = [
  { method: "GET", path: "/servers", handle: ({ store }) => ok(storedServers(store)) },
  {
    // As in Postmark's web UI: Postmark assigns ID, token and hash, and stores Color in lower case; nothing else is checked.
    method: "POST",
    path: "/servers",
    handle: async ({ store, body }) => {
      const fields = await body();
      if (typeof fields.Name !== "string" || "ID" in fields) throw badRequest("send a string Name, and no ID (it is assigned)");
      const normalized = { ...fields, ...(typeof fields.Color === "string" && { Color: fields.Color.toLowerCase() }) };
      return ok(store.change((draft) => insertServer(draft, normalized)));
    },
  },
  {
    method: "PATCH",
    path: "/servers/{id:int}",
    handle: async ({ store, body, params }) => {
      const fields = await body();
      if ("ID" in fields) throw badRequest("the ID cannot be changed");
      return ok(updateServer(store, Number(params.id), fields) ?? missingByHand(params.id));
    },
  },
  { method: "DELETE", path: "/servers/{id:int}", handle: ({ store, params }) => ok(removeServer(store, Number(params.id)) ?? missingByHand(params.id)) },
];

export const serversApi: ApiModule = {
  name: "servers",
  token: "account",
  collections: [{ name: serversCollection, idCounter: "nextId", required: true }],
  routes: [
    { method: "GET", path: "/servers", handle: listServers },
    { method: "POST", path: "/servers", create: true, handle: createServer },
    { method: "GET", path: "/servers/{id:int}", handle: (context) => ok(existing(context, Number(context.params.id))) },
    { method: "PUT", path: "/servers/{id:int}", handle: editServer },
    { method: "DELETE", path: "/servers/{id:int}", handle: deleteServer },
  ],
  adminRoutes,
};

/** The Server API: the server whose X-Postmark-Server-Token came with the request, as GET /servers/{id} answers it. */
export const serverApi: ApiModule = {
  name: "server",
  token: "server",
  routes: [{ method: "GET", path: "/server", handle: (context) => ok(existing(context, context.serverId)) }],
};
