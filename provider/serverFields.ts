/**
 * The single source of truth for how a PostmarkServer maps onto Postmark's Servers API.
 * check, diff, the request bodies, the outputs and read's inputs are all derived from this table.
 */

export const serverColors = ["Purple", "Blue", "Turquoise", "Green", "Red", "Yellow", "Grey", "Orange"] as const;
export const deliveryTypes = ["Live", "Sandbox"] as const;
export const trackLinksOptions = ["None", "HtmlAndText", "HtmlOnly", "TextOnly"] as const;
export const spamThresholds = [0, 5, 10, 15, 20, 25, 30] as const;

export type FieldValue = string | number | boolean | string[];

export interface WritableField {
  /** The camelCase input and output name. */
  readonly input: string;
  /** Postmark's PascalCase name in request and response bodies. */
  readonly api: string;
  readonly type: "string" | "boolean" | "integer" | "enum" | "url";
  /** For enums: the canonical spellings; input is matched case-insensitively and normalised to these. */
  readonly allowed?: readonly (string | number)[];
  /**
   * Postmark's value for a server that never set the field. When a program stops declaring the field,
   * the server goes back to it. Fields without a known default simply stop being managed.
   */
  readonly default?: FieldValue;
  /** Postmark cannot change it after creation: a change replaces the server, and edits never send it. */
  readonly replaceOnChange?: boolean;
  readonly required?: boolean;
}

export interface ReadOnlyField {
  readonly output: string;
  readonly api: string;
  /** Stored encrypted in state (additionalSecretOutputs). */
  readonly secret: boolean;
}

const hookUrl = (input: string, api: string): WritableField => ({ input, api, type: "url", default: "" });
const flag = (input: string, api: string, knownDefault = true): WritableField => ({
  input,
  api,
  type: "boolean",
  default: knownDefault ? false : undefined,
});

export const writableFields: readonly WritableField[] = [
  { input: "name", api: "Name", type: "string", required: true },
  // Postmark picks a color when none is sent; no documented default, so an undeclared color is left alone.
  { input: "color", api: "Color", type: "enum", allowed: serverColors },
  flag("smtpApiActivated", "SmtpApiActivated"),
  flag("rawEmailEnabled", "RawEmailEnabled"),
  { input: "deliveryType", api: "DeliveryType", type: "enum", allowed: deliveryTypes, replaceOnChange: true },
  hookUrl("inboundHookUrl", "InboundHookUrl"),
  hookUrl("bounceHookUrl", "BounceHookUrl"),
  hookUrl("openHookUrl", "OpenHookUrl"),
  hookUrl("deliveryHookUrl", "DeliveryHookUrl"),
  hookUrl("clickHookUrl", "ClickHookUrl"),
  flag("postFirstOpenOnly", "PostFirstOpenOnly"),
  { input: "inboundDomain", api: "InboundDomain", type: "string", default: "" },
  { input: "inboundSpamThreshold", api: "InboundSpamThreshold", type: "integer", allowed: spamThresholds, default: 0 },
  flag("trackOpens", "TrackOpens"),
  { input: "trackLinks", api: "TrackLinks", type: "enum", allowed: trackLinksOptions, default: "None" },
  // Postmark's default for this one is not documented (its examples show true), so it is not reset.
  flag("includeBounceContentInHook", "IncludeBounceContentInHook", false),
  flag("enableSmtpApiErrorHooks", "EnableSmtpApiErrorHooks"),
];

export const readOnlyFields: readonly ReadOnlyField[] = [
  { output: "serverId", api: "ID", secret: false },
  // Whoever holds a server token can send mail as that server.
  { output: "apiTokens", api: "ApiTokens", secret: true },
  { output: "serverLink", api: "ServerLink", secret: false },
  // The address lets anyone inject inbound mail, and the hash is the address's local part.
  { output: "inboundAddress", api: "InboundAddress", secret: true },
  { output: "inboundHash", api: "InboundHash", secret: true },
];

export const secretOutputs: string[] = readOnlyFields.filter((f) => f.secret).map((f) => f.output);

/** Input that is not sent to Postmark: the ID of an existing server to bring under management. */
export const adoptServerIdInput = "adoptServerId";
/** Output that records which inputs the program declared, since diff and read only see outputs. */
export const managedFieldsOutput = "managedFields";

// Postmark's own pages misspell it; accept what the API might send back.
const enumAliases: Record<string, string> = { turqoise: "Turquoise" };

/** The canonical form of a value, so that "red", "Red" and "RED" compare equal and no perpetual diff appears. */
export function normaliseValue(field: WritableField, value: unknown): unknown {
  if (field.type === "enum" && typeof value === "string" && field.allowed) {
    const lower = value.toLowerCase();
    const match = field.allowed.find((a) => String(a).toLowerCase() === lower);
    return match ?? enumAliases[lower] ?? value;
  }
  return value;
}

export function sameValue(field: WritableField, a: unknown, b: unknown): boolean {
  return normaliseValue(field, a) === normaliseValue(field, b);
}
