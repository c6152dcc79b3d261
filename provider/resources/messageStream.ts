/**
 * PostmarkMessageStream: a message stream of a server (server token, found by the provider). Postmark has no
 * delete for streams: destroy archives one, and Postmark purges it 45 days later. The default streams every
 * server has (outbound, inbound, broadcast) are managed in place and only forgotten on destroy.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceContext, ResourceDeclaration } from "../core/declaration";
import { notice } from "../core/notices";
import { interruptedCreateAdvice, PostmarkApiError, PostmarkProviderError } from "../core/errors";
import { unknownValue, Values } from "../core/fields";
import { ApiObject } from "../core/postmarkClient";
import { PostmarkResource } from "../core/resource";

export const messageStreamTypes = ["Transactional", "Broadcasts", "Inbound"] as const;
export const unsubscribeHandlingTypes = ["None", "Postmark", "Custom"] as const;
/** Every server has these; they cannot be created or archived. */
export const defaultStreamTypes: Record<string, (typeof messageStreamTypes)[number]> = {
  outbound: "Transactional",
  inbound: "Inbound",
  broadcast: "Broadcasts",
};

const streamIdRule = (id: string): string | undefined => {
  if (!/^[a-z][a-z0-9_-]*$/.test(id)) return "it must start with a lowercase letter and hold only lowercase letters, digits, - and _";
  if (id.length > 30) return "it must be at most 30 characters";
  if (id.startsWith("pm-")) return 'it must not start with "pm-" (reserved by Postmark)';
  if (id === "all") return '"all" is reserved by Postmark';
  return undefined;
};

/**
 * The name Postmark gives each default stream (the emulator's reading; uncertain for Postmark): a default stream still
 * so named, with no description and its type's unsubscribe handling, is as Postmark made it. One named otherwise is
 * simply declared by a scan, which changes nothing.
 */
const defaultStreamNames: Record<string, string> = {
  outbound: "Default Transactional Stream",
  inbound: "Default Inbound Stream",
  broadcast: "Default Broadcast Stream",
};
const defaultHandling = (type: unknown) => (type === "Broadcasts" ? "Postmark" : "None");

const streamPath = "/message-streams/{id}";
const isDefaultStream = (id: unknown) => typeof id === "string" && id in defaultStreamTypes;
const notFound = (error: PostmarkApiError) => error.errorCode === 1226 || error.status === 404;

async function readStream(context: ResourceContext, id: string): Promise<ApiObject | undefined> {
  try {
    return await context.call({ method: "GET", path: streamPath }, { id });
  } catch (e) {
    if (e instanceof PostmarkApiError && notFound(e)) return undefined;
    throw e;
  }
}

const unarchive = (context: ResourceContext, id: string) =>
  context.call({ method: "POST", path: `${streamPath}/unarchive`, verb: "unarchive" }, { id, body: {}, retryAmbiguous: true });

export const messageStreamDeclaration: ResourceDeclaration = {
  kind: "PostmarkMessageStream",
  noun: "message stream",
  description:
    "A message stream of a Postmark server: a broadcast stream for newsletters beside the transactional `outbound`, say. " +
    "Destroy archives a stream (Postmark has no delete) and Postmark purges it 45 days later; until then, declaring it " +
    "again unarchives it. The default streams `outbound`, `inbound` and `broadcast` exist with every server: declaring " +
    "one manages it (its name and description), and removing it from the program only stops managing it.",
  token: "server",
  apiId: "ID",
  fields: [
    {
      input: "streamId",
      api: "ID",
      type: "string",
      required: true,
      replaceOnChange: true,
      rule: streamIdRule,
      description:
        "The stream's ID, unique in the server: a lowercase letter, then lowercase letters, digits, - and _, at most 30 characters, " +
        'not starting with "pm-". Changing it replaces the stream.',
    },
    {
      input: "name",
      api: "Name",
      type: "string",
      required: true,
      rule: (name: string) => (name.length > 100 ? "it must be at most 100 characters" : undefined),
      description: "The stream's name, at most 100 characters.",
    },
    {
      input: "description",
      api: "Description",
      type: "string",
      rule: (text: string) =>
        text.length > 1000 ? "it must be at most 1000 characters" : /[<>]/.test(text) ? "it must not contain HTML (< or >)" : undefined,
      description: "What the stream is for, at most 1000 characters, no HTML.",
    },
    {
      input: "messageStreamType",
      api: "MessageStreamType",
      type: "enum",
      allowed: messageStreamTypes,
      replaceOnChange: true,
      description:
        "Transactional, Broadcasts or Inbound (a server has one Inbound stream, the default `inbound`). Required for a new stream; " +
        "a default stream's type is fixed. Changing it replaces the stream, which needs a new streamId too.",
    },
    {
      input: "unsubscribeHandlingType",
      api: "SubscriptionManagementConfiguration.UnsubscribeHandlingType",
      type: "enum",
      allowed: unsubscribeHandlingTypes,
      description:
        "None, Postmark or Custom (Custom once Postmark support enables it). Broadcasts streams must handle unsubscribes " +
        "(Postmark or Custom); Inbound streams take None. Default: Postmark for Broadcasts, None otherwise.",
    },
  ],
  outputs: [
    { output: "createdAt", api: "CreatedAt", description: "When Postmark created the stream (ISO 8601)." },
  ],
  adopt: {
    input: "adoptStreamId",
    type: "string",
    description:
      "Set it to the streamId of a stream that already exists (made by hand) to manage it instead of creating one; " +
      "it is read and brought to the declared values with at most one edit. Default streams need no adoption.",
  },
  api: {
    create: { method: "POST", path: "/message-streams" },
    read: { method: "GET", path: streamPath },
    update: { method: "PATCH", path: streamPath },
  },
  isNotFound: notFound,
  // An archived stream still answers 200; for the program it is gone.
  isGone: (stream) => stream.ArchivedAt !== null && stream.ArchivedAt !== undefined,
  label: (values) => String(values.streamId),
  hooks: {
    checkRules(news: Values, olds: Values) {
      const failures: { property: string; reason: string }[] = [];
      const fail = (property: string, reason: string) => failures.push({ property, reason });
      // A value not known until other resources exist (in preview) is checked by the run that knows it.
      const known = (value: unknown) => (value === unknownValue ? undefined : value);
      const [streamId, type, handling, adoptId] = [news.streamId, news.messageStreamType, news.unsubscribeHandlingType, news.adoptStreamId].map(known);
      const fixedType = typeof streamId === "string" ? defaultStreamTypes[streamId] : undefined;
      if (fixedType && type !== undefined && type !== fixedType) {
        fail("messageStreamType", `messageStreamType is "${type}", but the default stream "${streamId}" is ${fixedType}`);
      }
      if (!fixedType && typeof streamId === "string" && news.messageStreamType === undefined) {
        fail("messageStreamType", `messageStreamType is required for a new stream ("${streamId}"): Transactional or Broadcasts`);
      }
      if (!fixedType && typeof streamId === "string" && type === "Inbound") {
        fail("messageStreamType", 'messageStreamType is "Inbound"; a server has one Inbound stream, the default "inbound": declare streamId "inbound"');
      }
      const effectiveType = fixedType ?? type;
      if (effectiveType === "Broadcasts" && handling === "None") {
        fail("unsubscribeHandlingType", 'unsubscribeHandlingType is "None"; a Broadcasts stream must handle unsubscribes: Postmark or Custom');
      }
      if (effectiveType === "Inbound" && handling !== undefined && handling !== "None") {
        fail("unsubscribeHandlingType", `unsubscribeHandlingType is ${JSON.stringify(handling)}; an Inbound stream takes only None`);
      }
      if (adoptId !== undefined && streamId !== undefined && adoptId !== streamId) {
        fail("adoptStreamId", `adoptStreamId is ${JSON.stringify(adoptId)}; it must equal streamId (${JSON.stringify(streamId)})`);
      }
      // Postmark keeps an archived stream's ID until it is purged, so the replacement could not take the same ID.
      if (olds.streamId !== undefined && olds.streamId === streamId && olds.messageStreamType !== undefined && type !== undefined && olds.messageStreamType !== type) {
        fail(
          "messageStreamType",
          `messageStreamType cannot change from ${olds.messageStreamType} to ${type} for stream "${streamId}": the old stream ` +
            "is archived, and Postmark keeps its ID for 45 days. Give the new stream a new streamId.",
        );
      }
      return failures;
    },
    madeByPostmark: (stream) =>
      isDefaultStream(stream.ID) &&
      stream.Name === defaultStreamNames[stream.ID as string] &&
      !stream.Description &&
      (stream.SubscriptionManagementConfiguration as Values | undefined)?.UnsubscribeHandlingType === defaultHandling(stream.MessageStreamType),
    // The default streams exist with the server: declaring one manages it (unarchiving a default broadcast stream).
    async existingInsteadOfCreate(context, news) {
      if (!isDefaultStream(news.streamId)) return undefined;
      const stream = await readStream(context, String(news.streamId));
      if (!stream) return undefined;
      return stream.ArchivedAt ? unarchive(context, String(news.streamId)) : stream;
    },
    recovery: {
      listAll: async (context) =>
        (
          await context.call<{ MessageStreams: ApiObject[] }>(
            { method: "GET", path: "/message-streams" },
            { params: { MessageStreamType: "All", IncludeArchivedStreams: true } },
          )
        ).MessageStreams,
      findSame: async (context, news) => {
        const stream = await readStream(context, String(news.streamId));
        return stream ? [stream] : [];
      },
      isConflict: (error) => error.errorCode === 1230,
      async onConflict(context, news, [existing]) {
        // Archived but not purged: declaring it again brings it back instead of failing, if it is of the declared type.
        if (existing.ArchivedAt) {
          const declaredType = news.messageStreamType;
          if (declaredType !== undefined && String(declaredType).toLowerCase() !== String(existing.MessageStreamType).toLowerCase()) {
            return new PostmarkProviderError(
              `The message stream "${existing.ID}" of server ${context.serverId} is archived and ${existing.MessageStreamType}, but the ` +
                `program declares messageStreamType "${declaredType}": Postmark keeps an archived stream's ID until it is purged ` +
                `(${existing.ExpectedPurgeDate}) and cannot change its type. Declare messageStreamType "${existing.MessageStreamType}" ` +
                "to bring it back, or choose another streamId.",
            );
          }
          return unarchive(context, String(existing.ID));
        }
        return new PostmarkProviderError(
          `A message stream "${existing.ID}" already exists on server ${context.serverId}. To manage it from this program, ` +
            `set \`adoptStreamId: "${existing.ID}"\` on this resource; otherwise choose another streamId. ${interruptedCreateAdvice("message stream")}`,
        );
      },
    },
    async delete(context, streamId) {
      if (isDefaultStream(streamId)) {
        notice(`Message stream "${streamId}" of server ${context.serverId} is a default stream: Postmark keeps it; it is no longer managed.`);
        return;
      }
      const archived = await context.call<{ ExpectedPurgeDate?: string }>(
        { method: "POST", path: `${streamPath}/archive`, verb: "archive" },
        { id: streamId, body: {}, retryAmbiguous: true },
      );
      notice(
        `Message stream "${streamId}" of server ${context.serverId} archived: Postmark purges it on ${archived.ExpectedPurgeDate} ` +
          "(45 days); until then, declaring it again unarchives it.",
      );
    },
  },
};

export type MessageStreamType = (typeof messageStreamTypes)[number];
export type UnsubscribeHandlingType = (typeof unsubscribeHandlingTypes)[number];

/** A message stream of a Postmark server. */
export interface PostmarkMessageStreamArgs {
  /** The ID of the server this stream belongs to, e.g. `server.serverId`. Changing it replaces the stream. */
  serverId: pulumi.Input<number>;
  /** That server's API token, if you hold only a server token. Default: found with the account token. Secret. */
  serverToken?: pulumi.Input<string>;
  /**
   * The stream's ID, unique in the server: a lowercase letter, then lowercase letters, digits, `-` and `_`, at most 30
   * characters, not starting with `pm-`. `outbound`, `inbound` and `broadcast` are the default streams every server has.
   * Changing it replaces the stream.
   */
  streamId: pulumi.Input<string>;
  /** The stream's name, at most 100 characters. */
  name: pulumi.Input<string>;
  /** What the stream is for, at most 1000 characters, no HTML. */
  description?: pulumi.Input<string>;
  /**
   * `Transactional` or `Broadcasts` for a new stream (required); a default stream's type is fixed. Changing it replaces
   * the stream, which then needs a new `streamId` too (Postmark keeps an archived stream's ID for 45 days).
   */
  messageStreamType?: pulumi.Input<MessageStreamType>;
  /** `None`, `Postmark` or `Custom`. Broadcasts streams need Postmark or Custom. Default: Postmark for Broadcasts, None otherwise. */
  unsubscribeHandlingType?: pulumi.Input<UnsubscribeHandlingType>;
  /** The streamId of a stream made by hand, to manage it instead of creating one (must equal `streamId`). */
  adoptStreamId?: pulumi.Input<string>;
}

/**
 * A message stream of a Postmark server. Destroy archives it; Postmark purges it 45 days later.
 *
 * @example
 * new PostmarkMessageStream("newsletters", { serverId: server.serverId, streamId: "newsletters", name: "Newsletters", messageStreamType: "Broadcasts" });
 */
export class PostmarkMessageStream extends PostmarkResource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly streamId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | null>;
  declare readonly messageStreamType: pulumi.Output<MessageStreamType>;
  declare readonly unsubscribeHandlingType: pulumi.Output<UnsubscribeHandlingType>;
  /** When Postmark created the stream (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;

  /** Reads an existing stream without managing it; `id` is "<serverId>/<streamId>". */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkMessageStream {
    return new PostmarkMessageStream(name, undefined as unknown as PostmarkMessageStreamArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkMessageStreamArgs, opts?: pulumi.CustomResourceOptions) {
    super(messageStreamDeclaration, name, args, opts);
  }
}
