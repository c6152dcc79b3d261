/**
 * PostmarkServer: a server, through Postmark's account-level Servers API. The declaration below is the single
 * source of truth: check, diff, request bodies, outputs, read's inputs and the docs are derived from it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceDeclaration } from "../core/declaration";
import { interruptedCreateAdvice, PostmarkApiError, PostmarkProviderError } from "../core/errors";
import { Field, unknownValue } from "../core/fields";
import { ApiServer } from "../core/postmarkClient";
import { PostmarkResource } from "../core/resource";

export const serverColors = ["Purple", "Blue", "Turquoise", "Green", "Red", "Yellow", "Grey", "Orange"] as const;
export const deliveryTypes = ["Live", "Sandbox"] as const;
export const trackLinksOptions = ["None", "HtmlAndText", "HtmlOnly", "TextOnly"] as const;
export const spamThresholds = [0, 5, 10, 15, 20, 25, 30] as const;

const hookUrl = (input: string, api: string, description: string): Field => ({
  input,
  api,
  type: "url",
  default: "",
  emptyMeansNone: true,
  description,
});
const flag = (input: string, api: string, description: string, knownDefault = true): Field => ({
  input,
  api,
  type: "boolean",
  default: knownDefault ? false : undefined,
  description,
});
const deprecatedHook = (event: string) =>
  `URL Postmark POSTs ${event} events to; "" for none. Deprecated by Postmark in favour of webhooks (PostmarkWebhook).`;

export const serverDeclaration: ResourceDeclaration = {
  kind: "PostmarkServer",
  noun: "server",
  description: "A Postmark server, managed through Postmark's account-level Servers API (account token).",
  token: "account",
  apiId: "ID",
  fields: [
    { input: "name", api: "Name", type: "string", required: true, description: "The server's name, unique in the account (Postmark compares it ignoring case)." },
    // Postmark picks a color when none is sent; no documented default, so an undeclared color is left alone.
    { input: "color", api: "Color", type: "enum", allowed: serverColors, description: "Color of the server in Postmark's server list; any case is accepted." },
    flag("smtpApiActivated", "SmtpApiActivated", "Whether SMTP sending is enabled (servers made through the API have it off)."),
    flag("rawEmailEnabled", "RawEmailEnabled", "Include the raw email content in inbound webhook payloads."),
    {
      input: "deliveryType",
      api: "DeliveryType",
      type: "enum",
      allowed: deliveryTypes,
      replaceOnChange: true,
      description: "`Live` sends mail; `Sandbox` accepts mail and never delivers it. Default: Live.",
    },
    hookUrl("inboundHookUrl", "InboundHookUrl", 'URL Postmark POSTs each inbound message to; "" for none.'),
    hookUrl("bounceHookUrl", "BounceHookUrl", deprecatedHook("bounce")),
    hookUrl("openHookUrl", "OpenHookUrl", deprecatedHook("open")),
    hookUrl("deliveryHookUrl", "DeliveryHookUrl", deprecatedHook("delivery")),
    hookUrl("clickHookUrl", "ClickHookUrl", deprecatedHook("click")),
    flag("postFirstOpenOnly", "PostFirstOpenOnly", "Only the first open by a recipient triggers the open webhook."),
    { input: "inboundDomain", api: "InboundDomain", type: "string", default: "", description: 'Inbound domain for MX setup; "" for none.' },
    {
      input: "inboundSpamThreshold",
      api: "InboundSpamThreshold",
      type: "integer",
      allowed: spamThresholds,
      default: 0,
      description: "Highest spam score an inbound message may have before it is blocked.",
    },
    flag("trackOpens", "TrackOpens", "Open tracking for every email sent through this server."),
    {
      input: "trackLinks",
      api: "TrackLinks",
      type: "enum",
      allowed: trackLinksOptions,
      default: "None",
      description: "Which message bodies get link tracking.",
    },
    // Postmark's default for this one is not documented (its examples show true), so it is not reset.
    flag("includeBounceContentInHook", "IncludeBounceContentInHook", "Include the bounce's content in bounce webhooks.", false),
    flag("enableSmtpApiErrorHooks", "EnableSmtpApiErrorHooks", "Include SMTP API errors in bounce webhooks."),
  ],
  outputs: [
    { output: "serverId", api: "ID", type: "integer", description: "Postmark's numeric server ID (the resource's ID is the same number as a string)." },
    // Whoever holds a server token can send mail as that server.
    { output: "apiTokens", api: "ApiTokens", type: "strings", secret: true, description: "The server's API tokens: whoever holds one can send mail as this server." },
    { output: "serverLink", api: "ServerLink", description: "Link to the server's page in Postmark." },
    // The address lets anyone inject inbound mail, and the hash is the address's local part.
    // With an inbound domain of its own the address may be at that domain (Postmark does not document it).
    { output: "inboundAddress", api: "InboundAddress", secret: true, changedBy: ["inboundDomain"], description: "The server's inbound email address." },
    { output: "inboundHash", api: "InboundHash", secret: true, description: "The local part of the inbound address, which reveals it." },
  ],
  adopt: {
    input: "adoptServerId",
    type: "integer",
    description:
      "The ID of an existing server to bring under management instead of creating one: the first `pulumi up` reads it and " +
      "brings it to the declared values with at most one edit. Changing or removing it later never replaces the server.",
  },
  api: {
    create: { method: "POST", path: "/servers" },
    read: { method: "GET", path: "/servers/{id}" },
    update: { method: "PUT", path: "/servers/{id}" },
    delete: { method: "DELETE", path: "/servers/{id}" },
  },
  // Postmark answers a bare 404 for a missing server, or 422 with ErrorCode 601.
  isNotFound: (error) => error.isNotFound,
  label: (values) => String(values.name),
  hooks: {
    // Server names are unique in an account, so a replacement that keeps its name must delete first.
    deleteBeforeReplace: (olds, news) =>
      news.name === unknownValue || String(news.name ?? olds.name).toLowerCase() === String(olds.name).toLowerCase(),
    recovery: {
      listAll: (context) => context.client.listServers(),
      findSame: (context, news) => context.client.findServersByName(String(news.name)),
      isConflict: (error) => error.errorCode === 603,
      onConflict: async (_context, news, existing) => {
        const ids = existing.map((s) => s.ID);
        return new PostmarkProviderError(
          `A Postmark server named "${news.name}" already exists (ID ${ids.join(", ")}), and server names are unique in an ` +
            `account. To manage that server from this program, set \`adoptServerId: ${ids[0]}\` on this resource; ` +
            `otherwise choose another name. ${interruptedCreateAdvice("server")}`,
        );
      },
    },
    editError: async (context, id, olds, news, error) => {
      if (error.errorCode !== 603) return undefined;
      const existing = await context.client.findServersByName(String(news.name)).catch((): ApiServer[] => []);
      const others = existing.filter((s) => String(s.ID) !== id).map((s) => s.ID);
      if (others.length === 0) return undefined;
      return new PostmarkProviderError(
        `Cannot rename Postmark server ${id} ("${olds.name}") to "${news.name}": another server already has that name ` +
          `(ID ${others.join(", ")}), and server names are unique in an account. Choose another name, or rename or ` +
          "delete that server first. Nothing was changed.",
      );
    },
    deleteError: (_context, id, olds, error: PostmarkApiError) => {
      if (error.errorCode !== 604) return undefined;
      return new PostmarkProviderError(
        `Postmark refused to delete server ${id} ("${olds.name}"): ErrorCode 604, this account may not delete ` +
          "servers through the API. Ask Postmark support to enable server deletion through the API, or set the " +
          "resource option `retainOnDelete: true` so that Pulumi forgets the server and leaves it in Postmark. " +
          "The server is unchanged and stays in the stack's state.",
      );
    },
  },
};

export type ServerColor = (typeof serverColors)[number];
export type DeliveryType = (typeof deliveryTypes)[number];
export type TrackLinks = (typeof trackLinksOptions)[number];

/** Server colors, as Postmark lists them. Any case is accepted; this spelling is what the outputs show. */
export const ServerColors = Object.fromEntries(serverColors.map((c) => [c, c])) as { readonly [C in ServerColor]: C };
/** `Live` sends real mail; `Sandbox` accepts mail and never delivers it. */
export const DeliveryTypes = Object.fromEntries(deliveryTypes.map((d) => [d, d])) as { readonly [D in DeliveryType]: D };
/** Which message bodies get link tracking. */
export const TrackLinksOptions = Object.fromEntries(trackLinksOptions.map((t) => [t, t])) as {
  readonly [T in TrackLinks]: T;
};

/**
 * The declared state of a Postmark server. Only the fields you set are managed: anything you leave out is
 * left as it is in Postmark and never shows a diff. If you set a field and later remove it, it goes back to
 * Postmark's default where one is known (false, 0, "None", "" for hooks and inbound domain); `name`,
 * `color`, `deliveryType` and `includeBounceContentInHook` simply stop being managed.
 */
export interface PostmarkServerArgs {
  /** The server's name, unique in the account (Postmark compares it ignoring case). Required. */
  name: pulumi.Input<string>;
  /**
   * Color of the server in Postmark's server list: Purple, Blue, Turquoise, Green, Red, Yellow, Grey or Orange.
   * Any case is accepted ("red" equals "Red"). Default: chosen by Postmark.
   */
  color?: pulumi.Input<ServerColor | Lowercase<ServerColor>>;
  /** Whether SMTP sending is enabled. Default: false (servers made through the API have SMTP off). */
  smtpApiActivated?: pulumi.Input<boolean>;
  /** Include the raw email content in inbound webhook payloads (key `RawEmail`). Default: false. */
  rawEmailEnabled?: pulumi.Input<boolean>;
  /**
   * `Live` (sends mail) or `Sandbox` (accepts mail, never delivers). Default: Live.
   * **Changing it replaces the server** (new ID and tokens): Postmark cannot change it after creation.
   */
  deliveryType?: pulumi.Input<DeliveryType>;
  /** URL Postmark POSTs each inbound message to; "" for none. Must be an absolute http(s) URL. Default: "". */
  inboundHookUrl?: pulumi.Input<string>;
  /** URL for bounce events; "" for none. Default: "". @deprecated Postmark recommends its Webhooks API instead. */
  bounceHookUrl?: pulumi.Input<string>;
  /** URL for open events; "" for none. Default: "". @deprecated Postmark recommends its Webhooks API instead. */
  openHookUrl?: pulumi.Input<string>;
  /** URL for delivery events; "" for none. Default: "". @deprecated Postmark recommends its Webhooks API instead. */
  deliveryHookUrl?: pulumi.Input<string>;
  /** URL for unique click events; "" for none. Default: "". @deprecated Postmark recommends its Webhooks API instead. */
  clickHookUrl?: pulumi.Input<string>;
  /** Only the first open by a recipient triggers the open webhook. Default: false. */
  postFirstOpenOnly?: pulumi.Input<boolean>;
  /** Inbound domain for MX setup (its MX record must point to inbound.postmarkapp.com); "" for none. Default: "". */
  inboundDomain?: pulumi.Input<string>;
  /** Highest spam score an inbound message may have before it is blocked: 0, 5, 10, 15, 20, 25 or 30. Default: 0. */
  inboundSpamThreshold?: pulumi.Input<number>;
  /** Open tracking for every email sent through this server. Default: false. */
  trackOpens?: pulumi.Input<boolean>;
  /** Link tracking: None, HtmlAndText, HtmlOnly or TextOnly. Default: None. */
  trackLinks?: pulumi.Input<TrackLinks>;
  /** Include the bounce's content in bounce webhooks. Default: chosen by Postmark (not reset when removed). */
  includeBounceContentInHook?: pulumi.Input<boolean>;
  /** Include SMTP API errors in bounce webhooks. Default: false. */
  enableSmtpApiErrorHooks?: pulumi.Input<boolean>;
  /**
   * The ID of an existing server (made by hand or by another tool) to bring under management instead of
   * creating one: on the first `pulumi up` it is read and brought to the declared values with at most one
   * edit. Changing or removing it later never replaces the server. (Pulumi's `import` does not work for
   * dynamic resources, pulumi/pulumi#16175.)
   */
  adoptServerId?: pulumi.Input<number>;
}

/**
 * A Postmark server, managed through Postmark's account-level Servers API.
 * Needs an account token: `pulumi config set --secret postmark:accountToken <token>` or `POSTMARK_ACCOUNT_TOKEN`.
 *
 * @example
 * new PostmarkServer("billing", { name: "Billing (prod)", color: "Red", deliveryType: "Live", trackOpens: true });
 */
export class PostmarkServer extends PostmarkResource {
  /** Postmark's numeric server ID (the resource's `id` is the same number as a string). */
  declare readonly serverId: pulumi.Output<number>;
  /** The server's API tokens: whoever holds one can send mail as this server. Secret. */
  declare readonly apiTokens: pulumi.Output<string[]>;
  /** Link to the server's page in Postmark. */
  declare readonly serverLink: pulumi.Output<string>;
  /** The server's inbound email address (`<inboundHash>@inbound.postmarkapp.com`). Secret. */
  declare readonly inboundAddress: pulumi.Output<string>;
  /** The local part of the inbound address, which reveals it. Secret. */
  declare readonly inboundHash: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** As Postmark has it, in the canonical spelling (e.g. "Red"). */
  declare readonly color: pulumi.Output<ServerColor>;
  declare readonly smtpApiActivated: pulumi.Output<boolean>;
  declare readonly rawEmailEnabled: pulumi.Output<boolean>;
  declare readonly deliveryType: pulumi.Output<DeliveryType>;
  declare readonly inboundHookUrl: pulumi.Output<string>;
  declare readonly bounceHookUrl: pulumi.Output<string>;
  declare readonly openHookUrl: pulumi.Output<string>;
  declare readonly deliveryHookUrl: pulumi.Output<string>;
  declare readonly clickHookUrl: pulumi.Output<string>;
  declare readonly postFirstOpenOnly: pulumi.Output<boolean>;
  declare readonly inboundDomain: pulumi.Output<string>;
  declare readonly inboundSpamThreshold: pulumi.Output<number>;
  declare readonly trackOpens: pulumi.Output<boolean>;
  declare readonly trackLinks: pulumi.Output<TrackLinks>;
  declare readonly includeBounceContentInHook: pulumi.Output<boolean>;
  declare readonly enableSmtpApiErrorHooks: pulumi.Output<boolean>;
  /** The inputs this resource manages (those the program declared); kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;
  declare readonly adoptServerId: pulumi.Output<number | undefined>;

  /** Reads an existing server by ID without managing it: nothing is changed or deleted. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkServer {
    // With `id` set the engine reads the server instead of creating it, so no args are needed.
    return new PostmarkServer(name, undefined as unknown as PostmarkServerArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkServerArgs, opts?: pulumi.CustomResourceOptions) {
    super(serverDeclaration, name, args, opts);
  }
}
