/**
 * Postmark's Message Streams API (server token): /message-streams. A server's streams belong to it; every
 * server has three default streams. There is no DELETE: archiving is Postmark's delete, undone by unarchiving
 * until the stream is purged 45 days later. ErrorCodes 1221-1241 from Postmark's published list; see
 * /work/shared/postmark-more-apis.md and the README for the choices where Postmark's behaviour is unknown.
 */
import { AdminRoute, ApiModule, ServerRequestContext } from "../api";
import { adminNotFound, badRequest, coreErrorCodes, invalid } from "../errors";
import { Answer, ok, queryParam } from "../http";
import { StateStore, StoreDraft } from "../store";
import { serverByHand } from "./servers";

export const streamErrorCodes = {
  InvalidType: 1221,
  IdMissing: 1222,
  NameMissing: 1223,
  NameTooLong: 1224,
  StreamLimit: 1225,
  NotFound: 1226,
  InvalidId: 1227,
  SecondInbound: 1228,
  CannotArchiveDefault: 1229,
  DuplicateId: 1230,
  DescriptionTooLong: 1231,
  CannotUnarchive: 1232,
  ReservedPrefix: 1233,
  HtmlInDescription: 1234,
  ReservedId: 1237,
  CustomHandlingNotEnabled: 1238,
  HandlingNotAllowed: 1239,
  InvalidHandling: 1240,
  CannotArchiveNow: 1241,
} as const;

export const streamTypes = ["Transactional", "Inbound", "Broadcasts"] as const;
export type StreamType = (typeof streamTypes)[number];
const handlingTypes = ["None", "Postmark", "Custom"] as const;
type HandlingType = (typeof handlingTypes)[number];

/** A stream as Postmark returns it, and as it is stored (ServerID is its owner). */
export interface MessageStream {
  ID: string;
  ServerID: number;
  Name: string;
  Description: string | null;
  MessageStreamType: StreamType;
  CreatedAt: string;
  /** null until the first edit. */
  UpdatedAt: string | null;
  ArchivedAt: string | null;
  ExpectedPurgeDate: string | null;
  SubscriptionManagementConfiguration: { UnsubscribeHandlingType: HandlingType };
}

/** Per stream type: the handling a stream gets when none is sent, and the ones it may have (Custom only once enabled). */
const handlingRules: Record<StreamType, { default: HandlingType; allowed: HandlingType[] }> = {
  // A broadcast stream must handle unsubscribes.
  Broadcasts: { default: "Postmark", allowed: ["Postmark", "Custom"] },
  Transactional: { default: "None", allowed: ["None", "Postmark", "Custom"] },
  // Inbound mail has no one to unsubscribe.
  Inbound: { default: "None", allowed: ["None"] },
};

/** Every new server gets these; `outbound` and `inbound` can never be archived. */
const defaultStreams: { ID: string; Name: string; MessageStreamType: StreamType }[] = [
  { ID: "outbound", Name: "Default Transactional Stream", MessageStreamType: "Transactional" },
  { ID: "inbound", Name: "Default Inbound Stream", MessageStreamType: "Inbound" },
  { ID: "broadcast", Name: "Default Broadcast Stream", MessageStreamType: "Broadcasts" },
];
const permanentStreams = ["outbound", "inbound"];

const maxStreamsPerServer = 10;
const maxIdLength = 30;
const maxNameLength = 100;
const maxDescriptionLength = 1000;
const purgeAfterDays = 45;

export const streamsCollection = "messageStreams";

const now = () => new Date().toISOString();
const daysLater = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

function newStream(serverId: number, fields: Pick<MessageStream, "ID" | "Name" | "MessageStreamType"> & Partial<MessageStream>): MessageStream {
  // Listed in Postmark's order; the fields given then take their places in it.
  const inOrder: MessageStream = {
    ID: "",
    ServerID: serverId,
    Name: "",
    Description: null,
    MessageStreamType: fields.MessageStreamType,
    CreatedAt: now(),
    UpdatedAt: null,
    ArchivedAt: null,
    ExpectedPurgeDate: null,
    SubscriptionManagementConfiguration: { UnsubscribeHandlingType: handlingRules[fields.MessageStreamType]?.default ?? "None" },
  };
  return Object.assign(inOrder, fields);
}

/**
 * The server's streams, in creation order. The default streams are stored on first use rather than when the
 * server is created: a server always has them, and state files written before streams existed need no
 * migration. `outbound` and `inbound` can never go (not archived, not purged), so a server without any stored
 * stream is exactly one whose defaults are not stored yet.
 */
export function draftStreams(draft: StoreDraft, serverId: number): MessageStream[] {
  const all = draft.list<MessageStream>(streamsCollection);
  const mine = all.filter((s) => s.ServerID === serverId);
  if (mine.length > 0) return mine;
  const defaults = defaultStreams.map((fields) => newStream(serverId, fields));
  draft.replace(streamsCollection, [...all, ...defaults]);
  return defaults;
}

/** draftStreams for a read: the state file is written only when the defaults are stored. */
export function serverStreams(store: StateStore, serverId: number): MessageStream[] {
  const mine = store.list<MessageStream>(streamsCollection).filter((s) => s.ServerID === serverId);
  return mine.length > 0 ? mine : store.change((draft) => draftStreams(draft, serverId));
}

export const streamNotFound = (id: string) => invalid(streamErrorCodes.NotFound, `The message stream '${id}' was not found.`);

export function findStream(streams: MessageStream[], id: string): MessageStream {
  const found = streams.find((s) => s.ID === id);
  if (!found) throw streamNotFound(id);
  return found;
}

function replaceStream(draft: StoreDraft, updated: MessageStream): MessageStream {
  draft.replace(
    streamsCollection,
    draft.list<MessageStream>(streamsCollection).map((s) => (s.ServerID === updated.ServerID && s.ID === updated.ID ? updated : s)),
  );
  return updated;
}

const invalidField = (message: string) => invalid(coreErrorCodes.InvalidRequestFields, message);

/** What each body may carry, and the JSON type Postmark deserializes it as (anything else is ErrorCode 403). */
const bodyFields: Record<string, { type: "string" | "string|null" | "handling"; create: boolean; edit: boolean }> = {
  ID: { type: "string", create: true, edit: false },
  Name: { type: "string", create: true, edit: true },
  MessageStreamType: { type: "string", create: true, edit: false },
  Description: { type: "string|null", create: true, edit: true },
  SubscriptionManagementConfiguration: { type: "handling", create: true, edit: true },
};

interface StreamBody {
  ID?: string;
  Name?: string;
  MessageStreamType?: string;
  Description?: string | null;
  SubscriptionManagementConfiguration?: { UnsubscribeHandlingType?: string };
}

/** Shape and types first, as Postmark deserializes before it validates. */
function parseStreamBody(body: unknown, mode: "create" | "edit"): StreamBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidField("The request body must be a JSON object of message stream fields.");
  for (const [name, value] of Object.entries(body)) {
    const field = Object.hasOwn(bodyFields, name) ? bodyFields[name] : undefined;
    if (!field) throw invalidField(`Unknown or read-only field '${name}' in the request body.`);
    if (!field[mode]) throw invalidField(`'${name}' cannot be changed after the message stream has been created.`);
    const typeOk =
      field.type === "string"
        ? typeof value === "string"
        : field.type === "string|null"
          ? typeof value === "string" || value === null
          : typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => k === "UnsubscribeHandlingType") && ["string", "undefined"].includes(typeof (value as Record<string, unknown>).UnsubscribeHandlingType);
    if (!typeOk) throw invalidField(`Invalid value for '${name}': ${JSON.stringify(value)}.`);
  }
  return body as StreamBody;
}

function checkName(name: string | undefined): void {
  if (name === undefined || name.trim() === "") throw invalid(streamErrorCodes.NameMissing, "The 'Name' of the message stream is required.");
  if (name.length > maxNameLength) throw invalid(streamErrorCodes.NameTooLong, `The 'Name' of the message stream must be at most ${maxNameLength} characters.`);
}

function checkDescription(description: string | null | undefined): void {
  if (typeof description !== "string") return;
  if (description.length > maxDescriptionLength) throw invalid(streamErrorCodes.DescriptionTooLong, `The 'Description' must be at most ${maxDescriptionLength} characters.`);
  if (/[<>]/.test(description)) throw invalid(streamErrorCodes.HtmlInDescription, "The 'Description' cannot contain HTML.");
}

/** The handling to store, checked against the stream's type; `sent` undefined keeps `current`. */
function checkHandling(sent: StreamBody["SubscriptionManagementConfiguration"], type: StreamType, customEnabled: boolean): HandlingType | undefined {
  const handling = sent?.UnsubscribeHandlingType;
  if (handling === undefined) return undefined;
  if (!(handlingTypes as readonly string[]).includes(handling)) {
    throw invalid(streamErrorCodes.InvalidHandling, `Invalid 'UnsubscribeHandlingType': ${JSON.stringify(handling)}. Allowed values: ${handlingTypes.join(", ")}.`);
  }
  if (!handlingRules[type].allowed.includes(handling as HandlingType)) {
    throw invalid(streamErrorCodes.HandlingNotAllowed, `Unsubscribe handling '${handling}' is not allowed for a ${type} message stream.`);
  }
  if (handling === "Custom" && !customEnabled) {
    throw invalid(streamErrorCodes.CustomHandlingNotEnabled, "Custom unsubscribe handling is not enabled for this account. Please contact support to enable it.");
  }
  return handling as HandlingType;
}

function listStreams({ store, serverId, query }: ServerRequestContext): Answer {
  const typeFilter = queryParam(query, "MessageStreamType") ?? "All";
  const type = ["All", ...streamTypes].find((t) => t.toLowerCase() === typeFilter.toLowerCase());
  if (!type) throw invalid(streamErrorCodes.InvalidType, `Invalid 'MessageStreamType': ${JSON.stringify(typeFilter)}. Allowed values: All, ${streamTypes.join(", ")}.`);
  const archivedFilter = (queryParam(query, "IncludeArchivedStreams") ?? "false").toLowerCase();
  if (archivedFilter !== "true" && archivedFilter !== "false") {
    throw invalidField(`Invalid query string parameter 'IncludeArchivedStreams': it must be true or false; got ${JSON.stringify(archivedFilter)}.`);
  }
  const streams = serverStreams(store, serverId).filter(
    (s) => (type === "All" || s.MessageStreamType === type) && (archivedFilter === "true" || s.ArchivedAt === null),
  );
  return ok({ MessageStreams: streams, TotalCount: streams.length });
}

function createStream({ store, serverId, json, apiSettings }: ServerRequestContext): Answer {
  const body = parseStreamBody(json(), "create");
  const id = body.ID;
  if (id === undefined || id === "") throw invalid(streamErrorCodes.IdMissing, "The 'ID' of the message stream is required.");
  if (id.length > maxIdLength || !/^[a-z][a-z0-9_-]*$/.test(id)) {
    throw invalid(
      streamErrorCodes.InvalidId,
      `Invalid message stream 'ID': ${JSON.stringify(id)}. It must start with a letter, hold only lower-case letters, digits, '-' and '_', and be at most ${maxIdLength} characters.`,
    );
  }
  if (id.startsWith("pm-")) throw invalid(streamErrorCodes.ReservedPrefix, "A message stream 'ID' cannot start with 'pm-'.");
  if (id === "all") throw invalid(streamErrorCodes.ReservedId, "The message stream 'ID' 'all' is reserved.");
  checkName(body.Name);
  const type = streamTypes.find((t) => t === body.MessageStreamType);
  if (!type) {
    throw invalid(streamErrorCodes.InvalidType, `Invalid 'MessageStreamType': ${JSON.stringify(body.MessageStreamType ?? null)}. Allowed values: ${streamTypes.join(", ")}.`);
  }
  checkDescription(body.Description);
  const handling = checkHandling(body.SubscriptionManagementConfiguration, type, apiSettings.customUnsubscribeHandling === true);
  return ok(
    store.change((draft) => {
      const streams = draftStreams(draft, serverId);
      // An archived stream keeps its ID until it is purged.
      if (streams.some((s) => s.ID === id)) throw invalid(streamErrorCodes.DuplicateId, `A message stream with the ID '${id}' already exists on this server.`);
      if (type === "Inbound" && streams.some((s) => s.MessageStreamType === "Inbound")) {
        throw invalid(streamErrorCodes.SecondInbound, "A server can have only one Inbound message stream.");
      }
      if (streams.length >= maxStreamsPerServer) {
        throw invalid(streamErrorCodes.StreamLimit, `A server can have at most ${maxStreamsPerServer} message streams, including the default ones and archived ones.`);
      }
      const stream = newStream(serverId, {
        ID: id,
        Name: body.Name!,
        MessageStreamType: type,
        Description: body.Description ?? null,
        ...(handling && { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: handling } }),
      });
      draft.replace(streamsCollection, [...draft.list<MessageStream>(streamsCollection), stream]);
      return stream;
    }),
  );
}

function editStream({ store, serverId, json, params, apiSettings }: ServerRequestContext): Answer {
  const body = parseStreamBody(json(), "edit");
  return ok(
    store.change((draft) => {
      const stream = findStream(draftStreams(draft, serverId), params.streamId);
      // Choice: an archived stream answers as if it were gone until it is unarchived (see the README).
      if (stream.ArchivedAt !== null) {
        throw invalid(streamErrorCodes.NotFound, `The message stream '${stream.ID}' is archived: unarchive it before editing it.`);
      }
      if ("Name" in body) checkName(body.Name);
      checkDescription(body.Description);
      const handling = checkHandling(body.SubscriptionManagementConfiguration, stream.MessageStreamType, apiSettings.customUnsubscribeHandling === true);
      if (Object.keys(body).length === 0) return stream;
      return replaceStream(draft, {
        ...stream,
        ...(body.Name !== undefined && { Name: body.Name }),
        ...("Description" in body && { Description: body.Description ?? null }),
        ...(handling && { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: handling } }),
        UpdatedAt: now(),
      });
    }),
  );
}

function archiveStream({ store, serverId, params, apiSettings }: ServerRequestContext): Answer {
  return ok(
    store.change((draft) => {
      const stream = findStream(draftStreams(draft, serverId), params.streamId);
      if (permanentStreams.includes(stream.ID)) {
        throw invalid(streamErrorCodes.CannotArchiveDefault, `The default message stream '${stream.ID}' cannot be archived.`);
      }
      if (apiSettings.archiveUnavailable === true) throw invalid(streamErrorCodes.CannotArchiveNow, "The message stream cannot be archived right now. Please try again later.");
      // Archiving again keeps the first dates: the purge is not postponed.
      const archived = stream.ArchivedAt !== null ? stream : replaceStream(draft, archivedNow(stream));
      return { ID: archived.ID, ServerID: archived.ServerID, ExpectedPurgeDate: archived.ExpectedPurgeDate };
    }),
  );
}

function archivedNow(stream: MessageStream): MessageStream {
  const archivedAt = now();
  return { ...stream, ArchivedAt: archivedAt, ExpectedPurgeDate: daysLater(archivedAt, purgeAfterDays) };
}

function unarchiveStream({ store, serverId, params }: ServerRequestContext): Answer {
  return ok(
    store.change((draft) => {
      const stream = findStream(draftStreams(draft, serverId), params.streamId);
      if (stream.ArchivedAt === null) return stream;
      if (stream.ExpectedPurgeDate !== null && Date.parse(stream.ExpectedPurgeDate) <= Date.now()) {
        throw invalid(streamErrorCodes.CannotUnarchive, `The message stream '${stream.ID}' was purged and cannot be unarchived.`);
      }
      return replaceStream(draft, { ...stream, ArchivedAt: null, ExpectedPurgeDate: null });
    }),
  );
}

function streamByHand(draft: StoreDraft, serverId: number, streamId: string): MessageStream {
  return draftStreams(draft, serverId).find((s) => s.ID === streamId) ?? adminNotFound(`No message stream '${streamId}' on server ${serverId}`);
}

const streamPath = "/servers/{serverId:int}/message-streams/{streamId}";

const adminRoutes: AdminRoute[] = [
  { method: "GET", path: "/servers/{serverId:int}/message-streams", handle: (context) => ok(serverStreams(context.store, serverByHand(context))) },
  {
    // As in Postmark's web UI; no limits or ID rules, only a unique ID.
    method: "POST",
    path: "/servers/{serverId:int}/message-streams",
    handle: async (context) => {
      const serverId = serverByHand(context);
      const fields = await context.body();
      if (typeof fields.ID !== "string" || typeof fields.Name !== "string" || typeof fields.MessageStreamType !== "string") {
        throw badRequest("send a string ID, Name and MessageStreamType");
      }
      if ("ServerID" in fields) throw badRequest("the ServerID comes from the path");
      return ok(
        context.store.change((draft) => {
          if (draftStreams(draft, serverId).some((s) => s.ID === fields.ID)) throw badRequest(`server ${serverId} already has a stream '${fields.ID}'`);
          const stream = newStream(serverId, fields as Pick<MessageStream, "ID" | "Name" | "MessageStreamType">);
          draft.replace(streamsCollection, [...draft.list<MessageStream>(streamsCollection), stream]);
          return stream;
        }),
      );
    },
  },
  {
    // Bypasses every check, e.g. to simulate drift or a purge date in the past.
    method: "PATCH",
    path: streamPath,
    handle: async (context) => {
      const serverId = serverByHand(context);
      const fields = await context.body();
      if ("ID" in fields || "ServerID" in fields) throw badRequest("the ID and ServerID cannot be changed");
      return ok(context.store.change((draft) => replaceStream(draft, { ...streamByHand(draft, serverId, context.params.streamId), ...fields })));
    },
  },
  {
    // Even a stream the API refuses to archive (outbound, inbound).
    method: "POST",
    path: `${streamPath}/archive`,
    handle: (context) => {
      const serverId = serverByHand(context);
      return ok(context.store.change((draft) => replaceStream(draft, archivedNow(streamByHand(draft, serverId, context.params.streamId)))));
    },
  },
  {
    // What Postmark's purge does to an archived stream: it is gone, with its webhooks.
    method: "DELETE",
    path: streamPath,
    handle: (context) => {
      const serverId = serverByHand(context);
      const streamId = context.params.streamId;
      if (permanentStreams.includes(streamId)) throw badRequest(`'${streamId}' is permanent: Postmark never archives or purges it`);
      return ok(
        context.store.change((draft) => {
          const stream = streamByHand(draft, serverId, streamId);
          draft.replace(streamsCollection, draft.list<MessageStream>(streamsCollection).filter((s) => s !== stream));
          draft.removeOwnedBy(serverId, streamId);
          return stream;
        }),
      );
    },
  },
];

export const messageStreamsApi: ApiModule = {
  name: "message-streams",
  token: "server",
  collections: [{ name: streamsCollection, ownerField: "ServerID" }],
  settings: {
    customUnsubscribeHandling: { default: false, expected: "true or false", accepts: (value) => typeof value === "boolean" },
    archiveUnavailable: { default: false, expected: "true or false", accepts: (value) => typeof value === "boolean" },
  },
  routes: [
    { method: "GET", path: "/message-streams", handle: listStreams },
    { method: "POST", path: "/message-streams", create: true, handle: createStream },
    { method: "GET", path: "/message-streams/{streamId}", handle: ({ store, serverId, params }) => ok(findStream(serverStreams(store, serverId), params.streamId)) },
    { method: "PATCH", path: "/message-streams/{streamId}", handle: editStream },
    { method: "POST", path: "/message-streams/{streamId}/archive", handle: archiveStream },
    { method: "POST", path: "/message-streams/{streamId}/unarchive", handle: unarchiveStream },
  ],
  adminRoutes,
};
