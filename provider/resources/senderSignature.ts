/**
 * PostmarkSenderSignature: one From address the account may send as (account token). Creating it makes Postmark
 * email a confirmation link to that address; `confirmed` turns true when someone clicks it, which the provider
 * never waits for (a refresh shows it). Requests say FromEmail/ReplyToEmail, responses EmailAddress/ReplyToEmailAddress:
 * the fields carry both names.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceContext, ResourceDeclaration } from "../core/declaration";
import { interruptedCreateAdvice, PostmarkProviderError } from "../core/errors";
import { unknownValue, Values } from "../core/fields";
import { everyListItem, readWhole } from "../core/paging";
import { PostmarkResource } from "../core/resource";
import { dnsOutputs, DomainDnsOutputs, domainNameProblem, returnPathProblem } from "./domain";

/** Postmark refuses From addresses on these (ErrorCode 503); it knows more of them, and has the last word. */
export const publicMailDomains = [
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "mail.com",
  "yandex.com",
] as const;

const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();

/** local@domain, no display name: what Postmark accepts as an address. */
function emailProblem(address: string): string | undefined {
  const at = address.lastIndexOf("@");
  const wellFormed = at > 0 && /^[^\s@<>"(),;:]+$/.test(address.slice(0, at)) && domainNameProblem(domainOf(address)) === undefined;
  return wellFormed ? undefined : 'it must be an email address such as "billing@example.com" (no display name)';
}

const personalNoteMax = 400;
const listPath = "/senders";

const allSignatures = (context: ResourceContext) => everyListItem(context, { method: "GET", path: listPath, verb: "list" }, "SenderSignatures");
const sameAddress = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

export const senderSignatureDeclaration: ResourceDeclaration = {
  kind: "PostmarkSenderSignature",
  noun: "sender signature",
  description:
    "A From address the account may send as. Creating it makes Postmark email a confirmation link to the address; " +
    "`confirmed` turns true once it is clicked (the provider never waits for it; a refresh shows it).",
  token: "account",
  apiId: "ID",
  fields: [
    {
      input: "fromEmail",
      api: "FromEmail",
      apiRead: "EmailAddress",
      type: "string",
      required: true,
      replaceOnChange: true,
      rule: emailProblem,
      description: "The From address, on a domain you own (not a public mail domain). Changing it replaces the signature.",
    },
    { input: "name", api: "Name", type: "string", required: true, sendOnEveryEdit: true, description: "The From name shown to recipients." },
    {
      input: "replyToEmail",
      api: "ReplyToEmail",
      apiRead: "ReplyToEmailAddress",
      type: "string",
      default: "",
      rule: (value: string) => (value === "" ? undefined : emailProblem(value)),
      description: 'The Reply-To address; "" for none. Removing it clears it.',
    },
    {
      input: "returnPathDomain",
      api: "ReturnPathDomain",
      type: "string",
      rule: (value: string) => (value === "" ? undefined : domainNameProblem(value)),
      description:
        'The Return-Path domain of the From address\'s domain (a subdomain of it with a CNAME to pm.mtasv.net); "" clears it. ' +
        "It is the domain's own setting: manage it here or on a PostmarkDomain, not both. Removing it leaves it as it is.",
    },
    {
      input: "confirmationPersonalNote",
      api: "ConfirmationPersonalNote",
      type: "string",
      rule: (note: string) =>
        note.trim() === "" ? "leave it out for none (Postmark refuses a blank note)" : note.length > personalNoteMax ? `it must be at most ${personalNoteMax} characters` : undefined,
      description: `A note (at most ${personalNoteMax} characters) in the confirmation email, telling its reader what Postmark is and why to click.`,
    },
  ],
  outputs: [
    { output: "signatureId", api: "ID", type: "integer", description: "Postmark's numeric sender signature ID (the resource's ID is the same number as a string)." },
    { output: "domain", api: "Domain", description: "The From address's domain, in lower case." },
    {
      output: "confirmed",
      api: "Confirmed",
      type: "boolean",
      description: "Whether someone clicked the confirmation link Postmark emailed to the address. Never waited for; a refresh shows it.",
    },
    ...dnsOutputs,
  ],
  adopt: {
    input: "adoptSenderSignatureId",
    type: "integer",
    description:
      "The ID of a sender signature already on the account to bring under management instead of creating one: the first " +
      "`pulumi up` reads it and brings it to the declared values with at most one edit.",
  },
  api: {
    create: { method: "POST", path: listPath },
    read: { method: "GET", path: "/senders/{id}" },
    update: { method: "PUT", path: "/senders/{id}" },
    delete: { method: "DELETE", path: "/senders/{id}" },
  },
  listedAsSummaries: true,
  // ErrorCode 501, as HTTP 422 (the published error list) or 404 (Postmark's newer pages).
  isNotFound: (error) => error.errorCode === 501,
  label: (values) => String(values.fromEmail),
  hooks: {
    checkRules: (news: Values) => {
      const from = news.fromEmail;
      if (typeof from !== "string" || from === unknownValue) return [];
      const domain = domainOf(from);
      const failures = returnPathProblem(news.returnPathDomain, domain, "the From address's domain");
      if ((publicMailDomains as readonly string[]).includes(domain)) {
        failures.push({
          property: "fromEmail",
          reason: `fromEmail is ${JSON.stringify(from)}: Postmark does not accept addresses on public mail domains such as ${domain}; use an address on a domain you own`,
        });
      }
      return failures;
    },
    // The address is unique in the account without case: a replacement that keeps it must delete first.
    deleteBeforeReplace: (olds, news) => news.fromEmail === unknownValue || sameAddress(news.fromEmail, olds.fromEmail),
    recovery: {
      listAll: allSignatures,
      // The listing shows only a summary of each signature: the match (addresses are unique) is read whole.
      findSame: async (context, news) => {
        const matches = (await allSignatures(context)).filter((s) => sameAddress(s.EmailAddress, news.fromEmail));
        return readWhole(context, matches);
      },
      isConflict: (error) => error.errorCode === 504,
      onConflict: async (_context, news, existing) =>
        new PostmarkProviderError(
          `A sender signature for ${news.fromEmail} already exists on this Postmark account (ID ${existing[0].ID}). To manage it ` +
            `from this program, set \`adoptSenderSignatureId: ${existing[0].ID}\` on this resource. ${interruptedCreateAdvice("sender signature")}`,
        ),
    },
  },
};

/** A From address the account may send as. */
export interface PostmarkSenderSignatureArgs {
  /** The From address, on a domain you own (Postmark refuses public mail domains). **Changing it replaces the signature** (and sends a new confirmation email). */
  fromEmail: pulumi.Input<string>;
  /** The From name shown to recipients. Required (Postmark needs it in every edit). */
  name: pulumi.Input<string>;
  /** The Reply-To address; "" for none. Removing it clears it. Default: none. */
  replyToEmail?: pulumi.Input<string>;
  /**
   * The Return-Path domain of the From address's domain: a subdomain of it whose CNAME points to `pm.mtasv.net`. It is the
   * domain's setting, shared by its signatures and a PostmarkDomain of it: manage it in one place. "" clears it; removing
   * it leaves it as it is.
   */
  returnPathDomain?: pulumi.Input<string>;
  /** A note (at most 400 characters, not blank) in the confirmation email, telling its reader why to click. */
  confirmationPersonalNote?: pulumi.Input<string>;
  /** The ID of a sender signature already on the account, to manage it instead of creating one (e.g. after ErrorCode 504). */
  adoptSenderSignatureId?: pulumi.Input<number>;
}

/**
 * A From address the account may send as. Postmark emails a confirmation link to it; `confirmed` shows (after a
 * refresh) whether it was clicked.
 *
 * @example
 * new PostmarkSenderSignature("billing", { fromEmail: "billing@example.com", name: "Example Billing" });
 */
export class PostmarkSenderSignature extends PostmarkResource {
  /** Postmark's numeric sender signature ID. */
  declare readonly signatureId: pulumi.Output<number>;
  declare readonly fromEmail: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly replyToEmail: pulumi.Output<string>;
  declare readonly returnPathDomain: pulumi.Output<string>;
  declare readonly confirmationPersonalNote: pulumi.Output<string>;
  /** The From address's domain, in lower case. */
  declare readonly domain: pulumi.Output<string>;
  /** Whether the confirmation link was clicked (as of the last up or refresh). */
  declare readonly confirmed: pulumi.Output<boolean>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;
  declare readonly adoptSenderSignatureId: pulumi.Output<number | undefined>;

  /** Reads an existing sender signature by ID without managing it. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkSenderSignature {
    return new PostmarkSenderSignature(name, undefined as unknown as PostmarkSenderSignatureArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkSenderSignatureArgs, opts?: pulumi.CustomResourceOptions) {
    super(senderSignatureDeclaration, name, args, opts);
  }
}
// The DNS outputs of the From address's domain (dkimHost and the rest), declared once in domain.ts.
export interface PostmarkSenderSignature extends DomainDnsOutputs {}
