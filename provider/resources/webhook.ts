/**
 * PostmarkWebhook: a webhook of a server's message stream (server token, found by the provider). Its HTTP auth
 * and headers are secrets (Postmark returns the password in clear). A webhook has no unique name, but Postmark
 * would make a second one with the same URL and stream (every event then sent twice): the provider refuses that
 * twin as Postmark refuses the other kinds' (unless `allowSameUrl`), and a create whose answer was lost is recovered
 * by finding the webhook with that URL on that stream that was not there before.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceDeclaration } from "../core/declaration";
import { interruptedCreateAdvice, PostmarkProviderError } from "../core/errors";
import { Field, Values } from "../core/fields";
import { ApiObject } from "../core/postmarkClient";
import { PostmarkResource } from "../core/resource";
import { defaultStreamTypes } from "./messageStream";

const enabled: Field = { input: "enabled", api: "Enabled", type: "boolean", default: false, description: "Whether the event is sent." };
const trigger = (input: string, api: string, description: string, extra: Field[] = []): Field => ({
  input,
  api,
  type: "object",
  fields: [enabled, ...extra],
  description,
});
const includeContent: Field = {
  input: "includeContent",
  api: "IncludeContent",
  type: "boolean",
  default: false,
  description: "Include the message's content in the payload.",
};

/** The stream a webhook declares: Postmark's default when none is. */
const streamOf = (news: Values) => String(news.messageStream ?? "outbound");
/** The key Postmark does not keep unique for webhooks: a webhook for this URL on this stream. */
const sameUrlAndStream = (webhook: ApiObject, news: Values) => webhook.Url === news.url && webhook.MessageStream === streamOf(news);

/** Postmark refuses these on Broadcasts streams (ErrorCode 1353). */
const notOnBroadcasts = ["bounce", "spamComplaint"];

export const webhookDeclaration: ResourceDeclaration = {
  kind: "PostmarkWebhook",
  noun: "webhook",
  description:
    "A webhook of a Postmark server's message stream: Postmark POSTs the chosen events (opens, clicks, deliveries, bounces, " +
    "spam complaints, subscription changes) to a URL. Its HTTP auth and headers are secrets.",
  token: "server",
  apiId: "ID",
  fields: [
    { input: "url", api: "Url", type: "url", required: true, description: "Where Postmark POSTs the events: an absolute http(s) URL." },
    {
      input: "messageStream",
      api: "MessageStream",
      type: "string",
      default: "outbound",
      replaceOnChange: true,
      references: { kind: "PostmarkMessageStream", property: "streamId" },
      description: "The ID of the message stream whose events are sent (not an Inbound stream). Default: outbound. Changing it replaces the webhook.",
    },
    {
      input: "httpAuth",
      api: "HttpAuth",
      type: "object",
      secret: true,
      fields: [
        { input: "username", api: "Username", type: "string", required: true, description: "The basic-auth user name." },
        { input: "password", api: "Password", type: "string", required: true, secret: true, description: "The basic-auth password." },
      ],
      description: "Basic auth Postmark sends with each request. Secret (Postmark returns the password in clear).",
    },
    {
      input: "httpHeaders",
      api: "HttpHeaders",
      type: "list",
      secret: true,
      default: [],
      fields: [
        { input: "name", api: "Name", type: "string", required: true, description: "The header's name." },
        { input: "value", api: "Value", type: "string", required: true, secret: true, description: "The header's value." },
      ],
      rule: (headers: unknown[]) => (headers.length > 30 ? "Postmark allows at most 30 headers" : undefined),
      description: "Headers Postmark sends with each request (at most 30). Secret. Removing it clears them.",
    },
    {
      input: "triggers",
      api: "Triggers",
      type: "object",
      edit: "changedMembers",
      fields: [
        trigger("open", "Open", "Opens.", [
          { input: "postFirstOpenOnly", api: "PostFirstOpenOnly", type: "boolean", default: false, description: "Only the first open of each message." },
        ]),
        trigger("click", "Click", "Link clicks."),
        trigger("delivery", "Delivery", "Deliveries."),
        trigger("bounce", "Bounce", "Bounces (not on Broadcasts streams).", [includeContent]),
        trigger("spamComplaint", "SpamComplaint", "Spam complaints (not on Broadcasts streams).", [includeContent]),
        trigger("subscriptionChange", "SubscriptionChange", "Subscription changes (unsubscribes, resubscribes)."),
      ],
      description:
        "Which events are sent. Only the triggers (and members) you declare are managed; one you stop declaring goes back " +
        "to disabled. A trigger not given on create is disabled.",
    },
  ],
  options: [
    {
      input: "allowSameUrl",
      api: "",
      type: "boolean",
      description:
        "Create this webhook even when its stream already has a webhook for the same URL (one of this stack, or made by hand): " +
        "Postmark then sends every event to that URL twice. Default: false, and such a create fails naming the webhook in " +
        "the way (an interrupted `pulumi up` may have made it: see the recover command).",
    },
  ],
  outputs: [{ output: "webhookId", api: "ID", type: "integer", description: "Postmark's numeric webhook ID." }],
  adopt: {
    input: "adoptWebhookId",
    type: "integer",
    description:
      "The ID of an existing webhook of this server to manage instead of creating one: it is read and brought to the " +
      "declared values with at most one edit.",
  },
  api: {
    create: { method: "POST", path: "/webhooks" },
    read: { method: "GET", path: "/webhooks/{id}" },
    update: { method: "PUT", path: "/webhooks/{id}" },
    delete: { method: "DELETE", path: "/webhooks/{id}" },
  },
  // Older Postmark answered any 422 whose message says "not found".
  isNotFound: (error) => error.errorCode === 1352 || error.status === 404 || (error.status === 422 && /not found/i.test(error.postmarkMessage)),
  label: (values) => String(values.url),
  hooks: {
    checkRules(news: Values) {
      const stream = news.messageStream ?? "outbound";
      const type = typeof stream === "string" ? defaultStreamTypes[stream] : undefined;
      const failures: { property: string; reason: string }[] = [];
      if (type === "Inbound") {
        failures.push({
          property: "messageStream",
          reason: `messageStream is "${stream}", an Inbound stream: Postmark sends inbound mail to the server's inboundHookUrl, not to webhooks`,
        });
      }
      const triggers = (news.triggers ?? {}) as Record<string, { enabled?: unknown } | undefined>;
      for (const name of notOnBroadcasts) {
        if (type === "Broadcasts" && triggers[name]?.enabled === true) {
          failures.push({ property: "triggers", reason: `triggers.${name}.enabled is true, but "${stream}" is a Broadcasts stream, which has no ${name} events` });
        }
      }
      return failures;
    },
    recovery: {
      listAll: async (context) => (await context.call<{ Webhooks: ApiObject[] }>({ method: "GET", path: "/webhooks" })).Webhooks,
      findSame: async (context, news) => {
        const params = { MessageStream: streamOf(news) };
        const { Webhooks } = await context.call<{ Webhooks: ApiObject[] }>({ method: "GET", path: "/webhooks" }, { params });
        return Webhooks.filter((w) => sameUrlAndStream(w, news));
      },
      // Postmark refuses no webhook for existing: the provider refuses twins itself (twinsBefore).
      isConflict: () => false,
      twinsBefore: (before, news) => (news.allowSameUrl === true ? [] : before.filter((w) => sameUrlAndStream(w, news))),
      async onConflict(context, news, twins) {
        const ids = twins.map((w) => w.ID).join(", ");
        return new PostmarkProviderError(
          `Stream "${streamOf(news)}" of server ${context.serverId} already has a webhook for ${news.url} (webhook ID ${ids}), and a ` +
            "second one would receive every event again. To manage that webhook from this program, set " +
            `\`adoptWebhookId: ${twins[0].ID}\` on this resource. ${interruptedCreateAdvice("webhook")} If another resource of ` +
            "this stack manages it and you want both, set `allowSameUrl: true` on this one. Nothing was changed.",
        );
      },
    },
  },
};

/** One kind of event and whether Postmark sends it. */
export interface WebhookTrigger {
  /** Whether Postmark sends this event. Default: false. */
  enabled?: pulumi.Input<boolean>;
}

/** Which events a webhook sends. Only what you declare is managed. */
export interface WebhookTriggers {
  /** Opens; `postFirstOpenOnly` sends only the first open of each message. */
  open?: pulumi.Input<WebhookTrigger & { postFirstOpenOnly?: pulumi.Input<boolean> }>;
  /** Link clicks. */
  click?: pulumi.Input<WebhookTrigger>;
  /** Deliveries. */
  delivery?: pulumi.Input<WebhookTrigger>;
  /** Bounces; not on Broadcasts streams. `includeContent` adds the message's content. */
  bounce?: pulumi.Input<WebhookTrigger & { includeContent?: pulumi.Input<boolean> }>;
  /** Spam complaints; not on Broadcasts streams. `includeContent` adds the message's content. */
  spamComplaint?: pulumi.Input<WebhookTrigger & { includeContent?: pulumi.Input<boolean> }>;
  /** Subscription changes (unsubscribes and resubscribes). */
  subscriptionChange?: pulumi.Input<WebhookTrigger>;
}

/** A webhook of a Postmark server's message stream. */
export interface PostmarkWebhookArgs {
  /** The ID of the server, e.g. `server.serverId`. Changing it replaces the webhook. */
  serverId: pulumi.Input<number>;
  /** That server's API token, if you hold only a server token. Default: found with the account token. Secret. */
  serverToken?: pulumi.Input<string>;
  /** Where Postmark POSTs the events: an absolute http(s) URL. */
  url: pulumi.Input<string>;
  /** The message stream whose events are sent (not an Inbound stream). Default: `outbound`. Changing it replaces the webhook. */
  messageStream?: pulumi.Input<string>;
  /** Basic auth sent with each request. Stored encrypted (Postmark returns the password in clear). */
  httpAuth?: pulumi.Input<{ username: pulumi.Input<string>; password: pulumi.Input<string> }>;
  /** Headers sent with each request, at most 30. Stored encrypted. Removing it clears them. */
  httpHeaders?: pulumi.Input<pulumi.Input<{ name: pulumi.Input<string>; value: pulumi.Input<string> }>[]>;
  /** Which events are sent; a trigger not declared on create is disabled. */
  triggers?: pulumi.Input<WebhookTriggers>;
  /** The ID of a webhook made by hand on this server, to manage it instead of creating one. */
  adoptWebhookId?: pulumi.Input<number>;
  /**
   * Create it even when its stream already has a webhook for the same URL: Postmark then sends every event there twice.
   * Default: false, and such a create fails naming that webhook.
   */
  allowSameUrl?: pulumi.Input<boolean>;
}

/**
 * A webhook of a Postmark server's message stream.
 *
 * @example
 * new PostmarkWebhook("bounces", { serverId: server.serverId, url: "https://hooks.example.com/postmark", triggers: { bounce: { enabled: true } } });
 */
export class PostmarkWebhook extends PostmarkResource {
  declare readonly serverId: pulumi.Output<number>;
  /** Postmark's numeric webhook ID. */
  declare readonly webhookId: pulumi.Output<number>;
  declare readonly url: pulumi.Output<string>;
  declare readonly messageStream: pulumi.Output<string>;
  /** Secret. */
  declare readonly httpAuth: pulumi.Output<{ username: string; password: string } | undefined>;
  /** Secret. */
  declare readonly httpHeaders: pulumi.Output<{ name: string; value: string }[] | undefined>;
  declare readonly triggers: pulumi.Output<Required<{ [K in keyof WebhookTriggers]: Record<string, boolean> }>>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;

  /** Reads an existing webhook without managing it; `id` is "<serverId>/<webhookId>". */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkWebhook {
    return new PostmarkWebhook(name, undefined as unknown as PostmarkWebhookArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super(webhookDeclaration, name, args, opts);
  }
}
