import * as pulumi from "@pulumi/pulumi";
import { postmarkServerProvider } from "./dynamicProvider";
import { deliveryTypes, readOnlyFields, secretOutputs, serverColors, trackLinksOptions, writableFields } from "./serverFields";

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
export class PostmarkServer extends pulumi.dynamic.Resource {
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
    // Every output must be present (as undefined) to exist as an Output property of the resource.
    const props: Record<string, unknown> = Object.fromEntries(
      [...writableFields.map((f) => f.input), ...readOnlyFields.map((f) => f.output), "managedFields", "adoptServerId"].map((k) => [
        k,
        undefined,
      ]),
    );
    Object.assign(props, args ?? {});
    super(postmarkServerProvider, name, props, {
      ...opts,
      additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secretOutputs])],
    }, "postmark", "PostmarkServer");
  }
}
