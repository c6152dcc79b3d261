/**
 * Postmark's Webhooks API (server token): /webhooks. A webhook belongs to one stream of the server whose token
 * created it; it cannot move to another stream. ErrorCodes 1350-1361 from Postmark's published list; see
 * /work/shared/postmark-more-apis.md and the README for the choices where Postmark's behaviour is unknown.
 */
import { AdminContext, AdminRoute, ApiModule, ServerRequestContext } from "../api";
import { adminNotFound, badRequest, coreErrorCodes, invalid } from "../errors";
import { Answer, ok, queryParam } from "../http";
import { StateStore, StoreDraft } from "../store";
import { draftStreams, findStream, MessageStream, serverStreams } from "./messageStreams";
import { isPublicHttpUrl, serverByHand } from "./servers";

export const webhookErrorCodes = {
  ArchivedStream: 1350,
  InboundStream: 1351,
  NotFound: 1352,
  TriggerNotSupported: 1353,
  InvalidUrl: 1354,
  EmptyBody: 1355,
  IdOnCreate: 1356,
  ImmutableField: 1357,
  InvalidHeaderName: 1358,
  WebhookLimit: 1359,
  InvalidFieldValue: 1361,
} as const;

/** Every trigger and its flags, in the order Postmark returns them; responses always carry all of them. */
const triggerFlags = {
  Open: ["Enabled", "PostFirstOpenOnly"],
  Click: ["Enabled"],
  Delivery: ["Enabled"],
  Bounce: ["Enabled", "IncludeContent"],
  SpamComplaint: ["Enabled", "IncludeContent"],
  SubscriptionChange: ["Enabled"],
} as const;
type TriggerName = keyof typeof triggerFlags;
type Triggers = { [T in TriggerName]: { [F in (typeof triggerFlags)[T][number]]: boolean } };
const triggerNames = Object.keys(triggerFlags) as TriggerName[];

/** Broadcast streams send no bounces or complaints to a webhook. */
const notOnBroadcasts: TriggerName[] = ["Bounce", "SpamComplaint"];

const maxWebhooksPerStream = 10;
const maxHeaders = 30;
/** RFC 9110 token characters. */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface HttpAuth {
  Username: string;
  Password: string;
}
interface HttpHeader {
  Name: string;
  Value: string;
}

/** A webhook as stored: Postmark's fields plus its owner's ServerID, which responses leave out. */
export interface StoredWebhook {
  ID: number;
  ServerID: number;
  Url: string;
  MessageStream: string;
  /** Absent when none is set; GET returns the password in clear, as Postmark does. */
  HttpAuth?: HttpAuth;
  /** Absent when there are none. */
  HttpHeaders?: HttpHeader[];
  Triggers: Triggers;
}

export const webhooksCollection = "webhooks";

const noTriggers = (): Triggers => Object.fromEntries(triggerNames.map((t) => [t, Object.fromEntries(triggerFlags[t].map((f) => [f, false]))])) as Triggers;

/** Postmark's response: its field order, no ServerID. */
function asPostmark({ ID, Url, MessageStream, HttpAuth, HttpHeaders, Triggers }: StoredWebhook) {
  return { ID, Url, MessageStream, ...(HttpAuth && { HttpAuth }), ...(HttpHeaders && { HttpHeaders }), Triggers };
}

const storedWebhooks = (store: StateStore | StoreDraft): StoredWebhook[] => store.list<StoredWebhook>(webhooksCollection).sort((a, b) => a.ID - b.ID);

const invalidField = (message: string) => invalid(coreErrorCodes.InvalidRequestFields, message);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

interface WebhookBody {
  Url?: string;
  MessageStream?: string;
  /** null removes it. */
  HttpAuth?: HttpAuth | null;
  HttpHeaders?: HttpHeader[];
  Triggers?: Partial<Triggers>;
}

/**
 * Checks a create or edit body the way Postmark does: the body's presence, the fields a mode refuses, JSON
 * types (403), then values. Returns the fields as sent.
 */
function parseWebhookBody({ bodyText, json }: ServerRequestContext, mode: "create" | "edit"): WebhookBody {
  const empty = () => invalid(webhookErrorCodes.EmptyBody, "The request body is empty: send the webhook's fields.");
  if (bodyText.trim() === "") throw empty();
  const body = json();
  if (body === null) throw empty();
  if (!isObject(body)) throw invalidField("The request body must be a JSON object of webhook fields.");
  if (mode === "create" && "ID" in body) throw invalid(webhookErrorCodes.IdOnCreate, "The 'ID' of a webhook is assigned by Postmark: do not send it on create.");
  if (mode === "edit") {
    const immutable = ["ID", "MessageStream"].find((field) => field in body);
    if (immutable) throw invalid(webhookErrorCodes.ImmutableField, `'${immutable}' cannot be changed after the webhook has been created.`);
    if (Object.keys(body).length === 0) throw empty();
  }
  const allowed = ["Url", "HttpAuth", "HttpHeaders", "Triggers", ...(mode === "create" ? ["MessageStream"] : [])];
  for (const [name, value] of Object.entries(body)) {
    if (!allowed.includes(name)) throw invalidField(`Unknown or read-only field '${name}' in the request body.`);
    if (!hasType(name, value)) throw invalidField(`Invalid value for '${name}': ${JSON.stringify(value)}.`);
  }
  const fields = body as WebhookBody;
  if (mode === "create" || "Url" in fields) checkUrl(fields.Url);
  if (fields.HttpHeaders) {
    for (const header of fields.HttpHeaders) {
      if (!headerName.test(header.Name)) throw invalid(webhookErrorCodes.InvalidHeaderName, `Invalid HTTP header name ${JSON.stringify(header.Name)} in 'HttpHeaders'.`);
    }
    if (fields.HttpHeaders.length > maxHeaders) throw invalid(webhookErrorCodes.InvalidFieldValue, `A webhook can have at most ${maxHeaders} custom HTTP headers.`);
  }
  return fields;
}

function hasType(name: string, value: unknown): boolean {
  const strings = (object: unknown, keys: string[]) => isObject(object) && Object.entries(object).every(([k, v]) => keys.includes(k) && typeof v === "string");
  switch (name) {
    case "Url":
    case "MessageStream":
      return typeof value === "string";
    case "HttpAuth":
      return value === null || strings(value, ["Username", "Password"]);
    case "HttpHeaders":
      return Array.isArray(value) && value.every((h) => strings(h, ["Name", "Value"]) && "Name" in h && "Value" in h);
    case "Triggers":
      return (
        isObject(value) &&
        Object.entries(value).every(
          ([trigger, flags]) =>
            Object.hasOwn(triggerFlags, trigger) &&
            isObject(flags) &&
            Object.entries(flags).every(([flag, on]) => (triggerFlags[trigger as TriggerName] as readonly string[]).includes(flag) && typeof on === "boolean"),
        )
      );
    default:
      return false;
  }
}

/** http and https both; as for the server hook URLs, nothing inside a private network. */
function checkUrl(value: string | undefined): void {
  if (value === undefined || !isPublicHttpUrl(value)) {
    throw invalid(webhookErrorCodes.InvalidUrl, `Invalid or missing webhook 'Url': ${JSON.stringify(value ?? null)}. It must be an absolute http(s) URL outside internal IP ranges.`);
  }
}

/** The stream a webhook may be attached to: existing, not archived, not inbound. */
function attachableStream(streams: MessageStream[], streamId: string): MessageStream {
  const stream = findStream(streams, streamId);
  if (stream.ArchivedAt !== null) throw invalid(webhookErrorCodes.ArchivedStream, `The message stream '${stream.ID}' is archived: webhooks cannot be attached to it.`);
  if (stream.MessageStreamType === "Inbound") {
    throw invalid(webhookErrorCodes.InboundStream, `Webhooks cannot be attached to the inbound stream '${stream.ID}': inbound mail uses the server's InboundHookUrl.`);
  }
  return stream;
}

function checkTriggersFor(stream: MessageStream, triggers: Triggers): void {
  if (stream.MessageStreamType !== "Broadcasts") return;
  const unsupported = notOnBroadcasts.find((t) => triggers[t].Enabled);
  if (unsupported) throw invalid(webhookErrorCodes.TriggerNotSupported, `The ${unsupported} trigger is not available on the broadcast stream '${stream.ID}'.`);
}

/** A named trigger is replaced whole: a flag it does not send becomes false. Triggers it does not name stay. */
function mergeTriggers(current: Triggers, sent: Partial<Triggers> | undefined): Triggers {
  const merged = { ...current };
  for (const [name, flags] of Object.entries(sent ?? {}) as [TriggerName, Record<string, boolean>][]) {
    merged[name] = { ...noTriggers()[name], ...flags } as never;
  }
  return merged;
}

/** Auth is set when it holds a username or a password; null or two empty strings remove it. */
const authOrNone = (auth: HttpAuth | null | undefined): HttpAuth | undefined =>
  auth && (auth.Username || auth.Password) ? { Username: auth.Username ?? "", Password: auth.Password ?? "" } : undefined;

function withOptional(webhook: StoredWebhook, auth: HttpAuth | undefined, headers: HttpHeader[] | undefined): StoredWebhook {
  const { HttpAuth: _auth, HttpHeaders: _headers, ...rest } = webhook;
  return { ...rest, ...(auth && { HttpAuth: auth }), ...(headers && headers.length > 0 && { HttpHeaders: headers.map(({ Name, Value }) => ({ Name, Value })) }) };
}

function ownWebhook(store: StateStore | StoreDraft, serverId: number, id: number): StoredWebhook {
  const found = storedWebhooks(store).find((w) => w.ID === id && w.ServerID === serverId);
  if (!found) throw invalid(webhookErrorCodes.NotFound, `The webhook ${id} was not found.`);
  return found;
}

function listWebhooks({ store, serverId, query }: ServerRequestContext): Answer {
  const streamId = queryParam(query, "MessageStream");
  // An unknown stream is an error, not an empty list.
  if (streamId !== undefined) findStream(serverStreams(store, serverId), streamId);
  const webhooks = storedWebhooks(store).filter((w) => w.ServerID === serverId && (streamId === undefined || w.MessageStream === streamId));
  return ok({ Webhooks: webhooks.map(asPostmark) });
}

function createWebhook(context: ServerRequestContext): Answer {
  const fields = parseWebhookBody(context, "create");
  const { store, serverId } = context;
  return ok(
    asPostmark(
      store.change((draft) => {
        const stream = attachableStream(draftStreams(draft, serverId), fields.MessageStream ?? "outbound");
        const triggers = mergeTriggers(noTriggers(), fields.Triggers);
        checkTriggersFor(stream, triggers);
        const all = storedWebhooks(draft);
        if (all.filter((w) => w.ServerID === serverId && w.MessageStream === stream.ID).length >= maxWebhooksPerStream) {
          throw invalid(webhookErrorCodes.WebhookLimit, `The message stream '${stream.ID}' already has ${maxWebhooksPerStream} webhooks, the most it can have.`);
        }
        const webhook = withOptional(
          { ID: draft.takeId(webhooksCollection), ServerID: serverId, Url: fields.Url!, MessageStream: stream.ID, Triggers: triggers },
          authOrNone(fields.HttpAuth),
          fields.HttpHeaders,
        );
        draft.replace(webhooksCollection, [...all, webhook]);
        return webhook;
      }),
    ),
  );
}

function editWebhook(context: ServerRequestContext): Answer {
  const fields = parseWebhookBody(context, "edit");
  const { store, serverId, params } = context;
  return ok(
    asPostmark(
      store.change((draft) => {
        const webhook = ownWebhook(draft, serverId, Number(params.id));
        const stream = attachableStream(draftStreams(draft, serverId), webhook.MessageStream);
        const triggers = mergeTriggers(webhook.Triggers, fields.Triggers);
        checkTriggersFor(stream, triggers);
        const updated = withOptional(
          { ...webhook, ...(fields.Url !== undefined && { Url: fields.Url }), Triggers: triggers },
          "HttpAuth" in fields ? authOrNone(fields.HttpAuth) : webhook.HttpAuth,
          fields.HttpHeaders ?? webhook.HttpHeaders,
        );
        draft.replace(webhooksCollection, storedWebhooks(draft).map((w) => (w.ID === updated.ID ? updated : w)));
        return updated;
      }),
    ),
  );
}

function deleteWebhook({ store, serverId, params }: ServerRequestContext): Answer {
  const id = Number(params.id);
  store.change((draft) => {
    ownWebhook(draft, serverId, id);
    draft.replace(webhooksCollection, storedWebhooks(draft).filter((w) => w.ID !== id));
  });
  return ok({ ErrorCode: 0, Message: `Webhook ${id} removed.` });
}

function webhookByHand(draft: StoreDraft, id: string): StoredWebhook {
  return storedWebhooks(draft).find((w) => w.ID === Number(id)) ?? adminNotFound(`No webhook with ID ${id}`);
}

const adminRoutes: AdminRoute[] = [
  {
    method: "GET",
    path: "/webhooks",
    handle: ({ store, query }: AdminContext) => {
      const serverId = query.get("serverId");
      return ok(storedWebhooks(store).filter((w) => serverId === null || w.ServerID === Number(serverId)));
    },
  },
  {
    // As in Postmark's web UI: an ID, the default stream and all triggers off unless given; nothing is checked.
    method: "POST",
    path: "/servers/{serverId:int}/webhooks",
    handle: async ({ store, params, body }: AdminContext) => {
      const serverId = serverByHand({ store, params });
      const fields = await body();
      if ("ID" in fields || "ServerID" in fields) throw badRequest("the ID is assigned and the ServerID comes from the path");
      return ok(
        store.change((draft) => {
          draftStreams(draft, serverId);
          const webhook = {
            ID: draft.takeId(webhooksCollection),
            ServerID: serverId,
            Url: "",
            MessageStream: "outbound",
            ...fields,
            Triggers: mergeTriggers(noTriggers(), isObject(fields.Triggers) ? (fields.Triggers as Partial<Triggers>) : undefined),
          } as StoredWebhook;
          draft.replace(webhooksCollection, [...storedWebhooks(draft), webhook]);
          return webhook;
        }),
      );
    },
  },
  {
    // Bypasses every check, e.g. to simulate drift; fields are replaced whole (Triggers too).
    method: "PATCH",
    path: "/webhooks/{id:int}",
    handle: async ({ store, params, body }: AdminContext) => {
      const fields = await body();
      if ("ID" in fields || "ServerID" in fields) throw badRequest("the ID and ServerID cannot be changed");
      return ok(
        store.change((draft) => {
          const updated = { ...webhookByHand(draft, params.id), ...fields } as StoredWebhook;
          draft.replace(webhooksCollection, storedWebhooks(draft).map((w) => (w.ID === updated.ID ? updated : w)));
          return updated;
        }),
      );
    },
  },
  {
    method: "DELETE",
    path: "/webhooks/{id:int}",
    handle: ({ store, params }: AdminContext) =>
      ok(
        store.change((draft) => {
          const removed = webhookByHand(draft, params.id);
          draft.replace(webhooksCollection, storedWebhooks(draft).filter((w) => w !== removed));
          return removed;
        }),
      ),
  },
];

export const webhooksApi: ApiModule = {
  name: "webhooks",
  token: "server",
  collections: [{ name: webhooksCollection, idCounter: "nextWebhookId", ownerField: "ServerID", streamField: "MessageStream" }],
  routes: [
    { method: "GET", path: "/webhooks", handle: listWebhooks },
    { method: "POST", path: "/webhooks", create: true, handle: createWebhook },
    { method: "GET", path: "/webhooks/{id:int}", handle: ({ store, serverId, params }) => ok(asPostmark(ownWebhook(store, serverId, Number(params.id)))) },
    { method: "PUT", path: "/webhooks/{id:int}", handle: editWebhook },
    { method: "DELETE", path: "/webhooks/{id:int}", handle: deleteWebhook },
  ],
  adminRoutes,
};
